/* translit.c - any script to lower-case ASCII words. ASCII takes a fast path; Hangul is
 * romanised here syllable by syllable (ICU joins syllables and uses Revised Romanization,
 * while the lists use the DPRK's McCune-Reischauer-based spelling with syllables apart);
 * everything else goes through ICU's "Any-Latin; Latin-ASCII" transliterator. */
#include "text.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>
#include <unicode/ustring.h>

static const char *const hangul_initial[19] = {"k", "kk", "n", "t", "tt", "r", "m",
                                               "p", "pp", "s", "ss", "", "j", "jj",
                                               "ch", "kh", "th", "ph", "h"};
static const char *const hangul_vowel[21] = {"a",  "ae", "ya", "yae", "o",  "e",  "yo",
                                             "ye", "o",  "wa", "wae", "oe", "yo", "u",
                                             "wo", "we", "wi", "yu",  "u",  "ui", "i"};
static const char *const hangul_final[28] = {"",  "k", "k",  "k", "n", "n", "n", "t", "l", "k",
                                             "m", "l", "l",  "l", "p", "l", "m", "p", "p", "t",
                                             "t", "ng", "t", "t", "k", "t", "p", "t"};

static bool is_hangul_syllable(uint32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

typedef struct {
    char *out;
    size_t len, cap;
    bool dots; /* full stops kept as '.', for text_join_initials */
} sink;

static void put(sink *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n && s->len + 1 < s->cap; i++)
        s->out[s->len++] = p[i];
}

static void put_space(sink *s)
{
    if (s->len && s->out[s->len - 1] != ' ' && s->len + 1 < s->cap)
        s->out[s->len++] = ' ';
}

/* ASCII letters and digits are kept (lower case); apostrophes vanish so O'Brien is one word;
 * everything else separates words (a full stop is kept as '.' if the sink asks for it). */
static void put_ascii(sink *s, char c)
{
    if (isalnum((unsigned char)c)) {
        char l = (char)tolower((unsigned char)c);
        put(s, &l, 1);
    } else if (c == '.' && s->dots) {
        put(s, ".", 1);
    } else if (c != '\'' && c != '`') {
        put_space(s);
    }
}

/* A run of Hangul syllables: names of up to three syllables come out one syllable a word
 * ("kim jong un"), longer words joined ("choson..."), as the lists write them. */
static void put_hangul_run(sink *s, const uint32_t *cps, size_t n)
{
    put_space(s);
    for (size_t i = 0; i < n; i++) {
        uint32_t v = cps[i] - 0xAC00;
        const char *parts[3] = {hangul_initial[v / 588], hangul_vowel[(v % 588) / 28],
                                hangul_final[v % 28]};
        for (int k = 0; k < 3; k++)
            put(s, parts[k], strlen(parts[k]));
        if (n <= 3)
            put_space(s);
    }
    put_space(s);
}

/* One transliterator of each kind per thread: opening one costs far more than using it.
 * Closed when its thread exits. */
/* Cyrillic goes through the BGN/PCGN romanisations, as the UN and OFAC lists spell Russian
 * and Ukrainian names (Prigozhin, Yevgeniy, Zelenskyy), not ICU's default ISO 9 (Prigozin). */
enum { TR_LATIN, TR_RUSSIAN, TR_UKRAINIAN, TR_SIMPLIFIED, TR_COUNT };
static const char *const translit_ids[TR_COUNT] = {
    "Any-Latin; Latin-ASCII; Lower", "Russian-Latin/BGN; Any-Latin; Latin-ASCII; Lower",
    "Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII; Lower", "Traditional-Simplified"};
static _Thread_local UTransliterator *translit[TR_COUNT];

static pthread_key_t translit_key;
static pthread_once_t translit_once = PTHREAD_ONCE_INIT;
static void translit_destroy(void *p)
{
    UTransliterator **mine = p; /* the exiting thread's array */
    for (int i = 0; i < TR_COUNT; i++) {
        utrans_close(mine[i]);
        mine[i] = NULL;
    }
}
static void translit_key_init(void) { pthread_key_create(&translit_key, translit_destroy); }

static UTransliterator *get_translit_of(int kind)
{
    if (!translit[kind]) {
        pthread_once(&translit_once, translit_key_init);
        UChar uid[64];
        u_uastrcpy(uid, translit_ids[kind]);
        UErrorCode st = U_ZERO_ERROR;
        translit[kind] = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &st);
        if (U_FAILURE(st))
            translit[kind] = NULL;
        else
            pthread_setspecific(translit_key, translit);
    }
    return translit[kind];
}


int32_t text_simplify_han(uint16_t *chars, int32_t len, int32_t cap)
{
    UTransliterator *t = get_translit_of(TR_SIMPLIFIED);
    if (!t)
        return len;
    int32_t limit = len;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(t, (UChar *)chars, &len, cap, 0, &limit, &st);
    return U_FAILURE(st) ? -1 : len;
}

/* Arabic writes the article joined to its noun: "القاعدة" comes out of ICU as "alqaida";
 * the Latin spellings write "al-Qaida". Splits "al" off words of five letters or more. */
static void split_article(sink *s, size_t from)
{
    /* "عبدالرحمن" is Abd al-Rahman: "abd" (its ain dropped) before a joined article is a
     * word of its own, as the Latin spellings write it ("Abdul Rahman", "Abd al-Rahman"). */
    for (size_t i = from; i + 6 <= s->len; i++) {
        bool word_start = i == from || s->out[i - 1] == ' ';
        if (!word_start || memcmp(s->out + i, "bdal", 4) != 0 || s->out[i + 4] == ' ' ||
            s->out[i + 5] == ' ' || s->len + 1 >= s->cap)
            continue;
        memmove(s->out + i + 3, s->out + i + 2, s->len - (i + 2));
        s->out[i + 2] = ' ';
        s->len++;
    }
    for (size_t i = from; i + 4 <= s->len; i++) {
        bool word_start = i == from || s->out[i - 1] == ' ';
        if (!word_start || s->out[i] != 'a' || s->out[i + 1] != 'l')
            continue;
        size_t end = i;
        while (end < s->len && s->out[end] != ' ')
            end++;
        /* after Abd, four letters are the article and a two-letter word too (عبدالحق Abd
         * al-Haqq), but not Allah */
        bool after_abd = i >= from + 3 && memcmp(s->out + i - 3, "bd ", 3) == 0 &&
                         (i == from + 3 || s->out[i - 4] == ' ');
        if (end - i < 4 || (end - i == 4 && (!after_abd || memcmp(s->out + i, "allh", 4) == 0)) ||
            s->len + 1 >= s->cap)
            continue;
        memmove(s->out + i + 3, s->out + i + 2, s->len - (i + 2));
        s->out[i + 2] = ' ';
        s->len++;
    }
}

/* Letters Persian, Urdu and Pashto add to the Arabic alphabet that ICU's Arabic-Latin leaves
 * out (it drops them, or splits the word there: "چوہدری" came out "chw dry"): each becomes
 * the Arabic letter its usual romanisation shares (ہ/ھ h, ے/ې y, ٹ t, ډ/ڈ d, ځ z as in
 * Zadran, ګ g ...). */
static UChar fold_arabic_letter(UChar c)
{
    switch (c) {
    case 0x0679: case 0x067C: return 0x062A; /* ٹ ټ -> ت */
    case 0x0688: case 0x0689: return 0x062F; /* ڈ ډ -> د */
    case 0x0691: case 0x0693: return 0x0631; /* ڑ ړ -> ر */
    case 0x0681: return 0x0632;              /* ځ (dz) -> ز */
    case 0x0685: return 0x0633;              /* څ (ts) -> س */
    case 0x0696: return 0x0698;              /* ږ -> ژ */
    case 0x069A: return 0x0634;              /* ښ -> ش */
    case 0x06AB: case 0x06AD: return 0x06AF; /* ګ ڭ -> گ */
    case 0x06BA: case 0x06BC: return 0x0646; /* ں ڼ -> ن */
    case 0x06BE: case 0x06C1: case 0x06C0: return 0x0647; /* ھ ہ ۀ -> ه */
    case 0x06C3: return 0x0629;              /* ۃ -> ة */
    case 0x06CD: case 0x06D0: case 0x06D2: return 0x064A; /* ۍ ې ے -> ي */
    default: return c;
    }
}

/* A letter (or mark) of a script with no Latin reading: three letters that stand for
 * its code point, inside the word, so that the word stays a token and two names in that
 * script still compare (they would vanish otherwise). */
static void put_unread(sink *s, uint32_t cp)
{
    uint32_t v = cp % (26u * 26u * 26u);
    char code[3] = {(char)('a' + v / 676), (char)('a' + v / 26 % 26), (char)('a' + v % 26)};
    put(s, code, 3);
}

/* Whether the character before ubuf[at] belongs to the same word. */
static bool ascii_word_continues(const UChar *ubuf, int32_t at)
{
    int32_t k = at;
    UChar32 p;
    U16_PREV(ubuf, 0, k, p);
    return p < 0x80 ? isalnum(p) != 0 : u_isalpha(p) || (U_GET_GC_MASK(p) & U_GC_M_MASK);
}

/* Letters that Kazakh, Kyrgyz, Mongolian, Tajik, Bashkir and Azerbaijani add to the Cyrillic
 * and Latin alphabets and ICU's Any-Latin leaves as they are (ұ ү ө ң) or half read (қ as
 * "kˌ", which split the word): each becomes the letter its usual romanisation shares (қ к,
 * ғ г, ң н, ө о, ұ/ү у, һ/ҳ х, ә/ə а, ҷ ч ...). */
static UChar fold_extended_letter(UChar c)
{
    switch (c) {
    case 0x049A: case 0x04A0: return 0x041A; /* Қ Ҡ -> К */
    case 0x049B: case 0x04A1: return 0x043A; /* қ ҡ -> к */
    case 0x0492: case 0x049C: return 0x0413; /* Ғ Ҝ -> Г */
    case 0x0493: case 0x049D: return 0x0433; /* ғ ҝ -> г */
    case 0x04A2: return 0x041D;              /* Ң -> Н */
    case 0x04A3: return 0x043D;              /* ң -> н */
    case 0x04E8: return 0x041E;              /* Ө -> О */
    case 0x04E9: return 0x043E;              /* ө -> о */
    case 0x04B0: case 0x04AE: return 0x0423; /* Ұ Ү -> У */
    case 0x04B1: case 0x04AF: return 0x0443; /* ұ ү -> у */
    case 0x04BA: case 0x04B2: return 0x0425; /* Һ Ҳ -> Х */
    case 0x04BB: case 0x04B3: return 0x0445; /* һ ҳ -> х */
    case 0x04D8: return 0x0410;              /* Ә -> А */
    case 0x04D9: return 0x0430;              /* ә -> а */
    case 0x04B6: return 0x0427;              /* Ҷ -> Ч */
    case 0x04B7: return 0x0447;              /* ҷ -> ч */
    case 0x04AA: return 0x0421;              /* Ҫ -> С */
    case 0x04AB: return 0x0441;              /* ҫ -> с */
    case 0x018F: return 'A';                 /* Ə (Azerbaijani Latin) */
    case 0x0259: return 'a';                 /* ə */
    default: return c;
    }
}

static bool arabic_letter(UChar c) { return c >= 0x0621 && c <= 0x064A; }

/* A word of four letters that begins with the article (ا ل, plain alif: أليف Alif does not)
 * is the article and a two-letter word, الحق al-Haqq, except الله: a space after the article
 * (split_article does the same for longer words after romanisation, where a short word's
 * "al" could as well be part of the name). Returns the new length. */
static int32_t split_short_article(UChar *u, int32_t len, int32_t cap)
{
    for (int32_t i = 0; i + 4 <= len && len < cap; i++) {
        bool start = i == 0 || !arabic_letter(u[i - 1]);
        bool end = i + 4 == len || !arabic_letter(u[i + 4]);
        if (!start || !end || u[i] != 0x0627 || u[i + 1] != 0x0644 || !arabic_letter(u[i + 2]) ||
            !arabic_letter(u[i + 3]) || (u[i + 2] == 0x0644 && u[i + 3] == 0x0647))
            continue;
        memmove(u + i + 3, u + i + 2, (size_t)(len - i - 2) * sizeof *u);
        u[i + 2] = ' ';
        len++;
    }
    return len;
}

static bool deva_consonant(UChar c)
{
    return (c >= 0x0915 && c <= 0x0939) || (c >= 0x0958 && c <= 0x095F);
}
static bool deva_letter(UChar c) { return c >= 0x0900 && c <= 0x097F; }

/* Hindi (and Marathi, Nepali) names drop the inherent vowel of a word's last consonant:
 * राजेश is Rajesh, कुमार Kumar, पटेल Patel, where ICU reads rajesa, kumara, patela. A virama
 * after that consonant says so, unless the word is that one consonant, or the consonant
 * ends a cluster (मित्र Mitra, चन्द्र Chandra keep the vowel). Returns the new length. */
static int32_t drop_final_schwa(UChar *u, int32_t len, int32_t cap)
{
    for (int32_t i = 1; i < len && len < cap; i++) {
        int32_t end = i + (i + 1 < len && u[i + 1] == 0x093C); /* with a nukta */
        if (!deva_consonant(u[i]) || !deva_letter(u[i - 1]) || u[i - 1] == 0x094D ||
            (end + 1 < len && deva_letter(u[end + 1])))
            continue;
        memmove(u + end + 2, u + end + 1, (size_t)(len - end - 1) * sizeof *u);
        u[end + 1] = 0x094D;
        len++;
    }
    return len;
}

/* Non-ASCII text that is not Hangul: ICU to ASCII, then the ASCII rules. */
static void put_icu(sink *s, const char *p, size_t n, bool abjad, int kind)
{
    size_t from = s->len;
    UTransliterator *t = get_translit_of(kind);
    UChar ubuf[1024];
    int32_t ulen = 0;
    UErrorCode st = U_ZERO_ERROR;
    u_strFromUTF8Lenient(ubuf, 512, &ulen, p, (int32_t)(n > 1500 ? 1500 : n), &st);
    if (U_FAILURE(st) || !t) {
        put_space(s);
        return;
    }
    if (ulen > 512)
        ulen = 512;
    for (int32_t i = 0; i < ulen; i++)
        ubuf[i] = abjad ? fold_arabic_letter(ubuf[i]) : fold_extended_letter(ubuf[i]);
    if (abjad)
        ulen = split_short_article(ubuf, ulen, 1024);
    else
        ulen = drop_final_schwa(ubuf, ulen, 1024);
    int32_t limit = ulen;
    st = U_ZERO_ERROR;
    utrans_transUChars(t, ubuf, &ulen, 1024, 0, &limit, &st);
    if (U_FAILURE(st))
        return;
    bool ascii_word = false; /* the word being read has letters ICU did read */
    for (int32_t i = 0; i < ulen;) {
        int32_t at = i;
        UChar32 c;
        U16_NEXT(ubuf, i, ulen, c);
        bool word_char = c < 0x80 ? isalnum(c) != 0 : u_isalpha(c) || (U_GET_GC_MASK(c) & U_GC_M_MASK);
        if (word_char && (at == 0 || !ascii_word_continues(ubuf, at))) {
            /* A new word: does it hold letters ICU read? Then an unread letter in it is a
             * break, as before; a word of unread letters only is kept (put_unread). */
            ascii_word = false;
            for (int32_t j = at; j < ulen;) {
                UChar32 d;
                U16_NEXT(ubuf, j, ulen, d);
                if (d < 0x80 ? !isalnum(d) : !(u_isalpha(d) || (U_GET_GC_MASK(d) & U_GC_M_MASK)))
                    break;
                if (d < 0x80) {
                    ascii_word = true;
                    break;
                }
            }
        }
        if (c < 0x80)
            put_ascii(s, (char)c);
        else if (c == 0x02BF || c == 0x02BE || c == 0x2018 || c == 0x2019 || c == 0x02B9 ||
                 c == 0x02BA || c == 0x00B7)
            continue; /* ayn/hamza, curly apostrophes, Cyrillic soft/hard sign, BGN's middle
                       * dot (y·e): inside a word */
        else if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER && u_charDigitValue(c) >= 0)
            put_ascii(s, (char)('0' + u_charDigitValue(c)));
        else if (!ascii_word && word_char)
            put_unread(s, (uint32_t)c);
        else
            put_space(s);
    }
    if (abjad)
        split_article(s, from);
}

static bool is_abjad(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) ||
           (cp >= 0x08A0 && cp <= 0x08FF) || (cp >= 0xFB50 && cp <= 0xFDFF) ||
           (cp >= 0xFE70 && cp <= 0xFEFF) || (cp >= 0x0590 && cp <= 0x05FF);
}

static bool is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F);
}

size_t text_to_ascii(const char *s, size_t n, char *out, size_t cap, bool *abjad)
{
    unsigned scripts = 0;
    size_t len = text_to_ascii_scripts(s, n, out, cap, &scripts);
    if (abjad)
        *abjad = (scripts & TEXT_ABJAD) != 0;
    return len;
}

static bool hebrew_letter_at(const char *s, size_t n, size_t i)
{
    return i + 1 < n && (unsigned char)s[i] == 0xD7 && (unsigned char)s[i + 1] >= 0x90 &&
           (unsigned char)s[i + 1] <= 0xAA;
}

/* The gershayim of a Hebrew abbreviation (ASCII '"' or ״) or the geresh after a letter. */
static size_t hebrew_mark_at(const char *s, size_t n, size_t i, bool double_mark)
{
    if (i < n && s[i] == (double_mark ? '"' : '\''))
        return 1;
    if (i + 1 < n && (unsigned char)s[i] == 0xD7 && (unsigned char)s[i + 1] == (double_mark ? 0xB4 : 0xB3))
        return 2;
    return 0;
}

/* The length of a Hebrew abbreviation at s[i] (head, the gershayim, then the last letter,
 * two bytes, as a whole word), or 0. */
static size_t hebrew_abbrev_at(const char *s, size_t n, size_t i, const char *head,
                               const char *last)
{
    size_t h = strlen(head), m;
    if (i + h > n || memcmp(s + i, head, h) != 0 || !(m = hebrew_mark_at(s, n, i + h, true)) ||
        i + h + m + 2 > n || memcmp(s + i + h + m, last, 2) != 0 ||
        hebrew_letter_at(s, n, i + h + m + 2))
        return 0;
    return h + m + 2;
}

/* Hebrew written with marks ICU reads as word breaks: the legal forms בע"מ (Ltd.) and ע"ר
 * (a registered association) become their words, and ג׳ (the j of ג'ורג') the letter j.
 * Returns the rewritten length, 0 if there was nothing to rewrite. */
static size_t hebrew_marks(const char *s, size_t n, char *out, size_t cap)
{
    static const struct {
        const char *head, *last, *word;
    } forms[] = {{"\xD7\x91\xD7\xA2", "\xD7\x9E", " ltd "},
                 {"\xD7\xA2", "\xD7\xA8", " association "}};
    size_t o = 0, m;
    bool changed = false;
    for (size_t i = 0; i < n && o + 16 < cap;) {
        bool start = i < 2 || !hebrew_letter_at(s, n, i - 2);
        size_t len = 0, f = 0;
        for (; start && f < ARRAY_LEN(forms) && !len; f++)
            len = hebrew_abbrev_at(s, n, i, forms[f].head, forms[f].last);
        if (len) {
            size_t wl = strlen(forms[f - 1].word);
            memcpy(out + o, forms[f - 1].word, wl);
            o += wl;
            i += len;
            changed = true;
        } else if (i + 2 <= n && memcmp(s + i, "\xD7\x92", 2) == 0 &&
                   (m = hebrew_mark_at(s, n, i + 2, false))) {
            out[o++] = 'j';
            i += 2 + m;
            changed = true;
        } else {
            out[o++] = s[i++];
        }
    }
    return changed ? o : 0;
}

static size_t to_ascii(const char *str, size_t n, char *out, size_t cap, unsigned *scripts,
                       bool dots)
{
    /* Hebrew abbreviations and geresh first (the Hebrew block's letters all start 0xD7) */
    if (memchr(str, 0xD7, n) && n < 1024) {
        char heb[1536];
        size_t hn = hebrew_marks(str, n, heb, sizeof heb);
        if (hn) {
            size_t len = to_ascii(heb, hn, out, cap, scripts, dots);
            if (scripts)
                *scripts |= TEXT_HEBREW | TEXT_ABJAD;
            return len;
        }
    }
    sink s = {out, 0, cap, dots};
    unsigned seen = 0;
    size_t i = 0;
    unsigned char prev = 0;
    while (i < n) {
        unsigned char c = (unsigned char)str[i];
        if (c < 0x80) {
            /* camelCase written together is two words: "FridrichBuchenberg"; a capital at the
             * end of a word is not a new word ("GmbH"). */
            if (isupper(c) && islower(prev) && i + 1 < n && islower((unsigned char)str[i + 1]))
                put_space(&s);
            put_ascii(&s, (char)c);
            prev = c;
            i++;
            continue;
        }
        prev = 0;
        uint32_t cp;
        size_t l = utf8_decode(str + i, n - i, &cp);
        if (!l) {
            i++;
            put_space(&s);
            continue;
        }
        if (is_hangul_syllable(cp)) {
            uint32_t run[64];
            size_t k = 0;
            while (i < n && k < 64) {
                size_t l2 = utf8_decode(str + i, n - i, &cp);
                if (!l2 || !is_hangul_syllable(cp))
                    break;
                run[k++] = cp;
                i += l2;
            }
            put_hangul_run(&s, run, k);
            seen |= TEXT_HANGUL;
            continue;
        }
        /* A run of non-ASCII text (with the ASCII letters, spaces and hyphens inside it) goes
         * to ICU in one piece, so that context-dependent rules see whole words. */
        size_t start = i;
        unsigned run_scripts = 0;
        bool cyrillic = false, ukrainian = false;
        while (i < n) {
            unsigned char d = (unsigned char)str[i];
            if (d < 0x80) {
                if (!isalnum(d) && d != ' ' && d != '-')
                    break;
                i++;
                continue;
            }
            size_t l2 = utf8_decode(str + i, n - i, &cp);
            if (!l2 || is_hangul_syllable(cp))
                break;
            if (is_abjad(cp))
                run_scripts |= TEXT_ABJAD;
            if (is_han(cp))
                run_scripts |= TEXT_HAN;
            if (cp >= 0x0590 && cp <= 0x05FF)
                run_scripts |= TEXT_HEBREW;
            if (cp >= 0x0400 && cp <= 0x04FF) {
                cyrillic = true;
                /* і ї є ґ are Ukrainian, not Russian */
                ukrainian |= cp == 0x0456 || cp == 0x0406 || cp == 0x0457 || cp == 0x0407 ||
                             cp == 0x0454 || cp == 0x0404 || cp == 0x0491 || cp == 0x0490;
            }
            i += l2;
        }
        if (i == start) {
            i++;
            continue;
        }
        put_icu(&s, str + start, i - start, run_scripts & TEXT_ABJAD,
                ukrainian ? TR_UKRAINIAN : cyrillic ? TR_RUSSIAN : TR_LATIN);
        seen |= run_scripts;
    }
    if (scripts)
        *scripts = seen;
    while (s.len && s.out[s.len - 1] == ' ')
        s.len--;
    if (s.cap)
        s.out[s.len] = 0;
    return s.len;
}

size_t text_to_ascii_scripts(const char *str, size_t n, char *out, size_t cap, unsigned *scripts)
{
    return to_ascii(str, n, out, cap, scripts, false);
}

size_t text_to_ascii_dots(const char *str, size_t n, char *out, size_t cap, unsigned *scripts)
{
    return to_ascii(str, n, out, cap, scripts, true);
}
