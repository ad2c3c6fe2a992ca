/* textrank.c - the entries' own words as a second way in.
 *
 * The vocabulary (vocabulary.tsv) knows the words buyers use, but no vocabulary knows them
 * all: a description that says "electrolytic cell for fluorine production" or "space
 * qualified solar cells" uses the list's own words, and should find the entry that says so
 * even when no vocabulary term was written for it. So every entry is also indexed by the
 * words of its text (and the titles of the entries above it), and a description is ranked
 * against them with BM25. This ranking only ever names candidates: its weight is capped
 * below the default threshold (TEXT_MAX_W), and it never adds to vocabulary evidence, so an
 * ordinary item is never flagged by words it merely shares with a list. */
#include "goods.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#define BM25_K1 1.2
#define BM25_B 0.75
#define TEXT_MAX_DF_SHARE 0.08 /* words in more entries than this share say nothing */
#define TEXT_MAX_QUERY_WORDS 64 /* one bit each in a uint64_t */
#define TEXT_HITS_MAX 64

/* English function words: frequent in a short description, so their document frequency in
 * the lists does not always mark them as empty. Sorted, for bsearch. */
static const char *const function_words[] = {
    "all", "also", "and", "any", "are", "been", "being", "both", "but", "can", "each",
    "for", "from", "has", "have", "having", "into", "its", "more", "new", "not", "one",
    "only", "other", "our", "over", "per", "same", "such", "than", "that", "the", "their",
    "them", "these", "this", "those", "two", "under", "use", "used", "very", "was", "were",
    "when", "where", "which", "while", "who", "will", "with", "within", "without", "you",
    "your"};

static int word_cmp(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* A word counts when it has three letters or more, no digit (numbers and part numbers are
 * the values' business) and is not a function word. */
static bool text_word(const goods_token *t)
{
    size_t n = strlen(t->norm);
    if (n < 3 || t->number)
        return false;
    if (n <= 7 && bsearch(t->norm, function_words, ARRAY_LEN(function_words),
                          sizeof function_words[0], word_cmp))
        return false;
    for (size_t i = 0; i < n; i++)
        if (t->norm[i] >= '0' && t->norm[i] <= '9')
            return false;
    return true;
}

typedef struct posting {
    uint32_t word, entry;
    uint16_t tf;
} posting;

static int posting_cmp(const void *a, const void *b)
{
    const posting *x = a, *y = b;
    if (x->word != y->word)
        return x->word < y->word ? -1 : 1;
    return (x->entry > y->entry) - (x->entry < y->entry);
}

/* The words of one entry's document: its text (or title) and the titles of its selectable
 * ancestors, which name what a sub-entry is a kind of ("Fermenters" above "cultivation
 * chambers"). */
static size_t entry_words(const cordon_goods *g, uint32_t i, goods_token *tok, size_t cap)
{
    const goods_entry *e = &g->entries[i];
    const char *own = e->text && *e->text ? e->text : e->title;
    size_t n = own ? goods_tokenize(own, strlen(own), tok, cap) : 0;
    for (int32_t a = e->parent; a >= 0 && n < cap; a = g->entries[a].parent)
        if (g->entries[a].selectable && g->entries[a].title)
            n += goods_tokenize(g->entries[a].title, strlen(g->entries[a].title), tok + n,
                                cap - n);
    return n;
}

cordon_status goods_text_index(cordon_goods *g, cordon_error *err)
{
    enum { CAP = 2048 };
    goods_token *tok = malloc(CAP * sizeof *tok);
    posting *p = NULL;
    size_t np = 0, capp = 0, *last = NULL, capw = 0;
    uint32_t *doclen = calloc(g->n_entries + 1, sizeof *doclen);
    cordon_status st = CORDON_OK;
    if (!tok || !doclen)
        goto oom;
    uint32_t n_words = 0;
    for (uint32_t i = 0; i < g->n_entries; i++) {
        if (!g->entries[i].selectable)
            continue;
        size_t n = entry_words(g, i, tok, CAP);
        size_t first = np;
        for (size_t k = 0; k < n; k++) {
            if (!text_word(&tok[k]))
                continue;
            uint32_t id;
            if (!smap_get(&g->text_words, tok[k].norm, strlen(tok[k].norm), &id)) {
                const char *w = arena_strdup(g->arena, tok[k].norm);
                id = n_words++;
                if (!w || !smap_put(&g->text_words, w, id))
                    goto oom;
            }
            doclen[i]++;
            if (id >= capw) { /* the word's last posting, to count repeats in one entry */
                size_t nc = capw ? capw * 2 : 4096;
                size_t *q = realloc(last, nc * sizeof *last);
                if (!q)
                    goto oom;
                for (size_t k2 = capw; k2 < nc; k2++)
                    q[k2] = SIZE_MAX;
                last = q;
                capw = nc;
            }
            if (last[id] != SIZE_MAX && last[id] >= first) {
                if (p[last[id]].tf < UINT16_MAX)
                    p[last[id]].tf++;
                continue;
            }
            last[id] = np;
            if (np == capp) {
                capp = capp ? capp * 2 : 65536;
                posting *q = realloc(p, capp * sizeof *p);
                if (!q)
                    goto oom;
                p = q;
            }
            p[np++] = (posting){id, i, 1};
        }
    }
    if (np)
        qsort(p, np, sizeof *p, posting_cmp);
    g->text_n_words = n_words;
    g->text_start = arena_alloc(g->arena, (n_words + 1) * sizeof *g->text_start);
    g->text_entry = arena_alloc(g->arena, (np + 1) * sizeof *g->text_entry);
    g->text_tf = arena_alloc(g->arena, (np + 1) * sizeof *g->text_tf);
    g->text_idf = arena_alloc(g->arena, (n_words + 1) * sizeof *g->text_idf);
    g->text_doclen = arena_alloc(g->arena, (g->n_entries + 1) * sizeof *g->text_doclen);
    if (!g->text_start || !g->text_entry || !g->text_tf || !g->text_idf || !g->text_doclen)
        goto oom;
    size_t docs = 0;
    double total = 0;
    for (size_t i = 0; i < g->n_entries; i++) {
        g->text_doclen[i] = (float)doclen[i];
        docs += doclen[i] > 0;
        total += doclen[i];
    }
    g->text_docs = (uint32_t)docs;
    g->text_avgdl = docs ? (float)(total / (double)docs) : 1.0f;
    for (size_t k = 0, w = 0; w <= n_words; w++) {
        g->text_start[w] = (uint32_t)k;
        size_t from = k;
        while (k < np && p[k].word == w) {
            g->text_entry[k] = p[k].entry;
            g->text_tf[k] = p[k].tf;
            k++;
        }
        if (w < n_words) {
            double df = (double)(k - from);
            g->text_idf[w] = (float)log(1.0 + ((double)docs - df + 0.5) / (df + 0.5));
        }
    }
    free(tok);
    free(p);
    free(doclen);
    free(last);
    return st;
oom:
    free(tok);
    free(p);
    free(doclen);
    free(last);
    return err_set(err, CORDON_ERR_NOMEM, "goods: out of memory indexing the entries' texts");
}

/* Per-thread accumulators over all entries, cleared through the list of entries touched:
 * clearing the whole array for every description would cost more than ranking it. */
typedef struct scratch {
    size_t cap;
    float *score;
    uint64_t *words; /* which query words matched (bit per distinct query word) */
    uint32_t *touched;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
    scratch *s = p;
    if (!s)
        return;
    free(s->score);
    free(s->words);
    free(s->touched);
    free(s);
}

static void scratch_key_init(void) { pthread_key_create(&scratch_key, scratch_free); }

static scratch *scratch_for(size_t n_entries)
{
    pthread_once(&scratch_once, scratch_key_init);
    scratch *s = pthread_getspecific(scratch_key);
    if (s && s->cap >= n_entries)
        return s;
    scratch_free(s);
    s = calloc(1, sizeof *s);
    if (s) {
        s->cap = n_entries;
        s->score = calloc(n_entries, sizeof *s->score);
        s->words = calloc(n_entries, sizeof *s->words);
        s->touched = malloc(n_entries * sizeof *s->touched);
        if (!s->score || !s->words || !s->touched) {
            scratch_free(s);
            s = NULL;
        }
    }
    pthread_setspecific(scratch_key, s);
    return s;
}

static int popcount64(uint64_t v)
{
    int n = 0;
    for (; v; v &= v - 1)
        n++;
    return n;
}

size_t goods_text_rank(const cordon_goods *g, const goods_token *tok, size_t n_tok,
                       cordon_arena *a, goods_text_hit *out, size_t cap)
{
    if (!g->text_n_words || !cap)
        return 0;
    if (cap > TEXT_HITS_MAX)
        cap = TEXT_HITS_MAX;
    /* The distinct words of the description that the entries use and that say something. */
    uint32_t words[TEXT_MAX_QUERY_WORDS];
    const char *surface[TEXT_MAX_QUERY_WORDS];
    size_t nw = 0;
    double mass = 0;
    uint32_t max_df = (uint32_t)(TEXT_MAX_DF_SHARE * g->text_docs) + 1;
    for (size_t i = 0; i < n_tok && nw < TEXT_MAX_QUERY_WORDS; i++) {
        uint32_t id;
        if (!text_word(&tok[i]) ||
            !smap_get(&g->text_words, tok[i].norm, strlen(tok[i].norm), &id))
            continue;
        uint32_t df = g->text_start[id + 1] - g->text_start[id];
        bool seen = false;
        for (size_t k = 0; k < nw && !seen; k++)
            seen = words[k] == id;
        if (seen || df > max_df)
            continue;
        surface[nw] = tok[i].norm;
        words[nw++] = id;
        mass += g->text_idf[id] * (BM25_K1 + 1);
    }
    scratch *s = nw >= 2 ? scratch_for(g->n_entries) : NULL;
    if (!s)
        return 0;
    size_t nt = 0;
    for (size_t k = 0; k < nw; k++) {
        uint32_t w = words[k];
        for (uint32_t j = g->text_start[w]; j < g->text_start[w + 1]; j++) {
            uint32_t e = g->text_entry[j];
            double tf = g->text_tf[j];
            double norm = BM25_K1 * (1 - BM25_B + BM25_B * g->text_doclen[e] / g->text_avgdl);
            if (!s->words[e])
                s->touched[nt++] = e;
            s->score[e] += (float)(g->text_idf[w] * tf * (BM25_K1 + 1) / (tf + norm));
            s->words[e] |= 1ull << k; /* nw <= 64 */
        }
    }
    /* The best `cap` entries with two words of the description at least (one shared word is
     * a coincidence), by score then document order; the accumulators are cleared on the way. */
    size_t nout = 0;
    uint64_t out_words[TEXT_HITS_MAX];
    for (size_t i = 0; i < nt; i++) {
        uint32_t e = s->touched[i];
        float sc = s->score[e];
        uint64_t wb = s->words[e];
        s->score[e] = 0;
        s->words[e] = 0;
        if (popcount64(wb) < 2)
            continue;
        size_t pos = nout;
        while (pos > 0 && (out[pos - 1].share < sc ||
                           (out[pos - 1].share == sc && out[pos - 1].entry > e)))
            pos--;
        if (pos >= cap)
            continue;
        size_t last = nout < cap ? nout : cap - 1;
        for (size_t k = last; k > pos; k--) {
            out[k] = out[k - 1];
            out_words[k] = out_words[k - 1];
        }
        out[pos] = (goods_text_hit){e, sc, NULL};
        out_words[pos] = wb;
        if (nout < cap)
            nout++;
    }
    for (size_t i = 0; i < nout; i++) {
        out[i].share /= mass;
        char *ws = NULL;
        for (size_t k = 0; k < nw; k++)
            if (out_words[i] >> k & 1)
                ws = ws ? arena_printf(a, "%s %s", ws, surface[k]) : arena_strdup(a, surface[k]);
        out[i].words = ws ? ws : "";
    }
    return nout;
}
