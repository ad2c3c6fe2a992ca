/* entity_codec.c - the compact entity blob in the snapshot: varint counts and lengths, strings
 * stored inline with their NUL so that a decoded entity points straight into the mapping. */
#include "snapshot.h"

static bool put_varint(buf *b, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;
    do {
        uint8_t c = v & 0x7F;
        v >>= 7;
        tmp[n++] = c | (v ? 0x80 : 0);
    } while (v);
    return buf_append(b, tmp, n);
}

/* NULL is stored as length 0; "x" as length 2 (bytes plus NUL). */
static bool put_str(buf *b, const char *s)
{
    if (!s)
        return put_varint(b, 0);
    size_t n = strlen(s);
    return put_varint(b, n + 1) && buf_append(b, s, n + 1);
}

static bool put_strs(buf *b, const char *const *v, size_t n)
{
    if (!put_varint(b, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!put_str(b, v[i]))
            return false;
    return true;
}

bool entity_encode(buf *b, const cordon_entity *e, uint32_t source_index)
{
    bool ok = buf_putc(b, (char)e->type) && put_varint(b, source_index) &&
              put_str(b, e->source_id) && put_str(b, e->listed_on) && put_str(b, e->gender) &&
              put_str(b, e->remarks) && put_varint(b, e->n_names);
    for (size_t i = 0; ok && i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        ok = buf_putc(b, (char)n->kind) && put_str(b, n->full) && put_str(b, n->given) &&
             put_str(b, n->middle) && put_str(b, n->family) && put_str(b, n->script);
    }
    ok = ok && put_varint(b, e->n_ids);
    for (size_t i = 0; ok && i < e->n_ids; i++) {
        const cordon_identifier *id = &e->ids[i];
        ok = buf_putc(b, (char)id->type) && put_str(b, id->label) && put_str(b, id->value) &&
             put_str(b, id->country);
    }
    ok = ok && put_varint(b, e->n_birth_dates);
    for (size_t i = 0; ok && i < e->n_birth_dates; i++) {
        const cordon_date *d = &e->birth_dates[i];
        uint8_t raw[7] = {(uint8_t)(d->year_from & 0xFF), (uint8_t)((uint16_t)d->year_from >> 8),
                          (uint8_t)(d->year_to & 0xFF),   (uint8_t)((uint16_t)d->year_to >> 8),
                          d->month, d->day, d->circa};
        ok = buf_append(b, raw, sizeof raw);
    }
    ok = ok && put_strs(b, e->birth_places, e->n_birth_places) &&
         put_strs(b, e->nationalities, e->n_nationalities) &&
         put_strs(b, e->citizenships, e->n_citizenships) && put_varint(b, e->n_addresses);
    for (size_t i = 0; ok && i < e->n_addresses; i++)
        ok = put_str(b, e->addresses[i].text) && put_str(b, e->addresses[i].country);
    return ok && put_strs(b, e->programs, e->n_programs) &&
           put_strs(b, e->regimes, e->n_regimes) && put_strs(b, e->linked_to, e->n_linked_to);
}

typedef struct {
    const uint8_t *p, *end;
    bool bad;
} cursor;

static uint64_t get_varint(cursor *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return 0;
        }
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7F) << shift;
        if (!(b & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

static uint8_t get_u8(cursor *c)
{
    if (c->p >= c->end) {
        c->bad = true;
        return 0;
    }
    return *c->p++;
}

static const char *get_str(cursor *c)
{
    uint64_t n = get_varint(c);
    if (n == 0 || c->bad)
        return NULL;
    if (n > (uint64_t)(c->end - c->p) || c->p[n - 1] != 0) {
        c->bad = true;
        return NULL;
    }
    const char *s = (const char *)c->p;
    c->p += n;
    return s;
}

/* A count must fit in what is left of the blob (each item takes at least one byte), which
 * also bounds the allocation. */
static size_t get_count(cursor *c)
{
    uint64_t n = get_varint(c);
    if (n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        return 0;
    }
    return (size_t)n;
}

static const char *const *get_strs(cursor *c, cordon_arena *a, size_t *count)
{
    size_t n = get_count(c);
    *count = 0;
    if (!n || c->bad)
        return NULL;
    const char **v = arena_alloc(a, n * sizeof *v);
    if (!v) {
        c->bad = true;
        return NULL;
    }
    for (size_t i = 0; i < n && !c->bad; i++)
    {
        const char *s = get_str(c);
        v[i] = s ? s : "";
    }
    *count = n;
    return v;
}

bool entity_decode(const uint8_t *p, size_t n, cordon_arena *a, const char *const *source_names,
                   size_t n_sources, cordon_entity *e)
{
    cursor c = {p, p + n, false};
    memset(e, 0, sizeof *e);
    uint8_t type = get_u8(&c);
    e->type = type < CORDON_TYPE_COUNT ? (cordon_entity_type)type : CORDON_TYPE_UNKNOWN;
    uint64_t src = get_varint(&c);
    e->source = src < n_sources ? source_names[src] : "?";
    e->source_id = get_str(&c);
    e->listed_on = get_str(&c);
    e->gender = get_str(&c);
    e->remarks = get_str(&c);
    size_t nn = get_count(&c);
    cordon_name *names = nn ? arena_alloc(a, nn * sizeof *names) : NULL;
    if (nn && !names)
        return false;
    for (size_t i = 0; i < nn && !c.bad; i++) {
        uint8_t k = get_u8(&c);
        names[i].kind = k < CORDON_NAME_KIND_COUNT ? (cordon_name_kind)k : CORDON_NAME_WEAK_AKA;
        names[i].full = get_str(&c);
        names[i].given = get_str(&c);
        names[i].middle = get_str(&c);
        names[i].family = get_str(&c);
        names[i].script = get_str(&c);
        if (!names[i].full)
            names[i].full = "";
    }
    e->names = names;
    e->n_names = nn;
    size_t ni = get_count(&c);
    cordon_identifier *ids = ni ? arena_alloc(a, ni * sizeof *ids) : NULL;
    if (ni && !ids)
        return false;
    for (size_t i = 0; i < ni && !c.bad; i++) {
        uint8_t t = get_u8(&c);
        ids[i].type = t < CORDON_ID_TYPE_COUNT ? (cordon_id_type)t : CORDON_ID_OTHER;
        ids[i].label = get_str(&c);
        ids[i].value = get_str(&c);
        ids[i].country = get_str(&c);
        if (!ids[i].value)
            ids[i].value = "";
    }
    e->ids = ids;
    e->n_ids = ni;
    size_t nd = get_count(&c);
    cordon_date *dates = nd ? arena_alloc(a, nd * sizeof *dates) : NULL;
    if (nd && !dates)
        return false;
    for (size_t i = 0; i < nd && !c.bad; i++) {
        if (c.end - c.p < 7) {
            c.bad = true;
            break;
        }
        const uint8_t *r = c.p;
        dates[i].year_from = (int16_t)(uint16_t)(r[0] | (r[1] << 8));
        dates[i].year_to = (int16_t)(uint16_t)(r[2] | (r[3] << 8));
        dates[i].month = r[4];
        dates[i].day = r[5];
        dates[i].circa = r[6];
        c.p += 7;
    }
    e->birth_dates = dates;
    e->n_birth_dates = nd;
    e->birth_places = get_strs(&c, a, &e->n_birth_places);
    e->nationalities = get_strs(&c, a, &e->n_nationalities);
    e->citizenships = get_strs(&c, a, &e->n_citizenships);
    size_t na = get_count(&c);
    cordon_address *addrs = na ? arena_alloc(a, na * sizeof *addrs) : NULL;
    if (na && !addrs)
        return false;
    for (size_t i = 0; i < na && !c.bad; i++) {
        addrs[i].text = get_str(&c);
        addrs[i].country = get_str(&c);
        if (!addrs[i].text)
            addrs[i].text = "";
    }
    e->addresses = addrs;
    e->n_addresses = na;
    e->programs = get_strs(&c, a, &e->n_programs);
    e->regimes = get_strs(&c, a, &e->n_regimes);
    e->linked_to = get_strs(&c, a, &e->n_linked_to);
    return !c.bad && nn > 0;
}
