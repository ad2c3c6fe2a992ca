/* risk.h - transaction screening internals: the transaction model, the compiled rule tree and
 * the rule set. Internal to lib/risk. */
#ifndef CORDON_RISK_H
#define CORDON_RISK_H

#include "util/util.h"

#include <jansson.h>

/* ---- transaction model (docs/transactions.md) ---- */

typedef struct tx_party {
    const char *role;                 /* canonical role name */
    const char *name, *address, *country, *kind, *phone, *email, *iban, *bic, *imo, *founded;
    const char *id_type, *id_value;   /* first identifier given, for screening */
    const char *norm_name, *norm_address, *norm_text; /* " word word " forms for matching */
    int iban_state, imo_state;        /* -1 absent, 0 invalid, 1 valid */
    cordon_result screen;             /* hits at or above the party threshold */
} tx_party;

typedef struct tx_goods {
    const char *description, *hs, *unit, *currency, *technical;
    const char *norm;                 /* normalised description */
    size_t words;                     /* words in the description */
    double quantity, value;
    cordon_goods_result cls;
    int classified;
} tx_goods;

typedef struct tx_port {
    const char *name, *country, *norm;
} tx_port;

typedef struct tx {
    const char *id, *date, *type;
    tx_party *parties;
    size_t n_parties;
    tx_goods *goods;
    size_t n_goods;
    const char *origin, *destination;
    tx_port loading, discharge;
    const char **transit;
    size_t n_transit;
    const char *pay_method, *pay_terms, *pay_currency;
    double pay_amount;
    const char *end_use, *notes;
    const char *norm_end_use, *norm_notes, *norm_method, *norm_terms;
} tx;

/* Parses one transaction object; strings live in arena a. On error returns
 * CORDON_ERR_PARSE with err naming the field ("parties[1].country: unknown country 'XX'"). */
cordon_status tx_parse(const json_t *o, cordon_arena *a, tx *out, cordon_error *err);
/* One row of the flat CSV layout as a JSON transaction object (new reference). */
json_t *tx_csv_row_json(const char *const *header, const char *const *fields, size_t n,
                        cordon_error *err);
/* " lower words " with punctuation as spaces (ASCII folded; other bytes kept). */
char *tx_normalise(cordon_arena *a, const char *s);
const char *tx_role_canonical(const char *role);

/* ---- rules ---- */

typedef enum node_kind {
    N_ALL, N_ANY, N_NOT, N_PARTY, N_GOODS, N_ROUTE, N_FIELD_IN, N_FIELD_HAS, N_FIELD_MISSING,
    N_TYPE_IN,
    /* inside party.where */
    P_ROLE_IN, P_COUNTRY_IN, P_NAME_HAS, P_ADDRESS_HAS, P_TEXT_HAS, P_KIND_IN, P_LISTED,
    P_IBAN_INVALID, P_IMO_INVALID, P_IMO_MISSING, P_FOUNDED_WITHIN, P_COUNTRY_NOT_OF_ROLES,
    P_NAME_NOT_OF_ROLES,
    /* inside goods.where */
    G_HS_PREFIX_IN, G_CONTROLLED, G_PROHIBITED, G_HS_CONFLICT, G_WORDS_LT, G_TEXT_IS,
    G_TEXT_HAS, G_HS_MISSING
} node_kind;

typedef struct strlist {
    const char **v;
    size_t n;
} strlist;

typedef struct node {
    node_kind kind;
    struct node **kids;
    size_t n_kids;
    strlist list;   /* phrases, countries, codes, regimes, kinds */
    strlist roles;  /* party/goods scope roles; route legs; other roles */
    const char *field; /* N_FIELD_*: field name; G_PROHIBITED: direction */
    double num;
} node;

typedef enum severity { SEV_INFO = 0, SEV_REVIEW, SEV_BLOCK } severity;

typedef struct rule {
    const char *id, *pack, *explanation, *citation, *file;
    severity sev;
    double weight;
    node *when;
    int disabled;
} rule;

typedef struct settings {
    double party_threshold;  /* screening hits kept at or above */
    double goods_threshold;  /* a goods candidate at or above counts as controlled */
    double review_score;     /* a score at or above gives review even without a review rule */
    double block_score;
    const char *as_of;       /* reference date for founded_within_days ("" : the tx date) */
} settings;

/* A bounded memo of party screening results, shared by threads (cache.c). */
typedef struct party_cache party_cache;
party_cache *pcache_new(size_t max_entries); /* NULL when max_entries is 0 */
void pcache_free(party_cache *c);
int pcache_get(party_cache *c, const char *key, size_t len, cordon_result *out);
void pcache_put(party_cache *c, const char *key, size_t len, const cordon_result *r);
int pcache_get_goods(party_cache *c, const char *key, size_t len, cordon_goods_result *out);
void pcache_put_goods(party_cache *c, const char *key, size_t len, const cordon_goods_result *r);

struct cordon_risk {
    const cordon_engine *engine;
    const cordon_goods *goods;
    cordon_arena *arena;   /* rules, lists and strings */
    rule *rules;
    size_t n_rules;
    size_t n_packs;
    settings set;
    char version[512];
    char snapshot[72];
    party_cache *cache;
};

/* Loads and compiles the packs into r (rules.c). */
cordon_status risk_load_rules(cordon_risk *r, const char *dir, const char *const *extra,
                              size_t n_extra, cordon_error *err);

/* One rule that fired, with its trail. */
typedef struct risk_evidence {
    const char *text;
    int party, goods; /* index or -1 */
} risk_evidence;

typedef struct risk_flag {
    const rule *rule;
    const risk_evidence *ev;
    size_t n_ev;
} risk_flag;

typedef enum risk_decision { DECISION_CLEAR = 0, DECISION_REVIEW, DECISION_BLOCK } risk_decision;

/* Checks a parsed transaction and appends its report, compact JSON, to out (eval.c); line >= 0
 * adds a "line" member. */
cordon_status risk_check_tx(const cordon_risk *r, tx *t, cordon_arena *a, long line, buf *out,
                            risk_decision *decision, cordon_error *err);

/* Writes the report (report.c); false when out of memory. */
bool risk_render(const cordon_risk *r, const tx *t, const char *decision, double score,
                 const risk_flag *flags, size_t n_flags, long line, buf *out);

#endif
