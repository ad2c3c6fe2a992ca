/* score.c - how similar a query name is to one list name.
 *
 * Tokens are compared pairwise (exact, variant, romanisation fold, consonant skeleton for
 * names from Arabic script, initials, Jaro-Winkler for typos), adjacent pairs are also tried
 * written together ("Jong Un" = "Jongun"), and the best non-overlapping pairs are taken
 * greedily. The score is a weighted Dice coefficient: matched weight on both sides over all
 * weight on both sides, so unmatched tokens cost what they weigh and generic words little. */
#include "match.h"

#include <pthread.h>
#include <stdlib.h>

#define MIN_TOKEN_SIM 0.80
/* Conflicts (conflict_factor): tokens under this typo similarity are different words. */
#define CONFLICT_SIM 0.7
#define CONFLICT_FACTOR 0.85
#define CONFLICT_ANCHORS 3
#define SERIES_FACTOR 0.85
/* Words of the name swapped, not a name order (rotation). */
#define SHUFFLE_FACTOR 0.75
/* A near spelling that is another known name (distinct_names). */
#define DISTINCT_NAME_FACTOR 0.0
/* Each name has a line of business the other lacks (sector_conflict). */
#define SECTOR_FACTOR 0.8
/* A misread letter or two (misread). */
#define MISREAD_SIM 0.88
/* Longer words a letter apart are mostly one word misspelt (Agriculture/Agricultural). */
#define DISTINCT_NAME_LEN 9
/* The longest suffix that derives a name from another (derived_word: -stroy, -ovsky). */
#define DERIVED_SUFFIX_MAX 5

static double jw(const char *a, size_t la, const char *b, size_t lb)
{
    return sim_jaro_winkler(a, la, b, lb);
}

const char *const HOW_NAMES[HOW_COUNT] = {"none",     "exact", "variant", "initial", "phonetic",
                                          "skeleton", "fuzzy", "joined",  "soundex"};

/* Typo similarity: Jaro-Winkler alone rewards a shared prefix so much that "ryonbong" looks
 * like "ryong" (0.93); averaging it with the edit-distance similarity (transpositions count
 * once) keeps real typos ("managment", "mohamed", "appel") high and such look-alikes low. */
static double typo_sim(const char *a, size_t la, const char *b, size_t lb)
{
    double j = jw(a, la, b, lb);
    size_t longest = la > lb ? la : lb;
    if (!longest)
        return j;
    double lev = 1.0 - (double)sim_osa(a, la, b, lb) / (double)longest;
    return (j + lev) / 2.0;
}

static uint64_t char_mask(const char *s, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= 1ull << ((unsigned char)s[i] & 63);
    return m;
}

/* The best typo_sim two strings could reach, from their lengths, the characters they share
 * and their common prefix. Jaro's matches and the characters an edit path keeps (matched or
 * transposed) pair equal characters one to one, so neither exceeds the multiset intersection
 * m; Jaro is at most (m/la + m/lb + 1) / 3 and the prefix bonus is the real one. Counting
 * by the low six bits of a character only merges counts, which keeps it a bound. Rejects
 * most pairs before Jaro-Winkler and Levenshtein run. */
static double typo_bound(const char *a, size_t la, const char *b, size_t lb, double *jw_bound)
{
    *jw_bound = 0.0;
    if (!la || !lb)
        return 0.0;
    uint8_t count[64] = {0};
    for (size_t i = 0; i < la; i++)
        count[(unsigned char)a[i] & 63]++;
    size_t m = 0;
    for (size_t i = 0; i < lb; i++) {
        uint8_t *c = &count[(unsigned char)b[i] & 63];
        m += *c != 0;
        *c -= *c != 0;
    }
    if (!m)
        return 0.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    double md = (double)m;
    double jaro = (md / (double)la + md / (double)lb + 1.0) / 3.0;
    *jw_bound = jaro + (double)prefix * 0.1 * (1.0 - jaro);
    return (*jw_bound + md / (double)(la > lb ? la : lb)) / 2.0;
}

/* typo_bound from the lengths alone, the first test: the bound grows with the shared
 * characters, of which there are at most as many as the shorter string has, and the prefix
 * bonus is at most four letters'. */
static double length_bound(size_t la, size_t lb)
{
    double ls = (double)(la <= lb ? la : lb), ll = (double)(la <= lb ? lb : la);
    double jaro = (ls / (double)la + ls / (double)lb + 1.0) / 3.0;
    double jwb = jaro + 0.4 * (1.0 - jaro);
    return (jwb + ls / ll) / 2.0;
}

/* length_bound of every pair of token lengths, worked out once: it is asked for millions of
 * pairs, and three divisions cost more than the rest of the test. */
static double length_bounds[TEXT_MAX_TOKEN][TEXT_MAX_TOKEN];
static pthread_once_t length_bounds_once = PTHREAD_ONCE_INIT;

static void length_bounds_init(void)
{
    for (size_t la = 1; la < TEXT_MAX_TOKEN; la++)
        for (size_t lb = 1; lb < TEXT_MAX_TOKEN; lb++)
            length_bounds[la][lb] = length_bound(la, lb);
}

/* Set bits (the portable form: no popcount instruction is assumed). */
static inline unsigned bit_count(uint64_t x)
{
    x -= (x >> 1) & 0x5555555555555555ull;
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* typo_bound's Jaro-Winkler part with m shared characters and a prefix of four, the most. */
static double jw_bound_of(double m, size_t la, size_t lb)
{
    double jaro = (m / (double)la + m / (double)lb + 1.0) / 3.0;
    return jaro + 0.4 * (1.0 - jaro);
}

/* typo_bound with m shared characters. */
static inline double shared_bound(size_t m, size_t la, size_t lb)
{
    return (jw_bound_of((double)m, la, lb) + (double)m / (double)(la > lb ? la : lb)) / 2.0;
}

/* The most characters two strings can share by their masks (0: none): each character of one
 * in a lane the other lacks is matched by nothing. */
static inline size_t shared(size_t la, uint64_t ma, size_t lb, uint64_t mb)
{
    size_t ua = bit_count(ma & ~mb), ub = bit_count(mb & ~ma);
    if (ua >= la || ub >= lb)
        return 0;
    return la - ua < lb - ub ? la - ua : lb - ub;
}

/* typo_bound from the lengths and the character masks alone. */
static inline double mask_bound(size_t la, uint64_t ma, size_t lb, uint64_t mb)
{
    size_t m = shared(la, ma, lb, mb);
    return m ? shared_bound(m, la, lb) : 0.0;
}

/* typo_sim(a, b) if scale times it can reach `reach`, else 0 (it is then below reach). The
 * tests, cheapest first: the lengths; the character masks (ma, mb; 0: not known), as each
 * character of one in a lane the other lacks is matched by nothing; typo_bound; the edit
 * distance before Jaro-Winkler, which costs the most. Each rejects only pairs whose bound is
 * under reach by more than rounding. Callers run length_bounds_init (once) first. */
static double typo_sim_reaching(const char *a, size_t la, uint64_t ma, const char *b, size_t lb,
                                uint64_t mb, double scale, double reach)
{
    if (!la || !lb)
        return 0.0;
    double lbound = la < TEXT_MAX_TOKEN && lb < TEXT_MAX_TOKEN ? length_bounds[la][lb]
                                                               : length_bound(la, lb);
    if (scale * lbound < reach - 1e-9)
        return 0.0;
    if (!ma)
        ma = char_mask(a, la);
    if (!mb)
        mb = char_mask(b, lb);
    if (scale * mask_bound(la, ma, lb, mb) < reach - 1e-9)
        return 0.0;
    double jwb;
    if (scale * typo_bound(a, la, b, lb, &jwb) < reach - 1e-9)
        return 0.0;
    /* As typo_sim, with the edit distance first: with it known, Jaro-Winkler's bound alone
     * may already fall short. */
    size_t longest = la > lb ? la : lb;
    double lev = 1.0 - (double)sim_osa(a, la, b, lb) / (double)longest;
    if (scale * (jwb + lev) / 2.0 < reach - 1e-9)
        return 0.0;
    return (jw(a, la, b, lb) + lev) / 2.0;
}

static bool is_connector(const char *w)
{
    static const char *const words[] = {"bin", "ibn", "bint", "ben", "ould", "binti"};
    for (size_t k = 0; k < ARRAY_LEN(words); k++)
        if (w[0] == words[k][0] && strcmp(w, words[k]) == 0)
            return true;
    return false;
}

/* A token's facts: prepared, or worked out (a list token not prepared). */
static inline size_t fold_len(const stok *t) { return t->prepared ? t->flen : strlen(t->fold); }
static inline bool fold_same(const stok *t)
{
    return t->prepared ? t->fold_same : strcmp(t->fold, t->text) == 0;
}
static inline bool is_article(const stok *t)
{
    return t->prepared ? t->article : !strcmp(t->text, "al") || !strcmp(t->text, "el");
}

static inline bool tok_is_connector(const stok *t)
{
    return t->prepared ? t->connector : is_connector(t->orig);
}

static bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

static bool polysyllabic(const char *w)
{
    int groups = 0;
    for (; *w; w++)
        groups += is_vowel(*w) && !is_vowel(w[1]);
    return groups >= 2;
}

void stok_prepare(stok *t, char *skel_buf)
{
    /* token_sim's table: a pair with a prepared token finds it ready. */
    pthread_once(&length_bounds_once, length_bounds_init);
    t->prepared = 0;
    t->acro = (int8_t)acronym_len(t);
    t->flen = (uint8_t)strlen(t->fold);
    t->fold_same = strcmp(t->fold, t->text) == 0;
    t->canonical = t->orig != t->text && strcmp(t->orig, t->text) != 0;
    t->mask = char_mask(t->text, t->len);
    t->fmask = char_mask(t->fold, t->flen);
    t->article = !strcmp(t->text, "al") || !strcmp(t->text, "el");
    t->connector = is_connector(t->orig);
    t->polysyllabic = polysyllabic(t->text);
    t->skel = NULL;
    if (skel_buf) {
        text_skeleton(t->text, skel_buf, TEXT_MAX_TOKEN);
        t->skel = skel_buf;
    }
    t->prepared = 1;
}

/* The consonant skeletons of a pair from scripts with and without short vowels, compared;
 * lat_text is b's spelling to use (lat_skel its skeleton, if known). */
static double skeleton_sim_as(const stok *a, const stok *b, const char *lat_text,
                              const char *lat_skel)
{
    /* One side came from a script without short vowels: compare consonant skeletons.
     * A final t/h on the Arabic side may be a ta marbuta the Latin spelling drops. */
    char sa[TEXT_MAX_TOKEN], sb[TEXT_MAX_TOKEN];
    if (a->skel)
        memcpy(sa, a->skel, strlen(a->skel) + 1);
    else
        text_skeleton(a->text, sa, sizeof sa);
    if (lat_skel)
        memcpy(sb, lat_skel, strlen(lat_skel) + 1);
    else
        text_skeleton(lat_text, sb, sizeof sb);
    char *ab = sa;
    const char *other = sb;
    size_t la = strlen(sa), lb = strlen(sb);
    double s = 0;
    if (la >= 1 && lb >= 1) {
        if (strcmp(sa, sb) == 0) {
            s = 0.92;
        } else {
            size_t lab = strlen(ab), lt = strlen(a->text);
            /* only a word that ends in the letter: "bwhaha" has no ta marbuta to drop */
            if (lab >= 2 && (ab[lab - 1] == 't' || ab[lab - 1] == 'h') && lt &&
                a->text[lt - 1] == ab[lab - 1]) {
                ab[lab - 1] = 0;
                if (strcmp(ab, other) == 0)
                    s = 0.9;
                ab[lab - 1] = 't';
            }
            la = strlen(sa);
            lb = strlen(sb);
            /* Short skeletons say too little to be compared loosely. */
            if (s == 0 && la >= 4 && lb >= 4) {
                double j = jw(sa, la, sb, lb);
                if (j >= 0.9)
                    s = 0.9 * j;
            }
        }
    }
    if (s > 0 && !a->abjad == !b->abjad)
        return s; /* both from one script: nothing to check the vowel letters against */
    if (s > 0 && !text_vowel_letters_agree(a->text, lat_text))
        s = 0;
    /* Hebrew letters read more than one way: the Latin word tested against each reading. */
    if (s < 0.92 && a->abjad == TOK_HEBREW && !b->abjad && text_hebrew_reads(a->text, lat_text))
        s = 0.92;
    return s;
}

static double skeleton_sim(const stok *a, const stok *b)
{
    const stok *abj = a->abjad ? a : b, *lat = a->abjad ? b : a;
    double s = skeleton_sim_as(abj, lat, lat->text, lat->skel);
    /* The dictionary's canonical spelling may move the vowels the Arabic letters write
     * (Salah, صلاح, folds to Salih): the Latin word as written is asked too. List words keep
     * only their canonical form, so this helps a Latin query. */
    if (s == 0 && lat->canonical && !abj->canonical)
        s = skeleton_sim_as(abj, lat, lat->orig, NULL);
    return s;
}

/* The typo similarity a pair needs: short tokens need more. */
static inline double typo_floor(const stok *a, const stok *b)
{
    size_t minlen = a->len < b->len ? a->len : b->len;
    return minlen <= 3 ? 0.83 : minlen <= 5 ? MIN_TOKEN_SIM + 0.02 : MIN_TOKEN_SIM;
}

/* The typo measures run only for pairs that could pass both the floor and `above` (the
 * margin covers rounding). */
static inline double typo_reach(double floor, double above)
{
    return floor > above - 1e-9 ? floor : above - 1e-9;
}

static bool outside_typo_measures(const stok *a, const stok *b, double above);
static int roman_value(const stok *t);

bool token_sim_may_exceed(const stok *a, const stok *b, double above)
{
    /* Numbers, initials and skeletons across scripts are token_sim_above's to rate, and so
     * are folds that may be equal (0.92). */
    if (!a->prepared || !b->prepared || a->cls == TOK_NUMBER || b->cls == TOK_NUMBER ||
        a->cls == TOK_INITIAL || b->cls == TOK_INITIAL || a->abjad != b->abjad ||
        (a->flen == b->flen && a->fmask == b->fmask))
        return true;
    if (a->fold2 || b->fold2)
        return true; /* a nickname's second name (token_sim_above compares the folds) */
    /* The typo measures: typo_sim_reaching's mask test. */
    double reach = typo_reach(typo_floor(a, b), above);
    if (mask_bound(a->len, a->mask, b->len, b->mask) >= reach - 1e-9)
        return true;
    if ((!a->fold_same || !b->fold_same) &&
        0.97 * mask_bound(a->flen, a->fmask, b->flen, b->fmask) >= reach - 1e-9)
        return true;
    return outside_typo_measures(a, b, above);
}


/* ---- distinct names: Hamad is not Hamid, Hernandez not Fernandez ---- */

/* The romanisation classes of a run of vowels: a (fatha), i (kasra), u (damma); "e" writes
 * either a (Ahmed, Mehdi) or i (Khaled, Samer). */
static unsigned vowel_classes(const char *v, size_t n)
{
    unsigned m = 0;
    for (size_t k = 0; k < n; k++)
        switch (v[k]) {
        case 'a': m |= 1; break;
        case 'e': m |= 3; break;
        case 'i': m |= 2; break;
        default: m |= 4; break; /* o, u */
        }
    return m;
}

static bool is_fold_vowel(char c) { return c && strchr("aeiou", c) != NULL; }

/* Could the two folds be one name romanised two ways? The same consonants in the same order
 * (h left out: Mahdi/Madi, Khaled/Kaled) with vowels of a common class in each place
 * (Mahir/Maher, Osama/Usama, Kovalev/Kovalyov, Ubaydi/Obeidi); a vowel may be added only if
 * it is an e or i (Michel/Michelle, Sergi/Sergei), not a final a (Sokolov/Sokolova). */
static bool same_name_romanised(const char *a, const char *b)
{
    for (;;) {
        const char *va = a, *vb = b;
        while (*a == 'h' || is_fold_vowel(*a))
            a++;
        while (*b == 'h' || is_fold_vowel(*b))
            b++;
        char ga[TEXT_MAX_TOKEN], gb[TEXT_MAX_TOKEN];
        size_t na = 0, nb = 0;
        for (; va < a; va++)
            if (*va != 'h')
                ga[na++] = *va;
        for (; vb < b; vb++)
            if (*vb != 'h')
                gb[nb++] = *vb;
        unsigned ma = vowel_classes(ga, na), mb = vowel_classes(gb, nb);
        if (na && nb ? !(ma & mb) : (ma | mb) & ~3u || (ma | mb) == 1)
            return false;
        if (!*a || !*b)
            return !*a && !*b;
        if (*a != *b)
            return false;
        a++;
        b++;
    }
}

/* One letter replaced, added or left out (not two swapped, which is how typos look), and not
 * a plural s: the shape of two different names that look alike (Hamad/Hamid, Martin/Marin),
 * where longer differences are mostly spellings of one word (Tekhnopromeksport). */
/* A fold two or more letters longer or shorter than its word is the name a nickname stands
 * for (Patty: Patricia, Bob: Robert); a romanisation fold changes a letter or so (Scholze:
 * sholse). Then the other word may be the other sex's form of that name (Patricio). */
static inline bool nickname_fold(const stok *t)
{
    size_t fl = fold_len(t);
    return !fold_same(t) && (fl >= (size_t)t->len + 2 || fl + 2 <= (size_t)t->len);
}

/* Orders two words so that *a is the shorter (ties keep their order). */
static void shorter_first(const char **a, size_t *la, const char **b, size_t *lb)
{
    if (*la > *lb) {
        const char *t = *a;
        *a = *b;
        *b = t;
        size_t tl = *la;
        *la = *lb;
        *lb = tl;
    }
}

static bool one_edit_apart(const char *a, size_t la, const char *b, size_t lb)
{
    shorter_first(&b, &lb, &a, &la); /* a the longer */
    if (la - lb > 1)
        return false;
    size_t i = 0;
    while (i < lb && a[i] == b[i])
        i++;
    if (la == lb)
        return i < la && strcmp(a + i + 1, b + i + 1) == 0;
    if (i == lb && a[i] == 's')
        return false; /* Guard/Guards */
    return strcmp(a + i + 1, b + i) == 0;
}

/* Two words that each name list parties of their own and are not one name spelled two ways:
 * a typo meets a word no list uses (Putin/Pulin), whereas Hamad and Hamid, Hernandez and
 * Fernandez, Zubov and Zubkov are different names. */
static bool distinct_names(const stok *a, const stok *b)
{
    if (!a->known || !b->known || a->cls != TOK_WORD || b->cls != TOK_WORD ||
        a->len > DISTINCT_NAME_LEN || b->len > DISTINCT_NAME_LEN || a->len < 4 || b->len < 4)
        return false; /* a short word a letter apart is as often a spelling (Ala, Alam) */
    if (!one_edit_apart(a->text, a->len, b->text, b->len))
        return false;
    return !same_name_romanised(a->fold, b->fold);
}

/* A woman's form of a man's given name is another person: a final a added (Aleksandr /
 * Aleksandra, Robert / Roberta, Karim / Karima, Valeriy / Valeriya), o for a (Francisco /
 * Francisca, 5 letters or more: Pinyin has guo/gua), ander for andra (Alexander / Alexandra;
 * Narender is Narendra spelt in Hindi's way), e after s (Louis / Louise, Francois / Francoise).
 * Michel / Michelle is left alone: English writes the woman's name Michel too. A Slavic family name in -ov, -ev, -in, -yn and its feminine (Petrov / Petrova) is
 * one family: the given name tells the person. */
static bool sex_forms(const char *a, size_t la, const char *b, size_t lb)
{
    shorter_first(&a, &la, &b, &lb);
    if (la < 4 || lb > la + 2 || strncmp(a, b, la - 2) != 0)
        return false;
    char m1 = a[la - 1], m2 = a[la - 2];
    if (lb == la)
        return (m1 == 'o' && b[la - 1] == 'a' && la >= 5 && m2 == b[la - 2]) ||
               (la >= 5 && !strncmp(a + la - 4, "nder", 4) && !strncmp(b + la - 4, "ndra", 4) &&
                a[la - 5] == 'a');
    if (lb != la + 1 || strncmp(a, b, la) != 0)
        return false;
    if (b[la] == 'e')
        return m1 == 's';
    bool family = (m1 == 'v' && (m2 == 'o' || m2 == 'e')) || (m1 == 'n' && (m2 == 'i' || m2 == 'y'));
    return b[la] == 'a' && !is_fold_vowel(m1) && !family;
}

/* A word and the same word with two letters or more added (Sokolov / Sokolovsky, Ozturk /
 * Ozturkmen, Ghasemi / Ghasemian, Uralneftegaz / Uralneftegazstroy) is a name derived from
 * another (a family name, a firm named after another), not a slip: slips change letters
 * inside a word or drop one. Generic words are abbreviated so (Tech / Technology), and a
 * longer ending is a word of another language (Patriotic / Patrioticheskikh). */
static bool derived_word(const stok *a, const stok *b)
{
    const stok *s = a->len <= b->len ? a : b, *l = a->len <= b->len ? b : a;
    if (s->cls != TOK_WORD || l->cls != TOK_WORD || s->len < 4 || l->len < s->len + 2 ||
        l->len > s->len + DERIVED_SUFFIX_MAX || strncmp(s->text, l->text, s->len) != 0)
        return false;
    /* a doubled letter and e is a spelling (Michel / Michelle, Jean / Jeanne) */
    return !(l->len == s->len + 2 && l->text[s->len] == s->text[s->len - 1] &&
             l->text[s->len + 1] == 'e');
}

static bool in_set(const char *w, const char *const *set, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!strcmp(w, set[k]))
            return true;
    return false;
}

/* Whether an initial and a final make a Pinyin syllable, by the rules of which initials take
 * which finals (j q x only i and u finals; z c s zh ch sh r g k h no i finals but zi ...). */
static bool pinyin_pair(const char *i, const char *f)
{
    static const char *const none[] = {"a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang",
                                       "eng", "er"};
    static const char *const y[] = {"a", "ao", "an", "ang", "e", "i", "in", "ing", "ong", "ou",
                                    "u", "ue", "uan", "un"};
    static const char *const w[] = {"a", "ai", "an", "ang", "ei", "en", "eng", "o", "u"};
    static const char *const r[] = {"e", "i", "u", "ao", "ou", "an", "en", "ang", "eng", "ong",
                                    "ua", "uo", "ui", "uan", "un"};
    if (!*i)
        return in_set(f, none, ARRAY_LEN(none));
    if (!strcmp(f, "er"))
        return false;
    switch (*i) {
    case 'y': return in_set(f, y, ARRAY_LEN(y));
    case 'w': return in_set(f, w, ARRAY_LEN(w));
    case 'r': return in_set(f, r, ARRAY_LEN(r));
    case 'j': case 'q': case 'x':
        return f[0] == 'i' || !strcmp(f, "u") || !strcmp(f, "ue") || !strcmp(f, "uan") ||
               !strcmp(f, "un");
    case 'g': case 'k': case 'h':
        return f[0] != 'i' && strcmp(f, "ue") != 0 && strcmp(f, "o") != 0;
    case 'z': case 'c': case 's':
        return (f[0] != 'i' || !strcmp(f, "i")) && strcmp(f, "ue") != 0 && strcmp(f, "o") != 0;
    case 'b': case 'p': case 'm': case 'f':
        return (f[0] != 'u' || !strcmp(f, "u")) && strcmp(f, "ong") != 0 &&
               strcmp(f, "iong") != 0 && strcmp(f, "ia") != 0 && strcmp(f, "iang") != 0 &&
               (*i != 'f' || f[0] != 'i');
    case 'd': case 't':
        return strcmp(f, "in") != 0 && strcmp(f, "ia") != 0 && strcmp(f, "iang") != 0 &&
               strcmp(f, "iong") != 0 && strcmp(f, "ue") != 0 && strcmp(f, "o") != 0 &&
               strcmp(f, "en") != 0;
    default: /* n, l */
        return strcmp(f, "iong") != 0 && strcmp(f, "ui") != 0 && strcmp(f, "o") != 0;
    }
}

/* Pinyin syllables, for given names written as one word (Xiaoping): an initial (or none) and
 * a final that pinyin_pair allows. */
static size_t pinyin_syllable(const char *s, size_t n, size_t want)
{
    static const char *const ini[] = {"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l",
                                      "g",  "k",  "h",  "j", "q", "x", "r", "z", "c", "s", "y",
                                      "w",  ""};
    static const char *const fin[] = {"iang", "iong", "uang", "ang", "eng", "ing", "ong", "ian",
                                      "iao",  "uai",  "uan",  "ai",  "ei",  "ao",  "ou",  "an",
                                      "en",   "er",   "ia",   "ie",  "iu",  "in",  "ua",  "uo",
                                      "ui",   "un",   "ue",   "a",   "o",   "e",   "i",   "u"};
    /* the want-th longest reading of s's first syllable, or 0 */
    size_t lens[64], k = 0;
    for (size_t a = 0; a < ARRAY_LEN(ini); a++) {
        size_t li = strlen(ini[a]);
        if (li > n || strncmp(s, ini[a], li) != 0)
            continue;
        for (size_t b = 0; b < ARRAY_LEN(fin) && k < ARRAY_LEN(lens); b++) {
            size_t lf = strlen(fin[b]);
            if (li + lf <= n && strncmp(s + li, fin[b], lf) == 0 && pinyin_pair(ini[a], fin[b]))
                lens[k++] = li + lf;
        }
    }
    /* longest first, without repeats */
    for (size_t x = 0; x < k; x++)
        for (size_t y = x + 1; y < k; y++)
            if (lens[y] > lens[x]) {
                size_t t = lens[x];
                lens[x] = lens[y];
                lens[y] = t;
            }
    size_t seen = 0, last = 0;
    for (size_t x = 0; x < k; x++)
        if (lens[x] != last) {
            last = lens[x];
            if (seen++ == want)
                return lens[x];
        }
    return 0;
}

/* Splits s into pinyin syllables (their end offsets in ends[]), longest readings first with
 * backtracking; the count, or 0 if s is not pinyin. */
static int pinyin_split(const char *s, size_t n, size_t *ends, int max)
{
    if (n == 0)
        return 0;
    if (max == 0)
        return -1;
    for (size_t want = 0;; want++) {
        size_t l = pinyin_syllable(s, n, want);
        if (!l)
            return -1;
        ends[0] = l;
        if (l == n)
            return 1;
        int rest = pinyin_split(s + l, n - l, ends + 1, max - 1);
        if (rest > 0) {
            for (int r = 1; r <= rest; r++)
                ends[r] += l;
            return rest + 1;
        }
    }
}

/* Letters Pinyin has and Japanese and European names written like it (Takaichi, Michaela)
 * seldom do. */
static bool looks_chinese(const char *w)
{
    return strchr(w, 'x') || strchr(w, 'q') || strstr(w, "zh") || strstr(w, "ao") ||
           strstr(w, "ian") || strstr(w, "uo") || strstr(w, "ong");
}

/* Two Chinese given names written as one word that differ in one whole syllable (Xiaoping /
 * Xiaoming, Jianhua / Jianguo) are two names; a syllable a final g apart (Zhengrong /
 * Zhenrong) may be a slip. */
static bool other_pinyin_name(const char *a, size_t la, const char *b, size_t lb)
{
    size_t ea[8], eb[8];
    if (la > 12 || lb > 12 || !looks_chinese(a) || !looks_chinese(b))
        return false;
    int na = pinyin_split(a, la, ea, 4), nb = pinyin_split(b, lb, eb, 4);
    if (na < 2 || na != nb)
        return false;
    int differ = 0;
    bool slip = false;
    for (int k = 0; k < na; k++) {
        size_t a0 = k ? ea[k - 1] : 0, b0 = k ? eb[k - 1] : 0;
        size_t sa = ea[k] - a0, sb = eb[k] - b0;
        if (sa == sb && !strncmp(a + a0, b + b0, sa))
            continue;
        differ++;
        size_t s = sa < sb ? sa : sb;
        slip = (sa == s + 1 ? a[a0 + s] : sb == s + 1 ? b[b0 + s] : 0) == 'g' &&
               !strncmp(a + a0, b + b0, s);
        /* the same initial with a final a vowel apart (Jinping / Jinpeng) may be a slip too */
        slip |= sa == sb && a[a0] == b[b0] && sim_osa(a + a0, sa, b + b0, sb) == 1;
    }
    return differ == 1 && !slip;
}

/* One slip of reading or typing that the typo measures rate low in a short word: "rn" read
 * for "m" (Qassern, Rahirn), a capital I read as l at the start (llya), or two letters after
 * the first swapped (Mahan Ari). */
static bool misread(const char *a, size_t la, const char *b, size_t lb)
{
    /* most pairs fail here: every slip keeps the first letter but l/i */
    if ((a[0] != b[0] && !((a[0] == 'l' && b[0] == 'i') || (a[0] == 'i' && b[0] == 'l'))) ||
        la < 3 || lb < 3 || la > lb + 1 || lb > la + 1)
        return false;
    size_t i = 0, j = 0;
    int slips = 0;
    while (i < la && j < lb) {
        if (a[i] == b[j]) {
            i++;
            j++;
        } else if (a[i] == 'r' && a[i + 1] == 'n' && b[j] == 'm') {
            i += 2;
            j++;
            slips++;
        } else if (b[j] == 'r' && b[j + 1] == 'n' && a[i] == 'm') {
            i++;
            j += 2;
            slips++;
        } else if (i == 0 && j == 0 && ((a[0] == 'l' && b[0] == 'i') || (a[0] == 'i' && b[0] == 'l'))) {
            i++;
            j++;
            slips++;
        } else if (i > 0 && i == j && i + 1 < la && a[i] == b[j + 1] && a[i + 1] == b[j]) {
            i += 2;
            j += 2;
            slips++;
        } else {
            return false;
        }
        if (slips > 1)
            return false;
    }
    return i == la && j == lb && slips == 1;
}

/* A misread short word (misread), on the canonical forms or, when either was folded, as
 * written. Prepared tokens know whether they were folded; others are compared. */
static bool misread_pair(const stok *a, const stok *b)
{
    if (misread(a->text, a->len, b->text, b->len))
        return true;
    bool folded = a->prepared && b->prepared ? a->canonical || b->canonical
                                             : a->orig != a->text || b->orig != b->text;
    return folded && a->orig[0] == b->orig[0] &&
           misread(a->orig, strlen(a->orig), b->orig, strlen(b->orig));
}

/* Han names are read in Mandarin and keep their syllables (see tokens.c), so a Latin word that
 * the Korean families fold ("Yi" -> ri) is met as written: 王毅 is Wang Yi. */
static bool met_as_written(const stok *a, const stok *b)
{
    return (a->text[0] == b->orig[0] && strcmp(a->text, b->orig) == 0) ||
           (a->orig[0] == b->text[0] && strcmp(a->orig, b->text) == 0);
}

/* The ratings of token_sim_above that the typo measures do not give (the prefilter's
 * complement): a word met as written, and a misread short word. */
static bool outside_typo_measures(const stok *a, const stok *b, double above)
{
    if ((a->canonical || b->canonical) && met_as_written(a, b))
        return true;
    return above < MISREAD_SIM && a->cls == TOK_WORD && b->cls == TOK_WORD && misread_pair(a, b);
}

double token_sim(const stok *a, const stok *b, int *how)
{
    return token_sim_above(a, b, how, 0.0);
}

double token_sim_above(const stok *a, const stok *b, int *how, double above)
{
    *how = HOW_NONE;
    if (a->cls == TOK_NUMBER || b->cls == TOK_NUMBER) {
        /* Numbers are never fuzzy: "Unit 180" is not "Unit 181". */
        if (a->cls == b->cls && strcmp(a->text, b->text) == 0) {
            *how = HOW_EXACT;
            return 1.0;
        }
        /* a series number written in roman numerals (Sea Dragon VII, Sea Dragon 7) */
        const stok *num = a->cls == TOK_NUMBER ? a : b, *other = num == a ? b : a;
        int r = other->cls == TOK_WORD && other->len <= 5 ? roman_value(other) : 0;
        if (r && atoi(num->text) == r && strspn(num->text, "0123456789") == num->len) {
            *how = HOW_VARIANT;
            return 1.0;
        }
        return 0.0;
    }
    if (a->text[0] == b->text[0] && strcmp(a->text, b->text) == 0) {
        *how = strcmp(a->orig, b->orig) == 0 ? HOW_EXACT : HOW_VARIANT;
        return 1.0;
    }
    if (met_as_written(a, b)) {
        *how = HOW_EXACT;
        return 1.0;
    }
    if (a->cls == TOK_INITIAL || b->cls == TOK_INITIAL) {
        /* An initial stands for any name with that first letter, at reduced weight. */
        if (a->cls != b->cls && a->orig[0] == b->orig[0]) {
            *how = HOW_INITIAL;
            return 0.7;
        }
        return 0.0;
    }
    double best = 0.0;
    if ((a->fold[0] && a->fold[0] == b->fold[0] && strcmp(a->fold, b->fold) == 0) ||
        (a->fold2 && strcmp(a->fold2, b->fold) == 0) || (b->fold2 && strcmp(b->fold2, a->fold) == 0)) {
        best = 0.92; /* one name romanised two ways, or a nickname and a name it stands for */
        *how = HOW_PHONETIC;
    }
    /* The Latin article (al, el) is a word of its own only as the article: a skeleton of one
     * consonant would let any word of l and vowels stand for it (Hebrew לוי, Levi). */
    bool article = a->abjad ? is_article(b) : is_article(a);
    if (a->abjad != b->abjad && !article) {
        double s = skeleton_sim(a, b);
        const stok *abj = a->abjad ? a : b;
        if (s < 0.92 && abj->alt) {
            /* the Persian reading of the Arabic-script word */
            stok p = *abj;
            p.text = abj->alt;
            p.skel = NULL;
            double sp = abj == a ? skeleton_sim(&p, b) : skeleton_sim(a, &p);
            if (sp > s)
                s = sp;
        }
        if (s > best) {
            best = s;
            *how = HOW_SKELETON;
        }
    }
    if (best >= 0.92)
        return best;
    /* Typos: Jaro-Winkler on the canonical forms and on the folds. */
    double floor = typo_floor(a, b);
    double reach = typo_reach(floor, above);
    if (!a->prepared && !b->prepared) /* else stok_prepare has run it */
        pthread_once(&length_bounds_once, length_bounds_init);
    double j = typo_sim_reaching(a->text, a->len, a->prepared ? a->mask : 0, b->text, b->len,
                                 b->prepared ? b->mask : 0, 1.0, reach);
    if (!fold_same(a) || !fold_same(b)) {
        double jf = 0.97 * typo_sim_reaching(a->fold, fold_len(a), a->prepared ? a->fmask : 0,
                                             b->fold, fold_len(b), b->prepared ? b->fmask : 0,
                                             0.97, reach);
        if (jf > j)
            j = jf;
    }
    if (j >= floor && j > best) {
        best = j;
        *how = HOW_FUZZY;
        if (distinct_names(a, b) ||
            (a->cls == TOK_WORD && b->cls == TOK_WORD && !a->abjad && !b->abjad &&
             (other_pinyin_name(a->text, a->len, b->text, b->len) ||
              sex_forms(a->text, a->len, b->text, b->len) ||
              ((a->canonical || b->canonical) && sex_forms(a->orig, strlen(a->orig), b->orig,
                                                         strlen(b->orig))) ||
              ((nickname_fold(a) || nickname_fold(b)) &&
               sex_forms(a->fold, fold_len(a), b->fold, fold_len(b))) ||
              derived_word(a, b))))
            best *= DISTINCT_NAME_FACTOR;
    } else if (best < MISREAD_SIM && a->cls == TOK_WORD && b->cls == TOK_WORD &&
               misread_pair(a, b)) {
        best = MISREAD_SIM;
        *how = HOW_FUZZY;
    }
    return best >= MIN_TOKEN_SIM ? best : 0.0;
}

/* Does `single` spell tokens t[from..from+count-1] written together? Compared on the
 * canonical forms (1.0) and on the folds (0.92), without building the joined string: this runs
 * for every span of every candidate name. */
static bool spells(const char *single, const stok *t, int from, int count, bool fold)
{
    const char *p = single;
    for (int i = from; i < from + count; i++)
        for (const char *part = fold ? t[i].fold : t[i].text; *part; part++, p++)
            if (*p != *part) /* also where single ends first */
                return false;
    return *p == 0;
}

/* spells on the words as written, before the variant table. */
static bool spells_orig(const char *single, const stok *t, int from, int count)
{
    const char *p = single;
    for (int i = from; i < from + count; i++)
        for (const char *part = t[i].orig; *part; part++, p++)
            if (*p != *part)
                return false;
    return *p == 0;
}

/* One side from a script without short vowels: the skeleton of the span written together
 * against the single token's ("مطيع الله" = Matiullah, "شمس الدین" = Shamsuddin, "ولی جان" =
 * Walijan), as token_sim compares single skeletons. */
/* Below a single word's skeleton match (0.92): joining words adds doubt, and a joined skeleton
 * collides more (عبد الحی, Abdul Hai, and Abdullahi are both "bdlh"). */
#define JOINED_SKELETON_SIM 0.88

/* Whether a span's words may be written together by skeleton (joined_skeleton_sim): the
 * same for every single token the span meets, so the callers keep it in *memo (-1: not yet
 * known). */
static bool span_compound(const stok *t, int from, int count, const char **words, int *memo)
{
    for (int i = 0; i < count; i++)
        words[i] = t[from + i].text;
    if (*memo < 0) {
        *memo = 1;
        for (int i = 0; i < count; i++)
            if (t[from + i].cls == TOK_NUMBER || t[from + i].cls == TOK_INITIAL)
                *memo = 0;
        if (*memo)
            *memo = text_compound_span(words, count);
    }
    return *memo;
}

static double joined_skeleton_sim(const stok *single, const stok *t, int from, int count,
                                  int *memo)
{
    if (single->cls == TOK_INITIAL || single->abjad)
        return 0; /* a Latin span against one Arabic-script word: the article split suffices */
    const char *words[3];
    if (!span_compound(t, from, count, words, memo))
        return 0;
    char one[TEXT_MAX_TOKEN], span[TEXT_MAX_TOKEN * 3];
    if (single->skel)
        memcpy(one, single->skel, strlen(single->skel) + 1);
    else
        text_skeleton(single->text, one, sizeof one);
    size_t lo = strlen(one);
    if (lo < 3)
        return 0; /* short skeletons say too little */
    if (text_skeleton_span(words, count, false, span, sizeof span) == lo && !strcmp(one, span))
        return JOINED_SKELETON_SIM;
    size_t ls = text_skeleton_span(words, count, true, span, sizeof span);
    if (ls == lo && !strcmp(one, span))
        return JOINED_SKELETON_SIM;
    /* A final h/t may be a ta marbuta or silent h the Latin spelling drops ("زاده" zada). */
    if (ls == lo + 1 && (span[lo] == 'h' || span[lo] == 't') && !strncmp(one, span, lo))
        return JOINED_SKELETON_SIM - 0.02;
    return 0;
}

/* joined_sim's first test, in the loops: most pairs of tokens do not even start alike (the
 * skeletons of an abjad side against a Latin side are joined_skeleton_sim's to judge). Only
 * a necessary condition: joined_sim decides. */
static inline bool starts_like(const char *single, const char *first)
{
    return single[0] == first[0] && (!first[0] || !first[1] || single[1] == first[1]);
}

/* A name's words that the variant table reads as a canonical form (Mohammad as muhammad,
 * Hossein as husayn) while the word that writes them together (Mohammadreza, Gholamhossein)
 * keeps its spelling: the two compare as written (joined_sim's orig test). */
static inline bool read_as_variant(const stok *t)
{
    return t->prepared ? t->canonical : t->orig != t->text && strcmp(t->orig, t->text) != 0;
}

static inline bool may_join(const stok *single, const stok *first)
{
    if (single->abjad != first->abjad && single->cls != TOK_NUMBER)
        return !single->abjad && single->cls != TOK_INITIAL; /* joined_skeleton_sim's test */
    /* A spelling of the span begins with its first token's first two letters. */
    return starts_like(single->text, first->text) || starts_like(single->fold, first->fold) ||
           (read_as_variant(first) && !read_as_variant(single) &&
            starts_like(single->orig, first->orig));
}

/* lengths_join's test on the words as written, where the variant table read one of them. */
static __attribute__((noinline)) bool orig_lengths_join(const stok *single, const stok *t,
                                                         int from, int count)
{
    size_t olen = 0;
    for (int i = from; i < from + count; i++)
        olen += strlen(t[i].orig);
    return olen == strlen(single->orig);
}

/* After may_join: for two words of one script, whether the lengths joined_sim's spelling
 * tests need add up (the canonical forms' or the folds'); most pairs that start alike fail
 * here. */
/* Kept inline: it runs for most token pairs, and called it cost 2% more instructions. */
static inline __attribute__((always_inline)) bool lengths_join(const stok *single, const stok *t,
                                                               int from, int count)
{
    if (single->abjad != t[from].abjad && single->cls != TOK_NUMBER)
        return true; /* joined_skeleton_sim's to judge */
    size_t len = 0, flen = 0;
    for (int i = from; i < from + count; i++) {
        len += t[i].len;
        flen += fold_len(&t[i]);
    }
    if (len == single->len || flen == fold_len(single))
        return true;
    if (read_as_variant(single))
        return false;
    for (int i = from; i < from + count; i++)
        if (read_as_variant(&t[i]))
            return orig_lengths_join(single, t, from, count);
    return false;
}

_Static_assert(TEXT_MAX_TOKENS <= 32, "score_names keeps a bit per token in 32 bits");

/* memo: span_compound's, for the span t[from..from+count-1]. */
static double joined_sim(const stok *single, const stok *t, int from, int count, int *memo)
{
    if (single->abjad != t[from].abjad && single->cls != TOK_NUMBER)
        return joined_skeleton_sim(single, t, from, count, memo);
    if ((single->text[0] != t[from].text[0] && single->fold[0] != t[from].fold[0] &&
         single->orig[0] != t[from].orig[0]) ||
        single->cls == TOK_NUMBER || single->len < 3)
        return 0;
    size_t total = 0;
    for (int i = from; i < from + count; i++) {
        if (t[i].cls == TOK_NUMBER)
            return 0;
        total += t[i].len;
    }
    if (total == single->len && spells(single->text, t, from, count, false))
        return 1.0;
    if (single->fold[0] == t[from].fold[0] && spells(single->fold, t, from, count, true))
        return 0.92;
    for (int i = from; i < from + count && !read_as_variant(single); i++)
        if (read_as_variant(&t[i]))
            return spells_orig(single->orig, t, from, count) ? 1.0 : 0;
    return 0;
}

/* Is `single` ("nitc", "jc") the initials of t[from..from+count-1] ("national iranian tanker
 * company", "jean claude")? */
int acronym_len(const stok *t)
{
    if (t->prepared)
        return t->acro;
    if (t->cls == TOK_NUMBER || t->cls == TOK_GENERIC || t->common || t->len < 2 || t->len > 5)
        return 0;
    size_t n = strlen(t->orig);
    return n >= 2 && n <= 5 ? (int)n : 0;
}

/* acronym_len, without a call for a prepared token: asked of every token of every name. */
static inline int acro_len(const stok *t)
{
    return t->prepared ? t->acro : acronym_len(t);
}

bool span_initials(const char *const *orig, const uint8_t *cls, int from, int count, char *out)
{
    for (int i = 0; i < count; i++) {
        const char *o = orig[from + i];
        if (cls[from + i] == TOK_NUMBER || !o[0] || !o[1])
            return false;
        out[i] = o[0];
    }
    out[count] = 0;
    return true;
}

/* Generic words that persons' names have too: the article, the patronymic connectors and the
 * small words of many languages ("Abd al-Aziz bin Baz", "Maria de la Cruz"). */
static bool person_generic(const char *w)
{
    static const char *const words[] = {"al",  "el", "bin", "ibn", "bint", "the", "and",
                                        "of",  "for", "de", "la",  "le",   "des", "del",
                                        "di",  "du", "y",   "et",  "und"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strcmp(w, words[i]))
            return true;
    return false;
}

bool name_is_company(const char *const *text, const uint8_t *cls, int n)
{
    bool generic = false, other = false;
    for (int i = 0; i < n; i++) {
        if (cls[i] != TOK_GENERIC)
            other = true;
        else if (!person_generic(text[i]))
            generic = true;
    }
    return generic && other;
}

static double acronym_sim(const stok *single, const stok *t, int from, int count)
{
    const char *orig[5];
    uint8_t cls[5];
    char ini[6];
    for (int i = 0; i < count; i++) {
        orig[i] = t[from + i].orig;
        cls[i] = t[from + i].cls;
    }
    if (!span_initials(orig, cls, 0, count, ini) || strcmp(ini, single->orig) != 0)
        return 0;
    /* Initials coincide: "MAK" is also Montclair Apparel K.K., and a list's "POGC" (Pars Oil
     * and Gas Company) is also Pioneer Onyx Global Components. An acronym alone ranks a name
     * but stays under the default threshold; with other words matching it can help reach it. */
    return count == 2 ? 0.7 : 0.78;
}

/* The first patronymic connector (bin, ibn, bint, ben, ould) of a name, or -1. */
static int connector_at(const stok *t, int n)
{
    for (int i = 1; i < n; i++)
        if (tok_is_connector(&t[i]))
            return i;
    return -1;
}

typedef struct {
    int q0, q1, c0, c1;
    double sim, gain;
    int how;
} cand_pair;

static int cand_cmp(const void *a, const void *b)
{
    const cand_pair *x = a, *y = b;
    return (x->gain < y->gain) - (x->gain > y->gain);
}

static float span_w(const stok *t, int a, int b)
{
    float w = 0;
    for (int i = a; i <= b; i++)
        w += t[i].w;
    return w;
}

/* The per-query memo's slot for list token c, filled with its similarity to each of the
 * first SIM_CACHE_TOKENS query tokens if new; NULL where c cannot be memoised (no key, or
 * its neighbourhood full): then token_sim is asked. */
static const sim_slot *memo_slot(const stok *q, int nq, const stok *c, sim_cache *cache)
{
    /* A word key is compared as written in a name from Arabic/Hebrew script or not: the
     * script decides skeleton comparison, so it is part of the memo's key. */
    if (!cache || c->key >= UINT32_MAX / 2)
        return NULL;
    uint32_t k = c->key * 2u + (c->abjad != 0);
    uint32_t h = (k * 2654435761u) & (SIM_CACHE_SLOTS - 1);
    for (int probe = 0; probe < 8; probe++, h = (h + 1) & (SIM_CACHE_SLOTS - 1)) {
        sim_slot *sl = &cache->slots[h];
        if (sl->serial == cache->serial && sl->key == k)
            return sl;
        if (sl->serial != cache->serial) { /* free for this query: fill it */
            sl->serial = cache->serial;
            sl->key = k;
            /* Prepared once for the query tokens it meets, with its skeleton when query
             * tokens from the other kind of script need it. */
            stok cp = *c;
            char skel[TEXT_MAX_TOKEN];
            bool other_script = false;
            for (int x = 0; x < nq && x < SIM_CACHE_TOKENS; x++)
                other_script |= q[x].abjad != c->abjad;
            if (!cp.prepared) {
                stok_prepare(&cp, other_script ? skel : NULL);
            } else if (other_script) {
                text_skeleton(cp.text, skel, sizeof skel);
                cp.skel = skel;
            }
            for (int x = 0; x < nq && x < SIM_CACHE_TOKENS; x++) {
                /* Most pairs fail the mask test, which costs less than token_sim's way to
                 * the same 0. */
                int hw = HOW_NONE;
                double sim = token_sim_may_exceed(&q[x], &cp, 0) ? token_sim(&q[x], &cp, &hw) : 0;
                /* Latin-script list tokens were always memoised at float precision, and
                 * their scores depend on it; Arabic-script ones were not memoised. */
                sl->sim[x] = c->abjad ? sim : (double)(float)sim;
                sl->how[x] = (uint8_t)hw;
            }
            return sl;
        }
    }
    return NULL; /* neighbourhood full: compute without memo */
}

/* ---- conflicts: what a screener reads as "a different party", not "a word left out" ---- */

/* A roman numeral of two or more letters (ii, iv, xii): a series or generation marker, as a
 * number is. Single letters are initials (Vladimir V. Putin), and the first word of a name
 * is a name (Xi). */
static int roman_value(const stok *t)
{
    static const char *const r[] = {"ii",  "iii", "iv",   "vi",  "vii", "viii", "ix",
                                    "xi",  "xii", "xiii", "xiv", "xv",  "xvi",  "xvii",
                                    "xviii", "xix", "xx"};
    static const int v[] = {2, 3, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
    if (t->cls != TOK_WORD || t->len < 2 || t->len > 5)
        return 0;
    for (size_t k = 0; k < t->len; k++) /* most words fail here, before the list */
        if (t->text[k] != 'i' && t->text[k] != 'v' && t->text[k] != 'x')
            return 0;
    for (size_t k = 0; k < ARRAY_LEN(r); k++)
        if (strcmp(t->text, r[k]) == 0)
            return v[k];
    return 0;
}

static bool roman_numeral(const stok *t) { return roman_value(t) != 0; }

static bool series_marker(const stok *t, int pos)
{
    return t->cls == TOK_NUMBER || (pos > 0 && roman_numeral(t));
}

/* Can the shorter be an abbreviation of the longer (its letters in order, the first the
 * same: intl/international, dr/drissi)? Then the two are not known to differ. */
static bool abbreviates(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    const char *s = la <= lb ? a : b, *l = la <= lb ? b : a;
    if (s[0] != l[0])
        return false;
    for (; *s; s++) {
        l = strchr(l, *s);
        if (!l)
            return false;
        l++;
    }
    return true;
}

/* Two tokens in the same place of both names that are confidently different words: a
 * different given, father's or grandfather's name, a different sector word (Bank/Trust) or
 * a middle initial of another letter. Near spellings, abbreviations, generic words and
 * connectors are not conflicts; numbers are compared as series markers instead. */
static bool conflicting(const stok *a, const stok *b)
{
    if (a->cls == TOK_GENERIC || b->cls == TOK_GENERIC || a->cls == TOK_NUMBER ||
        b->cls == TOK_NUMBER || a->abjad != b->abjad || tok_is_connector(a) || tok_is_connector(b) ||
        roman_numeral(a) || roman_numeral(b))
        return false;
    if (a->cls == TOK_INITIAL || b->cls == TOK_INITIAL)
        return a->orig[0] != b->orig[0];
    if (abbreviates(a->text, b->text) || abbreviates(a->fold, b->fold))
        return false;
    return typo_sim(a->text, a->len, b->text, b->len) < CONFLICT_SIM;
}

/* Jinfeng Shipping and Jinfeng International Trading, Daesong Bank and Daesong General
 * Trading, Ocean Maritime Logistics and Ocean Maritime Management: one name has a sector word
 * left unmatched, the other a sector word or a word of the name, and no two of those sector
 * words are forms of one another (Trade/Trading, Tech/Technology), so they are two companies
 * of one group. A sector word on one side only is a word left out. */
static bool sector_conflict(const stok *q, int nq, const stok *c, int nc, uint64_t used_q,
                            uint64_t used_c)
{
    int q_sec = 0, c_sec = 0, q_word = 0, c_word = 0;
    for (int i = 0; i < nq; i++) {
        if (used_q >> i & 1)
            continue;
        q_word += q[i].cls == TOK_WORD;
        if (!q[i].sector)
            continue;
        q_sec++;
        for (int j = 0; j < nc; j++)
            if (!(used_c >> j & 1) && c[j].sector &&
                (abbreviates(q[i].text, c[j].text) || !strncmp(q[i].text, c[j].text, 4)))
                return false;
    }
    for (int j = 0; j < nc; j++)
        if (!(used_c >> j & 1)) {
            c_sec += c[j].sector;
            c_word += c[j].cls == TOK_WORD;
        }
    return (q_sec && (c_sec || c_word)) || (c_sec && q_word);
}

/* The factor for conflicts left after alignment: each token pair standing in the same slot
 * (between the same matched neighbours on both sides) that conflicts, and each series marker
 * (number, roman numeral) present on one side only. A missing word costs its weight; a
 * contradicting one says more, however common the word is (Mohamed for Ali in a patronymic
 * chain weighs little, but names another father). */
static double conflict_factor(const stok *q, int nq, const stok *c, int nc, uint64_t used_q,
                              uint64_t used_c, const name_score *ns)
{
    int qimg[TEXT_MAX_TOKENS];
    for (int i = 0; i < nq; i++)
        qimg[i] = -1;
    for (int k = 0; k < ns->n_steps; k++)
        for (int i = ns->steps[k].q0; i <= ns->steps[k].q1; i++)
            qimg[i] = ns->steps[k].c0;
    double f = 1.0, conflicts = 1.0;
    uint64_t taken = 0;
    int q_loose = 0; /* query words unmatched and in no conflict */
    /* A conflict speaks only between otherwise equal names: with fewer words in common the
     * score is low already, and aliases that share one word with another name of the party
     * (a nickname and a surname) must still rank. */
    int anchors = 0;
    for (int i = 0; i < nq; i++)
        anchors += (used_q >> i & 1) && q[i].cls != TOK_GENERIC;
    bool slots = anchors >= CONFLICT_ANCHORS;
    int q_num = 0, c_num = 0, q_words = 0, c_words = 0;
    for (int i = 0; i < nq; i++) {
        if (used_q >> i & 1)
            continue;
        if (series_marker(&q[i], i))
            q_num++;
        else if (q[i].cls != TOK_GENERIC)
            q_words++;
        int p = i - 1, n = i + 1;
        while (p >= 0 && !(used_q >> p & 1))
            p--;
        while (n < nq && !(used_q >> n & 1))
            n++;
        int lo = p >= 0 ? qimg[p] : -1, hi = n < nq ? qimg[n] : nc;
        bool found = false;
        if (slots && lo < hi && !(p < 0 && n >= nq)) /* else reordered or nothing matched */
            for (int j = lo + 1; j < hi && !found; j++)
                if (!((used_c | taken) >> j & 1) && conflicting(&q[i], &c[j])) {
                    taken |= 1ull << j;
                    conflicts *= CONFLICT_FACTOR;
                    found = true;
                }
        if (!found && q[i].cls != TOK_GENERIC && !series_marker(&q[i], i))
            q_loose++;
    }
    /* ...and only where the query's other words all found their match: a query that also
     * left words unmatched is a partial or another form of the name, scored low already. */
    if (!q_loose)
        f *= conflicts;
    for (int j = 0; j < nc; j++)
        if (!(used_c >> j & 1)) {
            if (series_marker(&c[j], j))
                c_num++;
            else if (c[j].cls != TOK_GENERIC)
                c_words++;
        }
    /* "Acme Solutions" and "Acme Solutions II" are two companies: a marker on one side only,
     * with nothing on the other that may stand for it (2004-1 and 2004-2 of one shelf are
     * compared as numbers always were; "IV L.P." against "V L.P.", read as one word "vlp",
     * is a substitution). */
    if ((q_num && !c_num && !c_words) || (c_num && !q_num && !q_words))
        f *= SERIES_FACTOR;
    if (sector_conflict(q, nq, c, nc, used_q, used_c))
        f *= SECTOR_FACTOR;
    return f;
}

/* A query word that may be a middle name or patronymic: not the first or last word, not a
 * number (Unit 180 Lab is not Unit Lab), and of two syllables or more. A word of one syllable
 * is, in East Asian names, half of a given name written in two (Kim Jun Seong is not Kim
 * Seong), and in Vietnamese ones a middle name that tells people apart (Nguyen Van Thanh). */
static inline bool middle_word(const stok *q, int nq, int i)
{
    return i > 0 && i < nq - 1 && q[i].cls != TOK_NUMBER &&
           (q[i].prepared ? q[i].polysyllabic : polysyllabic(q[i].text));
}

/* Query words left out between two matched neighbours whose matches on the list side are
 * adjacent in order (nothing in that slot of the list name): a middle name or patronymic the
 * list name does not give (Olga Nikolaevna Smirnova, Olga Smirnova). Such a word costs what a
 * list-name word left out costs, as "Olga Smirnova" against "Olga Nikolaevna Smirnova" does:
 * names are written with and without middle names either way round. Returns their weight. */
static double middle_words_left_out(const stok *q, int nq, int nc, uint64_t used_q,
                                    uint64_t used_c, const name_score *ns)
{
    int qlo[TEXT_MAX_TOKENS], qhi[TEXT_MAX_TOKENS];
    for (int i = 0; i < nq; i++)
        qlo[i] = qhi[i] = -1;
    for (int k = 0; k < ns->n_steps; k++)
        for (int i = ns->steps[k].q0; i <= ns->steps[k].q1; i++) {
            qlo[i] = ns->steps[k].c0;
            qhi[i] = ns->steps[k].c1;
        }
    double w = 0;
    for (int i = 1; i + 1 < nq; i++) {
        if ((used_q >> i & 1) || !middle_word(q, nq, i))
            continue;
        int p = i - 1, n = i + 1;
        while (p >= 0 && !(used_q >> p & 1))
            p--;
        while (n < nq && !(used_q >> n & 1))
            n++;
        /* between two name words: in a company's name the word before a legal form or a
         * generic word is the business (Crystalord Systems Limited is not Crystalord Ltd) */
        if (p < 0 || n >= nq || qhi[p] >= qlo[n] || q[p].cls != TOK_WORD || q[n].cls != TOK_WORD)
            continue;
        bool empty = true; /* the list name's slot between the two */
        for (int j = qhi[p] + 1; j < qlo[n] && j < nc; j++)
            empty &= (used_c >> j & 1) != 0;
        if (empty)
            w += q[i].w;
    }
    return w;
}

/* Is the order of the names' words, as matched, one name order turned into another? Names
 * are written given name first or family name first (Kim Jong Un, Jong Un Kim; Garcia
 * Fernandez, Jose Luis): a rotation. Words swapped inside the name are another person: a
 * given and a father's name (Khalid Saeed, Saeed Khalid), a Spanish father's and mother's
 * family name (Garcia Fernandez, Fernandez Garcia), a patronymic and a family name. A name
 * turned round whole is an order too (Nguyen Thi Hong, Hong Thi Nguyen). Only words matched
 * one to one count; generic words and connectors do not; and only between names that have
 * the same words (a name with words of its own is an alias that may order them its way). */
static bool rotation(const stok *q, const stok *c, const name_score *ns)
{
    int seq[TEXT_MAX_TOKENS], n = 0, qpos[TEXT_MAX_TOKENS];
    for (int k = 0; k < ns->n_steps; k++) {
        const match_step *st = &ns->steps[k];
        if (st->q0 != st->q1 || st->c0 != st->c1 || q[st->q0].cls != TOK_WORD ||
            c[st->c0].cls != TOK_WORD || tok_is_connector(&q[st->q0]) || is_article(&q[st->q0]))
            continue;
        int m = n++; /* by query position */
        for (; m > 0 && qpos[m - 1] > st->q0; m--) {
            qpos[m] = qpos[m - 1];
            seq[m] = seq[m - 1];
        }
        qpos[m] = st->q0;
        seq[m] = st->c0;
    }
    if (n < 3)
        return true;
    int descents = 0;
    for (int k = 0; k + 1 < n; k++)
        descents += seq[k + 1] < seq[k];
    return descents == 0 || (descents == 1 && seq[n - 1] < seq[0]) || descents == n - 1;
}

/* Every word of the name matched but connectors, and no generic word: a person's name
 * (organisations' names are reordered in translation: Committee for Relief of the North,
 * North Relief Committee). */
static bool all_words_used(const stok *t, int n, uint64_t used)
{
    for (int i = 0; i < n; i++)
        if ((t[i].cls == TOK_GENERIC && !is_article(&t[i]) && !tok_is_connector(&t[i])) ||
            (!(used >> i & 1) && t[i].cls == TOK_WORD && !tok_is_connector(&t[i])))
            return false;
    return true;
}

/* An upper bound of score_names from its pairs: every token at most at the best similarity
 * of a pair it is in, every query token matched, and of the list tokens those that raise the
 * ratio. A list token matched adds b*w above and (1 - LIST_EXTRA_COST)*w below, so the best
 * of them are a prefix by b, descending. The order and conflict factors are at most 1. */
static double score_bound(const stok *q, int nq, const stok *c, int nc, const cand_pair *pairs,
                          int np)
{
    double bq[TEXT_MAX_TOKENS], bc[TEXT_MAX_TOKENS];
    for (int i = 0; i < nq; i++)
        bq[i] = 0;
    for (int j = 0; j < nc; j++)
        bc[j] = 0;
    for (int k = 0; k < np; k++) {
        const cand_pair *p = &pairs[k];
        for (int i = p->q0; i <= p->q1; i++)
            bq[i] = p->sim > bq[i] ? p->sim : bq[i];
        for (int j = p->c0; j <= p->c1; j++)
            bc[j] = p->sim > bc[j] ? p->sim : bc[j];
    }
    /* A query token between two others may be a middle word left out, which costs what a
     * list token does: such tokens join the list tokens as optional ones. */
    double num = 0, den = 0;
    const stok *ot[2 * TEXT_MAX_TOKENS];
    double ob[2 * TEXT_MAX_TOKENS];
    int n = 0;
    for (int x = 0; x < nc + nq; x++) {
        const stok *t = x < nc ? &c[x] : &q[x - nc];
        double b = x < nc ? bc[x] : bq[x - nc];
        if (x >= nc && !middle_word(q, nq, x - nc)) {
            num += b * t->w;
            den += t->w;
            continue;
        }
        den += LIST_EXTRA_COST * t->w;
        if (b <= 0)
            continue;
        int m = n++;
        for (; m > 0 && ob[m - 1] < b; m--) {
            ob[m] = ob[m - 1];
            ot[m] = ot[m - 1];
        }
        ob[m] = b;
        ot[m] = t;
    }
    double best = den > 0 ? num / den : 0;
    for (int k = 0; k < n; k++) {
        num += ob[k] * ot[k]->w;
        den += (1.0 - LIST_EXTRA_COST) * ot[k]->w;
        if (den > 0 && num / den > best)
            best = num / den;
    }
    return best;
}

/* Rounding margin of score_bound against the score (weights summed in float there). */
#define BOUND_SLACK 1e-6

double score_names(const stok *q, int nq, const stok *c, int nc, double need, name_score *out,
                   sim_cache *cache)
{
    name_score local;
    if (!out)
        out = &local; /* the steps are needed for the order check below */
    cand_pair pairs[TEXT_MAX_TOKENS * TEXT_MAX_TOKENS * 3];
    int np = 0;
    const int maxp = (int)ARRAY_LEN(pairs);
    /* Each list token's memo slot, found once for all query tokens (filled in token order,
     * as the first query token's row would). */
    const sim_slot *slot[TEXT_MAX_TOKENS];
    for (int j = 0; j < nc; j++)
        slot[j] = nq ? memo_slot(q, nq, &c[j], cache) : NULL;
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nc && np < maxp; j++) {
            int how;
            double s;
            if (slot[j] && i < SIM_CACHE_TOKENS) {
                s = slot[j]->sim[i];
                how = slot[j]->how[i];
            } else {
                s = token_sim(&q[i], &c[j], &how);
            }
            if (s > 0)
                pairs[np++] = (cand_pair){i, i, j, j, s, s * (q[i].w + c[j].w), how};
        }
    /* Two or three adjacent tokens written together on either side: "jongun" ~ "jong un",
     * "hwanggumsan" ~ "hwang gum san". Whether a pair starts alike is asked once for both
     * spans: bit i of q_first[j] for query token i and a span from c[j], bit j of c_first[i]
     * for list token j and a span from q[i]. */
    uint32_t q_first[TEXT_MAX_TOKENS], c_first[TEXT_MAX_TOKENS];
    for (int j = 0; j < nc; j++)
        q_first[j] = 0;
    for (int i = 0; i < nq; i++) {
        c_first[i] = 0;
        for (int j = 0; j < nc; j++) {
            if (j + 1 < nc && may_join(&q[i], &c[j]))
                q_first[j] |= 1u << i;
            if (i + 1 < nq && may_join(&c[j], &q[i]))
                c_first[i] |= 1u << j;
        }
    }
    for (int span = 2; span <= 3; span++) {
        for (int j = 0; j + span <= nc; j++) {
            int memo = -1;
            for (uint32_t m = q_first[j]; m && np < maxp; m &= m - 1) {
                int i = __builtin_ctz(m);
                if (!lengths_join(&q[i], c, j, span))
                    continue;
                double s = joined_sim(&q[i], c, j, span, &memo);
                if (s > 0)
                    pairs[np++] = (cand_pair){i, i, j, j + span - 1, s,
                                              s * (q[i].w + span_w(c, j, j + span - 1)), HOW_JOINED};
            }
        }
        for (int i = 0; i + span <= nq; i++) {
            int memo = -1;
            for (uint32_t m = c_first[i]; m && np < maxp; m &= m - 1) {
                int j = __builtin_ctz(m);
                if (!lengths_join(&c[j], q, i, span))
                    continue;
                double s = joined_sim(&c[j], q, i, span, &memo);
                if (s > 0)
                    pairs[np++] = (cand_pair){i, i + span - 1, j, j, s,
                                              s * (span_w(q, i, i + span - 1) + c[j].w), HOW_JOINED};
            }
        }
    }
    /* A short token may be the initials of several on the other side. These pairs cover
     * many tokens at once, so ordered by gain they would win over the exact pairs they
     * overlap ("KKBC" over Korea, Kwangson, Banking and Corp matched one by one): they are
     * ordered after every other pair and only take tokens left unmatched. */
    for (int i = 0; i < nq; i++) {
        int span = acro_len(&q[i]);
        for (int j = 0; span && j + span <= nc && np < maxp; j++) {
            double s = acronym_sim(&q[i], c, j, span);
            if (s > 0)
                pairs[np++] = (cand_pair){i, i, j, j + span - 1, s,
                                          1e-6 * s * (q[i].w + span_w(c, j, j + span - 1)),
                                          HOW_INITIAL};
        }
    }
    for (int j = 0; j < nc; j++) {
        int span = acro_len(&c[j]);
        for (int i = 0; span && i + span <= nq && np < maxp; i++) {
            double s = acronym_sim(&c[j], q, i, span);
            if (s > 0)
                pairs[np++] = (cand_pair){i, i + span - 1, j, j, s,
                                          1e-6 * s * (span_w(q, i, i + span - 1) + c[j].w),
                                          HOW_INITIAL};
        }
    }
    /* A name that cannot reach `need` is not aligned. */
    if (need > 0) {
        double bound = score_bound(q, nq, c, nc, pairs, np);
        if (bound < need - BOUND_SLACK) {
            out->n_steps = 0;
            out->score = bound;
            return bound;
        }
    }
    /* Few pairs survive the similarity floor: insertion sort beats qsort's set-up. */
    for (int k = 1; k < np; k++) {
        cand_pair t = pairs[k];
        int m = k;
        while (m > 0 && cand_cmp(&pairs[m - 1], &t) > 0) {
            pairs[m] = pairs[m - 1];
            m--;
        }
        pairs[m] = t;
    }
    uint64_t used_q = 0, used_c = 0;
    double matched = 0, total = span_w(q, 0, nq - 1) + span_w(c, 0, nc - 1);
    if (out)
        out->n_steps = 0;
    for (int k = 0; k < np; k++) {
        cand_pair *p = &pairs[k];
        uint64_t mq = ((2ull << p->q1) - 1) & ~((1ull << p->q0) - 1);
        uint64_t mc = ((2ull << p->c1) - 1) & ~((1ull << p->c0) - 1);
        if ((used_q & mq) || (used_c & mc))
            continue;
        used_q |= mq;
        used_c |= mc;
        matched += p->sim * (span_w(q, p->q0, p->q1) + span_w(c, p->c0, p->c1));
        if (out && out->n_steps < TEXT_MAX_TOKENS)
            out->steps[out->n_steps++] =
                (match_step){p->q0, p->q1, p->c0, p->c1, p->sim, p->how};
    }
    /* "Ahmad bin Hasan" is not "Hasan bin Ahmad": the word after bin/ibn names the father. */
    int qb = connector_at(q, nq), cb = qb >= 0 && qb + 1 < nq ? connector_at(c, nc) : -1;
    double order_factor = 1.0;
    if (qb >= 0 && cb >= 0 && qb + 1 < nq && cb + 1 < nc) {
        for (int k = 0; k < out->n_steps; k++) {
            const match_step *st = &out->steps[k];
            if (st->q0 <= qb + 1 && qb + 1 <= st->q1 && !(st->c0 <= cb + 1 && cb + 1 <= st->c1))
                order_factor = 0.75;
        }
    }
    if (out->n_steps >= 3 && all_words_used(q, nq, used_q) && all_words_used(c, nc, used_c) &&
        !rotation(q, c, out))
        order_factor *= SHUFFLE_FACTOR;
    /* List-name tokens the query did not mention cost less than query tokens the list name
     * lacks: "Saddam Hussein" is a fair query for "Saddam Hussein al-Tikriti", but "George
     * Bush" is not one for "George". */
    double c_unmatched = 0;
    for (int j = 0; j < nc; j++)
        if (!(used_c >> j & 1))
            c_unmatched += c[j].w;
    total -= (1.0 - LIST_EXTRA_COST) * c_unmatched;
    if (nq >= 3 && used_q != (nq >= 64 ? ~0ull : (1ull << nq) - 1))
        total -= (1.0 - LIST_EXTRA_COST) * middle_words_left_out(q, nq, nc, used_q, used_c, out);
    double conflicts = used_q != (nq >= 64 ? ~0ull : (1ull << nq) - 1) ||
                               used_c != (nc >= 64 ? ~0ull : (1ull << nc) - 1)
                           ? conflict_factor(q, nq, c, nc, used_q, used_c, out)
                           : 1.0;
    double score = total > 0 ? matched / total * order_factor * conflicts : 0.0;
    if (score > 1.0)
        score = 1.0;
    if (out)
        out->score = score;
    return score;
}

/* OFAC's Sanctions List Search, as OFAC describes it: the name is compared as a whole and by
 * its parts with Jaro-Winkler, and Soundex lifts parts that sound alike; the better of the
 * whole-name score and the mean part score is the result. Name only: no other features. */
double score_ofac(const char *q_ascii, const stok *q, int nq, const char *c_ascii, const stok *c,
                  int nc, name_score *out)
{
    double whole = jw(q_ascii, strlen(q_ascii), c_ascii, strlen(c_ascii));
    double parts = 0;
    if (out)
        out->n_steps = 0;
    for (int i = 0; i < nq; i++) {
        double best = 0;
        int bj = -1;
        int how = HOW_FUZZY;
        char sq[5], sc[5];
        text_soundex(q[i].orig, sq);
        for (int j = 0; j < nc; j++) {
            double s = jw(q[i].orig, strlen(q[i].orig), c[j].orig, strlen(c[j].orig));
            int h = s == 1.0 ? HOW_EXACT : HOW_FUZZY;
            text_soundex(c[j].orig, sc);
            if (s < 1.0 && strcmp(sq, sc) == 0 && s < 0.9) {
                s = 0.9;
                h = HOW_SOUNDEX;
            }
            if (s > best) {
                best = s;
                bj = j;
                how = h;
            }
        }
        parts += best;
        if (out && bj >= 0 && out->n_steps < TEXT_MAX_TOKENS)
            out->steps[out->n_steps++] = (match_step){i, i, bj, bj, best, how};
    }
    double mean = nq ? parts / nq : 0;
    /* Extra list-name parts lower the part score as OFAC's whole-name comparison would. */
    if (nc > nq && nq)
        mean *= (double)nq / (double)nc * 0.25 + 0.75;
    double score = whole > mean ? whole : mean;
    if (out)
        out->score = score;
    return score;
}
