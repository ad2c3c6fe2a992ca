/* goods.h - goods and technology screening: the control lists in memory, the token automaton
 * and the classifier. Internal to lib/goods; the public API is the cordon_goods_ section of
 * cordon.h. */
#ifndef CORDON_GOODS_H
#define CORDON_GOODS_H

#include "../util/util.h"

/* Hard limits, so a broken data file or a hostile query fails cleanly. */
#define GOODS_MAX_FILE ((size_t)64 << 20)   /* one data file */
#define GOODS_MAX_LINE ((size_t)1 << 20)    /* one JSON line or TSV row */
#define GOODS_MAX_TEXT ((size_t)64 << 10)   /* one query description */
#define GOODS_MAX_TOKENS 4096               /* tokens of one query */
#define GOODS_MAX_PATTERN_TOKENS 16
#define GOODS_DEFAULT_LIMIT 10
#define GOODS_DEFAULT_THRESHOLD 0.5

/* The lists, in the order results are ranked when scores tie. */
typedef enum goods_regime {
    REG_MTCR = 0,
    REG_NSG1,
    REG_NSG2,
    REG_CWC,
    REG_WA,
    REG_EU,
    REG_COUNT
} goods_regime;

typedef struct goods_regime_info {
    const char *id;     /* "mtcr": the regime field of the data */
    const char *prefix; /* "mtcr": the prefix in vocabulary targets */
    const char *file;   /* "mtcr.jsonl" */
    const char *name;   /* "MTCR Annex" */
} goods_regime_info;

extern const goods_regime_info goods_regimes[REG_COUNT];

typedef enum goods_cmp { CMP_LT = 0, CMP_LE, CMP_GT, CMP_GE, CMP_BETWEEN } goods_cmp;

/* A unit: dimension and factor to its SI base (temperatures keep their scale: C, K, F). */
typedef struct goods_unit {
    const char *canon; /* "um", "MPa" */
    const char *dim;   /* "length", "pressure" */
    double factor;
    uint32_t default_q; /* 1 + index of the quantity an unnamed value in this unit is (a length
                           in nm is a wavelength), 0 for none (vocabulary kind unitq) */
} goods_unit;

typedef struct goods_threshold {
    const char *quantity; /* "unidirectional positioning repeatability" */
    const char *text;     /* the words of the list: "equal to or less (better) than 6.0 µm" */
    const goods_unit *unit; /* NULL for a count */
    double value, value_max;
    uint8_t cmp;
    uint8_t min_open, max_open; /* CMP_BETWEEN: "exceeding 1 250 but not exceeding 3 500" */
    uint8_t known;              /* its quantity has words of a buyer's quantity (vocabulary) */
    const char *kind;           /* an exclusion: the words of the kind of item it names ("zirconium
                                   foil"), "" for any */
    uint8_t sole;               /* the only quantity of its dimension in its entry and the
                                   entry's sub-entries: an unnamed value of that dimension can
                                   only be this one ("reactor 50 L", "foam rated 500 m") */
} goods_threshold;

typedef struct goods_entry {
    const char *code;    /* "2B001.b.2.c" */
    const char *title;
    const char *text;    /* the entry's own words (textrank.c) */
    const char *heading;
    const char *file;    /* the source text under data/controls: "src/mtcr/....txt" */
    const char *status;  /* NULL or "not_used" */
    uint32_t line;       /* line of the source text */
    int32_t parent;      /* entry index or -1 */
    int32_t first_child; /* entry index or -1; siblings chain through next_sibling */
    int32_t next_sibling;
    uint32_t first_threshold, n_thresholds;
    uint32_t first_exclusion, n_exclusions; /* in thresholds: "does not control ... 75 mm or
                                               less", the small end a note leaves out */
    uint8_t regime;
    uint8_t munitions;   /* Wassenaar Munitions List */
    uint8_t selectable;  /* an entry a result may name (not a category or group heading) */
    uint8_t all_of;      /* its conditions hold together: "having all of the following", or
                            thresholds of two quantities joined by "and" */
    uint8_t conditions;  /* its sub-entries are conditions that hold together, not kinds of
                            item ("having all of the following") */
} goods_entry;

/* A pattern of the automaton: a vocabulary term, an abbreviation, a chemical name, a negative
 * context word or a word that implies an HS heading. */
typedef enum goods_pattern_kind {
    PAT_TERM = 0,
    PAT_ABBR,     /* matched only where the text writes it in capitals */
    PAT_CHEMICAL, /* a chemical name from the lists */
    PAT_EXEMPT,   /* a chemical the CWC exempts by name */
    PAT_NEG,      /* context that makes a controlled reading unlikely */
    PAT_HSTERM,   /* a word that implies an HS heading */
    PAT_NOTE      /* the kind of item a note of the targets says they do not control */
} goods_pattern_kind;

typedef struct goods_pattern {
    const char *term;        /* as written in the vocabulary */
    const uint32_t *tokens;  /* token ids */
    const uint32_t *targets; /* entry indices (PAT_HSTERM: indices into hs rows) */
    uint32_t n_targets;
    float weight;
    uint8_t kind;
    uint8_t n_tokens;
    uint8_t case_sensitive;
    uint8_t joined;          /* the words of a vocabulary term written as one ("turbopump") */
} goods_pattern;

typedef struct goods_hs {
    const char *code, *parent, *chapter, *section, *section_name, *description;
} goods_hs;

/* HS prefix -> entries it plausibly covers ("hs" rows of the vocabulary). */
typedef struct goods_hsmap {
    const char *prefix;
    const char *note;
    const uint32_t *targets;
    uint32_t n_targets;
    float weight;
} goods_hsmap;

typedef struct goods_ban {
    const char *citation, *item, *paragraph, *direction, *hs, *hs_source, *verification,
        *limits;
    int resolution;
    int verified;
    int luxury;
} goods_ban;

typedef struct goods_quantity {
    const char *phrase;       /* buyer's words, normalised: "positioning accuracy" */
    const char *const *words; /* words of list quantity names */
    size_t n_words;
    uint8_t unit_only;        /* a unit's default (unitq): not a phrase a buyer writes */
} goods_quantity;

typedef struct goods_cas {
    const char *cas;
    uint32_t entry;
    uint8_t exempt;
} goods_cas;

/* Hash map from strings to 32-bit values (open addressing; keys owned elsewhere). */
typedef struct smap {
    const char **keys;
    uint32_t *vals;
    size_t cap, n;
} smap;

bool smap_put(smap *m, const char *key, uint32_t val); /* replaces; false on OOM */
bool smap_get(const smap *m, const char *key, size_t klen, uint32_t *val);
void smap_free(smap *m);

/* Aho-Corasick automaton over token ids. */
typedef struct ac_automaton ac_automaton;
ac_automaton *ac_build(const uint32_t *const *pats, const uint8_t *lens, size_t n_pats,
                       cordon_error *err);
void ac_free(ac_automaton *ac);
/* Feeds one token id from state s; returns the new state. */
uint32_t ac_step(const ac_automaton *ac, uint32_t s, uint32_t tok);
/* Patterns that end in state s: calls fn for each. */
void ac_outputs(const ac_automaton *ac, uint32_t s, void (*fn)(void *ctx, uint32_t pat),
                void *ctx);
size_t ac_states(const ac_automaton *ac);

struct cordon_goods {
    cordon_arena *arena; /* every string and array below */
    char dir[1024];

    goods_entry *entries;
    size_t n_entries;
    smap entry_index;   /* "mtcr:3.A.5" -> entry */
    goods_threshold *thresholds;
    size_t n_thresholds;
    size_t by_regime[REG_COUNT];
    const char *document[REG_COUNT];
    const char *edition[REG_COUNT];

    goods_unit *units;  /* canonical units */
    size_t n_units;
    smap unit_canon;    /* "MPa" -> units[] */
    smap unit_surface;  /* "mpa", "micron", "um" (as the value scanner writes them) -> units[] */
    smap unit_surface_cs; /* surfaces whose case matters: "Ns" (impulse) vs "ns", "MW" vs "mW" */
    size_t max_unit_len;

    goods_quantity *quantities;
    size_t n_quantities;
    smap quantity_index; /* phrase -> quantities[] */

    goods_pattern *patterns;
    size_t n_patterns;
    smap token_ids;     /* normalised token -> id (1-based) */
    uint32_t n_tokens;
    ac_automaton *ac;
    /* multi-word terms by their first token, for matches with one extra word inside
     * ("electron beam [melting] furnace"): gap_start[id]..gap_start[id+1] in gap_list */
    uint32_t *gap_start;
    uint32_t *gap_list;

    goods_cas *cas;     /* sorted by cas */
    size_t n_cas;

    goods_hs *hs;
    size_t n_hs;
    smap hs_index;      /* code -> hs[] */
    goods_hsmap *hsmap;
    size_t n_hsmap;
    smap hsmap_index;   /* prefix -> hsmap[] */

    goods_ban *bans;
    size_t n_bans;

    /* the entries' own words, for BM25 ranking (textrank.c) */
    smap text_words;      /* folded word -> id */
    uint32_t text_n_words;
    uint32_t *text_start; /* word id -> its postings text_start[id]..text_start[id+1] */
    uint32_t *text_entry; /* postings: entry index */
    uint16_t *text_tf;    /* postings: times the word occurs in the entry */
    float *text_idf;
    float *text_doclen;   /* words per entry */
    float text_avgdl;
    uint32_t text_docs;
    /* each entry's own telling words (subentry.c): own_start[e]..own_start[e+1] in own_words,
     * sorted ids of text_words */
    uint32_t *own_start;
    uint32_t *own_words;
    /* a material's trade or plain name to the lists' words for it ("hastelloy" -> "nickel",
     * "pfa" -> "fluoropolymer"; vocabulary "alias" rows): read as those words when choosing
     * a sub-entry. alias_index: folded word -> a; alias_ids[alias_start[a]..alias_start[a+1]]
     * are ids of text_words */
    smap alias_index;
    const char **alias_to;
    size_t n_alias;
    uint32_t *alias_start;
    uint32_t *alias_ids;
    /* chemical element symbols as written ("Zr", "Li"; vocabulary "symbol" rows) -> index in
     * symbol_to (the element's name), bit 31 set when read so only before a mass number
     * ("He-3": "He" alone is a pronoun) */
    smap symbol_index;
    const char **symbol_to;
    size_t n_symbol;
};

/* ---- loading (load.c) ---------------------------------------------------------------- */
cordon_status goods_load(cordon_goods *g, const char *dir, cordon_error *err);

/* ---- text (text.c) ------------------------------------------------------------------- */
/* A token of a query or a pattern: lower-case ASCII, British spellings and plurals folded. */
typedef struct goods_token {
    uint32_t id;     /* token id, 0 when no pattern uses the word */
    uint32_t start;  /* byte span in the original text */
    uint32_t end;
    uint8_t upper;   /* written in capitals in the original (for abbreviations) */
    uint8_t number;  /* all digits */
    char norm[32];
} goods_token;

/* Tokenises UTF-8 text; returns the number of tokens (<= cap). */
size_t goods_tokenize(const char *s, size_t n, goods_token *out, size_t cap);
/* Normalises one word in place (lower case, spelling and plural folding). */
void goods_fold_word(char *w);

/* A value the text states: "positioning accuracy 4 µm", "range over 350 km". */
typedef struct goods_value {
    double value;
    const goods_unit *unit;
    uint8_t cmp;      /* how the buyer bounds it: CMP_* or 255 for "equals" */
    char quantity[64]; /* the words before it, normalised ("" if none) */
    const goods_quantity *q; /* the quantity synonym these words map to, or NULL */
    uint8_t low_end;  /* the first number of a range, after the value of its last */
    uint32_t start, end;
} goods_value;

#define GOODS_MAX_VALUES 32
size_t goods_find_values(const cordon_goods *g, const char *s, size_t n, goods_value *out,
                         size_t cap);
/* value in unit `from` expressed in `to`; false when the dimensions differ. */
bool goods_convert(double v, const goods_unit *from, const goods_unit *to, double *out);

/* ---- the entries' own words (textrank.c) ------------------------------------------------ */
cordon_status goods_text_index(cordon_goods *g, cordon_error *err);
typedef struct goods_text_hit {
    uint32_t entry;
    double share;      /* BM25 score over the most the description's words could score */
    const char *words; /* the description's words the entry shares */
} goods_text_hit;
cordon_status goods_subentry_index(cordon_goods *g, cordon_error *err);
/* The entries that share two or more telling words with the description, best first. */
size_t goods_text_rank(const cordon_goods *g, const goods_token *tok, size_t n_tok,
                       cordon_arena *a, goods_text_hit *out, size_t cap);

#endif
