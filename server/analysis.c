/* analysis.c - POST /v1/goods, /v1/transactions and /v1/network: thin wrappers over the
 * library calls the CLI uses (cordon goods, cordon check, cordon network), on the engine,
 * control lists and rules of the current snapshot reference. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Client mistakes (bad JSON, a bad field, over a limit) are 400/413; anything else 500. */
static void reply_lib_error(request *q, const cordon_error *err)
{
    const char *m = err->message[0] ? err->message : cordon_status_name(err->status);
    if (err->status == CORDON_ERR_LIMIT)
        reply_error(q, 413, "payload_too_large", "%s", m);
    else if (err->status == CORDON_ERR_PARSE || err->status == CORDON_ERR_INVALID ||
             err->status == CORDON_ERR_NOTFOUND)
        reply_error(q, 400, "bad_request", "%s", m);
    else
        reply_error(q, 500, "internal", "%s", m);
}

/* Reads an optional string member; -1 (and a message) if present but not a string. */
static int opt_str(json_t *o, const char *key, const char **out, char *msg, size_t cap)
{
    json_t *v = json_object_get(o, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_string(v)) {
        snprintf(msg, cap, "body: %s must be a string", key);
        return -1;
    }
    *out = json_string_value(v);
    return 0;
}

void h_goods(server *s, request *q)
{
    json_error_t je;
    json_t *o = q->body.len ? json_loadb(q->body.data, q->body.len, 0, &je) : NULL;
    if (!json_is_object(o)) {
        reply_error(q, 400, "bad_request", "body: send a JSON object {\"text\", \"hs\", "
                    "\"destination\", \"origin\", \"limit\", \"threshold\"}%s%s",
                    o || !q->body.len ? "" : ": ", o || !q->body.len ? "" : je.text);
        json_decref(o);
        return;
    }
    cordon_goods_query gq = {0};
    gq.threshold = -1;
    char msg[256];
    int rc = opt_str(o, "text", &gq.text, msg, sizeof msg);
    rc = rc ? rc : opt_str(o, "hs", &gq.hs, msg, sizeof msg);
    rc = rc ? rc : opt_str(o, "destination", &gq.destination, msg, sizeof msg);
    rc = rc ? rc : opt_str(o, "origin", &gq.origin, msg, sizeof msg);
    json_t *lim = json_object_get(o, "limit"), *thr = json_object_get(o, "threshold");
    if (!rc && lim && (!json_is_integer(lim) || json_integer_value(lim) < 1 ||
                       json_integer_value(lim) > 100))
        rc = -1, snprintf(msg, sizeof msg, "body: limit must be an integer from 1 to 100");
    if (!rc && thr && (!json_is_number(thr) || json_number_value(thr) < 0 ||
                       json_number_value(thr) > 1))
        rc = -1, snprintf(msg, sizeof msg, "body: threshold must be a number from 0 to 1");
    if (rc) {
        reply_error(q, 400, "bad_request", "%s", msg);
        json_decref(o);
        return;
    }
    if (lim)
        gq.limit = (size_t)json_integer_value(lim);
    if (thr)
        gq.threshold = json_number_value(thr);
    engine_ref *r = holder_acquire(&s->holder);
    if (!r || !r->goods) {
        holder_release(r);
        json_decref(o);
        reply_error(q, 503, "unavailable", "control lists are not loaded (data/controls)");
        return;
    }
    cordon_arena *a = thread_arena();
    cordon_goods_result res;
    cordon_error err = {0};
    if (cordon_goods_classify(r->goods, &gq, a, &res, &err) != CORDON_OK) {
        reply_lib_error(q, &err);
    } else {
        char *out = cordon_goods_result_json(&gq, &res, 0);
        if (out)
            reply_json(q, 200, out);
        else
            reply_error(q, 500, "internal", "out of memory");
    }
    cordon_arena_reset(a);
    holder_release(r);
    json_decref(o);
}

void h_transactions(server *s, request *q)
{
    if (!q->body.len) {
        reply_error(q, 400, "bad_request", "body: send one transaction as a JSON object "
                    "(docs/transactions.md)");
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r || !r->risk) {
        holder_release(r);
        reply_error(q, 503, "unavailable", "transaction rules are not loaded (data/rules)");
        return;
    }
    cordon_error err = {0};
    char *out = cordon_tx_check_json(r->risk, q->body.data, q->body.len, 0, &err);
    holder_release(r);
    if (out)
        reply_json(q, 200, out);
    else
        reply_lib_error(q, &err);
}

void h_network(server *s, request *q)
{
    if (!q->body.len) {
        reply_error(q, 400, "bad_request", "body: send transactions as JSON lines "
                    "(docs/network.md)");
        return;
    }
    const char *format = req_arg(q, "format");
    const char *cl = req_arg(q, "cluster");
    size_t cluster = 0;
    if (cl) {
        char *end;
        long v = strtol(cl, &end, 10);
        if (*end || v < 0) {
            reply_error(q, 400, "bad_request", "cluster must be a number (0: all flagged)");
            return;
        }
        cluster = (size_t)v;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    cordon_error err = {0};
    char *out = cordon_net_analyze_json(r->engine, r->goods, q->body.data, q->body.len, format,
                                        cluster, &err);
    holder_release(r);
    if (!out) {
        reply_lib_error(q, &err);
        return;
    }
    if (format && strcmp(format, "graphml") == 0)
        reply_text(q, 200, "application/graphml+xml", out, strlen(out));
    else if (format && strcmp(format, "svg") == 0)
        reply_text(q, 200, "image/svg+xml", out, strlen(out));
    else
        reply_json(q, 200, out);
}
