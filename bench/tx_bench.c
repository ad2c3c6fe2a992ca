/* tx_bench.c - cordon-tx-bench: transactions checked per second.
 *
 *   cordon-tx-bench [--file FILE] [--count N] [--threads N] [--snapshot F] [--controls DIR]
 *                   [--rules DIR] [--runs lat,one,all,memo]
 *
 * Takes the generated ordinary transactions (tests/fixtures/tx/ordinary.jsonl: 3 parties and
 * 3 goods lines each, from tools/gen_tx.py), repeats them to N records in a temporary JSON
 * lines file and checks it with cordon_tx_check_file: every party screened against the
 * snapshot, every goods line classified, every rule evaluated, every report rendered as JSON.
 * Prints load time, transactions per second (wall clock and per CPU-second) on one thread and
 * on all threads with the memo off, on all threads with the memo on from cold, and the mean
 * latency of cordon_tx_check_json (the server's path). For distinct transactions:
 *   tools/gen_tx.py --count 20000 --seed 7 > /tmp/tx20k.jsonl
 *   build/bench/cordon-tx-bench --file /tmp/tx20k.jsonl --count 20000
 * --runs picks the runs (default all four); for instruction counts per transaction run one
 * pass under callgrind and subtract a run of one transaction (the load):
 *   valgrind --tool=callgrind build/bench/cordon-tx-bench --runs one --count 2000 ... */
#include "cordon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef BENCH_TESTS_DIR
#define BENCH_TESTS_DIR "tests"
#endif

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct counts {
    unsigned long ok, bad;
} counts;

static int count_sink(void *ctx, long line, int ok, const char *json)
{
    counts *c = ctx;
    (void)line;
    (void)json;
    if (ok)
        c->ok++;
    else
        c->bad++;
    return 0;
}

static char **read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return NULL;
    }
    char **v = NULL, *line = NULL;
    size_t cap = 0, lcap = 0;
    *n = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 1) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            char **nv = realloc(v, cap * sizeof *nv);
            if (!nv)
                break;
            v = nv;
        }
        v[(*n)++] = strdup(line);
    }
    free(line);
    fclose(f);
    return v;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double last_cpu;

static double run(const cordon_risk *r, const char *path, int threads, unsigned long *done)
{
    double c0 = cpu_s();
    counts c = {0};
    cordon_error err = {0};
    cordon_tx_stats st;
    double t0 = now_s();
    if (cordon_tx_check_file(r, path, 0, threads, count_sink, &c, NULL, NULL, &st, &err)) {
        fprintf(stderr, "cordon-tx-bench: %s\n", err.message);
        exit(1);
    }
    double t = now_s() - t0;
    last_cpu = cpu_s() - c0;
    if (c.bad)
        fprintf(stderr, "cordon-tx-bench: %lu bad records\n", c.bad);
    *done = c.ok;
    return t;
}

int main(int argc, char **argv)
{
    const char *file = BENCH_TESTS_DIR "/fixtures/tx/ordinary.jsonl", *snap = NULL,
               *controls = NULL, *rules = NULL;
    size_t count = 20000;
    int threads = 0;
    const char *runs = "lat,one,all,memo";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--file") == 0)
            file = argv[i + 1];
        else if (strcmp(argv[i], "--count") == 0)
            count = (size_t)atol(argv[i + 1]);
        else if (strcmp(argv[i], "--threads") == 0)
            threads = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--snapshot") == 0)
            snap = argv[i + 1];
        else if (strcmp(argv[i], "--controls") == 0)
            controls = argv[i + 1];
        else if (strcmp(argv[i], "--rules") == 0)
            rules = argv[i + 1];
        else if (strcmp(argv[i], "--runs") == 0)
            runs = argv[i + 1];
        else {
            fprintf(stderr, "usage: cordon-tx-bench [--file F] [--count N] [--threads N] "
                            "[--snapshot F] [--controls DIR] [--rules DIR] [--runs lat,one,all,memo]\n");
            return 2;
        }
    }
    if (threads <= 0)
        threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
    char def[4096];
    cordon_error err = {0};
    double t0 = now_s();
    cordon_engine *e = cordon_engine_open(snap ? snap : cordon_default_snapshot(def, sizeof def), &err);
    cordon_goods *g = e ? cordon_goods_open(controls, &err) : NULL;
    cordon_risk *r = g ? cordon_risk_open(e, g, rules, NULL, 0, &err) : NULL;
    if (!r) {
        fprintf(stderr, "cordon-tx-bench: %s\n", err.message);
        return 1;
    }
    double load = now_s() - t0;
    size_t n_lines = 0;
    char **lines = read_lines(file, &n_lines);
    if (!lines || n_lines == 0) {
        fprintf(stderr, "cordon-tx-bench: %s: no transactions\n", file);
        return 1;
    }
    char tmp[] = "/tmp/cordon-tx-bench-XXXXXX";
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        perror("mkstemp");
        return 1;
    }
    for (size_t i = 0; i < count; i++)
        fputs(lines[i % n_lines], f);
    fclose(f);

    int do_lat = strstr(runs, "lat") != NULL, do_one = strstr(runs, "one") != NULL,
        do_all = strstr(runs, "all") != NULL, do_memo = strstr(runs, "memo") != NULL;
    /* the server's path, one request at a time */
    size_t lat_n = n_lines < 500 ? n_lines : 500;
    double t1 = now_s();
    for (size_t i = 0; do_lat && i < lat_n; i++) {
        char *s = cordon_tx_check_json(r, lines[i], strlen(lines[i]), 0, &err);
        if (!s) {
            fprintf(stderr, "cordon-tx-bench: line %zu: %s\n", i + 1, err.message);
            return 1;
        }
        free(s);
    }
    double lat = (now_s() - t1) / (double)lat_n;

    unsigned long done1 = 0, doneN = 0, doneC = 0;
    double t_one = 0, c_one = 0, t_all = 0, c_all = 0, t_c = 0, c_c = 0;
    /* one thread on a shorter file keeps the run short (the whole file when run alone) */
    size_t one_count = do_all && count / 4 ? count / 4 : count;
    char tmp1[] = "/tmp/cordon-tx-bench1-XXXXXX";
    int fd1 = mkstemp(tmp1);
    FILE *f1 = fd1 >= 0 ? fdopen(fd1, "w") : NULL;
    if (!f1) {
        perror("mkstemp");
        return 1;
    }
    for (size_t i = 0; i < one_count; i++)
        fputs(lines[i % n_lines], f1);
    fclose(f1);
    cordon_risk_set_cache(r, 0);
    if (do_one) {
        t_one = run(r, tmp1, 1, &done1);
        c_one = last_cpu;
    }
    if (do_all) {
        t_all = run(r, tmp, threads, &doneN);
        c_all = last_cpu;
    }
    cordon_risk_set_cache(r, CORDON_RISK_DEFAULT_CACHE);
    if (do_memo) {
        t_c = run(r, tmp, threads, &doneC);
        c_c = last_cpu;
    }
    unlink(tmp);
    unlink(tmp1);

    cordon_risk_info info;
    cordon_risk_get_info(r, &info);
    printf("rules %s, %zu rules; snapshot %.16s; load %.2f s\n", info.version, info.rules,
           info.snapshot, load);
    double load1 = -1;
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf", &load1) != 1)
            load1 = -1;
        fclose(la);
    }
    printf("machine: %ld cores, load average %.2f at the end (other work inflates wall times; the\n"
           "per-CPU-second figures are the steadier ones)\n", sysconf(_SC_NPROCESSORS_ONLN), load1);
    printf("input: %s (%zu distinct transactions, 3 parties and 3 goods lines each)\n", file, n_lines);
    if (do_lat)
        printf("cordon_tx_check_json, one thread, memo on: %.3f ms per transaction\n", lat * 1000);
    if (do_one)
        printf("no memo, 1 thread : %lu tx in %.2f s = %.0f tx/s (%.0f per CPU-second)\n", done1,
               t_one, (double)done1 / t_one, (double)done1 / c_one);
    if (do_all)
        printf("no memo, %d threads: %lu tx in %.2f s = %.0f tx/s (%.0f per CPU-second)\n", threads,
               doneN, t_all, (double)doneN / t_all, (double)doneN / c_all);
    if (do_memo)
        printf("memo (parties, goods) from cold, %d threads: %lu tx in %.2f s = %.0f tx/s (%.0f per "
               "CPU-second)\n", threads, doneC, t_c, (double)doneC / t_c, (double)doneC / c_c);
    for (size_t i = 0; i < n_lines; i++)
        free(lines[i]);
    free(lines);
    cordon_risk_close(r);
    cordon_goods_close(g);
    cordon_engine_close(e);
    return 0;
}
