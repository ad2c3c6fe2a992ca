/* romanise.c - scripts ICU cannot read (Khmer, Lao, Sinhala) to Latin, syllable by syllable,
 * from the table in data/dict/romanise.tsv. All are written as syllables of consonant (with
 * stacked or joined consonants), vowel sign and final consonant; a consonant without a vowel
 * sign reads its inherent vowel, unless it closes the syllable before it (Khmer, Lao) or a
 * virama silences it (Sinhala). Khmer vowel signs read after the consonant's series (two sets
 * of consonants give the same sign two values). */
#include "text.h"

typedef struct {
    char *out;
    size_t len, cap;
} rsink;

static void emit(rsink *s, const char *p)
{
    for (; *p && s->len + 1 < s->cap; p++)
        s->out[s->len++] = *p;
}

/* The syllable being read. */
typedef struct {
    const text_rom *init; /* its initial consonant; NULL: no syllable open */
    const text_rom *pre;  /* a vowel written before the consonant, not yet read out */
    int series;
    bool vowel; /* a vowel was read (no inherent vowel) */
    bool final; /* closed by a final consonant */
    size_t last_c; /* where the last consonant's reading starts (for K) */
} syllable;

/* The entry at s[i] and its byte length (0 if s[i] is not a table character). */
static const text_rom *entry_at(const text_dict *d, const char *s, size_t n, size_t i, size_t *l)
{
    uint32_t cp;
    *l = utf8_decode(s + i, n - i, &cp);
    if (!*l) {
        *l = 1;
        return NULL;
    }
    return cp < 0x80 ? NULL : text_dict_rom(d, cp);
}

/* The next entry after i that is not silent (X) or a series shifter (S); NULL at the end of
 * the table characters. */
static const text_rom *next_sounding(const text_dict *d, const char *s, size_t n, size_t i)
{
    while (i < n) {
        size_t l;
        const text_rom *e = entry_at(d, s, n, i, &l);
        if (!e || (e->kind != 'X' && e->kind != 'S'))
            return e;
        i += l;
    }
    return NULL;
}

/* A vowel written around the consonant (pre + the characters at s[i..]), or with pre NULL a
 * run of signs read as one (Khmer ាំង "aing"): the longest M entry that matches; emits it and
 * returns the bytes it used at s[i..], 0 if none. */
static size_t around(const text_dict *d, rsink *o, const text_rom *pre, const char *s, size_t n,
                     size_t i)
{
    size_t nm, best = 0;
    const text_rom *m = text_dict_rom_multi(d, &nm), *hit = NULL;
    size_t pl = pre ? strlen(pre->key) : 0;
    for (size_t k = 0; k < nm; k++) {
        size_t kl = strlen(m[k].key);
        if (m[k].kind == 'M' && kl > pl && (!pre || memcmp(m[k].key, pre->key, pl) == 0) &&
            kl - pl <= n - i && memcmp(m[k].key + pl, s + i, kl - pl) == 0 && kl - pl > best) {
            best = kl - pl;
            hit = &m[k];
        }
    }
    if (hit)
        emit(o, hit->f[0]);
    return best;
}

/* The reading of the consonant c at s[i], and in *used the bytes it takes: a consonant with
 * the signs after it may read as another (Khmer ប៉ p, ហ្គ g). */
static const char *initial_of(const text_dict *d, const text_rom *c, const char *s, size_t n,
                              size_t i, size_t *used)
{
    size_t nm;
    const text_rom *m = text_dict_rom_multi(d, &nm);
    for (size_t k = 0; k < nm; k++) {
        size_t kl = strlen(m[k].key);
        if (m[k].kind == 'R' && kl <= n - i && memcmp(m[k].key, s + i, kl) == 0) {
            *used = kl;
            return m[k].f[0];
        }
    }
    *used = strlen(c->key);
    return c->f[0];
}

/* Ends the open syllable: a consonant left without a vowel reads its inherent vowel. */
static void close_syllable(rsink *o, syllable *y)
{
    if (y->init && y->pre)
        emit(o, y->pre->f[0]);
    else if (y->init && !y->vowel)
        emit(o, y->init->f[2]);
    memset(y, 0, sizeof *y);
}

size_t text_romanise(const text_dict *d, const char *s, size_t n, char *out, size_t cap)
{
    if (!d || !cap)
        return 0;
    bool any = false;
    for (size_t i = 0; i < n && !any;) {
        size_t l;
        any = (unsigned char)s[i] >= 0x80 && entry_at(d, s, n, i, &l) != NULL;
        i += (unsigned char)s[i] >= 0x80 ? l : 1;
    }
    if (!any)
        return 0;
    /* Signs without sound (tone marks) go first: they sit inside vowels written around a
     * consonant (ເຈົ້າ is ເ-ົາ with a tone mark in it). */
    char clean[1024];
    size_t cn = 0;
    for (size_t i = 0; i < n && cn + 4 < sizeof clean;) {
        size_t l = 1;
        const text_rom *e = (unsigned char)s[i] >= 0x80 ? entry_at(d, s, n, i, &l) : NULL;
        uint32_t cp = 0;
        if (l == 3 && !e)
            utf8_decode(s + i, n - i, &cp);
        /* Zero-width joiners inside a word of these scripts (Sinhala වික්‍රම) only shape it. */
        bool joiner = (cp == 0x200C || cp == 0x200D) && cn && (unsigned char)clean[cn - 1] >= 0x80;
        if ((!e || e->kind != 'X') && !joiner) {
            memcpy(clean + cn, s + i, l);
            cn += l;
        }
        i += l;
    }
    s = clean;
    n = cn;
    rsink o = {out, 0, cap};
    syllable y = {0};
    const text_rom *held = NULL; /* a vowel written before a consonant still to come */
    for (size_t i = 0; i < n;) {
        size_t l;
        const text_rom *e = (unsigned char)s[i] >= 0x80 ? entry_at(d, s, n, i, &l) : NULL;
        if ((unsigned char)s[i] < 0x80)
            l = 1;
        if (!e) { /* another character: the word ends */
            close_syllable(&o, &y);
            if (held)
                emit(&o, held->f[0]);
            held = NULL;
            for (size_t k = 0; k < l && o.len + 1 < o.cap; k++)
                o.out[o.len++] = s[i + k];
            i += l;
            continue;
        }
        i += l;
        switch (e->kind) {
        case 'C': {
            const text_rom *nx = next_sounding(d, s, n, i);
            bool before_vowel = nx && (strchr("VGJF", nx->kind) || (nx->kind == 'C' && nx->carrier));
            if (e->carrier && y.init && !y.vowel && !y.final && !y.pre) {
                emit(&o, e->f[2]); /* Lao ອ between a consonant and its final: the vowel o */
                y.vowel = true;
                break;
            }
            if (e->silent && nx && nx->kind == 'C')
                break; /* Lao ຫ before a sonorant marks its tone only */
            if (y.init && y.pre) { /* Lao ເ-ຍ: a consonant may end a vowel written around */
                size_t used = around(d, &o, y.pre, s, n, i - l);
                if (used) {
                    y.pre = NULL;
                    y.vowel = true;
                    i += used - l;
                    break;
                }
            }
            if (!held && !before_vowel && !e->indic && y.init && !y.final) {
                if (y.pre) {
                    emit(&o, y.pre->f[0]);
                    y.pre = NULL;
                    y.vowel = true;
                }
                if (!y.vowel)
                    emit(&o, y.init->f[2]);
                y.vowel = y.final = true;
                y.last_c = o.len;
                emit(&o, e->f[1]);
                break;
            }
            close_syllable(&o, &y);
            y.init = e;
            y.series = e->series;
            y.pre = held;
            y.vowel = held != NULL;
            held = NULL;
            y.last_c = o.len;
            size_t used;
            emit(&o, initial_of(d, e, s, n, i - l, &used));
            i += used - l;
            break;
        }
        case 'G': { /* the next consonant stacks under the one before */
            size_t l2;
            const text_rom *c = i < n ? entry_at(d, s, n, i, &l2) : NULL;
            if (c && c->kind == 'C') {
                y.last_c = o.len;
                emit(&o, c->f[0]);
                i += l2;
            }
            break;
        }
        case 'J':
            emit(&o, e->f[0]);
            break;
        case 'V':
            if (!y.pre) {
                size_t used = around(d, &o, NULL, s, n, i - l);
                if (used) {
                    i += used - l;
                    y.vowel = y.final = true;
                    break;
                }
            }
            if (y.pre) {
                size_t used = around(d, &o, y.pre, s, n, i - l);
                if (used) {
                    i += used - l;
                } else {
                    emit(&o, y.pre->f[0]);
                    emit(&o, e->f[y.series == 2 ? 1 : 0]);
                }
                y.pre = NULL;
            } else {
                emit(&o, e->f[y.series == 2 ? 1 : 0]);
            }
            y.vowel = true;
            break;
        case 'F':
            if (y.pre) {
                emit(&o, y.pre->f[0]);
                y.pre = NULL;
                y.vowel = true;
            }
            emit(&o, !y.init || y.vowel ? e->f[0] : e->f[y.series == 2 ? 2 : 1]);
            y.vowel = y.final = y.init != NULL;
            break;
        case 'S':
            y.series = e->series;
            break;
        case 'H': /* virama: the consonant reads no vowel */
            y.vowel = true;
            break;
        case 'K': /* the consonant before is not read */
            if (y.init && y.last_c <= o.len)
                o.len = y.last_c;
            break;
        case 'P':
            close_syllable(&o, &y);
            if (held)
                emit(&o, held->f[0]);
            held = e;
            break;
        case 'I':
            close_syllable(&o, &y);
            emit(&o, e->f[0]);
            y.init = e; /* takes final consonants, reads no inherent vowel */
            y.vowel = true;
            break;
        case 'D':
            close_syllable(&o, &y);
            emit(&o, e->f[0]);
            break;
        case 'W':
            close_syllable(&o, &y);
            emit(&o, " ");
            break;
        default: /* X: no sound */
            break;
        }
    }
    close_syllable(&o, &y);
    if (held)
        emit(&o, held->f[0]);
    o.out[o.len] = 0;
    return o.len;
}
