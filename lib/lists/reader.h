/* reader.h - what every list reader shares: the entity builder, CSV tokenizer, country,
 * date and regime normalisation. Internal to lib/lists. */
#ifndef CORDON_READER_H
#define CORDON_READER_H

#include "../util/util.h"

#include <stdio.h>

/* Hard limits on input, so a hostile or broken file fails cleanly instead of eating memory. */
#define READER_MAX_FIELD (1u << 20)        /* one CSV field / XML text node: 1 MiB */
#define READER_MAX_FILE ((size_t)1 << 31)  /* a whole file read into memory: 2 GiB */

/* ---- entity builder ------------------------------------------------------------------- */
/* A reader fills one entity at a time; every string is copied into the builder's arena,
 * trimmed and with white space squeezed. eb_commit hands the entity to the sink and resets. */
typedef struct eb eb;

eb *eb_new(const char *source, cordon_entity_sink sink, void *ctx);
void eb_free(eb *b);
void eb_begin(eb *b, cordon_entity_type type, const char *source_id);
void eb_set_type(eb *b, cordon_entity_type type);
cordon_entity_type eb_type(const eb *b);
void eb_set_listed_on(eb *b, const char *date_text); /* any date format: stored YYYY-MM-DD */
void eb_set_gender(eb *b, const char *g);            /* "Male"/"M"/"female"... */
void eb_append_remarks(eb *b, const char *text);     /* joined with "; " */
/* Adds a name unless the same full name is already there; the first added becomes primary
 * regardless of kind passed if kind is CORDON_NAME_PRIMARY. Names in a non-Latin script get
 * their script set; a name whose letters are non-Latin added as a strong alias is kept as
 * CORDON_NAME_ORIGINAL. Empty names are ignored. */
void eb_add_name(eb *b, cordon_name_kind kind, const char *full, const char *given,
                 const char *middle, const char *family);
void eb_add_id(eb *b, cordon_id_type type, const char *label, const char *value,
               const char *country_text);
void eb_add_birth_date(eb *b, cordon_date d);
/* Parses any date text (see date_parse); returns false if it could not. */
bool eb_add_birth_date_text(eb *b, const char *text);
void eb_add_birth_place(eb *b, const char *place);
void eb_add_nationality(eb *b, const char *country_text); /* name or code -> ISO alpha-2 */
void eb_add_citizenship(eb *b, const char *country_text);
void eb_add_address(eb *b, const char *text, const char *country_text);
void eb_add_program(eb *b, const char *program); /* also adds the normalised regime */
void eb_add_regime(eb *b, const char *regime);
void eb_add_linked(eb *b, const char *name);
/* Returns the arena copy of s (trimmed, squeezed) - for readers that need scratch strings. */
const char *eb_strdup(eb *b, const char *s, size_t n);
size_t eb_name_count(const eb *b);
/* Hands the entity to the sink. Returns CORDON_OK, CORDON_ERR_ABORTED if the sink said stop,
 * CORDON_ERR_NOMEM. An entity without any name is skipped (returns OK, counts as skipped). */
cordon_status eb_commit(eb *b);
size_t eb_committed(const eb *b);
bool eb_failed(const eb *b); /* an allocation failed since eb_begin */

/* ---- countries, dates, regimes --------------------------------------------------------- */
/* ISO 3166 alpha-2 for a country name ("Korea, North", "Democratic People's Republic of
 * Korea", "DPRK", "Iran (Islamic Republic of)") or a 2/3-letter code; NULL if unknown.
 * The returned string is static. */
const char *country_code(const char *text);
const char *country_name(const char *iso2); /* English short name, or NULL */

/* Parses "1960", "12 Jan 1960", "12 January 1960", "1960-01-12", "01/12/1960" (US order),
 * "12.01.1960", "circa 1960", "Circa 1958 to 1962", "1958 - 1962", "Jan 1960", "1960-01".
 * Returns false if no year could be found. */
bool date_parse(const char *text, cordon_date *out);
/* Formats a date: "1960-01-12", "1960-01", "1960", "1958..1962", with "~" prefix if circa. */
void date_format(const cordon_date *d, char out[32]);

/* Normalised regime for a program code or text as any source writes it ("DPRK", "DPRK2",
 * "NKSR", "DPRK (KPi)" -> "DPRK"; "IRAN", "IFSR", "NPWMD" ...). NULL if none applies. */
const char *regime_of_program(const char *program);

/* ---- CSV -------------------------------------------------------------------------------- */
/* Streams records from a file: RFC 4180 quoting, any delimiter, CRLF or LF, multi-line quoted
 * fields, UTF-8 validated (a BOM at the start is skipped). Fields are NUL-terminated. */
typedef struct csv_reader csv_reader;

csv_reader *csv_open(const char *path, char delim, cordon_error *err);
/* Reads the next record. Returns 1 with a record, 0 at end of file, -1 on error (err says
 * "FILE:LINE: ..."). */
int csv_next(csv_reader *r, cordon_error *err);
size_t csv_nfields(const csv_reader *r);
const char *csv_field(const csv_reader *r, size_t i); /* "" past the last field */
long csv_line(const csv_reader *r);                    /* line where the current record began */
const char *csv_path(const csv_reader *r);
void csv_close(csv_reader *r);
/* Index of a header column by case-insensitive name, or -1; for readers with header rows. */
int csv_column(const csv_reader *r, const char *name);

/* ---- readers ---------------------------------------------------------------------------- */
/* Each reads one format and hands every entity to the builder's sink. source_meta may be
 * filled with what the file states about itself. */
cordon_status read_un_xml(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_ofac_csv(const char *dir, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_us_csl(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_bis_dpl(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_eu_fsf(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_uk_csv(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_ftm_json(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);
cordon_status read_user_csv(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err);

#endif
