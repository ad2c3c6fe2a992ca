/* store.c - opening the case store (SQLite in a directory, or PostgreSQL), versioned
 * migrations, the hash-chained audit log and decisions. The read views (alerts,
 * counterparties, audit, versions) are in views.c; the SQL goes through db.h. */
#include "store.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Each migration moves the schema from version i to i+1; never edit one that has shipped.
 * `sql` is for both dialects, with the column types that differ written as {id} (SQLite
 * INTEGER PRIMARY KEY, PostgreSQL BIGINT identity), {int} (INTEGER / BIGINT) and {real}
 * (REAL / DOUBLE PRECISION); `sqlite` and `pg` hold what only one dialect says (the
 * append-only triggers: SQLite trigger bodies, PostgreSQL trigger functions). */
typedef struct {
    const char *sql, *sqlite, *pg;
} migration;

static const migration migrations[] = {
    {/* 1: the whole case model */
     "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
     "CREATE TABLE counterparties(id {id}, ref TEXT NOT NULL UNIQUE,"
     " name TEXT NOT NULL, type TEXT, dob TEXT, country TEXT, ident TEXT,"
     " row_hash TEXT NOT NULL, pending {int} NOT NULL DEFAULT 1,"
     " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
     "CREATE TABLE screenings(id {id}, kind TEXT NOT NULL, snapshot TEXT NOT NULL,"
     " started_at TEXT NOT NULL, finished_at TEXT, counterparties {int}, entries {int},"
     " hits {int}, new_alerts {int}, threshold {real});"
     "CREATE TABLE alerts(id {id},"
     " counterparty_id {int} NOT NULL REFERENCES counterparties(id),"
     " screening_id {int} REFERENCES screenings(id), source TEXT NOT NULL,"
     " source_id TEXT NOT NULL, listed_name TEXT, matched_name TEXT, score {real},"
     " entity_json TEXT, status TEXT NOT NULL DEFAULT 'open', outcome TEXT,"
     " created_at TEXT NOT NULL, UNIQUE(counterparty_id, source, source_id));"
     "CREATE TABLE decisions(id {id}, alert_id {int} NOT NULL REFERENCES"
     " alerts(id), who TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL,"
     " second_approver TEXT, decided_at TEXT NOT NULL);"
     "CREATE TABLE list_versions(id {id}, version TEXT NOT NULL UNIQUE,"
     " snapshot_file TEXT NOT NULL, checksum TEXT NOT NULL, entities {int},"
     " previous_file TEXT, added {int}, removed {int}, changed {int},"
     " created_at TEXT NOT NULL, rescreen_pending {int} NOT NULL DEFAULT 1);"
     "CREATE TABLE source_state(name TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
     " sha256 TEXT, fetched_at TEXT);"
     "CREATE TABLE audit(seq {id}, at TEXT NOT NULL, actor TEXT NOT NULL,"
     " action TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL,"
     " prev_hash TEXT NOT NULL, hash TEXT NOT NULL);",
     /* sqlite */
     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
     " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
     " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
     "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions"
     " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;"
     "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions"
     " BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;",
     /* pg: the same refusals (TRUNCATE too, which skips row triggers), and SQLite's instr()
      * for the views */
     "CREATE FUNCTION cordon_refuse() RETURNS trigger LANGUAGE plpgsql AS"
     " $$BEGIN RAISE EXCEPTION '%', TG_ARGV[0]; END$$;"
     "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW"
     " EXECUTE FUNCTION cordon_refuse('the audit log is append-only');"
     "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW"
     " EXECUTE FUNCTION cordon_refuse('the audit log is append-only');"
     "CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit FOR EACH STATEMENT"
     " EXECUTE FUNCTION cordon_refuse('the audit log is append-only');"
     "CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions FOR EACH ROW"
     " EXECUTE FUNCTION cordon_refuse('decisions are append-only');"
     "CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions FOR EACH ROW"
     " EXECUTE FUNCTION cordon_refuse('decisions are append-only');"
     "CREATE TRIGGER decisions_no_truncate BEFORE TRUNCATE ON decisions FOR EACH STATEMENT"
     " EXECUTE FUNCTION cordon_refuse('decisions are append-only');"
     "CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE"
     " AS 'SELECT strpos($1, $2)';"},
    {/* 2: the views the alert queue and the re-screen read most */
     "CREATE INDEX alerts_status ON alerts(status, id);"
     "CREATE INDEX counterparties_pending ON counterparties(pending) WHERE pending = 1;"
     "CREATE INDEX decisions_alert ON decisions(alert_id, id);",
     NULL, NULL},
};

/* The migration's common SQL with the dialect's column types. */
static char *expand(const char *sql, db_dialect k)
{
    static const char *const tokens[][3] = {
        {"{id}", "INTEGER PRIMARY KEY", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"},
        {"{int}", "INTEGER", "BIGINT"},
        {"{real}", "REAL", "DOUBLE PRECISION"},
    };
    buf b = {0};
    bool ok = true;
    for (const char *p = sql; *p && ok;) {
        size_t t = 0;
        while (t < ARRAY_LEN(tokens) && strncmp(p, tokens[t][0], strlen(tokens[t][0])) != 0)
            t++;
        if (t < ARRAY_LEN(tokens)) {
            ok = buf_printf(&b, "%s", tokens[t][k == DB_PG ? 2 : 1]);
            p += strlen(tokens[t][0]);
        } else {
            ok = buf_printf(&b, "%c", *p++);
        }
    }
    if (!ok || !b.data) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

cordon_status store_db_error(cordon_store *s, cordon_error *err, const char *what)
{
    return err_set(err, CORDON_ERR_IO, "%s: %s: %s", s->name, what, db_errmsg(s->db));
}

cordon_status store_exec(cordon_store *s, const char *sql, cordon_error *err)
{
    if (db_exec(s->db, sql) == 0)
        return CORDON_OK;
    return err_set(err, CORDON_ERR_IO, "%s: %s", s->name, db_errmsg(s->db));
}

db_stmt *store_prepare(cordon_store *s, const char *sql, const char *what, cordon_error *err)
{
    db_stmt *st = db_prepare(s->db, sql);
    if (!st && err)
        store_db_error(s, err, what);
    return st;
}

cordon_status store_begin(cordon_store *s, cordon_error *err)
{
    if (db_begin(s->db) == 0)
        return CORDON_OK;
    return err_set(err, CORDON_ERR_IO, "%s: %s", s->name, db_errmsg(s->db));
}

cordon_status store_commit(cordon_store *s, cordon_error *err)
{
    if (db_commit(s->db) == 0)
        return CORDON_OK;
    return err_set(err, CORDON_ERR_IO, "%s: %s", s->name, db_errmsg(s->db));
}

void store_rollback(cordon_store *s) { db_rollback(s->db); }

int64_t store_limit(size_t limit) { return limit && limit < INT64_MAX ? (int64_t)limit : INT64_MAX; }

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
    db_stmt *st = store_prepare(s, "INSERT INTO meta(key, value) VALUES(?, ?)"
                                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                "meta", err);
    if (!st)
        return err ? err->status : CORDON_ERR_IO;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, value);
    db_step_rc rc = db_step(st);
    cordon_status r = rc == DB_DONE ? CORDON_OK : store_db_error(s, err, "meta");
    db_finalize(st);
    return r;
}

bool store_meta_get(cordon_store *s, const char *key, char *out, size_t cap)
{
    db_stmt *st = store_prepare(s, "SELECT value FROM meta WHERE key = ?", "meta", NULL);
    bool found = false;
    if (st) {
        db_bind_text(st, 1, key);
        if (db_step(st) == DB_ROW) {
            snprintf(out, cap, "%s", db_column_text(st, 0));
            found = true;
        }
    }
    db_finalize(st);
    return found;
}

/* ---- opening and migrations ------------------------------------------------------------- */

/* SQLite keeps the version in PRAGMA user_version; PostgreSQL in a row per applied migration
 * of cordon_schema (created here, inside the migration's locked transaction). */
static int schema_version(cordon_store *s)
{
    const char *sql = db_kind(s->db) == DB_PG
                          ? "SELECT coalesce(max(version), 0) FROM cordon_schema"
                          : "PRAGMA user_version";
    if (db_kind(s->db) == DB_PG &&
        db_exec(s->db, "CREATE TABLE IF NOT EXISTS cordon_schema(version INTEGER PRIMARY KEY,"
                       " applied_at TEXT NOT NULL)") != 0)
        return -1;
    db_stmt *st = db_prepare(s->db, sql);
    int v = st && db_step(st) == DB_ROW ? (int)db_column_int64(st, 0) : -1;
    db_finalize(st);
    return v;
}

static cordon_status set_schema_version(cordon_store *s, int v, cordon_error *err)
{
    char sql[128], at[32];
    store_now(at);
    if (db_kind(s->db) == DB_PG)
        snprintf(sql, sizeof sql, "INSERT INTO cordon_schema(version, applied_at) VALUES(%d, '%s')",
                 v, at);
    else
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
    return store_exec(s, sql, err);
}

static cordon_status migrate_one(cordon_store *s, const migration *m, int v, cordon_error *err)
{
    char *sql = expand(m->sql, db_kind(s->db));
    if (!sql)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    const char *own = db_kind(s->db) == DB_PG ? m->pg : m->sqlite;
    char detail[64];
    snprintf(detail, sizeof detail, "schema %d -> %d", v, v + 1);
    cordon_status rc = store_exec(s, sql, err);
    free(sql);
    if (rc == CORDON_OK && own)
        rc = store_exec(s, own, err);
    if (rc == CORDON_OK)
        rc = set_schema_version(s, v + 1, err);
    if (rc == CORDON_OK)
        rc = store_audit_add(s, "cordon", "migrate", "schema", detail, err);
    return rc;
}

static cordon_status migrate(cordon_store *s, cordon_error *err)
{
    int target = (int)ARRAY_LEN(migrations);
    if (store_begin(s, err) != CORDON_OK)
        return err ? err->status : CORDON_ERR_IO;
    int v = schema_version(s);
    if (v < 0) {
        cordon_status rc = store_db_error(s, err, "schema version");
        store_rollback(s);
        return rc;
    }
    if (v > target) {
        store_rollback(s);
        return err_set(err, CORDON_ERR_FORMAT,
                       "%s: schema version %d is newer than this cordon knows (%d)", s->name, v,
                       target);
    }
    for (; v < target; v++)
        if (migrate_one(s, &migrations[v], v, err) != CORDON_OK) {
            store_rollback(s);
            err_prefix(err, "migration %d", v + 1);
            return err ? err->status : CORDON_ERR_IO;
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

/* A libpq connection string: a postgres[ql]:// URI or keywords (host=..., dbname=...). */
static bool is_postgres(const char *conn)
{
    static const char *const starts[] = {"postgres://", "postgresql://", "host=", "hostaddr=",
                                         "dbname=", "user=", "port=", "service="};
    for (size_t i = 0; i < ARRAY_LEN(starts); i++)
        if (strncmp(conn, starts[i], strlen(starts[i])) == 0)
            return true;
    return false;
}

/* "store" beside the default snapshot. */
static void default_dir(char *out, size_t len)
{
    char snap[PATH_MAX];
    cordon_default_snapshot(snap, sizeof snap);
    char *slash = strrchr(snap, '/');
    if (slash)
        *slash = 0;
    snprintf(out, len, "%s/store", slash ? snap : ".");
}

cordon_store *cordon_store_open(const char *conn, cordon_error *err)
{
    if (!conn || !*conn) {
        err_set(err, CORDON_ERR_INVALID, "store: empty connection string");
        return NULL;
    }
    bool pg = is_postgres(conn);
    if (strncmp(conn, "sqlite:", 7) == 0)
        conn += 7;
    else if (!pg && strstr(conn, "://")) {
        err_set(err, CORDON_ERR_INVALID,
                "store: unknown connection string scheme (a directory, sqlite:DIR, "
                "postgresql://... or host=... dbname=...)");
        return NULL;
    }
    cordon_store *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    /* PostgreSQL holds the tables; the files still need a directory */
    const char *files = getenv("CORDON_STORE_DIR");
    if (!pg)
        snprintf(s->dir, sizeof s->dir, "%s", conn);
    else if (files && *files)
        snprintf(s->dir, sizeof s->dir, "%s", files);
    else
        default_dir(s->dir, sizeof s->dir);
    if (make_dirs(s->dir, err) != CORDON_OK) {
        free(s);
        return NULL;
    }
    char msg[1024];
    if (pg) {
        db_pg_describe(conn, s->name, sizeof s->name);
        s->db = db_open_pg(conn, msg, sizeof msg);
    } else {
        snprintf(s->name, sizeof s->name, "%s/cordon.db", s->dir);
        s->db = db_open_sqlite(s->name, msg, sizeof msg);
    }
    if (!s->db) {
        err_set(err, CORDON_ERR_IO, "%s: %s", s->name, msg);
        free(s);
        return NULL;
    }
    if (migrate(s, err) != CORDON_OK) {
        cordon_store_close(s);
        return NULL;
    }
    return s;
}

void cordon_store_close(cordon_store *s)
{
    if (!s)
        return;
    db_close(s->db);
    free(s);
}

const char *cordon_store_default(char *out, size_t len)
{
    const char *env = getenv("CORDON_STORE");
    if (env && *env)
        snprintf(out, len, "%s", env);
    else
        default_dir(out, len);
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
    /* the writer's transaction holds the one-writer lock, so this is the chain's head */
    db_stmt *st = store_prepare(s, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1",
                                "audit", err);
    if (!st)
        return err ? err->status : CORDON_ERR_IO;
    db_step_rc step = db_step(st);
    if (step == DB_ROW) {
        seq = db_column_int64(st, 0) + 1;
        snprintf(prev, sizeof prev, "%s", db_column_text(st, 1));
    }
    db_finalize(st);
    if (step == DB_ERROR)
        return store_db_error(s, err, "audit");
    store_now(at);
    if (!audit_hash(prev, seq, at, actor, action, subject, detail, hash))
        return err_set(err, CORDON_ERR_NOMEM, "audit: cannot hash the record");
    st = store_prepare(s, "INSERT INTO audit(seq, at, actor, action, subject, detail,"
                          " prev_hash, hash) VALUES(?, ?, ?, ?, ?, ?, ?, ?)", "audit", err);
    if (!st)
        return err ? err->status : CORDON_ERR_IO;
    const char *vals[] = {at, actor, action, subject, detail, prev, hash};
    db_bind_int64(st, 1, seq);
    for (int i = 0; i < 7; i++)
        db_bind_text(st, i + 2, vals[i]);
    cordon_status rc = db_step(st) == DB_DONE ? CORDON_OK : store_db_error(s, err, "audit append");
    db_finalize(st);
    return rc;
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

static const char *col_text(db_stmt *st, int i)
{
    const char *t = db_column_text(st, i);
    return t ? t : "";
}

cordon_status cordon_store_audit_verify(cordon_store *s, uint64_t *records, cordon_error *err)
{
    db_stmt *st = store_prepare(s, "SELECT seq, at, actor, action, subject, detail, prev_hash,"
                                   " hash FROM audit ORDER BY seq", "audit", err);
    if (!st)
        return err ? err->status : CORDON_ERR_IO;
    char prev[65] = "";
    int64_t expect = 1;
    uint64_t n = 0;
    cordon_status rc = CORDON_OK;
    db_step_rc step = DB_DONE;
    while (rc == CORDON_OK && (step = db_step(st)) == DB_ROW) {
        int64_t seq = db_column_int64(st, 0);
        const char *action = col_text(st, 3), *subject = col_text(st, 4);
        char hash[65];
        if (seq != expect)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s: audit record %lld is missing (next is %lld): records "
                         "were removed", s->name, (long long)expect, (long long)seq);
        else if (strcmp(col_text(st, 6), prev) != 0)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s: audit record %lld (%s %s): previous hash does not "
                         "match record %lld", s->name, (long long)seq, action, subject,
                         (long long)seq - 1);
        else if (!audit_hash(prev, seq, col_text(st, 1), col_text(st, 2), action, subject,
                             col_text(st, 5), hash) ||
                 strcmp(hash, col_text(st, 7)) != 0)
            rc = err_set(err, CORDON_ERR_FORMAT,
                         "%s: audit record %lld (%s %s) was altered: its hash does "
                         "not match its content", s->name, (long long)seq, action, subject);
        snprintf(prev, sizeof prev, "%s", col_text(st, 7));
        expect = seq + 1;
        n++;
    }
    if (rc == CORDON_OK && step == DB_ERROR)
        rc = store_db_error(s, err, "audit");
    db_finalize(st);
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
    db_stmt *st = store_prepare(s, "INSERT INTO decisions(alert_id, who, outcome, reason,"
                                   " second_approver, decided_at) VALUES(?, ?, ?, ?, ?, ?)",
                                "decide", err);
    if (!st)
        return err->status;
    db_bind_int64(st, 1, d->alert_id);
    db_bind_text(st, 2, d->who);
    db_bind_text(st, 3, d->outcome);
    db_bind_text(st, 4, d->reason);
    db_bind_text(st, 5, d->second_approver && *d->second_approver ? d->second_approver : NULL);
    db_bind_text(st, 6, at);
    db_step_rc rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
        return store_db_error(s, err, "decide");
    st = store_prepare(s, "UPDATE alerts SET status = 'decided', outcome = ? WHERE id = ?",
                       "decide", err);
    if (!st)
        return err->status;
    db_bind_text(st, 1, d->outcome);
    db_bind_int64(st, 2, d->alert_id);
    rc = db_step(st);
    db_finalize(st);
    if (rc != DB_DONE)
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
    db_stmt *st = store_prepare(s, "SELECT 1 FROM alerts WHERE id = ?", "alert", NULL);
    bool found = false;
    if (st) {
        db_bind_int64(st, 1, id);
        found = db_step(st) == DB_ROW;
    }
    db_finalize(st);
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
    db_stmt *st = store_prepare(s, "SELECT count(*) FROM counterparties", "count", NULL);
    uint64_t n = st && db_step(st) == DB_ROW ? (uint64_t)db_column_int64(st, 0) : 0;
    db_finalize(st);
    return n;
}
