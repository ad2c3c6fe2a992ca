/* json.c - the JSON shape of a goods result, shared by the CLI and the server. */
#include "goods.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

static json_t *num4(double x) { return json_real(round(x * 10000.0) / 10000.0); }
static json_t *str(const char *s) { return json_string(s ? s : ""); }

static json_t *evidence_json(const cordon_goods_evidence *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "kind", str(e->kind));
    json_object_set_new(o, "matched", str(e->matched));
    json_object_set_new(o, "detail", str(e->detail));
    json_object_set_new(o, "delta", num4(e->delta));
    return o;
}

static json_t *candidate_json(const cordon_goods_candidate *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "regime", str(c->regime));
    json_object_set_new(o, "list", str(c->list));
    json_object_set_new(o, "code", str(c->code));
    json_object_set_new(o, "title", str(c->title));
    json_object_set_new(o, "heading", str(c->heading));
    json_object_set_new(o, "score", num4(c->score));
    json_t *ev = json_array();
    for (size_t i = 0; i < c->n_evidence; i++)
        json_array_append_new(ev, evidence_json(&c->evidence[i]));
    json_object_set_new(o, "evidence", ev);
    json_t *src = json_object();
    json_object_set_new(src, "document", str(c->document));
    json_object_set_new(src, "edition", str(c->edition));
    json_object_set_new(src, "file", str(c->file));
    json_object_set_new(src, "line", json_integer((json_int_t)c->line));
    json_object_set_new(o, "source", src);
    return o;
}

static json_t *hs_json(const cordon_goods_hs *h)
{
    json_t *o = json_object();
    json_object_set_new(o, "code", str(h->code));
    json_object_set_new(o, "known", json_boolean(h->known));
    json_object_set_new(o, "description", str(h->description));
    json_object_set_new(o, "chapter", str(h->chapter));
    json_object_set_new(o, "chapter_description", str(h->chapter_description));
    json_object_set_new(o, "section", str(h->section));
    json_object_set_new(o, "section_name", str(h->section_name));
    json_object_set_new(o, "inferred", str(h->inferred));
    json_object_set_new(o, "conflict", h->conflict ? json_string(h->conflict) : json_null());
    return o;
}

static json_t *prohibition_json(const cordon_goods_prohibition *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "regime", str(p->regime));
    json_object_set_new(o, "rule", str(p->rule));
    json_object_set_new(o, "citation", str(p->citation));
    json_object_set_new(o, "direction", str(p->direction));
    json_object_set_new(o, "hs", str(p->hs));
    json_object_set_new(o, "reason", str(p->reason));
    json_object_set_new(o, "limits", str(p->limits));
    json_object_set_new(o, "verified", json_boolean(p->verified));
    return o;
}

char *cordon_goods_result_json(const cordon_goods_query *q, const cordon_goods_result *r,
                               int pretty)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_t *query = json_object();
    json_object_set_new(query, "text", str(q ? q->text : ""));
    json_object_set_new(query, "hs", q && q->hs ? json_string(q->hs) : json_null());
    json_object_set_new(query, "destination", r->destination ? json_string(r->destination)
                                                             : json_null());
    json_object_set_new(query, "origin", r->origin ? json_string(r->origin) : json_null());
    json_object_set_new(o, "query", query);
    json_object_set_new(o, "controlled", json_boolean(r->controlled));
    json_t *res = json_array();
    for (size_t i = 0; i < r->n_candidates; i++)
        json_array_append_new(res, candidate_json(&r->candidates[i]));
    json_object_set_new(o, "results", res);
    json_object_set_new(o, "hs", hs_json(&r->hs));
    json_t *pro = json_array();
    for (size_t i = 0; i < r->n_prohibitions; i++)
        json_array_append_new(pro, prohibition_json(&r->prohibitions[i]));
    json_object_set_new(o, "prohibitions", pro);
    char *s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    return s;
}
