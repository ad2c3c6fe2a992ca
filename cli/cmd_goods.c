/* cmd_goods.c - `cordon goods`: classify an item description and/or HS code against the
 * export-control lists and the UN DPRK bans. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void print_result(const cordon_goods_result *r)
{
    if (r->hs.code && *r->hs.code)
        printf("HS %s%s%s (chapter %s: %s)\n", r->hs.code, r->hs.known ? ": " : " (unknown code)",
               r->hs.known ? r->hs.description : "", r->hs.chapter ? r->hs.chapter : "-",
               r->hs.chapter_description ? r->hs.chapter_description : "-");
    if (r->hs.conflict)
        printf("HS conflict: %s\n", r->hs.conflict);
    if (r->n_candidates == 0)
        printf("no control-list entry matched\n");
    for (size_t i = 0; i < r->n_candidates; i++) {
        const cordon_goods_candidate *c = &r->candidates[i];
        printf("%-3zu %.3f  %-12s %-14s %s\n", i + 1, c->score, c->regime, c->code, c->title);
        for (size_t k = 0; k < c->n_evidence; k++)
            printf("          %+.2f %s\n", c->evidence[k].delta, c->evidence[k].detail);
    }
    for (size_t i = 0; i < r->n_prohibitions; i++) {
        const cordon_goods_prohibition *p = &r->prohibitions[i];
        printf("PROHIBITED %s (%s, %s)%s: %s\n           %s\n", p->regime, p->citation,
               p->direction, p->verified ? "" : " [unverified rule]", p->rule, p->reason);
    }
    printf("%s\n", r->controlled ? "=> possibly controlled: review before export"
                                 : "=> no control-list entry at or above the threshold");
}

int cmd_goods(int argc, char **argv)
{
    cordon_goods_query q = {0};
    q.threshold = -1;
    const char *text = NULL, *dir = NULL, *file = NULL, *outp = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--hs")))
            q.hs = v;
        else if ((v = cli_opt(argc, argv, &i, "--destination")))
            q.destination = v;
        else if ((v = cli_opt(argc, argv, &i, "--origin")))
            q.origin = v;
        else if ((v = cli_opt(argc, argv, &i, "--controls")))
            dir = v;
        else if ((v = cli_opt(argc, argv, &i, "--file")))
            file = v;
        else if ((v = cli_opt(argc, argv, &i, "--out")))
            outp = v;
        else if ((v = cli_opt(argc, argv, &i, "--limit"))) {
            q.limit = (size_t)atoi(v);
            if (q.limit < 1 || q.limit > 100)
                return cli_usage("--limit: 1 to 100");
        } else if ((v = cli_opt(argc, argv, &i, "--threshold"))) {
            char *end;
            q.threshold = strtod(v, &end);
            if (*end || q.threshold < 0 || q.threshold > 1)
                return cli_usage("--threshold: a number from 0 to 1");
        } else if (cli_flag(argv[i], "--json"))
            json = true;
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return cli_usage("goods: unknown option '%s'", argv[i]);
        else if (!text)
            text = argv[i];
        else
            return cli_usage("goods: one description at a time (quote it)");
    }
    if (!text && !q.hs && !file)
        return cli_usage("goods: give a DESCRIPTION, --hs CODE or --file FILE");
    cordon_error err = {0};
    cordon_goods *g = cordon_goods_open(dir, &err);
    if (!g)
        return cli_fail(&err);
    int rc = EXIT_OK;
    if (file) {
        FILE *out = outp ? fopen(outp, "w") : stdout;
        if (!out) {
            cordon_goods_close(g);
            fprintf(stderr, "cordon: %s: cannot write\n", outp);
            return EXIT_FAIL;
        }
        size_t n = strlen(file);
        int csv = n > 4 && strcmp(file + n - 4, ".csv") == 0;
        cordon_goods_bulk_stats st;
        if (cordon_goods_classify_file(g, file, csv, &q, out, &st, &err) != CORDON_OK)
            rc = cli_fail(&err);
        else
            fprintf(stderr, "%llu rows: %llu possibly controlled, %llu with a DPRK prohibition, %llu bad rows\n",
                    (unsigned long long)st.rows, (unsigned long long)st.controlled,
                    (unsigned long long)st.prohibited, (unsigned long long)st.errors);
        if (outp)
            fclose(out);
    } else {
        q.text = text;
        cordon_arena *a = cordon_arena_new();
        cordon_goods_result r;
        if (cordon_goods_classify(g, &q, a, &r, &err) != CORDON_OK) {
            rc = cli_usage("%s", err.message);
        } else if (json) {
            char *s = cordon_goods_result_json(&q, &r, 1);
            puts(s ? s : "{}");
            free(s);
        } else {
            print_result(&r);
        }
        cordon_arena_free(a);
    }
    cordon_goods_close(g);
    return rc;
}
