/* subentry.c - which sub-entry of a found entry the description is.
 *
 * The vocabulary often names an entry that has sub-entries ("liquid propellant pump" finds
 * 9A106, whose sub-entries are valves, pumps, ...). The sub-entry the description fits is the
 * better answer: the one whose own words, those its parent does not have, the description
 * uses ("glass-lined" for 2B350.a.3 under reactor vessels). When one sub-entry's words set it
 * clearly apart from its siblings, it takes the entry's place in the ranking (its score, so
 * nothing is flagged that was not) and the entry drops just below; when nothing tells the
 * sub-entries apart, the entry stays. */
#include "classify.h"

#include <math.h>
#include <stdlib.h>

#define SUB_MIN_IDF 1.0     /* telling words only: in a few dozen entries at most */
#define SUB_MIN_SCORE 3.0   /* the distinguishing words of the chosen sub-entry weigh this */
#define SUB_MARGIN 1.5      /* over the next sibling */
#define SUB_DEMOTE 0.97     /* the entry, under the sub-entry that takes its place */
#define SUB_DEPTH 4
#define SUB_MAX_QUERY 64
#define SUB_QUALIFIER_W 0.5 /* a word after "with" or "for": what the item has or serves */

static int id_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static bool own_word(const goods_token *t)
{
    size_t n = strlen(t->norm);
    if (n < 3 || t->number)
        return false;
    for (size_t i = 0; i < n; i++)
        if (t->norm[i] >= '0' && t->norm[i] <= '9')
            return false;
    return true;
}

/* Each entry's own telling words (its text and title, not its ancestors'), as sorted word ids
 * of the entries'-text index. */
cordon_status goods_subentry_index(cordon_goods *g, cordon_error *err)
{
    enum { CAP = 2048 };
    goods_token *tok = malloc(CAP * sizeof *tok);
    uint32_t *ids = malloc(CAP * sizeof *ids);
    g->own_start = arena_alloc(g->arena, (g->n_entries + 1) * sizeof *g->own_start);
    size_t cap = 65536, n_all = 0;
    uint32_t *all = malloc(cap * sizeof *all);
    if (!tok || !ids || !g->own_start || !all)
        goto oom;
    for (size_t i = 0; i < g->n_entries; i++) {
        const goods_entry *e = &g->entries[i];
        g->own_start[i] = (uint32_t)n_all;
        size_t n = 0, ni = 0;
        if (e->text)
            n = goods_tokenize(e->text, strlen(e->text), tok, CAP);
        if (e->title && n < CAP)
            n += goods_tokenize(e->title, strlen(e->title), tok + n, CAP - n);
        for (size_t k = 0; k < n; k++) {
            uint32_t id;
            if (own_word(&tok[k]) &&
                smap_get(&g->text_words, tok[k].norm, strlen(tok[k].norm), &id) &&
                g->text_idf[id] >= SUB_MIN_IDF)
                ids[ni++] = id;
        }
        qsort(ids, ni, sizeof *ids, id_cmp);
        for (size_t k = 0; k < ni; k++) {
            if (k && ids[k] == ids[k - 1])
                continue;
            if (n_all == cap) {
                cap *= 2;
                uint32_t *q = realloc(all, cap * sizeof *all);
                if (!q)
                    goto oom;
                all = q;
            }
            all[n_all++] = ids[k];
        }
    }
    g->own_start[g->n_entries] = (uint32_t)n_all;
    g->own_words = arena_alloc(g->arena, (n_all + 1) * sizeof *g->own_words);
    if (!g->own_words)
        goto oom;
    memcpy(g->own_words, all, n_all * sizeof *all);
    /* the aliases' words, as ids of the same index; a word the lists do not have as a telling
     * word is an error in the vocabulary */
    g->alias_start = arena_alloc(g->arena, (g->n_alias + 1) * sizeof *g->alias_start);
    size_t n_ids = 0;
    for (size_t a = 0; a < g->n_alias && g->alias_start; a++) {
        g->alias_start[a] = (uint32_t)n_ids;
        size_t n = goods_tokenize(g->alias_to[a], strlen(g->alias_to[a]), tok, CAP);
        for (size_t k = 0; k < n; k++) {
            uint32_t id;
            if (!own_word(&tok[k]) ||
                !smap_get(&g->text_words, tok[k].norm, strlen(tok[k].norm), &id) ||
                g->text_idf[id] < SUB_MIN_IDF) {
                cordon_status st = err_set(err, CORDON_ERR_PARSE, "vocabulary.tsv: alias word "
                                           "\"%s\" is no telling word of the lists",
                                           tok[k].norm);
                free(tok);
                free(ids);
                free(all);
                return st;
            }
            if (n_ids < CAP)
                ids[n_ids++] = id; /* ids is free again: the own words were copied */
        }
    }
    if (!g->alias_start)
        goto oom;
    g->alias_start[g->n_alias] = (uint32_t)n_ids;
    g->alias_ids = arena_alloc(g->arena, (n_ids + 1) * sizeof *g->alias_ids);
    if (!g->alias_ids)
        goto oom;
    memcpy(g->alias_ids, ids, n_ids * sizeof *ids);
    free(tok);
    free(ids);
    free(all);
    return CORDON_OK;
oom:
    free(tok);
    free(ids);
    free(all);
    return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory indexing the sub-entries");
}

static bool has_id(const uint32_t *a, size_t n, uint32_t id)
{
    return bsearch(&id, a, n, sizeof *a, id_cmp) != NULL;
}

typedef struct query_words {
    uint32_t id[SUB_MAX_QUERY];
    const char *word[SUB_MAX_QUERY]; /* as the description's tokens fold it */
    double w[SUB_MAX_QUERY];         /* SUB_QUALIFIER_W after "with"/"for" in its clause, 1 */
    size_t n;
} query_words;

/* Adds a word of the description (or an alias's word, shown as the buyer's) once. */
static void add_word(query_words *q, uint32_t id, const char *word, double w)
{
    size_t k = 0;
    while (k < q->n && q->id[k] != id)
        k++;
    if (k < q->n) {
        q->w[k] = w > q->w[k] ? w : q->w[k];
        return;
    }
    if (q->n == SUB_MAX_QUERY)
        return;
    q->word[q->n] = word;
    q->w[q->n] = w;
    q->id[q->n++] = id;
}

static bool own_has(const cordon_goods *g, uint32_t e, uint32_t id)
{
    return has_id(g->own_words + g->own_start[e], g->own_start[e + 1] - g->own_start[e], id);
}

/* Whether the description's word k is one of entry e's own words and none of its ancestors'
 * (those name what all the sub-entries are). */
static bool sets_apart(const cordon_goods *g, const query_words *q, size_t k, uint32_t e)
{
    if (!own_has(g, e, q->id[k]))
        return false;
    for (int32_t a = g->entries[e].parent; a >= 0; a = g->entries[a].parent)
        if (own_has(g, (uint32_t)a, q->id[k]))
            return false;
    return true;
}

/* The idf of the description's words that entry e has and its ancestors do not. */
static double distinguishing(const cordon_goods *g, const query_words *q, uint32_t e)
{
    double s = 0;
    for (size_t k = 0; k < q->n; k++)
        if (sets_apart(g, q, k, e))
            s += q->w[k] * g->text_idf[q->id[k]];
    return s;
}

/* The words that set sub-entry s (below e) apart, for the evidence. */
static const char *apart_words(ctx *x, const query_words *q, uint32_t s, uint32_t e)
{
    const cordon_goods *g = x->g;
    const char *out = "";
    for (size_t k = 0; k < q->n; k++) {
        bool apart = false;
        for (int32_t n = (int32_t)s; n >= 0 && (uint32_t)n != e && !apart;
             n = g->entries[n].parent)
            apart = sets_apart(g, q, k, (uint32_t)n);
        if (apart)
            out = *out ? arena_printf(x->a, "%s %s", out, q->word[k]) : q->word[k];
    }
    return out ? out : "";
}

static bool clause_end(const ctx *x, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to && i < x->len; i++)
        if (strchr(",;:.()\n", x->text[i]))
            return true;
    return false;
}

static cand *find_cand(ctx *x, uint32_t e)
{
    for (size_t i = 0; i < x->n_c; i++)
        if (x->c[i].entry == e)
            return &x->c[i];
    return NULL;
}

static bool missed(const ctx *x, uint32_t e)
{
    for (size_t k = 0; k < x->n_missed; k++)
        if (x->missed[k] == e)
            return true;
    return false;
}

/* A sub-entry the stated values decide against is not a choice. */
static bool excluded(ctx *x, uint32_t e)
{
    const cand *c = find_cand(x, e);
    return (c && c->out) || missed(x, e) || goods_ruled_out(x, e);
}

/* The best score along the sub-entries below e: its own distinguishing words plus the best of
 * its sub-entries'. */
static double subtree(ctx *x, const query_words *q, uint32_t e, int depth)
{
    const cordon_goods *g = x->g;
    double own = distinguishing(g, q, e), best = 0;
    if (depth < SUB_DEPTH && !g->entries[e].conditions)
        for (int32_t c = g->entries[e].first_child; c >= 0; c = g->entries[c].next_sibling) {
            if (excluded(x, (uint32_t)c))
                continue;
            double s = subtree(x, q, (uint32_t)c, depth + 1);
            best = s > best ? s : best;
        }
    return own + best;
}

/* The idf of the words that set entry e apart from its ancestors. */
static double own_weight(const cordon_goods *g, uint32_t e)
{
    double s = 0;
    for (uint32_t k = g->own_start[e]; k < g->own_start[e + 1]; k++) {
        bool apart = true;
        for (int32_t a = g->entries[e].parent; a >= 0 && apart; a = g->entries[a].parent)
            apart = !own_has(g, (uint32_t)a, g->own_words[k]);
        if (apart)
            s += g->text_idf[g->own_words[k]];
    }
    return s;
}

/* Sub-entries whose words the description uses equally ("nickel" in "alloys with more than
 * 25 % nickel and 20 % chromium" and in "nickel or alloys with more than 40 % nickel"): the
 * one those words describe more fully, when clearly so (a leaf only), or -1. */
static int32_t fullest_of_tied(ctx *x, const query_words *q, uint32_t e, double b1, int depth)
{
    const cordon_goods *g = x->g;
    int32_t best = -1;
    double c1 = 0, c2 = 0;
    for (int32_t c = g->entries[e].first_child; c >= 0; c = g->entries[c].next_sibling) {
        if (excluded(x, (uint32_t)c))
            continue;
        double s = subtree(x, q, (uint32_t)c, depth + 1);
        if (b1 - s > 1e-9)
            continue;
        double w = own_weight(g, (uint32_t)c);
        double cov = g->entries[c].first_child < 0 && w > 0 ? s / w : 0;
        if (cov > c1) {
            c2 = c1;
            c1 = cov;
            best = c;
        } else if (cov > c2) {
            c2 = cov;
        }
    }
    return best >= 0 && c1 >= SUB_MARGIN * c2 ? best : -1;
}

/* The sub-entry below e the description's words single out, or -1: at each level the child
 * whose words weigh clearly more than its siblings'. */
static int32_t choose(ctx *x, const query_words *q, uint32_t e)
{
    const cordon_goods *g = x->g;
    int32_t chosen = -1;
    /* the sub-entries of "having all of the following" are conditions, not kinds */
    for (int depth = 0; depth < SUB_DEPTH && !g->entries[e].conditions; depth++) {
        int32_t best = -1;
        double b1 = 0, b2 = 0;
        for (int32_t c = g->entries[e].first_child; c >= 0; c = g->entries[c].next_sibling) {
            if (excluded(x, (uint32_t)c))
                continue;
            double s = subtree(x, q, (uint32_t)c, depth + 1);
            if (s > b1) {
                b2 = b1;
                b1 = s;
                best = c;
            } else if (s > b2) {
                b2 = s;
            }
        }
        if (best >= 0 && b1 >= SUB_MIN_SCORE && b1 < SUB_MARGIN * b2 && b1 - b2 < 1e-9)
            best = fullest_of_tied(x, q, e, b1, depth);
        else if (b1 < SUB_MARGIN * b2)
            best = -1;
        if (best < 0 || b1 < SUB_MIN_SCORE)
            break;
        if (g->entries[best].selectable)
            chosen = best;
        e = (uint32_t)best;
    }
    return chosen;
}

/* A sub-entry of e already ranks with it (a stated value met its threshold, or its own
 * term named it): the evidence has chosen. */
static bool decided_below(const ctx *x, uint32_t e, double score)
{
    const cordon_goods *g = x->g;
    for (size_t j = 0; j < x->n_c; j++) {
        if (x->c[j].score < score)
            continue;
        for (int32_t a = g->entries[x->c[j].entry].parent; a >= 0; a = g->entries[a].parent)
            if ((uint32_t)a == e)
                return true;
    }
    return false;
}

void goods_choose_subentries(ctx *x)
{
    const cordon_goods *g = x->g;
    if (!g->own_words)
        return;
    query_words q = {.n = 0};
    bool qualifier = false;
    for (size_t i = 0; i < x->n_tok && q.n < SUB_MAX_QUERY; i++) {
        static const char *const quals[] = {"with", "for", "incl", "including", "plus", "w"};
        if (i && clause_end(x, x->tok[i - 1].end, x->tok[i].start))
            qualifier = false;
        for (size_t k = 0; k < ARRAY_LEN(quals) && !qualifier; k++)
            qualifier = strcmp(x->tok[i].norm, quals[k]) == 0;
        double w = qualifier ? SUB_QUALIFIER_W : 1.0;
        uint32_t id, al;
        if (smap_get(&g->alias_index, x->tok[i].norm, strlen(x->tok[i].norm), &al))
            for (uint32_t k = g->alias_start[al]; k < g->alias_start[al + 1] && q.n < SUB_MAX_QUERY;
                 k++)
                add_word(&q, g->alias_ids[k], x->tok[i].norm, w);
        if (!own_word(&x->tok[i]) ||
            !smap_get(&g->text_words, x->tok[i].norm, strlen(x->tok[i].norm), &id) ||
            g->text_idf[id] < SUB_MIN_IDF)
            continue;
        add_word(&q, id, x->tok[i].norm, w);
    }
    if (!q.n)
        return;
    size_t n = x->n_c; /* candidates created below are not refined again */
    for (size_t i = 0; i < n && !x->failed; i++) {
        uint32_t e = x->c[i].entry;
        double score = x->c[i].score;
        if (g->entries[e].first_child < 0 || x->c[i].out || score <= 0.0005)
            continue;
        bool own = false;
        for (size_t k = 0; k < x->c[i].n_ev && !own; k++)
            own = x->c[i].ev[k].w > 0 && strcmp(x->c[i].ev[k].kind, "text") != 0;
        if (!own)
            continue;
        if (decided_below(x, e, score))
            continue;
        int32_t s = choose(x, &q, e);
        if (s < 0)
            continue;
        /* chosen for words of its sub-entries that did not single one out: not a choice */
        const char *words = apart_words(x, &q, (uint32_t)s, e);
        if (!*words)
            continue;
        /* the entry's evidence is the sub-entry's too (not its values: they were compared
         * with the sub-entries already); x->c may move while it grows */
        for (size_t k = 0; k < x->c[i].n_ev && !x->failed; k++) {
            ev cp = x->c[i].ev[k];
            if (cp.w > 0 && strcmp(cp.kind, "value") != 0 && strcmp(cp.kind, "text") != 0)
                goods_add_ev(x, (uint32_t)s, cp.kind, cp.matched, cp.detail, cp.w, cp.key);
        }
        goods_add_ev(x, (uint32_t)s, "text", words,
                     arena_printf(x->a, "the words \"%s\" set %s apart from the other "
                                  "sub-entries of %s", words, g->entries[s].code,
                                  g->entries[e].code),
                     0, 0x30000000u);
        cand *sc = find_cand(x, (uint32_t)s);
        if (!sc)
            continue;
        sc->score = score;
        x->c[i].score = score * SUB_DEMOTE;
    }
}
