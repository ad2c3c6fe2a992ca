/* hebrew.c - Hebrew names against their Latin spellings. ICU reads Hebrew letter by letter
 * (אברהם "brhm", יוסף "ywsp"), but one Hebrew letter stands for several Latin spellings: ב b
 * or v, כ k or kh/ch, ח h or ch/kh, פ p or f, ש s or sh, צ z or ts/tz, ו a vowel or v, י a
 * vowel or j (Joseph), and the short vowels are not written. No single skeleton holds all of
 * them, so a Latin word is tested against the reading letter by letter, each letter with its
 * alternatives (text_hebrew_reads), and retrieval uses a coarse key both spellings share
 * (text_hebrew_key). */
#include "text.h"

#include <stdint.h>
#include <string.h>

static bool latin_vowel(char c) { return strchr("aeiou", c) != NULL; }

/* The Latin spellings of a consonant as ICU reads it, longest first. */
static const char *const *consonant_spellings(char c)
{
    static const char *const b[] = {"bh", "bb", "vv", "b", "v", NULL};
    static const char *const g[] = {"gh", "gg", "g", NULL};
    static const char *const d[] = {"dh", "dd", "d", NULL};
    static const char *const h[] = {"ch", "kh", "hh", "h", NULL};
    static const char *const z[] = {"tsz", "tz", "ts", "zz", "z", NULL};
    static const char *const t[] = {"th", "tt", "t", NULL};
    static const char *const k[] = {"ck", "ch", "kh", "kk", "k", "c", "q", NULL};
    static const char *const s[] = {"sch", "sh", "ss", "s", NULL};
    static const char *const p[] = {"ph", "pp", "ff", "p", "f", NULL};
    static const char *const j[] = {"dzh", "dj", "j", "g", NULL}; /* ג׳ */
    static const char *const l[] = {"ll", "l", NULL}, *const m[] = {"mm", "m", NULL},
                             *const n[] = {"nn", "n", NULL}, *const r[] = {"rr", "r", NULL};
    switch (c) {
    case 'b': return b;
    case 'g': return g;
    case 'd': return d;
    case 'h': return h;
    case 'z': return z;
    case 't': return t;
    case 'k': case 'q': return k;
    case 's': return s;
    case 'p': return p;
    case 'j': return j;
    case 'l': return l;
    case 'm': return m;
    case 'n': return n;
    case 'r': return r;
    default: return NULL;
    }
}

/* The (i, j) states already found not to read: without them, runs of vowel letters against
 * runs of vowels would be tried in every split. */
typedef struct {
    uint8_t failed[(TEXT_MAX_TOKEN + 1) * (TEXT_MAX_TOKEN + 1) / 8 + 1];
} reads_memo;

static bool reads_at(const char *heb, size_t i, const char *latin, size_t j, int depth,
                     reads_memo *m);

/* Can latin[j..] be a spelling of heb[i..]? */
static bool reads(const char *heb, size_t i, const char *latin, size_t j, int depth,
                  reads_memo *m)
{
    size_t bit = i * (TEXT_MAX_TOKEN + 1) + j;
    if (depth > 64 || (m->failed[bit / 8] >> (bit % 8) & 1))
        return false;
    if (reads_at(heb, i, latin, j, depth, m))
        return true;
    m->failed[bit / 8] |= (uint8_t)(1u << (bit % 8));
    return false;
}

static bool reads_at(const char *heb, size_t i, const char *latin, size_t j, int depth,
                     reads_memo *m)
{
    char c = heb[i];
    if (!c) {
        while (latin[j] && (latin_vowel(latin[j]) || latin[j] == 'y'))
            j++;
        return !latin[j];
    }
    if (c == 'y' || c == 'w') {
        /* A vowel letter: the Latin writes a vowel there (י i/e/y, or j as in Joseph and
         * Benjamin; ו o/u, or the consonant v/w), with other vowels around it. A second one
         * in a row (חיים Chaim, דוויד) may be written by the same letters. */
        if (i > 0 && heb[i - 1] == c && reads(heb, i + 1, latin, j, depth + 1, m))
            return true;
        const char *mark = c == 'y' ? "iejy" : "ouvw";
        bool seen = false;
        for (size_t e = j; latin[e]; e++) {
            char l = latin[e];
            bool vowelish = latin_vowel(l) || l == 'y';
            if (c == 'y' && l == 'j' && e != j)
                break; /* j only first */
            if (!vowelish && !strchr(mark, l))
                break;
            seen |= strchr(mark, l) != NULL;
            if (seen && reads(heb, i + 1, latin, e + 1, depth + 1, m))
                return true;
            if (!vowelish)
                break; /* v, w, j: consonants, the last letter of the run */
        }
        return false;
    }
    const char *const *sp = consonant_spellings(c);
    if (!sp)
        return false;
    /* the short vowels before it are not written */
    for (size_t v = j;; v++) {
        for (size_t k = 0; sp[k]; k++) {
            size_t n = strlen(sp[k]);
            if (strncmp(latin + v, sp[k], n) == 0 && reads(heb, i + 1, latin, v + n, depth + 1, m))
                return true;
        }
        if (!latin[v] || !(latin_vowel(latin[v]) || (latin[v] == 'y' && v > 0)))
            break;
    }
    /* ה at the end of a word is a vowel letter (משה Moshe, שרה Sara) */
    if (c == 'h' && !heb[i + 1])
        return reads(heb, i + 1, latin, j, depth + 1, m);
    return false;
}

bool text_hebrew_reads(const char *heb, const char *latin)
{
    int consonants = 0;
    for (const char *p = heb; *p; p++) {
        if (*p != 'y' && *p != 'w' && !consonant_spellings(*p))
            return false; /* not a letter of ICU's Hebrew reading */
        consonants += *p != 'y' && *p != 'w';
    }
    /* one consonant says too little (לוי could be any l word) */
    if (consonants < 2 || strlen(heb) > TEXT_MAX_TOKEN || strlen(latin) > TEXT_MAX_TOKEN)
        return false;
    reads_memo m;
    memset(&m, 0, sizeof m);
    return reads(heb, 0, latin, 0, 0, &m);
}

size_t text_hebrew_key(const char *w, bool hebrew, char *out, size_t cap)
{
    /* Letter classes both spellings share: vowels and the letters that may stand for a
     * vowel letter (y, w, v, j) or be one (b/v: ב) go; k, c, q, ch, kh and h are one class
     * (כ ק ח ה); p, f, ph; s, sh; z, ts, tz; t, th. A last h is the silent ה. */
    size_t n = 0, consonants = 0;
    char last_src = 0;
    for (size_t i = 0; w[i] && n + 1 < cap; i++) {
        char c = w[i], nx = w[i + 1], cls;
        size_t used = 1;
        if (hebrew) {
            /* ICU's reading: a letter each, no digraphs, no doubled letters */
            consonants += c != 'y' && c != 'w';
            if (strchr("ywb", c))
                continue;
            if (c == 'h' && !nx)
                continue;
            out[n++] = strchr("kqh", c) ? 'k' : c;
            continue;
        }
        if ((c == 'c' || c == 'k') && nx == 'h') {
            cls = 'k';
            used = 2;
        } else if (c == 'c' && nx == 'k') {
            cls = 'k';
            used = 2;
        } else if (c == 's' && nx == 'c' && w[i + 2] == 'h') {
            cls = 's';
            used = 3;
        } else if ((c == 's' || c == 't' || c == 'p' || c == 'g' || c == 'd') && nx == 'h') {
            cls = c == 'p' ? 'p' : c;
            used = 2;
        } else if (c == 't' && (nx == 'z' || nx == 's')) {
            cls = 'z';
            used = 2;
        } else if (strchr("aeiouywvbj", c)) {
            last_src = c;
            continue;
        } else if (strchr("kcqh", c)) {
            if (c == 'h' && !nx)
                break; /* the silent final ה */
            cls = 'k';
        } else if (c == 'f') {
            cls = 'p';
        } else {
            cls = c;
        }
        /* a doubled Latin letter is one Hebrew letter */
        if (!(used == 1 && c == last_src))
            out[n++] = cls;
        last_src = used == 1 ? c : 0;
        i += used - 1;
    }
    out[n] = 0;
    return hebrew ? consonants : n;
}
