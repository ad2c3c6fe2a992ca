/* risk.c - the public face of transaction screening: open a rule set, check one JSON
 * transaction, check a whole file in parallel with reports in input order. */
#include "risk.h"
#include "lists/reader.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define TX_BATCH 1024

const char *cordon_risk_default_dir(char *out, size_t len)
{
    const char *env = getenv("CORDON_RULES");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return out;
    }
    char snap[4096];
    cordon_default_snapshot(snap, sizeof snap);
    char *slash = strrchr(snap, '/');
    if (slash)
        snprintf(out, len, "%.*s/rules", (int)(slash - snap), snap);
    else
        snprintf(out, len, "rules");
    return out;
}

cordon_risk *cordon_risk_open(const cordon_engine *e, const cordon_goods *g,
                              const char *rules_dir, const char *const *extra, size_t n_extra,
                              cordon_error *err)
{
    if (!e || !g) {
        err_set(err, CORDON_ERR_INVALID, "cordon_risk_open: an engine and a goods handle are needed");
        return NULL;
    }
    cordon_risk *r = calloc(1, sizeof *r);
    if (!r || !(r->arena = cordon_arena_new())) {
        free(r);
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    r->engine = e;
    r->goods = g;
    char dir[4096];
    if (!rules_dir && n_extra == 0)
        rules_dir = cordon_risk_default_dir(dir, sizeof dir);
    if (risk_load_rules(r, rules_dir, extra, n_extra, err) != CORDON_OK) {
        cordon_risk_close(r);
        return NULL;
    }
    r->cache = pcache_new(CORDON_RISK_DEFAULT_CACHE);
    cordon_snapshot_info si;
    cordon_engine_info(e, &si);
    snprintf(r->snapshot, sizeof r->snapshot, "%s", si.checksum ? si.checksum : "");
    return r;
}

void cordon_risk_close(cordon_risk *r)
{
    if (!r)
        return;
    free(r->rules);
    pcache_free(r->cache);
    cordon_arena_free(r->arena);
    free(r);
}

void cordon_risk_set_cache(cordon_risk *r, size_t max_entries)
{
    pcache_free(r->cache);
    r->cache = pcache_new(max_entries);
}

void cordon_risk_get_info(const cordon_risk *r, cordon_risk_info *out)
{
    out->rules = r->n_rules;
    out->packs = r->n_packs;
    out->version = r->version;
    out->snapshot = r->snapshot;
}

/* Parses and checks one transaction object; the report goes to out. */
static cordon_status check_obj(const cordon_risk *r, const json_t *obj, cordon_arena *a,
                               long line, buf *out, risk_decision *decision, cordon_error *err)
{
    tx t;
    cordon_status st = tx_parse(obj, a, &t, err);
    return st ? st : risk_check_tx(r, &t, a, line, out, decision, err);
}

#define DUMP_FLAGS (JSON_REAL_PRECISION(6))

char *cordon_tx_check_json(const cordon_risk *r, const char *body, size_t len, int pretty,
                           cordon_error *err)
{
    if (!r || !body) {
        err_set(err, CORDON_ERR_INVALID, "transaction: no input");
        return NULL;
    }
    if (len > CORDON_TX_MAX_BYTES) {
        err_set(err, CORDON_ERR_LIMIT, "transaction: larger than %zu bytes", CORDON_TX_MAX_BYTES);
        return NULL;
    }
    json_error_t je;
    json_t *obj = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!obj) {
        err_set(err, CORDON_ERR_PARSE, "transaction:%d:%d: %s", je.line, je.column, je.text);
        return NULL;
    }
    cordon_arena *a = cordon_arena_new();
    buf out = {0};
    cordon_status st = a ? check_obj(r, obj, a, -1, &out, NULL, err)
                         : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    json_decref(obj);
    cordon_arena_free(a);
    if (st) {
        buf_free(&out);
        return NULL;
    }
    if (!pretty)
        return out.data;
    /* indented output is for people reading one report: re-read the compact text */
    json_t *rep = json_loadb(out.data, out.len, 0, &je);
    char *s = rep ? json_dumps(rep, DUMP_FLAGS | JSON_INDENT(2)) : NULL;
    json_decref(rep);
    buf_free(&out);
    if (!s)
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return s;
}

/* ---- bulk ---- */

typedef struct record {
    long line;
    char *text;      /* a JSON line (owned), or NULL */
    json_t *obj;     /* a CSV row turned into JSON, or NULL */
    char *pre_error; /* a reading error found before checking */
    char *out;       /* the report or the error record */
    int ok;
    risk_decision decision;
} record;

typedef struct batch {
    const cordon_risk *r;
    record *recs;
    size_t n;
    atomic_size_t next;
} batch;

static char *error_record(long line, const char *msg)
{
    char m[1200];
    snprintf(m, sizeof m, "line %ld: %s", line, msg);
    json_t *o = json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", m);
    if (!o) /* the message quoted invalid UTF-8 from the input */
        o = json_pack("{s:I,s:s}", "line", (json_int_t)line, "error", "invalid UTF-8");
    char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return s;
}

static void check_record(const cordon_risk *r, record *rec, cordon_arena *a)
{
    cordon_error err = {0};
    if (rec->pre_error) {
        rec->out = error_record(rec->line, rec->pre_error);
        return;
    }
    json_t *obj = rec->obj;
    if (!obj) {
        json_error_t je;
        obj = json_loads(rec->text, JSON_REJECT_DUPLICATES, &je);
        if (!obj) {
            char msg[256];
            snprintf(msg, sizeof msg, "column %d: %s", je.column, je.text);
            rec->out = error_record(rec->line, msg);
            return;
        }
    }
    buf out = {0};
    if (check_obj(r, obj, a, rec->line, &out, &rec->decision, &err) == CORDON_OK) {
        rec->out = out.data;
        rec->ok = 1;
    } else {
        buf_free(&out);
        rec->out = error_record(rec->line, err.message);
    }
    if (!rec->obj)
        json_decref(obj);
}

static void *worker(void *arg)
{
    batch *b = arg;
    cordon_arena *a = cordon_arena_new();
    for (;;) {
        size_t i = atomic_fetch_add(&b->next, 1);
        if (i >= b->n)
            break;
        if (a)
            cordon_arena_reset(a);
        if (a)
            check_record(b->r, &b->recs[i], a);
    }
    cordon_arena_free(a);
    return NULL;
}

static void run_batch(const cordon_risk *r, record *recs, size_t n, int threads)
{
    batch b = {.r = r, .recs = recs, .n = n};
    atomic_init(&b.next, 0);
    pthread_t tid[64];
    int started = 0;
    for (int i = 1; i < threads && i < 64; i++)
        if (pthread_create(&tid[started], NULL, worker, &b) == 0)
            started++;
    worker(&b);
    for (int i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
}

typedef struct reader {
    FILE *f;             /* JSON lines */
    csv_reader *csv;     /* or the flat CSV layout */
    const char **header;
    size_t n_header;
    long line;
    off_t size;
    int eof;
} reader;

static void free_header(reader *rd)
{
    for (size_t i = 0; i < rd->n_header; i++)
        free((char *)rd->header[i]);
    free(rd->header);
}

static cordon_status open_csv(reader *rd, const char *path, cordon_error *err)
{
    rd->csv = csv_open(path, ',', err);
    if (!rd->csv)
        return err->status ? err->status : CORDON_ERR_IO;
    int st = csv_next(rd->csv, err);
    if (st <= 0)
        return st < 0 ? err->status : err_set(err, CORDON_ERR_PARSE, "%s:1: empty file", path);
    rd->n_header = csv_nfields(rd->csv);
    rd->header = calloc(rd->n_header, sizeof *rd->header);
    if (!rd->header)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < rd->n_header; i++)
        if (!(rd->header[i] = strdup(csv_field(rd->csv, i))))
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

/* Fills up to max records; returns the count. */
static size_t read_records(reader *rd, record *recs, size_t max, cordon_error *err)
{
    size_t n = 0;
    while (n < max && !rd->eof) {
        record *rec = &recs[n];
        memset(rec, 0, sizeof *rec);
        if (rd->csv) {
            cordon_error e2 = {0};
            int st = csv_next(rd->csv, &e2);
            if (st == 0) {
                rd->eof = 1;
                break;
            }
            rec->line = csv_line(rd->csv);
            if (st < 0) {
                rec->pre_error = strdup(e2.message);
                rd->eof = 1; /* the CSV reader cannot resynchronise after a broken quote */
                n++;
                break;
            }
            const char *fields[1024];
            size_t nf = csv_nfields(rd->csv);
            if (nf != rd->n_header || nf > 1024) {
                char m[128];
                snprintf(m, sizeof m, "%zu fields where the header has %zu", nf, rd->n_header);
                rec->pre_error = strdup(m);
            } else {
                for (size_t i = 0; i < nf; i++)
                    fields[i] = csv_field(rd->csv, i);
                rec->obj = tx_csv_row_json(rd->header, fields, nf, &e2);
                if (!rec->obj)
                    rec->pre_error = strdup(e2.message);
            }
            n++;
            continue;
        }
        char *line = NULL;
        size_t cap = 0;
        ssize_t len = getline(&line, &cap, rd->f);
        if (len < 0) {
            free(line);
            rd->eof = 1;
            break;
        }
        rd->line++;
        if (str_is_blank(line)) {
            free(line);
            continue;
        }
        rec->line = rd->line;
        if ((size_t)len > CORDON_TX_MAX_BYTES) {
            free(line);
            rec->pre_error = strdup("longer than the 1 MiB limit of one transaction");
        } else if (strlen(line) != (size_t)len) {
            free(line);
            rec->pre_error = strdup("contains a NUL byte");
        } else {
            rec->text = line;
        }
        n++;
    }
    UNUSED(err);
    return n;
}

static double share_read(const reader *rd)
{
    if (rd->size <= 0)
        return -1;
    off_t pos = rd->f ? ftello(rd->f) : 0;
    if (!rd->f)
        return -1;
    return (double)pos / (double)rd->size;
}

cordon_status cordon_tx_check_file(const cordon_risk *r, const char *path, int csv,
                                   int threads, cordon_tx_sink sink, void *sink_ctx,
                                   void (*progress)(void *ctx, uint64_t done, double share),
                                   void *progress_ctx, cordon_tx_stats *stats,
                                   cordon_error *err)
{
    cordon_tx_stats st0 = {0};
    if (!stats)
        stats = &st0;
    memset(stats, 0, sizeof *stats);
    if (threads <= 0)
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (threads <= 0)
        threads = 1;
    reader rd = {0};
    const char *name = strcmp(path, "-") == 0 ? "/dev/stdin" : path;
    cordon_status st = CORDON_OK;
    struct stat sb;
    if (stat(name, &sb) == 0 && S_ISREG(sb.st_mode))
        rd.size = sb.st_size;
    if (csv) {
        st = open_csv(&rd, name, err);
    } else if (!(rd.f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r"))) {
        st = err_set(err, CORDON_ERR_IO, "%s: cannot open", path);
    }
    record *recs = calloc(TX_BATCH, sizeof *recs);
    if (!st && !recs)
        st = err_set(err, CORDON_ERR_NOMEM, "out of memory");
    int stop = 0;
    while (!st && !stop) {
        size_t n = read_records(&rd, recs, TX_BATCH, err);
        if (n == 0)
            break;
        run_batch(r, recs, n, threads);
        for (size_t i = 0; i < n; i++) {
            record *rec = &recs[i];
            stats->records++;
            if (!rec->ok)
                stats->errors++;
            else if (rec->decision == DECISION_BLOCK)
                stats->block++;
            else if (rec->decision == DECISION_REVIEW)
                stats->review++;
            else
                stats->clear++;
            if (!stop && sink && sink(sink_ctx, rec->line, rec->ok, rec->out ? rec->out : "{}"))
                stop = 1;
            free(rec->out);
            free(rec->text);
            free(rec->pre_error);
            json_decref(rec->obj);
        }
        if (progress)
            progress(progress_ctx, stats->records, share_read(&rd));
    }
    if (!st && stop)
        st = err_set(err, CORDON_ERR_ABORTED, "%s: stopped by the caller", path);
    if (!st && stats->records == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file: no transactions", path);
    free(recs);
    if (rd.csv)
        csv_close(rd.csv);
    free_header(&rd);
    if (rd.f && rd.f != stdin)
        fclose(rd.f);
    return st;
}
