/* source.c - the entry point for reading any list: format name -> reader, and the names of
 * the model's enumerations. */
#include "reader.h"

#include <ctype.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef cordon_status (*reader_fn)(const char *, eb *, cordon_source_meta *, cordon_error *);

static const struct {
    const char *format;
    reader_fn read;
    bool directory; /* the path names a directory of files */
} formats[] = {
    {"un-xml", read_un_xml, false},     {"ofac-csv", read_ofac_csv, true},
    {"us-csl", read_us_csl, false},     {"bis-dpl", read_bis_dpl, false},
    {"eu-fsf", read_eu_fsf, false},     {"uk-csv", read_uk_csv, false},
    {"ftm-json", read_ftm_json, false}, {"user-csv", read_user_csv, false},
};

const char *const *cordon_source_formats(void)
{
    static const char *names[ARRAY_LEN(formats) + 1];
    for (size_t i = 0; i < ARRAY_LEN(formats); i++)
        names[i] = formats[i].format;
    return names;
}

cordon_status cordon_read_source(const cordon_source_spec *spec, cordon_entity_sink sink,
                                 void *ctx, cordon_source_meta *meta, cordon_error *err)
{
    if (!spec || !spec->format || !spec->path || !spec->name || !sink)
        return err_set(err, CORDON_ERR_INVALID, "source needs a name, a format and a path");
    for (const char *p = spec->name; *p; p++)
        if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.'))
            return err_set(err, CORDON_ERR_INVALID,
                           "source name '%s': use letters, digits, '-', '_' or '.'", spec->name);
    for (size_t i = 0; i < ARRAY_LEN(formats); i++) {
        if (strcmp(formats[i].format, spec->format) != 0)
            continue;
        struct stat st;
        if (stat(spec->path, &st) != 0)
            return err_set(err, CORDON_ERR_NOTFOUND, "%s: no such file or directory", spec->path);
        if (formats[i].directory != S_ISDIR(st.st_mode))
            return err_set(err, CORDON_ERR_INVALID, "%s: format %s needs a %s", spec->path,
                           spec->format, formats[i].directory ? "directory" : "file");
        cordon_source_meta local = {{0}};
        eb *b = eb_new(spec->name, sink, ctx);
        if (!b)
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        cordon_status st2 = formats[i].read(spec->path, b, meta ? meta : &local, err);
        if (st2 == CORDON_OK && eb_committed(b) == 0)
            st2 = err_set(err, CORDON_ERR_PARSE, "%s: no entities found", spec->path);
        eb_free(b);
        return st2;
    }
    return err_set(err, CORDON_ERR_INVALID, "unknown source format '%s'", spec->format);
}

static const char *const type_names[] = {"unknown", "person", "organization", "vessel",
                                         "aircraft"};

const char *cordon_entity_type_name(cordon_entity_type t)
{
    return (size_t)t < ARRAY_LEN(type_names) ? type_names[t] : "unknown";
}

cordon_entity_type cordon_entity_type_parse(const char *s)
{
    static const struct {
        const char *word;
        cordon_entity_type type;
    } words[] = {
        {"person", CORDON_TYPE_PERSON},       {"individual", CORDON_TYPE_PERSON},
        {"organization", CORDON_TYPE_ORGANIZATION}, {"organisation", CORDON_TYPE_ORGANIZATION},
        {"entity", CORDON_TYPE_ORGANIZATION}, {"company", CORDON_TYPE_ORGANIZATION},
        {"enterprise", CORDON_TYPE_ORGANIZATION}, {"legalentity", CORDON_TYPE_ORGANIZATION},
        {"vessel", CORDON_TYPE_VESSEL},       {"ship", CORDON_TYPE_VESSEL},
        {"aircraft", CORDON_TYPE_AIRCRAFT},   {"airplane", CORDON_TYPE_AIRCRAFT},
    };
    if (!s)
        return CORDON_TYPE_UNKNOWN;
    char w[32];
    snprintf(w, sizeof w, "%s", s);
    str_squeeze(w);
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        if (strcasecmp(words[i].word, w) == 0)
            return words[i].type;
    return CORDON_TYPE_UNKNOWN;
}

const char *cordon_name_kind_name(cordon_name_kind k)
{
    static const char *const names[] = {"primary", "strong", "weak", "former", "original"};
    return (size_t)k < ARRAY_LEN(names) ? names[k] : "unknown";
}

static const char *const id_names[] = {
    "other",    "passport",   "national_id",  "tax_id", "registration",
    "imo",      "mmsi",       "call_sign",    "aircraft_serial", "aircraft_tail",
    "swift_bic", "crypto",    "email",        "phone",  "website",
};

const char *cordon_id_type_name(cordon_id_type t)
{
    return (size_t)t < ARRAY_LEN(id_names) ? id_names[t] : "other";
}

cordon_id_type cordon_id_type_parse(const char *s)
{
    if (!s)
        return CORDON_ID_OTHER;
    for (size_t i = 0; i < ARRAY_LEN(id_names); i++)
        if (strcasecmp(id_names[i], s) == 0)
            return (cordon_id_type)i;
    static const struct {
        const char *word;
        cordon_id_type type;
    } aliases[] = {{"swift", CORDON_ID_SWIFT_BIC}, {"bic", CORDON_ID_SWIFT_BIC},
                   {"national-id", CORDON_ID_NATIONAL_ID}, {"nid", CORDON_ID_NATIONAL_ID},
                   {"tax", CORDON_ID_TAX_ID}, {"registration_number", CORDON_ID_REGISTRATION},
                   {"reg", CORDON_ID_REGISTRATION}, {"callsign", CORDON_ID_CALL_SIGN},
                   {"tail", CORDON_ID_AIRCRAFT_TAIL}, {"msn", CORDON_ID_AIRCRAFT_SERIAL},
                   {"e-mail", CORDON_ID_EMAIL}, {"tel", CORDON_ID_PHONE},
                   {"url", CORDON_ID_WEBSITE}, {"wallet", CORDON_ID_CRYPTO}};
    for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
        if (strcasecmp(aliases[i].word, s) == 0)
            return aliases[i].type;
    return CORDON_ID_OTHER;
}
