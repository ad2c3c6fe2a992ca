/* views.c - the store's read views as JSON, for the CLI, the server and the web UI: the alert
 * queue and one alert, counterparties, the audit log, list versions and screening runs.
 * Listings are built column by column from the statement, so a view is its SQL and nothing
 * else. An optional filter is CAST(?1 AS TEXT) IS NULL: PostgreSQL must be told its type. */
#include "store.h"

#include <jansson.h>
#include <stdlib.h>

static const char *col_text(db_stmt *st, int i)
{
    const char *t = db_column_text(st, i);
    return t ? t : "";
}

/* One row as an object keyed by the column names; NULL columns become JSON null. */
static json_t *row_object(db_stmt *st, int first, int last)
{
    json_t *o = json_object();
    for (int i = first; i < last; i++) {
        const char *name = db_column_name(st, i);
        json_t *v;
        switch (db_column_type(st, i)) {
        case DB_INTEGER: v = json_integer((json_int_t)db_column_int64(st, i)); break;
        case DB_FLOAT: v = json_real(db_column_double(st, i)); break;
        case DB_NULL: v = json_null(); break;
        default: v = json_string(col_text(st, i)); break;
        }
        json_object_set_new(o, name, v ? v : json_null());
    }
    return o;
}

static char *dump(json_t *v, size_t flags, cordon_error *err)
{
    char *text = json_dumps(v, flags);
    json_decref(v);
    if (!text)
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return text;
}

/* Runs a prepared listing and returns its rows as a JSON array text. */
static char *rows_json(cordon_store *s, db_stmt *st, const char *what, cordon_error *err)
{
    json_t *arr = json_array();
    db_step_rc rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, row_object(st, 0, db_column_count(st)));
    if (rc != DB_DONE) {
        store_db_error(s, err, what);
        db_finalize(st);
        json_decref(arr);
        return NULL;
    }
    db_finalize(st);
    return dump(arr, JSON_COMPACT, err);
}

/* ---- alerts ------------------------------------------------------------------------------- */

static json_t *alert_row_json(db_stmt *st)
{
    return json_pack("{s:I, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:f, s:s, s:s?, s:s, s:I}", "id",
                     (json_int_t)db_column_int64(st, 0), "counterparty", "ref",
                     col_text(st, 1), "name", col_text(st, 2), "source", col_text(st, 3),
                     "source_id", col_text(st, 4), "listed_name", col_text(st, 5),
                     "matched_name", col_text(st, 6), "score", db_column_double(st, 7),
                     "status", col_text(st, 8), "outcome",
                     db_column_is_null(st, 9) ? NULL : col_text(st, 9),
                     "created_at", col_text(st, 10), "run",
                     (json_int_t)db_column_int64(st, 11));
}

#define ALERT_COLUMNS                                                                           \
    "SELECT a.id, c.ref, c.name, a.source, a.source_id, a.listed_name, a.matched_name, a.score," \
    " a.status, a.outcome, a.created_at, a.screening_id, a.entity_json, c.type, c.dob,"         \
    " c.country, c.ident"                                                                       \
    " FROM alerts a JOIN counterparties c ON c.id = a.counterparty_id"

char *cordon_store_alerts_json(cordon_store *s, const char *status, size_t limit,
                               cordon_error *err)
{
    db_stmt *st = store_prepare(s, ALERT_COLUMNS " WHERE CAST(?1 AS TEXT) IS NULL OR a.status = ?1"
                                                " ORDER BY a.id LIMIT ?2", "alerts", err);
    if (!st)
        return NULL;
    db_bind_text(st, 1, status);
    db_bind_int64(st, 2, store_limit(limit));
    json_t *arr = json_array();
    db_step_rc rc;
    while ((rc = db_step(st)) == DB_ROW)
        json_array_append_new(arr, alert_row_json(st));
    if (rc != DB_DONE) {
        store_db_error(s, err, "alerts");
        db_finalize(st);
        json_decref(arr);
        return NULL;
    }
    db_finalize(st);
    return dump(arr, JSON_COMPACT, err);
}

static json_t *decisions_json(cordon_store *s, int64_t alert_id)
{
    json_t *arr = json_array();
    db_stmt *st = store_prepare(s, "SELECT who, outcome, reason, second_approver, decided_at"
                                  " FROM decisions WHERE alert_id = ? ORDER BY id", "decisions",
                               NULL);
    if (st) {
        db_bind_int64(st, 1, alert_id);
        while (db_step(st) == DB_ROW)
            json_array_append_new(arr, row_object(st, 0, 5));
    }
    db_finalize(st);
    return arr;
}

char *cordon_store_alert_json(cordon_store *s, int64_t alert_id, cordon_error *err)
{
    db_stmt *st = store_prepare(s, ALERT_COLUMNS " WHERE a.id = ?", "alert", err);
    if (!st)
        return NULL;
    db_bind_int64(st, 1, alert_id);
    db_step_rc rc = db_step(st);
    if (rc != DB_ROW) {
        if (rc == DB_ERROR)
            store_db_error(s, err, "alert");
        else
            err_set(err, CORDON_ERR_NOTFOUND, "alert %lld does not exist", (long long)alert_id);
        db_finalize(st);
        return NULL;
    }
    json_t *o = alert_row_json(st);
    /* the counterparty as stored, beside the listed entity as it stood when raised */
    json_t *cp = json_object_get(o, "counterparty");
    static const char *const extra[] = {"type", "dob", "country", "id"};
    for (int i = 0; i < 4; i++)
        json_object_set_new(cp, extra[i], db_column_is_null(st, 13 + i)
                                              ? json_null()
                                              : json_string(col_text(st, 13 + i)));
    json_t *ent = json_loads(col_text(st, 12), 0, NULL);
    json_object_set_new(o, "entity", ent ? ent : json_null());
    db_finalize(st);
    json_object_set_new(o, "decisions", decisions_json(s, alert_id));
    return dump(o, JSON_INDENT(2), err);
}

/* ---- counterparties, audit, versions, runs ------------------------------------------------ */

char *cordon_store_counterparties_json(cordon_store *s, const char *match, size_t offset,
                                       size_t limit, cordon_error *err)
{
    db_stmt *st = store_prepare(
        s,
        "SELECT c.ref, c.name, c.type, c.dob, c.country, c.ident AS id, c.pending,"
        " c.created_at, c.updated_at,"
        " (SELECT count(*) FROM alerts a WHERE a.counterparty_id = c.id AND a.status = 'open')"
        "  AS open_alerts"
        " FROM counterparties c"
        " WHERE CAST(?1 AS TEXT) IS NULL OR instr(lower(c.name), lower(?1)) > 0 OR c.ref = ?1"
        " ORDER BY c.id LIMIT ?2 OFFSET ?3",
        "counterparties", err);
    if (!st)
        return NULL;
    db_bind_text(st, 1, match && *match ? match : NULL);
    db_bind_int64(st, 2, store_limit(limit));
    db_bind_int64(st, 3, (int64_t)offset);
    return rows_json(s, st, "counterparties", err);
}

char *cordon_store_audit_json(cordon_store *s, const char *action, size_t limit,
                              cordon_error *err)
{
    db_stmt *st = store_prepare(s, "SELECT seq, at, actor, action, subject, detail, hash"
                                  " FROM audit WHERE CAST(?1 AS TEXT) IS NULL OR action = ?1"
                                  " ORDER BY seq DESC LIMIT ?2", "audit", err);
    if (!st)
        return NULL;
    db_bind_text(st, 1, action && *action ? action : NULL);
    db_bind_int64(st, 2, store_limit(limit));
    return rows_json(s, st, "audit", err);
}

/* A listing whose only parameter is its LIMIT (?1). */
static char *limited_rows_json(cordon_store *s, const char *sql, size_t limit, const char *what,
                               cordon_error *err)
{
    db_stmt *st = store_prepare(s, sql, what, err);
    if (!st)
        return NULL;
    db_bind_int64(st, 1, store_limit(limit));
    return rows_json(s, st, what, err);
}

char *cordon_store_versions_json(cordon_store *s, size_t limit, cordon_error *err)
{
    return limited_rows_json(s, "SELECT version, created_at, snapshot_file, checksum, entities,"
                                " added, removed, changed, rescreen_pending"
                                " FROM list_versions ORDER BY id DESC LIMIT ?1",
                             limit, "list versions", err);
}

char *cordon_store_screenings_json(cordon_store *s, size_t limit, cordon_error *err)
{
    return limited_rows_json(s, "SELECT id, kind, snapshot, started_at, finished_at,"
                                " counterparties, entries, hits, new_alerts, threshold"
                                " FROM screenings ORDER BY id DESC LIMIT ?1",
                             limit, "screenings", err);
}
