/* ebuild.c - the entity builder that every reader fills: strings are copied into one arena
 * per entity, so a reader never manages memory and the sink sees a consistent entity. */
#include "reader.h"

#include <ctype.h>
#include <stdlib.h>

#include <unicode/uchar.h>
#include <unicode/uscript.h>

struct eb {
    cordon_arena *arena;
    const char *source;
    cordon_entity_sink sink;
    void *ctx;
    cordon_entity e;
    vec names, ids, dates, places, nats, cits, addrs, progs, regimes, links;
    buf remarks;
    size_t committed;
    bool failed;
};

eb *eb_new(const char *source, cordon_entity_sink sink, void *ctx)
{
    eb *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    b->arena = cordon_arena_new();
    if (!b->arena) {
        free(b);
        return NULL;
    }
    b->source = source;
    b->sink = sink;
    b->ctx = ctx;
    vec_init(&b->names, sizeof(cordon_name));
    vec_init(&b->ids, sizeof(cordon_identifier));
    vec_init(&b->dates, sizeof(cordon_date));
    vec_init(&b->places, sizeof(char *));
    vec_init(&b->nats, sizeof(char *));
    vec_init(&b->cits, sizeof(char *));
    vec_init(&b->addrs, sizeof(cordon_address));
    vec_init(&b->progs, sizeof(char *));
    vec_init(&b->regimes, sizeof(char *));
    vec_init(&b->links, sizeof(char *));
    return b;
}

static vec *all_vecs(eb *b, size_t i)
{
    vec *v[] = {&b->names, &b->ids,   &b->dates,   &b->places, &b->nats,
                &b->cits,  &b->addrs, &b->progs,   &b->regimes, &b->links};
    return i < ARRAY_LEN(v) ? v[i] : NULL;
}

void eb_free(eb *b)
{
    if (!b)
        return;
    for (size_t i = 0; all_vecs(b, i); i++)
        vec_free(all_vecs(b, i));
    buf_free(&b->remarks);
    cordon_arena_free(b->arena);
    free(b);
}

void eb_begin(eb *b, cordon_entity_type type, const char *source_id)
{
    cordon_arena_reset(b->arena);
    for (size_t i = 0; all_vecs(b, i); i++)
        vec_clear(all_vecs(b, i));
    b->remarks.len = 0;
    memset(&b->e, 0, sizeof b->e);
    b->failed = false;
    b->e.type = type;
    b->e.source = b->source;
    b->e.source_id = source_id ? eb_strdup(b, source_id, strlen(source_id)) : NULL;
}

void eb_set_type(eb *b, cordon_entity_type type) { b->e.type = type; }
cordon_entity_type eb_type(const eb *b) { return b->e.type; }
size_t eb_name_count(const eb *b) { return b->names.len; }
size_t eb_committed(const eb *b) { return b->committed; }
bool eb_failed(const eb *b) { return b->failed; }

const char *eb_strdup(eb *b, const char *s, size_t n)
{
    char *p = arena_strndup(b->arena, s, n);
    if (!p) {
        b->failed = true;
        return NULL;
    }
    str_squeeze(p);
    return p;
}

/* Copies s, or returns NULL when s is NULL or blank. */
static const char *opt(eb *b, const char *s)
{
    if (str_is_blank(s))
        return NULL;
    return eb_strdup(b, s, strlen(s));
}

static void *push(eb *b, vec *v)
{
    void *slot = vec_push(v);
    if (!slot)
        b->failed = true;
    return slot;
}

static void push_str_unique(eb *b, vec *v, const char *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < v->len; i++)
        if (strcmp(VEC_AT(v, const char *, i), s) == 0)
            return;
    const char **slot = push(b, v);
    if (slot)
        *slot = s;
}

void eb_set_listed_on(eb *b, const char *date_text)
{
    cordon_date d;
    if (str_is_blank(date_text) || !date_parse(date_text, &d))
        return;
    char out[32];
    date_format(&d, out);
    b->e.listed_on = eb_strdup(b, out, strlen(out));
}

void eb_set_gender(eb *b, const char *g)
{
    if (str_is_blank(g))
        return;
    while (isspace((unsigned char)*g))
        g++;
    if (tolower((unsigned char)g[0]) == 'm')
        b->e.gender = "male";
    else if (tolower((unsigned char)g[0]) == 'f')
        b->e.gender = "female";
}

void eb_append_remarks(eb *b, const char *text)
{
    if (str_is_blank(text))
        return;
    if (b->remarks.len && !buf_puts(&b->remarks, "; "))
        b->failed = true;
    if (!buf_puts(&b->remarks, text))
        b->failed = true;
}

/* ISO 15924 code of the first non-Latin, non-common script in s, or NULL if all Latin. */
static const char *script_of(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l)
            return NULL;
        i += l;
        if (cp < 0x250)
            continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript((UChar32)cp, &st);
        if (U_FAILURE(st) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED ||
            sc == USCRIPT_LATIN)
            continue;
        return uscript_getShortName(sc);
    }
    return NULL;
}

void eb_add_name(eb *b, cordon_name_kind kind, const char *full, const char *given,
                 const char *middle, const char *family)
{
    const char *f = opt(b, full);
    if (!f)
        return;
    for (size_t i = 0; i < b->names.len; i++)
        if (strcmp(VEC_AT(&b->names, cordon_name, i).full, f) == 0)
            return;
    cordon_name *n = push(b, &b->names);
    if (!n)
        return;
    n->full = f;
    n->given = opt(b, given);
    n->middle = opt(b, middle);
    n->family = opt(b, family);
    n->script = script_of(f);
    if (kind == CORDON_NAME_PRIMARY) {
        for (size_t i = 0; i + 1 < b->names.len; i++)
            if (VEC_AT(&b->names, cordon_name, i).kind == CORDON_NAME_PRIMARY)
                kind = CORDON_NAME_STRONG_AKA;
    }
    if (n->script && kind == CORDON_NAME_STRONG_AKA)
        kind = CORDON_NAME_ORIGINAL;
    n->kind = kind;
}

void eb_add_id(eb *b, cordon_id_type type, const char *label, const char *value,
               const char *country_text)
{
    const char *v = opt(b, value);
    if (!v)
        return;
    const char *cc = country_text ? country_code(country_text) : NULL;
    for (size_t i = 0; i < b->ids.len; i++) {
        cordon_identifier *x = &VEC_AT(&b->ids, cordon_identifier, i);
        if (x->type == type && strcmp(x->value, v) == 0)
            return;
    }
    cordon_identifier *id = push(b, &b->ids);
    if (!id)
        return;
    id->type = type;
    id->label = opt(b, label);
    id->value = v;
    id->country = cc;
}

void eb_add_birth_date(eb *b, cordon_date d)
{
    for (size_t i = 0; i < b->dates.len; i++)
        if (memcmp(&VEC_AT(&b->dates, cordon_date, i), &d, sizeof d) == 0)
            return;
    cordon_date *slot = push(b, &b->dates);
    if (slot)
        *slot = d;
}

bool eb_add_birth_date_text(eb *b, const char *text)
{
    cordon_date d;
    if (str_is_blank(text) || !date_parse(text, &d))
        return false;
    eb_add_birth_date(b, d);
    return true;
}

void eb_add_birth_place(eb *b, const char *place) { push_str_unique(b, &b->places, opt(b, place)); }

void eb_add_nationality(eb *b, const char *country_text)
{
    push_str_unique(b, &b->nats, country_text ? country_code(country_text) : NULL);
}

void eb_add_citizenship(eb *b, const char *country_text)
{
    push_str_unique(b, &b->cits, country_text ? country_code(country_text) : NULL);
}

void eb_add_address(eb *b, const char *text, const char *country_text)
{
    const char *t = opt(b, text);
    const char *cc = country_text ? country_code(country_text) : NULL;
    if (!t && !cc)
        return;
    cordon_address *a = push(b, &b->addrs);
    if (!a)
        return;
    a->text = t ? t : "";
    a->country = cc;
}

void eb_add_program(eb *b, const char *program)
{
    const char *p = opt(b, program);
    if (!p)
        return;
    push_str_unique(b, &b->progs, p);
    eb_add_regime(b, regime_of_program(p));
}

void eb_add_regime(eb *b, const char *regime) { push_str_unique(b, &b->regimes, regime); }
void eb_add_linked(eb *b, const char *name) { push_str_unique(b, &b->links, opt(b, name)); }

cordon_status eb_commit(eb *b)
{
    if (b->failed)
        return CORDON_ERR_NOMEM;
    if (b->names.len == 0)
        return CORDON_OK;
    cordon_entity *e = &b->e;
    /* The primary name comes first whatever order the reader added names in. */
    cordon_name *names = b->names.data;
    for (size_t i = 1; i < b->names.len; i++) {
        if (names[i].kind == CORDON_NAME_PRIMARY) {
            cordon_name t = names[0];
            names[0] = names[i];
            names[i] = t;
            break;
        }
    }
    names[0].kind = CORDON_NAME_PRIMARY;
    e->names = names;
    e->n_names = b->names.len;
    e->ids = b->ids.data;
    e->n_ids = b->ids.len;
    e->birth_dates = b->dates.data;
    e->n_birth_dates = b->dates.len;
    e->birth_places = b->places.data;
    e->n_birth_places = b->places.len;
    e->nationalities = b->nats.data;
    e->n_nationalities = b->nats.len;
    e->citizenships = b->cits.data;
    e->n_citizenships = b->cits.len;
    e->addresses = b->addrs.data;
    e->n_addresses = b->addrs.len;
    e->programs = b->progs.data;
    e->n_programs = b->progs.len;
    e->regimes = b->regimes.data;
    e->n_regimes = b->regimes.len;
    e->linked_to = b->links.data;
    e->n_linked_to = b->links.len;
    e->remarks = b->remarks.len ? b->remarks.data : NULL;
    b->committed++;
    return b->sink(b->ctx, e) ? CORDON_ERR_ABORTED : CORDON_OK;
}
