/* internal.h - what the server's modules share: the configuration, the server and request
 * state, and replies. Handlers never touch libmicrohttpd: they read a request and fill its
 * reply, and server.c turns the reply into HTTP. */
#ifndef CORDON_SERVER_INTERNAL_H
#define CORDON_SERVER_INTERNAL_H

#include "apikeys.h"
#include "holder.h"
#include "metrics.h"
#include "params.h"
#include "pool.h"
#include "util/util.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define MAX_ARGS 64

typedef struct serve_config {
    char host[256];
    char port[16];
    char snapshot[4096];
    char keys_path[4096];
    unsigned threads;
    bool insecure;
    bool quiet;          /* no access log */
    size_t max_body;     /* JSON and form bodies */
    size_t max_batch_body;
    size_t max_batch_rows;
    size_t max_header;   /* all request headers together */
    size_t max_url;      /* path plus query string */
    unsigned timeout;    /* idle seconds before a connection is closed */
    unsigned body_timeout; /* seconds to receive a whole request body */
    unsigned max_conn;
    unsigned max_per_ip;
    unsigned max_batches; /* batch screenings at once */
    unsigned grace;      /* seconds to finish in-flight requests at shutdown */
    char access_log[4096];
    char port_file[4096];
    char store[4096];         /* the case store (--store; default cordon_store_default) */
    char update_config[4096]; /* --update-config; "" : the update's default */
    unsigned update_interval; /* seconds between scheduled updates; 0: none */
    unsigned rescreen_threads; /* threads of a re-screen run by the server */
    char web_dir[4096];  /* the web UI's built files; "" = web/dist beside the data dir */
} serve_config;

typedef struct server {
    serve_config cfg;
    engine_holder holder;
    pthread_rwlock_t keys_lock;
    apikey_store *keys;
    bool public_bind; /* listening beyond loopback */
    pthread_mutex_t reload_lock;
    struct MHD_Daemon *daemon;
    atomic_bool draining;
    atomic_long in_flight;
    int log_fd;
    uint32_t id_seed;
    atomic_ulong id_counter;
} server;

typedef enum http_method { M_GET = 1, M_HEAD = 2, M_POST = 4, M_OTHER = 8 } http_method;

typedef struct kv {
    const char *key, *value;
} kv;

typedef struct reply {
    unsigned status;
    char *body;          /* malloc'd; handed to the HTTP library */
    size_t len;
    int fd;              /* >= 0: send this file (len bytes) instead of body */
    const char *ctype;
    const char *allow;   /* Allow header for 405 */
    const char *err_code; /* error replies: the code, for metrics and the log */
    bool close;          /* Connection: close */
    char batch_info[160]; /* X-Cordon-Batch header: row counts of a batch */
    const char *cache;   /* Cache-Control; NULL = no-store (every API answer) */
    const char *csp;     /* Content-Security-Policy (the web UI's files) */
} reply;

typedef struct request {
    server *srv;
    struct MHD_Connection *conn;
    char id[72];
    uint64_t t0;
    http_method method;
    char method_s[12];
    char path[256];      /* for the log, truncated */
    const char *url;
    const char *tail;    /* what follows a prefix route ("/match/" -> "default") */
    endpoint_id ep;
    kv args[MAX_ARGS];
    size_t n_args;
    const char *content_type;
    char key_id[16];     /* the API key's id, "" without keys */
    char client[64];
    buf body;
    size_t body_limit;
    size_t body_seen;
    bool too_large;
    /* batch uploads go to a temporary file */
    int batch_fd;
    char batch_dir[256];
    char batch_path[300];
    size_t batch_lines;
    bool batch_rows_exceeded;
    bool batch_last_newline;
    cordon_bulk_format batch_in, batch_out;
    bool batch_slot;     /* holds one of the max_batches slots */
    bool import_slot;    /* holds the one counterparty import slot (store_api.c) */
    bool suspended;
    atomic_bool resumed;
    bool replied;        /* rep is final and queued (or to be queued) */
    reply rep;
    void (*finish)(server *s, struct request *q); /* handler run once the body is in */
} request;

/* Replies. reply_json takes ownership of body (malloc'd JSON text). */
void reply_json(request *q, unsigned status, char *body);
void reply_obj(request *q, unsigned status, json_t *o); /* dumps and decrefs o */
void reply_text(request *q, unsigned status, const char *ctype, char *body, size_t len);
void reply_error(request *q, unsigned status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

const char *req_arg(const request *q, const char *key);
/* Applies every query-string argument to a screen request, except the keys listed in skip
 * (NULL-terminated, may be NULL). Returns 0 or -1 with msg. */
int req_args_to_sreq(const request *q, screen_req *sr, const char *const *skip, char *msg,
                     size_t cap);

/* Per-thread arena, reset after each use. */
cordon_arena *thread_arena(void);
/* Every source named in q exists in e; else -1 and a message. */
int check_sources(const cordon_engine *e, const cordon_query *q, char *msg, size_t cap);
/* Reopens the snapshot and the key file; 0 on success, else -1 and a message. */
int server_reload(server *s, char *msg, size_t cap);

/* The v1 API (handlers.c). */
void h_screen(server *s, request *q);
void h_lists(server *s, request *q);
void h_healthz(server *s, request *q);
void h_readyz(server *s, request *q);
void h_metrics(server *s, request *q);
void h_reload(server *s, request *q);
/* Goods, transactions and networks (analysis.c). */
void h_goods(server *s, request *q);
void h_transactions(server *s, request *q);
void h_network(server *s, request *q);
/* Batch (batch.c): begin opens the temporary file, consume writes to it, finish screens. */
void h_batch_begin(server *s, request *q);
void batch_consume(server *s, request *q, const char *data, size_t n);
void h_batch(server *s, request *q);
void batch_cleanup(request *q);
/* Appends a chunk of a request body to its spool file (q->batch_fd); a 500 reply on failure. */
void spool_body(request *q, const char *what, const char *data, size_t n);
/* The --max-batches batch threads: started before the daemon, stopped after it. */
int batch_pool_start(unsigned n);
void batch_pool_stop(void);

/* The web UI's files (static.c). */
void h_static(server *s, request *q);

/* The case store (store_api.c). Store requests run on store threads with the connection
 * suspended; an import's body goes to a temporary file (the batch_* fields) as it arrives. */
void h_counterparties(server *s, request *q);
void h_alerts(server *s, request *q);
void h_alert(server *s, request *q); /* /v1/alerts/ID and /v1/alerts/ID/decision */
void h_audit(server *s, request *q);
void h_updates(server *s, request *q);
void h_admin_update(server *s, request *q);
void h_admin_rescreen(server *s, request *q);
void import_begin(server *s, request *q);
void import_consume(server *s, request *q, const char *data, size_t n);
void store_request_cleanup(request *q);
int store_pool_start(server *s);
void store_pool_stop(void);
long store_jobs(void); /* queued or running: shutdown waits for them */

/* The updater thread (scheduler.c): runs `cordon update` on request and on the interval. */
int scheduler_start(server *s);
/* No new run starts; waits for a running one until deadline (now_ns() clock). Returns false
 * if it is still running (the process then exits under it). */
bool scheduler_stop(uint64_t deadline_ns);
/* 0: started; 1: one is already running; -1: no updater thread (or shutting down). */
int update_request(server *s, const char *trigger, const char *key_id, const char *request_id,
                   bool force);
json_t *update_status_json(server *s);

/* One JSON line on stderr: {"time","event", ...detail} (detail: JSON members, no braces). */
void log_event(const char *event, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Compatibility APIs (compat.c). */
void h_yente_match(server *s, request *q);
void h_yente_search(server *s, request *q);
void h_reconcile(server *s, request *q);
void h_watchman_search(server *s, request *q);
void h_watchman_listinfo(server *s, request *q);

#endif
