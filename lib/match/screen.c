/* screen.c - screening one party: prepare the query, gather candidate names from the index,
 * score them, fold names into entities, apply the supporting features, explain. */
#include "match.h"
#include "../lists/reader.h"

#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>

#define FUZZY_EXPANSIONS MATCH_NEAR_MAX /* similar dictionary tokens kept per query token */
#define MIN_CANDIDATES 6     /* names fully scored beyond the limit, however low their estimate */
#define EST_BAR 0.65         /* names whose estimate reaches this share of the threshold */
#define MAX_FEATURE_GAIN 0.08 /* dob +0.05 and country +0.03: the most features add */
#define MAX_CANDIDATES 512   /* and at most, however many a very common word reaches */

/* Per-name and per-key scratch, each in one record: the fields are read together, and
 * separate arrays cost a cache miss each per posting. */
typedef struct {
    uint32_t q_stamp, t_stamp;
    float acc;
} name_slot;

typedef struct {
    uint32_t stamp;
    uint32_t count;
} key_slot;

/* What stok_prepare finds for a word key, and how many names use it, worked out the first
 * time a thread meets the key and kept for the index's life: list tokens meet thousands of
 * query tokens. */
typedef struct {
    uint64_t mask, fmask;
    const char *fold2; /* text_dict_nickname_fold2 */
    uint8_t flen, fold_same, article, connector, ready;
    int8_t acro; /* acronym_len of a word few names use (a common one is never an acronym) */
    uint8_t common, known; /* common_word, known_word */
} key_facts;

/* Per-thread scratch sized to the index, reused across queries; stamps avoid clearing. */
typedef struct scratch {
    const match_index *ix;
    uint32_t n_names, n_keys;
    name_slot *nm;
    key_slot *ks;
    key_facts *facts;
    uint32_t serial, tserial;
    uint32_t kserial; /* key_slot stamps: a search's own, apart from the token serial */
    uint32_t *touched;
    size_t n_touched;
    sim_cache cache;
} scratch;

static _Thread_local scratch tls;

static void scratch_release(scratch *s)
{
    free(s->nm);
    free(s->ks);
    free(s->facts);
    free(s->touched);
    free(s->cache.slots);
    memset(s, 0, sizeof *s);
}

/* A thread's scratch is freed when the thread exits (a server's worker threads come and go). */
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static void scratch_destroy(void *p) { scratch_release(p); }
static void scratch_key_init(void) { pthread_key_create(&scratch_key, scratch_destroy); }

static bool scratch_get(const match_index *ix)
{
    scratch *s = &tls;
    if (s->ix == ix && s->n_names == ix->hdr->n_names && s->n_keys == ix->hdr->n_keys)
        return true;
    pthread_once(&scratch_once, scratch_key_init);
    pthread_setspecific(scratch_key, s);
    scratch_release(s);
    uint32_t n = ix->hdr->n_names ? ix->hdr->n_names : 1, k = ix->hdr->n_keys ? ix->hdr->n_keys : 1;
    s->nm = calloc(n, sizeof *s->nm);
    s->touched = calloc(n, sizeof *s->touched);
    s->ks = calloc(k, sizeof *s->ks);
    s->facts = calloc(k, sizeof *s->facts);
    s->cache.slots = calloc(SIM_CACHE_SLOTS, sizeof *s->cache.slots);
    if (!s->cache.slots || !s->nm || !s->touched || !s->ks || !s->facts) {
        scratch_release(s);
        return false;
    }
    s->ix = ix;
    s->n_names = ix->hdr->n_names;
    s->n_keys = ix->hdr->n_keys;
    return true;
}

/* ---- tokens as the scorer sees them ------------------------------------------------------ */

/* k: the word key of t's text, or UINT32_MAX. */
static float query_weight(const match_index *ix, const text_token *t, uint32_t k)
{
    /* A one-letter word (a Hangul syllable such as 우 "u") is not an initial, whatever the
     * lists' "U." weighs. */
    if (k != UINT32_MAX && !(ix->keys[k].cls == TOK_INITIAL && t->cls == TOK_WORD))
        return ix->keys[k].weight;
    float mean = ix->hdr->mean_weight, max = ix->hdr->max_weight;
    if (k != UINT32_MAX)
        return mean;
    switch (t->cls) {
    case TOK_GENERIC:
        return mean * 0.2f;
    case TOK_INITIAL:
        return mean * 0.3f;
    case TOK_NUMBER:
        return mean;
    default:
        return max * 0.9f > mean ? max * 0.9f : mean;
    }
}

/* A word that this many list names use is a word, not an acronym: "Abu" is not the initials
 * of "Al-Ka'bi, Bin ...", whereas IRGC (15 names) and NITC (2) are acronyms. */
static bool common_word(const match_index *ix, uint32_t key)
{
    uint32_t limit = ix->hdr->n_names / 2000 > 20 ? ix->hdr->n_names / 2000 : 20;
    return key != UINT32_MAX && ix->keys[key].n_post > limit;
}

/* A word two or more list names use is a name or word of its own (Hamid, Hamad), not a typo
 * of its neighbour: score.c's distinct_names. */
#define KNOWN_POSTINGS 2
static bool known_word(const match_index *ix, uint32_t key)
{
    return key != UINT32_MAX && ix->keys[key].n_post >= KNOWN_POSTINGS;
}

/* The query's tokens, prepared once for every pair they are in; skel holds their
 * skeletons, keys the word key of each (UINT32_MAX: not a word of the lists), looked up once
 * for weighting and retrieval. */
static void query_stoks(const match_index *ix, const text_name *tn, stok *out,
                        char (*skel)[TEXT_MAX_TOKEN], uint32_t *keys)
{
    for (size_t i = 0; i < tn->n; i++) {
        const text_token *t = &tn->tok[i];
        uint32_t key = keys[i] = idx_find(ix, KEY_WORD, t->text);
        out[i] = (stok){.text = t->text, .orig = t->orig, .fold = t->fold,
                        .fold2 = t->cls == TOK_NUMBER
                                     ? NULL
                                     : text_dict_nickname_fold2(ix->dict, t->text),
                        .w = query_weight(ix, t, key), .len = t->len, .cls = t->cls,
                        .abjad = t->abjad, .sector = t->sector,
                        .key = UINT32_MAX, .alt = t->alt[0] ? t->alt : NULL};
        out[i].common = common_word(ix, key);
        out[i].known = known_word(ix, key);
        stok_prepare(&out[i], skel[i]);
    }
}

/* A list token of word key `key`, prepared from the thread's key facts (the skeleton is
 * left to whoever needs it). */
static inline const key_facts *facts_of(const match_index *ix, uint32_t key)
{
    key_facts *f = &tls.facts[key];
    if (!f->ready) {
        const idx_key *k = &ix->keys[key];
        const char *text = ix->pool + k->str + 2;
        stok p = {.text = text, .orig = text, .fold = ix->pool + k->fold, .len = k->len,
                  .cls = k->cls};
        stok_prepare(&p, NULL);
        *f = (key_facts){p.mask, p.fmask,
                         k->cls == TOK_NUMBER ? NULL : text_dict_nickname_fold2(ix->dict, text),
                         p.flen, p.fold_same, p.article, p.connector, 1, p.acro,
                         common_word(ix, key), known_word(ix, key)};
    }
    return f;
}

/* key_stok sets stok's fields one by one: a field added to stok must be set there too. */
_Static_assert(sizeof(stok) == 88, "stok changed: set the new field in key_stok");

static inline void key_stok(const match_index *ix, uint32_t key, uint8_t abjad, bool common,
                            uint32_t memo_key, stok *t)
{
    const idx_key *k = &ix->keys[key];
    const char *text = ix->pool + k->str + 2;
    const key_facts *f = facts_of(ix, key);
    /* Field by field, every field: a compound literal zeroes the whole struct first, and
     * this runs for every token of every name scored (about 1.1M times per 8,000
     * screenings, 20 instructions each saved). */
    t->text = text;
    t->orig = text;
    t->fold = ix->pool + k->fold;
    t->fold2 = f->fold2;
    t->w = k->weight;
    t->len = k->len;
    t->cls = k->cls;
    t->abjad = abjad;
    t->common = common;
    t->known = f->known;
    t->sector = k->sector;
    t->key = memo_key;
    t->prepared = 1;
    t->flen = f->flen;
    t->fold_same = f->fold_same;
    t->canonical = 0;
    t->article = f->article;
    t->connector = f->connector;
    t->polysyllabic = 0;
    t->acro = common ? 0 : f->acro;
    t->mask = f->mask;
    t->fmask = f->fmask;
    t->skel = NULL;
    t->alt = NULL;
}

static int name_stoks(const match_index *ix, uint32_t name, stok *out)
{
    const idx_name *nm = &ix->names[name];
    int n = nm->n_toks > TEXT_MAX_TOKENS ? TEXT_MAX_TOKENS : nm->n_toks;
    for (int i = 0; i < n; i++) {
        uint32_t key = ix->name_toks[nm->toks + (uint32_t)i];
        key_stok(ix, key, nm->abjad, facts_of(ix, key)->common, key, &out[i]);
    }
    return n;
}

/* ---- candidate retrieval ----------------------------------------------------------------- */

/* Keys reaching more names than this are not walked when a rarer query word exists: on a
 * list of millions, a common word ("kim", "trading") has tens of thousands of names, and the
 * rarer words find the right ones; the common word still counts when they are scored. */
static _Thread_local uint32_t touch_cap = UINT32_MAX;

static void touch(const match_index *ix, uint32_t key, double contribution)
{
    scratch *s = &tls;
    const idx_key *k = &ix->keys[key];
    if (k->n_post > touch_cap)
        return;
    for (uint32_t p = 0; p < k->n_post; p++) {
        uint32_t name = ix->post[k->post + p];
        name_slot *ns = &s->nm[name];
        if (ns->q_stamp != s->serial) {
            ns->q_stamp = s->serial;
            ns->acc = 0;
            s->touched[s->n_touched++] = name;
        }
        if (ns->t_stamp == s->tserial)
            continue; /* this query token already counted for this name, at a higher sim */
        ns->t_stamp = s->tserial;
        ns->acc += (float)contribution;
    }
}

typedef struct {
    uint32_t key;
    double sim;
} fuzzy_key;

static int fuzzy_cmp(const void *a, const void *b)
{
    const fuzzy_key *x = a, *y = b;
    return (x->sim < y->sim) - (x->sim > y->sim);
}

/* Is key in the postings [lo, hi) of a trigram (sorted by key)? A branch-free binary search:
 * it runs for most candidates of every query word, and the comparisons do not predict. */
static bool gram_has(const match_index *ix, uint32_t lo, uint32_t hi, uint32_t key)
{
    if (lo >= hi)
        return false;
    const uint32_t *base = ix->gram_post + lo;
    uint32_t n = hi - lo;
    while (n > 1) {
        uint32_t half = n / 2;
        base = base[half] <= key ? base + half : base;
        n -= half;
    }
    return *base == key;
}

typedef struct {
    uint32_t lo, hi;
} gram_list;

static int gram_list_cmp(const void *a, const void *b)
{
    const gram_list *x = a, *y = b;
    uint32_t lx = x->hi - x->lo, ly = y->hi - y->lo;
    return (lx > ly) - (lx < ly);
}

/* Marks word key k as a candidate of the current stamp; a near spelling passes the trigram
 * count whatever it shares. */
static void near_add(uint32_t k, uint32_t stamp, uint32_t *cand, size_t *nc, size_t cap)
{
    scratch *s = &tls;
    if (s->ks[k].stamp == stamp || *nc >= cap)
        return;
    s->ks[k].stamp = stamp;
    s->ks[k].count = 0x4000; /* a near spelling: passes the shared-trigram test */
    cand[(*nc)++] = k;
}

/* Postings of a word-listing key, at most a bounded number: a short deletion or skeleton
 * ("sd") can stand for many words, and the trigram search still covers the longer ones. */
#define NEAR_PER_KEY 48
/* Near spellings rated per query word: a word found as it is looks at fewer (its list-side
 * variants) than one that is not (a typo in the query). */
/* Longer words share enough trigrams with their one-edit variants: the deletion keys are
 * only asked for words up to this length. */
#define NEAR_DEL_MAX 5
#define NEAR_KNOWN 16
#define NEAR_UNKNOWN 64
#define RARE_WORD_NAMES 3 /* list names using a word that still gets the unknown-word typo reach */
/* Fixed share of a word's weight for a match through a near spelling of a written-together
 * form, which token_sim cannot rate (the other side is two tokens). */
#define NEAR_JOIN_SHARE 0.85

static void near_key(const match_index *ix, uint32_t key, uint32_t stamp, uint32_t *cand,
                     size_t *nc, size_t cap)
{
    if (key == UINT32_MAX)
        return;
    const idx_key *k = &ix->keys[key];
    uint32_t n = k->n_post < NEAR_PER_KEY ? k->n_post : NEAR_PER_KEY;
    for (uint32_t p = 0; p < n; p++)
        near_add(ix->post[k->post + p], stamp, cand, nc, cap);
}

/* Dictionary words one edit from t (a letter more, less or different: through the keys of
 * each word less one letter) and, for Latin words, those with t's consonant skeleton. These
 * are what trigrams miss: short words ("sad" / "suad", "nipc" / "npc") share too few
 * trigrams, and vowel variants ("roshan" / "rushaan") too few of the known-word quota. */
static size_t near_spellings(const match_index *ix, const stok *t, uint32_t stamp,
                             uint32_t *cand, size_t cap)
{
    size_t nc = 0, n = strlen(t->text);
    if (n < 3 || n >= TEXT_MAX_TOKEN)
        return 0;
    bool short_word = n <= NEAR_DEL_MAX;
    if (short_word)
        near_key(ix, idx_find(ix, KEY_DEL, t->text), stamp, cand, &nc, cap);
    for (size_t i = 0; short_word && n >= 4 && i < n; i++) {
        if (i && t->text[i] == t->text[i - 1])
            continue;
        char del[TEXT_MAX_TOKEN];
        memcpy(del, t->text, i);
        memcpy(del + i, t->text + i + 1, n - i);
        uint32_t k = idx_find(ix, KEY_WORD, del);
        if (k != UINT32_MAX && ix->keys[k].cls != TOK_NUMBER && ix->keys[k].cls != TOK_INITIAL)
            near_add(k, stamp, cand, &nc, cap);
        near_key(ix, idx_find(ix, KEY_DEL, del), stamp, cand, &nc, cap);
    }
    if (!t->abjad) {
        char skel[TEXT_MAX_TOKEN];
        text_skeleton(t->text, skel, sizeof skel);
        if (strlen(skel) >= 3)
            near_key(ix, idx_find(ix, KEY_WSKEL, skel), stamp, cand, &nc, cap);
    }
    return nc;
}

/* Dictionary tokens within typo distance of t. A token within reach shares at least `need` of
 * t's trigrams, so by pigeonhole it appears in one of the (grams - need + 1) rarest trigram
 * lists: only those are scanned; the common lists are then probed by binary search for the
 * few candidates found. */
static size_t fuzzy_keys(const match_index *ix, const stok *t, bool exact_known, fuzzy_key *out,
                         size_t cap)
{
    scratch *s = &tls;
    char padded[TEXT_MAX_TOKEN + 4];
    int n = snprintf(padded, sizeof padded, "$%s$", t->text);
    gram_list lists[TEXT_MAX_TOKEN + 4];
    int grams = 0;
    for (int j = 0; j + 2 < n; j++) {
        uint32_t slot = gram_slot(padded[j], padded[j + 1], padded[j + 2]);
        if (slot != UINT32_MAX)
            lists[grams++] = (gram_list){ix->gram_offs[slot], ix->gram_offs[slot + 1]};
    }
    /* A query word that is itself in the lists needs closer neighbours (list-side typos)
     * than one that is not (a typo in the query). */
    int need = exact_known ? grams / 2 : grams / 3;
    if (need < 1)
        need = 1;
    uint32_t stamp = ++s->kserial;
    uint32_t cand[256];
    size_t nc = near_spellings(ix, t, stamp, cand, exact_known ? NEAR_KNOWN : NEAR_UNKNOWN);
    if (t->len < 4 || grams < 3)
        grams = 0; /* short words: their trigrams say little */
    /* Stable insertion sort (as glibc's merge-sort qsort): equal lengths keep their order,
     * which decides the candidates' order below. A token has few trigrams. */
    for (int g = 1; g < grams; g++) {
        gram_list gl = lists[g];
        int h = g;
        for (; h > 0 && gram_list_cmp(&lists[h - 1], &gl) > 0; h--)
            lists[h] = lists[h - 1];
        lists[h] = gl;
    }
    int scan = grams > 0 ? grams - need + 1 : 0;
    int slack = t->len / 3 > 2 ? t->len / 3 : 2;
    /* A word found as it is only looks for a few near spellings; an unknown one (a typo in
     * the query) for more. */
    size_t max_cand = exact_known ? 192 : ARRAY_LEN(cand);
    for (int g = 0; g < scan; g++) {
        for (uint32_t p = lists[g].lo; p < lists[g].hi; p++) {
            uint32_t k = ix->gram_post[p];
            key_slot *ks = &s->ks[k];
            if (ks->stamp != stamp) {
                ks->stamp = stamp;
                ks->count = 0;
                if (nc < max_cand && abs((int)ix->keys[k].len - (int)t->len) <= slack)
                    cand[nc++] = k;
            }
            ks->count++;
        }
    }
    /* The `cap` most similar keys, most similar first, equals in the order found (a stable
     * sort then a cut, without sorting the rest). */
    size_t m = 0;
    fuzzy_key top[FUZZY_EXPANSIONS];
    if (cap > FUZZY_EXPANSIONS)
        cap = FUZZY_EXPANSIONS;
    if (!cap)
        return 0;
    for (size_t i = 0; i < nc; i++) {
        uint32_t k = cand[i];
        int count = (int)s->ks[k].count;
        /* Stop once the lists left cannot bring the count to `need`. */
        for (int g = scan; g < grams && count < need && count + (grams - g) >= need; g++)
            count += gram_has(ix, lists[g].lo, lists[g].hi, k);
        if (count < need)
            continue;
        /* Once `cap` are kept, only a key more similar than the last of them matters. The
         * masks rule out most keys before they are rated. */
        double above = m == cap ? top[m - 1].sim : 0.0;
        stok c;
        key_stok(ix, k, 0, false, UINT32_MAX, &c);
        if (!token_sim_may_exceed(t, &c, above))
            continue;
        int how;
        double sim = token_sim_above(t, &c, &how, above);
        if (!(sim > 0 && sim < 1.0))
            continue;
        fuzzy_key fk = {k, sim};
        if (m == cap && fuzzy_cmp(&top[m - 1], &fk) <= 0)
            continue; /* not better than the last kept: a stable sort puts it after */
        size_t h = m < cap ? m++ : m - 1;
        for (; h > 0 && fuzzy_cmp(&top[h - 1], &fk) > 0; h--)
            top[h] = top[h - 1];
        top[h] = fk;
    }
    memcpy(out, top, m * sizeof *out);
    return m;
}

/* A word key as a query word: the token the expansions stored for it were worked out for. */
static void word_query_stok(const match_index *ix, uint32_t key, stok *t)
{
    key_stok(ix, key, 0, facts_of(ix, key)->common, UINT32_MAX, t);
}

int match_word_near(const match_index *ix, uint32_t key, idx_near *out)
{
    if (!scratch_get(ix))
        return -1;
    stok t;
    word_query_stok(ix, key, &t);
    fuzzy_key fk[FUZZY_EXPANSIONS];
    size_t n = fuzzy_keys(ix, &t, ix->keys[key].n_post > RARE_WORD_NAMES, fk, FUZZY_EXPANSIONS);
    for (size_t i = 0; i < n; i++)
        out[i] = (idx_near){fk[i].sim, fk[i].key, 0};
    return (int)n;
}

void match_scratch_release(void) { scratch_release(&tls); }

/* The expansions the index stores for query token t, if t is word key `word` as the lists
 * write it: the same text, not folded from another spelling, the same class and fold, and in
 * Latin script (its fold2 and the facts fuzzy_keys reads then follow from the text). Else
 * NULL: t is searched for. */
static const idx_near *stored_near(const match_index *ix, const stok *t, uint32_t word,
                                   size_t *n)
{
    if (!ix->near_offs || word == UINT32_MAX || t->abjad)
        return NULL;
    const idx_key *k = &ix->keys[word];
    if (k->cls != t->cls || strcmp(t->orig, t->text) != 0 ||
        strcmp(t->fold, ix->pool + k->fold) != 0)
        return NULL;
    *n = ix->near_offs[word + 1] - ix->near_offs[word];
    return ix->near + ix->near_offs[word];
}

/* word: t's word key (query_stoks), or UINT32_MAX. */
static void retrieve_token(const match_index *ix, const stok *t, uint32_t word, double w)
{
    scratch *s = &tls;
    s->tserial++;
    uint32_t k;
    bool exact_known = false;
    if ((k = word) != UINT32_MAX) {
        touch(ix, k, w);
        /* A word this few names use is as likely a variant spelling as a word of its own
         * ("sierra" / "sienna"): it keeps the full typo reach. */
        exact_known = ix->keys[k].n_post > RARE_WORD_NAMES;
    }
    if (t->cls == TOK_NUMBER || t->cls == TOK_INITIAL)
        return;
    if ((k = idx_find(ix, KEY_JOIN, t->text)) != UINT32_MAX)
        touch(ix, k, w);
    if ((k = idx_find(ix, KEY_FOLD, t->fold)) != UINT32_MAX)
        touch(ix, k, w * 0.92);
    if (t->fold2 && (k = idx_find(ix, KEY_FOLD, t->fold2)) != UINT32_MAX)
        touch(ix, k, w * 0.92);
    if (t->fold2 && (k = idx_find(ix, KEY_WORD, t->fold2)) != UINT32_MAX)
        touch(ix, k, w * 0.92);
    if ((k = idx_find(ix, KEY_WORD, t->fold)) != UINT32_MAX)
        touch(ix, k, w * 0.92);
    char skel[TEXT_MAX_TOKEN];
    text_skeleton(t->text, skel, sizeof skel);
    size_t sl = strlen(skel);
    if (sl >= 2 && (k = idx_find(ix, t->abjad ? KEY_SKEL : KEY_ABJAD, skel)) != UINT32_MAX)
        touch(ix, k, w * 0.9);
    /* An Arabic-script word ending in a ta marbuta (حنيفة) against a Latin spelling without
     * it (Hanifa), as the index does for the other direction. */
    if (t->abjad && sl >= 3 && (skel[sl - 1] == 't' || skel[sl - 1] == 'h')) {
        skel[sl - 1] = 0;
        if ((k = idx_find(ix, KEY_SKEL, skel)) != UINT32_MAX)
            touch(ix, k, w * 0.9);
    }
    /* the Persian reading (ض z, ق gh: رضا Reza) */
    if (t->alt) {
        text_skeleton(t->alt, skel, sizeof skel);
        if (strlen(skel) >= 2 && (k = idx_find(ix, KEY_SKEL, skel)) != UINT32_MAX)
            touch(ix, k, w * 0.9);
    }
    if (t->abjad == TOK_HEBREW) {
        /* one consonant says too little, as in the scorer */
        if (text_hebrew_key(t->text, true, skel, sizeof skel) >= 2 && skel[0] &&
            (k = idx_find(ix, KEY_HEB, skel)) != UINT32_MAX)
            touch(ix, k, w * 0.9);
    }
    if (t->len >= 3) {
        size_t nn;
        const idx_near *nr = stored_near(ix, t, word, &nn);
        if (nr) { /* worked out at build: the search below, for this word */
            for (size_t i = 0; i < nn; i++)
                touch(ix, nr[i].key, w * nr[i].sim);
        } else {
            fuzzy_key fk[FUZZY_EXPANSIONS];
            size_t nf = fuzzy_keys(ix, t, exact_known, fk, FUZZY_EXPANSIONS);
            for (size_t i = 0; i < nf; i++)
                touch(ix, fk[i].key, w * fk[i].sim);
        }
    }
    /* A list name's two words written as one with a letter more ("madkandalou" / "mad
     * kandalu"). */
    size_t n = strlen(t->text);
    for (size_t i = 0; n >= 6 && n < TEXT_MAX_TOKEN && i < n; i++) {
        if (i && t->text[i] == t->text[i - 1])
            continue;
        char del[TEXT_MAX_TOKEN];
        memcpy(del, t->text, i);
        memcpy(del + i, t->text + i + 1, n - i);
        if ((k = idx_find(ix, KEY_JOIN, del)) != UINT32_MAX)
            touch(ix, k, w * NEAR_JOIN_SHARE);
    }
}

#define NEAR_JOIN_WORDS 8

/* A run of query words written together that a list word spells with one letter more ("al
 * hoseini" / "alhosseini", "abd rabo" / "abdrabbo"): one lookup. The other edits (a letter
 * less or different) would cost a lookup per letter of every run, for few names. */
static void retrieve_joined_near(const match_index *ix, const char *joined, double w)
{
    uint32_t cand[NEAR_JOIN_WORDS];
    size_t nc = 0;
    near_key(ix, idx_find(ix, KEY_DEL, joined), ++tls.kserial, cand, &nc, ARRAY_LEN(cand));
    for (size_t i = 0; i < nc; i++)
        touch(ix, cand[i], w * NEAR_JOIN_SHARE);
}

/* An Arabic-script query's words written together, by skeleton, as the scorer compares
 * them: "مطيع الله" finds Matiullah, "شمس الدین" Shamsuddin (the article's l assimilated). */
static void retrieve_joined_skeleton(const match_index *ix, const text_name *tn, size_t from,
                                     size_t count, double w)
{
    const char *words[3];
    for (size_t i = 0; i < count; i++) {
        if (tn->tok[from + i].cls == TOK_NUMBER || tn->tok[from + i].cls == TOK_INITIAL)
            return;
        words[i] = tn->tok[from + i].text;
    }
    if (!text_compound_span(words, (int)count))
        return;
    char plain[TEXT_MAX_TOKEN * 3], assim[TEXT_MAX_TOKEN * 3];
    uint32_t k;
    if (text_skeleton_span(words, (int)count, false, plain, sizeof plain) >= 3 &&
        (k = idx_find(ix, KEY_SKEL, plain)) != UINT32_MAX) {
        tls.tserial++;
        touch(ix, k, w * 0.9);
    }
    if (text_skeleton_span(words, (int)count, true, assim, sizeof assim) >= 3 &&
        strcmp(plain, assim) != 0 && (k = idx_find(ix, KEY_SKEL, assim)) != UINT32_MAX) {
        tls.tserial++;
        touch(ix, k, w * 0.9);
    }
}

/* Acronyms both ways, as the scorer matches them: a short query token finds the names with a
 * run of words of those initials ("NITC"), a run of query words the names with that acronym.
 * From three letters: two-letter acronyms ("SA", "CV") would reach thousands of names. */
static void retrieve_acronyms(const match_index *ix, const stok *q, int nq)
{
    scratch *s = &tls;
    uint32_t k;
    for (int i = 0; i < nq; i++)
        if (acronym_len(&q[i]) >= 3 && (k = idx_find(ix, KEY_ACRO, q[i].orig)) != UINT32_MAX) {
            s->tserial++;
            touch(ix, k, q[i].w * 0.85);
        }
    const char *orig[TEXT_MAX_TOKENS], *text[TEXT_MAX_TOKENS];
    uint8_t cls[TEXT_MAX_TOKENS];
    for (int i = 0; i < nq; i++) {
        orig[i] = q[i].orig;
        text[i] = q[i].text;
        cls[i] = q[i].cls;
    }
    for (int span = 3; span <= 5; span++)
        for (int i = 0; i + span <= nq; i++) {
            char ini[6];
            if (!span_initials(orig, cls, i, span, ini) ||
                (k = idx_find(ix, KEY_WORD, ini)) == UINT32_MAX)
                continue;
            float w = 0;
            for (int j = i; j < i + span; j++)
                w += q[j].w;
            s->tserial++;
            touch(ix, k, w * 0.85);
        }
    /* Two letters, in companies only (see the index's KEY_INIT): "WK LLC" finds Wassim
     * Kattan LLC, "Electro Sanam Company" finds E. S. Co. */
    if (!name_is_company(text, cls, nq))
        return;
    for (int i = 0; i < nq; i++) {
        if (cls[i] != TOK_WORD)
            continue;
        if (acronym_len(&q[i]) == 2 && (k = idx_find(ix, KEY_ACRO, q[i].orig)) != UINT32_MAX) {
            s->tserial++;
            touch(ix, k, q[i].w * 0.85);
        }
        /* Two letters that many names use as a word (Al, El) are that word, not initials. */
        char ini[3];
        if (i + 1 < nq && cls[i + 1] == TOK_WORD && !q[i].article && !q[i + 1].article &&
            span_initials(orig, cls, i, 2, ini) &&
            !common_word(ix, idx_find(ix, KEY_WORD, ini)) &&
            (k = idx_find(ix, KEY_INIT, ini)) != UINT32_MAX) {
            s->tserial++;
            touch(ix, k, (q[i].w + q[i + 1].w) * 0.85);
        }
    }
}

typedef struct {
    uint32_t name;
    float est;
} cand_name;

/* The order of candidates: estimate descending, then name (a total order: names are
 * distinct). Inlined, where qsort would call a comparison through a pointer. */
static inline bool cand_before(const cand_name *x, const cand_name *y)
{
    return x->est != y->est ? x->est > y->est : x->name < y->name;
}

/* Moves the k best candidates (by cand_before) to the front, in no order; returns k.
 * Quickselect: linear on average, where sorting every touched name was not. */
static size_t select_top(cand_name *c, size_t n, size_t k)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        cand_name pivot = c[lo + (hi - lo) / 2];
        size_t i = lo, j = hi - 1;
        while (i <= j) {
            while (cand_before(&c[i], &pivot))
                i++;
            while (cand_before(&pivot, &c[j]))
                j--;
            if (i <= j) {
                cand_name t = c[i];
                c[i] = c[j];
                c[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j + 1;
        else if (k >= i)
            lo = i;
        else
            break;
    }
    return k;
}

static inline void cand_swap(cand_name *x, cand_name *y)
{
    cand_name t = *x;
    *x = *y;
    *y = t;
}

/* Sorts by cand_before, a total order, so the result is the one qsort gave. Quicksort
 * on the median of three, insertion sort for short runs: glibc's qsort is a merge sort that
 * allocates and calls the comparison through a pointer. */
static void sort_cands(cand_name *c, size_t n)
{
    while (n > 16) {
        size_t mid = (n - 1) / 2;
        if (cand_before(&c[mid], &c[0]))
            cand_swap(&c[mid], &c[0]);
        if (cand_before(&c[n - 1], &c[0]))
            cand_swap(&c[n - 1], &c[0]);
        if (cand_before(&c[n - 1], &c[mid]))
            cand_swap(&c[n - 1], &c[mid]);
        cand_name pivot = c[mid];
        /* Hoare's partition: c[0..j] before or at the pivot, c[j+1..n) at or after it. */
        size_t i = 0, j = n - 1;
        for (;;) {
            while (cand_before(&c[i], &pivot))
                i++;
            while (cand_before(&pivot, &c[j]))
                j--;
            if (i >= j)
                break;
            cand_swap(&c[i++], &c[j--]);
        }
        size_t left = j + 1;
        if (left < n - left) { /* recurse into the shorter side, loop on the longer */
            sort_cands(c, left);
            c += left;
            n -= left;
        } else {
            sort_cands(c + left, n - left);
            n = left;
        }
    }
    for (size_t k = 1; k < n; k++) {
        cand_name t = c[k];
        size_t m = k;
        for (; m > 0 && cand_before(&t, &c[m - 1]); m--)
            c[m] = c[m - 1];
        c[m] = t;
    }
}

/* ---- features ---------------------------------------------------------------------------- */

typedef struct {
    cordon_feature_score f[8];
    size_t n;
} features;

static void feat(features *fs, cordon_arena *a, const char *name, double delta, const char *detail)
{
    if (fs->n < ARRAY_LEN(fs->f))
        fs->f[fs->n++] = (cordon_feature_score){name, delta, arena_strdup(a, detail)};
}

static void dob_feature(const cordon_query *q, const cordon_entity *e, cordon_arena *a,
                        features *fs)
{
    cordon_date d;
    if (!q->dob || !e->n_birth_dates || !date_parse_iso(q->dob, &d))
        return;
    double best = -0.10;
    const char *why = "no birth date of the entry fits";
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        const cordon_date *x = &e->birth_dates[i];
        bool in_range = d.year_from >= x->year_from && d.year_from <= x->year_to;
        if (in_range && x->year_from == x->year_to && x->month && d.month && x->day && d.day &&
            x->month == d.month && x->day == d.day) {
            best = 0.05;
            why = "exact date of birth";
        } else if (in_range && (!x->month || !d.month || x->month == d.month) && best < 0.02) {
            best = 0.02;
            why = x->year_from == x->year_to ? "year of birth matches" : "year within listed range";
        } else if (!in_range && best < -0.03 &&
                   abs(d.year_from - x->year_from) <= 1 + (x->circa ? 2 : 0)) {
            best = -0.03;
            why = "year of birth off by little";
        }
    }
    feat(fs, a, "dob", best, why);
}

/* Both names in Hangul, or both in Han: a character that differs as written is a different
 * name, however alike the romanisations are (김종은 is not 김정은). */
static void native_feature(const char *query, const char *listed, cordon_arena *a, features *fs)
{
    int len = 0, diff = text_native_diff(query, listed, &len);
    if (diff <= 0)
        return;
    double delta = -0.25 * diff - (len <= 2 ? 0.1 : 0.0);
    feat(fs, a, "native_script", delta < -0.75 ? -0.75 : delta,
         arena_printf(a, "written in the same script, %d of %d characters differ", diff, len));
}

bool entity_has_country(const cordon_entity *e, const char *cc)
{
    for (size_t i = 0; i < e->n_nationalities; i++)
        if (strcmp(e->nationalities[i], cc) == 0)
            return true;
    for (size_t i = 0; i < e->n_citizenships; i++)
        if (strcmp(e->citizenships[i], cc) == 0)
            return true;
    for (size_t i = 0; i < e->n_addresses; i++)
        if (e->addresses[i].country && strcmp(e->addresses[i].country, cc) == 0)
            return true;
    for (size_t i = 0; i < e->n_ids; i++)
        if (e->ids[i].country && strcmp(e->ids[i].country, cc) == 0)
            return true;
    return false;
}

static void country_feature(const char *cc, const cordon_entity *e, cordon_arena *a,
                            features *fs)
{
    if (!cc)
        return;
    bool any = e->n_nationalities || e->n_citizenships || e->n_addresses;
    if (entity_has_country(e, cc))
        feat(fs, a, "country", 0.03, "country matches nationality, citizenship or address");
    else if (any)
        feat(fs, a, "country", -0.05, "country differs from every listed country");
}

/* An identifier that matches decides; one of the same type that differs lowers the score. */
static double id_feature(const cordon_query *q, const cordon_entity *e, cordon_arena *a,
                         features *fs)
{
    if (!q->id_value)
        return 0;
    char qv[128], ev[128];
    ident_normalize(q->id_value, qv, sizeof qv);
    cordon_id_type qt = q->id_type ? cordon_id_type_parse(q->id_type) : CORDON_ID_OTHER;
    bool same_type_seen = false;
    for (size_t i = 0; i < e->n_ids; i++) {
        ident_normalize(e->ids[i].value, ev, sizeof ev);
        bool type_ok = !q->id_type || qt == CORDON_ID_OTHER || e->ids[i].type == qt;
        if (type_ok && *qv && strcmp(qv, ev) == 0) {
            feat(fs, a, "identifier", 1.0,
                 arena_printf(a, "%s %s matches", cordon_id_type_name(e->ids[i].type),
                              e->ids[i].value));
            return 1.0;
        }
        if (q->id_type && e->ids[i].type == qt)
            same_type_seen = true;
    }
    if (same_type_seen) {
        feat(fs, a, "identifier", -0.15,
             arena_printf(a, "the entry's %s differs", cordon_id_type_name(qt)));
        return -0.15;
    }
    return 0;
}

/* ---- result assembly --------------------------------------------------------------------- */

typedef struct {
    uint32_t entity, name;
    double name_score, score;
    const match_step *steps; /* the name's alignment (in the query's arena), for its explanation */
    int n_steps;
} ent_cand;

/* The entity candidate for name nm scored sc with alignment ns: the steps are kept, as
 * aligning the name again for its explanation would cost what scoring it did. */
static ent_cand ent_cand_of(cordon_arena *a, uint32_t entity, uint32_t nm, double sc,
                            const name_score *ns)
{
    size_t n = (size_t)ns->n_steps;
    match_step *st = n ? arena_alloc(a, n * sizeof *st) : NULL;
    if (st)
        memcpy(st, ns->steps, n * sizeof *st);
    return (ent_cand){entity, nm, sc, sc, st, st ? (int)n : 0};
}

static int ent_cmp(const void *a, const void *b)
{
    const ent_cand *x = a, *y = b;
    if (x->name_score != y->name_score)
        return (x->name_score < y->name_score) - (x->name_score > y->name_score);
    return (x->entity > y->entity) - (x->entity < y->entity);
}

static char *span_text(cordon_arena *a, const stok *t, int from, int to)
{
    buf b = {0};
    for (int i = from; i <= to; i++) {
        if (i > from)
            buf_putc(&b, ' ');
        buf_puts(&b, t[i].orig);
    }
    char *s = arena_strdup(a, b.data ? b.data : "");
    buf_free(&b);
    return s;
}

static void explain(cordon_arena *a, const stok *q, int nq, const stok *c, int nc,
                    const match_step *steps, int n_steps, cordon_hit *hit)
{
    float total = 0;
    for (int i = 0; i < nq; i++)
        total += q[i].w;
    for (int j = 0; j < nc; j++)
        total += c[j].w;
    size_t cap = (size_t)(nq + nc + n_steps);
    cordon_token_match *tm = arena_alloc(a, cap * sizeof *tm);
    size_t n = 0;
    uint64_t used_q = 0, used_c = 0;
    for (int k = 0; tm && k < n_steps; k++) {
        const match_step *s = &steps[k];
        float w = 0;
        for (int i = s->q0; i <= s->q1; i++) {
            w += q[i].w;
            used_q |= 1ull << i;
        }
        for (int j = s->c0; j <= s->c1; j++) {
            w += c[j].w;
            used_c |= 1ull << j;
        }
        tm[n++] = (cordon_token_match){span_text(a, q, s->q0, s->q1),
                                       span_text(a, c, s->c0, s->c1), HOW_NAMES[s->how], s->sim,
                                       total > 0 ? w / total : 0};
    }
    for (int i = 0; tm && i < nq; i++)
        if (!(used_q >> i & 1))
            tm[n++] = (cordon_token_match){q[i].orig, NULL, "unmatched", 0,
                                           total > 0 ? q[i].w / total : 0};
    for (int j = 0; tm && j < nc; j++)
        if (!(used_c >> j & 1))
            tm[n++] = (cordon_token_match){NULL, c[j].orig, "missing", 0,
                                           total > 0 ? c[j].w / total : 0};
    hit->tokens = tm;
    hit->n_tokens = tm ? n : 0;
}

static bool source_allowed(const cordon_engine *e, const cordon_query *q, uint16_t src)
{
    if (!q->sources || !q->n_sources)
        return true;
    for (size_t i = 0; i < q->n_sources; i++)
        if (strcmp(q->sources[i], e->source_names[src]) == 0)
            return true;
    return false;
}

/* Names of entity ent: contiguous, found by binary search on the sorted name table. */
static void entity_names(const match_index *ix, uint32_t ent, uint32_t *lo, uint32_t *hi)
{
    uint32_t a = 0, b = ix->hdr->n_names;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (ix->names[m].entity < ent)
            a = m + 1;
        else
            b = m;
    }
    *lo = a;
    while (b < ix->hdr->n_names && ix->names[b].entity == ent)
        b++;
    *hi = b;
}

/* need: as score_names's (the OFAC score is always worked out). */
static double score_one(const match_index *ix, const cordon_query *q, const text_name *tn,
                         const stok *qs, uint32_t name, double need, name_score *ns)
{
    stok cs[TEXT_MAX_TOKENS];
    int nc = name_stoks(ix, name, cs);
    if (q->algorithm == CORDON_ALGO_OFAC) {
        /* OFAC compares the written names: rebuild the list name's ASCII form. */
        char c_ascii[512];
        size_t len = 0;
        for (int i = 0; i < nc && len + 1 < sizeof c_ascii; i++)
            len += (size_t)snprintf(c_ascii + len, sizeof c_ascii - len, "%s%s", i ? " " : "",
                                    cs[i].orig);
        c_ascii[len < sizeof c_ascii ? len : sizeof c_ascii - 1] = 0;
        return score_ofac(tn->ascii, qs, (int)tn->n, c_ascii, cs, nc, ns);
    }
    tls.cache.serial = tls.serial;
    return score_names(qs, (int)tn->n, cs, nc, need, ns, &tls.cache);
}

static cordon_status validate_query(const cordon_query *q, cordon_error *err)
{
    if (!q || !q->name)
        return err_set(err, CORDON_ERR_INVALID, "name is required");
    size_t n = strlen(q->name);
    if (n > CORDON_MAX_QUERY_BYTES)
        return err_set(err, CORDON_ERR_LIMIT, "name longer than %d bytes", CORDON_MAX_QUERY_BYTES);
    size_t bad;
    if (!utf8_valid(q->name, n, &bad))
        return err_set(err, CORDON_ERR_INVALID, "name: invalid UTF-8 at byte %zu", bad);
    cordon_date d;
    if (q->dob && *q->dob && !date_parse_iso(q->dob, &d))
        return err_set(err, CORDON_ERR_INVALID, "dob '%s': use YYYY, YYYY-MM or YYYY-MM-DD", q->dob);
    if (q->country && *q->country && !country_code(q->country))
        return err_set(err, CORDON_ERR_INVALID, "country '%s': unknown country", q->country);
    if (q->threshold > 1.0)
        return err_set(err, CORDON_ERR_INVALID, "threshold must be in [0,1]");
    return CORDON_OK;
}

cordon_status match_screen(const cordon_engine *e, const cordon_query *q, uint32_t skip_entity,
                           uint32_t skip_name_index, cordon_arena *a, cordon_result *out,
                           cordon_error *err)
{
    memset(out, 0, sizeof *out);
    cordon_status st = validate_query(q, err);
    if (st != CORDON_OK)
        return st;
    const match_index *ix = e->index;
    if (!scratch_get(ix))
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    scratch *s = &tls;
    double threshold = q->threshold < 0 ? CORDON_DEFAULT_THRESHOLD : q->threshold;
    size_t limit = q->limit ? q->limit : CORDON_DEFAULT_LIMIT;
    const char *cc = q->country && *q->country ? country_code(q->country) : NULL;

    text_name *tn = arena_alloc_raw(a, sizeof *tn); /* text_name_prepare fills what is read */
    if (!tn)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    text_name_prepare(ix->dict, q->name, strlen(q->name), tn);
    out->query_ascii = arena_strdup(a, tn->ascii);
    if (tn->n == 0 && !q->id_value)
        return err_set(err, CORDON_ERR_INVALID, "name has no letters or digits");
    stok qs[TEXT_MAX_TOKENS];
    char qskel[TEXT_MAX_TOKENS][TEXT_MAX_TOKEN];
    uint32_t qkeys[TEXT_MAX_TOKENS];
    query_stoks(ix, tn, qs, qskel, qkeys);

    /* 1. Candidate names. */
    s->serial++;
    s->n_touched = 0;
    uint32_t n_cand = 0;
    cand_name *cands;
    if (q->exhaustive) {
        n_cand = ix->hdr->n_names;
        cands = malloc((n_cand ? n_cand : 1) * sizeof *cands);
        if (!cands)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        for (uint32_t i = 0; i < n_cand; i++)
            cands[i] = (cand_name){i, 1.0f};
    } else {
        double wq = 0;
        bool all_generic = true;
        for (size_t i = 0; i < tn->n; i++) {
            wq += qs[i].w;
            if (qs[i].cls != TOK_GENERIC)
                all_generic = false;
        }
        /* The rarest query word decides how common a key may be and still be walked. */
        uint32_t rarest = UINT32_MAX;
        for (size_t i = 0; i < tn->n; i++) {
            if (qs[i].cls == TOK_GENERIC || qs[i].cls == TOK_INITIAL)
                continue;
            uint32_t k = qkeys[i];
            uint32_t df = k == UINT32_MAX ? 0 : ix->keys[k].n_post;
            if (df < rarest)
                rarest = df;
        }
        uint32_t common = ix->hdr->n_names / 50 > 5000 ? ix->hdr->n_names / 50 : 5000;
        touch_cap = rarest < common ? common : UINT32_MAX;
        for (size_t i = 0; i < tn->n; i++) {
            /* Generic words only refine: they cannot find a name alone, but they can begin
             * one written together. */
            if (qs[i].cls != TOK_GENERIC || all_generic)
                retrieve_token(ix, &qs[i], qkeys[i], qs[i].w);
            /* This word written together with the next one or two: "bin al shibh" finds
             * "binalshibh". */
            char joined[TEXT_MAX_TOKEN * 3], joined_orig[TEXT_MAX_TOKEN * 3];
            size_t jl = strlen(qs[i].text), ol = strlen(qs[i].orig);
            memcpy(joined, qs[i].text, jl + 1);
            memcpy(joined_orig, qs[i].orig, ol + 1);
            bool variant = qs[i].canonical;
            double jw_sum = qs[i].w;
            for (size_t nx = i + 1; nx < tn->n && nx <= i + 2; nx++) {
                size_t l = strlen(qs[nx].text), lo = strlen(qs[nx].orig);
                if (jl + l >= TEXT_MAX_TOKEN || ol + lo >= TEXT_MAX_TOKEN)
                    break;
                memcpy(joined + jl, qs[nx].text, l + 1);
                memcpy(joined_orig + ol, qs[nx].orig, lo + 1);
                jl += l;
                ol += lo;
                variant |= qs[nx].canonical;
                jw_sum += qs[nx].w;
                uint32_t k = idx_find(ix, KEY_WORD, joined);
                s->tserial++;
                if (k != UINT32_MAX)
                    touch(ix, k, jw_sum);
                else if (jl >= 6)
                    retrieve_joined_near(ix, joined, jw_sum);
                /* and as written, where the variant table read a word (Petro Green: the
                 * lists' Petrogreen, not "pyotrgreen"), as score.c's joined_sim compares */
                if (variant && (k = idx_find(ix, KEY_WORD, joined_orig)) != UINT32_MAX) {
                    s->tserial++;
                    touch(ix, k, jw_sum);
                }
                if (qs[i].abjad)
                    retrieve_joined_skeleton(ix, tn, i, nx - i + 1, jw_sum);
            }
        }
        retrieve_acronyms(ix, qs, (int)tn->n);
        cands = malloc((s->n_touched ? s->n_touched : 1) * sizeof *cands);
        if (!cands)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        /* Keep the names that could reach the threshold, and never fewer than a floor. When
         * enough names pass the bar, only those need sorting: they are gathered at the front
         * as the estimates are made. */
        size_t floor_n = MIN_CANDIDATES + limit;
        float bar = (float)(threshold * EST_BAR);
        size_t passing = 0;
        /* Estimate each name's score the way score_names will weigh it: matched weight on
         * both sides, the name's other tokens at LIST_EXTRA_COST. */
        for (size_t i = 0; i < s->n_touched; i++) {
            uint32_t nm = s->touched[i];
            double acc = s->nm[nm].acc, wn = ix->names[nm].weight;
            double rest = wn > acc ? wn - acc : 0;
            double est = 2.0 * acc / (wq + acc + LIST_EXTRA_COST * rest);
            cands[n_cand++] = (cand_name){nm, (float)est};
            if ((float)est >= bar) {
                cand_name t = cands[passing];
                cands[passing++] = cands[i];
                cands[i] = t;
            }
        }
        if (passing >= floor_n)
            n_cand = (uint32_t)passing;
        else if (n_cand > floor_n)
            n_cand = (uint32_t)select_top(cands, n_cand, floor_n);
        /* At most MAX_CANDIDATES are kept, a prefix of the order: only those need sorting. */
        if (n_cand > MAX_CANDIDATES)
            n_cand = (uint32_t)select_top(cands, n_cand, MAX_CANDIDATES);
        sort_cands(cands, n_cand);
        size_t keep = 0;
        while (keep < n_cand && keep < MAX_CANDIDATES &&
               (keep < floor_n || cands[keep].est >= bar))
            keep++;
        n_cand = (uint32_t)keep;
    }

    /* 2. Score names; keep the best name per entity. */
    ent_cand *best = malloc((n_cand + 64) * sizeof *best); /* written before read */
    size_t n_best = 0;
    if (!best) {
        free(cands);
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    /* Entities are few per query: a small open-addressing map from entity to slot. */
    uint32_t mapcap = 64;
    while (mapcap < (n_cand + 64) * 2)
        mapcap <<= 1;
    uint32_t *map = calloc(mapcap, sizeof *map);
    if (!map) {
        free(cands);
        free(best);
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    double floor_score = threshold - 0.15;
    for (uint32_t i = 0; i < n_cand; i++) {
        uint32_t nm = cands[i].name;
        const idx_name *name = &ix->names[nm];
        if (!source_allowed(e, q, ix->ents[name->entity].source))
            continue;
        if (name->entity == skip_entity && name->name_index == skip_name_index)
            continue; /* held out (accuracy evaluation) */
        name_score ns; /* a name under the floor is dropped: it need not be aligned */
        double sc = score_one(ix, q, tn, qs, nm, floor_score, &ns);
        if (sc < floor_score)
            continue;
        uint32_t h = (name->entity * 2654435761u) & (mapcap - 1);
        while (map[h] && best[map[h] - 1].entity != name->entity)
            h = (h + 1) & (mapcap - 1);
        if (!map[h]) {
            map[h] = (uint32_t)++n_best;
            best[n_best - 1] = ent_cand_of(a, name->entity, nm, sc, &ns);
        } else if (sc > best[map[h] - 1].name_score) {
            best[map[h] - 1] = ent_cand_of(a, name->entity, nm, sc, &ns);
        }
    }
    out->candidates = n_cand;
    free(cands);

    /* An identifier in the query brings its entities in whatever their names. */
    if (q->id_value && *q->id_value) {
        char v[128];
        ident_normalize(q->id_value, v, sizeof v);
        uint32_t k = idx_find(ix, KEY_IDENT, v);
        for (uint32_t p = 0; k != UINT32_MAX && p < ix->keys[k].n_post && n_best < n_cand + 64; p++) {
            uint32_t ent = ix->post[ix->keys[k].post + p];
            if (!source_allowed(e, q, ix->ents[ent].source))
                continue;
            bool seen = false;
            for (size_t i = 0; i < n_best && !seen; i++)
                seen = best[i].entity == ent;
            if (seen)
                continue;
            uint32_t lo, hi;
            entity_names(ix, ent, &lo, &hi);
            ent_cand ec = {ent, lo, 0, 0, NULL, 0};
            for (uint32_t nm = lo; nm < hi; nm++) {
                name_score ns;
                ns.n_steps = 0;
                double sc = tn->n ? score_one(ix, q, tn, qs, nm, 0, &ns) : 0;
                if (nm == lo || sc > ec.name_score)
                    ec = ent_cand_of(a, ent, nm, sc, &ns);
            }
            if (hi > lo)
                best[n_best++] = ec;
        }
    }
    free(map);

    /* 3. Features, threshold, order, limit. */
    cordon_hit *hits = arena_alloc(a, (n_best ? n_best : 1) * sizeof *hits);
    size_t n_hits = 0;
    if (!hits) {
        free(best);
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    /* Entities in order of name score: once `limit` hits are in hand, an entity whose name
     * score plus the most the features can add stays below the weakest of them cannot enter,
     * so it is neither decoded nor explained. An identifier in the query can lift any entity:
     * then all are looked at. */
    qsort(best, n_best, sizeof *best, ent_cmp);
    double kth[64];
    size_t n_kth = 0, kcap = limit < 64 ? limit : 64;
    for (size_t i = 0; i < n_best; i++) {
        ent_cand *ec = &best[i];
        if (!(q->id_value && *q->id_value) &&
            (ec->name_score + MAX_FEATURE_GAIN < threshold ||
             (n_kth == kcap && ec->name_score + MAX_FEATURE_GAIN < kth[kcap - 1])))
            break;
        cordon_hit *h = &hits[n_hits];
        memset(h, 0, sizeof *h);
        if (cordon_engine_entity(e, ec->entity, a, &h->entity) != CORDON_OK)
            continue;
        const idx_name *name = &ix->names[ec->name];
        features fs = {.n = 0};
        double sc = ec->name_score;
        if (q->algorithm == CORDON_ALGO_DEFAULT) {
            if (name->kind == CORDON_NAME_WEAK_AKA)
                feat(&fs, a, "name_kind", -0.03, "matched a weak (low-quality) alias");
            if (q->type != CORDON_TYPE_UNKNOWN && h->entity.type != CORDON_TYPE_UNKNOWN &&
                h->entity.type != q->type)
                feat(&fs, a, "type", -0.10,
                     arena_printf(a, "the entry is a %s", cordon_entity_type_name(h->entity.type)));
            dob_feature(q, &h->entity, a, &fs);
            country_feature(cc, &h->entity, a, &fs);
            native_feature(q->name,
                           name->name_index < h->entity.n_names
                               ? h->entity.names[name->name_index].full
                               : h->entity.names[0].full,
                           a, &fs);
        }
        bool decided = id_feature(q, &h->entity, a, &fs) >= 1.0;
        for (size_t f = 0; f < fs.n; f++)
            if (strcmp(fs.f[f].feature, "identifier") != 0 || !decided)
                sc += fs.f[f].delta;
        if (decided && sc < 0.99)
            sc = 0.99;
        sc = sc < 0 ? 0 : sc > 1 ? 1 : sc;
        if (sc < threshold)
            continue;
        h->entity_index = ec->entity;
        h->score = sc;
        h->name_score = ec->name_score;
        h->matched_kind = (cordon_name_kind)name->kind;
        h->matched_name = name->name_index < h->entity.n_names
                              ? h->entity.names[name->name_index].full
                              : h->entity.names[0].full;
        cordon_feature_score *fv = arena_alloc(a, (fs.n ? fs.n : 1) * sizeof *fv);
        if (fv)
            memcpy(fv, fs.f, fs.n * sizeof *fv);
        h->features = fv;
        h->n_features = fv ? fs.n : 0;
        stok cs[TEXT_MAX_TOKENS];
        int nc = name_stoks(ix, ec->name, cs);
        explain(a, qs, (int)tn->n, cs, nc, ec->steps, ec->n_steps, h);
        ec->score = sc;
        n_hits++;
        /* Keep the best `kcap` final scores, descending, for the cut-off above. */
        size_t pos;
        if (n_kth < kcap)
            pos = n_kth++;
        else if (sc > kth[kcap - 1])
            pos = kcap - 1;
        else
            continue;
        kth[pos] = sc;
        for (; pos > 0 && kth[pos - 1] < kth[pos]; pos--) {
            double t = kth[pos - 1];
            kth[pos - 1] = kth[pos];
            kth[pos] = t;
        }
    }
    free(best);
    /* Order by score, then by entity for a stable answer. */
    for (size_t i = 1; i < n_hits; i++) {
        cordon_hit t = hits[i];
        size_t j = i;
        while (j > 0 && (hits[j - 1].score < t.score ||
                         (hits[j - 1].score == t.score && hits[j - 1].entity_index > t.entity_index))) {
            hits[j] = hits[j - 1];
            j--;
        }
        hits[j] = t;
    }
    out->hits = hits;
    out->n_hits = n_hits < limit ? n_hits : limit;
    return CORDON_OK;
}

cordon_status match_compare(const cordon_engine *e, const char *name1, const char *name2,
                             cordon_entity_type type, cordon_algorithm algo, cordon_arena *a,
                             cordon_result *out, cordon_error *err)
{
    memset(out, 0, sizeof *out);
    if (!name1 || !name2 || !*name1 || !*name2)
        return err_set(err, CORDON_ERR_INVALID, "two names are required");
    if (strlen(name1) > CORDON_MAX_QUERY_BYTES || strlen(name2) > CORDON_MAX_QUERY_BYTES)
        return err_set(err, CORDON_ERR_LIMIT, "name longer than %d bytes", CORDON_MAX_QUERY_BYTES);
    if (!utf8_valid(name1, strlen(name1), NULL) || !utf8_valid(name2, strlen(name2), NULL))
        return err_set(err, CORDON_ERR_INVALID, "invalid UTF-8");
    const match_index *ix = e->index;
    text_name *t1 = arena_alloc(a, sizeof *t1), *t2 = arena_alloc(a, sizeof *t2);
    cordon_hit *h = arena_alloc(a, sizeof *h);
    cordon_name *nm = arena_alloc(a, sizeof *nm);
    if (!t1 || !t2 || !h || !nm)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    text_name_prepare(ix->dict, name1, strlen(name1), t1);
    text_name_prepare(ix->dict, name2, strlen(name2), t2);
    stok s1[TEXT_MAX_TOKENS], s2[TEXT_MAX_TOKENS];
    char sk1[TEXT_MAX_TOKENS][TEXT_MAX_TOKEN], sk2[TEXT_MAX_TOKENS][TEXT_MAX_TOKEN];
    uint32_t k1[TEXT_MAX_TOKENS], k2[TEXT_MAX_TOKENS];
    query_stoks(ix, t1, s1, sk1, k1);
    query_stoks(ix, t2, s2, sk2, k2);
    name_score ns;
    double sc = algo == CORDON_ALGO_OFAC
                    ? score_ofac(t1->ascii, s1, (int)t1->n, t2->ascii, s2, (int)t2->n, &ns)
                    : score_names(s1, (int)t1->n, s2, (int)t2->n, 0, &ns, NULL);
    nm->full = arena_strdup(a, name2);
    h->entity.type = type;
    h->entity.source = "compare";
    h->entity.names = nm;
    h->entity.n_names = 1;
    h->matched_name = nm->full;
    h->score = h->name_score = sc;
    if (algo == CORDON_ALGO_DEFAULT) {
        features fs = {.n = 0};
        native_feature(name1, name2, a, &fs);
        cordon_feature_score *fv = fs.n ? arena_alloc(a, fs.n * sizeof *fv) : NULL;
        if (fv) {
            memcpy(fv, fs.f, fs.n * sizeof *fv);
            h->features = fv;
            h->n_features = fs.n;
            for (size_t f = 0; f < fs.n; f++)
                h->score += fs.f[f].delta;
            h->score = h->score < 0 ? 0 : h->score;
        }
    }
    explain(a, s1, (int)t1->n, s2, (int)t2->n, ns.steps, ns.n_steps, h);
    out->hits = h;
    out->n_hits = 1;
    out->query_ascii = arena_strdup(a, t1->ascii);
    return CORDON_OK;
}
