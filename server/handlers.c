/* handlers.c - cordon's own API: /v1/screen, /v1/lists, /v1/admin/reload, /healthz, /readyz
 * and /metrics. Each handler reads the request and fills its reply (see internal.h). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Body content types: a missing type is taken as the endpoint's natural one. */
static bool is_json_type(const char *ct)
{
    return !ct || strncasecmp(ct, "application/json", 16) == 0 || strncasecmp(ct, "text/json", 9) == 0;
}

/* Maps a screening failure to HTTP: the client's fault is a 400, anything else a 500. */
static void reply_screen_error(request *q, const cordon_error *err)
{
    if (err->status == CORDON_ERR_INVALID || err->status == CORDON_ERR_LIMIT)
        reply_error(q, 400, "bad_request", "%s", err->message);
    else
        reply_error(q, 500, "internal", "%s", err->message[0] ? err->message : "screening failed");
}

void h_screen(server *s, request *q)
{
    screen_req sr;
    sreq_init(&sr);
    char msg[512];
    int rc = req_args_to_sreq(q, &sr, NULL, msg, sizeof msg);
    if (rc == 0 && q->method == M_POST) {
        if (!is_json_type(q->content_type)) {
            reply_error(q, 415, "unsupported_media_type",
                        "send the query as application/json (got %.64s)", q->content_type);
            sreq_free(&sr);
            return;
        }
        if (q->body.len == 0 && !sr.q.name)
            rc = -1, snprintf(msg, sizeof msg, "body: empty; send a JSON object with a name");
        else if (q->body.len)
            rc = sreq_from_json(&sr, q->body.data, q->body.len, msg, sizeof msg);
    }
    if (rc == 0)
        rc = sreq_finish(&sr, msg, sizeof msg);
    if (rc) {
        reply_error(q, 400, "bad_request", "%s", msg);
        sreq_free(&sr);
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        sreq_free(&sr);
        return;
    }
    if (check_sources(r->engine, &sr.q, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
    } else {
        cordon_arena *a = thread_arena();
        cordon_result res;
        cordon_error err = {0};
        if (!a)
            reply_error(q, 500, "internal", "out of memory");
        else if (cordon_screen(r->engine, &sr.q, a, &res, &err) != CORDON_OK)
            reply_screen_error(q, &err);
        else
            reply_json(q, 200, cordon_result_json(&sr.q, &res, 0));
        cordon_arena_reset(a);
    }
    holder_release(r);
    sreq_free(&sr);
}

static json_t *snapshot_json(const engine_ref *r, const char *path)
{
    cordon_snapshot_info info;
    cordon_engine_info(r->engine, &info);
    char loaded[32];
    struct tm tm;
    gmtime_r(&r->loaded_at, &tm);
    strftime(loaded, sizeof loaded, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return json_pack("{s:s, s:i, s:s, s:s, s:I, s:i, s:i, s:s, s:I, s:I}", "path", path,
                     "format_version", (json_int_t)info.format_version, "built_at", info.built_at,
                     "sha256", info.checksum, "size", (json_int_t)info.file_size, "entities",
                     (json_int_t)info.entities, "names", (json_int_t)info.names, "loaded_at",
                     loaded, "age_seconds",
                     (json_int_t)(r->built_at ? time(NULL) - r->built_at : 0), "generation",
                     (json_int_t)r->generation);
}

static json_t *source_json(const cordon_source_info *si)
{
    json_t *types = json_object(), *regimes = json_object();
    for (int t = 0; t < CORDON_TYPE_COUNT; t++)
        json_object_set_new(types, cordon_entity_type_name((cordon_entity_type)t),
                            json_integer(si->by_type[t]));
    for (size_t k = 0; k < si->n_regimes; k++)
        json_object_set_new(regimes, si->regime_names[k], json_integer(si->regime_counts[k]));
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o}", "name", si->name, "format",
                     si->format, "file", si->file, "sha256", si->sha256, "published",
                     si->published, "entities", (json_int_t)si->entities, "by_type", types,
                     "regimes", regimes);
}

void h_lists(server *s, request *q)
{
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    json_t *sources = json_array();
    for (size_t i = 0; i < cordon_engine_source_count(r->engine); i++) {
        cordon_source_info si;
        if (cordon_engine_source(r->engine, i, &si) == CORDON_OK)
            json_array_append_new(sources, source_json(&si));
    }
    json_t *o = json_pack("{s:o, s:o, s:s}", "snapshot", snapshot_json(r, s->cfg.snapshot),
                          "sources", sources, "version", CORDON_VERSION);
    holder_release(r);
    reply_obj(q, 200, o);
}

void h_healthz(server *s, request *q)
{
    (void)s;
    reply_obj(q, 200, json_pack("{s:s}", "status", "ok"));
}

void h_readyz(server *s, request *q)
{
    if (atomic_load(&s->draining)) {
        reply_error(q, 503, "unavailable", "shutting down");
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    cordon_snapshot_info info;
    cordon_engine_info(r->engine, &info);
    json_t *o = json_pack("{s:s, s:s, s:i, s:I}", "status", "ready", "sha256", info.checksum,
                          "entities", (json_int_t)info.entities, "generation",
                          (json_int_t)r->generation);
    holder_release(r);
    reply_obj(q, 200, o);
}

void h_metrics(server *s, request *q)
{
    engine_ref *r = holder_acquire(&s->holder);
    size_t len = 0;
    char *text = metrics_render(r, &len);
    holder_release(r);
    if (!text) {
        reply_error(q, 500, "internal", "out of memory");
        return;
    }
    reply_text(q, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
}

void h_reload(server *s, request *q)
{
    char msg[1200];
    if (server_reload(s, msg, sizeof msg)) {
        reply_error(q, 500, "internal", "reload failed: %s", msg);
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    json_t *o = json_pack("{s:s, s:o}", "status", "reloaded", "snapshot",
                          snapshot_json(r, s->cfg.snapshot));
    holder_release(r);
    reply_obj(q, 200, o);
}
