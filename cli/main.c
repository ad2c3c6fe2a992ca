/* main.c - `cordon COMMAND ...`: dispatch to the commands. */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "cordon " CORDON_VERSION " - counter-proliferation screening\n"
    "\n"
    "usage: cordon COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  build    [--config FILE] [--source NAME:FORMAT:PATH]... [--out FILE]\n"
    "           compile lists into a snapshot (default: data/sources.conf -> data/cordon.snap)\n"
    "  lists    [--json] [--snapshot FILE]       sources, dates, counts by type and regime\n"
    "  screen   NAME [--type T] [--dob YYYY[-MM[-DD]]] [--country CC] [--id TYPE:VALUE]\n"
    "           [--source LIST,...] [--limit N] [--threshold T] [--algorithm default|ofac]\n"
    "           [--exhaustive] [--json] [--snapshot FILE]\n"
    "  screen   --file parties.csv|parties.jsonl [--out FILE] [--threads N] [options above]\n"
    "  compare  NAME1 NAME2 [--type T] [--algorithm default|ofac] [--json]\n"
    "  show     SOURCE:ID [--json]                  one list entry in full\n"
    "  goods    DESCRIPTION [--hs CODE] [--destination CC] [--origin CC] [--limit N]\n"
    "           [--threshold T] [--json] [--controls DIR]   classify an item against the\n"
    "           export-control lists and the UN DPRK bans\n"
    "  goods    --file lines.csv|lines.jsonl [--out FILE]  one JSON line per item\n"
    "  check    FILE|- [--json] [--csv] [--rules DIR] [--rules-file F]... [--threads N]\n"
    "           [--out FILE]   transactions (JSON lines or flat CSV) against lists, control\n"
    "           lists and red-flag rules: clear/review/block with reasons\n"
    "  network  FILE [--json|--graphml|--svg] [--cluster N] [--top N] [--decisions FILE]\n"
    "           [--split REF,REF] [--pin REF,REF] [--out FILE]   link transactions (JSON lines)\n"
    "           into entities and clusters, ranked, with the path to a listed party\n"
    "  serve    [--listen 127.0.0.1:8080] [--snapshot F] [--threads N]   HTTP JSON API\n"
    "  apikey   add [--name N]|list|revoke ID [--keys FILE]   API keys for serve\n"
    "  counterparties import FILE [--store DIR]  customers/suppliers from CSV or JSON lines\n"
    "  alerts   list [--status open|decided] | show ID\n"
    "  alerts   decide ID false_positive|true_match|escalated --reason TEXT [--who NAME]\n"
    "           [--second-approver NAME]         record a decision (append-only, audited)\n"
    "  audit    verify [--store DIR]             check the hash-chained audit log\n"
    "  update   [--config FILE] [--snapshot F] [--force]   download the lists, validate, swap\n"
    "           the snapshot in, re-screen the counterparties against what changed\n"
    "  diff     OLD.snap NEW.snap [--json]       added, removed and changed list entries\n"
    "  rescreen [--full] [--threshold T]         screen new/changed (or all) counterparties\n"
    "  help                                          this text\n"
    "\n"
    "exit codes: 0 ok, 1 failure (bad input, I/O), 2 bad command line\n"
    "environment: CORDON_SNAPSHOT (default snapshot), CORDON_DICT_DIR (word lists for build),\n"
    "             CORDON_STORE (case store directory, default data/store), CORDON_USER\n";

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cordon: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n(see `cordon help`)\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_fail(const cordon_error *err)
{
    fprintf(stderr, "cordon: %s\n", err->message[0] ? err->message : cordon_status_name(err->status));
    return EXIT_FAIL;
}

const char *cli_opt(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return NULL;
    if (argv[*i][n] == '=')
        return argv[*i] + n + 1;
    if (argv[*i][n] != 0)
        return NULL;
    if (*i + 1 >= argc) {
        fprintf(stderr, "cordon: %s needs a value\n", name);
        exit(EXIT_USAGE);
    }
    return argv[++*i];
}

bool cli_flag(const char *arg, const char *name) { return strcmp(arg, name) == 0; }

size_t cli_split(char *s, const char **out, size_t cap)
{
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, ",", &save); t && n < cap; t = strtok_r(NULL, ",", &save))
        if (*t)
            out[n++] = t;
    return n;
}

cordon_engine *cli_open_engine(const char *path)
{
    char def[4096];
    if (!path)
        path = cordon_default_snapshot(def, sizeof def);
    cordon_error err = {0};
    cordon_engine *e = cordon_engine_open(path, &err);
    if (!e) {
        cli_fail(&err);
        if (err.status == CORDON_ERR_NOTFOUND)
            fprintf(stderr, "cordon: build a snapshot first: `cordon build` (or ./setup)\n");
    }
    return e;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } commands[] = {{"build", cmd_build},     {"lists", cmd_lists}, {"screen", cmd_screen},
                    {"compare", cmd_compare}, {"show", cmd_show},
                    {"serve", cmd_serve},     {"apikey", cmd_apikey},
                    {"goods", cmd_goods}, {"check", cmd_check}, {"network", cmd_network},
                    {"counterparties", cmd_counterparties}, {"alerts", cmd_alerts},
                    {"audit", cmd_audit},     {"update", cmd_update},
                    {"diff", cmd_diff},       {"rescreen", cmd_rescreen}};
    if (argc < 2 || cli_flag(argv[1], "help") || cli_flag(argv[1], "--help") ||
        cli_flag(argv[1], "-h")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : EXIT_OK;
    }
    if (cli_flag(argv[1], "--version") || cli_flag(argv[1], "version")) {
        puts("cordon " CORDON_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    return cli_usage("unknown command '%s'", argv[1]);
}
