/* japanese.c - a Japanese name written in kanji, read in Japanese. ICU reads kanji in Mandarin
 * (山田太郎 "shan tian tai lang"), and kanji have many Japanese readings, chosen by the word,
 * so no per-character table can read a name. data/dict/japanese_names.tsv gives common family
 * and given names whole, with their usual reading: a name that is a family name of the table
 * followed by a given name of the table (written together or apart) reads "yamada taro". */
#include "text.h"

#include <stdio.h>
#include <string.h>

/* The reading of `kanji` (len bytes) as a family (kind 'F') or given ('G') name, or NULL. */
static const char *lookup(const text_dict *d, char kind, const char *kanji, size_t len)
{
    char key[64];
    if (len + 3 > sizeof key)
        return NULL;
    key[0] = kind;
    key[1] = ':';
    memcpy(key + 2, kanji, len);
    key[len + 2] = 0;
    return text_dict_reading(d, key);
}

/* Byte offsets of the UTF-8 characters of s (up to max); the count, or -1 for a character
 * that is not a three- or four-byte one (kanji are, ASCII and spaces are not). */
static int char_starts(const char *s, size_t n, size_t *at, int max)
{
    int k = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t l = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 0;
        if (!l || i + l > n || k >= max)
            return -1;
        at[k++] = i;
        i += l;
    }
    at[k] = n;
    return k;
}

bool text_japanese_reading(const text_dict *d, const char *name, char *out, size_t cap)
{
    /* kanji start at lead byte E3 (U+3400); anything else first is not such a name */
    if (!d || (unsigned char)name[0] < 0xE3 || strlen(name) > 60)
        return false;
    const char *sp = strchr(name, ' ');
    const char *fam, *giv;
    if (!sp) {
        /* written together: the longest family name of the table that leaves a given name */
        size_t at[8];
        int k = char_starts(name, strlen(name), at, 7);
        for (int f = k - 1 < 3 ? k - 1 : 3; f >= 1; f--)
            if ((fam = lookup(d, 'F', name, at[f])) &&
                (giv = lookup(d, 'G', name + at[f], at[k] - at[f])))
                return (size_t)snprintf(out, cap, "%s %s", fam, giv) < cap;
        return false;
    }
    const char *second = sp + 1;
    if (strchr(second, ' '))
        return false;
    size_t first_len = (size_t)(sp - name);
    if ((fam = lookup(d, 'F', name, first_len)) && (giv = lookup(d, 'G', second, strlen(second))))
        return (size_t)snprintf(out, cap, "%s %s", fam, giv) < cap;
    return false;
}
