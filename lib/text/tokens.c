/* tokens.c - a name to canonical tokens: transliterate, split, apply the variant table, class
 * each token, and derive the keys that survive spelling systems (fold) and scripts without
 * short vowels (skeleton). */
#include "text.h"

#include <ctype.h>
#include <stdlib.h>

static bool is_vowel(char c) { return strchr("aeiou", c) != NULL; }

/* Applies the fold rules; see text.h. One pass with a switch on the current letter: this runs
 * for every token of every candidate name, so it must not scan a rule table per letter. */
void text_fold(const char *t, char *out, size_t cap)
{
    char tmp[2 * TEXT_MAX_TOKEN + 8];
    size_t n = 0;
#define EMIT(c) (tmp[n++] = (c))
    for (const char *p = t; *p && n + 3 < sizeof tmp; p++) {
        char c = *p, d = p[1];
        switch (c) {
        case 'd':
            if (d == 'z' && p[2] == 'h') { EMIT('j'); p += 2; }
            else if (d == 'j') { EMIT('j'); p++; }
            else EMIT('t');
            break;
        case 't':
            if (d == 'c' && p[2] == 'h') { EMIT('j'); p += 2; }
            else if (d == 'h') { EMIT('t'); p++; }
            else EMIT('t');
            break;
        case 'z':
            if (d == 'h') { EMIT('j'); p++; } else EMIT('s');
            break;
        case 'c':
            if (d == 'h') { EMIT('j'); p++; }
            else if (d == 'k') { EMIT('k'); p++; }
            else EMIT('k');
            break;
        case 's':
            if (d == 'h') p++;
            EMIT('s');
            break;
        case 'k':
            if (d == 'h') { EMIT('h'); p++; } else EMIT('k');
            break;
        case 'p':
            if (d == 'h') { EMIT('f'); p++; } else EMIT('p');
            break;
        case 'r':
            if (d == 'h') p++;
            EMIT('r');
            break;
        case 'e':
            if (d == 'o') { EMIT('o'); p++; }
            else if (d == 'u') { EMIT('u'); p++; }
            else if (d == 'e') { EMIT('i'); p++; }
            else EMIT('e');
            break;
        case 'o':
            if (d == 'o' || d == 'u') { EMIT('u'); p++; }
            else if (d == 'i') { EMIT('o'); EMIT('e'); p++; }
            else EMIT('o');
            break;
        case 'x': EMIT('k'); EMIT('s'); break;
        case 'g': EMIT('k'); break;
        case 'b': EMIT('p'); break;
        case 'l': EMIT('r'); break;
        case 'q': EMIT('k'); break;
        case 'y': EMIT('i'); break;
        case 'w': EMIT('v'); break;
        default: EMIT(c); break;
        }
    }
#undef EMIT
    tmp[n] = 0;
    /* Collapse doubled letters; Slavic endings -off/-eff = -ov/-ev; -ij/-ii/-iy = -i; a
     * leading "ie" (Yevgeny) = "e". */
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (w == 0 || tmp[w - 1] != tmp[i] || isdigit((unsigned char)tmp[i]))
            tmp[w++] = tmp[i];
    tmp[w] = 0;
    if (w >= 3 && tmp[w - 1] == 'f' && (tmp[w - 2] == 'o' || tmp[w - 2] == 'e'))
        tmp[w - 1] = 'v';
    if (w >= 3 && tmp[w - 1] == 'j' && tmp[w - 2] == 'i')
        tmp[--w] = 0;
    /* A final h after a vowel is optional in romanised Arabic and Persian: Zubaydah/Zubaida,
     * Abdullah/Abdulla. */
    if (w >= 4 && tmp[w - 1] == 'h' && strchr("aeiou", tmp[w - 2]))
        tmp[--w] = 0;
    const char *start = tmp;
    if (w >= 4 && tmp[0] == 'i' && tmp[1] == 'e')
        start++;
    size_t len = strlen(start);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, start, len);
    out[len] = 0;
}

void text_fold_name(const text_dict *d, const char *tok, char *out, size_t cap)
{
    const char *full = text_dict_nickname(d, tok);
    text_fold(full ? full : tok, out, cap);
}

void text_skeleton(const char *t, char *out, size_t cap)
{
    size_t n = 0;
    char last = 0;
    for (const char *p = t; *p && n + 1 < cap; p++) {
        char c = *p == 'q' ? 'k' : *p;
        /* v too: Persian writes it with the vowel letter و (Javad, Mahdavi, Vahid); but not
         * the v of a Slavic ending (Aliyev, Ahmadova), which Arabic script would write */
        bool ending = c == 'v' && (!p[1] || (p[1] == 'a' && !p[2]));
        if (is_vowel(c) || c == 'y' || c == 'w' || (c == 'v' && !ending))
            continue;
        if (c == 'd' && p[1] == 'j')
            continue; /* French "dj" (Djamel, Djouadi) is the j of ج */
        if (c == last)
            continue;
        out[n++] = c;
        last = c;
    }
    out[n] = 0;
}

static bool latin_vowelish(char c) { return is_vowel(c) || c == 'y' || c == 'w'; }

static bool same_consonant(char a, char b)
{
    return a == b || (strchr("kqc", a) && strchr("kqc", b));
}

bool text_vowel_letters_agree(const char *abjad, const char *latin)
{
    size_t j = 0, n = strlen(abjad);
    for (size_t i = 0; i < n; i++) {
        char c = abjad[i];
        if (!strchr("ywa", c)) {
            if (is_vowel(c))
                continue; /* a vowel sign read out: says nothing the skeleton did not */
            /* The consonant's next occurrence; one the Latin drops (a ta marbuta, a doubled
             * letter written once) is passed over. */
            size_t k = j;
            while (latin[k] && !(same_consonant(latin[k], c) && !latin_vowelish(latin[k])))
                k++;
            if (latin[k]) {
                j = k + 1;
                while (latin[j] && latin[j] == latin[k])
                    j++;
            }
            continue;
        }
        if (i == 0) {
            /* a first y or w is the consonant or its vowel (Yusuf, Idan; Walid, Omer); a
             * first alef carries any vowel */
            if (c != 'a' && !strchr(c == 'y' ? "yjie" : "wvou", latin[0]))
                return false;
            continue;
        }
        /* The letter must be written by a vowel before the Latin's next consonant. A last y
         * may be an alef maqsura, read a (Musa, Mustafa). */
        const char *ok = c == 'y' ? (i + 1 == n ? "aeiy" : "eiy") : c == 'w' ? "ouwv" : "ae";
        while (latin[j] && latin_vowelish(latin[j]) && !strchr(ok, latin[j]))
            j++;
        if (!latin[j] || !strchr(ok, latin[j]))
            return false;
        j++;
    }
    return true;
}

bool text_compound_span(const char *const *words, int n)
{
    /* As ICU romanises them: Abd and Abu before a name; Allah, Persian -zada, -jan and -khel
     * after one; and the article before the words that end compound given names (-uddin,
     * -ul-Haq, -ur-Rahman, -ul-Islam, -uzzaman ...). The article before a family name
     * (Yasin al-Rassa) does not join. */
    static const char *const heads[] = {"bd", "abw"},
                             *const tails[] = {"allh", "zadh", "jan", "khyl"},
                             *const article_tails[] = {"dyn", "hq", "rhman", "rhym", "amyn",
                                                       "aslam", "hda", "zman", "hdy"};
    if (n < 2)
        return false;
    for (size_t k = 0; k < ARRAY_LEN(heads); k++)
        if (strcmp(words[0], heads[k]) == 0)
            return true;
    for (size_t k = 0; k < ARRAY_LEN(tails); k++)
        if (strcmp(words[n - 1], tails[k]) == 0)
            return true;
    if (n >= 3 && strcmp(words[n - 2], "al") == 0)
        for (size_t k = 0; k < ARRAY_LEN(article_tails); k++)
            if (strcmp(words[n - 1], article_tails[k]) == 0)
                return true;
    return false;
}

size_t text_skeleton_span(const char *const *words, int n, bool assimilate, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        char sk[TEXT_MAX_TOKEN];
        if (assimilate && strcmp(words[i], "al") == 0 && i + 1 < n && words[i + 1][0] &&
            strchr("tdrzsln", words[i + 1][0]))
            continue; /* ad-Din, ar-Rahman: the article's l is written as the sun letter */
        text_skeleton(words[i], sk, sizeof sk);
        for (const char *p = sk; *p && len + 1 < cap; p++)
            if (!len || out[len - 1] != *p)
                out[len++] = *p;
        out[len] = 0;
    }
    return len;
}

static token_class classify(const text_dict *d, const char *t, size_t len)
{
    bool digits = false;
    for (size_t i = 0; i < len; i++)
        if (isdigit((unsigned char)t[i]))
            digits = true;
    if (digits)
        return TOK_NUMBER;
    if (len == 1)
        return TOK_INITIAL;
    if (text_dict_is_generic(d, t))
        return TOK_GENERIC;
    return TOK_WORD;
}

/* Runs of single letters are an acronym: "A.B.C." is "abc", "S.A." is "sa", "A B C" is "abc".
 * The dots tell which letters belong together: in "Fund V L.P." the numeral V is not part of
 * the legal form. */
void text_join_initials(char *a, bool join)
{
    enum { MAX_WORDS = 512 };
    struct {
        uint16_t at, len;
        bool dot, tight; /* a full stop after it; the separator is that stop alone */
    } wd[MAX_WORDS];
    int n = 0;
    for (size_t i = 0; a[i] && n < MAX_WORDS;) {
        while (a[i] == ' ' || a[i] == '.')
            i++;
        if (!a[i])
            break;
        size_t j = i;
        while (a[j] && a[j] != ' ' && a[j] != '.')
            j++;
        size_t k = j;
        while (a[k] == ' ' || a[k] == '.')
            k++;
        wd[n].at = (uint16_t)i;
        wd[n].len = (uint16_t)(j - i);
        wd[n].dot = memchr(a + j, '.', k - j) != NULL;
        wd[n].tight = k == j + 1 && a[j] == '.' && a[k];
        n++;
        i = k;
    }
    size_t w = 0;
    for (int i = 0; i < n; i++) {
        if (i && w) {
            bool glue = false;
            if (join && wd[i - 1].len == 1 && wd[i].len == 1) {
                if (wd[i - 1].dot) /* "L.P", "L. P.", "J. R. Smith", a last "S. A" */
                    glue = wd[i - 1].tight || wd[i].dot || i == n - 1;
                else /* "A B C", but not V before "L.P." */
                    glue = !(wd[i].dot && i + 1 < n && wd[i + 1].len == 1);
            }
            if (!glue)
                a[w++] = ' ';
        }
        /* w <= wd[i].at: the words move only towards the start. */
        memmove(a + w, a + wd[i].at, wd[i].len);
        w += wd[i].len;
    }
    a[w] = 0;
}

/* "1st", "22nd", "3rd", "4th": the digits alone, so "1st International" meets "First". */
static void strip_ordinal(char *t)
{
    size_t n = strlen(t), d = 0;
    while (d < n && isdigit((unsigned char)t[d]))
        d++;
    if (d && n == d + 2 &&
        (!strcmp(t + d, "st") || !strcmp(t + d, "nd") || !strcmp(t + d, "rd") || !strcmp(t + d, "th")))
        t[d] = 0;
}

/* Digits written for letters inside a word ("Ig0r Sech1n", "I9or"): a digit with a letter on
 * each side, in a word of three letters or more, is the letter it looks like; so is a zero
 * between two letters ("F0z") and a zero that begins a word of letters ("0cean"). Other mixed
 * tokens (MiG29, A320, 4x4, B2B) stay numbers. */
static void digits_as_letters(char *t)
{
    static const char look[] = "oi_eas_t_g"; /* 0 1 _ 3 4 5 _ 7 _ 9 */
    size_t letters = 0, n = strlen(t);
    for (const char *p = t; *p; p++)
        letters += isalpha((unsigned char)*p) != 0;
    if (letters == 2 && n == 3 && t[1] == '0' && isalpha((unsigned char)t[0]) &&
        isalpha((unsigned char)t[2]))
        t[1] = 'o';
    if (letters < 3)
        return;
    if (t[0] == '0' && letters == n - 1)
        t[0] = 'o';
    for (size_t i = 1; t[i] && t[i + 1]; i++) {
        char c = t[i];
        if (isdigit((unsigned char)c) && look[c - '0'] != '_' && isalpha((unsigned char)t[i - 1]) &&
            isalpha((unsigned char)t[i + 1]))
            t[i] = look[c - '0'];
    }
}

static bool all_digits(const char *t)
{
    for (; *t; t++)
        if (!isdigit((unsigned char)*t))
            return false;
    return true;
}

/* "forty four", "forty-four" and "forty 4" are 44: a tens word followed by a unit. */
static bool join_number(text_token *prev, const text_token *t)
{
    if (prev->cls != TOK_NUMBER || t->cls != TOK_NUMBER || all_digits(prev->orig))
        return false;
    size_t lp = strlen(prev->text);
    if (lp != 2 || prev->text[1] != '0' || prev->text[0] < '2' || strlen(t->text) != 1 ||
        t->text[0] == '0')
        return false;
    prev->text[1] = t->text[0];
    char o[TEXT_MAX_TOKEN];
    snprintf(o, sizeof o, "%s%s", prev->orig, t->orig);
    memcpy(prev->orig, o, sizeof o);
    memcpy(prev->fold, prev->text, 3);
    return true;
}

/* A legal form written onto the name ("JSCARGUMENT", "ROMASHKALLC", "OOOROMASHKA"): a generic
 * word of 3-5 letters that no word begins or ends with, because it has no vowel (jsc, llc,
 * ltd, gmbh, pjsc) or is one letter thrice (ooo). Returns its length at the start (or, with
 * at_end, the end) of w, if the rest is a word of four letters or more; else 0. */
static size_t glued_form(const text_dict *d, const char *w, size_t len, bool at_end, bool hangul)
{
    /* Korean writes a company's words solid (한빛무역 "hanpitmuyok", 주식회사한빛): a generic
     * word read from Hangul, of two syllables or more, splits off whatever its letters; the
     * longest (총회사 before 회사); so does a word that begins DPRK company names at the
     * front (조선 Korea, 고려 Koryo: hangul_heads.txt). */
    for (size_t k = len < 16 ? len - 4 : 12; hangul && len >= 8 && k >= 4; k--) {
        char form[13];
        memcpy(form, at_end ? w + len - k : w, k);
        form[k] = 0;
        const char *c = text_dict_canonical(d, form);
        if (text_dict_is_generic(d, c ? c : form) || (!at_end && text_dict_is_hangul_head(d, form)))
            return k;
    }
    for (size_t k = 3; k <= 5 && k + 4 <= len; k++) {
        const char *f = at_end ? w + len - k : w;
        char form[6];
        bool vowel = false, same = true, letters = true;
        for (size_t i = 0; i < k; i++) {
            form[i] = f[i];
            vowel |= strchr("aeiouy", f[i]) != NULL;
            same &= f[i] == f[0];
            letters &= f[i] >= 'a' && f[i] <= 'z';
        }
        form[k] = 0;
        if (letters && (!vowel || same) && text_dict_is_generic(d, form))
            return k;
    }
    return 0;
}

/* "Abdulaziz" is Abd al-Aziz written together, as "Abdul Aziz" is written apart: a canonical
 * word that begins with a spelling of Abd (abdul, abdel, abdol ...: the words the dictionary
 * folds to "abd") and goes on with a name splits there, so both spellings become "abd aziz".
 * The name must have four letters or more when the dictionary knows the whole word (Abdullah
 * stays one word; Abdulrahman, and Abderrahmane through it, split), three for a word it does
 * not know (Abdulhai). Returns the head's length, or 0. */
static size_t abd_head(const text_dict *d, const char *word, size_t len)
{
    if (len < 6 || memcmp(word, "abd", 3) != 0)
        return 0;
    size_t min_rest = text_dict_knows(d, word) ? 4 : 3;
    /* the longest head decides: "abdullah" is abdul + lah (too short), not abdu + llah */
    for (size_t k = 5; k >= 3; k--) {
        char head[6];
        memcpy(head, word, k);
        head[k] = 0;
        const char *c = text_dict_canonical(d, head);
        if (strcmp(c ? c : head, "abd") == 0)
            return len - k >= min_rest ? k : 0;
    }
    return 0;
}

/* Persian writes Muhammad onto the name it begins (محمدجواد Mohammad Javad, محمدعلی): a
 * romanised Arabic-script word that begins with mhmd and goes on with a name of two letters or
 * more splits there. Not before y: that is a suffix (محمدی Mohammadi, محمدیان). Returns the
 * head's length, or 0. */
static size_t muhammad_head(const char *word, size_t len)
{
    return len >= 6 && memcmp(word, "mhmd", 4) == 0 && word[4] != 'y' ? 4 : 0;
}

/* "Salahuddin" and "Jamaleddine" are Salah al-Din and Jamal al-Din written together, the
 * article's l assimilated to the d as Arabic speaks it: a Latin word that ends in such a
 * spelling (uddin, eddine, addin, and with one d udin, edine ...) after a name of three letters
 * or more splits there, and the tail reads "din" (the dictionary folds the spellings), so every
 * way of writing it meets "Salah al-Din" and "Salah Eddine". Not "-aldin" (Geraldine) nor
 * "-udine" (Claudine); a word the dictionary folds (Mujahedin) is not read here.
 * Returns the name's length, or 0. */
static size_t din_head(const char *word, size_t len)
{
    static const char *const tails[] = {"uddeen", "eddeen", "uddine", "eddine", "uddin",
                                        "eddin",  "addin",  "oddin",  "iddin",  "udeen",
                                        "edeen",  "edine",  "udin",   "edin"};
    for (size_t i = 0; i < ARRAY_LEN(tails); i++) {
        size_t k = strlen(tails[i]);
        if (len >= k + 3 && memcmp(word + len - k, tails[i], k) == 0)
            return len - k;
    }
    return 0;
}

/* Fills t's canonical form, class and fold from t->orig. */
static void token_finish(const text_dict *d, text_token *t, unsigned scripts)
{
    /* Han names are read in Mandarin: the Korean spelling families must not apply. */
    const char *canon = (scripts & TEXT_HAN) ? NULL : text_dict_canonical(d, t->orig);
    t->len = (uint8_t)str_copy(t->text, sizeof t->text, canon ? canon : t->orig);
    t->cls = (uint8_t)classify(d, t->text, t->len);
    if (strlen(t->orig) == 1 && t->cls != TOK_NUMBER)
        t->cls = TOK_INITIAL; /* "I." stays an initial even if a variant maps it */
    if (t->cls == TOK_INITIAL && (scripts & TEXT_HANGUL))
        t->cls = TOK_WORD; /* a Hangul syllable of one vowel is a whole word */
    if (t->cls == TOK_WORD && text_dict_is_generic(d, t->orig))
        t->cls = TOK_GENERIC;
    t->sector = t->cls == TOK_GENERIC &&
                (text_dict_is_sector(d, t->text) || text_dict_is_sector(d, t->orig));
    t->abjad = (scripts & TEXT_HEBREW) ? TOK_HEBREW : (scripts & TEXT_ABJAD) != 0;
    t->alt[0] = 0;
    t->han = (scripts & TEXT_HAN) != 0;
    if (t->cls == TOK_NUMBER)
        memcpy(t->fold, t->text, (size_t)t->len + 1);
    else
        text_fold_name(d, t->text, t->fold, sizeof t->fold);
}

/* "ud" and "ed" before din are the article assimilated (Nur ud-Din, Salah ed-Din), as "ad"
 * is everywhere (the dictionary folds that one): read as "al" there only, since Ed is also a
 * given name. */
static void assimilated_article(const text_dict *d, text_token *prev, const text_token *t,
                                unsigned scripts)
{
    if (strcmp(t->text, "din") != 0 || prev->cls == TOK_NUMBER ||
        (strcmp(prev->orig, "ud") != 0 && strcmp(prev->orig, "ed") != 0))
        return;
    char written[TEXT_MAX_TOKEN];
    memcpy(written, prev->orig, sizeof written);
    memcpy(prev->orig, "al", 3);
    token_finish(d, prev, scripts);
    memcpy(prev->orig, written, sizeof written); /* shown as written */
}

static void name_prepare(const text_dict *d, const char *s, size_t n, text_name *out);

/* Persian (and Urdu, Turkish) speak ض ذ ظ as z, ث as s and ق often as gh, where ICU gives
 * the Arabic d, dh, z, th, q: the name is read a second time with those letters replaced by
 * ز س غ, and each word that reads otherwise keeps that reading beside its own. */
void text_name_prepare(const text_dict *d, const char *s, size_t n, text_name *out)
{
    name_prepare(d, s, n, out);
    bool persian = false;
    for (size_t i = 0; i + 1 < n && !persian; i++)
        persian = (unsigned char)s[i] == 0xD8 &&
                  strchr("\xB6\xB0\xB8\xAB", s[i + 1]) != NULL; /* ض ذ ظ ث */
    for (size_t i = 0; i + 1 < n && !persian; i++)
        persian = (unsigned char)s[i] == 0xD9 && (unsigned char)s[i + 1] == 0x82; /* ق */
    if (!persian || n >= 1024)
        return;
    char alt[1024];
    memcpy(alt, s, n);
    for (size_t i = 0; i + 1 < n; i++) {
        unsigned char a = (unsigned char)alt[i], b = (unsigned char)alt[i + 1];
        if (a == 0xD8 && (b == 0xB6 || b == 0xB0 || b == 0xB8))
            alt[i + 1] = (char)0xB2; /* ز */
        else if (a == 0xD8 && b == 0xAB)
            alt[i + 1] = (char)0xB3; /* س */
        else if (a == 0xD9 && b == 0x82) {
            alt[i] = (char)0xD8;
            alt[i + 1] = (char)0xBA; /* غ */
        }
    }
    text_name *other = malloc(sizeof *other);
    if (!other)
        return;
    name_prepare(d, alt, n, other);
    if (other->n == out->n)
        for (size_t i = 0; i < out->n; i++)
            if (out->tok[i].abjad && strcmp(other->tok[i].text, out->tok[i].text) != 0)
                memcpy(out->tok[i].alt, other->tok[i].text, sizeof out->tok[i].alt);
    free(other);
}

static void name_prepare(const text_dict *d, const char *s, size_t n, text_name *out)
{
    unsigned scripts = 0;
    out->n = 0;
    /* Khmer and Lao first: ICU has no transliterator for them. */
    char rom[1024];
    size_t rn = text_romanise(d, s, n, rom, sizeof rom);
    if (rn) {
        s = rom;
        n = rn;
    }
    text_to_ascii_dots(s, n, out->ascii, sizeof out->ascii, &scripts);
    /* A Hangul syllable of one vowel is a word, not an initial. */
    text_join_initials(out->ascii, !(scripts & TEXT_HANGUL));
    /* The words first, so that a multi-word legal form or phrase can become one token. */
    const char *w[TEXT_MAX_TOKENS * 2];
    uint8_t wl[TEXT_MAX_TOKENS * 2];
    int nw = 0;
    for (const char *p = out->ascii; *p && nw < (int)ARRAY_LEN(w);) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        if (q == p)
            break;
        bool hangul = (scripts & TEXT_HANGUL) != 0;
        size_t len = (size_t)(q - p), cut;
        /* forms written onto the front, then onto the end (주식회사한빛무역총회사) */
        while ((cut = glued_form(d, p, len, false, hangul)) && nw + 2 < (int)ARRAY_LEN(w)) {
            w[nw] = p;
            wl[nw++] = (uint8_t)cut;
            p += cut;
            len -= cut;
        }
        size_t tails[4], nt = 0;
        while (nt < 4 && (cut = glued_form(d, p, len, true, hangul)))
            len -= tails[nt++] = cut;
        w[nw] = p;
        wl[nw++] = (uint8_t)(len >= TEXT_MAX_TOKEN ? TEXT_MAX_TOKEN - 1 : len);
        for (size_t k = nt; k-- > 0 && nw < (int)ARRAY_LEN(w);) {
            w[nw] = p + len;
            wl[nw++] = (uint8_t)tails[k];
            len += tails[k];
        }
        p = q;
    }
    /* Chinese personal names have two to four characters: a name of five Han syllables or
     * more is a company's, where 贸易 is "trading" rather than a given name Mao Yi. */
    bool han_company = (scripts & TEXT_HAN) && nw >= 5;
    for (int i = 0; i < nw && out->n < TEXT_MAX_TOKENS;) {
        text_token *t = &out->tok[out->n];
        int used = 1;
        const char *phrase = text_dict_phrase(d, w + i, wl + i, nw - i, han_company, &used);
        if (phrase) {
            snprintf(t->orig, sizeof t->orig, "%s", phrase);
        } else {
            memcpy(t->orig, w[i], wl[i]);
            t->orig[wl[i]] = 0;
            strip_ordinal(t->orig);
            digits_as_letters(t->orig);
        }
        i += used;
        token_finish(d, t, scripts);
        if (out->n && join_number(&out->tok[out->n - 1], t))
            continue;
        if (out->n)
            assimilated_article(d, &out->tok[out->n - 1], t, scripts);
        bool latin = !(scripts & (TEXT_HAN | TEXT_ABJAD));
        size_t abd = t->cls == TOK_WORD && latin ? abd_head(d, t->text, t->len) : 0;
        bool as_written = !strcmp(t->text, t->orig); /* the dictionary does not fold it */
        size_t head = t->cls != TOK_WORD       ? 0
                      : scripts & TEXT_ABJAD ? muhammad_head(t->text, t->len)
                      : abd                  ? abd
                      : latin && as_written  ? din_head(t->text, t->len)
                                             : 0;
        if (head && out->n + 1 < TEXT_MAX_TOKENS) {
            text_token *rest = &out->tok[out->n + 1];
            memcpy(rest->orig, t->text + head, (size_t)t->len - head + 1);
            t->orig[head] = 0; /* the written head when the word began with it, else "abd" */
            if (abd && strncmp(t->orig, t->text, head) != 0)
                memcpy(t->orig, "abd", 4);
            token_finish(d, t, scripts);
            token_finish(d, rest, scripts);
            out->n++;
        }
        out->n++;
    }
}

void text_soundex(const char *s, char out[5])
{
    static const char codes[] = "01230120022455012623010202"; /* a..z */
    size_t n = 0;
    char last = 0;
    for (const char *p = s; *p && n < 4; p++) {
        int c = tolower((unsigned char)*p);
        if (c < 'a' || c > 'z')
            continue;
        char code = codes[c - 'a'];
        if (n == 0) {
            out[n++] = (char)toupper(c);
            last = code;
            continue;
        }
        if (code != '0' && code != last)
            out[n++] = code;
        if (c != 'h' && c != 'w')
            last = code;
    }
    while (n < 4)
        out[n++] = '0';
    out[4] = 0;
}
