/* uk_csv.c - the UK OFSI consolidated list of financial sanctions targets (ConList.csv,
 * 2022 format).
 *
 * Written from the published column layout only: no real file could be obtained offline, so
 * this reader is tested on a fixture written to that layout (tests/fixtures/uk/), not on
 * the real list. Check it against a real download before relying on it.
 *
 * Layout: an optional first line "Last Updated,DD/MM/YYYY", then a header row (Name 6, Name
 * 1..5, Title, Name Non-Latin Script, ..., Regime, Listed On, UK Sanctions List Date
 * Designated, Last Updated, Group ID), then one row per (name, address, date of birth...)
 * combination. Rows sharing a Group ID are one target: the row whose Alias Type is "Primary
 * name" gives the primary name and type, the others are aliases ("Primary name variation",
 * "AKA": strong unless Alias Quality says "Low quality"; "FKA": former). Rows of one group
 * need not be adjacent, so the whole file is read before entities are emitted. Dates are
 * day-first (DD/MM/YYYY, "00" for an unknown day or month). Multi-valued cells are numbered:
 * "(1) Iraq (2) Jordan". A ship's IMO number, which the list writes into Other Information
 * ("(IMO number):9123456"), also becomes an IMO identifier. */
#include "reader.h"

#include <ctype.h>
#include <stdlib.h>

enum {
    U_NAME6,
    U_NAME1,
    U_NAME2,
    U_NAME3,
    U_NAME4,
    U_NAME5,
    U_TITLE,
    U_NONLATIN,
    U_DOB,
    U_TOWN,
    U_BIRTH_COUNTRY,
    U_NATIONALITY,
    U_PASSPORT,
    U_PASSPORT_DETAILS,
    U_NATIONAL_ID,
    U_POSITION,
    U_ADDR1,
    U_ADDR2,
    U_ADDR3,
    U_ADDR4,
    U_ADDR5,
    U_ADDR6,
    U_POSTCODE,
    U_COUNTRY,
    U_OTHER,
    U_GROUP_TYPE,
    U_ALIAS_TYPE,
    U_REGIME,
    U_LISTED_ON,
    U_GROUP_ID,
    /* optional: absent from older layouts */
    U_ALIAS_QUALITY,
    U_UK_DESIGNATED,
    U_NATIONAL_ID_DETAILS,
    U_COUNT
};
#define U_REQUIRED U_ALIAS_QUALITY

static const char *const col_names[U_COUNT] = {
    "Name 6", "Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Title",
    "Name Non-Latin Script", "DOB", "Town of Birth", "Country of Birth", "Nationality",
    "Passport Number", "Passport Details", "National Identification Number", "Position",
    "Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6",
    "Post/Zip Code", "Country", "Other Information", "Group Type", "Alias Type", "Regime",
    "Listed On", "Group ID", "Alias Quality", "UK Sanctions List Date Designated",
    "National Identification Details"};

/* Limits that keep a hostile file from taking minutes: the builder and this reader drop
 * repeats by linear search. Real targets have at most a few dozen rows and values. */
#define MAX_GROUP_ROWS 5000
#define MAX_VALUES 1000

typedef struct uk_row {
    const char **f; /* U_COUNT fields, "" where the column is absent */
    const char *gid;
    long line;
    size_t seq; /* position in the file */
} uk_row;

typedef struct uk_group {
    size_t start, count, first_seq;
} uk_group;

typedef struct uk {
    csv_reader *r;
    eb *b;
    const char *path;
    int col[U_COUNT];
    size_t nheader;
    cordon_arena *rows_arena; /* every stored field */
    vec rows;                 /* uk_row */
    buf scratch;
    vec seen; /* const char*: remarks and addresses already given to the open entity */
} uk;

/* ---- header ----------------------------------------------------------------------------- */

/* Index of a column of the current record (the header), squeezed and case-insensitive. */
static int header_index(uk *u, const char *name)
{
    for (size_t i = 0; i < csv_nfields(u->r); i++) {
        char t[80];
        const char *f = csv_field(u->r, i);
        if (strnlen(f, sizeof t) == sizeof t) /* longer than any column name */
            continue;
        memcpy(t, f, strlen(f) + 1);
        str_squeeze(t);
        if (str_ieq(t, name))
            return (int)i;
    }
    return -1;
}

/* "DD/MM/YYYY" with 00 for unknown parts; false for any other form. */
static bool uk_date(const char *s, cordon_date *d)
{
    int dd, mm, yy;
    char extra;
    while (isspace((unsigned char)*s))
        s++;
    if (!isdigit((unsigned char)*s) || sscanf(s, "%2d/%2d/%4d %c", &dd, &mm, &yy, &extra) != 3)
        return false;
    if (yy < 1000 || mm < 0 || mm > 12 || dd < 0 || dd > 31)
        return false;
    memset(d, 0, sizeof *d);
    d->year_from = d->year_to = (int16_t)yy;
    d->month = (uint8_t)mm;
    d->day = mm ? (uint8_t)dd : 0;
    return true;
}

static void uk_date_iso(const char *s, char out[32])
{
    cordon_date d;
    out[0] = 0;
    if (uk_date(s, &d))
        date_format(&d, out);
}

/* Reads the optional "Last Updated" line and the header row. */
static cordon_status read_header(uk *u, cordon_source_meta *meta, cordon_error *err)
{
    int got = csv_next(u->r, err);
    if (got < 0)
        return err->status;
    if (got == 0)
        return err_set(err, CORDON_ERR_PARSE, "%s: empty file", u->path);
    if (header_index(u, "Group ID") < 0 && str_ieq(csv_field(u->r, 0), "Last Updated")) {
        if (meta)
            uk_date_iso(csv_field(u->r, 1), meta->published);
        if ((got = csv_next(u->r, err)) < 0)
            return err->status;
        if (got == 0)
            return err_set(err, CORDON_ERR_PARSE, "%s: no header row after 'Last Updated'",
                           u->path);
    }
    for (int i = 0; i < U_COUNT; i++) {
        u->col[i] = header_index(u, col_names[i]);
        if (u->col[i] < 0 && i < U_REQUIRED)
            return err_set(err, CORDON_ERR_PARSE,
                           "%s:%ld: missing column '%s' in header (not an OFSI ConList.csv?)",
                           u->path, csv_line(u->r), col_names[i]);
    }
    u->nheader = csv_nfields(u->r);
    return CORDON_OK;
}

/* ---- reading rows ----------------------------------------------------------------------- */

static cordon_status store_row(uk *u, cordon_error *err)
{
    long line = csv_line(u->r);
    if (csv_nfields(u->r) != u->nheader)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected %zu fields, found %zu",
                       u->path, line, u->nheader, csv_nfields(u->r));
    const char **f = arena_alloc(u->rows_arena, U_COUNT * sizeof *f);
    uk_row *row = f ? vec_push(&u->rows) : NULL;
    if (!row)
        return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", u->path, line);
    for (int i = 0; i < U_COUNT; i++) {
        f[i] = u->col[i] < 0 ? "" : arena_strdup(u->rows_arena, csv_field(u->r, (size_t)u->col[i]));
        if (!f[i])
            return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", u->path, line);
    }
    row->f = f;
    row->line = line;
    row->seq = u->rows.len - 1;
    char *gid = arena_strdup(u->rows_arena, f[U_GROUP_ID]);
    if (!gid)
        return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", u->path, line);
    str_squeeze(gid);
    row->gid = gid;
    if (!gid[0])
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: empty Group ID", u->path, line);
    static const int numbered[] = {U_DOB, U_NATIONALITY, U_PASSPORT, U_NATIONAL_ID};
    for (size_t i = 0; i < ARRAY_LEN(numbered); i++) {
        size_t n = 0;
        for (const char *s = f[numbered[i]]; *s; s++)
            n += *s == '(';
        if (n >= MAX_VALUES)
            return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: column '%s' has more than %d values",
                           u->path, line, col_names[numbered[i]], MAX_VALUES);
    }
    bool named = false;
    for (int i = U_NAME6; i <= U_NAME5; i++)
        named = named || !str_is_blank(f[i]);
    if (!named)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: empty name (Name 1 to Name 6)", u->path,
                       line);
    return CORDON_OK;
}

static int row_cmp(const void *a, const void *b)
{
    const uk_row *x = a, *y = b;
    int c = strcmp(x->gid, y->gid);
    return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

static int group_cmp(const void *a, const void *b)
{
    const uk_group *x = a, *y = b;
    return (x->first_seq > y->first_seq) - (x->first_seq < y->first_seq);
}

/* ---- one target ------------------------------------------------------------------------- */

/* True the first time s is seen for the open entity. */
static bool first_time(uk *u, const char *s)
{
    for (size_t i = 0; i < u->seen.len; i++)
        if (strcmp(VEC_AT(&u->seen, const char *, i), s) == 0)
            return false;
    const char **slot = vec_push(&u->seen);
    const char *copy = slot ? eb_strdup(u->b, s, strlen(s)) : NULL;
    if (!copy) {
        if (slot)
            u->seen.len--;
        return true;
    }
    *slot = copy;
    return true;
}

static void remark_once(uk *u, const char *label, const char *text)
{
    if (str_is_blank(text))
        return;
    buf t = {0};
    if (!(label ? buf_printf(&t, "%s: %s", label, text) : buf_puts(&t, text))) {
        buf_free(&t);
        return;
    }
    str_squeeze(t.data); /* multi-line cells become one line, and repeats compare equal */
    if (first_time(u, t.data))
        eb_append_remarks(u->b, t.data);
    buf_free(&t);
}

/* Calls fn for each item of a numbered cell "(1) A (2) B", or once for a plain cell. */
static void each_numbered(uk *u, const char *text, void (*fn)(uk *, const char *))
{
    const char *s = text;
    for (;;) {
        while (isspace((unsigned char)*s))
            s++;
        size_t skip = 0;
        if (*s == '(') {
            size_t d = strspn(s + 1, "0123456789");
            if (d && s[1 + d] == ')')
                skip = d + 2;
        }
        s += skip;
        /* the item ends at the next "(N)" marker */
        const char *e = s;
        for (; *e; e++) {
            size_t d = *e == '(' ? strspn(e + 1, "0123456789") : 0;
            if (d && e[1 + d] == ')' && skip)
                break;
        }
        const char *item = eb_strdup(u->b, s, (size_t)(e - s));
        if (item && *item)
            fn(u, item);
        if (!*e)
            return;
        s = e;
    }
}

static void add_nationality(uk *u, const char *s) { eb_add_nationality(u->b, s); }

static void add_passport(uk *u, const char *s)
{
    eb_add_id(u->b, CORDON_ID_PASSPORT, "Passport", s, NULL);
}

static void add_national_id(uk *u, const char *s)
{
    eb_add_id(u->b, CORDON_ID_NATIONAL_ID, "National Identification Number", s, NULL);
}

static void add_birth_date(uk *u, const char *s)
{
    cordon_date d;
    if (uk_date(s, &d))
        eb_add_birth_date(u->b, d);
    else if (!eb_add_birth_date_text(u->b, s))
        remark_once(u, "DOB", s);
}

/* Joins the non-blank fields f[from..to] with sep into u->scratch; false when out of memory. */
static bool join(uk *u, const uk_row *row, int from, int to, const char *sep)
{
    u->scratch.len = 0;
    if (!buf_puts(&u->scratch, ""))
        return false;
    for (int i = from; i <= to; i++) {
        if (str_is_blank(row->f[i]))
            continue;
        if ((u->scratch.len && !buf_puts(&u->scratch, sep)) || !buf_puts(&u->scratch, row->f[i]))
            return false;
    }
    return true;
}

static cordon_name_kind alias_kind(const uk_row *row)
{
    const char *type = row->f[U_ALIAS_TYPE], *quality = row->f[U_ALIAS_QUALITY];
    if (str_icontains(type, "FKA") || str_icontains(type, "formerly"))
        return CORDON_NAME_FORMER;
    if (str_icontains(quality, "low"))
        return CORDON_NAME_WEAK_AKA;
    return CORDON_NAME_STRONG_AKA;
}

static bool is_primary(const uk_row *row)
{
    char t[64];
    snprintf(t, sizeof t, "%s", row->f[U_ALIAS_TYPE]);
    str_squeeze(t);
    return str_ieq(t, "Primary name") || str_ieq(t, "Prime Alias");
}

/* Full name "Name 1 .. Name 5 Name 6"; persons also get given (1), middle (2-5), family (6). */
static void add_row_name(uk *u, const uk_row *row, cordon_name_kind kind)
{
    const char *const *f = row->f;
    const char *middle = NULL;
    if (eb_type(u->b) == CORDON_TYPE_PERSON) {
        if (!join(u, row, U_NAME2, U_NAME5, " "))
            return;
        middle = eb_strdup(u->b, u->scratch.data, u->scratch.len);
    }
    if (!join(u, row, U_NAME1, U_NAME5, " "))
        return;
    if (!str_is_blank(f[U_NAME6]) &&
        ((u->scratch.len && !buf_putc(&u->scratch, ' ')) || !buf_puts(&u->scratch, f[U_NAME6])))
        return;
    if (eb_type(u->b) == CORDON_TYPE_PERSON)
        eb_add_name(u->b, kind, u->scratch.data, f[U_NAME1], middle, f[U_NAME6]);
    else
        eb_add_name(u->b, kind, u->scratch.data, NULL, NULL, NULL);
}

static void add_row_address(uk *u, const uk_row *row)
{
    if (!join(u, row, U_ADDR1, U_POSTCODE, ", "))
        return;
    buf key = {0};
    if (buf_printf(&key, "address|%s|%s", u->scratch.data, row->f[U_COUNTRY]) &&
        first_time(u, key.data))
        eb_add_address(u->b, u->scratch.data,
                       str_is_blank(row->f[U_COUNTRY]) ? NULL : row->f[U_COUNTRY]);
    buf_free(&key);
}

/* Ships' IMO numbers are written into Other Information ("(IMO number):9123456"). */
static void add_imo(uk *u, const char *other)
{
    const char *s = str_icontains(other, "IMO");
    if (!s)
        return;
    s += 3;
    size_t skip = strcspn(s, "0123456789");
    if (skip > 12 || strspn(s + skip, "0123456789") != 7)
        return;
    eb_add_id(u->b, CORDON_ID_IMO, "IMO number", eb_strdup(u->b, s + skip, 7), NULL);
}

static void add_row_details(uk *u, const uk_row *row)
{
    const char *const *f = row->f;
    eb_add_name(u->b, CORDON_NAME_ORIGINAL, f[U_NONLATIN], NULL, NULL, NULL);
    each_numbered(u, f[U_DOB], add_birth_date);
    if (join(u, row, U_TOWN, U_BIRTH_COUNTRY, ", "))
        eb_add_birth_place(u->b, u->scratch.data);
    each_numbered(u, f[U_NATIONALITY], add_nationality);
    each_numbered(u, f[U_PASSPORT], add_passport);
    remark_once(u, "Passport details", f[U_PASSPORT_DETAILS]);
    each_numbered(u, f[U_NATIONAL_ID], add_national_id);
    remark_once(u, "National identification details", f[U_NATIONAL_ID_DETAILS]);
    remark_once(u, "Title", f[U_TITLE]);
    remark_once(u, "Position", f[U_POSITION]);
    add_row_address(u, row);
    remark_once(u, NULL, f[U_OTHER]);
    const char *g = str_icontains(f[U_OTHER], "(Gender):");
    if (g)
        eb_set_gender(u->b, g + 9);
    if (eb_type(u->b) == CORDON_TYPE_VESSEL)
        add_imo(u, f[U_OTHER]);
    eb_add_program(u->b, f[U_REGIME]);
}

static cordon_entity_type group_type(const char *s)
{
    char t[32];
    snprintf(t, sizeof t, "%s", s);
    str_squeeze(t);
    if (str_ieq(t, "Ship"))
        return CORDON_TYPE_VESSEL;
    return cordon_entity_type_parse(t);
}

static cordon_status emit_group(uk *u, const uk_row *rows, size_t n)
{
    const uk_row *primary = &rows[0];
    for (size_t i = 0; i < n; i++)
        if (is_primary(&rows[i])) {
            primary = &rows[i];
            break;
        }
    eb_begin(u->b, group_type(primary->f[U_GROUP_TYPE]), primary->gid);
    vec_clear(&u->seen);
    add_row_name(u, primary, CORDON_NAME_PRIMARY);
    for (size_t i = 0; i < n; i++)
        if (&rows[i] != primary)
            add_row_name(u, &rows[i], alias_kind(&rows[i]));
    add_row_details(u, primary);
    for (size_t i = 0; i < n; i++)
        if (&rows[i] != primary)
            add_row_details(u, &rows[i]);
    char listed[32];
    uk_date_iso(primary->f[U_LISTED_ON], listed);
    if (!listed[0])
        uk_date_iso(primary->f[U_UK_DESIGNATED], listed);
    if (listed[0])
        eb_set_listed_on(u->b, listed);
    return eb_commit(u->b);
}

static cordon_status emit_all(uk *u, cordon_error *err)
{
    uk_row *rows = u->rows.data;
    size_t n = u->rows.len;
    qsort(rows, n, sizeof *rows, row_cmp);
    vec groups;
    vec_init(&groups, sizeof(uk_group));
    cordon_status st = CORDON_OK;
    for (size_t i = 0; i < n && st == CORDON_OK; i++) {
        uk_group *g = groups.len ? &VEC_AT(&groups, uk_group, groups.len - 1) : NULL;
        if (g && strcmp(rows[g->start].gid, rows[i].gid) == 0) {
            g->count++;
            continue;
        }
        if (!(g = vec_push(&groups)))
            st = err_set(err, CORDON_ERR_NOMEM, "%s: out of memory", u->path);
        else
            *g = (uk_group){i, 1, rows[i].seq};
    }
    if (st == CORDON_OK)
        qsort(groups.data, groups.len, sizeof(uk_group), group_cmp);
    for (size_t i = 0; i < groups.len && st == CORDON_OK; i++) {
        uk_group *g = &VEC_AT(&groups, uk_group, i);
        if (g->count > MAX_GROUP_ROWS) {
            st = err_set(err, CORDON_ERR_LIMIT, "%s:%ld: Group ID %s has more than %d rows",
                         u->path, rows[g->start].line, rows[g->start].gid, MAX_GROUP_ROWS);
            break;
        }
        st = emit_group(u, rows + g->start, g->count);
        if (st != CORDON_OK)
            err_set(err, st, "%s:%ld: %s (Group ID %s)", u->path, rows[g->start].line,
                    st == CORDON_ERR_NOMEM ? "out of memory" : "stopped by the caller",
                    rows[g->start].gid);
    }
    vec_free(&groups);
    return st;
}

static cordon_status read_all(uk *u, cordon_source_meta *meta, cordon_error *err)
{
    cordon_status st = read_header(u, meta, err);
    int got = 0;
    while (st == CORDON_OK && (got = csv_next(u->r, err)) == 1)
        st = store_row(u, err);
    if (st != CORDON_OK)
        return st;
    if (got < 0)
        return err->status;
    if (u->rows.len == 0)
        return err_set(err, CORDON_ERR_PARSE, "%s: no entities (header only)", u->path);
    return emit_all(u, err);
}

cordon_status read_uk_csv(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    cordon_error local;
    if (!err)
        err = &local;
    if (meta)
        meta->published[0] = 0;
    uk u = {.b = b, .path = path};
    vec_init(&u.rows, sizeof(uk_row));
    vec_init(&u.seen, sizeof(char *));
    u.rows_arena = cordon_arena_new();
    if (!u.rows_arena)
        return err_set(err, CORDON_ERR_NOMEM, "%s: out of memory", path);
    cordon_status st;
    u.r = csv_open(path, ',', err);
    st = u.r ? read_all(&u, meta, err) : err->status;
    csv_close(u.r);
    cordon_arena_free(u.rows_arena);
    vec_free(&u.rows);
    vec_free(&u.seen);
    buf_free(&u.scratch);
    return st;
}
