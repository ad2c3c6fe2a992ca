/* speed.c - cordon-speed: how fast cordon screens, beside a brute-force scan with its own
 * scorer, on a fixed, seeded query set drawn from the lists themselves.
 *
 *   cordon-speed [--snapshot F] [--queries N] [--brute N] [--threads N] [--json]
 *                [--dump-queries FILE] [--dump-results FILE] [--threshold T]
 *   cordon-speed --scale [N] [--workdir DIR] [--keep]
 *
 * The query set: list names picked with a fixed seed, each perturbed the way real input
 * differs from a list (a typo, tokens in another order, a token dropped, another case, or
 * unchanged); part of them are person queries with the supporting fields a bank has (date
 * of birth and country). --scale writes an N-entity user list (user-csv) made from the real
 * names with seeded changes, builds it with `cordon build --source`, and measures that. */
#include "bench_util.h"
#include "match/match.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_SEED 20260301ull
#define PASSES 3 /* timed passes over the query set; the fastest counts */

typedef struct options {
    const char *snapshot, *cordon, *workdir, *dump, *dump_results;
    size_t queries, brute, scale;
    int threads, load_reps;
    bool json, keep, scale_mode;
    uint64_t seed;
    double threshold; /* of every query; -1: the default */
} options;

static options opt;
static bool results_dumped; /* --dump-results wrote its file: nothing else is measured */
static json_t *jroot;

#define say(...) bench_say(opt.json, __VA_ARGS__)
#define rng_next bench_rng
static size_t rng_below(uint64_t *s, size_t n) { return n ? (size_t)(rng_next(s) % n) : 0; }
static double rng_unit(uint64_t *s) { return (double)(rng_next(s) >> 11) / 9007199254740992.0; }

static long proc_status_kb(const char *field)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    size_t n = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, field, n) == 0 && line[n] == ':')
            v = atol(line + n + 1);
    if (f)
        fclose(f);
    return v;
}

static void reset_peak_rss(void)
{
    FILE *f = fopen("/proc/self/clear_refs", "w");
    if (f) {
        fputs("5", f);
        fclose(f);
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(double *v, size_t n, double p)
{
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* ---- the query set ----------------------------------------------------------------------- */

enum { PERT_NONE, PERT_TYPO, PERT_SWAP, PERT_DROP, PERT_CASE, PERT_COUNT };
static const char *const pert_names[PERT_COUNT] = {"unchanged", "typo", "swap", "drop", "case"};

typedef struct squery {
    char name[CORDON_MAX_QUERY_BYTES];
    char dob[16], country[4];
    cordon_entity_type type;
    uint32_t ent;
    uint8_t pert;
    bool person_sf; /* a person query with supporting fields */
} squery;

static size_t split_tokens(char *s, char **tok, size_t cap)
{
    size_t n = 0;
    for (char *p = strtok(s, " "); p && n < cap; p = strtok(NULL, " "))
        tok[n++] = p;
    return n;
}

static void join_tokens(char **tok, size_t n, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (size_t i = 0; i < n && len + 1 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? " " : "", tok[i]);
}

static bool ascii_letters(const char *t)
{
    size_t n = 0;
    for (; *t; t++) {
        if ((unsigned char)*t >= 0x80)
            return false;
        n += isalpha((unsigned char)*t) != 0;
    }
    return n >= 4;
}

/* One edit in a random ASCII token of 4+ letters: substitute, delete, insert or transpose. */
static bool typo(char **tok, size_t n, uint64_t *rs, char *edit, size_t cap)
{
    size_t start = rng_below(rs, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = (start + k) % n;
        if (!ascii_letters(tok[i]))
            continue;
        size_t len = strlen(tok[i]);
        if (len + 2 > cap)
            continue;
        size_t at = 1 + rng_below(rs, len - 2); /* keep the first letter */
        char c = (char)('a' + rng_below(rs, 26));
        if (isupper((unsigned char)tok[i][at]))
            c = (char)toupper((unsigned char)c);
        memcpy(edit, tok[i], len + 1);
        switch (rng_below(rs, 4)) {
        case 0:
            edit[at] = c;
            break;
        case 1:
            memmove(edit + at, edit + at + 1, len - at);
            break;
        case 2:
            memmove(edit + at + 1, edit + at, len - at + 1);
            edit[at] = c;
            break;
        default: {
            char t = edit[at];
            edit[at] = edit[at + 1 < len ? at + 1 : at - 1];
            edit[at + 1 < len ? at + 1 : at - 1] = t;
        }
        }
        tok[i] = edit;
        return true;
    }
    return false;
}

static void change_case(char *s, bool upper)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x80)
            *s = (char)(upper ? toupper((unsigned char)*s) : tolower((unsigned char)*s));
}

/* Perturbs a list name into a query; returns the perturbation applied. */
static int perturb(const char *name, uint64_t *rs, char *out, size_t cap)
{
    char tmp[CORDON_MAX_QUERY_BYTES], edit[CORDON_MAX_QUERY_BYTES];
    char *tok[64];
    snprintf(tmp, sizeof tmp, "%s", name);
    for (char *p = tmp; *p; p++)
        if (*p == ',' || *p == '\t' || *p == '\n')
            *p = ' ';
    size_t n = split_tokens(tmp, tok, ARRAY_LEN(tok));
    int pert = (int)rng_below(rs, PERT_COUNT);
    if (pert == PERT_DROP && n < 3)
        pert = PERT_TYPO;
    if (pert == PERT_SWAP && n < 2)
        pert = PERT_CASE;
    if (pert == PERT_TYPO && !typo(tok, n, rs, edit, sizeof edit))
        pert = PERT_CASE;
    if (pert == PERT_SWAP) {
        char *last = tok[n - 1];
        memmove(tok + 1, tok, (n - 1) * sizeof *tok);
        tok[0] = last;
    } else if (pert == PERT_DROP) {
        size_t d = rng_below(rs, n);
        memmove(tok + d, tok + d + 1, (n - d - 1) * sizeof *tok);
        n--;
    }
    join_tokens(tok, n, out, cap);
    if (pert == PERT_CASE)
        change_case(out, rng_below(rs, 2) == 0);
    return pert;
}

static void date_text(const cordon_date *d, char *out, size_t cap)
{
    if (d->year_from == d->year_to && d->month && d->day)
        snprintf(out, cap, "%04d-%02d-%02d", d->year_from, d->month, d->day);
    else
        snprintf(out, cap, "%04d", d->year_from);
}

static bool person_with_fields(const cordon_entity *e)
{
    return e->type == CORDON_TYPE_PERSON && e->n_birth_dates && e->birth_dates[0].year_from > 0 &&
           (e->n_nationalities || e->n_citizenships);
}

/* n queries: 40% persons with date of birth and country, the rest any list name alone. */
static squery *make_queries(const cordon_engine *eng, size_t n, uint64_t seed)
{
    squery *q = calloc(n ? n : 1, sizeof *q);
    size_t n_ent = cordon_engine_entity_count(eng);
    uint32_t *persons = calloc(n_ent ? n_ent : 1, sizeof *persons);
    cordon_arena *a = cordon_arena_new();
    size_t np = 0;
    uint64_t rs = seed;
    if (!q || !persons || !a || !n_ent) {
        free(q);
        free(persons);
        cordon_arena_free(a);
        return NULL;
    }
    for (size_t i = 0; i < n_ent; i++) {
        cordon_entity e;
        cordon_arena_reset(a);
        if (cordon_engine_entity(eng, i, a, &e) == CORDON_OK && person_with_fields(&e))
            persons[np++] = (uint32_t)i;
    }
    for (size_t i = 0; i < n; i++) {
        squery *s = &q[i];
        bool sf = np && rng_unit(&rs) < 0.4;
        uint32_t ent = sf ? persons[rng_below(&rs, np)] : (uint32_t)rng_below(&rs, n_ent);
        cordon_entity e;
        cordon_arena_reset(a);
        if (cordon_engine_entity(eng, ent, a, &e) != CORDON_OK || !e.n_names) {
            i--;
            continue;
        }
        const cordon_name *nm = &e.names[rng_below(&rs, e.n_names)];
        s->pert = (uint8_t)perturb(nm->full, &rs, s->name, sizeof s->name);
        if (str_is_blank(s->name)) {
            i--;
            continue;
        }
        s->ent = ent;
        s->person_sf = sf;
        if (sf) {
            s->type = CORDON_TYPE_PERSON;
            date_text(&e.birth_dates[0], s->dob, sizeof s->dob);
            snprintf(s->country, sizeof s->country, "%s",
                     e.n_nationalities ? e.nationalities[0] : e.citizenships[0]);
        }
    }
    free(persons);
    cordon_arena_free(a);
    return q;
}

static void query_of(const squery *s, cordon_query *q, int exhaustive)
{
    memset(q, 0, sizeof *q);
    q->name = s->name;
    q->type = s->type;
    q->dob = s->dob[0] ? s->dob : NULL;
    q->country = s->country[0] ? s->country : NULL;
    q->threshold = opt.threshold;
    q->exhaustive = exhaustive;
}

static bool dump_queries(const cordon_engine *eng, const squery *q, size_t n, const char *path)
{
    FILE *f = fopen(path, "w");
    cordon_arena *a = cordon_arena_new();
    if (!f || !a) {
        if (f)
            fclose(f);
        cordon_arena_free(a);
        return false;
    }
    fprintf(f, "name\ttype\tdob\tcountry\tperturbation\tentity\tsource\tsource_id\n");
    for (size_t i = 0; i < n; i++) {
        cordon_entity e;
        cordon_arena_reset(a);
        if (cordon_engine_entity(eng, q[i].ent, a, &e) != CORDON_OK)
            continue;
        fprintf(f, "%s\t%s\t%s\t%s\t%s\t%u\t%s\t%s\n", q[i].name,
                q[i].type ? cordon_entity_type_name(q[i].type) : "", q[i].dob, q[i].country,
                pert_names[q[i].pert], q[i].ent, e.source, e.source_id);
    }
    cordon_arena_free(a);
    return fclose(f) == 0;
}

/* Every query's result as JSON, with the unrounded scores and the number of names scored:
 * a speed change must leave this file byte-identical. */
static bool dump_results(const cordon_engine *eng, const squery *q, size_t n, const char *path)
{
    FILE *f = fopen(path, "w");
    cordon_arena *a = cordon_arena_new();
    bool ok = f && a;
    for (size_t i = 0; ok && i < n; i++) {
        cordon_query cq;
        cordon_result res;
        cordon_error err;
        query_of(&q[i], &cq, 0);
        cordon_arena_reset(a);
        if (cordon_screen(eng, &cq, a, &res, &err) != CORDON_OK) {
            fprintf(f, "%zu error %s\n", i, err.message);
            continue;
        }
        char *js = cordon_result_json(&cq, &res, 0);
        fprintf(f, "%zu cands %zu %s\n", i, res.candidates, js ? js : "null");
        free(js);
        for (size_t h = 0; h < res.n_hits; h++)
            fprintf(f, "  %zu %.17g %.17g\n", res.hits[h].entity_index, res.hits[h].score,
                    res.hits[h].name_score);
    }
    cordon_arena_free(a);
    if (f && fclose(f) != 0)
        ok = false;
    return ok;
}

/* ---- running queries ---------------------------------------------------------------------- */

/* Threads are started once per measurement and run every pass, separated by barriers, as a
 * server's threads would: each thread's first query sets up its scratch and transliterator,
 * which the first (warm-up) pass pays for. */
typedef struct run {
    const cordon_engine *eng;
    const squery *q;
    size_t n;
    int exhaustive, passes, threads;
    double *lat_us;  /* per query, of the current pass (NULL: not timed one by one) */
    uint32_t *cands; /* per query: list names scored */
    atomic_size_t next;
    atomic_size_t hits, failures;
    pthread_barrier_t start, done;
} run;

static void run_pass(run *r, cordon_arena *a)
{
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->n || !a)
            break;
        cordon_query q;
        cordon_result res;
        cordon_error err;
        query_of(&r->q[i], &q, r->exhaustive);
        cordon_arena_reset(a);
        uint64_t t0 = now_ns();
        if (cordon_screen(r->eng, &q, a, &res, &err) != CORDON_OK)
            atomic_fetch_add(&r->failures, 1);
        else
            atomic_fetch_add(&r->hits, res.n_hits > 0);
        if (r->lat_us)
            r->lat_us[i] = (double)(now_ns() - t0) / 1e3;
        if (r->cands)
            r->cands[i] = (uint32_t)res.candidates;
    }
}

static void *run_worker(void *p)
{
    run *r = p;
    cordon_arena *a = cordon_arena_new();
    for (int pass = 0; pass < r->passes; pass++) {
        pthread_barrier_wait(&r->start);
        run_pass(r, a);
        pthread_barrier_wait(&r->done);
    }
    cordon_arena_free(a);
    return NULL;
}

/* A warm-up pass (unless warm is false), then `passes` timed passes over the queries on
 * `threads` threads; returns the fastest timed pass in seconds, with its per-query latencies
 * in lat_us (if not NULL). */
static double run_queries(const cordon_engine *eng, const squery *q, size_t n, int threads,
                          int exhaustive, bool warm, int passes, double *lat_us,
                          uint32_t *cands, size_t *hits)
{
    pthread_t th[256];
    if (threads > 256)
        threads = 256;
    double *tries = lat_us ? calloc(n ? n : 1, sizeof *tries) : NULL;
    run r = {.eng = eng, .q = q, .n = n, .exhaustive = exhaustive, .passes = passes + warm,
             .threads = threads, .lat_us = tries, .cands = cands};
    pthread_barrier_init(&r.start, NULL, (unsigned)threads);
    pthread_barrier_init(&r.done, NULL, (unsigned)threads);
    for (int t = 1; t < threads; t++)
        pthread_create(&th[t], NULL, run_worker, &r);
    cordon_arena *a = cordon_arena_new();
    double best = 1e30;
    for (int pass = 0; pass < r.passes; pass++) {
        atomic_store(&r.next, 0);
        atomic_store(&r.hits, 0);
        pthread_barrier_wait(&r.start);
        uint64_t t0 = now_ns();
        run_pass(&r, a);
        pthread_barrier_wait(&r.done);
        double secs = (double)(now_ns() - t0) / 1e9;
        if (pass >= warm && secs < best) {
            best = secs;
            if (lat_us && tries)
                memcpy(lat_us, tries, n * sizeof *lat_us);
        }
    }
    cordon_arena_free(a);
    for (int t = 1; t < threads; t++)
        pthread_join(th[t], NULL);
    pthread_barrier_destroy(&r.start);
    pthread_barrier_destroy(&r.done);
    free(tries);
    if (hits)
        *hits = atomic_load(&r.hits);
    if (atomic_load(&r.failures))
        fprintf(stderr, "cordon-speed: %zu queries failed\n", atomic_load(&r.failures));
    return best;
}

static double mean_of(const double *v, size_t n, bool (*keep)(const squery *), const squery *q,
                      size_t *count)
{
    double s = 0;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (!keep || keep(&q[i])) {
            s += v[i];
            c++;
        }
    *count = c;
    return c ? s / (double)c : 0;
}

static bool is_person_sf(const squery *s) { return s->person_sf; }
static bool is_plain(const squery *s) { return !s->person_sf; }

static double median_load_ms(const char *path, int reps)
{
    double t[64];
    if (reps > 64)
        reps = 64;
    for (int i = 0; i < reps; i++) {
        cordon_error err;
        uint64_t t0 = now_ns();
        cordon_engine *e = cordon_engine_open(path, &err);
        cordon_engine_close(e);
        t[i] = (double)(now_ns() - t0) / 1e6;
    }
    return percentile(t, (size_t)reps, 0.5);
}

typedef struct figures {
    double qps1, qpsN, p50, p99, mean_us, qps_sf, qps_plain, p99_sf;
    double brute_qps, brute_idx_qps, load_ms;
    long hwm_kb, hwm_brute_kb, rss_open_kb;
    size_t n, n_brute, hits;
    double mean_cands;
    char slow_name[10][96];
    double slow_us[10];
    uint32_t slow_cands[10];
    size_t n_slow;
} figures;

/* The slowest queries of the one-thread pass, with the number of list names they scored. */
static void keep_slowest(figures *f, const squery *q, const double *lat, const uint32_t *cands)
{
    bool *taken = calloc(f->n ? f->n : 1, sizeof *taken);
    double sum = 0;
    for (size_t i = 0; i < f->n; i++)
        sum += cands[i];
    f->mean_cands = f->n ? sum / (double)f->n : 0;
    for (f->n_slow = 0; taken && f->n_slow < ARRAY_LEN(f->slow_us) && f->n_slow < f->n;
         f->n_slow++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < f->n; i++)
            if (!taken[i] && (best == SIZE_MAX || lat[i] > lat[best]))
                best = i;
        taken[best] = true;
        snprintf(f->slow_name[f->n_slow], sizeof f->slow_name[0], "%s", q[best].name);
        f->slow_us[f->n_slow] = lat[best];
        f->slow_cands[f->n_slow] = cands[best];
    }
    free(taken);
}

/* The whole measurement on one snapshot. */
static bool measure(const char *path, figures *f, json_t *jout)
{
    cordon_error err = {0};
    memset(f, 0, sizeof *f);
    long rss0 = proc_status_kb("VmRSS");
    f->load_ms = median_load_ms(path, opt.load_reps);
    cordon_engine *eng = cordon_engine_open(path, &err);
    if (!eng) {
        fprintf(stderr, "cordon-speed: %s\n", err.message);
        return false;
    }
    f->rss_open_kb = proc_status_kb("VmRSS") - rss0;
    f->n = opt.queries;
    squery *q = make_queries(eng, f->n, opt.seed);
    double *lat = calloc(f->n ? f->n : 1, sizeof *lat);
    uint32_t *cands = calloc(f->n ? f->n : 1, sizeof *cands);
    if (!q || !lat || !cands) {
        free(q);
        free(lat);
        free(cands);
        cordon_engine_close(eng);
        return false;
    }
    if (opt.dump && !dump_queries(eng, q, f->n, opt.dump))
        fprintf(stderr, "cordon-speed: cannot write %s\n", opt.dump);
    if (opt.dump_results) {
        bool ok = dump_results(eng, q, f->n, opt.dump_results);
        free(q);
        free(lat);
        free(cands);
        cordon_engine_close(eng);
        if (!ok)
            fprintf(stderr, "cordon-speed: cannot write %s\n", opt.dump_results);
        results_dumped = ok;
        return false; /* nothing measured */
    }
    /* 1 thread, each query timed; the fastest of PASSES passes, as other load on the
     * machine only ever slows a pass down */
    double secs = run_queries(eng, q, f->n, 1, 0, true, PASSES, lat, cands, &f->hits);
    f->qps1 = (double)f->n / secs;
    keep_slowest(f, q, lat, cands);
    size_t c;
    f->mean_us = mean_of(lat, f->n, NULL, q, &c);
    f->qps_sf = 1e6 / mean_of(lat, f->n, is_person_sf, q, &c);
    size_t n_sf = c;
    f->qps_plain = 1e6 / mean_of(lat, f->n, is_plain, q, &c);
    double *lsf = calloc(n_sf ? n_sf : 1, sizeof *lsf);
    for (size_t i = 0, k = 0; lsf && i < f->n; i++)
        if (q[i].person_sf)
            lsf[k++] = lat[i];
    f->p99_sf = lsf ? percentile(lsf, n_sf, 0.99) : 0;
    free(lsf);
    double *l2 = malloc((f->n ? f->n : 1) * sizeof *l2);
    if (l2) {
        memcpy(l2, lat, f->n * sizeof *l2);
        f->p50 = percentile(l2, f->n, 0.5);
        f->p99 = percentile(l2, f->n, 0.99);
        free(l2);
    }
    /* all cores */
    secs = run_queries(eng, q, f->n, opt.threads, 0, true, PASSES, NULL, NULL, NULL);
    f->qpsN = (double)f->n / secs;
    f->hwm_kb = proc_status_kb("VmHWM");
    /* brute force on the first queries, and the index on the same ones; its peak memory
     * apart (writing 5 to clear_refs resets VmHWM) */
    reset_peak_rss();
    f->n_brute = opt.brute < f->n ? opt.brute : f->n;
    if (f->n_brute) {
        secs = run_queries(eng, q, f->n_brute, 1, 1, false, 1, NULL, NULL, NULL);
        f->brute_qps = (double)f->n_brute / secs;
        secs = run_queries(eng, q, f->n_brute, 1, 0, false, 1, NULL, NULL, NULL);
        f->brute_idx_qps = (double)f->n_brute / secs;
    }
    f->hwm_brute_kb = f->n_brute ? proc_status_kb("VmHWM") : 0;
    cordon_snapshot_info si;
    cordon_engine_info(eng, &si);
    if (jout) {
        json_object_set_new(jout, "snapshot",
                            json_pack("{s:s,s:i,s:i,s:I}", "path", path, "entities",
                                      (int)si.entities, "names", (int)si.names, "bytes",
                                      (json_int_t)si.file_size));
    }
    free(q);
    free(lat);
    free(cands);
    cordon_engine_close(eng);
    return true;
}

static void report(const figures *f, json_t *j)
{
    int nc = opt.threads;
    say("  queries                     %zu (seeded; %zu with a hit at the default threshold)\n",
        f->n, f->hits);
    say("  snapshot load (open+close)  %.2f ms median of %d\n", f->load_ms, opt.load_reps);
    say("  (throughput and latency: the fastest of %d passes over the queries)\n", PASSES);
    say("  indexed, 1 thread           %10.0f q/s   mean %.1f us  p50 %.1f us  p99 %.1f us\n",
        f->qps1, f->mean_us, f->p50, f->p99);
    say("    person + dob + country    %10.0f q/s   p99 %.1f us\n", f->qps_sf, f->p99_sf);
    say("    name only                 %10.0f q/s\n", f->qps_plain);
    say("  indexed, %d threads          %10.0f q/s   (%.2fx one thread)\n", nc, f->qpsN,
        f->qpsN / (f->qps1 > 0 ? f->qps1 : 1));
    if (f->n_brute)
        say("  brute force (exhaustive=1)  %10.1f q/s   on the first %zu queries, where the index "
            "does %.0f q/s: ratio %.0fx\n",
            f->brute_qps, f->n_brute, f->brute_idx_qps,
            f->brute_idx_qps / (f->brute_qps > 0 ? f->brute_qps : 1));
    say("  memory                      VmHWM %.1f MB (peak resident, indexed search); open adds "
        "%.1f MB resident\n",
        (double)f->hwm_kb / 1024, (double)f->rss_open_kb / 1024);
    if (f->n_brute)
        say("                              VmHWM %.1f MB during the brute-force queries\n",
            (double)f->hwm_brute_kb / 1024);
    say("  list names scored per query %.0f on average; the slowest queries (1 thread):\n",
        f->mean_cands);
    json_t *js = json_array();
    for (size_t i = 0; i < f->n_slow; i++) {
        say("    %8.0f us  %6u names scored  %s\n", f->slow_us[i], f->slow_cands[i],
            f->slow_name[i]);
        json_array_append_new(js, json_pack("{s:s,s:f,s:i}", "query", f->slow_name[i], "us",
                                            f->slow_us[i], "names_scored", (int)f->slow_cands[i]));
    }
    json_object_set_new(j, "slowest", js);
    json_object_set_new(j, "mean_names_scored", json_real(f->mean_cands));
    json_t *x = json_pack("{s:I,s:I,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:I,s:f,s:f,"
                                    "s:I,s:I,s:I,s:i}",
                                    "queries", (json_int_t)f->n, "queries_with_hit",
                                    (json_int_t)f->hits, "load_ms", f->load_ms, "qps_1_thread",
                                    f->qps1, "qps_all_threads", f->qpsN, "p50_us", f->p50,
                                    "p99_us", f->p99, "mean_us", f->mean_us,
                                    "qps_person_with_fields", f->qps_sf, "p99_person_with_fields_us",
                                    f->p99_sf, "qps_name_only", f->qps_plain, "brute_queries",
                                    (json_int_t)f->n_brute, "brute_qps", f->brute_qps,
                                    "brute_same_queries_indexed_qps", f->brute_idx_qps,
                                    "vm_hwm_kb", (json_int_t)f->hwm_kb, "vm_hwm_brute_kb",
                                    (json_int_t)f->hwm_brute_kb, "rss_open_kb",
                                    (json_int_t)f->rss_open_kb, "threads", nc);
    json_object_update(j, x);
    json_decref(x);
}

/* ---- --scale: a large synthetic list ------------------------------------------------------ */

static void csv_field_out(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s == ';' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
    }
    fputc('"', f);
}

/* A new name in the style of a real one: one token swapped for the same-position token of
 * another list name of the same entity type, then maybe a typo. */
static void synth_name(const char *base, const char *donor, uint64_t *rs, char *out, size_t cap)
{
    char a[CORDON_MAX_QUERY_BYTES], b[CORDON_MAX_QUERY_BYTES], edit[CORDON_MAX_QUERY_BYTES];
    char *ta[64], *tb[64];
    snprintf(a, sizeof a, "%s", base);
    snprintf(b, sizeof b, "%s", donor);
    size_t na = split_tokens(a, ta, ARRAY_LEN(ta)), nb = split_tokens(b, tb, ARRAY_LEN(tb));
    if (na && nb) {
        size_t i = rng_below(rs, na);
        ta[i] = tb[i < nb ? i : nb - 1];
    }
    if (rng_unit(rs) < 0.3)
        typo(ta, na, rs, edit, sizeof edit);
    join_tokens(ta, na, out, cap);
}

typedef struct scale_src {
    cordon_entity *e;
    size_t n;
    uint32_t *by_type[CORDON_TYPE_COUNT];
    size_t n_type[CORDON_TYPE_COUNT];
} scale_src;

static void write_scale_row(FILE *f, const scale_src *src, size_t row, uint64_t *rs)
{
    const cordon_entity *e = &src->e[rng_below(rs, src->n)];
    const uint32_t *same = src->by_type[e->type];
    size_t n_same = src->n_type[e->type];
    char name[CORDON_MAX_QUERY_BYTES];
    fprintf(f, "SC-%07zu,", row + 1);
    const cordon_entity *donor = &src->e[same[rng_below(rs, n_same)]];
    synth_name(e->names[0].full, donor->names[0].full, rs, name, sizeof name);
    if (str_is_blank(name))
        snprintf(name, sizeof name, "%s", e->names[0].full);
    csv_field_out(f, name);
    fprintf(f, ",%s,", e->type ? cordon_entity_type_name(e->type) : "");
    /* up to two aliases, changed the same way */
    buf al = {0};
    size_t n_alias = e->n_names > 1 ? rng_below(rs, 3) : 0;
    for (size_t k = 0; k < n_alias; k++) {
        const cordon_name *nm = &e->names[1 + rng_below(rs, e->n_names - 1)];
        donor = &src->e[same[rng_below(rs, n_same)]];
        synth_name(nm->full, donor->names[rng_below(rs, donor->n_names)].full, rs, name,
                   sizeof name);
        if (!str_is_blank(name)) {
            if (al.len)
                buf_putc(&al, ';');
            buf_puts(&al, name);
        }
    }
    csv_field_out(f, al.data ? al.data : "");
    buf_free(&al);
    fputc(',', f);
    if (e->n_birth_dates && e->birth_dates[0].year_from > 1900) {
        cordon_date d = e->birth_dates[0];
        d.year_from = d.year_to = (int16_t)(d.year_from + (int)rng_below(rs, 7) - 3);
        char dt[16];
        date_text(&d, dt, sizeof dt);
        fputs(dt, f);
    }
    fprintf(f, ",%s\n", e->n_nationalities ? e->nationalities[0] : "");
}

static bool write_scale_csv(const cordon_engine *eng, size_t n, const char *path)
{
    scale_src src = {0};
    cordon_arena *a = cordon_arena_new();
    src.n = cordon_engine_entity_count(eng);
    src.e = calloc(src.n ? src.n : 1, sizeof *src.e);
    bool ok = a && src.e;
    for (size_t i = 0; ok && i < src.n; i++)
        ok = cordon_engine_entity(eng, i, a, &src.e[i]) == CORDON_OK;
    for (int t = 0; ok && t < CORDON_TYPE_COUNT; t++) {
        src.by_type[t] = calloc(src.n, sizeof *src.by_type[t]);
        ok = src.by_type[t] != NULL;
    }
    for (size_t i = 0; ok && i < src.n; i++)
        src.by_type[src.e[i].type][src.n_type[src.e[i].type]++] = (uint32_t)i;
    FILE *f = ok ? fopen(path, "w") : NULL;
    if (f) {
        uint64_t rs = opt.seed ^ 0x5ca1eull;
        fputs("id,name,type,aliases,dob,nationality\n", f);
        for (size_t r = 0; r < n; r++)
            write_scale_row(f, &src, r, &rs);
        ok = fclose(f) == 0;
    } else {
        ok = false;
    }
    for (int t = 0; t < CORDON_TYPE_COUNT; t++)
        free(src.by_type[t]);
    free(src.e);
    cordon_arena_free(a);
    return ok;
}

/* Runs `cordon build --source scale:user-csv:CSV --out SNAP`; wall time and child peak RSS. */
static bool run_build(const char *csv, const char *snap, const char *log, double *secs,
                      long *maxrss_kb)
{
    char src[4096];
    snprintf(src, sizeof src, "scale:user-csv:%s", csv);
    uint64_t t0 = now_ns();
    pid_t pid = fork();
    if (pid == 0) {
        FILE *l = freopen(log, "w", stdout);
        if (l)
            dup2(fileno(l), 2);
        execl(opt.cordon, opt.cordon, "build", "--source", src, "--out", snap, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
        return false;
    *secs = (double)(now_ns() - t0) / 1e9;
    *maxrss_kb = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static int scale_mode(void)
{
    char dir[4096], csv[4200], snap[4200], log[4200];
    if (opt.workdir) {
        snprintf(dir, sizeof dir, "%s", opt.workdir);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof dir, "/tmp/cordon-scale-XXXXXX");
        if (!mkdtemp(dir)) {
            perror("cordon-speed: mkdtemp");
            return 1;
        }
    }
    snprintf(csv, sizeof csv, "%s/scale.csv", dir);
    snprintf(snap, sizeof snap, "%s/scale.snap", dir);
    snprintf(log, sizeof log, "%s/build.log", dir);
    cordon_error err = {0};
    cordon_engine *base = cordon_engine_open(opt.snapshot, &err);
    if (!base) {
        fprintf(stderr, "cordon-speed: %s\n", err.message);
        return 1;
    }
    say("cordon-speed --scale %zu: a seeded synthetic user list from the %zu real entries of %s\n",
        opt.scale, cordon_engine_entity_count(base), opt.snapshot);
    uint64_t t0 = now_ns();
    bool ok = write_scale_csv(base, opt.scale, csv);
    cordon_engine_close(base);
    struct stat st;
    if (!ok || stat(csv, &st) != 0) {
        fprintf(stderr, "cordon-speed: cannot write %s\n", csv);
        return 1;
    }
    say("  list written                %s: %.1f MB in %.1f s\n", csv, (double)st.st_size / 1e6,
        (double)(now_ns() - t0) / 1e9);
    double bsecs = 0;
    long brss = 0;
    if (!run_build(csv, snap, log, &bsecs, &brss)) {
        fprintf(stderr, "cordon-speed: `%s build --source scale:user-csv:%s` failed (see %s)\n",
                opt.cordon, csv, log);
        return 1;
    }
    stat(snap, &st);
    say("  cordon build                %.1f s, peak RSS %.0f MB, snapshot %.1f MB\n", bsecs,
        (double)brss / 1024, (double)st.st_size / 1e6);
    json_t *j = json_object();
    json_object_set_new(j, "entities", json_integer((json_int_t)opt.scale));
    json_object_set_new(j, "build_seconds", json_real(bsecs));
    json_object_set_new(j, "build_peak_rss_kb", json_integer(brss));
    json_object_set_new(j, "snapshot_bytes", json_integer((json_int_t)st.st_size));
    figures f;
    ok = measure(snap, &f, j);
    if (ok)
        report(&f, j);
    json_object_set_new(jroot, "scale", j);
    if (!opt.keep) {
        unlink(csv);
        unlink(snap);
        unlink(log);
        if (!opt.workdir)
            rmdir(dir);
    }
    return ok ? 0 : 1;
}

/* ---- main --------------------------------------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f, "usage: cordon-speed [--snapshot F] [--queries N] [--brute N] [--threads N]\n"
               "                    [--seed S] [--json] [--dump-queries FILE]\n"
               "                    [--dump-results FILE] [--threshold T]\n"
               "       cordon-speed --scale [N] [--cordon PATH] [--workdir DIR] [--keep]\n");
}

static int parse_args(int argc, char **argv)
{
    static char snap[4096], cli[4096];
    opt.queries = 0;
    opt.brute = SIZE_MAX;
    opt.scale = 1000000;
    opt.seed = DEFAULT_SEED;
    opt.threshold = -1;
    opt.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--json") == 0)
            opt.json = true;
        else if (strcmp(a, "--keep") == 0)
            opt.keep = true;
        else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            exit(0);
        } else if (strcmp(a, "--scale") == 0) {
            opt.scale_mode = true;
            if (v && isdigit((unsigned char)v[0])) {
                opt.scale = (size_t)strtoull(v, NULL, 10);
                i++;
            }
        } else if (!v) {
            fprintf(stderr, "cordon-speed: unknown option or missing value: %s\n", a);
            return 2;
        } else {
            i++;
            if (strcmp(a, "--snapshot") == 0)
                opt.snapshot = v;
            else if (strcmp(a, "--queries") == 0)
                opt.queries = (size_t)strtoull(v, NULL, 10);
            else if (strcmp(a, "--brute") == 0)
                opt.brute = (size_t)strtoull(v, NULL, 10);
            else if (strcmp(a, "--threads") == 0)
                opt.threads = atoi(v);
            else if (strcmp(a, "--seed") == 0)
                opt.seed = strtoull(v, NULL, 10);
            else if (strcmp(a, "--cordon") == 0)
                opt.cordon = v;
            else if (strcmp(a, "--workdir") == 0)
                opt.workdir = v;
            else if (strcmp(a, "--dump-queries") == 0)
                opt.dump = v;
            else if (strcmp(a, "--threshold") == 0)
                opt.threshold = strtod(v, NULL);
            else if (strcmp(a, "--dump-results") == 0)
                opt.dump_results = v;
            else {
                fprintf(stderr, "cordon-speed: unknown option %s\n", a);
                usage(stderr);
                return 2;
            }
        }
    }
    if (opt.threads < 1)
        opt.threads = 1;
    /* A brute-force query on a million entities takes about a second: fewer of them there. */
    if (!opt.queries)
        opt.queries = opt.scale_mode ? 2000 : 5000;
    if (opt.brute == SIZE_MAX)
        opt.brute = opt.scale_mode ? 10 : 200;
    opt.load_reps = opt.scale_mode ? 5 : 21;
    if (!opt.snapshot) {
        const char *env = getenv("CORDON_SNAPSHOT");
        snprintf(snap, sizeof snap, "%s/cordon.snap", BENCH_DATA_DIR);
        opt.snapshot = env && *env ? env : snap;
    }
    if (!opt.cordon) {
        snprintf(cli, sizeof cli, "%s/cordon", BENCH_BUILD_DIR);
        opt.cordon = cli;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rc = parse_args(argc, argv);
    if (rc)
        return rc;
    jroot = json_object();
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    json_object_set_new(jroot, "cores", json_integer(sysconf(_SC_NPROCESSORS_ONLN)));
    json_object_set_new(jroot, "seed", json_integer((json_int_t)opt.seed));
    if (opt.scale_mode) {
        rc = scale_mode();
    } else {
        say("cordon-speed: %s, %zu seeded queries (40%% persons with date of birth and country; "
            "typos, swapped, dropped tokens, case), %d threads for 'all cores'\n",
            opt.snapshot, opt.queries, opt.threads);
        json_t *j = json_object();
        figures f;
        if (measure(opt.snapshot, &f, j))
            report(&f, j);
        else
            rc = results_dumped ? 0 : 1;
        json_object_set_new(jroot, "bundled", j);
    }
    if (opt.json) {
        char *s = json_dumps(jroot, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        if (s)
            puts(s);
        free(s);
    }
    json_decref(jroot);
    return rc;
}
