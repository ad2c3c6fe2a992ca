/* fuzz_http_request.c - the server's request decoding (server/params.c) on arbitrary bytes:
 * the same input is read as a /v1/screen JSON body, as a query string or form body whose
 * pairs feed the screen parameters, as yente and W3C reconciliation query batches, as an alert
 * decision body and as a /v1/alerts/{tail} path. Every
 * decoded field is touched so that a bad pointer shows up under the sanitizers. */
#include "../../server/params.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touched;

static void touch(const char *s)
{
    if (s)
        touched += strlen(s);
}

static void touch_query(const cordon_query *q)
{
    touch(q->name);
    touch(q->dob);
    touch(q->country);
    touch(q->id_type);
    touch(q->id_value);
    for (size_t i = 0; i < q->n_sources; i++)
        touch(q->sources[i]);
    touched += q->limit + (size_t)q->type + (size_t)q->exhaustive + (size_t)(q->threshold > 0.5);
}

static int set_pair(void *ctx, const char *key, const char *value)
{
    char msg[256];
    touch(key);
    touch(value);
    sreq_set(ctx, key, value, msg, sizeof msg); /* errors are fine; crashes are not */
    return 0;
}

static void touch_examples(const match_example *ex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        touch(ex[i].key);
        for (size_t k = 0; k < ex[i].n_names; k++)
            touch(ex[i].names[k]);
        touch(ex[i].dob);
        touch(ex[i].country);
        touch(ex[i].id_type);
        touch(ex[i].id_value);
        touched += ex[i].limit + (size_t)ex[i].type;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256];
    screen_req r;
    sreq_init(&r);
    if (sreq_from_json(&r, (const char *)data, size, msg, sizeof msg) == 0 &&
        sreq_finish(&r, msg, sizeof msg) == 0)
        touch_query(&r.q);
    sreq_free(&r);

    sreq_init(&r);
    if (form_parse((const char *)data, size, set_pair, &r, msg, sizeof msg) == 0)
        touch_query(&r.q);
    sreq_free(&r);

    static match_example ex[EX_MAX_QUERIES];
    size_t n = 0;
    json_error_t je;
    json_t *root = json_loadb((const char *)data, size, 0, &je);
    if (root) {
        if (yente_parse(root, ex, EX_MAX_QUERIES, &n, msg, sizeof msg) == 0)
            touch_examples(ex, n);
        if (reconcile_parse(root, ex, EX_MAX_QUERIES, &n, msg, sizeof msg) == 0)
            touch_examples(ex, n);
        decision_req d;
        if (decision_parse(root, &d, msg, sizeof msg) == 0) {
            touch(d.outcome);
            touch(d.reason);
            touch(d.who);
            touch(d.second_approver);
        }
        json_decref(root);
    }
    char tail[64];
    size_t tl = size < sizeof tail ? size : sizeof tail - 1;
    memcpy(tail, data, tl);
    tail[tl] = 0;
    int64_t id;
    bool decision;
    if (alert_path_parse(tail, &id, &decision) == 0)
        touched += (size_t)id + decision;
    return 0;
}
