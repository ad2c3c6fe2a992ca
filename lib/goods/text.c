/* text.c - how descriptions are read: words folded to one spelling ("fibre" = "fiber",
 * "oxidiser" = "oxidizer", "turbopumps" = "turbopump"), and the values a buyer states with
 * their units ("positioning accuracy 4 µm", "range over 350 km", "1,000 psi"). */
#include "goods.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>

/* ---- words --------------------------------------------------------------------------- */

/* British and American spellings of the same word; the lists are British, buyers are not. */
static const char *const spelling[][2] = {
    {"fibre", "fiber"},       {"aluminium", "aluminum"}, {"sulphur", "sulfur"},
    {"sulphide", "sulfide"},  {"sulphuric", "sulfuric"}, {"vapour", "vapor"},
    {"centre", "center"},     {"metre", "meter"},       {"litre", "liter"},
    {"colour", "color"},      {"analogue", "analog"},   {"modelling", "modeling"},
    {"armour", "armor"},      {"armoured", "armored"},  {"mould", "mold"},
    {"calibre", "caliber"},   {"programme", "program"}, {"catalogue", "catalog"},
    {"grey", "gray"},         {"tyre", "tire"},         {"behaviour", "behavior"},
    {"defence", "defense"},   {"licence", "license"},   {"jewellery", "jewelry"},
    {"travelling", "traveling"}, {"labelled", "labeled"}, {"axes", "axis"},
    {"co-ordinated", "coordinated"}, {"gramme", "gram"}, {"tonne", "ton"},
};

static bool ends_with(const char *w, size_t n, const char *suf)
{
    size_t k = strlen(suf);
    return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* "oxidiser" -> "oxidizer", "atomised" -> "atomized", "stabilisation" -> "stabilization". */
static void fold_ise(char *w, size_t n)
{
    static const char *const sufs[] = {"isers", "iser", "ised", "ising", "isation", "isations"};
    if (n < 7)
        return;
    for (size_t i = 0; i < ARRAY_LEN(sufs); i++) {
        size_t k = strlen(sufs[i]);
        if (ends_with(w, n, sufs[i])) {
            w[n - k + 1] = 'z';
            return;
        }
    }
}

static void fold_plural(char *w)
{
    size_t n = strlen(w);
    if (n <= 3 || isdigit((unsigned char)w[0]))
        return;
    if (ends_with(w, n, "ies") && n > 4) {
        strcpy(w + n - 3, "y");
    } else if (ends_with(w, n, "sses") || ends_with(w, n, "xes") || ends_with(w, n, "ches") ||
               ends_with(w, n, "shes")) {
        w[n - 2] = '\0';
    } else if (w[n - 1] == 's' && !ends_with(w, n, "ss") && !ends_with(w, n, "us") &&
               !ends_with(w, n, "is") && !ends_with(w, n, "os")) {
        w[n - 1] = '\0';
    }
}

void goods_fold_word(char *w)
{
    for (char *p = w; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    for (size_t i = 0; i < ARRAY_LEN(spelling); i++) {
        if (w[0] != spelling[i][0][0])
            continue; /* runs for every word of every entry text at load */
        size_t k = strlen(spelling[i][0]);
        if (strncmp(w, spelling[i][0], k) == 0 && (w[k] == '\0' || w[k] == 's')) {
            size_t rest = strlen(w + k);
            char tail[8];
            if (rest >= sizeof tail)
                break;
            memcpy(tail, w + k, rest + 1);
            snprintf(w, 32, "%s%s", spelling[i][1], tail);
            break;
        }
    }
    fold_ise(w, strlen(w));
    fold_plural(w);
}

/* Latin-1 letters to their ASCII base; micro signs to "u". 0 for anything else. */
static char fold_codepoint(uint32_t cp)
{
    static const char latin1[] = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo/ouuuuyty";
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0] == 'x' || latin1[cp - 0xC0] == '/' ? 0 : latin1[cp - 0xC0];
    if (cp == 0xB5 || cp == 0x3BC)
        return 'u';
    return 0;
}

static bool is_word_char(char c) { return isalnum((unsigned char)c); }

/* Reads one code point at s[i]; returns its ASCII fold (0 = separator) and advances *i. */
static char next_char(const char *s, size_t n, size_t *i)
{
    unsigned char c = (unsigned char)s[*i];
    if (c < 0x80) {
        (*i)++;
        return is_word_char((char)c) ? (char)c : 0;
    }
    uint32_t cp = 0;
    size_t l = utf8_decode(s + *i, n - *i, &cp);
    if (!l) {
        (*i)++;
        return 0;
    }
    *i += l;
    return fold_codepoint(cp);
}

static void finish_token(goods_token *t, int letters, int uppers, int digits, size_t len)
{
    t->norm[len] = '\0';
    t->upper = (uint8_t)(letters >= 2 && uppers == letters);
    t->number = (uint8_t)(digits == (int)len);
    if (!t->number)
        goods_fold_word(t->norm);
}

size_t goods_tokenize(const char *s, size_t n, goods_token *out, size_t cap)
{
    size_t nt = 0, i = 0;
    while (i < n && nt < cap) {
        size_t start = i;
        char c = next_char(s, n, &i);
        if (!c)
            continue;
        goods_token *t = &out[nt];
        memset(t, 0, sizeof *t);
        t->start = (uint32_t)start;
        size_t len = 0;
        int letters = 0, uppers = 0, digits = 0;
        for (;;) {
            if (len < sizeof t->norm - 1)
                t->norm[len++] = c;
            letters += isalpha((unsigned char)c) != 0;
            uppers += isupper((unsigned char)c) != 0;
            digits += isdigit((unsigned char)c) != 0;
            t->end = (uint32_t)i;
            if (i >= n)
                break;
            /* a decimal point between digits stays in the number: "0.9", "1.5" */
            if (s[i] == '.' && isdigit((unsigned char)c) && i + 1 < n &&
                isdigit((unsigned char)s[i + 1]) && len < sizeof t->norm - 2) {
                t->norm[len++] = '.';
                i++;
                c = s[i++];
                continue;
            }
            size_t save = i;
            c = next_char(s, n, &i);
            if (!c) {
                i = save;
                break;
            }
        }
        finish_token(t, letters, uppers, digits, len);
        nt++;
    }
    return nt;
}

/* ---- values and units ------------------------------------------------------------------- */

/* The text as lower-case ASCII for value scanning: µ -> u, ° -> deg, × -> x, ± -> +-, the
 * comparison signs ≤ ≥ -> <= >=. map[k] is the offset in the original of output byte k. */
static size_t value_text(const char *s, size_t n, char *out, char *orig, uint32_t *map,
                         size_t cap)
{
    size_t k = 0, i = 0;
    while (i < n && k + 4 < cap) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp = c;
        size_t l = 1;
        if (c >= 0x80) {
            l = utf8_decode(s + i, n - i, &cp);
            if (!l) {
                cp = ' ';
                l = 1;
            }
        }
        const char *rep = NULL;
        char one[2] = {0, 0};
        if (cp == 'o' && i > 0 && isdigit((unsigned char)s[i - 1]) &&
            (i + 1 == n || !isalnum((unsigned char)s[i + 1])))
            rep = "deg"; /* the EU texts write degrees "20o/s", "0,02o" */
        else if (cp < 0x80)
            one[0] = (char)cp, rep = one;
        else if (cp == 0xB5 || cp == 0x3BC)
            rep = "u";
        else if (cp == 0xB0 || cp == 0xBA)
            rep = "deg";
        else if (cp == 0xD7)
            rep = "x";
        else if (cp == 0xB7 || cp == 0x22C5)
            rep = "."; /* a product of units, "N·s", "g·mm/kg", reads as the "N.s" form */
        else if (cp == 0xB1)
            rep = "+-";
        else if (cp == 0x2264)
            rep = "<=";
        else if (cp == 0x2265)
            rep = ">=";
        else if (cp == 0xB2)
            rep = "2";
        else if (cp == 0xB3)
            rep = "3";
        else if (cp == 0x2212 || cp == 0x2013 || cp == 0x2014)
            rep = "-";
        else if (cp == 0xA0 || cp == 0x2009 || cp == 0x202F)
            rep = " ";
        else if (fold_codepoint(cp))
            one[0] = fold_codepoint(cp), rep = one;
        else
            rep = " ";
        for (const char *r = rep; *r && k + 1 < cap; r++) {
            map[k] = (uint32_t)i;
            orig[k] = *r;
            out[k++] = (char)tolower((unsigned char)*r);
        }
        i += l;
    }
    out[k] = orig[k] = '\0';
    map[k] = (uint32_t)n;
    return k;
}

/* Reads "1,250", "0.9", "1.1 x 10^6", "2e5" at p; returns the end or NULL. */
static const char *read_number(const char *p, double *v)
{
    char num[64];
    size_t k = 0;
    const char *q = p;
    if (*q == '-' || *q == '+')
        num[k++] = *q++;
    if (!isdigit((unsigned char)*q))
        return NULL;
    while (k < sizeof num - 1 &&
           (isdigit((unsigned char)*q) || ((*q == ',' || *q == '.') &&
                                            isdigit((unsigned char)q[1])))) {
        if (*q == ',') {
            /* "1,250" is a thousands separator; "0,9" a decimal comma */
            const char *d = q + 1;
            size_t nd = 0;
            while (isdigit((unsigned char)d[nd]))
                nd++;
            if (nd != 3)
                num[k++] = '.';
            q++;
            continue;
        }
        num[k++] = *q++;
    }
    num[k] = '\0';
    *v = strtod(num, NULL);
    /* " x 10^6", "x10-6", "e6" */
    const char *e = q;
    while (*e == ' ')
        e++;
    if ((*e == 'x' || *e == '*') && e[1] != '\0') {
        const char *f = e + 1;
        while (*f == ' ')
            f++;
        if (f[0] == '1' && f[1] == '0') {
            f += 2;
            if (*f == '^')
                f++;
            char *end;
            long ex = strtol(f, &end, 10);
            if (end != f && labs(ex) < 40) {
                *v *= pow(10.0, (double)ex);
                return end;
            }
        }
    } else if (*e == 'e' && (isdigit((unsigned char)e[1]) || e[1] == '-') && e == q) {
        char *end;
        long ex = strtol(e + 1, &end, 10);
        if (end != e + 1 && labs(ex) < 40 && !isalpha((unsigned char)*end)) {
            *v *= pow(10.0, (double)ex);
            return end;
        }
    }
    return q;
}

/* The longest unit surface form at p (orig: the same place in the original case), followed
 * by a non-letter. Surfaces whose case matters ("Ns", "MW", "mW") are tried first. */
static const goods_unit *read_unit(const cordon_goods *g, const char *p, const char *orig,
                                   const char **end)
{
    size_t minl = 1;
    if (*p == '-' && isalpha((unsigned char)p[1])) {
        p++; /* "12-bit", "40-kW": a unit of two letters or more, not "1-a" */
        orig++;
        minl = 2;
    }
    while (*p == ' ') {
        p++;
        orig++;
    }
    size_t maxl = g->max_unit_len;
    for (size_t l = maxl; l >= minl; l--) {
        if (strnlen(p, l) < l)
            continue;
        if (isalpha((unsigned char)p[l - 1]) && isalpha((unsigned char)p[l]))
            continue;
        if (isdigit((unsigned char)p[l - 1]) && isdigit((unsigned char)p[l]))
            continue;
        /* "40 deg/s2" is not "deg/s", nor "5 m2" metres: a power makes another unit */
        if (isalpha((unsigned char)p[l - 1]) && (p[l] == '2' || p[l] == '3') &&
            !isalnum((unsigned char)p[l + 1]))
            continue;
        /* "2000 l/s" is not litres: a unit divided by another the vocabulary lacks */
        if (p[l] == '/' && isalnum((unsigned char)p[l + 1]))
            continue;
        uint32_t idx;
        if (smap_get(&g->unit_surface_cs, orig, l, &idx) ||
            smap_get(&g->unit_surface, p, l, &idx)) {
            *end = p + l;
            return &g->units[idx];
        }
    }
    return NULL;
}

typedef struct cmp_word {
    const char *w;
    uint8_t cmp;
} cmp_word;

/* Words a buyer bounds a value with, longest first. */
static const cmp_word cmp_words[] = {
    {"better than", CMP_LT},     {"less than", CMP_LT},      {"lower than", CMP_LT},
    {"not more than", CMP_LE},   {"not exceeding", CMP_LE},  {"up to", CMP_LE},
    {"maximum", CMP_LE},         {"max.", CMP_LE},           {"max", CMP_LE},
    {"below", CMP_LT},           {"under", CMP_LT},          {"within", CMP_LE},
    {"<=", CMP_LE},              {"<", CMP_LT},              {"more than", CMP_GT},
    {"greater than", CMP_GT},    {"higher than", CMP_GT},    {"exceeding", CMP_GT},
    {"in excess of", CMP_GT},    {"at least", CMP_GE},       {"minimum", CMP_GE},
    {"min.", CMP_GE},            {"min", CMP_GE},            {"over", CMP_GT},
    {"above", CMP_GT},           {">=", CMP_GE},             {">", CMP_GT},
};

static bool word_end_at(const char *base, const char *p, const char *w, const char **start)
{
    size_t l = strlen(w);
    if ((size_t)(p - base) < l || memcmp(p - l, w, l) != 0)
        return false;
    const char *s = p - l;
    if (s > base && isalnum((unsigned char)s[-1]) && isalnum((unsigned char)w[0]))
        return false;
    *start = s;
    return true;
}

static const char *skip_back_space(const char *base, const char *p)
{
    while (p > base && (p[-1] == ' ' || p[-1] == ':' || p[-1] == '=' || p[-1] == '~'))
        p--;
    return p;
}

/* The comparator before the value, if any; moves *p before it. */
static uint8_t comparator_before(const char *base, const char **p)
{
    const char *q = skip_back_space(base, *p);
    if (q > base + 1 && q[-1] == '-' && q[-2] == '+') { /* "±2 µm" */
        *p = q - 2;
        return 255;
    }
    for (size_t i = 0; i < ARRAY_LEN(cmp_words); i++) {
        const char *s;
        if (word_end_at(base, q, cmp_words[i].w, &s)) {
            *p = s;
            return cmp_words[i].cmp;
        }
    }
    return 255;
}

/* Up to 4 words before p in the same clause, normalised, into out. */
static void words_before(const char *base, const char *p, char *out, size_t cap)
{
    const char *q = skip_back_space(base, p);
    const char *stop = q;
    int words = 0;
    while (stop > base && words < 4) {
        const char *w = stop;
        while (w > base && w[-1] == ' ')
            w--;
        const char *e = w;
        while (w > base && (isalpha((unsigned char)w[-1]) || w[-1] == '-'))
            w--;
        if (w == e)
            break;
        stop = w;
        words++;
    }
    size_t k = 0;
    for (const char *r = stop; r < q && k + 1 < cap; r++)
        out[k++] = (*r == '-') ? ' ' : *r;
    out[k] = '\0';
}

/* The longest known quantity phrase ending the words: "x positioning accuracy" -> entry. */
static const goods_quantity *quantity_of(const cordon_goods *g, const char *words)
{
    char copy[64], tmp[64];
    snprintf(copy, sizeof copy, "%s", words);
    /* fold each word the way the vocabulary was folded */
    char folded[64] = "";
    size_t fk = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        snprintf(tmp, sizeof tmp, "%s", w);
        goods_fold_word(tmp);
        int n = snprintf(folded + fk, sizeof folded - fk, "%s%s", fk ? " " : "", tmp);
        if (n < 0 || (size_t)n >= sizeof folded - fk)
            break;
        fk += (size_t)n;
    }
    for (const char *p = folded; *p;) {
        uint32_t idx;
        if (smap_get(&g->quantity_index, p, strlen(p), &idx))
            return &g->quantities[idx];
        const char *sp = strchr(p, ' ');
        if (!sp)
            break;
        p = sp + 1;
    }
    return NULL;
}

static const goods_quantity *quantity_after(const cordon_goods *g, const char *p, char *words,
                                            size_t cap)
{
    while (*p == ' ')
        p++;
    size_t k = 0;
    int n = 0;
    while (*p && n < 2 && k + 1 < cap) {
        if (!isalpha((unsigned char)*p))
            break;
        while (isalpha((unsigned char)*p) && k + 1 < cap)
            words[k++] = *p++;
        n++;
        words[k] = '\0';
        char tmp[64];
        snprintf(tmp, sizeof tmp, "%s", words);
        const goods_quantity *q = quantity_of(g, tmp);
        if (q)
            return q;
        if (*p == ' ' && k + 1 < cap)
            words[k++] = *p++;
    }
    words[0] = '\0';
    return NULL;
}

/* Where the range the number at p ends begins ("0-100", "8 - 12", "-50 to +150", "-70 bis
 * +150"): the first number, or NULL when p does not end a range. */
static const char *range_start(const char *base, const char *p)
{
    static const char *const joins[] = {"-", "to", "bis", "a", "..", "~"};
    const char *q = p;
    if (q > base && q[-1] == '+')
        q--;
    while (q > base && q[-1] == ' ')
        q--;
    for (size_t i = 0; i < ARRAY_LEN(joins); i++) {
        size_t l = strlen(joins[i]);
        if ((size_t)(q - base) <= l || memcmp(q - l, joins[i], l) != 0)
            continue;
        const char *r = q - l;
        if (isalpha((unsigned char)joins[i][0]) && isalpha((unsigned char)r[-1]))
            continue;
        while (r > base && r[-1] == ' ')
            r--;
        if (!(r > base && isdigit((unsigned char)r[-1])))
            continue;
        while (r > base && (isdigit((unsigned char)r[-1]) ||
                            ((r[-1] == '.' || r[-1] == ',') && r - 1 > base &&
                             isdigit((unsigned char)r[-2]))))
            r--;
        if (r > base && r[-1] == '-' && (r - 1 == base || !isalnum((unsigned char)r[-2])))
            r--; /* "-50 to +150" */
        if (r > base && isalpha((unsigned char)r[-1]))
            return NULL; /* "DN25-50", "M8-1.25": a name, not a range */
        return r;
    }
    return NULL;
}

/* "5 min. order", "10 min qty": "min" after a number abbreviates "minimum" (of what follows),
 * not minutes. p is just after the unit. */
static bool min_is_minimum(const char *p)
{
    static const char *const what[] = {"order", "ord", "qty", "quantity", "quantities", "purchase",
                                       "lot", "moq", "pcs", "pieces", "units", "batch", "sale",
                                       "buy", "carton", "cartons", "pack", "packs"};
    if (*p == '.')
        p++;
    while (*p == ' ')
        p++;
    for (size_t i = 0; i < ARRAY_LEN(what); i++) {
        size_t l = strlen(what[i]);
        if (strncmp(p, what[i], l) == 0 && !isalpha((unsigned char)p[l]))
            return true;
    }
    return false;
}

/* Where the words before a value end in "diameter" ("dia", "diam"): the length of the words
 * before it, with their space ("photocathode "), or 0. */
static size_t ends_with_diameter(const char *q)
{
    size_t n = strlen(q);
    while (n && (q[n - 1] == ' ' || q[n - 1] == '.'))
        n--;
    static const char *const w[] = {"diameter", "dia", "diam"};
    for (size_t i = 0; i < sizeof w / sizeof *w; i++) {
        size_t k = strlen(w[i]);
        if (n > k && strncmp(q + n - k, w[i], k) == 0 && q[n - k - 1] == ' ')
            return n - k;
    }
    return 0;
}

size_t goods_find_values(const cordon_goods *g, const char *s, size_t n, goods_value *out,
                         size_t cap)
{
    if (n > GOODS_MAX_TEXT)
        n = GOODS_MAX_TEXT;
    size_t bufcap = n * 3 + 8;
    char *t = malloc(bufcap), *orig = malloc(bufcap);
    uint32_t *map = malloc(bufcap * sizeof *map);
    if (!t || !orig || !map) {
        free(t);
        free(orig);
        free(map);
        return 0;
    }
    value_text(s, n, t, orig, map, bufcap);
    size_t nv = 0;
    for (const char *p = t; *p && nv < cap;) {
        bool starts = isdigit((unsigned char)*p) &&
                      (p == t || !isalnum((unsigned char)p[-1]) || p[-1] == 'x');
        if (!starts || (p > t && (p[-1] == '.' || p[-1] == ','))) {
            p++;
            continue;
        }
        double v;
        const char *e = read_number(p, &v);
        const char *ue = NULL;
        const goods_unit *u = e ? read_unit(g, e, orig + (e - t), &ue) : NULL;
        if (u && strcmp(u->canon, "min") == 0 && min_is_minimum(ue))
            u = NULL;
        if (!u) {
            p = e && e > p ? e : p + 1;
            continue;
        }
        goods_value *gv = &out[nv];
        memset(gv, 0, sizeof *gv);
        gv->value = v;
        gv->unit = u;
        const char *before = p, *lower = range_start(t, p);
        double low = 0;
        if (lower) /* the quantity and the buyer's bound are written before the range */
            before = lower;
        gv->cmp = comparator_before(t, &before);
        if (lower && gv->cmp == 255)
            gv->cmp = CMP_LE; /* "0-100 torr", "-50 to +150 °C": the item spans up to it */
        words_before(t, before, gv->quantity, sizeof gv->quantity);
        gv->q = quantity_of(g, gv->quantity);
        if (!gv->q) {
            char after[64];
            const goods_quantity *qa = quantity_after(g, ue, after, sizeof after);
            if (qa) {
                gv->q = qa;
                snprintf(gv->quantity, sizeof gv->quantity, "%s", after);
            }
        }
        if (!gv->q && u->default_q) /* "1550 nm" after a laser: its wavelength */
            gv->q = &g->quantities[u->default_q - 1];
        gv->start = map[before - t];
        gv->end = map[ue - t];
        nv++;
        /* "photocathode dia 25 mm": a circle's diameter also states its area, where the
         * vocabulary knows that area by name ("photocathode area greater than 20 cm2") */
        uint32_t ai;
        size_t dl = ends_with_diameter(gv->quantity);
        if (dl && strcmp(u->dim, "length") == 0 && nv < cap &&
            smap_get(&g->unit_canon, "m2", 2, &ai)) {
            char aq[sizeof gv->quantity + 8];
            snprintf(aq, sizeof aq, "%.*sarea", (int)dl, gv->quantity);
            const goods_quantity *qa = quantity_of(g, aq);
            if (qa) {
                double d = v * u->factor;
                out[nv] = *gv;
                out[nv].value = 3.14159265358979 * d * d / 4;
                out[nv].unit = &g->units[ai];
                out[nv].q = qa;
                snprintf(out[nv].quantity, sizeof out[nv].quantity, "%s", qa->phrase);
                nv++;
            }
        }
        /* "particle size 80-150 µm": the item is also at least its lower end, which can miss
         * "50 µm or less" where the upper end leaves room; a range from 0 is a span */
        if (lower && gv->cmp == CMP_LE && read_number(lower, &low) && low > 0 && low < v &&
            nv < cap) {
            out[nv] = *gv;
            out[nv].value = low;
            out[nv].cmp = CMP_GE;
            out[nv].low_end = 1;
            nv++;
        }
        p = ue;
    }
    free(t);
    free(orig);
    free(map);
    return nv;
}

bool goods_convert(double v, const goods_unit *from, const goods_unit *to, double *out)
{
    if (!from || !to || strcmp(from->dim, to->dim) != 0)
        return false;
    if (strcmp(from->dim, "temperature") == 0) {
        double k = v;
        if (strcmp(from->canon, "C") == 0)
            k = v + 273.15;
        else if (strcmp(from->canon, "F") == 0)
            k = (v - 32.0) * 5.0 / 9.0 + 273.15;
        if (strcmp(to->canon, "C") == 0)
            *out = k - 273.15;
        else if (strcmp(to->canon, "F") == 0)
            *out = (k - 273.15) * 9.0 / 5.0 + 32.0;
        else
            *out = k;
        return true;
    }
    *out = v * from->factor / to->factor;
    return true;
}
