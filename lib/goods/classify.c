/* classify.c - one description (+ HS code, destination, origin) to ranked candidate entries
 * with their evidence, the HS reading and the UN DPRK prohibitions that apply.
 *
 * Score of a candidate: evidence weights combine as independent signals,
 *     score = (1 - prod(1 - w_positive)) * prod(1 - w_negative)
 * where positive evidence is a vocabulary term (its weight), a chemical name, a CAS number
 * (1.0), a stated value that meets a threshold (0.35) or a declared HS code that covers the
 * entry (the vocabulary's weight), and negative evidence a stated value below every threshold
 * of its quantity (0.3), stated values that miss every condition of the entry they can be
 * compared with (0.5, thresholds.c) or words that make a controlled reading unlikely ("toy":
 * 0.6).
 * The entries' own words (textrank.c) are a separate, weaker signal: at most TEXT_MAX_W, and
 * the score is the larger of the two, so they rank candidates but never flag an item. */
#include "classify.h"

#include "../lists/reader.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#define TEXT_MAX_W 0.45 /* below the default threshold: the entries' words alone never flag */
#define TEXT_HITS 8
#define REFINE_BASE 0.9 /* a refining sub-entry: 0.90-0.99 of its ancestor's score */
#define REFINE_SPAN 0.09
/* Terms of at most this weight are generic words ("submersible", "biosafety cabinet"): with no
 * stated value that meets a threshold and no more specific term, they rank an entry but do
 * not flag the item, like the entries' own words. */
#define GENERIC_W 0.5
#define GENERIC_MAX_SCORE 0.49 /* below the default threshold */

#define SPAN_KEY 0x01000000u
#define DENIED_W 0.5 /* the buyer denies a feature the entry's title names */


/* ---- candidates and evidence ------------------------------------------------------------ */

static cand *cand_get(ctx *x, uint32_t entry, bool create)
{
    for (size_t i = 0; i < x->n_c; i++)
        if (x->c[i].entry == entry)
            return &x->c[i];
    if (!create)
        return NULL;
    if (x->n_c == x->cap_c) {
        size_t cap = x->cap_c ? x->cap_c * 2 : 32;
        cand *n = arena_alloc(x->a, cap * sizeof *n);
        if (!n) {
            x->failed = true;
            return NULL;
        }
        if (x->n_c)
            memcpy(n, x->c, x->n_c * sizeof *n);
        x->c = n;
        x->cap_c = cap;
    }
    cand *c = &x->c[x->n_c++];
    memset(c, 0, sizeof *c);
    c->entry = entry;
    return c;
}

/* Span keys hold the first and last token: "centrifuge rotor" and "rotor tube" in
 * "centrifuge rotor tubes" overlap and count once for an entry they both point to. */
static bool spans_overlap(uint32_t a, uint32_t b)
{
    if (!(a & SPAN_KEY) || !(b & SPAN_KEY))
        return false;
    uint32_t af = (a >> 12) & 0xfff, al = a & 0xfff, bf = (b >> 12) & 0xfff, bl = b & 0xfff;
    return af <= bl && bf <= al;
}

void goods_add_ev(ctx *x, uint32_t entry, const char *kind, const char *matched,
                  const char *detail, double w, uint32_t key)
{
    cand *c = cand_get(x, entry, true);
    if (!c)
        return;
    bool by_span = (key & SPAN_KEY) != 0; /* one piece of text counts once */
    for (size_t i = 0; i < c->n_ev; i++)
        if ((c->ev[i].key == key && (by_span || strcmp(c->ev[i].kind, kind) == 0)) ||
            (by_span && spans_overlap(c->ev[i].key, key))) {
            if (fabs(w) > fabs(c->ev[i].w))
                c->ev[i].w = w;
            return;
        }
    if (c->n_ev == MAX_EVIDENCE)
        return;
    c->ev[c->n_ev++] = (ev){kind, matched, detail, w, key};
}

static const char *span_text(ctx *x, uint32_t first, uint32_t last)
{
    uint32_t s = x->tok[first].start, e = x->tok[last].end;
    return arena_strndup(x->a, x->text + s, e - s);
}

/* "MTCR 3.A.5", "Wassenaar ML4", "CWC Schedule 1.A.1" */
static const char *entry_label(ctx *x, uint32_t i)
{
    static const char *const short_names[REG_COUNT] = {"MTCR", "NSG Part 1", "NSG Part 2",
                                                       "CWC", "Wassenaar", "EU"};
    const goods_entry *e = &x->g->entries[i];
    return arena_printf(x->a, "%s %s", short_names[e->regime], e->code);
}

/* ---- terms: the automaton over the tokens ------------------------------------------------ */

static void on_match(void *vctx, uint32_t pat)
{
    ctx *x = vctx;
    if (x->n_m == x->cap_m) {
        size_t cap = x->cap_m ? x->cap_m * 2 : 32;
        match *n = arena_alloc(x->a, cap * sizeof *n);
        if (!n) {
            x->failed = true;
            return;
        }
        if (x->n_m)
            memcpy(n, x->m, x->n_m * sizeof *n);
        x->m = n;
        x->cap_m = cap;
    }
    x->m[x->n_m++] = (match){pat, 0, 0, 0};
}

static bool span_upper(const ctx *x, uint32_t first, uint32_t last)
{
    for (uint32_t i = first; i <= last; i++)
        if (!x->tok[i].upper && !x->tok[i].number)
            return false;
    return true;
}

static void run_automaton(ctx *x)
{
    const cordon_goods *g = x->g;
    uint32_t s = 0;
    for (size_t i = 0; i < x->n_tok; i++) {
        s = ac_step(g->ac, s, x->tok[i].id);
        size_t before = x->n_m;
        ac_outputs(g->ac, s, on_match, x);
        for (size_t k = before; k < x->n_m; k++) {
            const goods_pattern *p = &g->patterns[x->m[k].pat];
            x->m[k].last = (uint32_t)i;
            x->m[k].first = (uint32_t)(i + 1 - p->n_tokens);
        }
        /* abbreviations and short chemical names count only in capitals */
        size_t w = before;
        for (size_t k = before; k < x->n_m; k++) {
            const goods_pattern *p = &g->patterns[x->m[k].pat];
            if (!p->case_sensitive || span_upper(x, x->m[k].first, x->m[k].last))
                x->m[w++] = x->m[k];
        }
        x->n_m = w;
    }
}

#define GAP_FACTOR 0.85

static bool clause_break(const ctx *x, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (strchr(",;:.()\n", x->text[i]))
            return true;
    return false;
}

/* Does pattern p match at token i with exactly one extra word inside its words? Returns the
 * last token or -1. */
static long gap_match(const ctx *x, const goods_pattern *p, size_t i)
{
    size_t pos = i + 1;
    int skipped = 0;
    for (size_t k = 1; k < p->n_tokens; k++) {
        if (pos < x->n_tok && x->tok[pos].id == p->tokens[k]) {
            pos++;
            continue;
        }
        if (skipped || pos + 1 >= x->n_tok || x->tok[pos + 1].id != p->tokens[k] ||
            clause_break(x, x->tok[pos - 1].end, x->tok[pos + 1].start))
            return -1;
        skipped = 1;
        pos += 2;
    }
    return skipped ? (long)pos - 1 : -1;
}

static void run_gap_matches(ctx *x)
{
    const cordon_goods *g = x->g;
    for (size_t i = 0; i < x->n_tok && !x->failed; i++) {
        uint32_t id = x->tok[i].id;
        if (!id || id > g->n_tokens)
            continue;
        for (uint32_t k = g->gap_start[id]; k < g->gap_start[id + 1]; k++) {
            const goods_pattern *p = &g->patterns[g->gap_list[k]];
            long last = gap_match(x, p, i);
            if (last < 0)
                continue;
            on_match(x, g->gap_list[k]);
            if (x->failed)
                return;
            x->m[x->n_m - 1].first = (uint32_t)i;
            x->m[x->n_m - 1].last = (uint32_t)last;
            x->m[x->n_m - 1].gap = 1;
        }
    }
}

/* "lathe, CNC, vertical", "cabinet for biosafety class III": the words of a multi-word term
 * in another order, close together in one clause. Weaker than the words in order. */
#define BAG_FACTOR 0.7
#define BAG_WINDOW 5

static bool function_word_between(const ctx *x, uint32_t from, uint32_t to);

static bool strong_break(const ctx *x, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        if (strchr(";:.()\n", x->text[i]))
            return true;
    return false;
}

/* "gun drilling machine" is no "machine gun": the head (last word) of a two-word term written
 * first, then a verb in -ing, then the term's other word, is the object of a compound whose
 * head is that other word ("tube bending machine"). "lithium metal enriched" still reads as
 * "enriched lithium". */
static bool head_modifies_other(const ctx *x, size_t head, size_t lo, size_t hi, size_t n)
{
    if (n != 2 || head != lo || hi - lo != 2)
        return false;
    const char *w = x->tok[lo + 1].norm;
    size_t k = strlen(w);
    return k > 5 && strcmp(w + k - 3, "ing") == 0 &&
           !strchr(",;:", x->text[x->tok[lo].end]) && !strchr(",;:", x->text[x->tok[hi].start - 1]);
}

static bool matched_already(const ctx *x, uint32_t pat, uint32_t tok)
{
    for (size_t k = 0; k < x->n_m; k++)
        if (x->m[k].pat == pat && x->m[k].first <= tok && tok <= x->m[k].last)
            return true;
    return false;
}

static void run_bag_matches(ctx *x)
{
    const cordon_goods *g = x->g;
    for (size_t i = 0; i < x->n_tok && !x->failed; i++) {
        uint32_t id = x->tok[i].id;
        if (!id || id > g->n_tokens)
            continue;
        for (uint32_t k = g->gap_start[id]; k < g->gap_start[id + 1]; k++) {
            uint32_t pi = g->gap_list[k];
            const goods_pattern *p = &g->patterns[pi];
            if (p->n_tokens > 4 || matched_already(x, pi, (uint32_t)i))
                continue;
            size_t lo = i, hi = i, used[4] = {i, 0, 0, 0};
            bool all = true, in_order = true;
            for (size_t t = 1; t < p->n_tokens && all; t++) {
                size_t from = i >= BAG_WINDOW ? i - BAG_WINDOW : 0;
                size_t to = i + BAG_WINDOW < x->n_tok ? i + BAG_WINDOW : x->n_tok - 1;
                size_t found = SIZE_MAX;
                for (size_t j = from; j <= to && found == SIZE_MAX; j++) {
                    bool taken = false;
                    for (size_t u = 0; u < t; u++)
                        taken |= used[u] == j;
                    if (!taken && x->tok[j].id == p->tokens[t])
                        found = j;
                }
                if (found == SIZE_MAX) {
                    all = false;
                    break;
                }
                in_order &= found > used[t - 1];
                used[t] = found;
                lo = found < lo ? found : lo;
                hi = found > hi ? found : hi;
            }
            /* in order they are the exact or the one-gap match, already found */
            if (!all || in_order || hi - lo > (size_t)p->n_tokens ||
                strong_break(x, x->tok[lo].end, x->tok[hi].start) ||
                function_word_between(x, (uint32_t)lo + 1, (uint32_t)hi) ||
                head_modifies_other(x, used[p->n_tokens - 1], lo, hi, p->n_tokens))
                continue;
            on_match(x, pi);
            if (x->failed)
                return;
            x->m[x->n_m - 1].first = (uint32_t)lo;
            x->m[x->n_m - 1].last = (uint32_t)hi;
            x->m[x->n_m - 1].gap = 2;
        }
    }
}

/* A term inside a longer matched term ("bearing" inside "radial ball bearing") is dropped. */
static bool inside_longer(const ctx *x, size_t k)
{
    const match *m = &x->m[k];
    const goods_pattern *p = &x->g->patterns[m->pat];
    if (p->kind == PAT_NEG || p->kind == PAT_NOTE)
        return false;
    for (size_t j = 0; j < x->n_m; j++) {
        if (j == k)
            continue;
        const match *o = &x->m[j];
        const goods_pattern *q = &x->g->patterns[o->pat];
        /* item words shadow item words, HS words shadow HS words ("gas generator" over
         * "generator") */
        if (q->kind == PAT_NEG || q->kind == PAT_NOTE ||
            (q->kind == PAT_HSTERM) != (p->kind == PAT_HSTERM))
            continue;
        /* words in another order are weaker evidence than the shorter terms in order */
        if (o->gap == 2 && m->gap != 2)
            continue;
        if (o->first <= m->first && o->last >= m->last &&
            (o->last - o->first) > (m->last - m->first))
            return true;
    }
    return false;
}

static const char *kind_name(uint8_t kind)
{
    switch (kind) {
    case PAT_ABBR:
        return "abbr";
    case PAT_CHEMICAL:
        return "chemical";
    default:
        return "term";
    }
}

/* "pump for a rocket engine": words after "for" name what the item serves, not the item. The
 * item named before "for" gets the support of that purpose. */
#define PURPOSE_FACTOR 0.65
#define HEADED_PURPOSE_FACTOR 0.45
#define PURPOSE_SUPPORT 0.3


static bool share_target(const goods_pattern *a, const goods_pattern *b)
{
    for (uint32_t i = 0; i < a->n_targets; i++)
        for (uint32_t j = 0; j < b->n_targets; j++)
            if (a->targets[i] == b->targets[j])
                return true;
    return false;
}

/* The token index of the purpose word ("for") the term follows in its clause, or -1. */
static long purpose_word_before(const ctx *x, uint32_t first)
{
    static const char *const words[] = {"for", "into", "onto", "compatible", "suitable",
                                        "fitting", "fit"};
    for (uint32_t back = 1; back <= 6 && back <= first; back++) {
        const goods_token *t = &x->tok[first - back];
        if (clause_break(x, t->end, x->tok[first - back + 1].start))
            return -1;
        for (size_t i = 0; i < ARRAY_LEN(words); i++)
            if (strcmp(t->norm, words[i]) == 0)
                return (long)(first - back);
    }
    return -1;
}

/* Whether the words at `first` are denied in their clause: "no rotary axes", "(no vacuum or
 * inert gas)", "ohne Rundachse", "sans refroidissement". What the buyer says the item lacks is
 * no evidence that it is the listed one. */
static const char *const negation_words[] = {"no", "not", "without", "ohne", "sans", "kein",
                                             "keine", "keinen", "none"};

static bool is_negation(const char *norm)
{
    for (size_t i = 0; i < ARRAY_LEN(negation_words); i++)
        if (strcmp(norm, negation_words[i]) == 0)
            return true;
    return false;
}

static bool negated(const ctx *x, uint32_t first)
{
    static const char *const *const words = negation_words;
    for (uint32_t back = 1; back <= 3 && back <= first; back++) {
        const goods_token *t = &x->tok[first - back];
        if (clause_break(x, t->end, x->tok[first - back + 1].start))
            return false;
        for (size_t i = 0; i < ARRAY_LEN(negation_words); i++)
            if (strcmp(t->norm, words[i]) == 0)
                return true;
    }
    return false;
}

static bool is_item_match(const ctx *x, const match *m)
{
    uint8_t kind = x->g->patterns[m->pat].kind;
    return kind == PAT_TERM || kind == PAT_ABBR || kind == PAT_CHEMICAL;
}

/* The item named before the purpose word ("test stand" in "test stand for rocket engines"),
 * or -1 when the description names only what the item is for ("parts for turbopumps"). */
static long head_before(const ctx *x, long purpose)
{
    long best = -1;
    for (size_t j = 0; j < x->n_m; j++) {
        const match *o = &x->m[j];
        if (!is_item_match(x, o) || (long)o->last >= purpose)
            continue;
        if (clause_break(x, x->tok[o->last].end, x->tok[purpose].start))
            continue;
        if (best < 0 || o->last > x->m[best].last)
            best = (long)j;
    }
    return best;
}

/* "for", "with", "and": the words around them are separate things, not one compound. */
static bool function_word_between(const ctx *x, uint32_t from, uint32_t to)
{
    static const char *const words[] = {"for", "with", "and", "or", "of", "in", "on", "to",
                                        "from", "by", "into", "incl", "including", "plus"};
    for (uint32_t i = from; i < to; i++)
        for (size_t k = 0; k < ARRAY_LEN(words); k++)
            if (strcmp(x->tok[i].norm, words[k]) == 0)
                return true;
    return false;
}

/* "rocket engine combustion chamber": a term right before another term in the same phrase
 * qualifies it; the last one is the item (English compounds put the head last). */
static bool modifies_next(const ctx *x, size_t k)
{
    const match *m = &x->m[k];
    const goods_pattern *p = &x->g->patterns[m->pat];
    if (p->kind == PAT_NEG || p->kind == PAT_HSTERM || p->kind == PAT_NOTE)
        return false;
    for (size_t j = 0; j < x->n_m; j++) {
        const match *o = &x->m[j];
        const goods_pattern *q = &x->g->patterns[o->pat];
        if (j == k || q->kind == PAT_NEG || q->kind == PAT_HSTERM || q->kind == PAT_NOTE ||
            o->first <= m->last)
            continue;
        if (o->first - m->last <= 2 &&
            !clause_break(x, x->tok[m->last].end, x->tok[o->first].start) &&
            !function_word_between(x, m->last + 1, o->first) && !share_target(p, q))
            return true;
    }
    return false;
}

/* The head item of "X for Y" where Y is a listed item: X is more likely the listed kind. */
static void support_head(ctx *x, size_t head, size_t purpose_match, const char *words)
{
    const goods_pattern *h = &x->g->patterns[x->m[head].pat];
    const goods_pattern *q = &x->g->patterns[x->m[purpose_match].pat];
    for (uint32_t t = 0; t < h->n_targets; t++)
        goods_add_ev(x, h->targets[t], "term", words,
               arena_printf(x->a, "named as being for \"%s\" (%s)", q->term,
                            entry_label(x, q->targets[0])),
               PURPOSE_SUPPORT, 0x02000000u | (uint32_t)purpose_match);
}

static bool in_parentheses(const ctx *x, uint32_t first) { return x->paren[first] != 0; }

/* Marks the tokens written inside parentheses, in one pass over the text. */
/* Element symbols written as chemists write them ("Zr sponge", "Li-6") read as the element's
 * name, so the vocabulary's "zirconium sponge" and "lithium-6" find them. Matched on the
 * original case; an "isotope" symbol only directly before its mass number. */
static void read_symbols(ctx *x)
{
    const cordon_goods *g = x->g;
    if (!g->n_symbol)
        return;
    for (size_t i = 0; i < x->n_tok; i++) {
        goods_token *t = &x->tok[i];
        uint32_t v;
        if (t->end - t->start > 3 ||
            !smap_get(&g->symbol_index, x->text + t->start, t->end - t->start, &v))
            continue;
        const char *after = x->text + t->end;
        while (after < x->text + x->len && *after == ' ')
            after++;
        if (after < x->text + x->len && strchr("<>=:0123456789", *after) && *after &&
            !(v & 0x80000000u))
            continue; /* "Nb < 0.1 %": a content in something else, not the item */
        if (v & 0x80000000u) {
            const goods_token *n = i + 1 < x->n_tok ? &x->tok[i + 1] : NULL;
            if (!n || !n->number || n->start > t->end + 1 ||
                (n->start == t->end + 1 && x->text[t->end] != '-' && x->text[t->end] != ' '))
                continue;
        }
        snprintf(t->norm, sizeof t->norm, "%s", g->symbol_to[v & 0x7FFFFFFFu]);
        t->upper = 0;
    }
}

static bool mark_parentheses(ctx *x)
{
    x->paren = arena_alloc(x->a, x->n_tok + 1);
    if (!x->paren)
        return false;
    int depth = 0;
    size_t t = 0;
    for (size_t i = 0; i < x->len && t < x->n_tok; i++) {
        while (t < x->n_tok && x->tok[t].start == i)
            x->paren[t++] = depth > 0;
        if (x->text[i] == '(')
            depth++;
        else if (x->text[i] == ')' && depth > 0)
            depth--;
    }
    return true;
}

static void apply_match(ctx *x, size_t k)
{
    const cordon_goods *g = x->g;
    const match *m = &x->m[k];
    const goods_pattern *p = &g->patterns[m->pat];
    const char *words = span_text(x, m->first, m->last);
    if (!words) {
        x->failed = true;
        return;
    }
    if (p->kind == PAT_NEG) {
        /* "hobby" inside "hobby grade" is one phrase: the stronger reading counts */
        for (size_t i = 0; i < x->n_neg; i++)
            if (x->neg[i].first <= m->last && m->first <= x->neg[i].last) {
                if (p->weight > x->neg[i].w) {
                    x->neg[i].w = p->weight;
                    x->neg[i].words = words;
                }
                return;
            }
        if (x->n_neg < ARRAY_LEN(x->neg))
            x->neg[x->n_neg++] = (neg_phrase){m->first, m->last, p->weight, words};
        return;
    }
    if (p->kind == PAT_NOTE) {
        if (!negated(x, m->first) && x->n_notes < ARRAY_LEN(x->notes)) {
            x->note_words[x->n_notes] = words;
            x->notes[x->n_notes++] = m->pat;
        }
        return;
    }
    if (p->kind == PAT_HSTERM) {
        /* "(LOX/kerosene)", "for a diesel generator": words that qualify the item do not say
         * what it is declared as */
        if (in_parentheses(x, m->first) || purpose_word_before(x, m->first) >= 0)
            return;
        for (uint32_t t = 0; t < p->n_targets && x->n_inferred < ARRAY_LEN(x->inferred_hs); t++) {
            const char *code = g->hs[p->targets[t]].code;
            bool dup = false;
            for (size_t i = 0; i < x->n_inferred; i++)
                dup |= strcmp(x->inferred_hs[i], code) == 0;
            if (!dup) {
                x->inferred_hs[x->n_inferred] = code;
                x->inferred_why[x->n_inferred++] = words;
            }
        }
        return;
    }
    if (negated(x, m->first))
        return;
    long pw = purpose_word_before(x, m->first);
    if (pw < 0 && in_parentheses(x, m->first)) {
        /* "for a storable propellant engine (NTO/UDMH)": words in parentheses qualify what
         * comes before them, and so share its purpose */
        uint32_t t0 = m->first;
        while (t0 > 0 && in_parentheses(x, t0 - 1))
            t0--;
        if (t0 > 0)
            pw = purpose_word_before(x, t0 - 1);
        if (pw < 0 && t0 > 0 && strcmp(x->tok[t0 - 1].norm, "for") == 0)
            pw = (long)(t0 - 1);
    }
    long head = pw >= 0 ? head_before(x, pw) : -1;
    bool purpose = pw >= 0 || modifies_next(x, k);
    double factor = head >= 0 ? HEADED_PURPOSE_FACTOR : purpose ? PURPOSE_FACTOR : 1.0;
    if (m->gap)
        factor *= m->gap == 2 ? BAG_FACTOR : GAP_FACTOR;
    if (head >= 0)
        support_head(x, (size_t)head, k, words);
    for (uint32_t t = 0; t < p->n_targets; t++) {
        uint32_t e = p->targets[t];
        const char *detail;
        double w = p->weight * factor;
        if (p->kind == PAT_EXEMPT) {
            detail = arena_printf(x->a, "\"%s\" is exempted by name in %s %s", p->term,
                                  goods_regimes[g->entries[e].regime].name, g->entries[e].code);
            goods_add_ev(x, e, "context", words, detail, -0.9, m->pat + 1);
            continue;
        }
        if (p->kind == PAT_CHEMICAL)
            detail = arena_printf(x->a, "chemical name \"%s\" of %s", p->term,
                                  entry_label(x, e));
        else
            detail = arena_printf(x->a, "%s \"%s\" of the vocabulary%s, tied to %s%s",
                                  p->kind == PAT_ABBR ? "abbreviation" : "term", p->term,
                                  m->gap == 2 ? " (its words in another order)"
                                  : m->gap ? " (with one more word inside)"
                                  : p->joined ? " (written as one word)" : "",
                                  entry_label(x, e),
                                  purpose ? " (it qualifies the item: what it is for or part "
                                            "of)" : "");
        goods_add_ev(x, e, kind_name(p->kind), words, detail, w,
               SPAN_KEY | (m->first & 0xfff) << 12 | (m->last & 0xfff));
    }
}

/* The words of a kind of item a note leaves out ("metal windows for X-ray machines" under
 * beryllium, "weights or gamma-ray collimators" under tungsten): the entries it names and
 * their sub-entries are ruled out, as by an exclusion the stated values fall under. */
static void apply_notes(ctx *x)
{
    const cordon_goods *g = x->g;
    for (size_t i = 0; i < x->n_c && !x->failed; i++) {
        for (size_t k = 0; k < x->n_notes; k++) {
            const goods_pattern *p = &g->patterns[x->notes[k]];
            int32_t hit = -1;
            for (int32_t a = (int32_t)x->c[i].entry, d = 0; a >= 0 && d < 8 && hit < 0;
                 a = g->entries[a].parent, d++)
                for (uint32_t t = 0; t < p->n_targets && hit < 0; t++)
                    if (p->targets[t] == (uint32_t)a)
                        hit = a;
            if (hit < 0)
                continue;
            x->c[i].out = true;
            goods_add_ev(x, x->c[i].entry, "context", x->note_words[k],
                         arena_printf(x->a, "\"%s\" names a kind of item a note of %s "
                                      "does not control", p->term, g->entries[hit].code),
                         -EXCLUSION_W, 0x40000000u + GOODS_MAX_VALUES + 1);
            break;
        }
    }
}

/* Separate consumer phrases ("model rocket", "hobby") add up as independent signals. */
static void combine_penalties(ctx *x)
{
    double keep = 1.0;
    for (size_t i = 0; i < x->n_neg && !x->failed; i++) {
        keep *= 1.0 - x->neg[i].w;
        x->penalty_words = i == 0 ? x->neg[i].words
                                  : arena_printf(x->a, "%s; %s", x->penalty_words,
                                                 x->neg[i].words);
    }
    x->penalty = 1.0 - keep;
}

static void apply_matches(ctx *x)
{
    for (size_t k = 0; k < x->n_m && !x->failed; k++)
        if (!inside_longer(x, k))
            apply_match(x, k);
    combine_penalties(x);
}

/* Whether the title of entry e or of an entry above it has the word w (or its plural). */
static bool title_has_word(const cordon_goods *g, uint32_t e, const char *w)
{
    size_t k = strlen(w);
    for (int32_t a = (int32_t)e, d = 0; a >= 0 && d < 8 && g->entries[a].selectable;
         a = g->entries[a].parent, d++) {
        const char *t = g->entries[a].title;
        for (const char *p = t ? t : ""; (p = str_icontains(p, w)) != NULL; p += k) {
            bool start = p == t || !isalnum((unsigned char)p[-1]);
            char after = p[k] == 's' ? p[k + 1] : p[k];
            if (!start || isalnum((unsigned char)after))
                continue;
            /* "designed for operation without an external vacuum system": the title denies
             * it too */
            size_t back = (size_t)(p - t) < 40 ? (size_t)(p - t) : 40;
            char before[48];
            memcpy(before, p - back, back);
            before[back] = '\0';
            if (!str_icontains(before, "without") && !str_icontains(before, "not ") &&
                !str_icontains(before, "no ") && !str_icontains(before, "non"))
                return true;
        }
    }
    return false;
}

/* "Air-melt induction furnace (no vacuum or inert gas)": a feature the buyer denies that the
 * entry's title names ("Controlled atmosphere (vacuum or inert gas) induction furnaces") says
 * the item is not that entry's. */
static void denied_features(ctx *x)
{
    for (uint32_t i = 0; i < x->n_tok; i++) {
        if (!is_negation(x->tok[i].norm))
            continue;
        for (uint32_t j = i + 1; j <= i + 3 && j < x->n_tok; j++) {
            if (clause_break(x, x->tok[j - 1].end, x->tok[j].start))
                break;
            static const char *const generic[] = {"system", "equipment", "unit", "device",
                                                  "part", "component", "item", "type", "model",
                                                  "external", "internal", "other", "than",
                                                  "more", "less", "with", "need", "needed"};
            const char *w = x->tok[j].norm;
            bool skip = strlen(w) < 4 || x->tok[j].number;
            for (size_t k = 0; k < ARRAY_LEN(generic) && !skip; k++)
                skip = strcmp(w, generic[k]) == 0;
            if (skip)
                continue;
            size_t n_c = x->n_c;
            for (size_t c = 0; c < n_c && !x->failed; c++) {
                uint32_t e = x->c[c].entry;
                if (!title_has_word(x->g, e, w))
                    continue;
                goods_add_ev(x, e, "context", span_text(x, i, j),
                             arena_printf(x->a, "the item has no \"%s\", which %s names", w,
                                          entry_label(x, e)),
                             -DENIED_W, 0x50000000u);
            }
        }
    }
}

/* ---- CAS numbers ----------------------------------------------------------------------- */

static bool cas_check(const char *digits, size_t n)
{
    int sum = 0;
    for (size_t i = 0; i + 1 < n; i++)
        sum += (int)(n - 1 - i) * (digits[i] - '0');
    return sum % 10 == digits[n - 1] - '0';
}

static int cas_find(const cordon_goods *g, const char *cas)
{
    size_t lo = 0, hi = g->n_cas;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(g->cas[mid].cas, cas) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n_cas && strcmp(g->cas[lo].cas, cas) == 0 ? (int)lo : -1;
}

static void find_cas(ctx *x)
{
    const char *s = x->text;
    size_t n = x->len;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]) || (i && (isalnum((unsigned char)s[i - 1]) ||
                                                     s[i - 1] == '-')))
            continue;
        size_t a = i;
        while (a < n && isdigit((unsigned char)s[a]))
            a++;
        if (a - i < 2 || a - i > 7 || a + 4 >= n + 1 || s[a] != '-' ||
            !isdigit((unsigned char)s[a + 1]) || !isdigit((unsigned char)s[a + 2]) ||
            s[a + 3] != '-' || !isdigit((unsigned char)s[a + 4]) ||
            (a + 5 < n && (isalnum((unsigned char)s[a + 5]) || s[a + 5] == '-')))
            continue;
        char cas[16], digits[16];
        size_t len = a + 5 - i, nd = 0;
        memcpy(cas, s + i, len);
        cas[len] = '\0';
        for (size_t k = 0; k < len; k++)
            if (cas[k] != '-')
                digits[nd++] = cas[k];
        i = a + 4;
        if (!cas_check(digits, nd))
            continue;
        int at = cas_find(x->g, cas);
        for (; at >= 0 && (size_t)at < x->g->n_cas && strcmp(x->g->cas[at].cas, cas) == 0; at++) {
            const goods_cas *c = &x->g->cas[at];
            const char *words = arena_strdup(x->a, cas);
            if (c->exempt)
                goods_add_ev(x, c->entry, "context", words,
                       arena_printf(x->a, "CAS %s is exempted by name in CWC %s", cas,
                                    x->g->entries[c->entry].code), -0.9, 0x80000000u);
            else
                goods_add_ev(x, c->entry, "cas", words,
                       arena_printf(x->a, "CAS %s is listed in %s", cas,
                                    x->g->entries[c->entry].code), 1.0, 0x80000001u);
        }
    }
}

/* ---- HS code ------------------------------------------------------------------------------- */

/* "8458.11", "8458 11", "845811" -> "845811"; false if not 2-10 digits. */
static bool hs_digits(const char *in, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = in; *p; p++) {
        if (isdigit((unsigned char)*p)) {
            if (k + 1 >= cap)
                return false;
            out[k++] = *p;
        } else if (*p != '.' && *p != ' ' && *p != '-') {
            return false;
        }
    }
    out[k] = '\0';
    return k >= 2 && k <= 10;
}

static const goods_hs *hs_lookup(const cordon_goods *g, const char *code, size_t len)
{
    uint32_t i;
    if (smap_get(&g->hs_index, code, len, &i))
        return &g->hs[i];
    return NULL;
}

static void apply_hs(ctx *x)
{
    if (!x->hs[0])
        return;
    size_t n = strlen(x->hs);
    /* one declared code is one piece of evidence: its subheading and heading do not add up
     * (one key for all of them; the most specific mapping first) */
    for (size_t l = n < 6 ? n & ~(size_t)1 : 6; l >= 2; l -= 2) {
        uint32_t mi;
        if (!smap_get(&x->g->hsmap_index, x->hs, l, &mi))
            continue;
        const goods_hsmap *m = &x->g->hsmap[mi];
        for (uint32_t t = 0; t < m->n_targets; t++) {
            const char *detail = arena_printf(x->a, "HS %s (%s) covers %s", m->prefix, m->note,
                                              x->g->entries[m->targets[t]].code);
            goods_add_ev(x, m->targets[t], "hs", arena_strdup(x->a, x->hs), detail, m->weight,
                   0x20000000u);
        }
    }
}

/* ---- scores and ranking ----------------------------------------------------------------- */

static bool has_own_evidence(const cand *c)
{
    for (size_t k = 0; k < c->n_ev; k++)
        if (c->ev[k].w > 0 && strcmp(c->ev[k].kind, "text") != 0)
            return true;
    return false;
}

/* The entries whose own words the description shares (textrank.c), as "text" evidence. */
static void apply_text(ctx *x)
{
    goods_text_hit hits[TEXT_HITS];
    size_t n = goods_text_rank(x->g, x->tok, x->n_tok, x->a, hits, TEXT_HITS);
    for (size_t i = 0; i < n; i++) {
        /* A sub-entry that is a threshold ("maximum working pressure of 69 MPa or more")
         * shares the quantity's words with any description that states it: a stated value
         * that misses it has decided against it. */
        bool missed = false;
        for (size_t k = 0; k < x->n_missed; k++)
            missed |= x->missed[k] == hits[i].entry;
        if (missed)
            continue;
        goods_add_ev(x, hits[i].entry, "text", hits[i].words,
               arena_printf(x->a, "the words \"%s\" are in the text of %s", hits[i].words,
                            entry_label(x, hits[i].entry)),
               TEXT_MAX_W * (hits[i].share > 1 ? 1 : hits[i].share), 0x20000000u);
    }
}

/* A sub-entry named by its own words also has the evidence of its parent entries ("Hastelloy"
 * for 2B350, "reactor vessel" for 2B350.a): it joins it. */
static void inherit_from_ancestors(ctx *x)
{
    size_t n = x->n_c;
    for (size_t i = 0; i < n && !x->failed; i++) {
        if (!has_own_evidence(&x->c[i]))
            continue; /* named by the entries' words alone: a candidate, not a refinement */
        for (int32_t a = x->g->entries[x->c[i].entry].parent; a >= 0;
             a = x->g->entries[a].parent) {
            cand *anc = cand_get(x, (uint32_t)a, false);
            if (!anc)
                continue;
            size_t ai = (size_t)(anc - x->c);
            for (size_t k = 0; k < x->c[ai].n_ev; k++) {
                ev cp = x->c[ai].ev[k];
                if (cp.w > 0 && strcmp(cp.kind, "value") != 0 && strcmp(cp.kind, "text") != 0)
                    goods_add_ev(x, x->c[i].entry, cp.kind, cp.matched, cp.detail, cp.w, cp.key);
            }
        }
    }
}

/* Whether the entries'-words evidence "words" has a word the term's own words "term" lack. */
static bool words_beyond(const char *words, const char *term)
{
    const char *w = words;
    while (*w) {
        while (*w == ' ')
            w++;
        size_t n = strcspn(w, " ");
        if (!n)
            break;
        bool found = false;
        for (const char *t = term; *t && !found; t++)
            found = strncasecmp(t, w, n) == 0;
        if (!found)
            return true;
        w += n;
    }
    return false;
}

/* The declared HS heading is one the description's own words imply (HS 9026 for "pressure
 * transmitter"): it restates the kind, it does not add to it. */
static bool hs_restates_words(const ctx *x)
{
    for (size_t i = 0; i < x->n_inferred; i++)
        if (strncmp(x->inferred_hs[i], x->hs, 4) == 0)
            return true;
    return false;
}

/* One generic word as the only term, and no stated value that meets a threshold, no CAS number
 * or chemical name, no declared HS code that says more than the words (an accelerometer
 * declared as a navigation instrument), nor other words of the entry (or of a sub-entry) in
 * the text: it says what kind of thing the item is, not that it is the listed one. */
static bool generic_only(const ctx *x, const cand *c)
{
    const ev *term = NULL;
    for (size_t k = 0; k < c->n_ev; k++) {
        const ev *e = &c->ev[k];
        if (e->w <= 0 || strcmp(e->kind, "text") == 0 ||
            (strcmp(e->kind, "hs") == 0 && hs_restates_words(x)) ||
            (strcmp(e->kind, "value") == 0 && (e->key & PARTIAL_KEY)))
            continue;
        if (strcmp(e->kind, "term") != 0 && strcmp(e->kind, "abbr") != 0)
            return false;
        if (e->w > GENERIC_W + 1e-9 || term)
            return false;
        term = e;
    }
    if (!term || !term->matched)
        return false;
    for (size_t i = 0; i < x->n_c; i++) {
        const cand *d = &x->c[i];
        bool below = d == c;
        for (int32_t a = x->g->entries[d->entry].parent; a >= 0 && !below;
             a = x->g->entries[a].parent)
            below = (uint32_t)a == c->entry;
        if (!below)
            continue;
        for (size_t k = 0; k < d->n_ev; k++)
            if (strcmp(d->ev[k].kind, "text") == 0 && d->ev[k].matched &&
                words_beyond(d->ev[k].matched, term->matched))
                return false;
    }
    return true;
}

static void score_all(ctx *x)
{
    inherit_from_ancestors(x);
    for (size_t i = 0; i < x->n_c; i++) {
        cand *c = &x->c[i];
        double keep = 1.0, neg = 1.0, text = 0;
        bool exact = false;
        for (size_t k = 0; k < c->n_ev; k++) {
            if (strcmp(c->ev[k].kind, "text") == 0)
                text = c->ev[k].w;
            else if (c->ev[k].w > 0)
                keep *= 1.0 - c->ev[k].w;
            else
                neg *= 1.0 + c->ev[k].w;
            exact |= strcmp(c->ev[k].kind, "cas") == 0;
        }
        c->score = (1.0 - keep > text ? 1.0 - keep : text) * neg;
        c->text = text;
        if (generic_only(x, c) && c->score > GENERIC_MAX_SCORE)
            c->score = GENERIC_MAX_SCORE;
        if (x->penalty > 0 && !exact) {
            c->score *= 1.0 - x->penalty;
            if (c->n_ev < MAX_EVIDENCE)
                c->ev[c->n_ev++] = (ev){"context", x->penalty_words,
                                        "words that make a controlled reading unlikely",
                                        -x->penalty, 0x10000000u};
        }
    }
}

/* A sub-entry whose own words the description shares refines an ancestor the vocabulary
 * found ("fermenter" finds 2B352.b; "steam sterilisable, closed" is 2B352.b.1's text): it
 * ranks just under that ancestor, never above it, so it cannot flag what the ancestor did
 * not. Its order among siblings follows how much of the text it shares. */
static void refine_children(ctx *x)
{
    for (size_t i = 0; i < x->n_c; i++) {
        cand *c = &x->c[i];
        if (c->text <= 0 || has_own_evidence(c))
            continue;
        double best = 0;
        for (int32_t a = x->g->entries[c->entry].parent; a >= 0; a = x->g->entries[a].parent) {
            const cand *anc = cand_get(x, (uint32_t)a, false);
            if (anc && has_own_evidence(anc) && anc->score > best)
                best = anc->score;
        }
        double refined = best * (REFINE_BASE + REFINE_SPAN * c->text / TEXT_MAX_W);
        if (c->out)
            refined *= 1.0 - VALUE_RULES_OUT_W;
        if (refined > c->score)
            c->score = refined;
    }
}

/* The top entry e is a kind of, and how deep e is below it: the chain stops at a heading and
 * at an entry whose sub-entries are conditions ("having all of the following"). */
static uint32_t tree_root(const cordon_goods *g, uint32_t e, int *depth)
{
    uint32_t root = e;
    *depth = 0;
    for (int32_t a = g->entries[e].parent;
         a >= 0 && g->entries[a].selectable && !g->entries[a].conditions;
         a = g->entries[a].parent) {
        root = (uint32_t)a;
        ++*depth;
    }
    return root;
}

static int cand_cmp(const cordon_goods *g, const cand *x, const cand *y)
{
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    const goods_entry *ex = &g->entries[x->entry], *ey = &g->entries[y->entry];
    if (ex->regime != ey->regime)
        return ex->regime < ey->regime ? -1 : 1;
    /* within one entry's tree a sub-entry as strong as its entry is the more precise answer */
    int dx, dy;
    uint32_t rx = tree_root(g, x->entry, &dx), ry = tree_root(g, y->entry, &dy);
    if (rx == ry && dx != dy)
        return dx > dy ? -1 : 1;
    return x->entry < y->entry ? -1 : x->entry > y->entry; /* document order */
}

/* insertion sort: qsort has no context argument, and the lists are short */
static void sort_cands(const cordon_goods *g, cand *c, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cand tmp = c[i];
        size_t j = i;
        while (j > 0 && cand_cmp(g, &tmp, &c[j - 1]) < 0) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = tmp;
    }
}

static int ev_cmp(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (fabs(x->w) != fabs(y->w))
        return fabs(x->w) > fabs(y->w) ? -1 : 1;
    return 0;
}

/* ---- DPRK prohibitions ------------------------------------------------------------------- */

typedef struct prohib_list {
    cordon_goods_prohibition *p;
    size_t n, cap;
} prohib_list;

static void add_prohib(ctx *x, prohib_list *pl, const goods_ban *b, const char *hs,
                       const char *reason)
{
    for (size_t i = 0; i < pl->n; i++)
        if (strcmp(pl->p[i].citation, b->citation) == 0)
            return;
    if (pl->n == pl->cap) {
        size_t cap = pl->cap ? pl->cap * 2 : 8;
        cordon_goods_prohibition *n = arena_alloc(x->a, cap * sizeof *n);
        if (!n) {
            x->failed = true;
            return;
        }
        if (pl->n)
            memcpy(n, pl->p, pl->n * sizeof *n);
        pl->p = n;
        pl->cap = cap;
    }
    const char *why = b->verified ? reason
                                  : arena_printf(x->a, "%s; the working table marks this row "
                                                 "unverified: check %s", reason, b->citation);
    pl->p[pl->n++] = (cordon_goods_prohibition){"UNSC-DPRK", b->item, b->citation, b->direction,
                                                hs, why, b->limits, b->verified};
}

static const goods_ban *ban_find(const cordon_goods *g, int res, const char *para_prefix)
{
    for (size_t i = 0; i < g->n_bans; i++)
        if (g->bans[i].resolution == res &&
            strncmp(g->bans[i].paragraph, para_prefix, strlen(para_prefix)) == 0)
            return &g->bans[i];
    return NULL;
}

/* WMD lists: the MTCR Annex, NSG lists, CWC schedules and the EU entries taken from them. */
static bool wmd_entry(const goods_entry *e)
{
    if (e->regime == REG_MTCR || e->regime == REG_NSG1 || e->regime == REG_NSG2 ||
        e->regime == REG_CWC)
        return true;
    if (e->regime != REG_EU)
        return false;
    return e->code[0] == '0' || e->code[2] == '1' || e->code[2] == '2' || e->code[2] == '3';
}

static void list_prohibitions(ctx *x, prohib_list *pl, double threshold)
{
    const cordon_goods *g = x->g;
    for (size_t i = 0; i < x->n_c; i++) {
        if (x->c[i].score < threshold)
            continue;
        const goods_entry *e = &g->entries[x->c[i].entry];
        const char *what = arena_printf(x->a, "%s %s (%s)", goods_regimes[e->regime].name,
                                        e->code, e->title);
        if (wmd_entry(e)) {
            const goods_ban *b = ban_find(g, 1718, "8(a)(i)");
            if (b)
                add_prohib(x, pl, b, "", arena_printf(x->a, "%s is a WMD/missile list item; "
                                                      "1718 bars its supply, sale or transfer "
                                                      "to and from the DPRK", what));
        } else if (e->munitions) {
            const char *why = arena_printf(x->a, "%s is arms or related materiel", what);
            const goods_ban *b;
            if ((b = ban_find(g, 1718, "8(a)(i)")))
                add_prohib(x, pl, b, "", why);
            if ((b = ban_find(g, 1874, "9")))
                add_prohib(x, pl, b, "", why);
            if ((b = ban_find(g, 2270, "6")))
                add_prohib(x, pl, b, "", why);
        } else {
            const goods_ban *b = ban_find(g, 2270, "6");
            if (b)
                add_prohib(x, pl, b, "", arena_printf(x->a, "%s is a dual-use item; the catch-all "
                                                      "bars items that could contribute to the "
                                                      "DPRK's armed forces", what));
        }
    }
}

static bool direction_applies(const char *dir, bool to_kp, bool from_kp, bool unknown)
{
    if (unknown)
        return true;
    if (strcmp(dir, "both") == 0)
        return to_kp || from_kp;
    if (strcmp(dir, "import") == 0)
        return to_kp;
    return from_kp;
}

static void hs_prohibitions(ctx *x, prohib_list *pl, const char *code, const char *why_code,
                            bool to_kp, bool from_kp, bool unknown)
{
    const cordon_goods *g = x->g;
    size_t cl = strlen(code);
    for (size_t i = 0; i < g->n_bans; i++) {
        const goods_ban *b = &g->bans[i];
        size_t bl = strlen(b->hs);
        if (!bl || !direction_applies(b->direction, to_kp, from_kp, unknown))
            continue;
        bool covers = cl >= bl && strncmp(code, b->hs, bl) == 0;
        bool may = !covers && cl >= 4 && bl > cl && strncmp(b->hs, code, cl) == 0;
        if (!covers && !may)
            continue;
        const char *dir = strcmp(b->direction, "import") == 0   ? "supplied to the DPRK"
                          : strcmp(b->direction, "export") == 0 ? "bought from the DPRK"
                                                                : "traded with the DPRK";
        const char *reason = arena_printf(
            x->a, "%s %s %s HS %s (%s)%s%s", why_code, covers ? "falls under" : "may fall under",
            b->luxury ? "the luxury-goods ban on" : "the ban on", b->hs,
            strcmp(b->hs_source, "resolution_text") == 0 ? "quoted in the resolution"
                                                          : "suggested mapping, not legal text",
            unknown ? "; applies if " : "", unknown ? dir : "");
        add_prohib(x, pl, b, b->hs, reason);
    }
}

static void prohibitions(ctx *x, const char *dest, const char *origin, double threshold,
                         cordon_goods_result *out)
{
    bool to_kp = dest && strcmp(dest, "KP") == 0;
    bool from_kp = origin && strcmp(origin, "KP") == 0;
    bool unknown = !dest && !origin;
    prohib_list pl = {0};
    if (to_kp || from_kp)
        list_prohibitions(x, &pl, threshold);
    if (x->hs[0] && (to_kp || from_kp || unknown))
        hs_prohibitions(x, &pl, x->hs, arena_printf(x->a, "declared HS %s", x->hs), to_kp,
                        from_kp, unknown);
    if (to_kp || from_kp)
        for (size_t i = 0; i < x->n_inferred; i++)
            hs_prohibitions(x, &pl, x->inferred_hs[i],
                            arena_printf(x->a, "\"%s\" is declared under HS %s, which",
                                         x->inferred_why[i], x->inferred_hs[i]),
                            to_kp, from_kp, false);
    out->prohibitions = pl.p;
    out->n_prohibitions = pl.n;
}

/* ---- the HS reading --------------------------------------------------------------------- */

static bool hs_related(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;
    return strncmp(a, b, l) == 0;
}

static void hs_reading(ctx *x, double threshold, cordon_goods_hs *h)
{
    const cordon_goods *g = x->g;
    memset(h, 0, sizeof *h);
    h->code = x->hs[0] ? arena_strdup(x->a, x->hs) : "";
    h->description = h->chapter = h->chapter_description = h->section = h->section_name = "";
    buf inf = {0};
    for (size_t i = 0; i < x->n_inferred; i++)
        buf_printf(&inf, "%s%s", i ? " " : "", x->inferred_hs[i]);
    h->inferred = arena_strdup(x->a, inf.data ? inf.data : "");
    buf_free(&inf);
    if (!x->hs[0])
        return;
    size_t n = strlen(x->hs);
    const goods_hs *best = NULL;
    for (size_t l = n < 6 ? n : 6; l >= 2 && !best; l -= 2)
        best = hs_lookup(g, x->hs, l);
    h->known = best && strlen(best->code) == (n < 6 ? n : 6);
    if (best) {
        h->description = best->description;
        h->chapter = best->chapter;
        h->section = best->section;
        h->section_name = best->section_name;
        const goods_hs *ch = hs_lookup(g, best->chapter, 2);
        h->chapter_description = ch ? ch->description : "";
    }
    /* words against the code: inferred headings, and the HS homes of strong candidates */
    const char *words_hs = NULL, *why = NULL;
    bool agree = false, any = false;
    for (size_t i = 0; i < x->n_inferred; i++) {
        any = true;
        agree |= hs_related(x->inferred_hs[i], x->hs);
        if (!words_hs) {
            words_hs = x->inferred_hs[i];
            why = x->inferred_why[i];
        }
    }
    for (size_t i = 0; i < x->n_c && !agree; i++) {
        if (x->c[i].score < threshold)
            continue;
        for (size_t m = 0; m < g->n_hsmap; m++) {
            const goods_hsmap *hm = &g->hsmap[m];
            for (uint32_t t = 0; t < hm->n_targets; t++) {
                if (hm->targets[t] != x->c[i].entry)
                    continue;
                any = true;
                agree |= hs_related(hm->prefix, x->hs);
                if (!words_hs) {
                    words_hs = hm->prefix;
                    why = g->entries[x->c[i].entry].title;
                }
            }
        }
    }
    if (any && !agree)
        h->conflict = arena_printf(x->a, "the description (\"%s\") points to HS %s, but the "
                                   "declared HS %s is \"%s\" (chapter %s)", why, words_hs,
                                   x->hs, h->description[0] ? h->description : "unknown",
                                   h->chapter[0] ? h->chapter : "?");
}

/* ---- output ----------------------------------------------------------------------------- */

static const char *list_name(const goods_entry *e)
{
    if (e->regime == REG_WA)
        return e->munitions ? "Wassenaar Munitions List" : "Wassenaar Dual-Use List";
    return goods_regimes[e->regime].name;
}

static cordon_status emit(ctx *x, const cordon_goods_query *q, double threshold,
                          cordon_goods_result *out)
{
    const cordon_goods *g = x->g;
    size_t limit = q->limit ? q->limit : GOODS_DEFAULT_LIMIT;
    size_t n = 0;
    for (size_t i = 0; i < x->n_c; i++)
        if (g->entries[x->c[i].entry].selectable && x->c[i].score > 0.0005)
            x->c[n++] = x->c[i];
    x->n_c = n;
    sort_cands(g, x->c, x->n_c);
    if (n > limit)
        n = limit;
    cordon_goods_candidate *cs = arena_alloc(x->a, (n + 1) * sizeof *cs);
    if (!cs)
        return CORDON_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        cand *c = &x->c[i];
        const goods_entry *e = &g->entries[c->entry];
        qsort(c->ev, c->n_ev, sizeof c->ev[0], ev_cmp);
        cordon_goods_evidence *evs = arena_alloc(x->a, (c->n_ev + 1) * sizeof *evs);
        if (!evs)
            return CORDON_ERR_NOMEM;
        for (size_t k = 0; k < c->n_ev; k++)
            evs[k] = (cordon_goods_evidence){c->ev[k].kind, c->ev[k].matched ? c->ev[k].matched
                                                                              : "",
                                             c->ev[k].detail, c->ev[k].w};
        cs[i] = (cordon_goods_candidate){goods_regimes[e->regime].id, list_name(e), e->code,
                                         e->title, e->heading, g->document[e->regime],
                                         g->edition[e->regime], e->file, e->line, c->score, evs,
                                         c->n_ev};
        out->controlled |= c->score >= threshold;
    }
    out->candidates = cs;
    out->n_candidates = n;
    return CORDON_OK;
}

/* ---- entry point ---------------------------------------------------------------------------- */

static cordon_status check_query(const cordon_goods_query *q, const char **text, size_t *len,
                                 cordon_error *err)
{
    *text = q->text ? q->text : "";
    *len = strlen(*text);
    if (*len > GOODS_MAX_TEXT)
        return err_set(err, CORDON_ERR_INVALID, "text: %zu bytes, more than the limit of %zu",
                       *len, GOODS_MAX_TEXT);
    size_t bad;
    if (!utf8_valid(*text, *len, &bad))
        return err_set(err, CORDON_ERR_INVALID, "text: invalid UTF-8 at byte %zu", bad + 1);
    if (str_is_blank(*text) && (!q->hs || !*q->hs))
        return err_set(err, CORDON_ERR_INVALID, "text: empty description and no HS code");
    return CORDON_OK;
}


static cordon_status read_country(const char *field, const char *in, const char **out,
                                  cordon_error *err)
{
    *out = NULL;
    if (!in || str_is_blank(in))
        return CORDON_OK;
    if (strlen(in) > 128)
        return err_set(err, CORDON_ERR_INVALID, "%s: too long", field);
    *out = country_code(in);
    if (!*out)
        return err_set(err, CORDON_ERR_INVALID, "%s: unknown country \"%s\"", field, in);
    return CORDON_OK;
}

cordon_status cordon_goods_classify(const cordon_goods *g, const cordon_goods_query *q,
                                    cordon_arena *a, cordon_goods_result *out, cordon_error *err)
{
    if (!g || !q || !a || !out)
        return err_set(err, CORDON_ERR_INVALID, "goods: missing argument");
    memset(out, 0, sizeof *out);
    ctx x;
    memset(&x, 0, sizeof x);
    x.g = g;
    x.a = a;
    cordon_status st = check_query(q, &x.text, &x.len, err);
    if (st == CORDON_OK && q->hs && *q->hs && !hs_digits(q->hs, x.hs, sizeof x.hs))
        st = err_set(err, CORDON_ERR_INVALID, "hs: \"%s\" is not an HS code (2 to 10 digits)",
                     q->hs);
    const char *dest = NULL, *origin = NULL;
    if (st == CORDON_OK)
        st = read_country("destination", q->destination, &dest, err);
    if (st == CORDON_OK)
        st = read_country("origin", q->origin, &origin, err);
    if (st != CORDON_OK)
        return st;
    double threshold = q->threshold >= 0 ? q->threshold : GOODS_DEFAULT_THRESHOLD;
    x.threshold = threshold;
    /* every token takes at least one byte of the text: size the (zeroed) array by the text,
     * not by the limit, which cost more than the classification of a short order line */
    size_t max_tok = x.len < GOODS_MAX_TOKENS ? x.len + 1 : GOODS_MAX_TOKENS;
    x.tok = arena_alloc(a, max_tok * sizeof *x.tok);
    if (!x.tok)
        return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory");
    x.n_tok = goods_tokenize(x.text, x.len, x.tok, max_tok);
    read_symbols(&x);
    for (size_t i = 0; i < x.n_tok; i++)
        if (!smap_get(&g->token_ids, x.tok[i].norm, strlen(x.tok[i].norm), &x.tok[i].id))
            x.tok[i].id = 0;
    if (!mark_parentheses(&x))
        return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory");
    run_automaton(&x);
    run_gap_matches(&x);
    run_bag_matches(&x);
    apply_matches(&x);
    find_cas(&x);
    apply_hs(&x);
    goods_apply_values(&x);
    apply_text(&x);
    goods_rule_out(&x);
    apply_notes(&x);
    denied_features(&x);
    score_all(&x);
    refine_children(&x);
    goods_choose_subentries(&x);
    if (x.failed)
        return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory");
    hs_reading(&x, threshold, &out->hs);
    prohibitions(&x, dest, origin, threshold, out);
    out->destination = dest;
    out->origin = origin;
    st = emit(&x, q, threshold, out);
    if (st != CORDON_OK || x.failed)
        return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory");
    return CORDON_OK;
}
