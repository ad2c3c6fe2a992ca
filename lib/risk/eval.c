/* eval.c - checking one transaction: screen every party against the lists, classify every
 * goods line against the control lists, evaluate the rules and render the report. */
#include "risk.h"

#include <stdlib.h>
#include <time.h>

/* ---- screening ---- */

static cordon_entity_type party_type(const tx_party *p)
{
    if (strcmp(p->role, "vessel") == 0)
        return CORDON_TYPE_VESSEL;
    if (strstr(p->role, "bank"))
        return CORDON_TYPE_ORGANIZATION;
    return CORDON_TYPE_UNKNOWN;
}

/* The IMO number outweighs a vessel's name: screen the number alone and keep the hits the
 * identifier carried, so a renamed vessel is still found. */
static cordon_status screen_imo(const cordon_risk *r, tx_party *p, cordon_arena *a,
                                cordon_error *err)
{
    char *digits = arena_alloc(a, 8);
    if (!digits)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    size_t nd = 0;
    for (const char *c = p->imo; *c && nd < 7; c++)
        if (*c >= '0' && *c <= '9')
            digits[nd++] = *c;
    cordon_query q = {0};
    q.name = digits;
    q.type = CORDON_TYPE_VESSEL;
    q.id_type = "imo";
    q.id_value = digits;
    q.limit = 3;
    q.threshold = r->set.party_threshold;
    cordon_result res;
    cordon_status st = cordon_screen(r->engine, &q, a, &res, err);
    if (st || res.n_hits == 0)
        return st;
    cordon_hit *all = arena_alloc(a, (p->screen.n_hits + res.n_hits) * sizeof *all);
    if (!all)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < res.n_hits; i++) {
        int by_id = 0;
        for (size_t k = 0; k < res.hits[i].n_features; k++)
            by_id |= strcmp(res.hits[i].features[k].feature, "identifier") == 0 &&
                     res.hits[i].features[k].delta > 0;
        if (by_id)
            all[n++] = res.hits[i];
    }
    for (size_t i = 0; i < p->screen.n_hits; i++) {
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= all[k].entity_index == p->screen.hits[i].entity_index;
        if (!dup)
            all[n++] = p->screen.hits[i];
    }
    p->screen.hits = all;
    p->screen.n_hits = n;
    return CORDON_OK;
}

static cordon_status screen_parties(const cordon_risk *r, tx *t, cordon_arena *a,
                                    cordon_error *err)
{
    const char **keys = arena_alloc(a, (t->n_parties + 1) * sizeof *keys);
    if (!keys)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < t->n_parties; i++) {
        tx_party *p = &t->parties[i];
        const char *key = keys[i] = arena_printf(a, "%d\x1f%s\x1f%s\x1f%s", (int)party_type(p),
                                                 p->country ? p->country : "",
                                                 p->imo_state == 1 ? p->imo : "", p->name);
        /* the buyer is often the consignee or the payer too: screen each party once */
        size_t same = i;
        for (size_t j = 0; key && j < i && same == i; j++)
            if (keys[j] && strcmp(keys[j], key) == 0)
                same = j;
        if (same < i) {
            p->screen = t->parties[same].screen;
            continue;
        }
        if (key && pcache_get(r->cache, key, strlen(key), &p->screen))
            continue;
        cordon_query q = {0};
        q.name = p->name;
        q.type = party_type(p);
        q.country = p->country;
        if (p->imo_state == 1) {
            q.id_type = "imo";
            q.id_value = p->imo;
        }
        q.limit = 3;
        q.threshold = r->set.party_threshold;
        cordon_status st = cordon_screen(r->engine, &q, a, &p->screen, err);
        if (!st && p->imo_state == 1)
            st = screen_imo(r, p, a, err);
        if (st) {
            err_prefix(err, "parties[%zu].name", i);
            return st;
        }
        if (key)
            pcache_put(r->cache, key, strlen(key), &p->screen);
    }
    return CORDON_OK;
}

static const char *first_country_of(const tx *t, const char *const *roles, size_t n)
{
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < t->n_parties; i++)
            if (strcmp(t->parties[i].role, roles[k]) == 0 && t->parties[i].country)
                return t->parties[i].country;
    return NULL;
}

static cordon_status classify_goods(const cordon_risk *r, tx *t, cordon_arena *a,
                                    cordon_error *err)
{
    static const char *const dest_roles[] = {"end_user", "consignee", "buyer", "applicant"};
    static const char *const orig_roles[] = {"seller", "shipper", "beneficiary", "manufacturer"};
    const char *dest = t->destination ? t->destination : first_country_of(t, dest_roles, 4);
    const char *orig = t->origin ? t->origin : first_country_of(t, orig_roles, 4);
    for (size_t i = 0; i < t->n_goods; i++) {
        tx_goods *g = &t->goods[i];
        cordon_goods_query q = {0};
        q.text = g->technical ? arena_printf(a, "%s; %s", g->description ? g->description : "",
                                             g->technical)
                              : g->description;
        q.hs = g->hs;
        q.destination = dest;
        q.origin = orig;
        q.limit = 3;
        q.threshold = r->set.goods_threshold;
        const char *key = arena_printf(a, "%s\x1f%s\x1f%s\x1f%s", q.text ? q.text : "",
                                       q.hs ? q.hs : "", dest ? dest : "", orig ? orig : "");
        if (key && pcache_get_goods(r->cache, key, strlen(key), &g->cls)) {
            g->classified = 1;
            continue;
        }
        cordon_status st = cordon_goods_classify(r->goods, &q, a, &g->cls, err);
        if (st) {
            err_prefix(err, "goods[%zu]", i);
            return st;
        }
        g->classified = 1;
        if (key)
            pcache_put_goods(r->cache, key, strlen(key), &g->cls);
    }
    return CORDON_OK;
}

/* ---- rule evaluation ---- */

typedef struct ectx {
    const cordon_risk *r;
    const tx *t;
    cordon_arena *a;
    vec ev;
    int party, goods; /* the subject inside a scope, else -1 */
    long tx_day;      /* days since 1970 of the transaction date (or today) */
} ectx;

static void note(ectx *c, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void note(ectx *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    risk_evidence *e = vec_push(&c->ev);
    if (!e)
        return;
    if (c->party >= 0) {
        const tx_party *p = &c->t->parties[c->party];
        e->text = arena_printf(c->a, "parties[%d] %s \"%s\": %s", c->party, p->role, p->name, msg);
    } else if (c->goods >= 0) {
        const tx_goods *g = &c->t->goods[c->goods];
        e->text = arena_printf(c->a, "goods[%d] \"%s\"%s%s: %s", c->goods,
                               g->description ? g->description : "", g->hs ? " HS " : "",
                               g->hs ? g->hs : "", msg);
    } else {
        e->text = arena_strdup(c->a, msg);
    }
    e->party = c->party;
    e->goods = c->goods;
}

static void truncate_ev(ectx *c, size_t mark)
{
    c->ev.len = mark;
}

static const char *phrase_in(const char *norm, const strlist *l)
{
    if (!norm)
        return NULL;
    for (size_t i = 0; i < l->n; i++)
        if (strstr(norm, l->v[i]))
            return l->v[i];
    return NULL;
}

/* A matched phrase for the trail, without the spaces that mark word boundaries. */
static const char *shown(cordon_arena *a, const char *phrase)
{
    size_t n = strlen(phrase);
    size_t b = phrase[0] == ' ', e = n > b && phrase[n - 1] == ' ';
    return arena_strndup(a, phrase + b, n - b - e);
}

static int in_list(const char *s, const strlist *l)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < l->n; i++)
        if (str_ieq(s, l->v[i]))
            return 1;
    return 0;
}

static long days_of(const char *iso)
{
    cordon_date d;
    if (!iso || !date_parse_iso(iso, &d))
        return -1;
    long y = d.year_from, m = d.month ? d.month : 1, day = d.day ? d.day : 1;
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int eval_node(ectx *c, const node *n);

static int hit_in_regimes(const cordon_hit *h, const strlist *l)
{
    if (l->n == 0)
        return 1;
    for (size_t k = 0; k < h->entity.n_regimes; k++)
        if (in_list(h->entity.regimes[k], l))
            return 1;
    return 0;
}

static int eval_listed(ectx *c, const node *n, const tx_party *p)
{
    double min = n->num >= 0 ? n->num : c->r->set.party_threshold;
    int fired = 0;
    for (size_t i = 0; i < p->screen.n_hits; i++) {
        const cordon_hit *h = &p->screen.hits[i];
        if (h->score < min || !hit_in_regimes(h, &n->list))
            continue;
        note(c, "matches %s %s \"%s\" (score %.2f%s%s)", h->entity.source, h->entity.source_id,
             h->entity.n_names ? h->entity.names[0].full : h->matched_name, h->score,
             h->entity.n_regimes ? ", " : "", h->entity.n_regimes ? h->entity.regimes[0] : "");
        fired = 1;
    }
    return fired;
}

/* The party's country is none of the countries of the parties in the given roles. */
static int eval_country_not_of(ectx *c, const node *n, const tx_party *p)
{
    if (!p->country)
        return 0;
    int others = 0;
    for (size_t i = 0; i < c->t->n_parties; i++) {
        const tx_party *o = &c->t->parties[i];
        if (o == p || !o->country || !in_list(o->role, &n->list))
            continue;
        if (strcmp(o->country, p->country) == 0)
            return 0;
        others++;
    }
    if (others)
        note(c, "country %s is not that of any %s", p->country, n->list.v[0]);
    return others > 0;
}

static int eval_name_not_of(ectx *c, const node *n, const tx_party *p)
{
    int others = 0;
    for (size_t i = 0; i < c->t->n_parties; i++) {
        const tx_party *o = &c->t->parties[i];
        if (o == p || !in_list(o->role, &n->list))
            continue;
        if (strcmp(o->norm_name, p->norm_name) == 0)
            return 0;
        others++;
    }
    if (others)
        note(c, "is not named as %s on the trade documents", n->list.v[0]);
    return others > 0;
}

static int eval_party_leaf(ectx *c, const node *n)
{
    const tx_party *p = &c->t->parties[c->party];
    const char *m;
    switch (n->kind) {
    case P_ROLE_IN:
        return in_list(p->role, &n->list);
    case P_COUNTRY_IN:
        if (!in_list(p->country, &n->list))
            return 0;
        note(c, "country %s", p->country);
        return 1;
    case P_NAME_HAS:
    case P_ADDRESS_HAS:
    case P_TEXT_HAS:
        m = phrase_in(n->kind == P_NAME_HAS ? p->norm_name : n->kind == P_ADDRESS_HAS ? p->norm_address : p->norm_text, &n->list);
        if (m)
            note(c, "%s has \"%s\"", n->kind == P_ADDRESS_HAS ? "address" : n->kind == P_NAME_HAS ? "name" : "name or address", shown(c->a, m));
        return m != NULL;
    case P_KIND_IN:
        if (!p->kind || !phrase_in(tx_normalise(c->a, p->kind), &n->list))
            return 0;
        note(c, "declared kind \"%s\"", p->kind);
        return 1;
    case P_LISTED:
        return eval_listed(c, n, p);
    case P_IBAN_INVALID:
        if (p->iban_state != 0)
            return 0;
        note(c, "IBAN \"%s\" fails the ISO 13616 check (length or mod 97)", p->iban);
        return 1;
    case P_IMO_INVALID:
        if (p->imo_state != 0)
            return 0;
        note(c, "IMO number \"%s\" is not 7 digits with a valid check digit", p->imo);
        return 1;
    case P_IMO_MISSING:
        if (p->imo_state != -1)
            return 0;
        note(c, "no IMO number given");
        return 1;
    case P_FOUNDED_WITHIN: {
        long f = days_of(p->founded);
        if (f < 0 || c->tx_day - f > (long)n->num || c->tx_day < f - 1)
            return 0;
        note(c, "founded %s, %ld days before the transaction", p->founded, c->tx_day - f);
        return 1;
    }
    case P_COUNTRY_NOT_OF_ROLES:
        return eval_country_not_of(c, n, p);
    case P_NAME_NOT_OF_ROLES:
        return eval_name_not_of(c, n, p);
    default:
        return 0;
    }
}

static const char *hs_digits(cordon_arena *a, const char *hs)
{
    char *o = arena_alloc(a, strlen(hs) + 1);
    size_t k = 0;
    for (const char *p = hs; o && *p; p++)
        if (*p >= '0' && *p <= '9')
            o[k++] = *p;
    return o;
}

static int eval_goods_leaf(ectx *c, const node *n)
{
    const tx_goods *g = &c->t->goods[c->goods];
    const cordon_goods_result *r = &g->cls;
    const char *m;
    switch (n->kind) {
    case G_HS_PREFIX_IN: {
        if (!g->hs)
            return 0;
        const char *d = hs_digits(c->a, g->hs);
        for (size_t i = 0; d && i < n->list.n; i++)
            if (strncmp(d, n->list.v[i], strlen(n->list.v[i])) == 0) {
                note(c, "HS %s is under %s", g->hs, n->list.v[i]);
                return 1;
            }
        return 0;
    }
    case G_CONTROLLED: {
        double min = n->num >= 0 ? n->num : c->r->set.goods_threshold;
        for (size_t i = 0; i < r->n_candidates; i++) {
            const cordon_goods_candidate *k = &r->candidates[i];
            if (k->score >= min && (n->list.n == 0 || in_list(k->regime, &n->list))) {
                note(c, "%s %s \"%.120s\" (score %.2f)", k->list, k->code, k->title, k->score);
                return 1;
            }
        }
        return 0;
    }
    case G_PROHIBITED: {
        int fired = 0;
        for (size_t i = 0; i < r->n_prohibitions; i++) {
            const cordon_goods_prohibition *p = &r->prohibitions[i];
            if (n->num && !p->verified)
                continue;
            if (strcmp(n->field, "any") && strcmp(p->direction, "both") &&
                strcmp(p->direction, n->field))
                continue;
            /* a ban binds in its direction only: supply needs the DPRK as destination,
             * procurement needs it as origin (the classifier also lists conditional bans) */
            int to_kp = r->destination && strcmp(r->destination, "KP") == 0;
            int from_kp = r->origin && strcmp(r->origin, "KP") == 0;
            const char *dir = strcmp(n->field, "any") ? n->field : p->direction;
            if (strcmp(dir, "import") == 0 ? !to_kp
                : strcmp(dir, "export") == 0 ? !from_kp : !(to_kp || from_kp))
                continue;
            note(c, "%s %s (%s): %.200s", p->regime, p->citation, p->direction, p->reason);
            fired = 1;
        }
        return fired;
    }
    case G_HS_CONFLICT:
        if (!r->hs.conflict)
            return 0;
        note(c, "%s", r->hs.conflict);
        return 1;
    case G_WORDS_LT:
        if ((double)g->words >= n->num || !g->description)
            return 0;
        note(c, "description has only %zu word%s", g->words, g->words == 1 ? "" : "s");
        return 1;
    case G_TEXT_IS:
        for (size_t i = 0; i < n->list.n; i++)
            if (strcmp(g->norm, n->list.v[i]) == 0) {
                note(c, "description is only \"%s\"", g->description);
                return 1;
            }
        return 0;
    case G_TEXT_HAS:
        m = phrase_in(g->norm, &n->list);
        if (m)
            note(c, "description has \"%s\"", shown(c->a, m));
        return m != NULL;
    case G_HS_MISSING:
        if (g->hs)
            return 0;
        note(c, "no HS code declared");
        return 1;
    default:
        return 0;
    }
}

static int leg_wanted(const node *n, const char *leg)
{
    return n->roles.n == 0 || in_list(leg, &n->roles);
}

static int eval_route(ectx *c, const node *n)
{
    const tx *t = c->t;
    int fired = 0;
    if (strcmp(n->field, "ports") == 0) {
        const tx_port *ports[2] = {&t->loading, &t->discharge};
        const char *legs[2] = {"loading", "discharge"};
        for (int i = 0; i < 2; i++) {
            const char *m = leg_wanted(n, legs[i]) ? phrase_in(ports[i]->norm, &n->list) : NULL;
            if (m) {
                note(c, "port of %s \"%s\"", legs[i], ports[i]->name);
                fired = 1;
            }
        }
        return fired;
    }
    const char *vals[4] = {t->origin, t->loading.country, t->discharge.country, t->destination};
    const char *legs[4] = {"origin", "loading", "discharge", "destination"};
    for (int i = 0; i < 4; i++)
        if (leg_wanted(n, legs[i]) && in_list(vals[i], &n->list)) {
            note(c, "route %s %s", legs[i], vals[i]);
            fired = 1;
        }
    for (size_t i = 0; leg_wanted(n, "transit") && i < t->n_transit; i++)
        if (in_list(t->transit[i], &n->list)) {
            note(c, "route transit %s", t->transit[i]);
            fired = 1;
        }
    return fired;
}

static const char *tx_field(const tx *t, const char *name, int norm)
{
    if (strcmp(name, "payment.method") == 0)
        return norm ? t->norm_method : t->pay_method;
    if (strcmp(name, "payment.terms") == 0)
        return norm ? t->norm_terms : t->pay_terms;
    if (strcmp(name, "end_use") == 0)
        return norm ? t->norm_end_use : t->end_use;
    if (strcmp(name, "notes") == 0)
        return norm ? t->norm_notes : t->notes;
    return t->type;
}

static int eval_scope(ectx *c, const node *n)
{
    int fired = 0;
    size_t count = n->kind == N_PARTY ? c->t->n_parties : c->t->n_goods;
    for (size_t i = 0; i < count; i++) {
        if (n->kind == N_PARTY && n->roles.n && !in_list(c->t->parties[i].role, &n->roles))
            continue;
        size_t mark = c->ev.len;
        if (n->kind == N_PARTY)
            c->party = (int)i;
        else
            c->goods = (int)i;
        int ok = eval_node(c, n->kids[0]);
        if (ok) {
            /* A subject that matched without a note of its own still shows in the trail. */
            if (c->ev.len == mark)
                note(c, "matches");
            fired = 1;
        } else {
            truncate_ev(c, mark);
        }
        c->party = c->goods = -1;
    }
    return fired;
}

static int eval_node(ectx *c, const node *n)
{
    size_t mark = c->ev.len;
    int fired = 0;
    switch (n->kind) {
    case N_ALL:
        for (size_t i = 0; i < n->n_kids; i++)
            if (!eval_node(c, n->kids[i])) {
                truncate_ev(c, mark);
                return 0;
            }
        return 1;
    case N_ANY:
        for (size_t i = 0; i < n->n_kids; i++)
            fired |= eval_node(c, n->kids[i]);
        return fired;
    case N_NOT:
        fired = eval_node(c, n->kids[0]);
        truncate_ev(c, mark);
        return !fired;
    case N_PARTY:
    case N_GOODS:
        return eval_scope(c, n);
    case N_ROUTE:
        return eval_route(c, n);
    case N_FIELD_HAS: {
        const char *m = phrase_in(tx_field(c->t, n->field, 1), &n->list);
        if (m)
            note(c, "%s has \"%s\"", n->field, shown(c->a, m));
        return m != NULL;
    }
    case N_FIELD_MISSING:
        if (tx_field(c->t, n->field, 0))
            return 0;
        note(c, "%s not given", n->field);
        return 1;
    case N_TYPE_IN:
        return c->t->type && phrase_in(tx_normalise(c->a, c->t->type), &n->list) != NULL;
    default:
        return c->party >= 0 ? eval_party_leaf(c, n) : c->goods >= 0 ? eval_goods_leaf(c, n) : 0;
    }
}

static long today_days(void)
{
    return (long)(time(NULL) / 86400);
}

cordon_status risk_check_tx(const cordon_risk *r, tx *t, cordon_arena *a, long line, buf *out,
                            risk_decision *decision, cordon_error *err)
{
    cordon_status st = screen_parties(r, t, a, err);
    if (st || (st = classify_goods(r, t, a, err)))
        return st;
    ectx c = {.r = r, .t = t, .a = a, .party = -1, .goods = -1};
    c.tx_day = t->date ? days_of(t->date) : today_days();
    vec_init(&c.ev, sizeof(risk_evidence));
    risk_flag *flags = arena_alloc(a, (r->n_rules + 1) * sizeof *flags);
    size_t n_flags = 0;
    double score = 0;
    int worst = -1;
    for (size_t i = 0; flags && i < r->n_rules; i++) {
        const rule *ru = &r->rules[i];
        vec_clear(&c.ev);
        if (!eval_node(&c, ru->when))
            continue;
        /* the trail vector is reused by the next rule: keep a copy */
        risk_evidence *ev = arena_alloc(a, (c.ev.len + 1) * sizeof *ev);
        if (!ev) {
            flags = NULL;
            break;
        }
        if (c.ev.len)
            memcpy(ev, c.ev.data, c.ev.len * sizeof *ev);
        flags[n_flags++] = (risk_flag){ru, ev, c.ev.len};
        score += ru->weight;
        if ((int)ru->sev > worst)
            worst = (int)ru->sev;
    }
    vec_free(&c.ev);
    if (!flags)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    if (score > 100)
        score = 100;
    risk_decision d = worst == SEV_BLOCK || score >= r->set.block_score     ? DECISION_BLOCK
                      : worst == SEV_REVIEW || score >= r->set.review_score ? DECISION_REVIEW
                                                                            : DECISION_CLEAR;
    static const char *const names[] = {"clear", "review", "block"};
    if (decision)
        *decision = d;
    if (!risk_render(r, t, names[d], score, flags, n_flags, line, out))
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}
