/* bulk.c - screening a file of parties on all cores: rows are read in chunks, screened in
 * parallel (one arena per thread) and written in input order, so memory stays flat whatever
 * the file's size. */
#include "match.h"
#include "../lists/reader.h"

#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>

#define CHUNK_ROWS 2048

typedef struct row {
    long line;
    char *name, *type, *dob, *country, *id, *ref;
    char *error; /* set when the row itself is bad */
    char *output; /* rendered result */
    uint32_t hits;
} row;

typedef struct bulk {
    const cordon_engine *e;
    const cordon_query *defaults;
    cordon_bulk_format out_format;
    row *rows;
    size_t n;
    size_t next; /* next row to screen (under lock) */
    pthread_mutex_t lock;
} bulk;

static void row_free(row *r)
{
    free(r->name);
    free(r->type);
    free(r->dob);
    free(r->country);
    free(r->id);
    free(r->ref);
    free(r->error);
    free(r->output);
    memset(r, 0, sizeof *r);
}

static char *dup_or_null(const char *s) { return s && *s ? strdup(s) : NULL; }

static void csv_escape(buf *b, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\n\r")) {
        buf_puts(b, s);
        return;
    }
    buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            buf_putc(b, '"');
        buf_putc(b, *p);
    }
    buf_putc(b, '"');
}

static void render_error(bulk *bk, row *r, buf *b)
{
    if (bk->out_format == CORDON_BULK_CSV) {
        buf_printf(b, "%ld,", r->line);
        csv_escape(b, r->ref);
        buf_putc(b, ',');
        csv_escape(b, r->name);
        buf_puts(b, ",,,,,,,"); /* rank .. matched_name empty */
        csv_escape(b, r->error);
        buf_putc(b, '\n');
        return;
    }
    json_t *o = json_pack("{s:i, s:o, s:s}", "line", (json_int_t)r->line, "ref",
                          r->ref ? json_string(r->ref) : json_null(), "error", r->error);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    buf_puts(b, s ? s : "{}");
    buf_putc(b, '\n');
    free(s);
    json_decref(o);
}

static void screen_row(bulk *bk, row *r, cordon_arena *a)
{
    buf b = {0};
    if (!r->error && !r->name)
        r->error = strdup("name: required field is empty");
    cordon_query q = *bk->defaults;
    q.name = r->name;
    q.dob = r->dob;
    q.country = r->country;
    q.id_type = q.id_value = NULL;
    q.type = CORDON_TYPE_UNKNOWN;
    if (!r->error && r->type) {
        q.type = cordon_entity_type_parse(r->type);
        if (q.type == CORDON_TYPE_UNKNOWN)
            r->error = strdup("type: use person, organization, vessel or aircraft");
    }
    char idbuf[256];
    if (!r->error && r->id) {
        snprintf(idbuf, sizeof idbuf, "%s", r->id);
        char *colon = strchr(idbuf, ':');
        if (colon) {
            *colon = 0;
            q.id_type = idbuf;
            q.id_value = colon + 1;
        } else {
            q.id_value = idbuf;
        }
    }
    cordon_result res;
    cordon_error err = {0};
    if (!r->error && cordon_screen(bk->e, &q, a, &res, &err) != CORDON_OK)
        r->error = strdup(err.message);
    if (r->error) {
        render_error(bk, r, &b);
    } else if (bk->out_format == CORDON_BULK_CSV) {
        for (size_t i = 0; i < res.n_hits; i++) {
            const cordon_hit *h = &res.hits[i];
            buf_printf(&b, "%ld,", r->line);
            csv_escape(&b, r->ref);
            buf_putc(&b, ',');
            csv_escape(&b, r->name);
            buf_printf(&b, ",%zu,%.4f,%s,", i + 1, h->score, h->entity.source);
            csv_escape(&b, h->entity.source_id);
            buf_putc(&b, ',');
            csv_escape(&b, h->entity.names[0].full);
            buf_putc(&b, ',');
            csv_escape(&b, h->matched_name);
            buf_puts(&b, ",\n");
        }
    } else {
        char *s = cordon_result_json(NULL, &res, 0);
        json_error_t je;
        json_t *o = s ? json_loads(s, 0, &je) : NULL;
        free(s);
        if (o) {
            json_object_del(o, "query");
            json_t *qo = json_pack("{s:i, s:o, s:s}", "line", (json_int_t)r->line, "ref",
                                   r->ref ? json_string(r->ref) : json_null(), "name", r->name);
            json_object_update(qo, o);
            s = json_dumps(qo, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
            buf_puts(&b, s ? s : "{}");
            buf_putc(&b, '\n');
            free(s);
            json_decref(qo);
            json_decref(o);
        }
    }
    r->hits = r->error ? 0 : (uint32_t)res.n_hits;
    r->output = b.data ? b.data : strdup("");
}

static void *worker(void *arg)
{
    bulk *bk = arg;
    cordon_arena *a = cordon_arena_new();
    for (;;) {
        pthread_mutex_lock(&bk->lock);
        size_t i = bk->next++;
        pthread_mutex_unlock(&bk->lock);
        if (i >= bk->n)
            break;
        cordon_arena_reset(a);
        screen_row(bk, &bk->rows[i], a);
    }
    cordon_arena_free(a);
    return NULL;
}

typedef struct reader {
    cordon_bulk_format fmt;
    csv_reader *csv;
    int col[6];
    FILE *f;
    const char *path;
    long line;
    char *linebuf;
    size_t linecap;
} reader;

static const char *const columns[6] = {"name", "type", "dob", "country", "id", "ref"};

/* Fills r from the next input record; returns 1, 0 at end, -1 on a fatal error. */
static int read_row(reader *rd, row *r, cordon_error *err)
{
    memset(r, 0, sizeof *r);
    if (rd->fmt == CORDON_BULK_CSV) {
        int k = csv_next(rd->csv, err);
        if (k <= 0)
            return k;
        r->line = csv_line(rd->csv);
        char **dst[6] = {&r->name, &r->type, &r->dob, &r->country, &r->id, &r->ref};
        for (int c = 0; c < 6; c++)
            if (rd->col[c] >= 0)
                *dst[c] = dup_or_null(csv_field(rd->csv, (size_t)rd->col[c]));
        return 1;
    }
    ssize_t n;
    do {
        n = getline(&rd->linebuf, &rd->linecap, rd->f);
        rd->line++;
        if (n < 0)
            return 0;
    } while (str_is_blank(rd->linebuf));
    r->line = rd->line;
    json_error_t je;
    json_t *o = json_loads(rd->linebuf, 0, &je);
    if (!json_is_object(o)) {
        r->error = malloc(300);
        if (r->error)
            snprintf(r->error, 300, "%s:%ld: not a JSON object: %s", rd->path, rd->line,
                     o ? "wrong type" : je.text);
        json_decref(o);
        return 1;
    }
    char **dst[6] = {&r->name, &r->type, &r->dob, &r->country, &r->id, &r->ref};
    for (int c = 0; c < 6; c++) {
        json_t *v = json_object_get(o, columns[c]);
        if (json_is_string(v))
            *dst[c] = dup_or_null(json_string_value(v));
        else if (json_is_integer(v) && c == 5) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
            *dst[c] = strdup(tmp);
        } else if (v && !json_is_null(v) && !r->error) {
            r->error = malloc(200);
            if (r->error)
                snprintf(r->error, 200, "%s:%ld: field %s must be a string", rd->path, rd->line,
                         columns[c]);
        }
    }
    json_decref(o);
    return 1;
}

cordon_status cordon_screen_bulk(const cordon_engine *e, const char *in_path,
                                 cordon_bulk_format in_format, FILE *out,
                                 cordon_bulk_format out_format, const cordon_query *defaults,
                                 int threads, void (*progress)(void *ctx, uint64_t rows),
                                 void *progress_ctx, cordon_bulk_stats *stats, cordon_error *err)
{
    memset(stats, 0, sizeof *stats);
    reader rd;
    memset(&rd, 0, sizeof rd);
    rd.fmt = in_format;
    rd.path = in_path;
    if (in_format == CORDON_BULK_CSV) {
        rd.csv = csv_open(in_path, ',', err);
        if (!rd.csv)
            return err ? err->status : CORDON_ERR_IO;
        int k = csv_next(rd.csv, err);
        if (k <= 0) {
            csv_close(rd.csv);
            return k < 0 ? err->status : err_set(err, CORDON_ERR_PARSE, "%s: empty file", in_path);
        }
        for (int c = 0; c < 6; c++)
            rd.col[c] = csv_column(rd.csv, columns[c]);
        if (rd.col[0] < 0) {
            csv_close(rd.csv);
            return err_set(err, CORDON_ERR_PARSE, "%s:1: header has no 'name' column", in_path);
        }
    } else {
        rd.f = fopen(in_path, "r");
        if (!rd.f)
            return err_set(err, CORDON_ERR_IO, "%s: cannot open", in_path);
    }
    if (out_format == CORDON_BULK_CSV)
        fputs("line,ref,name,rank,score,source,source_id,listed_name,matched_name,error\n", out);
    if (threads < 1)
        threads = 1;
    if (threads > 64)
        threads = 64;
    bulk bk = {e, defaults, out_format, calloc(CHUNK_ROWS, sizeof(row)), 0, 0,
               PTHREAD_MUTEX_INITIALIZER};
    cordon_status st = bk.rows ? CORDON_OK : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    bool more = true;
    while (st == CORDON_OK && more) {
        bk.n = bk.next = 0;
        while (bk.n < CHUNK_ROWS) {
            int k = read_row(&rd, &bk.rows[bk.n], err);
            if (k < 0) {
                /* A CSV error inside a record is fatal for the framing: stop here. */
                st = err->status;
                more = false;
                break;
            }
            if (k == 0) {
                more = false;
                break;
            }
            bk.n++;
        }
        pthread_t tid[64];
        int started = 0;
        for (int t = 1; t < threads && (size_t)t < bk.n; t++)
            if (pthread_create(&tid[started], NULL, worker, &bk) == 0)
                started++;
        worker(&bk);
        for (int t = 0; t < started; t++)
            pthread_join(tid[t], NULL);
        for (size_t i = 0; i < bk.n; i++) {
            row *r = &bk.rows[i];
            if (r->output)
                fputs(r->output, out);
            stats->rows++;
            stats->errors += r->error != NULL;
            stats->rows_with_hits += r->hits > 0;
            stats->hits += r->hits;
            row_free(r);
        }
        if (progress)
            progress(progress_ctx, stats->rows);
    }
    free(bk.rows);
    if (rd.csv)
        csv_close(rd.csv);
    if (rd.f)
        fclose(rd.f);
    free(rd.linebuf);
    if (fflush(out) != 0 && st == CORDON_OK)
        st = err_set(err, CORDON_ERR_IO, "write error");
    return st;
}
