/* scheduler.c - list updates inside the server. One updater thread runs cordon_update_run (the
 * same run as `cordon update`) when POST /v1/admin/update asks for it and, with
 * --update-interval, every that many seconds after the previous run ended; a run that changed
 * the snapshot is swapped in with server_reload (the SIGHUP path: requests in flight finish on
 * the old snapshot). The run opens its own store handle and screens on its own thread, so the
 * HTTP workers never wait for it. At shutdown no new run starts; a running one gets the grace
 * period to finish, after which the process exits under it: the update is crash-safe, and the
 * next run completes what this one left. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static struct {
    pthread_mutex_t lock;
    pthread_cond_t wake; /* a request, stop, or (timed) the interval */
    pthread_cond_t done; /* a run ended */
    pthread_t tid;
    bool started, stop, running, force;
    char trigger[16], key_id[16], request_id[72];
    time_t started_at, finished_at;
    uint64_t next_ns; /* monotonic time of the next scheduled run; 0: none */
    uint64_t runs;
    /* the last finished run */
    bool have_result, ok, reloaded;
    char error[1100], reload_error[1200];
    cordon_update_report rep;
} up = {.lock = PTHREAD_MUTEX_INITIALIZER, .done = PTHREAD_COND_INITIALIZER};

static void wall_iso(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Marks a run as started; the updater thread picks it up. Called with the lock held. */
static void begin_locked(const char *trigger, const char *key_id, const char *request_id,
                         bool force)
{
    up.running = true;
    up.force = force;
    up.started_at = time(NULL);
    up.finished_at = 0;
    snprintf(up.trigger, sizeof up.trigger, "%s", trigger);
    snprintf(up.key_id, sizeof up.key_id, "%s", key_id ? key_id : "");
    snprintf(up.request_id, sizeof up.request_id, "%s", request_id ? request_id : "");
}

typedef struct run_result {
    bool ok, reloaded;
    char error[1100], reload_error[1200];
    cordon_update_report rep;
} run_result;

static void run_once(server *s, const char *key_id, const char *request_id, bool force,
                     run_result *res)
{
    cordon_error err = {0};
    cordon_store *st = cordon_store_open(s->cfg.store, &err);
    if (!st) {
        snprintf(res->error, sizeof res->error, "store %s: %s", s->cfg.store, err.message);
        return;
    }
    if (*key_id) { /* who asked for it, beside the update's own records */
        char actor[32], detail[160];
        snprintf(actor, sizeof actor, "key %s", key_id);
        snprintf(detail, sizeof detail, "{\"key\":\"%s\",\"request_id\":\"%s\",\"force\":%s}",
                 key_id, request_id, force ? "true" : "false");
        cordon_error aerr = {0};
        if (cordon_store_audit(st, actor, "api_update", "update", detail, &aerr) != CORDON_OK)
            log_event("audit_failed", "\"request_id\":\"%s\",\"subject\":\"update\"", request_id);
    }
    cordon_update_options o = {*s->cfg.update_config ? s->cfg.update_config : NULL,
                               s->cfg.snapshot, force, (int)s->cfg.rescreen_threads};
    res->ok = cordon_update_run(st, &o, &res->rep, &err) == CORDON_OK;
    cordon_store_close(st);
    if (!res->ok)
        snprintf(res->error, sizeof res->error, "%s", err.message);
}

static void *updater(void *arg)
{
    server *s = arg;
    run_result *res = malloc(sizeof *res);
    pthread_mutex_lock(&up.lock);
    for (;;) {
        while (!up.stop && !up.running) {
            if (!up.next_ns) {
                pthread_cond_wait(&up.wake, &up.lock);
            } else if (now_ns() >= up.next_ns) {
                begin_locked("schedule", "", "", false);
            } else {
                struct timespec ts = {(time_t)(up.next_ns / 1000000000ull),
                                      (long)(up.next_ns % 1000000000ull)};
                pthread_cond_timedwait(&up.wake, &up.lock, &ts);
            }
        }
        if (up.stop)
            break;
        char key_id[16], request_id[72], trigger[16];
        bool force = up.force;
        memcpy(key_id, up.key_id, sizeof key_id);
        memcpy(request_id, up.request_id, sizeof request_id);
        memcpy(trigger, up.trigger, sizeof trigger);
        pthread_mutex_unlock(&up.lock);

        log_event("update_started", "\"trigger\":\"%s\"", trigger);
        if (res) {
            memset(res, 0, sizeof *res);
            run_once(s, key_id, request_id, force, res);
        }
        pthread_mutex_lock(&up.lock);
        bool stopping = up.stop;
        pthread_mutex_unlock(&up.lock);
        /* A new snapshot is live on disk: serve it (unless the process is going away). */
        if (res && res->ok && res->rep.changed && !stopping)
            res->reloaded = server_reload(s, res->reload_error, sizeof res->reload_error) == 0;
        if (res)
            log_event("update_finished", "\"trigger\":\"%s\",\"ok\":%s,\"changed\":%s,"
                      "\"refused\":%s,\"version\":\"%s\",\"new_alerts\":%llu,\"reloaded\":%s",
                      trigger, res->ok ? "true" : "false", res->rep.changed ? "true" : "false",
                      res->rep.refused ? "true" : "false", res->rep.version,
                      (unsigned long long)res->rep.rescreen.new_alerts,
                      res->reloaded ? "true" : "false");

        pthread_mutex_lock(&up.lock);
        up.have_result = true;
        if (res) {
            up.ok = res->ok;
            up.reloaded = res->reloaded;
            memcpy(up.error, res->error, sizeof up.error);
            memcpy(up.reload_error, res->reload_error, sizeof up.reload_error);
            up.rep = res->rep;
        } else {
            up.ok = false;
            snprintf(up.error, sizeof up.error, "out of memory");
        }
        up.running = false;
        up.finished_at = time(NULL);
        up.runs++;
        if (s->cfg.update_interval)
            up.next_ns = now_ns() + (uint64_t)s->cfg.update_interval * 1000000000ull;
        pthread_cond_broadcast(&up.done);
    }
    up.running = false;
    pthread_cond_broadcast(&up.done);
    pthread_mutex_unlock(&up.lock);
    free(res);
    return NULL;
}

int scheduler_start(server *s)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* now_ns() is monotonic */
    pthread_cond_init(&up.wake, &ca);
    pthread_condattr_destroy(&ca);
    if (s->cfg.update_interval)
        up.next_ns = now_ns() + (uint64_t)s->cfg.update_interval * 1000000000ull;
    if (pthread_create(&up.tid, NULL, updater, s) != 0)
        return -1;
    up.started = true;
    return 0;
}

bool scheduler_stop(uint64_t deadline_ns)
{
    if (!up.started)
        return true;
    pthread_mutex_lock(&up.lock);
    up.stop = true;
    pthread_cond_broadcast(&up.wake);
    if (up.running)
        log_event("update_wait", "\"trigger\":\"%s\"", up.trigger);
    while (up.running && now_ns() < deadline_ns) {
        /* the done condition uses the realtime clock: wait in short steps */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&up.done, &up.lock, &ts);
    }
    bool finished = !up.running;
    pthread_mutex_unlock(&up.lock);
    if (finished) {
        pthread_join(up.tid, NULL);
        up.started = false;
    } else {
        log_event("update_abandoned", "\"message\":\"the update is still running at exit; the "
                  "next run completes it\"");
    }
    return finished;
}

int update_request(server *s, const char *trigger, const char *key_id, const char *request_id,
                   bool force)
{
    (void)s;
    if (!up.started)
        return -1;
    pthread_mutex_lock(&up.lock);
    int rc = up.running ? 1 : up.stop ? -1 : 0;
    if (rc == 0) {
        begin_locked(trigger, key_id, request_id, force);
        pthread_cond_broadcast(&up.wake);
    }
    pthread_mutex_unlock(&up.lock);
    return rc;
}

/* Messages may quote what a list server sent: keep them valid UTF-8 for the encoder. */
static json_t *text(const char *s)
{
    size_t bad, n = strlen(s);
    if (utf8_valid(s, n, &bad))
        return json_string(s);
    return json_stringn(s, bad);
}

static json_t *iso_or_null(time_t t)
{
    char b[32];
    if (!t)
        return json_null();
    wall_iso(t, b);
    return json_string(b);
}

json_t *update_status_json(server *s)
{
    pthread_mutex_lock(&up.lock);
    /* The result fields describe the latest run: zeros while it is still running. */
    bool show = up.have_result && !up.running;
    static const cordon_update_report none;
    const cordon_update_report *r = show ? &up.rep : &none;
    time_t next = 0;
    if (up.next_ns && !up.running) {
        uint64_t now = now_ns();
        next = time(NULL) + (time_t)(up.next_ns > now ? (up.next_ns - now) / 1000000000ull : 0);
    }
    json_t *o = json_pack(
        "{s:b, s:o, s:o, s:o, s:b, s:b, s:o, s:s, "
        "s:{s:I, s:I, s:I, s:I}, s:{s:I, s:I, s:I, s:I, s:I, s:f}, s:{s:I, s:I}, "
        "s:b, s:I, s:I, s:o}",
        "running", up.running, "trigger", *up.trigger ? json_string(up.trigger) : json_null(),
        "started_at", iso_or_null(up.started_at), "finished_at", iso_or_null(up.finished_at),
        "changed", r->changed != 0, "refused", r->refused != 0, "reason", text(r->reason), "version",
        r->version, "diff", "added", (json_int_t)r->diff.added, "removed",
        (json_int_t)r->diff.removed, "changed", (json_int_t)r->diff.changed, "unchanged",
        (json_int_t)r->diff.unchanged, "rescreen", "counterparties",
        (json_int_t)r->rescreen.counterparties, "entries", (json_int_t)r->rescreen.entries,
        "hits", (json_int_t)r->rescreen.hits, "new_alerts", (json_int_t)r->rescreen.new_alerts,
        "run", (json_int_t)r->rescreen.run_id, "seconds", r->rescreen.seconds, "webhooks",
        "sent", (json_int_t)r->webhooks_sent, "failed", (json_int_t)r->webhooks_failed,
        "reloaded", show && up.reloaded, "runs", (json_int_t)up.runs, "interval",
        (json_int_t)s->cfg.update_interval, "next_run_at", iso_or_null(next));
    if (o && show) {
        json_object_set_new(o, "ok", json_boolean(up.ok));
        if (!up.ok)
            json_object_set_new(o, "error", text(up.error));
        if (r->changed && !up.reloaded && *up.reload_error)
            json_object_set_new(o, "reload_error", text(up.reload_error));
        json_object_set_new(o, "log", text(r->log));
    }
    pthread_mutex_unlock(&up.lock);
    return o;
}
