/* cmd_store.c - the case store commands: counterparties import, alerts list|show|decide,
 * audit verify, update, diff and rescreen. Thin: the work is in lib/store and lib/update. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *store, *snapshot, *config, *status, *who, *reason, *second, *user;
    double threshold;
    int threads, full, force, json;
    size_t limit;
    const char *pos[4];
    int n_pos;
} store_args;

static int parse_args(int argc, char **argv, int first, store_args *a)
{
    memset(a, 0, sizeof *a);
    a->threshold = -1;
    for (int i = first; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--store")))
            a->store = v;
        else if ((v = cli_opt(argc, argv, &i, "--snapshot")))
            a->snapshot = v;
        else if ((v = cli_opt(argc, argv, &i, "--config")))
            a->config = v;
        else if ((v = cli_opt(argc, argv, &i, "--status")))
            a->status = v;
        else if ((v = cli_opt(argc, argv, &i, "--who")))
            a->who = v;
        else if ((v = cli_opt(argc, argv, &i, "--reason")))
            a->reason = v;
        else if ((v = cli_opt(argc, argv, &i, "--second-approver")))
            a->second = v;
        else if ((v = cli_opt(argc, argv, &i, "--threshold")))
            a->threshold = atof(v);
        else if ((v = cli_opt(argc, argv, &i, "--threads")))
            a->threads = atoi(v);
        else if ((v = cli_opt(argc, argv, &i, "--limit")))
            a->limit = (size_t)strtoull(v, NULL, 10);
        else if (cli_flag(argv[i], "--full"))
            a->full = 1;
        else if (cli_flag(argv[i], "--force"))
            a->force = 1;
        else if (cli_flag(argv[i], "--json"))
            a->json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage("unknown option '%s'", argv[i]);
        else if (a->n_pos < 4)
            a->pos[a->n_pos++] = argv[i];
        else
            return cli_usage("too many arguments");
    }
    return EXIT_OK;
}

static cordon_store *open_store(const store_args *a)
{
    char def[4096];
    cordon_error err = {0};
    cordon_store *s = cordon_store_open(a->store ? a->store : cordon_store_default(def, sizeof def),
                                        &err);
    if (!s)
        cli_fail(&err);
    return s;
}

static int import_cmd(const store_args *a)
{
    if (a->n_pos != 2 || strcmp(a->pos[0], "import") != 0)
        return cli_usage("usage: cordon counterparties import FILE [--store DIR]");
    cordon_store *s = open_store(a);
    if (!s)
        return EXIT_FAIL;
    cordon_error err = {0};
    cordon_store_import_stats st;
    if (cordon_store_import(s, a->pos[1], NULL, &st, &err) != CORDON_OK) {
        cordon_store_close(s);
        fprintf(stderr, "cordon: %s\ncordon: nothing imported\n", err.message);
        return EXIT_FAIL;
    }
    printf("imported %s: %llu rows, %llu new, %llu updated, %llu unchanged; %llu in the store\n",
           a->pos[1], (unsigned long long)st.rows, (unsigned long long)st.inserted,
           (unsigned long long)st.updated, (unsigned long long)st.unchanged,
           (unsigned long long)cordon_store_counterparty_count(s));
    cordon_store_close(s);
    return EXIT_OK;
}

int cmd_counterparties(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    return rc ? rc : import_cmd(&a);
}

static int print_json(char *text, const cordon_error *err)
{
    if (!text)
        return cli_fail(err);
    puts(text);
    free(text);
    return EXIT_OK;
}

int cmd_alerts(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    if (a.n_pos < 1)
        return cli_usage("usage: cordon alerts list [--status open|decided] | show ID | decide ID "
                         "--outcome ... (see `cordon help`)");
    const char *sub = a.pos[0];
    bool decide = strcmp(sub, "decide") == 0;
    if (!(strcmp(sub, "list") == 0 && a.n_pos == 1) &&
        !((strcmp(sub, "show") == 0 || decide) && a.n_pos == (decide ? 3 : 2)))
        return cli_usage("usage: cordon alerts list | show ID | decide ID OUTCOME --reason TEXT "
                         "[--who NAME] [--second-approver NAME]");
    cordon_store *s = open_store(&a);
    if (!s)
        return EXIT_FAIL;
    cordon_error err = {0};
    if (strcmp(sub, "list") == 0)
        rc = print_json(cordon_store_alerts_json(s, a.status, a.limit, &err), &err);
    else if (!decide)
        rc = print_json(cordon_store_alert_json(s, atoll(a.pos[1]), &err), &err);
    else {
        const char *who = a.who ? a.who : getenv("CORDON_USER") ? getenv("CORDON_USER") : getenv("USER");
        cordon_decision d = {atoll(a.pos[1]), who, a.pos[2], a.reason, a.second};
        rc = cordon_store_decide(s, &d, &err) == CORDON_OK ? EXIT_OK : cli_fail(&err);
        if (rc == EXIT_OK)
            printf("alert %s decided: %s by %s\n", a.pos[1], a.pos[2], who ? who : "?");
    }
    cordon_store_close(s);
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    if (a.n_pos != 1 || strcmp(a.pos[0], "verify") != 0)
        return cli_usage("usage: cordon audit verify [--store DIR]");
    cordon_store *s = open_store(&a);
    if (!s)
        return EXIT_FAIL;
    cordon_error err = {0};
    uint64_t n = 0;
    rc = cordon_store_audit_verify(s, &n, &err) == CORDON_OK ? EXIT_OK : EXIT_FAIL;
    if (rc == EXIT_OK)
        printf("audit log intact: %llu records verified\n", (unsigned long long)n);
    else
        fprintf(stderr, "cordon: TAMPERED: %s\n", err.message);
    cordon_store_close(s);
    return rc;
}

static void print_rescreen(const cordon_rescreen_stats *r)
{
    printf("re-screened %llu counterparties against %llu entries in %.2f s: %llu hits, "
           "%llu new alerts (run %lld)\n", (unsigned long long)r->counterparties,
           (unsigned long long)r->entries, r->seconds, (unsigned long long)r->hits,
           (unsigned long long)r->new_alerts, (long long)r->run_id);
}

int cmd_update(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    if (a.n_pos)
        return cli_usage("usage: cordon update [--config FILE] [--snapshot FILE] [--store DIR] "
                         "[--force] [--threads N]");
    cordon_store *s = open_store(&a);
    if (!s)
        return EXIT_FAIL;
    cordon_update_options o = {a.config, a.snapshot, a.force, a.threads};
    cordon_update_report *r = calloc(1, sizeof *r);
    cordon_error err = {0};
    cordon_status st = r ? cordon_update_run(s, &o, r, &err) : CORDON_ERR_NOMEM;
    cordon_store_close(s);
    if (st != CORDON_OK) {
        free(r);
        return cli_fail(&err);
    }
    fputs(r->log, stderr);
    if (r->refused) {
        fprintf(stderr, "cordon: update refused: %s\ncordon: the previous snapshot is kept\n",
                r->reason);
        free(r);
        return EXIT_FAIL;
    }
    if (r->changed) {
        printf("version %s: %llu added, %llu removed, %llu changed\n", r->version,
               (unsigned long long)r->diff.added, (unsigned long long)r->diff.removed,
               (unsigned long long)r->diff.changed);
        print_rescreen(&r->rescreen);
        if (r->webhooks_sent || r->webhooks_failed)
            printf("webhooks: %llu sent, %llu failed\n", (unsigned long long)r->webhooks_sent,
                   (unsigned long long)r->webhooks_failed);
    } else {
        printf("unchanged\n");
    }
    free(r);
    return EXIT_OK;
}

static int diff_line(void *ctx, cordon_diff_kind kind, const char *source, const char *id,
                     size_t oi, size_t ni)
{
    (void)oi;
    (void)ni;
    printf(*(int *)ctx ? "{\"change\":\"%s\",\"source\":\"%s\",\"source_id\":\"%s\"}\n"
                       : "%-8s %s:%s\n", cordon_diff_kind_name(kind), source, id);
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    if (a.n_pos != 2)
        return cli_usage("usage: cordon diff OLD.snap NEW.snap [--json]");
    cordon_error err = {0};
    cordon_engine *o = cordon_engine_open(a.pos[0], &err);
    cordon_engine *n = o ? cordon_engine_open(a.pos[1], &err) : NULL;
    cordon_diff_stats st;
    rc = n && cordon_update_diff(o, n, diff_line, &a.json, &st, &err) == CORDON_OK ? EXIT_OK
                                                                                    : cli_fail(&err);
    if (rc == EXIT_OK)
        fprintf(stderr, "%llu added, %llu removed, %llu changed, %llu unchanged\n",
                (unsigned long long)st.added, (unsigned long long)st.removed,
                (unsigned long long)st.changed, (unsigned long long)st.unchanged);
    cordon_engine_close(n);
    cordon_engine_close(o);
    return rc;
}

int cmd_rescreen(int argc, char **argv)
{
    store_args a;
    int rc = parse_args(argc, argv, 1, &a);
    if (rc)
        return rc;
    if (a.n_pos)
        return cli_usage("usage: cordon rescreen [--full] [--snapshot FILE] [--store DIR] "
                         "[--threshold T] [--threads N]");
    cordon_store *s = open_store(&a);
    if (!s)
        return EXIT_FAIL;
    cordon_error err = {0};
    cordon_update_report *r = calloc(1, sizeof *r);
    /* a re-screen a killed update left pending is finished first */
    if (!r || cordon_update_recover(s, a.snapshot, a.threads, r, &err) != CORDON_OK) {
        free(r);
        cordon_store_close(s);
        return cli_fail(&err);
    }
    fputs(r->log, stderr);
    free(r);
    cordon_engine *e = cli_open_engine(a.snapshot);
    if (!e) {
        cordon_store_close(s);
        return EXIT_FAIL;
    }
    cordon_rescreen_stats st;
    rc = cordon_store_rescreen(s, e, a.full ? CORDON_RESCREEN_FULL : CORDON_RESCREEN_PENDING,
                               a.threshold, a.threads, &st, &err) == CORDON_OK
             ? EXIT_OK
             : cli_fail(&err);
    if (rc == EXIT_OK)
        print_rescreen(&st);
    cordon_engine_close(e);
    cordon_store_close(s);
    return rc;
}
