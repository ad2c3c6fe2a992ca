/* csv.c - a streaming RFC 4180 reader shared by every CSV and TSV list format. It keeps one
 * record in memory, so a list of any size streams in constant space. */
#include "reader.h"

#include <errno.h>
#include <stdlib.h>

struct csv_reader {
    FILE *f;
    char *path;
    char delim;
    long line;       /* current physical line (1-based) */
    long rec_line;   /* line where the current record began */
    buf field;       /* all fields of the record, NUL-separated */
    vec offsets;     /* size_t offsets of each field into field.data */
    vec header;      /* char* copies of the first record, for csv_column */
    bool have_header;
    bool at_start;
    char rbuf[65536];
    size_t rpos, rlen;
    long total_bytes;
};

static int rd(csv_reader *r)
{
    if (r->rpos == r->rlen) {
        r->rlen = fread(r->rbuf, 1, sizeof r->rbuf, r->f);
        r->rpos = 0;
        if (r->rlen == 0)
            return EOF;
    }
    r->total_bytes++;
    return (unsigned char)r->rbuf[r->rpos++];
}

static void unrd(csv_reader *r)
{
    r->rpos--;
    r->total_bytes--;
}

csv_reader *csv_open(const char *path, char delim, cordon_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(err, CORDON_ERR_IO, "%s: %s", path, strerror(errno));
        return NULL;
    }
    csv_reader *r = calloc(1, sizeof *r);
    if (!r || !(r->path = strdup(path))) {
        free(r);
        fclose(f);
        err_set(err, CORDON_ERR_NOMEM, "%s: out of memory", path);
        return NULL;
    }
    r->f = f;
    r->delim = delim;
    r->line = 1;
    r->at_start = true;
    vec_init(&r->offsets, sizeof(size_t));
    vec_init(&r->header, sizeof(char *));
    return r;
}

void csv_close(csv_reader *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->header.len; i++)
        free(VEC_AT(&r->header, char *, i));
    vec_free(&r->header);
    vec_free(&r->offsets);
    buf_free(&r->field);
    if (r->f)
        fclose(r->f);
    free(r->path);
    free(r);
}

static int fail(csv_reader *r, cordon_error *err, cordon_status st, const char *what)
{
    err_set(err, st, "%s:%ld: %s", r->path, r->line, what);
    return -1;
}

static bool start_field(csv_reader *r)
{
    size_t *o = vec_push(&r->offsets);
    if (!o)
        return false;
    *o = r->field.len;
    return true;
}

/* Ends the current field: NUL-terminates and validates UTF-8. */
static int end_field(csv_reader *r, cordon_error *err)
{
    size_t start = VEC_AT(&r->offsets, size_t, r->offsets.len - 1);
    size_t bad;
    if (!utf8_valid(r->field.data ? r->field.data + start : "", r->field.len - start, &bad))
        return fail(r, err, CORDON_ERR_PARSE, "invalid UTF-8 in field");
    if (!buf_putc(&r->field, 0))
        return fail(r, err, CORDON_ERR_NOMEM, "out of memory");
    return 0;
}

static int add_char(csv_reader *r, cordon_error *err, int c)
{
    size_t start = VEC_AT(&r->offsets, size_t, r->offsets.len - 1);
    if (r->field.len - start >= READER_MAX_FIELD)
        return fail(r, err, CORDON_ERR_LIMIT, "field longer than 1 MiB");
    if (c == 0)
        return fail(r, err, CORDON_ERR_PARSE, "NUL byte in field (binary file?)");
    if (!buf_putc(&r->field, (char)c))
        return fail(r, err, CORDON_ERR_NOMEM, "out of memory");
    return 0;
}

int csv_next(csv_reader *r, cordon_error *err)
{
    r->field.len = 0;
    vec_clear(&r->offsets);
    int c;
    /* Skip a UTF-8 byte order mark and blank lines between records. */
    if (r->at_start) {
        r->at_start = false;
        int c1 = rd(r);
        if (c1 == 0xEF) {
            if (rd(r) != 0xBB || rd(r) != 0xBF)
                return fail(r, err, CORDON_ERR_PARSE, "invalid UTF-8 at start of file");
        } else if (c1 != EOF) {
            unrd(r);
        }
    }
    for (;;) {
        c = rd(r);
        if (c == '\r')
            continue;
        if (c == '\n') {
            r->line++;
            continue;
        }
        break;
    }
    if (c == EOF)
        return ferror(r->f) ? fail(r, err, CORDON_ERR_IO, "read error") : 0;
    r->rec_line = r->line;
    if (!start_field(r))
        return fail(r, err, CORDON_ERR_NOMEM, "out of memory");
    bool quoted = false, was_quoted = false;
    for (;; c = rd(r)) {
        if (quoted) {
            if (c == EOF)
                return fail(r, err, CORDON_ERR_PARSE, "unterminated quoted field at end of file");
            if (c == '"') {
                int d = rd(r);
                if (d == '"') {
                    if (add_char(r, err, '"'))
                        return -1;
                    continue;
                }
                if (d != EOF)
                    unrd(r);
                quoted = false;
                continue;
            }
            if (c == '\n')
                r->line++;
            if (add_char(r, err, c))
                return -1;
            continue;
        }
        if (c == EOF || c == '\n' || (c == '\r')) {
            if (c == '\r') {
                int d = rd(r);
                if (d != '\n' && d != EOF)
                    unrd(r);
            }
            if (end_field(r, err))
                return -1;
            if (c != EOF)
                r->line++;
            break;
        }
        if (c == r->delim) {
            if (end_field(r, err))
                return -1;
            if (!start_field(r))
                return fail(r, err, CORDON_ERR_NOMEM, "out of memory");
            was_quoted = false;
            continue;
        }
        if (c == '"') {
            /* A quote opens a quoted section only at the start of a field (after optional
             * spaces); elsewhere it is a literal, as lenient readers of real lists must allow. */
            size_t start = VEC_AT(&r->offsets, size_t, r->offsets.len - 1);
            bool only_space = true;
            for (size_t i = start; i < r->field.len; i++)
                if (r->field.data[i] != ' ')
                    only_space = false;
            if (only_space && !was_quoted) {
                r->field.len = start;
                quoted = was_quoted = true;
                continue;
            }
        }
        if (add_char(r, err, c))
            return -1;
    }
    if (!r->have_header) {
        r->have_header = true;
        for (size_t i = 0; i < csv_nfields(r); i++) {
            char **slot = vec_push(&r->header);
            if (!slot || !(*slot = strdup(csv_field(r, i))))
                return fail(r, err, CORDON_ERR_NOMEM, "out of memory");
        }
    }
    return 1;
}

size_t csv_nfields(const csv_reader *r) { return r->offsets.len; }

const char *csv_field(const csv_reader *r, size_t i)
{
    if (i >= r->offsets.len)
        return "";
    return r->field.data + VEC_AT(&r->offsets, size_t, i);
}

long csv_line(const csv_reader *r) { return r->rec_line; }
const char *csv_path(const csv_reader *r) { return r->path; }

int csv_column(const csv_reader *r, const char *name)
{
    for (size_t i = 0; i < r->header.len; i++) {
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s", VEC_AT(&r->header, char *, i));
        str_squeeze(tmp);
        if (str_ieq(tmp, name))
            return (int)i;
    }
    return -1;
}
