/* params.h - decoding what a client sends (query strings, form bodies, JSON bodies, the
 * yente and W3C reconciliation query shapes) into cordon queries. Pure functions with no
 * HTTP library in sight, so the fuzz target can drive them directly. */
#ifndef CORDON_SERVER_PARAMS_H
#define CORDON_SERVER_PARAMS_H

#include "cordon.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SREQ_MAX_SOURCES 32
#define SREQ_MAX_STRINGS 64
#define SREQ_MAX_LIMIT 1000
#define EX_MAX_NAMES 8
#define EX_MAX_QUERIES 100 /* queries in one yente or reconciliation batch */

/* One /v1/screen request: the query plus the copies of the strings it points to. */
typedef struct screen_req {
    cordon_query q;
    const char *sources[SREQ_MAX_SOURCES];
    char *owned[SREQ_MAX_STRINGS];
    size_t n_owned;
} screen_req;

void sreq_init(screen_req *r);
void sreq_free(screen_req *r);
/* Sets one field from its text form (query string or form field). Keys: name, type, dob,
 * country, id (TYPE:VALUE), id_type, id_value, sources (comma list; repeatable), source,
 * limit, threshold, algorithm, exhaustive. Returns 0, or -1 with a message in msg. */
int sreq_set(screen_req *r, const char *key, const char *value, char *msg, size_t cap);
/* Fills r from a JSON object body with the same keys (sources may be an array). */
int sreq_from_json(screen_req *r, const char *body, size_t len, char *msg, size_t cap);
/* Final checks once every field is in: a name is required. */
int sreq_finish(screen_req *r, char *msg, size_t cap);

/* application/x-www-form-urlencoded and query strings: calls cb(ctx, key, value) for each
 * pair, decoded. Returns 0, -1 on bad encoding (message in msg), or cb's non-zero result. */
typedef int (*form_cb)(void *ctx, const char *key, const char *value);
int form_parse(const char *body, size_t len, form_cb cb, void *ctx, char *msg, size_t cap);

/* One query-by-example of the yente and reconciliation APIs. Strings point into the JSON
 * document it came from. */
typedef struct match_example {
    const char *key;
    json_t *src; /* the example as sent */
    cordon_entity_type type;
    const char *names[EX_MAX_NAMES];
    size_t n_names;
    const char *dob, *country, *id_type, *id_value;
    size_t limit; /* reconciliation: per-query limit, 0 if not given */
} match_example;

/* yente POST /match body: {"queries": {"q1": {"schema": "Person", "properties": {...}}}} */
int yente_parse(json_t *root, match_example *out, size_t cap, size_t *n, char *msg, size_t mcap);
/* W3C reconciliation batch: {"q0": {"query": "...", "type": "Person", "limit": 3,
 * "properties": [{"pid": "birthDate", "v": "1984"}]}} */
int reconcile_parse(json_t *root, match_example *out, size_t cap, size_t *n, char *msg,
                    size_t mcap);

/* FollowTheMoney schema names <-> cordon types. *known is false for a schema cordon does not
 * screen; LegalEntity and Thing map to CORDON_TYPE_UNKNOWN (any type). */
cordon_entity_type ftm_schema_type(const char *schema, bool *known);
const char *ftm_schema_name(cordon_entity_type t);

/* POST /v1/alerts/{id}/decision: {"outcome", "reason", "who", "second_approver"}. Strings
 * point into root. outcome must be false_positive, true_match or escalated; reason and who are
 * required (not blank); second_approver is optional (null or "" means none). Returns 0, or -1
 * with a message naming the field. */
#define DECISION_MAX_WHO 256
#define DECISION_MAX_REASON 4096
typedef struct decision_req {
    const char *outcome, *reason, *who, *second_approver;
} decision_req;
int decision_parse(json_t *root, decision_req *d, char *msg, size_t cap);
/* The tail of /v1/alerts/{tail}: "ID" or "ID/decision". Returns 0 with *id (>= 1) and
 * *decision set; -1 if ID is not a whole number from 1 (a bad request); -2 if something other
 * than "/decision" follows it (no such endpoint). */
int alert_path_parse(const char *tail, int64_t *id, bool *decision);

/* A bounded decimal or float parse: the whole string must be the number. */
bool parse_size(const char *s, size_t lo, size_t hi, size_t *out);
bool parse_unit(const char *s, double *out); /* a number in [0,1] */
bool parse_bool(const char *s, bool *out);    /* true/false/1/0/yes/no (any case) */

#endif
