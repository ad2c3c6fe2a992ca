/* us_csl.c - the US Consolidated Screening List (trade.gov consolidated.csv).
 *
 * One row per listed party, with multi-valued fields separated by ';'. Two layouts are in use:
 * the older one starts with "source", the newer one adds a leading "_id" column; columns are
 * always found by header name. The "ids" column changed order between the two: older files
 * write "COUNTRY, NUMBER, TYPE" ("US, 80-0890696, Tax ID No."), newer ones "TYPE, NUMBER,
 * COUNTRY" ("Passport, 836238033, KP"). Each item is read by recognising which end holds a
 * known type label, falling back to the layout's order. Items that are not identifiers
 * (sanctions notes such as "Secondary sanctions risk:", "Gender") go to remarks / gender. */
#include "reader.h"

#include <ctype.h>
#include <inttypes.h>
#include <strings.h>

typedef struct span {
    const char *p;
    size_t n;
} span;

static span span_of(const char *s) { return (span){s, strlen(s)}; }

static span span_trim(span s)
{
    while (s.n && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

/* Splits the next part off *rest at sep (trimmed); false once nothing is left. */
static bool span_split(span *rest, char sep, span *part)
{
    if (!rest->p)
        return false;
    const char *e = memchr(rest->p, sep, rest->n);
    if (!e) {
        *part = *rest;
        rest->p = NULL;
        rest->n = 0;
    } else {
        part->p = rest->p;
        part->n = (size_t)(e - rest->p);
        rest->n -= part->n + 1;
        rest->p = e + 1;
    }
    *part = span_trim(*part);
    return true;
}

static bool span_ieq(span s, const char *lit)
{
    return strlen(lit) == s.n && strncasecmp(s.p, lit, s.n) == 0;
}

static bool span_iends(span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.n >= n && strncasecmp(s.p + s.n - n, lit, n) == 0;
}

/* The text from the start of a to the end of b (both parts of one string). */
static span span_join(span a, span b) { return (span){a.p, (size_t)(b.p + b.n - a.p)}; }

/* ---- columns ---------------------------------------------------------------------------- */

enum {
    C_ID, /* optional: only the newer layout has it */
    C_SOURCE,
    C_ENTNUM,
    C_TYPE,
    C_PROGRAMS,
    C_NAME,
    C_TITLE,
    C_ADDRESSES,
    C_START,
    C_CALLSIGN,
    C_VTYPE,
    C_VFLAG,
    C_VOWNER,
    C_REMARKS,
    C_ALTNAMES,
    C_CITIZEN,
    C_DOB,
    C_NATION,
    C_POB,
    C_IDS,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "_id",          "source",        "entity_number", "type",         "programs",
    "name",         "title",         "addresses",     "start_date",   "call_sign",
    "vessel_type",  "vessel_flag",   "vessel_owner",  "remarks",      "alt_names",
    "citizenships", "dates_of_birth", "nationalities", "places_of_birth", "ids"};

/* Most values one multi-valued cell may hold: the builder drops repeats by linear search, so
 * a hostile cell of 100,000 names would take minutes. Real cells hold a few dozen. */
#define MAX_VALUES 1000

typedef struct csl {
    csv_reader *r;
    eb *b;
    int col[C_COUNT];
    size_t nheader;
    bool type_first_ids; /* the newer layout writes "TYPE, NUMBER, COUNTRY" */
} csl;

static const char *field(const csl *c, int which)
{
    return c->col[which] < 0 ? "" : csv_field(c->r, (size_t)c->col[which]);
}

static cordon_status find_columns(csl *c, cordon_error *err)
{
    for (int i = 0; i < C_COUNT; i++) {
        c->col[i] = csv_column(c->r, col_names[i]);
        if (c->col[i] < 0 && i != C_ID)
            return err_set(err, CORDON_ERR_PARSE,
                           "%s:%ld: missing column '%s' in header (not a CSL file?)",
                           csv_path(c->r), csv_line(c->r), col_names[i]);
    }
    c->nheader = csv_nfields(c->r);
    c->type_first_ids = c->col[C_ID] >= 0;
    return CORDON_OK;
}

/* 64-bit FNV-1a. source_ids are made from it and stored by users (cases, alerts), so it
 * must never change: hence a copy of its own rather than the general hash_bytes. */
static uint64_t stable_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ---- identifiers ------------------------------------------------------------------------ */

enum id_kind { K_ID, K_GENDER, K_NOTE };

typedef struct id_label {
    const char *label;
    enum id_kind kind;
    cordon_id_type type;
} id_label;

static const id_label id_labels[] = {
    {"Passport", K_ID, CORDON_ID_PASSPORT},
    {"Diplomatic Passport", K_ID, CORDON_ID_PASSPORT},
    {"National ID No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"Identification Number", K_ID, CORDON_ID_NATIONAL_ID},
    {"Cedula No.", K_ID, CORDON_ID_NATIONAL_ID},
    {"D.N.I.", K_ID, CORDON_ID_NATIONAL_ID},
    {"C.U.R.P.", K_ID, CORDON_ID_NATIONAL_ID},
    {"SSN", K_ID, CORDON_ID_NATIONAL_ID},
    {"Tax ID No.", K_ID, CORDON_ID_TAX_ID},
    {"NIT #", K_ID, CORDON_ID_TAX_ID},
    {"RUC #", K_ID, CORDON_ID_TAX_ID},
    {"R.F.C.", K_ID, CORDON_ID_TAX_ID},
    {"C.U.I.T.", K_ID, CORDON_ID_TAX_ID},
    {"V.A.T. Number", K_ID, CORDON_ID_TAX_ID},
    {"Registration ID", K_ID, CORDON_ID_REGISTRATION},
    {"Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Government Gazette Number", K_ID, CORDON_ID_REGISTRATION},
    {"Company Number", K_ID, CORDON_ID_REGISTRATION},
    {"Commercial Registry Number", K_ID, CORDON_ID_REGISTRATION},
    {"Business Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Public Registration Number", K_ID, CORDON_ID_REGISTRATION},
    {"Business Number", K_ID, CORDON_ID_REGISTRATION},
    {"Enterprise Number", K_ID, CORDON_ID_REGISTRATION},
    {"Legal Entity Number", K_ID, CORDON_ID_REGISTRATION},
    {"Chamber of Commerce Number", K_ID, CORDON_ID_REGISTRATION},
    {"Matricula Mercantil No", K_ID, CORDON_ID_REGISTRATION},
    {"Vessel Registration Identification", K_ID, CORDON_ID_REGISTRATION},
    {"MMSI", K_ID, CORDON_ID_MMSI},
    {"Call Sign", K_ID, CORDON_ID_CALL_SIGN},
    {"Aircraft Manufacturer's Serial Number (MSN)", K_ID, CORDON_ID_AIRCRAFT_SERIAL},
    {"Aircraft Tail Number", K_ID, CORDON_ID_AIRCRAFT_TAIL},
    {"SWIFT/BIC", K_ID, CORDON_ID_SWIFT_BIC},
    {"Email Address", K_ID, CORDON_ID_EMAIL},
    {"Phone Number", K_ID, CORDON_ID_PHONE},
    {"Website", K_ID, CORDON_ID_WEBSITE},
    {"Gender", K_GENDER, CORDON_ID_OTHER},
    {"Former Vessel Flag", K_NOTE, CORDON_ID_OTHER},
    {"Vessel Flag", K_NOTE, CORDON_ID_OTHER},
    {"Vessel Type", K_NOTE, CORDON_ID_OTHER},
    {"Vessel Year of Build", K_NOTE, CORDON_ID_OTHER},
    {"Target Type", K_NOTE, CORDON_ID_OTHER},
    {"Organization Established Date", K_NOTE, CORDON_ID_OTHER},
};

/* The label's entry, or NULL. Labels ending in ':' or '-' are sanctions notes
 * ("Secondary sanctions risk:", "Executive Order 13662 Directive Determination -"). */
static const id_label *label_find(span s)
{
    static const id_label note = {"", K_NOTE, CORDON_ID_OTHER};
    static const id_label crypto = {"", K_ID, CORDON_ID_CRYPTO};
    for (size_t i = 0; i < ARRAY_LEN(id_labels); i++)
        if (span_ieq(s, id_labels[i].label))
            return &id_labels[i];
    if (s.n >= 24 && strncasecmp(s.p, "Digital Currency Address", 24) == 0)
        return &crypto;
    if (span_iends(s, ":") || span_iends(s, " -"))
        return &note;
    return NULL;
}

/* A two-letter country code as the CSL writes the issuing country. */
static bool is_country_code(eb *b, span s)
{
    if (s.n != 2 || !isupper((unsigned char)s.p[0]) || !isupper((unsigned char)s.p[1]))
        return false;
    const char *t = eb_strdup(b, s.p, s.n);
    return t && country_code(t) != NULL;
}

/* "Secondary sanctions risk: ...", "Former Vessel Flag: Panama". */
static void add_note(eb *b, span label, span value)
{
    buf t = {0};
    bool punct = span_iends(label, ":") || span_iends(label, "-");
    if (buf_append(&t, label.p, label.n) && buf_puts(&t, punct ? " " : ": ") &&
        buf_append(&t, value.p, value.n))
        eb_append_remarks(b, t.data);
    buf_free(&t);
}

static void add_identifier(eb *b, const id_label *l, span label, span value, span country)
{
    cordon_id_type type = l->type;
    /* "IMO 8898831" under "Vessel Registration Identification" is an IMO number. */
    if (type == CORDON_ID_REGISTRATION && value.n > 4 && strncasecmp(value.p, "IMO ", 4) == 0) {
        type = CORDON_ID_IMO;
        value = span_trim((span){value.p + 4, value.n - 4});
    }
    const char *cc = country.n ? eb_strdup(b, country.p, country.n) : NULL;
    eb_add_id(b, type, eb_strdup(b, label.p, label.n), eb_strdup(b, value.p, value.n), cc);
}

/* One ids item: 2 to n comma-separated parts, the type label at one end. */
static void add_id_item(csl *c, span item)
{
    span parts[32], rest = item, part;
    size_t n = 0;
    while (n < ARRAY_LEN(parts) && span_split(&rest, ',', &part))
        parts[n++] = part;
    if (rest.p) /* more parts than we keep: fold the tail into the last one */
        parts[n - 1] = span_join(parts[n - 1], span_trim(rest));
    if (n < 2) {
        eb_append_remarks(c->b, eb_strdup(c->b, item.p, item.n));
        return;
    }
    const id_label *first = label_find(parts[0]), *last = label_find(parts[n - 1]);
    bool type_first = first && !last ? true : last && !first ? false : c->type_first_ids;
    const id_label *l = type_first ? first : last;
    span label = type_first ? parts[0] : parts[n - 1];
    size_t lo = type_first ? 1 : 0, hi = type_first ? n - 1 : n - 2; /* value parts lo..hi */
    static const id_label other = {"", K_ID, CORDON_ID_OTHER};
    if (!l)
        l = &other;
    if (l->kind == K_GENDER) {
        eb_set_gender(c->b, eb_strdup(c->b, parts[lo].p, parts[lo].n));
        return;
    }
    if (l->kind == K_NOTE) {
        add_note(c->b, label, span_join(parts[lo], parts[hi]));
        return;
    }
    span country = {NULL, 0};
    if (hi > lo && type_first && is_country_code(c->b, parts[hi]))
        country = parts[hi--];
    else if (hi > lo && !type_first && is_country_code(c->b, parts[lo]))
        country = parts[lo++];
    add_identifier(c->b, l, label, span_join(parts[lo], parts[hi]), country);
}

static void add_ids(csl *c)
{
    span rest = span_of(field(c, C_IDS)), item;
    while (span_split(&rest, ';', &item))
        if (item.n)
            add_id_item(c, item);
}

/* ---- other fields ----------------------------------------------------------------------- */

/* Calls fn(b, part) for every non-empty ';'-separated part of text. */
static void each_part(eb *b, const char *text, void (*fn)(eb *, const char *))
{
    span rest = span_of(text), part;
    while (span_split(&rest, ';', &part)) {
        const char *p = part.n ? eb_strdup(b, part.p, part.n) : NULL;
        if (p) /* NULL only when empty or out of memory (eb_commit reports that) */
            fn(b, p);
    }
}

static void add_program(eb *b, const char *p) { eb_add_program(b, p); }
static void add_nationality(eb *b, const char *p) { eb_add_nationality(b, p); }
static void add_citizenship(eb *b, const char *p) { eb_add_citizenship(b, p); }
static void add_birth_place(eb *b, const char *p) { eb_add_birth_place(b, p); }

static void add_birth_date(eb *b, const char *p)
{
    if (!eb_add_birth_date_text(b, p)) {
        buf t = {0};
        if (buf_printf(&t, "Date of birth: %s", p))
            eb_append_remarks(b, t.data);
        buf_free(&t);
    }
}

/* Alternate names; the list sometimes joins the last of a series with "and ". */
static void add_alias(eb *b, const char *p)
{
    if (strncmp(p, "and ", 4) == 0)
        p += 4;
    eb_add_name(b, CORDON_NAME_STRONG_AKA, p, NULL, NULL, NULL);
}

/* "street, city, CC": the trailing two-letter code is the address's country. */
static void add_address(eb *b, const char *p)
{
    span s = span_of(p);
    const char *comma = strrchr(p, ',');
    span tail = span_trim(comma ? (span){comma + 1, strlen(comma + 1)} : s);
    if (!is_country_code(b, tail)) {
        eb_add_address(b, p, NULL);
        return;
    }
    size_t text_len = comma ? (size_t)(comma - p) : 0;
    eb_add_address(b, eb_strdup(b, s.p, text_len), eb_strdup(b, tail.p, tail.n));
}

/* "Entity List (EL) - Bureau of Industry and Security": the full text and "EL". A list code
 * that regime_of_program reads as another regime ("SDN" is also the EU code for Sudan) is
 * left out: the full text already names the list, and a wrong regime would mislead. */
static void add_source_programs(eb *b, const char *source)
{
    if (!source)
        return;
    eb_add_program(b, source);
    const char *open = strchr(source, '('), *close = open ? strchr(open, ')') : NULL;
    if (!open || !close || close == open + 1)
        return;
    const char *code = eb_strdup(b, open + 1, (size_t)(close - open - 1));
    const char *code_regime = code ? regime_of_program(code) : NULL;
    const char *list_regime = regime_of_program(source);
    if (!code_regime || (list_regime && strcmp(code_regime, list_regime) == 0))
        eb_add_program(b, code);
}

/* Adds every "(Linked To: NAME)" of a remark as a linked party. */
static void add_links(eb *b, const char *remarks)
{
    static const char tag[] = "(Linked To:";
    for (const char *s = str_icontains(remarks, tag); s; s = str_icontains(s, tag)) {
        s += sizeof tag - 1;
        int depth = 1;
        const char *e = s;
        for (; *e && depth; e++)
            depth += *e == '(' ? 1 : *e == ')' ? -1 : 0;
        eb_add_linked(b, eb_strdup(b, s, (size_t)(e - s) - (depth ? 0 : 1)));
    }
}

static void add_remark_with_label(eb *b, const char *label, const char *text)
{
    if (str_is_blank(text))
        return;
    buf t = {0};
    if (buf_printf(&t, "%s: %s", label, text))
        eb_append_remarks(b, t.data);
    buf_free(&t);
}

/* ISN entries append "; and any successor, sub-unit, or subsidiary thereof" to the name:
 * keep the name, move the phrase to remarks. */
static void add_primary_name(csl *c, const char *name)
{
    const char *tail = str_icontains(name, "; and any successor");
    span n = span_trim(tail ? (span){name, (size_t)(tail - name)} : span_of(name));
    const char *full = eb_strdup(c->b, n.p, n.n);
    if (tail)
        eb_append_remarks(c->b, eb_strdup(c->b, tail + 2, strlen(tail + 2)));
    /* OFAC writes persons "FAMILY, Given": keep that split where it is unambiguous. */
    const char *comma = full ? strchr(full, ',') : NULL;
    if (eb_type(c->b) == CORDON_TYPE_PERSON && comma && !strchr(comma + 1, ',')) {
        const char *family = eb_strdup(c->b, full, (size_t)(comma - full));
        eb_add_name(c->b, CORDON_NAME_PRIMARY, full, comma + 1, NULL, family);
    } else {
        eb_add_name(c->b, CORDON_NAME_PRIMARY, full, NULL, NULL, NULL);
    }
}

/* entity_number, else _id, else a hash of source, name and addresses (one party can have
 * several rows, one per address set): stable across downloads while the row is unchanged. */
static const char *source_id(csl *c, char out[32])
{
    const char *num = field(c, C_ENTNUM);
    if (!str_is_blank(num))
        return num;
    const char *id = field(c, C_ID);
    if (!str_is_blank(id))
        return id;
    buf t = {0};
    uint64_t h = 0;
    if (buf_printf(&t, "%s\x1f%s\x1f%s", field(c, C_SOURCE), field(c, C_NAME),
                   field(c, C_ADDRESSES))) {
        str_squeeze(t.data);
        h = stable_hash(t.data, strlen(t.data));
    }
    buf_free(&t);
    snprintf(out, 32, "csl-%016" PRIx64, h);
    return out;
}

static void add_vessel(csl *c)
{
    eb *b = c->b;
    eb_add_id(b, CORDON_ID_CALL_SIGN, "Call Sign", field(c, C_CALLSIGN), NULL);
    const char *flag = field(c, C_VFLAG);
    add_remark_with_label(b, "Vessel flag", flag);
    /* A ship's flag state is its nationality (UNCLOS art. 91). */
    if (!str_is_blank(flag))
        eb_add_nationality(b, flag);
    add_remark_with_label(b, "Vessel type", field(c, C_VTYPE));
    eb_add_linked(b, field(c, C_VOWNER));
}

static cordon_status read_row(csl *c)
{
    char idbuf[32];
    eb *b = c->b;
    eb_begin(b, cordon_entity_type_parse(field(c, C_TYPE)), source_id(c, idbuf));
    add_primary_name(c, field(c, C_NAME));
    each_part(b, field(c, C_ALTNAMES), add_alias);
    add_source_programs(b, eb_strdup(b, field(c, C_SOURCE), strlen(field(c, C_SOURCE))));
    each_part(b, field(c, C_PROGRAMS), add_program);
    each_part(b, field(c, C_ADDRESSES), add_address);
    each_part(b, field(c, C_DOB), add_birth_date);
    each_part(b, field(c, C_NATION), add_nationality);
    each_part(b, field(c, C_CITIZEN), add_citizenship);
    each_part(b, field(c, C_POB), add_birth_place);
    add_ids(c);
    eb_set_listed_on(b, field(c, C_START));
    add_remark_with_label(b, "Title", field(c, C_TITLE));
    eb_append_remarks(b, field(c, C_REMARKS));
    add_links(b, field(c, C_REMARKS));
    add_vessel(c);
    return eb_commit(b);
}

/* The first multi-valued column of the row with more than MAX_VALUES values, or -1. */
static int crowded_column(const csl *c)
{
    static const int multi[] = {C_ALTNAMES, C_ADDRESSES, C_PROGRAMS, C_DOB,
                                C_NATION,   C_CITIZEN,   C_POB,      C_IDS};
    for (size_t i = 0; i < ARRAY_LEN(multi); i++) {
        size_t n = 0;
        for (const char *s = field(c, multi[i]); *s; s++)
            n += *s == ';';
        if (n >= MAX_VALUES)
            return multi[i];
    }
    return -1;
}

static cordon_status read_rows(csl *c, cordon_error *err)
{
    int st;
    size_t rows = 0;
    while ((st = csv_next(c->r, err)) == 1) {
        if (csv_nfields(c->r) != c->nheader)
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected %zu fields, found %zu",
                           csv_path(c->r), csv_line(c->r), c->nheader, csv_nfields(c->r));
        if (str_is_blank(field(c, C_NAME)))
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: empty name", csv_path(c->r),
                           csv_line(c->r));
        int crowded = crowded_column(c);
        if (crowded >= 0)
            return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: column '%s' has more than %d values",
                           csv_path(c->r), csv_line(c->r), col_names[crowded], MAX_VALUES);
        cordon_status s = read_row(c);
        if (s == CORDON_ERR_NOMEM)
            return err_set(err, s, "%s:%ld: out of memory", csv_path(c->r), csv_line(c->r));
        if (s != CORDON_OK)
            return err_set(err, s, "%s:%ld: stopped by the caller", csv_path(c->r),
                           csv_line(c->r));
        rows++;
    }
    if (st < 0)
        return err->status;
    if (rows == 0)
        return err_set(err, CORDON_ERR_PARSE, "%s: no entities (header only)", csv_path(c->r));
    return CORDON_OK;
}

cordon_status read_us_csl(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    cordon_error local;
    if (!err)
        err = &local;
    if (meta)
        meta->published[0] = 0;
    csl c = {.b = b};
    c.r = csv_open(path, ',', err);
    if (!c.r)
        return err->status;
    cordon_status st;
    int got = csv_next(c.r, err);
    if (got < 0)
        st = err->status;
    else if (got == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file", path);
    else if ((st = find_columns(&c, err)) == CORDON_OK)
        st = read_rows(&c, err);
    csv_close(c.r);
    return st;
}
