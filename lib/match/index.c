/* index.c - the match index: every list name as canonical tokens, and an inverted index from
 * tokens, romanisation folds, consonant skeletons, joined token pairs and identifiers to the
 * names (or entities) holding them, plus a trigram index over the token dictionary for typos.
 * Built once per snapshot, used in place through the mapping. */
#include "match.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

/* ---- shared helpers ---------------------------------------------------------------------- */

static int gram_code(char c)
{
    if (c >= 'a' && c <= 'z')
        return c - 'a';
    if (c >= '0' && c <= '9')
        return 26 + (c - '0');
    if (c == '$')
        return 36;
    return -1;
}

uint32_t gram_slot(char a, char b, char c)
{
    int x = gram_code(a), y = gram_code(b), z = gram_code(c);
    if (x < 0 || y < 0 || z < 0)
        return UINT32_MAX;
    return (uint32_t)((x * 37 + y) * 37 + z);
}

void ident_normalize(const char *v, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = v; *p && n + 1 < cap; p++)
        if (isalnum((unsigned char)*p))
            out[n++] = (char)toupper((unsigned char)*p);
    out[n] = 0;
}

uint32_t idx_find(const match_index *ix, char kind, const char *s)
{
    char key[TEXT_MAX_TOKEN * 2 + 4];
    size_t sl = strlen(s);
    if (sl + 3 > sizeof key || !ix->hdr->hash_cap)
        return UINT32_MAX;
    key[0] = kind;
    key[1] = ':';
    memcpy(key + 2, s, sl + 1);
    int n = (int)sl + 2;
    uint32_t mask = ix->hdr->hash_cap - 1;
    uint32_t h = (uint32_t)hash_bytes(key, (size_t)n) & mask;
    for (uint32_t probe = 0; probe <= mask; probe++) {
        uint32_t slot = ix->hash[h];
        if (!slot)
            return UINT32_MAX;
        const idx_key *k = &ix->keys[slot - 1];
        if (strcmp(ix->pool + k->str, key) == 0)
            return slot - 1;
        h = (h + 1) & mask;
    }
    return UINT32_MAX;
}

/* ---- building ---------------------------------------------------------------------------- */

typedef struct {
    uint32_t key, item;
} pair32;

typedef struct {
    buf pool;
    vec keys;   /* idx_key */
    uint32_t *hash;
    uint32_t cap;
    vec pairs;  /* pair32: key -> name (or entity) */
    vec names;  /* idx_name */
    vec toks;   /* uint32 word key ids */
} ibuild;

static uint32_t ib_lookup(ibuild *b, const char *key, size_t n, bool *found)
{
    uint32_t mask = b->cap - 1;
    uint32_t h = (uint32_t)hash_bytes(key, n) & mask;
    for (;;) {
        uint32_t slot = b->hash[h];
        if (!slot) {
            *found = false;
            return h;
        }
        if (strcmp(b->pool.data + VEC_AT(&b->keys, idx_key, slot - 1).str, key) == 0) {
            *found = true;
            return h;
        }
        h = (h + 1) & mask;
    }
}

static bool ib_rehash(ibuild *b)
{
    uint32_t cap = b->cap ? b->cap * 2 : 1u << 16;
    uint32_t *nh = calloc(cap, sizeof *nh);
    if (!nh)
        return false;
    free(b->hash);
    b->hash = nh;
    b->cap = cap;
    for (uint32_t i = 0; i < b->keys.len; i++) {
        const char *s = b->pool.data + VEC_AT(&b->keys, idx_key, i).str;
        bool found;
        uint32_t h = ib_lookup(b, s, strlen(s), &found);
        b->hash[h] = i + 1;
    }
    return true;
}

/* Returns the id of key "kind:s", creating it; UINT32_MAX on OOM. */
static uint32_t ib_key(ibuild *b, char kind, const char *s)
{
    char key[TEXT_MAX_TOKEN * 2 + 4];
    int n = snprintf(key, sizeof key, "%c:%s", kind, s);
    if (n < 0 || (size_t)n >= sizeof key)
        n = (int)sizeof key - 1;
    if ((b->keys.len + 1) * 2 > b->cap && !ib_rehash(b))
        return UINT32_MAX;
    bool found;
    uint32_t h = ib_lookup(b, key, (size_t)n, &found);
    if (found)
        return b->hash[h] - 1;
    idx_key *k = vec_push(&b->keys);
    if (!k)
        return UINT32_MAX;
    k->str = (uint32_t)b->pool.len;
    k->kind = (uint8_t)kind;
    if (!buf_append(&b->pool, key, (size_t)n + 1))
        return UINT32_MAX;
    b->hash[h] = (uint32_t)b->keys.len;
    return (uint32_t)b->keys.len - 1;
}

static bool ib_post(ibuild *b, uint32_t key, uint32_t item)
{
    if (key == UINT32_MAX)
        return false;
    pair32 *p = vec_push(&b->pairs);
    if (!p)
        return false;
    p->key = key;
    p->item = item;
    return true;
}

static int pair_cmp(const void *a, const void *b)
{
    const pair32 *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->item < y->item ? -1 : x->item > y->item;
}

/* A new dictionary word: the keys that find it from near spellings. Every spelling one
 * letter shorter (a query missing a letter, or with a different one, meets it there), and
 * for Latin words the consonant skeleton (vowel variants: rushaan, roshan). */
static bool ib_add_word(ibuild *b, const text_token *t, uint32_t wk)
{
    if (t->cls == TOK_NUMBER || t->cls == TOK_INITIAL)
        return true;
    size_t n = strlen(t->text);
    if (n >= 4 && n < TEXT_MAX_TOKEN)
        for (size_t i = 0; i < n; i++) {
            if (i && t->text[i] == t->text[i - 1])
                continue; /* deleting either of a double letter gives the same string */
            char del[TEXT_MAX_TOKEN];
            memcpy(del, t->text, i);
            memcpy(del + i, t->text + i + 1, n - i);
            if (!ib_post(b, ib_key(b, KEY_DEL, del), wk))
                return false;
        }
    if (!t->abjad) {
        char skel[TEXT_MAX_TOKEN];
        text_skeleton(t->text, skel, sizeof skel);
        if (strlen(skel) >= 3 && !ib_post(b, ib_key(b, KEY_WSKEL, skel), wk))
            return false;
    }
    return true;
}

/* Adds one list name: its record, its tokens, and every key pointing at it. */
static bool ib_add_name(ibuild *b, const text_dict *dict, const text_name *tn, uint32_t entity,
                        uint32_t name_index, cordon_name_kind kind)
{
    if (tn->n == 0)
        return true;
    uint32_t name_id = (uint32_t)b->names.len;
    idx_name *nm = vec_push(&b->names);
    if (!nm)
        return false;
    nm->entity = entity;
    nm->name_index = name_index;
    nm->kind = (uint8_t)kind;
    nm->toks = (uint32_t)b->toks.len;
    nm->n_toks = (uint8_t)tn->n;
    nm->abjad = tn->n ? tn->tok[0].abjad : 0;
    /* Initials of every run of 3-5 tokens, for queries that write the name as an acronym
     * (two letters coincide too often to be worth retrieving by: those only score). */
    const char *orig[TEXT_MAX_TOKENS], *text[TEXT_MAX_TOKENS];
    uint8_t cls[TEXT_MAX_TOKENS];
    for (size_t i = 0; i < tn->n; i++) {
        orig[i] = tn->tok[i].orig;
        text[i] = tn->tok[i].text;
        cls[i] = tn->tok[i].cls;
    }
    for (int span = 3; span <= 5; span++)
        for (int i = 0; i + span <= (int)tn->n; i++) {
            char ini[6];
            if (span_initials(orig, cls, i, span, ini) &&
                !ib_post(b, ib_key(b, KEY_ACRO, ini), name_id))
                return false;
        }
    /* A company is also written with two letters and its legal form ("WK LLC" for Wassim
     * Kattan LLC, "E. S. Co." for Electro Sanam Company). Two letters coincide too often to
     * find any name by, so only company names are keyed so, and only a query with a legal
     * form or company word asks: its two-letter word finds the pairs of words, its pairs of
     * words find the two-letter words. The article is no initial ("Al-Aqsa" is not "AA"). */
    if (name_is_company(text, cls, (int)tn->n))
        for (int i = 0; i < (int)tn->n; i++) {
            char ini[3];
            if (cls[i] != TOK_WORD)
                continue;
            if (i + 1 < (int)tn->n && cls[i + 1] == TOK_WORD && strcmp(tn->tok[i].text, "al") &&
                strcmp(tn->tok[i + 1].text, "al") && span_initials(orig, cls, i, 2, ini) &&
                !ib_post(b, ib_key(b, KEY_ACRO, ini), name_id))
                return false;
            if (strlen(orig[i]) == 2 && !ib_post(b, ib_key(b, KEY_INIT, orig[i]), name_id))
                return false;
        }
    for (size_t i = 0; i < tn->n; i++) {
        const text_token *t = &tn->tok[i];
        size_t n_keys = b->keys.len;
        uint32_t wk = ib_key(b, KEY_WORD, t->text);
        if (wk != UINT32_MAX && b->keys.len > n_keys && !ib_add_word(b, t, wk))
            return false;
        uint32_t *slot = vec_push(&b->toks);
        if (wk == UINT32_MAX || !slot)
            return false;
        *slot = wk;
        idx_key *k = &VEC_AT(&b->keys, idx_key, wk);
        k->cls = t->cls;
        k->len = t->len;
        k->sector = t->sector;
        if (!ib_post(b, wk, name_id))
            return false;
        if (t->cls == TOK_NUMBER || t->cls == TOK_INITIAL)
            continue;
        if (strcmp(t->fold, t->text) != 0 && !ib_post(b, ib_key(b, KEY_FOLD, t->fold), name_id))
            return false;
        /* A nickname of two names is found from either (Ted: Edward, Theodore). */
        const char *fold2 = text_dict_nickname_fold2(dict, t->text);
        if (fold2 && !ib_post(b, ib_key(b, KEY_FOLD, fold2), name_id))
            return false;
        /* Skeletons bridge the scripts: Latin names are found by Arabic-script queries
         * through 's' keys, Arabic-script names by Latin queries through 'a' keys (also
         * without a final t/h, which may be a ta marbuta Latin spellings drop). */
        char skel[TEXT_MAX_TOKEN];
        text_skeleton(t->text, skel, sizeof skel);
        size_t sl = strlen(skel);
        if (sl >= 2 && !ib_post(b, ib_key(b, t->abjad ? KEY_ABJAD : KEY_SKEL, skel), name_id))
            return false;
        if (t->abjad && sl >= 3 && (skel[sl - 1] == 't' || skel[sl - 1] == 'h')) {
            skel[sl - 1] = 0;
            if (!ib_post(b, ib_key(b, KEY_ABJAD, skel), name_id))
                return false;
        }
        /* Hebrew-script queries find Latin names by the key both spellings share. */
        if (!t->abjad && t->cls == TOK_WORD) {
            text_hebrew_key(t->text, false, skel, sizeof skel);
            if (skel[0] && !ib_post(b, ib_key(b, KEY_HEB, skel), name_id))
                return false;
        }
        /* Arabic-script compounds by the skeleton of the words written together, as the
         * scorer compares them: a Latin "Atiqullah" finds "عتیق الله" through its 'a' key. */
        if (t->abjad) {
            const char *words[3] = {t->text, NULL, NULL};
            for (size_t nx = i + 1; nx < tn->n && nx <= i + 2; nx++) {
                int cnt = (int)(nx - i + 1);
                words[cnt - 1] = tn->tok[nx].text;
                if (tn->tok[nx].cls == TOK_NUMBER || tn->tok[nx].cls == TOK_INITIAL)
                    break;
                if (!text_compound_span(words, cnt))
                    continue;
                char js[TEXT_MAX_TOKEN * 3];
                for (int as = 0; as < 2; as++)
                    if (text_skeleton_span(words, cnt, as, js, sizeof js) >= 3 &&
                        !ib_post(b, ib_key(b, KEY_ABJAD, js), name_id))
                        return false;
            }
        }
        /* This token written together with the next one or two; also as written where the
         * variant table read a word (a query's Petrogreen meets "Petro Green", pyotr green). */
        char joined[TEXT_MAX_TOKEN * 3], joined_orig[TEXT_MAX_TOKEN * 3];
        size_t jl = strlen(t->text), ol = strlen(t->orig);
        memcpy(joined, t->text, jl + 1);
        memcpy(joined_orig, t->orig, ol + 1);
        bool variant = strcmp(t->text, t->orig) != 0;
        for (size_t nx = i + 1; nx < tn->n && nx <= i + 2 && tn->tok[nx].cls != TOK_NUMBER; nx++) {
            size_t l = strlen(tn->tok[nx].text), lo = strlen(tn->tok[nx].orig);
            if (jl + l >= TEXT_MAX_TOKEN || ol + lo >= TEXT_MAX_TOKEN)
                break;
            memcpy(joined + jl, tn->tok[nx].text, l + 1);
            memcpy(joined_orig + ol, tn->tok[nx].orig, lo + 1);
            jl += l;
            ol += lo;
            variant |= strcmp(tn->tok[nx].text, tn->tok[nx].orig) != 0;
            if (!ib_post(b, ib_key(b, KEY_JOIN, joined), name_id) ||
                (variant && !ib_post(b, ib_key(b, KEY_JOIN, joined_orig), name_id)))
                return false;
        }
    }
    return true;
}

static void ib_free(ibuild *b)
{
    buf_free(&b->pool);
    vec_free(&b->keys);
    free(b->hash);
    vec_free(&b->pairs);
    vec_free(&b->names);
    vec_free(&b->toks);
}

/* Token weight: inverse document frequency over names, lowered for generic words and
 * initials; numbers never weigh less than an average word. */
static void ib_weights(ibuild *b, float *max_w, float *mean_w)
{
    double n = (double)b->names.len, sum = 0;
    size_t words = 0;
    *max_w = (float)log(1.0 + n);
    for (size_t i = 0; i < b->keys.len; i++) {
        idx_key *k = &VEC_AT(&b->keys, idx_key, i);
        if (k->kind != KEY_WORD)
            continue;
        k->weight = (float)log(1.0 + n / (double)(k->n_post ? k->n_post : 1));
        if (k->cls == TOK_WORD) {
            sum += k->weight;
            words++;
        }
    }
    *mean_w = words ? (float)(sum / (double)words) : 1.0f;
    for (size_t i = 0; i < b->keys.len; i++) {
        idx_key *k = &VEC_AT(&b->keys, idx_key, i);
        if (k->kind != KEY_WORD)
            continue;
        if (k->cls == TOK_GENERIC)
            k->weight *= 0.2f;
        else if (k->cls == TOK_INITIAL)
            k->weight = *mean_w * 0.3f;
        else if (k->cls == TOK_NUMBER && k->weight < *mean_w)
            k->weight = *mean_w;
    }
}

static const char *dict_dir(char *out, size_t cap)
{
    const char *env = getenv("CORDON_DICT_DIR");
    snprintf(out, cap, "%s", env && *env ? env : CORDON_DATA_DIR "/dict");
    return out;
}

cordon_status match_index_build(const entity_store *store, const uint32_t *offs, snap_writer *w,
                                 cordon_error *err)
{
    char dir[4096];
    text_dict *dict = text_dict_load(dict_dir(dir, sizeof dir), err);
    if (!dict)
        return err ? err->status : CORDON_ERR_IO;
    ibuild b;
    memset(&b, 0, sizeof b);
    vec_init(&b.keys, sizeof(idx_key));
    vec_init(&b.pairs, sizeof(pair32));
    vec_init(&b.names, sizeof(idx_name));
    vec_init(&b.toks, sizeof(uint32_t));
    size_t n_ent = store->offsets.len;
    idx_entity *ents = calloc(n_ent ? n_ent : 1, sizeof *ents);
    cordon_arena *a = cordon_arena_new();
    bool ok = ents && a && ib_rehash(&b);
    text_name *tn = malloc(sizeof *tn);
    ok = ok && tn;
    for (size_t i = 0; ok && i < n_ent; i++) {
        cordon_arena_reset(a);
        cordon_entity e;
        if (!entity_decode((const uint8_t *)store->data.data + offs[i], offs[i + 1] - offs[i], a,
                           store->source_names, store->n_sources, &e)) {
            ok = false;
            break;
        }
        ents[i].type = (uint8_t)e.type;
        for (size_t s = 0; s < store->n_sources; s++)
            if (strcmp(store->source_names[s], e.source) == 0)
                ents[i].source = (uint16_t)s;
        for (size_t j = 0; ok && j < e.n_names; j++) {
            text_name_prepare(dict, e.names[j].full, strlen(e.names[j].full), tn);
            ok = ib_add_name(&b, dict, tn, (uint32_t)i, (uint32_t)j, e.names[j].kind);
        }
        for (size_t j = 0; ok && j < e.n_ids; j++) {
            char v[128];
            ident_normalize(e.ids[j].value, v, sizeof v);
            if (strlen(v) >= 4)
                ok = ib_post(&b, ib_key(&b, KEY_IDENT, v), (uint32_t)i);
        }
    }
    free(tn);
    cordon_arena_free(a);

    /* Postings: sort (key, item) pairs, drop duplicates, lay out per key. */
    uint32_t *post = NULL;
    size_t n_post = 0;
    if (ok) {
        qsort(b.pairs.data, b.pairs.len, sizeof(pair32), pair_cmp);
        post = malloc((b.pairs.len ? b.pairs.len : 1) * sizeof *post);
        ok = post != NULL;
        pair32 *pp = b.pairs.data;
        for (size_t i = 0; ok && i < b.pairs.len; i++) {
            if (i && pp[i].key == pp[i - 1].key && pp[i].item == pp[i - 1].item)
                continue;
            idx_key *k = &VEC_AT(&b.keys, idx_key, pp[i].key);
            if (k->n_post == 0)
                k->post = (uint32_t)n_post;
            k->n_post++;
            post[n_post++] = pp[i].item;
        }
    }
    idx_header hdr;
    memset(&hdr, 0, sizeof hdr);
    if (ok)
        ib_weights(&b, &hdr.max_weight, &hdr.mean_weight);

    /* Word keys remember their fold string and names their total weight. */
    for (size_t i = 0; ok && i < b.keys.len; i++) {
        idx_key *k = &VEC_AT(&b.keys, idx_key, i);
        if (k->kind != KEY_WORD)
            continue;
        char fold[TEXT_MAX_TOKEN];
        const char *text = b.pool.data + k->str + 2;
        if (k->cls == TOK_NUMBER)
            snprintf(fold, sizeof fold, "%s", text);
        else
            text_fold_name(dict, text, fold, sizeof fold);
        k->fold = (uint32_t)b.pool.len;
        ok = buf_append(&b.pool, fold, strlen(fold) + 1);
    }
    for (size_t i = 0; ok && i < b.names.len; i++) {
        idx_name *nm = &VEC_AT(&b.names, idx_name, i);
        float wsum = 0;
        for (uint32_t t = 0; t < nm->n_toks; t++)
            wsum += VEC_AT(&b.keys, idx_key, VEC_AT(&b.toks, uint32_t, nm->toks + t)).weight;
        nm->weight = wsum;
    }

    /* Trigrams of "$token$" over word keys, for typo-tolerant lookup. */
    uint32_t *gram_offs = calloc(GRAM_SLOTS + 1, sizeof *gram_offs);
    vec gp;
    vec_init(&gp, sizeof(pair32));
    for (size_t i = 0; ok && gram_offs && i < b.keys.len; i++) {
        const idx_key *k = &VEC_AT(&b.keys, idx_key, i);
        if (k->kind != KEY_WORD || k->cls == TOK_NUMBER || k->cls == TOK_INITIAL)
            continue;
        char padded[TEXT_MAX_TOKEN + 4];
        int n = snprintf(padded, sizeof padded, "$%s$", b.pool.data + k->str + 2);
        for (int j = 0; ok && j + 2 < n; j++) {
            uint32_t slot = gram_slot(padded[j], padded[j + 1], padded[j + 2]);
            if (slot == UINT32_MAX)
                continue;
            pair32 *p = vec_push(&gp);
            ok = p != NULL;
            if (p) {
                p->key = slot;
                p->item = (uint32_t)i;
            }
        }
    }
    uint32_t *gram_post = NULL;
    size_t n_gp = 0;
    if (ok && gram_offs) {
        qsort(gp.data, gp.len, sizeof(pair32), pair_cmp);
        gram_post = malloc((gp.len ? gp.len : 1) * sizeof *gram_post);
        ok = gram_post != NULL;
        pair32 *pp = gp.data;
        for (size_t i = 0; ok && i < gp.len; i++) {
            if (i && pp[i].key == pp[i - 1].key && pp[i].item == pp[i - 1].item)
                continue;
            gram_offs[pp[i].key + 1]++;
            gram_post[n_gp++] = pp[i].item;
        }
        for (uint32_t s = 0; s < GRAM_SLOTS; s++)
            gram_offs[s + 1] += gram_offs[s];
    }
    vec_free(&gp);

    /* The lookup hash, sized for the final key count. */
    uint32_t cap = 1;
    while (cap < b.keys.len * 2 + 2)
        cap <<= 1;
    uint32_t *hash = calloc(cap, sizeof *hash);
    ok = ok && hash && gram_offs;
    for (size_t i = 0; ok && i < b.keys.len; i++) {
        const char *s = b.pool.data + VEC_AT(&b.keys, idx_key, i).str;
        uint32_t h = (uint32_t)hash_bytes(s, strlen(s)) & (cap - 1);
        while (hash[h])
            h = (h + 1) & (cap - 1);
        hash[h] = (uint32_t)i + 1;
    }

    hdr.n_keys = (uint32_t)b.keys.len;
    hdr.hash_cap = cap;
    hdr.n_names = (uint32_t)b.names.len;
    hdr.n_entities = (uint32_t)n_ent;
    hdr.n_postings = (uint32_t)n_post;
    hdr.n_name_toks = (uint32_t)b.toks.len;
    hdr.n_grams_post = (uint32_t)n_gp;

    /* Each dictionary word's fuzzy expansions, as retrieval would find them for the word
     * met as a query word: most query words are words of the lists, and the search (trigram
     * lists, then rating every candidate) was a third of a screening's instructions. */
    uint32_t *near_offs = calloc(b.keys.len + 1, sizeof *near_offs);
    vec near;
    vec_init(&near, sizeof(idx_near));
    ok = ok && near_offs;
    if (ok) {
        match_index view = {.hdr = &hdr, .pool = b.pool.data, .pool_size = b.pool.len,
                            .keys = b.keys.data, .hash = hash, .post = post,
                            .names = b.names.data, .name_toks = b.toks.data,
                            .gram_offs = gram_offs, .gram_post = gram_post, .ents = ents,
                            .dict = dict};
        for (size_t i = 0; ok && i < b.keys.len; i++) {
            const idx_key *k = &VEC_AT(&b.keys, idx_key, i);
            near_offs[i] = (uint32_t)near.len;
            /* the words retrieval expands: not numbers or initials, three letters or more */
            if (k->kind != KEY_WORD || k->cls == TOK_NUMBER || k->cls == TOK_INITIAL ||
                k->len < 3)
                continue;
            idx_near nr[MATCH_NEAR_MAX];
            int n = match_word_near(&view, (uint32_t)i, nr);
            ok = n >= 0;
            for (int j = 0; ok && j < n; j++) {
                idx_near *p = vec_push(&near);
                ok = p != NULL;
                if (p)
                    *p = nr[j];
            }
        }
        near_offs[b.keys.len] = (uint32_t)near.len;
        hdr.n_near = (uint32_t)near.len;
        match_scratch_release(); /* it points into this build's arrays */
    }

    if (ok) {
        size_t dict_len;
        const char *dict_blob = text_dict_blob(dict, &dict_len);
        ok = snap_writer_add(w, SEC_IDX_HDR, &hdr, sizeof hdr) &&
             snap_writer_add(w, SEC_IDX_STRPOOL, b.pool.data, b.pool.len) &&
             snap_writer_add(w, SEC_IDX_KEYS, b.keys.data, b.keys.len * sizeof(idx_key)) &&
             snap_writer_add(w, SEC_IDX_HASH, hash, cap * sizeof *hash) &&
             snap_writer_add(w, SEC_IDX_POST, post, n_post * sizeof *post) &&
             snap_writer_add(w, SEC_IDX_NAMES, b.names.data, b.names.len * sizeof(idx_name)) &&
             snap_writer_add(w, SEC_IDX_NAMETOKS, b.toks.data, b.toks.len * sizeof(uint32_t)) &&
             snap_writer_add(w, SEC_IDX_GRAMS, gram_offs, (GRAM_SLOTS + 1) * sizeof(uint32_t)) &&
             snap_writer_add(w, SEC_IDX_GRAMPOST, gram_post, n_gp * sizeof *gram_post) &&
             snap_writer_add(w, SEC_IDX_DICT, dict_blob, dict_len) &&
             snap_writer_add(w, SEC_IDX_ENTS, ents, n_ent * sizeof *ents) &&
             snap_writer_add(w, SEC_IDX_NEAROFFS, near_offs,
                             (b.keys.len + 1) * sizeof *near_offs) &&
             snap_writer_add(w, SEC_IDX_NEAR, near.data, near.len * sizeof(idx_near));
    }
    free(near_offs);
    vec_free(&near);
    free(hash);
    free(gram_offs);
    free(gram_post);
    free(post);
    free(ents);
    ib_free(&b);
    text_dict_free(dict);
    return ok ? CORDON_OK : err_set(err, CORDON_ERR_NOMEM, "out of memory building the index");
}

/* ---- loading ----------------------------------------------------------------------------- */

static const void *section(const cordon_engine *e, uint32_t id, size_t item, size_t count,
                           bool *ok)
{
    size_t size;
    const void *p = snap_section_get(&e->file, id, &size);
    if (!p || size != item * count)
        *ok = false;
    return p;
}

match_index *match_index_open(const cordon_engine *e, cordon_error *err)
{
    match_index *ix = calloc(1, sizeof *ix);
    if (!ix) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bool ok = true;
    ix->hdr = section(e, SEC_IDX_HDR, sizeof(idx_header), 1, &ok);
    if (ok) {
        const idx_header *h = ix->hdr;
        ix->pool = snap_section_get(&e->file, SEC_IDX_STRPOOL, &ix->pool_size);
        ix->keys = section(e, SEC_IDX_KEYS, sizeof(idx_key), h->n_keys, &ok);
        ix->hash = section(e, SEC_IDX_HASH, sizeof(uint32_t), h->hash_cap, &ok);
        ix->post = section(e, SEC_IDX_POST, sizeof(uint32_t), h->n_postings, &ok);
        ix->names = section(e, SEC_IDX_NAMES, sizeof(idx_name), h->n_names, &ok);
        ix->name_toks = section(e, SEC_IDX_NAMETOKS, sizeof(uint32_t), h->n_name_toks, &ok);
        ix->gram_offs = section(e, SEC_IDX_GRAMS, sizeof(uint32_t), GRAM_SLOTS + 1, &ok);
        ix->gram_post = section(e, SEC_IDX_GRAMPOST, sizeof(uint32_t), h->n_grams_post, &ok);
        ix->ents = section(e, SEC_IDX_ENTS, sizeof(idx_entity), h->n_entities, &ok);
        /* Stored expansions are optional: a snapshot without them searches every word. */
        if (h->n_near && snap_section_get(&e->file, SEC_IDX_NEAROFFS, NULL)) {
            ix->near_offs = section(e, SEC_IDX_NEAROFFS, sizeof(uint32_t), h->n_keys + 1ull, &ok);
            ix->near = section(e, SEC_IDX_NEAR, sizeof(idx_near), h->n_near, &ok);
        }
        ok = ok && ix->pool && ix->pool_size && ix->pool[ix->pool_size - 1] == 0 &&
             h->n_entities == e->n_entities && (h->hash_cap & (h->hash_cap - 1)) == 0;
    }
    /* Bounds of every reference, once, so queries need no checks. */
    for (uint32_t i = 0; ok && i < ix->hdr->n_keys; i++) {
        const idx_key *k = &ix->keys[i];
        ok = k->str < ix->pool_size && k->fold < ix->pool_size &&
             (uint64_t)k->post + k->n_post <= ix->hdr->n_postings;
        uint32_t limit = k->kind == KEY_IDENT         ? ix->hdr->n_entities
                         : key_lists_words(k->kind) ? ix->hdr->n_keys
                                                    : ix->hdr->n_names;
        for (uint32_t j = 0; ok && j < k->n_post; j++)
            ok = ix->post[k->post + j] < limit;
    }
    for (uint32_t i = 0; ok && i < ix->hdr->hash_cap; i++)
        ok = ix->hash[i] <= ix->hdr->n_keys;
    for (uint32_t i = 0; ok && i < ix->hdr->n_names; i++) {
        const idx_name *n = &ix->names[i];
        ok = n->entity < ix->hdr->n_entities && (uint64_t)n->toks + n->n_toks <= ix->hdr->n_name_toks;
    }
    for (uint32_t i = 0; ok && i < ix->hdr->n_name_toks; i++)
        ok = ix->name_toks[i] < ix->hdr->n_keys;
    for (uint32_t i = 0; ok && i < GRAM_SLOTS; i++)
        ok = ix->gram_offs[i] <= ix->gram_offs[i + 1] && ix->gram_offs[i + 1] <= ix->hdr->n_grams_post;
    for (uint32_t i = 0; ok && i < ix->hdr->n_grams_post; i++)
        ok = ix->gram_post[i] < ix->hdr->n_keys;
    for (uint32_t i = 0; ok && i < ix->hdr->n_entities; i++)
        ok = ix->ents[i].source < e->n_sources;
    for (uint32_t i = 0; ok && ix->near_offs && i < ix->hdr->n_keys; i++)
        ok = ix->near_offs[i] <= ix->near_offs[i + 1] && ix->near_offs[i + 1] <= ix->hdr->n_near;
    for (uint32_t i = 0; ok && ix->near && i < ix->hdr->n_near; i++)
        ok = ix->near[i].key < ix->hdr->n_keys;
    if (!ok) {
        free(ix);
        err_set(err, CORDON_ERR_FORMAT, "snapshot: corrupt match index");
        return NULL;
    }
    size_t dict_len;
    const char *blob = snap_section_get(&e->file, SEC_IDX_DICT, &dict_len);
    ix->dict = text_dict_from_blob(blob ? blob : "", dict_len, err);
    if (!ix->dict) {
        free(ix);
        return NULL;
    }
    return ix;
}

void match_index_close(match_index *ix)
{
    if (!ix)
        return;
    text_dict_free(ix->dict);
    free(ix);
}

uint32_t match_index_name_count(const match_index *ix) { return ix->hdr->n_names; }
