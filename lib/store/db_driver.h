/* db_driver.h - what a database driver provides to db.c (the dispatch behind db.h). Each
 * driver's connection and statement structs start with the headers below. */
#ifndef CORDON_STORE_DB_DRIVER_H
#define CORDON_STORE_DB_DRIVER_H

#include "db.h"

typedef struct db_driver {
    void (*close)(db *d);
    const char *(*errmsg)(db *d);
    int (*exec)(db *d, const char *sql);
    int (*begin)(db *d);
    int (*commit)(db *d);
    void (*rollback)(db *d);
    db_stmt *(*prepare)(db *d, const char *sql);
    void (*bind_text)(db_stmt *st, int i, const char *v);
    void (*bind_int64)(db_stmt *st, int i, int64_t v);
    void (*bind_double)(db_stmt *st, int i, double v);
    db_step_rc (*step)(db_stmt *st);
    void (*reset)(db_stmt *st);
    void (*finalize)(db_stmt *st);
    int (*column_count)(db_stmt *st);
    const char *(*column_name)(db_stmt *st, int i);
    db_type (*column_type)(db_stmt *st, int i);
    const char *(*column_text)(db_stmt *st, int i);
    int64_t (*column_int64)(db_stmt *st, int i);
    double (*column_double)(db_stmt *st, int i);
} db_driver;

struct db {
    const db_driver *drv;
    db_dialect kind;
};

struct db_stmt {
    db *d;
};

#endif
