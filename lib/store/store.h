/* store.h - the case store's internals shared by lib/store and lib/update. The store's SQL goes
 * through the database layer (db.h), so the logic is written once for SQLite and PostgreSQL. */
#ifndef CORDON_STORE_INTERNAL_H
#define CORDON_STORE_INTERNAL_H

#include "../util/util.h"
#include "db.h"

#include <limits.h>

struct cordon_store {
    db *db;
    char dir[PATH_MAX]; /* files: sources, snapshot versions, staging, the update lock */
    char name[PATH_MAX + 16]; /* for messages: DIR/cordon.db or postgresql://user@host/db */
    int schema;
};

/* Sets err from the database's last error; returns CORDON_ERR_IO. */
cordon_status store_db_error(cordon_store *s, cordon_error *err, const char *what);
cordon_status store_exec(cordon_store *s, const char *sql, cordon_error *err);
/* A statement (`?` placeholders); NULL with err set (err may be NULL). */
db_stmt *store_prepare(cordon_store *s, const char *sql, const char *what, cordon_error *err);
/* Write transactions: one writer at a time on either back end. */
cordon_status store_begin(cordon_store *s, cordon_error *err);
cordon_status store_commit(cordon_store *s, cordon_error *err);
void store_rollback(cordon_store *s);
/* Appends a hash-chained audit record; call inside a transaction. */
cordon_status store_audit_add(cordon_store *s, const char *actor, const char *action,
                              const char *subject, const char *detail, cordon_error *err);
/* Current UTC time as ISO 8601 with milliseconds into out[32]. */
void store_now(char out[32]);
/* Key/value settings in the meta table (values are text). */
cordon_status store_meta_set(cordon_store *s, const char *key, const char *value,
                             cordon_error *err);
bool store_meta_get(cordon_store *s, const char *key, char *out, size_t cap);
/* Who is acting: $CORDON_USER, else $USER, else "cordon". */
const char *store_actor(void);
/* A LIMIT value meaning "limit" rows, or all of them for 0 (both dialects). */
int64_t store_limit(size_t limit);

#endif
