/* screen.c - listed parties as nodes: every distinct name screened once (threads share the
 * engine), contact details of listed entries matched against party keys, and goods lines
 * classified once per distinct description, HS code and destination. */
#include "net.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define NET_HITS_PER_NAME 3

typedef struct name_job {
    uint32_t name;
    uint8_t n_hits;
    struct {
        size_t entity;
        double score;
        char matched[160];
    } hit[NET_HITS_PER_NAME];
} name_job;

typedef struct screen_ctx {
    const cordon_net *n;
    name_job *jobs;
    size_t n_jobs, next;
    pthread_mutex_t lock;
    cordon_status st;
    cordon_error err;
} screen_ctx;

static void screen_one(screen_ctx *c, name_job *j, cordon_arena *a)
{
    cordon_query q = {0};
    q.name = NS(c->n, j->name);
    q.threshold = c->n->opt.threshold;
    q.limit = NET_HITS_PER_NAME;
    cordon_result r;
    cordon_error err = {0};
    if (strlen(q.name) >= CORDON_MAX_QUERY_BYTES ||
        cordon_screen(c->n->engine, &q, a, &r, &err) != CORDON_OK)
        return; /* a name the engine cannot read is simply not a hit */
    for (size_t i = 0; i < r.n_hits && j->n_hits < NET_HITS_PER_NAME; i++) {
        j->hit[j->n_hits].entity = r.hits[i].entity_index;
        j->hit[j->n_hits].score = r.hits[i].score;
        snprintf(j->hit[j->n_hits].matched, sizeof j->hit[0].matched, "%s",
                 r.hits[i].matched_name ? r.hits[i].matched_name : "");
        j->n_hits++;
    }
}

static void *screen_worker(void *arg)
{
    screen_ctx *c = arg;
    cordon_arena *a = cordon_arena_new();
    if (!a)
        return NULL;
    for (;;) {
        pthread_mutex_lock(&c->lock);
        size_t i = c->next;
        c->next += 64;
        pthread_mutex_unlock(&c->lock);
        if (i >= c->n_jobs)
            break;
        size_t end = i + 64 < c->n_jobs ? i + 64 : c->n_jobs;
        for (; i < end; i++) {
            screen_one(c, &c->jobs[i], a);
            cordon_arena_reset(a);
        }
    }
    cordon_arena_free(a);
    return NULL;
}

/* u32 -> u32 map over interned ids (open addressing). */
typedef struct u32map {
    uint32_t *k, *v;
    size_t cap, len;
} u32map;

static bool map_put(u32map *m, uint32_t k, uint32_t v);
static bool map_grow(u32map *m)
{
    u32map g = {calloc(m->cap ? m->cap * 2 : 256, 4), calloc(m->cap ? m->cap * 2 : 256, 4),
                m->cap ? m->cap * 2 : 256, 0};
    if (!g.k || !g.v) {
        free(g.k);
        free(g.v);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++)
        if (m->k[i])
            map_put(&g, m->k[i], m->v[i]);
    free(m->k);
    free(m->v);
    *m = g;
    return true;
}

static bool map_put(u32map *m, uint32_t k, uint32_t v)
{
    if ((m->len + 1) * 2 > m->cap && !map_grow(m))
        return false;
    size_t i = (k * 2654435761u) & (m->cap - 1);
    while (m->k[i] && m->k[i] != k)
        i = (i + 1) & (m->cap - 1);
    if (!m->k[i])
        m->len++;
    m->k[i] = k;
    m->v[i] = v;
    return true;
}

static uint32_t map_get(const u32map *m, uint32_t k)
{
    if (!m->cap)
        return UINT32_MAX;
    size_t i = (k * 2654435761u) & (m->cap - 1);
    while (m->k[i]) {
        if (m->k[i] == k)
            return m->v[i];
        i = (i + 1) & (m->cap - 1);
    }
    return UINT32_MAX;
}

static void map_free(u32map *m)
{
    free(m->k);
    free(m->v);
}

/* The listed node for engine entity i (created on first use). */
static uint32_t listed_node(cordon_net *n, u32map *by_key, size_t i, cordon_arena *a)
{
    cordon_entity ent;
    if (cordon_engine_entity(n->engine, i, a, &ent) != CORDON_OK)
        return UINT32_MAX;
    char key[256];
    int kl = snprintf(key, sizeof key, "%s:%s", ent.source, ent.source_id ? ent.source_id : "");
    uint32_t kid = ns_intern(&n->s, key, (size_t)kl);
    uint32_t found = map_get(by_key, kid);
    if (found != UINT32_MAX)
        return found;
    net_listed *l = vec_push(&n->listed);
    if (!l || !map_put(by_key, kid, (uint32_t)n->listed.len - 1))
        return UINT32_MAX;
    l->key = kid;
    l->name = ent.n_names ? ns_intern(&n->s, ent.names[0].full, strlen(ent.names[0].full)) : 0;
    l->source = ns_intern(&n->s, ent.source, strlen(ent.source));
    char reg[256] = "";
    size_t o = 0;
    for (size_t r = 0; r < ent.n_regimes && o < sizeof reg - 40; r++)
        o += (size_t)snprintf(reg + o, sizeof reg - o, "%s%s", r ? "," : "", ent.regimes[r]);
    l->regimes = ns_intern(&n->s, reg, o);
    return (uint32_t)n->listed.len - 1;
}

static cordon_status add_listed_edge(cordon_net *n, uint32_t entity, uint32_t listed,
                                     uint8_t kind, uint8_t attr, uint32_t value, double score)
{
    net_edge *e = vec_push(&n->edges);
    if (!e)
        return CORDON_ERR_NOMEM;
    *e = (net_edge){entity, listed, kind, attr, value, score, UINT32_MAX}; /* b: listed index */
    return CORDON_OK;
}

/* Names that differ only in case, punctuation, legal form or country share one screening key
 * (the name key without its country: the query carries no country, so the answer would be
 * the same): screened once, with the first spelling seen. */
static uint32_t screen_key(cordon_net *n, size_t p)
{
    uint32_t k = NP(n, p)->key[NET_KEY_NAME];
    if (!k)
        return NP(n, p)->name;
    const char *bar = strchr(NS(n, k), '|');
    if (!bar)
        return k;
    char name[1100]; /* a copy: interning may move the table the key lives in */
    size_t len = strlen(bar + 1);
    if (len >= sizeof name)
        return k;
    memcpy(name, bar + 1, len + 1);
    return ns_intern(&n->s, name, len);
}

static cordon_status screen_names(cordon_net *n, u32map *by_key, cordon_arena *a,
                                  cordon_error *err)
{
    u32map seen = {0};
    name_job *jobs = calloc(n->entities.len * 2 + 16, sizeof *jobs);
    size_t nj = 0, cap = n->entities.len * 2 + 16;
    cordon_status st = CORDON_OK;
    if (!jobs)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    uint32_t *key_of = malloc((n->parties.len + 1) * sizeof *key_of);
    if (!key_of) {
        free(jobs);
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    }
    for (size_t p = 0; p < n->parties.len; p++) {
        uint32_t name = NP(n, p)->name, memo = key_of[p] = screen_key(n, p);
        if (!memo && NP(n, p)->key[NET_KEY_NAME])
            goto oom;
        if (map_get(&seen, memo) != UINT32_MAX)
            continue;
        if (nj == cap) {
            name_job *g = xrealloc_array(jobs, cap * 2, sizeof *jobs);
            if (!g)
                goto oom;
            jobs = g;
            cap *= 2;
        }
        memset(&jobs[nj], 0, sizeof jobs[nj]);
        jobs[nj].name = name;
        if (!map_put(&seen, memo, (uint32_t)nj))
            goto oom;
        nj++;
    }
    screen_ctx c = {n, jobs, nj, 0, PTHREAD_MUTEX_INITIALIZER, CORDON_OK, {0}};
    pthread_t th[16];
    int nt = n->opt.threads > 16 ? 16 : n->opt.threads, started = 0;
    for (int t = 1; t < nt; t++)
        if (pthread_create(&th[started], NULL, screen_worker, &c) == 0)
            started++;
    screen_worker(&c);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    n->stats.distinct_names = nj;
    n->stats.screen_calls = nj;
    /* entity -> listed edges, one per listed entry, best score */
    for (size_t p = 0; p < n->parties.len && !st; p++) {
        name_job *j = &jobs[map_get(&seen, key_of[p])];
        for (size_t h = 0; h < j->n_hits && !st; h++) {
            uint32_t l = listed_node(n, by_key, j->hit[h].entity, a);
            cordon_arena_reset(a);
            if (l == UINT32_MAX)
                continue;
            uint32_t matched = ns_intern(&n->s, j->hit[h].matched, strlen(j->hit[h].matched));
            if (add_listed_edge(n, NP(n, p)->entity, l, EDGE_LISTED, 0, matched, j->hit[h].score))
                goto oom;
        }
    }
    free(jobs);
    free(key_of);
    map_free(&seen);
    return st;
oom:
    free(jobs);
    free(key_of);
    map_free(&seen);
    return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
}

typedef struct lkey { uint32_t key; uint32_t entity; uint8_t attr; } lkey;

static int cmp_lkey(const void *x, const void *y)
{
    const lkey *a = x, *b = y;
    return (a->key > b->key) - (a->key < b->key);
}

/* Phones, e-mails, IMO numbers and addresses of listed entries, normalised like party keys. */
static cordon_status listed_contacts(cordon_net *n, u32map *by_key, cordon_arena *a,
                                     cordon_error *err)
{
    vec keys;
    vec_init(&keys, sizeof(lkey));
    size_t ne = cordon_engine_entity_count(n->engine);
    for (size_t i = 0; i < ne; i++) {
        cordon_entity ent;
        cordon_arena_reset(a);
        if (cordon_engine_entity(n->engine, i, a, &ent) != CORDON_OK)
            continue;
        const char *cc = ent.n_nationalities ? ent.nationalities[0] : NULL;
        for (size_t k = 0; k < ent.n_ids + ent.n_addresses; k++) {
            lkey lk = {0, (uint32_t)i, 0};
            uint32_t dom;
            if (k < ent.n_ids) {
                const cordon_identifier *id = &ent.ids[k];
                if (id->type == CORDON_ID_PHONE)
                    lk = (lkey){net_norm_phone(&n->s, id->value, id->country ? id->country : cc),
                                (uint32_t)i, NET_KEY_PHONE};
                else if (id->type == CORDON_ID_EMAIL)
                    lk = (lkey){net_norm_email(&n->s, id->value, &dom), (uint32_t)i, NET_KEY_EMAIL};
                else if (id->type == CORDON_ID_IMO)
                    lk = (lkey){net_norm_imo(&n->s, id->value), (uint32_t)i, NET_KEY_IMO};
            } else {
                const cordon_address *ad = &ent.addresses[k - ent.n_ids];
                if (ad->text && strlen(ad->text) < 512)
                    lk = (lkey){net_norm_address(&n->s, ad->text, ad->country), (uint32_t)i,
                                NET_KEY_ADDRESS};
            }
            lkey *slot = lk.key ? vec_push(&keys) : NULL;
            if (slot)
                *slot = lk;
        }
    }
    if (keys.len)
        qsort(keys.data, keys.len, sizeof(lkey), cmp_lkey);
    cordon_status st = CORDON_OK;
    static const int attrs[] = {NET_KEY_PHONE, NET_KEY_EMAIL, NET_KEY_IMO, NET_KEY_ADDRESS};
    for (size_t p = 0; p < n->parties.len && !st; p++)
        for (size_t k = 0; k < ARRAY_LEN(attrs) && !st; k++) {
            lkey probe = {NP(n, p)->key[attrs[k]], 0, 0};
            if (!probe.key || !keys.len)
                continue;
            lkey *hit = bsearch(&probe, keys.data, keys.len, sizeof(lkey), cmp_lkey);
            if (!hit)
                continue;
            while (hit > (lkey *)keys.data && hit[-1].key == probe.key)
                hit--;
            for (; hit < (lkey *)keys.data + keys.len && hit->key == probe.key; hit++) {
                uint32_t l = listed_node(n, by_key, hit->entity, a);
                if (l != UINT32_MAX && add_listed_edge(n, NP(n, p)->entity, l, EDGE_LISTED_CONTACT,
                                                       (uint8_t)attrs[k], probe.key, 1.0))
                    st = err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
            }
        }
    vec_free(&keys);
    return st;
}

cordon_status net_screen(cordon_net *n, cordon_error *err)
{
    if (!n->engine || n->opt.no_screen)
        return CORDON_OK;
    uint64_t t0 = now_ns();
    u32map by_key = {0};
    cordon_arena *a = cordon_arena_new();
    if (!a)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    cordon_status st = screen_names(n, &by_key, a, err);
    if (!st)
        st = listed_contacts(n, &by_key, a, err);
    cordon_arena_free(a);
    map_free(&by_key);
    n->stats.ms_screen = (double)(now_ns() - t0) / 1e6;
    return st;
}

cordon_status net_classify_goods(cordon_net *n, cordon_error *err)
{
    if (!n->goods || n->opt.no_goods)
        return CORDON_OK;
    u32map memo = {0};
    cordon_arena *a = cordon_arena_new();
    if (!a)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    cordon_status st = CORDON_OK;
    for (size_t t = 0; t < n->tx.len && !st; t++) {
        net_tx *tx = NT(n, t);
        for (uint32_t k = 0; k < tx->n_lines && !st; k++) {
            net_line *l = &VEC_AT(&n->lines, net_line, tx->line0 + k);
            if (!l->desc && !l->hs)
                continue;
            char key[NET_MAX_FIELD * 2 + 16];
            int kl = snprintf(key, sizeof key, "%s\x1f%s\x1f%s", NS(n, l->desc), NS(n, l->hs),
                              NS(n, tx->dest));
            uint32_t kid = ns_intern(&n->s, key, (size_t)kl);
            uint32_t m = map_get(&memo, kid);
            if (m == UINT32_MAX) {
                net_goods_memo gm = {kid, false, false, 0, 0, 0, 0, 0};
                cordon_goods_query q = {0};
                q.text = NS(n, l->desc);
                q.hs = l->hs ? NS(n, l->hs) : NULL;
                q.destination = tx->dest ? NS(n, tx->dest) : NULL;
                q.threshold = -1;
                q.limit = 1;
                cordon_goods_result r;
                cordon_error ge = {0};
                cordon_arena_reset(a);
                n->stats.goods_calls++;
                if (cordon_goods_classify(n->goods, &q, a, &r, &ge) == CORDON_OK) {
                    gm.controlled = r.controlled;
                    if (r.n_candidates) {
                        const cordon_goods_candidate *c = &r.candidates[0];
                        gm.regime = ns_intern(&n->s, c->regime, strlen(c->regime));
                        gm.code = ns_intern(&n->s, c->code, strlen(c->code));
                        gm.title = ns_intern(&n->s, c->title, strlen(c->title) > 120 ? 120 : strlen(c->title));
                        gm.score = c->score;
                    }
                    for (size_t p = 0; p < r.n_prohibitions; p++)
                        if (strcmp(r.prohibitions[p].direction, "export") != 0) {
                            gm.prohibited = true;
                            gm.citation = ns_intern(&n->s, r.prohibitions[p].citation,
                                                    strlen(r.prohibitions[p].citation));
                            break;
                        }
                }
                net_goods_memo *slot = vec_push(&n->goodsmemo);
                if (!slot || !map_put(&memo, kid, (uint32_t)n->goodsmemo.len - 1)) {
                    st = err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
                    break;
                }
                *slot = gm;
                m = (uint32_t)n->goodsmemo.len - 1;
            }
            l->goods = (int32_t)m;
        }
    }
    cordon_arena_free(a);
    map_free(&memo);
    return st;
}
