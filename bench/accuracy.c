/* accuracy.c - cordon-accuracy: every accuracy figure of docs/accuracy.md from one command.
 *
 *   1. alias hold-out: each list name is queried with that one name held out of the index
 *      (match_screen), and the rank of its own entity is recorded;
 *   2. recall loss of the index: a seeded sample of those queries, indexed vs exhaustive;
 *   3. labelled pairs (data/eval/name_pairs_nomenklatura.csv) through cordon_compare;
 *   4. false-positive rate on ordinary names (data/eval/ordinary_names.tsv, made by
 *      bench/gen_names.py).
 *
 * Everything is seeded and independent of the thread count, so two runs print the same. */
#include "bench_util.h"
#include "lists/reader.h"
#include "match/match.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TOP_K 10
#define DEFAULT_SEED 20260301ull

/* ---- options and small helpers ----------------------------------------------------------- */

typedef struct options {
    const char *snapshot;
    const char *data_dir;
    bool json;
    int threads;
    size_t sample;      /* hold-out queries evaluated (0: all) */
    size_t loss_sample; /* queries of the index-loss comparison */
    size_t fp_sample;   /* ordinary names screened, a seeded sample (0: all) */
    size_t examples;    /* failure examples printed per group */
    uint64_t seed;
    bool part_holdout, part_loss, part_pairs, part_fp;
    const char *dump_holdout, *dump_names; /* files for bench/peers.sh */
    const char *dump_pairs;                /* every labelled pair's scores (TSV) */
    bool loss_only;         /* run only the loss sample's queries (no hold-out tables) */
    const char *loss_cache; /* exhaustive results of the loss sample, reused when present */
    const char *pairs;      /* labelled pairs file (default DATA/eval/name_pairs_nomenklatura.csv) */
    int kind;                              /* hold out names of this kind only; -1: all */
    const char *checks[64]; /* "floor:KEY=V" / "ceiling:KEY=V" */
    size_t n_checks;
} options;

static options opt;
static json_t *jroot;

#define say(...) bench_say(opt.json, __VA_ARGS__)

static uint64_t rng_state;
static uint64_t rng_next(void) { return bench_rng(&rng_state); }

/* The first k of a seeded shuffle of 0..n-1. */
static uint32_t *sample_indices(size_t n, size_t k, uint64_t seed)
{
    uint32_t *p = malloc((n ? n : 1) * sizeof *p);
    if (!p)
        return NULL;
    for (size_t i = 0; i < n; i++)
        p[i] = (uint32_t)i;
    rng_state = seed;
    for (size_t i = 0; i < k && i < n; i++) {
        size_t j = i + (size_t)(rng_next() % (n - i));
        uint32_t t = p[i];
        p[i] = p[j];
        p[j] = t;
    }
    return p;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* s cut to at most width characters (whole UTF-8 sequences) and padded with spaces to width,
 * for the text tables; CJK characters take two columns, so those rows run a little long. */
static const char *cell(char *out, size_t cap, const char *s, int width)
{
    size_t n = 0;
    int cols = 0;
    while (*s && cols < width && n + 5 < cap) {
        uint32_t cp;
        size_t len = utf8_decode(s, strlen(s), &cp);
        if (!len)
            len = 1;
        memcpy(out + n, s, len);
        n += len;
        s += len;
        cols++;
    }
    while (cols++ < width && n + 1 < cap)
        out[n++] = ' ';
    out[n] = 0;
    return out;
}

/* ---- metrics: named figures for JSON and for the floors of the smoke test ---------------- */

typedef struct {
    char key[96];
    double v;
} metric;
static metric metrics[512];
static size_t n_metrics;

static void metric_set(const char *key, double v)
{
    if (n_metrics < ARRAY_LEN(metrics)) {
        snprintf(metrics[n_metrics].key, sizeof metrics[n_metrics].key, "%s", key);
        metrics[n_metrics++].v = v;
    }
}

static const metric *metric_get(const char *key)
{
    for (size_t i = 0; i < n_metrics; i++)
        if (strcmp(metrics[i].key, key) == 0)
            return &metrics[i];
    return NULL;
}

/* "floor:alias.strong.r10=0.9": fails when the figure is below (ceiling: above). */
static int run_checks(void)
{
    int failed = 0;
    for (size_t i = 0; i < opt.n_checks; i++) {
        const char *c = opt.checks[i];
        bool floor = strncmp(c, "floor:", 6) == 0;
        const char *kv = strchr(c, ':') + 1, *eq = strchr(kv, '=');
        char key[96];
        snprintf(key, sizeof key, "%.*s", eq ? (int)(eq - kv) : 0, kv);
        double want = eq ? atof(eq + 1) : 0;
        const metric *m = eq ? metric_get(key) : NULL;
        if (!m) {
            fprintf(stderr, "cordon-accuracy: check '%s': no such figure in this run\n", c);
            failed++;
            continue;
        }
        bool ok = floor ? m->v >= want : m->v <= want;
        fprintf(stderr, "check %-36s %s %.4f: %.4f %s\n", key, floor ? ">=" : "<=", want, m->v,
                ok ? "ok" : "FAILED");
        failed += !ok;
    }
    return failed;
}

/* ---- the snapshot as the evaluation sees it ---------------------------------------------- */

enum { SCR_LATIN, SCR_ARABIC, SCR_CYRILLIC, SCR_HANGUL, SCR_OTHER, SCR_COUNT };
static const char *const script_names[SCR_COUNT] = {"Latin", "Arabic", "Cyrillic", "Hangul",
                                                    "other"};

static int script_class(const char *iso15924)
{
    if (!iso15924)
        return SCR_LATIN;
    if (strcmp(iso15924, "Arab") == 0)
        return SCR_ARABIC;
    if (strcmp(iso15924, "Cyrl") == 0)
        return SCR_CYRILLIC;
    if (strcmp(iso15924, "Hang") == 0 || strcmp(iso15924, "Kore") == 0)
        return SCR_HANGUL;
    if (strcmp(iso15924, "Latn") == 0)
        return SCR_LATIN;
    return SCR_OTHER;
}

typedef struct ent_info {
    cordon_entity e;
    uint32_t name_lo, name_hi; /* its names in the index: ix->names[lo..hi) */
    bool dprk;
} ent_info;

typedef struct world {
    cordon_engine *eng;
    const match_index *ix;
    size_t n_ent;
    ent_info *ents;
    uint64_t *name_key; /* per index name: hash of its sorted canonical tokens */
    cordon_arena *arena;
} world;

static uint64_t name_token_key(const match_index *ix, uint32_t name)
{
    const idx_name *nm = &ix->names[name];
    uint32_t t[256];
    uint32_t n = nm->n_toks; /* at most 255: fits t */
    for (uint32_t i = 0; i < n; i++)
        t[i] = ix->name_toks[nm->toks + i];
    qsort(t, n, sizeof *t, cmp_u32);
    return hash_bytes(t, n * sizeof *t) ^ n;
}

static bool world_open(world *w, const char *path)
{
    cordon_error err = {0};
    memset(w, 0, sizeof *w);
    w->eng = cordon_engine_open(path, &err);
    if (!w->eng) {
        fprintf(stderr, "cordon-accuracy: %s\n", err.message);
        return false;
    }
    w->ix = w->eng->index;
    w->n_ent = cordon_engine_entity_count(w->eng);
    w->arena = cordon_arena_new();
    w->ents = calloc(w->n_ent ? w->n_ent : 1, sizeof *w->ents);
    w->name_key = calloc(w->ix->hdr->n_names + 1u, sizeof *w->name_key);
    if (!w->arena || !w->ents || !w->name_key)
        return false;
    for (size_t i = 0; i < w->n_ent; i++) {
        ent_info *ei = &w->ents[i];
        if (cordon_engine_entity(w->eng, i, w->arena, &ei->e) != CORDON_OK)
            return false;
        for (size_t r = 0; r < ei->e.n_regimes; r++)
            ei->dprk |= strcmp(ei->e.regimes[r], "DPRK") == 0;
        ei->name_lo = ei->name_hi = UINT32_MAX;
    }
    for (uint32_t n = 0; n < w->ix->hdr->n_names; n++) {
        ent_info *ei = &w->ents[w->ix->names[n].entity];
        if (ei->name_lo == UINT32_MAX)
            ei->name_lo = n;
        ei->name_hi = n + 1;
        w->name_key[n] = name_token_key(w->ix, n);
    }
    return true;
}

static void world_close(world *w)
{
    free(w->ents);
    free(w->name_key);
    cordon_arena_free(w->arena);
    cordon_engine_close(w->eng);
}

/* ---- parallel runner -------------------------------------------------------------------- */

typedef void (*job_fn)(void *ctx, size_t i, cordon_arena *a);
typedef struct {
    job_fn fn;
    void *ctx;
    size_t n;
    atomic_size_t next;
} job;

static void *job_worker(void *p)
{
    job *j = p;
    cordon_arena *a = cordon_arena_new();
    for (;;) {
        size_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->n)
            break;
        cordon_arena_reset(a);
        j->fn(j->ctx, i, a);
    }
    cordon_arena_free(a);
    return NULL;
}

static void run_parallel(job_fn fn, void *ctx, size_t n)
{
    job j = {fn, ctx, n, 0};
    int nt = opt.threads > 0 ? opt.threads : 1;
    pthread_t th[64];
    if (nt > 64)
        nt = 64;
    for (int t = 1; t < nt; t++)
        pthread_create(&th[t], NULL, job_worker, &j);
    job_worker(&j);
    for (int t = 1; t < nt; t++)
        pthread_join(th[t], NULL);
}

/* ---- 1. alias hold-out ------------------------------------------------------------------- */

typedef struct hq {
    uint32_t ent, name, name_index; /* name: index name id */
    const char *text;
    uint8_t kind, script, primary, dup;
    int8_t rank, rank_dup;          /* 1..TOP_K, 0: not in the top TOP_K */
    float true_score;
    uint32_t top_ent;               /* best hit, UINT32_MAX if none */
    float top_score;
    const char *top_name;
    /* loss comparison (sampled queries only) */
    bool in_loss;
    int8_t ex_rank;
    float ex_true_score;
    bool def_found, ex_def;
    bool ex_cached; /* exhaustive figures read from --loss-cache */
    float idx_ms, ex_ms;
} hq;

/* --loss-cache: the exhaustive rank depends on the scorer and the list only, so a retrieval
 * change can be measured without rescoring every name (the file names the seed and sample). */
static void loss_cache_read(hq *q, size_t n)
{
    FILE *f = opt.loss_cache ? fopen(opt.loss_cache, "r") : NULL;
    if (!f)
        return;
    unsigned long long seed;
    size_t m;
    if (fscanf(f, "%llu %zu", &seed, &m) == 2 && seed == opt.seed && m == opt.loss_sample) {
        unsigned ent, ni, def;
        int rank;
        float sc;
        for (size_t i = 0; i < n; i++) {
            if (!q[i].in_loss)
                continue;
            if (fscanf(f, "%u %u %d %f %u", &ent, &ni, &rank, &sc, &def) != 5 || ent != q[i].ent ||
                ni != q[i].name_index)
                break;
            q[i].ex_rank = (int8_t)rank;
            q[i].ex_true_score = sc;
            q[i].ex_def = def != 0;
            q[i].ex_cached = true;
        }
    }
    fclose(f);
}

static void loss_cache_write(const hq *q, size_t n)
{
    FILE *f = opt.loss_cache ? fopen(opt.loss_cache, "w") : NULL;
    if (!f)
        return;
    fprintf(f, "%llu %zu\n", (unsigned long long)opt.seed, opt.loss_sample);
    for (size_t i = 0; i < n; i++)
        if (q[i].in_loss)
            fprintf(f, "%u %u %d %.6f %d\n", q[i].ent, q[i].name_index, q[i].ex_rank,
                    (double)q[i].ex_true_score, q[i].ex_def);
    fclose(f);
}

typedef struct holdout {
    world *w;
    hq *q;
    size_t n;
} holdout;

/* Another name of the entity with the same canonical tokens: the hold-out is then trivial. */
static bool has_twin(const world *w, const hq *h)
{
    const ent_info *ei = &w->ents[h->ent];
    for (uint32_t n = ei->name_lo; n < ei->name_hi; n++)
        if (n != h->name && w->name_key[n] == w->name_key[h->name])
            return true;
    return false;
}

/* Another listing of the same party (UN and OFAC list many alike): same type and one
 * remaining name of the true entity with two or more tokens equal to one of the hit's. */
static bool same_party(const world *w, const hq *h, uint32_t hit_ent)
{
    const ent_info *t = &w->ents[h->ent], *o = &w->ents[hit_ent];
    if (t->e.type != o->e.type || t->name_lo == UINT32_MAX || o->name_lo == UINT32_MAX)
        return false;
    for (uint32_t a = t->name_lo; a < t->name_hi; a++) {
        if (a == h->name || w->ix->names[a].n_toks < 2)
            continue;
        for (uint32_t b = o->name_lo; b < o->name_hi; b++)
            if (w->name_key[a] == w->name_key[b])
                return true;
    }
    return false;
}

static int rank_of(const cordon_result *r, uint32_t ent)
{
    for (size_t i = 0; i < r->n_hits && i < TOP_K; i++)
        if (r->hits[i].entity_index == ent)
            return (int)i + 1;
    return 0;
}

static double ms_since(uint64_t t0) { return (double)(now_ns() - t0) / 1e6; }

/* The true entity's rank in the exhaustive top 10 at threshold 0, found through falling
 * thresholds: at threshold t the result holds every entity scoring t or more, so the entity
 * is ranked exactly when it is among them, and out of the top 10 when ten others are; only
 * otherwise is a lower threshold needed. Scoring every entity at threshold 0 directly costs
 * ~10x more, as every entity is then decoded and explained. */
static void exhaustive_rank(const world *w, hq *h, cordon_arena *a)
{
    static const double steps[] = {0.6, 0.3, 0.0};
    cordon_query q = {.name = h->text, .limit = TOP_K, .exhaustive = 1};
    h->ex_rank = 0;
    h->ex_true_score = 0;
    for (size_t s = 0; s < ARRAY_LEN(steps); s++) {
        cordon_result r;
        cordon_error err = {0};
        q.threshold = steps[s];
        cordon_arena_reset(a);
        if (match_screen_read(w->eng, &q, h->ent, h->name_index, a, &r, &err) != CORDON_OK)
            return;
        int rank = rank_of(&r, h->ent);
        if (rank || r.n_hits >= TOP_K) {
            h->ex_rank = (int8_t)rank;
            h->ex_true_score = rank ? (float)r.hits[rank - 1].score : 0;
            break;
        }
    }
    h->ex_def = h->ex_rank && h->ex_true_score >= CORDON_DEFAULT_THRESHOLD;
}

static void holdout_one(void *ctx, size_t i, cordon_arena *a)
{
    holdout *H = ctx;
    hq *h = &H->q[i];
    cordon_query q = {.name = h->text, .limit = TOP_K, .threshold = 0.0};
    cordon_result r;
    cordon_error err = {0};
    if (opt.loss_only && !h->in_loss)
        return;
    uint64_t t0 = now_ns();
    if (match_screen_read(H->w->eng, &q, h->ent, h->name_index, a, &r, &err) != CORDON_OK) {
        h->rank = 0;
        h->top_ent = UINT32_MAX;
        return;
    }
    h->idx_ms = (float)ms_since(t0);
    h->rank = (int8_t)rank_of(&r, h->ent);
    h->true_score = h->rank ? (float)r.hits[h->rank - 1].score : 0;
    h->top_ent = r.n_hits ? (uint32_t)r.hits[0].entity_index : UINT32_MAX;
    h->top_score = r.n_hits ? (float)r.hits[0].score : 0;
    h->top_name = r.n_hits ? r.hits[0].matched_name : NULL;
    h->rank_dup = 0;
    for (size_t k = 0; k < r.n_hits && k < TOP_K && !h->rank_dup; k++) {
        uint32_t he = (uint32_t)r.hits[k].entity_index;
        if (he == h->ent || same_party(H->w, h, he))
            h->rank_dup = (int8_t)(k + 1);
    }
    if (!h->in_loss)
        return;
    /* Index loss: the same query scored against every list name, and at the default
     * threshold through the index. */
    if (!h->ex_cached) {
        t0 = now_ns();
        exhaustive_rank(H->w, h, a);
        h->ex_ms = (float)ms_since(t0);
    }
    q.exhaustive = 0;
    q.threshold = -1;
    cordon_arena_reset(a);
    if (match_screen_read(H->w->eng, &q, h->ent, h->name_index, a, &r, &err) == CORDON_OK)
        h->def_found = rank_of(&r, h->ent) > 0;
}

typedef struct agg {
    size_t n, r1, r10, r1d, r10d, dup;
    double rr;
} agg;

static void agg_add(agg *g, const hq *h)
{
    g->n++;
    g->r1 += h->rank == 1;
    g->r1d += h->rank_dup == 1;
    g->r10d += h->rank_dup > 0;
    g->r10 += h->rank > 0;
    g->rr += h->rank ? 1.0 / h->rank : 0;
    g->dup += h->dup;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 0; }

static void agg_row(json_t *arr, const char *prefix, const char *label, const agg *g)
{
    if (!g->n)
        return;
    say("  %-26s %7zu %7.4f %7.4f %7.4f %7.4f %7.4f %6zu\n", label, g->n, ratio(g->r1, g->n),
        ratio(g->r1d, g->n), ratio(g->r10, g->n), ratio(g->r10d, g->n), g->rr / (double)g->n,
        g->dup);
    json_array_append_new(arr, json_pack("{s:s,s:I,s:f,s:f,s:f,s:f,s:f,s:I}", "group", label,
                                         "n", (json_int_t)g->n, "recall_at_1",
                                         ratio(g->r1, g->n), "recall_at_1_dup_aware",
                                         ratio(g->r1d, g->n), "recall_at_10", ratio(g->r10, g->n),
                                         "recall_at_10_dup_aware", ratio(g->r10d, g->n), "mrr",
                                         g->rr / (double)g->n, "twins", (json_int_t)g->dup));
    char key[96];
    snprintf(key, sizeof key, "%s.%s.r1", prefix, label);
    metric_set(key, ratio(g->r1, g->n));
    snprintf(key, sizeof key, "%s.%s.r10", prefix, label);
    metric_set(key, ratio(g->r10, g->n));
    snprintf(key, sizeof key, "%s.%s.r10dup", prefix, label);
    metric_set(key, ratio(g->r10d, g->n));
    snprintf(key, sizeof key, "%s.%s.mrr", prefix, label);
    metric_set(key, g->rr / (double)g->n);
}

static void table_head(const char *title)
{
    say("\n %s\n  %-26s %7s %7s %7s %7s %7s %7s %6s\n", title, "group", "n", "r@1", "r@1dup",
        "r@10", "r@10dup", "MRR", "twins");
}

enum { DIM_ALL, DIM_SOURCE, DIM_TYPE, DIM_KIND, DIM_SCRIPT, DIM_REGIME, DIM_COUNT };
static const char *const dim_names[DIM_COUNT] = {"all", "source", "type", "kind", "script",
                                                 "regime"};

static const char *dim_label(const world *w, const hq *h, int dim, char *tmp, size_t cap)
{
    const ent_info *ei = &w->ents[h->ent];
    switch (dim) {
    case DIM_SOURCE:
        return ei->e.source;
    case DIM_TYPE:
        return cordon_entity_type_name(ei->e.type);
    case DIM_KIND:
        return cordon_name_kind_name((cordon_name_kind)h->kind);
    case DIM_SCRIPT:
        return script_names[h->script];
    case DIM_REGIME:
        return ei->dprk ? "DPRK" : "other";
    default:
        snprintf(tmp, cap, "all");
        return tmp;
    }
}

/* One breakdown table: groups in order of first appearance. */
static void report_dim(const world *w, const hq *q, size_t n, bool primary, int dim,
                       json_t *jset)
{
    const char *labels[64];
    agg g[64];
    size_t ng = 0;
    memset(g, 0, sizeof g);
    char tmp[32];
    for (size_t i = 0; i < n; i++) {
        if (q[i].primary != primary)
            continue;
        const char *l = dim_label(w, &q[i], dim, tmp, sizeof tmp);
        size_t k = 0;
        while (k < ng && strcmp(labels[k], l) != 0)
            k++;
        if (k == ng) {
            if (ng == ARRAY_LEN(labels))
                continue;
            labels[ng++] = dim == DIM_ALL ? "all" : l;
        }
        agg_add(&g[k], &q[i]);
    }
    json_t *arr = json_array();
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s.%s", primary ? "primary" : "alias", dim_names[dim]);
    if (dim == DIM_ALL)
        snprintf(prefix, sizeof prefix, "%s", primary ? "primary" : "alias");
    table_head(dim_names[dim]);
    for (size_t k = 0; k < ng; k++)
        agg_row(arr, prefix, dim == DIM_ALL ? "all" : labels[k], &g[k]);
    json_object_set_new(jset, dim_names[dim], arr);
}

/* The same set without queries whose held-out name has a twin among the remaining names. */
static void report_nontrivial(const hq *q, size_t n, bool primary, json_t *jset)
{
    agg g = {0};
    for (size_t i = 0; i < n; i++)
        if (q[i].primary == primary && !q[i].dup)
            agg_add(&g, &q[i]);
    json_t *arr = json_array();
    table_head("without twins (held-out name equal, after normalisation, to a remaining one)");
    agg_row(arr, primary ? "primary" : "alias", "nontrivial", &g);
    json_object_set_new(jset, "without_twins", arr);
}

/* The true entity's best rank and score beyond the top 10, for a failure example. */
static void deep_rank(const world *w, const hq *h, int *rank, double *score)
{
    cordon_arena *a = cordon_arena_new();
    cordon_query q = {.name = h->text, .limit = 5000, .threshold = 0.0, .exhaustive = 1};
    cordon_result r;
    cordon_error err = {0};
    *rank = 0;
    *score = 0;
    if (a && match_screen_read(w->eng, &q, h->ent, h->name_index, a, &r, &err) == CORDON_OK)
        for (size_t i = 0; i < r.n_hits; i++)
            if (r.hits[i].entity_index == h->ent) {
                *rank = (int)i + 1;
                *score = r.hits[i].score;
                break;
            }
    cordon_arena_free(a);
}

static json_t *miss_json(const world *w, const hq *h, bool deep)
{
    const ent_info *ei = &w->ents[h->ent];
    int rank = 0;
    double score = 0;
    if (deep)
        deep_rank(w, h, &rank, &score);
    char c1[256], c2[256];
    say("    %s | %-9s %-8s %s | ", cell(c1, sizeof c1, h->text, 40), ei->e.source,
        ei->e.source_id, cell(c2, sizeof c2, ei->e.names[0].full, 34));
    if (deep)
        say("own rank %s%d score %.3f | ", rank ? "" : ">", rank ? rank : 5000, score);
    if (h->top_ent != UINT32_MAX)
        say("top: %s (%.3f)\n", cell(c1, sizeof c1, h->top_name ? h->top_name : "?", 34),
            h->top_score);
    else
        say("no hit\n");
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:i,s:f,s:s?,s:f}", "query", h->text, "kind",
                     cordon_name_kind_name((cordon_name_kind)h->kind), "source", ei->e.source,
                     "source_id", ei->e.source_id, "primary", ei->e.names[0].full, "own_rank",
                     rank, "own_score", score, "top_name", h->top_name, "top_score",
                     (double)h->top_score);
}

/* Seeded examples of misses (true entity not in the top 10) per name kind and script. */
static void report_misses(const world *w, const hq *q, size_t n, json_t *jroot_hold)
{
    json_t *jm = json_object();
    say("\n failures: held-out name | its entry | exhaustive rank and score of its entry | "
        "top hit\n");
    for (int grp = 0; grp < 2 + CORDON_NAME_KIND_COUNT + SCR_COUNT; grp++) {
        const char *label;
        uint32_t *idx = malloc((n ? n : 1) * sizeof *idx);
        size_t m = 0;
        if (!idx)
            return;
        for (size_t i = 0; i < n; i++) {
            const hq *h = &q[i];
            bool in;
            if (grp < CORDON_NAME_KIND_COUNT)
                in = h->kind == grp && !h->primary;
            else if (grp < CORDON_NAME_KIND_COUNT + SCR_COUNT)
                in = h->script == grp - CORDON_NAME_KIND_COUNT && h->script != SCR_LATIN;
            else
                in = false;
            if (in && h->rank == 0)
                idx[m++] = (uint32_t)i;
        }
        if (grp < CORDON_NAME_KIND_COUNT)
            label = cordon_name_kind_name((cordon_name_kind)grp);
        else if (grp < CORDON_NAME_KIND_COUNT + SCR_COUNT)
            label = script_names[grp - CORDON_NAME_KIND_COUNT];
        else
            label = NULL;
        if (!m || !label) {
            free(idx);
            continue;
        }
        uint32_t *pick = sample_indices(m, opt.examples, opt.seed + (uint64_t)grp);
        size_t k = m < opt.examples ? m : opt.examples;
        say("  %s (%zu misses; %zu shown)\n", label, m, k);
        json_t *arr = json_array();
        for (size_t j = 0; pick && j < k; j++)
            json_array_append_new(arr, miss_json(w, &q[idx[pick[j]]], true));
        json_object_set_new(jm, grp < CORDON_NAME_KIND_COUNT ? label : label, arr);
        free(pick);
        free(idx);
    }
    json_object_set_new(jroot_hold, "misses", jm);
}

static hq *holdout_queries(const world *w, size_t *n_out)
{
    const match_index *ix = w->ix;
    hq *q = calloc(ix->hdr->n_names + 1u, sizeof *q);
    size_t n = 0;
    if (!q)
        return NULL;
    for (uint32_t nm = 0; nm < ix->hdr->n_names; nm++) {
        const idx_name *x = &ix->names[nm];
        const ent_info *ei = &w->ents[x->entity];
        if (x->name_index >= ei->e.n_names || ei->name_hi - ei->name_lo < 2)
            continue; /* a single name cannot be held out: nothing of the entity would remain */
        const cordon_name *cn = &ei->e.names[x->name_index];
        hq *h = &q[n++];
        h->ent = x->entity;
        h->name = nm;
        h->name_index = x->name_index;
        h->text = cn->full;
        h->kind = x->kind;
        h->primary = x->name_index == 0;
        h->script = (uint8_t)script_class(cn->script);
    }
    for (size_t i = 0; i < n; i++)
        q[i].dup = has_twin(w, &q[i]);
    *n_out = n;
    return q;
}

/* Keeps a seeded sample of the queries (in their original order). */
static size_t sample_queries(hq *q, size_t n, size_t k, uint64_t seed)
{
    if (!k || k >= n)
        return n;
    uint32_t *p = sample_indices(n, k, seed);
    if (!p)
        return n;
    qsort(p, k, sizeof *p, cmp_u32);
    for (size_t i = 0; i < k; i++)
        q[i] = q[p[i]];
    free(p);
    return k;
}

static void report_loss(const world *w, const hq *q, size_t n, json_t *jl)
{
    size_t m = 0, ex10 = 0, lost = 0, gained = 0, exdef = 0, lostdef = 0;
    double ims = 0, ems = 0;
    for (size_t i = 0; i < n; i++) {
        const hq *h = &q[i];
        if (!h->in_loss)
            continue;
        m++;
        ex10 += h->ex_rank > 0;
        lost += h->ex_rank > 0 && h->rank == 0;
        gained += h->ex_rank == 0 && h->rank > 0;
        exdef += h->ex_def;
        lostdef += h->ex_def && !h->def_found;
        ims += h->idx_ms;
        ems += h->ex_ms;
    }
    say("\n== 2. recall loss of the index (seeded sample of %zu hold-out queries) ==\n", m);
    say("  threshold 0, top 10: entity in the exhaustive top 10 but not the indexed one: "
        "%zu of %zu = %.3f%% (in the exhaustive top 10: %zu; in the indexed top 10 only, as entities the index missed outrank it in the exhaustive one: %zu)\n",
        lost, m, 100.0 * ratio(lost, m), ex10, gained);
    say("  default threshold %.2f: exhaustive scores the entity >= threshold in its top 10 but "
        "the indexed search at that threshold misses it: %zu of %zu = %.3f%%\n",
        CORDON_DEFAULT_THRESHOLD, lostdef, exdef, 100.0 * ratio(lostdef, exdef));
    size_t idx10 = 0;
    for (size_t i = 0; i < n; i++)
        idx10 += q[i].in_loss && q[i].rank > 0;
    say("  recall@10 on this sample: exhaustive %.4f, indexed %.4f (the exhaustive figure is the "
        "ceiling of the scorer itself)\n",
        ratio(ex10, m), ratio(idx10, m));
    metric_set("loss.exhaustive_r10", ratio(ex10, m));
    json_object_set_new(jl, "exhaustive_recall_at_10", json_real(ratio(ex10, m)));
    json_object_set_new(jl, "indexed_recall_at_10", json_real(ratio(idx10, m)));
    say("  mean time per query (threshold 0): indexed %.3f ms, exhaustive %.3f ms\n",
        m ? ims / (double)m : 0, m ? ems / (double)m : 0);
    metric_set("loss.t0", ratio(lost, m));
    metric_set("loss.default", ratio(lostdef, exdef));
    json_object_set_new(jl, "queries", json_integer((json_int_t)m));
    json_object_set_new(jl, "lost_threshold0", json_integer((json_int_t)lost));
    json_object_set_new(jl, "loss_rate_threshold0", json_real(ratio(lost, m)));
    json_object_set_new(jl, "exhaustive_at_default", json_integer((json_int_t)exdef));
    json_object_set_new(jl, "lost_at_default", json_integer((json_int_t)lostdef));
    json_object_set_new(jl, "loss_rate_default", json_real(ratio(lostdef, exdef)));
    json_t *ex = json_array();
    size_t shown = 0;
    for (size_t i = 0; i < n && shown < (opt.loss_only ? n : 15); i++) {
        const hq *h = &q[i];
        if (!(h->in_loss && ((h->ex_rank > 0 && h->rank == 0) || (h->ex_def && !h->def_found))))
            continue;
        const ent_info *ei = &w->ents[h->ent];
        char c1[256], c2[256];
        say("    lost: %s | %s %s (entity %u name %u) %s | exhaustive rank %d score %.3f, indexed %s\n",
            cell(c1, sizeof c1, h->text, opt.loss_only ? 200 : 40), ei->e.source, ei->e.source_id, h->ent, h->name_index,
            cell(c2, sizeof c2, ei->e.names[0].full, 34), h->ex_rank, h->ex_true_score,
            h->rank ? "found at the default threshold: no" : "top 10 at threshold 0: no");
        json_array_append_new(ex, json_pack("{s:s,s:s,s:i,s:f}", "query", h->text, "primary",
                                            ei->e.names[0].full, "exhaustive_rank",
                                            (int)h->ex_rank, "score", (double)h->ex_true_score));
        shown++;
    }
    json_object_set_new(jl, "lost_examples", ex);
}

static void tsv_text(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/* The evaluated queries with cordon's rank, for the peers to answer the same ones. */
static bool dump_holdout(const world *w, const hq *q, size_t n, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "entity\tname_index\tsource\tkind\tscript\tprimary\ttwin\tcordon_rank\tname\n");
    for (size_t i = 0; i < n; i++) {
        const hq *h = &q[i];
        fprintf(f, "%u\t%u\t%s\t%s\t%s\t%d\t%d\t%d\t", h->ent, h->name_index,
                w->ents[h->ent].e.source, cordon_name_kind_name((cordon_name_kind)h->kind),
                script_names[h->script], h->primary, h->dup, h->rank);
        tsv_text(f, h->text);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

/* Every indexed list name: what the peers search. */
static bool dump_names(const world *w, const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    fprintf(f, "entity\tname_index\tsource\tkind\tname\n");
    for (uint32_t nm = 0; nm < w->ix->hdr->n_names; nm++) {
        const idx_name *x = &w->ix->names[nm];
        const cordon_entity *e = &w->ents[x->entity].e;
        if (x->name_index >= e->n_names)
            continue;
        fprintf(f, "%u\t%u\t%s\t%s\t", x->entity, x->name_index, e->source,
                cordon_name_kind_name((cordon_name_kind)x->kind));
        tsv_text(f, e->names[x->name_index].full);
        fputc('\n', f);
    }
    return fclose(f) == 0;
}

static int part_holdout(world *w)
{
    size_t n = 0;
    hq *q = holdout_queries(w, &n);
    if (!q)
        return 1;
    if (opt.kind >= 0) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (q[i].kind == opt.kind)
                q[m++] = q[i];
        n = m;
    }
    size_t total = n;
    n = sample_queries(q, n, opt.sample, opt.seed);
    if (opt.part_loss) {
        uint32_t *p = sample_indices(n, opt.loss_sample, opt.seed ^ 0x1055ull);
        for (size_t i = 0; p && i < opt.loss_sample && i < n; i++)
            q[p[i]].in_loss = true;
        free(p);
        loss_cache_read(q, n);
    }
    uint64_t t0 = now_ns();
    holdout H = {w, q, n};
    run_parallel(holdout_one, &H, n);
    double secs = (double)(now_ns() - t0) / 1e9;
    if (opt.part_loss) {
        bool all_cached = true;
        for (size_t i = 0; i < n && all_cached; i++)
            all_cached = !q[i].in_loss || q[i].ex_cached;
        if (!all_cached)
            loss_cache_write(q, n);
    }
    if (opt.loss_only) {
        json_t *jl = json_object();
        report_loss(w, q, n, jl);
        json_object_set_new(jroot, "index_loss", jl);
        free(q);
        return 0;
    }
    size_t n_alias = 0, n_prim = 0, twins = 0;
    for (size_t i = 0; i < n; i++) {
        n_alias += !q[i].primary;
        n_prim += q[i].primary;
        twins += q[i].dup;
    }
    json_t *jh = json_object();
    say("\n== 1. alias hold-out: each name queried with that one name held out of the index ==\n");
    say("  %zu queries of %zu eligible%s (%zu aliases, %zu primary names of entities with another "
        "name), %.1f s on %d threads\n",
        n, total, n < total ? " (seeded sample)" : "", n_alias, n_prim, secs, opt.threads);
    say("  search: name only, threshold 0, limit 10, index on; r@1dup and r@10dup also count a "
        "hit that is another listing\n  of the same party (same type, sharing a remaining "
        "multi-token name) as right. %zu queries (twins) have a remaining name equal after\n  normalisation to the "
        "held-out one: they are counted in every figure and shown apart below.\n",
        twins);
    json_object_set_new(jh, "queries", json_integer((json_int_t)n));
    json_object_set_new(jh, "eligible", json_integer((json_int_t)total));
    json_object_set_new(jh, "seconds", json_real(secs));
    for (int set = 0; set < 2; set++) {
        bool primary = set == 1;
        json_t *jset = json_object();
        say("\n -- %s --", primary ? "primary names held out (another name of the entity remains)"
                                   : "aliases (non-primary names) held out");
        for (int d = 0; d < DIM_COUNT; d++)
            report_dim(w, q, n, primary, d, jset);
        report_nontrivial(q, n, primary, jset);
        json_object_set_new(jh, primary ? "primary" : "alias", jset);
    }
    if (opt.examples)
        report_misses(w, q, n, jh);
    if (opt.dump_holdout && !dump_holdout(w, q, n, opt.dump_holdout)) {
        fprintf(stderr, "cordon-accuracy: cannot write %s\n", opt.dump_holdout);
        free(q);
        return 1;
    }
    json_object_set_new(jroot, "holdout", jh);
    if (opt.part_loss) {
        json_t *jl = json_object();
        report_loss(w, q, n, jl);
        json_object_set_new(jroot, "index_loss", jl);
    }
    free(q);
    return 0;
}

/* ---- 3. labelled pairs ------------------------------------------------------------------- */

typedef struct pair {
    char *group, *schema, *n1, *n2, *notes, *category;
    bool match;
    cordon_entity_type type;
    double score[2]; /* default, ofac */
} pair;

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static cordon_entity_type schema_type(const char *schema)
{
    if (strcmp(schema, "Person") == 0)
        return CORDON_TYPE_PERSON;
    if (strcmp(schema, "Vessel") == 0)
        return CORDON_TYPE_VESSEL;
    if (strcmp(schema, "Airplane") == 0)
        return CORDON_TYPE_AIRCRAFT;
    if (strcmp(schema, "Company") == 0 || strcmp(schema, "Organization") == 0 ||
        strcmp(schema, "LegalEntity") == 0)
        return CORDON_TYPE_ORGANIZATION;
    return CORDON_TYPE_UNKNOWN;
}

static pair *read_pairs(const char *path, size_t *n_out)
{
    cordon_error err = {0};
    csv_reader *r = csv_open(path, ',', &err);
    if (!r) {
        fprintf(stderr, "cordon-accuracy: %s\n", err.message);
        return NULL;
    }
    int rc = csv_next(r, &err); /* header */
    int c_group = csv_column(r, "case_group"), c_schema = csv_column(r, "schema"),
        c_n1 = csv_column(r, "name1"), c_n2 = csv_column(r, "name2"),
        c_match = csv_column(r, "is_match"), c_notes = csv_column(r, "notes"),
        c_cat = csv_column(r, "category");
    if (rc != 1 || c_n1 < 0 || c_n2 < 0 || c_match < 0 || c_schema < 0) {
        fprintf(stderr, "cordon-accuracy: %s:1: expected columns schema, name1, name2, is_match\n",
                path);
        csv_close(r);
        return NULL;
    }
    size_t n = 0, cap = 1024;
    pair *p = calloc(cap, sizeof *p);
    while (p && (rc = csv_next(r, &err)) == 1) {
        if (n == cap) {
            pair *np = realloc(p, 2 * cap * sizeof *p);
            if (!np)
                break;
            p = np;
            cap *= 2;
        }
        pair *x = &p[n++];
        memset(x, 0, sizeof *x);
        x->group = xstrdup(c_group >= 0 ? csv_field(r, (size_t)c_group) : "");
        x->schema = xstrdup(csv_field(r, (size_t)c_schema));
        x->n1 = xstrdup(csv_field(r, (size_t)c_n1));
        x->n2 = xstrdup(csv_field(r, (size_t)c_n2));
        x->notes = xstrdup(c_notes >= 0 ? csv_field(r, (size_t)c_notes) : "");
        x->category = xstrdup(c_cat >= 0 ? csv_field(r, (size_t)c_cat) : "");
        x->match = strcmp(csv_field(r, (size_t)c_match), "true") == 0;
        x->type = schema_type(x->schema);
    }
    if (rc < 0)
        fprintf(stderr, "cordon-accuracy: %s\n", err.message);
    csv_close(r);
    *n_out = n;
    return p;
}

static void free_pairs(pair *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].group);
        free(p[i].schema);
        free(p[i].n1);
        free(p[i].n2);
        free(p[i].notes);
        free(p[i].category);
    }
    free(p);
}

typedef struct prf {
    size_t tp, fp, fn, tn;
    double p, r, f1;
} prf;

static prf prf_at(const pair *p, size_t n, int algo, double t, const char *group)
{
    prf x = {0};
    for (size_t i = 0; i < n; i++) {
        if (group && strcmp(p[i].group, group) != 0)
            continue;
        bool pred = p[i].score[algo] >= t;
        x.tp += pred && p[i].match;
        x.fp += pred && !p[i].match;
        x.fn += !pred && p[i].match;
        x.tn += !pred && !p[i].match;
    }
    x.p = ratio(x.tp, x.tp + x.fp);
    x.r = ratio(x.tp, x.tp + x.fn);
    x.f1 = x.p + x.r > 0 ? 2 * x.p * x.r / (x.p + x.r) : 0;
    return x;
}

/* The threshold (one of the scores) that maximises F1; ties go to the higher threshold. */
static double best_threshold(const pair *p, size_t n, int algo)
{
    double best_t = 1.0, best_f = -1;
    for (size_t i = 0; i < n; i++) {
        double t = p[i].score[algo];
        prf x = prf_at(p, n, algo, t, NULL);
        if (x.f1 > best_f + 1e-12 || (fabs(x.f1 - best_f) <= 1e-12 && t > best_t)) {
            best_f = x.f1;
            best_t = t;
        }
    }
    return best_t;
}

static json_t *prf_json(const prf *x, double t)
{
    return json_pack("{s:f,s:f,s:f,s:f,s:I,s:I,s:I,s:I}", "threshold", t, "precision", x->p,
                     "recall", x->r, "f1", x->f1, "tp", (json_int_t)x->tp, "fp",
                     (json_int_t)x->fp, "fn", (json_int_t)x->fn, "tn", (json_int_t)x->tn);
}

static void say_prf(const char *label, const prf *x, double t)
{
    say("  %-30s t=%.3f  P %.4f  R %.4f  F1 %.4f  (tp %zu fp %zu fn %zu tn %zu)\n", label, t,
        x->p, x->r, x->f1, x->tp, x->fp, x->fn, x->tn);
}

static int pair_cmp_score0(const void *a, const void *b)
{
    const pair *x = *(pair *const *)a, *y = *(pair *const *)b;
    return (x->score[0] > y->score[0]) - (x->score[0] < y->score[0]);
}

static void list_worst(pair *p, size_t n, bool want_match, json_t *arr)
{
    pair **v = malloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    if (!v)
        return;
    for (size_t i = 0; i < n; i++) {
        bool wrong = want_match ? p[i].score[0] < CORDON_DEFAULT_THRESHOLD
                                : p[i].score[0] >= CORDON_DEFAULT_THRESHOLD;
        if (p[i].match == want_match && wrong)
            v[m++] = &p[i];
    }
    qsort(v, m, sizeof *v, pair_cmp_score0);
    say("\n  %s at the default threshold (%zu; worst 15 by score, all in --json):\n",
        want_match ? "false negatives" : "false positives", m);
    /* the text shows the worst 15, the JSON every one */
    for (size_t k = 0; k < m; k++) {
        pair *x = want_match ? v[k] : v[m - 1 - k];
        char c1[256], c2[256];
        if (k < 15)
            say("    %.3f (ofac %.3f)  %s ~ %s [%s, %s%s%s]\n", x->score[0], x->score[1],
            cell(c1, sizeof c1, x->n1, 34), cell(c2, sizeof c2, x->n2, 34), x->schema, x->group,
            *x->notes ? ": " : "", x->notes);
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:s}", "name1", x->n1,
                                             "name2", x->n2, "schema", x->schema, "group",
                                             x->group, "score", x->score[0], "ofac_score",
                                             x->score[1], "notes", x->notes));
    }
    free(v);
}

static int part_pairs(world *w)
{
    char path[4096];
    if (opt.pairs)
        snprintf(path, sizeof path, "%s", opt.pairs);
    else
        snprintf(path, sizeof path, "%s/eval/name_pairs_nomenklatura.csv", opt.data_dir);
    size_t n = 0;
    pair *p = read_pairs(path, &n);
    if (!p)
        return 1;
    cordon_arena *a = cordon_arena_new();
    for (size_t i = 0; i < n; i++)
        for (int algo = 0; algo < 2; algo++) {
            cordon_result r;
            cordon_error err = {0};
            cordon_arena_reset(a);
            p[i].score[algo] = cordon_compare(w->eng, p[i].n1, p[i].n2, p[i].type,
                                              algo ? CORDON_ALGO_OFAC : CORDON_ALGO_DEFAULT, a,
                                              &r, &err) == CORDON_OK && r.n_hits
                                   ? r.hits[0].score
                                   : 0;
        }
    cordon_arena_free(a);
    if (opt.dump_pairs) {
        FILE *df = fopen(opt.dump_pairs, "w");
        if (!df) {
            fprintf(stderr, "cordon-accuracy: cannot write %s\n", opt.dump_pairs);
            free_pairs(p, n);
            return 1;
        }
        fprintf(df, "score\tofac\tmatch\tschema\tname1\tname2\tnotes\n");
        for (size_t i = 0; i < n; i++)
            fprintf(df, "%.4f\t%.4f\t%d\t%s\t%s\t%s\t%s\n", p[i].score[0], p[i].score[1],
                    p[i].match, p[i].schema, p[i].n1, p[i].n2, p[i].notes);
        fclose(df);
    }
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += p[i].match;
    json_t *jp = json_object();
    say("\n== 3. labelled pairs: %s (%zu pairs, %zu same party) through cordon_compare ==\n",
        path, n, pos);
    json_object_set_new(jp, "pairs", json_integer((json_int_t)n));
    for (int algo = 0; algo < 2; algo++) {
        const char *an = algo ? "ofac" : "default";
        prf d = prf_at(p, n, algo, CORDON_DEFAULT_THRESHOLD, NULL);
        double bt = best_threshold(p, n, algo);
        prf b = prf_at(p, n, algo, bt, NULL);
        char label[64];
        snprintf(label, sizeof label, "%s @ default threshold", an);
        say_prf(label, &d, CORDON_DEFAULT_THRESHOLD);
        snprintf(label, sizeof label, "%s @ F1-maximising", an);
        say_prf(label, &b, bt);
        json_t *ja = json_object();
        json_object_set_new(ja, "default_threshold", prf_json(&d, CORDON_DEFAULT_THRESHOLD));
        json_object_set_new(ja, "best_threshold", prf_json(&b, bt));
        char key[64];
        snprintf(key, sizeof key, "pairs.%s.f1", an);
        metric_set(key, d.f1);
        snprintf(key, sizeof key, "pairs.%s.precision", an);
        metric_set(key, d.p);
        snprintf(key, sizeof key, "pairs.%s.recall", an);
        metric_set(key, d.r);
        snprintf(key, sizeof key, "pairs.%s.best_f1", an);
        metric_set(key, b.f1);
        /* by case group */
        json_t *jg = json_object();
        const char *seen[32];
        size_t ns = 0;
        for (size_t i = 0; i < n; i++) {
            size_t k = 0;
            while (k < ns && strcmp(seen[k], p[i].group) != 0)
                k++;
            if (k < ns || ns == ARRAY_LEN(seen))
                continue;
            seen[ns++] = p[i].group;
            prf g = prf_at(p, n, algo, CORDON_DEFAULT_THRESHOLD, p[i].group);
            snprintf(label, sizeof label, "  %s: %s", an, p[i].group);
            say_prf(label, &g, CORDON_DEFAULT_THRESHOLD);
            json_object_set_new(jg, p[i].group, prf_json(&g, CORDON_DEFAULT_THRESHOLD));
        }
        json_object_set_new(ja, "by_group", jg);
        json_object_set_new(jp, an, ja);
    }
    json_t *fn = json_array(), *fp = json_array();
    list_worst(p, n, true, fn);
    list_worst(p, n, false, fp);
    json_object_set_new(jp, "worst_false_negatives", fn);
    json_object_set_new(jp, "worst_false_positives", fp);
    json_object_set_new(jroot, "pairs", jp);
    free_pairs(p, n);
    return 0;
}

/* ---- 4. false positives on ordinary names ------------------------------------------------ */

typedef struct oname {
    char *origin, *name;
    cordon_entity_type type;
    uint32_t hit_ent, hit_ent_untyped; /* best hit, UINT32_MAX: none */
    float score, score_untyped;
    const char *matched;
} oname;

typedef struct fpctx {
    world *w;
    oname *o;
} fpctx;

static void fp_one(void *ctx, size_t i, cordon_arena *a)
{
    fpctx *F = ctx;
    oname *o = &F->o[i];
    cordon_query q = {.name = o->name, .type = o->type, .threshold = -1, .limit = 1};
    cordon_result r;
    cordon_error err = {0};
    o->hit_ent = o->hit_ent_untyped = UINT32_MAX;
    if (cordon_screen(F->w->eng, &q, a, &r, &err) == CORDON_OK && r.n_hits) {
        o->hit_ent = (uint32_t)r.hits[0].entity_index;
        o->score = (float)r.hits[0].score;
        o->matched = r.hits[0].matched_name;
    }
    q.type = CORDON_TYPE_UNKNOWN;
    cordon_arena_reset(a);
    if (cordon_screen(F->w->eng, &q, a, &r, &err) == CORDON_OK && r.n_hits) {
        o->hit_ent_untyped = (uint32_t)r.hits[0].entity_index;
        o->score_untyped = (float)r.hits[0].score;
    }
}

static oname *read_onames(const char *path, size_t *n_out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cordon-accuracy: %s: cannot open (run bench/gen_names.py)\n", path);
        return NULL;
    }
    size_t n = 0, cap = 16384;
    oname *o = calloc(cap, sizeof *o);
    char line[2048];
    long ln = 0;
    while (o && fgets(line, sizeof line, f)) {
        ln++;
        line[strcspn(line, "\r\n")] = 0;
        if (ln == 1 || !*line || line[0] == '#')
            continue; /* header: origin type name */
        char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            fprintf(stderr, "cordon-accuracy: %s:%ld: expected origin<TAB>type<TAB>name\n", path,
                    ln);
            continue;
        }
        *t1 = *t2 = 0;
        if (n == cap) {
            oname *no = realloc(o, 2 * cap * sizeof *o);
            if (!no)
                break;
            o = no;
            cap *= 2;
        }
        o[n].origin = xstrdup(line);
        o[n].type = cordon_entity_type_parse(t1 + 1);
        o[n].name = xstrdup(t2 + 1);
        n++;
    }
    fclose(f);
    if (o && opt.fp_sample && opt.fp_sample < n) {
        /* a seeded sample, kept in file order */
        uint32_t *p = sample_indices(n, opt.fp_sample, opt.seed ^ 0xf9ull);
        bool *keep = calloc(n, sizeof *keep);
        size_t m = 0;
        for (size_t i = 0; p && keep && i < opt.fp_sample; i++)
            keep[p[i]] = true;
        for (size_t i = 0; i < n; i++) {
            if (keep && keep[i]) {
                o[m++] = o[i];
                continue;
            }
            free(o[i].origin);
            free(o[i].name);
        }
        free(p);
        free(keep);
        n = m;
    }
    *n_out = n;
    return o;
}

typedef struct hitcount {
    uint32_t ent;
    size_t count;
    const char *example, *matched;
    float best;
} hitcount;

static int hitcount_cmp(const void *a, const void *b)
{
    const hitcount *x = a, *y = b;
    if (x->count != y->count)
        return (x->count < y->count) - (x->count > y->count);
    return (x->ent > y->ent) - (x->ent < y->ent);
}

static void report_fp_origins(const oname *o, size_t n, json_t *jf)
{
    json_t *jo = json_object();
    say("\n  %-18s %6s %6s %8s %8s\n", "origin", "names", "hits", "rate", "untyped");
    const char *seen[128];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = 0;
        while (k < ns && strcmp(seen[k], o[i].origin) != 0)
            k++;
        if (k < ns || ns == ARRAY_LEN(seen))
            continue;
        seen[ns++] = o[i].origin;
        size_t m = 0, h = 0, hu = 0;
        for (size_t j = i; j < n; j++)
            if (strcmp(o[j].origin, o[i].origin) == 0) {
                m++;
                h += o[j].hit_ent != UINT32_MAX;
                hu += o[j].hit_ent_untyped != UINT32_MAX;
            }
        say("  %-18s %6zu %6zu %7.2f%% %7.2f%%\n", o[i].origin, m, h, 100 * ratio(h, m),
            100 * ratio(hu, m));
        json_object_set_new(jo, o[i].origin,
                            json_pack("{s:I,s:I,s:f,s:f}", "names", (json_int_t)m, "hits",
                                      (json_int_t)h, "rate", ratio(h, m), "rate_untyped",
                                      ratio(hu, m)));
        char key[96];
        snprintf(key, sizeof key, "fp.origin.%s", o[i].origin);
        metric_set(key, ratio(h, m));
    }
    json_object_set_new(jf, "by_origin", jo);
}

static void report_fp_common(const world *w, const oname *o, size_t n, json_t *jf)
{
    hitcount *hc = calloc(w->n_ent ? w->n_ent : 1, sizeof *hc);
    if (!hc)
        return;
    for (size_t i = 0; i < n; i++) {
        if (o[i].hit_ent == UINT32_MAX)
            continue;
        hitcount *h = &hc[o[i].hit_ent];
        h->ent = o[i].hit_ent;
        if (!h->count++ || o[i].score > h->best) {
            h->best = o[i].score;
            h->example = o[i].name;
            h->matched = o[i].matched;
        }
    }
    qsort(hc, w->n_ent, sizeof *hc, hitcount_cmp);
    json_t *arr = json_array();
    say("\n  the 20 listed entries hit most often: hits | listed name (source id) | matched name "
        "| best-scoring ordinary name\n");
    for (size_t k = 0; k < 20 && k < w->n_ent && hc[k].count; k++) {
        const cordon_entity *e = &w->ents[hc[k].ent].e;
        char c1[256], c2[256];
        say("    %4zu  %s (%s %s) | %s | %.3f %s\n", hc[k].count,
            cell(c1, sizeof c1, e->names[0].full, 34), e->source, e->source_id,
            cell(c2, sizeof c2, hc[k].matched ? hc[k].matched : "", 26), hc[k].best,
            hc[k].example);
        json_array_append_new(arr, json_pack("{s:I,s:s,s:s,s:s,s:s?,s:f,s:s}", "hits",
                                             (json_int_t)hc[k].count, "listed", e->names[0].full,
                                             "source", e->source, "source_id", e->source_id,
                                             "matched", hc[k].matched, "best_score",
                                             (double)hc[k].best, "example", hc[k].example));
    }
    json_object_set_new(jf, "commonest_hits", arr);
    free(hc);
}

static int part_fp(world *w)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/eval/ordinary_names.tsv", opt.data_dir);
    size_t n = 0;
    oname *o = read_onames(path, &n);
    if (!o)
        return 1;
    if (!n) {
        fprintf(stderr, "cordon-accuracy: %s: no names\n", path);
        free(o);
        return 1;
    }
    uint64_t t0 = now_ns();
    fpctx F = {w, o};
    run_parallel(fp_one, &F, n);
    double secs = (double)(now_ns() - t0) / 1e9;
    size_t hits = 0, hits_u = 0, np = 0, hp = 0;
    for (size_t i = 0; i < n; i++) {
        hits += o[i].hit_ent != UINT32_MAX;
        hits_u += o[i].hit_ent_untyped != UINT32_MAX;
        np += o[i].type == CORDON_TYPE_PERSON;
        hp += o[i].type == CORDON_TYPE_PERSON && o[i].hit_ent != UINT32_MAX;
    }
    json_t *jf = json_object();
    say("\n== 4. false positives: %zu ordinary names (%s) screened at the default threshold "
        "%.2f ==\n",
        n, path, CORDON_DEFAULT_THRESHOLD);
    say("  with the type given (person / organization): %zu names produce a hit = %.2f%%  "
        "(persons %.2f%%, organizations %.2f%%)\n",
        hits, 100 * ratio(hits, n), 100 * ratio(hp, np), 100 * ratio(hits - hp, n - np));
    say("  name only (no type): %zu = %.2f%%   (%.1f s)\n", hits_u, 100 * ratio(hits_u, n), secs);
    metric_set("fp.rate", ratio(hits, n));
    metric_set("fp.rate_untyped", ratio(hits_u, n));
    json_object_set_new(jf, "names", json_integer((json_int_t)n));
    json_object_set_new(jf, "hits", json_integer((json_int_t)hits));
    json_object_set_new(jf, "rate", json_real(ratio(hits, n)));
    json_object_set_new(jf, "rate_untyped", json_real(ratio(hits_u, n)));
    report_fp_origins(o, n, jf);
    report_fp_common(w, o, n, jf);
    json_object_set_new(jroot, "false_positives", jf);
    for (size_t i = 0; i < n; i++) {
        free(o[i].origin);
        free(o[i].name);
    }
    free(o);
    return 0;
}

/* ---- main --------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: cordon-accuracy [--snapshot F] [--data DIR] [--json] [--threads N]\n"
            "         [--parts holdout,loss,pairs,fp] [--sample N] [--loss-sample N]\n"
            "         [--fp-sample N] [--examples N] [--seed S] [--kind K]\n"
            "         [--dump-holdout FILE] [--dump-names FILE] [--dump-pairs FILE]\n"
            "         [--loss-only] [--loss-cache F]\n"
            "         [--pairs FILE]\n"
            "         [--floor KEY=V]... [--ceiling KEY=V]...\n"
            "  --sample N       hold-out queries evaluated, a seeded sample (default all)\n"
            "  --loss-sample N  queries compared indexed vs exhaustive (default 3000)\n"
            "  --fp-sample N    ordinary names screened, a seeded sample (default all)\n"
            "  --kind K         hold out names of one kind only (primary, strong, weak, former,\n"
            "                   original)\n"
            "  --dump-holdout F the evaluated hold-out queries with cordon's rank (TSV)\n"
            "  --dump-pairs F   every labelled pair with both algorithms' scores (TSV)\n"
            "  --dump-names F   every indexed list name (TSV), for bench/peers.sh\n"
            "  --floor/--ceiling  exit 1 when a figure (see the JSON 'metrics') is below/above\n"
            "  --loss-only      run only the loss sample (no hold-out tables); lists every loss\n"
            "  --loss-cache F   keep the loss sample's exhaustive results in F and reuse them\n"
            "                   (valid while the scorer and the list are unchanged)\n"
            "  --pairs FILE     labelled pairs to score (default the nomenklatura set; same\n"
            "                   CSV columns)\n");
}

static bool parse_parts(const char *s)
{
    opt.part_holdout = strstr(s, "holdout") != NULL;
    opt.part_loss = strstr(s, "loss") != NULL;
    opt.part_pairs = strstr(s, "pairs") != NULL;
    opt.part_fp = strstr(s, "fp") != NULL;
    return opt.part_holdout || opt.part_loss || opt.part_pairs || opt.part_fp;
}

static int parse_args(int argc, char **argv)
{
    static char snap[4096];
    opt.data_dir = BENCH_DATA_DIR;
    opt.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    opt.loss_sample = 3000;
    opt.examples = 8;
    opt.seed = DEFAULT_SEED;
    opt.kind = -1;
    parse_parts("holdout,loss,pairs,fp");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0) {
            opt.json = true;
            continue;
        }
        if (strcmp(a, "--loss-only") == 0) {
            opt.loss_only = true;
            continue;
        }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        }
        if (!v) {
            fprintf(stderr, "cordon-accuracy: unknown option or missing value: %s\n", a);
            return 2;
        }
        i++;
        if (strcmp(a, "--snapshot") == 0)
            opt.snapshot = v;
        else if (strcmp(a, "--data") == 0)
            opt.data_dir = v;
        else if (strcmp(a, "--threads") == 0)
            opt.threads = atoi(v);
        else if (strcmp(a, "--sample") == 0)
            opt.sample = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(a, "--loss-sample") == 0)
            opt.loss_sample = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(a, "--fp-sample") == 0)
            opt.fp_sample = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(a, "--loss-cache") == 0)
            opt.loss_cache = v;
        else if (strcmp(a, "--pairs") == 0)
            opt.pairs = v;
        else if (strcmp(a, "--examples") == 0)
            opt.examples = (size_t)strtoull(v, NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            opt.seed = strtoull(v, NULL, 10);
        else if (strcmp(a, "--dump-holdout") == 0)
            opt.dump_holdout = v;
        else if (strcmp(a, "--dump-pairs") == 0)
            opt.dump_pairs = v;
        else if (strcmp(a, "--dump-names") == 0)
            opt.dump_names = v;
        else if (strcmp(a, "--kind") == 0) {
            opt.kind = -1;
            for (int k = 0; k < CORDON_NAME_KIND_COUNT; k++)
                if (strcmp(v, cordon_name_kind_name((cordon_name_kind)k)) == 0)
                    opt.kind = k;
            if (opt.kind < 0) {
                fprintf(stderr, "cordon-accuracy: --kind: primary, strong, weak, former or "
                                "original\n");
                return 2;
            }
        } else if (strcmp(a, "--parts") == 0) {
            if (!parse_parts(v)) {
                fprintf(stderr, "cordon-accuracy: --parts: none of holdout,loss,pairs,fp\n");
                return 2;
            }
        } else if ((strcmp(a, "--floor") == 0 || strcmp(a, "--ceiling") == 0) &&
                   opt.n_checks < ARRAY_LEN(opt.checks)) {
            char *c = malloc(strlen(v) + 16);
            if (!c)
                return 1;
            sprintf(c, "%s:%s", a + 2, v);
            opt.checks[opt.n_checks++] = c;
        } else {
            fprintf(stderr, "cordon-accuracy: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (opt.threads < 1)
        opt.threads = 1;
    if (!opt.snapshot) {
        /* The tool lives in build/bench/, one level deeper than the CLI. */
        const char *env = getenv("CORDON_SNAPSHOT");
        if (env && *env)
            opt.snapshot = env;
        else {
            snprintf(snap, sizeof snap, "%s/cordon.snap", BENCH_DATA_DIR);
            opt.snapshot = snap;
        }
    }
    if (opt.part_loss)
        opt.part_holdout = true; /* the loss sample is drawn from the hold-out queries */
    return 0;
}

int main(int argc, char **argv)
{
    int rc = parse_args(argc, argv);
    if (rc)
        return rc;
    world w;
    if (!world_open(&w, opt.snapshot)) {
        fprintf(stderr, "cordon-accuracy: cannot load %s (build it with `cordon build`)\n",
                opt.snapshot);
        return 1;
    }
    jroot = json_object();
    cordon_snapshot_info si;
    cordon_engine_info(w.eng, &si);
    say("cordon-accuracy: snapshot %s (built %s, %u entities, %u names, %u indexed names), "
        "seed %llu\n",
        opt.snapshot, si.built_at, si.entities, si.names, w.ix->hdr->n_names,
        (unsigned long long)opt.seed);
    json_object_set_new(jroot, "snapshot",
                        json_pack("{s:s,s:s,s:i,s:i,s:s}", "path", opt.snapshot, "built_at",
                                  si.built_at, "entities", (int)si.entities, "names",
                                  (int)si.names, "checksum", si.checksum));
    json_object_set_new(jroot, "seed", json_integer((json_int_t)opt.seed));
    if (opt.dump_names && !dump_names(&w, opt.dump_names)) {
        fprintf(stderr, "cordon-accuracy: cannot write %s\n", opt.dump_names);
        rc = 1;
    }
    if (opt.part_holdout)
        rc |= part_holdout(&w);
    if (opt.part_pairs)
        rc |= part_pairs(&w);
    if (opt.part_fp)
        rc |= part_fp(&w);
    json_t *jm = json_object();
    for (size_t i = 0; i < n_metrics; i++)
        json_object_set_new(jm, metrics[i].key, json_real(metrics[i].v));
    json_object_set_new(jroot, "metrics", jm);
    if (opt.json) {
        char *s = json_dumps(jroot, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (s)
            puts(s);
        free(s);
    }
    json_decref(jroot);
    if (run_checks())
        rc = 1;
    world_close(&w);
    for (size_t i = 0; i < opt.n_checks; i++)
        free((void *)opt.checks[i]);
    return rc ? 1 : 0;
}
