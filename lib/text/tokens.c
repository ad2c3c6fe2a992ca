/* tokens.c - a name to canonical tokens: transliterate, split, apply the variant table, class
 * each token, and derive the keys that survive spelling systems (fold) and scripts without
 * short vowels (skeleton). */
#include "text.h"

#include <ctype.h>

static bool is_vowel(char c) { return strchr("aeiou", c) != NULL; }

/* Applies the fold rules; see text.h. Order matters: digraphs before single letters. */
void text_fold(const char *t, char *out, size_t cap)
{
    static const struct {
        const char *from, *to;
    } digraphs[] = {{"dzh", "j"}, {"tch", "j"}, {"dj", "j"}, {"zh", "j"}, {"ch", "j"},
                    {"sh", "s"},  {"kh", "h"},  {"ph", "f"}, {"rh", "r"}, {"th", "t"},
                    {"ck", "k"},  {"eo", "o"},  {"eu", "u"}, {"ee", "i"}, {"oo", "u"},
                    {"ou", "u"},  {"oi", "oe"}, {"x", "ks"}};
    static const char single_from[] = "gbdlqczyw";
    static const char single_to[] = "kptrkksiv";
    char tmp[2 * TEXT_MAX_TOKEN + 8];
    size_t n = 0;
    for (const char *p = t; *p && n + 3 < sizeof tmp;) {
        bool done = false;
        for (size_t i = 0; i < ARRAY_LEN(digraphs); i++) {
            size_t l = strlen(digraphs[i].from);
            if (strncmp(p, digraphs[i].from, l) == 0) {
                for (const char *q = digraphs[i].to; *q; q++)
                    tmp[n++] = *q;
                p += l;
                done = true;
                break;
            }
        }
        if (done)
            continue;
        const char *s = strchr(single_from, *p);
        tmp[n++] = (s && *p) ? single_to[s - single_from] : *p;
        p++;
    }
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
    const char *start = tmp;
    if (w >= 4 && tmp[0] == 'i' && tmp[1] == 'e')
        start++;
    snprintf(out, cap, "%s", start);
}

void text_skeleton(const char *t, char *out, size_t cap)
{
    size_t n = 0;
    char last = 0;
    for (const char *p = t; *p && n + 1 < cap; p++) {
        char c = *p == 'q' ? 'k' : *p;
        if (is_vowel(c) || c == 'y' || c == 'w')
            continue;
        if (c == last)
            continue;
        out[n++] = c;
        last = c;
    }
    out[n] = 0;
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

void text_name_prepare(const text_dict *d, const char *s, size_t n, text_name *out)
{
    bool abjad = false;
    out->n = 0;
    text_to_ascii(s, n, out->ascii, sizeof out->ascii, &abjad);
    const char *p = out->ascii;
    while (*p && out->n < TEXT_MAX_TOKENS) {
        while (*p == ' ')
            p++;
        const char *q = p;
        while (*q && *q != ' ')
            q++;
        size_t len = (size_t)(q - p);
        if (len == 0)
            break;
        if (len >= TEXT_MAX_TOKEN)
            len = TEXT_MAX_TOKEN - 1;
        text_token *t = &out->tok[out->n++];
        memcpy(t->orig, p, len);
        t->orig[len] = 0;
        const char *canon = text_dict_canonical(d, t->orig);
        snprintf(t->text, sizeof t->text, "%s", canon ? canon : t->orig);
        t->len = (uint8_t)strlen(t->text);
        t->cls = (uint8_t)classify(d, t->text, t->len);
        if (len == 1 && t->cls != TOK_NUMBER)
            t->cls = TOK_INITIAL; /* "I." stays an initial even if a variant maps it */
        if (t->cls == TOK_WORD && text_dict_is_generic(d, t->orig))
            t->cls = TOK_GENERIC;
        t->abjad = abjad;
        if (t->cls == TOK_NUMBER)
            snprintf(t->fold, sizeof t->fold, "%s", t->text);
        else
            text_fold(t->text, t->fold, sizeof t->fold);
        p = q;
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
