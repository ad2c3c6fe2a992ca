/* cache.c - a bounded, thread-safe memo of party screening and goods classification results. Counterparties recur
 * across a book of transactions (the same buyers, banks, forwarders and vessels), and
 * screening a name is the dearest step of a check. Entries are never evicted (the cache
 * simply stops growing when full), so a pointer handed out stays valid until pcache_free. */
#include "risk.h"

#include <pthread.h>
#include <stdlib.h>

#define SHARDS 16
#define SLOTS 4096

typedef struct centry {
    uint64_t h;
    const char *key;
    size_t keylen;
    cordon_hit *hits;
    size_t n;
    cordon_goods_result *goods; /* for goods entries */
    struct centry *next;
} centry;

typedef struct shard {
    pthread_mutex_t mu;
    centry *slots[SLOTS];
    size_t count;
    cordon_arena *a;
} shard;

struct party_cache {
    shard sh[SHARDS];
    size_t max_per_shard;
};

static char *dup0(cordon_arena *a, const char *s)
{
    return s ? arena_strdup(a, s) : NULL;
}

party_cache *pcache_new(size_t max_entries)
{
    if (max_entries == 0)
        return NULL;
    party_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max_per_shard = max_entries / SHARDS + 1;
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&c->sh[i].mu, NULL);
        if (!(c->sh[i].a = cordon_arena_new())) {
            pcache_free(c);
            return NULL;
        }
    }
    return c;
}

void pcache_free(party_cache *c)
{
    if (!c)
        return;
    for (int i = 0; i < SHARDS; i++) {
        cordon_arena_free(c->sh[i].a);
        pthread_mutex_destroy(&c->sh[i].mu);
    }
    free(c);
}

static centry *find(shard *s, uint64_t h, const char *key, size_t len)
{
    for (centry *e = s->slots[(h >> 4) % SLOTS]; e; e = e->next)
        if (e->h == h && e->keylen == len && memcmp(e->key, key, len) == 0)
            return e;
    return NULL;
}

int pcache_get(party_cache *c, const char *key, size_t len, cordon_result *out)
{
    if (!c)
        return 0;
    uint64_t h = hash_bytes(key, len);
    shard *s = &c->sh[h % SHARDS];
    pthread_mutex_lock(&s->mu);
    centry *e = find(s, h, key, len);
    pthread_mutex_unlock(&s->mu);
    if (!e || e->goods)
        return 0;
    memset(out, 0, sizeof *out);
    out->hits = e->hits;
    out->n_hits = e->n;
    return 1;
}

/* Copies what the rules and the report read: source, id, type, first name, regimes, the
 * matched name and the scores. Explanations (tokens, features) are not kept. */
static int copy_hit(cordon_arena *a, cordon_hit *dst, const cordon_hit *src)
{
    memset(dst, 0, sizeof *dst);
    dst->entity_index = src->entity_index;
    dst->matched_kind = src->matched_kind;
    dst->score = src->score;
    dst->name_score = src->name_score;
    dst->matched_name = src->matched_name ? arena_strdup(a, src->matched_name) : NULL;
    dst->entity.type = src->entity.type;
    dst->entity.source = src->entity.source ? arena_strdup(a, src->entity.source) : NULL;
    dst->entity.source_id = src->entity.source_id ? arena_strdup(a, src->entity.source_id) : NULL;
    if (src->entity.n_names) {
        cordon_name *nm = arena_alloc(a, sizeof *nm);
        if (!nm)
            return -1;
        nm->kind = src->entity.names[0].kind;
        nm->full = arena_strdup(a, src->entity.names[0].full);
        dst->entity.names = nm;
        dst->entity.n_names = 1;
    }
    if (src->entity.n_regimes) {
        const char **r = arena_alloc(a, src->entity.n_regimes * sizeof *r);
        if (!r)
            return -1;
        for (size_t i = 0; i < src->entity.n_regimes; i++)
            r[i] = arena_strdup(a, src->entity.regimes[i]);
        dst->entity.regimes = r;
        dst->entity.n_regimes = src->entity.n_regimes;
    }
    return 0;
}

void pcache_put(party_cache *c, const char *key, size_t len, const cordon_result *r)
{
    if (!c)
        return;
    uint64_t h = hash_bytes(key, len);
    shard *s = &c->sh[h % SHARDS];
    pthread_mutex_lock(&s->mu);
    if (s->count < c->max_per_shard && !find(s, h, key, len)) {
        centry *e = arena_alloc(s->a, sizeof *e);
        cordon_hit *hits = r->n_hits ? arena_alloc(s->a, r->n_hits * sizeof *hits) : NULL;
        char *k = arena_strndup(s->a, key, len);
        int ok = e && k && (!r->n_hits || hits);
        for (size_t i = 0; ok && i < r->n_hits; i++)
            ok = copy_hit(s->a, &hits[i], &r->hits[i]) == 0;
        if (ok) {
            e->h = h;
            e->key = k;
            e->keylen = len;
            e->hits = hits;
            e->n = r->n_hits;
            e->next = s->slots[(h >> 4) % SLOTS];
            s->slots[(h >> 4) % SLOTS] = e;
            s->count++;
        }
    }
    pthread_mutex_unlock(&s->mu);
}

/* ---- goods lines: the same memo keyed by description, HS code, destination and origin ---- */

int pcache_get_goods(party_cache *c, const char *key, size_t len, cordon_goods_result *out)
{
    if (!c)
        return 0;
    uint64_t h = hash_bytes(key, len) ^ 0x9e3779b97f4a7c15ull;
    shard *s = &c->sh[h % SHARDS];
    pthread_mutex_lock(&s->mu);
    centry *e = find(s, h, key, len);
    pthread_mutex_unlock(&s->mu);
    if (!e || !e->goods)
        return 0;
    *out = *e->goods;
    return 1;
}

/* Copies what the rules and the report read; the candidates' evidence is not kept. */
static cordon_goods_result *copy_goods(cordon_arena *a, const cordon_goods_result *r)
{
    cordon_goods_result *g = arena_alloc(a, sizeof *g);
    if (!g)
        return NULL;
    *g = *r;
    g->destination = dup0(a, r->destination);
    g->origin = dup0(a, r->origin);
    cordon_goods_hs *hs = &g->hs;
    hs->code = dup0(a, r->hs.code);
    hs->description = dup0(a, r->hs.description);
    hs->chapter = dup0(a, r->hs.chapter);
    hs->chapter_description = dup0(a, r->hs.chapter_description);
    hs->section = dup0(a, r->hs.section);
    hs->section_name = dup0(a, r->hs.section_name);
    hs->inferred = dup0(a, r->hs.inferred);
    hs->conflict = dup0(a, r->hs.conflict);
    cordon_goods_candidate *cs = r->n_candidates ? arena_alloc(a, r->n_candidates * sizeof *cs) : NULL;
    if (r->n_candidates && !cs)
        return NULL;
    for (size_t i = 0; i < r->n_candidates; i++) {
        const cordon_goods_candidate *src = &r->candidates[i];
        cordon_goods_candidate *d = &cs[i];
        *d = *src;
        d->regime = dup0(a, src->regime);
        d->list = dup0(a, src->list);
        d->code = dup0(a, src->code);
        d->title = dup0(a, src->title);
        d->heading = dup0(a, src->heading);
        d->document = dup0(a, src->document);
        d->edition = dup0(a, src->edition);
        d->file = dup0(a, src->file);
        d->evidence = NULL;
        d->n_evidence = 0;
    }
    g->candidates = cs;
    cordon_goods_prohibition *ps = r->n_prohibitions ? arena_alloc(a, r->n_prohibitions * sizeof *ps) : NULL;
    if (r->n_prohibitions && !ps)
        return NULL;
    for (size_t i = 0; i < r->n_prohibitions; i++) {
        const cordon_goods_prohibition *src = &r->prohibitions[i];
        cordon_goods_prohibition *d = &ps[i];
        *d = *src;
        d->regime = dup0(a, src->regime);
        d->rule = dup0(a, src->rule);
        d->citation = dup0(a, src->citation);
        d->direction = dup0(a, src->direction);
        d->hs = dup0(a, src->hs);
        d->reason = dup0(a, src->reason);
        d->limits = dup0(a, src->limits);
    }
    g->prohibitions = ps;
    return g;
}

void pcache_put_goods(party_cache *c, const char *key, size_t len, const cordon_goods_result *r)
{
    if (!c)
        return;
    uint64_t h = hash_bytes(key, len) ^ 0x9e3779b97f4a7c15ull;
    shard *s = &c->sh[h % SHARDS];
    pthread_mutex_lock(&s->mu);
    if (s->count < c->max_per_shard && !find(s, h, key, len)) {
        centry *e = arena_alloc(s->a, sizeof *e);
        char *k = arena_strndup(s->a, key, len);
        cordon_goods_result *g = e && k ? copy_goods(s->a, r) : NULL;
        if (g) {
            e->h = h;
            e->key = k;
            e->keylen = len;
            e->goods = g;
            e->next = s->slots[(h >> 4) % SLOTS];
            s->slots[(h >> 4) % SLOTS] = e;
            s->count++;
        }
    }
    pthread_mutex_unlock(&s->mu);
}
