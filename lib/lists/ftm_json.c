/* ftm_json.c - reader for FollowTheMoney entities as JSON lines, the format OpenSanctions
 * publishes as entities.ftm.json: one entity a line,
 *
 *   {"id": "NK-...", "schema": "Person", "properties": {"name": ["..."], ...},
 *    "datasets": [...], "first_seen": "...", ...}
 *
 * where every property holds a list of strings. Property names follow the FtM schema files
 * (Thing, LegalEntity, Person, Organization, Company, Vessel, Vehicle, Airplane).
 *
 * Parties are Person, Company, Organization, PublicBody, LegalEntity (FtM's "person or
 * company", read as an organisation: OpenSanctions gives persons the Person schema), Vessel
 * and Airplane. Every other schema is skipped: relations (Ownership, Directorship, Family,
 * ...), Address, Passport, Identification, and Sanction. A Sanction entity carries the
 * `program` of its `entity`; linking the two would need the whole file in memory, so only a
 * `program` written on the party itself gives it a programme and regime.
 *
 * Where the model has no field of its own: `country` becomes an address country (every
 * address gets it when there is one country), an organisation's `jurisdiction` and
 * `mainCountry` and a vessel's `flag` its nationality, `createdAt` the listing date (the
 * earliest), `notes` and `position` the remarks. FtM countries are lowercase ISO codes ("kp").
 * No publication date is written in the file, so meta->published stays "". */
#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include <jansson.h>

#define FTM_MAX_LINE ((size_t)READER_MAX_FIELD * 8)

/* ---- lines ----------------------------------------------------------------------------- */

typedef struct {
    FILE *f;
    char block[1 << 16];
    size_t pos, len;
    bool eof;
} line_reader;

/* Reads one line (without its newline) into out. Returns 1 with a line, 0 at end of file,
 * -1 on a read error, -2 when the line is longer than max. */
static int next_line(line_reader *lr, buf *out, size_t max)
{
    out->len = 0;
    bool any = false;
    for (;;) {
        if (lr->pos == lr->len) {
            if (lr->eof)
                return any ? 1 : 0;
            lr->len = fread(lr->block, 1, sizeof lr->block, lr->f);
            lr->pos = 0;
            if (lr->len == 0) {
                if (ferror(lr->f))
                    return -1;
                lr->eof = true;
                continue;
            }
        }
        any = true;
        const char *start = lr->block + lr->pos;
        const char *nl = memchr(start, '\n', lr->len - lr->pos);
        size_t n = nl ? (size_t)(nl - start) : lr->len - lr->pos;
        if (out->len + n > max)
            return -2;
        if (!buf_append(out, start, n))
            return -1;
        lr->pos += n + (nl != NULL);
        if (nl)
            return 1;
    }
}

/* ---- property values -------------------------------------------------------------------- */

/* Iterates the string values of one property: a list of strings, or (leniently) one string. */
typedef struct {
    json_t *v;
    size_t i;
} values;

static values values_of(json_t *props, const char *name)
{
    values it = {props ? json_object_get(props, name) : NULL, 0};
    return it;
}

static const char *next_value(values *it)
{
    if (json_is_string(it->v))
        return it->i++ == 0 ? json_string_value(it->v) : NULL;
    while (json_is_array(it->v) && it->i < json_array_size(it->v)) {
        json_t *x = json_array_get(it->v, it->i++);
        if (json_is_string(x))
            return json_string_value(x);
    }
    return NULL;
}

static size_t count_values(json_t *props, const char *name)
{
    values it = values_of(props, name);
    size_t n = 0;
    while (next_value(&it))
        n++;
    return n;
}

static const char *first_value(json_t *props, const char *name)
{
    values it = values_of(props, name);
    return next_value(&it);
}

/* ---- one entity ------------------------------------------------------------------------- */

typedef struct {
    const char *path;
    long line;
    const char *id;
    eb *b;
    cordon_error *err;
    buf scratch;
} ftm;

static cordon_entity_type party_type(const char *schema)
{
    static const struct {
        const char *schema;
        cordon_entity_type type;
    } parties[] = {
        {"Person", CORDON_TYPE_PERSON},          {"Company", CORDON_TYPE_ORGANIZATION},
        {"Organization", CORDON_TYPE_ORGANIZATION}, {"PublicBody", CORDON_TYPE_ORGANIZATION},
        {"LegalEntity", CORDON_TYPE_ORGANIZATION}, {"Vessel", CORDON_TYPE_VESSEL},
        {"Airplane", CORDON_TYPE_AIRCRAFT},
    };
    for (size_t i = 0; i < ARRAY_LEN(parties); i++)
        if (strcmp(schema, parties[i].schema) == 0)
            return parties[i].type;
    return CORDON_TYPE_UNKNOWN;
}

/* An FtM country code ("kp") in the upper case country_code expects; other text as is. */
static const char *country_text(const char *v, char out[8])
{
    size_t n = strlen(v);
    if (n != 2)
        return v;
    out[0] = (char)toupper((unsigned char)v[0]);
    out[1] = (char)toupper((unsigned char)v[1]);
    out[2] = 0;
    return out;
}

/* True when s has letters outside Latin (and its extensions): Cyrillic, Hangul, Arabic... */
static bool non_latin(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l)
            return false;
        i += l;
        if (cp >= 0x370 && !(cp >= 0x1E00 && cp <= 0x1EFF) && !(cp >= 0x2000 && cp <= 0x206F))
            return true;
    }
    return false;
}

/* The first `name` in Latin script, else the first; NULL if there is none. */
static const char *primary_name(json_t *props)
{
    values it = values_of(props, "name");
    const char *first = NULL, *v;
    while ((v = next_value(&it))) {
        if (str_is_blank(v))
            continue;
        if (!non_latin(v))
            return v;
        if (!first)
            first = v;
    }
    return first;
}

/* "first middle last" from the name parts, for a party without a `name`. */
static const char *name_from_parts(ftm *p, const char *given, const char *middle,
                                   const char *family)
{
    const char *parts[] = {given, middle, family};
    p->scratch.len = 0;
    bool ok = buf_puts(&p->scratch, "");
    for (size_t i = 0; i < ARRAY_LEN(parts) && ok; i++) {
        if (str_is_blank(parts[i]))
            continue;
        if (p->scratch.len)
            ok = buf_putc(&p->scratch, ' ');
        ok = ok && buf_puts(&p->scratch, parts[i]);
    }
    return ok && p->scratch.len ? p->scratch.data : NULL;
}

static void add_names_of(ftm *p, json_t *props, const char *prop, cordon_name_kind kind)
{
    values it = values_of(props, prop);
    const char *v;
    while ((v = next_value(&it)))
        eb_add_name(p->b, kind, v, NULL, NULL, NULL);
}

static void add_names(ftm *p, json_t *props)
{
    /* Split parts go with the primary name only when the source gives one of each. */
    const char *given = count_values(props, "firstName") == 1 ? first_value(props, "firstName")
                                                               : NULL;
    const char *middle =
        count_values(props, "middleName") == 1 ? first_value(props, "middleName") : NULL;
    const char *family =
        count_values(props, "lastName") == 1 ? first_value(props, "lastName") : NULL;
    const char *primary = primary_name(props);
    if (!primary)
        primary = name_from_parts(p, given, middle, family);
    eb_add_name(p->b, CORDON_NAME_PRIMARY, primary, given, middle, family);
    add_names_of(p, props, "name", CORDON_NAME_STRONG_AKA);
    add_names_of(p, props, "alias", CORDON_NAME_STRONG_AKA);
    add_names_of(p, props, "previousName", CORDON_NAME_FORMER);
    add_names_of(p, props, "weakAlias", CORDON_NAME_WEAK_AKA);
}

static void add_ids(ftm *p, json_t *props, cordon_entity_type type)
{
    static const struct {
        const char *prop, *label;
        cordon_id_type type;
    } ids[] = {
        {"passportNumber", "Passport number", CORDON_ID_PASSPORT},
        {"idNumber", "ID Number", CORDON_ID_NATIONAL_ID},
        {"socialSecurityNumber", "Social security number", CORDON_ID_NATIONAL_ID},
        {"taxNumber", "Tax Number", CORDON_ID_TAX_ID},
        {"innCode", "INN", CORDON_ID_TAX_ID},
        {"vatCode", "V.A.T. Identifier", CORDON_ID_TAX_ID},
        {"registrationNumber", "Registration number", CORDON_ID_REGISTRATION},
        {"ogrnCode", "OGRN", CORDON_ID_REGISTRATION},
        {"leiCode", "LEI", CORDON_ID_REGISTRATION},
        {"uscCode", "USCC", CORDON_ID_REGISTRATION},
        {"dunsCode", "DUNS", CORDON_ID_REGISTRATION},
        {"okpoCode", "OKPO", CORDON_ID_REGISTRATION},
        {"imoNumber", "IMO Number", CORDON_ID_IMO},
        {"mmsi", "MMSI", CORDON_ID_MMSI},
        {"callSign", "Call Sign", CORDON_ID_CALL_SIGN},
        {"serialNumber", "Serial Number", CORDON_ID_AIRCRAFT_SERIAL},
        {"swiftBic", "SWIFT/BIC", CORDON_ID_SWIFT_BIC},
        {"email", "E-Mail", CORDON_ID_EMAIL},
        {"phone", "Phone", CORDON_ID_PHONE},
        {"website", "Website", CORDON_ID_WEBSITE},
    };
    for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
        cordon_id_type t = ids[i].type;
        /* An airplane's registration number is its tail number. */
        if (t == CORDON_ID_REGISTRATION && type == CORDON_TYPE_AIRCRAFT &&
            strcmp(ids[i].prop, "registrationNumber") == 0)
            t = CORDON_ID_AIRCRAFT_TAIL;
        values it = values_of(props, ids[i].prop);
        const char *v;
        while ((v = next_value(&it)))
            eb_add_id(p->b, t, ids[i].label, v, NULL);
    }
}

static void add_countries(ftm *p, json_t *props, const char *prop,
                          void (*add)(eb *, const char *))
{
    values it = values_of(props, prop);
    const char *v;
    char cc[8];
    while ((v = next_value(&it)))
        add(p->b, country_text(v, cc));
}

static void add_addresses(ftm *p, json_t *props)
{
    char cc[8];
    size_t n_countries = count_values(props, "country");
    const char *one = n_countries == 1 ? country_text(first_value(props, "country"), cc) : NULL;
    values it = values_of(props, "address");
    const char *v;
    size_t n = 0;
    while ((v = next_value(&it))) {
        eb_add_address(p->b, v, one);
        n++;
    }
    if (one && n)
        return;
    values c = values_of(props, "country");
    while ((v = next_value(&c)))
        eb_add_address(p->b, NULL, country_text(v, cc));
}

static void add_person_facts(ftm *p, json_t *props)
{
    values it = values_of(props, "birthDate");
    const char *v;
    while ((v = next_value(&it)))
        eb_add_birth_date_text(p->b, v);
    it = values_of(props, "birthPlace");
    while ((v = next_value(&it)))
        eb_add_birth_place(p->b, v);
    char cc[8];
    if (!first_value(props, "birthPlace") && (v = first_value(props, "birthCountry"))) {
        const char *iso = country_code(country_text(v, cc));
        eb_add_birth_place(p->b, iso ? country_name(iso) : NULL);
    }
    add_countries(p, props, "nationality", eb_add_nationality);
    add_countries(p, props, "citizenship", eb_add_citizenship);
    eb_set_gender(p->b, first_value(props, "gender"));
    it = values_of(props, "position");
    while ((v = next_value(&it))) {
        p->scratch.len = 0;
        if (buf_printf(&p->scratch, "Position: %s", v))
            eb_append_remarks(p->b, p->scratch.data);
    }
}

static void add_facts(ftm *p, json_t *props, cordon_entity_type type)
{
    add_names(p, props);
    add_ids(p, props, type);
    add_addresses(p, props);
    if (type == CORDON_TYPE_PERSON)
        add_person_facts(p, props);
    if (type == CORDON_TYPE_ORGANIZATION) {
        add_countries(p, props, "jurisdiction", eb_add_nationality);
        add_countries(p, props, "mainCountry", eb_add_nationality);
    }
    if (type == CORDON_TYPE_VESSEL)
        add_countries(p, props, "flag", eb_add_nationality);
    values it = values_of(props, "program");
    const char *v, *created = NULL;
    while ((v = next_value(&it)))
        eb_add_program(p->b, v);
    it = values_of(props, "createdAt");
    while ((v = next_value(&it)))
        if (!str_is_blank(v) && (!created || strcmp(v, created) < 0))
            created = v;
    eb_set_listed_on(p->b, created);
    it = values_of(props, "notes");
    while ((v = next_value(&it)))
        eb_append_remarks(p->b, v);
}

/* Refuses a property value longer than the per-field limit anywhere in the properties. */
static cordon_status check_sizes(ftm *p, json_t *props)
{
    const char *key;
    json_t *val;
    json_object_foreach(props, key, val)
    {
        values it = {val, 0};
        const char *v;
        while ((v = next_value(&it)))
            if (strlen(v) > READER_MAX_FIELD)
                return err_set(p->err, CORDON_ERR_LIMIT,
                               "%s:%ld: entity %.200s: property \"%s\" has a value longer "
                               "than %u bytes",
                               p->path, p->line, p->id, key, READER_MAX_FIELD);
    }
    return CORDON_OK;
}

/* A non-empty string member, or NULL. */
static const char *string_member(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s && !str_is_blank(s) ? s : NULL;
}

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    default:
        return "an object";
    }
}

/* Reads one entity; *party tells whether it was one the model holds. */
static cordon_status read_entity(ftm *p, json_t *root, bool *party)
{
    *party = false;
    if (!json_is_object(root))
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: not a FollowTheMoney entity: the line is %s, not an object",
                       p->path, p->line, json_kind(root));
    p->id = string_member(root, "id");
    if (!p->id || strlen(p->id) > READER_MAX_FIELD)
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: entity has no \"id\" (a non-empty string of at most %u bytes)",
                       p->path, p->line, READER_MAX_FIELD);
    const char *schema = string_member(root, "schema");
    if (!schema)
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: entity %.200s has no \"schema\" (a non-empty string)", p->path,
                       p->line, p->id);
    cordon_entity_type type = party_type(schema);
    if (type == CORDON_TYPE_UNKNOWN)
        return CORDON_OK;
    *party = true;
    json_t *props = json_object_get(root, "properties");
    if (props && !json_is_object(props))
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: entity %.200s: \"properties\" is %s, not an object", p->path,
                       p->line, p->id, json_kind(props));
    cordon_status st = props ? check_sizes(p, props) : CORDON_OK;
    if (st)
        return st;
    eb_begin(p->b, type, p->id);
    add_facts(p, props, type);
    st = eb_commit(p->b);
    if (st == CORDON_ERR_NOMEM)
        return err_set(p->err, st, "%s:%ld: out of memory", p->path, p->line);
    if (st == CORDON_ERR_ABORTED)
        return err_set(p->err, st, "%s:%ld: stopped by the caller", p->path, p->line);
    return st;
}

/* ---- the file --------------------------------------------------------------------------- */

static cordon_status read_line(ftm *p, buf *line, bool *party)
{
    *party = false;
    const char *s = line->data;
    size_t n = line->len;
    if (p->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3, n -= 3; /* a UTF-8 byte order mark */
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    size_t lead = 0;
    while (lead < n && (s[lead] == ' ' || s[lead] == '\t'))
        lead++;
    if (lead == n)
        return CORDON_OK; /* a blank line */
    const char *nul = memchr(s, 0, n);
    if (nul)
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: NUL byte at byte %zu of the line: not a JSON text file", p->path,
                       p->line, (size_t)(nul - s) + 1);
    size_t bad;
    if (!utf8_valid(s, n, &bad))
        return err_set(p->err, CORDON_ERR_PARSE, "%s:%ld: invalid UTF-8 at byte %zu of the line",
                       p->path, p->line, bad + 1);
    json_error_t jerr;
    json_t *root = json_loadb(s, n, 0, &jerr);
    if (!root)
        return err_set(p->err, CORDON_ERR_PARSE, "%s:%ld: invalid JSON at column %d: %s",
                       p->path, p->line, jerr.column, jerr.text);
    cordon_status st = read_entity(p, root, party);
    json_decref(root);
    return st;
}

static cordon_status read_lines(ftm *p, FILE *f)
{
    line_reader *lr = calloc(1, sizeof *lr);
    buf line = {0};
    if (!lr)
        return err_set(p->err, CORDON_ERR_NOMEM, "%s: out of memory", p->path);
    lr->f = f;
    cordon_status st = CORDON_OK;
    size_t parties = 0;
    int rc;
    while (st == CORDON_OK && (rc = next_line(lr, &line, FTM_MAX_LINE)) == 1) {
        p->line++;
        bool party;
        st = read_line(p, &line, &party);
        parties += party;
    }
    if (st == CORDON_OK && rc == -2)
        st = err_set(p->err, CORDON_ERR_LIMIT, "%s:%ld: line longer than %zu bytes", p->path,
                     p->line + 1, FTM_MAX_LINE);
    else if (st == CORDON_OK && rc == -1)
        st = err_set(p->err, CORDON_ERR_IO, "%s:%ld: cannot read: %s", p->path, p->line + 1,
                     errno ? strerror(errno) : "read error");
    else if (st == CORDON_OK && p->line == 0)
        st = err_set(p->err, CORDON_ERR_PARSE, "%s:1: empty file: no entities", p->path);
    else if (st == CORDON_OK && parties == 0)
        st = err_set(p->err, CORDON_ERR_PARSE,
                     "%s:%ld: no entities: no Person, Company, Organization, LegalEntity, "
                     "Vessel or Airplane in the file",
                     p->path, p->line);
    buf_free(&line);
    free(lr);
    return st;
}

cordon_status read_ftm_json(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    ftm p = {.path = path, .b = b, .err = err};
    cordon_status st = read_lines(&p, f);
    fclose(f);
    buf_free(&p.scratch);
    return st;
}
