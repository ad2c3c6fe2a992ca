/* reading.c - a name written in Han characters is also screened as a Korean name (and, if it
 * is a Japanese family and given name of data/dict/japanese_names.tsv, as a Japanese one).
 *
 * Korean names are written in Hanja as well as in Hangul: a Chinese-language contract names
 * the DPRK leader 金正恩, which ICU reads in Mandarin ("jin zheng en") and which then meets
 * nothing. Nothing in the characters says whether a name is Chinese or Korean, so such a name
 * is screened both ways: as written, and read in Korean (김정은, Kim Jong Un). A hit found only
 * through the reading says so in its explanation (feature `korean_reading`, no score change).
 *
 * The reading asserts that the name is Korean, and a Chinese name read in Korean is a Korean-
 * looking name that meets the DPRK entries' few surnames and syllables (张明 as 장명, Jang
 * Myong). So a hit through the reading counts only when it is a whole-name match (every token
 * on both sides paired, each at 0.9 or more: the reading is exact, only romanisation may
 * differ) with a Korean party (DPRK regime, or KP/KR nationality, citizenship,
 * address or document). */
#include "match.h"

#include <stdlib.h>
#include <string.h>

/* The hit again with a zero-weight feature that names the reading it came from. */
static cordon_status mark_reading(cordon_arena *a, cordon_hit *h, const char *feature,
                                  const char *language, const char *name, const char *reading)
{
    cordon_feature_score *f = arena_alloc(a, (h->n_features + 1) * sizeof *f);
    if (!f)
        return CORDON_ERR_NOMEM;
    if (h->n_features)
        memcpy(f, h->features, h->n_features * sizeof *f);
    f[h->n_features] = (cordon_feature_score){
        feature, 0.0, arena_printf(a, "%s read in %s as %s", name, language, reading)};
    h->features = f;
    h->n_features++;
    return CORDON_OK;
}

static bool whole_name(const cordon_hit *h)
{
    for (size_t i = 0; i < h->n_tokens; i++)
        if (!h->tokens[i].query || !h->tokens[i].matched || h->tokens[i].similarity < 0.9)
            return false;
    return h->n_tokens > 0;
}

static bool korean_party(const cordon_entity *e)
{
    for (size_t i = 0; i < e->n_regimes; i++)
        if (strcmp(e->regimes[i], "DPRK") == 0)
            return true;
    return entity_has_country(e, "KP") || entity_has_country(e, "KR");
}

static int hit_cmp(const void *pa, const void *pb)
{
    const cordon_hit *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return (a->entity_index > b->entity_index) - (a->entity_index < b->entity_index);
}

/* Both answers together, the better hit per entity, best first, cut to the limit. Each answer
 * holds its own top `limit`, so the union holds the top `limit` of both. */
/* A Japanese reading comes from whole names of a table, not from characters: any party. */
static bool any_party(const cordon_entity *e)
{
    (void)e;
    return true;
}

typedef struct {
    const char *feature, *language;
    bool (*party)(const cordon_entity *e);
} reading_kind;

static const reading_kind korean = {"korean_reading", "Korean", korean_party},
                          japanese = {"japanese_reading", "Japanese", any_party};

static cordon_status merge(cordon_arena *a, const reading_kind *kind, const char *name,
                           const char *reading, size_t limit, cordon_result *out,
                           const cordon_result *kr, cordon_error *err)
{
    size_t n = out->n_hits + kr->n_hits, m = 0;
    cordon_hit *all = arena_alloc(a, (n ? n : 1) * sizeof *all);
    if (!all)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < out->n_hits; i++)
        all[m++] = out->hits[i];
    for (size_t i = 0; i < kr->n_hits; i++) {
        if (!whole_name(&kr->hits[i]) || !kind->party(&kr->hits[i].entity))
            continue;
        size_t j = 0;
        while (j < m && all[j].entity_index != kr->hits[i].entity_index)
            j++;
        if (j < m && all[j].score >= kr->hits[i].score)
            continue;
        all[j] = kr->hits[i];
        if (mark_reading(a, &all[j], kind->feature, kind->language, name, reading) != CORDON_OK)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        if (j == m)
            m++;
    }
    qsort(all, m, sizeof *all, hit_cmp);
    out->hits = all;
    out->n_hits = m < limit ? m : limit;
    out->candidates += kr->candidates;
    return CORDON_OK;
}

/* The query screened again in a reading, merged into out. */
static cordon_status screen_reading(const cordon_engine *e, const cordon_query *q,
                                    const reading_kind *kind, const char *reading,
                                    uint32_t skip_entity, uint32_t skip_name_index,
                                    cordon_arena *a, cordon_result *out, cordon_error *err)
{
    cordon_query kq = *q;
    kq.name = reading;
    cordon_result kr;
    cordon_error kerr = {0};
    /* The reading is a second chance, never a reason to fail the query. */
    if (match_screen(e, &kq, skip_entity, skip_name_index, a, &kr, &kerr) != CORDON_OK)
        return CORDON_OK;
    return merge(a, kind, q->name, reading, q->limit ? q->limit : CORDON_DEFAULT_LIMIT, out,
                 &kr, err);
}

cordon_status match_screen_read(const cordon_engine *e, const cordon_query *q,
                                uint32_t skip_entity, uint32_t skip_name_index, cordon_arena *a,
                                cordon_result *out, cordon_error *err)
{
    cordon_status st = match_screen(e, q, skip_entity, skip_name_index, a, out, err);
    char reading[CORDON_MAX_QUERY_BYTES + 1];
    if (st == CORDON_OK && text_korean_reading(e->index->dict, q->name, reading, sizeof reading))
        st = screen_reading(e, q, &korean, reading, skip_entity, skip_name_index, a, out, err);
    if (st == CORDON_OK && text_japanese_reading(e->index->dict, q->name, reading, sizeof reading))
        st = screen_reading(e, q, &japanese, reading, skip_entity, skip_name_index, a, out, err);
    return st;
}

cordon_status cordon_screen(const cordon_engine *e, const cordon_query *q, cordon_arena *a,
                            cordon_result *out, cordon_error *err)
{
    return match_screen_read(e, q, UINT32_MAX, UINT32_MAX, a, out, err);
}

cordon_status cordon_compare(const cordon_engine *e, const char *name1, const char *name2,
                             cordon_entity_type type, cordon_algorithm algo, cordon_arena *a,
                             cordon_result *out, cordon_error *err)
{
    cordon_status st = match_compare(e, name1, name2, type, algo, a, out, err);
    if (st != CORDON_OK || algo != CORDON_ALGO_DEFAULT)
        return st;
    /* Either side may be the Hanja (or kanji) one; both in Han are compared as written
     * already. The Korean reading, then the Japanese one. */
    static const struct {
        const reading_kind *kind;
        bool (*read)(const text_dict *d, const char *name, char *out, size_t cap);
    } kinds[] = {{&korean, text_korean_reading}, {&japanese, text_japanese_reading}};
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        char r1[CORDON_MAX_QUERY_BYTES + 1], r2[CORDON_MAX_QUERY_BYTES + 1];
        bool k1 = kinds[k].read(e->index->dict, name1, r1, sizeof r1);
        bool k2 = kinds[k].read(e->index->dict, name2, r2, sizeof r2);
        if (k1 == k2)
            continue;
        cordon_result kr;
        cordon_error kerr = {0};
        if (match_compare(e, k1 ? r1 : name1, k2 ? r2 : name2, type, algo, a, &kr, &kerr) !=
                CORDON_OK ||
            kr.hits[0].score <= out->hits[0].score || !whole_name(&kr.hits[0]))
            continue;
        cordon_hit *h = (cordon_hit *)kr.hits;
        if (mark_reading(a, h, kinds[k].kind->feature, kinds[k].kind->language,
                         k1 ? name1 : name2, k1 ? r1 : r2) != CORDON_OK)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        h->entity.names = out->hits[0].entity.names; /* the names as given */
        h->matched_name = out->hits[0].matched_name;
        kr.query_ascii = out->query_ascii;
        *out = kr;
    }
    return CORDON_OK;
}
