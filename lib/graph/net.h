/* net.h - internal model of the network analysis (lib/graph): interned strings, transactions,
 * party mentions, resolved entities, graph edges, clusters and findings. */
#ifndef CORDON_GRAPH_NET_H
#define CORDON_GRAPH_NET_H

#include "cordon.h"
#include "../util/util.h"

#include <stdbool.h>
#include <stdint.h>

#define NET_MAX_LINE (1u << 20)   /* one JSON line */
#define NET_MAX_FIELD 8192        /* one string field (as docs/transactions.md) */
#define NET_MAX_PARTIES 64
#define NET_MAX_GOODS 256
#define NET_MAX_ROUTE 16

/* String interning: id 0 is "no value". */
typedef struct net_strings {
    buf bytes;        /* NUL-terminated strings back to back */
    uint64_t *offs;   /* id -> offset */
    uint32_t n, cap;
    uint32_t *slots;  /* open addressing: id or 0 */
    uint32_t nslots;
} net_strings;

uint32_t ns_intern(net_strings *s, const char *p, size_t n); /* 0 on OOM */
const char *ns_get(const net_strings *s, uint32_t id);
void ns_free(net_strings *s);

enum { NET_KEY_PHONE, NET_KEY_EMAIL, NET_KEY_DOMAIN, NET_KEY_IBAN, NET_KEY_IMO, NET_KEY_ADDRESS,
       NET_KEY_NAME, NET_KEY_COUNT };
extern const char *const net_key_names[NET_KEY_COUNT];

typedef struct net_party {
    uint32_t tx, role, name, address, country, phone, email, iban, imo;
    uint32_t ref;      /* "TXID/role[/n]" */
    uint32_t key[NET_KEY_COUNT]; /* normalised keys (interned, 0 none) */
    uint32_t entity;   /* after resolution */
    uint8_t seller;    /* the role is on the selling side (net_seller_role) */
} net_party;

typedef struct net_line {
    uint32_t desc, hs, currency;
    double value;
    int32_t goods; /* index into the goods memo, -1 none */
} net_line;

typedef struct net_tx {
    uint32_t id, type;
    int32_t day; /* days since 1970-01-01 */
    uint32_t date;
    uint32_t party0, n_parties, line0, n_lines, route0, n_route;
    uint32_t dest;
    uint32_t lineno;
} net_tx;

typedef struct net_goods_memo {
    uint32_t key;       /* "desc\x1fhs\x1fdest" */
    bool controlled, prohibited;
    uint32_t regime, code, title, citation; /* interned */
    double score;
} net_goods_memo;

typedef struct net_hit {
    uint32_t listed;   /* index of the listed node */
    double score;
    uint32_t matched;  /* list name matched */
} net_hit;

typedef struct net_listed {
    uint32_t key;      /* "source:id" */
    uint32_t name, source, regimes;
    uint32_t node;     /* graph node */
} net_listed;

enum { NODE_ENTITY = 0, NODE_LISTED = 1 };

typedef struct net_entity {
    uint32_t first_party, n_mentions;
    uint32_t name, country;
    uint32_t hit0, n_hits;   /* into n->hits */
    bool mission;            /* diplomatic mission / trade office */
    uint32_t mission_of;     /* ISO2 of the sending state, 0 unknown */
    bool hub;
    uint32_t degree;
} net_entity;

/* Edge kinds. */
enum { EDGE_SAME, EDGE_SHARES, EDGE_TX, EDGE_LISTED, EDGE_LISTED_CONTACT };

typedef struct net_edge {
    uint32_t a, b;     /* node ids */
    uint8_t kind, attr;
    uint32_t value;    /* interned value (shared attribute, tx id) */
    double score;
    uint32_t tx;       /* transaction index for EDGE_TX, else UINT32_MAX */
} net_edge;

typedef struct net_merge {
    uint32_t a, b;     /* party indices */
    uint8_t attr;      /* NET_KEY_* or NET_KEY_COUNT for an analyst pin */
    uint32_t value;
    double score;
} net_merge;

typedef struct net_decision {
    int op;            /* 0 split, 1 pin, 2 ignore */
    uint32_t a, b;     /* refs (interned) or attribute name/value for ignore */
} net_decision;

typedef struct net_finding {
    uint32_t kind;     /* interned short kind */
    uint32_t text;     /* interned sentence */
    double weight;
} net_finding;

typedef struct net_cluster {
    uint32_t id;
    bool community;          /* a dense community inside a large component (find.c) */
    uint32_t group;          /* component or community number (find.c internal) */
    uint32_t within;         /* community: rank of the flagged component holding it, 0 none */
    uint32_t node0, n_nodes; /* into n->cluster_nodes */
    uint32_t find0, n_find;  /* into n->findings */
    uint32_t n_tx, tx0;        /* into n->cluster_tx */
    double score;
    uint32_t path;           /* interned sentence, 0 none */
    uint32_t path_node0, n_path; /* into n->path_nodes */
} net_cluster;

struct cordon_net {
    const cordon_engine *engine;
    const cordon_goods *goods;
    cordon_net_options opt;
    net_strings s;
    vec tx, parties, lines, route; /* route: uint32 country ids */
    vec goodsmemo;
    vec decisions;
    vec merges;
    vec entities;  /* net_entity; node id == entity index for entities */
    vec listed;    /* net_listed; node id == n_entities + index */
    vec hits;
    vec edges;
    vec clusters, cluster_nodes, findings, path_nodes;
    uint32_t *ent_mentions; /* party indices grouped by entity */
    uint32_t *cluster_tx;   /* transaction indices of the ranked clusters */
    size_t min_chunk;       /* bytes per parsing thread at least (tests lower it) */
    size_t n_stop_keys;
    cordon_net_stats stats;
    bool analyzed;
};

/* norm.c */
uint32_t net_norm_phone(net_strings *s, const char *phone, const char *iso2);
uint32_t net_norm_email(net_strings *s, const char *email, uint32_t *domain);
uint32_t net_norm_iban(net_strings *s, const char *iban);
uint32_t net_norm_imo(net_strings *s, const char *imo);
uint32_t net_norm_address(net_strings *s, const char *addr, const char *iso2);
uint32_t net_norm_name(net_strings *s, const char *name, const char *iso2);
bool net_iban_valid(const char *iban);
bool net_imo_valid(const char *digits);
/* "Embassy of the DPRK" -> true, *state = "KP" (static string or NULL). */
bool net_is_mission(const char *name, const char **state);
bool net_embargoed(const char *iso2);
int32_t net_days(const char *date); /* INT32_MIN if invalid */

/* json.c: one JSON line parsed into a flat array of nodes, reused from line to line. A
 * container's children follow it; `next` is the index after a node's subtree; an object's
 * children alternate key (a string) and value. Strings are decoded, NUL-terminated (a "\u0000"
 * inside is kept: len counts it); numbers keep their literal in s. */
enum { JN_NULL, JN_FALSE, JN_TRUE, JN_INT, JN_REAL, JN_STRING, JN_ARRAY, JN_OBJECT };
#define JN_NONE UINT32_MAX
typedef struct jnode {
    uint8_t type;
    uint32_t len;  /* string bytes, or the number of children (pairs for an object) */
    uint32_t next;
    const char *s;
    double num;
} jnode;
typedef struct jdoc {
    jnode *nodes;
    size_t n, cap;
    char *strs;
    size_t strs_cap;
    char error[96];
    size_t column;   /* of the error, from 1 */
} jdoc;
bool jdoc_parse(jdoc *d, const char *s, size_t len); /* false: d->error, d->column */
void jdoc_free(jdoc *d);
uint32_t jn_get(const jdoc *d, uint32_t obj, const char *key); /* JN_NONE if absent */

/* load.c */
cordon_status net_load_decisions(cordon_net *n, const char *path, cordon_error *err);

/* resolve.c */
cordon_status net_resolve(cordon_net *n, cordon_error *err);
bool net_seller_role(const char *role); /* seller, supplier, exporter, carrier... */
/* screen.c */
cordon_status net_screen(cordon_net *n, cordon_error *err);
cordon_status net_classify_goods(cordon_net *n, cordon_error *err);
/* find.c */
cordon_status net_find(cordon_net *n, cordon_error *err);

static inline net_party *NP(const cordon_net *n, size_t i) { return &VEC_AT(&n->parties, net_party, i); }
static inline net_tx *NT(const cordon_net *n, size_t i) { return &VEC_AT(&n->tx, net_tx, i); }
static inline net_entity *NE(const cordon_net *n, size_t i) { return &VEC_AT(&n->entities, net_entity, i); }
static inline const char *NS(const cordon_net *n, uint32_t id) { return ns_get(&n->s, id); }
const char *net_node_label(const cordon_net *n, uint32_t node);

#endif
