/* find.c - findings: clusters (connected components over shared values, buy-side transaction
 * links and list matches, hubs excluded), ranked by risk, with the shortest evidence path to
 * a listed party in words and aggregation over time windows (parts of one control-list entry,
 * structuring below thresholds). */
#include "net.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLAG_SCORE 30.0

typedef struct graph {
    uint32_t n_nodes;
    uint32_t *off, *adj, *eid; /* CSR: neighbours and the edge that links them */
    uint32_t *comp;            /* node -> component, UINT32_MAX for hubs */
} graph;

static bool node_is_hub(const cordon_net *n, uint32_t v)
{
    return v < n->entities.len && NE(n, v)->hub;
}

static int cmp_edge2(const void *x, const void *y)
{
    const net_edge *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->attr != b->attr)
        return a->attr < b->attr ? -1 : 1;
    return (a->score < b->score) - (a->score > b->score); /* best first */
}

static void normalise_edges(cordon_net *n)
{
    uint32_t ne = (uint32_t)n->entities.len;
    for (size_t i = 0; i < n->edges.len; i++) {
        net_edge *e = &VEC_AT(&n->edges, net_edge, i);
        if (e->kind == EDGE_LISTED || e->kind == EDGE_LISTED_CONTACT) {
            e->b += ne;
            NE(n, e->a)->hub = false; /* a listed party's many counterparties are the finding */
        }
    }
    if (n->edges.len)
        qsort(n->edges.data, n->edges.len, sizeof(net_edge), cmp_edge2);
    size_t w = 0;
    for (size_t i = 0; i < n->edges.len; i++) {
        net_edge *e = &VEC_AT(&n->edges, net_edge, i);
        if (w) {
            net_edge *p = &VEC_AT(&n->edges, net_edge, w - 1);
            if (p->a == e->a && p->b == e->b && p->kind == e->kind && p->attr == e->attr)
                continue;
        }
        VEC_AT(&n->edges, net_edge, w++) = *e;
    }
    n->edges.len = w;
    for (size_t i = 0; i < n->listed.len; i++)
        VEC_AT(&n->listed, net_listed, i).node = ne + (uint32_t)i;
}

static bool graph_build(const cordon_net *n, graph *g)
{
    g->n_nodes = (uint32_t)(n->entities.len + n->listed.len);
    g->off = calloc(g->n_nodes + 1, sizeof *g->off);
    g->adj = malloc((n->edges.len * 2 + 1) * sizeof *g->adj);
    g->eid = malloc((n->edges.len * 2 + 1) * sizeof *g->eid);
    g->comp = malloc((g->n_nodes + 1) * sizeof *g->comp);
    if (!g->off || !g->adj || !g->eid || !g->comp)
        return false;
    for (size_t i = 0; i < n->edges.len; i++) {
        const net_edge *e = &VEC_AT(&n->edges, net_edge, i);
        if (node_is_hub(n, e->a) || node_is_hub(n, e->b))
            continue;
        g->off[e->a + 1]++;
        g->off[e->b + 1]++;
    }
    for (uint32_t v = 0; v < g->n_nodes; v++)
        g->off[v + 1] += g->off[v];
    uint32_t *fill = calloc(g->n_nodes + 1, sizeof *fill);
    if (!fill)
        return false;
    for (size_t i = 0; i < n->edges.len; i++) {
        const net_edge *e = &VEC_AT(&n->edges, net_edge, i);
        if (node_is_hub(n, e->a) || node_is_hub(n, e->b))
            continue;
        uint32_t pa = g->off[e->a] + fill[e->a]++, pb = g->off[e->b] + fill[e->b]++;
        g->adj[pa] = e->b;
        g->eid[pa] = (uint32_t)i;
        g->adj[pb] = e->a;
        g->eid[pb] = (uint32_t)i;
    }
    free(fill);
    return true;
}

static void graph_free(graph *g)
{
    free(g->off);
    free(g->adj);
    free(g->eid);
    free(g->comp);
}

/* Components by BFS; queue reused. Returns the number of components. */
static uint32_t components(const cordon_net *n, graph *g, uint32_t *queue)
{
    uint32_t nc = 0;
    for (uint32_t v = 0; v < g->n_nodes; v++)
        g->comp[v] = UINT32_MAX;
    for (uint32_t s = 0; s < (uint32_t)n->entities.len; s++) {
        if (g->comp[s] != UINT32_MAX || NE(n, s)->hub)
            continue;
        size_t qh = 0, qt = 0;
        queue[qt++] = s;
        g->comp[s] = nc;
        while (qh < qt) {
            uint32_t v = queue[qh++];
            for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++)
                if (g->comp[g->adj[k]] == UINT32_MAX) {
                    g->comp[g->adj[k]] = nc;
                    queue[qt++] = g->adj[k];
                }
        }
        nc++;
    }
    return nc;
}

/* ---- per-cluster evidence --------------------------------------------------------------- */

typedef struct cl_acc {
    double score;
    uint32_t n_nodes, n_tx;
    double best_listed;
    bool listed_contact, mission, route, prohibited, controlled, shared, aggregated, structured;
} cl_acc;

/* A partition of the nodes into groups: the connected components, or the dense communities
 * found inside large components. Both are scored the same way and ranked together. */
typedef struct layer {
    uint32_t *comp;         /* node -> group, UINT32_MAX for none */
    uint32_t nc;
    cl_acc *acc;
    uint32_t *tx_comp;      /* transaction -> group */
    uint32_t *tx_order;     /* transactions sorted by group */
    uint32_t *comp_tx0;     /* group -> first in tx_order */
    uint32_t *mem0, *members; /* group -> first in members; members sorted by group, node */
} layer;

typedef struct finder {
    cordon_net *n;
    graph g;
    layer L[2];             /* 0 components, 1 communities */
    /* the layer in use (use_layer) */
    uint32_t *comp, nc;
    cl_acc *acc;
    uint32_t *tx_comp, *tx_order, *comp_tx0;
    uint32_t *queue, *dist, *par;
    buf text;
} finder;

static void use_layer(finder *f, int i)
{
    f->comp = f->L[i].comp;
    f->nc = f->L[i].nc;
    f->acc = f->L[i].acc;
    f->tx_comp = f->L[i].tx_comp;
    f->tx_order = f->L[i].tx_order;
    f->comp_tx0 = f->L[i].comp_tx0;
}

static const char *node_name(const cordon_net *n, uint32_t v)
{
    if (v < n->entities.len)
        return NS(n, NE(n, v)->name);
    return NS(n, VEC_AT(&n->listed, net_listed, v - n->entities.len).name);
}

const char *net_node_label(const cordon_net *n, uint32_t node) { return node_name(n, node); }

static bool add_finding(cordon_net *n, const char *kind, double weight, const char *fmt, ...)
    PRINTF_LIKE(4, 5);
static bool add_finding(cordon_net *n, const char *kind, double weight, const char *fmt, ...)
{
    char s[1024];
    va_list ap;
    va_start(ap, fmt);
    int l = vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    if (l < 0)
        return false;
    net_finding *f = vec_push(&n->findings);
    if (!f)
        return false;
    f->kind = ns_intern(&n->s, kind, strlen(kind));
    f->text = ns_intern(&n->s, s, (size_t)l < sizeof s ? (size_t)l : sizeof s - 1);
    f->weight = weight;
    return true;
}

static void assign_transactions(finder *f)
{
    cordon_net *n = f->n;
    for (size_t t = 0; t < n->tx.len; t++) {
        net_tx *tx = NT(n, t);
        f->tx_comp[t] = UINT32_MAX;
        for (uint32_t k = 0; k < tx->n_parties && f->tx_comp[t] == UINT32_MAX; k++) {
            uint32_t e = NP(n, tx->party0 + k)->entity;
            if (NP(n, tx->party0 + k)->seller)
                continue;
            f->tx_comp[t] = f->comp[e];
        }
    }
    /* counting sort by component */
    for (size_t t = 0; t < n->tx.len; t++)
        if (f->tx_comp[t] != UINT32_MAX)
            f->comp_tx0[f->tx_comp[t] + 1]++;
    for (uint32_t c = 0; c < f->nc; c++)
        f->comp_tx0[c + 1] += f->comp_tx0[c];
    uint32_t *fill = f->dist; /* scratch: dist is not used yet */
    memset(fill, 0, (f->nc + 1) * sizeof *fill);
    for (size_t t = 0; t < n->tx.len; t++)
        if (f->tx_comp[t] != UINT32_MAX) {
            uint32_t c = f->tx_comp[t];
            f->tx_order[f->comp_tx0[c] + fill[c]++] = (uint32_t)t;
        }
}

/* Node-level evidence: list matches, listed contacts, missions, shared values. */
static void node_evidence(finder *f)
{
    cordon_net *n = f->n;
    for (size_t i = 0; i < n->edges.len; i++) {
        const net_edge *e = &VEC_AT(&n->edges, net_edge, i);
        uint32_t c = f->comp[e->a];
        if (c == UINT32_MAX)
            continue;
        if (e->kind == EDGE_LISTED && e->score > f->acc[c].best_listed)
            f->acc[c].best_listed = e->score;
        else if (e->kind == EDGE_LISTED_CONTACT)
            f->acc[c].listed_contact = true;
        else if (e->kind == EDGE_SHARES && e->attr != NET_KEY_DOMAIN)
            f->acc[c].shared = true;
    }
    for (uint32_t v = 0; v < f->g.n_nodes; v++) {
        uint32_t c = f->comp[v];
        if (c == UINT32_MAX)
            continue;
        f->acc[c].n_nodes++;
        if (v < n->entities.len && NE(n, v)->mission && NE(n, v)->mission_of &&
            net_embargoed(NS(n, NE(n, v)->mission_of)))
            f->acc[c].mission = true;
        if (v < n->entities.len && net_embargoed(NS(n, NE(n, v)->country)))
            f->acc[c].route = true;
    }
}

static void tx_evidence(finder *f)
{
    cordon_net *n = f->n;
    for (size_t t = 0; t < n->tx.len; t++) {
        uint32_t c = f->tx_comp[t];
        if (c == UINT32_MAX)
            continue;
        net_tx *tx = NT(n, t);
        f->acc[c].n_tx++;
        for (uint32_t k = 0; k < tx->n_route; k++)
            if (net_embargoed(NS(n, VEC_AT(&n->route, uint32_t, tx->route0 + k))))
                f->acc[c].route = true;
        for (uint32_t k = 0; k < tx->n_lines; k++) {
            net_line *l = &VEC_AT(&n->lines, net_line, tx->line0 + k);
            if (l->goods < 0)
                continue;
            net_goods_memo *g = &VEC_AT(&n->goodsmemo, net_goods_memo, (size_t)l->goods);
            f->acc[c].controlled |= g->controlled;
            f->acc[c].prohibited |= g->prohibited;
        }
    }
}

/* The entry a code belongs to: "3.A.5" -> "3.A", "2B001.b.2" -> "2B001", "ML4.a" -> "ML4". */
static void entry_root(const char *code, char *out, size_t cap)
{
    const char *d1 = strchr(code, '.');
    size_t len = strlen(code);
    if (d1 && d1 - code <= 2) { /* MTCR / NSG style "3.A.5" */
        const char *d2 = strchr(d1 + 1, '.');
        len = d2 ? (size_t)(d2 - code) : len;
    } else if (d1)
        len = (size_t)(d1 - code);
    snprintf(out, cap, "%.*s", (int)len, code);
}

typedef struct gl { uint32_t root, code, seller, tx; int32_t day; uint32_t regime; } gl;

static int cmp_gl(const void *x, const void *y)
{
    const gl *a = x, *b = y;
    if (a->root != b->root)
        return a->root < b->root ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

static uint32_t tx_seller(const cordon_net *n, const net_tx *tx)
{
    for (uint32_t k = 0; k < tx->n_parties; k++) {
        if (NP(n, tx->party0 + k)->seller)
            return NP(n, tx->party0 + k)->entity;
    }
    return UINT32_MAX;
}

/* Orders of one cluster that together cover several parts of one control-list entry. */
static bool aggregation(finder *f, uint32_t c, vec *tmp)
{
    cordon_net *n = f->n;
    tmp->len = 0;
    for (uint32_t i = f->comp_tx0[c]; i < f->comp_tx0[c + 1]; i++) {
        net_tx *tx = NT(n, f->tx_order[i]);
        for (uint32_t k = 0; k < tx->n_lines; k++) {
            net_line *l = &VEC_AT(&n->lines, net_line, tx->line0 + k);
            if (l->goods < 0)
                continue;
            net_goods_memo *g = &VEC_AT(&n->goodsmemo, net_goods_memo, (size_t)l->goods);
            if (!g->controlled || !g->code)
                continue;
            char root[64], rk[96];
            entry_root(NS(n, g->code), root, sizeof root);
            int rl = snprintf(rk, sizeof rk, "%s %s", NS(n, g->regime), root);
            gl *s = vec_push(tmp);
            if (!s)
                return false;
            *s = (gl){ns_intern(&n->s, rk, (size_t)rl), g->code, tx_seller(n, tx), f->tx_order[i],
                      tx->day, g->regime};
        }
    }
    if (tmp->len < 2)
        return true;
    qsort(tmp->data, tmp->len, sizeof(gl), cmp_gl);
    gl *a = tmp->data;
    for (size_t i = 0; i < tmp->len;) {
        size_t j = i;
        while (j < tmp->len && a[j].root == a[i].root)
            j++;
        /* the widest window of opt.window_days within this entry */
        size_t best_lo = i, best_hi = i, lo = i;
        for (size_t hi = i; hi < j; hi++) {
            while (a[hi].day != INT32_MIN && a[lo].day != INT32_MIN &&
                   a[hi].day - a[lo].day > f->n->opt.window_days)
                lo++;
            if (hi - lo > best_hi - best_lo) {
                best_lo = lo;
                best_hi = hi;
            }
        }
        uint32_t codes[8], sellers[8];
        size_t nco = 0, nse = 0;
        char list[512] = "", txs[512] = "";
        size_t ol = 0, ot = 0;
        for (size_t k = best_lo; k <= best_hi; k++) {
            bool seen = false;
            for (size_t q = 0; q < nco; q++)
                seen |= codes[q] == a[k].code;
            if (!seen && nco < 8) {
                codes[nco++] = a[k].code;
                ol += (size_t)snprintf(list + ol, ol < sizeof list ? sizeof list - ol : 0, "%s%s",
                                       nco > 1 ? ", " : "", NS(n, a[k].code));
            }
            seen = false;
            for (size_t q = 0; q < nse; q++)
                seen |= sellers[q] == a[k].seller;
            if (!seen && nse < 8)
                sellers[nse++] = a[k].seller;
            if (ot < sizeof txs - 40 && k - best_lo < 6)
                ot += (size_t)snprintf(txs + ot, sizeof txs - ot, "%s%s", k > best_lo ? ", " : "",
                                       NS(n, NT(n, a[k].tx)->id));
        }
        if (nco >= 2) { /* one item re-ordered from two suppliers is ordinary trade */
            int span = a[best_hi].day - a[best_lo].day;
            if (!add_finding(n, "aggregation", 25,
                             "%zu orders (%s%s) from %zu supplier%s within %d days together cover "
                             "%s of %s (%s)",
                             best_hi - best_lo + 1, txs, best_hi - best_lo >= 6 ? ", ..." : "",
                             nse, nse == 1 ? "" : "s", span < 0 ? 0 : span, list,
                             NS(n, a[i].root), NS(n, a[i].regime)))
                return false;
            f->acc[c].aggregated = true;
        }
        i = j;
    }
    return true;
}

typedef struct tv { double value; int32_t day; uint32_t tx, cur; } tv;

static int cmp_tv(const void *x, const void *y)
{
    const tv *a = x, *b = y;
    if (a->cur != b->cur)
        return a->cur < b->cur ? -1 : 1;
    return (a->day > b->day) - (a->day < b->day);
}

/* Values repeatedly kept just below a reporting or licensing threshold, in one currency and
 * within one time window (the same window as the aggregation). */
static bool structuring(finder *f, uint32_t c, vec *tmp)
{
    static const double thresholds[] = {5000, 10000, 15000, 50000};
    cordon_net *n = f->n;
    tmp->len = 0;
    for (uint32_t i = f->comp_tx0[c]; i < f->comp_tx0[c + 1]; i++) {
        net_tx *tx = NT(n, f->tx_order[i]);
        double total = 0;
        uint32_t cur = 0;
        for (uint32_t k = 0; k < tx->n_lines; k++) {
            net_line *l = &VEC_AT(&n->lines, net_line, tx->line0 + k);
            total += l->value;
            if (!cur)
                cur = l->currency;
        }
        bool dated = tx->day != INT32_MIN; /* an undated order belongs to no window */
        tv *s = total > 0 && dated ? vec_push(tmp) : NULL;
        if (total > 0 && dated && !s)
            return false;
        if (s)
            *s = (tv){total, tx->day, f->tx_order[i], cur};
    }
    if (tmp->len < 3)
        return true;
    qsort(tmp->data, tmp->len, sizeof(tv), cmp_tv);
    tv *a = tmp->data;
    int32_t window = f->n->opt.window_days;
    /* Per currency, within any window of window_days: at least four orders valued 90-100%
     * of a threshold, and at least half of the orders of that window. The window with the most
     * such orders is reported. */
    size_t best_near = 0, best_all = 0, best_first = 0, best_last = 0;
    double best_th = 0;
    for (size_t t = 0; t < ARRAY_LEN(thresholds); t++) {
        double th = thresholds[t];
        for (size_t g = 0; g < tmp->len;) {
            size_t ge = g;
            while (ge < tmp->len && a[ge].cur == a[g].cur)
                ge++;
            size_t lo = g, near = 0;
            for (size_t hi = g; hi < ge; hi++) {
                near += a[hi].value >= th * 0.9 && a[hi].value < th;
                while (a[hi].day - a[lo].day > window) {
                    near -= a[lo].value >= th * 0.9 && a[lo].value < th;
                    lo++;
                }
                size_t all = hi - lo + 1;
                if (near < 4 || near * 2 < all || near <= best_near)
                    continue;
                size_t first = lo, last = hi;
                while (!(a[first].value >= th * 0.9 && a[first].value < th))
                    first++;
                while (!(a[last].value >= th * 0.9 && a[last].value < th))
                    last--;
                best_near = near, best_all = all, best_first = first, best_last = last;
                best_th = th;
            }
            g = ge;
        }
    }
    if (!best_near)
        return true;
    if (!add_finding(n, "structuring", 20,
                     "%zu of %zu orders within %d days are valued just below %.0f %s (90-100%%), "
                     "e.g. %s (%.2f) and %s (%.2f): possible structuring to stay under a "
                     "reporting or licensing threshold",
                     best_near, best_all, (int)window, best_th, NS(n, a[best_first].cur),
                     NS(n, NT(n, a[best_first].tx)->id), a[best_first].value,
                     NS(n, NT(n, a[best_last].tx)->id), a[best_last].value))
        return false;
    f->acc[c].structured = true;
    return true;
}

/* ---- evidence path -------------------------------------------------------------------- */

static bool is_target(const cordon_net *n, uint32_t v)
{
    if (v >= n->entities.len)
        return true;
    const net_entity *e = NE(n, v);
    return e->mission && e->mission_of && net_embargoed(NS(n, e->mission_of));
}

static const char *value_text(const cordon_net *n, const net_edge *e)
{
    const char *v = NS(n, e->value), *bar = strchr(v, '|');
    return e->attr == NET_KEY_ADDRESS && bar ? bar + 1 : v;
}

/* One hop in words; after the first hop the subject is "which" (the previous object). */
static void describe_step(const cordon_net *n, const net_edge *e, uint32_t from, bool first,
                          buf *b)
{
    uint32_t to = e->a == from ? e->b : e->a;
    const char *fn = first ? node_name(n, from) : "which", *tn = node_name(n, to);
    switch (e->kind) {
    case EDGE_SHARES:
        buf_printf(b, "%s shares the %s %s with %s", fn, net_key_names[e->attr],
                   value_text(n, e), tn);
        break;
    case EDGE_TX: {
        const net_tx *tx = NT(n, e->tx);
        buf_printf(b, "%s appears together with %s in transaction %s%s%s", fn, tn, NS(n, tx->id),
                   tx->date ? " of " : "", NS(n, tx->date));
        break;
    }
    case EDGE_LISTED:
        if (from < n->entities.len)
            buf_printf(b, "%s matches the list entry %s \"%s\" (score %.2f)", fn,
                       NS(n, VEC_AT(&n->listed, net_listed, to - n->entities.len).key), tn, e->score);
        else
            buf_printf(b, "%s (list entry %s) is matched by %s (score %.2f)", fn,
                       NS(n, VEC_AT(&n->listed, net_listed, from - n->entities.len).key), tn,
                       e->score);
        break;
    case EDGE_LISTED_CONTACT:
        buf_printf(b, "%s shares the %s %s with the listed %s", fn, net_key_names[e->attr],
                   NS(n, e->value), from < n->entities.len ? tn : fn);
        break;
    default:
        buf_printf(b, "%s is linked to %s", fn, tn);
    }
}

/* Multi-source BFS from the cluster's targets; then the path from `start`, in words. */
static uint32_t evidence_path(finder *f, uint32_t c, uint32_t start)
{
    cordon_net *n = f->n;
    graph *g = &f->g;
    size_t qh = 0, qt = 0;
    /* the component's nodes: BFS from start collects them */
    uint32_t *q = f->queue;
    q[qt++] = start;
    f->dist[start] = 0;
    f->par[start] = UINT32_MAX;
    size_t found = SIZE_MAX;
    if (is_target(n, start))
        found = 0;
    while (qh < qt && found == SIZE_MAX) {
        uint32_t v = q[qh++];
        for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
            uint32_t w = g->adj[k];
            if (f->dist[w] != UINT32_MAX)
                continue;
            f->dist[w] = f->dist[v] + 1;
            f->par[w] = k;
            q[qt++] = w;
            if (is_target(n, w)) {
                found = qt - 1;
                break;
            }
        }
    }
    uint32_t result = 0;
    if (found != SIZE_MAX) {
        uint32_t hops[64], nh = 0;
        for (uint32_t v = q[found]; f->par[v] != UINT32_MAX && nh < 64;) {
            hops[nh++] = f->par[v];
            uint32_t k = f->par[v];
            const net_edge *e = &VEC_AT(&n->edges, net_edge, g->eid[k]);
            v = e->a == v ? e->b : e->a;
        }
        f->text.len = 0;
        uint32_t v = start;
        uint32_t *pn = vec_push(&n->path_nodes);
        if (pn)
            *pn = start;
        for (uint32_t h = nh; h-- > 0;) {
            const net_edge *e = &VEC_AT(&n->edges, net_edge, g->eid[hops[h]]);
            if (h + 1 < nh)
                buf_puts(&f->text, ", ");
            describe_step(n, e, v, h + 1 == nh, &f->text);
            v = e->a == v ? e->b : e->a;
            pn = vec_push(&n->path_nodes);
            if (pn)
                *pn = v;
        }
        if (v < n->entities.len)
            buf_printf(&f->text, "%s%s is a diplomatic mission of an embargoed state (%s)",
                       nh ? "; " : "", node_name(n, v), NS(n, NE(n, v)->mission_of));
        else {
            const net_listed *l = &VEC_AT(&n->listed, net_listed, v - n->entities.len);
            buf_printf(&f->text, "%s%s is listed (%s%s%s)", nh ? "; " : "", node_name(n, v), NS(n, l->key),
                       l->regimes ? ", " : "", NS(n, l->regimes));
        }
        result = ns_intern(&n->s, f->text.data, f->text.len);
    }
    for (size_t i = 0; i < qt; i++) /* reset what this search touched */
        f->dist[q[i]] = UINT32_MAX;
    UNUSED(c);
    return result;
}

/* ---- scoring and ranking -------------------------------------------------------------- */

static double cluster_score(finder *f, uint32_t c)
{
    cl_acc *a = &f->acc[c];
    double s = 0;
    if (a->best_listed > 0)
        s += 50 * a->best_listed;
    if (a->listed_contact)
        s += 40;
    if (a->mission)
        s += 35;
    if (a->route)
        s += 25;
    if (a->prohibited)
        s += 20;
    else if (a->controlled)
        s += 10;
    if (a->aggregated)
        s += 25;
    if (a->structured)
        s += 20;
    if (a->shared && a->n_nodes >= 3)
        s += 10;
    return s > 100 ? 100 : s;
}

static bool summary_findings(finder *f, uint32_t c, uint32_t *members, uint32_t nm)
{
    cordon_net *n = f->n;
    cl_acc *a = &f->acc[c];
    for (uint32_t i = 0; i < nm; i++) {
        uint32_t v = members[i];
        if (v >= n->entities.len)
            continue;
        const net_entity *e = NE(n, v);
        if (e->mission && e->mission_of && net_embargoed(NS(n, e->mission_of)) &&
            !add_finding(n, "mission", 35, "%s is a diplomatic mission or trade office of %s, an "
                         "embargoed state", NS(n, e->name), NS(n, e->mission_of)))
            return false;
    }
    for (uint32_t i = 0; i < nm; i++)
        for (uint32_t k = f->g.off[members[i]]; k < f->g.off[members[i] + 1]; k++) {
            const net_edge *e = &VEC_AT(&n->edges, net_edge, f->g.eid[k]);
            if (e->a != members[i])
                continue;
            if (e->kind == EDGE_LISTED &&
                !add_finding(n, "listed", 50 * e->score, "%s matches %s \"%s\" (score %.2f, on \"%s\")",
                             node_name(n, e->a), NS(n, VEC_AT(&n->listed, net_listed, e->b - n->entities.len).key),
                             node_name(n, e->b), e->score, NS(n, e->value)))
                return false;
            if (e->kind == EDGE_LISTED_CONTACT &&
                !add_finding(n, "listed_contact", 40, "%s shares the %s %s with the listed %s",
                             node_name(n, e->a), net_key_names[e->attr], NS(n, e->value),
                             node_name(n, e->b)))
                return false;
        }
    if (a->route && !add_finding(n, "embargoed_route", 25, "a party, destination or transit "
                                 "country of the cluster's orders is embargoed (KP, IR or SY)"))
        return false;
    if (a->prohibited || a->controlled) {
        for (uint32_t i = f->comp_tx0[c]; i < f->comp_tx0[c + 1]; i++) {
            net_tx *tx = NT(n, f->tx_order[i]);
            for (uint32_t k = 0; k < tx->n_lines; k++) {
                net_line *l = &VEC_AT(&n->lines, net_line, tx->line0 + k);
                net_goods_memo *g = l->goods < 0 ? NULL
                                  : &VEC_AT(&n->goodsmemo, net_goods_memo, (size_t)l->goods);
                if (!g || !(g->controlled || g->prohibited))
                    continue;
                bool ok = g->prohibited
                    ? add_finding(n, "prohibited_goods", 20, "%s: \"%s\" falls under a UN DPRK ban (%s)",
                                  NS(n, tx->id), NS(n, l->desc), NS(n, g->citation))
                    : add_finding(n, "controlled_goods", 10, "%s: \"%s\" looks controlled: %s %s %s (%.2f)",
                                  NS(n, tx->id), NS(n, l->desc), NS(n, g->regime), NS(n, g->code),
                                  NS(n, g->title), g->score);
                if (!ok)
                    return false;
                goto goods_done; /* one example line; aggregation covers the rest */
            }
        }
    }
goods_done:
    if (a->shared && a->n_nodes >= 3 &&
        !add_finding(n, "shared_contacts", 10, "%u nodes, among them parties of different "
                     "names sharing phones, e-mails, accounts or addresses", a->n_nodes))
        return false;
    return true;
}

typedef struct rank { double score; uint32_t comp, size; uint8_t layer; } rank;

static int cmp_rank(const void *x, const void *y)
{
    const rank *a = x, *b = y;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->size != b->size)
        return a->size > b->size ? -1 : 1;
    if (a->layer != b->layer) /* a component before a community of the same score and size */
        return a->layer < b->layer ? -1 : 1;
    return (a->comp > b->comp) - (a->comp < b->comp);
}

static uint32_t headline_start(const cordon_net *n, const uint32_t *m, uint32_t nm)
{
    uint32_t best = m[0], best_tx = 0;
    for (uint32_t i = 0; i < nm; i++)
        if (m[i] < n->entities.len && !is_target(n, m[i]) && NE(n, m[i])->n_mentions > best_tx) {
            best = m[i];
            best_tx = NE(n, m[i])->n_mentions;
        }
    if (best_tx == 0)
        for (uint32_t i = 0; i < nm; i++)
            if (m[i] < n->entities.len) {
                best = m[i];
                break;
            }
    return best;
}

/* Groups of the layer in use, members listed by group (ascending nodes); the flagged ones
 * are appended to r. */
static bool layer_ranks(finder *f, int li, rank **r, size_t *nr, vec *tmp)
{
    cordon_net *n = f->n;
    layer *L = &f->L[li];
    use_layer(f, li);
    L->mem0 = calloc(f->nc + 2, sizeof *L->mem0);
    L->members = malloc((f->g.n_nodes + 1) * sizeof *L->members);
    rank *g = xrealloc_array(*r, *nr + f->nc + 1, sizeof **r);
    if (!L->mem0 || !L->members || !g)
        return false;
    *r = g;
    uint32_t *mem0 = L->mem0, *members = L->members;
    for (uint32_t v = 0; v < f->g.n_nodes; v++)
        if (f->comp[v] != UINT32_MAX)
            mem0[f->comp[v] + 1]++;
    for (uint32_t c = 0; c < f->nc; c++)
        mem0[c + 1] += mem0[c];
    uint32_t *fill = f->par; /* scratch */
    memset(fill, 0, (f->nc + 1) * sizeof *fill);
    for (uint32_t v = 0; v < f->g.n_nodes; v++)
        if (f->comp[v] != UINT32_MAX)
            members[mem0[f->comp[v]] + fill[f->comp[v]]++] = v;
    for (uint32_t c = 0; c < f->nc; c++) {
        double s = cluster_score(f, c);
        if (s > 0 && (f->acc[c].best_listed > 0 || f->acc[c].listed_contact || f->acc[c].mission ||
                      f->acc[c].route || f->acc[c].controlled || f->acc[c].prohibited ||
                      f->acc[c].n_tx >= 3)) {
            /* windows only where something else already points at the cluster, or enough orders */
            if (!aggregation(f, c, tmp) || !structuring(f, c, tmp))
                return false;
            n->findings.len = 0; /* kept per ranked cluster below */
            s = cluster_score(f, c);
        }
        if (s >= FLAG_SCORE)
            (*r)[(*nr)++] = (rank){s, c, mem0[c + 1] - mem0[c], (uint8_t)li};
    }
    return true;
}

static cordon_status rank_clusters(finder *f, cordon_error *err)
{
    cordon_net *n = f->n;
    rank *r = NULL;
    size_t nr = 0;
    vec tmp;
    vec_init(&tmp, sizeof(gl) > sizeof(tv) ? sizeof(gl) : sizeof(tv));
    if (!layer_ranks(f, 0, &r, &nr, &tmp) || !layer_ranks(f, 1, &r, &nr, &tmp))
        goto oom;
    if (nr)
        qsort(r, nr, sizeof *r, cmp_rank);
    for (uint32_t v = 0; v < f->g.n_nodes; v++)
        f->dist[v] = UINT32_MAX;
    for (size_t i = 0; i < nr; i++) {
        uint32_t c = r[i].comp;
        use_layer(f, r[i].layer);
        uint32_t *mem0 = f->L[r[i].layer].mem0, *members = f->L[r[i].layer].members;
        net_cluster *cl = vec_push(&n->clusters);
        if (!cl)
            goto oom;
        cl->id = (uint32_t)i + 1;
        cl->community = r[i].layer == 1;
        cl->group = c;
        cl->score = r[i].score;
        cl->n_tx = f->acc[c].n_tx;
        cl->node0 = (uint32_t)n->cluster_nodes.len;
        cl->n_nodes = mem0[c + 1] - mem0[c];
        for (uint32_t k = mem0[c]; k < mem0[c + 1]; k++) {
            uint32_t *s = vec_push(&n->cluster_nodes);
            if (!s)
                goto oom;
            *s = members[k];
        }
        cl->find0 = (uint32_t)n->findings.len;
        if (!summary_findings(f, c, members + mem0[c], cl->n_nodes) ||
            !aggregation(f, c, &tmp) || !structuring(f, c, &tmp))
            goto oom;
        cl->n_find = (uint32_t)n->findings.len - cl->find0;
        cl->path_node0 = (uint32_t)n->path_nodes.len;
        cl->path = evidence_path(f, c, headline_start(n, members + mem0[c], cl->n_nodes));
        cl = &VEC_AT(&n->clusters, net_cluster, i);
        cl->n_path = (uint32_t)n->path_nodes.len - cl->path_node0;
    }
    /* a community names the flagged component it lies in */
    for (size_t i = 0; i < n->clusters.len; i++) {
        net_cluster *cl = &VEC_AT(&n->clusters, net_cluster, i);
        if (!cl->community)
            continue;
        uint32_t comp = f->L[0].comp[VEC_AT(&n->cluster_nodes, uint32_t, cl->node0)];
        for (size_t k = 0; k < n->clusters.len && !cl->within; k++) {
            const net_cluster *o = &VEC_AT(&n->clusters, net_cluster, k);
            if (!o->community && o->group == comp)
                cl->within = o->id;
        }
    }
    n->stats.flagged_clusters = nr;
    free(r);
    vec_free(&tmp);
    return CORDON_OK;
oom:
    free(r);
    vec_free(&tmp);
    return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
}

/* Transactions of flagged clusters, for the renderers: cluster -> tx list. */
static cordon_status keep_cluster_tx(finder *f, cordon_error *err)
{
    cordon_net *n = f->n;
    free(n->cluster_tx);
    n->cluster_tx = NULL;
    size_t total = 0;
    for (size_t i = 0; i < n->clusters.len; i++)
        total += VEC_AT(&n->clusters, net_cluster, i).n_tx;
    n->cluster_tx = malloc((total + 1) * sizeof *n->cluster_tx);
    if (!n->cluster_tx)
        return err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
    size_t o = 0;
    for (size_t i = 0; i < n->clusters.len; i++) {
        net_cluster *cl = &VEC_AT(&n->clusters, net_cluster, i);
        const layer *L = &f->L[cl->community];
        uint32_t c = cl->group;
        cl->tx0 = (uint32_t)o;
        for (uint32_t k = L->comp_tx0[c]; k < L->comp_tx0[c + 1]; k++)
            n->cluster_tx[o++] = L->tx_order[k];
        cl->n_tx = (uint32_t)o - cl->tx0;
    }
    return CORDON_OK;
}

/* ---- dense communities ---------------------------------------------------------------- */

/* Inside a component of at least COMMUNITY_MIN_COMPONENT nodes, dense communities by label
 * propagation: every node starts with its own label and, visiting nodes in ascending order,
 * takes the label carried by most of its edges (parallel edges - several shared values with
 * one party - count each; a tie keeps the node's label if it is among the best, else takes
 * the smallest), until no label changes (at most COMMUNITY_ROUNDS rounds). Visiting order
 * and tie rule make it deterministic. Communities of at least 3 nodes that are not the whole
 * component are numbered in order of their smallest node. Returns the number of them. */
#define COMMUNITY_MIN_COMPONENT 20
#define COMMUNITY_ROUNDS 20

static bool communities(const graph *g, const uint32_t *comp, uint32_t nc, uint32_t *label,
                        uint32_t *n_out)
{
    uint32_t nn = g->n_nodes;
    uint32_t *size = calloc((size_t)nc + 1, sizeof *size);
    uint32_t *w = calloc((size_t)nn + 1, sizeof *w);        /* label -> weight at this node */
    uint32_t *touched = malloc(((size_t)nn + 1) * sizeof *touched);
    if (!size || !w || !touched) {
        free(size);
        free(w);
        free(touched);
        return false;
    }
    for (uint32_t v = 0; v < nn; v++)
        if (comp[v] != UINT32_MAX)
            size[comp[v]]++;
    for (uint32_t v = 0; v < nn; v++)
        label[v] = comp[v] != UINT32_MAX && size[comp[v]] >= COMMUNITY_MIN_COMPONENT ? v : UINT32_MAX;
    for (int round = 0; round < COMMUNITY_ROUNDS; round++) {
        bool changed = false;
        for (uint32_t v = 0; v < nn; v++) {
            if (label[v] == UINT32_MAX)
                continue;
            uint32_t nt = 0;
            for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
                uint32_t l = label[g->adj[k]];
                if (l == UINT32_MAX || g->adj[k] == v)
                    continue;
                if (!w[l]++)
                    touched[nt++] = l;
            }
            uint32_t bw = 0, best = label[v];
            for (uint32_t i = 0; i < nt; i++)
                bw = w[touched[i]] > bw ? w[touched[i]] : bw;
            if (bw > 0 && w[label[v]] != bw) {
                best = UINT32_MAX;
                for (uint32_t i = 0; i < nt; i++)
                    if (w[touched[i]] == bw && touched[i] < best)
                        best = touched[i];
            }
            for (uint32_t i = 0; i < nt; i++)
                w[touched[i]] = 0;
            if (best != label[v]) {
                label[v] = best;
                changed = true;
            }
        }
        if (!changed)
            break;
    }
    /* label -> community number; small ones and whole components dropped */
    uint32_t *lsize = w, *num = touched; /* reuse: w is all zero again */
    for (uint32_t v = 0; v < nn; v++)
        if (label[v] != UINT32_MAX)
            lsize[label[v]]++;
    uint32_t nco = 0;
    for (uint32_t v = 0; v < nn; v++)
        num[v] = UINT32_MAX;
    for (uint32_t v = 0; v < nn; v++) {
        uint32_t l = label[v];
        if (l == UINT32_MAX)
            continue;
        if (lsize[l] < 3 || lsize[l] == size[comp[v]]) {
            label[v] = UINT32_MAX;
            continue;
        }
        if (num[l] == UINT32_MAX)
            num[l] = nco++;
        label[v] = num[l];
    }
    free(size);
    free(w);
    free(touched);
    *n_out = nco;
    return true;
}

/* Per-layer arrays: transactions assigned, evidence gathered. */
static bool layer_setup(finder *f, int li)
{
    cordon_net *n = f->n;
    layer *L = &f->L[li];
    L->acc = calloc(L->nc + 1, sizeof *L->acc);
    L->tx_comp = malloc((n->tx.len + 1) * sizeof *L->tx_comp);
    L->tx_order = malloc((n->tx.len + 1) * sizeof *L->tx_order);
    L->comp_tx0 = calloc(L->nc + 2, sizeof *L->comp_tx0);
    if (!L->acc || !L->tx_comp || !L->tx_order || !L->comp_tx0 || f->g.n_nodes + 1 < L->nc + 1)
        return false;
    use_layer(f, li);
    assign_transactions(f);
    node_evidence(f);
    tx_evidence(f);
    return true;
}

static void layer_free(layer *L)
{
    free(L->acc);
    free(L->tx_comp);
    free(L->tx_order);
    free(L->comp_tx0);
    free(L->mem0);
    free(L->members);
}

cordon_status net_find(cordon_net *n, cordon_error *err)
{
    finder f = {0};
    f.n = n;
    normalise_edges(n);
    cordon_status st = CORDON_OK;
    if (!graph_build(n, &f.g))
        goto oom;
    size_t nn = f.g.n_nodes + 1;
    f.queue = malloc(nn * sizeof *f.queue);
    f.dist = malloc(nn * sizeof *f.dist);
    f.par = malloc(nn * sizeof *f.par);
    f.L[1].comp = malloc(nn * sizeof *f.L[1].comp);
    if (!f.queue || !f.dist || !f.par || !f.L[1].comp)
        goto oom;
    f.L[0].comp = f.g.comp;
    f.L[0].nc = components(n, &f.g, f.queue);
    if (!communities(&f.g, f.L[0].comp, f.L[0].nc, f.L[1].comp, &f.L[1].nc) ||
        !layer_setup(&f, 0) || !layer_setup(&f, 1))
        goto oom;
    n->stats.clusters = f.L[0].nc;
    n->stats.communities = f.L[1].nc;
    st = rank_clusters(&f, err);
    if (!st)
        st = keep_cluster_tx(&f, err);
    goto out;
oom:
    st = err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
out:
    graph_free(&f.g);
    free(f.L[1].comp);
    layer_free(&f.L[0]);
    layer_free(&f.L[1]);
    free(f.queue);
    free(f.dist);
    free(f.par);
    buf_free(&f.text);
    return st;
}
