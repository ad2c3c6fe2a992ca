/* out.c - analysis driver and renderings: JSON, GraphML, SVG of one cluster, terminal text,
 * and the one-call entry point for the server. */
#include "net.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const edge_kinds[] = {"same", "shares", "transaction", "listed_match",
                                         "listed_contact"};

cordon_status cordon_net_analyze(cordon_net *n, cordon_error *err)
{
    if (n->analyzed)
        return err_set(err, CORDON_ERR_INVALID, "network: already analysed");
    if (n->tx.len == 0)
        return err_set(err, CORDON_ERR_INVALID, "network: no transactions loaded");
    uint64_t t0 = now_ns();
    cordon_status st = net_resolve(n, err);
    n->stats.ms_resolve = (double)(now_ns() - t0) / 1e6;
    if (!st)
        st = net_screen(n, err);
    uint64_t t1 = now_ns();
    if (!st)
        st = net_classify_goods(n, err);
    if (!st)
        st = net_find(n, err);
    n->stats.ms_find = (double)(now_ns() - t1) / 1e6;
    n->analyzed = true;
    return st;
}

void cordon_net_get_stats(const cordon_net *n, cordon_net_stats *out)
{
    *out = n->stats;
    out->transactions = n->tx.len;
    out->mentions = n->parties.len;
    out->entities = n->entities.len;
    out->merges = n->merges.len;
    out->listed_nodes = n->listed.len;
    out->edges = n->edges.len;
    out->stop_keys = n->n_stop_keys;
}

size_t cordon_net_cluster_count(const cordon_net *n) { return n->clusters.len; }

/* ---- helpers -------------------------------------------------------------------------- */

static void node_id(const cordon_net *n, uint32_t v, char *out, size_t cap)
{
    if (v < n->entities.len)
        snprintf(out, cap, "E%u", v + 1);
    else
        snprintf(out, cap, "L:%s", NS(n, VEC_AT(&n->listed, net_listed, v - n->entities.len).key));
}

/* merges grouped by entity (counting sort) */
typedef struct merge_index { uint32_t *off, *idx; } merge_index;

static bool merge_index_build(const cordon_net *n, merge_index *m)
{
    m->off = calloc(n->entities.len + 2, sizeof *m->off);
    m->idx = malloc((n->merges.len + 1) * sizeof *m->idx);
    if (!m->off || !m->idx)
        return false;
    for (size_t i = 0; i < n->merges.len; i++)
        m->off[NP(n, VEC_AT(&n->merges, net_merge, i).a)->entity + 1]++;
    for (size_t e = 0; e < n->entities.len; e++)
        m->off[e + 1] += m->off[e];
    uint32_t *fill = calloc(n->entities.len + 1, sizeof *fill);
    if (!fill)
        return false;
    for (size_t i = 0; i < n->merges.len; i++) {
        uint32_t e = NP(n, VEC_AT(&n->merges, net_merge, i).a)->entity;
        m->idx[m->off[e] + fill[e]++] = (uint32_t)i;
    }
    free(fill);
    return true;
}

static void merge_index_free(merge_index *m)
{
    free(m->off);
    free(m->idx);
}

static bool in_cluster(const cordon_net *n, const net_cluster *cl, uint32_t v)
{
    const uint32_t *m = &VEC_AT(&n->cluster_nodes, uint32_t, cl->node0);
    size_t lo = 0, hi = cl->n_nodes; /* members are in ascending node order */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (m[mid] == v)
            return true;
        if (m[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static const char *merge_attr(const net_merge *m)
{
    return m->attr == NET_KEY_COUNT ? "analyst pin" : net_key_names[m->attr];
}

/* ---- JSON ----------------------------------------------------------------------------- */

#define JSON_MENTIONS_MAX 50

static json_t *node_json(const cordon_net *n, uint32_t v, const merge_index *mi)
{
    char id[300];
    node_id(n, v, id, sizeof id);
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    if (v >= n->entities.len) {
        const net_listed *l = &VEC_AT(&n->listed, net_listed, v - n->entities.len);
        json_object_set_new(o, "kind", json_string("listed"));
        json_object_set_new(o, "name", json_string(NS(n, l->name)));
        json_object_set_new(o, "source", json_string(NS(n, l->source)));
        json_object_set_new(o, "entry", json_string(NS(n, l->key)));
        json_object_set_new(o, "regimes", json_string(NS(n, l->regimes)));
        return o;
    }
    const net_entity *e = NE(n, v);
    json_object_set_new(o, "kind", json_string("entity"));
    json_object_set_new(o, "name", json_string(NS(n, e->name)));
    json_object_set_new(o, "country", e->country ? json_string(NS(n, e->country)) : json_null());
    json_object_set_new(o, "mission", json_boolean(e->mission));
    if (e->mission_of)
        json_object_set_new(o, "mission_of", json_string(NS(n, e->mission_of)));
    json_object_set_new(o, "hub", json_boolean(e->hub));
    json_object_set_new(o, "mention_count", json_integer(e->n_mentions));
    json_t *names = json_array(), *refs = json_array();
    for (uint32_t k = 0; k < e->n_mentions; k++) {
        const net_party *p = NP(n, n->ent_mentions[e->first_party + k]);
        if (k < JSON_MENTIONS_MAX)
            json_array_append_new(refs, json_pack("{s:s,s:s}", "ref", NS(n, p->ref), "role",
                                                  NS(n, p->role)));
        bool seen = false;
        for (size_t j = 0; j < json_array_size(names) && !seen; j++)
            seen = strcmp(json_string_value(json_array_get(names, j)), NS(n, p->name)) == 0;
        if (!seen && json_array_size(names) < 20)
            json_array_append_new(names, json_string(NS(n, p->name)));
    }
    json_object_set_new(o, "names", names);
    json_object_set_new(o, "mentions", refs);
    json_t *ms = json_array();
    for (uint32_t k = mi->off[v]; k < mi->off[v + 1] && k - mi->off[v] < JSON_MENTIONS_MAX; k++) {
        const net_merge *m = &VEC_AT(&n->merges, net_merge, mi->idx[k]);
        json_array_append_new(ms, json_pack("{s:s,s:s,s:s,s:s,s:f}", "a", NS(n, NP(n, m->a)->ref),
                                            "b", NS(n, NP(n, m->b)->ref), "attribute", merge_attr(m),
                                            "value", NS(n, m->value), "score", m->score));
    }
    json_object_set_new(o, "merges", ms);
    return o;
}

static json_t *edge_json(const cordon_net *n, const net_edge *e)
{
    char a[300], b[300];
    node_id(n, e->a, a, sizeof a);
    node_id(n, e->b, b, sizeof b);
    json_t *o = json_pack("{s:s,s:s,s:s,s:f}", "a", a, "b", b, "kind", edge_kinds[e->kind],
                          "score", e->score);
    if (e->kind == EDGE_SHARES || e->kind == EDGE_LISTED_CONTACT)
        json_object_set_new(o, "attribute", json_string(net_key_names[e->attr]));
    if (e->kind == EDGE_LISTED)
        json_object_set_new(o, "matched_name", json_string(NS(n, e->value)));
    else
        json_object_set_new(o, "value", json_string(NS(n, e->value)));
    return o;
}

static void cluster_edges(const cordon_net *n, const net_cluster *cl, json_t *arr, size_t cap)
{
    const uint32_t *m = &VEC_AT(&n->cluster_nodes, uint32_t, cl->node0);
    /* edges are sorted by a: walk each member's range */
    for (uint32_t i = 0; i < cl->n_nodes && json_array_size(arr) < cap; i++) {
        size_t lo = 0, hi = n->edges.len;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (VEC_AT(&n->edges, net_edge, mid).a < m[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t k = lo; k < n->edges.len && VEC_AT(&n->edges, net_edge, k).a == m[i]; k++) {
            const net_edge *e = &VEC_AT(&n->edges, net_edge, k);
            if (in_cluster(n, cl, e->b) && json_array_size(arr) < cap)
                json_array_append_new(arr, edge_json(n, e));
        }
    }
}

#define JSON_NODES_MAX 500

static json_t *cluster_json(const cordon_net *n, const net_cluster *cl, const merge_index *mi)
{
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer(cl->id));
    json_object_set_new(o, "kind", json_string(cl->community ? "community" : "component"));
    if (cl->within)
        json_object_set_new(o, "within", json_integer(cl->within));
    json_object_set_new(o, "score", json_real(cl->score));
    json_object_set_new(o, "size", json_integer(cl->n_nodes));
    json_object_set_new(o, "path", cl->path ? json_string(NS(n, cl->path)) : json_null());
    json_t *pn = json_array();
    for (uint32_t k = 0; k < cl->n_path; k++) {
        char id[300];
        node_id(n, VEC_AT(&n->path_nodes, uint32_t, cl->path_node0 + k), id, sizeof id);
        json_array_append_new(pn, json_string(id));
    }
    json_object_set_new(o, "path_nodes", pn);
    json_t *f = json_array();
    for (uint32_t k = 0; k < cl->n_find; k++) {
        const net_finding *x = &VEC_AT(&n->findings, net_finding, cl->find0 + k);
        json_array_append_new(f, json_pack("{s:s,s:f,s:s}", "kind", NS(n, x->kind), "weight",
                                           x->weight, "text", NS(n, x->text)));
    }
    json_object_set_new(o, "findings", f);
    json_t *tx = json_array();
    for (uint32_t k = 0; k < cl->n_tx; k++)
        json_array_append_new(tx, json_string(NS(n, NT(n, n->cluster_tx[cl->tx0 + k])->id)));
    json_object_set_new(o, "transactions", tx);
    json_t *nodes = json_array();
    for (uint32_t k = 0; k < cl->n_nodes && k < JSON_NODES_MAX; k++)
        json_array_append_new(nodes, node_json(n, VEC_AT(&n->cluster_nodes, uint32_t, cl->node0 + k), mi));
    json_object_set_new(o, "nodes", nodes);
    json_t *edges = json_array();
    cluster_edges(n, cl, edges, JSON_NODES_MAX * 4);
    json_object_set_new(o, "edges", edges);
    return o;
}

static json_t *stats_json(const cordon_net *n)
{
    cordon_net_stats s;
    cordon_net_get_stats(n, &s);
    return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:{s:f,s:f,s:f,s:f}}",
                     "transactions", (json_int_t)s.transactions, "mentions", (json_int_t)s.mentions,
                     "entities", (json_int_t)s.entities, "merges", (json_int_t)s.merges,
                     "listed_nodes", (json_int_t)s.listed_nodes, "edges", (json_int_t)s.edges,
                     "clusters", (json_int_t)s.clusters, "communities",
                     (json_int_t)s.communities, "flagged_clusters",
                     (json_int_t)s.flagged_clusters, "distinct_names", (json_int_t)s.distinct_names,
                     "goods_classified", (json_int_t)s.goods_calls, "stop_keys",
                     (json_int_t)s.stop_keys, "ms", "load", s.ms_load, "resolve", s.ms_resolve,
                     "screen", s.ms_screen, "find", s.ms_find);
}

static bool pick(const cordon_net *n, size_t cluster, size_t top, size_t *lo, size_t *hi)
{
    if (cluster > n->clusters.len)
        return false;
    *lo = cluster ? cluster - 1 : 0;
    *hi = cluster ? cluster : (top && top < n->clusters.len ? top : n->clusters.len);
    return true;
}

char *cordon_net_json(const cordon_net *n, size_t cluster, size_t top, int pretty)
{
    size_t lo, hi;
    merge_index mi = {0};
    if (!n->analyzed || !pick(n, cluster, top, &lo, &hi) || !merge_index_build(n, &mi)) {
        merge_index_free(&mi);
        return NULL;
    }
    json_t *o = json_object();
    json_object_set_new(o, "summary", stats_json(n));
    json_t *arr = json_array();
    for (size_t i = lo; i < hi; i++)
        json_array_append_new(arr, cluster_json(n, &VEC_AT(&n->clusters, net_cluster, i), &mi));
    json_object_set_new(o, "clusters", arr);
    char *s = json_dumps(o, (pretty ? JSON_INDENT(2) : JSON_COMPACT) | JSON_PRESERVE_ORDER);
    json_decref(o);
    merge_index_free(&mi);
    return s;
}

/* ---- GraphML and SVG ------------------------------------------------------------------ */

static void xml_text(buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '&': buf_puts(b, "&amp;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        default:
            if ((unsigned char)*s >= 0x20 || *s == '\t' || *s == '\n')
                buf_putc(b, *s);
        }
    }
}

static const char *node_kind(const cordon_net *n, uint32_t v)
{
    if (v >= n->entities.len)
        return "listed";
    return NE(n, v)->mission ? "mission" : "entity";
}

char *cordon_net_graphml(const cordon_net *n, size_t cluster, size_t top)
{
    size_t lo, hi;
    if (!n->analyzed || !pick(n, cluster, top, &lo, &hi))
        return NULL;
    buf b = {0};
    buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
                 "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
                 "  <key id=\"kind\" for=\"node\" attr.name=\"kind\" attr.type=\"string\"/>\n"
                 "  <key id=\"country\" for=\"node\" attr.name=\"country\" attr.type=\"string\"/>\n"
                 "  <key id=\"cluster\" for=\"node\" attr.name=\"cluster\" attr.type=\"int\"/>\n"
                 "  <key id=\"risk\" for=\"node\" attr.name=\"risk\" attr.type=\"double\"/>\n"
                 "  <key id=\"ekind\" for=\"edge\" attr.name=\"kind\" attr.type=\"string\"/>\n"
                 "  <key id=\"attr\" for=\"edge\" attr.name=\"attribute\" attr.type=\"string\"/>\n"
                 "  <key id=\"value\" for=\"edge\" attr.name=\"value\" attr.type=\"string\"/>\n"
                 "  <key id=\"score\" for=\"edge\" attr.name=\"score\" attr.type=\"double\"/>\n"
                 "  <graph id=\"cordon\" edgedefault=\"undirected\">\n");
    char id[300], id2[300];
    for (size_t i = lo; i < hi; i++) {
        const net_cluster *cl = &VEC_AT(&n->clusters, net_cluster, i);
        if (cl->community && cl->within > lo && cl->within <= hi && hi - lo > 1)
            continue; /* its nodes and edges are drawn with the component that holds it */
        for (uint32_t k = 0; k < cl->n_nodes; k++) {
            uint32_t v = VEC_AT(&n->cluster_nodes, uint32_t, cl->node0 + k);
            node_id(n, v, id, sizeof id);
            buf_puts(&b, "    <node id=\"");
            xml_text(&b, id);
            buf_puts(&b, "\"><data key=\"label\">");
            xml_text(&b, net_node_label(n, v));
            buf_printf(&b, "</data><data key=\"kind\">%s</data><data key=\"country\">%s</data>"
                           "<data key=\"cluster\">%u</data><data key=\"risk\">%.1f</data></node>\n",
                       node_kind(n, v), v < n->entities.len ? NS(n, NE(n, v)->country) : "",
                       cl->id, cl->score);
        }
        json_t *edges = json_array();
        cluster_edges(n, cl, edges, SIZE_MAX);
        for (size_t k = 0; k < json_array_size(edges); k++) {
            json_t *e = json_array_get(edges, k);
            snprintf(id, sizeof id, "%s", json_string_value(json_object_get(e, "a")));
            snprintf(id2, sizeof id2, "%s", json_string_value(json_object_get(e, "b")));
            buf_puts(&b, "    <edge source=\"");
            xml_text(&b, id);
            buf_puts(&b, "\" target=\"");
            xml_text(&b, id2);
            buf_printf(&b, "\"><data key=\"ekind\">%s</data><data key=\"attr\">",
                       json_string_value(json_object_get(e, "kind")));
            const char *at = json_string_value(json_object_get(e, "attribute"));
            xml_text(&b, at ? at : "");
            buf_puts(&b, "</data><data key=\"value\">");
            const char *val = json_string_value(json_object_get(e, "value"));
            if (!val)
                val = json_string_value(json_object_get(e, "matched_name"));
            xml_text(&b, val ? val : "");
            buf_printf(&b, "</data><data key=\"score\">%.3f</data></edge>\n",
                       json_real_value(json_object_get(e, "score")));
        }
        json_decref(edges);
    }
    buf_puts(&b, "  </graph>\n</graphml>\n");
    if (!buf_putc(&b, 0)) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

#define SVG_MAX_NODES 120

char *cordon_net_svg(const cordon_net *n, size_t cluster)
{
    if (!n->analyzed || cluster > n->clusters.len || n->clusters.len == 0)
        return NULL;
    const net_cluster *cl = &VEC_AT(&n->clusters, net_cluster, cluster ? cluster - 1 : 0);
    uint32_t nn = cl->n_nodes < SVG_MAX_NODES ? cl->n_nodes : SVG_MAX_NODES;
    double W = 1000, H = 1000, cx = W / 2, cy = H / 2, R = nn > 1 ? 300 : 0; /* room for labels */
    buf b = {0};
    buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                   "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"11\">\n"
                   "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
                   "<text x=\"10\" y=\"20\" font-size=\"14\">cluster %u, risk %.0f, %u nodes%s</text>\n",
               W, H, W, H, cl->id, cl->score, cl->n_nodes, nn < cl->n_nodes ? " (first 120 drawn)" : "");
    /* deterministic circle layout in member order (ascending node id) */
    json_t *edges = json_array();
    cluster_edges(n, cl, edges, 4000);
    char id[300];
    for (size_t k = 0; k < json_array_size(edges); k++) {
        json_t *e = json_array_get(edges, k);
        int ia = -1, ib = -1;
        for (uint32_t i = 0; i < nn; i++) {
            node_id(n, VEC_AT(&n->cluster_nodes, uint32_t, cl->node0 + i), id, sizeof id);
            if (strcmp(id, json_string_value(json_object_get(e, "a"))) == 0)
                ia = (int)i;
            if (strcmp(id, json_string_value(json_object_get(e, "b"))) == 0)
                ib = (int)i;
        }
        if (ia < 0 || ib < 0)
            continue;
        const char *kind = json_string_value(json_object_get(e, "kind"));
        const char *col = strcmp(kind, "transaction") == 0 ? "#999999"
                        : strncmp(kind, "listed", 6) == 0 ? "#cc0000" : "#3366cc";
        double a1 = 2 * M_PI * ia / nn, a2 = 2 * M_PI * ib / nn;
        buf_printf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                       "stroke-width=\"1.5\"><title>",
                   cx + R * cos(a1), cy + R * sin(a1), cx + R * cos(a2), cy + R * sin(a2), col);
        xml_text(&b, kind);
        const char *val = json_string_value(json_object_get(e, "value"));
        buf_puts(&b, " ");
        xml_text(&b, val ? val : "");
        buf_puts(&b, "</title></line>\n");
    }
    json_decref(edges);
    for (uint32_t i = 0; i < nn; i++) {
        uint32_t v = VEC_AT(&n->cluster_nodes, uint32_t, cl->node0 + i);
        double a = 2 * M_PI * i / nn, x = cx + R * cos(a), y = cy + R * sin(a);
        const char *kind = node_kind(n, v);
        const char *fill = strcmp(kind, "listed") == 0 ? "#cc0000"
                         : strcmp(kind, "mission") == 0 ? "#ff9900" : "#4477aa";
        buf_printf(&b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"9\" fill=\"%s\"/>\n<text x=\"%.1f\" "
                       "y=\"%.1f\" text-anchor=\"%s\">",
                   x, y, fill, x + (cos(a) >= 0 ? 12 : -12), y + 4, cos(a) >= 0 ? "start" : "end");
        xml_text(&b, net_node_label(n, v));
        buf_puts(&b, "</text>\n");
    }
    buf_puts(&b, "</svg>\n");
    if (!buf_putc(&b, 0)) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *cordon_net_text(const cordon_net *n, size_t cluster, size_t top)
{
    size_t lo, hi;
    if (!n->analyzed || !pick(n, cluster, top, &lo, &hi))
        return NULL;
    cordon_net_stats s;
    cordon_net_get_stats(n, &s);
    buf b = {0};
    buf_printf(&b, "%llu transactions, %llu party mentions -> %llu entities (%llu merges), "
                   "%llu listed nodes, %llu clusters (+%llu dense communities), %llu flagged\n",
               (unsigned long long)s.transactions, (unsigned long long)s.mentions,
               (unsigned long long)s.entities, (unsigned long long)s.merges,
               (unsigned long long)s.listed_nodes, (unsigned long long)s.clusters,
               (unsigned long long)s.communities, (unsigned long long)s.flagged_clusters);
    for (size_t i = lo; i < hi; i++) {
        const net_cluster *cl = &VEC_AT(&n->clusters, net_cluster, i);
        buf_printf(&b, "\n#%u  risk %.0f  %u nodes, %u transactions", cl->id, cl->score,
                   cl->n_nodes, cl->n_tx);
        if (cl->community && cl->within)
            buf_printf(&b, "  (dense community inside #%u)", cl->within);
        else if (cl->community)
            buf_printf(&b, "  (dense community inside a larger component)");
        buf_puts(&b, "\n");
        for (uint32_t k = 0; k < cl->n_nodes && k < 12; k++) {
            uint32_t v = VEC_AT(&n->cluster_nodes, uint32_t, cl->node0 + k);
            char id[300];
            node_id(n, v, id, sizeof id);
            buf_printf(&b, "    %-8s %-8s %s\n", id, node_kind(n, v), net_node_label(n, v));
        }
        if (cl->n_nodes > 12)
            buf_printf(&b, "    ... %u more\n", cl->n_nodes - 12);
        for (uint32_t k = 0; k < cl->n_find; k++) {
            const net_finding *f = &VEC_AT(&n->findings, net_finding, cl->find0 + k);
            buf_printf(&b, "  - [%s] %s\n", NS(n, f->kind), NS(n, f->text));
        }
        buf_printf(&b, "  path: %s\n", cl->path ? NS(n, cl->path) : "no path to a listed party");
    }
    if (!buf_putc(&b, 0)) {
        buf_free(&b);
        return NULL;
    }
    return b.data;
}

char *cordon_net_analyze_json(const cordon_engine *e, const cordon_goods *g,
                              const char *jsonl_body, size_t len, const char *format,
                              size_t cluster, cordon_error *err)
{
    if (!format)
        format = "json";
    if (strcmp(format, "json") && strcmp(format, "graphml") && strcmp(format, "svg")) {
        err_set(err, CORDON_ERR_INVALID, "format: json, graphml or svg");
        return NULL;
    }
    cordon_net *n = cordon_net_new(e, g, NULL);
    if (!n) {
        err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
        return NULL;
    }
    char *out = NULL;
    if (cordon_net_load_buffer(n, "body", jsonl_body, len, err) == CORDON_OK &&
        cordon_net_analyze(n, err) == CORDON_OK) {
        if (cluster > n->clusters.len)
            err_set(err, CORDON_ERR_NOTFOUND, "cluster: %zu of %zu", cluster, n->clusters.len);
        else if (strcmp(format, "svg") == 0 && n->clusters.len == 0)
            err_set(err, CORDON_ERR_NOTFOUND, "cluster: no flagged cluster to draw");
        else {
            out = strcmp(format, "json") == 0      ? cordon_net_json(n, cluster, 0, 0)
                : strcmp(format, "graphml") == 0 ? cordon_net_graphml(n, cluster, 0)
                                                 : cordon_net_svg(n, cluster);
            if (!out)
                err_set(err, CORDON_ERR_NOMEM, "network: out of memory");
        }
    }
    cordon_net_free(n);
    return out;
}
