/* dict.c - the word lists that normalisation uses: spelling variants to one canonical form
 * (data/dict/name_variants.tsv), generic words and legal forms (data/dict/generic_words.txt),
 * multi-word legal forms and set phrases to one word (data/dict/phrases.tsv; in Han company
 * names also data/dict/han_company.tsv) and number words
 * to digits (data/dict/numbers.tsv), the Korean reading of Han characters
 * (data/dict/hanja.tsv) and of Korean syllables written in Cyrillic
 * (data/dict/korean_cyrillic.tsv), given-name nicknames (data/dict/nicknames.tsv) and the
 * romanisation of scripts ICU cannot read (data/dict/romanise.tsv). They are data, not code,
 * and they travel inside the snapshot so that a query is normalised exactly as the lists
 * were. */
#include "text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    uint32_t key;   /* offset of the word in pool, +1 (0 = empty slot) */
    uint32_t value; /* offset of the canonical form, or 0 for a generic word */
    uint8_t generic;
    uint8_t sector; /* a generic word naming a line of business (Bank, Shipping) */
    uint8_t phrase_start; /* the first word of a phrase (phrases are keyed "w1 w2 ...") */
    uint8_t reading;      /* key is a Han character or a Cyrillic syllable, value its Hangul */
    uint8_t han_only;     /* a phrase read only in a company name written in Han characters */
    uint8_t hangul_head;  /* a word that begins solid Hangul company names (joson: 조선) */
    uint32_t nick;        /* offset of the name this word is a nickname of, +1 (0 = none) */
    uint32_t nick2;       /* the fold of the other name it stands for (Ted: Theodore), +1 */
} slot;

struct text_dict {
    buf pool;  /* NUL-terminated words */
    buf blob;  /* serialised form */
    slot *slots;
    size_t cap, used;
    int max_phrase; /* words in the longest phrase */
    text_rom *rom;  /* romanisation table: single characters, then ... */
    size_t n_rom;
    text_rom *rom_multi; /* ... the M entries */
    size_t n_multi;
};

static slot *find(const text_dict *d, const char *w)
{
    if (!d->cap)
        return NULL;
    size_t h = hash_bytes(w, strlen(w)) & (d->cap - 1);
    for (;;) {
        slot *s = &d->slots[h];
        if (!s->key || strcmp(d->pool.data + s->key - 1, w) == 0)
            return s;
        h = (h + 1) & (d->cap - 1);
    }
}

static bool grow(text_dict *d)
{
    if ((d->used + 1) * 2 <= d->cap)
        return true;
    size_t cap = d->cap ? d->cap * 2 : 1024;
    slot *old = d->slots;
    size_t oldcap = d->cap;
    d->slots = calloc(cap, sizeof *d->slots);
    if (!d->slots) {
        d->slots = old;
        return false;
    }
    d->cap = cap;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(d, d->pool.data + old[i].key - 1) = old[i];
    free(old);
    return true;
}

static uint32_t intern(text_dict *d, const char *w)
{
    uint32_t off = (uint32_t)d->pool.len + 1;
    if (!buf_append(&d->pool, w, strlen(w) + 1))
        return 0;
    return off;
}

static slot *dict_slot(text_dict *d, const char *word)
{
    if (!grow(d))
        return NULL;
    slot *s = find(d, word);
    if (!s->key) {
        s->key = intern(d, word);
        if (!s->key)
            return NULL;
        d->used++;
    }
    return s;
}

/* Adds a phrase (words separated by single spaces) -> one canonical word; han_only: only in
 * company names written in Han characters (data/dict/han_company.tsv). */
static bool dict_add_phrase(text_dict *d, const char *phrase, const char *canonical, bool han_only)
{
    const char *sp = strchr(phrase, ' ');
    if (!sp || sp == phrase || !*canonical)
        return false;
    int words = 1;
    for (const char *p = phrase; *p; p++)
        words += *p == ' ';
    char first[TEXT_MAX_TOKEN];
    size_t fl = (size_t)(sp - phrase);
    if (fl >= sizeof first)
        return false;
    memcpy(first, phrase, fl);
    first[fl] = 0;
    slot *f = dict_slot(d, first);
    if (!f)
        return false;
    f->phrase_start = 1;
    slot *s = dict_slot(d, phrase);
    if (!s || !(s->value = intern(d, canonical)))
        return false;
    s->han_only = han_only;
    /* Lists cut long names at a field width ("JOINT STOCK COMPAN"): the phrase with its last
     * word cut to four letters or more means the same. Derived here, not stored in the blob. */
    char cut[512];
    size_t pl = strlen(phrase), last = (size_t)(strrchr(phrase, ' ') - phrase) + 1;
    if (pl < sizeof cut) {
        memcpy(cut, phrase, pl + 1);
        for (size_t end = pl - 1; end >= last + 4; end--) {
            cut[end] = 0;
            slot *c = dict_slot(d, cut);
            if (!c)
                return false;
            if (!c->value && !(c->value = intern(d, canonical)))
                return false;
        }
    }
    if (words > d->max_phrase)
        d->max_phrase = words;
    return buf_printf(&d->blob, "%c\t%s\t%s\n", han_only ? 'q' : 'p', phrase, canonical);
}

/* Adds a variant -> canonical pair (canonical NULL: a generic word). */
static bool dict_add(text_dict *d, const char *word, const char *canonical)
{
    if (!*word)
        return false;
    slot *s = dict_slot(d, word);
    if (!s)
        return false;
    if (canonical) {
        if (strcmp(word, canonical) != 0) {
            s->value = intern(d, canonical);
            if (!s->value)
                return false;
        }
        return buf_printf(&d->blob, "v\t%s\t%s\n", word, canonical);
    }
    s->generic = 1;
    return buf_printf(&d->blob, "g\t%s\n", word);
}

/* Adds a sector word: a generic word that also names a line of business. */
static bool dict_add_sector(text_dict *d, const char *word)
{
    if (!*word)
        return false;
    slot *s = dict_slot(d, word);
    if (!s)
        return false;
    s->generic = 1;
    s->sector = 1;
    return buf_printf(&d->blob, "s\t%s\n", word);
}

/* Adds a word that begins solid Hangul company names (hangul_heads.txt). */
static bool dict_add_hangul_head(text_dict *d, const char *word)
{
    if (!*word)
        return false;
    slot *s = dict_slot(d, word);
    if (!s)
        return false;
    s->hangul_head = 1;
    return buf_printf(&d->blob, "b\t%s\n", word);
}

/* Adds a Han character (kind 'h') or Cyrillic syllable (kind 'k') -> Hangul reading pair.
 * Keys are non-ASCII, so they never meet a word of a name (words are ASCII by then). */
static bool dict_add_reading(text_dict *d, char kind, const char *key, const char *hangul)
{
    slot *s = dict_slot(d, key);
    if (!s || !(s->value = intern(d, hangul)))
        return false;
    s->reading = 1;
    return buf_printf(&d->blob, "%c\t%s\t%s\n", kind, key, hangul);
}

/* Adds a nickname -> full name pair (the full name as the variant table spells it); a
 * nickname may stand for two names (Ted: Edward, Theodore), the first given read first. */
static bool dict_add_nick(text_dict *d, const char *nick, const char *name)
{
    slot *s = dict_slot(d, nick);
    if (!s)
        return false;
    if (s->nick2)
        return false;
    if (s->nick) {
        char fold[TEXT_MAX_TOKEN];
        text_fold(name, fold, sizeof fold);
        if (!(s->nick2 = intern(d, fold)))
            return false;
    } else if (!(s->nick = intern(d, name))) {
        return false;
    }
    return buf_printf(&d->blob, "n\t%s\t%s\n", nick, name);
}

/* Whether a nickname already stands for two names (a third is refused). */
static bool nick_full(const text_dict *d, const char *nick)
{
    const slot *s = find(d, nick);
    return s && s->key && s->nick2;
}

const char *text_dict_nickname(const text_dict *d, const char *token)
{
    if (!d)
        return NULL;
    const slot *s = find(d, token);
    return s && s->key && s->nick ? d->pool.data + s->nick - 1 : NULL;
}

const char *text_dict_nickname_fold2(const text_dict *d, const char *token)
{
    if (!d)
        return NULL;
    const slot *s = find(d, token);
    return s && s->key && s->nick2 ? d->pool.data + s->nick2 - 1 : NULL;
}

/* Parses one romanisation line (character<TAB>kind<TAB>fields, see romanise.tsv) into *e. */
static bool parse_rom(char *line, text_rom *e)
{
    char *field[8];
    int n = 0;
    for (char *p = line; n < 8;) {
        field[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    memset(e, 0, sizeof *e);
    static const char kinds[] = "CVPMRIFSGJKHDXW";
    if (n < 2 || strlen(field[0]) >= sizeof e->key || strlen(field[1]) != 1 ||
        !strchr(kinds, field[1][0]))
        return false;
    snprintf(e->key, sizeof e->key, "%s", field[0]);
    e->kind = field[1][0];
    if (!utf8_decode(e->key, strlen(e->key), &e->cp) || e->cp < 0x80)
        return false;
    static const char need[] = "CVPMRIFSGJKHDXW"; /* fields each kind needs */
    static const int count[] = {5, 2, 1, 1, 1, 1, 3, 1, 0, 1, 0, 0, 1, 0, 0};
    int want = count[strchr(need, e->kind) - need];
    if (n - 2 < want)
        return false;
    if (e->kind == 'S' || e->kind == 'C') {
        const char *sr = field[e->kind == 'S' ? 2 : 5];
        if ((sr[0] != '1' && sr[0] != '2') || sr[1])
            return false;
        e->series = (uint8_t)(sr[0] - '0');
    }
    if (e->kind == 'C') {
        e->silent = strchr(field[6], 'h') != NULL;
        e->carrier = strchr(field[6], 'v') != NULL;
        e->indic = strchr(field[6], 'i') != NULL;
    }
    int readings = e->kind == 'C' ? 3 : e->kind == 'S' ? 0 : want;
    for (int i = 0; i < readings && i < 3; i++) {
        if (strlen(field[2 + i]) >= sizeof e->f[i])
            return false;
        for (const char *p = field[2 + i]; *p; p++)
            if (!(*p >= 'a' && *p <= 'z') && !(*p >= '0' && *p <= '9'))
                return false;
        snprintf(e->f[i], sizeof e->f[i], "%s", field[2 + i]);
    }
    return true;
}

/* Adds one romanisation line (kept verbatim in the blob). */
static bool dict_add_rom(text_dict *d, const char *line, bool *bad)
{
    char tmp[256];
    snprintf(tmp, sizeof tmp, "%s", line);
    text_rom e;
    if (!parse_rom(tmp, &e)) {
        *bad = true;
        return false;
    }
    bool multi = e.kind == 'M' || e.kind == 'R';
    text_rom **arr = multi ? &d->rom_multi : &d->rom;
    size_t *n = multi ? &d->n_multi : &d->n_rom;
    text_rom *grown = realloc(*arr, (*n + 1) * sizeof **arr);
    if (!grown)
        return false;
    *arr = grown;
    size_t at = (*n)++;
    if (!multi) /* kept in code point order for text_dict_rom */
        for (; at > 0 && grown[at - 1].cp > e.cp; at--)
            grown[at] = grown[at - 1];
    grown[at] = e;
    return buf_printf(&d->blob, "r\t%s\n", line);
}

const text_rom *text_dict_rom(const text_dict *d, uint32_t cp)
{
    if (!d)
        return NULL;
    size_t lo = 0, hi = d->n_rom; /* sorted by code point */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->rom[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < d->n_rom && d->rom[lo].cp == cp ? &d->rom[lo] : NULL;
}

const text_rom *text_dict_rom_multi(const text_dict *d, size_t *n)
{
    *n = d ? d->n_multi : 0;
    return d ? d->rom_multi : NULL;
}

const char *text_dict_reading(const text_dict *d, const char *han)
{
    if (!d)
        return NULL;
    const slot *s = find(d, han);
    return s && s->key && s->reading ? d->pool.data + s->value - 1 : NULL;
}

bool text_dict_knows(const text_dict *d, const char *word)
{
    if (!d)
        return false;
    const slot *s = find(d, word);
    return s && s->key && !s->reading;
}

const char *text_dict_canonical(const text_dict *d, const char *token)
{
    if (!d)
        return NULL;
    const slot *s = find(d, token);
    return s && s->key && s->value && !s->reading ? d->pool.data + s->value - 1 : NULL;
}

const char *text_dict_phrase(const text_dict *d, const char *const *words, const uint8_t *lens,
                             int n, bool han_company, int *used)
{
    if (!d || n < 2 || !d->max_phrase)
        return NULL;
    char first[TEXT_MAX_TOKEN];
    if (lens[0] >= sizeof first)
        return NULL;
    memcpy(first, words[0], lens[0]);
    first[lens[0]] = 0;
    const slot *f = find(d, first);
    if (!f || !f->key || !f->phrase_start)
        return NULL;
    char key[512];
    for (int k = n < d->max_phrase ? n : d->max_phrase; k >= 2; k--) {
        size_t len = 0;
        bool fits = true;
        for (int i = 0; i < k && fits; i++) {
            if (len + lens[i] + 2 > sizeof key)
                fits = false;
            else {
                if (i)
                    key[len++] = ' ';
                memcpy(key + len, words[i], lens[i]);
                len += lens[i];
            }
        }
        if (!fits)
            continue;
        key[len] = 0;
        const slot *s = find(d, key);
        if (s && s->key && s->value && (han_company || !s->han_only)) {
            *used = k;
            return d->pool.data + s->value - 1;
        }
    }
    return NULL;
}

bool text_dict_is_generic(const text_dict *d, const char *token)
{
    if (!d)
        return false;
    const slot *s = find(d, token);
    return s && s->key && s->generic;
}

bool text_dict_is_hangul_head(const text_dict *d, const char *token)
{
    if (!d)
        return false;
    const slot *s = find(d, token);
    return s && s->key && s->hangul_head;
}

bool text_dict_is_sector(const text_dict *d, const char *token)
{
    if (!d)
        return false;
    const slot *s = find(d, token);
    return s && s->key && s->sector;
}

void text_dict_free(text_dict *d)
{
    if (!d)
        return;
    buf_free(&d->pool);
    buf_free(&d->blob);
    free(d->slots);
    free(d->rom);
    free(d->rom_multi);
    free(d);
}

const char *text_dict_blob(const text_dict *d, size_t *n)
{
    *n = d->blob.len;
    return d->blob.data ? d->blob.data : "";
}

/* Lower-cases and ASCII-normalises one word of a word list the same way names are. */
static void norm_word(const char *w, char *out, size_t cap)
{
    text_to_ascii_dots(w, strlen(w), out, cap, NULL);
    text_join_initials(out, true); /* as names are: "s.a." is "sa" */
}

/* Adds one canonical<TAB>entry,entry,... line: one-word entries become variants, several
 * words a phrase. */
static cordon_status add_entries(text_dict *d, const char *path, long no, const char *canon,
                                 char *list, bool phrases, bool han_only, cordon_error *err)
{
    for (char *v = strtok(list, ",\n"); v; v = strtok(NULL, ",\n")) {
        char w[512];
        norm_word(v, w, sizeof w);
        if (!*w)
            continue;
        bool several = strchr(w, ' ') != NULL;
        if (several && !phrases)
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: variant '%s' must be one word", path,
                           no, v);
        if (han_only && !several)
            return err_set(err, CORDON_ERR_PARSE,
                           "%s:%ld: '%s' must be two Han characters or more", path, no, v);
        if (strlen(w) >= (several ? 256 : TEXT_MAX_TOKEN))
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: '%s' is too long", path, no, v);
        if (!(several ? dict_add_phrase(d, w, canon, han_only) : dict_add(d, w, canon)))
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    return CORDON_OK;
}

/* One Hangul syllable (U+AC00-U+D7A3) alone in its UTF-8 string. */
static bool valid_hangul(const char *hangul)
{
    const unsigned char *k = (const unsigned char *)hangul;
    if (!(k[0] >= 0xEA && k[0] <= 0xED && k[1] && k[2] && !k[3]))
        return false;
    uint32_t kc = (uint32_t)(k[0] & 0x0F) << 12 | (uint32_t)(k[1] & 0x3F) << 6 | (k[2] & 0x3F);
    return kc >= 0xAC00 && kc <= 0xD7A3;
}

/* One to TEXT_CYRILLIC_SYLLABLE lower-case Russian letters (U+0430-U+044F) and one Hangul
 * syllable. */
static bool valid_cyrillic_reading(const char *cyr, const char *hangul)
{
    const unsigned char *c = (const unsigned char *)cyr;
    size_t n = 0;
    for (; *c; c += 2, n++)
        if (!((c[0] == 0xD0 && c[1] >= 0xB0 && c[1] <= 0xBF) ||
              (c[0] == 0xD1 && c[1] >= 0x80 && c[1] <= 0x8F)))
            return false;
    return n >= 1 && n <= TEXT_CYRILLIC_SYLLABLE && valid_hangul(hangul);
}

/* One Han ideograph (U+3400-U+9FFF, U+F900-U+FAFF, U+20000-U+3FFFF) and one Hangul
 * syllable, each alone in its UTF-8 string. */
static bool valid_reading(const char *han, const char *hangul)
{
    const unsigned char *h = (const unsigned char *)han;
    uint32_t cp;
    if (h[0] >= 0xE0 && h[0] < 0xF0 && h[1] && h[2] && !h[3])
        cp = (uint32_t)(h[0] & 0x0F) << 12 | (uint32_t)(h[1] & 0x3F) << 6 | (h[2] & 0x3F);
    else if (h[0] >= 0xF0 && h[0] < 0xF8 && h[1] && h[2] && h[3] && !h[4])
        cp = (uint32_t)(h[0] & 0x07) << 18 | (uint32_t)(h[1] & 0x3F) << 12 |
             (uint32_t)(h[2] & 0x3F) << 6 | (h[3] & 0x3F);
    else
        return false;
    bool han_ok = (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                  (cp >= 0x20000 && cp <= 0x3FFFF);
    return han_ok && valid_hangul(hangul);
}

/* A Japanese name entry: key "F:" (family) or "G:" (given) and kanji, reading lower-case
 * ASCII letters. */
static bool valid_japanese(const char *key, const char *reading)
{
    if ((key[0] != 'F' && key[0] != 'G') || key[1] != ':' || (unsigned char)key[2] < 0xE3 ||
        !*reading || strlen(reading) >= TEXT_MAX_TOKEN)
        return false;
    for (const char *p = reading; *p; p++)
        if (*p < 'a' || *p > 'z')
            return false;
    return true;
}

text_dict *text_dict_from_blob(const char *blob, size_t n, cordon_error *err)
{
    text_dict *d = calloc(1, sizeof *d);
    if (!d) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    size_t i = 0;
    long line = 0;
    while (i < n) {
        const char *nl = memchr(blob + i, '\n', n - i);
        size_t len = nl ? (size_t)(nl - (blob + i)) : n - i;
        char tmp[512];
        line++;
        if (len >= sizeof tmp || len < 3) {
            text_dict_free(d);
            err_set(err, CORDON_ERR_FORMAT, "word list line %ld: malformed", line);
            return NULL;
        }
        memcpy(tmp, blob + i, len);
        tmp[len] = 0;
        i += len + 1;
        char *a = tmp + 2, *b = strchr(a, '\t');
        if (b)
            *b++ = 0;
        bool bad = false;
        bool ok = tmp[0] == 'r'   ? (b && (b[-1] = '\t', dict_add_rom(d, a, &bad)))
                  : tmp[0] == 'n' ? (b && dict_add_nick(d, a, b))
                  : tmp[0] == 'v' ? (b && dict_add(d, a, b))
                  : tmp[0] == 's' ? dict_add_sector(d, a)
                  : tmp[0] == 'p' ? (b && dict_add_phrase(d, a, b, false))
                  : tmp[0] == 'q' ? (b && dict_add_phrase(d, a, b, true))
                  : tmp[0] == 'h' ? (b && valid_reading(a, b) && dict_add_reading(d, 'h', a, b))
                  : tmp[0] == 'k'
                      ? (b && valid_cyrillic_reading(a, b) && dict_add_reading(d, 'k', a, b))
                  : tmp[0] == 'g' ? (!b && dict_add(d, a, NULL))
                  : tmp[0] == 'b' ? (!b && dict_add_hangul_head(d, a))
                  : tmp[0] == 'J' ? (b && valid_japanese(a, b) && dict_add_reading(d, 'J', a, b))
                                  : false;
        if (!ok) {
            text_dict_free(d);
            /* an unknown kind is a snapshot written by another cordon: refuse it rather than
             * take its lines for generic words */
            if (strchr("rnvpqshkgbJ", tmp[0]))
                err_set(err, CORDON_ERR_FORMAT, "word list line %ld: malformed", line);
            else
                err_set(err, CORDON_ERR_FORMAT, "word list line %ld: unknown kind '%c'", line,
                        tmp[0]);
            return NULL;
        }
    }
    return d;
}

/* One line of a word-list file (comments and blank lines already skipped); `path` and `no`
 * are for the error message. */
typedef cordon_status (*line_fn)(text_dict *d, char *line, const char *path, long no,
                                 cordon_error *err);

static cordon_status read_lines(text_dict *d, const char *dir, const char *name, line_fn fn,
                                cordon_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open", path);
    char line[4096];
    long no = 0;
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && fgets(line, sizeof line, f)) {
        no++;
        if (line[0] == '#' || str_is_blank(line))
            continue;
        line[strcspn(line, "\r\n")] = 0;
        st = fn(d, line, path, no, err);
    }
    fclose(f);
    return st;
}

/* canonical<TAB>variants files: name_variants.tsv (one word each), phrases.tsv and numbers.tsv
 * (an entry may be several words). */
static cordon_status variants_line(text_dict *d, char *line, const char *path, long no,
                                   bool phrases, bool han_only, cordon_error *err)
{
    char *tab = strchr(line, '\t');
    if (!tab)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected canonical<TAB>variants", path, no);
    *tab = 0;
    char canon[TEXT_MAX_TOKEN];
    norm_word(line, canon, sizeof canon);
    if (!*canon || strchr(canon, ' '))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: canonical form must be one word", path, no);
    if (!han_only)
        dict_add(d, canon, canon);
    return add_entries(d, path, no, canon, tab + 1, phrases, han_only, err);
}

static cordon_status word_variants_line(text_dict *d, char *line, const char *path, long no,
                                        cordon_error *err)
{
    return variants_line(d, line, path, no, false, false, err);
}

static cordon_status phrase_variants_line(text_dict *d, char *line, const char *path, long no,
                                          cordon_error *err)
{
    return variants_line(d, line, path, no, true, false, err);
}

static cordon_status han_company_line(text_dict *d, char *line, const char *path, long no,
                                      cordon_error *err)
{
    return variants_line(d, line, path, no, true, true, err);
}

/* generic_words.txt and sector_words.txt: a word a line; "co ltd" style entries add each
 * word; a sector word (a line of business) is a generic word too. */
static cordon_status words_line(text_dict *d, const char *line, bool sector, cordon_error *err)
{
    char w[256];
    norm_word(line, w, sizeof w);
    for (char *t = strtok(w, " "); t; t = strtok(NULL, " "))
        if (!(sector ? dict_add_sector(d, t) : dict_add(d, t, NULL)))
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

static cordon_status generic_line(text_dict *d, char *line, const char *path, long no,
                                  cordon_error *err)
{
    (void)path;
    (void)no;
    return words_line(d, line, false, err);
}

static cordon_status sector_line(text_dict *d, char *line, const char *path, long no,
                                 cordon_error *err)
{
    (void)path;
    (void)no;
    return words_line(d, line, true, err);
}

/* hangul_heads.txt: a romanised word a line, the first word of the line. */
static cordon_status hangul_head_line(text_dict *d, char *line, const char *path, long no,
                                      cordon_error *err)
{
    char w[TEXT_MAX_TOKEN];
    norm_word(line, w, sizeof w);
    char *sp = strchr(w, ' ');
    if (sp)
        *sp = 0;
    if (!w[0])
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected a word", path, no);
    return dict_add_hangul_head(d, w) ? CORDON_OK : err_set(err, CORDON_ERR_NOMEM, "out of memory");
}

/* japanese_names.tsv: family|given<TAB>kanji<TAB>reading. */
static cordon_status japanese_line(text_dict *d, char *line, const char *path, long no,
                                   cordon_error *err)
{
    char *kanji = strchr(line, '\t'), *reading = kanji ? strchr(kanji + 1, '\t') : NULL;
    if (!reading)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected family|given<TAB>kanji<TAB>reading",
                       path, no);
    *kanji++ = 0;
    *reading++ = 0;
    char key[64];
    bool family = strcmp(line, "family") == 0;
    snprintf(key, sizeof key, "%c:%s", family ? 'F' : 'G', kanji);
    if ((!family && strcmp(line, "given") != 0) || !valid_japanese(key, reading))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected family|given<TAB>kanji<TAB>reading",
                       path, no);
    return dict_add_reading(d, 'J', key, reading) ? CORDON_OK
                                                   : err_set(err, CORDON_ERR_NOMEM, "out of memory");
}

/* nicknames.tsv: name<TAB>nickname,nickname,... The name is spelled as the variant table
 * spells it ("alexander" -> "aleksandr"). */
static cordon_status nickname_line(text_dict *d, char *line, const char *path, long no,
                                   cordon_error *err)
{
    char *tab = strchr(line, '\t');
    if (!tab)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected name<TAB>nicknames", path, no);
    *tab = 0;
    char name[TEXT_MAX_TOKEN];
    norm_word(line, name, sizeof name);
    const char *canon = text_dict_canonical(d, name);
    if (canon)
        snprintf(name, sizeof name, "%s", canon);
    if (!*name || strchr(name, ' '))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: name must be one word", path, no);
    for (char *v = strtok(tab + 1, ","); v; v = strtok(NULL, ",")) {
        char w[TEXT_MAX_TOKEN];
        norm_word(v, w, sizeof w);
        if (!*w || strchr(w, ' '))
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: nickname '%s' must be one word",
                           path, no, v);
        const char *wc = text_dict_canonical(d, w);
        if (nick_full(d, wc ? wc : w))
            return err_set(err, CORDON_ERR_PARSE, "%s:%ld: nickname '%s' of more than two names",
                           path, no, v);
        if (!dict_add_nick(d, wc ? wc : w, name))
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    return CORDON_OK;
}

/* romanise.tsv lines. */
static cordon_status rom_line(text_dict *d, char *line, const char *path, long no,
                              cordon_error *err)
{
    bool bad = false;
    if (dict_add_rom(d, line, &bad))
        return CORDON_OK;
    return bad ? err_set(err, CORDON_ERR_PARSE, "%s:%ld: malformed romanisation entry", path, no)
               : err_set(err, CORDON_ERR_NOMEM, "out of memory");
}

/* key<TAB>hangul lines: kind 'h' a Han character (data/dict/hanja.tsv, generated by
 * tools/gen_hanja.py), kind 'k' a Cyrillic syllable (data/dict/korean_cyrillic.tsv, generated
 * by tools/gen_korean_cyrillic.py). */
static cordon_status any_reading_line(text_dict *d, char kind, char *line, const char *path,
                                      long no, cordon_error *err)
{
    char *tab = strchr(line, '\t');
    if (tab)
        *tab++ = 0;
    if (!tab || !(kind == 'h' ? valid_reading(line, tab) : valid_cyrillic_reading(line, tab)))
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected %s<TAB>one Hangul syllable",
                       path, no,
                       kind == 'h' ? "one Han character" : "a lower-case Cyrillic syllable");
    if (!dict_add_reading(d, kind, line, tab))
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

static cordon_status reading_line(text_dict *d, char *line, const char *path, long no,
                                  cordon_error *err)
{
    return any_reading_line(d, 'h', line, path, no, err);
}

static cordon_status cyrillic_reading_line(text_dict *d, char *line, const char *path, long no,
                                           cordon_error *err)
{
    return any_reading_line(d, 'k', line, path, no, err);
}

text_dict *text_dict_load(const char *dir, cordon_error *err)
{
    text_dict *d = calloc(1, sizeof *d);
    if (!d) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    static const struct {
        const char *name;
        line_fn fn;
    } files[] = {{"name_variants.tsv", word_variants_line},
                 {"generic_words.txt", generic_line},
                 {"sector_words.txt", sector_line},
                 {"hangul_heads.txt", hangul_head_line},
                 {"phrases.tsv", phrase_variants_line},
                 {"numbers.tsv", phrase_variants_line},
                 {"han_company.tsv", han_company_line},
                 {"hanja.tsv", reading_line},
                 {"korean_cyrillic.tsv", cyrillic_reading_line},
                 {"japanese_names.tsv", japanese_line},
                 {"nicknames.tsv", nickname_line},
                 {"romanise.tsv", rom_line}};
    cordon_status st = CORDON_OK;
    for (size_t i = 0; i < ARRAY_LEN(files) && st == CORDON_OK; i++)
        st = read_lines(d, dir, files[i].name, files[i].fn, err);
    if (st != CORDON_OK) {
        text_dict_free(d);
        return NULL;
    }
    return d;
}
