/* metrics.c - Prometheus counters (see metrics.h). */
#include "metrics.h"
#include "util/util.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const ep_names[EP_COUNT] = {
    "screen",      "screen_batch",  "lists",           "healthz",
    "readyz",      "metrics",       "admin_reload",    "yente_match",
    "yente_search", "reconcile",    "watchman_search", "watchman_listinfo",
    "goods",       "transactions",  "network",         "counterparties",
    "alerts",      "alert",         "audit",           "updates",
    "admin_update", "admin_rescreen", "other"};

const char *endpoint_name(endpoint_id ep) { return (unsigned)ep < EP_COUNT ? ep_names[ep] : "other"; }

/* The statuses the server answers with; anything else is counted under "other". */
static const unsigned statuses[] = {200, 201, 202, 400, 401, 404, 405, 408, 409,
                                    413, 414, 415, 429, 431, 500, 503};
#define N_STATUS (sizeof statuses / sizeof statuses[0] + 1)

static const char *const error_codes[] = {
    "bad_request",       "unauthorized",  "not_found",        "method_not_allowed",
    "payload_too_large", "uri_too_long",  "header_too_large", "unsupported_media_type",
    "too_many_requests", "unavailable",   "internal",         "timeout",
    "conflict"};
#define N_ERR (sizeof error_codes / sizeof error_codes[0] + 1)

/* Latency buckets in seconds: fine below a millisecond, where screening lives. */
static const double buckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                 0.025,  0.05,    0.1,    0.25,  0.5,    1.0,   2.5, 10.0};
#define N_BUCKET (sizeof buckets / sizeof buckets[0])

static struct {
    atomic_ulong requests[EP_COUNT][N_STATUS];
    atomic_ulong errors[EP_COUNT][N_ERR];
    atomic_ulong hist[EP_COUNT][N_BUCKET + 1];
    atomic_ulong sum_ns[EP_COUNT];
    atomic_ulong reloads[2];
    atomic_long connections;
    atomic_long batches;
    time_t started;
} m;

static size_t status_index(unsigned status)
{
    for (size_t i = 0; i < N_STATUS - 1; i++)
        if (statuses[i] == status)
            return i;
    return N_STATUS - 1;
}

void metrics_request(endpoint_id ep, unsigned status, uint64_t ns)
{
    if ((unsigned)ep >= EP_COUNT)
        ep = EP_OTHER;
    atomic_fetch_add_explicit(&m.requests[ep][status_index(status)], 1, memory_order_relaxed);
    double s = (double)ns / 1e9;
    size_t b = 0;
    while (b < N_BUCKET && s > buckets[b])
        b++;
    atomic_fetch_add_explicit(&m.hist[ep][b], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&m.sum_ns[ep], ns, memory_order_relaxed);
}

void metrics_error(endpoint_id ep, const char *code)
{
    if ((unsigned)ep >= EP_COUNT)
        ep = EP_OTHER;
    size_t i = 0;
    while (i < N_ERR - 1 && strcmp(error_codes[i], code) != 0)
        i++;
    atomic_fetch_add_explicit(&m.errors[ep][i], 1, memory_order_relaxed);
}

void metrics_reload(int ok) { atomic_fetch_add(&m.reloads[ok ? 1 : 0], 1); }
void metrics_start(void) { m.started = time(NULL); }
void metrics_connection(int delta) { atomic_fetch_add(&m.connections, delta); }
long metrics_connections(void) { return atomic_load(&m.connections); }
void metrics_batch(int delta) { atomic_fetch_add(&m.batches, delta); }
long metrics_batches(void) { return atomic_load(&m.batches); }

static void render_requests(buf *b)
{
    buf_puts(b, "# HELP cordon_http_requests_total HTTP requests answered, by endpoint and "
                "status.\n# TYPE cordon_http_requests_total counter\n");
    for (int e = 0; e < EP_COUNT; e++)
        for (size_t s = 0; s < N_STATUS; s++) {
            unsigned long n = atomic_load_explicit(&m.requests[e][s], memory_order_relaxed);
            if (!n)
                continue;
            char code[16];
            if (s < N_STATUS - 1)
                snprintf(code, sizeof code, "%u", statuses[s]);
            else
                snprintf(code, sizeof code, "other");
            buf_printf(b, "cordon_http_requests_total{endpoint=\"%s\",status=\"%s\"} %lu\n",
                       ep_names[e], code, n);
        }
    buf_puts(b, "# HELP cordon_http_errors_total Error answers, by endpoint and error code.\n"
                "# TYPE cordon_http_errors_total counter\n");
    for (int e = 0; e < EP_COUNT; e++)
        for (size_t i = 0; i < N_ERR; i++) {
            unsigned long n = atomic_load_explicit(&m.errors[e][i], memory_order_relaxed);
            if (n)
                buf_printf(b, "cordon_http_errors_total{endpoint=\"%s\",code=\"%s\"} %lu\n",
                           ep_names[e], i < N_ERR - 1 ? error_codes[i] : "other", n);
        }
}

static void render_latency(buf *b)
{
    buf_puts(b, "# HELP cordon_http_request_duration_seconds Time from request headers to the "
                "response queued.\n# TYPE cordon_http_request_duration_seconds histogram\n");
    for (int e = 0; e < EP_COUNT; e++) {
        unsigned long cum = 0, counts[N_BUCKET + 1];
        for (size_t i = 0; i <= N_BUCKET; i++)
            counts[i] = atomic_load_explicit(&m.hist[e][i], memory_order_relaxed);
        unsigned long total = 0;
        for (size_t i = 0; i <= N_BUCKET; i++)
            total += counts[i];
        if (!total)
            continue;
        for (size_t i = 0; i < N_BUCKET; i++) {
            cum += counts[i];
            buf_printf(b, "cordon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"%g\"} "
                          "%lu\n", ep_names[e], buckets[i], cum);
        }
        buf_printf(b, "cordon_http_request_duration_seconds_bucket{endpoint=\"%s\",le=\"+Inf\"} "
                      "%lu\n", ep_names[e], total);
        buf_printf(b, "cordon_http_request_duration_seconds_sum{endpoint=\"%s\"} %.6f\n",
                   ep_names[e], (double)atomic_load(&m.sum_ns[e]) / 1e9);
        buf_printf(b, "cordon_http_request_duration_seconds_count{endpoint=\"%s\"} %lu\n",
                   ep_names[e], total);
    }
}

static void render_snapshot(buf *b, const engine_ref *r)
{
    time_t now = time(NULL);
    if (r) {
        cordon_snapshot_info info;
        cordon_engine_info(r->engine, &info);
        buf_printf(b, "# HELP cordon_snapshot_age_seconds Seconds since the loaded snapshot was "
                      "built.\n# TYPE cordon_snapshot_age_seconds gauge\n"
                      "cordon_snapshot_age_seconds %lld\n",
                   (long long)(r->built_at ? now - r->built_at : 0));
        buf_printf(b, "# HELP cordon_snapshot_loaded_timestamp_seconds When this server loaded "
                      "the snapshot.\n# TYPE cordon_snapshot_loaded_timestamp_seconds gauge\n"
                      "cordon_snapshot_loaded_timestamp_seconds %lld\n",
                   (long long)r->loaded_at);
        buf_printf(b, "# HELP cordon_snapshot_entities Entities in the loaded snapshot.\n"
                      "# TYPE cordon_snapshot_entities gauge\ncordon_snapshot_entities %u\n",
                   info.entities);
        buf_printf(b, "# HELP cordon_snapshot_generation Loads since start (1 = first).\n"
                      "# TYPE cordon_snapshot_generation gauge\ncordon_snapshot_generation %llu\n",
                   (unsigned long long)r->generation);
        buf_printf(b, "cordon_snapshot_info{sha256=\"%s\",built_at=\"%s\"} 1\n", info.checksum,
                   info.built_at);
    }
    buf_printf(b, "# HELP cordon_snapshot_reloads_total Snapshot reloads, by result.\n"
                  "# TYPE cordon_snapshot_reloads_total counter\n"
                  "cordon_snapshot_reloads_total{result=\"ok\"} %lu\n"
                  "cordon_snapshot_reloads_total{result=\"failed\"} %lu\n",
               atomic_load(&m.reloads[1]), atomic_load(&m.reloads[0]));
    buf_printf(b, "# HELP cordon_engines_open Snapshots mapped: the current one plus old ones "
                  "that requests still use.\n# TYPE cordon_engines_open gauge\n"
                  "cordon_engines_open %ld\n", holder_open_engines());
}

char *metrics_render(const engine_ref *r, size_t *len)
{
    buf b = {0};
    render_requests(&b);
    render_latency(&b);
    render_snapshot(&b, r);
    buf_printf(&b, "# HELP cordon_http_connections Open client connections.\n"
                   "# TYPE cordon_http_connections gauge\ncordon_http_connections %ld\n",
               metrics_connections());
    buf_printf(&b, "# HELP cordon_batches_running Batch screenings in progress.\n"
                   "# TYPE cordon_batches_running gauge\ncordon_batches_running %ld\n",
               metrics_batches());
    buf_printf(&b, "# HELP cordon_build_info Version of this server.\n"
                   "# TYPE cordon_build_info gauge\ncordon_build_info{version=\"%s\"} 1\n",
               CORDON_VERSION);
    buf_printf(&b, "# HELP cordon_start_time_seconds When the server started.\n"
                   "# TYPE cordon_start_time_seconds gauge\ncordon_start_time_seconds %lld\n",
               (long long)m.started);
    if (!b.data)
        return NULL;
    *len = b.len;
    return b.data;
}
