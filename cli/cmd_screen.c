/* cmd_screen.c - `cordon screen`, `cordon compare` and `cordon show`. */
#include "cli.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES 32

typedef struct screen_opts {
    cordon_query q;
    const char *sources_buf[MAX_SOURCES];
    char src_text[1024], id_text[256];
    const char *snapshot, *file, *out;
    bool json;
    int threads;
} screen_opts;

/* Parses the options that screen and compare share; returns -1 if argv[*i] is not one. */
static int parse_common(screen_opts *o, int argc, char **argv, int *i)
{
    const char *v;
    if ((v = cli_opt(argc, argv, i, "--type"))) {
        o->q.type = cordon_entity_type_parse(v);
        if (o->q.type == CORDON_TYPE_UNKNOWN)
            return cli_usage("--type: use person, organization, vessel or aircraft");
    } else if ((v = cli_opt(argc, argv, i, "--algorithm"))) {
        if (strcmp(v, "ofac") == 0)
            o->q.algorithm = CORDON_ALGO_OFAC;
        else if (strcmp(v, "default") == 0)
            o->q.algorithm = CORDON_ALGO_DEFAULT;
        else
            return cli_usage("--algorithm: use default or ofac");
    } else if ((v = cli_opt(argc, argv, i, "--snapshot"))) {
        o->snapshot = v;
    } else if (cli_flag(argv[*i], "--json")) {
        o->json = true;
    } else {
        return -1;
    }
    return 0;
}

static int parse_screen(screen_opts *o, int argc, char **argv, const char **name)
{
    *name = NULL;
    for (int i = 1; i < argc; i++) {
        const char *v;
        int rc = parse_common(o, argc, argv, &i);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if ((v = cli_opt(argc, argv, &i, "--dob"))) {
            o->q.dob = v;
        } else if ((v = cli_opt(argc, argv, &i, "--country"))) {
            o->q.country = v;
        } else if ((v = cli_opt(argc, argv, &i, "--id"))) {
            snprintf(o->id_text, sizeof o->id_text, "%s", v);
            char *colon = strchr(o->id_text, ':');
            if (!colon || colon == o->id_text || !colon[1])
                return cli_usage("--id wants TYPE:VALUE (e.g. imo:9123456, passport:M123)");
            *colon = 0;
            o->q.id_type = o->id_text;
            o->q.id_value = colon + 1;
        } else if ((v = cli_opt(argc, argv, &i, "--source"))) {
            snprintf(o->src_text, sizeof o->src_text, "%s", v);
            o->q.n_sources = cli_split(o->src_text, o->sources_buf, MAX_SOURCES);
            o->q.sources = o->sources_buf;
        } else if ((v = cli_opt(argc, argv, &i, "--limit"))) {
            char *end;
            long n = strtol(v, &end, 10);
            if (*end || n < 1 || n > 1000)
                return cli_usage("--limit: a number from 1 to 1000");
            o->q.limit = (size_t)n;
        } else if ((v = cli_opt(argc, argv, &i, "--threshold"))) {
            char *end;
            double t = strtod(v, &end);
            if (*end || t < 0 || t > 1)
                return cli_usage("--threshold: a number from 0 to 1");
            o->q.threshold = t;
        } else if ((v = cli_opt(argc, argv, &i, "--file"))) {
            o->file = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out"))) {
            o->out = v;
        } else if ((v = cli_opt(argc, argv, &i, "--threads"))) {
            o->threads = atoi(v);
            if (o->threads < 1 || o->threads > 64)
                return cli_usage("--threads: 1 to 64");
        } else if (cli_flag(argv[i], "--exhaustive")) {
            o->q.exhaustive = 1;
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            return cli_usage("screen: unknown option '%s'", argv[i]);
        } else if (!*name) {
            *name = argv[i];
        } else {
            return cli_usage("screen: one name at a time (quote names with spaces)");
        }
    }
    return 0;
}

static void print_hit_table(const cordon_result *r)
{
    if (r->n_hits == 0) {
        printf("no hits at or above the threshold (%zu list names scored)\n", r->candidates);
        return;
    }
    printf("%-5s %-6s %-10s %-14s %-40s %s\n", "rank", "score", "source", "id", "listed name",
           "matched on");
    for (size_t i = 0; i < r->n_hits; i++) {
        const cordon_hit *h = &r->hits[i];
        char progs[256] = "";
        size_t pl = 0;
        for (size_t p = 0; p < h->entity.n_programs && pl < sizeof progs - 1; p++)
            pl += (size_t)snprintf(progs + pl, sizeof progs - pl, "%s%s", p ? ", " : "",
                                   h->entity.programs[p]);
        printf("%-5zu %-6.3f %-10s %-14s %-40.40s %s (%s)\n", i + 1, h->score, h->entity.source,
               h->entity.source_id ? h->entity.source_id : "-", h->entity.names[0].full,
               h->matched_name, cordon_name_kind_name(h->matched_kind));
        printf("      %s | %s", cordon_entity_type_name(h->entity.type), *progs ? progs : "-");
        if (h->entity.listed_on)
            printf(" | listed %s", h->entity.listed_on);
        printf("\n      why:");
        for (size_t t = 0; t < h->n_tokens; t++) {
            const cordon_token_match *m = &h->tokens[t];
            if (m->query && m->matched)
                printf(" %s=%s (%s %.2f)", m->query, m->matched, m->how, m->similarity);
            else if (m->query)
                printf(" %s unmatched", m->query);
            else
                printf(" [%s missing]", m->matched);
            printf(t + 1 < h->n_tokens ? ";" : "");
        }
        for (size_t f = 0; f < h->n_features; f++)
            printf("; %s %+.2f (%s)", h->features[f].feature, h->features[f].delta,
                   h->features[f].detail);
        printf("\n");
    }
}

static void progress(void *ctx, uint64_t rows)
{
    if (*(bool *)ctx)
        fprintf(stderr, "\rscreened %llu rows", (unsigned long long)rows);
}

static int screen_file(const cordon_engine *e, screen_opts *o)
{
    size_t n = strlen(o->file);
    cordon_bulk_format in = n > 4 && strcmp(o->file + n - 4, ".csv") == 0 ? CORDON_BULK_CSV
                                                                           : CORDON_BULK_JSONL;
    cordon_bulk_format outf = CORDON_BULK_JSONL;
    FILE *out = stdout;
    char tmp[4096] = "";
    if (o->out) {
        size_t m = strlen(o->out);
        if (m > 4 && strcmp(o->out + m - 4, ".csv") == 0)
            outf = CORDON_BULK_CSV;
        /* Written beside the target and renamed at the end: never a half-written file. */
        snprintf(tmp, sizeof tmp, "%s.tmp.%d", o->out, (int)getpid());
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, "cordon: %s: cannot write\n", o->out);
            return EXIT_FAIL;
        }
    }
    int threads = o->threads ? o->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
    bool tty = isatty(2);
    cordon_bulk_stats st;
    cordon_error err = {0};
    uint64_t t0 = 0;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
    cordon_status rc =
        cordon_screen_bulk(e, o->file, in, out, outf, &o->q, threads, progress, &tty, &st, &err);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    double secs = ((double)((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec - t0)) / 1e9;
    if (tty)
        fputc('\n', stderr);
    if (o->out) {
        bool ok = fclose(out) == 0 && rc == CORDON_OK && rename(tmp, o->out) == 0;
        if (!ok)
            unlink(tmp);
    }
    if (rc != CORDON_OK)
        return cli_fail(&err);
    fprintf(stderr,
            "%llu rows in %.2f s (%.0f rows/s, %d threads): %llu with hits, %llu hits, %llu bad rows\n",
            (unsigned long long)st.rows, secs, secs > 0 ? (double)st.rows / secs : 0.0, threads,
            (unsigned long long)st.rows_with_hits, (unsigned long long)st.hits,
            (unsigned long long)st.errors);
    return EXIT_OK;
}

int cmd_screen(int argc, char **argv)
{
    screen_opts o;
    memset(&o, 0, sizeof o);
    o.q.threshold = -1;
    const char *name;
    int rc = parse_screen(&o, argc, argv, &name);
    if (rc)
        return rc;
    if (!name && !o.file)
        return cli_usage("screen: give a NAME or --file FILE");
    if (name && o.file)
        return cli_usage("screen: give a NAME or --file, not both");
    cordon_engine *e = cli_open_engine(o.snapshot);
    if (!e)
        return EXIT_FAIL;
    for (size_t i = 0; i < o.q.n_sources; i++) {
        bool known = false;
        for (size_t s = 0; s < cordon_engine_source_count(e); s++) {
            cordon_source_info si;
            cordon_engine_source(e, s, &si);
            known = known || strcmp(si.name, o.q.sources[i]) == 0;
        }
        if (!known) {
            cordon_engine_close(e);
            return cli_usage("--source: no list named '%s' (see `cordon lists`)", o.q.sources[i]);
        }
    }
    if (o.file) {
        rc = screen_file(e, &o);
        cordon_engine_close(e);
        return rc;
    }
    o.q.name = name;
    cordon_arena *a = cordon_arena_new();
    cordon_result r;
    cordon_error err = {0};
    if (cordon_screen(e, &o.q, a, &r, &err) != CORDON_OK) {
        cordon_arena_free(a);
        cordon_engine_close(e);
        return err.status == CORDON_ERR_INVALID || err.status == CORDON_ERR_LIMIT
                   ? cli_usage("%s", err.message)
                   : cli_fail(&err);
    }
    if (o.json) {
        char *s = cordon_result_json(&o.q, &r, 1);
        puts(s ? s : "{}");
        free(s);
    } else {
        print_hit_table(&r);
    }
    cordon_arena_free(a);
    cordon_engine_close(e);
    return EXIT_OK;
}

int cmd_compare(int argc, char **argv)
{
    screen_opts o;
    memset(&o, 0, sizeof o);
    const char *names[2] = {NULL, NULL};
    int n = 0;
    for (int i = 1; i < argc; i++) {
        int rc = parse_common(&o, argc, argv, &i);
        if (rc > 0)
            return rc;
        if (rc == 0)
            continue;
        if (argv[i][0] == '-' && argv[i][1] == '-')
            return cli_usage("compare: unknown option '%s'", argv[i]);
        if (n == 2)
            return cli_usage("compare: exactly two names");
        names[n++] = argv[i];
    }
    if (n != 2)
        return cli_usage("compare: exactly two names");
    cordon_engine *e = cli_open_engine(o.snapshot);
    if (!e)
        return EXIT_FAIL;
    cordon_arena *a = cordon_arena_new();
    cordon_result r;
    cordon_error err = {0};
    if (cordon_compare(e, names[0], names[1], o.q.type, o.q.algorithm, a, &r, &err) != CORDON_OK) {
        cordon_arena_free(a);
        cordon_engine_close(e);
        return cli_usage("%s", err.message);
    }
    const cordon_hit *h = &r.hits[0];
    if (o.json) {
        /* The shared renderer's explanation, under the pair's own keys. */
        char *s = cordon_result_json(NULL, &r, 0);
        json_error_t je;
        json_t *res = s ? json_loads(s, 0, &je) : NULL;
        free(s);
        json_t *ex = json_object_get(json_array_get(json_object_get(res, "results"), 0),
                                     "explanation");
        json_t *out = json_pack("{s:s, s:s, s:f, s:O}", "name1", names[0], "name2", names[1],
                                "score", round(h->score * 10000.0) / 10000.0, "explanation",
                                ex ? ex : json_array());
        s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
        puts(s ? s : "{}");
        free(s);
        json_decref(out);
        json_decref(res);
    } else {
        printf("%.4f  %s  ~  %s\n", h->score, names[0], names[1]);
        for (size_t t = 0; t < h->n_tokens; t++) {
            const cordon_token_match *m = &h->tokens[t];
            printf("  %-20s %-20s %-10s sim %.2f  weight %.2f\n", m->query ? m->query : "-",
                   m->matched ? m->matched : "-", m->how, m->similarity, m->weight);
        }
    }
    cordon_arena_free(a);
    cordon_engine_close(e);
    return EXIT_OK;
}

int cmd_show(int argc, char **argv)
{
    screen_opts o;
    memset(&o, 0, sizeof o);
    const char *id = NULL;
    for (int i = 1; i < argc; i++) {
        int rc = parse_common(&o, argc, argv, &i);
        if (rc > 0)
            return rc;
        if (rc < 0)
            id = argv[i];
    }
    const char *colon = id ? strchr(id, ':') : NULL;
    if (!colon)
        return cli_usage("show: give SOURCE:ID, e.g. un:KPi.033");
    cordon_engine *e = cli_open_engine(o.snapshot);
    if (!e)
        return EXIT_FAIL;
    cordon_arena *a = cordon_arena_new();
    size_t sl = (size_t)(colon - id);
    int rc = EXIT_FAIL;
    for (size_t i = 0; i < cordon_engine_entity_count(e); i++) {
        cordon_entity ent;
        cordon_arena_reset(a);
        if (cordon_engine_entity(e, i, a, &ent) != CORDON_OK)
            continue;
        if (strlen(ent.source) == sl && strncmp(ent.source, id, sl) == 0 && ent.source_id &&
            strcmp(ent.source_id, colon + 1) == 0) {
            char *s = cordon_entity_json(&ent, 1);
            puts(s ? s : "{}");
            free(s);
            rc = EXIT_OK;
            break;
        }
    }
    if (rc)
        fprintf(stderr, "cordon: no entry %s\n", id);
    cordon_arena_free(a);
    cordon_engine_close(e);
    return rc;
}
