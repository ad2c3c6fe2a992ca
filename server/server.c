/* server.c - `cordon serve`: the HTTP front end on libmicrohttpd. This file owns the daemon,
 * the command line, signals, routing, limits, authentication and the access log; the handlers
 * in handlers.c, batch.c and compat.c only read a request and fill its reply. */
#include "server.h"
#include "internal.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

/* ---------------------------------------------------------------------------------------- */
/* Replies                                                                                   */

void reply_json(request *q, unsigned status, char *body)
{
    free(q->rep.body);
    q->rep.status = status;
    q->rep.body = body;
    q->rep.len = body ? strlen(body) : 0;
    q->rep.ctype = "application/json";
    q->replied = true;
    if (!body) { /* the renderer ran out of memory */
        q->rep.status = 500;
        q->rep.err_code = "internal";
    }
}

void reply_obj(request *q, unsigned status, json_t *o)
{
    char *s = o ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(o);
    reply_json(q, status, s);
}

void reply_text(request *q, unsigned status, const char *ctype, char *body, size_t len)
{
    free(q->rep.body);
    q->rep.status = status;
    q->rep.body = body;
    q->rep.len = len;
    q->rep.ctype = ctype;
    q->replied = true;
}

void reply_error(request *q, unsigned status, const char *code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* Messages may quote client input: make sure the JSON encoder gets valid UTF-8. */
    size_t bad;
    if (!utf8_valid(msg, strlen(msg), &bad))
        msg[bad] = 0;
    json_t *o = json_pack("{s:{s:s, s:s, s:i, s:s}}", "error", "code", code, "message", msg,
                          "status", (json_int_t)status, "request_id", q->id);
    reply_obj(q, status, o);
    q->rep.err_code = code;
    metrics_error(q->ep, code);
}

const char *req_arg(const request *q, const char *key)
{
    for (size_t i = 0; i < q->n_args; i++)
        if (strcmp(q->args[i].key, key) == 0)
            return q->args[i].value ? q->args[i].value : "";
    return NULL;
}

int req_args_to_sreq(const request *q, screen_req *sr, const char *const *skip, char *msg,
                     size_t cap)
{
    for (size_t i = 0; i < q->n_args; i++) {
        bool skipped = false;
        for (size_t k = 0; skip && skip[k] && !skipped; k++)
            skipped = strcmp(skip[k], q->args[i].key) == 0;
        if (!skipped && sreq_set(sr, q->args[i].key, q->args[i].value, msg, cap))
            return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Shared helpers                                                                            */

static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void arena_destroy(void *a) { cordon_arena_free(a); }
static void arena_key_init(void) { pthread_key_create(&arena_key, arena_destroy); }

cordon_arena *thread_arena(void)
{
    pthread_once(&arena_once, arena_key_init);
    cordon_arena *a = pthread_getspecific(arena_key);
    if (!a) {
        a = cordon_arena_new();
        if (a)
            pthread_setspecific(arena_key, a);
    }
    return a;
}

int check_sources(const cordon_engine *e, const cordon_query *q, char *msg, size_t cap)
{
    for (size_t i = 0; i < q->n_sources; i++) {
        bool known = false;
        for (size_t k = 0; k < cordon_engine_source_count(e) && !known; k++) {
            cordon_source_info si;
            known = cordon_engine_source(e, k, &si) == CORDON_OK &&
                    strcmp(si.name, q->sources[i]) == 0;
        }
        if (!known) {
            snprintf(msg, cap, "sources: no list named '%.64s' (see GET /v1/lists)",
                     q->sources[i]);
            return -1;
        }
    }
    return 0;
}

/* One log line in one write(2), so that lines from several threads never interleave. A log
 * that cannot be written must not stop the server: the error is dropped. */
static void write_line(int fd, const char *line, int n, size_t cap)
{
    if (n <= 0)
        return;
    size_t len = (size_t)n < cap ? (size_t)n : cap - 1;
    ssize_t w = write(fd, line, len);
    (void)w;
}

/* Events (start, reload, shutdown) go to stderr as JSON lines, like the access log. */
void log_event(const char *event, const char *fmt, ...)
{
    char detail[1200], line[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    time_t now = time(NULL);
    struct tm tm;
    char ts[32];
    gmtime_r(&now, &tm);
    strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    int n = snprintf(line, sizeof line, "{\"time\":\"%s\",\"event\":\"%s\"%s%s}\n", ts, event,
                     *detail ? "," : "", detail);
    write_line(2, line, n, sizeof line);
}

/* A JSON string body for the log: escapes quotes, backslashes and control bytes. */
static size_t json_escape(char *out, size_t cap, const char *s)
{
    size_t o = 0;
    for (; s && *s && o + 7 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            out[o++] = '\\';
            out[o++] = (char)c;
        } else if (c < 0x20 || c >= 0x7f) {
            o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = 0;
    return o;
}

static int reload_keys(server *s, char *msg, size_t cap)
{
    cordon_error err = {0};
    apikey_store *k = apikeys_load(s->cfg.keys_path, &err);
    if (!k) {
        snprintf(msg, cap, "keys: %s (the previous keys stay in force)", err.message);
        return -1;
    }
    if (s->public_bind && !s->cfg.insecure && apikeys_count(k) == 0) {
        apikeys_free(k);
        snprintf(msg, cap, "keys: %s has no keys; refusing to drop authentication on a public "
                 "address (the previous keys stay in force)", s->cfg.keys_path);
        return -1;
    }
    pthread_rwlock_wrlock(&s->keys_lock);
    apikey_store *old = s->keys;
    s->keys = k;
    pthread_rwlock_unlock(&s->keys_lock);
    apikeys_free(old);
    return 0;
}

int server_reload(server *s, char *msg, size_t cap)
{
    pthread_mutex_lock(&s->reload_lock);
    cordon_error err = {0};
    int rc = 0;
    if (holder_load(&s->holder, s->cfg.snapshot, &err) != CORDON_OK) {
        snprintf(msg, cap, "snapshot: %s (the previous snapshot stays loaded)", err.message);
        rc = -1;
    }
    char kmsg[1024] = "";
    if (reload_keys(s, kmsg, sizeof kmsg)) {
        if (rc == 0)
            snprintf(msg, cap, "%s", kmsg);
        rc = -1;
    }
    pthread_mutex_unlock(&s->reload_lock);
    metrics_reload(rc == 0);
    char esc[1100];
    json_escape(esc, sizeof esc, rc ? msg : "");
    log_event("reload", "\"ok\":%s,\"message\":\"%s\"", rc ? "false" : "true", esc);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Routing                                                                                   */

enum { BODY_NONE, BODY_SMALL, BODY_BATCH };

typedef struct route {
    const char *path;
    unsigned char prefix; /* 1: path is a prefix and the rest is a parameter; 2: the rest
                           * may hold more path segments, parsed by the handler */
    endpoint_id ep;
    unsigned methods;
    void (*fn)(server *, request *);
    bool open; /* answered without an API key */
    const char *allow;
} route;

static const route routes[] = {
    {"/v1/screen", false, EP_SCREEN, M_GET | M_HEAD | M_POST, h_screen, false, "GET, HEAD, POST"},
    {"/v1/screen/batch", false, EP_BATCH, M_POST, h_batch, false, "POST"},
    {"/v1/lists", false, EP_LISTS, M_GET | M_HEAD, h_lists, false, "GET, HEAD"},
    {"/healthz", false, EP_HEALTHZ, M_GET | M_HEAD, h_healthz, true, "GET, HEAD"},
    {"/readyz", false, EP_READYZ, M_GET | M_HEAD, h_readyz, true, "GET, HEAD"},
    {"/metrics", false, EP_METRICS, M_GET | M_HEAD, h_metrics, false, "GET, HEAD"},
    {"/v1/admin/reload", false, EP_RELOAD, M_POST, h_reload, false, "POST"},
    /* The case store (store_api.c) and list updates (scheduler.c). */
    {"/v1/counterparties", false, EP_COUNTERPARTIES, M_GET | M_HEAD | M_POST, h_counterparties,
     false, "GET, HEAD, POST"},
    {"/v1/alerts", false, EP_ALERTS, M_GET | M_HEAD, h_alerts, false, "GET, HEAD"},
    {"/v1/alerts/", 2, EP_ALERT, M_GET | M_HEAD | M_POST, h_alert, false, "GET, HEAD, POST"},
    {"/v1/audit", false, EP_AUDIT, M_GET | M_HEAD, h_audit, false, "GET, HEAD"},
    {"/v1/updates", false, EP_UPDATES, M_GET | M_HEAD, h_updates, false, "GET, HEAD"},
    {"/v1/admin/update", false, EP_ADMIN_UPDATE, M_GET | M_HEAD | M_POST, h_admin_update, false,
     "GET, HEAD, POST"},
    {"/v1/admin/rescreen", false, EP_ADMIN_RESCREEN, M_POST, h_admin_rescreen, false, "POST"},
    {"/match/", true, EP_YENTE_MATCH, M_POST, h_yente_match, false, "POST"},
    {"/search/", true, EP_YENTE_SEARCH, M_GET | M_HEAD, h_yente_search, false, "GET, HEAD"},
    {"/reconcile", false, EP_RECONCILE, M_GET | M_HEAD | M_POST, h_reconcile, false,
     "GET, HEAD, POST"},
    {"/reconcile/", true, EP_RECONCILE, M_GET | M_HEAD | M_POST, h_reconcile, false,
     "GET, HEAD, POST"},
    {"/v2/search", false, EP_WATCHMAN_SEARCH, M_GET | M_HEAD, h_watchman_search, false,
     "GET, HEAD"},
    {"/v2/listinfo", false, EP_WATCHMAN_LISTINFO, M_GET | M_HEAD, h_watchman_listinfo, false,
     "GET, HEAD"},
    {"/v1/goods", false, EP_GOODS, M_POST, h_goods, false, "POST"},
    {"/v1/transactions", false, EP_TRANSACTIONS, M_POST, h_transactions, false, "POST"},
    {"/v1/network", false, EP_NETWORK, M_POST, h_network, false, "POST"},
    /* The web UI (static.c): open, since the pages hold no data and the API needs the key. */
    {"/", false, EP_OTHER, M_GET | M_HEAD, h_static, true, "GET, HEAD"},
    {"/ui", false, EP_OTHER, M_GET | M_HEAD, h_static, true, "GET, HEAD"},
    {"/ui/", false, EP_OTHER, M_GET | M_HEAD, h_static, true, "GET, HEAD"},
    {"/ui/", true, EP_OTHER, M_GET | M_HEAD, h_static, true, "GET, HEAD"},
};

static const route *find_route(const char *url, const char **tail)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        const route *r = &routes[i];
        size_t n = strlen(r->path);
        if (r->prefix && strncmp(url, r->path, n) == 0 && url[n] &&
            (r->prefix == 2 || !strchr(url + n, '/'))) {
            *tail = url + n;
            return r;
        }
        if (!r->prefix && strcmp(url, r->path) == 0) {
            *tail = NULL;
            return r;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* Connections: per-client counting for the per-IP limit                                     */

#define IP_SLOTS 4096
static atomic_int ip_count[IP_SLOTS];

/* Client addresses hash into a fixed table; two clients sharing a slot share a budget,
 * which only makes the limit stricter for them. */
static size_t ip_slot(const struct sockaddr *sa)
{
    if (!sa)
        return 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        return (size_t)(hash_bytes(&in->sin_addr, sizeof in->sin_addr) % IP_SLOTS);
    }
    if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
        return (size_t)(hash_bytes(&in6->sin6_addr, sizeof in6->sin6_addr) % IP_SLOTS);
    }
    return 0;
}

static const struct sockaddr *client_addr(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    return ci ? ci->client_addr : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode toe)
{
    (void)cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        size_t slot = ip_slot(client_addr(c));
        atomic_fetch_add(&ip_count[slot], 1);
        *socket_ctx = (void *)(uintptr_t)(slot + 1);
        metrics_connection(1);
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED && *socket_ctx) {
        atomic_fetch_sub(&ip_count[(uintptr_t)*socket_ctx - 1], 1);
        metrics_connection(-1);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Request life cycle                                                                        */

static bool safe_request_id(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 64)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("-_.:", s[i]))
            return false;
    return true;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    request *q = cls;
    if (q->n_args >= MAX_ARGS) {
        q->n_args = MAX_ARGS + 1; /* marks "too many" */
        return MHD_NO;
    }
    q->args[q->n_args].key = key;
    q->args[q->n_args].value = value;
    q->n_args++;
    return MHD_YES;
}

typedef struct size_acc {
    size_t total;
} size_acc;

static enum MHD_Result add_size(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    size_acc *a = cls;
    a->total += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

static http_method method_of(const char *m)
{
    if (strcmp(m, "GET") == 0)
        return M_GET;
    if (strcmp(m, "HEAD") == 0)
        return M_HEAD;
    if (strcmp(m, "POST") == 0)
        return M_POST;
    return M_OTHER;
}

static request *request_new(server *s, struct MHD_Connection *c, const char *url,
                            const char *method)
{
    request *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    q->srv = s;
    q->conn = c;
    q->t0 = now_ns();
    q->url = url;
    q->batch_fd = -1;
    q->rep.fd = -1;
    q->ep = EP_OTHER;
    q->method = method_of(method);
    snprintf(q->method_s, sizeof q->method_s, "%s", method);
    snprintf(q->path, sizeof q->path, "%s", url);
    const char *rid = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Request-ID");
    if (safe_request_id(rid))
        snprintf(q->id, sizeof q->id, "%s", rid);
    else
        snprintf(q->id, sizeof q->id, "%08x%08lx", s->id_seed,
                 (unsigned long)atomic_fetch_add(&s->id_counter, 1));
    const struct sockaddr *sa = client_addr(c);
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, q->client, sizeof q->client);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, q->client,
                  sizeof q->client);
    atomic_fetch_add(&s->in_flight, 1);
    return q;
}

/* Authorization: Bearer KEY, checked when keys are configured. */
static bool authorized(server *s, request *q)
{
    pthread_rwlock_rdlock(&s->keys_lock);
    bool ok = apikeys_count(s->keys) == 0;
    if (!ok) {
        const char *h = MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, "Authorization");
        const char *id = h && strncasecmp(h, "Bearer ", 7) == 0 ? apikeys_check(s->keys, h + 7)
                                                               : NULL;
        if (id) /* copied: the store may be swapped by a reload once the lock is released */
            snprintf(q->key_id, sizeof q->key_id, "%s", id);
        ok = id != NULL;
    }
    pthread_rwlock_unlock(&s->keys_lock);
    return ok;
}

/* Connection limits: per client address (429) and in total (503). */
static bool refuse_overload(server *s, request *q)
{
    const serve_config *cfg = &s->cfg;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(q->conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    uintptr_t slot = ci ? (uintptr_t)ci->socket_context : 0;
    if (slot && (unsigned)atomic_load(&ip_count[slot - 1]) > cfg->max_per_ip)
        reply_error(q, 429, "too_many_requests", "more than %u connections from this client",
                    cfg->max_per_ip);
    else if ((unsigned long)metrics_connections() > cfg->max_conn)
        reply_error(q, 503, "unavailable", "server busy: more than %u connections",
                    cfg->max_conn);
    else
        return false;
    q->rep.close = true;
    return true;
}

/* Header size (431), URL length and parameter count (414); collects the parameters. */
static bool refuse_size(server *s, request *q)
{
    const serve_config *cfg = &s->cfg;
    size_acc hs = {0}, qs = {strlen(q->url)};
    MHD_get_connection_values(q->conn, MHD_HEADER_KIND, add_size, &hs);
    MHD_get_connection_values(q->conn, MHD_GET_ARGUMENT_KIND, add_size, &qs);
    if (hs.total > cfg->max_header) {
        reply_error(q, 431, "header_too_large", "request headers exceed %zu bytes",
                    cfg->max_header);
        q->rep.close = true;
        return true;
    }
    if (qs.total > cfg->max_url) {
        reply_error(q, 414, "uri_too_long", "URL and query string exceed %zu bytes",
                    cfg->max_url);
        return true;
    }
    MHD_get_connection_values(q->conn, MHD_GET_ARGUMENT_KIND, collect_arg, q);
    if (q->n_args > MAX_ARGS) {
        reply_error(q, 414, "uri_too_long", "more than %d query parameters", MAX_ARGS);
        return true;
    }
    return false;
}

/* Path (404), method (405) and key (401). */
static bool refuse_route(server *s, request *q, const route *r)
{
    if (!r) {
        reply_error(q, 404, "not_found", "no endpoint %.128s (see docs/api.yaml)", q->url);
    } else if (!(r->methods & q->method)) {
        reply_error(q, 405, "method_not_allowed", "%s is not allowed on %.128s; use %s",
                    q->method_s, q->url, r->allow);
        q->rep.allow = r->allow;
    } else if (!r->open && !authorized(s, q)) {
        reply_error(q, 401, "unauthorized", "a valid API key is required: send "
                    "'Authorization: Bearer KEY' (see `cordon apikey add`)");
    } else {
        return false;
    }
    return true;
}

/* A declared body over the limit is refused before it is read. */
static void expect_body(server *s, request *q)
{
    bool batch = q->ep == EP_BATCH, import = q->ep == EP_COUNTERPARTIES;
    /* A network analysis reads many transactions at once, an import many counterparties: they
     * get the batch limit. */
    q->body_limit = batch || import || q->ep == EP_NETWORK ? s->cfg.max_batch_body
                                                            : s->cfg.max_body;
    const char *cl = MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, "Content-Length");
    size_t declared;
    if (cl && parse_size(cl, 0, SIZE_MAX, &declared) && declared > q->body_limit) {
        reply_error(q, 413, "payload_too_large", "body of %zu bytes exceeds the limit of %zu "
                    "bytes", declared, q->body_limit);
        q->rep.close = true;
    } else if (batch) {
        h_batch_begin(s, q);
    } else if (import) {
        import_begin(s, q);
    }
}

/* Checks that need only the headers; may answer the request at once. */
static void request_begin(server *s, request *q)
{
    const char *tail = NULL;
    const route *r = find_route(q->url, &tail);
    q->ep = r ? r->ep : EP_OTHER;
    q->tail = tail;
    if (refuse_overload(s, q) || refuse_size(s, q) || refuse_route(s, q, r))
        return;
    q->content_type = MHD_lookup_connection_value(q->conn, MHD_HEADER_KIND, "Content-Type");
    q->finish = r->fn;
    if (q->method == M_POST)
        expect_body(s, q);
}

static void consume_body(server *s, request *q, const char *data, size_t n)
{
    q->body_seen += n;
    if (q->replied || q->too_large)
        return; /* already answered (or refused): drain the rest */
    if (q->body_seen > q->body_limit) {
        q->too_large = true;
        buf_free(&q->body);
        return;
    }
    if (q->ep == EP_BATCH) {
        batch_consume(s, q, data, n);
        return;
    }
    if (q->ep == EP_COUNTERPARTIES) { /* an import: to its temporary file */
        import_consume(s, q, data, n);
        return;
    }
    if (!buf_append(&q->body, data, n)) {
        reply_error(q, 500, "internal", "out of memory reading the body");
        return;
    }
}

static void add_header(struct MHD_Response *resp, const char *k, const char *v)
{
    if (MHD_add_response_header(resp, k, v) != MHD_YES)
        return;
}

static enum MHD_Result send_reply(server *s, request *q)
{
    reply *rp = &q->rep;
    struct MHD_Response *resp;
    if (rp->fd >= 0) {
        resp = MHD_create_response_from_fd((uint64_t)rp->len, rp->fd);
        if (resp)
            rp->fd = -1; /* the library closes it */
    } else {
        resp = MHD_create_response_from_buffer(rp->len, rp->body ? rp->body : (char *)"",
                                               rp->body ? MHD_RESPMEM_MUST_FREE
                                                        : MHD_RESPMEM_PERSISTENT);
        if (resp)
            rp->body = NULL;
    }
    if (!resp)
        return MHD_NO;
    add_header(resp, "Content-Type", rp->ctype ? rp->ctype : "application/json");
    add_header(resp, "X-Request-ID", q->id);
    add_header(resp, "Cache-Control", rp->cache ? rp->cache : "no-store");
    if (rp->csp)
        add_header(resp, "Content-Security-Policy", rp->csp);
    add_header(resp, "X-Content-Type-Options", "nosniff");
    if (rp->allow)
        add_header(resp, "Allow", rp->allow);
    if (*rp->batch_info)
        add_header(resp, "X-Cordon-Batch", rp->batch_info);
    if (rp->close || atomic_load(&s->draining))
        add_header(resp, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(q->conn, rp->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    server *s = cls;
    request *q = *con_cls;
    if (!q) {
        q = request_new(s, c, url, method);
        if (!q)
            return MHD_NO;
        *con_cls = q;
        request_begin(s, q);
        /* Answering before the request is fully read makes the library close the connection:
         * do it only to refuse a body, and otherwise answer on the next call. */
        if (q->replied && (q->method == M_POST || q->rep.close))
            return send_reply(s, q);
        return MHD_YES;
    }
    if (q->suspended) { /* resumed after a batch */
        q->suspended = false;
        return send_reply(s, q);
    }
    if (*upload_size) {
        if (now_ns() - q->t0 > (uint64_t)s->cfg.body_timeout * 1000000000ull) {
            q->rep.status = 408;
            metrics_error(q->ep, "timeout");
            return MHD_NO; /* a body this slow is an attack or a dead client: drop it */
        }
        consume_body(s, q, upload, *upload_size);
        *upload_size = 0;
        return MHD_YES;
    }
    if (!q->replied && q->too_large) {
        reply_error(q, 413, "payload_too_large", "body exceeds the limit of %zu bytes",
                    q->body_limit);
        q->rep.close = true;
    }
    if (!q->replied)
        q->finish(s, q);
    if (q->suspended)
        return MHD_YES;
    return send_reply(s, q);
}

static void access_log(server *s, request *q)
{
    if (s->log_fd < 0)
        return;
    char line[1024], path[512], ts[40];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    size_t tl = strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + tl, sizeof ts - tl, ".%03ldZ", now.tv_nsec / 1000000);
    json_escape(path, sizeof path, q->path);
    double ms = (double)(now_ns() - q->t0) / 1e6;
    int n = snprintf(line, sizeof line,
                     "{\"time\":\"%s\",\"request_id\":\"%s\",\"client\":\"%s\",\"method\":\"%s\","
                     "\"path\":\"%s\",\"endpoint\":\"%s\",\"status\":%u,\"bytes\":%zu,"
                     "\"duration_ms\":%.3f%s%s%s%s%s%s}\n",
                     ts, q->id, q->client, q->method_s, path, endpoint_name(q->ep), q->rep.status,
                     q->rep.len, ms, *q->key_id ? ",\"key\":\"" : "", q->key_id,
                     *q->key_id ? "\"" : "", q->rep.err_code ? ",\"error\":\"" : "",
                     q->rep.err_code ? q->rep.err_code : "", q->rep.err_code ? "\"" : "");
    write_line(s->log_fd, line, n, sizeof line);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    server *s = cls;
    request *q = *con_cls;
    if (!q)
        return;
    *con_cls = NULL;
    if (toe != MHD_REQUEST_TERMINATED_COMPLETED_OK && q->rep.status < 400)
        q->rep.status = 499; /* the client went away before the answer was sent */
    metrics_request(q->ep, q->rep.status, now_ns() - q->t0);
    access_log(s, q);
    batch_cleanup(q);
    store_request_cleanup(q);
    buf_free(&q->body);
    free(q->rep.body);
    if (q->rep.fd >= 0)
        close(q->rep.fd);
    atomic_fetch_sub(&s->in_flight, 1);
    free(q);
}

/* ---------------------------------------------------------------------------------------- */
/* Command line                                                                              */

static const char serve_usage[] =
    "usage: cordon serve [options]\n"
    "  --listen HOST:PORT     address to bind (default 127.0.0.1:8080; port 0 picks a free one)\n"
    "  --snapshot FILE        snapshot to serve (default: as `cordon screen`)\n"
    "  --threads N            worker threads (default: number of CPUs)\n"
    "  --keys FILE            API key file (default data/apikeys; see `cordon apikey`)\n"
    "  --insecure             allow a non-loopback address without API keys\n"
    "  --max-body BYTES       JSON/form body limit (default 1048576)\n"
    "  --max-batch-body BYTES batch body limit (default 67108864)\n"
    "  --max-batch-rows N     batch line limit (default 100000)\n"
    "  --max-batches N        batch screenings at once (default 2)\n"
    "  --max-header BYTES     request header limit (default 8192)\n"
    "  --max-url BYTES        path + query string limit (default 4096)\n"
    "  --timeout SECONDS      idle connection timeout (default 15)\n"
    "  --body-timeout SECONDS time allowed to send a request body (default 60)\n"
    "  --max-connections N    open connections (default 1024)\n"
    "  --max-per-ip N         open connections per client address (default 128)\n"
    "  --grace SECONDS        time to finish requests on SIGTERM (default 10)\n"
    "  --access-log FILE|-    JSON access log (default - : stderr)\n"
    "  --quiet                no access log\n"
    "  --port-file FILE       write the bound port here once listening\n"
    "  --store CONN           case store for /v1/counterparties, /v1/alerts... (default: as\n"
    "                         `cordon alerts`; opened on first use, 503 while unusable)\n"
    "  --update-interval SECONDS  run `cordon update` every SECONDS (default 0: only on\n"
    "                         POST /v1/admin/update)\n"
    "  --update-config FILE   list sources for the update (default data/update.conf)\n"
    "  --rescreen-threads N   threads of the server's re-screens and updates (default 1)\n"
    "  --web DIR              the web UI's built files (default web/dist beside data/)\n"
    "signals: SIGTERM/SIGINT drain and stop; SIGHUP reloads the snapshot and the key file\n";

static int opt_value(int argc, char **argv, int *i, const char *name, const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != 0)
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *out = argv[++*i];
    return 1;
}

static bool parse_listen(const char *v, serve_config *c)
{
    const char *colon = strrchr(v, ':');
    if (!colon || !colon[1] || strlen(colon + 1) >= sizeof c->port)
        return false;
    size_t hl = (size_t)(colon - v);
    if (hl >= 2 && v[0] == '[' && v[hl - 1] == ']') { /* [::1]:8080 */
        v++;
        hl -= 2;
    }
    if (hl >= sizeof c->host)
        return false;
    memcpy(c->host, v, hl);
    c->host[hl] = 0;
    if (!*c->host)
        snprintf(c->host, sizeof c->host, "127.0.0.1");
    snprintf(c->port, sizeof c->port, "%s", colon + 1);
    size_t p;
    return parse_size(c->port, 0, 65535, &p);
}

static void config_defaults(serve_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->host, sizeof c->host, "127.0.0.1");
    snprintf(c->port, sizeof c->port, "8080");
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    c->threads = ncpu > 0 ? (unsigned)ncpu : 2;
    c->max_body = 1u << 20;
    c->max_batch_body = 64u << 20;
    c->max_batch_rows = 100000;
    c->max_header = 8192;
    c->max_url = 4096;
    c->timeout = 15;
    c->body_timeout = 60;
    c->max_conn = 1024;
    c->max_per_ip = 128;
    c->max_batches = 2;
    c->grace = 10;
    c->rescreen_threads = 1; /* re-screens share the machine with screening requests */
    snprintf(c->access_log, sizeof c->access_log, "-");
}

typedef struct num_opt {
    const char *name;
    size_t lo, hi;
    size_t *sz;
    unsigned *u;
} num_opt;

/* Numeric options: 1 if argv[*i] was one, 0 if not, 2 on a bad value, -1 if missing. */
static int number_option(int argc, char **argv, int *i, serve_config *c)
{
    const num_opt nums[] = {
        {"--threads", 1, 256, NULL, &c->threads},
        {"--max-body", 64, (size_t)1 << 30, &c->max_body, NULL},
        {"--max-batch-body", 64, (size_t)16 << 30, &c->max_batch_body, NULL},
        {"--max-batch-rows", 1, 100000000, &c->max_batch_rows, NULL},
        {"--max-batches", 1, 64, NULL, &c->max_batches},
        {"--max-header", 256, 1 << 20, &c->max_header, NULL},
        {"--max-url", 64, 1 << 20, &c->max_url, NULL},
        {"--timeout", 1, 3600, NULL, &c->timeout},
        {"--body-timeout", 1, 86400, NULL, &c->body_timeout},
        {"--max-connections", 1, 1000000, NULL, &c->max_conn},
        {"--max-per-ip", 1, 1000000, NULL, &c->max_per_ip},
        {"--grace", 0, 3600, NULL, &c->grace},
        {"--update-interval", 0, 31 * 86400, NULL, &c->update_interval},
        {"--rescreen-threads", 1, 64, NULL, &c->rescreen_threads},
    };
    for (size_t k = 0; k < sizeof nums / sizeof nums[0]; k++) {
        const char *v = NULL;
        size_t n;
        int got = opt_value(argc, argv, i, nums[k].name, &v);
        if (got <= 0) {
            if (got < 0)
                return -1;
            continue;
        }
        if (!parse_size(v, nums[k].lo, nums[k].hi, &n)) {
            fprintf(stderr, "cordon: %s: a whole number from %zu to %zu\n", nums[k].name,
                    nums[k].lo, nums[k].hi);
            return 2;
        }
        if (nums[k].sz)
            *nums[k].sz = n;
        else
            *nums[k].u = (unsigned)n;
        return 1;
    }
    return 0;
}

/* Text options, same return values. */
static int text_option(int argc, char **argv, int *i, serve_config *c)
{
    const struct {
        const char *name;
        char *dst;
        size_t cap;
    } texts[] = {{"--snapshot", c->snapshot, sizeof c->snapshot},
                 {"--keys", c->keys_path, sizeof c->keys_path},
                 {"--access-log", c->access_log, sizeof c->access_log},
                 {"--port-file", c->port_file, sizeof c->port_file},
                 {"--store", c->store, sizeof c->store},
                 {"--update-config", c->update_config, sizeof c->update_config},
                 {"--web", c->web_dir, sizeof c->web_dir}};
    const char *v = NULL;
    int got = opt_value(argc, argv, i, "--listen", &v);
    if (got == 1 && !parse_listen(v, c)) {
        fprintf(stderr, "cordon: --listen: use HOST:PORT, e.g. 127.0.0.1:8080\n");
        return 2;
    }
    for (size_t k = 0; k < sizeof texts / sizeof texts[0] && got == 0; k++)
        if ((got = opt_value(argc, argv, i, texts[k].name, &v)) == 1)
            snprintf(texts[k].dst, texts[k].cap, "%s", v);
    return got;
}

static int parse_args(int argc, char **argv, serve_config *c)
{
    for (int i = 1; i < argc; i++) {
        int got = number_option(argc, argv, &i, c);
        if (got == 0)
            got = text_option(argc, argv, &i, c);
        if (got < 0)
            fprintf(stderr, "cordon: %s needs a value\n", argv[i]);
        if (got < 0 || got == 2)
            return 2;
        if (got)
            continue;
        if (strcmp(argv[i], "--insecure") == 0) {
            c->insecure = true;
        } else if (strcmp(argv[i], "--quiet") == 0) {
            c->quiet = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(serve_usage, stdout);
            return -1;
        } else {
            fprintf(stderr, "cordon: serve: unknown option '%s'\n%s", argv[i], serve_usage);
            return 2;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Listening socket and daemon                                                               */

static bool is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
    }
    return false;
}

/* Binds HOST:PORT; returns the socket, sets *loopback and the bound port. */
static int open_listener(server *s, bool *loopback, int *family, unsigned *port)
{
    struct addrinfo hints, *res = NULL;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    int rc = getaddrinfo(s->cfg.host, s->cfg.port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "cordon: --listen %s: %s\n", s->cfg.host, gai_strerror(rc));
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
        fprintf(stderr, "cordon: cannot listen on %s:%s: %s\n", s->cfg.host, s->cfg.port,
                strerror(errno));
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    *loopback = is_loopback(res->ai_addr);
    *family = res->ai_family;
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512], esc[600];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
        msg[--n] = 0;
    json_escape(esc, sizeof esc, msg);
    char line[700];
    int k = snprintf(line, sizeof line, "{\"event\":\"http\",\"message\":\"%s\"}\n", esc);
    write_line(2, line, k, sizeof line);
}

/* libmicrohttpd's last word before it aborts, as a log event, so that the cause is on record. */
static _Noreturn void mhd_panic(void *cls, const char *file, unsigned line, const char *reason)
{
    (void)cls;
    char esc_file[300], esc_reason[600];
    json_escape(esc_file, sizeof esc_file, file ? file : "?");
    json_escape(esc_reason, sizeof esc_reason, reason ? reason : "");
    log_event("http_panic", "\"file\":\"%s\",\"line\":%u,\"message\":\"%s\"", esc_file, line,
              esc_reason);
    abort();
}

static struct MHD_Daemon *start_daemon(server *s, int fd, int family)
{
    MHD_set_panic_func(mhd_panic, NULL);
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
    if (family == AF_INET6)
        flags |= MHD_USE_IPv6;
    /* The hard connection limit sits above the soft one, so that clients past the soft limit
     * still get a JSON 503 instead of a silent close. */
    unsigned hard = s->cfg.max_conn + s->cfg.max_conn / 4 + 16;
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads, MHD_OPTION_CONNECTION_LIMIT, hard,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(s->cfg.max_header * 2 + s->cfg.max_url + 16384),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_NOTIFY_CONNECTION,
        on_connection, s, MHD_OPTION_END);
}

static int load_keys_at_start(server *s, bool loopback)
{
    if (!*s->cfg.keys_path)
        apikeys_default_path(s->cfg.keys_path, sizeof s->cfg.keys_path);
    cordon_error err = {0};
    s->keys = apikeys_load(s->cfg.keys_path, &err);
    if (!s->keys) {
        fprintf(stderr, "cordon: %s\n", err.message);
        return 1;
    }
    s->public_bind = !loopback;
    if (!loopback && apikeys_count(s->keys) == 0 && !s->cfg.insecure) {
        fprintf(stderr, "cordon: refusing to listen on %s without API keys: add one with "
                        "`cordon apikey add` (keys file %s), or pass --insecure\n",
                s->cfg.host, s->cfg.keys_path);
        return 2;
    }
    return 0;
}

static int open_log(server *s)
{
    s->log_fd = -1;
    if (s->cfg.quiet || strcmp(s->cfg.access_log, "off") == 0)
        return 0;
    if (strcmp(s->cfg.access_log, "-") == 0) {
        s->log_fd = 2;
        return 0;
    }
    s->log_fd = open(s->cfg.access_log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (s->log_fd < 0) {
        fprintf(stderr, "cordon: --access-log %s: %s\n", s->cfg.access_log, strerror(errno));
        return 1;
    }
    return 0;
}

static void write_port_file(server *s, unsigned port)
{
    if (!*s->cfg.port_file)
        return;
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", s->cfg.port_file);
    FILE *f = fopen(tmp, "w");
    if (f) {
        fprintf(f, "%u\n", port);
        if (fclose(f) == 0 && rename(tmp, s->cfg.port_file) == 0)
            return;
    }
    fprintf(stderr, "cordon: --port-file %s: cannot write\n", s->cfg.port_file);
}

/* Waits for SIGTERM/SIGINT, reloading on SIGHUP meanwhile. */
static int wait_for_stop(server *s, const sigset_t *set)
{
    for (;;) {
        int sig = 0;
        if (sigwait(set, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            char msg[1200];
            server_reload(s, msg, sizeof msg);
            continue;
        }
        return sig;
    }
}

/* Returns false if a list update is still running (the process exits under it). */
static bool drain(server *s, int sig)
{
    atomic_store(&s->draining, true);
    log_event("draining", "\"signal\":%d,\"in_flight\":%ld", sig, atomic_load(&s->in_flight));
    /* The quiesced socket stays open until the daemon has stopped: its threads may still be
     * polling it, and a number closed early can be reused by a file the reload opens. */
    MHD_socket lfd = MHD_quiesce_daemon(s->daemon);
    uint64_t deadline = now_ns() + (uint64_t)s->cfg.grace * 1000000000ull;
    bool update_done = scheduler_stop(deadline); /* no new update; a running one may finish */
    while ((atomic_load(&s->in_flight) > 0 || metrics_batches() > 0 || store_jobs() > 0) &&
           now_ns() < deadline) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Batches and store requests still running hold suspended connections: they must end
     * before the daemon. */
    while (metrics_batches() > 0 || store_jobs() > 0) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    MHD_stop_daemon(s->daemon); /* closes the listening socket unless it was quiesced */
    s->daemon = NULL;
    if (lfd != MHD_INVALID_SOCKET)
        close(lfd);
    batch_pool_stop();
    store_pool_stop();
    return update_done;
}

static int serve(server *s)
{
    bool loopback = true;
    int family = AF_INET;
    unsigned port = 0;
    cordon_error err = {0};
    if (!*s->cfg.snapshot)
        cordon_default_snapshot(s->cfg.snapshot, sizeof s->cfg.snapshot);
    if (holder_load(&s->holder, s->cfg.snapshot, &err) != CORDON_OK) {
        fprintf(stderr, "cordon: %s\n", err.message);
        if (err.status == CORDON_ERR_NOTFOUND || err.status == CORDON_ERR_IO)
            fprintf(stderr, "cordon: build a snapshot first: `cordon build`\n");
        return 1;
    }
    int fd = open_listener(s, &loopback, &family, &port);
    if (fd < 0)
        return 1;
    int rc = load_keys_at_start(s, loopback);
    if (rc == 0)
        rc = open_log(s);
    if (rc) {
        close(fd);
        return rc;
    }
    /* Signals are taken synchronously by the main thread: block them before any thread
     * starts, so every worker inherits the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    metrics_start();
    if (batch_pool_start(s->cfg.max_batches) != 0)
        fprintf(stderr, "cordon: fewer batch threads than --max-batches could start\n");
    if (!*s->cfg.store)
        cordon_store_default(s->cfg.store, sizeof s->cfg.store);
    if (store_pool_start(s) != 0 || scheduler_start(s) != 0)
        fprintf(stderr, "cordon: not every store or update thread could start\n");
    s->daemon = start_daemon(s, fd, family);
    if (!s->daemon) {
        fprintf(stderr, "cordon: the HTTP daemon did not start\n");
        batch_pool_stop();
        store_pool_stop();
        scheduler_stop(0);
        close(fd);
        return 1;
    }
    write_port_file(s, port);
    char esc[4200];
    json_escape(esc, sizeof esc, s->cfg.snapshot);
    char store_esc[4200];
    json_escape(store_esc, sizeof store_esc, s->cfg.store);
    log_event("listening", "\"address\":\"%s\",\"port\":%u,\"threads\":%u,\"snapshot\":\"%s\","
              "\"auth\":%s,\"store\":\"%s\",\"update_interval\":%u", s->cfg.host, port,
              s->cfg.threads, esc, apikeys_count(s->keys) ? "true" : "false", store_esc,
              s->cfg.update_interval);
    int sig = wait_for_stop(s, &set);
    bool update_done = drain(s, sig); /* the listening socket is closed there */
    log_event("stopped", "\"signal\":%d", sig);
    return update_done ? 0 : -1;
}

int cordon_serve_main(int argc, char **argv)
{
    static server srv; /* one per process; static so that handlers can never outlive it */
    server *s = &srv;
    config_defaults(&s->cfg);
    int rc = parse_args(argc, argv, &s->cfg);
    if (rc)
        return rc < 0 ? 0 : rc;
    holder_init(&s->holder);
    pthread_rwlock_init(&s->keys_lock, NULL);
    pthread_mutex_init(&s->reload_lock, NULL);
    if (RAND_bytes((unsigned char *)&s->id_seed, sizeof s->id_seed) != 1)
        s->id_seed = (uint32_t)getpid() ^ (uint32_t)time(NULL);
    rc = serve(s);
    if (rc < 0) /* an update thread still uses the snapshot and keys: the process exits */
        return 0;
    holder_clear(&s->holder);
    apikeys_free(s->keys);
    s->keys = NULL;
    if (s->log_fd > 2)
        close(s->log_fd);
    return rc;
}
