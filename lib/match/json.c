/* json.c - the one JSON shape of entities and screening results, shared by the CLI and the
 * server so that both answer alike. Written straight into a buffer (util/jsonw.h): for a
 * screening request over HTTP, a jansson tree cost a quarter of the request. Pretty output
 * (the CLI) is the compact text re-indented. */
#include "match.h"
#include "../lists/reader.h"
#include "../util/jsonw.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void str_array(jsonw *w, const char *const *v, size_t n)
{
    jsonw_char(w, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            jsonw_char(w, ',');
        jsonw_str(w, v[i]);
    }
    jsonw_char(w, ']');
}

/* Scores print with four decimals: enough to rank, stable across platforms. */
static void score(jsonw *w, double x) { jsonw_real(w, round(x * 10000.0) / 10000.0, 10); }

/* ,"key":"value" only when value is set. */
static void opt_str(jsonw *w, const char *key, const char *value)
{
    if (!value)
        return;
    jsonw_key(w, key);
    jsonw_str(w, value);
}

static void entity_out(jsonw *w, const cordon_entity *e)
{
    jsonw_open(w, "type");
    jsonw_str(w, cordon_entity_type_name(e->type));
    jsonw_key(w, "source");
    jsonw_str(w, e->source ? e->source : "");
    jsonw_key(w, "source_id");
    jsonw_str(w, e->source_id);
    jsonw_key(w, "listed_on");
    jsonw_str(w, e->listed_on);
    jsonw_key(w, "gender");
    jsonw_str(w, e->gender);
    jsonw_key(w, "names");
    jsonw_char(w, '[');
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        if (i)
            jsonw_char(w, ',');
        jsonw_open(w, "name");
        jsonw_str(w, n->full);
        jsonw_key(w, "kind");
        jsonw_str(w, cordon_name_kind_name(n->kind));
        opt_str(w, "given", n->given);
        opt_str(w, "middle", n->middle);
        opt_str(w, "family", n->family);
        opt_str(w, "script", n->script);
        jsonw_char(w, '}');
    }
    jsonw_raw(w, "],\"identifiers\":[");
    for (size_t i = 0; i < e->n_ids; i++) {
        const cordon_identifier *id = &e->ids[i];
        if (i)
            jsonw_char(w, ',');
        jsonw_open(w, "type");
        jsonw_str(w, cordon_id_type_name(id->type));
        jsonw_key(w, "value");
        jsonw_str(w, id->value);
        opt_str(w, "label", id->label);
        opt_str(w, "country", id->country);
        jsonw_char(w, '}');
    }
    jsonw_raw(w, "],\"birth_dates\":[");
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        if (i)
            jsonw_char(w, ',');
        jsonw_str(w, d);
    }
    jsonw_char(w, ']');
    jsonw_key(w, "birth_places");
    str_array(w, e->birth_places, e->n_birth_places);
    jsonw_key(w, "nationalities");
    str_array(w, e->nationalities, e->n_nationalities);
    jsonw_key(w, "citizenships");
    str_array(w, e->citizenships, e->n_citizenships);
    jsonw_key(w, "addresses");
    jsonw_char(w, '[');
    for (size_t i = 0; i < e->n_addresses; i++) {
        if (i)
            jsonw_char(w, ',');
        jsonw_open(w, "text");
        jsonw_str(w, e->addresses[i].text);
        jsonw_key(w, "country");
        jsonw_str(w, e->addresses[i].country);
        jsonw_char(w, '}');
    }
    jsonw_char(w, ']');
    jsonw_key(w, "programs");
    str_array(w, e->programs, e->n_programs);
    jsonw_key(w, "regimes");
    str_array(w, e->regimes, e->n_regimes);
    jsonw_key(w, "linked_to");
    str_array(w, e->linked_to, e->n_linked_to);
    jsonw_key(w, "remarks");
    jsonw_str(w, e->remarks);
    jsonw_char(w, '}');
}

static void explanation_out(jsonw *w, const cordon_hit *h)
{
    jsonw_char(w, '[');
    for (size_t i = 0; i < h->n_tokens; i++) {
        const cordon_token_match *t = &h->tokens[i];
        if (i)
            jsonw_char(w, ',');
        jsonw_open(w, "query");
        jsonw_str(w, t->query);
        jsonw_key(w, "matched");
        jsonw_str(w, t->matched);
        jsonw_key(w, "how");
        jsonw_str(w, t->how);
        jsonw_key(w, "similarity");
        score(w, t->similarity);
        jsonw_key(w, "weight");
        score(w, t->weight);
        jsonw_char(w, '}');
    }
    for (size_t i = 0; i < h->n_features; i++) {
        const cordon_feature_score *f = &h->features[i];
        if (i || h->n_tokens)
            jsonw_char(w, ',');
        jsonw_open(w, "feature");
        jsonw_str(w, f->feature);
        jsonw_key(w, "delta");
        score(w, f->delta);
        jsonw_key(w, "detail");
        jsonw_str(w, f->detail);
        jsonw_char(w, '}');
    }
    jsonw_char(w, ']');
}

static void query_out(jsonw *w, const cordon_query *q, const cordon_result *r)
{
    jsonw_open(w, "name");
    jsonw_str(w, q->name ? q->name : "");
    jsonw_key(w, "normalized");
    jsonw_str(w, r->query_ascii);
    if (q->type != CORDON_TYPE_UNKNOWN)
        opt_str(w, "type", cordon_entity_type_name(q->type));
    opt_str(w, "dob", q->dob);
    opt_str(w, "country", q->country);
    if (q->id_value) {
        jsonw_key(w, "id");
        jsonw_open(w, "type");
        jsonw_str(w, q->id_type);
        jsonw_key(w, "value");
        jsonw_str(w, q->id_value);
        jsonw_char(w, '}');
    }
    if (q->n_sources) {
        jsonw_key(w, "sources");
        str_array(w, q->sources, q->n_sources);
    }
    jsonw_key(w, "algorithm");
    jsonw_str(w, q->algorithm == CORDON_ALGO_OFAC ? "ofac" : "default");
    jsonw_key(w, "threshold");
    score(w, q->threshold < 0 ? CORDON_DEFAULT_THRESHOLD : q->threshold);
    jsonw_char(w, '}');
}

static void hit_out(jsonw *w, const cordon_hit *h, bool with_entity)
{
    const cordon_entity *e = &h->entity;
    char id[160];
    snprintf(id, sizeof id, "%s:%s", e->source ? e->source : "", e->source_id ? e->source_id : "");
    jsonw_open(w, "id");
    jsonw_str(w, id);
    jsonw_key(w, "source");
    jsonw_str(w, e->source ? e->source : "");
    jsonw_key(w, "source_id");
    jsonw_str(w, e->source_id);
    jsonw_key(w, "name");
    jsonw_str(w, e->n_names ? e->names[0].full : "");
    jsonw_key(w, "matched_name");
    jsonw_str(w, h->matched_name);
    jsonw_key(w, "matched_kind");
    jsonw_str(w, cordon_name_kind_name(h->matched_kind));
    jsonw_key(w, "type");
    jsonw_str(w, cordon_entity_type_name(e->type));
    jsonw_key(w, "score");
    score(w, h->score);
    jsonw_key(w, "name_score");
    score(w, h->name_score);
    jsonw_key(w, "programs");
    str_array(w, e->programs, e->n_programs);
    jsonw_key(w, "regimes");
    str_array(w, e->regimes, e->n_regimes);
    jsonw_key(w, "listed_on");
    jsonw_str(w, e->listed_on);
    jsonw_key(w, "explanation");
    explanation_out(w, h);
    if (with_entity) {
        jsonw_key(w, "entity");
        entity_out(w, e);
    }
    jsonw_char(w, '}');
}

/* The buffer as a malloc'd string, re-indented when pretty; NULL when out of memory. */
static char *finish(jsonw *w, int pretty)
{
    jsonw_char(w, '\0');
    if (w->failed) {
        buf_free(w->b);
        return NULL;
    }
    if (!pretty)
        return w->b->data;
    json_error_t je;
    json_t *v = json_loads(w->b->data, 0, &je);
    buf_free(w->b);
    if (!v)
        return NULL;
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(v);
    return s;
}

char *cordon_entity_json(const cordon_entity *e, int pretty)
{
    buf b = {0};
    jsonw w = {&b, false};
    entity_out(&w, e);
    return finish(&w, pretty);
}

char *cordon_result_json(const cordon_query *q, const cordon_result *r, int pretty)
{
    buf b = {0};
    jsonw w = {&b, !buf_reserve(&b, 1024 + r->n_hits * 2048)};
    jsonw_raw(&w, "{\"query\":");
    if (q)
        query_out(&w, q, r);
    else
        jsonw_raw(&w, "{}");
    jsonw_raw(&w, ",\"results\":[");
    for (size_t i = 0; i < r->n_hits; i++) {
        if (i)
            jsonw_char(&w, ',');
        hit_out(&w, &r->hits[i], q != NULL);
    }
    jsonw_raw(&w, "],\"candidates\":");
    jsonw_int(&w, (long long)r->candidates);
    jsonw_char(&w, '}');
    return finish(&w, pretty);
}
