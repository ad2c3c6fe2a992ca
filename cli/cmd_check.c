/* cmd_check.c - `cordon check FILE|-`: whole transactions (orders, enquiries, shipments,
 * payments, letters of credit) against the lists, the control lists and the red-flag rules. */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

typedef struct check_out {
    FILE *out;
    bool json;
    bool color;
} check_out;

static const char *sget(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static const char *paint(const check_out *c, const char *decision)
{
    if (!c->color)
        return "";
    return strcmp(decision, "block") == 0 ? "\033[1;31m"
           : strcmp(decision, "review") == 0 ? "\033[1;33m" : "\033[1;32m";
}

static void print_flags(const check_out *c, const json_t *flags)
{
    size_t i;
    json_t *f;
    json_array_foreach(flags, i, f)
    {
        fprintf(c->out, "  [%s] %s (+%g): %s\n", sget(f, "severity"), sget(f, "id"),
                json_number_value(json_object_get(f, "weight")), sget(f, "explanation"));
        fprintf(c->out, "      source: %s\n", sget(f, "citation"));
        size_t k;
        json_t *e;
        json_array_foreach(json_object_get(f, "evidence"), k, e)
        {
            if (k == 6) {
                fprintf(c->out, "      - ... %zu more\n", json_array_size(json_object_get(f, "evidence")) - k);
                break;
            }
            fprintf(c->out, "      - %s\n", json_string_value(e));
        }
    }
}

static void print_parties(const check_out *c, const json_t *parties)
{
    size_t i;
    json_t *p;
    json_array_foreach(parties, i, p)
    {
        json_t *hits = json_object_get(p, "hits");
        json_t *iban = json_object_get(p, "iban"), *imo = json_object_get(p, "imo");
        if (json_array_size(hits) == 0 && !(iban && json_is_false(json_object_get(iban, "valid"))) &&
            !(imo && json_is_false(json_object_get(imo, "valid"))))
            continue;
        fprintf(c->out, "  party %zu %s \"%s\" %s\n", i, sget(p, "role"), sget(p, "name"), sget(p, "country"));
        if (iban && json_is_false(json_object_get(iban, "valid")))
            fprintf(c->out, "      IBAN %s is not valid\n", sget(iban, "value"));
        if (imo && json_is_false(json_object_get(imo, "valid")))
            fprintf(c->out, "      IMO %s is not valid\n", sget(imo, "value"));
        size_t k;
        json_t *h;
        json_array_foreach(hits, k, h)
            fprintf(c->out, "      hit %.3f %s %s %s\n", json_number_value(json_object_get(h, "score")),
                    sget(h, "source"), sget(h, "id"), sget(h, "name"));
    }
}

static void print_goods(const check_out *c, const json_t *goods)
{
    size_t i;
    json_t *g;
    json_array_foreach(goods, i, g)
    {
        json_t *cands = json_object_get(g, "candidates"), *pro = json_object_get(g, "prohibitions");
        if (!json_is_true(json_object_get(g, "controlled")) && json_array_size(pro) == 0)
            continue;
        fprintf(c->out, "  goods %zu \"%s\"%s%s\n", i, sget(g, "description"),
                json_is_string(json_object_get(g, "hs")) ? " HS " : "", sget(g, "hs"));
        size_t k;
        json_t *h;
        json_array_foreach(cands, k, h)
            fprintf(c->out, "      %-11s %-12s %.2f %.70s\n", sget(h, "regime"), sget(h, "code"),
                    json_number_value(json_object_get(h, "score")), sget(h, "title"));
        json_array_foreach(pro, k, h)
            fprintf(c->out, "      PROHIBITED %s (%s)%s\n", sget(h, "citation"), sget(h, "direction"),
                    json_is_true(json_object_get(h, "verified")) ? "" : " [unverified rule]");
    }
}

static void print_report(const check_out *c, const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    if (!o)
        return;
    const char *d = sget(o, "decision");
    char up[8];
    size_t n = 0;
    for (; d[n] && n < sizeof up - 1; n++)
        up[n] = (char)(d[n] - 32);
    up[n] = 0;
    fprintf(c->out, "%s%-6s%s %-20s score %3.0f  line %lld, %zu flag%s\n", paint(c, d), up,
            c->color ? "\033[0m" : "", json_is_string(json_object_get(o, "id")) ? sget(o, "id") : "(no id)",
            json_number_value(json_object_get(o, "score")),
            (long long)json_integer_value(json_object_get(o, "line")),
            json_array_size(json_object_get(o, "flags")),
            json_array_size(json_object_get(o, "flags")) == 1 ? "" : "s");
    print_flags(c, json_object_get(o, "flags"));
    print_parties(c, json_object_get(o, "parties"));
    print_goods(c, json_object_get(o, "goods"));
    json_decref(o);
}

static int sink(void *ctx, long line, int ok, const char *json)
{
    check_out *c = ctx;
    if (c->json) {
        fputs(json, c->out);
        fputc('\n', c->out);
    } else if (!ok) {
        json_t *o = json_loads(json, 0, NULL);
        fprintf(c->out, "%sERROR%s  line %ld: %s\n", c->color ? "\033[1;35m" : "",
                c->color ? "\033[0m" : "", line,
                o ? sget(o, "error") + (strncmp(sget(o, "error"), "line ", 5) == 0 ? strcspn(sget(o, "error"), ":") + 2 : 0) : json);
        json_decref(o);
    } else {
        print_report(c, json);
    }
    return ferror(c->out) ? 1 : 0;
}

static void progress(void *ctx, uint64_t done, double share)
{
    (void)ctx;
    if (share >= 0) {
        int w = (int)(share * 40 + 0.5);
        fprintf(stderr, "\r[%-40.*s] %3.0f%%  %llu transactions", w,
                "########################################", share * 100, (unsigned long long)done);
    } else {
        fprintf(stderr, "\r%llu transactions", (unsigned long long)done);
    }
    fflush(stderr);
}

int cmd_check(int argc, char **argv)
{
    const char *file = NULL, *snap = NULL, *controls = NULL, *rules = NULL, *outp = NULL;
    const char *extra[16];
    size_t n_extra = 0;
    int threads = 0, csv = -1;
    bool json = false, quiet = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--snapshot")))
            snap = v;
        else if ((v = cli_opt(argc, argv, &i, "--controls")))
            controls = v;
        else if ((v = cli_opt(argc, argv, &i, "--rules")))
            rules = v;
        else if ((v = cli_opt(argc, argv, &i, "--rules-file"))) {
            if (n_extra == 16)
                return cli_usage("check: at most 16 --rules-file");
            extra[n_extra++] = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out")))
            outp = v;
        else if ((v = cli_opt(argc, argv, &i, "--threads"))) {
            threads = atoi(v);
            if (threads < 1 || threads > 64)
                return cli_usage("--threads: 1 to 64");
        } else if (cli_flag(argv[i], "--json"))
            json = true;
        else if (cli_flag(argv[i], "--csv"))
            csv = 1;
        else if (cli_flag(argv[i], "--jsonl"))
            csv = 0;
        else if (cli_flag(argv[i], "--quiet"))
            quiet = true;
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return cli_usage("check: unknown option '%s'", argv[i]);
        else if (!file)
            file = argv[i];
        else
            return cli_usage("check: one FILE at a time");
    }
    if (!file)
        return cli_usage("check: give a FILE of transactions (JSON lines or CSV) or - for standard input");
    if (csv < 0) {
        size_t n = strlen(file);
        csv = n > 4 && strcasecmp(file + n - 4, ".csv") == 0;
    }
    cordon_error err = {0};
    cordon_engine *e = cli_open_engine(snap);
    if (!e)
        return EXIT_FAIL;
    cordon_goods *g = cordon_goods_open(controls, &err);
    cordon_risk *r = g ? cordon_risk_open(e, g, rules, n_extra ? extra : NULL, n_extra, &err) : NULL;
    if (!r) {
        cordon_goods_close(g);
        cordon_engine_close(e);
        return cli_fail(&err);
    }
    check_out c = {.json = json};
    c.out = outp ? fopen(outp, "w") : stdout;
    int rc = EXIT_OK;
    if (!c.out) {
        fprintf(stderr, "cordon: %s: cannot write\n", outp);
        rc = EXIT_FAIL;
    } else {
        c.color = !json && !outp && isatty(STDOUT_FILENO);
        bool bar = !quiet && isatty(STDERR_FILENO);
        cordon_tx_stats st;
        cordon_status s = cordon_tx_check_file(r, file, csv, threads, sink, &c, bar ? progress : NULL,
                                               NULL, &st, &err);
        if (bar)
            fputc('\n', stderr);
        if (s != CORDON_OK)
            rc = cli_fail(&err);
        else if (st.errors)
            rc = EXIT_FAIL;
        fflush(c.out);
        if (!quiet && s == CORDON_OK) {
            cordon_risk_info info;
            cordon_risk_get_info(r, &info);
            fprintf(stderr, "%llu transactions: %llu clear, %llu review, %llu block, %llu bad records\n"
                            "rules %s (%zu rules), snapshot %.16s\n",
                    (unsigned long long)st.records, (unsigned long long)st.clear,
                    (unsigned long long)st.review, (unsigned long long)st.block,
                    (unsigned long long)st.errors, info.version, info.rules, info.snapshot);
        }
        if (outp)
            fclose(c.out);
    }
    cordon_risk_close(r);
    cordon_goods_close(g);
    cordon_engine_close(e);
    return rc;
}
