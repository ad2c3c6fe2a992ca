/* store_api.c - the case store over HTTP: counterparties (list, import), alerts (list, show,
 * decide), the audit log and list versions, thin over the cordon_store API the CLI uses.
 *
 * A store call can wait: on SQLite's write lock (a re-screen committing), on a network round
 * trip (PostgreSQL), or for minutes (an import that re-screens). The daemon's worker threads
 * each serve many connections, so none of this may run on them: a store request suspends its
 * connection and is queued to one of STORE_THREADS store threads, each with its own store
 * handle (a handle is used by one thread at a time), and the connection is resumed with the
 * reply. Screening never touches the store, so it goes on at full speed meanwhile. At most one
 * long job (an import, a re-screen) runs at a time, so one store thread is always left for the
 * short requests. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define STORE_THREADS 2
#define LIST_DEFAULT 100
#define LIST_MAX 1000
/* Counting the matches of a ?q= search needs a pass over them (the store API has no count for
 * a search); past this many the total is reported as a lower bound (total_exact: false). */
#define COUNT_MATCH_CAP 50000

typedef struct store_job store_job;
typedef void (*store_fn)(server *s, request *q, store_job *j, cordon_store *st);

struct store_job {
    pool_job link; /* first: the pool hands the job back through it */
    request *q;
    store_fn fn;
    const char *text; /* q, status or action */
    size_t offset, limit;
    int64_t id;
    bool flag; /* rescreen (import), verify (audit) */
    json_t *body; /* the decision */
    decision_req d;
};

static atomic_long jobs;         /* queued or running: shutdown waits for them */
static atomic_bool import_busy;  /* one import at a time */
static __thread cordon_store *thread_store; /* each store thread's own handle */

/* ---------------------------------------------------------------------------------------- */
/* Errors                                                                                    */

/* Messages from an import name the temporary file: say "body" instead, which is what the
 * client sent ("body:3: `name` is missing"). */
static void strip_path(char *out, size_t cap, const char *m, const char *path)
{
    size_t pl = path ? strlen(path) : 0;
    const char *hit = pl ? strstr(m, path) : NULL;
    if (hit)
        snprintf(out, cap, "%.*sbody%s", (int)(hit - m), m, hit + pl);
    else
        snprintf(out, cap, "%s", m);
}

/* Store failures: the client's mistakes are 400/404/413; a store that cannot be reached or is
 * busy past its timeout is 503 (retry); anything else is 500. */
static void reply_store_error(request *q, const cordon_error *err, const char *path)
{
    char msg[1200];
    strip_path(msg, sizeof msg, err->message[0] ? err->message : cordon_status_name(err->status),
               path);
    switch (err->status) {
    case CORDON_ERR_PARSE:
    case CORDON_ERR_INVALID:
        reply_error(q, 400, "bad_request", "%s", msg);
        break;
    case CORDON_ERR_LIMIT:
        reply_error(q, 413, "payload_too_large", "%s", msg);
        break;
    case CORDON_ERR_NOTFOUND:
        reply_error(q, 404, "not_found", "%s", msg);
        break;
    case CORDON_ERR_IO:
        reply_error(q, 503, "unavailable", "store: %s", msg);
        break;
    default:
        reply_error(q, 500, "internal", "store: %s", msg);
    }
}

/* After a failure that may mean a broken connection (or a deleted database), the handle is
 * dropped and the next request opens a fresh one. */
static void maybe_drop_handle(const cordon_error *err)
{
    if (err->status == CORDON_ERR_IO || err->status == CORDON_ERR_FORMAT) {
        cordon_store_close(thread_store);
        thread_store = NULL;
    }
}

/* ---------------------------------------------------------------------------------------- */
/* The store threads                                                                         */

static cordon_store *store_handle(server *s, cordon_error *err)
{
    if (!thread_store)
        thread_store = cordon_store_open(s->cfg.store, err);
    return thread_store;
}

static void run_job(server *s, store_job *j)
{
    request *q = j->q;
    cordon_error err = {0};
    cordon_store *st = store_handle(s, &err);
    if (!st)
        reply_error(q, 503, "unavailable", "store %s is not usable: %s", s->cfg.store,
                    err.message);
    else
        j->fn(s, q, j, st);
    json_decref(j->body);
}

static void finish_job(server *s, store_job *j)
{
    request *q = j->q;
    struct MHD_Connection *conn = q->conn;
    run_job(s, j);
    free(j);
    if (q->import_slot) {
        q->import_slot = false;
        atomic_store(&import_busy, false);
    }
    /* q may be freed as soon as the connection resumes: touch it no more. The job count
     * drops after the resume, so that shutdown never stops the daemon under it. */
    MHD_resume_connection(conn);
    atomic_fetch_sub(&jobs, 1);
}

static void run_store_job(void *ctx, pool_job *j) { finish_job(ctx, (store_job *)j); }

static void close_thread_store(void *ctx)
{
    (void)ctx;
    cordon_store_close(thread_store);
    thread_store = NULL;
}

static work_pool pool = WORK_POOL_INIT(run_store_job, close_thread_store);

int store_pool_start(server *s) { return pool_start(&pool, STORE_THREADS, s); }

void store_pool_stop(void) { pool_stop(&pool); }

long store_jobs(void) { return atomic_load(&jobs); }

/* Suspends the connection and hands the job to a store thread; the thread fills the reply and
 * resumes the connection. Takes ownership of j. */
static void dispatch(server *s, request *q, store_job *j)
{
    j->q = q;
    atomic_fetch_add(&jobs, 1);
    MHD_suspend_connection(q->conn);
    q->suspended = true;
    (void)s;
    pool_push(&pool, &j->link); /* no store thread could start: runs here */
}

static store_job *new_job(request *q, store_fn fn)
{
    store_job *j = calloc(1, sizeof *j);
    if (!j)
        reply_error(q, 500, "internal", "out of memory");
    else
        j->fn = fn;
    return j;
}

/* ---------------------------------------------------------------------------------------- */
/* Replies built from the store's JSON                                                       */

/* Parses JSON text the store produced (freeing it); NULL after replying with the error. */
static json_t *store_value(request *q, char *text, const cordon_error *err)
{
    if (!text) {
        reply_store_error(q, err, NULL);
        maybe_drop_handle(err);
        return NULL;
    }
    json_error_t je;
    json_t *v = json_loads(text, 0, &je);
    free(text);
    if (!v)
        reply_error(q, 500, "internal", "store: unreadable JSON: %s", je.text);
    return v;
}

/* ?limit=N (1..max, default def) and ?offset=N; 0 or -1 after replying 400. */
static int list_args(request *q, size_t def, size_t max, size_t *limit, size_t *offset)
{
    const char *l = req_arg(q, "limit"), *o = req_arg(q, "offset");
    *limit = def;
    if (l && !parse_size(l, 1, max, limit)) {
        reply_error(q, 400, "bad_request", "limit: a whole number from 1 to %zu", max);
        return -1;
    }
    if (offset) {
        *offset = 0;
        if (o && !parse_size(o, 0, (size_t)1 << 53, offset)) {
            reply_error(q, 400, "bad_request", "offset: a whole number from 0");
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* GET /v1/counterparties?q=&offset=&limit=                                                  */

/* Counts the matches of a search in one pass, up to COUNT_MATCH_CAP. */
static int count_matches(cordon_store *st, const char *match, uint64_t *n, bool *exact,
                         cordon_error *err)
{
    char *text = cordon_store_counterparties_json(st, match, 0, COUNT_MATCH_CAP + 1, err);
    if (!text)
        return -1;
    json_t *a = json_loads(text, 0, NULL);
    free(text);
    size_t k = json_array_size(a);
    json_decref(a);
    *exact = k <= COUNT_MATCH_CAP;
    *n = *exact ? k : COUNT_MATCH_CAP;
    return 0;
}

static void run_counterparties(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_error err = {0};
    const char *match = j->text && *j->text ? j->text : NULL;
    json_t *rows = store_value(q, cordon_store_counterparties_json(st, match, j->offset, j->limit,
                                                                   &err), &err);
    if (!rows)
        return;
    uint64_t total = 0;
    bool exact = true;
    if (!match) {
        total = cordon_store_counterparty_count(st);
    } else if (count_matches(st, match, &total, &exact, &err)) {
        json_decref(rows);
        reply_store_error(q, &err, NULL);
        return;
    }
    reply_obj(q, 200, json_pack("{s:o, s:I, s:b, s:I, s:I}", "counterparties", rows, "total",
                                (json_int_t)total, "total_exact", exact, "offset",
                                (json_int_t)j->offset, "limit", (json_int_t)j->limit));
}

/* ---------------------------------------------------------------------------------------- */
/* POST /v1/counterparties?rescreen=true|false: the body goes to a temporary file as it arrives
 * (like a batch) and cordon_store_import reads it in one transaction.                       */

/* The temporary file's extension tells the importer the format: .csv or .jsonl; without a
 * content type the importer looks at the first byte. -1: unsupported. */
static int import_ext(const request *q, const char **ext)
{
    const char *f = req_arg(q, "format"), *ct = q->content_type;
    if (f) {
        *ext = strcmp(f, "csv") == 0 ? ".csv" : strcmp(f, "jsonl") == 0 ? ".jsonl" : NULL;
        return *ext ? 0 : -1;
    }
    static const char *const jsonl[] = {"application/x-ndjson", "application/jsonl",
                                        "application/x-jsonlines", "application/json-lines"};
    *ext = ".dat";
    if (!ct || strncasecmp(ct, "text/plain", 10) == 0 ||
        strncasecmp(ct, "application/octet-stream", 24) == 0)
        return 0;
    if (strncasecmp(ct, "text/csv", 8) == 0) {
        *ext = ".csv";
        return 0;
    }
    for (size_t i = 0; i < sizeof jsonl / sizeof jsonl[0]; i++)
        if (strncasecmp(ct, jsonl[i], strlen(jsonl[i])) == 0) {
            *ext = ".jsonl";
            return 0;
        }
    return -1;
}

void import_begin(server *s, request *q)
{
    (void)s;
    const char *ext = NULL;
    bool b;
    const char *rs = req_arg(q, "rescreen");
    if (import_ext(q, &ext)) {
        reply_error(q, 415, "unsupported_media_type", "counterparties: send CSV (text/csv) or "
                    "JSON lines (application/x-ndjson), or say ?format=csv|jsonl");
    } else if (rs && !parse_bool(rs, &b)) {
        reply_error(q, 400, "bad_request", "rescreen: true or false");
    } else if (atomic_exchange(&import_busy, true)) {
        reply_error(q, 429, "too_many_requests", "counterparties: an import is already "
                    "running; retry when it has finished");
    } else {
        q->import_slot = true;
        const char *tmp = getenv("TMPDIR");
        snprintf(q->batch_dir, sizeof q->batch_dir, "%s/cordon-import-XXXXXX",
                 tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(q->batch_dir)) {
            q->batch_dir[0] = 0;
            reply_error(q, 500, "internal", "counterparties: cannot create a temporary "
                        "directory: %s", strerror(errno));
        } else {
            /* The file name ends up in the import's audit record: make it name the request. */
            snprintf(q->batch_path, sizeof q->batch_path, "%s/upload-%s%s", q->batch_dir, q->id,
                     ext);
            q->batch_fd = open(q->batch_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
            if (q->batch_fd >= 0)
                return;
            reply_error(q, 500, "internal", "counterparties: cannot create a temporary file: %s",
                        strerror(errno));
        }
    }
    q->rep.close = true; /* answered before the body: the rest of it is not read */
}

void import_consume(server *s, request *q, const char *data, size_t n)
{
    (void)s;
    spool_body(q, "counterparties", data, n);
}

void store_request_cleanup(request *q)
{
    if (q->import_slot) { /* the request ended before its import ran */
        q->import_slot = false;
        atomic_store(&import_busy, false);
    }
}

static json_t *rescreen_json(const cordon_rescreen_stats *r)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:f}", "counterparties",
                     (json_int_t)r->counterparties, "entries", (json_int_t)r->entries, "hits",
                     (json_int_t)r->hits, "new_alerts", (json_int_t)r->new_alerts, "run",
                     (json_int_t)r->run_id, "seconds", r->seconds);
}

/* Who an action is recorded under in the audit log: the named person, else the API key,
 * else "api"; with a key, the key id is always part of it. */
static void actor_name(const request *q, const char *who, char *out, size_t cap)
{
    if (who && *who && *q->key_id)
        snprintf(out, cap, "%s (key %s)", who, q->key_id);
    else if (who && *who)
        snprintf(out, cap, "%s", who);
    else if (*q->key_id)
        snprintf(out, cap, "key %s", q->key_id);
    else
        snprintf(out, cap, "api");
}

/* The pending counterparties (the import's new and changed ones) against the live snapshot.
 * Failure leaves them pending for the next re-screen: the import stands. */
static json_t *import_rescreen(server *s, cordon_store *st)
{
    engine_ref *r = holder_acquire(&s->holder);
    if (!r)
        return json_pack("{s:I, s:I, s:I, s:n, s:s}", "counterparties", (json_int_t)0, "hits",
                         (json_int_t)0, "new_alerts", (json_int_t)0, "run", "error",
                         "no snapshot loaded; the counterparties stay pending");
    cordon_rescreen_stats rs;
    cordon_error err = {0};
    cordon_status rc = cordon_store_rescreen(st, r->engine, CORDON_RESCREEN_PENDING, -1,
                                             (int)s->cfg.rescreen_threads, &rs, &err);
    holder_release(r);
    if (rc == CORDON_OK)
        return rescreen_json(&rs);
    maybe_drop_handle(&err);
    return json_pack("{s:I, s:I, s:I, s:n, s:s}", "counterparties", (json_int_t)0, "hits",
                     (json_int_t)0, "new_alerts", (json_int_t)0, "run", "error", err.message);
}

static void run_import(server *s, request *q, store_job *j, cordon_store *st)
{
    char actor[300];
    actor_name(q, req_arg(q, "who"), actor, sizeof actor);
    cordon_store_import_stats is;
    cordon_error err = {0};
    if (cordon_store_import(st, q->batch_path, actor, &is, &err) != CORDON_OK) {
        reply_store_error(q, &err, q->batch_path);
        maybe_drop_handle(&err);
        return;
    }
    json_t *rescreen = j->flag ? import_rescreen(s, st)
                               : json_pack("{s:I, s:I, s:I, s:n, s:b}", "counterparties",
                                           (json_int_t)0, "hits", (json_int_t)0, "new_alerts",
                                           (json_int_t)0, "run", "skipped", 1);
    reply_obj(q, 200, json_pack("{s:I, s:I, s:I, s:I, s:o, s:I}", "rows", (json_int_t)is.rows,
                                "inserted", (json_int_t)is.inserted, "updated",
                                (json_int_t)is.updated, "unchanged", (json_int_t)is.unchanged,
                                "rescreen", rescreen, "total",
                                (json_int_t)cordon_store_counterparty_count(st)));
}

void h_counterparties(server *s, request *q)
{
    store_job *j;
    if (q->method == M_POST) {
        if (q->body_seen == 0) {
            reply_error(q, 400, "bad_request", "counterparties: empty body; send CSV (header "
                        "ref,name[,type,dob,country,id]) or JSON lines");
            return;
        }
        if (close(q->batch_fd) != 0) {
            q->batch_fd = -1;
            reply_error(q, 500, "internal", "counterparties: cannot write the body to disk");
            return;
        }
        q->batch_fd = -1;
        if (!(j = new_job(q, run_import)))
            return;
        const char *rs = req_arg(q, "rescreen");
        j->flag = true;
        if (rs)
            parse_bool(rs, &j->flag); /* checked in import_begin */
        dispatch(s, q, j);
        return;
    }
    size_t limit, offset;
    if (list_args(q, LIST_DEFAULT, LIST_MAX, &limit, &offset) || !(j = new_job(q, run_counterparties)))
        return;
    j->text = req_arg(q, "q");
    j->limit = limit;
    j->offset = offset;
    dispatch(s, q, j);
}

/* ---------------------------------------------------------------------------------------- */
/* Alerts                                                                                    */

static void run_alerts(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_error err = {0};
    json_t *rows = store_value(q, cordon_store_alerts_json(st, j->text, j->limit, &err), &err);
    if (rows)
        reply_obj(q, 200, json_pack("{s:o}", "alerts", rows));
}

void h_alerts(server *s, request *q)
{
    const char *status = req_arg(q, "status");
    size_t limit;
    if (status && strcmp(status, "open") != 0 && strcmp(status, "decided") != 0) {
        reply_error(q, 400, "bad_request", "status: open or decided");
        return;
    }
    store_job *j;
    if (list_args(q, LIST_DEFAULT, LIST_MAX, &limit, NULL) || !(j = new_job(q, run_alerts)))
        return;
    j->text = status;
    j->limit = limit;
    dispatch(s, q, j);
}

static void run_alert(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_error err = {0};
    json_t *a = store_value(q, cordon_store_alert_json(st, j->id, &err), &err);
    if (a)
        reply_obj(q, 200, a);
}

static void run_decide(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_decision d = {j->id, j->d.who, j->d.outcome, j->d.reason, j->d.second_approver};
    cordon_error err = {0};
    if (cordon_store_decide(st, &d, &err) != CORDON_OK) {
        reply_store_error(q, &err, NULL);
        maybe_drop_handle(&err);
        return;
    }
    if (*q->key_id) {
        /* The decision's own record names the person; this one names the key that sent it. A
         * failure here cannot undo the decision: it is logged. */
        char subject[64];
        snprintf(subject, sizeof subject, "alert %lld", (long long)j->id);
        json_t *det = json_pack("{s:s, s:s, s:s, s:s}", "key", q->key_id, "request_id", q->id,
                                "who", d.who, "outcome", d.outcome);
        char *detail = det ? json_dumps(det, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
        json_decref(det);
        char actor[32];
        snprintf(actor, sizeof actor, "key %s", q->key_id);
        if (!detail || cordon_store_audit(st, actor, "api_decide", subject, detail, &err) != CORDON_OK)
            log_event("audit_failed", "\"request_id\":\"%s\",\"subject\":\"%s\"", q->id, subject);
        free(detail);
    }
    json_t *a = store_value(q, cordon_store_alert_json(st, j->id, &err), &err);
    if (a)
        reply_obj(q, 201, a);
}

static bool is_json_type(const char *ct)
{
    return !ct || strncasecmp(ct, "application/json", 16) == 0;
}

void h_alert(server *s, request *q)
{
    int64_t id;
    bool decision;
    int rc = alert_path_parse(q->tail, &id, &decision);
    if (rc == -1) {
        reply_error(q, 400, "bad_request", "alert id: a whole number from 1 (got '%.32s')",
                    q->tail);
        return;
    }
    if (rc) {
        reply_error(q, 404, "not_found", "no endpoint %.128s: use /v1/alerts/ID or "
                    "/v1/alerts/ID/decision", q->url);
        return;
    }
    if (decision != (q->method == M_POST)) {
        q->rep.allow = decision ? "POST" : "GET, HEAD";
        reply_error(q, 405, "method_not_allowed", "%s is not allowed on %.128s; use %s",
                    q->method_s, q->url, q->rep.allow);
        return;
    }
    store_job *j = new_job(q, decision ? run_decide : run_alert);
    if (!j)
        return;
    j->id = id;
    if (decision) {
        char msg[300];
        json_error_t je;
        if (!is_json_type(q->content_type)) {
            reply_error(q, 415, "unsupported_media_type", "decision: send application/json "
                        "(got %.64s)", q->content_type);
            free(j);
            return;
        }
        j->body = q->body.len ? json_loadb(q->body.data, q->body.len, 0, &je) : NULL;
        if (!j->body && q->body.len) {
            reply_error(q, 400, "bad_request", "body: not JSON: %s (line %d)", je.text, je.line);
            free(j);
            return;
        }
        if (decision_parse(j->body, &j->d, msg, sizeof msg)) {
            reply_error(q, 400, "bad_request", "%s", msg);
            json_decref(j->body);
            free(j);
            return;
        }
    }
    dispatch(s, q, j);
}

/* ---------------------------------------------------------------------------------------- */
/* GET /v1/audit and GET /v1/updates                                                         */

static void run_audit(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_error err = {0};
    json_t *rows = store_value(q, cordon_store_audit_json(st, j->text, j->limit, &err), &err);
    if (!rows)
        return;
    json_t *o = json_pack("{s:o}", "records", rows);
    if (j->flag) {
        uint64_t checked = 0;
        cordon_error verr = {0};
        bool ok = cordon_store_audit_verify(st, &checked, &verr) == CORDON_OK;
        json_object_set_new(o, "verified", json_boolean(ok));
        json_object_set_new(o, "checked", json_integer((json_int_t)checked));
        if (!ok)
            json_object_set_new(o, "error", json_string(verr.message));
    } else {
        json_object_set_new(o, "verified", json_null());
    }
    reply_obj(q, 200, o);
}

void h_audit(server *s, request *q)
{
    size_t limit;
    bool verify = true;
    const char *v = req_arg(q, "verify");
    if (v && !parse_bool(v, &verify)) {
        reply_error(q, 400, "bad_request", "verify: true or false");
        return;
    }
    store_job *j;
    if (list_args(q, LIST_DEFAULT, LIST_MAX, &limit, NULL) || !(j = new_job(q, run_audit)))
        return;
    j->text = req_arg(q, "action");
    if (j->text && !*j->text)
        j->text = NULL;
    j->limit = limit;
    j->flag = verify;
    dispatch(s, q, j);
}

static void run_updates(server *s, request *q, store_job *j, cordon_store *st)
{
    (void)s;
    cordon_error err = {0};
    json_t *v = store_value(q, cordon_store_versions_json(st, j->limit, &err), &err);
    if (!v)
        return;
    json_t *r = store_value(q, cordon_store_screenings_json(st, j->limit, &err), &err);
    if (!r) {
        json_decref(v);
        return;
    }
    reply_obj(q, 200, json_pack("{s:o, s:o}", "versions", v, "screenings", r));
}

void h_updates(server *s, request *q)
{
    size_t limit;
    store_job *j;
    if (list_args(q, LIST_DEFAULT, LIST_MAX, &limit, NULL) || !(j = new_job(q, run_updates)))
        return;
    j->limit = limit;
    dispatch(s, q, j);
}

/* ---------------------------------------------------------------------------------------- */
/* POST /v1/admin/rescreen?full=true|false: every counterparty (or only the pending ones)
 * against the live snapshot, answered when done. It takes the import slot: one long store job
 * at a time.                                                                                */

static void run_rescreen(server *s, request *q, store_job *j, cordon_store *st)
{
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    cordon_rescreen_stats rs;
    cordon_error err = {0};
    cordon_status rc = cordon_store_rescreen(st, r->engine, j->flag ? CORDON_RESCREEN_FULL
                                                                    : CORDON_RESCREEN_PENDING,
                                             -1, (int)s->cfg.rescreen_threads, &rs, &err);
    holder_release(r);
    if (rc != CORDON_OK) {
        reply_store_error(q, &err, NULL);
        maybe_drop_handle(&err);
        return;
    }
    reply_obj(q, 200, json_pack("{s:s, s:o}", "mode", j->flag ? "full" : "pending", "rescreen",
                                rescreen_json(&rs)));
}

void h_admin_rescreen(server *s, request *q)
{
    bool full = true;
    const char *f = req_arg(q, "full");
    if (f && !parse_bool(f, &full)) {
        reply_error(q, 400, "bad_request", "full: true or false");
        return;
    }
    if (atomic_exchange(&import_busy, true)) {
        reply_error(q, 429, "too_many_requests", "rescreen: an import or re-screen is already "
                    "running; retry when it has finished");
        return;
    }
    q->import_slot = true;
    store_job *j = new_job(q, run_rescreen);
    if (!j)
        return; /* the slot is released when the request completes */
    j->flag = full;
    dispatch(s, q, j);
}

/* ---------------------------------------------------------------------------------------- */
/* /v1/admin/update: start a run (POST) or read the status (GET); the run is the scheduler's.  */

void h_admin_update(server *s, request *q)
{
    if (q->method != M_POST) {
        reply_obj(q, 200, update_status_json(s));
        return;
    }
    bool force = false;
    const char *f = req_arg(q, "force");
    if (f && !parse_bool(f, &force)) {
        reply_error(q, 400, "bad_request", "force: true or false");
        return;
    }
    switch (update_request(s, "api", q->key_id, q->id, force)) {
    case 0:
        reply_obj(q, 202, json_pack("{s:b}", "started", 1));
        break;
    case 1:
        reply_error(q, 409, "conflict", "an update is already running (GET /v1/admin/update "
                    "shows its progress)");
        break;
    default:
        reply_error(q, 503, "unavailable", "the update thread is not running");
    }
}
