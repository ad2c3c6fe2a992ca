/* resolve.c - entity resolution: blocking keys grouped, union-find merges with explanations,
 * analyst decisions (pins, splits, ignored values) honoured, shared values as links. */
#include "net.h"
#include "../text/text.h"

#include <stdlib.h>
#include <string.h>

typedef struct uf {
    uint32_t *parent;
    const net_decision *splits; /* op 0 decisions, resolved to party indices in a/b */
    size_t n_splits;
} uf;

static uint32_t uf_find(uf *u, uint32_t x)
{
    while (u->parent[x] != x) {
        u->parent[x] = u->parent[u->parent[x]];
        x = u->parent[x];
    }
    return x;
}

/* A split decision forbids any merge that would put its two parties together. */
static bool uf_allowed(uf *u, uint32_t ra, uint32_t rb)
{
    for (size_t i = 0; i < u->n_splits; i++) {
        uint32_t x = uf_find(u, u->splits[i].a), y = uf_find(u, u->splits[i].b);
        if ((x == ra && y == rb) || (x == rb && y == ra))
            return false;
    }
    return true;
}

static cordon_status merge(cordon_net *n, uf *u, uint32_t a, uint32_t b, uint8_t attr,
                           uint32_t value, double score, bool *done)
{
    uint32_t ra = uf_find(u, a), rb = uf_find(u, b);
    *done = false;
    if (ra == rb || !uf_allowed(u, ra, rb))
        return CORDON_OK;
    if (ra < rb)
        u->parent[rb] = ra;
    else
        u->parent[ra] = rb;
    net_merge *m = vec_push(&n->merges);
    if (!m)
        return CORDON_ERR_NOMEM;
    *m = (net_merge){a, b, attr, value, score};
    *done = true;
    return CORDON_OK;
}

/* ref -> party index, by interned id (refs are unique per party). */
static uint32_t party_by_ref(const cordon_net *n, uint32_t ref)
{
    for (size_t i = 0; i < n->parties.len; i++)
        if (NP(n, i)->ref == ref)
            return (uint32_t)i;
    return UINT32_MAX;
}

static cordon_status apply_decisions(cordon_net *n, uf *u, net_decision **splits,
                                     cordon_error *err)
{
    size_t ns = 0;
    *splits = calloc(n->decisions.len + 1, sizeof **splits);
    if (!*splits)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n->decisions.len; i++) {
        net_decision *d = &VEC_AT(&n->decisions, net_decision, i);
        if (d->op == 2) { /* ignore a value: clear it wherever it is a key or the raw text */
            for (size_t p = 0; p < n->parties.len; p++) {
                uint32_t *k = &NP(n, p)->key[d->a];
                if (*k && (*k == d->b || strstr(NS(n, *k), NS(n, d->b))))
                    *k = 0;
            }
            continue;
        }
        uint32_t a = party_by_ref(n, d->a), b = party_by_ref(n, d->b);
        if (a == UINT32_MAX || b == UINT32_MAX)
            return err_set(err, CORDON_ERR_NOTFOUND, "decisions: %s %s %s: no such party",
                           d->op ? "pin" : "split", NS(n, d->a), NS(n, d->b));
        if (d->op == 0)
            (*splits)[ns++] = (net_decision){0, a, b};
    }
    u->splits = *splits;
    u->n_splits = ns;
    for (size_t i = 0; i < n->decisions.len; i++) { /* pins after splits are known */
        net_decision *d = &VEC_AT(&n->decisions, net_decision, i);
        bool done;
        if (d->op == 1 && merge(n, u, party_by_ref(n, d->a), party_by_ref(n, d->b),
                                NET_KEY_COUNT, 0, 1.0, &done))
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    return CORDON_OK;
}

typedef struct kp { uint32_t key, party; } kp;

static int cmp_kp(const void *x, const void *y)
{
    const kp *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->party < b->party ? -1 : a->party > b->party;
}

static double name_similarity(const cordon_net *n, uint32_t ka, uint32_t kb)
{
    if (ka == kb)
        return 1.0;
    if (!ka || !kb)
        return 0;
    const char *a = strchr(NS(n, ka), '|'), *b = strchr(NS(n, kb), '|');
    a = a ? a + 1 : NS(n, ka);
    b = b ? b + 1 : NS(n, kb);
    return sim_jaro_winkler(a, strlen(a), b, strlen(b));
}

static cordon_status push_link(cordon_net *n, uint32_t pa, uint32_t pb, uint8_t attr,
                               uint32_t value)
{
    net_edge *e = vec_push(&n->edges);
    if (!e)
        return CORDON_ERR_NOMEM;
    *e = (net_edge){pa, pb, EDGE_SHARES, attr, value, 1.0, UINT32_MAX}; /* parties for now */
    return CORDON_OK;
}

#define NAME_MERGE_SIM 0.93
#define NET_MAX_REPS 256

/* One group of parties sharing a key value: merge those whose names agree, link the rest. */
static cordon_status resolve_group(cordon_net *n, uf *u, const kp *g, size_t len, uint8_t attr,
                                   uint32_t *reps, size_t *n_reps)
{
    /* distinct entities in the group, one representative party each */
    size_t k = 0;
    for (size_t i = 0; i < len && k < NET_MAX_REPS; i++) {
        uint32_t r = uf_find(u, g[i].party);
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = uf_find(u, reps[j]) == r;
        if (!seen)
            reps[k++] = g[i].party;
    }
    *n_reps = k;
    bool done;
    if (k > n->opt.stop_key) {
        /* too common to mean anything (a business centre, a forwarder's switchboard) - unless
         * it is a mission's: then every sharer is linked to the mission */
        const char *state;
        size_t m = k;
        for (size_t i = 0; i < k && m == k; i++)
            if (net_is_mission(NS(n, NP(n, reps[i])->name), &state))
                m = i;
        n->n_stop_keys++;
        for (size_t i = 0; i < k && m < k; i++)
            if (i != m && push_link(n, reps[i], reps[m], attr, g[0].key))
                return CORDON_ERR_NOMEM;
        return CORDON_OK;
    }
    for (size_t i = 0; i < k; i++)
        for (size_t j = i + 1; j < k; j++) {
            uint32_t a = reps[i], b = reps[j];
            if (uf_find(u, a) == uf_find(u, b))
                continue;
            double sim = attr == NET_KEY_DOMAIN ? 0
                       : name_similarity(n, NP(n, a)->key[NET_KEY_NAME], NP(n, b)->key[NET_KEY_NAME]);
            if (sim >= NAME_MERGE_SIM) {
                if (merge(n, u, a, b, attr, g[0].key, sim, &done))
                    return CORDON_ERR_NOMEM;
                if (done)
                    continue;
            }
            if (push_link(n, a, b, attr, g[0].key))
                return CORDON_ERR_NOMEM;
        }
    return CORDON_OK;
}

static cordon_status resolve_key(cordon_net *n, uf *u, int attr, kp *pairs)
{
    size_t m = 0;
    for (size_t i = 0; i < n->parties.len; i++)
        if (NP(n, i)->key[attr])
            pairs[m++] = (kp){NP(n, i)->key[attr], (uint32_t)i};
    qsort(pairs, m, sizeof *pairs, cmp_kp);
    uint32_t reps[256];
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && pairs[j].key == pairs[i].key)
            j++;
        bool done;
        if (attr == NET_KEY_NAME || attr == NET_KEY_IMO) { /* same name and country; a hull */
            for (size_t k = i + 1; k < j; k++)
                if (merge(n, u, pairs[i].party, pairs[k].party, (uint8_t)attr, pairs[i].key, 1.0,
                          &done))
                    return CORDON_ERR_NOMEM;
        } else if (j - i > 1) {
            size_t nr = 0;
            if (resolve_group(n, u, pairs + i, j - i, (uint8_t)attr, reps, &nr))
                return CORDON_ERR_NOMEM;
        }
        i = j;
    }
    return CORDON_OK;
}

static int cmp_edge(const void *x, const void *y)
{
    const net_edge *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    return (a->attr > b->attr) - (a->attr < b->attr);
}

bool net_seller_role(const char *role)
{
    static const char *const s[] = {"seller", "supplier", "exporter", "manufacturer", "carrier",
                                    "vendor", "shipper", "advising_bank", "advising bank"};
    for (size_t i = 0; i < ARRAY_LEN(s); i++)
        if (str_ieq(role, s[i]))
            return true;
    return false;
}

/* Entities from roots; mentions grouped; links and transaction edges moved to entity ids. */
static cordon_status build_entities(cordon_net *n, uf *u, cordon_error *err)
{
    size_t np = n->parties.len;
    uint32_t *ent_of_root = malloc(np * sizeof *ent_of_root);
    uint32_t *count = NULL;
    uint8_t *checked = calloc(n->s.n + 1, 1);
    n->ent_mentions = malloc((np + 1) * sizeof *n->ent_mentions);
    if (!ent_of_root || !n->ent_mentions || !checked)
        goto oom;
    for (size_t i = 0; i < np; i++)
        ent_of_root[i] = UINT32_MAX;
    for (size_t i = 0; i < np; i++) {
        uint32_t r = uf_find(u, (uint32_t)i);
        if (ent_of_root[r] == UINT32_MAX) {
            net_entity *e = vec_push(&n->entities);
            if (!e)
                goto oom;
            ent_of_root[r] = (uint32_t)n->entities.len - 1;
            e->name = NP(n, i)->name;
            e->country = NP(n, i)->country;
        }
        NP(n, i)->entity = ent_of_root[r];
        NE(n, ent_of_root[r])->n_mentions++;
    }
    size_t off = 0;
    for (size_t e = 0; e < n->entities.len; e++) {
        NE(n, e)->first_party = (uint32_t)off;
        off += NE(n, e)->n_mentions;
        NE(n, e)->n_mentions = 0;
    }
    for (size_t i = 0; i < np; i++) {
        net_entity *e = NE(n, NP(n, i)->entity);
        n->ent_mentions[e->first_party + e->n_mentions++] = (uint32_t)i;
        const char *state;
        uint32_t name = NP(n, i)->name;
        if (e->mission || checked[name])
            continue;
        checked[name] = 1; /* once per distinct name */
        if (net_is_mission(NS(n, name), &state)) {
            e->mission = true;
            e->mission_of = state ? ns_intern(&n->s, state, 2) : 0;
        }
    }
    /* shared-value links: party ids -> entity ids */
    for (size_t i = 0; i < n->edges.len; i++) {
        net_edge *ed = &VEC_AT(&n->edges, net_edge, i);
        uint32_t a = NP(n, ed->a)->entity, b = NP(n, ed->b)->entity;
        ed->a = a < b ? a : b;
        ed->b = a < b ? b : a;
    }
    /* transaction edges: every buy-side party to the transaction's first buy-side party */
    for (size_t t = 0; t < n->tx.len; t++) {
        net_tx *tx = NT(n, t);
        uint32_t anchor = UINT32_MAX;
        for (uint32_t k = 0; k < tx->n_parties; k++) {
            net_party *p = NP(n, tx->party0 + k);
            if (p->seller)
                continue;
            if (anchor == UINT32_MAX) {
                anchor = p->entity;
                continue;
            }
            if (p->entity == anchor)
                continue;
            net_edge *ed = vec_push(&n->edges);
            if (!ed)
                goto oom;
            uint32_t a = anchor, b = p->entity;
            *ed = (net_edge){a < b ? a : b, a < b ? b : a, EDGE_TX, 0, tx->id, 1.0, (uint32_t)t};
        }
    }
    if (n->edges.len) /* qsort of NULL is undefined even for 0 items */
        qsort(n->edges.data, n->edges.len, sizeof(net_edge), cmp_edge);
    size_t w = 0;
    for (size_t i = 0; i < n->edges.len; i++) { /* one edge per pair, kind and attribute */
        net_edge *ed = &VEC_AT(&n->edges, net_edge, i);
        if (ed->a == ed->b)
            continue;
        if (w && cmp_edge(&VEC_AT(&n->edges, net_edge, w - 1), ed) == 0)
            continue;
        VEC_AT(&n->edges, net_edge, w++) = *ed;
    }
    n->edges.len = w;
    /* hubs: too many distinct counterparties to say anything about a cluster */
    uint32_t last_a = UINT32_MAX, last_b = UINT32_MAX;
    for (size_t i = 0; i < n->edges.len; i++) {
        net_edge *ed = &VEC_AT(&n->edges, net_edge, i);
        if (ed->a == last_a && ed->b == last_b)
            continue;
        last_a = ed->a;
        last_b = ed->b;
        NE(n, ed->a)->degree++;
        NE(n, ed->b)->degree++;
    }
    for (size_t e = 0; e < n->entities.len; e++)
        NE(n, e)->hub = NE(n, e)->degree > n->opt.hub_degree && !NE(n, e)->mission;
    free(ent_of_root);
    free(count);
    free(checked);
    return CORDON_OK;
oom:
    free(ent_of_root);
    free(count);
    free(checked);
    return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
}

cordon_status net_resolve(cordon_net *n, cordon_error *err)
{
    size_t np = n->parties.len;
    uf u = {0};
    u.parent = malloc((np + 1) * sizeof *u.parent);
    kp *pairs = malloc((np + 1) * sizeof *pairs);
    net_decision *splits = NULL;
    cordon_status st = CORDON_OK;
    if (!u.parent || !pairs) {
        st = err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
        goto out;
    }
    for (size_t i = 0; i < np; i++)
        u.parent[i] = (uint32_t)i;
    if ((st = apply_decisions(n, &u, &splits, err)))
        goto out;
    /* strong keys first, so shared contacts compare resolved entities */
    static const int order[] = {NET_KEY_NAME, NET_KEY_IMO, NET_KEY_IBAN, NET_KEY_EMAIL,
                                NET_KEY_PHONE, NET_KEY_ADDRESS, NET_KEY_DOMAIN};
    for (size_t i = 0; i < ARRAY_LEN(order); i++)
        if (resolve_key(n, &u, order[i], pairs)) {
            st = err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
            goto out;
        }
    st = build_entities(n, &u, err);
out:
    free(u.parent);
    free(pairs);
    free(splits);
    return st;
}
