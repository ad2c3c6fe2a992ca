/* tx.c - the transaction model: a JSON object (or a flat CSV row turned into one) parsed into
 * a tx with every field validated. Errors name the field, e.g. "parties[2].iban". */
#include "risk.h"
#include "lists/reader.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#define TX_MAX_PARTIES 64
#define TX_MAX_GOODS 256
#define TX_MAX_FIELD 8192

static const char *const roles[] = {
    "buyer",    "seller",  "end_user",     "consignee",     "notify_party",
    "forwarder", "carrier", "agent",       "payer",         "payee",
    "issuing_bank", "advising_bank", "vessel", "applicant", "beneficiary",
    "shipper",  "manufacturer", "intermediary", "broker", "confirming_bank",
};

const char *tx_role_canonical(const char *role)
{
    char k[32];
    size_t n = 0;
    for (const char *p = role; *p && n < sizeof k - 1; p++)
        k[n++] = (*p == ' ' || *p == '-') ? '_' : (char)tolower((unsigned char)*p);
    k[n] = 0;
    for (size_t i = 0; i < ARRAY_LEN(roles); i++)
        if (strcmp(k, roles[i]) == 0)
            return roles[i];
    if (strcmp(k, "enduser") == 0 || strcmp(k, "end_user_") == 0)
        return "end_user";
    if (strcmp(k, "notify") == 0)
        return "notify_party";
    return NULL;
}

char *tx_normalise(cordon_arena *a, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *o = arena_alloc(a, n + 3);
    if (!o)
        return NULL;
    size_t k = 0;
    o[k++] = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char w = c >= 0x80 ? (char)c : isalnum(c) ? (char)tolower(c) : ' ';
        if (w == ' ' && o[k - 1] == ' ')
            continue;
        o[k++] = w;
    }
    if (o[k - 1] != ' ')
        o[k++] = ' ';
    o[k] = 0;
    return o;
}


typedef struct pctx {
    cordon_arena *a;
    cordon_error *err;
    char where[64];
} pctx;

static cordon_status bad(pctx *c, const char *field, const char *what)
{
    if (c->where[0])
        return err_set(c->err, CORDON_ERR_PARSE, "%s.%s: %s", c->where, field, what);
    return err_set(c->err, CORDON_ERR_PARSE, "%s: %s", field, what);
}

/* A string member: absent/null gives NULL; anything but a string is an error. */
static cordon_status get_str(pctx *c, const json_t *o, const char *key, const char **out)
{
    *out = NULL;
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return CORDON_OK;
    if (json_is_integer(v) || json_is_real(v)) {
        *out = arena_printf(c->a, "%.15g", json_number_value(v));
        return *out ? CORDON_OK : bad(c, key, "out of memory");
    }
    if (!json_is_string(v))
        return bad(c, key, "expected a string");
    size_t n = json_string_length(v);
    if (n > TX_MAX_FIELD)
        return bad(c, key, "longer than 8192 bytes");
    const char *s = json_string_value(v);
    if (strlen(s) != n)
        return bad(c, key, "contains a NUL character");
    if (str_is_blank(s))
        return CORDON_OK;
    *out = arena_strndup(c->a, s, n);
    return *out ? CORDON_OK : bad(c, key, "out of memory");
}

static cordon_status get_num(pctx *c, const json_t *o, const char *key, double *out)
{
    *out = 0;
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return CORDON_OK;
    if (json_is_number(v)) {
        *out = json_number_value(v);
    } else if (json_is_string(v) && *json_string_value(v)) {
        char *end;
        *out = strtod(json_string_value(v), &end);
        while (*end == ' ')
            end++;
        if (*end)
            return bad(c, key, "expected a number");
    } else if (!json_is_string(v)) {
        return bad(c, key, "expected a number");
    }
    if (*out < 0 || *out != *out)
        return bad(c, key, "must be a number >= 0");
    return CORDON_OK;
}

static cordon_status get_country(pctx *c, const json_t *o, const char *key, const char **out)
{
    const char *s;
    cordon_status st = get_str(c, o, key, &s);
    if (st || !s) {
        *out = NULL;
        return st;
    }
    *out = country_code(s);
    if (!*out) {
        char msg[160];
        snprintf(msg, sizeof msg, "unknown country '%.80s'", s);
        return bad(c, key, msg);
    }
    return CORDON_OK;
}

static cordon_status parse_identifiers(pctx *c, const json_t *o, tx_party *p)
{
    json_t *ids = json_object_get(o, "identifiers");
    if (!ids || json_is_null(ids))
        return CORDON_OK;
    if (!json_is_array(ids))
        return bad(c, "identifiers", "expected an array of {\"type\",\"value\"}");
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *e = json_array_get(ids, i);
        const char *t, *v;
        if (!json_is_object(e) || get_str(c, e, "type", &t) || get_str(c, e, "value", &v) || !v)
            return bad(c, "identifiers", "each entry needs a string \"value\" and \"type\"");
        if (t && str_ieq(t, "imo") && !p->imo)
            p->imo = v;
        else if (t && str_ieq(t, "iban") && !p->iban)
            p->iban = v;
        else if (!p->id_value) {
            p->id_type = t;
            p->id_value = v;
        }
    }
    return CORDON_OK;
}

static cordon_status parse_party(pctx *c, const json_t *o, tx_party *p)
{
    if (!json_is_object(o))
        return bad(c, "", "expected an object");
    const char *role;
    cordon_status st = get_str(c, o, "role", &role);
    if (st)
        return st;
    if (!role)
        return bad(c, "role", "missing (buyer, seller, end_user, consignee, ...)");
    p->role = tx_role_canonical(role);
    if (!p->role) {
        char msg[128];
        snprintf(msg, sizeof msg, "unknown role '%.40s'", role);
        return bad(c, "role", msg);
    }
    if ((st = get_str(c, o, "name", &p->name)) || (st = get_str(c, o, "address", &p->address)) ||
        (st = get_country(c, o, "country", &p->country)) || (st = get_str(c, o, "kind", &p->kind)) ||
        (st = get_str(c, o, "phone", &p->phone)) || (st = get_str(c, o, "email", &p->email)) ||
        (st = get_str(c, o, "iban", &p->iban)) || (st = get_str(c, o, "bic", &p->bic)) ||
        (st = get_str(c, o, "imo", &p->imo)) || (st = get_str(c, o, "founded", &p->founded)) ||
        (st = parse_identifiers(c, o, p)))
        return st;
    if (!p->name)
        return bad(c, "name", "missing");
    if (!utf8_valid(p->name, strlen(p->name), NULL))
        return bad(c, "name", "invalid UTF-8");
    cordon_date d;
    if (p->founded && !date_parse_iso(p->founded, &d))
        return bad(c, "founded", "expected YYYY, YYYY-MM or YYYY-MM-DD");
    p->iban_state = p->iban ? cordon_iban_valid(p->iban) : -1;
    p->imo_state = p->imo ? cordon_imo_valid(p->imo) : -1;
    p->norm_name = tx_normalise(c->a, p->name);
    p->norm_address = tx_normalise(c->a, p->address);
    p->norm_text = arena_printf(c->a, "%s%s", p->norm_name, p->norm_address + 1);
    if (!p->norm_name || !p->norm_address || !p->norm_text)
        return bad(c, "name", "out of memory");
    return CORDON_OK;
}

static size_t count_words(const char *norm)
{
    size_t n = 0;
    for (const char *p = norm; *p; p++)
        if (*p == ' ' && p[1])
            n++;
    return n;
}

static cordon_status parse_goods(pctx *c, const json_t *o, tx_goods *g)
{
    if (!json_is_object(o))
        return bad(c, "", "expected an object");
    cordon_status st;
    if ((st = get_str(c, o, "description", &g->description)) || (st = get_str(c, o, "hs", &g->hs)) ||
        (st = get_str(c, o, "unit", &g->unit)) || (st = get_str(c, o, "currency", &g->currency)) ||
        (st = get_str(c, o, "technical", &g->technical)) ||
        (st = get_num(c, o, "quantity", &g->quantity)) || (st = get_num(c, o, "value", &g->value)))
        return st;
    if (!g->description && !g->hs)
        return bad(c, "description", "missing (give a description or an HS code)");
    if (g->hs) {
        for (const char *p = g->hs; *p; p++)
            if (!isdigit((unsigned char)*p) && *p != '.' && *p != ' ')
                return bad(c, "hs", "expected digits ('8458', '8458.11', '845811')");
    }
    g->norm = tx_normalise(c->a, g->description);
    if (!g->norm)
        return bad(c, "description", "out of memory");
    g->words = count_words(g->norm);
    return CORDON_OK;
}

static cordon_status parse_port(pctx *c, const json_t *route, const char *key, tx_port *p)
{
    json_t *v = json_object_get(route, key);
    if (!v || json_is_null(v))
        return CORDON_OK;
    cordon_status st;
    if (json_is_string(v)) {
        st = get_str(c, route, key, &p->name);
    } else if (json_is_object(v)) {
        char saved[64];
        memcpy(saved, c->where, sizeof saved);
        snprintf(c->where, sizeof c->where, "route.%s", key);
        st = get_str(c, v, "name", &p->name);
        if (!st)
            st = get_country(c, v, "country", &p->country);
        memcpy(c->where, saved, sizeof saved);
    } else {
        return bad(c, key, "expected a port name or {\"name\",\"country\"}");
    }
    if (st)
        return st;
    p->norm = tx_normalise(c->a, p->name);
    return p->norm ? CORDON_OK : bad(c, key, "out of memory");
}

static cordon_status parse_route(pctx *c, const json_t *o, tx *t)
{
    json_t *r = json_object_get(o, "route");
    if (!r || json_is_null(r))
        return CORDON_OK;
    if (!json_is_object(r))
        return bad(c, "route", "expected an object");
    snprintf(c->where, sizeof c->where, "route");
    cordon_status st;
    if ((st = get_country(c, r, "origin", &t->origin)) ||
        (st = get_country(c, r, "destination", &t->destination)))
        return st;
    c->where[0] = 0;
    if ((st = parse_port(c, r, "port_of_loading", &t->loading)) ||
        (st = parse_port(c, r, "port_of_discharge", &t->discharge)))
        return st;
    json_t *tr = json_object_get(r, "transit");
    if (!tr || json_is_null(tr))
        return CORDON_OK;
    if (!json_is_array(tr) || json_array_size(tr) > 32)
        return bad(c, "route.transit", "expected an array of at most 32 countries");
    t->transit = arena_alloc(c->a, (json_array_size(tr) + 1) * sizeof *t->transit);
    for (size_t i = 0; t->transit && i < json_array_size(tr); i++) {
        json_t *v = json_array_get(tr, i);
        const char *cc = json_is_string(v) ? country_code(json_string_value(v)) : NULL;
        if (!cc) {
            char f[40];
            snprintf(f, sizeof f, "route.transit[%zu]", i);
            return bad(c, f, "unknown country");
        }
        t->transit[t->n_transit++] = cc;
    }
    return t->transit ? CORDON_OK : bad(c, "route", "out of memory");
}

static cordon_status parse_payment(pctx *c, const json_t *o, tx *t)
{
    json_t *p = json_object_get(o, "payment");
    if (!p || json_is_null(p))
        return CORDON_OK;
    if (!json_is_object(p))
        return bad(c, "payment", "expected an object");
    snprintf(c->where, sizeof c->where, "payment");
    cordon_status st;
    if ((st = get_str(c, p, "method", &t->pay_method)) || (st = get_str(c, p, "terms", &t->pay_terms)) ||
        (st = get_str(c, p, "currency", &t->pay_currency)) ||
        (st = get_num(c, p, "amount", &t->pay_amount)))
        return st;
    c->where[0] = 0;
    return CORDON_OK;
}

static cordon_status parse_array(pctx *c, const json_t *o, const char *key, size_t max,
                                 size_t item, void **out, size_t *n)
{
    json_t *arr = json_object_get(o, key);
    *n = 0;
    *out = NULL;
    if (!arr || json_is_null(arr))
        return CORDON_OK;
    if (!json_is_array(arr))
        return bad(c, key, "expected an array");
    if (json_array_size(arr) > max) {
        char msg[64];
        snprintf(msg, sizeof msg, "more than %zu entries", max);
        return bad(c, key, msg);
    }
    *out = arena_alloc(c->a, (json_array_size(arr) + 1) * item);
    return *out ? CORDON_OK : bad(c, key, "out of memory");
}

cordon_status tx_parse(const json_t *o, cordon_arena *a, tx *t, cordon_error *err)
{
    memset(t, 0, sizeof *t);
    pctx c = {.a = a, .err = err};
    if (!json_is_object(o))
        return err_set(err, CORDON_ERR_PARSE, "transaction: expected a JSON object");
    cordon_status st;
    if ((st = get_str(&c, o, "id", &t->id)) || (st = get_str(&c, o, "date", &t->date)) ||
        (st = get_str(&c, o, "type", &t->type)) || (st = get_str(&c, o, "end_use", &t->end_use)) ||
        (st = get_str(&c, o, "notes", &t->notes)))
        return st;
    cordon_date d;
    if (t->date && !date_parse_iso(t->date, &d))
        return bad(&c, "date", "expected YYYY-MM-DD");
    void *arr;
    if ((st = parse_array(&c, o, "parties", TX_MAX_PARTIES, sizeof(tx_party), &arr, &t->n_parties)))
        return st;
    t->parties = arr;
    json_t *ps = json_object_get(o, "parties");
    for (size_t i = 0; t->parties && i < json_array_size(ps); i++) {
        snprintf(c.where, sizeof c.where, "parties[%zu]", i);
        if ((st = parse_party(&c, json_array_get(ps, i), &t->parties[i])))
            return st;
        t->n_parties++;
    }
    c.where[0] = 0;
    if ((st = parse_array(&c, o, "goods", TX_MAX_GOODS, sizeof(tx_goods), &arr, &t->n_goods)))
        return st;
    t->goods = arr;
    json_t *gs = json_object_get(o, "goods");
    for (size_t i = 0; t->goods && i < json_array_size(gs); i++) {
        snprintf(c.where, sizeof c.where, "goods[%zu]", i);
        if ((st = parse_goods(&c, json_array_get(gs, i), &t->goods[i])))
            return st;
        t->n_goods++;
    }
    c.where[0] = 0;
    if (t->n_parties == 0 && t->n_goods == 0)
        return bad(&c, "parties", "a transaction needs at least one party or goods line");
    if ((st = parse_route(&c, o, t)) || (st = parse_payment(&c, o, t)))
        return st;
    t->norm_end_use = tx_normalise(a, t->end_use);
    t->norm_notes = tx_normalise(a, t->notes);
    t->norm_method = tx_normalise(a, t->pay_method);
    t->norm_terms = tx_normalise(a, t->pay_terms);
    if (!t->norm_end_use || !t->norm_notes || !t->norm_method || !t->norm_terms)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

/* ---- flat CSV layout: one row per transaction; columns ROLE.FIELD, goodsN.FIELD,
 * route.FIELD, payment.FIELD and top-level names. Several parties of one role: ROLE2.FIELD. */

static json_t *obj_at(json_t *parent, const char *key)
{
    json_t *o = json_object_get(parent, key);
    if (!o) {
        o = json_object();
        json_object_set_new(parent, key, o);
    }
    return o;
}

static int set_field(json_t *root, json_t *parties, json_t *goods, const char *col,
                     const char *val, cordon_error *err)
{
    const char *dot = strchr(col, '.');
    if (!dot) {
        static const char *const top[] = {"id", "date", "type", "end_use", "notes"};
        for (size_t i = 0; i < ARRAY_LEN(top); i++)
            if (strcmp(col, top[i]) == 0)
                return json_object_set_new(root, col, json_string(val));
        err_set(err, CORDON_ERR_PARSE, "column '%.60s': unknown column", col);
        return -1;
    }
    char head[40];
    size_t hn = (size_t)(dot - col);
    if (hn >= sizeof head || !dot[1]) {
        err_set(err, CORDON_ERR_PARSE, "column '%.60s': unknown column", col);
        return -1;
    }
    memcpy(head, col, hn);
    head[hn] = 0;
    const char *field = dot + 1;
    if (strcmp(head, "route") == 0) {
        json_t *r = obj_at(root, "route");
        if (strcmp(field, "transit") == 0) {
            json_t *arr = json_array();
            char tmp[512];
            snprintf(tmp, sizeof tmp, "%s", val);
            for (char *save = NULL, *tok = strtok_r(tmp, ";|", &save); tok;
                 tok = strtok_r(NULL, ";|", &save))
                if (!str_is_blank(tok))
                    json_array_append_new(arr, json_string(tok));
            return json_object_set_new(r, "transit", arr);
        }
        if (strcmp(field, "port_of_loading_country") == 0 ||
            strcmp(field, "port_of_discharge_country") == 0) {
            char k[32];
            snprintf(k, sizeof k, "%.*s", (int)(strlen(field) - 8), field);
            return json_object_set_new(obj_at(r, k), "country", json_string(val));
        }
        if (strcmp(field, "port_of_loading") == 0 || strcmp(field, "port_of_discharge") == 0)
            return json_object_set_new(obj_at(r, field), "name", json_string(val));
        return json_object_set_new(r, field, json_string(val));
    }
    if (strcmp(head, "payment") == 0)
        return json_object_set_new(obj_at(root, "payment"), field, json_string(val));
    /* goodsN or ROLE[N] */
    size_t k = hn;
    while (k > 0 && isdigit((unsigned char)head[k - 1]))
        k--;
    int num = k < hn ? atoi(head + k) : 1;
    head[k] = 0;
    if (num < 1 || num > 64) {
        err_set(err, CORDON_ERR_PARSE, "column '%.60s': number out of range 1..64", col);
        return -1;
    }
    json_t *target;
    if (strcmp(head, "goods") == 0) {
        char key[16];
        snprintf(key, sizeof key, "%d", num);
        target = obj_at(goods, key);
    } else {
        const char *role = tx_role_canonical(head);
        if (!role) {
            err_set(err, CORDON_ERR_PARSE, "column '%.60s': unknown role '%s'", col, head);
            return -1;
        }
        char key[48];
        snprintf(key, sizeof key, "%s#%d", role, num);
        target = obj_at(parties, key);
        json_object_set_new(target, "role", json_string(role));
    }
    if (strcmp(field, "id") == 0 || strchr(field, ':')) {
        /* ROLE.id holds TYPE:VALUE */
        const char *colon = strchr(val, ':');
        json_t *ids = obj_at(target, "__ids");
        json_t *e = json_object();
        json_object_set_new(e, "type",
                            colon ? json_stringn(val, (size_t)(colon - val)) : json_string("other"));
        json_object_set_new(e, "value", json_string(colon ? colon + 1 : val));
        return json_object_set_new(ids, "0", e);
    }
    return json_object_set_new(target, field, json_string(val));
}

static json_t *collect(json_t *map, int parties)
{
    json_t *arr = json_array();
    const char *key;
    json_t *v;
    json_object_foreach(map, key, v)
    {
        json_t *ids = json_object_get(v, "__ids");
        if (ids) {
            json_t *list = json_array();
            json_array_append(list, json_object_get(ids, "0"));
            json_object_set_new(v, "identifiers", list);
            json_object_del(v, "__ids");
        }
        /* A party whose only column is its role (all others blank) is left out. */
        if (parties && json_object_size(v) <= 1)
            continue;
        if (!parties && json_object_size(v) == 0)
            continue;
        json_array_append(arr, v);
    }
    return arr;
}

json_t *tx_csv_row_json(const char *const *header, const char *const *fields, size_t n,
                        cordon_error *err)
{
    json_t *root = json_object(), *parties = json_object(), *goods = json_object();
    if (!root || !parties || !goods)
        goto fail;
    for (size_t i = 0; i < n; i++) {
        if (str_is_blank(fields[i]))
            continue;
        if (!utf8_valid(fields[i], strlen(fields[i]), NULL)) {
            err_set(err, CORDON_ERR_PARSE, "column '%.60s': invalid UTF-8", header[i]);
            goto fail;
        }
        if (set_field(root, parties, goods, header[i], fields[i], err) != 0) {
            if (err && err->status == CORDON_OK)
                err_set(err, CORDON_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    json_object_set_new(root, "parties", collect(parties, 1));
    json_object_set_new(root, "goods", collect(goods, 0));
    json_decref(parties);
    json_decref(goods);
    return root;
fail:
    json_decref(root);
    json_decref(parties);
    json_decref(goods);
    return NULL;
}
