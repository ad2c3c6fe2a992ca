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

/* 2: the word-list blob gained reading (k), nickname (n) and romanisation (r) lines */
#define CORDON_SNAPSHOT_FORMAT 2u

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

/* The data directory: $CORDON_DATA, else data/ beside the executable's directory
 * (build/cordon -> build/../data) when it exists, else ./data. Writes into buf. Every default
 * path (snapshot, API keys, list configuration) is found through it. */
const char *cordon_data_dir(char *buf, size_t len);

/* Default snapshot path: $CORDON_SNAPSHOT, else cordon.snap in cordon_data_dir. */
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

/* ---------------------------------------------------------------------------------------- */
/* Transaction screening: red-flag rules over whole orders, shipments and payments (lib/risk) */
/* BEGIN cordon_risk                                                                         */

/* A loaded rule set (data/rules/ *.json, see docs/transactions.md) bound to a list snapshot
 * and the control lists. Any number of threads may check transactions against one handle
 * (the rules are read-only; the party memo inside is locked). The engine and goods handles
 * must outlive it. */
typedef struct cordon_risk cordon_risk;

/* Default rules directory: $CORDON_RULES, else "rules" beside the default snapshot
 * (data/cordon.snap -> data/rules). Writes into buf. */
const char *cordon_risk_default_dir(char *buf, size_t len);

/* Loads the rule packs: every *.json file of rules_dir in name order (NULL:
 * cordon_risk_default_dir), then each of extra[0..n_extra) in order. A later rule with the
 * same id replaces an earlier one; a named list of a later pack replaces the earlier list.
 * Every pack is validated on load; an error names the file, the rule id and the field. */
cordon_risk *cordon_risk_open(const cordon_engine *e, const cordon_goods *g,
                              const char *rules_dir, const char *const *extra, size_t n_extra,
                              cordon_error *err);
void cordon_risk_close(cordon_risk *r);

/* Party screening results are memoised per (name, role type, country, IMO) and goods results
 * per (description, HS, destination, origin) for the life of the handle, up to max_entries
 * in all (CORDON_RISK_DEFAULT_CACHE at open; 0 turns the memo off). Reports are the same with
 * and without it. Not thread-safe against concurrent checks: call before sharing the handle. */
#define CORDON_RISK_DEFAULT_CACHE 200000
void cordon_risk_set_cache(cordon_risk *r, size_t max_entries);

typedef struct cordon_risk_info {
    size_t rules;             /* active rules */
    size_t packs;             /* files loaded */
    const char *version;      /* "pack@version+pack@version sha256:<first 16 hex>" */
    const char *snapshot;     /* checksum of the list snapshot */
} cordon_risk_info;
void cordon_risk_get_info(const cordon_risk *r, cordon_risk_info *out);

#define CORDON_TX_MAX_BYTES ((size_t)1 << 20) /* one transaction */

/* Checks one transaction given as a JSON object (the schema of docs/transactions.md) and
 * returns the report as JSON: {"id","decision":"clear|review|block","score","flags":[{"id",
 * "pack","severity","weight","explanation","citation","evidence","parties","goods"}],
 * "parties":[{...,"hits"}],"goods":[{...,"candidates","prohibitions"}],"versions":{"cordon",
 * "snapshot","rules"}}. malloc'd; free() it.
 * On malformed input returns NULL with err naming the field ("parties[2].iban: ..."). This is
 * the body of POST /v1/transactions. */
char *cordon_tx_check_json(const cordon_risk *r, const char *json_body, size_t len, int pretty,
                           cordon_error *err);

/* Bulk: every transaction of a file (JSON lines, or the flat CSV layout of
 * docs/transactions.md when csv != 0; path "-" reads standard input) is checked on `threads`
 * threads (0: all cores). sink gets one report per input record in input order: the JSON of
 * cordon_tx_check_json (compact), or for a bad record
 * {"line":N,"error":"line N: field: what is wrong"}; ok is 0 for a bad record. The run goes on
 * past bad records. progress (may be NULL) gets the records done so far and the share of the
 * input read (0..1, or -1 when reading a pipe). */
typedef struct cordon_tx_stats {
    uint64_t records, errors, clear, review, block;
} cordon_tx_stats;
typedef int (*cordon_tx_sink)(void *ctx, long line, int ok, const char *json);
cordon_status cordon_tx_check_file(const cordon_risk *r, const char *path, int csv,
                                   int threads, cordon_tx_sink sink, void *sink_ctx,
                                   void (*progress)(void *ctx, uint64_t done, double share),
                                   void *progress_ctx, cordon_tx_stats *stats,
                                   cordon_error *err);

/* Identifier checks used by the rules, exposed for front ends and tests. */
int cordon_iban_valid(const char *iban);  /* ISO 13616 length per country + mod 97 == 1 */
int cordon_imo_valid(const char *imo);    /* "IMO 9123456" or "9123456": 7 digits, check digit */

/* END cordon_risk                                                                           */

/* ---------------------------------------------------------------------------------------- */
/* Case store, list updates and re-screening (lib/store, lib/update)                        */
/* BEGIN cordon_store                                                                        */

/* The case store: counterparties, screening runs, alerts, decisions, list versions and an
 * append-only, hash-chained audit log. One SQLite database (WAL) in a data directory:
 * DIR/cordon.db, or a PostgreSQL database; either way downloaded sources are in DIR/sources and
 * snapshot versions in DIR/snapshots. Migrations are applied on open. Several processes may
 * open one store; writers take turns (10 s timeout). A handle is used by one thread at a time. */
typedef struct cordon_store cordon_store;

/* conn: a directory, or "sqlite:DIR" (created if missing); or PostgreSQL: a libpq URI
 * ("postgresql://USER[:PASSWORD]@HOST[:PORT]/DB", "postgres://...") or keyword string starting
 * "host=", "hostaddr=", "dbname=", "user=", "port=" or "service=". For PostgreSQL the file
 * directory is $CORDON_STORE_DIR, else "store" beside the default snapshot. Messages name the
 * database without its password. */
cordon_store *cordon_store_open(const char *conn, cordon_error *err);
void cordon_store_close(cordon_store *s);
/* Default store connection string: $CORDON_STORE, else "store" beside the default snapshot. */
const char *cordon_store_default(char *buf, size_t len);
const char *cordon_store_dir(const cordon_store *s);
int cordon_store_schema_version(const cordon_store *s);

/* Imports counterparties from CSV (header row) or JSON lines (by extension .jsonl/.json or a
 * first byte '{'): `ref` (the stable external id, required), `name` (required), `type`, `dob`,
 * `country`, `id` (TYPE:VALUE). A known ref is updated in place when its fields changed.
 * One transaction: a bad row fails the whole import naming FILE:LINE and nothing is kept.
 * New and changed counterparties are marked for screening (cordon_store_rescreen with
 * CORDON_RESCREEN_PENDING). */
typedef struct cordon_store_import_stats {
    uint64_t rows, inserted, updated, unchanged;
} cordon_store_import_stats;
cordon_status cordon_store_import(cordon_store *s, const char *path, const char *actor,
                                  cordon_store_import_stats *st, cordon_error *err);
uint64_t cordon_store_counterparty_count(cordon_store *s);

/* Alerts as JSON (malloc'd, free()). status: "open", "decided" or NULL for all; limit 0: all.
 * List: [{"id","counterparty":{"ref","name"},"source","source_id","listed_name",
 * "matched_name","score","status","outcome","created_at","run"}]. One alert adds the listed
 * entity as it stood when the alert was raised ("entity"), the counterparty's stored fields
 * ("counterparty":{"ref","name","type","dob","country","id"}) and every decision
 * ("decisions":[{"who","outcome","reason","second_approver","decided_at"}]). */
char *cordon_store_alerts_json(cordon_store *s, const char *status, size_t limit,
                               cordon_error *err);
char *cordon_store_alert_json(cordon_store *s, int64_t alert_id, cordon_error *err);

/* Listings as JSON arrays (malloc'd, free()); limit 0: all. Counterparties in import order,
 * optionally only those whose name contains match (case-insensitive) or whose ref is match:
 * [{"ref","name","type","dob","country","id","pending","created_at","updated_at",
 * "open_alerts"}]. Audit records newest first, optionally of one action:
 * [{"seq","at","actor","action","subject","detail","hash"}]. List versions newest first:
 * [{"version","created_at","snapshot_file","checksum","entities","added","removed","changed",
 * "rescreen_pending"}]. Screening runs newest first: [{"id","kind","snapshot","started_at",
 * "finished_at","counterparties","entries","hits","new_alerts","threshold"}]. */
char *cordon_store_counterparties_json(cordon_store *s, const char *match, size_t offset,
                                       size_t limit, cordon_error *err);
char *cordon_store_audit_json(cordon_store *s, const char *action, size_t limit,
                              cordon_error *err);
char *cordon_store_versions_json(cordon_store *s, size_t limit, cordon_error *err);
char *cordon_store_screenings_json(cordon_store *s, size_t limit, cordon_error *err);

/* A person's decision on an alert. outcome: "false_positive", "true_match" or "escalated".
 * who and reason are required; second_approver is optional and must differ from who.
 * Decisions are appended (the latest one is the alert's outcome), never overwritten. */
typedef struct cordon_decision {
    int64_t alert_id;
    const char *who;
    const char *outcome;
    const char *reason;
    const char *second_approver; /* NULL if none */
} cordon_decision;
cordon_status cordon_store_decide(cordon_store *s, const cordon_decision *d, cordon_error *err);

/* Walks the audit chain: each record's hash is SHA-256 over the previous hash and the record.
 * Returns CORDON_ERR_FORMAT naming the first record that does not verify (altered, removed
 * or reordered). records counts the records checked. */
cordon_status cordon_store_audit_verify(cordon_store *s, uint64_t *records, cordon_error *err);
/* Appends one audit record (for front ends recording their own actions). */
cordon_status cordon_store_audit(cordon_store *s, const char *actor, const char *action,
                                 const char *subject, const char *detail, cordon_error *err);

/* Re-screening stored counterparties against an engine; hits at or above threshold raise an
 * alert unless the counterparty already has one for that list entry. */
typedef enum cordon_rescreen_mode {
    CORDON_RESCREEN_FULL = 0, /* every counterparty against the whole engine */
    CORDON_RESCREEN_PENDING   /* only counterparties imported or changed since their last screening */
} cordon_rescreen_mode;
typedef struct cordon_rescreen_stats {
    uint64_t counterparties; /* screened */
    uint64_t entries;        /* list entries screened against (the delta for a delta run) */
    uint64_t hits, new_alerts;
    int64_t run_id;
    double seconds;
} cordon_rescreen_stats;
/* threshold < 0: CORDON_DEFAULT_THRESHOLD; threads <= 0: one per CPU. */
cordon_status cordon_store_rescreen(cordon_store *s, const cordon_engine *e,
                                    cordon_rescreen_mode mode, double threshold, int threads,
                                    cordon_rescreen_stats *st, cordon_error *err);
/* Screens every counterparty against only the entries added or changed from old to new (a
 * small snapshot of the delta is built in the store's directory). old NULL: full re-screen. */
cordon_status cordon_store_rescreen_delta(cordon_store *s, const cordon_engine *old_engine,
                                          const cordon_engine *new_engine, double threshold,
                                          int threads, cordon_rescreen_stats *st,
                                          cordon_error *err);

/* Differences between two snapshots, keyed by source and source id; "changed" means the
 * stored entity differs. The sink returns non-zero to stop. */
typedef enum cordon_diff_kind {
    CORDON_DIFF_ADDED = 0,
    CORDON_DIFF_REMOVED,
    CORDON_DIFF_CHANGED
} cordon_diff_kind;
const char *cordon_diff_kind_name(cordon_diff_kind k); /* "added", "removed", "changed" */
typedef int (*cordon_diff_sink)(void *ctx, cordon_diff_kind kind, const char *source,
                                const char *source_id, size_t old_index, size_t new_index);
typedef struct cordon_diff_stats {
    uint64_t added, removed, changed, unchanged;
} cordon_diff_stats;
cordon_status cordon_update_diff(const cordon_engine *old_engine, const cordon_engine *new_engine,
                                 cordon_diff_sink sink, void *ctx, cordon_diff_stats *st,
                                 cordon_error *err);

/* `cordon update`: downloads every source of the configuration (data/update.conf) with
 * conditional requests, validates each with its reader, builds a new snapshot into
 * DIR/snapshots, refuses a suspicious one (download failed, empty, unreadable, or a source
 * losing more than max_drop of its entries) and otherwise swaps it into snapshot_path
 * atomically, records the list version, re-screens the counterparties against the delta
 * and sends new alerts to the webhooks. An unchanged list costs conditional requests only.
 * Work a killed run left half done (a version not yet swapped in, a re-screen not yet done)
 * is completed first. */
typedef struct cordon_update_options {
    const char *config;   /* update.conf; NULL: data/update.conf beside the default snapshot */
    const char *snapshot; /* the live snapshot; NULL: cordon_default_snapshot */
    int force;            /* rebuild even when no source changed */
    int threads;          /* for the re-screen; <= 0: one per CPU */
} cordon_update_options;
typedef struct cordon_update_report {
    int changed;           /* a new snapshot was swapped in */
    int refused;           /* a download or the new snapshot was refused; reason says why */
    char reason[1024];
    char version[64];      /* the new list version, "" if none */
    char log[8192];        /* one line per source: what was fetched, counts */
    cordon_diff_stats diff;
    cordon_rescreen_stats rescreen;
    uint64_t webhooks_sent, webhooks_failed;
} cordon_update_report;
/* Returns CORDON_OK when the run completed (changed, unchanged or refused: see the report);
 * an error only when the store or files could not be used. */
cordon_status cordon_update_run(cordon_store *s, const cordon_update_options *o,
                                cordon_update_report *r, cordon_error *err);
/* Completes work a killed run left (swap, pending re-screen); cheap when there is none. */
cordon_status cordon_update_recover(cordon_store *s, const char *snapshot_path, int threads,
                                    cordon_update_report *r, cordon_error *err);

/* Posts one JSON body to url with header X-Cordon-Signature: sha256=HEX (HMAC-SHA256 of the
 * body with secret), retrying up to attempts times with doubling back-off from backoff_ms.
 * CORDON_OK on a 2xx answer. */
cordon_status cordon_webhook_post(const char *url, const char *secret, const char *body,
                                  int attempts, int backoff_ms, cordon_error *err);

/* END cordon_store                                                                          */

/* ---------------------------------------------------------------------------------------- */
/* Networks: transactions linked into procurement channels (lib/graph, docs/network.md)     */
/* BEGIN cordon_net                                                                          */

/* Input: JSON lines, one transaction per line (docs/network.md):
 *   {"id","date":"YYYY-MM-DD","type","parties":[{"role","name","address","country","phone",
 *    "email","iban","imo"}],"goods":[{"description","hs","value","currency"}],
 *   "route":{"origin","transit":[...],"destination"}}
 * Parties are resolved into entities (blocking on E.164 phone, e-mail and domain, IBAN, IMO,
 * normalised address and name keys, then union-find; every merge explained), entities are
 * screened against the snapshot (memoised per distinct name), and clusters are ranked. */
typedef struct cordon_net cordon_net;

typedef struct cordon_net_options {
    double threshold;     /* screening threshold; < 0: CORDON_DEFAULT_THRESHOLD */
    int threads;          /* threads for parsing and screening; 0: 2 (results do not depend
                             on it) */
    size_t hub_degree;    /* an entity with more distinct counterparties is a hub that does not
                             join clusters; 0: 50 */
    size_t stop_key;      /* a key shared by more entities is ignored as too common; 0: 25 */
    int window_days;      /* aggregation window; 0: 180 */
    int no_screen;        /* skip list screening */
    int no_goods;         /* skip goods classification */
} cordon_net_options;

typedef struct cordon_net_stats {
    uint64_t transactions, mentions, entities, merges, listed_nodes, edges, clusters,
        flagged_clusters, distinct_names, screen_calls, goods_calls, stop_keys;
    uint64_t communities; /* dense communities found inside large components */
    double ms_load, ms_resolve, ms_screen, ms_find;
} cordon_net_stats;

/* engine and goods may be NULL (then no screening / no goods findings). opt may be NULL. */
cordon_net *cordon_net_new(const cordon_engine *e, const cordon_goods *g,
                           const cordon_net_options *opt);
void cordon_net_free(cordon_net *n);
/* Adds transactions from a file or a buffer (name is used in error messages). A malformed
 * line fails the load with "NAME:LINE: field: what is wrong". */
cordon_status cordon_net_load_file(cordon_net *n, const char *path, cordon_error *err);
cordon_status cordon_net_load_buffer(cordon_net *n, const char *name, const char *data,
                                     size_t len, cordon_error *err);
/* Analyst decisions (JSON lines): {"op":"split","a":REF,"b":REF}, {"op":"pin","a":REF,"b":REF}
 * or {"op":"ignore","attribute":"phone","value":"+4930..."}; REF is "TXID/role" or
 * "TXID/role/N" (N-th party of that role, from 1). A missing file is no decisions. */
cordon_status cordon_net_load_decisions(cordon_net *n, const char *path, cordon_error *err);
/* Appends one decision to a decisions file (created if absent). */
cordon_status cordon_net_decision_append(const char *path, const char *op, const char *a,
                                         const char *b, cordon_error *err);
/* Resolves, screens, classifies goods and ranks clusters. Call once after loading. */
cordon_status cordon_net_analyze(cordon_net *n, cordon_error *err);
void cordon_net_get_stats(const cordon_net *n, cordon_net_stats *out);
size_t cordon_net_cluster_count(const cordon_net *n); /* flagged clusters, ranked from 1 */

/* Renderings (malloc'd; free() them; NULL on out of memory or a bad cluster number).
 * cluster: 0 for all flagged clusters (top `top` of them; 0: all), N for the N-th ranked. */
char *cordon_net_json(const cordon_net *n, size_t cluster, size_t top, int pretty);
char *cordon_net_graphml(const cordon_net *n, size_t cluster, size_t top);
char *cordon_net_svg(const cordon_net *n, size_t cluster); /* cluster 0 means 1 */
char *cordon_net_text(const cordon_net *n, size_t cluster, size_t top);

/* One call for the server (POST /v1/network): body is the JSON-lines input, format "json",
 * "graphml" or "svg" (NULL: json); cluster as above. Returns the rendering or NULL with err. */
char *cordon_net_analyze_json(const cordon_engine *e, const cordon_goods *g,
                              const char *jsonl_body, size_t len, const char *format,
                              size_t cluster, cordon_error *err);

/* END cordon_net                                                                            */

#ifdef __cplusplus
}
#endif
#endif /* CORDON_H */
