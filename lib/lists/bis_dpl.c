/* bis_dpl.c - the BIS Denied Persons List (dpl.txt): tab-separated, a header row, every field
 * quoted. One row per (party, address); a party denied at several addresses has several
 * consecutive rows with the same name and effective date, which become one entity here.
 *
 * The file has no id column and no entity type. source_id is "dpl-" and 16 hex digits of a
 * hash of the squeezed name and the effective date, so it is stable across downloads. The type
 * is a guess: organization when the name holds a legal-form word (LTD, INC, LLC, GMBH, CO.,
 * CORP, COMPANY, S.A., JSC, ...) or an unmistakable business word (AIRLINES, TRADING,
 * TECHNOLOGY, ...), person otherwise. Names like "TECHONWEB" or "KZ RESULTS" are guessed
 * wrongly as persons; the type only weighs a match, it never filters one out.
 * Also: "X A/K/A Y" and "X D/B/A Y" names are split into a primary name and an alias; an
 * address with an empty Country and a US state in State is taken to be in the US. */
#include "reader.h"

#include <ctype.h>
#include <inttypes.h>
#include <strings.h>

enum {
    C_NAME,
    C_STREET,
    C_CITY,
    C_STATE,
    C_COUNTRY,
    C_POSTAL,
    C_EFFECTIVE,
    C_EXPIRATION,
    C_STANDARD,
    C_LAST_UPDATE,
    C_ACTION,
    C_FR,
    C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "Name",          "Street_Address",  "City",           "State",
    "Country",       "Postal_Code",     "Effective_Date", "Expiration_Date",
    "Standard_Order", "Last_Update",    "Action",         "FR_Citation"};

/* Most rows (addresses) one party may have: repeats are found by linear search. The largest
 * party of the real list has 4. */
#define MAX_ROWS_PER_PARTY 1000

typedef struct dpl {
    csv_reader *r;
    eb *b;
    int col[C_COUNT];
    size_t nheader;
    buf key;      /* squeezed name + effective date of the open entity */
    buf scratch;  /* address text being built */
    vec addrs;    /* char*: addresses of the open entity, to drop repeats */
    bool open;    /* an entity has been begun and not committed */
} dpl;

static const char *field(const dpl *d, int which)
{
    return csv_field(d->r, (size_t)d->col[which]);
}

static cordon_status find_columns(dpl *d, cordon_error *err)
{
    for (int i = 0; i < C_COUNT; i++) {
        d->col[i] = csv_column(d->r, col_names[i]);
        if (d->col[i] < 0)
            return err_set(err, CORDON_ERR_PARSE,
                           "%s:%ld: missing column '%s' in header (not a DPL file?)",
                           csv_path(d->r), csv_line(d->r), col_names[i]);
    }
    d->nheader = csv_nfields(d->r);
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

/* ---- type guess ------------------------------------------------------------------------- */

static const char *const org_words[] = {
    /* legal forms */
    "LTD", "LTD.", "LIMITED", "INC", "INC.", "INCORPORATED", "LLC", "L.L.C.", "GMBH", "CO",
    "CO.", "CORP", "CORP.", "CORPORATION", "COMPANY", "S.A.", "S.L.", "S.R.L.", "SRL", "SARL",
    "S.A.R.L.", "S.P.A.", "SPA", "AG", "A.G.", "AB", "B.V.", "BV", "N.V.", "PLC", "LLP", "KG",
    "JSC", "PJSC", "OJSC", "CJSC", "OAO", "ZAO", "OOO", "PTE", "PTE.", "PVT", "PVT.", "FZC",
    "FZE", "FZCO", "ANSTALT",
    /* words that only name businesses */
    "AIR", "AIRLINES", "AIRWAYS", "AVIATION", "TRADING", "TRADE", "TECHNOLOGY", "TECHNOLOGIES",
    "TECHNIK", "SYSTEMS", "ENGINEERING", "ELECTRONICS", "COMPUTERS", "METALS", "INTERNATIONAL",
    "ENTERPRISE", "ENTERPRISES", "GROUP", "EXPORT", "SOLUTIONS", "INDUSTRIES", "INDUSTRIE",
    "SERVICES", "PRODUCTS", "CONTRACTING", "VERTRIEBS", "INVEST", "HOLDING", "HOLDINGS"};

static bool is_org_word(const char *w, size_t n)
{
    for (size_t i = 0; i < ARRAY_LEN(org_words); i++)
        if (strlen(org_words[i]) == n && strncasecmp(org_words[i], w, n) == 0)
            return true;
    /* a domain name ("MYNET.NET", "SYNAPTIX.NET") */
    return n > 4 && (strncasecmp(w + n - 4, ".NET", 4) == 0 || strncasecmp(w + n - 4, ".COM", 4) == 0);
}

static cordon_entity_type guess_type(const char *name)
{
    static const char seps[] = " ,()/-;\"";
    for (const char *s = name; *s;) {
        size_t n = strcspn(s, seps);
        if (n && is_org_word(s, n))
            return CORDON_TYPE_ORGANIZATION;
        s += n;
        s += strspn(s, seps);
    }
    return CORDON_TYPE_PERSON;
}

/* ---- entity ----------------------------------------------------------------------------- */

/* "MM/DD/YYYY" -> "YYYY-MM-DD" into out; the text unchanged when it has another form. */
static const char *iso_date(const char *us, char out[32])
{
    int m, d, y;
    char extra;
    if (sscanf(us, "%2d/%2d/%4d%c", &m, &d, &y, &extra) == 3 && m >= 1 && m <= 12 && d >= 1 &&
        d <= 31 && y >= 1000)
        snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
    else
        snprintf(out, 32, "%.31s", us);
    return out;
}

static bool is_us_state(const char *s)
{
    static const char states[] =
        "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV "
        "NH NJ NM NY NC ND OH OK OR PA PR RI SC SD TN TX UT VT VA WA WV WI WY GU VI AS MP ";
    if (strlen(s) != 2 || !isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]))
        return false;
    for (const char *p = states; *p; p += 3)
        if (p[0] == s[0] && p[1] == s[1])
            return true;
    return false;
}

/* Adds the row's address unless the entity has it already; false when out of memory. */
static bool add_address(dpl *d)
{
    static const int parts[] = {C_STREET, C_CITY, C_STATE, C_POSTAL};
    buf *t = &d->scratch;
    t->len = 0;
    bool ok = buf_puts(t, "");
    for (size_t i = 0; ok && i < ARRAY_LEN(parts); i++) {
        const char *p = field(d, parts[i]);
        if (!str_is_blank(p))
            ok = (t->len == 0 || buf_puts(t, ", ")) && buf_puts(t, p);
    }
    const char *country = field(d, C_COUNTRY);
    /* US addresses often leave Country empty and give only the state. */
    if (str_is_blank(country) && is_us_state(field(d, C_STATE)))
        country = "US";
    if (!ok)
        return false;
    size_t text_len = t->len = str_squeeze(t->data);
    if (!buf_printf(t, "|%s", country))
        return false;
    t->len = str_squeeze(t->data);
    for (size_t i = 0; i < d->addrs.len; i++)
        if (strcmp(VEC_AT(&d->addrs, const char *, i), t->data) == 0)
            return true;
    const char **slot = vec_push(&d->addrs);
    if (!slot || !(*slot = eb_strdup(d->b, t->data, t->len)))
        return false;
    t->data[text_len] = 0;
    eb_add_address(d->b, t->data, country);
    return true;
}

static void add_remark(eb *b, const char *label, const char *text)
{
    if (str_is_blank(text))
        return;
    buf t = {0};
    if (buf_printf(&t, "%s: %s", label, text))
        eb_append_remarks(b, t.data);
    buf_free(&t);
}

/* "FUYI SUN A/K/A FRANK SUN", "SIBERIAN AIRLINES D/B/A S7 AIRLINES": split into names. */
static void add_names(eb *b, const char *name)
{
    const char *cut = str_icontains(name, " A/K/A ");
    const char *dba = str_icontains(name, " D/B/A ");
    if (!cut || (dba && dba < cut))
        cut = dba;
    if (!cut) {
        eb_add_name(b, CORDON_NAME_PRIMARY, name, NULL, NULL, NULL);
        return;
    }
    eb_add_name(b, CORDON_NAME_PRIMARY, eb_strdup(b, name, (size_t)(cut - name)), NULL, NULL,
                NULL);
    eb_add_name(b, CORDON_NAME_STRONG_AKA, cut + 7, NULL, NULL, NULL);
}

static void begin_entity(dpl *d, const char *name, const char *effective)
{
    char date[32], id[32];
    iso_date(effective, date);
    snprintf(id, sizeof id, "dpl-%016" PRIx64, stable_hash(d->key.data, d->key.len));
    eb_begin(d->b, guess_type(name), id);
    d->open = true;
    vec_clear(&d->addrs);
    add_names(d->b, name);
    eb_add_program(d->b, "DPL");
    eb_set_listed_on(d->b, date);
    char exp[32];
    if (!str_is_blank(field(d, C_EXPIRATION)))
        add_remark(d->b, "Denial expires", iso_date(field(d, C_EXPIRATION), exp));
    if (str_ieq(field(d, C_STANDARD), "N"))
        eb_append_remarks(d->b, "Non-standard denial order");
    add_remark(d->b, "Federal Register", field(d, C_FR));
}

static cordon_status commit(dpl *d)
{
    if (!d->open)
        return CORDON_OK;
    d->open = false;
    return eb_commit(d->b);
}

/* The grouping key of the current row: squeezed name and effective date. */
static bool row_key(dpl *d, buf *k)
{
    k->len = 0;
    if (!buf_printf(k, "%s\x1f%s", field(d, C_NAME), field(d, C_EFFECTIVE)))
        return false;
    k->len = str_squeeze(k->data);
    return true;
}

static cordon_status row_error(dpl *d, cordon_error *err, cordon_status st, const char *what)
{
    return err_set(err, st, "%s:%ld: %s", csv_path(d->r), csv_line(d->r), what);
}

static cordon_status read_row(dpl *d, buf *key, cordon_error *err)
{
    if (csv_nfields(d->r) != d->nheader)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected %zu fields, found %zu",
                       csv_path(d->r), csv_line(d->r), d->nheader, csv_nfields(d->r));
    if (str_is_blank(field(d, C_NAME)))
        return row_error(d, err, CORDON_ERR_PARSE, "empty Name");
    if (!row_key(d, key))
        return row_error(d, err, CORDON_ERR_NOMEM, "out of memory");
    if (!d->open || key->len != d->key.len || memcmp(key->data, d->key.data, key->len) != 0) {
        cordon_status st = commit(d);
        if (st != CORDON_OK)
            return row_error(d, err, st, st == CORDON_ERR_NOMEM ? "out of memory"
                                                                : "stopped by the caller");
        d->key.len = 0;
        if (!buf_append(&d->key, key->data, key->len))
            return row_error(d, err, CORDON_ERR_NOMEM, "out of memory");
        begin_entity(d, field(d, C_NAME), field(d, C_EFFECTIVE));
    }
    if (d->addrs.len >= MAX_ROWS_PER_PARTY)
        return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: more than %d rows for one party",
                       csv_path(d->r), csv_line(d->r), MAX_ROWS_PER_PARTY);
    if (!add_address(d))
        return row_error(d, err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

static cordon_status read_rows(dpl *d, cordon_error *err)
{
    buf key = {0};
    cordon_status st = CORDON_OK;
    int got = 0;
    while (st == CORDON_OK && (got = csv_next(d->r, err)) == 1)
        st = read_row(d, &key, err);
    buf_free(&key);
    if (st != CORDON_OK)
        return st;
    if (got < 0)
        return err->status;
    long line = csv_line(d->r);
    if (!d->open)
        return err_set(err, CORDON_ERR_PARSE, "%s: no entities (header only)", csv_path(d->r));
    st = commit(d);
    if (st != CORDON_OK)
        return err_set(err, st, "%s:%ld: %s", csv_path(d->r), line,
                       st == CORDON_ERR_NOMEM ? "out of memory" : "stopped by the caller");
    return CORDON_OK;
}

cordon_status read_bis_dpl(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    cordon_error local;
    if (!err)
        err = &local;
    if (meta)
        meta->published[0] = 0;
    dpl d = {.b = b};
    vec_init(&d.addrs, sizeof(char *));
    d.r = csv_open(path, '\t', err);
    if (!d.r)
        return err->status;
    cordon_status st;
    int got = csv_next(d.r, err);
    if (got < 0)
        st = err->status;
    else if (got == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file", path);
    else if ((st = find_columns(&d, err)) == CORDON_OK)
        st = read_rows(&d, err);
    csv_close(d.r);
    buf_free(&d.key);
    buf_free(&d.scratch);
    vec_free(&d.addrs);
    return st;
}
