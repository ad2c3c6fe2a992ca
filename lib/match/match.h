/* match.h - the match index (built into the snapshot) and the name scorer. */
#ifndef CORDON_MATCH_H
#define CORDON_MATCH_H

#include "../index/builder_internal.h"
#include "../index/engine_internal.h"
#include "../text/text.h"

/* Index sections (ids from SEC_INDEX_FIRST). */
enum {
    SEC_IDX_HDR = SEC_INDEX_FIRST,
    SEC_IDX_STRPOOL,
    SEC_IDX_KEYS,
    SEC_IDX_HASH,
    SEC_IDX_POST,
    SEC_IDX_NAMES,
    SEC_IDX_NAMETOKS,
    SEC_IDX_GRAMS,
    SEC_IDX_DICT,
    SEC_IDX_ENTS,
    SEC_IDX_GRAMPOST,
    SEC_IDX_NEAROFFS, /* uint32[n_keys + 1]: each word key's expansions in SEC_IDX_NEAR */
    SEC_IDX_NEAR      /* idx_near: a dictionary word's fuzzy expansions, worked out at build */
};

/* Keys live in one table, told apart by a one-letter prefix in their string. */
#define KEY_WORD 'w'  /* canonical token -> names */
#define KEY_FOLD 'f'  /* romanisation fold -> names */
#define KEY_SKEL 's'  /* consonant skeleton of a Latin-script name's word -> names */
#define KEY_ABJAD 'a' /* consonant skeleton of an Arabic/Hebrew-script name's word -> names */
#define KEY_JOIN 'j'  /* two adjacent tokens written together -> names */
#define KEY_IDENT 'i' /* normalised identifier value -> entities */
#define KEY_ACRO 'c'  /* initials of 3-5 adjacent tokens ("nitc") -> names; of 2 in company names */
#define KEY_INIT 'n'  /* a company name's two-letter word, maybe initials ("E. S. Co." -> es) -> names */
#define KEY_DEL 'd'   /* a word of 4+ letters less one letter -> word keys ("sad" -> suad) */
#define KEY_WSKEL 'k' /* consonant skeleton (3+) of a Latin-script word -> word keys */
#define KEY_HEB 'h'   /* text_hebrew_key of a Latin-script name's word -> names */

/* Keys whose postings are word key ids, not names. */
static inline bool key_lists_words(uint8_t kind) { return kind == KEY_DEL || kind == KEY_WSKEL; }

typedef struct idx_header {
    uint32_t n_keys, hash_cap, n_names, n_entities;
    uint32_t n_postings, n_name_toks, n_grams_post;
    uint32_t n_near; /* entries of SEC_IDX_NEAR (0: none stored, older snapshots) */
    float max_weight, mean_weight;
    float reserved2[2];
} idx_header;

typedef struct idx_key {
    uint32_t str;      /* offset in the string pool: "w:kim" */
    uint32_t post;     /* first posting */
    uint32_t n_post;   /* postings (names; entities for KEY_IDENT) */
    uint32_t fold;     /* word keys: pool offset of the fold string (no prefix) */
    float weight;      /* word keys: the token's weight in a name */
    uint8_t kind, cls, len;
    uint8_t sector; /* word keys: a sector word (text_token.sector); 0 in older snapshots */
} idx_key;

typedef struct idx_name {
    uint32_t entity;
    uint32_t toks;     /* first token (a word key id) in SEC_IDX_NAMETOKS */
    float weight;      /* sum of its token weights */
    uint8_t kind;      /* cordon_name_kind */
    uint8_t n_toks;
    uint8_t abjad;
    uint8_t pad;
    uint32_t name_index; /* which of the entity's names */
} idx_name;

typedef struct idx_entity {
    uint16_t source;
    uint8_t type;
    uint8_t pad;
} idx_entity;

#define GRAM_SLOTS (37u * 37u * 37u)

/* A dictionary word near another, with the similarity retrieval gives it (screen.c's fuzzy
 * expansion of a query word, stored for every word the lists use). */
typedef struct idx_near {
    double sim;
    uint32_t key;
    uint32_t pad;
} idx_near;

struct match_index {
    const idx_header *hdr;
    const char *pool;
    size_t pool_size;
    const idx_key *keys;
    const uint32_t *hash;
    const uint32_t *post;
    const idx_name *names;
    const uint32_t *name_toks;
    const uint32_t *gram_offs; /* GRAM_SLOTS + 1 */
    const uint32_t *gram_post;
    const idx_entity *ents;
    const uint32_t *near_offs; /* NULL: no stored expansions (older snapshot, or building) */
    const idx_near *near;
    text_dict *dict;
};

/* Key lookup: returns the key id or UINT32_MAX. */
uint32_t idx_find(const match_index *ix, char kind, const char *s);
/* Trigram slot of three characters of "$token$", or UINT32_MAX if a char is not [a-z0-9$]. */
uint32_t gram_slot(char a, char b, char c);
static inline const char *idx_str(const match_index *ix, uint32_t off) { return ix->pool + off; }

/* Normalises an identifier value for exact comparison: upper-case letters and digits only. */
void ident_normalize(const char *v, char *out, size_t cap);

/* ---- scoring ---- */
typedef struct stok {
    const char *text, *orig, *fold;
    const char *fold2; /* a nickname's second name's fold (Ted: Theodore), or NULL */
    float w;
    uint8_t len, cls, abjad;
    uint8_t common; /* a word many list names use ("abu", "sad"): never read as initials */
    uint8_t known;  /* a word at least two list names use: a name of its own, not a typo */
    uint8_t sector; /* a generic word naming a line of business (Bank, Shipping) */
    uint32_t key;   /* the dictionary word key of a list token, UINT32_MAX otherwise */
    /* What the scorer asks of a token for every pair it is in, found once by stok_prepare
     * (the query's tokens once per query, a list token once before it meets them all). A
     * token not prepared (prepared == 0) has them worked out where needed. */
    uint8_t prepared;
    uint8_t flen;           /* strlen(fold) */
    uint8_t fold_same;      /* fold equals text */
    uint8_t canonical;      /* text is a canonical form that differs from orig */
    uint8_t article;        /* text is the Latin article "al" or "el" */
    uint8_t connector;      /* orig is a patronymic connector (bin, ibn ...) */
    uint8_t polysyllabic;   /* text has two vowel groups or more (score.c middle_word) */
    int8_t acro;            /* acronym_len */
    uint64_t mask, fmask;   /* the characters of text and of fold (typo_sim_reaching) */
    const char *skel;       /* the consonant skeleton of text, or NULL: not kept */
    const char *alt;        /* a query word's Persian reading (text_token.alt), or NULL */
} stok;

/* Fills t's prepared facts; with skel_buf (TEXT_MAX_TOKEN bytes) also its skeleton. */
void stok_prepare(stok *t, char *skel_buf);

/* How two tokens matched; HOW_NAMES gives the words the explanations use. */
enum { HOW_NONE, HOW_EXACT, HOW_VARIANT, HOW_INITIAL, HOW_PHONETIC, HOW_SKELETON, HOW_FUZZY,
       HOW_JOINED, HOW_SOUNDEX, HOW_COUNT };
extern const char *const HOW_NAMES[HOW_COUNT];

/* Per-query memo of token similarities between the first SIM_CACHE_TOKENS query tokens and
 * list tokens (by word key and script): candidate names share most of their tokens. A small
 * hash table of SIM_CACHE_SLOTS, invalidated per query by a serial, so its size does not grow
 * with the lists. */
#define SIM_CACHE_TOKENS 8
#define SIM_CACHE_SLOTS 4096
typedef struct sim_slot {
    uint32_t key, serial;
    double sim[SIM_CACHE_TOKENS];
    uint8_t how[SIM_CACHE_TOKENS];
} sim_slot;
typedef struct sim_cache {
    uint32_t serial;
    sim_slot *slots; /* SIM_CACHE_SLOTS */
} sim_cache;

typedef struct match_step {
    int q0, q1; /* query token span [q0, q1] */
    int c0, c1; /* candidate token span */
    double sim;
    int how;
} match_step;

typedef struct name_score {
    double score;
    match_step steps[TEXT_MAX_TOKENS];
    int n_steps;
} name_score;

#define LIST_EXTRA_COST 0.4 /* weight share of a list-name token the query did not match */

/* Weighted token alignment of a query against one list name. A name whose score cannot
 * reach `need` (0: every name is scored) is not aligned: an upper bound of its score, below
 * `need`, is returned instead, with no steps. */
double score_names(const stok *q, int nq, const stok *c, int nc, double need, name_score *out,
                   sim_cache *cache);
/* OFAC Sanctions List Search style: whole-name and per-part Jaro-Winkler with Soundex. */
double score_ofac(const char *q_ascii, const stok *q, int nq, const char *c_ascii, const stok *c,
                  int nc, name_score *out);
double token_sim(const stok *a, const stok *b, int *how);
/* token_sim where only a result above `above` matters: a pair that cannot exceed it may be
 * rated lower than token_sim would (never higher), which skips the typo measures for it. */
double token_sim_above(const stok *a, const stok *b, int *how, double above);
/* False only where token_sim_above(a, b, .., above) is 0 or at most `above`: a test of
 * lengths and character masks, before a candidate is worth more (both prepared, else true). */
bool token_sim_may_exceed(const stok *a, const stok *b, double above);
/* Acronyms: the letters a token of 2-5 letters could be the initials of (0 if it cannot be
 * one), and the initials of tokens from..from+count-1 into out (false if one of them cannot
 * take part: a number or a single letter). Index and scorer use the same rules. */
int acronym_len(const stok *t);
bool span_initials(const char *const *orig, const uint8_t *cls, int from, int count, char *out);
/* A name with a legal form or company word among its tokens (and other words): a generic
 * word that is not also a word of persons' names (al, bin, de ...). */
bool name_is_company(const char *const *text, const uint8_t *cls, int n);

/* cordon_screen with one list name held out (skip_entity's name number skip_name_index), as
 * if it were not in the index: the alias hold-out evaluation. UINT32_MAX: none. */
cordon_status match_screen(const cordon_engine *e, const cordon_query *q, uint32_t skip_entity,
                           uint32_t skip_name_index, cordon_arena *a, cordon_result *out,
                           cordon_error *err);
/* The fuzzy expansions retrieval gives word key `key` met as a query word (at most
 * MATCH_NEAR_MAX, most similar first) into out; the builder stores them for every word. -1:
 * out of memory. match_scratch_release frees the calling thread's scratch afterwards. */
#define MATCH_NEAR_MAX 12
int match_word_near(const match_index *ix, uint32_t key, idx_near *out);
void match_scratch_release(void);
/* match_screen, and for a name written in Han characters also its Korean reading (reading.c):
 * what cordon_screen does. */
cordon_status match_screen_read(const cordon_engine *e, const cordon_query *q,
                                uint32_t skip_entity, uint32_t skip_name_index, cordon_arena *a,
                                cordon_result *out, cordon_error *err);
/* The entity has country cc as nationality, citizenship, address or document country. */
bool entity_has_country(const cordon_entity *e, const char *cc);
/* cordon_compare of the names as written (the reading is reading.c's). */
cordon_status match_compare(const cordon_engine *e, const char *name1, const char *name2,
                            cordon_entity_type type, cordon_algorithm algo, cordon_arena *a,
                            cordon_result *out, cordon_error *err);

#endif
