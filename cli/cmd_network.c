/* cmd_network.c - `cordon network`: link transactions into procurement channels, rank the
 * clusters, explain the path to a listed party; JSON, GraphML or SVG output. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int split_pair(char *v, const char **a, const char **b)
{
    char *comma = strchr(v, ',');
    if (!comma || comma == v || !comma[1])
        return -1;
    *comma = 0;
    *a = v;
    *b = comma + 1;
    return 0;
}

int cmd_network(int argc, char **argv)
{
    const char *file = NULL, *snap = NULL, *controls = NULL, *decisions = NULL, *outp = NULL;
    const char *fmt = "text";
    char *split = NULL, *pin = NULL;
    size_t cluster = 0, top = 20;
    cordon_net_options opt = {0};
    opt.threshold = -1;
    bool no_goods = false, no_screen = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if (cli_flag(argv[i], "--json") || cli_flag(argv[i], "--graphml") ||
            cli_flag(argv[i], "--svg"))
            fmt = argv[i] + 2;
        else if ((v = cli_opt(argc, argv, &i, "--cluster"))) {
            char *end;
            long c = strtol(v, &end, 10);
            if (*end || c < 1)
                return cli_usage("--cluster: a rank from 1");
            cluster = (size_t)c;
        } else if ((v = cli_opt(argc, argv, &i, "--top"))) {
            long t = atol(v);
            if (t < 0)
                return cli_usage("--top: 0 (all) or more");
            top = (size_t)t;
        } else if ((v = cli_opt(argc, argv, &i, "--threshold"))) {
            char *end;
            opt.threshold = strtod(v, &end);
            if (*end || opt.threshold < 0 || opt.threshold > 1)
                return cli_usage("--threshold: a number from 0 to 1");
        } else if ((v = cli_opt(argc, argv, &i, "--threads")))
            opt.threads = atoi(v);
        else if ((v = cli_opt(argc, argv, &i, "--snapshot")))
            snap = v;
        else if ((v = cli_opt(argc, argv, &i, "--controls")))
            controls = v;
        else if ((v = cli_opt(argc, argv, &i, "--decisions")))
            decisions = v;
        else if ((v = cli_opt(argc, argv, &i, "--split")))
            split = (char *)v;
        else if ((v = cli_opt(argc, argv, &i, "--pin")))
            pin = (char *)v;
        else if ((v = cli_opt(argc, argv, &i, "--out")))
            outp = v;
        else if (cli_flag(argv[i], "--no-goods"))
            no_goods = true;
        else if (cli_flag(argv[i], "--no-screen"))
            no_screen = true;
        else if (argv[i][0] == '-' && argv[i][1] == '-')
            return cli_usage("network: unknown option '%s'", argv[i]);
        else if (!file)
            file = argv[i];
        else
            return cli_usage("network: one FILE at a time");
    }
    if (!file)
        return cli_usage("network: give a FILE of transactions (JSON lines)");
    if ((split || pin) && !decisions)
        return cli_usage("network: --split/--pin need --decisions FILE to store the decision");
    cordon_error err = {0};
    const char *a, *b;
    if (split && (split_pair(split, &a, &b) ||
                  cordon_net_decision_append(decisions, "split", a, b, &err)))
        return err.status ? cli_fail(&err) : cli_usage("--split REF,REF");
    if (pin && (split_pair(pin, &a, &b) || cordon_net_decision_append(decisions, "pin", a, b, &err)))
        return err.status ? cli_fail(&err) : cli_usage("--pin REF,REF");
    opt.no_goods = no_goods;
    opt.no_screen = no_screen;
    cordon_engine *e = NULL;
    cordon_goods *g = NULL;
    if (!no_screen && !(e = cli_open_engine(snap)))
        return EXIT_FAIL;
    if (!no_goods && !(g = cordon_goods_open(controls, &err))) {
        cordon_engine_close(e);
        return cli_fail(&err);
    }
    int rc = EXIT_OK;
    cordon_net *n = cordon_net_new(e, g, &opt);
    char *out = NULL;
    if (!n)
        rc = cli_fail(&(cordon_error){CORDON_ERR_NOMEM, "out of memory"});
    else if (cordon_net_load_file(n, file, &err) ||
             (decisions && cordon_net_load_decisions(n, decisions, &err)) ||
             cordon_net_analyze(n, &err))
        rc = cli_fail(&err);
    else if (cluster > cordon_net_cluster_count(n) ||
             (strcmp(fmt, "svg") == 0 && cordon_net_cluster_count(n) == 0)) {
        fprintf(stderr, "cordon: cluster %zu: there are %zu flagged clusters\n", cluster ? cluster : 1,
                cordon_net_cluster_count(n));
        rc = EXIT_FAIL;
    } else {
        out = strcmp(fmt, "json") == 0      ? cordon_net_json(n, cluster, top, 1)
            : strcmp(fmt, "graphml") == 0 ? cordon_net_graphml(n, cluster, top)
            : strcmp(fmt, "svg") == 0     ? cordon_net_svg(n, cluster)
                                          : cordon_net_text(n, cluster, top);
        FILE *f = outp ? fopen(outp, "w") : stdout;
        if (!out || !f || fputs(out, f) < 0 || (outp && fclose(f) != 0)) {
            fprintf(stderr, "cordon: network: could not write the output%s%s\n",
                    outp ? " to " : "", outp ? outp : "");
            rc = EXIT_FAIL;
        }
    }
    free(out);
    cordon_net_free(n);
    cordon_goods_close(g);
    cordon_engine_close(e);
    return rc;
}
