/* cli.h - what the command-line front end's commands share. Thin: all work is in libcordon. */
#ifndef CORDON_CLI_H
#define CORDON_CLI_H

#include "cordon.h"

#include <stdbool.h>
#include <stdio.h>

/* Exit codes, documented in `cordon help`. */
enum {
    EXIT_OK = 0,
    EXIT_HITS = 0,
    EXIT_FAIL = 1,  /* an operation failed (bad input file, I/O) */
    EXIT_USAGE = 2  /* bad command line */
};

int cmd_build(int argc, char **argv);
int cmd_lists(int argc, char **argv);
int cmd_screen(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_goods(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_network(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_apikey(int argc, char **argv);
int cmd_counterparties(int argc, char **argv);
int cmd_alerts(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_update(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_rescreen(int argc, char **argv);

/* Opens the snapshot named by --snapshot, or the default; prints the error and returns NULL. */
cordon_engine *cli_open_engine(const char *path);
int cli_fail(const cordon_error *err);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "--opt value" or "--opt=value": returns the value and advances *i, or NULL. */
const char *cli_opt(int argc, char **argv, int *i, const char *name);
bool cli_flag(const char *arg, const char *name);
/* Splits "a,b,c" in place into out (at most cap); returns the count. */
size_t cli_split(char *s, const char **out, size_t cap);

#endif
