/* params.c - request decoding for the server (see params.h). Every error message names the
 * field that is wrong, so a client can fix its request from the message alone. */
#include "params.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fail(char *msg, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *msg, size_t cap, const char *fmt, ...)
{
    if (msg && cap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, cap, fmt, ap);
        va_end(ap);
    }
    return -1;
}

bool parse_size(const char *s, size_t lo, size_t hi, size_t *out)
{
    if (!s || !isdigit((unsigned char)*s) || strlen(s) > 12)
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || errno || v < lo || v > hi)
        return false;
    *out = (size_t)v;
    return true;
}

bool parse_unit(const char *s, double *out)
{
    if (!s || !*s || strlen(s) > 32)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || errno || !isfinite(v) || v < 0.0 || v > 1.0)
        return false;
    *out = v;
    return true;
}

bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"true", "1", "yes", "on"};
    static const char *const no[] = {"false", "0", "no", "off"};
    if (!s || !*s) { /* "?exhaustive" with no value means true */
        *out = true;
        return true;
    }
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

void sreq_init(screen_req *r)
{
    memset(r, 0, sizeof *r);
    r->q.threshold = -1;
    r->q.sources = r->sources;
}

void sreq_free(screen_req *r)
{
    for (size_t i = 0; i < r->n_owned; i++)
        free(r->owned[i]);
    r->n_owned = 0;
}

static char *own(screen_req *r, const char *s, size_t n)
{
    if (r->n_owned >= SREQ_MAX_STRINGS)
        return NULL;
    char *c = malloc(n + 1);
    if (!c)
        return NULL;
    memcpy(c, s, n);
    c[n] = 0;
    r->owned[r->n_owned++] = c;
    return c;
}

/* A field given twice is an error rather than a silent "last one wins". */
static int set_string(screen_req *r, const char **dst, const char *key, const char *v, char *msg,
                      size_t cap)
{
    if (*dst)
        return fail(msg, cap, "%s: given more than once", key);
    if (!v || !*v)
        return fail(msg, cap, "%s: empty value", key);
    size_t n = strlen(v);
    if (n > CORDON_MAX_QUERY_BYTES)
        return fail(msg, cap, "%s: longer than %d bytes", key, CORDON_MAX_QUERY_BYTES);
    *dst = own(r, v, n);
    return *dst ? 0 : fail(msg, cap, "%s: too many fields", key);
}

static int add_sources(screen_req *r, const char *v, char *msg, size_t cap)
{
    if (!v || !*v)
        return fail(msg, cap, "sources: empty value");
    const char *p = v;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        while (n && isspace((unsigned char)*p))
            p++, n--;
        while (n && isspace((unsigned char)p[n - 1]))
            n--;
        if (n) {
            if (r->q.n_sources >= SREQ_MAX_SOURCES)
                return fail(msg, cap, "sources: more than %d lists", SREQ_MAX_SOURCES);
            if (n > 64)
                return fail(msg, cap, "sources: list name longer than 64 bytes");
            const char *s = own(r, p, n);
            if (!s)
                return fail(msg, cap, "sources: too many fields");
            r->sources[r->q.n_sources++] = s;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return 0;
}

static int set_id(screen_req *r, const char *v, char *msg, size_t cap)
{
    const char *colon = v ? strchr(v, ':') : NULL;
    if (!colon || colon == v || !colon[1])
        return fail(msg, cap, "id: use TYPE:VALUE (e.g. imo:9123456, passport:M123)");
    if (r->q.id_value)
        return fail(msg, cap, "id: given more than once");
    if (strlen(v) > 256)
        return fail(msg, cap, "id: longer than 256 bytes");
    r->q.id_type = own(r, v, (size_t)(colon - v));
    r->q.id_value = own(r, colon + 1, strlen(colon + 1));
    return r->q.id_type && r->q.id_value ? 0 : fail(msg, cap, "id: too many fields");
}

static int set_number(screen_req *r, const char *key, const char *v, char *msg, size_t cap)
{
    if (strcmp(key, "limit") == 0) {
        size_t n;
        if (!parse_size(v, 1, SREQ_MAX_LIMIT, &n))
            return fail(msg, cap, "limit: a whole number from 1 to %d", SREQ_MAX_LIMIT);
        r->q.limit = n;
        return 0;
    }
    double t;
    if (!parse_unit(v, &t))
        return fail(msg, cap, "threshold: a number from 0 to 1");
    r->q.threshold = t;
    return 0;
}

int sreq_set(screen_req *r, const char *key, const char *v, char *msg, size_t cap)
{
    if (!key)
        return fail(msg, cap, "empty parameter name");
    if (strcmp(key, "name") == 0)
        return set_string(r, &r->q.name, key, v, msg, cap);
    if (strcmp(key, "dob") == 0)
        return set_string(r, &r->q.dob, key, v, msg, cap);
    if (strcmp(key, "country") == 0)
        return set_string(r, &r->q.country, key, v, msg, cap);
    if (strcmp(key, "id_type") == 0)
        return set_string(r, &r->q.id_type, key, v, msg, cap);
    if (strcmp(key, "id_value") == 0)
        return set_string(r, &r->q.id_value, key, v, msg, cap);
    if (strcmp(key, "id") == 0)
        return set_id(r, v, msg, cap);
    if (strcmp(key, "sources") == 0 || strcmp(key, "source") == 0)
        return add_sources(r, v, msg, cap);
    if (strcmp(key, "limit") == 0 || strcmp(key, "threshold") == 0)
        return set_number(r, key, v, msg, cap);
    if (strcmp(key, "type") == 0) {
        r->q.type = v ? cordon_entity_type_parse(v) : CORDON_TYPE_UNKNOWN;
        if (r->q.type == CORDON_TYPE_UNKNOWN)
            return fail(msg, cap, "type: use person, organization, vessel or aircraft");
        return 0;
    }
    if (strcmp(key, "algorithm") == 0) {
        if (v && strcmp(v, "ofac") == 0)
            r->q.algorithm = CORDON_ALGO_OFAC;
        else if (v && strcmp(v, "default") == 0)
            r->q.algorithm = CORDON_ALGO_DEFAULT;
        else
            return fail(msg, cap, "algorithm: use default or ofac");
        return 0;
    }
    if (strcmp(key, "exhaustive") == 0) {
        bool b;
        if (!parse_bool(v, &b))
            return fail(msg, cap, "exhaustive: use true or false");
        r->q.exhaustive = b;
        return 0;
    }
    return fail(msg, cap, "unknown parameter '%.64s'", key);
}

/* JSON values take their natural types; the text form is accepted too, so that a client that
 * quotes every value ("limit": "5") is not refused. */
static int json_field(screen_req *r, const char *key, json_t *v, char *msg, size_t cap)
{
    char tmp[64];
    if (json_is_null(v))
        return 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v))
            return fail(msg, cap, "%.64s: contains a NUL byte", key);
        return sreq_set(r, key, s, msg, cap);
    }
    if (strcmp(key, "sources") == 0 && json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (!json_is_string(item))
                return fail(msg, cap, "sources[%zu]: must be a string", i);
            if (add_sources(r, json_string_value(item), msg, cap))
                return -1;
        }
        return 0;
    }
    if (strcmp(key, "limit") == 0 && json_is_integer(v)) {
        snprintf(tmp, sizeof tmp, "%lld", (long long)json_integer_value(v));
        return sreq_set(r, key, tmp, msg, cap);
    }
    if (strcmp(key, "threshold") == 0 && json_is_number(v)) {
        snprintf(tmp, sizeof tmp, "%.17g", json_number_value(v));
        return sreq_set(r, key, tmp, msg, cap);
    }
    if (strcmp(key, "exhaustive") == 0 && json_is_boolean(v)) {
        r->q.exhaustive = json_is_true(v);
        return 0;
    }
    static const char *const known[] = {"name",    "type",     "dob",    "country",   "id",
                                        "id_type", "id_value", "sources", "source",   "limit",
                                        "threshold", "algorithm", "exhaustive"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i], key) == 0)
            return fail(msg, cap, "%s: wrong JSON type", key);
    return fail(msg, cap, "unknown field '%.64s'", key);
}

int sreq_from_json(screen_req *r, const char *body, size_t len, char *msg, size_t cap)
{
    json_error_t je;
    json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return fail(msg, cap, "body: invalid JSON at line %d column %d: %s", je.line, je.column,
                    je.text);
    int rc = 0;
    if (!json_is_object(root)) {
        rc = fail(msg, cap, "body: must be a JSON object");
    } else {
        const char *key;
        json_t *v;
        json_object_foreach(root, key, v) {
            if ((rc = json_field(r, key, v, msg, cap)) != 0)
                break;
        }
    }
    json_decref(root);
    return rc;
}

int sreq_finish(screen_req *r, char *msg, size_t cap)
{
    if (!r->q.name)
        return fail(msg, cap, "name: required");
    if (r->q.id_type && !r->q.id_value)
        return fail(msg, cap, "id_type: needs id_value");
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Form and query-string decoding                                                            */

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes in place; returns the new length or -1 on a bad %XX or an encoded NUL. */
static long url_decode(char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi = i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return -1;
            c = (char)(hi * 16 + lo);
            i += 2;
        } else if (c == 0) {
            return -1;
        }
        s[o++] = c;
    }
    s[o] = 0;
    return (long)o;
}

int form_parse(const char *body, size_t len, form_cb cb, void *ctx, char *msg, size_t cap)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return fail(msg, cap, "out of memory");
    memcpy(copy, body, len);
    copy[len] = 0;
    int rc = 0;
    size_t start = 0;
    for (size_t i = 0; i <= len && rc == 0; i++) {
        if (i < len && copy[i] != '&')
            continue;
        char *pair = copy + start;
        size_t n = i - start;
        start = i + 1;
        if (n == 0)
            continue;
        pair[n] = 0;
        char *eq = memchr(pair, '=', n);
        char *val = eq ? eq + 1 : pair + n;
        size_t kn = eq ? (size_t)(eq - pair) : n;
        if (eq)
            *eq = 0;
        if (url_decode(pair, kn) < 0 || url_decode(val, strlen(val)) < 0) {
            rc = fail(msg, cap, "bad percent-encoding near byte %zu", (size_t)(pair - copy));
            break;
        }
        rc = cb(ctx, pair, val);
    }
    free(copy);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* yente and reconciliation query shapes                                                     */

static const struct {
    const char *schema;
    cordon_entity_type type;
} schemas[] = {
    {"Person", CORDON_TYPE_PERSON},           {"Organization", CORDON_TYPE_ORGANIZATION},
    {"Company", CORDON_TYPE_ORGANIZATION},    {"PublicBody", CORDON_TYPE_ORGANIZATION},
    {"Vessel", CORDON_TYPE_VESSEL},           {"Airplane", CORDON_TYPE_AIRCRAFT},
    {"LegalEntity", CORDON_TYPE_UNKNOWN},     {"Thing", CORDON_TYPE_UNKNOWN},
};

cordon_entity_type ftm_schema_type(const char *schema, bool *known)
{
    *known = false;
    if (!schema)
        return CORDON_TYPE_UNKNOWN;
    for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
        if (strcmp(schemas[i].schema, schema) == 0) {
            *known = true;
            return schemas[i].type;
        }
    return CORDON_TYPE_UNKNOWN;
}

const char *ftm_schema_name(cordon_entity_type t)
{
    switch (t) {
    case CORDON_TYPE_PERSON: return "Person";
    case CORDON_TYPE_ORGANIZATION: return "Organization";
    case CORDON_TYPE_VESSEL: return "Vessel";
    case CORDON_TYPE_AIRCRAFT: return "Airplane";
    default: return "LegalEntity";
    }
}

/* FollowTheMoney property names (and cordon's own words, for reconciliation clients that
 * use them) and what each feeds in the query. */
typedef enum { P_NAME, P_DOB, P_COUNTRY, P_ID } prop_role;
static const struct {
    const char *prop;
    prop_role role;
    const char *id_type; /* for P_ID: cordon identifier type, NULL for any */
} props[] = {
    {"name", P_NAME, NULL},           {"alias", P_NAME, NULL},
    {"weakAlias", P_NAME, NULL},      {"previousName", P_NAME, NULL},
    {"birthDate", P_DOB, NULL},       {"dob", P_DOB, NULL},
    {"nationality", P_COUNTRY, NULL}, {"citizenship", P_COUNTRY, NULL},
    {"country", P_COUNTRY, NULL},     {"jurisdiction", P_COUNTRY, NULL},
    {"flag", P_COUNTRY, NULL},        {"mainCountry", P_COUNTRY, NULL},
    {"idNumber", P_ID, NULL},         {"passportNumber", P_ID, "passport"},
    {"registrationNumber", P_ID, "registration"}, {"taxNumber", P_ID, "tax_id"},
    {"innCode", P_ID, "tax_id"},      {"ogrnCode", P_ID, "registration"},
    {"imoNumber", P_ID, "imo"},       {"mmsi", P_ID, "mmsi"},
    {"callSign", P_ID, "call_sign"},  {"serialNumber", P_ID, "aircraft_serial"},
    {"swiftBic", P_ID, "swift_bic"},  {"email", P_ID, "email"},
    {"phone", P_ID, "phone"},         {"website", P_ID, "website"},
};

static int find_prop(const char *name)
{
    for (size_t i = 0; i < sizeof props / sizeof props[0]; i++)
        if (strcmp(props[i].prop, name) == 0)
            return (int)i;
    return -1;
}

/* Takes one property value into the example. Values that are not strings (numbers, reconciled
 * entities as {"id", "name"}) are read as the text they carry. */
static void take_value(match_example *ex, int p, const char *v)
{
    if (!v || !*v || strlen(v) > CORDON_MAX_QUERY_BYTES)
        return;
    switch (props[p].role) {
    case P_NAME:
        if (ex->n_names < EX_MAX_NAMES)
            ex->names[ex->n_names++] = v;
        break;
    case P_DOB:
        if (!ex->dob)
            ex->dob = v;
        break;
    case P_COUNTRY:
        if (!ex->country)
            ex->country = v;
        break;
    case P_ID:
        if (!ex->id_value) {
            ex->id_value = v;
            ex->id_type = props[p].id_type;
            if (ex->type == CORDON_TYPE_AIRCRAFT && strcmp(props[p].prop, "registrationNumber") == 0)
                ex->id_type = "aircraft_tail";
        }
        break;
    }
}

static const char *value_text(json_t *v)
{
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_object(v)) { /* a reconciled entity: match on its name */
        json_t *n = json_object_get(v, "name");
        return json_is_string(n) ? json_string_value(n) : NULL;
    }
    return NULL;
}

static int take_values(match_example *ex, const char *prop, json_t *v, const char *where,
                       char *msg, size_t cap)
{
    int p = find_prop(prop);
    if (json_is_array(v)) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            if (json_is_array(item))
                return fail(msg, cap, "%s: property %.64s: nested arrays", where, prop);
            if (p >= 0)
                take_value(ex, p, value_text(item));
        }
        return 0;
    }
    if (p >= 0)
        take_value(ex, p, value_text(v));
    return 0;
}

int yente_parse(json_t *root, match_example *out, size_t cap, size_t *n, char *msg, size_t mcap)
{
    *n = 0;
    if (!json_is_object(root))
        return fail(msg, mcap, "body: must be a JSON object");
    json_t *queries = json_object_get(root, "queries");
    if (!json_is_object(queries))
        return fail(msg, mcap, "queries: required, an object of examples");
    if (json_object_size(queries) == 0)
        return fail(msg, mcap, "No queries provided.");
    if (json_object_size(queries) > cap)
        return fail(msg, mcap, "Too many queries in one batch (limit: %zu)", cap);
    const char *key;
    json_t *q;
    json_object_foreach(queries, key, q) {
        match_example *ex = &out[(*n)++];
        memset(ex, 0, sizeof *ex);
        ex->key = key;
        ex->src = q;
        if (!json_is_object(q))
            return fail(msg, mcap, "queries.%.64s: must be an object", key);
        json_t *schema = json_object_get(q, "schema");
        bool known;
        ex->type = ftm_schema_type(json_string_value(schema), &known);
        if (!known)
            return fail(msg, mcap, "queries.%.64s.schema: use Person, Organization, Company, "
                        "LegalEntity, Vessel or Airplane", key);
        json_t *properties = json_object_get(q, "properties");
        if (!json_is_object(properties))
            return fail(msg, mcap, "queries.%.64s.properties: required, an object", key);
        const char *prop;
        json_t *v;
        json_object_foreach(properties, prop, v) {
            if (take_values(ex, prop, v, key, msg, mcap))
                return -1;
        }
        if (ex->n_names == 0)
            return fail(msg, mcap, "queries.%.64s.properties.name: at least one name is needed",
                        key);
    }
    return 0;
}

static int recon_type(match_example *ex, json_t *t, const char *key, char *msg, size_t cap)
{
    if (json_is_array(t))
        t = json_array_size(t) ? json_array_get(t, 0) : NULL;
    if (!t || json_is_null(t))
        return 0;
    bool known;
    ex->type = json_is_string(t) ? ftm_schema_type(json_string_value(t), &known) : CORDON_TYPE_UNKNOWN;
    if (!json_is_string(t) || !known)
        return fail(msg, cap, "%.64s.type: use Person, Organization, LegalEntity, Vessel or "
                    "Airplane", key);
    return 0;
}

int reconcile_parse(json_t *root, match_example *out, size_t cap, size_t *n, char *msg,
                    size_t mcap)
{
    *n = 0;
    if (!json_is_object(root))
        return fail(msg, mcap, "queries: must be a JSON object of queries");
    if (json_object_size(root) > cap)
        return fail(msg, mcap, "Too many queries in one batch (limit: %zu)", cap);
    const char *key;
    json_t *q;
    json_object_foreach(root, key, q) {
        match_example *ex = &out[(*n)++];
        memset(ex, 0, sizeof *ex);
        ex->key = key;
        ex->src = q;
        if (!json_is_object(q))
            return fail(msg, mcap, "%.64s: must be an object", key);
        json_t *text = json_object_get(q, "query");
        if (text && !json_is_string(text))
            return fail(msg, mcap, "%.64s.query: must be a string", key);
        if (text)
            take_value(ex, find_prop("name"), json_string_value(text));
        if (recon_type(ex, json_object_get(q, "type"), key, msg, mcap))
            return -1;
        json_t *limit = json_object_get(q, "limit");
        if (limit) {
            double l = json_number_value(limit);
            if (!json_is_number(limit) || l < 1 || l > SREQ_MAX_LIMIT)
                return fail(msg, mcap, "%.64s.limit: a number from 1 to %d", key, SREQ_MAX_LIMIT);
            ex->limit = (size_t)l;
        }
        json_t *props_v = json_object_get(q, "properties");
        if (props_v && !json_is_array(props_v))
            return fail(msg, mcap, "%.64s.properties: must be an array", key);
        size_t i;
        json_t *pv;
        json_array_foreach(props_v, i, pv) {
            json_t *pid = json_object_get(pv, "pid");
            if (!json_is_string(pid) || !json_object_get(pv, "v"))
                return fail(msg, mcap, "%.64s.properties[%zu]: needs pid and v", key, i);
            if (take_values(ex, json_string_value(pid), json_object_get(pv, "v"), key, msg, mcap))
                return -1;
        }
        if (ex->n_names == 0)
            return fail(msg, mcap, "%.64s: a query string (or a name property) is needed", key);
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Alert decisions                                                                           */

static bool is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* One string member: required or optional, bounded, not blank when required. */
static int decision_field(json_t *root, const char *key, bool required, size_t max,
                          const char **out, char *msg, size_t cap)
{
    json_t *v = json_object_get(root, key);
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? fail(msg, cap, "%s: required", key) : 0;
    if (!json_is_string(v))
        return fail(msg, cap, "%s: must be a string", key);
    const char *s = json_string_value(v);
    if (json_string_length(v) > max)
        return fail(msg, cap, "%s: longer than %zu bytes", key, max);
    if (strlen(s) != json_string_length(v))
        return fail(msg, cap, "%s: contains a NUL character", key);
    if (is_blank(s)) {
        if (required)
            return fail(msg, cap, "%s: required (it is blank)", key);
        return 0; /* an empty optional field means none */
    }
    *out = s;
    return 0;
}

int decision_parse(json_t *root, decision_req *d, char *msg, size_t cap)
{
    static const char *const outcomes[] = {"false_positive", "true_match", "escalated"};
    memset(d, 0, sizeof *d);
    if (!json_is_object(root))
        return fail(msg, cap, "body: send a JSON object {\"outcome\", \"reason\", \"who\", "
                              "\"second_approver\"}");
    const char *key;
    json_t *v;
    json_object_foreach(root, key, v) {
        if (strcmp(key, "outcome") && strcmp(key, "reason") && strcmp(key, "who") &&
            strcmp(key, "second_approver"))
            return fail(msg, cap, "body: unknown field '%.64s' (outcome, reason, who, "
                                  "second_approver)", key);
    }
    if (decision_field(root, "outcome", true, 32, &d->outcome, msg, cap) ||
        decision_field(root, "reason", true, DECISION_MAX_REASON, &d->reason, msg, cap) ||
        decision_field(root, "who", true, DECISION_MAX_WHO, &d->who, msg, cap) ||
        decision_field(root, "second_approver", false, DECISION_MAX_WHO, &d->second_approver,
                       msg, cap))
        return -1;
    bool known = false;
    for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0] && !known; i++)
        known = strcmp(d->outcome, outcomes[i]) == 0;
    if (!known)
        return fail(msg, cap, "outcome: '%.32s' is not false_positive, true_match or escalated",
                    d->outcome);
    if (d->second_approver && strcmp(d->second_approver, d->who) == 0)
        return fail(msg, cap, "second_approver: must be another person than who");
    return 0;
}

int alert_path_parse(const char *tail, int64_t *id, bool *decision)
{
    if (!tail)
        return -1;
    const char *p = tail;
    while (isdigit((unsigned char)*p))
        p++;
    size_t n = (size_t)(p - tail);
    if (n == 0 || n > 18 || tail[0] == '0' || (*p && *p != '/'))
        return -1; /* fits an int64; no leading zeros (and no alert 0) */
    char num[20];
    memcpy(num, tail, n);
    num[n] = 0;
    *id = (int64_t)strtoll(num, NULL, 10);
    if (*p == 0) {
        *decision = false;
        return 0;
    }
    if (strcmp(p, "/decision") == 0) {
        *decision = true;
        return 0;
    }
    return -2;
}
