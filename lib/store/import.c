/* import.c - counterparties from CSV or JSON lines into the store, keyed by their stable
 * external reference: new ones are inserted, changed ones updated, both marked for screening.
 * The whole file is one transaction, so a bad row or a killed import leaves nothing half done.
 * Rows go to the database in batches (one lookup of the batch's refs, one multi-row INSERT):
 * on PostgreSQL a statement is a network round trip, so 1,000,000 rows must not cost 2,000,000
 * of them. A ref seen twice in a batch flushes it first, so a file repeating a ref counts and
 * stores exactly as row-by-row would. */
#include "store.h"

#include "../lists/reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>

#define IMPORT_MAX_LINE ((size_t)1 << 20)
#define BATCH 500   /* rows per flush: 4,500 INSERT parameters, under both dialects' limits */
#define SLOTS 1024  /* hash slots for the batch's refs (a power of two, over 2 x BATCH) */

enum { F_REF, F_NAME, F_TYPE, F_DOB, F_COUNTRY, F_ID, F_COUNT };
static const char *const field_names[F_COUNT] = {"ref", "name", "type", "dob", "country", "id"};

typedef struct {
    char *f[F_COUNT]; /* copies; NULL when absent */
    char hash[65];
    char stored[65]; /* its row_hash in the store, "" if new */
} batch_row;

typedef struct {
    cordon_store *s;
    db_stmt *find, *insert, *update; /* find and insert for a full batch */
    cordon_store_import_stats *st;
    const char *path;
    char now[32];
    batch_row rows[BATCH];
    size_t n;
    int slot[SLOTS]; /* row index + 1, 0 empty */
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

static void bind_opt(db_stmt *st, int col, const char *v)
{
    db_bind_text(st, col, v && *v ? v : NULL);
}

/* The slot of ref in the batch's table: its row's, or the empty one where it would go. */
static size_t slot_of(const importer *im, const char *ref)
{
    size_t i = (size_t)hash_bytes(ref, strlen(ref)) & (SLOTS - 1);
    while (im->slot[i] && strcmp(im->rows[im->slot[i] - 1].f[F_REF], ref) != 0)
        i = (i + 1) & (SLOTS - 1);
    return i;
}

/* "SELECT ... WHERE ref IN (?, ...)" or the multi-row INSERT, for n rows. */
static db_stmt *batch_stmt(importer *im, bool insert, size_t n)
{
    buf b = {0};
    bool ok = insert ? buf_printf(&b, "INSERT INTO counterparties(ref, name, type, dob, country,"
                                      " ident, row_hash, pending, created_at, updated_at) VALUES")
                     : buf_printf(&b, "SELECT ref, row_hash FROM counterparties WHERE ref IN (");
    for (size_t i = 0; ok && i < n; i++)
        ok = buf_printf(&b, insert ? "%s(?, ?, ?, ?, ?, ?, ?, 1, ?, ?)" : "%s?", i ? ", " : "");
    ok = ok && (insert || buf_printf(&b, ")"));
    db_stmt *st = ok ? db_prepare(im->s->db, b.data) : NULL;
    buf_free(&b);
    return st;
}

/* Looks the batch's refs up in the store (stored hashes into rows[].stored). */
static cordon_status batch_lookup(importer *im, cordon_error *err)
{
    db_stmt *st = im->n == BATCH ? im->find : batch_stmt(im, false, im->n);
    if (!st)
        return store_db_error(im->s, err, "import");
    db_reset(st);
    for (size_t i = 0; i < im->n; i++)
        db_bind_text(st, (int)i + 1, im->rows[i].f[F_REF]);
    db_step_rc rc;
    while ((rc = db_step(st)) == DB_ROW) {
        size_t k = slot_of(im, db_column_text(st, 0));
        if (im->slot[k])
            snprintf(im->rows[im->slot[k] - 1].stored, 65, "%s", db_column_text(st, 1));
    }
    cordon_status r = rc == DB_DONE ? CORDON_OK : store_db_error(im->s, err, "import");
    if (st != im->find)
        db_finalize(st);
    return r;
}

static cordon_status batch_insert(importer *im, size_t n_new, cordon_error *err)
{
    if (n_new == 0)
        return CORDON_OK;
    db_stmt *st = n_new == BATCH ? im->insert : batch_stmt(im, true, n_new);
    if (!st)
        return store_db_error(im->s, err, "import");
    db_reset(st);
    int col = 1;
    for (size_t i = 0; i < im->n; i++) {
        batch_row *r = &im->rows[i];
        if (*r->stored)
            continue;
        db_bind_text(st, col++, r->f[F_REF]);
        db_bind_text(st, col++, r->f[F_NAME]);
        for (int f = F_TYPE; f < F_COUNT; f++)
            bind_opt(st, col++, r->f[f]);
        db_bind_text(st, col++, r->hash);
        db_bind_text(st, col++, im->now);
        db_bind_text(st, col++, im->now);
    }
    cordon_status rc = db_step(st) == DB_DONE ? CORDON_OK : store_db_error(im->s, err, "import");
    if (st != im->insert)
        db_finalize(st);
    return rc;
}

/* Writes the batch: unchanged rows are counted, changed ones updated, new ones inserted. */
static cordon_status flush(importer *im, cordon_error *err)
{
    if (im->n == 0)
        return CORDON_OK;
    cordon_status rc = batch_lookup(im, err);
    size_t n_new = 0;
    for (size_t i = 0; i < im->n && rc == CORDON_OK; i++) {
        batch_row *r = &im->rows[i];
        if (!*r->stored) {
            n_new++;
            im->st->inserted++;
        } else if (strcmp(r->stored, r->hash) == 0) {
            im->st->unchanged++;
        } else {
            im->st->updated++;
            db_reset(im->update);
            db_bind_text(im->update, 1, r->f[F_REF]);
            db_bind_text(im->update, 2, r->f[F_NAME]);
            for (int f = F_TYPE; f < F_COUNT; f++)
                bind_opt(im->update, f + 1, r->f[f]);
            db_bind_text(im->update, 7, r->hash);
            db_bind_text(im->update, 8, im->now);
            if (db_step(im->update) != DB_DONE)
                rc = store_db_error(im->s, err, "import");
        }
    }
    if (rc == CORDON_OK)
        rc = batch_insert(im, n_new, err);
    for (size_t i = 0; i < im->n; i++)
        for (int f = 0; f < F_COUNT; f++)
            free(im->rows[i].f[f]);
    im->n = 0;
    memset(im->slot, 0, sizeof im->slot);
    return rc;
}

static cordon_status import_row(importer *im, long line, const char *f[F_COUNT],
                                cordon_error *err)
{
    if (!row_valid(im->path, line, f, err))
        return err->status;
    im->st->rows++;
    size_t k = slot_of(im, f[F_REF]);
    if (im->slot[k] || im->n == BATCH) { /* a ref repeated in the batch, or a full batch */
        cordon_status rc = flush(im, err);
        if (rc != CORDON_OK)
            return rc;
        k = slot_of(im, f[F_REF]);
    }
    batch_row *r = &im->rows[im->n];
    memset(r, 0, sizeof *r);
    for (int i = 0; i < F_COUNT; i++)
        if (f[i] && !(r->f[i] = strdup(f[i]))) {
            for (int j = 0; j < i; j++)
                free(r->f[j]);
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        }
    row_hash(f, r->hash);
    im->slot[k] = (int)++im->n;
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
    if (!(im->find = batch_stmt(im, false, BATCH)) || !(im->insert = batch_stmt(im, true, BATCH)) ||
        !(im->update = db_prepare(im->s->db, "UPDATE counterparties SET name = ?2, type = ?3,"
                                             " dob = ?4, country = ?5, ident = ?6, row_hash = ?7,"
                                             " pending = 1, updated_at = ?8 WHERE ref = ?1")))
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
    importer *im = calloc(1, sizeof *im);
    if (!im)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    im->s = s;
    im->st = stats ? stats : &local;
    im->path = path;
    memset(im->st, 0, sizeof *im->st);
    store_now(im->now);
    char sha[65];
    cordon_status st = sha256_file_hex(path, sha, err) ? store_begin(s, err) : err->status;
    if (st != CORDON_OK) {
        free(im);
        return st;
    }
    st = prepare_all(im, err);
    if (st == CORDON_OK)
        st = is_jsonl(path) ? import_jsonl(im, err) : import_csv(im, err);
    if (st == CORDON_OK)
        st = flush(im, err);
    for (size_t i = 0; i < im->n; i++) /* a failed import's unflushed rows */
        for (int f = 0; f < F_COUNT; f++)
            free(im->rows[i].f[f]);
    if (st == CORDON_OK && im->st->rows == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file: no counterparties", path);
    db_finalize(im->find);
    db_finalize(im->insert);
    db_finalize(im->update);
    if (st == CORDON_OK) {
        char detail[256];
        snprintf(detail, sizeof detail,
                 "{\"sha256\":\"%s\",\"rows\":%llu,\"inserted\":%llu,\"updated\":%llu,"
                 "\"unchanged\":%llu}", sha, (unsigned long long)im->st->rows,
                 (unsigned long long)im->st->inserted, (unsigned long long)im->st->updated,
                 (unsigned long long)im->st->unchanged);
        st = store_audit_add(s, actor && *actor ? actor : store_actor(), "import", path, detail,
                             err);
    }
    free(im);
    if (st != CORDON_OK) {
        store_rollback(s);
        return st;
    }
    return store_commit(s, err);
}
