/* diff.c - what changed between two snapshots (by source and source id; an entry whose stored
 * form differs is "changed"), and the small snapshot of only the added and changed entries
 * that a delta re-screen screens against. */
#include "update.h"

#include "../index/engine_internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    char *key; /* source \x1f source_id [\x1f occurrence] */
    size_t index;
} keyed;

const char *cordon_diff_kind_name(cordon_diff_kind k)
{
    static const char *const names[] = {"added", "removed", "changed"};
    return (unsigned)k < ARRAY_LEN(names) ? names[k] : "?";
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(((const keyed *)a)->key, ((const keyed *)b)->key);
}

/* The stored entity without its source index (which moves when sources are reordered). */
static const uint8_t *blob(const cordon_engine *e, size_t i, size_t *len)
{
    const uint8_t *p = e->ent_data + e->ent_offs[i];
    size_t n = e->ent_offs[i + 1] - e->ent_offs[i], k = 1;
    while (k < n && (p[k] & 0x80))
        k++;
    k = k < n ? k + 1 : n;
    *len = n - k;
    return p + k;
}

static bool same_entity(const cordon_engine *a, size_t ia, const cordon_engine *b, size_t ib)
{
    size_t la, lb;
    const uint8_t *pa = blob(a, ia, &la), *pb = blob(b, ib, &lb);
    return a->ent_data[a->ent_offs[ia]] == b->ent_data[b->ent_offs[ib]] && la == lb &&
           memcmp(pa, pb, la) == 0;
}

static void free_keys(keyed *k, size_t n)
{
    for (size_t i = 0; k && i < n; i++)
        free(k[i].key);
    free(k);
}

/* Keys of every entity, sorted; duplicates of one source id get an occurrence number. */
static keyed *engine_keys(const cordon_engine *e, cordon_error *err)
{
    size_t n = cordon_engine_entity_count(e);
    keyed *k = xcalloc_array(n ? n : 1, sizeof *k);
    cordon_arena *a = cordon_arena_new();
    bool ok = k && a;
    for (size_t i = 0; ok && i < n; i++) {
        cordon_entity ent;
        cordon_arena_reset(a);
        if (cordon_engine_entity(e, i, a, &ent) != CORDON_OK) {
            cordon_arena_free(a);
            free_keys(k, n);
            err_set(err, CORDON_ERR_FORMAT, "snapshot entry %zu cannot be decoded", i);
            return NULL;
        }
        buf b = {0};
        ok = buf_printf(&b, "%s\x1f%s", ent.source ? ent.source : "",
                        ent.source_id ? ent.source_id : "");
        k[i].key = b.data;
        k[i].index = i;
    }
    cordon_arena_free(a);
    if (ok) {
        qsort(k, n, sizeof *k, key_cmp);
        for (size_t i = 1, base = 0; ok && i < n; i++) {
            if (strcmp(k[i].key, k[base].key) != 0) {
                base = i;
            } else {
                buf b = {0};
                ok = buf_printf(&b, "%s\x1f%zu", k[i].key, i - base);
                free(k[i].key);
                k[i].key = b.data;
            }
        }
        qsort(k, n, sizeof *k, key_cmp);
    }
    if (!ok) {
        free_keys(k, n);
        err_set(err, CORDON_ERR_NOMEM, "out of memory comparing snapshots");
        return NULL;
    }
    return k;
}

static int emit(cordon_diff_sink sink, void *ctx, cordon_diff_kind kind, const char *key,
                size_t oi, size_t ni)
{
    if (!sink)
        return 0;
    char src[256];
    size_t n = strcspn(key, "\x1f");
    snprintf(src, sizeof src, "%.*s", (int)n, key);
    const char *id = key[n] ? key + n + 1 : "";
    char idbuf[1024];
    snprintf(idbuf, sizeof idbuf, "%.*s", (int)strcspn(id, "\x1f"), id);
    return sink(ctx, kind, src, idbuf, oi, ni);
}

cordon_status cordon_update_diff(const cordon_engine *old_engine, const cordon_engine *new_engine,
                                 cordon_diff_sink sink, void *ctx, cordon_diff_stats *st,
                                 cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    cordon_diff_stats local;
    if (!st)
        st = &local;
    memset(st, 0, sizeof *st);
    size_t no = cordon_engine_entity_count(old_engine), nn = cordon_engine_entity_count(new_engine);
    keyed *ko = engine_keys(old_engine, err);
    keyed *kn = ko ? engine_keys(new_engine, err) : NULL;
    if (!kn) {
        free_keys(ko, no);
        return err->status;
    }
    size_t i = 0, j = 0;
    int stop = 0;
    while (!stop && (i < no || j < nn)) {
        int c = i == no ? 1 : j == nn ? -1 : strcmp(ko[i].key, kn[j].key);
        if (c < 0) {
            st->removed++;
            stop = emit(sink, ctx, CORDON_DIFF_REMOVED, ko[i].key, ko[i].index, SIZE_MAX);
            i++;
        } else if (c > 0) {
            st->added++;
            stop = emit(sink, ctx, CORDON_DIFF_ADDED, kn[j].key, SIZE_MAX, kn[j].index);
            j++;
        } else {
            if (same_entity(old_engine, ko[i].index, new_engine, kn[j].index))
                st->unchanged++;
            else {
                st->changed++;
                stop = emit(sink, ctx, CORDON_DIFF_CHANGED, kn[j].key, ko[i].index, kn[j].index);
            }
            i++;
            j++;
        }
    }
    free_keys(ko, no);
    free_keys(kn, nn);
    return stop ? err_set(err, CORDON_ERR_ABORTED, "diff stopped by its sink") : CORDON_OK;
}

/* ---- the delta snapshot ------------------------------------------------------------------- */

/* Writes one entry as a FollowTheMoney JSON line (the ftm-json reader reads it back): the
 * fields the matcher uses - names, type, identifiers, birth dates, countries. */
static const char *ftm_schema(cordon_entity_type t)
{
    switch (t) {
    case CORDON_TYPE_PERSON: return "Person";
    case CORDON_TYPE_ORGANIZATION: return "Organization";
    case CORDON_TYPE_VESSEL: return "Vessel";
    case CORDON_TYPE_AIRCRAFT: return "Airplane";
    default: return "LegalEntity";
    }
}

static const char *ftm_id_prop(cordon_id_type t)
{
    switch (t) {
    case CORDON_ID_PASSPORT: return "passportNumber";
    case CORDON_ID_TAX_ID: return "taxNumber";
    case CORDON_ID_REGISTRATION: return "registrationNumber";
    case CORDON_ID_IMO: return "imoNumber";
    case CORDON_ID_MMSI: return "mmsi";
    case CORDON_ID_CALL_SIGN: return "callSign";
    case CORDON_ID_AIRCRAFT_SERIAL: return "serialNumber";
    case CORDON_ID_SWIFT_BIC: return "swiftBic";
    case CORDON_ID_EMAIL: return "email";
    case CORDON_ID_PHONE: return "phone";
    case CORDON_ID_WEBSITE: return "website";
    default: return "idNumber";
    }
}

static void add_value(json_t *props, const char *prop, const char *v)
{
    if (!v || !*v)
        return;
    json_t *arr = json_object_get(props, prop);
    if (!arr) {
        arr = json_array();
        json_object_set_new(props, prop, arr);
    }
    json_array_append_new(arr, json_string(v));
}

static void add_lower(json_t *props, const char *prop, const char *cc)
{
    char low[8];
    size_t i = 0;
    for (; cc && cc[i] && i < sizeof low - 1; i++)
        low[i] = (char)(cc[i] >= 'A' && cc[i] <= 'Z' ? cc[i] + 32 : cc[i]);
    low[i] = 0;
    add_value(props, prop, low);
}

static void add_names(json_t *props, const cordon_entity *e)
{
    for (size_t i = 0; i < e->n_names; i++) {
        const char *prop = e->names[i].kind == CORDON_NAME_WEAK_AKA ? "weakAlias"
                           : e->names[i].kind == CORDON_NAME_FORMER ? "previousName"
                                                                    : "name";
        add_value(props, i == 0 ? "name" : prop, e->names[i].full);
    }
}

static void add_dates(json_t *props, const cordon_entity *e)
{
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const cordon_date *d = &e->birth_dates[i];
        char t[16];
        if (d->day)
            snprintf(t, sizeof t, "%04d-%02u-%02u", d->year_from, d->month, d->day);
        else if (d->month)
            snprintf(t, sizeof t, "%04d-%02u", d->year_from, d->month);
        else
            snprintf(t, sizeof t, "%04d", d->year_from);
        add_value(props, "birthDate", t);
    }
}

static char *ftm_line(const cordon_entity *e, size_t index)
{
    json_t *props = json_object();
    add_names(props, e);
    for (size_t i = 0; i < e->n_ids; i++)
        add_value(props, ftm_id_prop(e->ids[i].type), e->ids[i].value);
    add_dates(props, e);
    for (size_t i = 0; i < e->n_nationalities; i++)
        add_lower(props, e->type == CORDON_TYPE_PERSON ? "nationality" : "jurisdiction",
                  e->nationalities[i]);
    for (size_t i = 0; i < e->n_citizenships; i++)
        add_lower(props, "citizenship", e->citizenships[i]);
    for (size_t i = 0; i < e->n_addresses; i++)
        add_lower(props, "country", e->addresses[i].country);
    for (size_t i = 0; i < e->n_programs; i++)
        add_value(props, "program", e->programs[i]);
    char id[32];
    snprintf(id, sizeof id, "%zu", index);
    json_t *o = json_pack("{s:s, s:s, s:o}", "id", id, "schema", ftm_schema(e->type),
                          "properties", props);
    char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

typedef struct {
    const cordon_engine *e;
    FILE *out;
    cordon_arena *a;
    size_t n;
    bool failed;
} delta_ctx;

static int delta_sink(void *ctx, cordon_diff_kind kind, const char *source,
                      const char *source_id, size_t oi, size_t ni)
{
    delta_ctx *d = ctx;
    if (kind == CORDON_DIFF_REMOVED)
        return 0;
    cordon_entity ent;
    cordon_arena_reset(d->a);
    char *line = cordon_engine_entity(d->e, ni, d->a, &ent) == CORDON_OK ? ftm_line(&ent, ni) : NULL;
    if (!line || fprintf(d->out, "%s\n", line) < 0)
        d->failed = true;
    free(line);
    d->n++;
    return d->failed;
}

cordon_status delta_snapshot_build(const cordon_engine *old_engine,
                                   const cordon_engine *new_engine, const char *out_path,
                                   size_t *n_delta, cordon_error *err)
{
    char ftm[4096 + 16];
    snprintf(ftm, sizeof ftm, "%s.ftm.jsonl", out_path);
    FILE *f = fopen(ftm, "w");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", ftm, strerror(errno));
    delta_ctx d = {new_engine, f, cordon_arena_new(), 0, false};
    cordon_status st = d.a ? cordon_update_diff(old_engine, new_engine, delta_sink, &d, NULL, err)
                           : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    cordon_arena_free(d.a);
    if (fclose(f) != 0 || d.failed)
        st = err_set(err, CORDON_ERR_IO, "%s: cannot write the delta", ftm);
    *n_delta = d.n;
    if (st == CORDON_OK && d.n > 0) {
        cordon_builder *b = cordon_builder_new();
        cordon_source_spec spec = {"delta", "ftm-json", ftm};
        st = b ? cordon_builder_add(b, &spec, err) : err_set(err, CORDON_ERR_NOMEM, "out of memory");
        if (st == CORDON_OK)
            st = cordon_builder_write(b, out_path, err);
        cordon_builder_free(b);
    }
    unlink(ftm);
    return st;
}
