/* json.c - the one JSON shape of entities and screening results, shared by the CLI and the
 * server so that both answer alike. */
#include "match.h"
#include "../lists/reader.h"

#include <jansson.h>
#include <math.h>

static json_t *str_or_null(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *str_array(const char *const *v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(v[i]));
    return a;
}

/* Scores print with four decimals: enough to rank, stable across platforms. */
static json_t *score_json(double x) { return json_real(round(x * 10000.0) / 10000.0); }

static json_t *entity_obj(const cordon_entity *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(cordon_entity_type_name(e->type)));
    json_object_set_new(o, "source", json_string(e->source ? e->source : ""));
    json_object_set_new(o, "source_id", str_or_null(e->source_id));
    json_object_set_new(o, "listed_on", str_or_null(e->listed_on));
    json_object_set_new(o, "gender", str_or_null(e->gender));
    json_t *names = json_array();
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        json_t *x = json_pack("{s:s, s:s}", "name", n->full, "kind", cordon_name_kind_name(n->kind));
        if (n->given)
            json_object_set_new(x, "given", json_string(n->given));
        if (n->middle)
            json_object_set_new(x, "middle", json_string(n->middle));
        if (n->family)
            json_object_set_new(x, "family", json_string(n->family));
        if (n->script)
            json_object_set_new(x, "script", json_string(n->script));
        json_array_append_new(names, x);
    }
    json_object_set_new(o, "names", names);
    json_t *ids = json_array();
    for (size_t i = 0; i < e->n_ids; i++) {
        const cordon_identifier *id = &e->ids[i];
        json_t *x = json_pack("{s:s, s:s}", "type", cordon_id_type_name(id->type), "value", id->value);
        if (id->label)
            json_object_set_new(x, "label", json_string(id->label));
        if (id->country)
            json_object_set_new(x, "country", json_string(id->country));
        json_array_append_new(ids, x);
    }
    json_object_set_new(o, "identifiers", ids);
    json_t *dobs = json_array();
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        json_array_append_new(dobs, json_string(d));
    }
    json_object_set_new(o, "birth_dates", dobs);
    json_object_set_new(o, "birth_places", str_array(e->birth_places, e->n_birth_places));
    json_object_set_new(o, "nationalities", str_array(e->nationalities, e->n_nationalities));
    json_object_set_new(o, "citizenships", str_array(e->citizenships, e->n_citizenships));
    json_t *addrs = json_array();
    for (size_t i = 0; i < e->n_addresses; i++)
        json_array_append_new(addrs, json_pack("{s:s, s:o}", "text", e->addresses[i].text,
                                                "country", str_or_null(e->addresses[i].country)));
    json_object_set_new(o, "addresses", addrs);
    json_object_set_new(o, "programs", str_array(e->programs, e->n_programs));
    json_object_set_new(o, "regimes", str_array(e->regimes, e->n_regimes));
    json_object_set_new(o, "linked_to", str_array(e->linked_to, e->n_linked_to));
    json_object_set_new(o, "remarks", str_or_null(e->remarks));
    return o;
}

char *cordon_entity_json(const cordon_entity *e, int pretty)
{
    json_t *o = entity_obj(e);
    char *s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(o);
    return s;
}

static json_t *explanation(const cordon_hit *h)
{
    json_t *a = json_array();
    for (size_t i = 0; i < h->n_tokens; i++) {
        const cordon_token_match *t = &h->tokens[i];
        json_array_append_new(a, json_pack("{s:o, s:o, s:s, s:o, s:o}", "query",
                                           str_or_null(t->query), "matched", str_or_null(t->matched),
                                           "how", t->how, "similarity", score_json(t->similarity),
                                           "weight", score_json(t->weight)));
    }
    for (size_t i = 0; i < h->n_features; i++) {
        const cordon_feature_score *f = &h->features[i];
        json_array_append_new(a, json_pack("{s:s, s:o, s:s}", "feature", f->feature, "delta",
                                           score_json(f->delta), "detail", f->detail));
    }
    return a;
}

char *cordon_result_json(const cordon_query *q, const cordon_result *r, int pretty)
{
    json_t *query = json_object();
    if (q) {
        json_object_set_new(query, "name", json_string(q->name ? q->name : ""));
        json_object_set_new(query, "normalized", str_or_null(r->query_ascii));
        if (q->type != CORDON_TYPE_UNKNOWN)
            json_object_set_new(query, "type", json_string(cordon_entity_type_name(q->type)));
        if (q->dob)
            json_object_set_new(query, "dob", json_string(q->dob));
        if (q->country)
            json_object_set_new(query, "country", json_string(q->country));
        if (q->id_value)
            json_object_set_new(query, "id", json_pack("{s:o, s:s}", "type", str_or_null(q->id_type),
                                                       "value", q->id_value));
        if (q->n_sources)
            json_object_set_new(query, "sources", str_array(q->sources, q->n_sources));
        json_object_set_new(query, "algorithm",
                            json_string(q->algorithm == CORDON_ALGO_OFAC ? "ofac" : "default"));
        json_object_set_new(query, "threshold",
                            score_json(q->threshold < 0 ? CORDON_DEFAULT_THRESHOLD : q->threshold));
    }
    json_t *results = json_array();
    for (size_t i = 0; i < r->n_hits; i++) {
        const cordon_hit *h = &r->hits[i];
        const cordon_entity *e = &h->entity;
        char id[160];
        snprintf(id, sizeof id, "%s:%s", e->source ? e->source : "", e->source_id ? e->source_id : "");
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(id));
        json_object_set_new(o, "source", json_string(e->source ? e->source : ""));
        json_object_set_new(o, "source_id", str_or_null(e->source_id));
        json_object_set_new(o, "name", json_string(e->n_names ? e->names[0].full : ""));
        json_object_set_new(o, "matched_name", str_or_null(h->matched_name));
        json_object_set_new(o, "matched_kind", json_string(cordon_name_kind_name(h->matched_kind)));
        json_object_set_new(o, "type", json_string(cordon_entity_type_name(e->type)));
        json_object_set_new(o, "score", score_json(h->score));
        json_object_set_new(o, "name_score", score_json(h->name_score));
        json_object_set_new(o, "programs", str_array(e->programs, e->n_programs));
        json_object_set_new(o, "regimes", str_array(e->regimes, e->n_regimes));
        json_object_set_new(o, "listed_on", str_or_null(e->listed_on));
        json_object_set_new(o, "explanation", explanation(h));
        if (q)
            json_object_set_new(o, "entity", entity_obj(e));
        json_array_append_new(results, o);
    }
    json_t *root = json_object();
    json_object_set_new(root, "query", query);
    json_object_set_new(root, "results", results);
    json_object_set_new(root, "candidates", json_integer((json_int_t)r->candidates));
    char *s = json_dumps(root, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
    json_decref(root);
    return s;
}
