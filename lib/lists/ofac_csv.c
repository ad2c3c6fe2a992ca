/* ofac_csv.c - OFAC's legacy CSV sets: the SDN list (sdn.csv, alt.csv, add.csv,
 * sdn_comments.csv) and the consolidated non-SDN lists (cons_prim.csv, cons_alt.csv,
 * cons_add.csv, cons_comments.csv). The files have no header row and write "-0- " for an empty
 * field. Aliases, addresses and the continuation of long remarks sit in the side files, keyed
 * by ent_num; they are loaded into hash tables first, then the main file is streamed.
 *
 * The published files are plain ASCII (the 2021-07 SDN and 2025-12 consolidated sets have no
 * byte above 0x7F) and end with a DOS end-of-file byte (0x1A) on a line of its own, which is
 * skipped. Bytes that are not UTF-8 are reported as errors, not guessed at as Latin-1. */
#include "ofac_remarks.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

enum { F_MAIN, F_ALT, F_ADD, F_COMMENTS, F_COUNT };

/* Field counts per file: sdn.csv 12, alt.csv 5, add.csv 6, sdn_comments.csv 2. */
static const size_t file_fields[F_COUNT] = {12, 5, 6, 2};

static const char *const set_names[2][F_COUNT] = {
    {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"},
    {"cons_prim.csv", "cons_alt.csv", "cons_add.csv", "cons_comments.csv"},
};

/* Main-file columns. */
enum {
    C_ENT,
    C_NAME,
    C_TYPE,
    C_PROGRAM,
    C_TITLE,
    C_CALL_SIGN,
    C_VESS_TYPE,
    C_TONNAGE,
    C_GRT,
    C_VESS_FLAG,
    C_VESS_OWNER,
    C_REMARKS
};

/* One row of a side file: its fields after ent_num. */
typedef struct side_row {
    const char *f[5];
    long line;
    uint32_t next; /* index + 1 of the next row with the same ent_num, 0 for none */
} side_row;

typedef struct side_slot {
    const char *key;
    uint32_t first, last; /* index + 1 into rows */
} side_slot;

typedef struct side_table {
    vec rows; /* side_row */
    side_slot *slots;
    size_t cap, used;
} side_table;

typedef struct ofac_set {
    char path[F_COUNT][4096]; /* "" when the file is absent */
    cordon_arena *arena;      /* the side files' strings */
    side_table side[F_COUNT];
    buf remarks; /* the joined remarks of the current entry */
    buf tmp;     /* scratch for "Label: value" remarks */
} ofac_set;

/* ---- finding the files ---------------------------------------------------------------- */

/* Which file of which set a directory entry is (any case), or -1. */
static int classify(const char *name, int *set)
{
    for (int s = 0; s < 2; s++)
        for (int f = 0; f < F_COUNT; f++)
            if (strcasecmp(name, set_names[s][f]) == 0) {
                *set = s;
                return f;
            }
    return -1;
}

static cordon_status find_files(const char *dir, ofac_set *o, cordon_error *err)
{
    char found[2][F_COUNT][4096] = {{{0}}};
    DIR *d = opendir(dir);
    if (!d)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open directory: %s", dir, strerror(errno));
    struct dirent *e;
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && (e = readdir(d))) {
        int set, f = classify(e->d_name, &set);
        if (f < 0)
            continue;
        if (found[set][f][0])
            st = err_set(err, CORDON_ERR_INVALID, "%s: both %s and %s: which one is meant?", dir,
                         found[set][f] + strlen(dir) + 1, e->d_name);
        else if (snprintf(found[set][f], sizeof found[set][f], "%s/%s", dir, e->d_name) >=
                 (int)sizeof found[set][f])
            st = err_set(err, CORDON_ERR_INVALID, "%s: path too long", dir);
    }
    closedir(d);
    if (st != CORDON_OK)
        return st;
    bool sdn = found[0][F_MAIN][0], cons = found[1][F_MAIN][0];
    if (sdn && cons)
        return err_set(err, CORDON_ERR_INVALID,
                       "%s: holds both sdn.csv and cons_prim.csv; give one set per directory", dir);
    if (!sdn && !cons)
        return err_set(err, CORDON_ERR_NOTFOUND,
                       "%s: no sdn.csv or cons_prim.csv in this directory", dir);
    int set = sdn ? 0 : 1;
    /* The comments file came later than the others; an older set may lack it. */
    for (int f = F_ALT; f <= F_ADD; f++)
        if (!found[set][f][0])
            return err_set(err, CORDON_ERR_NOTFOUND, "%s/%s: missing (the %s set needs it)", dir,
                           set_names[set][f], set_names[set][F_MAIN]);
    memcpy(o->path, found[set], sizeof o->path);
    return CORDON_OK;
}

/* ---- fields ------------------------------------------------------------------------------- */

/* Whether a field is empty: blank, or OFAC's "-0-" marker. */
static bool field_empty(const char *f)
{
    while (*f == ' ')
        f++;
    if (strncmp(f, "-0-", 3) == 0)
        f += 3;
    return str_is_blank(f);
}

static const char *field_or_null(const char *f) { return field_empty(f) ? NULL : f; }

/* How many bytes of s to quote in a message: at most 40, never half a UTF-8 character. */
static int quote_len(const char *s)
{
    size_t n = strlen(s);
    if (n <= 40)
        return (int)n;
    n = 40;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return (int)n;
}

/* A DOS end-of-file byte on its own line ends every published file. */
static bool is_eof_marker(const csv_reader *r)
{
    return csv_nfields(r) == 1 && strcmp(csv_field(r, 0), "\x1a") == 0;
}

static cordon_status check_record(const csv_reader *r, size_t want, cordon_error *err)
{
    size_t got = csv_nfields(r);
    if (got != want)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected %zu fields, found %zu", csv_path(r),
                       csv_line(r), want, got);
    const char *ent = csv_field(r, 0);
    size_t n = strlen(ent);
    bool digits = n > 0 && n <= 12;
    for (size_t i = 0; i < n; i++)
        if (ent[i] < '0' || ent[i] > '9')
            digits = false;
    if (!digits)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: ent_num '%.*s' is not a number", csv_path(r),
                       csv_line(r), quote_len(ent), ent);
    return CORDON_OK;
}

/* ---- side tables -------------------------------------------------------------------------- */

static side_slot *slot_for(side_table *t, const char *key)
{
    size_t mask = t->cap - 1, i = (size_t)hash_bytes(key, strlen(key)) & mask;
    while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
        i = (i + 1) & mask;
    return &t->slots[i];
}

static bool table_grow(side_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 1024;
    side_slot *old = t->slots, *slots = xcalloc_array(cap, sizeof *slots);
    if (!slots)
        return false;
    size_t old_cap = t->cap;
    t->slots = slots;
    t->cap = cap;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *slot_for(t, old[i].key) = old[i];
    free(old);
    return true;
}

static const side_row *table_first(const side_table *t, const char *key)
{
    if (!t->cap)
        return NULL;
    const side_slot *s = slot_for((side_table *)t, key);
    return s->key ? &VEC_AT(&t->rows, side_row, s->first - 1) : NULL;
}

static const side_row *table_next(const side_table *t, const side_row *r)
{
    return r->next ? &VEC_AT(&t->rows, side_row, r->next - 1) : NULL;
}

static cordon_status table_add(side_table *t, cordon_arena *a, const csv_reader *r,
                               cordon_error *err)
{
    if ((t->used + 1) * 2 > t->cap && !table_grow(t))
        return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", csv_path(r), csv_line(r));
    if (t->rows.len >= UINT32_MAX - 1)
        return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: too many rows", csv_path(r), csv_line(r));
    side_row *row = vec_push(&t->rows);
    if (!row)
        return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", csv_path(r), csv_line(r));
    row->line = csv_line(r);
    for (size_t i = 1; i < csv_nfields(r); i++)
        if (!(row->f[i - 1] = arena_strdup(a, csv_field(r, i))))
            return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", csv_path(r),
                           csv_line(r));
    uint32_t index = (uint32_t)t->rows.len;
    side_slot *s = slot_for(t, csv_field(r, 0));
    if (!s->key) {
        if (!(s->key = arena_strdup(a, csv_field(r, 0))))
            return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", csv_path(r),
                           csv_line(r));
        s->first = index;
        t->used++;
    } else {
        VEC_AT(&t->rows, side_row, s->last - 1).next = index;
    }
    s->last = index;
    return CORDON_OK;
}

/* Only these alias types exist; anything else means the file is not what we think. */
static cordon_status check_alt_type(const csv_reader *r, cordon_error *err)
{
    const char *type = csv_field(r, 2);
    if (field_empty(type) || str_ieq(type, "aka") || str_ieq(type, "fka") || str_ieq(type, "nka"))
        return CORDON_OK;
    return err_set(err, CORDON_ERR_PARSE, "%s:%ld: unknown alt_type '%.*s' (aka, fka or nka)",
                   csv_path(r), csv_line(r), quote_len(type), type);
}

static cordon_status load_side(ofac_set *o, int f, cordon_error *err)
{
    if (!o->path[f][0])
        return CORDON_OK;
    csv_reader *r = csv_open(o->path[f], ',', err);
    if (!r)
        return err->status;
    cordon_status st = CORDON_OK;
    int got = 0;
    while (st == CORDON_OK && (got = csv_next(r, err)) == 1) {
        if (is_eof_marker(r))
            continue;
        st = check_record(r, file_fields[f], err);
        if (st == CORDON_OK && f == F_ALT)
            st = check_alt_type(r, err);
        if (st == CORDON_OK)
            st = table_add(&o->side[f], o->arena, r, err);
    }
    if (st == CORDON_OK && got < 0)
        st = err->status;
    csv_close(r);
    return st;
}

/* ---- one entry ---------------------------------------------------------------------------- */

static cordon_status entry_type(const csv_reader *r, cordon_entity_type *type, cordon_error *err)
{
    const char *t = csv_field(r, C_TYPE);
    if (field_empty(t))
        *type = CORDON_TYPE_ORGANIZATION;
    else if (str_ieq(t, "individual"))
        *type = CORDON_TYPE_PERSON;
    else if (str_ieq(t, "vessel"))
        *type = CORDON_TYPE_VESSEL;
    else if (str_ieq(t, "aircraft"))
        *type = CORDON_TYPE_AIRCRAFT;
    else
        return err_set(err, CORDON_ERR_PARSE,
                       "%s:%ld: unknown SDN_Type '%.*s' (individual, vessel, aircraft or -0-)",
                       csv_path(r), csv_line(r), quote_len(t), t);
    return CORDON_OK;
}

/* "SDGT] [IRGC": several programs, separated by "] [". */
static void add_programs(eb *b, const char *text)
{
    if (field_empty(text))
        return;
    for (const char *p = text;;) {
        const char *sep = strstr(p, "] [");
        const char *end = sep ? sep : p + strlen(p);
        while (p < end && (*p == '[' || *p == ' '))
            p++;
        while (end > p && (end[-1] == ']' || end[-1] == ' '))
            end--;
        eb_add_program(b, eb_strdup(b, p, (size_t)(end - p)));
        if (!sep)
            break;
        p = sep + 3;
    }
}

/* Columns with no field of their own in the model go to the remarks as "Label: value". */
static void add_labelled_remark(eb *b, const char *label, const char *value, buf *tmp)
{
    if (field_empty(value))
        return;
    tmp->len = 0;
    if (buf_printf(tmp, "%s: %s", label, value))
        eb_append_remarks(b, tmp->data);
}

static void add_aliases(eb *b, const side_table *alt, const char *ent, buf *tmp)
{
    for (const side_row *r = table_first(alt, ent); r; r = table_next(alt, r)) {
        const char *type = r->f[1], *name = field_or_null(r->f[2]), *rem = field_or_null(r->f[3]);
        if (!name)
            continue;
        cordon_name_kind kind = CORDON_NAME_STRONG_AKA;
        if (str_ieq(type, "fka"))
            kind = CORDON_NAME_FORMER;
        if (rem && (str_icontains(rem, "low quality") || str_icontains(rem, "weak")))
            kind = CORDON_NAME_WEAK_AKA;
        ofac_add_name(b, kind, name, strlen(name));
        if (rem) {
            tmp->len = 0;
            if (buf_printf(tmp, "%s: %s", name, rem))
                eb_append_remarks(b, tmp->data);
        }
    }
}

/* Address text is street and city/state/postal; a country that is not one (e.g. "Region:
 * Gaza") and any address remarks stay in the text. */
static void add_addresses(eb *b, const side_table *add, const char *ent, buf *tmp)
{
    for (const side_row *r = table_first(add, ent); r; r = table_next(add, r)) {
        const char *parts[4] = {field_or_null(r->f[1]), field_or_null(r->f[2]), NULL,
                                field_or_null(r->f[4])};
        const char *country = field_or_null(r->f[3]);
        if (country && !country_code(country))
            parts[2] = country;
        tmp->len = 0;
        bool ok = true;
        for (size_t i = 0; i < ARRAY_LEN(parts); i++)
            if (parts[i])
                ok = ok && buf_printf(tmp, "%s%s", tmp->len ? ", " : "", parts[i]);
        if (ok)
            eb_add_address(b, tmp->len ? tmp->data : "", country);
    }
}

/* The main file cuts remarks at 1,000 characters; the comments file carries the rest, cut
 * anywhere (even mid-word), so the pieces are joined as they are. */
static cordon_status join_remarks(ofac_set *o, const csv_reader *r, cordon_error *err)
{
    buf *j = &o->remarks;
    j->len = 0;
    const char *main = field_or_null(csv_field(r, C_REMARKS));
    bool ok = buf_puts(j, main ? main : "");
    const side_table *c = &o->side[F_COMMENTS];
    for (const side_row *row = table_first(c, csv_field(r, C_ENT)); ok && row;
         row = table_next(c, row)) {
        if (field_empty(row->f[0]))
            continue;
        if (j->len + strlen(row->f[0]) > 2 * (size_t)READER_MAX_FIELD)
            return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: remarks of ent_num %s exceed 2 MiB",
                           o->path[F_COMMENTS], row->line, csv_field(r, C_ENT));
        ok = buf_puts(j, row->f[0]);
    }
    if (!ok || !buf_putc(j, 0))
        return err_set(err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", csv_path(r), csv_line(r));
    return CORDON_OK;
}

static cordon_status build_entry(ofac_set *o, eb *b, const csv_reader *r, cordon_error *err)
{
    cordon_entity_type type = CORDON_TYPE_UNKNOWN;
    cordon_status st = entry_type(r, &type, err);
    if (st != CORDON_OK)
        return st;
    const char *ent = csv_field(r, C_ENT), *name = field_or_null(csv_field(r, C_NAME));
    if (!name)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: ent_num %s has no name", csv_path(r),
                       csv_line(r), ent);
    if ((st = join_remarks(o, r, err)) != CORDON_OK)
        return st;
    buf *tmp = &o->tmp;
    eb_begin(b, type, ent);
    ofac_add_name(b, CORDON_NAME_PRIMARY, name, strlen(name));
    add_aliases(b, &o->side[F_ALT], ent, tmp);
    add_programs(b, csv_field(r, C_PROGRAM));
    add_labelled_remark(b, "Title", csv_field(r, C_TITLE), tmp);
    if (!field_empty(csv_field(r, C_CALL_SIGN)))
        eb_add_id(b, CORDON_ID_CALL_SIGN, "Call Sign", csv_field(r, C_CALL_SIGN), NULL);
    add_labelled_remark(b, "Vessel Type", csv_field(r, C_VESS_TYPE), tmp);
    add_labelled_remark(b, "Tonnage", csv_field(r, C_TONNAGE), tmp);
    add_labelled_remark(b, "GRT", csv_field(r, C_GRT), tmp);
    add_labelled_remark(b, "Flag", csv_field(r, C_VESS_FLAG), tmp);
    eb_add_linked(b, field_or_null(csv_field(r, C_VESS_OWNER)));
    add_addresses(b, &o->side[F_ADD], ent, tmp);
    ofac_remarks_parse(b, o->remarks.data);
    st = eb_commit(b);
    if (st == CORDON_ERR_ABORTED)
        return err_set(err, st, "%s:%ld: stopped by the caller", csv_path(r), csv_line(r));
    if (st != CORDON_OK)
        return err_set(err, st, "%s:%ld: out of memory", csv_path(r), csv_line(r));
    return CORDON_OK;
}

static cordon_status read_main(ofac_set *o, eb *b, cordon_error *err)
{
    csv_reader *r = csv_open(o->path[F_MAIN], ',', err);
    if (!r)
        return err->status;
    cordon_status st = CORDON_OK;
    size_t entries = 0;
    int got = 0;
    while (st == CORDON_OK && (got = csv_next(r, err)) == 1) {
        if (is_eof_marker(r))
            continue;
        st = check_record(r, file_fields[F_MAIN], err);
        if (st == CORDON_OK)
            st = build_entry(o, b, r, err);
        entries++;
    }
    if (st == CORDON_OK && got < 0)
        st = err->status;
    if (st == CORDON_OK && entries == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s:1: empty file: no entries", o->path[F_MAIN]);
    csv_close(r);
    return st;
}

cordon_status read_ofac_csv(const char *dir, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    cordon_error local;
    if (!err)
        err = &local;
    if (meta)
        meta->published[0] = 0; /* the legacy files state no date */
    ofac_set *o = calloc(1, sizeof *o);
    if (!o || !(o->arena = cordon_arena_new())) {
        free(o);
        return err_set(err, CORDON_ERR_NOMEM, "%s: out of memory", dir);
    }
    for (int f = 0; f < F_COUNT; f++)
        vec_init(&o->side[f].rows, sizeof(side_row));
    cordon_status st = find_files(dir, o, err);
    for (int f = F_ALT; st == CORDON_OK && f < F_COUNT; f++)
        st = load_side(o, f, err);
    if (st == CORDON_OK)
        st = read_main(o, b, err);
    for (int f = 0; f < F_COUNT; f++) {
        vec_free(&o->side[f].rows);
        free(o->side[f].slots);
    }
    buf_free(&o->remarks);
    buf_free(&o->tmp);
    cordon_arena_free(o->arena);
    free(o);
    return st;
}
