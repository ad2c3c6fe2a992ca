/* db.h - the store's small database layer: one interface, two thin drivers (db_sqlite.c for
 * SQLite, db_pg.c for PostgreSQL through libpq), so the store's logic is written once.
 * Statements use `?` or `?N` placeholders; the PostgreSQL driver rewrites them to `$N`.
 * Values are bound and read as text, int64, double or NULL. A connection is for one thread. */
#ifndef CORDON_STORE_DB_H
#define CORDON_STORE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct db db;
typedef struct db_stmt db_stmt;

typedef enum { DB_SQLITE = 0, DB_PG } db_dialect;
typedef enum { DB_ROW = 1, DB_DONE = 0, DB_ERROR = -1 } db_step_rc;
typedef enum { DB_NULL = 0, DB_INTEGER, DB_FLOAT, DB_TEXT } db_type;

/* Opening: SQLite file (WAL, 10 s busy timeout, foreign keys) or a libpq connection string
 * (URI or keyword form). On failure returns NULL with the reason in msg (never a password). */
db *db_open_sqlite(const char *path, char *msg, size_t cap);
db *db_open_pg(const char *conninfo, char *msg, size_t cap);
/* A PostgreSQL connection string for messages: postgresql://user@host:port/dbname, no password. */
void db_pg_describe(const char *conninfo, char *out, size_t cap);
void db_close(db *d);
db_dialect db_kind(const db *d);
/* The last error's text (the primary message only). */
const char *db_errmsg(db *d);

/* Runs one or more statements without parameters; 0 on success. */
int db_exec(db *d, const char *sql);
/* Write transactions: one writer at a time (SQLite BEGIN IMMEDIATE; PostgreSQL a
 * transaction-level advisory lock, which also keeps the audit chain a single chain). */
int db_begin(db *d);
int db_commit(db *d);
void db_rollback(db *d); /* no-op outside a transaction */

db_stmt *db_prepare(db *d, const char *sql);
/* Binding (1-based, copied). A NULL text binds NULL. */
void db_bind_text(db_stmt *st, int i, const char *v);
void db_bind_int64(db_stmt *st, int i, int64_t v);
void db_bind_double(db_stmt *st, int i, double v);
void db_bind_null(db_stmt *st, int i);
/* DB_ROW while rows come, then DB_DONE; DB_ERROR with db_errmsg set. */
db_step_rc db_step(db_stmt *st);
/* Ready to step again from the start; bindings are kept until rebound. */
void db_reset(db_stmt *st);
void db_finalize(db_stmt *st); /* NULL is fine */

/* Columns of the current row (0-based). Text is NULL for NULL and valid until the next step. */
int db_column_count(db_stmt *st);
const char *db_column_name(db_stmt *st, int i);
db_type db_column_type(db_stmt *st, int i);
bool db_column_is_null(db_stmt *st, int i);
const char *db_column_text(db_stmt *st, int i);
int64_t db_column_int64(db_stmt *st, int i);
double db_column_double(db_stmt *st, int i);

#endif
