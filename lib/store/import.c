/* import.c - counterparties from CSV or JSON lines into the store, keyed by their stable
 * external reference: new ones are inserted, changed ones updated, both marked for screening.
 * The whole file is one transaction, so a bad row or a killed import leaves nothing half done. */
#include "store.h"

#include "../lists/reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#define IMPORT_MAX_LINE ((size_t)1 << 20)

enum { F_REF, F_NAME, F_TYPE, F_DOB, F_COUNTRY, F_ID, F_COUNT };
static const char *const field_names[F_COUNT] = {"ref", "name", "type", "dob", "country", "id"};

typedef struct {
    cordon_store *s;
    sqlite3_stmt *find, *insert, *update;
    cordon_store_import_stats *st;
    const char *path;
    char now[32];
} importer;

/* Checks one row; returns false with err naming path:line and the field. */
static bool row_valid(const char *path, long line, const char *f[F_COUNT], cordon_error *err)
{
    if (!f[F_REF] || str_is_blank(f[F_REF]))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: `ref` (the external id) is missing",
                       path, line), false;
    if (!f[F_NAME] || str_is_blank(f[F_NAME]))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: `name` is missing", path, line), false;
    for (int i = 0; i < F_COUNT; i++)
        if (f[i] && strlen(f[i]) > CORDON_MAX_QUERY_BYTES)
            return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: `%s` is longer than %d bytes", path,
                           line, field_names[i], CORDON_MAX_QUERY_BYTES), false;
    if (f[F_TYPE] && *f[F_TYPE] && cordon_entity_type_parse(f[F_TYPE]) == CORDON_TYPE_UNKNOWN)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: `type` '%s' is not person, organization,"
                       " vessel or aircraft", path, line, f[F_TYPE]), false;
    cordon_date d;
    if (f[F_DOB] && *f[F_DOB] && !date_parse_iso(f[F_DOB], &d))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: `dob` '%s' is not YYYY[-MM[-DD]]", path,
                       line, f[F_DOB]), false;
    if (f[F_ID] && *f[F_ID] && (!strchr(f[F_ID], ':') || f[F_ID][0] == ':'))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: `id` '%s' is not TYPE:VALUE", path, line,
                       f[F_ID]), false;
    return true;
}

static void row_hash(const char *f[F_COUNT], char out[65])
{
    buf b = {0};
    for (int i = 0; i < F_COUNT; i++)
        buf_printf(&b, "%zu:%s\n", f[i] ? strlen(f[i]) : 0, f[i] ? f[i] : "");
    if (!sha256_hex(b.data ? b.data : "", b.len, out))
        out[0] = 0;
    buf_free(&b);
}

static void bind_opt(sqlite3_stmt *st, int col, const char *v)
{
    if (v && *v)
        sqlite3_bind_text(st, col, v, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, col);
}

static cordon_status import_row(importer *im, long line, const char *f[F_COUNT],
                                cordon_error *err)
{
    if (!row_valid(im->path, line, f, err))
        return err->status;
    char hash[65];
    row_hash(f, hash);
    im->st->rows++;
    sqlite3_reset(im->find);
    sqlite3_bind_text(im->find, 1, f[F_REF], -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(im->find);
    sqlite3_stmt *w;
    if (rc == SQLITE_ROW) {
        if (strcmp((const char *)sqlite3_column_text(im->find, 0), hash) == 0) {
            im->st->unchanged++;
            return CORDON_OK;
        }
        w = im->update;
        im->st->updated++;
    } else if (rc == SQLITE_DONE) {
        w = im->insert;
        im->st->inserted++;
    } else {
        return store_db_error(im->s, err, "import");
    }
    sqlite3_reset(w);
    sqlite3_bind_text(w, 1, f[F_REF], -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w, 2, f[F_NAME], -1, SQLITE_TRANSIENT);
    for (int i = F_TYPE; i < F_COUNT; i++)
        bind_opt(w, i + 1, f[i]);
    sqlite3_bind_text(w, 7, hash, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(w, 8, im->now, -1, SQLITE_STATIC);
    if (sqlite3_step(w) != SQLITE_DONE)
        return store_db_error(im->s, err, "import");
    return CORDON_OK;
}

static cordon_status import_csv(importer *im, cordon_error *err)
{
    csv_reader *r = csv_open(im->path, ',', err);
    if (!r)
        return err->status;
    int got = csv_next(r, err);
    if (got <= 0) {
        csv_close(r);
        return got < 0 ? err->status
                       : err_set(err, CORDON_ERR_PARSE, "%s:1: empty file: no header row", im->path);
    }
    int col[F_COUNT];
    for (int i = 0; i < F_COUNT; i++)
        col[i] = csv_column(r, field_names[i]);
    if (col[F_REF] < 0 || col[F_NAME] < 0) {
        csv_close(r);
        return err_set(err, CORDON_ERR_PARSE, "%s:1: the header needs `ref` and `name` columns",
                       im->path);
    }
    size_t ncols = csv_nfields(r);
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && (got = csv_next(r, err)) > 0) {
        if (csv_nfields(r) == 1 && !*csv_field(r, 0))
            continue; /* blank line */
        if (csv_nfields(r) != ncols) {
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: %zu fields, the header has %zu",
                         im->path, csv_line(r), csv_nfields(r), ncols);
            break;
        }
        const char *f[F_COUNT];
        for (int i = 0; i < F_COUNT; i++)
            f[i] = col[i] >= 0 ? csv_field(r, (size_t)col[i]) : NULL;
        st = import_row(im, csv_line(r), f, err);
    }
    if (got < 0)
        st = err->status;
    csv_close(r);
    return st;
}

static cordon_status json_row(importer *im, long line, const char *text, cordon_error *err)
{
    json_error_t je;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES, &je);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: not a JSON object%s%s", im->path, line,
                       o ? "" : ": ", o ? "" : je.text);
    }
    const char *f[F_COUNT];
    char num[F_COUNT][32];
    cordon_status st = CORDON_OK;
    for (int i = 0; i < F_COUNT && st == CORDON_OK; i++) {
        json_t *v = json_object_get(o, field_names[i]);
        f[i] = NULL;
        if (json_is_string(v))
            f[i] = json_string_value(v);
        else if (json_is_integer(v)) {
            snprintf(num[i], sizeof num[i], "%lld", (long long)json_integer_value(v));
            f[i] = num[i];
        } else if (v && !json_is_null(v))
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: `%s` must be a string", im->path, line,
                         field_names[i]);
    }
    if (st == CORDON_OK)
        st = import_row(im, line, f, err);
    json_decref(o);
    return st;
}

static cordon_status import_jsonl(importer *im, cordon_error *err)
{
    FILE *fp = fopen(im->path, "rb");
    if (!fp)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", im->path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long no = 0;
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && (n = getline(&line, &cap, fp)) >= 0) {
        no++;
        if ((size_t)n > IMPORT_MAX_LINE) {
            st = err_set(err, CORDON_ERR_LIMIT, "%s:%ld: line longer than %zu bytes", im->path,
                         no, IMPORT_MAX_LINE);
            break;
        }
        if (memchr(line, 0, (size_t)n)) {
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: NUL byte (binary file?)", im->path, no);
            break;
        }
        if (str_is_blank(line))
            continue;
        st = json_row(im, no, line, err);
    }
    if (st == CORDON_OK && ferror(fp))
        st = err_set(err, CORDON_ERR_IO, "%s: read error", im->path);
    free(line);
    fclose(fp);
    return st;
}

static bool is_jsonl(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && (strcmp(dot, ".jsonl") == 0 || strcmp(dot, ".json") == 0 ||
                strcmp(dot, ".ndjson") == 0))
        return true;
    FILE *f = fopen(path, "rb");
    int c = f ? fgetc(f) : EOF;
    while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
        c = fgetc(f);
    if (f)
        fclose(f);
    return c == '{';
}

static cordon_status prepare_all(importer *im, cordon_error *err)
{
    sqlite3 *db = im->s->db;
    if (sqlite3_prepare_v2(db, "SELECT row_hash FROM counterparties WHERE ref = ?", -1,
                           &im->find, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO counterparties(ref, name, type, dob, country, ident,"
                               " row_hash, pending, created_at, updated_at)"
                               " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?8)", -1,
                           &im->insert, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "UPDATE counterparties SET name = ?2, type = ?3, dob = ?4,"
                               " country = ?5, ident = ?6, row_hash = ?7, pending = 1,"
                               " updated_at = ?8 WHERE ref = ?1", -1, &im->update,
                           NULL) != SQLITE_OK)
        return store_db_error(im->s, err, "import");
    return CORDON_OK;
}

cordon_status cordon_store_import(cordon_store *s, const char *path, const char *actor,
                                  cordon_store_import_stats *stats, cordon_error *err)
{
    cordon_error local_err;
    if (!err)
        err = &local_err;
    cordon_store_import_stats local = {0};
    importer im = {s, NULL, NULL, NULL, stats ? stats : &local, path, ""};
    memset(im.st, 0, sizeof *im.st);
    store_now(im.now);
    char sha[65];
    if (!sha256_file_hex(path, sha, err))
        return err->status;
    if (store_begin(s, err) != CORDON_OK)
        return err->status;
    cordon_status st = prepare_all(&im, err);
    if (st == CORDON_OK)
        st = is_jsonl(path) ? import_jsonl(&im, err) : import_csv(&im, err);
    if (st == CORDON_OK && im.st->rows == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file: no counterparties", path);
    sqlite3_finalize(im.find);
    sqlite3_finalize(im.insert);
    sqlite3_finalize(im.update);
    if (st == CORDON_OK) {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "{\"sha256\":\"%s\",\"rows\":%llu,\"inserted\":%llu,\"updated\":%llu,"
                 "\"unchanged\":%llu}", sha, (unsigned long long)im.st->rows,
                 (unsigned long long)im.st->inserted, (unsigned long long)im.st->updated,
                 (unsigned long long)im.st->unchanged);
        st = store_audit_add(s, actor && *actor ? actor : store_actor(), "import", path, detail,
                             err);
    }
    if (st != CORDON_OK) {
        store_rollback(s);
        return st;
    }
    return store_commit(s, err);
}
