/* batch.c - POST /v1/screen/batch: JSON lines or CSV in, JSON lines (or CSV) out.
 * The body is written to a private temporary file as it arrives, screened by
 * cordon_screen_bulk on one of --max-batches long-lived batch threads (the connection is
 * suspended meanwhile, so the worker pool keeps serving other clients), and the result is
 * streamed back from a second temporary file. Memory stays flat whatever the batch size; the
 * limits are the body size (--max-batch-body), the line count (--max-batch-rows) and batches at
 * once (--max-batches). Each batch runs on one long-lived thread, so batches never take more
 * than --max-batches cores from interactive requests, and the matcher's per-thread scratch is
 * allocated once per batch thread rather than once per batch. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_int slots_used;

static bool take_slot(unsigned max)
{
    int cur = atomic_load(&slots_used);
    while (cur < (int)max)
        if (atomic_compare_exchange_weak(&slots_used, &cur, cur + 1)) {
            metrics_batch(1);
            return true;
        }
    return false;
}

static void give_slot(void)
{
    atomic_fetch_sub(&slots_used, 1);
    metrics_batch(-1);
}

/* ?format= wins over Content-Type; JSON lines is the default. Returns -1 if unsupported. */
static int input_format(const request *q, cordon_bulk_format *out)
{
    const char *f = req_arg(q, "format");
    const char *ct = q->content_type;
    if (f) {
        if (strcmp(f, "csv") != 0 && strcmp(f, "jsonl") != 0)
            return -1;
        *out = strcmp(f, "csv") == 0 ? CORDON_BULK_CSV : CORDON_BULK_JSONL;
        return 0;
    }
    if (ct && strncasecmp(ct, "text/csv", 8) == 0) {
        *out = CORDON_BULK_CSV;
        return 0;
    }
    static const char *const jsonl[] = {"application/x-ndjson", "application/jsonl",
                                        "application/x-jsonlines", "application/json-lines",
                                        "application/json", "text/plain", "application/octet-stream"};
    *out = CORDON_BULK_JSONL;
    if (!ct)
        return 0;
    for (size_t i = 0; i < sizeof jsonl / sizeof jsonl[0]; i++)
        if (strncasecmp(ct, jsonl[i], strlen(jsonl[i])) == 0)
            return 0;
    return -1;
}

static const char *const batch_skip[] = {"format", "out", NULL};

static int batch_defaults(const request *q, screen_req *sr, char *msg, size_t cap)
{
    if (req_args_to_sreq(q, sr, batch_skip, msg, cap))
        return -1;
    if (sr->q.name || sr->q.dob || sr->q.country || sr->q.id_value) {
        snprintf(msg, cap, "batch: name, dob, country and id come from the body, not the URL");
        return -1;
    }
    return 0;
}

void h_batch_begin(server *s, request *q)
{
    char msg[512];
    if (input_format(q, &q->batch_in)) {
        reply_error(q, 415, "unsupported_media_type", "batch: send JSON lines "
                    "(application/x-ndjson) or CSV (text/csv), or say ?format=jsonl|csv");
        q->rep.close = true;
        return;
    }
    const char *out = req_arg(q, "out");
    if (out && strcmp(out, "csv") != 0 && strcmp(out, "jsonl") != 0) {
        reply_error(q, 400, "bad_request", "out: use jsonl or csv");
        q->rep.close = true;
        return;
    }
    q->batch_out = out && strcmp(out, "csv") == 0 ? CORDON_BULK_CSV : CORDON_BULK_JSONL;
    screen_req sr;
    sreq_init(&sr);
    int rc = batch_defaults(q, &sr, msg, sizeof msg);
    sreq_free(&sr);
    if (rc) {
        reply_error(q, 400, "bad_request", "%s", msg);
        q->rep.close = true;
        return;
    }
    if (!take_slot(s->cfg.max_batches)) {
        reply_error(q, 429, "too_many_requests", "%u batch screenings already running; retry "
                    "later", s->cfg.max_batches);
        q->rep.close = true;
        return;
    }
    q->batch_slot = true;
    const char *tmp = getenv("TMPDIR");
    snprintf(q->batch_dir, sizeof q->batch_dir, "%s/cordon-batch-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(q->batch_dir)) {
        q->batch_dir[0] = 0;
        reply_error(q, 500, "internal", "batch: cannot create a temporary directory: %s",
                    strerror(errno));
        q->rep.close = true;
        return;
    }
    snprintf(q->batch_path, sizeof q->batch_path, "%s/request-body", q->batch_dir);
    q->batch_fd = open(q->batch_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (q->batch_fd < 0) {
        reply_error(q, 500, "internal", "batch: cannot create a temporary file: %s",
                    strerror(errno));
        q->rep.close = true;
    }
    q->batch_last_newline = true;
}

/* Lines are counted, not records: a CSV field with a line break counts twice, which only makes
 * the limit stricter. A CSV header is one more line than the rows it announces. */
static size_t max_lines(const server *s, const request *q)
{
    return s->cfg.max_batch_rows + (q->batch_in == CORDON_BULK_CSV ? 1 : 0);
}

void batch_consume(server *s, request *q, const char *data, size_t n)
{
    if (q->batch_rows_exceeded)
        return;
    for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + n - p))) != NULL; p++)
        q->batch_lines++;
    q->batch_last_newline = data[n - 1] == '\n';
    if (q->batch_lines > max_lines(s, q)) {
        q->batch_rows_exceeded = true;
        return;
    }
    spool_body(q, "batch", data, n);
}

void spool_body(request *q, const char *what, const char *data, size_t n)
{
    while (n) {
        ssize_t w = write(q->batch_fd, data, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            reply_error(q, 500, "internal", "%s: cannot write the body to disk: %s", what,
                        strerror(errno));
            return;
        }
        data += w;
        n -= (size_t)w;
    }
}

void batch_cleanup(request *q)
{
    if (q->batch_fd >= 0)
        close(q->batch_fd);
    q->batch_fd = -1;
    if (*q->batch_dir) {
        unlink(q->batch_path);
        rmdir(q->batch_dir);
        q->batch_dir[0] = 0;
    }
    if (q->batch_slot) {
        q->batch_slot = false;
        give_slot();
    }
}

typedef struct batch_job {
    pool_job link; /* first: the pool hands the job back through it */
    server *srv;
    request *q;
    engine_ref *ref;
    screen_req sr;
} batch_job;



/* Messages name the temporary file: say "body" instead, which is what the client sent. */
static void reply_bulk_error(request *q, const cordon_error *err)
{
    char msg[1100];
    const char *m = err->message;
    size_t pl = strlen(q->batch_path);
    if (strncmp(m, q->batch_path, pl) == 0)
        snprintf(msg, sizeof msg, "body%s", m + pl);
    else
        snprintf(msg, sizeof msg, "%s", m);
    if (err->status == CORDON_ERR_PARSE || err->status == CORDON_ERR_INVALID ||
        err->status == CORDON_ERR_LIMIT)
        reply_error(q, 400, "bad_request", "%s", msg);
    else
        reply_error(q, 500, "internal", "%s", msg);
}

/* Row errors in the output name the temporary file too: rewrite them to "body" on the way to
 * a second temporary file (one sequential pass; memory stays one line). */
static FILE *rename_body(FILE *in, const char *path)
{
    FILE *out = tmpfile();
    if (!out || fseek(in, 0, SEEK_SET) != 0) {
        if (out)
            fclose(out);
        return NULL;
    }
    char *line = NULL;
    size_t cap = 0, pl = strlen(path);
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        char *p = line, *hit;
        while ((hit = strstr(p, path)) != NULL) {
            fwrite(p, 1, (size_t)(hit - p), out);
            fputs("body", out);
            p = hit + pl;
        }
        fwrite(p, 1, (size_t)(line + n - p), out);
    }
    free(line);
    if (ferror(in) || fflush(out) != 0) {
        fclose(out);
        return NULL;
    }
    return out;
}

static void run_job(batch_job *j)
{
    request *q = j->q;
    FILE *out = tmpfile();
    cordon_bulk_stats st;
    cordon_error err = {0};
    if (!out) {
        reply_error(q, 500, "internal", "batch: cannot create a temporary file");
    } else if (cordon_screen_bulk(j->ref->engine, q->batch_path, q->batch_in, out, q->batch_out,
                                  &j->sr.q, 1, NULL, NULL, &st,
                                  &err) != CORDON_OK) {
        reply_bulk_error(q, &err);
    } else {
        FILE *renamed = rename_body(out, q->batch_path);
        fclose(out);
        out = renamed;
    }
    if (!out || q->replied) {
        if (!q->replied)
            reply_error(q, 500, "internal", "batch: cannot write the results");
    } else {
        long size = ftell(out);
        int fd = size >= 0 ? dup(fileno(out)) : -1;
        if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0) {
            if (fd >= 0)
                close(fd);
            reply_error(q, 500, "internal", "batch: cannot read back the results");
        } else {
            q->rep.status = 200;
            q->rep.fd = fd;
            q->rep.len = (size_t)size;
            q->rep.ctype = q->batch_out == CORDON_BULK_CSV ? "text/csv; charset=utf-8"
                                                          : "application/x-ndjson";
            q->replied = true;
            snprintf(q->rep.batch_info, sizeof q->rep.batch_info,
                     "rows=%llu; errors=%llu; rows_with_hits=%llu; hits=%llu",
                     (unsigned long long)st.rows, (unsigned long long)st.errors,
                     (unsigned long long)st.rows_with_hits, (unsigned long long)st.hits);
        }
    }
    if (out)
        fclose(out);
    holder_release(j->ref);
    sreq_free(&j->sr);
}

static void finish_job(batch_job *j)
{
    request *q = j->q;
    struct MHD_Connection *conn = q->conn;
    run_job(j);
    free(j);
    /* The slot is freed here, after the resume: shutdown waits for it before stopping the
     * daemon. q may be freed as soon as the connection resumes: touch it no more. */
    q->batch_slot = false;
    MHD_resume_connection(conn);
    give_slot();
}

/* The batch threads. A job is queued only with a slot taken, and there are as many threads
 * as slots, so a job never waits for a thread. */
static void run_batch_job(void *ctx, pool_job *j)
{
    (void)ctx;
    finish_job((batch_job *)j);
}

static work_pool pool = WORK_POOL_INIT(run_batch_job, NULL);

int batch_pool_start(unsigned n) { return pool_start(&pool, n, NULL); }

void batch_pool_stop(void) { pool_stop(&pool); }

void h_batch(server *s, request *q)
{
    char msg[512];
    if (!q->batch_last_newline && q->batch_lines + 1 > max_lines(s, q))
        q->batch_rows_exceeded = true; /* the last line has no newline */
    if (q->batch_rows_exceeded) {
        reply_error(q, 413, "payload_too_large", "batch: more than %zu rows (--max-batch-rows)",
                    s->cfg.max_batch_rows);
        q->rep.close = true;
        return;
    }
    if (q->body_seen == 0) {
        reply_error(q, 400, "bad_request", "batch: empty body; send JSON lines or CSV");
        return;
    }
    if (close(q->batch_fd) != 0) {
        q->batch_fd = -1;
        reply_error(q, 500, "internal", "batch: cannot write the body to disk");
        return;
    }
    q->batch_fd = -1;
    batch_job *j = calloc(1, sizeof *j);
    if (!j) {
        reply_error(q, 500, "internal", "out of memory");
        return;
    }
    j->srv = s;
    j->q = q;
    sreq_init(&j->sr);
    if (batch_defaults(q, &j->sr, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
    } else if (!(j->ref = holder_acquire(&s->holder))) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
    } else if (check_sources(j->ref->engine, &j->sr.q, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
    } else {
        MHD_suspend_connection(q->conn);
        q->suspended = true;
        pool_push(&pool, &j->link); /* no batch thread: screens here, resuming at once */
        return;
    }
    holder_release(j->ref);
    sreq_free(&j->sr);
    free(j);
}
