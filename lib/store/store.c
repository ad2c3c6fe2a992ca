/* store.c - opening the case store (SQLite, WAL), versioned migrations, the hash-chained audit
 * log and decisions. The read views (alerts, counterparties, audit, versions) are in views.c. */
#include "store.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Each migration moves the schema from version i to i+1; never edit one that has shipped. */
static const char *const migrations[] = {
    /* 1: the whole case model */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE counterparties(id INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE,"
    " name TEXT NOT NULL, type TEXT, dob TEXT, country TEXT, ident TEXT,"
    " row_hash TEXT NOT NULL, pending INTEGER NOT NULL DEFAULT 1,"
    " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
    "CREATE TABLE screenings(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, snapshot TEXT NOT NULL,"
    " started_at TEXT NOT NULL, finished_at TEXT, counterparties INTEGER, entries INTEGER,"
    " hits INTEGER, new_alerts INTEGER, threshold REAL);"
    "CREATE TABLE alerts(id INTEGER PRIMARY KEY,"
    " counterparty_id INTEGER NOT NULL REFERENCES counterparties(id),"
    " screening_id INTEGER REFERENCES screenings(id), source TEXT NOT NULL,"
    " source_id TEXT NOT NULL, listed_name TEXT, matched_name TEXT, score REAL,"
    " entity_json TEXT, status TEXT NOT NULL DEFAULT 'open', outcome TEXT,"
    " created_at TEXT NOT NULL, UNIQUE(counterparty_id, source, source_id));"
    "CREATE TABLE decisions(id INTEGER PRIMARY KEY, alert_id INTEGER NOT NULL REFERENCES"
    " alerts(id), who TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL,"
    " second_approver TEXT, decided_at TEXT NOT NULL);"
    "CREATE TABLE list_versions(id INTEGER PRIMARY KEY, version TEXT NOT NULL UNIQUE,"
    " snapshot_file TEXT NOT NULL, checksum TEXT NOT NULL, entities INTEGER,"
    " previous_file TEXT, added INTEGER, removed INTEGER, changed INTEGER,"
    " created_at TEXT NOT NULL, rescreen_pending INTEGER NOT NULL DEFAULT 1);"
    "CREATE TABLE source_state(name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
    " sha256 TEXT, fetched_at TEXT);"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
    " action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL,"
    " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
    "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
    " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
    "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions"
    " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;",
    /* 2: the views the alert queue and the re-screen read most */
    "CREATE INDEX alerts_status ON alerts(status, id);"
    "CREATE INDEX counterparties_pending ON counterparties(pending) WHERE pending = 1;"
    "CREATE INDEX decisions_alert ON decisions(alert_id, id);",
};

cordon_status store_db_error(cordon_store *s, cordon_error *err, const char *what)
{
    return err_set(err, CORDON_ERR_IO, "%s/cordon.db: %s: %s", s->dir, what, sqlite3_errmsg(s->db));
}

cordon_status store_exec(cordon_store *s, const char *sql, cordon_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return CORDON_OK;
    cordon_status st = err_set(err, CORDON_ERR_IO, "%s/cordon.db: %s", s->dir, msg ? msg : "error");
    sqlite3_free(msg);
    return st;
}

cordon_status store_begin(cordon_store *s, cordon_error *err)
{
    return store_exec(s, "BEGIN IMMEDIATE", err);
}

cordon_status store_commit(cordon_store *s, cordon_error *err)
{
    return store_exec(s, "COMMIT", err);
}

void store_rollback(cordon_store *s)
{
    if (!sqlite3_get_autocommit(s->db))
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

void store_now(char out[32])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[24];
    strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, 32, "%s.%03ldZ", day, ts.tv_nsec / 1000000);
}

const char *store_actor(void)
{
    const char *u = getenv("CORDON_USER");
    if (!u || !*u)
        u = getenv("USER");
    return u && *u ? u : "cordon";
}

cordon_status store_meta_set(cordon_store *s, const char *key, const char *value,
                             cordon_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", -1,
                           &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "meta");
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CORDON_OK : store_db_error(s, err, "meta");
}

bool store_meta_get(cordon_store *s, const char *key, char *out, size_t cap)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(s->db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            snprintf(out, cap, "%s", (const char *)sqlite3_column_text(st, 0));
            found = true;
        }
    }
    sqlite3_finalize(st);
    return found;
}

/* ---- opening and migrations ------------------------------------------------------------- */

static int user_version(cordon_store *s)
{
    sqlite3_stmt *st = NULL;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static cordon_status migrate(cordon_store *s, cordon_error *err)
{
    int target = (int)ARRAY_LEN(migrations);
    if (store_begin(s, err) != CORDON_OK)
        return err ? err->status : CORDON_ERR_IO;
    int v = user_version(s);
    if (v > target) {
        store_rollback(s);
        return err_set(err, CORDON_ERR_FORMAT,
                       "%s/cordon.db: schema version %d is newer than this cordon knows (%d)",
                       s->dir, v, target);
    }
    for (; v >= 0 && v < target; v++) {
        char pragma[64], detail[64];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
        snprintf(detail, sizeof detail, "schema %d -> %d", v, v + 1);
        if (store_exec(s, migrations[v], err) != CORDON_OK ||
            store_exec(s, pragma, err) != CORDON_OK ||
            store_audit_add(s, "cordon", "migrate", "schema", detail, err) != CORDON_OK) {
            store_rollback(s);
            err_prefix(err, "migration %d", v + 1);
            return err ? err->status : CORDON_ERR_IO;
        }
    }
    s->schema = target;
    return store_commit(s, err);
}

static cordon_status make_dirs(const char *dir, cordon_error *err)
{
    static const char *const subs[] = {"", "/sources", "/snapshots", "/staging"};
    for (size_t i = 0; i < ARRAY_LEN(subs); i++) {
        char p[PATH_MAX + 32];
        snprintf(p, sizeof p, "%s%s", dir, subs[i]);
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            return err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", p, strerror(errno));
    }
    return CORDON_OK;
}

cordon_store *cordon_store_open(const char *conn, cordon_error *err)
{
    if (!conn || !*conn) {
        err_set(err, CORDON_ERR_INVALID, "store: empty connection string");
        return NULL;
    }
    if (strncmp(conn, "sqlite:", 7) == 0)
        conn += 7;
    else if (strstr(conn, "://") || strncmp(conn, "postgres", 8) == 0) {
        err_set(err, CORDON_ERR_INVALID,
                "store '%s': only SQLite (a directory) is built into this cordon", conn);
        return NULL;
    }
    cordon_store *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    snprintf(s->dir, sizeof s->dir, "%s", conn);
    if (make_dirs(s->dir, err) != CORDON_OK) {
        free(s);
        return NULL;
    }
    char path[PATH_MAX + 16];
    snprintf(path, sizeof path, "%s/cordon.db", s->dir);
    if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        err_set(err, CORDON_ERR_IO, "%s: %s", path, s->db ? sqlite3_errmsg(s->db) : "cannot open");
        cordon_store_close(s);
        return NULL;
    }
    sqlite3_busy_timeout(s->db, 10000);
    if (store_exec(s, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                      "PRAGMA foreign_keys = ON;", err) != CORDON_OK ||
        migrate(s, err) != CORDON_OK) {
        cordon_store_close(s);
        return NULL;
    }
    return s;
}

void cordon_store_close(cordon_store *s)
{
    if (!s)
        return;
    sqlite3_close_v2(s->db);
    free(s);
}

const char *cordon_store_default(char *out, size_t len)
{
    const char *env = getenv("CORDON_STORE");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return out;
    }
    char snap[PATH_MAX];
    cordon_default_snapshot(snap, sizeof snap);
    char *slash = strrchr(snap, '/');
    if (slash)
        *slash = 0;
    snprintf(out, len, "%s/store", slash ? snap : ".");
    return out;
}

const char *cordon_store_dir(const cordon_store *s) { return s->dir; }
int cordon_store_schema_version(const cordon_store *s) { return s->schema; }

/* ---- audit chain -------------------------------------------------------------------------- */

/* The hashed form of a record: every field length-prefixed, so no separator can be forged. */
static bool audit_hash(const char *prev, int64_t seq, const char *at, const char *actor,
                       const char *action, const char *subject, const char *detail,
                       char out[65])
{
    buf b = {0};
    const char *f[] = {prev, at, actor, action, subject, detail};
    bool ok = buf_printf(&b, "%lld\n", (long long)seq);
    for (size_t i = 0; ok && i < ARRAY_LEN(f); i++)
        ok = buf_printf(&b, "%zu:%s\n", strlen(f[i]), f[i]);
    ok = ok && sha256_hex(b.data, b.len, out);
    buf_free(&b);
    return ok;
}

cordon_status store_audit_add(cordon_store *s, const char *actor, const char *action,
                              const char *subject, const char *detail, cordon_error *err)
{
    char prev[65] = "", hash[65], at[32];
    int64_t seq = 1;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", -1,
                           &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "audit");
    if (sqlite3_step(st) == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0) + 1;
        snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_finalize(st);
    store_now(at);
    if (!audit_hash(prev, seq, at, actor, action, subject, detail, hash))
        return err_set(err, CORDON_ERR_NOMEM, "audit: cannot hash the record");
    if (sqlite3_prepare_v2(s->db, "INSERT INTO audit(seq, at, actor, action, subject, detail,"
                                  " prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "audit");
    const char *vals[] = {at, actor, action, subject, detail, prev, hash};
    sqlite3_bind_int64(st, 1, seq);
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(st, i + 2, vals[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? CORDON_OK : store_db_error(s, err, "audit append");
}

cordon_status cordon_store_audit(cordon_store *s, const char *actor, const char *action,
                                 const char *subject, const char *detail, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    if (!actor || !*actor || !action || !*action)
        return err_set(err, CORDON_ERR_INVALID, "audit: actor and action are required");
    if (store_begin(s, err) != CORDON_OK)
        return err->status;
    if (store_audit_add(s, actor, action, subject ? subject : "", detail ? detail : "", err) !=
        CORDON_OK) {
        store_rollback(s);
        return err ? err->status : CORDON_ERR_IO;
    }
    return store_commit(s, err);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

cordon_status cordon_store_audit_verify(cordon_store *s, uint64_t *records, cordon_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT seq, at, actor, action, subject, detail, prev_hash,"
                                  " hash FROM audit ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "audit");
    char prev[65] = "";
    int64_t expect = 1;
    uint64_t n = 0;
    cordon_status rc = CORDON_OK;
    int step;
    while (rc == CORDON_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        const char *action = col_text(st, 3), *subject = col_text(st, 4);
        char hash[65];
        if (seq != expect)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s/cordon.db: audit record %lld is missing (next is %lld): records "
                         "were removed", s->dir, (long long)expect, (long long)seq);
        else if (strcmp(col_text(st, 6), prev) != 0)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s/cordon.db: audit record %lld (%s %s): previous hash does not "
                         "match record %lld", s->dir, (long long)seq, action, subject,
                         (long long)seq - 1);
        else if (!audit_hash(prev, seq, col_text(st, 1), col_text(st, 2), action, subject,
                             col_text(st, 5), hash) ||
                 strcmp(hash, col_text(st, 7)) != 0)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s/cordon.db: audit record %lld (%s %s) was altered: its hash does "
                         "not match its content", s->dir, (long long)seq, action, subject);
        snprintf(prev, sizeof prev, "%s", col_text(st, 7));
        expect = seq + 1;
        n++;
    }
    sqlite3_finalize(st);
    if (records)
        *records = n;
    return rc;
}

/* ---- decisions ---------------------------------------------------------------------------- */

static bool valid_outcome(const char *o)
{
    return o && (strcmp(o, "false_positive") == 0 || strcmp(o, "true_match") == 0 ||
                 strcmp(o, "escalated") == 0);
}

static cordon_status decide_in_tx(cordon_store *s, const cordon_decision *d, cordon_error *err)
{
    char at[32];
    store_now(at);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO decisions(alert_id, who, outcome, reason,"
                                  " second_approver, decided_at) VALUES(?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "decide");
    sqlite3_bind_int64(st, 1, d->alert_id);
    sqlite3_bind_text(st, 2, d->who, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->reason, -1, SQLITE_STATIC);
    if (d->second_approver && *d->second_approver)
        sqlite3_bind_text(st, 5, d->second_approver, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_db_error(s, err, "decide");
    if (sqlite3_prepare_v2(s->db, "UPDATE alerts SET status = 'decided', outcome = ? WHERE id = ?",
                           -1, &st, NULL) != SQLITE_OK)
        return store_db_error(s, err, "decide");
    sqlite3_bind_text(st, 1, d->outcome, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, d->alert_id);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return store_db_error(s, err, "decide");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "who", d->who, "outcome", d->outcome,
                          "reason", d->reason, "second_approver",
                          d->second_approver && *d->second_approver ? d->second_approver : NULL);
    char *detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    char subject[48];
    snprintf(subject, sizeof subject, "alert %lld", (long long)d->alert_id);
    cordon_status r = detail ? store_audit_add(s, d->who, "decide", subject, detail, err)
                             : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    free(detail);
    return r;
}

static bool alert_exists(cordon_store *s, int64_t id)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM alerts WHERE id = ?", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        found = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return found;
}

cordon_status cordon_store_decide(cordon_store *s, const cordon_decision *d, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    if (!d || !d->who || str_is_blank(d->who))
        return err_set(err, CORDON_ERR_INVALID, "decision: who decided is required");
    if (!valid_outcome(d->outcome))
        return err_set(err, CORDON_ERR_INVALID,
                       "decision: outcome '%s' is not false_positive, true_match or escalated",
                       d->outcome ? d->outcome : "");
    if (!d->reason || str_is_blank(d->reason))
        return err_set(err, CORDON_ERR_INVALID, "decision: a reason is required");
    if (d->second_approver && *d->second_approver && strcmp(d->second_approver, d->who) == 0)
        return err_set(err, CORDON_ERR_INVALID,
                       "decision: the second approver must be another person than '%s'", d->who);
    if (store_begin(s, err) != CORDON_OK)
        return err->status;
    if (!alert_exists(s, d->alert_id)) {
        store_rollback(s);
        return err_set(err, CORDON_ERR_NOTFOUND, "alert %lld does not exist",
                       (long long)d->alert_id);
    }
    cordon_status st = decide_in_tx(s, d, err);
    if (st != CORDON_OK) {
        store_rollback(s);
        return st;
    }
    return store_commit(s, err);
}

uint64_t cordon_store_counterparty_count(cordon_store *s)
{
    sqlite3_stmt *st = NULL;
    uint64_t n = 0;
    if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM counterparties", -1, &st, NULL) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}
