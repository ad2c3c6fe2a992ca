/* load.c - the network's input: interned strings, transactions as JSON lines, analyst
 * decisions (splits, pins, ignored values). */
#include "net.h"
#include "../lists/reader.h"

#include <errno.h>
#include <jansson.h>
#include <pthread.h>
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
    n->min_chunk = (size_t)1 << 20; /* below a MiB per thread, threads cost more than they save */
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
    ns_free(&n->s);
    free(n);
}

/* ---- chunks of JSON lines ------------------------------------------------------------- */

/* The input is cut at line boundaries into one chunk per thread. Each chunk is parsed into
 * its own string table and arrays (string ids local to the chunk, its own normalisation
 * memo); the chunks are then merged in file order. A string gets its global id when it is
 * first interned, and the merge interns each chunk's strings in the order the chunk first
 * met them, so ids - and everything that sorts by them - are the same for any number of
 * threads (test_graph.c checks 1, 2 and 3 against each other). */
typedef struct net_chunk {
    const char *file, *p, *end;
    long line;             /* lines before the chunk, then the current line */
    net_strings s;
    vec tx, parties, lines, route;
    uint64_t *memo_k;      /* normalisation memo: (raw, country, kind) -> key */
    uint32_t *memo_v;
    size_t memo_cap, memo_len;
    uint32_t role_ids[32], n_roles; /* seller-role answers per interned role */
    bool role_seller[32];
    jdoc doc;
    cordon_status st;
    cordon_error err;
} net_chunk;

#define CS(c, id) ns_get(&(c)->s, id)
#define CP(c, i) (&VEC_AT(&(c)->parties, net_party, i))
#define CT(c, i) (&VEC_AT(&(c)->tx, net_tx, i))

static void chunk_init(net_chunk *c)
{
    memset(c, 0, sizeof *c);
    vec_init(&c->tx, sizeof(net_tx));
    vec_init(&c->parties, sizeof(net_party));
    vec_init(&c->lines, sizeof(net_line));
    vec_init(&c->route, sizeof(uint32_t));
    ns_intern(&c->s, "", 0);
}

static void chunk_free(net_chunk *c)
{
    vec_free(&c->tx);
    vec_free(&c->parties);
    vec_free(&c->lines);
    vec_free(&c->route);
    ns_free(&c->s);
    free(c->memo_k);
    free(c->memo_v);
    jdoc_free(&c->doc);
}

static cordon_status oom(net_chunk *c)
{
    return err_set(&c->err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", c->file, c->line);
}

/* A string field: absent or null gives 0; a number is accepted for ids and phones. */
static cordon_status get_str(net_chunk *c, uint32_t obj, const char *key, const char *where,
                             uint32_t *out)
{
    uint32_t v = jn_get(&c->doc, obj, key);
    *out = 0;
    if (v == JN_NONE || c->doc.nodes[v].type == JN_NULL)
        return CORDON_OK;
    const jnode *x = &c->doc.nodes[v];
    if (x->type != JN_STRING && x->type != JN_INT)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: %s%s: not a string", c->file, c->line,
                       where, key);
    size_t len = x->len;
    if (len > NET_MAX_FIELD)
        return err_set(&c->err, CORDON_ERR_LIMIT, "%s:%ld: %s%s: longer than %u bytes", c->file,
                       c->line, where, key, NET_MAX_FIELD);
    if (memchr(x->s, 0, len))
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: %s%s: NUL byte", c->file, c->line,
                       where, key);
    char tmp[NET_MAX_FIELD + 1];
    memcpy(tmp, x->s, len);
    tmp[len] = 0;
    len = str_squeeze(tmp);
    *out = ns_intern(&c->s, tmp, len);
    if (len && !*out)
        return oom(c);
    return CORDON_OK;
}

/* Normalising goes through ICU for names and addresses: once per distinct raw value. */
static bool memo_grow(net_chunk *n)
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

static uint32_t *memo_slot(net_chunk *n, uint32_t raw, uint32_t country, int kind, bool *fresh)
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

static uint32_t norm_key(net_chunk *n, uint32_t raw, uint32_t country, int kind)
{
    bool fresh;
    uint32_t *slot = memo_slot(n, raw, country, kind, &fresh);
    if (slot && !fresh)
        return *slot;
    const char *cc = country ? CS(n, country) : NULL, *s = CS(n, raw);
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
    if (slot)
        *slot = v; /* the memo is not touched by interning */
    return v;
}

#define MEMO_COUNTRY 9

/* ISO alpha-2 of a country as written, memoised (country_code scans its name table). */
static uint32_t country_of(net_chunk *c, uint32_t raw)
{
    if (!raw)
        return 0;
    bool fresh;
    uint32_t *slot = memo_slot(c, raw, 0, MEMO_COUNTRY, &fresh);
    if (slot && !fresh)
        return *slot;
    const char *cc = country_code(CS(c, raw));
    uint32_t v = cc ? ns_intern(&c->s, cc, 2) : 0;
    if (slot)
        *slot = v;
    return v;
}

static void party_keys(net_chunk *n, net_party *p)
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
}

static bool role_seller(net_chunk *n, uint32_t role)
{
    for (uint32_t i = 0; i < n->n_roles; i++)
        if (n->role_ids[i] == role)
            return n->role_seller[i];
    bool a = net_seller_role(CS(n, role));
    if (n->n_roles < 32) {
        n->role_ids[n->n_roles] = role;
        n->role_seller[n->n_roles++] = a;
    }
    return a;
}

static uint8_t jtype(const net_chunk *c, uint32_t v)
{
    return v == JN_NONE ? JN_NULL : c->doc.nodes[v].type;
}

static cordon_status parse_party(net_chunk *c, uint32_t o, size_t k, net_tx *t)
{
    char where[48];
    snprintf(where, sizeof where, "parties[%zu].", k);
    if (jtype(c, o) != JN_OBJECT)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: parties[%zu]: not an object", c->file,
                       c->line, k);
    net_party p = {0};
    p.tx = (uint32_t)c->tx.len - 1;
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
    uint32_t ids = jn_get(&c->doc, o, "identifiers"); /* {"type":"imo"|"iban","value"} */
    if (jtype(c, ids) == JN_ARRAY) {
        size_t i = 0;
        for (uint32_t id = ids + 1; id < c->doc.nodes[ids].next; id = c->doc.nodes[id].next, i++) {
            uint32_t tv = jn_get(&c->doc, id, "type");
            const char *type = jtype(c, tv) == JN_STRING ? c->doc.nodes[tv].s : NULL;
            uint32_t *dst = !type ? NULL : str_ieq(type, "imo") ? &p.imo
                          : str_ieq(type, "iban") ? &p.iban : NULL;
            char w2[80];
            snprintf(w2, sizeof w2, "%sidentifiers[%zu].", where, i);
            if (dst && !*dst && (st = get_str(c, id, "value", w2, dst)))
                return st;
        }
    }
    if (!p.name)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: %sname: missing", c->file, c->line,
                       where);
    if (!p.role)
        p.role = ns_intern(&c->s, "party", 5);
    p.country = country_of(c, ctry);
    p.seller = role_seller(c, p.role);
    if (ctry && !p.country)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: %scountry: unknown country '%s'",
                       c->file, c->line, where, CS(c, ctry));
    /* reference: TXID/role, or TXID/role/N for the N-th party of that role */
    size_t same = 1;
    for (uint32_t i = t->party0; i < c->parties.len; i++)
        same += CP(c, i)->role == p.role;
    char ref[NET_MAX_FIELD * 2 + 32];
    int rl = same == 1 ? snprintf(ref, sizeof ref, "%s/%s", CS(c, t->id), CS(c, p.role))
                       : snprintf(ref, sizeof ref, "%s/%s/%zu", CS(c, t->id), CS(c, p.role), same);
    p.ref = ns_intern(&c->s, ref, (size_t)rl);
    party_keys(c, &p);
    net_party *slot = vec_push(&c->parties);
    if (!slot)
        return oom(c);
    *slot = p;
    return CORDON_OK;
}

static cordon_status parse_goods(net_chunk *c, uint32_t o, size_t k)
{
    char where[48];
    snprintf(where, sizeof where, "goods[%zu].", k);
    if (jtype(c, o) != JN_OBJECT)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: goods[%zu]: not an object", c->file,
                       c->line, k);
    net_line l = {0};
    l.goods = -1;
    cordon_status st;
    if ((st = get_str(c, o, "description", where, &l.desc)) ||
        (st = get_str(c, o, "hs", where, &l.hs)) ||
        (st = get_str(c, o, "currency", where, &l.currency)))
        return st;
    uint32_t v = jn_get(&c->doc, o, "value");
    if (jtype(c, v) != JN_NULL) {
        if ((jtype(c, v) != JN_INT && jtype(c, v) != JN_REAL) || c->doc.nodes[v].num < 0)
            return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: %svalue: not a non-negative number",
                           c->file, c->line, where);
        l.value = c->doc.nodes[v].num;
    }
    net_line *slot = vec_push(&c->lines);
    if (!slot)
        return oom(c);
    *slot = l;
    return CORDON_OK;
}

static cordon_status push_country(net_chunk *c, uint32_t v, const char *field)
{
    if (jtype(c, v) == JN_NULL)
        return CORDON_OK;
    if (jtype(c, v) != JN_STRING || c->doc.nodes[v].len > 100 ||
        memchr(c->doc.nodes[v].s, 0, c->doc.nodes[v].len))
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: route.%s: not a country", c->file,
                       c->line, field);
    uint32_t raw = ns_intern(&c->s, c->doc.nodes[v].s, c->doc.nodes[v].len);
    uint32_t cc = country_of(c, raw);
    if (!cc)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: route.%s: unknown country '%s'",
                       c->file, c->line, field, CS(c, raw));
    net_tx *t = CT(c, c->tx.len - 1);
    if (t->n_route >= NET_MAX_ROUTE)
        return CORDON_OK;
    uint32_t *slot = vec_push(&c->route);
    if (!slot)
        return oom(c);
    *slot = cc;
    t->n_route++;
    if (strcmp(field, "destination") == 0)
        t->dest = *slot;
    return CORDON_OK;
}

static cordon_status parse_route(net_chunk *c, uint32_t r)
{
    if (jtype(c, r) == JN_NULL)
        return CORDON_OK;
    if (jtype(c, r) != JN_OBJECT)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: route: not an object", c->file, c->line);
    cordon_status st;
    if ((st = push_country(c, jn_get(&c->doc, r, "origin"), "origin")))
        return st;
    uint32_t tr = jn_get(&c->doc, r, "transit");
    if (jtype(c, tr) != JN_NULL) {
        if (jtype(c, tr) != JN_ARRAY)
            return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: route.transit: not an array",
                           c->file, c->line);
        for (uint32_t i = tr + 1; i < c->doc.nodes[tr].next; i = c->doc.nodes[i].next)
            if ((st = push_country(c, i, "transit")))
                return st;
    }
    return push_country(c, jn_get(&c->doc, r, "destination"), "destination");
}

static cordon_status parse_tx(net_chunk *c)
{
    const uint32_t o = 0; /* the root */
    if (jtype(c, o) != JN_OBJECT)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: not a JSON object", c->file, c->line);
    net_tx *t = vec_push(&c->tx);
    if (!t)
        return oom(c);
    t->party0 = (uint32_t)c->parties.len;
    t->line0 = (uint32_t)c->lines.len;
    t->route0 = (uint32_t)c->route.len;
    t->lineno = (uint32_t)c->line;
    cordon_status st;
    uint32_t id, date, type;
    if ((st = get_str(c, o, "id", "", &id)) || (st = get_str(c, o, "date", "", &date)) ||
        (st = get_str(c, o, "type", "", &type)))
        return st;
    t = CT(c, c->tx.len - 1);
    if (!id)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: id: missing", c->file, c->line);
    t->id = id;
    t->type = type;
    t->date = date;
    t->day = date ? net_days(CS(c, date)) : INT32_MIN;
    if (date && t->day == INT32_MIN)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: date: not YYYY-MM-DD: '%s'", c->file,
                       c->line, CS(c, date));
    uint32_t ps = jn_get(&c->doc, o, "parties");
    if (jtype(c, ps) != JN_ARRAY || c->doc.nodes[ps].len == 0)
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: parties: missing or empty", c->file,
                       c->line);
    if (c->doc.nodes[ps].len > NET_MAX_PARTIES)
        return err_set(&c->err, CORDON_ERR_LIMIT, "%s:%ld: parties: more than %d", c->file,
                       c->line, NET_MAX_PARTIES);
    size_t k = 0;
    for (uint32_t i = ps + 1; i < c->doc.nodes[ps].next; i = c->doc.nodes[i].next, k++)
        if ((st = parse_party(c, i, k, CT(c, c->tx.len - 1))))
            return st;
    uint32_t gs = jn_get(&c->doc, o, "goods");
    if (jtype(c, gs) != JN_NULL) {
        if (jtype(c, gs) != JN_ARRAY)
            return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: goods: not an array", c->file, c->line);
        if (c->doc.nodes[gs].len > NET_MAX_GOODS)
            return err_set(&c->err, CORDON_ERR_LIMIT, "%s:%ld: goods: more than %d lines", c->file,
                           c->line, NET_MAX_GOODS);
        k = 0;
        for (uint32_t i = gs + 1; i < c->doc.nodes[gs].next; i = c->doc.nodes[i].next, k++)
            if ((st = parse_goods(c, i, k)))
                return st;
    }
    if ((st = parse_route(c, jn_get(&c->doc, o, "route"))))
        return st;
    t = CT(c, c->tx.len - 1);
    t->n_parties = (uint32_t)c->parties.len - t->party0;
    t->n_lines = (uint32_t)c->lines.len - t->line0;
    return CORDON_OK;
}

static cordon_status parse_line(net_chunk *c, const char *s, size_t len)
{
    size_t bad;
    if (!utf8_valid(s, len, &bad))
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: invalid UTF-8 at byte %zu", c->file,
                       c->line, bad + 1);
    if (!jdoc_parse(&c->doc, s, len))
        return err_set(&c->err, CORDON_ERR_PARSE, "%s:%ld: column %zu: %s", c->file, c->line,
                       c->doc.column, c->doc.error);
    return parse_tx(c);
}

/* Parses the chunk's lines; stops at the first bad one (c->st, c->err). */
static void *chunk_parse(void *arg)
{
    net_chunk *c = arg;
    const char *p = c->p, *end = c->end;
    while (p < end && !c->st) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        c->line++;
        size_t l = (size_t)(le - p);
        if (l && p[l - 1] == '\r')
            l--;
        if (l > NET_MAX_LINE)
            c->st = err_set(&c->err, CORDON_ERR_LIMIT, "%s:%ld: line longer than %u bytes",
                            c->file, c->line, NET_MAX_LINE);
        bool blank = true;
        for (size_t i = 0; i < l && blank; i++)
            blank = p[i] == ' ' || p[i] == '\t';
        if (!blank && !c->st)
            c->st = parse_line(c, p, l);
        p = nl ? nl + 1 : end;
    }
    jdoc_free(&c->doc); /* the line buffers are not needed after the chunk */
    return NULL;
}

/* Room for `more` items at the end of v; returns the first, or NULL. */
static void *vec_extend(vec *v, size_t more)
{
    if (v->len + more > v->cap) {
        size_t cap = v->cap ? v->cap : 8;
        while (cap < v->len + more)
            cap *= 2;
        void *d = xrealloc_array(v->data, cap, v->item);
        if (!d)
            return NULL;
        v->data = d;
        v->cap = cap;
    }
    void *first = (char *)v->data + v->len * v->item;
    v->len += more;
    return first;
}

/* Appends a parsed chunk to the network, its string ids mapped to the network's. */
static cordon_status chunk_merge(cordon_net *n, net_chunk *c, cordon_error *err)
{
    if (n->s.n <= 1 && n->tx.len == 0) { /* the first chunk into an empty network: adopt it */
        ns_free(&n->s);
        n->s = c->s;
        memset(&c->s, 0, sizeof c->s);
        vec *dst[] = {&n->tx, &n->parties, &n->lines, &n->route};
        vec *src[] = {&c->tx, &c->parties, &c->lines, &c->route};
        for (size_t i = 0; i < ARRAY_LEN(dst); i++) {
            vec t = *dst[i];
            *dst[i] = *src[i];
            *src[i] = t;
        }
        return CORDON_OK;
    }
    uint32_t *map = malloc(((size_t)c->s.n + 1) * sizeof *map);
    if (!map)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    map[0] = 0;
    for (uint32_t id = 1; id < c->s.n; id++) {
        const char *str = ns_get(&c->s, id);
        map[id] = ns_intern(&n->s, str, strlen(str));
        if (!map[id]) {
            free(map);
            return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
        }
    }
    uint32_t tx0 = (uint32_t)n->tx.len, p0 = (uint32_t)n->parties.len,
             l0 = (uint32_t)n->lines.len, r0 = (uint32_t)n->route.len;
    net_tx *t = vec_extend(&n->tx, c->tx.len);
    net_party *p = vec_extend(&n->parties, c->parties.len);
    net_line *l = vec_extend(&n->lines, c->lines.len);
    uint32_t *r = vec_extend(&n->route, c->route.len);
    if ((c->tx.len && !t) || (c->parties.len && !p) || (c->lines.len && !l) ||
        (c->route.len && !r)) {
        free(map);
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    }
    for (size_t i = 0; i < c->tx.len; i++) {
        net_tx x = *CT(c, i);
        x.id = map[x.id];
        x.type = map[x.type];
        x.date = map[x.date];
        x.dest = map[x.dest];
        x.party0 += p0;
        x.line0 += l0;
        x.route0 += r0;
        t[i] = x;
    }
    for (size_t i = 0; i < c->parties.len; i++) {
        net_party x = *CP(c, i);
        uint32_t *f[] = {&x.role, &x.name, &x.address, &x.country, &x.phone, &x.email, &x.iban,
                         &x.imo, &x.ref};
        for (size_t k = 0; k < ARRAY_LEN(f); k++)
            *f[k] = map[*f[k]];
        for (size_t k = 0; k < NET_KEY_COUNT; k++)
            x.key[k] = map[x.key[k]];
        x.tx += tx0;
        p[i] = x;
    }
    for (size_t i = 0; i < c->lines.len; i++) {
        net_line x = VEC_AT(&c->lines, net_line, i);
        x.desc = map[x.desc];
        x.hs = map[x.hs];
        x.currency = map[x.currency];
        l[i] = x;
    }
    for (size_t i = 0; i < c->route.len; i++)
        r[i] = map[VEC_AT(&c->route, uint32_t, i)];
    free(map);
    return CORDON_OK;
}

#define NET_MAX_THREADS 16

cordon_status cordon_net_load_buffer(cordon_net *n, const char *name, const char *data,
                                     size_t len, cordon_error *err)
{
    if (n->analyzed)
        return err_set(err, CORDON_ERR_INVALID, "network: load before analyze");
    uint64_t t0 = now_ns();
    const char *file = name ? name : "input";
    size_t nc = (size_t)(n->opt.threads > NET_MAX_THREADS ? NET_MAX_THREADS : n->opt.threads);
    size_t min_chunk = n->min_chunk ? n->min_chunk : 1;
    if (nc > len / min_chunk)
        nc = len / min_chunk;
    if (nc < 1)
        nc = 1;
    net_chunk *ch = calloc(nc, sizeof *ch);
    if (!ch)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    /* cut at line boundaries; count the lines before each cut for the error messages */
    size_t at = 0;
    long lines = 0;
    for (size_t k = 0; k < nc; k++) {
        chunk_init(&ch[k]);
        size_t cut = k + 1 == nc ? len : len / nc * (k + 1);
        if (cut < at)
            cut = at;
        const char *nl = cut < len ? memchr(data + cut, '\n', len - cut) : NULL;
        cut = k + 1 == nc || !nl ? len : (size_t)(nl - data) + 1;
        ch[k] = (net_chunk){.file = file, .p = data + at, .end = data + cut, .line = lines,
                            .s = ch[k].s, .tx = ch[k].tx, .parties = ch[k].parties,
                            .lines = ch[k].lines, .route = ch[k].route};
        for (const char *p = data + at; p < data + cut && (p = memchr(p, '\n', (size_t)(data + cut - p)));
             p++)
            lines++;
        at = cut;
    }
    pthread_t th[NET_MAX_THREADS];
    bool started[NET_MAX_THREADS] = {false};
    for (size_t k = 1; k < nc; k++)
        started[k] = pthread_create(&th[k], NULL, chunk_parse, &ch[k]) == 0;
    chunk_parse(&ch[0]);
    for (size_t k = 1; k < nc; k++) {
        if (started[k])
            pthread_join(th[k], NULL);
        else
            chunk_parse(&ch[k]); /* no thread: same result, later */
    }
    cordon_status st = CORDON_OK;
    size_t added = 0;
    for (size_t k = 0; k < nc && !st; k++) /* the first bad line in file order */
        if (ch[k].st) {
            st = ch[k].st;
            if (err)
                *err = ch[k].err;
        }
    for (size_t k = 0; k < nc; k++)
        added += ch[k].tx.len;
    if (!st && added == 0)
        st = err_set(err, CORDON_ERR_PARSE, "%s: empty file: no transactions", file);
    for (size_t k = 0; k < nc && !st; k++)
        st = chunk_merge(n, &ch[k], err);
    for (size_t k = 0; k < nc; k++)
        chunk_free(&ch[k]);
    free(ch);
    if (!st)
        n->stats.ms_load += (double)(now_ns() - t0) / 1e6;
    return st;
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
