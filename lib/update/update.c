/* update.c - `cordon update`: fetch every configured source, validate and build a snapshot
 * version, refuse a suspicious one, swap it in atomically, record it, re-screen against the
 * delta and notify webhooks. The order of steps makes a killed run harmless: files first, then
 * one database transaction that records the version as "re-screen pending", then the swap,
 * then the re-screen; cordon_update_recover finishes whatever a killed run left. */
#include "update.h"

#include "../store/store.h"
#include "fetch.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES 32
#define MAX_URLS 8
#define MAX_HOOKS 8

typedef struct {
    char name[64], format[32];
    char *urls[MAX_URLS];
    size_t n_urls;
    bool changed;
    char path[PATH_MAX]; /* what the builder reads */
} src_conf;

typedef struct {
    src_conf src[MAX_SOURCES];
    size_t n;
    int keep;
    double max_drop, threshold;
    fetch_limits lim;
    char *hooks[MAX_HOOKS], *secrets[MAX_HOOKS];
    size_t n_hooks;
} update_conf;

static void conf_free(update_conf *c)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t j = 0; j < c->src[i].n_urls; j++)
            free(c->src[i].urls[j]);
    for (size_t i = 0; i < c->n_hooks; i++) {
        free(c->hooks[i]);
        free(c->secrets[i]);
    }
}

static cordon_status conf_line(update_conf *c, const char *path, long no, char *line,
                               cordon_error *err)
{
    char *save = NULL, *words[MAX_URLS + 3];
    size_t n = 0;
    for (char *t = strtok_r(line, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == ARRAY_LEN(words))
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: too many words", path, no);
        words[n++] = t;
    }
    if (n == 0 || words[0][0] == '#')
        return CORDON_OK;
    const char *k = words[0];
    if (strcmp(k, "source") == 0 && n >= 4 && c->n < MAX_SOURCES) {
        src_conf *s = &c->src[c->n++];
        snprintf(s->name, sizeof s->name, "%s", words[1]);
        snprintf(s->format, sizeof s->format, "%s", words[2]);
        for (size_t i = 3; i < n; i++)
            s->urls[s->n_urls++] = strdup(words[i]);
        return CORDON_OK;
    }
    if (strcmp(k, "webhook") == 0 && n == 3 && c->n_hooks < MAX_HOOKS) {
        c->hooks[c->n_hooks] = strdup(words[1]);
        c->secrets[c->n_hooks++] = strdup(words[2]);
        return CORDON_OK;
    }
    char *end = NULL;
    double v = n == 2 ? strtod(words[1], &end) : 0;
    if (n != 2 || !end || *end || v < 0)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected `source NAME FORMAT URL...`,"
                       " `webhook URL SECRET` or `keep|max_drop|max_bytes|timeout|threshold N`",
                       path, no);
    if (strcmp(k, "keep") == 0)
        c->keep = (int)v;
    else if (strcmp(k, "max_drop") == 0 && v <= 1)
        c->max_drop = v;
    else if (strcmp(k, "max_bytes") == 0)
        c->lim.max_bytes = (uint64_t)v;
    else if (strcmp(k, "timeout") == 0)
        c->lim.timeout_s = (long)v;
    else if (strcmp(k, "threshold") == 0 && v <= 1)
        c->threshold = v;
    else
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: unknown setting '%s' or value out of range",
                       path, no, k);
    return CORDON_OK;
}

static cordon_status conf_read(const char *path, update_conf *c, cordon_error *err)
{
    memset(c, 0, sizeof *c);
    c->keep = 5;
    c->max_drop = 0.10;
    c->threshold = -1;
    c->lim.max_bytes = (uint64_t)1 << 30;
    c->lim.timeout_s = 600;
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    char line[8192];
    long no = 0;
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && fgets(line, sizeof line, f)) {
        no++;
        st = conf_line(c, path, no, line, err);
    }
    fclose(f);
    if (st == CORDON_OK && c->n == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: no `source` lines", path);
    return st;
}

/* ---- files ------------------------------------------------------------------------------- */

static const char *url_file(const char *url, char *out, size_t cap)
{
    const char *end = url + strcspn(url, "?#");
    const char *slash = end;
    while (slash > url && slash[-1] != '/')
        slash--;
    snprintf(out, cap, "%.*s", (int)(end - slash), slash);
    if (!*out || strcmp(out, ".") == 0 || strcmp(out, "..") == 0)
        snprintf(out, cap, "download");
    return out;
}

static void remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        unlink(path);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char p[PATH_MAX + 256];
        snprintf(p, sizeof p, "%s/%s", path, de->d_name);
        remove_tree(p);
    }
    closedir(d);
    rmdir(path);
}

static cordon_status copy_file(const char *from, const char *to, cordon_error *err)
{
    if (link(from, to) == 0)
        return CORDON_OK;
    FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
    char b[1 << 16];
    size_t n;
    bool ok = in && out;
    while (ok && (n = fread(b, 1, sizeof b, in)) > 0)
        ok = fwrite(b, 1, n, out) == n;
    ok = ok && !ferror(in);
    if (out && (fflush(out) != 0 || fsync(fileno(out)) != 0))
        ok = false;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = false;
    return ok ? CORDON_OK : err_set(err, CORDON_ERR_IO, "%s: cannot copy to %s", from, to);
}

/* Puts file at live atomically: a link (or copy) beside it, then rename. */
static cordon_status swap_in(const char *file, const char *live, cordon_error *err)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.swap-%ld", live, (long)getpid());
    unlink(tmp);
    if (copy_file(file, tmp, err) != CORDON_OK)
        return err->status;
    if (rename(tmp, live) != 0) {
        unlink(tmp);
        return err_set(err, CORDON_ERR_IO, "%s: cannot replace: %s", live, strerror(errno));
    }
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", live);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = 0;
    int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return CORDON_OK;
}

/* ---- source state -------------------------------------------------------------------------- */

typedef struct {
    char etag[256], last_modified[128], sha256[65];
} src_state;

static void state_get(cordon_store *s, const char *key, src_state *out)
{
    memset(out, 0, sizeof *out);
    db_stmt *st = store_prepare(s, "SELECT etag, last_modified, sha256 FROM source_state"
                                   " WHERE name = ?", "source state", NULL);
    if (st) {
        db_bind_text(st, 1, key);
        if (db_step(st) == DB_ROW) {
            const char *v;
            if ((v = db_column_text(st, 0)))
                snprintf(out->etag, sizeof out->etag, "%s", v);
            if ((v = db_column_text(st, 1)))
                snprintf(out->last_modified, sizeof out->last_modified, "%s", v);
            if ((v = db_column_text(st, 2)))
                snprintf(out->sha256, sizeof out->sha256, "%s", v);
        }
    }
    db_finalize(st);
}

static cordon_status state_put(cordon_store *s, const char *key, const fetch_result *r,
                               const char *sha, cordon_error *err)
{
    char now[32];
    store_now(now);
    db_stmt *st = store_prepare(s, "INSERT INTO source_state(name, etag, last_modified, sha256,"
                                   " fetched_at) VALUES(?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE"
                                   " SET etag = excluded.etag, last_modified = excluded.last_modified,"
                                   " sha256 = excluded.sha256, fetched_at = excluded.fetched_at",
                                "source state", err);
    if (!st)
        return err->status;
    db_bind_text(st, 1, key);
    db_bind_text(st, 2, r->etag);
    db_bind_text(st, 3, r->last_modified);
    db_bind_text(st, 4, sha);
    db_bind_text(st, 5, now);
    cordon_status rc = db_step(st) == DB_DONE ? CORDON_OK : store_db_error(s, err, "source state");
    db_finalize(st);
    return rc;
}

/* ---- one run ------------------------------------------------------------------------------ */

typedef struct {
    cordon_store *s;
    update_conf conf;
    const char *live;
    char version[64];
    char stage[PATH_MAX];
    cordon_update_report *r;
    /* per fetched file, saved after the version is recorded */
    char keys[MAX_SOURCES * MAX_URLS][128];
    fetch_result res[MAX_SOURCES * MAX_URLS];
    char shas[MAX_SOURCES * MAX_URLS][65];
    size_t n_fetched;
} run;

static void logf_(cordon_update_report *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void logf_(cordon_update_report *r, const char *fmt, ...)
{
    size_t len = strlen(r->log);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->log + len, sizeof r->log - len, fmt, ap);
    va_end(ap);
}

static cordon_status refuse(run *u, const char *fmt, ...) PRINTF_LIKE(2, 3);
static cordon_status refuse(run *u, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->r->reason, sizeof u->r->reason, fmt, ap);
    va_end(ap);
    u->r->refused = 1;
    return CORDON_OK;
}

/* Fetches one file of a source into the staging directory; *changed when it differs. */
static cordon_status fetch_file(run *u, src_conf *sc, size_t k, const char *dir, bool *changed,
                                cordon_error *err)
{
    char fname[256], cur[PATH_MAX + 512], dest[PATH_MAX + 512], key[128];
    url_file(sc->urls[k], fname, sizeof fname);
    snprintf(cur, sizeof cur, "%s/sources/%s/%s", u->s->dir, sc->name, fname);
    snprintf(dest, sizeof dest, "%s/%s", dir, fname);
    snprintf(key, sizeof key, "%s/%s", sc->name, fname);
    src_state old;
    state_get(u->s, key, &old);
    char cur_sha[65] = "";
    bool have = access(cur, R_OK) == 0 && sha256_file_hex(cur, cur_sha, NULL) &&
                strcmp(cur_sha, old.sha256) == 0;
    fetch_result *fr = &u->res[u->n_fetched];
    cordon_status st = fetch_url(sc->urls[k], dest, have ? old.etag : NULL,
                                 have ? old.last_modified : NULL, &u->conf.lim, fr, err);
    if (st != CORDON_OK)
        return st;
    char sha[65] = "";
    if (fr->not_modified || (sha256_file_hex(dest, sha, NULL) && have && strcmp(sha, cur_sha) == 0)) {
        unlink(dest);
        if (copy_file(cur, dest, err) != CORDON_OK)
            return err->status;
        logf_(u->r, "%s: %s unchanged%s\n", sc->name, fname, fr->not_modified ? " (304)" : "");
        return CORDON_OK;
    }
    *changed = true;
    snprintf(u->keys[u->n_fetched], sizeof u->keys[0], "%s", key);
    snprintf(u->shas[u->n_fetched], sizeof u->shas[0], "%s", sha);
    u->n_fetched++;
    logf_(u->r, "%s: %s downloaded, %llu bytes\n", sc->name, fname, (unsigned long long)fr->bytes);
    return CORDON_OK;
}

static cordon_status fetch_all(run *u, bool *any, cordon_error *err)
{
    for (size_t i = 0; i < u->conf.n; i++) {
        src_conf *sc = &u->conf.src[i];
        char dir[PATH_MAX + 128];
        snprintf(dir, sizeof dir, "%s/%s", u->stage, sc->name);
        if (mkdir(dir, 0755) != 0 && errno != EEXIST)
            return err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", dir, strerror(errno));
        for (size_t k = 0; k < sc->n_urls; k++) {
            cordon_error e2 = {0};
            if (fetch_file(u, sc, k, dir, &sc->changed, &e2) != CORDON_OK)
                return refuse(u, "source %s: %s", sc->name, e2.message);
        }
        *any = *any || sc->changed;
        char fname[256];
        if (sc->n_urls == 1)
            snprintf(sc->path, sizeof sc->path, "%s/%s", dir, url_file(sc->urls[0], fname, sizeof fname));
        else
            snprintf(sc->path, sizeof sc->path, "%s", dir);
    }
    return CORDON_OK;
}

static const cordon_source_info *old_source(const cordon_engine *e, const char *name,
                                            cordon_source_info *tmp)
{
    for (size_t i = 0; e && i < cordon_engine_source_count(e); i++)
        if (cordon_engine_source(e, i, tmp) == CORDON_OK && strcmp(tmp->name, name) == 0)
            return tmp;
    return NULL;
}

/* Builds the version's snapshot and checks it against the live one. */
static cordon_status build_version(run *u, const cordon_engine *old, const char *snap,
                                   cordon_engine **out, cordon_error *err)
{
    cordon_builder *b = cordon_builder_new();
    if (!b)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < u->conf.n; i++) {
        cordon_source_spec spec = {u->conf.src[i].name, u->conf.src[i].format, u->conf.src[i].path};
        cordon_error e2 = {0};
        if (cordon_builder_add(b, &spec, &e2) != CORDON_OK) {
            cordon_builder_free(b);
            return refuse(u, "source %s does not validate: %s", spec.name, e2.message);
        }
    }
    cordon_status st = cordon_builder_write(b, snap, err);
    cordon_builder_free(b);
    if (st != CORDON_OK)
        return st;
    cordon_engine *e = cordon_engine_open(snap, err);
    if (!e)
        return err->status;
    for (size_t i = 0; i < cordon_engine_source_count(e); i++) {
        cordon_source_info now, before;
        if (cordon_engine_source(e, i, &now) != CORDON_OK || !old_source(old, now.name, &before))
            continue;
        logf_(u->r, "%s: %u entries (was %u)\n", now.name, now.entities, before.entities);
        if ((double)now.entities < (double)before.entities * (1.0 - u->conf.max_drop)) {
            refuse(u, "source %s: %u entries, down from %u (more than the allowed %.0f%% drop): "
                   "looks truncated", now.name, now.entities, before.entities,
                   u->conf.max_drop * 100);
            cordon_engine_close(e);
            unlink(snap);
            return CORDON_OK;
        }
    }
    *out = e;
    return CORDON_OK;
}

/* Makes the changed sources' downloads current (sources/NAME). */
static cordon_status promote_sources(run *u, cordon_error *err)
{
    for (size_t i = 0; i < u->conf.n; i++) {
        src_conf *sc = &u->conf.src[i];
        if (!sc->changed)
            continue;
        char cur[PATH_MAX + 128], old[PATH_MAX + 128], neu[PATH_MAX + 128];
        snprintf(cur, sizeof cur, "%s/sources/%s", u->s->dir, sc->name);
        snprintf(old, sizeof old, "%s/old-%s", u->stage, sc->name);
        snprintf(neu, sizeof neu, "%s/%s", u->stage, sc->name);
        if ((rename(cur, old) != 0 && errno != ENOENT) || rename(neu, cur) != 0)
            return err_set(err, CORDON_ERR_IO, "%s: cannot make current: %s", cur, strerror(errno));
    }
    return CORDON_OK;
}

/* A lasting copy of the snapshot a version replaces, so its delta can be re-screened later. */
static cordon_status keep_previous(run *u, const cordon_engine *old, char *out, size_t cap,
                                   cordon_error *err)
{
    out[0] = 0;
    if (!old)
        return CORDON_OK;
    cordon_snapshot_info info;
    cordon_engine_info(old, &info);
    snprintf(out, cap, "%s/snapshots/base-%.16s.snap", u->s->dir, info.checksum);
    db_stmt *st = store_prepare(u->s, "SELECT snapshot_file FROM list_versions WHERE checksum = ?"
                                      " ORDER BY id DESC LIMIT 1", "list version", NULL);
    if (st) {
        db_bind_text(st, 1, info.checksum);
        if (db_step(st) == DB_ROW && access(db_column_text(st, 0), R_OK) == 0)
            snprintf(out, cap, "%s", db_column_text(st, 0));
    }
    db_finalize(st);
    if (access(out, R_OK) == 0)
        return CORDON_OK;
    return copy_file(u->live, out, err);
}

static cordon_status record_version(run *u, const char *snap, const char *prev,
                                    const cordon_engine *e, cordon_error *err)
{
    cordon_snapshot_info info;
    cordon_engine_info(e, &info);
    if (store_begin(u->s, err) != CORDON_OK)
        return err->status;
    char now[32];
    store_now(now);
    cordon_status rc = CORDON_OK;
    db_stmt *st = store_prepare(u->s, "INSERT INTO list_versions(version, snapshot_file, checksum,"
                                      " entities, previous_file, added, removed, changed,"
                                      " created_at, rescreen_pending)"
                                      " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", "list version", err);
    if (!st)
        rc = err->status;
    if (rc == CORDON_OK) {
        db_bind_text(st, 1, u->version);
        db_bind_text(st, 2, snap);
        db_bind_text(st, 3, info.checksum);
        db_bind_int64(st, 4, info.entities);
        db_bind_text(st, 5, *prev ? prev : NULL);
        db_bind_int64(st, 6, (int64_t)u->r->diff.added);
        db_bind_int64(st, 7, (int64_t)u->r->diff.removed);
        db_bind_int64(st, 8, (int64_t)u->r->diff.changed);
        db_bind_text(st, 9, now);
        if (db_step(st) != DB_DONE)
            rc = store_db_error(u->s, err, "list version");
    }
    db_finalize(st);
    for (size_t i = 0; rc == CORDON_OK && i < u->n_fetched; i++)
        rc = state_put(u->s, u->keys[i], &u->res[i], u->shas[i], err);
    char detail[512];
    snprintf(detail, sizeof detail,
             "{\"checksum\":\"%s\",\"entities\":%u,\"added\":%llu,\"removed\":%llu,"
             "\"changed\":%llu}", info.checksum, info.entities,
             (unsigned long long)u->r->diff.added, (unsigned long long)u->r->diff.removed,
             (unsigned long long)u->r->diff.changed);
    if (rc == CORDON_OK)
        rc = store_audit_add(u->s, store_actor(), "update", u->version, detail, err);
    if (rc != CORDON_OK) {
        store_rollback(u->s);
        return rc;
    }
    return store_commit(u->s, err);
}

/* ---- recovery, re-screen, webhooks, pruning ---------------------------------------------- */

static cordon_status set_done(cordon_store *s, const char *version, cordon_error *err)
{
    db_stmt *st = store_prepare(s, "UPDATE list_versions SET rescreen_pending = 0 WHERE version = ?",
                                "list version", err);
    if (!st)
        return err->status;
    db_bind_text(st, 1, version);
    cordon_status rc = db_step(st) == DB_DONE ? CORDON_OK : store_db_error(s, err, "list version");
    db_finalize(st);
    return rc;
}

static void send_webhooks(cordon_store *s, const update_conf *c, int64_t run_id,
                          cordon_update_report *r)
{
    if (c->n_hooks == 0 || run_id <= 0)
        return;
    char *all = cordon_store_alerts_json(s, "open", 0, NULL);
    json_t *arr = all ? json_loads(all, 0, NULL) : NULL, *mine = json_array();
    free(all);
    size_t i;
    json_t *a;
    json_array_foreach(arr, i, a)
        if (json_integer_value(json_object_get(a, "run")) == run_id)
            json_array_append(mine, a);
    json_decref(arr);
    if (json_array_size(mine) > 0) {
        json_t *body = json_pack("{s:s, s:I, s:o}", "event", "alerts", "run", (json_int_t)run_id,
                                 "alerts", mine);
        char *text = json_dumps(body, JSON_COMPACT);
        for (size_t h = 0; text && h < c->n_hooks; h++) {
            cordon_error e2 = {0};
            if (cordon_webhook_post(c->hooks[h], c->secrets[h], text, 4, 500, &e2) == CORDON_OK)
                r->webhooks_sent++;
            else {
                r->webhooks_failed++;
                logf_(r, "webhook: %s\n", e2.message);
            }
        }
        free(text);
        json_decref(body);
    } else {
        json_decref(mine);
    }
}

static cordon_status rescreen_version(cordon_store *s, const char *version, const char *file,
                                      const char *prev, double threshold, int threads,
                                      cordon_update_report *r, cordon_error *err)
{
    cordon_engine *neu = cordon_engine_open(file, err);
    if (!neu)
        return err->status;
    cordon_engine *old = prev && *prev ? cordon_engine_open(prev, NULL) : NULL;
    cordon_status st = cordon_store_rescreen_delta(s, old, neu, threshold, threads, &r->rescreen, err);
    cordon_engine_close(old);
    cordon_engine_close(neu);
    return st == CORDON_OK ? set_done(s, version, err) : st;
}

cordon_status cordon_update_recover(cordon_store *s, const char *snapshot_path, int threads,
                                    cordon_update_report *r, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    db_stmt *st = store_prepare(s, "SELECT version, snapshot_file, checksum, previous_file"
                                   " FROM list_versions WHERE rescreen_pending = 1 ORDER BY id",
                                "recover", err);
    if (!st)
        return err->status;
    char live_def[PATH_MAX];
    const char *live = snapshot_path ? snapshot_path : cordon_default_snapshot(live_def, sizeof live_def);
    cordon_status rc = CORDON_OK;
    bool last = false;
    db_step_rc step = DB_DONE;
    while (rc == CORDON_OK && (step = db_step(st)) == DB_ROW) {
        char version[64], file[PATH_MAX], sum[65], prev[PATH_MAX];
        snprintf(version, sizeof version, "%s", db_column_text(st, 0));
        snprintf(file, sizeof file, "%s", db_column_text(st, 1));
        snprintf(sum, sizeof sum, "%s", db_column_text(st, 2));
        const char *p = db_column_text(st, 3);
        snprintf(prev, sizeof prev, "%s", p ? p : "");
        cordon_engine *cur = cordon_engine_open(live, NULL);
        cordon_snapshot_info info = {0};
        if (cur)
            cordon_engine_info(cur, &info);
        last = !cur || strcmp(info.checksum, sum) != 0;
        cordon_engine_close(cur);
        if (last) /* recorded but not swapped in: finish the swap */
            rc = swap_in(file, live, err);
        if (rc == CORDON_OK)
            rc = rescreen_version(s, version, file, prev, -1, threads, r, err);
        if (rc == CORDON_OK)
            logf_(r, "recovered version %s: re-screened %llu counterparties, %llu new alerts\n",
                  version, (unsigned long long)r->rescreen.counterparties,
                  (unsigned long long)r->rescreen.new_alerts);
    }
    if (rc == CORDON_OK && step == DB_ERROR)
        rc = store_db_error(s, err, "recover");
    db_finalize(st);
    return rc;
}

static void prune(cordon_store *s, int keep)
{
    if (keep < 1)
        keep = 1;
    db_stmt *st = store_prepare(s, "SELECT snapshot_file FROM list_versions WHERE rescreen_pending"
                                   " = 0 ORDER BY id DESC LIMIT ? OFFSET ?", "prune", NULL);
    if (!st)
        return;
    db_bind_int64(st, 1, store_limit(0));
    db_bind_int64(st, 2, keep);
    while (db_step(st) == DB_ROW)
        unlink(db_column_text(st, 0));
    db_finalize(st);
}

/* One update at a time per store; a second one is told so instead of waiting. */
static int take_lock(cordon_store *s, cordon_error *err)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/update.lock", s->dir);
    int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", p, strerror(errno));
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        err_set(err, CORDON_ERR_IO, "%s: another update is running", p);
        return -1;
    }
    return fd;
}

/* Downloads a killed run left behind (version directories; delta files belong to others). */
static void clear_staging(cordon_store *s)
{
    char p[PATH_MAX + 16];
    snprintf(p, sizeof p, "%s/staging", s->dir);
    DIR *d = opendir(p);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        bool dead_delta = strncmp(de->d_name, "delta-", 6) == 0 &&
                          kill((pid_t)atol(de->d_name + 6), 0) != 0 && errno == ESRCH;
        if (!isdigit((unsigned char)de->d_name[0]) && !dead_delta)
            continue;
        char q[PATH_MAX + 300];
        snprintf(q, sizeof q, "%s/%s", p, de->d_name);
        remove_tree(q);
    }
    if (d)
        closedir(d);
}

static void make_version(char out[64])
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char day[32];
    strftime(day, sizeof day, "%Y%m%dT%H%M%S", &tm);
    snprintf(out, 64, "%s.%03ldZ", day, ts.tv_nsec / 1000000);
}

static cordon_status apply_version(run *u, cordon_engine *old, cordon_engine *neu,
                                   const char *snap, int threads, cordon_error *err)
{
    char prev[PATH_MAX + 64];
    cordon_status st = old ? cordon_update_diff(old, neu, NULL, NULL, &u->r->diff, err) : CORDON_OK;
    if (!old)
        u->r->diff.added = cordon_engine_entity_count(neu);
    if (st == CORDON_OK)
        st = promote_sources(u, err);
    if (st == CORDON_OK)
        st = keep_previous(u, old, prev, sizeof prev, err);
    if (st == CORDON_OK)
        st = record_version(u, snap, prev, neu, err);
    if (st == CORDON_OK)
        st = swap_in(snap, u->live, err);
    if (st != CORDON_OK)
        return st;
    u->r->changed = 1;
    snprintf(u->r->version, sizeof u->r->version, "%s", u->version);
    st = cordon_store_rescreen_delta(u->s, old, neu, u->conf.threshold, threads, &u->r->rescreen, err);
    if (st == CORDON_OK)
        st = set_done(u->s, u->version, err);
    if (st == CORDON_OK)
        send_webhooks(u->s, &u->conf, u->r->rescreen.run_id, u->r);
    return st;
}

static cordon_status update_body(run *u, int force, int threads, cordon_error *err)
{
    cordon_engine *old = cordon_engine_open(u->live, NULL);
    bool any = false;
    cordon_status st = fetch_all(u, &any, err);
    if (st != CORDON_OK || u->r->refused) {
        cordon_engine_close(old);
        return st;
    }
    if (!any && !force && old) {
        logf_(u->r, "no source changed: snapshot kept, nothing to re-screen\n");
        cordon_engine_close(old);
        return CORDON_OK;
    }
    char snap[PATH_MAX + 128];
    snprintf(snap, sizeof snap, "%s/snapshots/%s.snap", u->s->dir, u->version);
    cordon_engine *neu = NULL;
    st = build_version(u, old, snap, &neu, err);
    if (st == CORDON_OK && neu)
        st = apply_version(u, old, neu, snap, threads, err);
    cordon_engine_close(neu);
    cordon_engine_close(old);
    if (st == CORDON_OK && u->r->changed)
        prune(u->s, u->conf.keep);
    return st;
}

cordon_status cordon_update_run(cordon_store *s, const cordon_update_options *o,
                                cordon_update_report *r, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    cordon_update_options def = {0};
    if (!o)
        o = &def;
    memset(r, 0, sizeof *r);
    run *u = calloc(1, sizeof *u);
    if (!u)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    u->s = s;
    u->r = r;
    char live[PATH_MAX], conf[PATH_MAX + 16];
    u->live = o->snapshot ? o->snapshot : cordon_default_snapshot(live, sizeof live);
    if (o->config)
        snprintf(conf, sizeof conf, "%s", o->config);
    else {
        char d[PATH_MAX];
        cordon_default_snapshot(d, sizeof d);
        char *slash = strrchr(d, '/');
        snprintf(conf, sizeof conf, "%s/update.conf", slash ? (*slash = 0, d) : ".");
    }
    int lock = take_lock(s, err);
    cordon_status st = lock < 0 ? err->status : CORDON_OK;
    if (st == CORDON_OK) {
        clear_staging(s);
        st = cordon_update_recover(s, u->live, o->threads, r, err);
    }
    if (st == CORDON_OK)
        st = conf_read(conf, &u->conf, err);
    if (st == CORDON_OK) {
        make_version(u->version);
        snprintf(u->stage, sizeof u->stage, "%s/staging/%s", s->dir, u->version);
        if (mkdir(u->stage, 0755) != 0)
            st = err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", u->stage, strerror(errno));
    }
    if (st == CORDON_OK)
        st = update_body(u, o->force, o->threads, err);
    if (u->stage[0])
        remove_tree(u->stage);
    conf_free(&u->conf);
    free(u);
    if (lock >= 0)
        close(lock); /* releases the lock */
    return st;
}
