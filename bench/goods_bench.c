/* goods_bench.c - cordon-goods-bench: speed and accuracy of the goods classifier.
 *
 *   cordon-goods-bench [--data DIR] [--items FILE] [--rounds N] [--misses]
 *
 * Loads data/controls once (timed), classifies every description of data/eval/goods_items.tsv
 * (or --items, e.g. data/eval/goods_items_heldout.tsv) N times on one thread (descriptions per
 * second), and reports recall@3 of the controlled items, the share of ordinary items flagged
 * and the share of controlled items flagged, per set (the file's third column: dev, holdout,
 * blind, fresh) and overall. recall@3 counts an expected entry or a sub-entry of one; "with
 * parents" also counts an entry that an expected sub-entry belongs to (2B352.b for an expected
 * 2B352.b.1: the entry right, the sub-entry not decided); "exact" counts only an expected code
 * itself (2B352.b expected, 2B352.b.1 found: not exact). --misses lists the controlled items
 * not found in the top 3 (strict) and the ordinary items flagged. */
#include "cordon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef BENCH_DATA_DIR
#define BENCH_DATA_DIR "data"
#endif

typedef struct item {
    char *id, *label, *set, *text, *hs, *expected;
} item;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *field(char **p)
{
    char *s = *p, *t = strchr(s, '\t');
    if (t) {
        *t = '\0';
        *p = t + 1;
    } else {
        *p = s + strlen(s);
    }
    return s;
}

static size_t load_items(const char *path, item **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return 0;
    }
    size_t n = 0, cap = 0;
    item *v = NULL;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || strncmp(line, "id\t", 3) == 0 || !line[0])
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            item *nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        char *copy = strdup(line), *p = copy;
        item it = {field(&p), field(&p), field(&p), field(&p), field(&p), field(&p)};
        v[n++] = it;
    }
    fclose(f);
    *out = v;
    return n;
}

static const char *prefix_of(const char *regime)
{
    static const char *const map[][2] = {{"mtcr", "mtcr"},   {"wassenaar", "wa"},
                                         {"eu_dual_use", "eu"}, {"nsg_part1", "nsg1"},
                                         {"nsg_part2", "nsg2"}, {"cwc", "cwc"}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], regime) == 0)
            return map[i][1];
    return regime;
}

/* a result code equal to an expected one, or a sub-entry of it; with `parents`, also an entry
 * the expected one is a sub-entry of (the entry is right, the sub-entry not decided); with
 * `exact`, only an expected code itself (no credit for a deeper sub-entry the classifier chose) */
static int hit(const cordon_goods_result *r, const char *expected, int parents, int exact)
{
    char buf[1024];
    for (size_t i = 0; i < r->n_candidates && i < 3; i++) {
        snprintf(buf, sizeof buf, "%s", expected);
        char got[256];
        snprintf(got, sizeof got, "%s:%s", prefix_of(r->candidates[i].regime),
                 r->candidates[i].code);
        char *save = NULL;
        for (char *e = strtok_r(buf, " ", &save); e; e = strtok_r(NULL, " ", &save)) {
            size_t l = strlen(e);
            size_t lg = strlen(got);
            if (strncmp(got, e, l) == 0 && (got[l] == '\0' || (!exact && got[l] == '.')))
                return 1;
            if (parents && lg < l && strncmp(got, e, lg) == 0 && e[lg] == '.')
                return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *data = BENCH_DATA_DIR "/controls", *items_path = BENCH_DATA_DIR
        "/eval/goods_items.tsv";
    int rounds = 20, misses = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc)
            data = argv[++i];
        else if (strcmp(argv[i], "--items") == 0 && i + 1 < argc)
            items_path = argv[++i];
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (strcmp(argv[i], "--misses") == 0)
            misses = 1;
        else {
            fprintf(stderr, "usage: %s [--data DIR] [--items FILE] [--rounds N] [--misses]\n", argv[0]);
            return 2;
        }
    }
    cordon_error err = {0};
    double t0 = now_s();
    cordon_goods *g = cordon_goods_open(data, &err);
    double t_open = now_s() - t0;
    if (!g) {
        fprintf(stderr, "cordon-goods-bench: %s\n", err.message);
        return 1;
    }
    item *items = NULL;
    size_t n = load_items(items_path, &items);
    if (!n) {
        cordon_goods_close(g);
        return 1;
    }
    cordon_arena *a = cordon_arena_new();
    /* the sets in order of first appearance, then "all" */
    enum { MAX_SETS = 8 };
    const char *sets[MAX_SETS + 1];
    size_t n_sets = 0;
    for (size_t i = 0; i < n; i++) {
        size_t s = 0;
        while (s < n_sets && strcmp(sets[s], items[i].set) != 0)
            s++;
        if (s == n_sets && n_sets < MAX_SETS)
            sets[n_sets++] = items[i].set;
    }
    sets[n_sets] = "all";
    size_t hits[MAX_SETS + 1] = {0}, exact[MAX_SETS + 1] = {0}, rel[MAX_SETS + 1] = {0}, ctl[MAX_SETS + 1] = {0}, flags[MAX_SETS + 1] = {0},
           ord[MAX_SETS + 1] = {0}, ctl_flags[MAX_SETS + 1] = {0};
    for (size_t i = 0; i < n; i++) {
        cordon_goods_query q = {items[i].text, items[i].hs[0] ? items[i].hs : NULL, NULL, NULL,
                                3, -1};
        cordon_goods_result r;
        if (cordon_goods_classify(g, &q, a, &r, &err) != CORDON_OK) {
            fprintf(stderr, "%s: %s\n", items[i].id, err.message);
            continue;
        }
        int controlled = strcmp(items[i].label, "controlled") == 0;
        int found = controlled && hit(&r, items[i].expected, 0, 0);
        int related = controlled && hit(&r, items[i].expected, 1, 0);
        int same = controlled && hit(&r, items[i].expected, 0, 1);
        if (misses && (controlled ? !found : r.controlled)) {
            printf("%s %s: %s |", controlled ? "MISS" : "FLAG", items[i].id, items[i].text);
            for (size_t k = 0; k < r.n_candidates && k < 3; k++)
                printf(" %s:%s %.2f", prefix_of(r.candidates[k].regime), r.candidates[k].code,
                       r.candidates[k].score);
            printf(controlled ? " | expected %s\n" : "\n", items[i].expected);
        }
        for (size_t s = 0; s <= n_sets; s++) {
            if (s < n_sets && strcmp(items[i].set, sets[s]) != 0)
                continue;
            if (controlled) {
                ctl[s]++;
                hits[s] += (size_t)found;
                exact[s] += (size_t)same;
                rel[s] += (size_t)related;
                ctl_flags[s] += (size_t)(r.controlled != 0);
            } else {
                ord[s]++;
                flags[s] += (size_t)(r.controlled != 0);
            }
        }
        cordon_arena_reset(a);
    }
    size_t done = 0;
    t0 = now_s();
    for (int k = 0; k < rounds; k++)
        for (size_t i = 0; i < n; i++) {
            cordon_goods_query q = {items[i].text, items[i].hs[0] ? items[i].hs : NULL, "KP",
                                    NULL, 10, -1};
            cordon_goods_result r;
            if (cordon_goods_classify(g, &q, a, &r, &err) == CORDON_OK)
                done++;
            cordon_arena_reset(a);
        }
    double t = now_s() - t0;
    cordon_goods_info info;
    cordon_goods_get_info(g, &info);
    printf("data: %zu list records, %zu patterns, %zu automaton states; open %.3f s\n",
           info.entries, info.patterns, info.states, t_open);
    printf("speed: %zu descriptions in %.3f s on one thread = %.0f per second "
           "(%.1f us each, destination KP, limit 10)\n",
           done, t, (double)done / t, t * 1e6 / (double)done);
    for (size_t s = 0; s <= n_sets; s++)
        printf("%-8s recall@3 %.3f (%zu/%zu)  exact %.3f  with parents %.3f  ordinary items "
               "flagged %.3f (%zu/%zu)  controlled flagged %.3f\n",
               sets[s], ctl[s] ? (double)hits[s] / (double)ctl[s] : 0, hits[s], ctl[s],
               ctl[s] ? (double)exact[s] / (double)ctl[s] : 0,
               ctl[s] ? (double)rel[s] / (double)ctl[s] : 0,
               ord[s] ? (double)flags[s] / (double)ord[s] : 0, flags[s], ord[s],
               ctl[s] ? (double)ctl_flags[s] / (double)ctl[s] : 0);
    cordon_arena_free(a);
    for (size_t i = 0; i < n; i++)
        free(items[i].id);
    free(items);
    cordon_goods_close(g);
    return 0;
}
