/* db_pg.c - the store's database driver for PostgreSQL through libpq. Statements are sent with
 * `?`/`?N` rewritten to `$N` and every value as text; a statement run more than once is
 * prepared on the server on its second run. Results are read whole (a step walks the rows),
 * so other statements can run while a result is being walked. Writers take a
 * transaction-level advisory lock at BEGIN: one writer at a time, as on SQLite, which keeps
 * the audit chain's seq/prev_hash a single chain across processes. */
#include "db_driver.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* pg_advisory_xact_lock key for the store's writers ("cordon" + 1). */
#define WRITER_LOCK "7165055733256193"

typedef struct {
    struct db base;
    PGconn *c;
    char err[512];
    char password[256]; /* only to scrub it from messages */
    unsigned names;
} pg_db;

typedef struct {
    struct db_stmt base;
    char *sql;
    int nparams;
    char **vals;
    char name[32];
    int runs;
    bool prepared, executed;
    PGresult *res;
    int row;
} pg_stmt;

#define PG(d) ((pg_db *)(d))
#define PS(s) ((pg_stmt *)(s))

/* Copies msg into out on one line, with the password (if any) replaced by ***. */
static void scrub(const char *msg, const char *password, char *out, size_t cap)
{
    size_t o = 0, plen = password ? strlen(password) : 0;
    for (const char *p = msg; *p && o + 4 < cap;) {
        if (plen && strncmp(p, password, plen) == 0) {
            memcpy(out + o, "***", 3);
            o += 3;
            p += plen;
            continue;
        }
        out[o++] = *p == '\n' || *p == '\t' ? ' ' : *p;
        p++;
    }
    while (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = 0;
}

static void set_err(pg_db *d, const PGresult *r)
{
    const char *m = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    scrub(m ? m : PQerrorMessage(d->c), d->password, d->err, sizeof d->err);
    if (!d->err[0])
        snprintf(d->err, sizeof d->err, "PostgreSQL error");
}

static bool result_ok(pg_db *d, PGresult *r)
{
    ExecStatusType s = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK)
        return true;
    set_err(d, r);
    return false;
}

static void pg_close(db *d)
{
    PQfinish(PG(d)->c);
    free(d);
}

static const char *pg_errmsg(db *d) { return PG(d)->err; }

static int pg_exec(db *d, const char *sql)
{
    PGresult *r = PQexec(PG(d)->c, sql);
    bool ok = result_ok(PG(d), r);
    PQclear(r);
    return ok ? 0 : -1;
}

static void pg_rollback(db *d)
{
    if (PQtransactionStatus(PG(d)->c) != PQTRANS_IDLE)
        PQclear(PQexec(PG(d)->c, "ROLLBACK"));
}

static int pg_begin(db *d)
{
    if (pg_exec(d, "BEGIN; SELECT pg_advisory_xact_lock(" WRITER_LOCK ")") == 0)
        return 0;
    pg_rollback(d);
    return -1;
}

/* COMMIT of a transaction that had failed answers ROLLBACK without an error: catch it. */
static int pg_commit(db *d)
{
    PGresult *r = PQexec(PG(d)->c, "COMMIT");
    bool ok = result_ok(PG(d), r);
    if (ok && strcmp(PQcmdStatus(r), "COMMIT") != 0) {
        snprintf(PG(d)->err, sizeof PG(d)->err, "the transaction failed and was rolled back");
        ok = false;
    }
    PQclear(r);
    return ok ? 0 : -1;
}

/* `?` -> `$k` (k counting), `?N` -> `$N`; quoted strings and identifiers are left alone. */
static char *translate(const char *sql, int *nparams)
{
    size_t n = strlen(sql);
    char *out = malloc(n * 8 + 16); /* a bare `?` becomes `$` and up to 7 digits */
    if (!out)
        return NULL;
    int next = 0, max = 0;
    char quote = 0;
    size_t o = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            out[o++] = *p;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            out[o++] = *p;
        } else if (*p == '?') {
            int k;
            if (p[1] >= '0' && p[1] <= '9') {
                k = (int)strtol(p + 1, (char **)&p, 10);
                p--;
            } else {
                k = ++next;
            }
            if (k > max)
                max = k;
            o += (size_t)sprintf(out + o, "$%d", k);
        } else {
            out[o++] = *p;
        }
    }
    out[o] = 0;
    *nparams = max;
    return out;
}

static db_stmt *pg_prepare(db *d, const char *sql)
{
    pg_stmt *s = calloc(1, sizeof *s);
    if (!s || !(s->sql = translate(sql, &s->nparams)) ||
        (s->nparams && !(s->vals = calloc((size_t)s->nparams, sizeof *s->vals)))) {
        if (s)
            free(s->sql);
        free(s);
        snprintf(PG(d)->err, sizeof PG(d)->err, "out of memory");
        return NULL;
    }
    s->base.d = d;
    snprintf(s->name, sizeof s->name, "cordon_%u", ++PG(d)->names);
    return &s->base;
}

static void set_val(db_stmt *st, int i, char *v)
{
    pg_stmt *s = PS(st);
    if (i < 1 || i > s->nparams) {
        free(v);
        return;
    }
    free(s->vals[i - 1]);
    s->vals[i - 1] = v;
}

static void pg_bind_text(db_stmt *st, int i, const char *v) { set_val(st, i, v ? strdup(v) : NULL); }

static void pg_bind_int64(db_stmt *st, int i, int64_t v)
{
    char b[32];
    snprintf(b, sizeof b, "%lld", (long long)v);
    set_val(st, i, strdup(b));
}

static void pg_bind_double(db_stmt *st, int i, double v)
{
    char b[40];
    snprintf(b, sizeof b, "%.17g", v);
    set_val(st, i, strdup(b));
}

static PGresult *run(pg_stmt *s)
{
    pg_db *d = PG(s->base.d);
    const char *const *vals = (const char *const *)s->vals;
    if (++s->runs == 1) /* most statements run once: one round trip, nothing left behind */
        return PQexecParams(d->c, s->sql, s->nparams, NULL, vals, NULL, NULL, 0);
    if (!s->prepared) {
        PGresult *r = PQprepare(d->c, s->name, s->sql, s->nparams, NULL);
        if (!result_ok(d, r))
            return r;
        PQclear(r);
        s->prepared = true;
    }
    return PQexecPrepared(d->c, s->name, s->nparams, vals, NULL, NULL, 0);
}

static db_step_rc pg_step(db_stmt *st)
{
    pg_stmt *s = PS(st);
    if (!s->executed) {
        PQclear(s->res);
        s->res = run(s);
        s->executed = true;
        s->row = -1;
        if (!result_ok(PG(st->d), s->res)) {
            PQclear(s->res);
            s->res = NULL;
            return DB_ERROR;
        }
    }
    if (!s->res)
        return DB_ERROR;
    return ++s->row < PQntuples(s->res) ? DB_ROW : DB_DONE;
}

static void pg_reset(db_stmt *st)
{
    PQclear(PS(st)->res);
    PS(st)->res = NULL;
    PS(st)->executed = false;
}

static void pg_finalize(db_stmt *st)
{
    pg_stmt *s = PS(st);
    pg_db *d = PG(st->d);
    if (s->prepared && PQtransactionStatus(d->c) != PQTRANS_INERROR) {
        char sql[64];
        snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
        PQclear(PQexec(d->c, sql));
    }
    PQclear(s->res);
    for (int i = 0; i < s->nparams; i++)
        free(s->vals[i]);
    free(s->vals);
    free(s->sql);
    free(s);
}

static bool have(db_stmt *st, int i)
{
    pg_stmt *s = PS(st);
    return s->res && s->row >= 0 && s->row < PQntuples(s->res) && i >= 0 && i < PQnfields(s->res);
}

static int pg_column_count(db_stmt *st) { return PS(st)->res ? PQnfields(PS(st)->res) : 0; }

static const char *pg_column_name(db_stmt *st, int i)
{
    return PS(st)->res ? PQfname(PS(st)->res, i) : NULL;
}

static const char *pg_column_text(db_stmt *st, int i)
{
    if (!have(st, i) || PQgetisnull(PS(st)->res, PS(st)->row, i))
        return NULL;
    return PQgetvalue(PS(st)->res, PS(st)->row, i);
}

static db_type pg_column_type(db_stmt *st, int i)
{
    if (!pg_column_text(st, i))
        return DB_NULL;
    switch (PQftype(PS(st)->res, i)) { /* pg_type OIDs */
    case 20: case 21: case 23: case 26: return DB_INTEGER; /* int8, int2, int4, oid */
    case 700: case 701: case 1700: return DB_FLOAT;       /* float4, float8, numeric */
    default: return DB_TEXT;
    }
}

static int64_t pg_column_int64(db_stmt *st, int i)
{
    const char *t = pg_column_text(st, i);
    return t ? strtoll(t, NULL, 10) : 0;
}

static double pg_column_double(db_stmt *st, int i)
{
    const char *t = pg_column_text(st, i);
    return t ? strtod(t, NULL) : 0.0;
}

static const db_driver pg_driver = {
    pg_close,      pg_errmsg,      pg_exec,         pg_begin,        pg_commit,
    pg_rollback,   pg_prepare,     pg_bind_text,    pg_bind_int64,   pg_bind_double,
    pg_step,       pg_reset,       pg_finalize,     pg_column_count, pg_column_name,
    pg_column_type, pg_column_text, pg_column_int64, pg_column_double,
};

static void quiet(void *arg, const char *message) { (void)arg, (void)message; }

/* The password of a connection string (URI or keywords), "" if none or unparsable. */
static void conn_password(const char *conninfo, char *out, size_t cap)
{
    out[0] = 0;
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    for (PQconninfoOption *o = opts; o && o->keyword; o++)
        if (strcmp(o->keyword, "password") == 0 && o->val)
            snprintf(out, cap, "%s", o->val);
    PQconninfoFree(opts);
}

void db_pg_describe(const char *conninfo, char *out, size_t cap)
{
    PQconninfoOption *opts = PQconninfoParse(conninfo, NULL);
    const char *user = NULL, *host = NULL, *port = NULL, *dbname = NULL;
    for (PQconninfoOption *o = opts; o && o->keyword; o++) {
        if (!o->val || !*o->val)
            continue;
        if (strcmp(o->keyword, "user") == 0)
            user = o->val;
        else if (strcmp(o->keyword, "host") == 0)
            host = o->val;
        else if (strcmp(o->keyword, "port") == 0)
            port = o->val;
        else if (strcmp(o->keyword, "dbname") == 0)
            dbname = o->val;
    }
    if (!opts)
        snprintf(out, cap, "postgresql (connection string does not parse)");
    else
        snprintf(out, cap, "postgresql://%s%s%s%s%s/%s", user ? user : "", user ? "@" : "",
                 host ? host : "", port ? ":" : "", port ? port : "", dbname ? dbname : "");
    PQconninfoFree(opts);
}

db *db_open_pg(const char *conninfo, char *msg, size_t cap)
{
    char *perr = NULL;
    PQconninfoOption *check = PQconninfoParse(conninfo, &perr);
    PQconninfoFree(check);
    PQfreemem(perr); /* its text may quote the string, password and all: not repeated */
    if (!check) {
        snprintf(msg, cap, "the PostgreSQL connection string does not parse");
        return NULL;
    }
    pg_db *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    d->base.drv = &pg_driver;
    d->base.kind = DB_PG;
    conn_password(conninfo, d->password, sizeof d->password);
    /* a connect_timeout in the string wins over the default; the name only if none is given */
    const char *const keys[] = {"connect_timeout", "dbname", "fallback_application_name", NULL};
    const char *const vals[] = {"10", conninfo, "cordon", NULL};
    d->c = PQconnectdbParams(keys, vals, 1);
    if (!d->c || PQstatus(d->c) != CONNECTION_OK) {
        if (d->c)
            scrub(PQerrorMessage(d->c), d->password, msg, cap);
        else
            snprintf(msg, cap, "out of memory");
        pg_close(&d->base);
        return NULL;
    }
    PQsetNoticeProcessor(d->c, quiet, NULL);
    if (pg_exec(&d->base, "SET client_min_messages = warning; SET lock_timeout = '10s'") != 0) {
        snprintf(msg, cap, "%s", d->err);
        pg_close(&d->base);
        return NULL;
    }
    return &d->base;
}
