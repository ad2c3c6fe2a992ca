/* classify.h - the state of one classification, shared by classify.c (terms, scores, output)
 * and thresholds.c (stated values against the thresholds of the candidates). Internal to
 * lib/goods. */
#ifndef CORDON_GOODS_CLASSIFY_H
#define CORDON_GOODS_CLASSIFY_H

#include "goods.h"

#define VALUE_MEETS_W 0.35
#define VALUE_PARTIAL_W 0.15 /* meets one of several conditions that hold together */
#define PARTIAL_KEY 0x08000000u /* in a value's key: it met one condition of several */
#define VALUE_BELOW_W 0.3
#define VALUE_RULES_OUT_W 0.5 /* the stated values miss every condition they bear on */
#define EXCLUSION_W 0.9 /* the stated values fall under a note's "does not control" (as an
                          exemption by name) */
#define MAX_EVIDENCE 24

typedef struct ev {
    const char *kind, *matched, *detail;
    double w;     /* > 0 positive, < 0 negative */
    uint32_t key; /* de-duplicates: pattern id + 1, or a kind-specific key */
} ev;

typedef struct cand {
    uint32_t entry;
    ev ev[MAX_EVIDENCE];
    size_t n_ev;
    double score;
    double text; /* the weight of the entries'-words evidence, 0 if none */
    bool out;    /* the stated values miss every condition they bear on (thresholds.c) */
} cand;

typedef struct match {
    uint32_t pat;
    uint32_t first, last; /* token span */
    uint8_t gap;          /* 1: one extra word inside the term's words; 2: another order */
} match;

typedef struct neg_phrase {
    uint32_t first, last; /* token span */
    double w;
    const char *words;
} neg_phrase;

typedef struct ctx {
    const cordon_goods *g;
    cordon_arena *a;
    const char *text;
    size_t len;
    goods_token *tok;
    size_t n_tok;
    uint8_t *paren; /* per token: written inside parentheses */
    match *m;
    size_t n_m, cap_m;
    cand *c;
    size_t n_c, cap_c;
    double penalty;            /* negative context: its phrases combined */
    const char *penalty_words; /* their words */
    neg_phrase neg[8]; /* the negative phrases, one per piece of text */
    size_t n_neg;
    uint32_t notes[8];          /* note patterns met: kinds of item their targets leave out */
    const char *note_words[8];
    size_t n_notes;
    const char *inferred_hs[8]; /* HS codes the description's words imply */
    const char *inferred_why[8];
    size_t n_inferred;
    char hs[16]; /* declared HS code, digits only */
    double threshold;
    const goods_value *vals; /* the stated values (in the arena) */
    size_t nv;
    uint8_t *ruled; /* per entry: whether the stated values rule it out (thresholds.c), 0 unknown */
    uint32_t missed[16]; /* entries whose threshold a stated value does not meet */
    size_t n_missed;
    bool failed;
} ctx;

/* Adds evidence for an entry, creating its candidate (classify.c). */
void goods_add_ev(ctx *x, uint32_t entry, const char *kind, const char *matched,
                  const char *detail, double w, uint32_t key);
/* Compares the stated values with the thresholds of every candidate (thresholds.c). */
void goods_apply_values(ctx *x);
/* Whether the stated values rule entry e out (thresholds.c). */
bool goods_ruled_out(const ctx *x, uint32_t e);
/* Marks the candidates the stated values rule out, with evidence against them (thresholds.c). */
void goods_rule_out(ctx *x);
/* Ranks the sub-entry whose own words single it out in its entry's place (subentry.c). */
void goods_choose_subentries(ctx *x);

#endif
