/* db.c - the database layer's front: every call goes to the connection's driver. */
#include "db_driver.h"

#include <stddef.h>

void db_close(db *d)
{
    if (d)
        d->drv->close(d);
}

db_dialect db_kind(const db *d) { return d->kind; }
const char *db_errmsg(db *d) { return d->drv->errmsg(d); }
int db_exec(db *d, const char *sql) { return d->drv->exec(d, sql); }
int db_begin(db *d) { return d->drv->begin(d); }
int db_commit(db *d) { return d->drv->commit(d); }
void db_rollback(db *d) { d->drv->rollback(d); }
db_stmt *db_prepare(db *d, const char *sql) { return d->drv->prepare(d, sql); }
void db_bind_text(db_stmt *st, int i, const char *v) { st->d->drv->bind_text(st, i, v); }
void db_bind_int64(db_stmt *st, int i, int64_t v) { st->d->drv->bind_int64(st, i, v); }
void db_bind_double(db_stmt *st, int i, double v) { st->d->drv->bind_double(st, i, v); }
void db_bind_null(db_stmt *st, int i) { st->d->drv->bind_text(st, i, NULL); }
db_step_rc db_step(db_stmt *st) { return st->d->drv->step(st); }
void db_reset(db_stmt *st) { st->d->drv->reset(st); }

void db_finalize(db_stmt *st)
{
    if (st)
        st->d->drv->finalize(st);
}

int db_column_count(db_stmt *st) { return st->d->drv->column_count(st); }
const char *db_column_name(db_stmt *st, int i) { return st->d->drv->column_name(st, i); }
db_type db_column_type(db_stmt *st, int i) { return st->d->drv->column_type(st, i); }
bool db_column_is_null(db_stmt *st, int i) { return st->d->drv->column_type(st, i) == DB_NULL; }
const char *db_column_text(db_stmt *st, int i) { return st->d->drv->column_text(st, i); }
int64_t db_column_int64(db_stmt *st, int i) { return st->d->drv->column_int64(st, i); }
double db_column_double(db_stmt *st, int i) { return st->d->drv->column_double(st, i); }
