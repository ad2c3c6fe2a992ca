/* load.c - reads data/controls (see its README) into memory: the lists (JSON lines), HS 2022
 * (TSV), the DPRK bans, the vocabulary and the chemical names, and compiles the term automaton.
 * Every error names the file and the line. */
#include "goods.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

const goods_regime_info goods_regimes[REG_COUNT] = {
    {"mtcr", "mtcr", "mtcr.jsonl", "MTCR Annex"},
    {"nsg_part1", "nsg1", "nsg_part1.jsonl", "NSG Part 1 (trigger list)"},
    {"nsg_part2", "nsg2", "nsg_part2.jsonl", "NSG Part 2 (dual-use list)"},
    {"cwc", "cwc", "cwc_schedules.jsonl", "CWC Schedules"},
    {"wassenaar", "wa", "wassenaar.jsonl", "Wassenaar Arrangement lists"},
    {"eu_dual_use", "eu", "eu_dual_use.jsonl", "EU dual-use list (Regulation 2021/821 Annex I)"},
};

/* Growable arrays while loading, moved into the arena-free malloc'd tables at the end. */
typedef struct loader {
    cordon_goods *g;
    cordon_error *err;
    char path[1200];
    vec entries, thresholds, units, quantities, patterns, cas, hs, hsmap, bans;
    vec alias_to;   /* const char *, alias number -> the lists' words */
    vec symbol_to;  /* const char *, symbol number -> the element's name */
    vec pat_tokens; /* uint32_t token ids, patterns point into a copy */
    vec targets;    /* uint32_t, patterns and hsmap point into a copy */
    vec pat_tok_start, hsmap_tgt_start, pat_tgt_start; /* uint32_t offsets */
    uint8_t regime; /* the list being read */
} loader;

static const char *dup(loader *L, const char *s)
{
    return arena_strdup(L->g->arena, s ? s : "");
}

static cordon_status oom(loader *L)
{
    return err_set(L->err, CORDON_ERR_NOMEM, "%s: out of memory", L->path);
}

/* ---- line readers ---------------------------------------------------------------------- */

typedef cordon_status (*line_fn)(loader *L, char *line, size_t len, long lineno);

static cordon_status read_lines(loader *L, const char *name, line_fn fn)
{
    snprintf(L->path, sizeof L->path, "%s/%s", L->g->dir, name);
    char *data = NULL;
    size_t len = 0;
    cordon_status st = file_read_all(L->path, GOODS_MAX_FILE, &data, &len, L->err);
    if (st != CORDON_OK)
        return st;
    if (len == 0) {
        free(data);
        return err_set(L->err, CORDON_ERR_PARSE, "%s: empty file", L->path);
    }
    long lineno = 0;
    size_t used = 0;
    char *p = data, *end = data + len;
    while (p < end && st == CORDON_OK) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        lineno++;
        if (l && p[l - 1] == '\r')
            l--;
        size_t bad;
        if (l > GOODS_MAX_LINE)
            st = err_set(L->err, CORDON_ERR_LIMIT, "%s:%ld: line longer than %zu bytes", L->path,
                         lineno, GOODS_MAX_LINE);
        else if (memchr(p, '\0', l))
            st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: NUL byte (binary file?)", L->path,
                         lineno);
        else if (!utf8_valid(p, l, &bad))
            st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: invalid UTF-8 at byte %zu", L->path,
                         lineno, bad + 1);
        else if (l && p[0] != '#') {
            p[l] = '\0';
            st = fn(L, p, l, lineno);
            used++;
        }
        p = nl ? nl + 1 : end;
    }
    free(data);
    if (st == CORDON_OK && used == 0)
        st = err_set(L->err, CORDON_ERR_PARSE, "%s: no records", L->path);
    return st;
}

/* Splits a TSV line in place; returns the number of fields. */
static size_t split_tabs(char *line, char **f, size_t cap)
{
    size_t n = 0;
    f[n++] = line;
    for (char *p = line; *p && n < cap; p++)
        if (*p == '\t') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n;
}

static cordon_status need_fields(loader *L, size_t got, size_t want, long lineno)
{
    if (got != want)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: %zu fields, expected %zu", L->path,
                       lineno, got, want);
    return CORDON_OK;
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* ---- vocabulary: units and quantities (before the lists, whose thresholds use units) --- */

static uint32_t unit_index(loader *L, const char *canon, const char *dim, double factor)
{
    uint32_t idx;
    if (smap_get(&L->g->unit_canon, canon, strlen(canon), &idx))
        return idx;
    goods_unit *u = vec_push(&L->units);
    if (!u)
        return UINT32_MAX;
    u->canon = dup(L, canon);
    u->dim = dup(L, dim);
    u->factor = factor;
    idx = (uint32_t)(L->units.len - 1);
    if (!smap_put(&L->g->unit_canon, u->canon, idx))
        return UINT32_MAX;
    return idx;
}

/* The surface form as the value scanner sees it ("µm" -> "um", "°c" -> "degc"). */
static void unit_key(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 4 < cap;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, strlen(s + i), &cp);
        if (!l)
            break;
        i += l;
        if (cp == 0xB5 || cp == 0x3BC) {
            out[k++] = 'u';
        } else if (cp == 0xB0 || cp == 0xBA) {
            memcpy(out + k, "deg", 3);
            k += 3;
        } else if (cp == 0xB2) {
            out[k++] = '2';
        } else if (cp == 0xB3) {
            out[k++] = '3';
        } else if (cp == 0xB7) {
            out[k++] = '.';
        } else if (cp < 0x80) {
            out[k++] = (char)cp;
        }
    }
    out[k] = '\0';
}

static cordon_status vocab_unit(loader *L, char **f, long lineno)
{
    double factor;
    if (!parse_double(f[3], &factor) || factor <= 0)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: bad unit factor %s", L->path, lineno,
                       f[3]);
    uint32_t idx = unit_index(L, f[2], f[4][0] ? f[4] : "other", factor);
    if (idx == UINT32_MAX)
        return oom(L);
    char key[64];
    unit_key(f[1], key, sizeof key);
    bool has_upper = false;
    for (const char *p = key; *p; p++)
        has_upper |= (*p >= 'A' && *p <= 'Z');
    const char *k = dup(L, key);
    smap *m = has_upper ? &L->g->unit_surface_cs : &L->g->unit_surface;
    if (!k || !smap_put(m, k, idx))
        return oom(L);
    if (strlen(key) > L->g->max_unit_len)
        L->g->max_unit_len = strlen(key);
    return CORDON_OK;
}

/* Folds each word of a phrase the way descriptions are folded. */
static void fold_phrase(const char *in, char *out, size_t cap)
{
    goods_token tok[GOODS_MAX_PATTERN_TOKENS];
    size_t n = goods_tokenize(in, strlen(in), tok, GOODS_MAX_PATTERN_TOKENS);
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        int w = snprintf(out + k, cap - k, "%s%s", i ? " " : "", tok[i].norm);
        if (w < 0 || (size_t)w >= cap - k)
            break;
        k += (size_t)w;
    }
}

static cordon_status vocab_quantity(loader *L, char **f, long lineno)
{
    goods_quantity *q = vec_push(&L->quantities);
    if (!q)
        return oom(L);
    char phrase[128];
    fold_phrase(f[1], phrase, sizeof phrase);
    if (!phrase[0])
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: empty quantity", L->path, lineno);
    q->phrase = dup(L, phrase);
    size_t n = 1;
    for (const char *p = f[2]; *p; p++)
        n += *p == ';';
    const char **words = arena_alloc(L->g->arena, n * sizeof *words);
    if (!q->phrase || !words)
        return oom(L);
    char *save = NULL, *copy = arena_strdup(L->g->arena, f[2]);
    if (!copy)
        return oom(L);
    size_t k = 0;
    for (char *w = strtok_r(copy, ";", &save); w && k < n; w = strtok_r(NULL, ";", &save))
        words[k++] = w;
    q->words = words;
    q->n_words = k;
    return CORDON_OK;
}

/* "unitq nm wavelength": a value in that unit the buyer does not name is that quantity. */
static cordon_status vocab_unit_quantity(loader *L, char **f, long lineno)
{
    uint32_t ui;
    if (!smap_get(&L->g->unit_canon, f[1], strlen(f[1]), &ui))
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: unitq: unit \"%s\" is not defined "
                       "above", L->path, lineno, f[1]);
    char *qf[5] = {f[0], "unit default", f[2], f[3], f[4]}; /* the unit is no phrase ("%") */
    cordon_status st = vocab_quantity(L, qf, lineno);
    if (st != CORDON_OK)
        return st;
    goods_quantity *q = &VEC_AT(&L->quantities, goods_quantity, L->quantities.len - 1);
    q->unit_only = 1;
    q->phrase = q->n_words ? q->words[0] : q->phrase;
    VEC_AT(&L->units, goods_unit, ui).default_q = (uint32_t)L->quantities.len;
    return CORDON_OK;
}

/* "alias  hastelloy  nickel": one word of the buyer's to words of the lists. */
static cordon_status vocab_alias(loader *L, char **f, long lineno)
{
    goods_token tok[2];
    if (goods_tokenize(f[1], strlen(f[1]), tok, 2) != 1 || !f[2][0])
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: alias needs one word and the lists' "
                       "words", L->path, lineno);
    const char *key = dup(L, tok[0].norm), *to = dup(L, f[2]);
    const char **slot = vec_push(&L->alias_to);
    if (!key || !to || !slot)
        return oom(L);
    *slot = to;
    if (!smap_put(&L->g->alias_index, key, (uint32_t)(L->alias_to.len - 1)))
        return oom(L);
    return CORDON_OK;
}

/* "symbol  Zr  zirconium  1  any": an element symbol, matched as written, read as the
 * element's name; note "isotope" reads it only before a mass number ("He-3", "Li 6"). */
static cordon_status vocab_symbol(loader *L, char **f, long lineno)
{
    goods_token tok[2];
    size_t ls = strlen(f[1]);
    if (ls == 0 || ls > 3 || goods_tokenize(f[2], strlen(f[2]), tok, 2) != 1)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: symbol needs a symbol and one word",
                       L->path, lineno);
    const char *to = dup(L, tok[0].norm), *key = dup(L, f[1]);
    const char **slot = vec_push(&L->symbol_to);
    if (!to || !key || !slot)
        return oom(L);
    *slot = to;
    uint32_t v = (uint32_t)(L->symbol_to.len - 1);
    if (strcmp(f[4], "isotope") == 0)
        v |= 0x80000000u;
    if (!smap_put(&L->g->symbol_index, key, v))
        return oom(L);
    return CORDON_OK;
}

static cordon_status vocab_first_pass(loader *L, char *line, size_t len, long lineno)
{
    (void)len;
    char *f[8];
    size_t nf = split_tabs(line, f, 8);
    cordon_status st = need_fields(L, nf, 5, lineno);
    if (st != CORDON_OK)
        return st;
    if (strcmp(f[0], "kind") == 0)
        return CORDON_OK; /* header */
    if (strcmp(f[0], "unit") == 0)
        return vocab_unit(L, f, lineno);
    if (strcmp(f[0], "quantity") == 0)
        return vocab_quantity(L, f, lineno);
    if (strcmp(f[0], "unitq") == 0)
        return vocab_unit_quantity(L, f, lineno);
    if (strcmp(f[0], "alias") == 0)
        return vocab_alias(L, f, lineno);
    if (strcmp(f[0], "symbol") == 0)
        return vocab_symbol(L, f, lineno);
    static const char *const kinds[] = {"term", "abbr", "neg", "hs", "hsterm", "chem", "note"};
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (strcmp(f[0], kinds[i]) == 0)
            return CORDON_OK;
    return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: unknown kind \"%s\"", L->path, lineno,
                   f[0]);
}

/* ---- the lists ------------------------------------------------------------------------- */

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int cmp_of(const char *s)
{
    static const char *const names[] = {"<", "<=", ">", ">=", "between"};
    for (size_t i = 0; i < ARRAY_LEN(names); i++)
        if (strcmp(s, names[i]) == 0)
            return (int)i;
    return -1;
}

static cordon_status load_thresholds(loader *L, json_t *arr, uint32_t *first, uint32_t *count,
                                     long lineno)
{
    *first = (uint32_t)L->thresholds.len;
    size_t i;
    json_t *t;
    json_array_foreach(arr, i, t) {
        const char *q = jstr(t, "quantity"), *c = jstr(t, "cmp"), *u = jstr(t, "unit");
        json_t *v = json_object_get(t, "value");
        if (!q || !c || !u || !json_is_number(v) || cmp_of(c) < 0)
            return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: thresholds[%zu]: needs quantity, "
                           "cmp, value, unit", L->path, lineno, i);
        goods_threshold *th = vec_push(&L->thresholds);
        if (!th)
            return oom(L);
        th->quantity = dup(L, q);
        th->text = dup(L, jstr(t, "text"));
        th->value = json_number_value(v);
        json_t *vm = json_object_get(t, "value_max");
        th->value_max = json_is_number(vm) ? json_number_value(vm) : th->value;
        th->cmp = (uint8_t)cmp_of(c);
        const char *kind = jstr(t, "kind");
        th->kind = kind ? dup(L, kind) : NULL;
        const char *open = jstr(t, "open"); /* "min", "max", "both": ends not included */
        if (open) {
            th->min_open = strcmp(open, "min") == 0 || strcmp(open, "both") == 0;
            th->max_open = strcmp(open, "max") == 0 || strcmp(open, "both") == 0;
        }
        if (u[0]) {
            uint32_t ui;
            if (!smap_get(&L->g->unit_canon, u, strlen(u), &ui))
                return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: unit \"%s\" is not in "
                               "vocabulary.tsv", L->path, lineno, u);
            th->unit = (const goods_unit *)(uintptr_t)(ui + 1); /* fixed up after loading */
        }
    }
    *count = (uint32_t)(L->thresholds.len - *first);
    return CORDON_OK;
}

static cordon_status add_cas(loader *L, const char *cas, uint32_t entry, int exempt)
{
    goods_cas *c = vec_push(&L->cas);
    if (!c)
        return oom(L);
    c->cas = dup(L, cas);
    c->entry = entry;
    c->exempt = (uint8_t)exempt;
    return c->cas ? CORDON_OK : oom(L);
}

static cordon_status entry_cas(loader *L, json_t *o, uint32_t idx, long lineno)
{
    json_t *arr = json_object_get(o, "cas"), *v;
    size_t i;
    if (arr && !json_is_array(arr))
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: cas is not an array", L->path, lineno);
    json_array_foreach(arr, i, v) {
        if (!json_is_string(v))
            return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: cas[%zu] is not a string",
                           L->path, lineno, i);
        cordon_status st = add_cas(L, json_string_value(v), idx, 0);
        if (st != CORDON_OK)
            return st;
    }
    arr = json_object_get(o, "exempt_cas");
    json_array_foreach(arr, i, v) {
        if (json_is_string(v)) {
            cordon_status st = add_cas(L, json_string_value(v), idx, 1);
            if (st != CORDON_OK)
                return st;
        }
    }
    return CORDON_OK;
}

static bool is_selectable(const char *kind, uint8_t regime)
{
    if (strcmp(kind, "entry") == 0 || strcmp(kind, "sub") == 0 || strcmp(kind, "section") == 0)
        return true;
    return regime == REG_CWC && strcmp(kind, "item") == 0;
}

/* "having both of the following": the sub-entries are conditions that must all hold, not
 * kinds of item. */
static bool joint_conditions(const goods_entry *e)
{
    static const char *const words[] = {"all of the following", "both of the following",
                                        "all the following", "each of the following"};
    for (size_t i = 0; e->text && i < ARRAY_LEN(words); i++)
        if (str_icontains(e->text, words[i]))
            return true;
    return false;
}

/* Joint conditions, or "output wavelength less than 150 nm and output power exceeding 1 W":
 * two thresholds of different quantities that must both hold. */
static bool conjunction(const cordon_goods *g, const goods_entry *e)
{
    if (e->conditions)
        return true;
    if (e->n_thresholds < 2 || !e->text || !str_icontains(e->text, " and "))
        return false;
    const goods_threshold *t = &g->thresholds[e->first_threshold];
    for (uint32_t k = 1; k < e->n_thresholds; k++)
        if (t[k].quantity && t[0].quantity && strcmp(t[k].quantity, t[0].quantity) != 0)
            return true;
    return false;
}

static cordon_status list_line(loader *L, char *line, size_t len, long lineno)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: invalid JSON: %s", L->path, lineno,
                       o ? "not an object" : jerr.text);
    }
    cordon_goods *g = L->g;
    const char *regime = jstr(o, "regime"), *code = jstr(o, "code"), *kind = jstr(o, "kind");
    json_t *th = json_object_get(o, "thresholds");
    cordon_status st = CORDON_OK;
    if (!regime || !code || !code[0] || !kind || (th && !json_is_array(th))) {
        st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: record needs regime, code and kind",
                     L->path, lineno);
    } else if (strcmp(regime, goods_regimes[L->regime].id) != 0) {
        st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: regime \"%s\" in a file of \"%s\"",
                     L->path, lineno, regime, goods_regimes[L->regime].id);
    } else {
        goods_entry *e = vec_push(&L->entries);
        if (!e) {
            json_decref(o);
            return oom(L);
        }
        uint32_t idx = (uint32_t)(L->entries.len - 1);
        e->regime = L->regime;
        e->code = dup(L, code);
        e->title = dup(L, jstr(o, "title"));
        e->text = dup(L, jstr(o, "text"));
        e->heading = dup(L, jstr(o, "heading"));
        e->file = dup(L, jstr(o, "source"));
        json_t *ln = json_object_get(o, "line");
        e->line = json_is_integer(ln) ? (uint32_t)json_integer_value(ln) : 0;
        const char *status = jstr(o, "status");
        e->status = status ? dup(L, status) : NULL;
        const char *list = jstr(o, "list");
        e->munitions = list && strcmp(list, "munitions") == 0;
        e->selectable = is_selectable(kind, L->regime) && !status;
        e->parent = -1;
        e->first_child = e->next_sibling = -1;
        /* parent code kept in heading slot until linking: stored separately */
        const char *parent = jstr(o, "parent");
        e->parent = parent && parent[0] ? (int32_t)-2 : -1;
        char *key = arena_printf(g->arena, "%s:%s", goods_regimes[L->regime].prefix, code);
        if (!e->code || !key || !smap_put(&g->entry_index, key, idx)) {
            json_decref(o);
            return oom(L);
        }
        if (e->parent == -2) {
            char *pk = arena_printf(g->arena, "%s:%s", goods_regimes[L->regime].prefix, parent);
            uint32_t pi;
            if (!pk || !smap_get(&g->entry_index, pk, strlen(pk), &pi))
                st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: parent \"%s\" of %s not found "
                             "before it", L->path, lineno, parent, code);
            else
                e->parent = (int32_t)pi;
        }
        if (st == CORDON_OK && th)
            st = load_thresholds(L, th, &e->first_threshold, &e->n_thresholds, lineno);
        json_t *ex = json_object_get(o, "exclusions");
        if (st == CORDON_OK && ex && !json_is_array(ex))
            st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: exclusions is not an array", L->path,
                         lineno);
        if (st == CORDON_OK && ex)
            st = load_thresholds(L, ex, &e->first_exclusion, &e->n_exclusions, lineno);
        if (st == CORDON_OK)
            st = entry_cas(L, o, idx, lineno);
        if (st == CORDON_OK && !g->document[L->regime]) {
            g->document[L->regime] = dup(L, jstr(o, "document"));
            g->edition[L->regime] = dup(L, jstr(o, "edition"));
        }
    }
    json_decref(o);
    return st;
}

/* ---- HS 2022 --------------------------------------------------------------------------- */

static cordon_status hs_line(loader *L, char *line, size_t len, long lineno)
{
    (void)len;
    char *f[8];
    size_t nf = split_tabs(line, f, 8);
    cordon_status st = need_fields(L, nf, 7, lineno);
    if (st != CORDON_OK)
        return st;
    if (strcmp(f[0], "code") == 0)
        return CORDON_OK;
    size_t cl = strlen(f[0]);
    if (cl != 2 && cl != 4 && cl != 6)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: bad HS code \"%s\"", L->path, lineno,
                       f[0]);
    for (const char *p = f[0]; *p; p++)
        if (*p < '0' || *p > '9')
            return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: bad HS code \"%s\"", L->path,
                           lineno, f[0]);
    goods_hs *h = vec_push(&L->hs);
    if (!h)
        return oom(L);
    h->code = dup(L, f[0]);
    h->parent = dup(L, f[1]);
    h->chapter = dup(L, f[3]);
    h->section = dup(L, f[4]);
    h->section_name = dup(L, f[5]);
    h->description = dup(L, f[6]);
    if (!h->description || !smap_put(&L->g->hs_index, h->code, (uint32_t)(L->hs.len - 1)))
        return oom(L);
    return CORDON_OK;
}

/* ---- vocabulary: terms, HS relations ------------------------------------------------- */

static uint32_t token_id(loader *L, const char *norm)
{
    uint32_t id;
    if (smap_get(&L->g->token_ids, norm, strlen(norm), &id))
        return id;
    const char *k = dup(L, norm);
    id = ++L->g->n_tokens;
    if (!k || !smap_put(&L->g->token_ids, k, id))
        return 0;
    return id;
}

static cordon_status push_u32(loader *L, vec *v, uint32_t x)
{
    uint32_t *p = vec_push(v);
    if (!p)
        return oom(L);
    *p = x;
    return CORDON_OK;
}

/* Resolves a space-separated list of keys of map into L->targets; returns the count or -1
 * (error set). Entry keys are "REGIME:CODE" ("mtcr:3.A.5 wa:9A006.d"); HS keys are codes. */
static long resolve_keys(loader *L, const char *list, long lineno, bool hs)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy) {
        oom(L);
        return -1;
    }
    long n = 0;
    for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        uint32_t idx;
        if (!hs && !strchr(t, ':')) {
            err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: target \"%s\" is not REGIME:CODE",
                    L->path, lineno, t);
            n = -1;
        } else if (!smap_get(hs ? &L->g->hs_index : &L->g->entry_index, t, strlen(t), &idx)) {
            err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: unknown %s \"%s\"", L->path, lineno,
                    hs ? "HS code" : "entry", t);
            n = -1;
        } else if (push_u32(L, &L->targets, idx) != CORDON_OK) {
            n = -1;
        }
        if (n < 0)
            break;
        n++;
    }
    free(copy);
    return n;
}

static long resolve_targets(loader *L, const char *list, long lineno)
{
    return resolve_keys(L, list, lineno, false);
}

static long resolve_hs_targets(loader *L, const char *list, long lineno)
{
    return resolve_keys(L, list, lineno, true);
}

/* "trimethyl phosphite" is also written "trimethylphosphite": the same term as one word. */
static cordon_status add_joined(loader *L, const char *term, uint8_t kind, double weight,
                                size_t tgt_start, long n_targets)
{
    char joined[64];
    size_t k = 0;
    for (const char *c = term; *c; c++) {
        if (*c == ' ' || *c == '-')
            continue;
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) || k + 1 >= sizeof joined)
            return CORDON_OK; /* digits or punctuation: no one-word form */
        joined[k++] = *c;
    }
    joined[k] = '\0';
    goods_token tok[2];
    if (goods_tokenize(joined, k, tok, 2) != 1)
        return CORDON_OK;
    uint32_t existing;
    if (smap_get(&L->g->token_ids, tok[0].norm, strlen(tok[0].norm), &existing))
        return CORDON_OK; /* the one-word form is a word of its own in the vocabulary */
    goods_pattern *p = vec_push(&L->patterns);
    if (!p)
        return oom(L);
    p->term = dup(L, term);
    p->kind = kind;
    p->weight = (float)(weight * 0.95);
    p->n_tokens = 1;
    p->n_targets = (uint32_t)n_targets;
    p->joined = 1;
    uint32_t id = token_id(L, tok[0].norm);
    if (!id || push_u32(L, &L->pat_tok_start, (uint32_t)L->pat_tokens.len) != CORDON_OK ||
        push_u32(L, &L->pat_tgt_start, (uint32_t)tgt_start) != CORDON_OK ||
        push_u32(L, &L->pat_tokens, id) != CORDON_OK)
        return oom(L);
    return CORDON_OK;
}

static cordon_status add_pattern(loader *L, const char *term, uint8_t kind, double weight,
                                 size_t tgt_start, long n_targets, long lineno);

/* A chemical name of three words is also written half joined: "diisopropyl amino ethanol" as
 * "diisopropyl aminoethanol" or "diisopropylamino ethanol". Adds both two-word forms. */
static cordon_status add_half_joined(loader *L, const char *term, uint8_t kind, double weight,
                                     size_t tgt_start, long n_targets, long lineno)
{
    char w[3][64];
    size_t n = 0, k = 0;
    for (const char *c = term;; c++) {
        if (*c == ' ' || *c == '-' || !*c) {
            if (k) {
                if (n == 3)
                    return CORDON_OK;
                w[n][k] = '\0';
                n++;
                k = 0;
            }
            if (!*c)
                break;
            continue;
        }
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z')) || k + 1 >= sizeof w[0])
            return CORDON_OK; /* digits or punctuation: not a plain three-word name */
        if (n == 3)
            return CORDON_OK;
        w[n][k++] = *c;
    }
    if (n != 3)
        return CORDON_OK;
    char form[200];
    snprintf(form, sizeof form, "%s%s %s", w[0], w[1], w[2]);
    cordon_status st = add_pattern(L, form, kind, weight * 0.95, tgt_start, n_targets, lineno);
    if (st != CORDON_OK)
        return st;
    snprintf(form, sizeof form, "%s %s%s", w[0], w[1], w[2]);
    return add_pattern(L, form, kind, weight * 0.95, tgt_start, n_targets, lineno);
}

/* Adds a pattern: the term's tokens, its targets already pushed at tgt_start. */
static cordon_status add_pattern(loader *L, const char *term, uint8_t kind, double weight,
                                 size_t tgt_start, long n_targets, long lineno)
{
    goods_token tok[GOODS_MAX_PATTERN_TOKENS + 1];
    size_t n = goods_tokenize(term, strlen(term), tok, GOODS_MAX_PATTERN_TOKENS + 1);
    if (n == 0 || n > GOODS_MAX_PATTERN_TOKENS) {
        if (n == 0)
            return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: term \"%s\" has no words", L->path,
                           lineno, term);
        return CORDON_OK; /* a chemical name too long to be written by a buyer */
    }
    goods_pattern *p = vec_push(&L->patterns);
    if (!p)
        return oom(L);
    p->term = dup(L, term);
    p->kind = kind;
    p->weight = (float)weight;
    p->n_tokens = (uint8_t)n;
    p->n_targets = (uint32_t)n_targets;
    bool upper = true;
    for (const char *c = term; *c; c++)
        if (*c >= 'a' && *c <= 'z')
            upper = false;
    p->case_sensitive = (uint8_t)(upper && (kind == PAT_ABBR || kind == PAT_NEG ||
                                            (kind == PAT_CHEMICAL && strlen(term) <= 4)));
    if (push_u32(L, &L->pat_tok_start, (uint32_t)L->pat_tokens.len) != CORDON_OK ||
        push_u32(L, &L->pat_tgt_start, (uint32_t)tgt_start) != CORDON_OK)
        return oom(L);
    for (size_t i = 0; i < n; i++) {
        uint32_t id = token_id(L, tok[i].norm);
        if (!id || push_u32(L, &L->pat_tokens, id) != CORDON_OK)
            return oom(L);
    }
    if (n == 3 && (kind == PAT_CHEMICAL || kind == PAT_EXEMPT)) {
        cordon_status st = add_half_joined(L, term, kind, weight, tgt_start, n_targets, lineno);
        if (st != CORDON_OK)
            return st;
    }
    if (n >= 2 && n <= 3 && (kind == PAT_TERM || kind == PAT_CHEMICAL))
        return add_joined(L, term, kind, weight, tgt_start, n_targets);
    return CORDON_OK;
}

static cordon_status vocab_hs(loader *L, char **f, double w, long lineno)
{
    uint32_t hi;
    if (!smap_get(&L->g->hs_index, f[1], strlen(f[1]), &hi))
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: unknown HS code \"%s\"", L->path,
                       lineno, f[1]);
    size_t start = L->targets.len;
    long n = resolve_targets(L, f[2], lineno);
    if (n < 0)
        return L->err ? L->err->status : CORDON_ERR_PARSE;
    goods_hsmap *m = vec_push(&L->hsmap);
    if (!m || push_u32(L, &L->hsmap_tgt_start, (uint32_t)start) != CORDON_OK)
        return oom(L);
    m->prefix = dup(L, f[1]);
    m->note = dup(L, f[4]);
    m->n_targets = (uint32_t)n;
    m->weight = (float)w;
    if (!smap_put(&L->g->hsmap_index, m->prefix, (uint32_t)(L->hsmap.len - 1)))
        return oom(L);
    return CORDON_OK;
}

static cordon_status vocab_second_pass(loader *L, char *line, size_t len, long lineno)
{
    (void)len;
    char *f[8];
    size_t nf = split_tabs(line, f, 8);
    if (nf != 5 || strcmp(f[0], "kind") == 0 || strcmp(f[0], "unit") == 0 ||
        strcmp(f[0], "quantity") == 0 || strcmp(f[0], "unitq") == 0 || strcmp(f[0], "chem") == 0 ||
        strcmp(f[0], "alias") == 0 || strcmp(f[0], "symbol") == 0)
        return CORDON_OK; /* chem rows wait for the chemical names (vocab_chem_pass) */
    double w;
    if (!parse_double(f[3], &w) || w < 0 || w > 1)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: weight \"%s\" is not in 0..1", L->path,
                       lineno, f[3]);
    if (strcmp(f[0], "hs") == 0)
        return vocab_hs(L, f, w, lineno);
    size_t start = L->targets.len;
    long n = 0;
    uint8_t kind = PAT_TERM;
    if (strcmp(f[0], "neg") == 0) {
        kind = PAT_NEG;
    } else if (strcmp(f[0], "note") == 0) {
        kind = PAT_NOTE;
        n = resolve_targets(L, f[2], lineno);
    } else if (strcmp(f[0], "hsterm") == 0) {
        kind = PAT_HSTERM;
        n = resolve_hs_targets(L, f[2], lineno);
    } else {
        kind = strcmp(f[0], "abbr") == 0 ? PAT_ABBR : PAT_TERM;
        n = resolve_targets(L, f[2], lineno);
    }
    if (n < 0)
        return L->err ? L->err->status : CORDON_ERR_PARSE;
    return add_pattern(L, f[1], kind, w, start, n, lineno);
}

/* ---- chemical names -------------------------------------------------------------------- */

/* Buyers drop locants and stereo prefixes and run the words together: "N,N-Diisopropyl-(beta)-
 * amino ethanol" is ordered as "diisopropylaminoethanol" or "diisopropyl aminoethanol". Adds the
 * name without them (and, through add_pattern, its one-word form), slightly weaker. */
static cordon_status add_bare_name(loader *L, const char *name, uint8_t kind, double w,
                                   size_t start, long n, long lineno)
{
    static const char *const drop[] = {"alpha", "beta", "gamma", "delta", "omega", "tert",
                                       "sec", "cis", "trans", "rac", "dl"};
    char bare[256], word[64];
    size_t k = 0, wl = 0, kept = 0, dropped = 0;
    for (const char *c = name;; c++) {
        bool letter = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
        if (letter && wl + 1 < sizeof word) {
            word[wl++] = (char)(*c | 0x20);
            continue;
        }
        if (*c && !letter && *c != ' ' && *c != '-' && *c != ',' && *c != '(' && *c != ')' &&
            *c != '\'' && !(*c >= '0' && *c <= '9'))
            return CORDON_OK; /* brackets, dots, slashes: a formula, not a name to fold */
        if (wl) {
            word[wl] = '\0';
            bool skip = wl == 1;
            for (size_t i = 0; i < ARRAY_LEN(drop) && !skip; i++)
                skip = strcmp(word, drop[i]) == 0;
            if (skip) {
                dropped++;
            } else if (k + wl + 2 < sizeof bare) {
                if (k)
                    bare[k++] = ' ';
                memcpy(bare + k, word, wl);
                k += wl;
                kept++;
            }
            wl = 0;
        } else if (*c >= '0' && *c <= '9') {
            dropped++;
        }
        if (!*c)
            break;
    }
    bare[k] = '\0';
    if (!dropped || kept == 0 || kept > 3 || k < 6)
        return CORDON_OK;
    return add_pattern(L, bare, kind, w * 0.9, start, n, lineno); /* the same targets */
}

static cordon_status chem_line(loader *L, char *line, size_t len, long lineno)
{
    (void)len;
    char *f[8];
    size_t nf = split_tabs(line, f, 8);
    cordon_status st = need_fields(L, nf, 4, lineno);
    if (st != CORDON_OK || strcmp(f[0], "name") == 0)
        return st;
    size_t start = L->targets.len;
    long n = resolve_targets(L, f[3], lineno);
    if (n < 0)
        return L->err ? L->err->status : CORDON_ERR_PARSE;
    bool exempt = strcmp(f[2], "exempt") == 0;
    /* short names (AP, CS, HAN) are weak alone; full names are as good as a CAS number; an
     * element's name ("zirconium") says little: the entry is about its powder or isotope */
    double w = strcmp(f[2], "element") == 0 ? 0.4
               : strlen(f[0]) <= 3          ? 0.6
               : strlen(f[0]) <= 5          ? 0.8
                                            : 0.95;
    uint8_t kind = exempt ? PAT_EXEMPT : PAT_CHEMICAL;
    /* the CAS number leads to every entry the name does (a CWC family's members named by
     * other lists); finish_entries drops the pairs the lists already carry */
    for (long i = 0; f[1][0] && i < n; i++) {
        st = add_cas(L, f[1], ((const uint32_t *)L->targets.data)[start + (size_t)i], exempt);
        if (st != CORDON_OK)
            return st;
    }
    st = add_pattern(L, f[0], kind, w, start, n, lineno);
    return st ? st : add_bare_name(L, f[0], kind, w, start, n, lineno);
}

/* A formula or trade name written for a CAS number ("AsCl3", "HCN", "S2Cl2"): it leads to
 * every entry the lists and the chemical names tie that number to, so the vocabulary names
 * the chemical once and never copies the entries. Read after chemical_names.tsv. */
static cordon_status vocab_chem_pass(loader *L, char *line, size_t len, long lineno)
{
    (void)len;
    char *f[8];
    size_t nf = split_tabs(line, f, 8);
    if (nf != 5 || strcmp(f[0], "chem") != 0)
        return CORDON_OK;
    double w;
    if (!parse_double(f[3], &w) || w < 0 || w > 1)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: weight \"%s\" is not in 0..1", L->path,
                       lineno, f[3]);
    size_t start = L->targets.len;
    long n = 0;
    const goods_cas *c = L->cas.data;
    for (size_t i = 0; i < L->cas.len; i++) {
        if (c[i].exempt || strcmp(c[i].cas, f[2]) != 0)
            continue;
        bool seen = false;
        for (size_t j = start; j < L->targets.len && !seen; j++)
            seen = ((const uint32_t *)L->targets.data)[j] == c[i].entry;
        if (seen)
            continue;
        if (push_u32(L, &L->targets, c[i].entry) != CORDON_OK)
            return L->err->status;
        n++;
    }
    if (n == 0)
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: CAS \"%s\" is named by no list",
                       L->path, lineno, f[2]);
    return add_pattern(L, f[1], PAT_CHEMICAL, w, start, n, lineno);
}

/* ---- DPRK bans --------------------------------------------------------------------------- */

static cordon_status ban_line(loader *L, char *line, size_t len, long lineno)
{
    json_error_t jerr;
    json_t *o = json_loadb(line, len, 0, &jerr);
    if (!o || !json_is_object(o)) {
        json_decref(o);
        return err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: invalid JSON: %s", L->path, lineno,
                       o ? "not an object" : jerr.text);
    }
    const char *cit = jstr(o, "citation"), *dir = jstr(o, "direction"), *hs = jstr(o, "hs");
    json_t *res = json_object_get(o, "resolution");
    cordon_status st = CORDON_OK;
    if (!cit || !dir || !hs || !json_is_integer(res)) {
        st = err_set(L->err, CORDON_ERR_PARSE, "%s:%ld: ban needs citation, direction, hs and "
                     "resolution", L->path, lineno);
    } else {
        goods_ban *b = vec_push(&L->bans);
        if (!b) {
            st = oom(L);
        } else {
            b->citation = dup(L, cit);
            b->direction = dup(L, dir);
            b->hs = dup(L, hs);
            b->item = dup(L, jstr(o, "item"));
            b->paragraph = dup(L, jstr(o, "paragraph"));
            b->hs_source = dup(L, jstr(o, "hs_source"));
            b->verification = dup(L, jstr(o, "verification"));
            b->limits = dup(L, jstr(o, "limits"));
            b->resolution = (int)json_integer_value(res);
            b->verified = json_is_true(json_object_get(o, "verified"));
            b->luxury = json_is_true(json_object_get(o, "luxury"));
            if (!b->limits)
                st = oom(L);
        }
    }
    json_decref(o);
    return st;
}

/* ---- assembling -------------------------------------------------------------------------- */

static int cas_cmp(const void *a, const void *b)
{
    const goods_cas *x = a, *y = b;
    int c = strcmp(x->cas, y->cas);
    if (c)
        return c;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Root of an entry: its highest ancestor a result may name (not a category or group). */
static uint32_t entry_root(const cordon_goods *g, uint32_t e)
{
    while (g->entries[e].parent >= 0 && g->entries[g->entries[e].parent].selectable)
        e = (uint32_t)g->entries[e].parent;
    return e;
}

static int root_cmp(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b; /* pairs: root, threshold */
    return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* Marks the thresholds whose quantity is the only one of its dimension in their entry (the
 * root entry and every sub-entry below it). */
static bool mark_sole_quantities(cordon_goods *g)
{
    if (!g->n_thresholds)
        return true;
    uint32_t *pairs = malloc(2 * sizeof *pairs * g->n_thresholds);
    if (!pairs)
        return false;
    size_t n = 0;
    for (uint32_t e = 0; e < g->n_entries; e++) {
        uint32_t r = entry_root(g, e);
        for (uint32_t k = 0; k < g->entries[e].n_thresholds; k++) {
            pairs[2 * n] = r;
            pairs[2 * n + 1] = g->entries[e].first_threshold + k;
            n++;
        }
    }
    qsort(pairs, n, 2 * sizeof *pairs, root_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && pairs[2 * j] == pairs[2 * i])
            j++;
        for (size_t a = i; a < j; a++) {
            goods_threshold *t = &g->thresholds[pairs[2 * a + 1]];
            if (!t->unit)
                continue;
            bool sole = true;
            for (size_t b = i; b < j && sole; b++) {
                const goods_threshold *o = &g->thresholds[pairs[2 * b + 1]];
                sole = b == a || !o->unit || strcmp(o->unit->dim, t->unit->dim) != 0 ||
                       strcasecmp(o->quantity, t->quantity) == 0;
            }
            t->sole = sole;
        }
        i = j;
    }
    free(pairs);
    return true;
}

static cordon_status finish_entries(loader *L)
{
    cordon_goods *g = L->g;
    g->entries = L->entries.data;
    g->n_entries = L->entries.len;
    g->thresholds = L->thresholds.data;
    g->n_thresholds = L->thresholds.len;
    g->units = L->units.data;
    g->n_units = L->units.len;
    L->entries.data = L->thresholds.data = L->units.data = NULL;
    const goods_quantity *qs = L->quantities.data;
    for (size_t i = 0; i < g->n_thresholds; i++) {
        goods_threshold *t = &g->thresholds[i];
        uintptr_t u = (uintptr_t)t->unit;
        t->unit = u ? &g->units[u - 1] : NULL;
        for (size_t q = 0; q < L->quantities.len && !t->known; q++)
            for (size_t w = 0; w < qs[q].n_words && !t->known; w++)
                t->known = str_icontains(t->quantity, qs[q].words[w]) != NULL;
    }
    for (size_t i = 0; i < g->n_entries; i++) {
        g->entries[i].conditions = joint_conditions(&g->entries[i]);
        g->entries[i].all_of = conjunction(g, &g->entries[i]);
    }
    /* children in document order: link from the last entry backwards */
    for (size_t i = g->n_entries; i-- > 0;) {
        goods_entry *e = &g->entries[i];
        if (e->parent >= 0) {
            goods_entry *p = &g->entries[e->parent];
            e->next_sibling = p->first_child;
            p->first_child = (int32_t)i;
        }
    }
    if (!mark_sole_quantities(g))
        return err_set(L->err, CORDON_ERR_NOMEM, "out of memory");
    g->cas = L->cas.data;
    g->n_cas = L->cas.len;
    L->cas.data = NULL;
    if (g->n_cas)
        qsort(g->cas, g->n_cas, sizeof *g->cas, cas_cmp);
    size_t k = 0; /* one row per (CAS, entry); exempt if any source says so */
    for (size_t i = 0; i < g->n_cas; i++) {
        if (k && g->cas[k - 1].entry == g->cas[i].entry &&
            strcmp(g->cas[k - 1].cas, g->cas[i].cas) == 0)
            g->cas[k - 1].exempt |= g->cas[i].exempt;
        else
            g->cas[k++] = g->cas[i];
    }
    g->n_cas = k;
    return CORDON_OK;
}

static bool gap_candidate(const goods_pattern *p)
{
    return p->n_tokens >= 2 && (p->kind == PAT_TERM || p->kind == PAT_CHEMICAL);
}

/* Multi-word terms by their first token (counting sort). */
static cordon_status build_gap_index(cordon_goods *g)
{
    size_t nt = (size_t)g->n_tokens + 2;
    g->gap_start = calloc(nt + 1, sizeof *g->gap_start);
    size_t total = 0;
    for (size_t i = 0; i < g->n_patterns; i++)
        if (gap_candidate(&g->patterns[i]))
            total++;
    g->gap_list = malloc((total + 1) * sizeof *g->gap_list);
    if (!g->gap_start || !g->gap_list)
        return CORDON_ERR_NOMEM;
    for (size_t i = 0; i < g->n_patterns; i++)
        if (gap_candidate(&g->patterns[i]))
            g->gap_start[g->patterns[i].tokens[0] + 1]++;
    for (size_t t = 1; t <= nt; t++)
        g->gap_start[t] += g->gap_start[t - 1];
    uint32_t *fill = calloc(nt + 1, sizeof *fill);
    if (!fill)
        return CORDON_ERR_NOMEM;
    for (size_t i = 0; i < g->n_patterns; i++) {
        if (!gap_candidate(&g->patterns[i]))
            continue;
        uint32_t t = g->patterns[i].tokens[0];
        g->gap_list[g->gap_start[t] + fill[t]++] = (uint32_t)i;
    }
    free(fill);
    return CORDON_OK;
}

static cordon_status finish_patterns(loader *L)
{
    cordon_goods *g = L->g;
    size_t np = L->patterns.len;
    g->quantities = L->quantities.data;
    g->n_quantities = L->quantities.len;
    L->quantities.data = NULL;
    for (size_t i = 0; i < g->n_quantities; i++)
        if (!g->quantities[i].unit_only &&
            !smap_put(&g->quantity_index, g->quantities[i].phrase, (uint32_t)i))
            return oom(L);
    uint32_t *targets = arena_alloc(g->arena, (L->targets.len + 1) * sizeof *targets);
    uint32_t *toks = arena_alloc(g->arena, (L->pat_tokens.len + 1) * sizeof *toks);
    const uint32_t **pats = calloc(np + 1, sizeof *pats);
    uint8_t *lens = calloc(np + 1, 1);
    if (!targets || !toks || !pats || !lens) {
        free(pats);
        free(lens);
        return oom(L);
    }
    if (L->targets.len)
        memcpy(targets, L->targets.data, L->targets.len * sizeof *targets);
    if (L->pat_tokens.len)
        memcpy(toks, L->pat_tokens.data, L->pat_tokens.len * sizeof *toks);
    g->patterns = L->patterns.data;
    g->n_patterns = np;
    L->patterns.data = NULL;
    for (size_t i = 0; i < np; i++) {
        g->patterns[i].targets = targets + VEC_AT(&L->pat_tgt_start, uint32_t, i);
        pats[i] = toks + VEC_AT(&L->pat_tok_start, uint32_t, i);
        g->patterns[i].tokens = pats[i];
        lens[i] = g->patterns[i].n_tokens;
    }
    if (build_gap_index(g) != CORDON_OK) {
        free(pats);
        free(lens);
        return oom(L);
    }
    g->hsmap = L->hsmap.data;
    g->n_hsmap = L->hsmap.len;
    L->hsmap.data = NULL;
    for (size_t i = 0; i < g->n_hsmap; i++)
        g->hsmap[i].targets = targets + VEC_AT(&L->hsmap_tgt_start, uint32_t, i);
    g->ac = ac_build(pats, lens, np, L->err);
    free(pats);
    free(lens);
    return g->ac ? CORDON_OK : L->err->status;
}

static void loader_free(loader *L)
{
    vec *all[] = {&L->entries, &L->thresholds, &L->units, &L->quantities, &L->patterns, &L->alias_to,
                  &L->symbol_to,
                  &L->cas, &L->hs, &L->hsmap, &L->bans, &L->pat_tokens, &L->targets,
                  &L->pat_tok_start, &L->hsmap_tgt_start, &L->pat_tgt_start};
    for (size_t i = 0; i < ARRAY_LEN(all); i++)
        vec_free(all[i]);
}

/* A table of words the loader gathered (alias or symbol number -> word), copied into the
 * classifier's arena with room for one more entry so that an empty table is not NULL. */
static cordon_status word_table(loader *L, const vec *from, const char ***to, size_t *n)
{
    *n = from->len;
    *to = arena_alloc(L->g->arena, (*n + 1) * sizeof **to);
    if (!*to)
        return oom(L);
    if (*n)
        memcpy(*to, from->data, *n * sizeof **to);
    return CORDON_OK;
}

static cordon_status load_all(loader *L)
{
    cordon_status st = read_lines(L, "vocabulary.tsv", vocab_first_pass);
    for (uint8_t r = 0; r < REG_COUNT && st == CORDON_OK; r++) {
        size_t before = L->entries.len;
        L->regime = r;
        st = read_lines(L, goods_regimes[r].file, list_line);
        L->g->by_regime[r] = L->entries.len - before;
    }
    if (st == CORDON_OK)
        st = read_lines(L, "hs2022.tsv", hs_line);
    if (st == CORDON_OK) {
        L->g->hs = L->hs.data;
        L->g->n_hs = L->hs.len;
        L->hs.data = NULL;
        st = read_lines(L, "vocabulary.tsv", vocab_second_pass);
    }
    if (st == CORDON_OK)
        st = read_lines(L, "chemical_names.tsv", chem_line);
    if (st == CORDON_OK)
        st = read_lines(L, "vocabulary.tsv", vocab_chem_pass);
    if (st == CORDON_OK)
        st = read_lines(L, "unsc_dprk_bans.jsonl", ban_line);
    if (st == CORDON_OK) {
        L->g->bans = L->bans.data;
        L->g->n_bans = L->bans.len;
        L->bans.data = NULL;
        st = finish_entries(L);
    }
    if (st == CORDON_OK)
        st = finish_patterns(L);
    if (st == CORDON_OK)
        st = word_table(L, &L->alias_to, &L->g->alias_to, &L->g->n_alias);
    if (st == CORDON_OK)
        st = word_table(L, &L->symbol_to, &L->g->symbol_to, &L->g->n_symbol);
    if (st == CORDON_OK)
        st = goods_text_index(L->g, L->err);
    if (st == CORDON_OK)
        st = goods_subentry_index(L->g, L->err);
    return st;
}

cordon_status goods_load(cordon_goods *g, const char *dir, cordon_error *err)
{
    loader L;
    memset(&L, 0, sizeof L);
    L.g = g;
    L.err = err;
    vec_init(&L.entries, sizeof(goods_entry));
    vec_init(&L.thresholds, sizeof(goods_threshold));
    vec_init(&L.units, sizeof(goods_unit));
    vec_init(&L.quantities, sizeof(goods_quantity));
    vec_init(&L.patterns, sizeof(goods_pattern));
    vec_init(&L.cas, sizeof(goods_cas));
    vec_init(&L.hs, sizeof(goods_hs));
    vec_init(&L.hsmap, sizeof(goods_hsmap));
    vec_init(&L.bans, sizeof(goods_ban));
    vec_init(&L.alias_to, sizeof(const char *));
    vec_init(&L.symbol_to, sizeof(const char *));
    vec_init(&L.pat_tokens, sizeof(uint32_t));
    vec_init(&L.targets, sizeof(uint32_t));
    vec_init(&L.pat_tok_start, sizeof(uint32_t));
    vec_init(&L.hsmap_tgt_start, sizeof(uint32_t));
    vec_init(&L.pat_tgt_start, sizeof(uint32_t));
    snprintf(g->dir, sizeof g->dir, "%s", dir);
    cordon_status st = load_all(&L);
    loader_free(&L);
    return st;
}
