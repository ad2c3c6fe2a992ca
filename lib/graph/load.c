/* load.c - the network's input: interned strings, transactions as JSON lines, analyst
 * decisions (splits, pins, ignored values). */
#include "net.h"
#include "../lists/reader.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- interning ------------------------------------------------------------------------ */

/* hash_bytes' low bits cluster; take the high bits of a multiplicative mix */
static uint32_t slot_of(uint64_t h, uint32_t nslots)
{
    h ^= h >> 31;
    return (uint32_t)((h * 0x9E3779B97F4A7C15ull) >> 32) & (nslots - 1);
}

static bool ns_grow(net_strings *s)
{
    uint32_t ns = s->nslots ? s->nslots * 2 : 1024;
    uint32_t *slots = calloc(ns, sizeof *slots);
    if (!slots)
        return false;
    for (uint32_t id = 1; id < s->n; id++) {
        const char *p = s->bytes.data + s->offs[id];
        uint32_t i = slot_of(hash_bytes(p, strlen(p)), ns);
        while (slots[i])
            i = (i + 1) & (ns - 1);
        slots[i] = id;
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = ns;
    return true;
}

uint32_t ns_intern(net_strings *s, const char *p, size_t n)
{
    if (s->n == 0) { /* id 0: the empty string, "no value" */
        if (!buf_putc(&s->bytes, 0))
            return 0;
        s->offs = malloc(16 * sizeof *s->offs);
        if (!s->offs)
            return 0;
        s->offs[0] = 0;
        s->n = 1;
        s->cap = 16;
    }
    if (n == 0)
        return 0;
    if ((uint64_t)(s->n + 1) * 2 > s->nslots && !ns_grow(s))
        return 0;
    uint32_t i = slot_of(hash_bytes(p, n), s->nslots);
    while (s->slots[i]) {
        const char *q = s->bytes.data + s->offs[s->slots[i]];
        if (strncmp(q, p, n) == 0 && q[n] == 0)
            return s->slots[i];
        i = (i + 1) & (s->nslots - 1);
    }
    if (s->n == s->cap) {
        uint64_t *o = xrealloc_array(s->offs, (size_t)s->cap * 2, sizeof *o);
        if (!o)
            return 0;
        s->offs = o;
        s->cap *= 2;
    }
    size_t off = s->bytes.len;
    if (!buf_append(&s->bytes, p, n) || !buf_putc(&s->bytes, 0))
        return 0;
    s->offs[s->n] = off;
    s->slots[i] = s->n;
    return s->n++;
}

const char *ns_get(const net_strings *s, uint32_t id)
{
    return id && id < s->n ? s->bytes.data + s->offs[id] : "";
}

void ns_free(net_strings *s)
{
    buf_free(&s->bytes);
    free(s->offs);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---- the network object --------------------------------------------------------------- */

cordon_net *cordon_net_new(const cordon_engine *e, const cordon_goods *g,
                           const cordon_net_options *opt)
{
    cordon_net *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->engine = e;
    n->goods = g;
    if (opt)
        n->opt = *opt;
    if (n->opt.threshold < 0 || !opt)
        n->opt.threshold = CORDON_DEFAULT_THRESHOLD;
    if (n->opt.threads <= 0)
        n->opt.threads = 2;
    if (!n->opt.hub_degree)
        n->opt.hub_degree = 50;
    if (!n->opt.stop_key)
        n->opt.stop_key = 25;
    if (n->opt.stop_key > 255)
        n->opt.stop_key = 255; /* resolve.c keeps at most 256 representatives per value */
    if (n->opt.window_days <= 0)
        n->opt.window_days = 180;
    vec_init(&n->tx, sizeof(net_tx));
    vec_init(&n->parties, sizeof(net_party));
    vec_init(&n->lines, sizeof(net_line));
    vec_init(&n->route, sizeof(uint32_t));
    vec_init(&n->goodsmemo, sizeof(net_goods_memo));
    vec_init(&n->decisions, sizeof(net_decision));
    vec_init(&n->merges, sizeof(net_merge));
    vec_init(&n->entities, sizeof(net_entity));
    vec_init(&n->listed, sizeof(net_listed));
    vec_init(&n->hits, sizeof(net_hit));
    vec_init(&n->edges, sizeof(net_edge));
    vec_init(&n->clusters, sizeof(net_cluster));
    vec_init(&n->cluster_nodes, sizeof(uint32_t));
    vec_init(&n->findings, sizeof(net_finding));
    vec_init(&n->path_nodes, sizeof(uint32_t));
    ns_intern(&n->s, "", 0);
    return n;
}

void cordon_net_free(cordon_net *n)
{
    if (!n)
        return;
    vec *v[] = {&n->tx, &n->parties, &n->lines, &n->route, &n->goodsmemo, &n->decisions,
                &n->merges, &n->entities, &n->listed, &n->hits, &n->edges, &n->clusters,
                &n->cluster_nodes, &n->findings, &n->path_nodes};
    for (size_t i = 0; i < ARRAY_LEN(v); i++)
        vec_free(v[i]);
    free(n->ent_mentions);
    free(n->cluster_tx);
    free(n->memo_k);
    free(n->memo_v);
    ns_free(&n->s);
    free(n);
}

/* ---- one JSON line -------------------------------------------------------------------- */

typedef struct line_ctx {
    cordon_net *n;
    const char *file;
    long line;
    cordon_error *err;
} line_ctx;

/* A string field: absent or null gives 0; a number is accepted for ids and phones. */
static cordon_status get_str(line_ctx *c, json_t *obj, const char *key, const char *where,
                             uint32_t *out)
{
    json_t *v = json_object_get(obj, key);
    *out = 0;
    if (!v || json_is_null(v))
        return CORDON_OK;
    char num[64];
    const char *s;
    size_t len;
    if (json_is_string(v)) {
        s = json_string_value(v);
        len = json_string_length(v);
    } else if (json_is_integer(v)) {
        len = (size_t)snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
        s = num;
    } else
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: %s%s: not a string", c->file, c->line,
                       where, key);
    if (len > NET_MAX_FIELD)
        return err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: %s%s: longer than %u bytes", c->file,
                       c->line, where, key, NET_MAX_FIELD);
    if (memchr(s, 0, len))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: %s%s: NUL byte", c->file, c->line,
                       where, key);
    char tmp[NET_MAX_FIELD + 1];
    memcpy(tmp, s, len);
    tmp[len] = 0;
    len = str_squeeze(tmp);
    *out = ns_intern(&c->n->s, tmp, len);
    if (len && !*out)
        return err_set(c->err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", c->file, c->line);
    return CORDON_OK;
}


/* Normalising goes through ICU for names and addresses: once per distinct raw value. */
static bool memo_grow(cordon_net *n)
{
    size_t cap = n->memo_cap ? n->memo_cap * 2 : 4096;
    uint64_t *k = calloc(cap, sizeof *k);
    uint32_t *v = calloc(cap, sizeof *v);
    if (!k || !v) {
        free(k);
        free(v);
        return false;
    }
    for (size_t i = 0; i < n->memo_cap; i++)
        if (n->memo_k[i]) {
            size_t j = (size_t)(n->memo_k[i] * 0x9E3779B97F4A7C15ull >> 20) & (cap - 1);
            while (k[j])
                j = (j + 1) & (cap - 1);
            k[j] = n->memo_k[i];
            v[j] = n->memo_v[i];
        }
    free(n->memo_k);
    free(n->memo_v);
    n->memo_k = k;
    n->memo_v = v;
    n->memo_cap = cap;
    return true;
}

static uint32_t *memo_slot(cordon_net *n, uint32_t raw, uint32_t country, int kind, bool *fresh)
{
    if ((n->memo_len + 1) * 2 > n->memo_cap && !memo_grow(n))
        return NULL;
    uint64_t key = (uint64_t)raw << 32 | (uint64_t)(country & 0x0FFFFFFF) << 4 | (uint64_t)kind;
    size_t j = (size_t)(key * 0x9E3779B97F4A7C15ull >> 20) & (n->memo_cap - 1);
    while (n->memo_k[j] && n->memo_k[j] != key)
        j = (j + 1) & (n->memo_cap - 1);
    *fresh = !n->memo_k[j];
    if (*fresh) {
        n->memo_k[j] = key;
        n->memo_len++;
    }
    return &n->memo_v[j];
}

static uint32_t norm_key(cordon_net *n, uint32_t raw, uint32_t country, int kind)
{
    bool fresh;
    uint32_t *slot = memo_slot(n, raw, country, kind, &fresh);
    if (slot && !fresh)
        return *slot;
    const char *cc = country ? NS(n, country) : NULL, *s = NS(n, raw);
    uint32_t v = 0, dom = 0;
    switch (kind) {
    case NET_KEY_PHONE: v = net_norm_phone(&n->s, s, cc); break;
    case NET_KEY_EMAIL: v = net_norm_email(&n->s, s, &dom); break;
    case NET_KEY_DOMAIN: net_norm_email(&n->s, s, &v); break;
    case NET_KEY_IBAN: v = net_norm_iban(&n->s, s); break;
    case NET_KEY_IMO: v = net_norm_imo(&n->s, s); break;
    case NET_KEY_ADDRESS: v = net_norm_address(&n->s, s, cc); break;
    default: v = net_norm_name(&n->s, s, cc); break;
    }
    /* interning may have grown the memo: look the slot up again */
    if (slot) {
        slot = memo_slot(n, raw, country, kind, &fresh);
        if (slot)
            *slot = v;
    }
    return v;
}

#define MEMO_COUNTRY 9

/* ISO alpha-2 of a country as written, memoised (country_code scans its name table). */
static uint32_t country_of(line_ctx *c, uint32_t raw)
{
    if (!raw)
        return 0;
    bool fresh;
    uint32_t *slot = memo_slot(c->n, raw, 0, MEMO_COUNTRY, &fresh);
    if (slot && !fresh)
        return *slot;
    const char *cc = country_code(NS(c->n, raw));
    uint32_t v = cc ? ns_intern(&c->n->s, cc, 2) : 0;
    if (slot && (slot = memo_slot(c->n, raw, 0, MEMO_COUNTRY, &fresh)))
        *slot = v;
    return v;
}

static cordon_status party_keys(cordon_net *n, net_party *p)
{
    if (p->phone)
        p->key[NET_KEY_PHONE] = norm_key(n, p->phone, p->country, NET_KEY_PHONE);
    if (p->email) {
        p->key[NET_KEY_EMAIL] = norm_key(n, p->email, 0, NET_KEY_EMAIL);
        p->key[NET_KEY_DOMAIN] = norm_key(n, p->email, 0, NET_KEY_DOMAIN);
    }
    if (p->iban)
        p->key[NET_KEY_IBAN] = norm_key(n, p->iban, 0, NET_KEY_IBAN);
    if (p->imo)
        p->key[NET_KEY_IMO] = norm_key(n, p->imo, 0, NET_KEY_IMO);
    if (p->address)
        p->key[NET_KEY_ADDRESS] = norm_key(n, p->address, p->country, NET_KEY_ADDRESS);
    p->key[NET_KEY_NAME] = norm_key(n, p->name, p->country, NET_KEY_NAME);
    return CORDON_OK;
}

static bool role_seller(cordon_net *n, uint32_t role)
{
    for (uint32_t i = 0; i < n->n_roles; i++)
        if (n->role_ids[i] == role)
            return n->role_seller[i];
    bool a = net_seller_role(NS(n, role));
    if (n->n_roles < 32) {
        n->role_ids[n->n_roles] = role;
        n->role_seller[n->n_roles++] = a;
    }
    return a;
}

static cordon_status parse_party(line_ctx *c, json_t *o, size_t k, net_tx *t)
{
    char where[48];
    snprintf(where, sizeof where, "parties[%zu].", k);
    if (!json_is_object(o))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: parties[%zu]: not an object", c->file,
                       c->line, k);
    net_party p = {0};
    p.tx = (uint32_t)c->n->tx.len;
    cordon_status st;
    uint32_t ctry = 0;
    if ((st = get_str(c, o, "role", where, &p.role)) || (st = get_str(c, o, "name", where, &p.name)) ||
        (st = get_str(c, o, "address", where, &p.address)) ||
        (st = get_str(c, o, "country", where, &ctry)) ||
        (st = get_str(c, o, "phone", where, &p.phone)) ||
        (st = get_str(c, o, "email", where, &p.email)) ||
        (st = get_str(c, o, "iban", where, &p.iban)) || (st = get_str(c, o, "imo", where, &p.imo)))
        return st;
    if (!p.iban && (st = get_str(c, o, "bank_account", where, &p.iban)))
        return st;
    json_t *ids = json_object_get(o, "identifiers"); /* {"type":"imo"|"iban","value"} */
    for (size_t i = 0; json_is_array(ids) && i < json_array_size(ids); i++) {
        json_t *id = json_array_get(ids, i);
        const char *type = json_string_value(json_object_get(id, "type"));
        uint32_t *dst = !type ? NULL : str_ieq(type, "imo") ? &p.imo
                      : str_ieq(type, "iban") ? &p.iban : NULL;
        char w2[80];
        snprintf(w2, sizeof w2, "%sidentifiers[%zu].", where, i);
        if (dst && !*dst && (st = get_str(c, id, "value", w2, dst)))
            return st;
    }
    if (!p.name)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: %sname: missing", c->file, c->line,
                       where);
    if (!p.role)
        p.role = ns_intern(&c->n->s, "party", 5);
    p.country = country_of(c, ctry);
    p.seller = role_seller(c->n, p.role);
    if (ctry && !p.country)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: %scountry: unknown country '%s'",
                       c->file, c->line, where, NS(c->n, ctry));
    /* reference: TXID/role, or TXID/role/N for the N-th party of that role */
    size_t same = 1;
    for (uint32_t i = t->party0; i < c->n->parties.len; i++)
        same += NP(c->n, i)->role == p.role;
    char ref[NET_MAX_FIELD * 2 + 32];
    int rl = same == 1 ? snprintf(ref, sizeof ref, "%s/%s", NS(c->n, t->id), NS(c->n, p.role))
                       : snprintf(ref, sizeof ref, "%s/%s/%zu", NS(c->n, t->id), NS(c->n, p.role), same);
    p.ref = ns_intern(&c->n->s, ref, (size_t)rl);
    party_keys(c->n, &p);
    net_party *slot = vec_push(&c->n->parties);
    if (!slot)
        return err_set(c->err, CORDON_ERR_NOMEM, "out of memory");
    *slot = p;
    return CORDON_OK;
}

static cordon_status parse_goods(line_ctx *c, json_t *o, size_t k)
{
    char where[48];
    snprintf(where, sizeof where, "goods[%zu].", k);
    if (!json_is_object(o))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: goods[%zu]: not an object", c->file,
                       c->line, k);
    net_line l = {0};
    l.goods = -1;
    cordon_status st;
    if ((st = get_str(c, o, "description", where, &l.desc)) ||
        (st = get_str(c, o, "hs", where, &l.hs)) ||
        (st = get_str(c, o, "currency", where, &l.currency)))
        return st;
    json_t *v = json_object_get(o, "value");
    if (v && !json_is_null(v)) {
        if (!json_is_number(v) || json_number_value(v) < 0)
            return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: %svalue: not a non-negative number",
                           c->file, c->line, where);
        l.value = json_number_value(v);
    }
    net_line *slot = vec_push(&c->n->lines);
    if (!slot)
        return err_set(c->err, CORDON_ERR_NOMEM, "out of memory");
    *slot = l;
    return CORDON_OK;
}

static cordon_status push_country(line_ctx *c, json_t *v, const char *field)
{
    if (!v || json_is_null(v))
        return CORDON_OK;
    if (!json_is_string(v) || json_string_length(v) > 100)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: route.%s: not a country", c->file,
                       c->line, field);
    uint32_t cc = country_of(c, ns_intern(&c->n->s, json_string_value(v), json_string_length(v)));
    if (!cc)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: route.%s: unknown country '%s'",
                       c->file, c->line, field, json_string_value(v));
    net_tx *t = NT(c->n, c->n->tx.len - 1);
    if (t->n_route >= NET_MAX_ROUTE)
        return CORDON_OK;
    uint32_t *slot = vec_push(&c->n->route);
    if (!slot)
        return err_set(c->err, CORDON_ERR_NOMEM, "out of memory");
    *slot = cc;
    t->n_route++;
    if (strcmp(field, "destination") == 0)
        t->dest = *slot;
    return CORDON_OK;
}

static cordon_status parse_route(line_ctx *c, json_t *r)
{
    if (!r || json_is_null(r))
        return CORDON_OK;
    if (!json_is_object(r))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: route: not an object", c->file, c->line);
    cordon_status st;
    if ((st = push_country(c, json_object_get(r, "origin"), "origin")))
        return st;
    json_t *tr = json_object_get(r, "transit");
    if (tr && !json_is_null(tr)) {
        if (!json_is_array(tr))
            return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: route.transit: not an array",
                           c->file, c->line);
        for (size_t i = 0; i < json_array_size(tr); i++)
            if ((st = push_country(c, json_array_get(tr, i), "transit")))
                return st;
    }
    return push_country(c, json_object_get(r, "destination"), "destination");
}

static cordon_status parse_tx(line_ctx *c, json_t *o)
{
    if (!json_is_object(o))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: not a JSON object", c->file, c->line);
    net_tx *t = vec_push(&c->n->tx);
    if (!t)
        return err_set(c->err, CORDON_ERR_NOMEM, "out of memory");
    t->party0 = (uint32_t)c->n->parties.len;
    t->line0 = (uint32_t)c->n->lines.len;
    t->route0 = (uint32_t)c->n->route.len;
    t->lineno = (uint32_t)c->line;
    cordon_status st;
    uint32_t id, date, type;
    if ((st = get_str(c, o, "id", "", &id)) || (st = get_str(c, o, "date", "", &date)) ||
        (st = get_str(c, o, "type", "", &type)))
        return st;
    t = NT(c->n, c->n->tx.len - 1);
    if (!id)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: id: missing", c->file, c->line);
    t->id = id;
    t->type = type;
    t->date = date;
    t->day = date ? net_days(NS(c->n, date)) : INT32_MIN;
    if (date && t->day == INT32_MIN)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: date: not YYYY-MM-DD: '%s'", c->file,
                       c->line, NS(c->n, date));
    json_t *ps = json_object_get(o, "parties");
    if (!json_is_array(ps) || json_array_size(ps) == 0)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: parties: missing or empty", c->file,
                       c->line);
    if (json_array_size(ps) > NET_MAX_PARTIES)
        return err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: parties: more than %d", c->file,
                       c->line, NET_MAX_PARTIES);
    for (size_t k = 0; k < json_array_size(ps); k++)
        if ((st = parse_party(c, json_array_get(ps, k), k, NT(c->n, c->n->tx.len - 1))))
            return st;
    json_t *gs = json_object_get(o, "goods");
    if (gs && !json_is_null(gs)) {
        if (!json_is_array(gs))
            return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: goods: not an array", c->file, c->line);
        if (json_array_size(gs) > NET_MAX_GOODS)
            return err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: goods: more than %d lines", c->file,
                           c->line, NET_MAX_GOODS);
        for (size_t k = 0; k < json_array_size(gs); k++)
            if ((st = parse_goods(c, json_array_get(gs, k), k)))
                return st;
    }
    if ((st = parse_route(c, json_object_get(o, "route"))))
        return st;
    t = NT(c->n, c->n->tx.len - 1);
    t->n_parties = (uint32_t)c->n->parties.len - t->party0;
    t->n_lines = (uint32_t)c->n->lines.len - t->line0;
    return CORDON_OK;
}

static cordon_status parse_line(line_ctx *c, const char *s, size_t len)
{
    size_t bad;
    if (!utf8_valid(s, len, &bad))
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: invalid UTF-8 at byte %zu", c->file,
                       c->line, bad + 1);
    json_error_t je;
    json_t *o = json_loadb(s, len, JSON_REJECT_DUPLICATES, &je);
    if (!o)
        return err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: column %d: %s", c->file, c->line,
                       je.column, je.text);
    cordon_status st = parse_tx(c, o);
    json_decref(o);
    return st;
}

cordon_status cordon_net_load_buffer(cordon_net *n, const char *name, const char *data,
                                     size_t len, cordon_error *err)
{
    if (n->analyzed)
        return err_set(err, CORDON_ERR_INVALID, "network: load before analyze");
    uint64_t t0 = now_ns();
    line_ctx c = {n, name ? name : "input", 0, err};
    size_t before = n->tx.len;
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        c.line++;
        size_t l = (size_t)(le - p);
        if (l && p[l - 1] == '\r')
            l--;
        if (l > NET_MAX_LINE)
            return err_set(err, CORDON_ERR_LIMIT, "%s:%ld: line longer than %u bytes", c.file,
                           c.line, NET_MAX_LINE);
        bool blank = true;
        for (size_t i = 0; i < l && blank; i++)
            blank = p[i] == ' ' || p[i] == '\t';
        if (!blank) {
            cordon_status st = parse_line(&c, p, l);
            if (st)
                return st;
        }
        p = nl ? nl + 1 : end;
    }
    if (n->tx.len == before)
        return err_set(err, CORDON_ERR_PARSE, "%s: empty file: no transactions", c.file);
    n->stats.ms_load += (double)(now_ns() - t0) / 1e6;
    return CORDON_OK;
}

cordon_status cordon_net_load_file(cordon_net *n, const char *path, cordon_error *err)
{
    char *data;
    size_t len;
    cordon_status st = file_read_all(path, (size_t)16 << 30, &data, &len, err);
    if (st)
        return st;
    st = cordon_net_load_buffer(n, path, data, len, err);
    free(data);
    return st;
}

/* ---- decisions ------------------------------------------------------------------------ */

cordon_status cordon_net_load_decisions(cordon_net *n, const char *path, cordon_error *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return errno == ENOENT ? CORDON_OK
                               : err_set(err, CORDON_ERR_IO, "%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    long lineno = 0;
    ssize_t got;
    cordon_status st = CORDON_OK;
    while (!st && (got = getline(&line, &cap, f)) >= 0) {
        lineno++;
        if (str_is_blank(line))
            continue;
        json_error_t je;
        json_t *o = json_loadb(line, (size_t)got, 0, &je);
        const char *op = o ? json_string_value(json_object_get(o, "op")) : NULL;
        bool ignore = op && strcmp(op, "ignore") == 0;
        const char *a = json_string_value(json_object_get(o, ignore ? "attribute" : "a"));
        const char *b = json_string_value(json_object_get(o, ignore ? "value" : "b"));
        net_decision d = {0};
        if (!o)
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: %s", path, lineno, je.text);
        else if (!op || (strcmp(op, "split") && strcmp(op, "pin") && !ignore))
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: op: must be split, pin or ignore", path,
                         lineno);
        else if (!a || !b || strlen(a) > NET_MAX_FIELD || strlen(b) > NET_MAX_FIELD)
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: %s: needs %s", path, lineno, op,
                         ignore ? "attribute and value" : "a and b");
        else {
            d.op = ignore ? 2 : strcmp(op, "pin") == 0;
            if (ignore) {
                int k = -1;
                for (int i = 0; i < NET_KEY_COUNT; i++)
                    if (strcmp(a, net_key_names[i]) == 0)
                        k = i;
                if (k < 0)
                    st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: attribute: unknown '%s'", path,
                                 lineno, a);
                d.a = (uint32_t)k;
            } else
                d.a = ns_intern(&n->s, a, strlen(a));
            d.b = ns_intern(&n->s, b, strlen(b));
            net_decision *slot = st ? NULL : vec_push(&n->decisions);
            if (slot)
                *slot = d;
            else if (!st)
                st = err_set(err, CORDON_ERR_NOMEM, "out of memory");
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return st;
}

cordon_status cordon_net_decision_append(const char *path, const char *op, const char *a,
                                         const char *b, cordon_error *err)
{
    bool ignore = op && strcmp(op, "ignore") == 0;
    if (!op || (strcmp(op, "split") && strcmp(op, "pin") && !ignore) || !a || !b || !*a || !*b)
        return err_set(err, CORDON_ERR_INVALID, "decision: op split|pin|ignore with two values");
    json_t *o = json_object();
    json_object_set_new(o, "op", json_string(op));
    json_object_set_new(o, ignore ? "attribute" : "a", json_string(a));
    json_object_set_new(o, ignore ? "value" : "b", json_string(b));
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    if (!s)
        return err_set(err, CORDON_ERR_INVALID, "decision: values must be UTF-8");
    FILE *f = fopen(path, "a");
    cordon_status st = CORDON_OK;
    if (!f || fprintf(f, "%s\n", s) < 0)
        st = err_set(err, CORDON_ERR_IO, "%s: %s", path, strerror(errno));
    if (f && fclose(f) != 0 && !st)
        st = err_set(err, CORDON_ERR_IO, "%s: %s", path, strerror(errno));
    free(s);
    return st;
}
