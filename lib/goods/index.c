/* index.c - the string map and the Aho-Corasick automaton over token ids that find every
 * vocabulary term, abbreviation and chemical name of a description in one pass. */
#include "goods.h"

#include <stdlib.h>

/* ---- string map ---------------------------------------------------------------------- */

static uint64_t key_hash(const char *s, size_t n) { return hash_bytes(s, n); }

static bool smap_grow(smap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    const char **keys = calloc(cap, sizeof *keys);
    uint32_t *vals = calloc(cap, sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->keys[i])
            continue;
        size_t j = key_hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
        while (keys[j])
            j = (j + 1) & (cap - 1);
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return true;
}

bool smap_put(smap *m, const char *key, uint32_t val)
{
    if ((m->n + 1) * 2 > m->cap && !smap_grow(m))
        return false;
    size_t klen = strlen(key);
    size_t j = key_hash(key, klen) & (m->cap - 1);
    while (m->keys[j]) {
        if (strcmp(m->keys[j], key) == 0) {
            m->vals[j] = val;
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    m->keys[j] = key;
    m->vals[j] = val;
    m->n++;
    return true;
}

bool smap_get(const smap *m, const char *key, size_t klen, uint32_t *val)
{
    if (!m->cap)
        return false;
    size_t j = key_hash(key, klen) & (m->cap - 1);
    while (m->keys[j]) {
        if (strncmp(m->keys[j], key, klen) == 0 && m->keys[j][klen] == '\0') {
            *val = m->vals[j];
            return true;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return false;
}

void smap_free(smap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

/* ---- Aho-Corasick over token ids ------------------------------------------------------ */

#define AC_ROOT 0u
#define AC_NONE UINT32_MAX

struct ac_automaton {
    /* goto function: open-addressing table keyed by (state << 32 | token) */
    uint64_t *gkeys;
    uint32_t *gvals;
    size_t gcap;
    uint32_t *fail;     /* failure link per state */
    uint32_t *dict;     /* nearest state along failure links with outputs, or AC_NONE */
    uint32_t *out_head; /* first pattern ending here, index into out_pat, or AC_NONE */
    uint32_t *out_pat;  /* pattern ids */
    uint32_t *out_next; /* next in the state's list, or AC_NONE */
    size_t n_states, n_out;
};

static size_t gslot(const ac_automaton *ac, uint64_t key)
{
    uint64_t h = key * 0x9E3779B97F4A7C15ull;
    return (size_t)(h ^ (h >> 29)) & (ac->gcap - 1);
}

static uint32_t ac_goto(const ac_automaton *ac, uint32_t s, uint32_t tok)
{
    uint64_t key = ((uint64_t)s << 32) | tok;
    size_t j = gslot(ac, key);
    while (ac->gvals[j] != AC_NONE) {
        if (ac->gkeys[j] == key)
            return ac->gvals[j];
        j = (j + 1) & (ac->gcap - 1);
    }
    return AC_NONE;
}

static void ac_set_goto(ac_automaton *ac, uint32_t s, uint32_t tok, uint32_t next)
{
    uint64_t key = ((uint64_t)s << 32) | tok;
    size_t j = gslot(ac, key);
    while (ac->gvals[j] != AC_NONE)
        j = (j + 1) & (ac->gcap - 1);
    ac->gkeys[j] = key;
    ac->gvals[j] = next;
}

void ac_free(ac_automaton *ac)
{
    if (!ac)
        return;
    free(ac->gkeys);
    free(ac->gvals);
    free(ac->fail);
    free(ac->dict);
    free(ac->out_head);
    free(ac->out_pat);
    free(ac->out_next);
    free(ac);
}

/* Edges of the trie in creation order, to compute failure links breadth first. */
typedef struct ac_edge {
    uint32_t parent, tok, child, depth;
} ac_edge;

static int edge_by_depth(const void *a, const void *b)
{
    const ac_edge *x = a, *y = b;
    if (x->depth != y->depth)
        return x->depth < y->depth ? -1 : 1;
    return x->child < y->child ? -1 : x->child > y->child;
}

static bool ac_alloc(ac_automaton *ac, size_t max_states, size_t n_pats)
{
    ac->gcap = 64;
    while (ac->gcap < max_states * 2)
        ac->gcap *= 2;
    ac->gkeys = calloc(ac->gcap, sizeof *ac->gkeys);
    ac->gvals = malloc(ac->gcap * sizeof *ac->gvals);
    ac->fail = calloc(max_states, sizeof *ac->fail);
    ac->dict = malloc(max_states * sizeof *ac->dict);
    ac->out_head = malloc(max_states * sizeof *ac->out_head);
    ac->out_pat = malloc((n_pats + 1) * sizeof *ac->out_pat);
    ac->out_next = malloc((n_pats + 1) * sizeof *ac->out_next);
    if (!ac->gkeys || !ac->gvals || !ac->fail || !ac->dict || !ac->out_head || !ac->out_pat ||
        !ac->out_next)
        return false;
    memset(ac->gvals, 0xff, ac->gcap * sizeof *ac->gvals);
    memset(ac->dict, 0xff, max_states * sizeof *ac->dict);
    memset(ac->out_head, 0xff, max_states * sizeof *ac->out_head);
    return true;
}

/* Builds the trie; returns the edges (malloc'd) or NULL on OOM. */
static ac_edge *ac_trie(ac_automaton *ac, const uint32_t *const *pats, const uint8_t *lens,
                        size_t n_pats, size_t *n_edges)
{
    size_t max_states = 1;
    for (size_t i = 0; i < n_pats; i++)
        max_states += lens[i];
    ac_edge *edges = malloc(max_states * sizeof *edges);
    if (!edges)
        return NULL;
    ac->n_states = 1;
    *n_edges = 0;
    for (size_t p = 0; p < n_pats; p++) {
        uint32_t s = AC_ROOT;
        for (size_t k = 0; k < lens[p]; k++) {
            uint32_t next = ac_goto(ac, s, pats[p][k]);
            if (next == AC_NONE) {
                next = (uint32_t)ac->n_states++;
                ac_set_goto(ac, s, pats[p][k], next);
                edges[(*n_edges)++] = (ac_edge){s, pats[p][k], next, (uint32_t)k + 1};
            }
            s = next;
        }
        ac->out_pat[ac->n_out] = (uint32_t)p;
        ac->out_next[ac->n_out] = ac->out_head[s];
        ac->out_head[s] = (uint32_t)ac->n_out++;
    }
    return edges;
}

ac_automaton *ac_build(const uint32_t *const *pats, const uint8_t *lens, size_t n_pats,
                       cordon_error *err)
{
    ac_automaton *ac = calloc(1, sizeof *ac);
    size_t max_states = 1;
    for (size_t i = 0; i < n_pats; i++)
        max_states += lens[i];
    if (!ac || !ac_alloc(ac, max_states, n_pats)) {
        ac_free(ac);
        err_set(err, CORDON_ERR_NOMEM, "goods: out of memory building the term automaton");
        return NULL;
    }
    size_t n_edges = 0;
    ac_edge *edges = ac_trie(ac, pats, lens, n_pats, &n_edges);
    if (!edges) {
        ac_free(ac);
        err_set(err, CORDON_ERR_NOMEM, "goods: out of memory building the term automaton");
        return NULL;
    }
    qsort(edges, n_edges, sizeof *edges, edge_by_depth);
    for (size_t i = 0; i < n_edges; i++) {
        uint32_t s = edges[i].child, p = edges[i].parent, t = edges[i].tok;
        uint32_t f = AC_ROOT;
        if (p != AC_ROOT) {
            f = ac->fail[p];
            while (f != AC_ROOT && ac_goto(ac, f, t) == AC_NONE)
                f = ac->fail[f];
            uint32_t g = ac_goto(ac, f, t);
            f = (g != AC_NONE && g != s) ? g : AC_ROOT;
        }
        ac->fail[s] = f;
        ac->dict[s] = ac->out_head[f] != AC_NONE ? f : ac->dict[f];
    }
    free(edges);
    return ac;
}

uint32_t ac_step(const ac_automaton *ac, uint32_t s, uint32_t tok)
{
    if (tok == 0)
        return AC_ROOT;
    for (;;) {
        uint32_t g = ac_goto(ac, s, tok);
        if (g != AC_NONE)
            return g;
        if (s == AC_ROOT)
            return AC_ROOT;
        s = ac->fail[s];
    }
}

void ac_outputs(const ac_automaton *ac, uint32_t s, void (*fn)(void *ctx, uint32_t pat),
                void *ctx)
{
    for (uint32_t st = s; st != AC_NONE && st != AC_ROOT; st = ac->dict[st])
        for (uint32_t o = ac->out_head[st]; o != AC_NONE; o = ac->out_next[o])
            fn(ctx, ac->out_pat[o]);
}

size_t ac_states(const ac_automaton *ac) { return ac->n_states; }
