/* report.c - the report of one checked transaction, written straight into a byte buffer as
 * compact JSON (the shape of docs/transactions.md). Building a jansson tree for every report
 * and dumping it cost more than evaluating all the rules; the bytes are the same as
 * json_dumps(JSON_COMPACT | JSON_REAL_PRECISION(6)) would give, keys in the same order. */
#include "risk.h"
#include "../util/jsonw.h"

#include <stdio.h>

static double rounded(double v) { return (double)(long)(v * 1000 + 0.5) / 1000; }

static void party_out(jsonw *b, size_t i, const tx_party *p)
{
    jsonw_open(b, "index");
    jsonw_int(b, (long long)i);
    jsonw_key(b, "role");
    jsonw_str(b, p->role);
    jsonw_key(b, "name");
    jsonw_str(b, p->name);
    jsonw_key(b, "country");
    jsonw_str(b, p->country);
    if (p->iban) {
        jsonw_key(b, "iban");
        jsonw_open(b, "value");
        jsonw_str(b, p->iban);
        jsonw_key(b, "valid");
        jsonw_bool(b, p->iban_state == 1);
        jsonw_char(b, '}');
    }
    if (p->imo) {
        jsonw_key(b, "imo");
        jsonw_open(b, "value");
        jsonw_str(b, p->imo);
        jsonw_key(b, "valid");
        jsonw_bool(b, p->imo_state == 1);
        jsonw_char(b, '}');
    }
    jsonw_key(b, "hits");
    jsonw_char(b, '[');
    for (size_t k = 0; k < p->screen.n_hits; k++) {
        const cordon_hit *h = &p->screen.hits[k];
        if (k)
            jsonw_char(b, ',');
        jsonw_open(b, "source");
        jsonw_str(b, h->entity.source);
        jsonw_key(b, "id");
        jsonw_str(b, h->entity.source_id);
        jsonw_key(b, "name");
        jsonw_str(b, h->entity.n_names ? h->entity.names[0].full : NULL);
        jsonw_key(b, "matched_name");
        jsonw_str(b, h->matched_name);
        jsonw_key(b, "type");
        jsonw_str(b, cordon_entity_type_name(h->entity.type));
        jsonw_key(b, "score");
        jsonw_real(b, rounded(h->score), 6);
        jsonw_key(b, "regimes");
        jsonw_char(b, '[');
        for (size_t j = 0; j < h->entity.n_regimes; j++) {
            if (j)
                jsonw_char(b, ',');
            jsonw_str(b, h->entity.regimes[j]);
        }
        jsonw_raw(b, "]}");
    }
    jsonw_raw(b, "]}");
}

static void goods_out(jsonw *b, size_t i, const tx_goods *g)
{
    const cordon_goods_result *r = &g->cls;
    jsonw_open(b, "index");
    jsonw_int(b, (long long)i);
    jsonw_key(b, "description");
    jsonw_str(b, g->description);
    jsonw_key(b, "hs");
    jsonw_str(b, g->hs);
    jsonw_key(b, "hs_known");
    jsonw_bool(b, g->hs && r->hs.known);
    jsonw_key(b, "hs_conflict");
    jsonw_str(b, r->hs.conflict);
    jsonw_key(b, "controlled");
    jsonw_bool(b, r->controlled);
    jsonw_key(b, "candidates");
    jsonw_char(b, '[');
    for (size_t k = 0; k < r->n_candidates; k++) {
        const cordon_goods_candidate *c = &r->candidates[k];
        if (k)
            jsonw_char(b, ',');
        jsonw_open(b, "regime");
        jsonw_str(b, c->regime);
        jsonw_key(b, "list");
        jsonw_str(b, c->list);
        jsonw_key(b, "code");
        jsonw_str(b, c->code);
        jsonw_key(b, "title");
        jsonw_str(b, c->title);
        jsonw_key(b, "score");
        jsonw_real(b, rounded(c->score), 6);
        jsonw_char(b, '}');
    }
    jsonw_char(b, ']');
    jsonw_key(b, "prohibitions");
    jsonw_char(b, '[');
    for (size_t k = 0; k < r->n_prohibitions; k++) {
        const cordon_goods_prohibition *p = &r->prohibitions[k];
        if (k)
            jsonw_char(b, ',');
        jsonw_open(b, "regime");
        jsonw_str(b, p->regime);
        jsonw_key(b, "citation");
        jsonw_str(b, p->citation);
        jsonw_key(b, "direction");
        jsonw_str(b, p->direction);
        jsonw_key(b, "rule");
        jsonw_str(b, p->rule);
        jsonw_key(b, "reason");
        jsonw_str(b, p->reason);
        jsonw_key(b, "verified");
        jsonw_bool(b, p->verified);
        jsonw_char(b, '}');
    }
    jsonw_raw(b, "]}");
}

/* The party or goods indexes the evidence names, each once, in order of first mention. */
static void indexes_out(jsonw *b, const risk_flag *f, int parties)
{
    jsonw_char(b, '[');
    int n = 0;
    for (size_t i = 0; i < f->n_ev; i++) {
        int idx = parties ? f->ev[i].party : f->ev[i].party >= 0 ? -1 : f->ev[i].goods;
        if (idx < 0)
            continue;
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++) {
            int o = parties ? f->ev[k].party : f->ev[k].party >= 0 ? -1 : f->ev[k].goods;
            seen = o == idx;
        }
        if (seen)
            continue;
        if (n++)
            jsonw_char(b, ',');
        jsonw_int(b, idx);
    }
    jsonw_char(b, ']');
}

static void flag_out(jsonw *b, const risk_flag *f)
{
    static const char *const sev[] = {"info", "review", "block"};
    const rule *ru = f->rule;
    jsonw_open(b, "id");
    jsonw_str(b, ru->id);
    jsonw_key(b, "pack");
    jsonw_str(b, ru->pack);
    jsonw_key(b, "severity");
    jsonw_str(b, sev[ru->sev]);
    jsonw_key(b, "weight");
    jsonw_real(b, ru->weight, 6);
    jsonw_key(b, "explanation");
    jsonw_str(b, ru->explanation);
    jsonw_key(b, "citation");
    jsonw_str(b, ru->citation);
    jsonw_key(b, "evidence");
    jsonw_char(b, '[');
    for (size_t i = 0; i < f->n_ev; i++) {
        if (i)
            jsonw_char(b, ',');
        jsonw_str(b, f->ev[i].text ? f->ev[i].text : "");
    }
    jsonw_char(b, ']');
    jsonw_key(b, "parties");
    indexes_out(b, f, 1);
    jsonw_key(b, "goods");
    indexes_out(b, f, 0);
    jsonw_char(b, '}');
}

bool risk_render(const cordon_risk *r, const tx *t, const char *decision, double score,
                 const risk_flag *flags, size_t n_flags, long line, buf *out)
{
    jsonw w = {out, false}, *b = &w;
    jsonw_open(b, "id");
    jsonw_str(b, t->id);
    jsonw_key(b, "decision");
    jsonw_str(b, decision);
    jsonw_key(b, "score");
    jsonw_real(b, score, 6);
    jsonw_key(b, "flags");
    jsonw_char(b, '[');
    for (size_t i = 0; i < n_flags; i++) {
        if (i)
            jsonw_char(b, ',');
        flag_out(b, &flags[i]);
    }
    jsonw_char(b, ']');
    jsonw_key(b, "parties");
    jsonw_char(b, '[');
    for (size_t i = 0; i < t->n_parties; i++) {
        if (i)
            jsonw_char(b, ',');
        party_out(b, i, &t->parties[i]);
    }
    jsonw_char(b, ']');
    jsonw_key(b, "goods");
    jsonw_char(b, '[');
    for (size_t i = 0; i < t->n_goods; i++) {
        if (i)
            jsonw_char(b, ',');
        goods_out(b, i, &t->goods[i]);
    }
    jsonw_char(b, ']');
    jsonw_key(b, "versions");
    jsonw_open(b, "cordon");
    jsonw_str(b, CORDON_VERSION);
    jsonw_key(b, "snapshot");
    jsonw_str(b, r->snapshot);
    jsonw_key(b, "rules");
    jsonw_str(b, r->version);
    jsonw_char(b, '}');
    if (line >= 0) {
        jsonw_key(b, "line");
        jsonw_int(b, line);
    }
    jsonw_char(b, '}');
    return !w.failed;
}
