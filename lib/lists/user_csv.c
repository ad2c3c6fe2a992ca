/* user_csv.c - a user's own watch list: CSV with a header row, columns documented in
 * docs/formats/user-csv.md. The reader is strict because nobody else checks a hand-made list:
 * an unknown column, an empty required field, a duplicate id, an unknown type, country,
 * identifier type or date is an error naming the file, the line and the column. */
#include "reader.h"

#include <stdlib.h>

enum {
    F_ID,
    F_NAME,
    F_TYPE,
    F_ALIASES,
    F_DOB,
    F_NATIONALITY,
    F_COUNTRY,
    F_ADDRESS,
    F_IDENTIFIERS,
    F_PROGRAM,
    F_REMARKS,
    F_COUNT
};

static const char *const col_names[F_COUNT] = {
    "id",      "name",        "type",    "aliases", "dob",    "nationality",
    "country", "address",     "identifiers", "program", "remarks"};

/* Most values one ';'-separated cell may hold: the builder drops repeats by linear search,
 * so a hostile cell of 100,000 aliases would take minutes. */
#define MAX_VALUES 1000

/* A set of the ids seen so far and the line of each: open addressing, power-of-two size. */
typedef struct id_slot {
    char *id;
    long line;
} id_slot;

typedef struct id_set {
    id_slot *slots;
    size_t cap, len;
} id_set;

typedef struct user {
    csv_reader *r;
    eb *b;
    const char *path;
    int col[F_COUNT];
    size_t nheader;
    id_set ids;
    cordon_error *err;
} user;

static void id_set_free(id_set *s)
{
    for (size_t i = 0; i < s->cap; i++)
        free(s->slots[i].id);
    free(s->slots);
}

static id_slot *id_set_find(id_slot *slots, size_t cap, const char *id)
{
    size_t i = (size_t)hash_bytes(id, strlen(id)) & (cap - 1);
    while (slots[i].id && strcmp(slots[i].id, id) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static bool id_set_grow(id_set *s)
{
    size_t cap = s->cap ? s->cap * 2 : 256;
    id_slot *slots = xcalloc_array(cap, sizeof *slots);
    if (!slots)
        return false;
    for (size_t i = 0; i < s->cap; i++)
        if (s->slots[i].id)
            *id_set_find(slots, cap, s->slots[i].id) = s->slots[i];
    free(s->slots);
    s->slots = slots;
    s->cap = cap;
    return true;
}

/* Adds id; returns the line it was first seen on if already there, 0 if new, -1 on OOM. */
static long id_set_add(id_set *s, const char *id, long line)
{
    if ((s->len + 1) * 2 > s->cap && !id_set_grow(s))
        return -1;
    id_slot *slot = id_set_find(s->slots, s->cap, id);
    if (slot->id)
        return slot->line;
    if (!(slot->id = strdup(id)))
        return -1;
    slot->line = line;
    s->len++;
    return 0;
}

/* ---- errors and fields ------------------------------------------------------------------ */

static cordon_status fail(user *u, int column, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Sets "FILE:LINE: [column 'C': ]message" and returns CORDON_ERR_PARSE. */
static cordon_status fail(user *u, int column, const char *fmt, ...)
{
    char msg[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (column < 0)
        return err_set(u->err, CORDON_ERR_PARSE, "%s:%ld: %s", u->path, csv_line(u->r), msg);
    return err_set(u->err, CORDON_ERR_PARSE, "%s:%ld: column '%s': %s", u->path,
                   csv_line(u->r), col_names[column], msg);
}

static const char *field(const user *u, int which)
{
    return u->col[which] < 0 ? "" : csv_field(u->r, (size_t)u->col[which]);
}

/* A copy of s trimmed and squeezed, in the entity's arena ("" when out of memory). */
static const char *copy(user *u, const char *s, size_t n)
{
    const char *c = eb_strdup(u->b, s, n);
    return c ? c : "";
}

static cordon_status read_header(user *u)
{
    for (int i = 0; i < F_COUNT; i++)
        u->col[i] = csv_column(u->r, col_names[i]);
    for (size_t i = 0; i < csv_nfields(u->r); i++) {
        char name[64];
        snprintf(name, sizeof name, "%s", csv_field(u->r, i));
        str_squeeze(name);
        bool known = false;
        for (int c = 0; c < F_COUNT; c++)
            if (str_ieq(name, col_names[c])) {
                known = true;
                if (u->col[c] != (int)i)
                    return fail(u, -1, "column '%s' appears twice in the header", name);
            }
        if (!known)
            return fail(u, -1,
                        "unknown column '%.100s' (known: id, name, type, aliases, dob, nationality, "
                        "country, address, identifiers, program, remarks)",
                        csv_field(u->r, i));
    }
    if (u->col[F_ID] < 0)
        return fail(u, -1, "missing required column '%s' in header", "id");
    if (u->col[F_NAME] < 0)
        return fail(u, -1, "missing required column '%s' in header", "name");
    u->nheader = csv_nfields(u->r);
    return CORDON_OK;
}

/* ---- one row ---------------------------------------------------------------------------- */

/* Calls fn for every non-empty ';'-separated part of the column; stops at the first error. */
static cordon_status each_part(user *u, int column,
                               cordon_status (*fn)(user *, int, const char *))
{
    const char *s = field(u, column);
    size_t parts = 0;
    for (const char *p = s; *p; p++)
        parts += *p == ';';
    if (parts >= MAX_VALUES)
        return err_set(u->err, CORDON_ERR_LIMIT, "%s:%ld: column '%s': more than %d values",
                       u->path, csv_line(u->r), col_names[column], MAX_VALUES);
    while (*s) {
        size_t n = strcspn(s, ";");
        const char *part = copy(u, s, n);
        if (*part) {
            cordon_status st = fn(u, column, part);
            if (st != CORDON_OK)
                return st;
        }
        s += n + (s[n] == ';');
    }
    return CORDON_OK;
}

static cordon_status add_alias(user *u, int column, const char *s)
{
    eb_add_name(u->b, CORDON_NAME_STRONG_AKA, s, NULL, NULL, NULL);
    return CORDON_OK;
}

static cordon_status add_dob(user *u, int column, const char *s)
{
    if (!eb_add_birth_date_text(u->b, s))
        return fail(u, column, "cannot read date '%.200s' (write YYYY-MM-DD, YYYY-MM or YYYY)", s);
    return CORDON_OK;
}

static cordon_status add_nationality(user *u, int column, const char *s)
{
    if (!country_code(s))
        return fail(u, column, "unknown country '%.200s'", s);
    eb_add_nationality(u->b, s);
    return CORDON_OK;
}

static cordon_status add_program(user *u, int column, const char *s)
{
    eb_add_program(u->b, s);
    return CORDON_OK;
}

/* "passport:M12345": the type is a cordon_id_type name, the value everything after ':'. */
static cordon_status add_identifier(user *u, int column, const char *s)
{
    const char *colon = strchr(s, ':');
    if (!colon)
        return fail(u, column, "identifier '%.200s' is not TYPE:VALUE", s);
    const char *type_name = copy(u, s, (size_t)(colon - s));
    const char *value = copy(u, colon + 1, strlen(colon + 1));
    cordon_id_type type = cordon_id_type_parse(type_name);
    if (type == CORDON_ID_OTHER && !str_ieq(type_name, cordon_id_type_name(CORDON_ID_OTHER)))
        return fail(u, column, "unknown identifier type in '%.200s'", s);
    if (!*value)
        return fail(u, column, "identifier '%.200s' has no value", s);
    eb_add_id(u->b, type, type_name, value, NULL);
    return CORDON_OK;
}

static cordon_status add_address(user *u)
{
    const char *country = field(u, F_COUNTRY);
    if (!str_is_blank(country) && !country_code(country))
        return fail(u, F_COUNTRY, "unknown country '%.200s'", country);
    eb_add_address(u->b, field(u, F_ADDRESS), str_is_blank(country) ? NULL : country);
    return CORDON_OK;
}

static cordon_status check_row(user *u)
{
    if (csv_nfields(u->r) != u->nheader)
        return fail(u, -1, "expected %zu fields, found %zu", u->nheader, csv_nfields(u->r));
    if (str_is_blank(field(u, F_ID)))
        return fail(u, F_ID, "%s", "empty (required)");
    if (str_is_blank(field(u, F_NAME)))
        return fail(u, F_NAME, "%s", "empty (required)");
    const char *type = field(u, F_TYPE);
    if (!str_is_blank(type) && cordon_entity_type_parse(type) == CORDON_TYPE_UNKNOWN &&
        !str_ieq(type, "unknown"))
        return fail(u, F_TYPE,
                    "unknown type '%.200s' (person, organization, vessel, aircraft or empty)", type);
    return CORDON_OK;
}

static cordon_status check_unique_id(user *u)
{
    /* the copy lives in the entity arena until eb_begin; the set keeps its own */
    const char *id = copy(u, field(u, F_ID), strlen(field(u, F_ID)));
    long first = id_set_add(&u->ids, id, csv_line(u->r));
    if (first < 0)
        return err_set(u->err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", u->path,
                       csv_line(u->r));
    if (first > 0)
        return fail(u, F_ID, "duplicate id '%.200s' (first on line %ld)", id, first);
    return CORDON_OK;
}

static cordon_status read_row(user *u)
{
    cordon_status st = check_row(u);
    if (st == CORDON_OK)
        st = check_unique_id(u);
    if (st != CORDON_OK)
        return st;
    eb_begin(u->b, cordon_entity_type_parse(field(u, F_TYPE)), field(u, F_ID));
    eb_add_name(u->b, CORDON_NAME_PRIMARY, field(u, F_NAME), NULL, NULL, NULL);
    if ((st = each_part(u, F_ALIASES, add_alias)) != CORDON_OK ||
        (st = each_part(u, F_DOB, add_dob)) != CORDON_OK ||
        (st = each_part(u, F_NATIONALITY, add_nationality)) != CORDON_OK ||
        (st = add_address(u)) != CORDON_OK ||
        (st = each_part(u, F_IDENTIFIERS, add_identifier)) != CORDON_OK ||
        (st = each_part(u, F_PROGRAM, add_program)) != CORDON_OK)
        return st;
    eb_append_remarks(u->b, field(u, F_REMARKS));
    st = eb_commit(u->b);
    if (st != CORDON_OK)
        return err_set(u->err, st, "%s:%ld: %s", u->path, csv_line(u->r),
                       st == CORDON_ERR_NOMEM ? "out of memory" : "stopped by the caller");
    return CORDON_OK;
}

static cordon_status read_all(user *u)
{
    int got = csv_next(u->r, u->err);
    if (got < 0)
        return u->err->status;
    if (got == 0)
        return err_set(u->err, CORDON_ERR_PARSE, "%s: empty file (expected a header row)",
                       u->path);
    cordon_status st = read_header(u);
    size_t rows = 0;
    while (st == CORDON_OK && (got = csv_next(u->r, u->err)) == 1) {
        st = read_row(u);
        rows++;
    }
    if (st != CORDON_OK)
        return st;
    if (got < 0)
        return u->err->status;
    if (rows == 0)
        return err_set(u->err, CORDON_ERR_PARSE, "%s: no entities (header only)", u->path);
    return CORDON_OK;
}

cordon_status read_user_csv(const char *path, eb *b, cordon_source_meta *meta,
                            cordon_error *err)
{
    cordon_error local;
    user u = {.b = b, .path = path, .err = err ? err : &local};
    if (meta)
        meta->published[0] = 0;
    u.r = csv_open(path, ',', u.err);
    if (!u.r)
        return u.err->status;
    cordon_status st = read_all(&u);
    csv_close(u.r);
    id_set_free(&u.ids);
    return st;
}
