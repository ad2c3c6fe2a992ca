/* compat.c - the screening APIs that existing integrations already speak, answered from the
 * same engine: OpenSanctions yente (POST /match/{dataset}, GET /search/{dataset}), the W3C
 * entity reconciliation API used by OpenRefine (/reconcile), and moov-io watchman v2
 * (GET /v2/search, GET /v2/listinfo). Shapes follow each API's own documentation; scores are
 * cordon's, in [0,1]. */
#include "internal.h"
#include "lists/reader.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define YENTE_DEFAULT_LIMIT 5
#define YENTE_DEFAULT_CUTOFF 0.5
#define RECON_DEFAULT_LIMIT 5
#define RECON_CUTOFF 0.5
#define RECON_AUTOMATCH 0.95 /* a reconciliation candidate is a "match" only this sure */

static json_t *score_json(double x) { return json_real(round(x * 10000.0) / 10000.0); }

static void entity_id(const cordon_entity *e, char *out, size_t cap)
{
    snprintf(out, cap, "%s:%s", e->source ? e->source : "", e->source_id ? e->source_id : "");
}

/* ---------------------------------------------------------------------------------------- */
/* Screening an example with several names                                                   */

/* The hits of every name of an example, one per entity; allocated in the request's arena. */
typedef struct merged {
    cordon_hit *hits;
    size_t n, cap;
} merged;

static int by_score(const void *a, const void *b)
{
    double x = ((const cordon_hit *)a)->score, y = ((const cordon_hit *)b)->score;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps each entity once, with its best-scoring name. */
static void merge_hits(merged *m, const cordon_result *r)
{
    for (size_t i = 0; i < r->n_hits; i++) {
        size_t k = 0;
        while (k < m->n && m->hits[k].entity_index != r->hits[i].entity_index)
            k++;
        if (k < m->n) {
            if (r->hits[i].score > m->hits[k].score)
                m->hits[k] = r->hits[i];
        } else if (m->n < m->cap) {
            m->hits[m->n++] = r->hits[i];
        }
    }
}

/* Clients of these APIs send dates and countries in many spellings: what cordon cannot read
 * is left out of the query rather than failing it. */
static const char *usable_dob(const char *s, char *out, size_t cap)
{
    if (!s)
        return NULL;
    snprintf(out, cap, "%.10s", s); /* "1984-01-08T00:00:00Z" -> "1984-01-08" */
    cordon_date d;
    return date_parse_iso(out, &d) ? out : NULL;
}

static const char *usable_country(const char *s) { return s && country_code(s) ? s : NULL; }

/* Screens every name of the example (with the same other fields) and merges the hits. */
static cordon_status screen_example(const cordon_engine *e, const match_example *ex,
                                    const cordon_query *base, cordon_arena *a, merged *m,
                                    cordon_error *err)
{
    char dob[16];
    size_t per_name = base->limit ? base->limit : CORDON_DEFAULT_LIMIT;
    m->n = 0;
    m->cap = per_name * ex->n_names;
    m->hits = arena_alloc(a, (m->cap ? m->cap : 1) * sizeof *m->hits);
    if (!m->hits)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < ex->n_names; i++) {
        cordon_query q = *base;
        q.name = ex->names[i];
        q.type = ex->type;
        q.dob = usable_dob(ex->dob, dob, sizeof dob);
        q.country = usable_country(ex->country);
        q.id_type = ex->id_type;
        q.id_value = ex->id_value;
        cordon_result r;
        cordon_status st = cordon_screen(e, &q, a, &r, err);
        if (st == CORDON_ERR_INVALID && ex->n_names > 1)
            continue; /* one unusable alias ("-", "?") must not sink the others */
        if (st != CORDON_OK)
            return st;
        merge_hits(m, &r);
    }
    qsort(m->hits, m->n, sizeof m->hits[0], by_score);
    return CORDON_OK;
}

static void reply_screen_error(request *q, const cordon_error *err)
{
    if (err->status == CORDON_ERR_INVALID || err->status == CORDON_ERR_LIMIT)
        reply_error(q, 400, "bad_request", "%s", err->message);
    else
        reply_error(q, 500, "internal", "%s", err->message[0] ? err->message : "screening failed");
}

/* yente datasets: "default", "sanctions" and "all" are every list; a cordon source name is
 * that list alone. Returns false for anything else. */
static bool dataset_sources(const cordon_engine *e, const char *ds, cordon_query *q,
                            const char **one)
{
    q->n_sources = 0;
    if (!ds || strcmp(ds, "default") == 0 || strcmp(ds, "sanctions") == 0 ||
        strcmp(ds, "all") == 0)
        return true;
    for (size_t i = 0; i < cordon_engine_source_count(e); i++) {
        cordon_source_info si;
        if (cordon_engine_source(e, i, &si) == CORDON_OK && strcmp(si.name, ds) == 0) {
            *one = si.name;
            q->sources = one;
            q->n_sources = 1;
            return true;
        }
    }
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* FollowTheMoney rendering (yente)                                                          */

static void prop_add(json_t *props, const char *prop, const char *value)
{
    if (!value || !*value)
        return;
    json_t *arr = json_object_get(props, prop);
    if (!arr) {
        arr = json_array();
        json_object_set_new(props, prop, arr);
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
        if (strcmp(json_string_value(v), value) == 0)
            return;
    }
    json_array_append_new(arr, json_string(value));
}

static void prop_country(json_t *props, const char *prop, const char *iso2)
{
    char lc[8];
    if (!iso2)
        return;
    size_t n = 0;
    for (; iso2[n] && n < sizeof lc - 1; n++)
        lc[n] = (char)tolower((unsigned char)iso2[n]);
    lc[n] = 0;
    prop_add(props, prop, lc);
}

static const char *ftm_id_prop(const cordon_identifier *id, cordon_entity_type t)
{
    switch (id->type) {
    case CORDON_ID_PASSPORT: return "passportNumber";
    case CORDON_ID_TAX_ID: return "taxNumber";
    case CORDON_ID_REGISTRATION: return "registrationNumber";
    case CORDON_ID_IMO: return "imoNumber";
    case CORDON_ID_MMSI: return "mmsi";
    case CORDON_ID_CALL_SIGN: return "callSign";
    case CORDON_ID_AIRCRAFT_SERIAL: return "serialNumber";
    case CORDON_ID_AIRCRAFT_TAIL: return t == CORDON_TYPE_AIRCRAFT ? "registrationNumber" : "idNumber";
    case CORDON_ID_SWIFT_BIC: return "swiftBic";
    case CORDON_ID_EMAIL: return "email";
    case CORDON_ID_PHONE: return "phone";
    case CORDON_ID_WEBSITE: return "website";
    case CORDON_ID_CRYPTO: return NULL; /* a CryptoWallet entity of its own in FtM */
    default: return "idNumber";
    }
}

static void ftm_dates(json_t *props, const cordon_entity *e)
{
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const cordon_date *d = &e->birth_dates[i];
        char s[32];
        if (d->year_from != d->year_to) { /* a range: both ends, as FtM has no ranges */
            snprintf(s, sizeof s, "%04d", d->year_from);
            prop_add(props, "birthDate", s);
            snprintf(s, sizeof s, "%04d", d->year_to);
        } else if (d->day) {
            snprintf(s, sizeof s, "%04d-%02d-%02d", d->year_from, d->month, d->day);
        } else if (d->month) {
            snprintf(s, sizeof s, "%04d-%02d", d->year_from, d->month);
        } else {
            snprintf(s, sizeof s, "%04d", d->year_from);
        }
        prop_add(props, "birthDate", s);
    }
}

static json_t *ftm_properties(const cordon_entity *e)
{
    json_t *p = json_object();
    static const char *const name_props[CORDON_NAME_KIND_COUNT] = {"name", "alias", "weakAlias",
                                                                   "previousName", "name"};
    for (size_t i = 0; i < e->n_names; i++)
        prop_add(p, name_props[e->names[i].kind < CORDON_NAME_KIND_COUNT ? e->names[i].kind : 1],
                 e->names[i].full);
    ftm_dates(p, e);
    for (size_t i = 0; i < e->n_birth_places; i++)
        prop_add(p, "birthPlace", e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        prop_country(p, "nationality", e->nationalities[i]);
    for (size_t i = 0; i < e->n_citizenships; i++)
        prop_country(p, "citizenship", e->citizenships[i]);
    if (e->gender)
        prop_add(p, "gender", e->gender);
    for (size_t i = 0; i < e->n_addresses; i++) {
        prop_add(p, "address", e->addresses[i].text);
        prop_country(p, "country", e->addresses[i].country);
    }
    for (size_t i = 0; i < e->n_ids; i++) {
        const char *prop = ftm_id_prop(&e->ids[i], e->type);
        if (prop)
            prop_add(p, prop, e->ids[i].value);
    }
    for (size_t i = 0; i < e->n_programs; i++)
        prop_add(p, "program", e->programs[i]);
    prop_add(p, "topics", "sanction");
    if (e->remarks)
        prop_add(p, "notes", e->remarks);
    return p;
}

static json_t *ftm_entity(const cordon_entity *e)
{
    char id[160], seen[40] = "";
    entity_id(e, id, sizeof id);
    if (e->listed_on)
        snprintf(seen, sizeof seen, "%.10sT00:00:00", e->listed_on);
    return json_pack("{s:s, s:s, s:s, s:o, s:[s], s:[], s:b, s:o, s:n, s:n}", "id", id, "caption",
                     e->n_names ? e->names[0].full : "", "schema", ftm_schema_name(e->type),
                     "properties", ftm_properties(e), "datasets", e->source ? e->source : "",
                     "referents", "target", 1, "first_seen", *seen ? json_string(seen) : json_null(),
                     "last_seen", "last_change");
}

static json_t *hit_features(const cordon_hit *h)
{
    json_t *f = json_object();
    json_object_set_new(f, "name", score_json(h->name_score));
    for (size_t i = 0; i < h->n_features; i++) {
        const cordon_feature_score *fs = &h->features[i];
        json_t *old = json_object_get(f, fs->feature);
        double v = fs->delta + (old ? json_real_value(old) : 0.0);
        json_object_set_new(f, fs->feature, score_json(v));
    }
    return f;
}

static json_t *yente_matcher(cordon_algorithm algo)
{
    json_t *m = json_object();
    static const char *const feats[][2] = {
        {"name", "Name similarity: token alignment with rarity weights (or Jaro-Winkler and "
                 "Soundex with algorithm=ofac)"},
        {"dob", "Birth date agreement or conflict"},
        {"country", "Country agreement or conflict"},
        {"type", "Entity type agreement"},
        {"identifier", "Identifier agreement"},
        {"name_kind", "Penalty for weak aliases"}};
    for (size_t i = 0; i < sizeof feats / sizeof feats[0]; i++)
        json_object_set_new(m, feats[i][0],
                            json_pack("{s:s, s:f, s:s}", "description", feats[i][1], "coefficient",
                                      1.0, "url", ""));
    (void)algo;
    return m;
}

/* ---------------------------------------------------------------------------------------- */
/* yente POST /match/{dataset}                                                               */

typedef struct yente_opts {
    size_t limit;
    double threshold, cutoff;
    cordon_algorithm algo;
    const char *exclude_datasets[SREQ_MAX_SOURCES];
    size_t n_exclude_ds;
    bool exclude_schema[CORDON_TYPE_COUNT];
    const char *exclude_ids[50];
    size_t n_exclude_ids;
} yente_opts;

static int yente_options(const request *q, yente_opts *o, char *msg, size_t cap)
{
    memset(o, 0, sizeof *o);
    o->limit = YENTE_DEFAULT_LIMIT;
    o->threshold = CORDON_DEFAULT_THRESHOLD;
    o->cutoff = YENTE_DEFAULT_CUTOFF;
    for (size_t i = 0; i < q->n_args; i++) {
        const char *k = q->args[i].key, *v = q->args[i].value;
        bool known;
        if (strcmp(k, "limit") == 0 && !parse_size(v, 1, SREQ_MAX_LIMIT, &o->limit))
            return snprintf(msg, cap, "limit: a whole number from 1 to %d", SREQ_MAX_LIMIT), -1;
        if ((strcmp(k, "threshold") == 0 && !parse_unit(v, &o->threshold)) ||
            (strcmp(k, "cutoff") == 0 && !parse_unit(v, &o->cutoff)))
            return snprintf(msg, cap, "%s: a number from 0 to 1", k), -1;
        if (strcmp(k, "algorithm") == 0 && v && strcmp(v, "ofac") == 0)
            o->algo = CORDON_ALGO_OFAC;
        if (strcmp(k, "exclude_dataset") == 0 && v && o->n_exclude_ds < SREQ_MAX_SOURCES)
            o->exclude_datasets[o->n_exclude_ds++] = v;
        if (strcmp(k, "exclude_entity_ids") == 0 && v && o->n_exclude_ids < 50)
            o->exclude_ids[o->n_exclude_ids++] = v;
        if (strcmp(k, "exclude_schema") == 0 && v) {
            cordon_entity_type t = ftm_schema_type(v, &known);
            if (known && t != CORDON_TYPE_UNKNOWN)
                o->exclude_schema[t] = true;
        }
    }
    return 0;
}

static bool yente_excluded(const yente_opts *o, const cordon_entity *e)
{
    if (o->exclude_schema[e->type])
        return true;
    for (size_t i = 0; i < o->n_exclude_ds; i++)
        if (e->source && strcmp(o->exclude_datasets[i], e->source) == 0)
            return true;
    char id[160];
    entity_id(e, id, sizeof id);
    for (size_t i = 0; i < o->n_exclude_ids; i++)
        if (strcmp(o->exclude_ids[i], id) == 0)
            return true;
    return false;
}

static json_t *yente_response(const match_example *ex, const merged *m, const yente_opts *o)
{
    json_t *results = json_array();
    size_t n = 0;
    for (size_t i = 0; i < m->n && n < o->limit; i++) {
        const cordon_hit *h = &m->hits[i];
        if (yente_excluded(o, &h->entity))
            continue;
        json_t *ent = ftm_entity(&h->entity);
        json_object_set_new(ent, "score", score_json(h->score));
        json_object_set_new(ent, "features", hit_features(h));
        json_object_set_new(ent, "match", json_boolean(h->score >= o->threshold));
        json_array_append_new(results, ent);
        n++;
    }
    json_t *src_id = json_object_get(ex->src, "id");
    json_t *query = json_pack("{s:O, s:O, s:O}", "id", src_id ? src_id : json_null(), "schema",
                              json_object_get(ex->src, "schema"), "properties",
                              json_object_get(ex->src, "properties"));
    return json_pack("{s:i, s:o, s:{s:I, s:s}, s:o}", "status", 200, "results", results, "total",
                     "value", (json_int_t)n, "relation", "eq", "query", query);
}

void h_yente_match(server *s, request *q)
{
    char msg[512];
    yente_opts o;
    if (yente_options(q, &o, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
        return;
    }
    json_error_t je;
    json_t *root = q->body.len ? json_loadb(q->body.data, q->body.len, 0, &je) : NULL;
    if (!root && !q->body.len) {
        reply_error(q, 400, "bad_request", "body: empty; send {\"queries\": {...}}");
        return;
    }
    if (!root) {
        reply_error(q, 400, "bad_request", "body: invalid JSON at line %d column %d: %s",
                    je.line, je.column, je.text);
        return;
    }
    match_example *ex = calloc(EX_MAX_QUERIES, sizeof *ex);
    size_t n = 0;
    if (!ex || yente_parse(root, ex, EX_MAX_QUERIES, &n, msg, sizeof msg)) {
        if (ex)
            reply_error(q, 400, "bad_request", "%s", msg);
        else
            reply_error(q, 500, "internal", "out of memory");
        free(ex);
        json_decref(root);
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        free(ex);
        json_decref(root);
        return;
    }
    const char *one = NULL;
    cordon_query base = {0};
    base.threshold = o.cutoff < o.threshold ? o.cutoff : o.threshold;
    base.algorithm = o.algo;
    /* Ask for more than the limit: exclusions are applied after scoring. */
    base.limit = o.limit * 3 < SREQ_MAX_LIMIT ? o.limit * 3 : SREQ_MAX_LIMIT;
    if (!dataset_sources(r->engine, q->tail, &base, &one)) {
        reply_error(q, 404, "not_found", "Dataset not found: %.64s (use default or a list name "
                    "from GET /v1/lists)", q->tail);
    } else {
        merged m;
        json_t *responses = json_object();
        cordon_arena *a = thread_arena();
        cordon_error err = {0};
        size_t i = 0;
        for (; i < n; i++) {
            if (screen_example(r->engine, &ex[i], &base, a, &m, &err) != CORDON_OK)
                break;
            json_object_set_new(responses, ex[i].key, yente_response(&ex[i], &m, &o));
        }
        cordon_arena_reset(a);
        if (i < n) {
            json_decref(responses);
            reply_screen_error(q, &err);
        } else {
            reply_obj(q, 200, json_pack("{s:o, s:o, s:I}", "responses", responses, "matcher",
                                        yente_matcher(o.algo), "limit", (json_int_t)o.limit));
        }
    }
    holder_release(r);
    free(ex);
    json_decref(root);
}

/* ---------------------------------------------------------------------------------------- */
/* yente GET /search/{dataset}                                                               */

typedef struct search_filter {
    bool any_type;
    cordon_entity_type type;
    const char *countries[16];
    size_t n_countries;
    const char *datasets[SREQ_MAX_SOURCES];
    size_t n_datasets;
} search_filter;

static bool has_country(const search_filter *f, const cordon_entity *e)
{
    if (!f->n_countries)
        return true;
    for (size_t c = 0; c < f->n_countries; c++) {
        const char *want = f->countries[c];
        for (size_t i = 0; i < e->n_nationalities; i++)
            if (strcasecmp(e->nationalities[i], want) == 0)
                return true;
        for (size_t i = 0; i < e->n_citizenships; i++)
            if (strcasecmp(e->citizenships[i], want) == 0)
                return true;
        for (size_t i = 0; i < e->n_addresses; i++)
            if (e->addresses[i].country && strcasecmp(e->addresses[i].country, want) == 0)
                return true;
    }
    return false;
}

static bool search_keep(const search_filter *f, const cordon_entity *e)
{
    if (!f->any_type && e->type != f->type)
        return false;
    bool ds = f->n_datasets == 0;
    for (size_t i = 0; i < f->n_datasets && !ds; i++)
        ds = e->source && strcmp(e->source, f->datasets[i]) == 0;
    return ds && has_country(f, e);
}

/* No query text: page through the lists in snapshot order, as yente lists everything. */
static json_t *search_browse(const cordon_engine *e, const cordon_query *base,
                             const search_filter *f, size_t offset, size_t limit, size_t *total)
{
    json_t *results = json_array();
    cordon_arena *a = thread_arena();
    *total = 0;
    for (size_t i = 0; i < cordon_engine_entity_count(e); i++) {
        cordon_entity ent;
        cordon_arena_reset(a);
        if (cordon_engine_entity(e, i, a, &ent) != CORDON_OK || !search_keep(f, &ent))
            continue;
        bool in_list = base->n_sources == 0 || strcmp(ent.source, base->sources[0]) == 0;
        if (!in_list)
            continue;
        if (*total >= offset && *total < offset + limit)
            json_array_append_new(results, ftm_entity(&ent));
        (*total)++;
    }
    cordon_arena_reset(a);
    return results;
}

static int search_options(const request *q, search_filter *f, size_t *limit, size_t *offset,
                          char *msg, size_t cap)
{
    memset(f, 0, sizeof *f);
    f->any_type = true;
    *limit = 10;
    *offset = 0;
    for (size_t i = 0; i < q->n_args; i++) {
        const char *k = q->args[i].key, *v = q->args[i].value;
        if (strcmp(k, "limit") == 0 && !parse_size(v, 1, 500, limit))
            return snprintf(msg, cap, "limit: a whole number from 1 to 500"), -1;
        if (strcmp(k, "offset") == 0 && !parse_size(v, 0, 9499, offset))
            return snprintf(msg, cap, "offset: a whole number from 0 to 9499"), -1;
        if (strcmp(k, "schema") == 0) {
            bool known;
            f->type = ftm_schema_type(v, &known);
            if (!known)
                return snprintf(msg, cap, "Invalid schema"), -1;
            f->any_type = f->type == CORDON_TYPE_UNKNOWN;
        }
        if (strcmp(k, "countries") == 0 && v && f->n_countries < 16)
            f->countries[f->n_countries++] = v;
        if (strcmp(k, "datasets") == 0 && v && f->n_datasets < SREQ_MAX_SOURCES)
            f->datasets[f->n_datasets++] = v;
    }
    return 0;
}

void h_yente_search(server *s, request *q)
{
    char msg[512];
    search_filter f;
    size_t limit, offset;
    if (search_options(q, &f, &limit, &offset, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
        return;
    }
    const char *text = req_arg(q, "q");
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    const char *one = NULL;
    cordon_query base = {0};
    base.threshold = 0.7;
    if (!dataset_sources(r->engine, q->tail, &base, &one)) {
        reply_error(q, 404, "not_found", "Dataset not found: %.64s", q->tail);
        holder_release(r);
        return;
    }
    size_t total = 0;
    json_t *results = NULL;
    const char *relation = "eq";
    if (!text || !*text) {
        results = search_browse(r->engine, &base, &f, offset, limit, &total);
    } else {
        cordon_arena *a = thread_arena();
        cordon_query qq = base;
        qq.name = text;
        qq.type = f.any_type ? CORDON_TYPE_UNKNOWN : f.type;
        qq.limit = offset + limit < SREQ_MAX_LIMIT ? offset + limit : SREQ_MAX_LIMIT;
        cordon_result res;
        cordon_error err = {0};
        if (cordon_screen(r->engine, &qq, a, &res, &err) != CORDON_OK) {
            cordon_arena_reset(a);
            holder_release(r);
            reply_screen_error(q, &err);
            return;
        }
        results = json_array();
        for (size_t i = 0; i < res.n_hits; i++) {
            if (!search_keep(&f, &res.hits[i].entity))
                continue;
            if (total >= offset && total < offset + limit)
                json_array_append_new(results, ftm_entity(&res.hits[i].entity));
            total++;
        }
        relation = res.n_hits == qq.limit ? "gte" : "eq";
        cordon_arena_reset(a);
    }
    holder_release(r);
    reply_obj(q, 200, json_pack("{s:o, s:{}, s:{s:I, s:s}, s:I, s:I}", "results", results,
                                "facets", "total", "value", (json_int_t)total, "relation",
                                relation, "limit", (json_int_t)limit, "offset",
                                (json_int_t)offset));
}

/* ---------------------------------------------------------------------------------------- */
/* W3C reconciliation (/reconcile, /reconcile/{dataset})                                     */

static json_t *recon_types(void)
{
    json_t *a = json_array();
    static const char *const t[] = {"Person", "Organization", "Vessel", "Airplane", "LegalEntity"};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "id", t[i], "name", t[i]));
    return a;
}

static json_t *recon_manifest(void)
{
    return json_pack("{s:[s], s:s, s:s, s:s, s:s, s:o, s:i}", "versions", "0.2", "name",
                     "cordon sanctions screening", "identifierSpace", "urn:cordon:entity",
                     "schemaSpace", "urn:cordon:schema", "serviceVersion", CORDON_VERSION,
                     "defaultTypes", recon_types(), "batchSize", 10);
}

static json_t *recon_candidate(const cordon_hit *h, bool match)
{
    const cordon_entity *e = &h->entity;
    char id[160], desc[512];
    entity_id(e, id, sizeof id);
    size_t n = (size_t)snprintf(desc, sizeof desc, "%s %s", e->source ? e->source : "",
                                e->source_id ? e->source_id : "");
    for (size_t i = 0; i < e->n_programs && n < sizeof desc; i++)
        n += (size_t)snprintf(desc + n, sizeof desc - n, "%s%s", i ? ", " : " - ", e->programs[i]);
    const char *schema = ftm_schema_name(e->type);
    return json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}], s:o, s:[{s:s, s:o}], s:b}", "id", id, "name",
                     e->n_names ? e->names[0].full : "", "description", desc, "type", "id",
                     schema, "name", schema, "score", score_json(h->score), "features", "id",
                     "name", "value", score_json(h->name_score), "match", match);
}

static int recon_batch(const engine_ref *r, const char *dataset, json_t *queries,
                       match_example *ex, request *q)
{
    char msg[512];
    size_t n = 0;
    const char *one = NULL;
    cordon_query base = {0};
    base.threshold = RECON_CUTOFF;
    if (reconcile_parse(queries, ex, EX_MAX_QUERIES, &n, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "queries: %s", msg);
        return -1;
    }
    if (!dataset_sources(r->engine, dataset, &base, &one)) {
        reply_error(q, 404, "not_found", "Dataset not found: %.64s", dataset);
        return -1;
    }
    merged m;
    cordon_arena *a = thread_arena();
    cordon_error err = {0};
    json_t *out = json_object();
    for (size_t i = 0; i < n; i++) {
        base.limit = ex[i].limit ? ex[i].limit : RECON_DEFAULT_LIMIT;
        if (screen_example(r->engine, &ex[i], &base, a, &m, &err) != CORDON_OK) {
            cordon_arena_reset(a);
            json_decref(out);
            reply_screen_error(q, &err);
            return -1;
        }
        json_t *res = json_array();
        for (size_t k = 0; k < m.n && k < base.limit; k++)
            json_array_append_new(res, recon_candidate(&m.hits[k],
                                                       k == 0 && m.hits[k].score >= RECON_AUTOMATCH));
        json_object_set_new(out, ex[i].key, json_pack("{s:o}", "result", res));
    }
    cordon_arena_reset(a);
    reply_obj(q, 200, out);
    return 0;
}

typedef struct form_fields {
    char *queries;
    bool extend;
} form_fields;

static int take_form_field(void *ctx, const char *key, const char *value)
{
    form_fields *f = ctx;
    if (strcmp(key, "queries") == 0 && !f->queries)
        f->queries = strdup(value);
    else if (strcmp(key, "extend") == 0)
        f->extend = true;
    return 0;
}

void h_reconcile(server *s, request *q)
{
    char msg[512];
    form_fields form = {NULL, false};
    const char *queries = req_arg(q, "queries");
    if (req_arg(q, "extend"))
        form.extend = true;
    if (q->method == M_POST && !queries && q->body.len) {
        const char *ct = q->content_type;
        if (ct && strncasecmp(ct, "application/json", 16) == 0) {
            form.queries = strndup(q->body.data, q->body.len); /* the batch sent bare */
        } else if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) != 0) {
            reply_error(q, 415, "unsupported_media_type", "send queries= as "
                        "application/x-www-form-urlencoded");
            return;
        } else if (form_parse(q->body.data, q->body.len, take_form_field, &form, msg, sizeof msg)) {
            reply_error(q, 400, "bad_request", "body: %s", msg);
            free(form.queries);
            return;
        }
        queries = form.queries;
    }
    if (form.extend) {
        free(form.queries);
        reply_error(q, 400, "bad_request", "data extension is not supported by this service");
        return;
    }
    if (!queries) {
        free(form.queries);
        if (q->method == M_POST)
            reply_error(q, 400, "bad_request", "queries: required (a JSON object of queries)");
        else
            reply_obj(q, 200, recon_manifest());
        return;
    }
    json_error_t je;
    json_t *root = json_loads(queries, 0, &je);
    free(form.queries);
    if (!root) {
        reply_error(q, 400, "bad_request", "queries: invalid JSON at line %d column %d: %s",
                    je.line, je.column, je.text);
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    match_example *ex = calloc(EX_MAX_QUERIES, sizeof *ex);
    if (!r)
        reply_error(q, 503, "unavailable", "no snapshot loaded");
    else if (!ex)
        reply_error(q, 500, "internal", "out of memory");
    else
        recon_batch(r, q->tail, root, ex, q);
    free(ex);
    holder_release(r);
    json_decref(root);
}

/* ---------------------------------------------------------------------------------------- */
/* moov-io watchman v2                                                                       */

static const char *watchman_type(cordon_entity_type t)
{
    switch (t) {
    case CORDON_TYPE_PERSON: return "person";
    case CORDON_TYPE_ORGANIZATION: return "business";
    case CORDON_TYPE_VESSEL: return "vessel";
    case CORDON_TYPE_AIRCRAFT: return "aircraft";
    default: return "unknown";
    }
}

static json_t *watchman_date(const cordon_date *d)
{
    char s[40];
    snprintf(s, sizeof s, "%04d-%02d-%02dT00:00:00Z", d->year_from, d->month ? d->month : 1,
             d->day ? d->day : 1);
    return json_string(s);
}

static const char *gov_id_type(cordon_id_type t)
{
    switch (t) {
    case CORDON_ID_PASSPORT: return "passport";
    case CORDON_ID_NATIONAL_ID: return "national-id";
    case CORDON_ID_TAX_ID: return "tax-id";
    case CORDON_ID_REGISTRATION: return "business-registration";
    default: return NULL;
    }
}

/* The kind-specific block: person, business, vessel or aircraft. */
static json_t *watchman_detail(const cordon_entity *e)
{
    json_t *alt = json_array(), *gov = json_array();
    for (size_t i = 1; i < e->n_names; i++)
        if (e->names[i].kind != CORDON_NAME_FORMER)
            json_array_append_new(alt, json_string(e->names[i].full));
    for (size_t i = 0; i < e->n_ids; i++) {
        const char *t = gov_id_type(e->ids[i].type);
        if (t)
            json_array_append_new(gov, json_pack("{s:s, s:s, s:s, s:s}", "type", t, "country",
                                                 e->ids[i].country ? e->ids[i].country : "",
                                                 "identifier", e->ids[i].value, "name",
                                                 e->ids[i].label ? e->ids[i].label : ""));
    }
    json_t *o = json_pack("{s:s, s:o}", "name", e->n_names ? e->names[0].full : "", "altNames", alt);
    if (e->type == CORDON_TYPE_PERSON) {
        json_object_set_new(o, "gender", json_string(e->gender ? e->gender : ""));
        json_object_set_new(o, "birthDate",
                            e->n_birth_dates ? watchman_date(&e->birth_dates[0]) : json_null());
        json_object_set_new(o, "placeOfBirth",
                            json_string(e->n_birth_places ? e->birth_places[0] : ""));
    }
    if (e->type == CORDON_TYPE_VESSEL || e->type == CORDON_TYPE_AIRCRAFT) {
        json_decref(gov);
        for (size_t i = 0; i < e->n_ids; i++) {
            static const struct { cordon_id_type t; const char *k; } m[] = {
                {CORDON_ID_IMO, "imoNumber"},      {CORDON_ID_MMSI, "mmsi"},
                {CORDON_ID_CALL_SIGN, "callSign"}, {CORDON_ID_AIRCRAFT_SERIAL, "serialNumber"},
                {CORDON_ID_AIRCRAFT_TAIL, "icaoCode"}};
            for (size_t k = 0; k < sizeof m / sizeof m[0]; k++)
                if (m[k].t == e->ids[i].type && !json_object_get(o, m[k].k))
                    json_object_set_new(o, m[k].k, json_string(e->ids[i].value));
        }
        if (e->n_nationalities)
            json_object_set_new(o, "flag", json_string(e->nationalities[0]));
    } else {
        json_object_set_new(o, "governmentIDs", gov);
    }
    return o;
}

static json_t *watchman_entity(const cordon_entity *e)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "name", e->n_names ? e->names[0].full : "",
                          "entityType", watchman_type(e->type), "sourceList",
                          e->source ? e->source : "", "sourceID", e->source_id ? e->source_id : "");
    static const char *const kinds[] = {"person", "business", "organization", "aircraft", "vessel"};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        json_object_set_new(o, kinds[k], strcmp(kinds[k], watchman_type(e->type)) == 0
                                             ? watchman_detail(e) : json_null());
    json_t *emails = json_array(), *phones = json_array(), *webs = json_array(),
           *crypto = json_array(), *addrs = json_array(), *aff = json_array(), *hist = json_array();
    for (size_t i = 0; i < e->n_ids; i++) {
        const cordon_identifier *id = &e->ids[i];
        if (id->type == CORDON_ID_EMAIL)
            json_array_append_new(emails, json_string(id->value));
        else if (id->type == CORDON_ID_PHONE)
            json_array_append_new(phones, json_string(id->value));
        else if (id->type == CORDON_ID_WEBSITE)
            json_array_append_new(webs, json_string(id->value));
        else if (id->type == CORDON_ID_CRYPTO) {
            const char *dash = id->label ? strrchr(id->label, '-') : NULL;
            char cur[16] = "";
            if (dash)
                snprintf(cur, sizeof cur, "%s", dash[1] == ' ' ? dash + 2 : dash + 1);
            json_array_append_new(crypto, json_pack("{s:s, s:s}", "currency", cur, "address",
                                                    id->value));
        }
    }
    for (size_t i = 0; i < e->n_addresses; i++)
        json_array_append_new(addrs, json_pack("{s:s, s:s}", "line1", e->addresses[i].text,
                                               "country", e->addresses[i].country
                                                              ? e->addresses[i].country : ""));
    for (size_t i = 0; i < e->n_linked_to; i++)
        json_array_append_new(aff, json_pack("{s:s, s:s}", "entityName", e->linked_to[i], "type",
                                             "Linked To"));
    for (size_t i = 0; i < e->n_names; i++)
        if (e->names[i].kind == CORDON_NAME_FORMER)
            json_array_append_new(hist, json_pack("{s:s, s:s}", "type", "Former Name", "value",
                                                  e->names[i].full));
    json_object_set_new(o, "contact", json_pack("{s:o, s:o, s:[], s:o}", "emailAddresses", emails,
                                                "phoneNumbers", phones, "faxNumbers", "websites",
                                                webs));
    json_object_set_new(o, "addresses", addrs);
    json_object_set_new(o, "cryptoAddresses", crypto);
    json_object_set_new(o, "affiliations", aff);
    json_t *progs = json_array();
    for (size_t i = 0; i < e->n_programs; i++)
        json_array_append_new(progs, json_string(e->programs[i]));
    json_object_set_new(o, "sanctionsInfo", json_pack("{s:o, s:b, s:s}", "programs", progs,
                                                      "secondary", 0, "description",
                                                      e->remarks ? e->remarks : ""));
    json_object_set_new(o, "historicalInfo", hist);
    return o;
}

/* watchman parameters -> a cordon example; unknown parameters are ignored, as watchman does. */
typedef struct watchman_req {
    match_example ex;
    cordon_query base;
    const char *sources[SREQ_MAX_SOURCES];
    const char *source_id;
    char idbuf[300];
} watchman_req;

static const struct {
    const char *param;
    const char *id_type;
    bool country_prefixed; /* "US:123456789" */
} watchman_ids[] = {
    {"imoNumber", "imo", false},      {"mmsi", "mmsi", false},
    {"callSign", "call_sign", false}, {"serialNumber", "aircraft_serial", false},
    {"icaoCode", "aircraft_tail", false}, {"email", "email", false},
    {"emailAddress", "email", false}, {"phone", "phone", false},
    {"phoneNumber", "phone", false},  {"website", "website", false},
    {"cryptoAddress", "crypto", true}, {"gov_passport", "passport", true},
    {"gov_national-id", "national_id", true}, {"gov_tax-id", "tax_id", true},
    {"gov_business-registration", "registration", true},
    {"gov_commercial-registry", "registration", true},
};

static int watchman_id(watchman_req *w, size_t k, const char *v)
{
    if (w->ex.id_value || !v || !*v)
        return 0;
    const char *val = v;
    if (watchman_ids[k].country_prefixed && strchr(v, ':'))
        val = strchr(v, ':') + 1;
    snprintf(w->idbuf, sizeof w->idbuf, "%s", val);
    w->ex.id_value = w->idbuf;
    w->ex.id_type = watchman_ids[k].id_type;
    return 0;
}

static int watchman_param(watchman_req *w, const char *k, const char *v, char *msg, size_t cap)
{
    if (strcmp(k, "name") == 0 || strcmp(k, "altNames") == 0) {
        if (v && *v && strlen(v) <= CORDON_MAX_QUERY_BYTES && w->ex.n_names < EX_MAX_NAMES)
            w->ex.names[w->ex.n_names++] = v;
        if (strcmp(k, "name") == 0 && w->ex.n_names > 1 && w->ex.names[0] != v) {
            /* name first: it is the query's name in the response */
            const char *t = w->ex.names[0];
            w->ex.names[0] = v;
            w->ex.names[w->ex.n_names - 1] = t;
        }
    } else if (strcmp(k, "type") == 0) {
        w->ex.type = v && (strcmp(v, "business") == 0 || strcmp(v, "organization") == 0)
                         ? CORDON_TYPE_ORGANIZATION : cordon_entity_type_parse(v);
        if (w->ex.type == CORDON_TYPE_UNKNOWN)
            return snprintf(msg, cap, "type: use person, business, organization, aircraft or "
                            "vessel"), -1;
    } else if (strcmp(k, "limit") == 0) {
        if (!parse_size(v, 1, 100, &w->base.limit))
            return snprintf(msg, cap, "limit: a whole number from 1 to 100"), -1;
    } else if (strcmp(k, "minMatch") == 0) {
        if (!parse_unit(v, &w->base.threshold))
            return snprintf(msg, cap, "minMatch: a number from 0 to 1"), -1;
    } else if (strcmp(k, "birthDate") == 0) {
        w->ex.dob = v;
    } else if (strcmp(k, "flag") == 0) {
        w->ex.country = v;
    } else if (strcmp(k, "source") == 0) {
        if (v && *v && w->base.n_sources < SREQ_MAX_SOURCES)
            w->sources[w->base.n_sources++] = v;
    } else if (strcmp(k, "sourceID") == 0) {
        w->source_id = v;
    } else {
        for (size_t i = 0; i < sizeof watchman_ids / sizeof watchman_ids[0]; i++)
            if (strcmp(k, watchman_ids[i].param) == 0)
                return watchman_id(w, i, v);
    }
    return 0;
}

static json_t *watchman_query(const watchman_req *w)
{
    json_t *o = json_pack("{s:s, s:s}", "name", w->ex.n_names ? w->ex.names[0] : "", "entityType",
                          w->ex.type ? watchman_type(w->ex.type) : "");
    if (w->base.n_sources)
        json_object_set_new(o, "sourceList", json_string(w->sources[0]));
    if (w->ex.dob)
        json_object_set_new(o, "person", json_pack("{s:s}", "birthDate", w->ex.dob));
    return o;
}

void h_watchman_search(server *s, request *q)
{
    char msg[512];
    watchman_req w;
    memset(&w, 0, sizeof w);
    w.base.limit = 10;
    w.base.threshold = CORDON_DEFAULT_THRESHOLD;
    w.base.sources = w.sources;
    for (size_t i = 0; i < q->n_args; i++)
        if (watchman_param(&w, q->args[i].key, q->args[i].value, msg, sizeof msg)) {
            reply_error(q, 400, "bad_request", "%s", msg);
            return;
        }
    if (w.ex.n_names == 0) {
        reply_error(q, 400, "bad_request", "name: required");
        return;
    }
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    merged m;
    cordon_arena *a = thread_arena();
    cordon_error err = {0};
    if (check_sources(r->engine, &w.base, msg, sizeof msg)) {
        reply_error(q, 400, "bad_request", "%s", msg);
    } else if (screen_example(r->engine, &w.ex, &w.base, a, &m, &err) != CORDON_OK) {
        reply_screen_error(q, &err);
    } else {
        json_t *ents = json_array();
        for (size_t i = 0, n = 0; i < m.n && n < w.base.limit; i++) {
            const cordon_entity *e = &m.hits[i].entity;
            if (w.source_id && (!e->source_id || strcmp(e->source_id, w.source_id) != 0))
                continue;
            json_t *o = watchman_entity(e);
            json_object_set_new(o, "match", score_json(m.hits[i].score));
            json_array_append_new(ents, o);
            n++;
        }
        reply_obj(q, 200, json_pack("{s:o, s:o}", "query", watchman_query(&w), "entities", ents));
    }
    cordon_arena_reset(a);
    holder_release(r);
}

void h_watchman_listinfo(server *s, request *q)
{
    engine_ref *r = holder_acquire(&s->holder);
    if (!r) {
        reply_error(q, 503, "unavailable", "no snapshot loaded");
        return;
    }
    json_t *lists = json_object(), *hashes = json_object();
    for (size_t i = 0; i < cordon_engine_source_count(r->engine); i++) {
        cordon_source_info si;
        if (cordon_engine_source(r->engine, i, &si) != CORDON_OK)
            continue;
        json_object_set_new(lists, si.name, json_integer(si.entities));
        json_object_set_new(hashes, si.name, json_string(si.sha256));
    }
    char loaded[32];
    struct tm tm;
    gmtime_r(&r->loaded_at, &tm);
    strftime(loaded, sizeof loaded, "%Y-%m-%dT%H:%M:%SZ", &tm);
    holder_release(r);
    reply_obj(q, 200, json_pack("{s:o, s:o, s:s, s:s, s:s}", "lists", lists, "listHashes", hashes,
                                "startedAt", loaded, "endedAt", loaded, "version",
                                "cordon " CORDON_VERSION));
}
