/* native.c - two names written in the same East Asian script are compared as written.
 *
 * Romanisation folds spelling families together on purpose (Jong/Jeong, Lee/Ri), and so it
 * also folds 김종은 into 김정은 and 高石 into 高市: different names in the script they were
 * written in. When both names are Hangul, or both Han (with kana), each character is a
 * syllable of the name, and a different character is a different name. Korean writes some
 * initial syllables two ways (리/이, 류/유, 로/노: the initial-sound rule of the South), and
 * Chinese writes traditional and simplified characters (張/张): both are folded first. */
#include "text.h"

#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

enum { NATIVE_MAX = 16 };

typedef enum { SCRIPT_NONE, SCRIPT_HANGUL, SCRIPT_HAN } native_script;

static bool is_hangul(UChar c) { return c >= 0xAC00 && c <= 0xD7A3; }
static bool is_han(UChar c)
{
    return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x3040 && c <= 0x30FF); /* + kana */
}
static bool is_separator(UChar c)
{
    return c == ' ' || c == '-' || c == 0x00B7 || c == 0x30FB || c == 0x3000 || c == ',' ||
           c == '.' || c == 0xFF0C || c == 0x2027;
}

/* The 리/이 family: an initial ㄹ or ㄴ before i/y is silent in the South, ㄹ otherwise ㄴ. */
static UChar hangul_initial_rule(UChar c)
{
    unsigned v = (unsigned)c - 0xAC00, ini = v / 588, vow = (v % 588) / 28, fin = v % 28;
    bool iy = vow == 2 || vow == 3 || vow == 6 || vow == 7 || vow == 12 || vow == 17 || vow == 20;
    if (ini == 5)        /* ㄹ */
        ini = iy ? 11 : 2; /* ㅇ or ㄴ */
    else if (ini == 2 && iy)
        ini = 11;
    return (UChar)(0xAC00 + ini * 588 + vow * 28 + fin);
}

/* The name as comparable characters, or SCRIPT_NONE if it is not wholly one of the scripts. */
static native_script native_form(const char *s, UChar *out, int *n)
{
    UChar text[64];
    int32_t len = 0;
    UErrorCode st = U_ZERO_ERROR;
    if (strlen(s) > 120)
        return SCRIPT_NONE;
    u_strFromUTF8(text, 64, &len, s, -1, &st);
    if (U_FAILURE(st) || len > 64)
        return SCRIPT_NONE;
    native_script script = SCRIPT_NONE;
    *n = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar c = text[i];
        if (is_separator(c))
            continue;
        native_script k = is_hangul(c) ? SCRIPT_HANGUL : is_han(c) ? SCRIPT_HAN : SCRIPT_NONE;
        if (k == SCRIPT_NONE || (script != SCRIPT_NONE && k != script) || *n >= NATIVE_MAX)
            return SCRIPT_NONE;
        script = k;
        out[(*n)++] = k == SCRIPT_HANGUL ? hangul_initial_rule(c) : c;
    }
    if (script == SCRIPT_HAN) {
        int32_t m = text_simplify_han((uint16_t *)out, *n, NATIVE_MAX);
        if (m < 0)
            return SCRIPT_NONE;
        *n = m;
    }
    return *n >= 2 ? script : SCRIPT_NONE;
}

static int edit_distance(const UChar *a, int la, const UChar *b, int lb)
{
    int row[NATIVE_MAX + 1];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

int text_native_diff(const char *a, const char *b, int *length)
{
    UChar na[NATIVE_MAX], nb[NATIVE_MAX];
    int la = 0, lb = 0;
    native_script sa = native_form(a, na, &la);
    if (sa == SCRIPT_NONE || native_form(b, nb, &lb) != sa)
        return -1;
    if (length)
        *length = la > lb ? la : lb;
    return edit_distance(na, la, nb, lb);
}

/* Russian letters to lower case, with ё as е (Russian text mostly writes е); 0 if c is not
 * a Russian letter. */
static UChar cyrillic_lower(UChar c)
{
    if (c >= 0x0410 && c <= 0x042F)
        c = (UChar)(c + 0x20);
    if (c == 0x0401 || c == 0x0451)
        return 0x0435;
    return c >= 0x0430 && c <= 0x044F ? c : 0;
}

/* Splits w[from..n) into at most `left` syllables of the table, longest first, appending
 * their Hangul to out; false (out unchanged past *o) if no split exists. A soft or hard sign
 * between syllables is silent ("Пхеньян"). */
static bool read_syllables(const text_dict *d, const UChar *w, int from, int n, int left,
                           char *out, size_t cap, size_t *o)
{
    if (from == n)
        return true;
    if (w[from] == 0x044C || w[from] == 0x044A)
        return from > 0 && read_syllables(d, w, from + 1, n, left, out, cap, o);
    if (!left)
        return false;
    for (int len = n - from < TEXT_CYRILLIC_SYLLABLE ? n - from : TEXT_CYRILLIC_SYLLABLE;
         len >= 1; len--) {
        char key[TEXT_CYRILLIC_SYLLABLE * 2 + 1];
        int32_t kl = 0;
        UErrorCode st = U_ZERO_ERROR;
        u_strToUTF8(key, sizeof key, &kl, w + from, len, &st);
        if (U_FAILURE(st))
            continue;
        const char *h = text_dict_reading(d, key);
        size_t hl = h ? strlen(h) : 0;
        if (!h || *o + hl + 1 > cap)
            continue;
        size_t mark = *o;
        memcpy(out + *o, h, hl);
        *o += hl;
        if (read_syllables(d, w, from + len, n, left - 1, out, cap, o))
            return true;
        *o = mark;
    }
    return false;
}

/* A name in Russian letters read as Korean ("Ким Чен Ын" -> 김정은 as "김 정 은"): every word
 * must split into at most three Korean syllables, two or more in all. */
static bool cyrillic_korean_reading(const text_dict *d, const UChar *text, int32_t len,
                                    char *out, size_t cap)
{
    UChar w[64];
    int n = 0, syllables = 0;
    size_t o = 0;
    for (int32_t i = 0; i <= len; i++) {
        UChar c = i < len ? text[i] : ' ';
        if (!is_separator(c)) {
            UChar l = cyrillic_lower(c);
            if (!l || n == 64)
                return false;
            w[n++] = l;
            continue;
        }
        if (!n)
            continue;
        if (o && o + 1 < cap)
            out[o++] = ' ';
        size_t before = o;
        if (!read_syllables(d, w, 0, n, 3, out, cap, &o))
            return false;
        syllables += (int)(o - before) / 3; /* a Hangul syllable is 3 bytes of UTF-8 */
        n = 0;
    }
    out[o] = 0;
    return syllables >= 2;
}

bool text_korean_reading(const text_dict *d, const char *name, char *out, size_t cap)
{
    UChar text[64];
    int32_t len = 0;
    UErrorCode st = U_ZERO_ERROR;
    unsigned char lead = (unsigned char)name[0];
    /* Cyrillic has lead bytes D0/D1 and Han starts at U+3400 (lead byte E3): most names are
     * refused by their first byte. */
    if (!d || (lead != 0xD0 && lead != 0xD1 && lead < 0xE3) || strlen(name) > 120)
        return false;
    u_strFromUTF8(text, 64, &len, name, -1, &st);
    if (U_FAILURE(st) || len > 64)
        return false;
    if (lead == 0xD0 || lead == 0xD1)
        return cyrillic_korean_reading(d, text, len, out, cap);
    size_t o = 0;
    int han = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar32 c = text[i];
        if (U16_IS_LEAD(text[i]) && i + 1 < len && U16_IS_TRAIL(text[i + 1])) {
            c = U16_GET_SUPPLEMENTARY(text[i], text[i + 1]);
            i++;
        }
        if (c < 0x10000 && is_separator((UChar)c)) {
            if (o && out[o - 1] != ' ' && o + 1 < cap)
                out[o++] = ' ';
            continue;
        }
        char ch[5];
        int32_t n = 0;
        UBool bad = false;
        U8_APPEND((uint8_t *)ch, n, 4, c, bad);
        if (bad)
            return false;
        ch[n] = 0;
        const char *r = text_dict_reading(d, ch); /* kana and Hangul have no reading */
        size_t rl = r ? strlen(r) : 0;
        if (!r || o + rl + 1 > cap)
            return false;
        memcpy(out + o, r, rl);
        o += rl;
        han++;
    }
    while (o && out[o - 1] == ' ')
        o--;
    out[o] = 0;
    return han >= 2;
}
