/* db_sqlite.c - the store's database driver for SQLite: a thin wrapper, statements as written.
 * WAL, synchronous NORMAL, foreign keys, 10 s busy timeout; BEGIN IMMEDIATE for writers. */
#include "db_driver.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    struct db base;
    sqlite3 *h;
} sq_db;

typedef struct {
    struct db_stmt base;
    sqlite3_stmt *st;
} sq_stmt;

#define H(d) (((sq_db *)(d))->h)
#define ST(s) (((sq_stmt *)(s))->st)

static void sq_close(db *d)
{
    sqlite3_close_v2(H(d));
    free(d);
}

static const char *sq_errmsg(db *d) { return sqlite3_errmsg(H(d)); }

static int sq_exec(db *d, const char *sql)
{
    return sqlite3_exec(H(d), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int sq_begin(db *d) { return sq_exec(d, "BEGIN IMMEDIATE"); }
static int sq_commit(db *d) { return sq_exec(d, "COMMIT"); }

static void sq_rollback(db *d)
{
    if (!sqlite3_get_autocommit(H(d)))
        sqlite3_exec(H(d), "ROLLBACK", NULL, NULL, NULL);
}

static db_stmt *sq_prepare(db *d, const char *sql)
{
    sq_stmt *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.d = d;
    if (sqlite3_prepare_v2(H(d), sql, -1, &s->st, NULL) != SQLITE_OK) {
        free(s);
        return NULL;
    }
    return &s->base;
}

static void sq_bind_text(db_stmt *st, int i, const char *v)
{
    if (v)
        sqlite3_bind_text(ST(st), i, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(ST(st), i);
}

static void sq_bind_int64(db_stmt *st, int i, int64_t v) { sqlite3_bind_int64(ST(st), i, v); }
static void sq_bind_double(db_stmt *st, int i, double v) { sqlite3_bind_double(ST(st), i, v); }

static db_step_rc sq_step(db_stmt *st)
{
    int rc = sqlite3_step(ST(st));
    return rc == SQLITE_ROW ? DB_ROW : rc == SQLITE_DONE ? DB_DONE : DB_ERROR;
}

static void sq_reset(db_stmt *st) { sqlite3_reset(ST(st)); }

static void sq_finalize(db_stmt *st)
{
    sqlite3_finalize(ST(st));
    free(st);
}

static int sq_column_count(db_stmt *st) { return sqlite3_column_count(ST(st)); }
static const char *sq_column_name(db_stmt *st, int i) { return sqlite3_column_name(ST(st), i); }

static db_type sq_column_type(db_stmt *st, int i)
{
    switch (sqlite3_column_type(ST(st), i)) {
    case SQLITE_INTEGER: return DB_INTEGER;
    case SQLITE_FLOAT: return DB_FLOAT;
    case SQLITE_NULL: return DB_NULL;
    default: return DB_TEXT;
    }
}

static const char *sq_column_text(db_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(ST(st), i);
}

static int64_t sq_column_int64(db_stmt *st, int i) { return sqlite3_column_int64(ST(st), i); }
static double sq_column_double(db_stmt *st, int i) { return sqlite3_column_double(ST(st), i); }

static const db_driver sqlite_driver = {
    sq_close,      sq_errmsg,      sq_exec,        sq_begin,        sq_commit,
    sq_rollback,   sq_prepare,     sq_bind_text,   sq_bind_int64,   sq_bind_double,
    sq_step,       sq_reset,       sq_finalize,    sq_column_count, sq_column_name,
    sq_column_type, sq_column_text, sq_column_int64, sq_column_double,
};

db *db_open_sqlite(const char *path, char *msg, size_t cap)
{
    sq_db *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(msg, cap, "out of memory");
        return NULL;
    }
    d->base.drv = &sqlite_driver;
    d->base.kind = DB_SQLITE;
    if (sqlite3_open_v2(path, &d->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(msg, cap, "%s", d->h ? sqlite3_errmsg(d->h) : "cannot open");
        sq_close(&d->base);
        return NULL;
    }
    sqlite3_busy_timeout(d->h, 10000);
    if (sq_exec(&d->base, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                          "PRAGMA foreign_keys = ON;") != 0) {
        snprintf(msg, cap, "%s", sqlite3_errmsg(d->h));
        sq_close(&d->base);
        return NULL;
    }
    return &d->base;
}
