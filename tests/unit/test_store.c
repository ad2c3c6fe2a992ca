/* test_store.c - the case store: migrations, counterparty import (CSV, JSON lines, bad input
 * naming file and line), re-screening against the real UN list, the delta between two
 * snapshots, decisions, the hash-chained audit log (tampering is detected and named) and
 * concurrent writers keeping one chain. Every test runs on SQLite; with CORDON_TEST_PG set
 * (tests/support/pg.sh does, ctest's test_store_pg) every test runs on PostgreSQL instead,
 * each in a database of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cordon.h"

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define UN_XML CORDON_DATA_DIR "/lists/un/consolidated_2026-02-27.xml"
#define FX CORDON_TEST_DIR "/fixtures/update"

typedef struct {
    char dir[256];
    char conn[512]; /* the store's connection string: dir, or a PostgreSQL database */
    char dbname[64];
    cordon_store *s;
} fixture;

static char un_snap[256];
static const char *pg_admin; /* CORDON_TEST_PG: a superuser connection; NULL: SQLite */

/* Runs SQL on the admin connection (CREATE/DROP DATABASE). */
static void pg_admin_exec(const char *sql)
{
    PGconn *c = PQconnectdb(pg_admin);
    if (PQstatus(c) != CONNECTION_OK)
        fail_msg("PostgreSQL at CORDON_TEST_PG: %s", PQerrorMessage(c));
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) != PGRES_COMMAND_OK)
        fail_msg("%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
}

/* The store's own database as a keyword connection string (the e2e test uses the URI form). */
static void pg_conn_for(const char *dbname, char *out, size_t cap)
{
    PQconninfoOption *o = PQconninfoParse(pg_admin, NULL);
    assert_non_null(o);
    const char *host = "127.0.0.1", *port = "5432", *user = "postgres";
    for (PQconninfoOption *i = o; i->keyword; i++) {
        if (!i->val)
            continue;
        if (strcmp(i->keyword, "host") == 0)
            host = i->val;
        else if (strcmp(i->keyword, "port") == 0)
            port = i->val;
        else if (strcmp(i->keyword, "user") == 0)
            user = i->val;
    }
    snprintf(out, cap, "host=%s port=%s user=%s dbname=%s", host, port, user, dbname);
    PQconninfoFree(o);
}

/* Raw SQL behind the store's back (the tamper tests); 0 when it succeeded. */
static int raw_sql(const fixture *f, const char *sql)
{
    if (pg_admin) {
        PGconn *c = PQconnectdb(f->conn);
        assert_int_equal(PQstatus(c), CONNECTION_OK);
        PGresult *r = PQexec(c, sql);
        int rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK
                     ? 0 : -1;
        PQclear(r);
        PQfinish(c);
        return rc;
    }
    char db[512];
    snprintf(db, sizeof db, "%s/cordon.db", f->dir);
    sqlite3 *h;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    int rc = sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
    sqlite3_close(h);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static cordon_engine *build_snapshot(const char *out, const cordon_source_spec *specs, size_t n)
{
    cordon_error err = {0};
    cordon_builder *b = cordon_builder_new();
    for (size_t i = 0; i < n; i++)
        assert_int_equal(cordon_builder_add(b, &specs[i], &err), CORDON_OK);
    assert_int_equal(cordon_builder_write(b, out, &err), CORDON_OK);
    cordon_builder_free(b);
    cordon_engine *e = cordon_engine_open(out, &err);
    assert_non_null(e);
    return e;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/cordon-store-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->conn, sizeof f->conn, "%s", f->dir);
    if (pg_admin) {
        static int n;
        char sql[128];
        snprintf(f->dbname, sizeof f->dbname, "cordon_test_%ld_%d", (long)getpid(), ++n);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", f->dbname);
        pg_admin_exec(sql);
        pg_conn_for(f->dbname, f->conn, sizeof f->conn);
        setenv("CORDON_STORE_DIR", f->dir, 1); /* the files beside the PostgreSQL tables */
    }
    cordon_error err = {0};
    f->s = cordon_store_open(f->conn, &err);
    if (!f->s)
        fail_msg("%s", err.message);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    cordon_store_close(f->s);
    if (pg_admin) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE %s WITH (FORCE)", f->dbname);
        pg_admin_exec(sql);
    }
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(f);
    return 0;
}

static void test_migrations(void **state)
{
    fixture *f = *state;
    assert_int_equal(cordon_store_schema_version(f->s), 2);
    /* reopening applies nothing new and keeps the chain valid */
    cordon_error err = {0};
    cordon_store *again = cordon_store_open(f->conn, &err);
    assert_non_null(again);
    assert_int_equal(cordon_store_schema_version(again), 2);
    uint64_t n = 0;
    assert_int_equal(cordon_store_audit_verify(again, &n, &err), CORDON_OK);
    assert_int_equal(n, 2); /* one record per migration */
    cordon_store_close(again);
    assert_null(cordon_store_open("mysql://localhost/x", &err));
    assert_int_equal(err.status, CORDON_ERR_INVALID);
    /* a PostgreSQL store that cannot be reached: named, and the password never shown */
    assert_null(cordon_store_open("postgresql://alice:s3cretpw@127.0.0.1:1/x", &err));
    assert_int_equal(err.status, CORDON_ERR_IO);
    assert_non_null(strstr(err.message, "postgresql://alice@127.0.0.1:1/x"));
    assert_null(strstr(err.message, "s3cretpw"));
    assert_null(cordon_store_open("host=127.0.0.1 port=1 password=s3cretpw dbname=x", &err));
    assert_null(strstr(err.message, "s3cretpw"));
    assert_null(cordon_store_open("host=127.0.0.1 password=s3cret pw", &err)); /* unparsable */
    assert_null(strstr(err.message, "s3cret"));
}

static void test_import(void **state)
{
    fixture *f = *state;
    cordon_error err = {0};
    cordon_store_import_stats st;
    assert_int_equal(cordon_store_import(f->s, FX "/counterparties.csv", "t", &st, &err), CORDON_OK);
    assert_int_equal(st.rows, 8);
    assert_int_equal(st.inserted, 8);
    assert_int_equal(cordon_store_import(f->s, FX "/counterparties_update.jsonl", "t", &st, &err),
                     CORDON_OK);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(cordon_store_counterparty_count(f->s), 9);
    /* re-importing the same file changes nothing */
    assert_int_equal(cordon_store_import(f->s, FX "/counterparties.csv", "t", &st, &err), CORDON_OK);
    assert_int_equal(st.unchanged, 7);
    assert_int_equal(st.updated, 1); /* C-1003 goes back to its CSV name */
}

/* Rows are written in batches of 500: counts across batch boundaries, and a ref repeated in
 * one file counts as it would row by row (the later row wins). */
static void test_import_batches(void **state)
{
    fixture *f = *state;
    char path[512];
    snprintf(path, sizeof path, "%s/many.csv", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("ref,name\n", fp);
    for (int i = 0; i < 1200; i++)
        fprintf(fp, "R%d,Name %d\n", i, i);
    fputs("R5,Name 5 Renamed\nR700,Name 700\n", fp);
    fclose(fp);
    cordon_error err = {0};
    cordon_store_import_stats st;
    assert_int_equal(cordon_store_import(f->s, path, "t", &st, &err), CORDON_OK);
    assert_int_equal(st.rows, 1202);
    assert_int_equal(st.inserted, 1200);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(cordon_store_counterparty_count(f->s), 1200);
    char *json = cordon_store_counterparties_json(f->s, "R5", 0, 0, &err);
    assert_non_null(strstr(json, "\"name\":\"Name 5 Renamed\""));
    free(json);
    json = cordon_store_counterparties_json(f->s, NULL, 1199, 0, &err); /* import order */
    assert_non_null(strstr(json, "\"ref\":\"R1199\""));
    free(json);
    /* the pending marks clear in batches too: all 1,200, then none left */
    cordon_engine *e = cordon_engine_open(un_snap, &err);
    assert_non_null(e);
    cordon_rescreen_stats rs;
    assert_int_equal(cordon_store_rescreen(f->s, e, CORDON_RESCREEN_PENDING, -1, 2, &rs, &err), CORDON_OK);
    assert_int_equal(rs.counterparties, 1200);
    assert_int_equal(cordon_store_rescreen(f->s, e, CORDON_RESCREEN_PENDING, -1, 2, &rs, &err), CORDON_OK);
    assert_int_equal(rs.counterparties, 0);
    cordon_engine_close(e);
    assert_int_equal(cordon_store_import(f->s, path, "t", &st, &err), CORDON_OK);
    assert_int_equal(st.inserted, 0);
    assert_int_equal(st.updated, 2); /* R5 back to "Name 5", then renamed again */
    assert_int_equal(st.unchanged, 1200);
    json = cordon_store_counterparties_json(f->s, "R5", 0, 0, &err);
    assert_non_null(strstr(json, "\"pending\":1")); /* changed: to be screened again */
    free(json);
}

static void expect_import_error(cordon_store *s, const char *path, const char *text,
                                const char *want)
{
    cordon_error err = {0};
    write_file(path, text);
    assert_int_not_equal(cordon_store_import(s, path, "t", NULL, &err), CORDON_OK);
    if (!strstr(err.message, want))
        fail_msg("'%s' does not contain '%s'", err.message, want);
}

static void test_import_bad(void **state)
{
    fixture *f = *state;
    char p[512];
    snprintf(p, sizeof p, "%s/bad.csv", f->dir);
    expect_import_error(f->s, p, "", "bad.csv:1: empty file");
    expect_import_error(f->s, p, "ref,name\nA,Alpha\nB\n", "bad.csv:3: 1 fields, the header has 2");
    expect_import_error(f->s, p, "ref,name,type\nA,Alpha,spaceship\n", "bad.csv:2: `type` 'spaceship'");
    expect_import_error(f->s, p, "ref,name,id\nA,Alpha,12345\n", "bad.csv:2: `id` '12345' is not TYPE:VALUE");
    expect_import_error(f->s, p, "name,type\nAlpha,person\n", "bad.csv:1: the header needs `ref` and `name`");
    expect_import_error(f->s, p, "ref,name\nA,\xff\xfe\n", "bad.csv:2");
    snprintf(p, sizeof p, "%s/bad.jsonl", f->dir);
    expect_import_error(f->s, p, "{\"ref\":\"A\",\"name\":\"Alpha\"}\n{\"ref\":\"B\",\"name\":5.5}\n",
                        "bad.jsonl:2: `name` must be a string");
    expect_import_error(f->s, p, "{\"ref\":\"A\",\"name\":\"Alpha\"}\n{broken\n", "bad.jsonl:2: not a JSON object");
    /* nothing of a failed import is kept */
    assert_int_equal(cordon_store_counterparty_count(f->s), 0);
}

static void test_rescreen_un(void **state)
{
    fixture *f = *state;
    cordon_error err = {0};
    char path[512];
    snprintf(path, sizeof path, "%s/cp.csv", f->dir);
    write_file(path, "ref,name,type,country\n"
                     "K1,Korea Mining Development Trading Corporation,organization,KP\n"
                     "G1,Greenfield Bakery Supplies,organization,IE\n");
    assert_int_equal(cordon_store_import(f->s, path, "t", NULL, &err), CORDON_OK);
    cordon_engine *e = cordon_engine_open(un_snap, &err);
    assert_non_null(e);
    cordon_rescreen_stats st;
    assert_int_equal(cordon_store_rescreen(f->s, e, CORDON_RESCREEN_PENDING, -1, 2, &st, &err),
                     CORDON_OK);
    assert_int_equal(st.counterparties, 2);
    assert_int_equal(st.entries, 1003);
    assert_int_equal(st.new_alerts, 1);
    char *json = cordon_store_alerts_json(f->s, "open", 0, &err);
    assert_non_null(strstr(json, "\"source_id\":\"KPe.001\""));
    assert_non_null(strstr(json, "\"ref\":\"K1\""));
    free(json);
    /* nothing pending any more; a full run finds the same hit and raises nothing new */
    assert_int_equal(cordon_store_rescreen(f->s, e, CORDON_RESCREEN_PENDING, -1, 2, &st, &err), CORDON_OK);
    assert_int_equal(st.counterparties, 0);
    assert_int_equal(cordon_store_rescreen(f->s, e, CORDON_RESCREEN_FULL, -1, 2, &st, &err), CORDON_OK);
    assert_int_equal(st.hits, 1);
    assert_int_equal(st.new_alerts, 0);
    /* a delta against itself screens nothing */
    assert_int_equal(cordon_store_rescreen_delta(f->s, e, e, -1, 2, &st, &err), CORDON_OK);
    assert_int_equal(st.entries, 0);
    assert_int_equal(st.hits, 0);
    cordon_engine_close(e);
}

static int count_sink(void *ctx, cordon_diff_kind k, const char *src, const char *id, size_t oi,
                      size_t ni)
{
    char *log = ctx;
    size_t len = strlen(log);
    snprintf(log + len, 512 - len, "%s %s:%s;", cordon_diff_kind_name(k), src, id);
    return 0;
}

static void test_diff_and_delta(void **state)
{
    fixture *f = *state;
    char a[512], b[512];
    snprintf(a, sizeof a, "%s/v1.snap", f->dir);
    snprintf(b, sizeof b, "%s/v2.snap", f->dir);
    cordon_source_spec v1[] = {{"un", "un-xml", UN_XML}, {"mine", "user-csv", FX "/mine_v1.csv"}};
    cordon_source_spec v2[] = {{"mine", "user-csv", FX "/mine_v2.csv"}, {"un", "un-xml", UN_XML}};
    cordon_engine *e1 = build_snapshot(a, v1, 2), *e2 = build_snapshot(b, v2, 2);
    cordon_error err = {0};
    cordon_diff_stats st;
    char log[512] = "";
    /* the sources' order differs: unchanged entries must still compare equal */
    assert_int_equal(cordon_update_diff(e1, e2, count_sink, log, &st, &err), CORDON_OK);
    assert_int_equal(st.added, 2);
    assert_int_equal(st.removed, 1);
    assert_int_equal(st.changed, 1);
    assert_int_equal(st.unchanged, 1003 + 8);
    assert_string_equal(log, "removed mine:M10;added mine:M11;added mine:M12;changed mine:M4;");
    assert_int_equal(cordon_store_import(f->s, FX "/counterparties.csv", "t", NULL, &err), CORDON_OK);
    cordon_rescreen_stats rs;
    assert_int_equal(cordon_store_rescreen_delta(f->s, e1, e2, -1, 2, &rs, &err), CORDON_OK);
    assert_int_equal(rs.entries, 3);
    assert_int_equal(rs.counterparties, 8);
    assert_int_equal(rs.new_alerts, 3); /* C-1004 M11, C-1005 M12, C-1006 M4 (alias added) */
    char *json = cordon_store_alerts_json(f->s, NULL, 0, &err);
    assert_non_null(strstr(json, "\"source_id\":\"M11\""));
    assert_non_null(strstr(json, "\"source_id\":\"M12\""));
    assert_null(strstr(json, "\"source_id\":\"M1\"")); /* unchanged entries are not screened */
    free(json);
    cordon_engine_close(e1);
    cordon_engine_close(e2);
}

static void test_decisions_and_audit(void **state)
{
    fixture *f = *state;
    cordon_error err = {0};
    assert_int_equal(cordon_store_import(f->s, FX "/counterparties.csv", "t", NULL, &err), CORDON_OK);
    cordon_engine *e = cordon_engine_open(un_snap, &err);
    char snap[512];
    snprintf(snap, sizeof snap, "%s/m.snap", f->dir);
    cordon_source_spec m[] = {{"mine", "user-csv", FX "/mine_v1.csv"}};
    cordon_engine *e2 = build_snapshot(snap, m, 1);
    assert_int_equal(cordon_store_rescreen(f->s, e2, CORDON_RESCREEN_FULL, -1, 1, NULL, &err), CORDON_OK);
    cordon_decision d = {1, "alice", "maybe", "x", NULL};
    assert_int_equal(cordon_store_decide(f->s, &d, &err), CORDON_ERR_INVALID);
    d.outcome = "false_positive";
    d.reason = " ";
    assert_int_equal(cordon_store_decide(f->s, &d, &err), CORDON_ERR_INVALID);
    d.reason = "different registration number";
    d.second_approver = "alice";
    assert_int_equal(cordon_store_decide(f->s, &d, &err), CORDON_ERR_INVALID);
    d.second_approver = "bob";
    d.alert_id = 999;
    assert_int_equal(cordon_store_decide(f->s, &d, &err), CORDON_ERR_NOTFOUND);
    d.alert_id = 1;
    assert_int_equal(cordon_store_decide(f->s, &d, &err), CORDON_OK);
    char *json = cordon_store_alert_json(f->s, 1, &err);
    assert_non_null(strstr(json, "\"second_approver\": \"bob\""));
    assert_non_null(strstr(json, "\"outcome\": \"false_positive\""));
    free(json);
    /* the read views the server and the web UI list */
    json = cordon_store_audit_json(f->s, "decide", 0, &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"actor\":\"alice\""));
    assert_null(strstr(json, "\"action\":\"import\""));
    free(json);
    json = cordon_store_audit_json(f->s, NULL, 1, &err);
    assert_non_null(strstr(json, "\"seq\":7,")); /* newest first, one record */
    assert_null(strstr(json, "\"seq\":6,"));
    free(json);
    json = cordon_store_counterparties_json(f->s, NULL, 0, 0, &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"open_alerts\":"));
    free(json);
    json = cordon_store_counterparties_json(f->s, "no such name anywhere", 0, 0, &err);
    assert_string_equal(json, "[]");
    free(json);
    json = cordon_store_screenings_json(f->s, 0, &err);
    assert_non_null(strstr(json, "\"kind\":\"full\""));
    free(json);
    json = cordon_store_versions_json(f->s, 0, &err);
    assert_string_equal(json, "[]"); /* no update has run in this store */
    free(json);
    uint64_t n = 0;
    assert_int_equal(cordon_store_audit_verify(f->s, &n, &err), CORDON_OK);
    /* 2 migrations, 1 import, 2 alerts, 1 run, 1 decision */
    assert_int_equal(n, 7);
    /* the triggers refuse changes to the audit log and the decisions */
    const char *on = pg_admin ? " ON audit" : "";
    assert_int_not_equal(raw_sql(f, "DELETE FROM audit WHERE seq = 7"), 0);
    assert_int_not_equal(raw_sql(f, "UPDATE audit SET actor = 'eve' WHERE seq = 7"), 0);
    assert_int_not_equal(raw_sql(f, "UPDATE decisions SET outcome = 'true_match'"), 0);
    assert_int_not_equal(raw_sql(f, "DELETE FROM decisions"), 0);
    if (pg_admin) { /* TRUNCATE skips row triggers: refused by its own */
        assert_int_not_equal(raw_sql(f, "TRUNCATE audit"), 0);
        assert_int_not_equal(raw_sql(f, "TRUNCATE decisions CASCADE"), 0);
    }
    assert_int_equal(cordon_store_audit_verify(f->s, &n, &err), CORDON_OK);
    /* tamper with the decision's audit record behind the store's back */
    char sql[256];
    snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_update%s; UPDATE audit SET actor = 'eve'"
                              " WHERE seq = 7", on);
    assert_int_equal(raw_sql(f, sql), 0);
    assert_int_equal(cordon_store_audit_verify(f->s, &n, &err), CORDON_ERR_FORMAT);
    assert_non_null(strstr(err.message, "audit record 7 (decide alert 1) was altered"));
    snprintf(sql, sizeof sql, "DROP TRIGGER audit_no_delete%s; DELETE FROM audit WHERE seq = 4", on);
    assert_int_equal(raw_sql(f, sql), 0);
    assert_int_equal(cordon_store_audit_verify(f->s, &n, &err), CORDON_ERR_FORMAT);
    assert_non_null(strstr(err.message, "audit record 4 is missing"));
    cordon_engine_close(e);
    cordon_engine_close(e2);
}

/* Several processes appending at once still make one chain (SQLite: one writer at a time;
 * PostgreSQL: the writers' advisory lock). */
static void test_concurrent_writers(void **state)
{
    fixture *f = *state;
    enum { PROCS = 4, EACH = 25 };
    pid_t pids[PROCS];
    for (int p = 0; p < PROCS; p++) {
        pids[p] = fork();
        assert_true(pids[p] >= 0);
        if (pids[p] == 0) { /* a writer of its own: no cmocka asserts in here */
            cordon_error err = {0};
            cordon_store *s = cordon_store_open(f->conn, &err);
            int bad = !s;
            for (int i = 0; s && !bad && i < EACH; i++) {
                char subject[32];
                snprintf(subject, sizeof subject, "writer %d record %d", p, i);
                bad = cordon_store_audit(s, "writer", "test", subject, "{}", &err) != CORDON_OK;
            }
            if (bad)
                fprintf(stderr, "writer %d: %s\n", p, err.message);
            cordon_store_close(s);
            _exit(bad);
        }
    }
    for (int p = 0; p < PROCS; p++) {
        int status = 0;
        assert_int_equal(waitpid(pids[p], &status, 0), pids[p]);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    cordon_error err = {0};
    uint64_t n = 0;
    assert_int_equal(cordon_store_audit_verify(f->s, &n, &err), CORDON_OK);
    assert_int_equal(n, 2 + PROCS * EACH);
}

int main(void)
{
    pg_admin = getenv("CORDON_TEST_PG");
    if (pg_admin && !*pg_admin)
        pg_admin = NULL;
    snprintf(un_snap, sizeof un_snap, "/tmp/cordon-store-un-%ld.snap", (long)getpid());
    cordon_source_spec un[] = {{"un", "un-xml", UN_XML}};
    cordon_engine_close(build_snapshot(un_snap, un, 1));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_migrations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescreen_un, setup, teardown),
        cmocka_unit_test_setup_teardown(test_diff_and_delta, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions_and_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
    };
    int rc = cmocka_run_group_tests_name(pg_admin ? "store on PostgreSQL" : "store on SQLite",
                                         tests, NULL, NULL);
    unlink(un_snap);
    return rc;
}
