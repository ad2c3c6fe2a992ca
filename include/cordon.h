/*
 * cordon.h - the one public header of libcordon, a counter-proliferation screening engine.
 *
 * Conventions
 * - Every fallible call returns a cordon_status (CORDON_OK == 0) and, when given a
 *   cordon_error, fills it with a message that names the file and line (or element / field)
 *   that caused the failure. The library never prints and never exits.
 * - Strings are UTF-8. Input strings are validated at the boundary.
 * - Ownership: an object returned by a *_new / *_open call is owned by the caller and freed
 *   by the matching *_free / *_close. Pointers inside a cordon_entity handed to a sink are
 *   valid only during that call. Pointers inside results returned by the engine stay valid
 *   until the result (or the arena it was allocated in) is freed.
 */
#ifndef CORDON_H
#define CORDON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CORDON_VERSION "0.1.0"

/* ---------------------------------------------------------------------------------------- */
/* Status and errors                                                                         */

typedef enum cordon_status {
    CORDON_OK = 0,
    CORDON_ERR_IO,       /* a file could not be opened, read, written or renamed */
    CORDON_ERR_PARSE,    /* an input file is malformed (the message names file and line) */
    CORDON_ERR_FORMAT,   /* a snapshot of another format version, or a corrupt snapshot */
    CORDON_ERR_NOMEM,    /* out of memory */
    CORDON_ERR_INVALID,  /* a bad argument (unknown format, empty name, bad date...) */
    CORDON_ERR_LIMIT,    /* an input exceeded a hard limit (field size, entity count...) */
    CORDON_ERR_NOTFOUND, /* a named source, entity or file does not exist */
    CORDON_ERR_ABORTED   /* a sink asked to stop */
} cordon_status;

typedef struct cordon_error {
    cordon_status status;
    char message[1024]; /* "FILE:LINE: what is wrong" where a file and line apply */
} cordon_error;

const char *cordon_status_name(cordon_status st);

/* ---------------------------------------------------------------------------------------- */
/* The entity model: one shape for every source list                                         */

typedef enum cordon_entity_type {
    CORDON_TYPE_UNKNOWN = 0,
    CORDON_TYPE_PERSON,
    CORDON_TYPE_ORGANIZATION,
    CORDON_TYPE_VESSEL,
    CORDON_TYPE_AIRCRAFT,
    CORDON_TYPE_COUNT
} cordon_entity_type;

const char *cordon_entity_type_name(cordon_entity_type t); /* "person", "organization", ... */
/* Parses "person", "individual", "organization", "entity", "company", "vessel", "aircraft"
 * (any case); returns CORDON_TYPE_UNKNOWN for anything else. */
cordon_entity_type cordon_entity_type_parse(const char *s);

typedef enum cordon_name_kind {
    CORDON_NAME_PRIMARY = 0,  /* the name the source lists the entry under */
    CORDON_NAME_STRONG_AKA,   /* a.k.a. the source calls good/strong quality */
    CORDON_NAME_WEAK_AKA,     /* a.k.a. the source calls low quality / weak */
    CORDON_NAME_FORMER,       /* f.k.a., former vessel names */
    CORDON_NAME_ORIGINAL,     /* the name in its original script (Hangul, Arabic, ...) */
    CORDON_NAME_KIND_COUNT
} cordon_name_kind;

const char *cordon_name_kind_name(cordon_name_kind k); /* "primary", "strong", ... */

typedef struct cordon_name {
    cordon_name_kind kind;
    const char *full;   /* the whole name as the source writes it (never NULL) */
    const char *given;  /* split parts where the source gives them, else NULL */
    const char *middle;
    const char *family;
    const char *script; /* ISO 15924 code of the name's script when not Latin ("Hang"), else NULL */
} cordon_name;

typedef enum cordon_id_type {
    CORDON_ID_OTHER = 0,
    CORDON_ID_PASSPORT,
    CORDON_ID_NATIONAL_ID,
    CORDON_ID_TAX_ID,
    CORDON_ID_REGISTRATION,
    CORDON_ID_IMO,
    CORDON_ID_MMSI,
    CORDON_ID_CALL_SIGN,
    CORDON_ID_AIRCRAFT_SERIAL,
    CORDON_ID_AIRCRAFT_TAIL,
    CORDON_ID_SWIFT_BIC,
    CORDON_ID_CRYPTO,
    CORDON_ID_EMAIL,
    CORDON_ID_PHONE,
    CORDON_ID_WEBSITE,
    CORDON_ID_TYPE_COUNT
} cordon_id_type;

const char *cordon_id_type_name(cordon_id_type t); /* "passport", "imo", "swift_bic", ... */
cordon_id_type cordon_id_type_parse(const char *s);   /* inverse; CORDON_ID_OTHER if unknown */

typedef struct cordon_identifier {
    cordon_id_type type;
    const char *label;   /* the source's own wording ("Passport", "Digital Currency Address - XBT") */
    const char *value;   /* as written by the source */
    const char *country; /* ISO 3166 alpha-2 of the issuing country, or NULL */
} cordon_identifier;

/* A date with its precision, or a range. An exact date has year_from == year_to and day set;
 * "1960" has month == 0 and day == 0; "1958 to 1962" has year_from 1958, year_to 1962. */
typedef struct cordon_date {
    int16_t year_from;
    int16_t year_to;
    uint8_t month; /* 0 when unknown */
    uint8_t day;   /* 0 when unknown */
    uint8_t circa; /* the source says "circa" / "approximately" */
} cordon_date;

typedef struct cordon_address {
    const char *text;    /* free text as the source writes it (street, city, region...) */
    const char *country; /* ISO 3166 alpha-2, or NULL */
} cordon_address;

typedef struct cordon_entity {
    cordon_entity_type type;
    const char *source;    /* short stable source name: "un", "ofac-sdn", ... */
    const char *source_id; /* the source's own entry id (UN reference number, OFAC ent_num) */
    const char *listed_on; /* YYYY-MM-DD where known, else NULL */
    const char *gender;    /* "male", "female" or NULL */
    const char *remarks;   /* free-text remarks, NULL if none */

    const cordon_name *names;
    size_t n_names; /* names[0] is the primary name */
    const cordon_identifier *ids;
    size_t n_ids;
    const cordon_date *birth_dates;
    size_t n_birth_dates;
    const char *const *birth_places;
    size_t n_birth_places;
    const char *const *nationalities; /* ISO 3166 alpha-2 */
    size_t n_nationalities;
    const char *const *citizenships; /* ISO 3166 alpha-2 */
    size_t n_citizenships;
    const cordon_address *addresses;
    size_t n_addresses;
    const char *const *programs; /* programmes / regimes as the source writes them */
    size_t n_programs;
    const char *const *regimes; /* normalised regimes: "DPRK", "IRAN", "RUSSIA", ... */
    size_t n_regimes;
    const char *const *linked_to; /* names of related parties the source links to */
    size_t n_linked_to;
} cordon_entity;

/* ---------------------------------------------------------------------------------------- */
/* Arenas: every query gets one, freed in one go                                             */

typedef struct cordon_arena cordon_arena;
cordon_arena *cordon_arena_new(void);
void cordon_arena_reset(cordon_arena *a);
void cordon_arena_free(cordon_arena *a);

/* ---------------------------------------------------------------------------------------- */
/* Reading source lists                                                                      */

/* Formats: "un-xml", "ofac-csv" (SDN.CSV set or the CONS_*.CSV set: give the directory),
 * "us-csl", "bis-dpl", "eu-fsf", "uk-csv", "ftm-json", "user-csv". */
typedef struct cordon_source_spec {
    const char *name;   /* short stable name used in results ("un", "ofac-sdn", "mylist") */
    const char *format; /* one of the formats above */
    const char *path;   /* a file, or for ofac-csv a directory */
} cordon_source_spec;

/* Called once per entity; returns 0 to go on, non-zero to stop (the reader then returns
 * CORDON_ERR_ABORTED). The entity and everything it points to live only during the call. */
typedef int (*cordon_entity_sink)(void *ctx, const cordon_entity *e);

/* Per-source facts the reader finds in the file itself. */
typedef struct cordon_source_meta {
    char published[32]; /* publication date YYYY-MM-DD (or date-time) the file states, "" if none */
} cordon_source_meta;

cordon_status cordon_read_source(const cordon_source_spec *spec, cordon_entity_sink sink,
                                 void *ctx, cordon_source_meta *meta, cordon_error *err);

/* Known formats, for help texts: a NULL-terminated array. */
const char *const *cordon_source_formats(void);

/* ---------------------------------------------------------------------------------------- */
/* Building a snapshot                                                                       */

typedef struct cordon_builder cordon_builder;

cordon_builder *cordon_builder_new(void);
/* Reads a source fully into the builder. On failure nothing of that source is kept. */
cordon_status cordon_builder_add(cordon_builder *b, const cordon_source_spec *spec,
                                 cordon_error *err);
/* Writes the snapshot atomically: a temporary file beside out_path, fsync, rename. */
cordon_status cordon_builder_write(cordon_builder *b, const char *out_path, cordon_error *err);
void cordon_builder_free(cordon_builder *b);

/* ---------------------------------------------------------------------------------------- */
/* The engine: a loaded snapshot                                                             */

typedef struct cordon_engine cordon_engine;

#define CORDON_SNAPSHOT_FORMAT 1u

/* Maps the snapshot read-only and validates header, section bounds and checksum. */
cordon_engine *cordon_engine_open(const char *snapshot_path, cordon_error *err);
void cordon_engine_close(cordon_engine *e);

typedef struct cordon_source_info {
    const char *name;
    const char *format;
    const char *file;      /* file name(s) the source was read from */
    const char *sha256;    /* hex SHA-256 of the source file(s) */
    const char *published; /* publication date the file states, or "" */
    uint32_t entities;
    uint32_t by_type[CORDON_TYPE_COUNT];
    size_t n_regimes;
    const char *const *regime_names; /* parallel arrays: regime and its entity count */
    const uint32_t *regime_counts;
} cordon_source_info;

typedef struct cordon_snapshot_info {
    uint32_t format_version;
    const char *built_at;  /* ISO 8601 UTC */
    const char *checksum;  /* hex SHA-256 of the snapshot payload */
    uint64_t file_size;
    uint32_t entities;
    uint32_t names;
} cordon_snapshot_info;

void cordon_engine_info(const cordon_engine *e, cordon_snapshot_info *out);
size_t cordon_engine_source_count(const cordon_engine *e);
/* Fills *out for source i (0-based); pointers live as long as the engine. */
cordon_status cordon_engine_source(const cordon_engine *e, size_t i, cordon_source_info *out);
size_t cordon_engine_entity_count(const cordon_engine *e);
/* Decodes entity i; arrays are allocated in arena a, strings point into the snapshot. */
cordon_status cordon_engine_entity(const cordon_engine *e, size_t i, cordon_arena *a,
                                   cordon_entity *out);

/* Default snapshot path: $CORDON_SNAPSHOT, else data/cordon.snap relative to the executable's
 * directory parent (build/../data), else ./data/cordon.snap. Writes into buf. */
const char *cordon_default_snapshot(char *buf, size_t len);


/* ---------------------------------------------------------------------------------------- */
/* Screening parties                                                                         */

typedef enum cordon_algorithm {
    CORDON_ALGO_DEFAULT = 0, /* token alignment with rarity weights and supporting features */
    CORDON_ALGO_OFAC         /* OFAC Sanctions List Search style: Jaro-Winkler + Soundex, names only */
} cordon_algorithm;

#define CORDON_DEFAULT_THRESHOLD 0.80
#define CORDON_DEFAULT_LIMIT 10
#define CORDON_MAX_QUERY_BYTES 1024

typedef struct cordon_query {
    const char *name;        /* required, UTF-8, any script */
    cordon_entity_type type; /* CORDON_TYPE_UNKNOWN: any */
    const char *dob;         /* "YYYY", "YYYY-MM" or "YYYY-MM-DD", or NULL */
    const char *country;     /* ISO alpha-2 or a country name, or NULL */
    const char *id_type;     /* identifier type name ("passport", "imo"...) or NULL for any */
    const char *id_value;    /* identifier value, or NULL */
    const char *const *sources; /* restrict to these source names; NULL: all */
    size_t n_sources;
    size_t limit;            /* 0: CORDON_DEFAULT_LIMIT */
    double threshold;        /* results at or above; < 0: CORDON_DEFAULT_THRESHOLD */
    cordon_algorithm algorithm;
    int exhaustive;          /* score every list name instead of the index's candidates */
} cordon_query;

/* One step of an explanation: a query token (or two written together) and what it matched. */
typedef struct cordon_token_match {
    const char *query;   /* the query token(s) */
    const char *matched; /* the list token(s), or NULL when nothing matched */
    const char *how;     /* exact, variant, phonetic, skeleton, initial, fuzzy, joined, soundex */
    double similarity;
    double weight;       /* share of the name's total weight this step carries */
} cordon_token_match;

/* A supporting feature that moved the score. */
typedef struct cordon_feature_score {
    const char *feature; /* dob, country, type, identifier, name_kind */
    double delta;
    const char *detail;
} cordon_feature_score;

typedef struct cordon_hit {
    size_t entity_index;
    cordon_entity entity;
    const char *matched_name;
    cordon_name_kind matched_kind;
    double score;       /* final score in [0,1] */
    double name_score;  /* the name part alone */
    const cordon_token_match *tokens;
    size_t n_tokens;
    const cordon_feature_score *features;
    size_t n_features;
} cordon_hit;

typedef struct cordon_result {
    const cordon_hit *hits; /* best first */
    size_t n_hits;
    size_t candidates; /* list names scored */
    const char *query_ascii; /* the query name as cordon read it */
} cordon_result;

/* Screens one party. Everything in *out is allocated in arena a. Thread-safe: any number of
 * threads may screen against one engine, each with its own arena. */
cordon_status cordon_screen(const cordon_engine *e, const cordon_query *q, cordon_arena *a,
                            cordon_result *out, cordon_error *err);

/* Scores one pair of names with the full explanation (no list involved beyond its word
 * weights). out->n_hits is 1 and hits[0].entity is a synthetic entity named name2. */
cordon_status cordon_compare(const cordon_engine *e, const char *name1, const char *name2,
                             cordon_entity_type type, cordon_algorithm algo, cordon_arena *a,
                             cordon_result *out, cordon_error *err);


/* Bulk screening: parties from a CSV file (header row; `name` required, `type`, `dob`,
 * `country`, `id` as TYPE:VALUE, `ref` passed through) or JSON lines (the same keys), results
 * as JSON lines (one object per input row, in input order) or CSV (one row per hit). Rows are
 * screened in parallel on `threads` threads; a bad row yields an error record and the run goes
 * on. `defaults` supplies limit, threshold, algorithm and sources. progress (may be NULL) is
 * called after each chunk with rows done so far. */
typedef enum cordon_bulk_format { CORDON_BULK_JSONL = 0, CORDON_BULK_CSV } cordon_bulk_format;
typedef struct cordon_bulk_stats {
    uint64_t rows, errors, rows_with_hits, hits;
} cordon_bulk_stats;
cordon_status cordon_screen_bulk(const cordon_engine *e, const char *in_path,
                                 cordon_bulk_format in_format, FILE *out,
                                 cordon_bulk_format out_format, const cordon_query *defaults,
                                 int threads, void (*progress)(void *ctx, uint64_t rows),
                                 void *progress_ctx, cordon_bulk_stats *stats, cordon_error *err);

/* JSON renderings shared by every front end; malloc'd, free() them. */
char *cordon_entity_json(const cordon_entity *ent, int pretty);
char *cordon_result_json(const cordon_query *q, const cordon_result *r, int pretty);

/* ---------------------------------------------------------------------------------------- */
/* Goods and technology screening (lib/goods)                                               */
/* BEGIN cordon_goods                                                                        */

/* The control lists of data/controls/ (MTCR Annex, Wassenaar lists, EU dual-use list, NSG
 * Parts 1 and 2, CWC schedules, HS 2022, UN DPRK bans, vocabulary) loaded into memory with a
 * term automaton compiled once. Read-only after open: any number of threads may classify
 * against one handle, each with its own arena. */
typedef struct cordon_goods cordon_goods;

/* Default data directory: $CORDON_CONTROLS, else "controls" beside the default snapshot
 * (cordon_default_snapshot: data/cordon.snap -> data/controls). Writes into buf. */
const char *cordon_goods_default_dir(char *buf, size_t len);

/* Loads every file of dir (NULL: cordon_goods_default_dir). On error returns NULL and err
 * names the file and line. */
cordon_goods *cordon_goods_open(const char *dir, cordon_error *err);
void cordon_goods_close(cordon_goods *g);

#define CORDON_GOODS_DEFAULT_LIMIT 10
#define CORDON_GOODS_DEFAULT_THRESHOLD 0.5
#define CORDON_GOODS_MAX_TEXT 65536

typedef struct cordon_goods_query {
    const char *text;        /* the description (order line, enquiry, specification); UTF-8;
                                may be "" or NULL when hs is given */
    const char *hs;          /* optional HS code: "8458", "8458.11", "845811", "84" */
    const char *destination; /* optional: ISO alpha-2 or a country name ("KP", "North Korea") */
    const char *origin;      /* optional: where the goods come from (DPRK export bans) */
    size_t limit;            /* candidates returned; 0: CORDON_GOODS_DEFAULT_LIMIT */
    double threshold;        /* a candidate at or above this makes the item "controlled";
                                < 0: CORDON_GOODS_DEFAULT_THRESHOLD */
} cordon_goods_query;

/* Why a candidate was proposed. kind is one of:
 *   "term"      a vocabulary term or synonym ("turbo pump" -> MTCR 3.A.5)
 *   "abbr"      an abbreviation written in capitals ("UDMH", "IMU")
 *   "cas"       a CAS number of the list ("57-14-7")
 *   "chemical"  a chemical name of the list
 *   "value"     a stated value meets (delta > 0) or falls below (delta < 0) a threshold of the
 *               entry or one of its sub-entries, after unit conversion
 *   "hs"        the declared HS code plausibly covers the entry
 *   "context"   words that make a controlled reading unlikely ("toy", "kitchen") */
typedef struct cordon_goods_evidence {
    const char *kind;
    const char *matched; /* the words of the description (or the HS code) */
    const char *detail;  /* a sentence a reviewer can check */
    double delta;        /* how much it moved the score */
} cordon_goods_evidence;

typedef struct cordon_goods_candidate {
    const char *regime;    /* "mtcr", "wassenaar", "eu_dual_use", "nsg_part1", "nsg_part2", "cwc" */
    const char *list;      /* display name: "MTCR Annex", "Wassenaar Munitions List", ... */
    const char *code;      /* "3.A.5", "2B001.b.2.c", "ML4", "1.A.1" */
    const char *title;
    const char *heading;   /* category / group */
    const char *document;  /* the source document */
    const char *edition;   /* its edition or date */
    const char *file;      /* the source text, relative to the data directory */
    unsigned line;         /* line of that text */
    double score;          /* 0..1 */
    const cordon_goods_evidence *evidence;
    size_t n_evidence;
} cordon_goods_candidate;

/* A UN Security Council DPRK prohibition that applies. */
typedef struct cordon_goods_prohibition {
    const char *regime;     /* "UNSC-DPRK" */
    const char *rule;       /* what the paragraph bans ("All industrial machinery; ...") */
    const char *citation;   /* "S/RES/2397 (2017), para. 7" */
    const char *direction;  /* "import" (supply to the DPRK), "export" (from it), "both" */
    const char *hs;         /* the HS code of the rule that matched, "" for list-based rules */
    const char *reason;     /* why it applies to this item */
    const char *limits;     /* exemptions and caps the table gives, "" if none */
    int verified;           /* 0: the working table marks the row unverified; say so */
} cordon_goods_prohibition;

typedef struct cordon_goods_hs {
    const char *code;         /* the HS code as read ("845811"), "" if none given */
    int known;                /* the code exists in HS 2022 */
    const char *description;  /* of the code, "" if unknown */
    const char *chapter;      /* "84" */
    const char *chapter_description;
    const char *section;      /* "XVI" */
    const char *section_name;
    const char *inferred;     /* HS heading(s) the description's words suggest, "" if none */
    const char *conflict;     /* NULL, or why the words contradict the declared code */
} cordon_goods_hs;

typedef struct cordon_goods_result {
    const cordon_goods_candidate *candidates; /* best first */
    size_t n_candidates;
    const cordon_goods_prohibition *prohibitions;
    size_t n_prohibitions;
    cordon_goods_hs hs;
    int controlled;          /* a candidate scores at or above the threshold */
    const char *destination; /* ISO alpha-2 as read, or NULL */
    const char *origin;
} cordon_goods_result;

/* Classifies one item. Everything in *out lives in arena a. Bad input (text longer than
 * CORDON_GOODS_MAX_TEXT, invalid UTF-8, a malformed HS code, an unknown country) gives
 * CORDON_ERR_INVALID with a message naming the field. */
cordon_status cordon_goods_classify(const cordon_goods *g, const cordon_goods_query *q,
                                    cordon_arena *a, cordon_goods_result *out,
                                    cordon_error *err);

/* The shape the CLI and the server share:
 * {"results":[{"regime","list","code","title","score","evidence":[{"kind","matched","detail",
 *   "delta"}],"source":{"document","edition","file","line"}}],
 *  "hs":{"code","known","description","chapter",...,"conflict"},
 *  "prohibitions":[{"regime","rule","citation","direction","hs","reason","verified"}],
 *  "controlled":true|false}
 * malloc'd; free() it. NULL on out of memory. */
char *cordon_goods_result_json(const cordon_goods_query *q, const cordon_goods_result *r,
                               int pretty);

/* Counts for --info and health checks. */
typedef struct cordon_goods_info {
    size_t entries;     /* list records (all regimes) */
    size_t by_regime[6]; /* mtcr, nsg_part1, nsg_part2, cwc, wassenaar, eu_dual_use */
    size_t patterns;    /* vocabulary terms and chemical names in the automaton */
    size_t states;      /* automaton states */
    size_t hs_codes, bans, cas_numbers;
} cordon_goods_info;
void cordon_goods_get_info(const cordon_goods *g, cordon_goods_info *out);

/* Classifies every line of a file: CSV with a header row (`text` or `description` required;
 * `hs`, `destination`, `origin`, `ref` optional) or JSON lines with the same keys. Writes one
 * JSON object per input row to out (the cordon_goods_result_json shape plus `line` and `ref`);
 * a bad row becomes {"line":N,"ref":...,"error":"..."} and the run goes on. defaults gives
 * limit, threshold and a destination/origin used where a row has none. */
typedef struct cordon_goods_bulk_stats {
    uint64_t rows, errors, controlled, prohibited;
} cordon_goods_bulk_stats;
cordon_status cordon_goods_classify_file(const cordon_goods *g, const char *path, int csv,
                                         const cordon_goods_query *defaults, FILE *out,
                                         cordon_goods_bulk_stats *stats, cordon_error *err);

/* END cordon_goods                                                                          */

#ifdef __cplusplus
}
#endif
#endif /* CORDON_H */
