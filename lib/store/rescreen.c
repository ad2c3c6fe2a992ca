/* rescreen.c - screening stored counterparties against a snapshot (full), or against a small
 * snapshot of only the entries an update added or changed (delta), and raising an alert for
 * each new hit. Screening runs on threads over counterparties held in memory; the alerts, the
 * run record and the audit records are written in one transaction at the end, so a killed
 * run leaves nothing and the next run does the work again. */
#include "store.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    int64_t id;
    const char *name, *type, *dob, *country, *ident, *row_hash;
    int pending;
} party;

typedef struct {
    size_t party;
    size_t entity; /* index into the engine that holds the real entry */
    double score;
    char *matched;
} hit_rec;

typedef struct {
    const cordon_engine *e;
    const party *parties;
    size_t n;
    double threshold;
    bool delta; /* e is a delta snapshot: each entry's source id is its index in the real one */
    atomic_size_t next;
} job;

typedef struct {
    job *j;
    vec hits; /* hit_rec */
    bool oom;
} worker;

static void fill_query(const party *p, cordon_query *q, char *idtype, size_t cap)
{
    memset(q, 0, sizeof *q);
    q->name = p->name;
    q->type = p->type ? cordon_entity_type_parse(p->type) : CORDON_TYPE_UNKNOWN;
    q->dob = p->dob;
    q->country = p->country;
    if (p->ident) {
        const char *colon = strchr(p->ident, ':');
        size_t n = colon ? (size_t)(colon - p->ident) : 0;
        if (colon && n < cap) {
            memcpy(idtype, p->ident, n);
            idtype[n] = 0;
            q->id_type = idtype;
            q->id_value = colon + 1;
        }
    }
}

static void screen_one(worker *w, cordon_arena *a, size_t i)
{
    job *j = w->j;
    cordon_query q;
    char idtype[64];
    fill_query(&j->parties[i], &q, idtype, sizeof idtype);
    q.threshold = j->threshold;
    cordon_result r;
    if (cordon_screen(j->e, &q, a, &r, NULL) != CORDON_OK)
        return; /* a name the matcher cannot read cannot hit; import validated the fields */
    for (size_t h = 0; h < r.n_hits; h++) {
        hit_rec *rec = vec_push(&w->hits);
        if (!rec) {
            w->oom = true;
            return;
        }
        size_t ent = r.hits[h].entity_index;
        if (j->delta)
            ent = (size_t)strtoull(r.hits[h].entity.source_id, NULL, 10);
        rec->party = i;
        rec->entity = ent;
        rec->score = r.hits[h].score;
        rec->matched = strdup(r.hits[h].matched_name ? r.hits[h].matched_name : "");
    }
}

static void *work(void *arg)
{
    worker *w = arg;
    cordon_arena *a = cordon_arena_new();
    if (!a) {
        w->oom = true;
        return NULL;
    }
    for (;;) {
        size_t start = atomic_fetch_add(&w->j->next, 256);
        if (start >= w->j->n)
            break;
        size_t end = start + 256 < w->j->n ? start + 256 : w->j->n;
        for (size_t i = start; i < end && !w->oom; i++) {
            screen_one(w, a, i);
            cordon_arena_reset(a); /* keeps its largest chunk: no malloc per query */
        }
    }
    cordon_arena_free(a);
    return NULL;
}

/* ---- loading ------------------------------------------------------------------------------ */

typedef struct {
    vec parties; /* party; strings in the arena */
    cordon_arena *a;
} party_set;

static const char *dup_col(cordon_arena *a, db_stmt *st, int i)
{
    const char *t = db_column_text(st, i);
    return t ? arena_strdup(a, t) : NULL;
}

static cordon_status load_parties(cordon_store *s, cordon_rescreen_mode mode, party_set *ps,
                                  cordon_error *err)
{
    const char *sql = mode == CORDON_RESCREEN_PENDING
                          ? "SELECT id, name, type, dob, country, ident, row_hash, pending"
                            " FROM counterparties WHERE pending = 1 ORDER BY id"
                          : "SELECT id, name, type, dob, country, ident, row_hash, pending"
                            " FROM counterparties ORDER BY id";
    db_stmt *st = store_prepare(s, sql, "re-screen", err);
    if (!st)
        return err->status;
    db_step_rc rc;
    while ((rc = db_step(st)) == DB_ROW) {
        party *p = vec_push(&ps->parties);
        if (!p) {
            db_finalize(st);
            return err_set(err, CORDON_ERR_NOMEM, "out of memory loading counterparties");
        }
        p->id = db_column_int64(st, 0);
        p->name = dup_col(ps->a, st, 1);
        p->type = dup_col(ps->a, st, 2);
        p->dob = dup_col(ps->a, st, 3);
        p->country = dup_col(ps->a, st, 4);
        p->ident = dup_col(ps->a, st, 5);
        p->row_hash = dup_col(ps->a, st, 6);
        p->pending = (int)db_column_int64(st, 7);
        if (!p->name || !p->row_hash) {
            db_finalize(st);
            return err_set(err, CORDON_ERR_NOMEM, "out of memory loading counterparties");
        }
    }
    cordon_status r = rc == DB_DONE ? CORDON_OK : store_db_error(s, err, "re-screen");
    db_finalize(st);
    return r;
}

/* ---- writing ------------------------------------------------------------------------------ */

typedef struct {
    cordon_store *s;
    db_stmt *alert, *clear; /* clear: for a full batch, made when first needed */
    int64_t run;
    bool clear_pending; /* the run screened against the whole list: pending marks can go */
    char now[32];
    cordon_arena *a;
} writer;

static cordon_status write_alert(writer *w, const cordon_engine *e, const party *p,
                                 const hit_rec *h, bool *created, cordon_error *err)
{
    cordon_entity ent;
    cordon_arena_reset(w->a);
    if (cordon_engine_entity(e, h->entity, w->a, &ent) != CORDON_OK)
        return err_set(err, CORDON_ERR_FORMAT, "snapshot entry %zu cannot be decoded", h->entity);
    char *json = cordon_entity_json(&ent, 0);
    db_stmt *st = w->alert;
    db_reset(st);
    db_bind_int64(st, 1, p->id);
    db_bind_int64(st, 2, w->run);
    db_bind_text(st, 3, ent.source ? ent.source : "");
    db_bind_text(st, 4, ent.source_id ? ent.source_id : "");
    db_bind_text(st, 5, ent.n_names ? ent.names[0].full : "");
    db_bind_text(st, 6, h->matched);
    db_bind_double(st, 7, h->score);
    db_bind_text(st, 8, json ? json : "null");
    db_bind_text(st, 9, w->now);
    free(json);
    /* RETURNING gives the new alert's id, and no row when it already existed */
    db_step_rc rc = db_step(st);
    if (rc == DB_ERROR)
        return store_db_error(w->s, err, "alert");
    *created = rc == DB_ROW;
    if (!*created)
        return CORDON_OK;
    char subject[48];
    snprintf(subject, sizeof subject, "alert %lld", (long long)db_column_int64(st, 0));
    json_t *o = json_pack("{s:I, s:s, s:s, s:f, s:I}", "counterparty", (json_int_t)p->id,
                          "source", ent.source ? ent.source : "", "source_id",
                          ent.source_id ? ent.source_id : "", "score", h->score, "run",
                          (json_int_t)w->run);
    char *detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(o);
    cordon_status r = detail ? store_audit_add(w->s, "cordon", "alert", subject, detail, err)
                             : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    free(detail);
    return r;
}

static cordon_status start_run(writer *w, const char *kind, const cordon_engine *e,
                               double threshold, cordon_error *err)
{
    cordon_snapshot_info info;
    cordon_engine_info(e, &info);
    db_stmt *st = store_prepare(w->s, "INSERT INTO screenings(kind, snapshot, started_at,"
                                      " threshold) VALUES(?, ?, ?, ?) RETURNING id",
                                "screening run", err);
    if (!st)
        return err->status;
    db_bind_text(st, 1, kind);
    db_bind_text(st, 2, info.checksum);
    db_bind_text(st, 3, w->now);
    db_bind_double(st, 4, threshold);
    cordon_status rc = CORDON_OK;
    if (db_step(st) == DB_ROW)
        w->run = db_column_int64(st, 0);
    else
        rc = store_db_error(w->s, err, "screening run");
    db_finalize(st);
    return rc;
}

static cordon_status finish_run(writer *w, const char *kind, cordon_rescreen_stats *st,
                                cordon_error *err)
{
    char sql[512], end[32], subject[48], detail[256];
    store_now(end);
    snprintf(sql, sizeof sql,
             "UPDATE screenings SET finished_at = '%s', counterparties = %llu, entries = %llu,"
             " hits = %llu, new_alerts = %llu WHERE id = %lld", end,
             (unsigned long long)st->counterparties, (unsigned long long)st->entries,
             (unsigned long long)st->hits, (unsigned long long)st->new_alerts, (long long)w->run);
    if (store_exec(w->s, sql, err) != CORDON_OK)
        return err->status;
    snprintf(subject, sizeof subject, "run %lld", (long long)w->run);
    snprintf(detail, sizeof detail,
             "{\"kind\":\"%s\",\"counterparties\":%llu,\"entries\":%llu,\"hits\":%llu,"
             "\"new_alerts\":%llu}", kind, (unsigned long long)st->counterparties,
             (unsigned long long)st->entries, (unsigned long long)st->hits,
             (unsigned long long)st->new_alerts);
    return store_audit_add(w->s, "cordon", "screen", subject, detail, err);
}

/* Clearing the pending marks goes in batches (one statement per CLEAR_BATCH counterparties:
 * on PostgreSQL each statement is a round trip); a row changed by an import since it was
 * loaded keeps its mark (its row_hash differs). */
#define CLEAR_BATCH 500

/* "id IN (?1, ?3, ...) AND (id, row_hash) IN (VALUES (?1, ?2), ...)": the id list is what
 * lets SQLite search by primary key (a row-value IN alone scans the table for every batch). */
static db_stmt *clear_stmt(cordon_store *s, size_t n)
{
    buf b = {0};
    bool ok = buf_printf(&b, "UPDATE counterparties SET pending = 0 WHERE id IN (");
    for (size_t i = 0; ok && i < n; i++)
        ok = buf_printf(&b, "%s?%zu", i ? ", " : "", 2 * i + 1);
    ok = ok && buf_printf(&b, ") AND (id, row_hash) IN (VALUES");
    for (size_t i = 0; ok && i < n; i++)
        ok = buf_printf(&b, "%s(CAST(?%zu AS BIGINT), ?%zu)", i ? ", " : " ", 2 * i + 1, 2 * i + 2);
    db_stmt *st = ok && buf_printf(&b, ")") ? db_prepare(s->db, b.data) : NULL;
    buf_free(&b);
    return st;
}

static cordon_status clear_batch(writer *w, const party *const *batch, size_t n,
                                 cordon_error *err)
{
    if (n == CLEAR_BATCH && !w->clear)
        w->clear = clear_stmt(w->s, n);
    db_stmt *st = n == CLEAR_BATCH ? w->clear : clear_stmt(w->s, n);
    if (!st)
        return store_db_error(w->s, err, "pending");
    db_reset(st);
    for (size_t i = 0; i < n; i++) {
        db_bind_int64(st, (int)(2 * i + 1), batch[i]->id);
        db_bind_text(st, (int)(2 * i + 2), batch[i]->row_hash);
    }
    cordon_status rc = db_step(st) == DB_DONE ? CORDON_OK : store_db_error(w->s, err, "pending");
    if (st != w->clear)
        db_finalize(st);
    return rc;
}

static cordon_status clear_pending(writer *w, const party_set *ps, cordon_error *err)
{
    const party *batch[CLEAR_BATCH];
    size_t n = 0;
    cordon_status rc = CORDON_OK;
    for (size_t i = 0; i < ps->parties.len && rc == CORDON_OK; i++) {
        const party *p = &VEC_AT(&ps->parties, party, i);
        if (!p->pending)
            continue;
        batch[n++] = p;
        if (n == CLEAR_BATCH) {
            rc = clear_batch(w, batch, n, err);
            n = 0;
        }
    }
    return rc == CORDON_OK && n ? clear_batch(w, batch, n, err) : rc;
}

static cordon_status write_results(writer *w, const char *kind, const cordon_engine *real,
                                   const party_set *ps, worker *ws, int nw,
                                   cordon_rescreen_stats *st, cordon_error *err)
{
    cordon_status rc = CORDON_OK;
    for (int t = 0; t < nw && rc == CORDON_OK; t++)
        for (size_t i = 0; i < ws[t].hits.len && rc == CORDON_OK; i++) {
            const hit_rec *h = &VEC_AT(&ws[t].hits, hit_rec, i);
            bool created = false;
            st->hits++;
            rc = write_alert(w, real, &VEC_AT(&ps->parties, party, h->party), h, &created, err);
            st->new_alerts += created;
        }
    if (rc == CORDON_OK && w->clear_pending)
        rc = clear_pending(w, ps, err);
    return rc == CORDON_OK ? finish_run(w, kind, st, err) : rc;
}

static int cpu_count(int threads)
{
    if (threads > 0)
        return threads > 64 ? 64 : threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static cordon_status screen_threads(job *j, worker *ws, int nw, cordon_error *err)
{
    pthread_t tid[64];
    int started = 0;
    for (int t = 0; t < nw; t++) {
        ws[t].j = j;
        vec_init(&ws[t].hits, sizeof(hit_rec));
        if (pthread_create(&tid[t], NULL, work, &ws[t]) == 0)
            started++;
        else
            break;
    }
    if (started == 0)
        work(&ws[0]);
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < nw; t++)
        if (ws[t].oom)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory while re-screening");
    return CORDON_OK;
}

static void free_workers(worker *ws, int nw)
{
    for (int t = 0; t < nw; t++) {
        for (size_t i = 0; i < ws[t].hits.len; i++)
            free(VEC_AT(&ws[t].hits, hit_rec, i).matched);
        vec_free(&ws[t].hits);
    }
}

/* Screens against e; hits name entries of `real` (e itself, or the full engine when e is a
 * delta snapshot whose source ids are indexes into real). */
static cordon_status rescreen_core(cordon_store *s, const cordon_engine *e,
                                   const cordon_engine *real, const char *kind,
                                   cordon_rescreen_mode mode, bool clear, double threshold,
                                   int threads, uint64_t entries, cordon_rescreen_stats *st,
                                   cordon_error *err)
{
    uint64_t t0 = now_ns();
    memset(st, 0, sizeof *st);
    party_set ps = {.a = cordon_arena_new()};
    vec_init(&ps.parties, sizeof(party));
    int nw = cpu_count(threads);
    worker ws[64];
    memset(ws, 0, sizeof ws);
    writer w = {.s = s, .a = cordon_arena_new()};
    store_now(w.now);
    job j = {e, NULL, 0, threshold < 0 ? CORDON_DEFAULT_THRESHOLD : threshold, real != e, 0};
    w.clear_pending = clear;
    cordon_status rc = !ps.a || !w.a ? err_set(err, CORDON_ERR_NOMEM, "out of memory")
                       : entries == 0 && !clear ? CORDON_OK /* nothing changed: costs nothing */
                                                : load_parties(s, mode, &ps, err);
    j.parties = ps.parties.data;
    j.n = ps.parties.len;
    if (rc == CORDON_OK && entries > 0 && j.n > 0)
        rc = screen_threads(&j, ws, nw, err);
    st->counterparties = j.n;
    st->entries = entries;
    if (rc == CORDON_OK)
        rc = store_begin(s, err);
    if (rc == CORDON_OK) {
        if (!(w.alert = db_prepare(s->db, "INSERT INTO alerts(counterparty_id, screening_id,"
                                          " source, source_id, listed_name, matched_name, score,"
                                          " entity_json, created_at)"
                                          " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                          " ON CONFLICT DO NOTHING RETURNING id")))
            rc = store_db_error(s, err, "re-screen");
        if (rc == CORDON_OK)
            rc = start_run(&w, kind, real, j.threshold, err);
        if (rc == CORDON_OK)
            rc = write_results(&w, kind, real, &ps, ws, nw, st, err);
        db_finalize(w.alert);
        db_finalize(w.clear);
        st->run_id = w.run;
        rc = rc == CORDON_OK ? store_commit(s, err) : rc;
        if (rc != CORDON_OK)
            store_rollback(s);
    }
    free_workers(ws, nw);
    vec_free(&ps.parties);
    cordon_arena_free(ps.a);
    cordon_arena_free(w.a);
    st->seconds = (double)(now_ns() - t0) / 1e9;
    return rc;
}

cordon_status cordon_store_rescreen(cordon_store *s, const cordon_engine *e,
                                    cordon_rescreen_mode mode, double threshold, int threads,
                                    cordon_rescreen_stats *st, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    cordon_rescreen_stats local;
    return rescreen_core(s, e, e, mode == CORDON_RESCREEN_FULL ? "full" : "pending", mode, true,
                         threshold, threads, cordon_engine_entity_count(e), st ? st : &local, err);
}

/* ---- delta ------------------------------------------------------------------------------- */

#include "../update/update.h"

cordon_status cordon_store_rescreen_delta(cordon_store *s, const cordon_engine *old_engine,
                                          const cordon_engine *new_engine, double threshold,
                                          int threads, cordon_rescreen_stats *st,
                                          cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    cordon_rescreen_stats local;
    if (!st)
        st = &local;
    if (!old_engine)
        return cordon_store_rescreen(s, new_engine, CORDON_RESCREEN_FULL, threshold, threads, st,
                                     err);
    char snap[PATH_MAX + 64];
    snprintf(snap, sizeof snap, "%s/staging/delta-%ld.snap", s->dir, (long)getpid());
    size_t n_delta = 0;
    cordon_status rc = delta_snapshot_build(old_engine, new_engine, snap, &n_delta, err);
    if (rc != CORDON_OK)
        return rc;
    if (n_delta == 0) /* nothing added or changed: record the run, screen nothing */
        return rescreen_core(s, new_engine, new_engine, "delta", CORDON_RESCREEN_FULL, false,
                             threshold, threads, 0, st, err);
    cordon_engine *d = cordon_engine_open(snap, err);
    unlink(snap);
    if (!d)
        return err->status;
    rc = rescreen_core(s, d, new_engine, "delta", CORDON_RESCREEN_FULL, false, threshold,
                       threads, n_delta, st, err);
    cordon_engine_close(d);
    return rc;
}
