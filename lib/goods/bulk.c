/* bulk.c - classifying a file of item descriptions, one JSON line out per row. */
#include "goods.h"
#include "../lists/reader.h"

#include <jansson.h>
#include <stdlib.h>

static const char *const columns[] = {"text", "hs", "destination", "origin", "ref"};
enum { COL_TEXT, COL_HS, COL_DEST, COL_ORIGIN, COL_REF, COL_COUNT };

static void write_error(FILE *out, long line, const char *ref, const char *msg)
{
    json_t *o = json_pack("{s:i, s:o, s:s}", "line", (json_int_t)line, "ref",
                          ref ? json_string(ref) : json_null(), "error", msg);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf(out, "%s\n", s ? s : "{}");
    free(s);
    json_decref(o);
}

/* Classifies one row and writes its record. */
static void one_row(const cordon_goods *g, const cordon_goods_query *defaults, cordon_arena *a,
                    long line, const char *const *v, FILE *out, cordon_goods_bulk_stats *st)
{
    cordon_goods_query q = *defaults;
    q.text = v[COL_TEXT];
    if (v[COL_HS] && *v[COL_HS])
        q.hs = v[COL_HS];
    if (v[COL_DEST] && *v[COL_DEST])
        q.destination = v[COL_DEST];
    if (v[COL_ORIGIN] && *v[COL_ORIGIN])
        q.origin = v[COL_ORIGIN];
    const char *ref = v[COL_REF] && *v[COL_REF] ? v[COL_REF] : NULL;
    st->rows++;
    cordon_goods_result r;
    cordon_error err = {0};
    cordon_arena_reset(a);
    if ((!q.text || !*q.text) && !q.hs) {
        st->errors++;
        write_error(out, line, ref, "text: required (or an hs code)");
        return;
    }
    if (cordon_goods_classify(g, &q, a, &r, &err) != CORDON_OK) {
        st->errors++;
        write_error(out, line, ref, err.message);
        return;
    }
    st->controlled += r.controlled != 0;
    st->prohibited += r.n_prohibitions > 0;
    char *s = cordon_goods_result_json(&q, &r, 0);
    json_error_t je;
    json_t *o = s ? json_loads(s, 0, &je) : NULL;
    free(s);
    json_t *rec = json_pack("{s:i, s:o}", "line", (json_int_t)line, "ref",
                            ref ? json_string(ref) : json_null());
    if (o)
        json_object_update(rec, o);
    s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
    fprintf(out, "%s\n", s ? s : "{}");
    free(s);
    json_decref(o);
    json_decref(rec);
}

static cordon_status from_csv(const cordon_goods *g, const char *path,
                              const cordon_goods_query *d, FILE *out, cordon_arena *a,
                              cordon_goods_bulk_stats *st, cordon_error *err)
{
    csv_reader *r = csv_open(path, ',', err);
    if (!r)
        return err ? err->status : CORDON_ERR_IO;
    int k = csv_next(r, err);
    if (k <= 0) {
        csv_close(r);
        return k < 0 ? err->status : err_set(err, CORDON_ERR_PARSE, "%s: empty file", path);
    }
    int col[COL_COUNT];
    for (int c = 0; c < COL_COUNT; c++)
        col[c] = csv_column(r, columns[c]);
    if (col[COL_TEXT] < 0)
        col[COL_TEXT] = csv_column(r, "description");
    if (col[COL_TEXT] < 0 && col[COL_HS] < 0) {
        csv_close(r);
        return err_set(err, CORDON_ERR_PARSE, "%s:1: header needs a 'text' (or 'description') column",
                       path);
    }
    while ((k = csv_next(r, err)) > 0) {
        const char *v[COL_COUNT];
        for (int c = 0; c < COL_COUNT; c++)
            v[c] = col[c] >= 0 ? csv_field(r, (size_t)col[c]) : NULL;
        one_row(g, d, a, csv_line(r), v, out, st);
    }
    csv_close(r);
    return k < 0 ? err->status : CORDON_OK;
}

static cordon_status from_jsonl(const cordon_goods *g, const char *path,
                                const cordon_goods_query *d, FILE *out, cordon_arena *a,
                                cordon_goods_bulk_stats *st, cordon_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open", path);
    char *line = NULL;
    size_t cap = 0;
    long no = 0;
    while (getline(&line, &cap, f) >= 0) {
        no++;
        if (str_is_blank(line))
            continue;
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        if (!json_is_object(o)) {
            char msg[300];
            snprintf(msg, sizeof msg, "%s:%ld: not a JSON object%s%s", path, no, o ? "" : ": ",
                     o ? "" : je.text);
            st->rows++;
            st->errors++;
            write_error(out, no, NULL, msg);
            json_decref(o);
            continue;
        }
        const char *v[COL_COUNT];
        for (int c = 0; c < COL_COUNT; c++)
            v[c] = json_string_value(json_object_get(o, columns[c]));
        if (!v[COL_TEXT])
            v[COL_TEXT] = json_string_value(json_object_get(o, "description"));
        one_row(g, d, a, no, v, out, st);
        json_decref(o);
    }
    free(line);
    fclose(f);
    return CORDON_OK;
}

cordon_status cordon_goods_classify_file(const cordon_goods *g, const char *path, int csv,
                                         const cordon_goods_query *defaults, FILE *out,
                                         cordon_goods_bulk_stats *stats, cordon_error *err)
{
    memset(stats, 0, sizeof *stats);
    cordon_arena *a = cordon_arena_new();
    if (!a)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    cordon_status st = csv ? from_csv(g, path, defaults, out, a, stats, err)
                           : from_jsonl(g, path, defaults, out, a, stats, err);
    cordon_arena_free(a);
    if (st == CORDON_OK && fflush(out) != 0)
        st = err_set(err, CORDON_ERR_IO, "write error");
    return st;
}
