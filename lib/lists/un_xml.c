/* un_xml.c - reader for the UN Security Council consolidated list (XML).
 *
 * The file is streamed with libxml2's xmlTextReader: only the current node is in memory, never a
 * tree of the whole document. No network (XML_PARSE_NONET), no external entities or DTD loading,
 * no XML_PARSE_HUGE, and libxml2 never prints: its errors are caught by a structured handler and
 * turned into "FILE:LINE: message".
 *
 * Shape of the file (as published on 2026-02-27):
 *   <CONSOLIDATED_LIST dateGenerated="...">
 *     <INDIVIDUALS><INDIVIDUAL> leaf fields + groups </INDIVIDUAL>...</INDIVIDUALS>
 *     <ENTITIES><ENTITY> ... </ENTITY>...</ENTITIES>
 * An entry's leaf fields (FIRST_NAME, REFERENCE_NUMBER, COMMENTS1, ...) sit directly under it;
 * repeated groups (INDIVIDUAL_ALIAS, INDIVIDUAL_DOCUMENT, NATIONALITY/VALUE, ...) hold their own
 * leaves. REFERENCE_NUMBER comes after the names, so each entry is buffered (its known leaf
 * texts only, bounded by UN_MAX_ENTRY_TEXT) and handed to the builder when it closes.
 *
 * Mapping choices:
 * - INDIVIDUAL -> person, ENTITY -> organization. The UN list has no vessel entries (the DPRK
 *   shipping companies are companies; their IMO numbers are company numbers), so an ENTITY is
 *   never turned into a vessel by guessing from its name.
 * - Name parts are positional in the UN data (FIRST_NAME is the surname for Korean names, e.g.
 *   "RI" / "WON HO"): given = FIRST_NAME; with two parts family = SECOND_NAME; with three or four
 *   parts the last one is the family and those in between are the middle name.
 * - DATAID is not kept: REFERENCE_NUMBER is the id (DATAID only stands in when it is missing).
 * - Alias QUALITY "Good"/"a.k.a." -> strong, "Low" -> weak, "f.k.a." -> former; an alias with
 *   no quality counts as strong. An alias's own DATE_OF_BIRTH / CITY_OF_BIRTH / COUNTRY_OF_BIRTH
 *   are added to the entry's birth dates and places.
 * - IMO numbers, SWIFT/BIC codes, e-mail addresses, phone/fax numbers and websites are taken
 *   from COMMENTS1 only where the text labels them ("IMO number: 5571322", "SWIFT/BIC: ...",
 *   "Telephone: ...", "Website: ..."); the INTERPOL notice link every individual carries is not
 *   a website of the entry and is not taken.
 */
#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/stat.h>

#include <libxml/globals.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

/* All leaf texts of one entry together may not exceed this (the real maximum is a few KB). */
#define UN_MAX_ENTRY_TEXT (16u * READER_MAX_FIELD)
#define UN_MAX_ENTRY_GROUPS 100000u

#if LIBXML_VERSION >= 21200
typedef const xmlError *un_xml_error_ptr;
#else
typedef xmlErrorPtr un_xml_error_ptr;
#endif

/* ---- element names ----------------------------------------------------------------------- */

enum un_tag {
    T_NONE = 0,
    T_DATAID,
    T_FIRST_NAME,
    T_SECOND_NAME,
    T_THIRD_NAME,
    T_FOURTH_NAME,
    T_NAME_ORIGINAL_SCRIPT,
    T_REFERENCE_NUMBER,
    T_UN_LIST_TYPE,
    T_LISTED_ON,
    T_GENDER,
    T_COMMENTS1,
    T_VALUE,
    T_QUALITY,
    T_ALIAS_NAME,
    T_DATE_OF_BIRTH,
    T_CITY_OF_BIRTH,
    T_COUNTRY_OF_BIRTH,
    T_NOTE,
    T_STREET,
    T_CITY,
    T_STATE_PROVINCE,
    T_ZIP_CODE,
    T_COUNTRY,
    T_TYPE_OF_DATE,
    T_DATE,
    T_YEAR,
    T_FROM_YEAR,
    T_TO_YEAR,
    T_TYPE_OF_DOCUMENT,
    T_TYPE_OF_DOCUMENT2,
    T_NUMBER,
    T_ISSUING_COUNTRY,
    T_COUNTRY_OF_ISSUE,
    T_COUNT
};

static const char *const tag_names[T_COUNT] = {
    [T_DATAID] = "DATAID",
    [T_FIRST_NAME] = "FIRST_NAME",
    [T_SECOND_NAME] = "SECOND_NAME",
    [T_THIRD_NAME] = "THIRD_NAME",
    [T_FOURTH_NAME] = "FOURTH_NAME",
    [T_NAME_ORIGINAL_SCRIPT] = "NAME_ORIGINAL_SCRIPT",
    [T_REFERENCE_NUMBER] = "REFERENCE_NUMBER",
    [T_UN_LIST_TYPE] = "UN_LIST_TYPE",
    [T_LISTED_ON] = "LISTED_ON",
    [T_GENDER] = "GENDER",
    [T_COMMENTS1] = "COMMENTS1",
    [T_VALUE] = "VALUE",
    [T_QUALITY] = "QUALITY",
    [T_ALIAS_NAME] = "ALIAS_NAME",
    [T_DATE_OF_BIRTH] = "DATE_OF_BIRTH",
    [T_CITY_OF_BIRTH] = "CITY_OF_BIRTH",
    [T_COUNTRY_OF_BIRTH] = "COUNTRY_OF_BIRTH",
    [T_NOTE] = "NOTE",
    [T_STREET] = "STREET",
    [T_CITY] = "CITY",
    [T_STATE_PROVINCE] = "STATE_PROVINCE",
    [T_ZIP_CODE] = "ZIP_CODE",
    [T_COUNTRY] = "COUNTRY",
    [T_TYPE_OF_DATE] = "TYPE_OF_DATE",
    [T_DATE] = "DATE",
    [T_YEAR] = "YEAR",
    [T_FROM_YEAR] = "FROM_YEAR",
    [T_TO_YEAR] = "TO_YEAR",
    [T_TYPE_OF_DOCUMENT] = "TYPE_OF_DOCUMENT",
    [T_TYPE_OF_DOCUMENT2] = "TYPE_OF_DOCUMENT2",
    [T_NUMBER] = "NUMBER",
    [T_ISSUING_COUNTRY] = "ISSUING_COUNTRY",
    [T_COUNTRY_OF_ISSUE] = "COUNTRY_OF_ISSUE",
};

enum un_group {
    G_ENTRY = 0, /* the leaf fields directly under INDIVIDUAL / ENTITY */
    G_ALIAS,
    G_ADDRESS,
    G_BIRTH_DATE,
    G_BIRTH_PLACE,
    G_DOCUMENT,
    G_NATIONALITY,
    G_DESIGNATION,
    G_TITLE,
    G_NONE
};

static const struct {
    const char *name;
    enum un_group group;
} group_names[] = {
    {"INDIVIDUAL_ALIAS", G_ALIAS},
    {"ENTITY_ALIAS", G_ALIAS},
    {"INDIVIDUAL_ADDRESS", G_ADDRESS},
    {"ENTITY_ADDRESS", G_ADDRESS},
    {"INDIVIDUAL_DATE_OF_BIRTH", G_BIRTH_DATE},
    {"INDIVIDUAL_PLACE_OF_BIRTH", G_BIRTH_PLACE},
    {"INDIVIDUAL_DOCUMENT", G_DOCUMENT},
    {"NATIONALITY", G_NATIONALITY},
    {"DESIGNATION", G_DESIGNATION},
    {"TITLE", G_TITLE},
};

static enum un_tag tag_of(const char *name)
{
    for (int t = T_NONE + 1; t < T_COUNT; t++)
        if (strcmp(tag_names[t], name) == 0)
            return (enum un_tag)t;
    return T_NONE;
}

static enum un_group group_of(const char *name)
{
    for (size_t i = 0; i < ARRAY_LEN(group_names); i++)
        if (strcmp(group_names[i].name, name) == 0)
            return group_names[i].group;
    return G_NONE;
}

/* ---- reader state ------------------------------------------------------------------------ */

/* One group instance (or the entry's own leaves): slot[t] is 1 + the offset of tag t's text in
 * the entry's text buffer, 0 when absent. */
typedef struct un_rec {
    enum un_group group;
    uint32_t slot[T_COUNT];
} un_rec;

typedef struct un_ctx {
    const char *path;
    xmlTextReaderPtr r;
    eb *b;
    cordon_error *err;
    cordon_status st; /* first failure, CORDON_OK while all is well */

    /* the first error libxml2 reported */
    bool xml_failed;
    cordon_status xml_status;
    long xml_line;
    char xml_msg[600];

    bool seen_root;
    long line; /* line of the last element start */

    /* position inside the current entry (-1: not inside) */
    int entry_depth, group_depth, leaf_depth;
    bool individual;
    enum un_tag leaf_tag;
    size_t leaf_len;
    long leaf_line;
    char leaf_name[80];
    buf leaf;

    /* the current entry */
    long entry_line;
    buf text;
    vec recs;
    size_t cur; /* index of the open group's record */
    size_t entries;

    buf sa, sb; /* scratch for joined strings */
} un_ctx;

static bool ok(const un_ctx *c) { return c->st == CORDON_OK; }

static void fail_nomem(un_ctx *c)
{
    if (ok(c))
        c->st = err_set(c->err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", c->path, c->line);
}

/* ---- libxml2 errors ---------------------------------------------------------------------- */

static void copy_message(char *out, size_t size, const char *msg)
{
    snprintf(out, size, "%s", msg ? msg : "malformed XML");
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    str_squeeze(out);
    if (!*out)
        snprintf(out, size, "malformed XML");
}

/* libxml2 refuses text nodes over 10 MB (without XML_PARSE_HUGE): that is a limit, not a
 * syntax error, and it names the element being filled. */
static bool is_limit_error(un_xml_error_ptr e)
{
#if LIBXML_VERSION >= 21100
    if (e->code == XML_ERR_RESOURCE_LIMIT)
        return true;
#endif
    return e->message && (strstr(e->message, "huge text") || strstr(e->message, "too long"));
}

/* The parser context of a parser error (other domains may carry other kinds of context). */
static xmlParserCtxtPtr parser_of(un_xml_error_ptr e)
{
    return e->domain == XML_FROM_PARSER ? (xmlParserCtxtPtr)e->ctxt : NULL;
}

static const char *parser_node_name(un_xml_error_ptr e)
{
    xmlParserCtxtPtr p = parser_of(e);
    if (p && p->node && p->node->type == XML_ELEMENT_NODE && p->node->name)
        return (const char *)p->node->name;
    return NULL;
}

static void on_xml_error(void *arg, un_xml_error_ptr e)
{
    un_ctx *c = arg;
    if (!e || e->level < XML_ERR_ERROR || c->xml_failed)
        return;
    c->xml_failed = true;
    c->xml_line = e->line;
    if (is_limit_error(e)) {
        const char *name = parser_node_name(e);
        c->xml_status = CORDON_ERR_LIMIT;
        snprintf(c->xml_msg, sizeof c->xml_msg, "text of element <%.80s> exceeds %u bytes",
                 name ? name : c->leaf_name[0] ? c->leaf_name : "?", READER_MAX_FIELD);
        return;
    }
    c->xml_status = e->code == XML_ERR_NO_MEMORY ? CORDON_ERR_NOMEM : CORDON_ERR_PARSE;
    /* At the end of a truncated file the push parser behind xmlTextReader says "Extra content
     * at the end of the document"; with elements still open, say what happened. */
    xmlParserCtxtPtr p = parser_of(e);
    if (e->code == XML_ERR_DOCUMENT_END && p && p->nameNr > 0 && p->name) {
        snprintf(c->xml_msg, sizeof c->xml_msg,
                 "premature end of data inside <%.80s> (truncated file?)", (const char *)p->name);
        return;
    }
    copy_message(c->xml_msg, sizeof c->xml_msg, e->message);
}

static void on_generic_error(void *arg, const char *msg, ...)
{
    UNUSED(arg);
    UNUSED(msg);
}

static void report_xml_error(un_ctx *c)
{
    if (!ok(c))
        return;
    long line = c->xml_line > 0 ? c->xml_line : xmlTextReaderGetParserLineNumber(c->r);
    if (line <= 0)
        line = c->line > 0 ? c->line : 1;
    if (c->xml_failed)
        c->st = err_set(c->err, c->xml_status, "%s:%ld: %s", c->path, line, c->xml_msg);
    else
        c->st = err_set(c->err, CORDON_ERR_PARSE, "%s:%ld: malformed XML", c->path, line);
}

/* Line of the reader's current node; libxml2 stores element lines in 16 bits, so beyond 65535
 * the parser's position (a little ahead, never behind) is used. */
static long node_line(const un_ctx *c)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(c->r);
    long l = n ? xmlGetLineNo(n) : -1;
    if (l <= 0 || l >= 65535)
        l = xmlTextReaderGetParserLineNumber(c->r);
    return l > 0 ? l : 1;
}

/* ---- the buffered entry ------------------------------------------------------------------ */

static const char *val(const un_ctx *c, const un_rec *r, enum un_tag t)
{
    return r->slot[t] ? c->text.data + r->slot[t] - 1 : NULL;
}

static un_rec *rec_at(const un_ctx *c, size_t i) { return &VEC_AT(&c->recs, un_rec, i); }

static bool open_record(un_ctx *c, enum un_group g)
{
    if (c->recs.len >= UN_MAX_ENTRY_GROUPS) {
        c->st = err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: entry has more than %u groups",
                        c->path, c->line, UN_MAX_ENTRY_GROUPS);
        return false;
    }
    un_rec *r = vec_push(&c->recs);
    if (!r) {
        fail_nomem(c);
        return false;
    }
    r->group = g;
    c->cur = c->recs.len - 1;
    return true;
}

/* Stores the finished leaf text in the open record. A tag repeated inside a group (several
 * VALUEs under one NATIONALITY) opens a new record of the same group; repeated at entry level,
 * the first one wins. */
static void store_leaf(un_ctx *c)
{
    if (c->leaf_tag == T_NONE || c->leaf.len == 0)
        return;
    size_t n = str_squeeze(c->leaf.data);
    if (n == 0)
        return;
    un_rec *r = rec_at(c, c->cur);
    if (r->slot[c->leaf_tag]) {
        if (r->group == G_ENTRY || !open_record(c, r->group))
            return;
        r = rec_at(c, c->cur);
    }
    if (c->text.len + n + 1 > UN_MAX_ENTRY_TEXT) {
        c->st = err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: entry text exceeds %u bytes",
                        c->path, c->leaf_line, UN_MAX_ENTRY_TEXT);
        return;
    }
    uint32_t off = (uint32_t)c->text.len + 1;
    if (!buf_append(&c->text, c->leaf.data, n + 1)) {
        fail_nomem(c);
        return;
    }
    r->slot[c->leaf_tag] = off;
}

/* ---- string helpers ---------------------------------------------------------------------- */

/* Joins the non-NULL items of parts with sep into out; returns out's text or NULL if empty. */
static const char *join(un_ctx *c, buf *out, const char *sep, const char *const *parts, size_t n)
{
    out->len = 0;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || !*parts[i])
            continue;
        if ((out->len && !buf_puts(out, sep)) || !buf_puts(out, parts[i])) {
            fail_nomem(c);
            return NULL;
        }
    }
    return out->len ? out->data : NULL;
}

/* "place (note)" or just the note when there is no place. */
static const char *with_note(un_ctx *c, buf *out, const char *note)
{
    if (!note)
        return out->len ? out->data : NULL;
    bool ok_ = out->len ? buf_printf(out, note[0] == '(' ? " %s" : " (%s)", note)
                        : buf_puts(out, note);
    if (!ok_) {
        fail_nomem(c);
        return NULL;
    }
    return out->data;
}

/* A year 1000..2999 written as digits only, or 0. */
static int year_of(const char *s)
{
    if (!s || !isdigit((unsigned char)s[0]))
        return 0;
    char *end;
    errno = 0;
    long y = strtol(s, &end, 10);
    if (errno || *end || y < 1000 || y > 2999)
        return 0;
    return (int)y;
}

/* Letters of s lower-cased, other characters dropped ("a.k.a." -> "aka"), into out. */
static void letters_only(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; s && *s && n + 1 < size; s++)
        if (isalpha((unsigned char)*s))
            out[n++] = (char)tolower((unsigned char)*s);
    out[n] = 0;
}

/* ---- one entry -> the builder ------------------------------------------------------------ */

static void add_primary_name(un_ctx *c, const un_rec *e)
{
    static const enum un_tag name_tags[] = {T_FIRST_NAME, T_SECOND_NAME, T_THIRD_NAME,
                                            T_FOURTH_NAME};
    const char *parts[ARRAY_LEN(name_tags)];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_LEN(name_tags); i++)
        if (val(c, e, name_tags[i]))
            parts[n++] = val(c, e, name_tags[i]);
    const char *full = join(c, &c->sa, " ", parts, n);
    if (!full)
        return;
    if (!c->individual || n == 1) {
        eb_add_name(c->b, CORDON_NAME_PRIMARY, full, c->individual ? parts[0] : NULL, NULL,
                    NULL);
        return;
    }
    const char *middle = n > 2 ? join(c, &c->sb, " ", parts + 1, n - 2) : NULL;
    eb_add_name(c->b, CORDON_NAME_PRIMARY, full, parts[0], middle, parts[n - 1]);
}

static cordon_name_kind alias_kind(const char *quality)
{
    char q[16];
    letters_only(quality, q, sizeof q);
    if (strcmp(q, "low") == 0 || strcmp(q, "weak") == 0)
        return CORDON_NAME_WEAK_AKA;
    if (strcmp(q, "fka") == 0 || strcmp(q, "formerly") == 0)
        return CORDON_NAME_FORMER;
    return CORDON_NAME_STRONG_AKA; /* "Good", "a.k.a.", none */
}

static void add_birth_place(un_ctx *c, const char *const *parts, size_t n, const char *note)
{
    join(c, &c->sa, ", ", parts, n);
    const char *place = with_note(c, &c->sa, note);
    if (place)
        eb_add_birth_place(c->b, place);
}

static void add_alias(un_ctx *c, const un_rec *r)
{
    const char *name = val(c, r, T_ALIAS_NAME);
    if (name)
        eb_add_name(c->b, alias_kind(val(c, r, T_QUALITY)), name, NULL, NULL, NULL);
    if (val(c, r, T_DATE_OF_BIRTH))
        eb_add_birth_date_text(c->b, val(c, r, T_DATE_OF_BIRTH));
    const char *place[] = {val(c, r, T_CITY_OF_BIRTH), val(c, r, T_COUNTRY_OF_BIRTH)};
    add_birth_place(c, place, ARRAY_LEN(place), NULL);
}

static void add_address(un_ctx *c, const un_rec *r)
{
    const char *parts[] = {val(c, r, T_STREET), val(c, r, T_CITY), val(c, r, T_STATE_PROVINCE),
                           val(c, r, T_ZIP_CODE), val(c, r, T_COUNTRY)};
    join(c, &c->sa, ", ", parts, ARRAY_LEN(parts));
    const char *text = with_note(c, &c->sa, val(c, r, T_NOTE));
    if (text)
        eb_add_address(c->b, text, val(c, r, T_COUNTRY));
}

/* TYPE_OF_DATE EXACT / APPROXIMATELY / BETWEEN with DATE, YEAR or FROM_YEAR..TO_YEAR; a NOTE
 * alone ("Nov. 1973") is parsed as a date when it holds a plausible year. */
static void add_birth_date(un_ctx *c, const un_rec *r)
{
    const char *type = val(c, r, T_TYPE_OF_DATE);
    const char *note = val(c, r, T_NOTE);
    bool circa = (type && str_ieq(type, "APPROXIMATELY")) ||
                 (note && str_icontains(note, "approx"));
    cordon_date d = {0};
    int from = year_of(val(c, r, T_FROM_YEAR)), to = year_of(val(c, r, T_TO_YEAR));
    if (val(c, r, T_DATE)) {
        if (!date_parse(val(c, r, T_DATE), &d))
            return;
    } else if (from || to) {
        if (!from || !to)
            from = to = from ? from : to;
        d.year_from = (int16_t)(from < to ? from : to);
        d.year_to = (int16_t)(from < to ? to : from);
    } else if (year_of(val(c, r, T_YEAR))) {
        d.year_from = d.year_to = (int16_t)year_of(val(c, r, T_YEAR));
    } else if (!note || !date_parse(note, &d) || d.year_from < 1000 || d.year_to > 2999) {
        return;
    }
    if (circa)
        d.circa = 1;
    eb_add_birth_date(c->b, d);
}

static void add_place_of_birth(un_ctx *c, const un_rec *r)
{
    const char *parts[] = {val(c, r, T_STREET), val(c, r, T_CITY), val(c, r, T_STATE_PROVINCE),
                           val(c, r, T_COUNTRY)};
    add_birth_place(c, parts, ARRAY_LEN(parts), val(c, r, T_NOTE));
}

/* Identifier type for a document label, or -1 when the label does not say. Specific kinds of
 * card that are not identity documents are checked first. */
static int doc_type_of(const char *label)
{
    static const char *const other[] = {"birth",       "ration",   "driver",     "voter",
                                        "student",     "military", "serviceman", "residential",
                                        "certificate", "fardc",    "other id",   "laissez"};
    static const char *const passport[] = {"passport", "pasaporte", "passeport"};
    static const char *const tax[] = {"fiscal", "tax"};
    static const char *const national[] = {"identi", "national number", "social security",
                                           "tazkira", "personal"};
    if (!label)
        return -1;
    for (size_t i = 0; i < ARRAY_LEN(other); i++)
        if (str_icontains(label, other[i]))
            return CORDON_ID_OTHER;
    for (size_t i = 0; i < ARRAY_LEN(passport); i++)
        if (str_icontains(label, passport[i]))
            return CORDON_ID_PASSPORT;
    for (size_t i = 0; i < ARRAY_LEN(tax); i++)
        if (str_icontains(label, tax[i]))
            return CORDON_ID_TAX_ID;
    for (size_t i = 0; i < ARRAY_LEN(national); i++)
        if (str_icontains(label, national[i]))
            return CORDON_ID_NATIONAL_ID;
    return -1;
}

/* TYPE_OF_DOCUMENT2 is the source's own wording ("Italian Fiscal Code:"); it is used as the
 * label, without the trailing colon, unless it says nothing ("number: "). */
static const char *doc_label(un_ctx *c, const un_rec *r)
{
    const char *t2 = val(c, r, T_TYPE_OF_DOCUMENT2);
    if (t2) {
        c->sb.len = 0;
        if (!buf_puts(&c->sb, t2)) {
            fail_nomem(c);
            return NULL;
        }
        while (c->sb.len && strchr(": ", c->sb.data[c->sb.len - 1]))
            c->sb.data[--c->sb.len] = 0;
        char w[16];
        letters_only(c->sb.data, w, sizeof w);
        if (c->sb.len >= 4 && strcmp(w, "number") != 0)
            return c->sb.data;
    }
    return val(c, r, T_TYPE_OF_DOCUMENT);
}

static void add_document(un_ctx *c, const un_rec *r)
{
    const char *label = doc_label(c, r);
    int type = doc_type_of(val(c, r, T_TYPE_OF_DOCUMENT2));
    if (type < 0)
        type = doc_type_of(val(c, r, T_TYPE_OF_DOCUMENT));
    if (type < 0)
        type = CORDON_ID_OTHER;
    const char *number = val(c, r, T_NUMBER), *note = val(c, r, T_NOTE);
    const char *country = val(c, r, T_ISSUING_COUNTRY);
    if (!country)
        country = val(c, r, T_COUNTRY_OF_ISSUE);
    if (number)
        eb_add_id(c->b, (cordon_id_type)type, label, number, country);
    if (!note)
        return;
    /* The note qualifies the document ("Expired 28 Nov. 2016", "issued under name ..."), or,
     * without a number, is the only place the number is written. */
    c->sa.len = 0;
    if (!buf_printf(&c->sa, "%s%s%s: %s", label ? label : "Document", number ? " " : "",
                    number ? number : "", note)) {
        fail_nomem(c);
        return;
    }
    eb_append_remarks(c->b, c->sa.data);
}

static void add_prefixed_remark(un_ctx *c, const char *prefix, const char *value)
{
    if (!value)
        return;
    c->sa.len = 0;
    if (!buf_printf(&c->sa, "%s: %s", prefix, value)) {
        fail_nomem(c);
        return;
    }
    eb_append_remarks(c->b, c->sa.data);
}

static void add_group(un_ctx *c, const un_rec *r)
{
    switch (r->group) {
    case G_ALIAS: add_alias(c, r); break;
    case G_ADDRESS: add_address(c, r); break;
    case G_BIRTH_DATE: add_birth_date(c, r); break;
    case G_BIRTH_PLACE: add_place_of_birth(c, r); break;
    case G_DOCUMENT: add_document(c, r); break;
    case G_NATIONALITY:
        if (val(c, r, T_VALUE))
            eb_add_nationality(c->b, val(c, r, T_VALUE));
        break;
    case G_DESIGNATION: add_prefixed_remark(c, "Designation", val(c, r, T_VALUE)); break;
    case G_TITLE: add_prefixed_remark(c, "Title", val(c, r, T_VALUE)); break;
    case G_ENTRY:
    case G_NONE: break;
    }
}

/* ---- identifiers written into COMMENTS1 -------------------------------------------------- */

static bool is_word_char(char ch) { return isalnum((unsigned char)ch) || ch == '_'; }

/* Next occurrence of word (case-insensitive unless exact) at word boundaries, from s. */
static const char *find_word(const char *s, const char *word, bool exact)
{
    size_t n = strlen(word);
    for (const char *p = s; *p; p++) {
        if ((exact ? strncmp(p, word, n) : strncasecmp(p, word, n)) != 0)
            continue;
        if ((p == s || !is_word_char(p[-1])) && !is_word_char(p[n]))
            return p;
    }
    return NULL;
}

static const char *skip_chars(const char *p, const char *set)
{
    while (*p && strchr(set, *p))
        p++;
    return p;
}

/* After a label: skips "number(s)" / "no." / "code" and the punctuation around them. Returns
 * NULL unless the label is followed by ':' or '.' ("Tel.", "IMO number:"), or lenient. */
static const char *skip_label_tail(const char *p, bool lenient)
{
    bool colon = false;
    for (int round = 0; round < 3; round++) {
        const char *q = skip_chars(p, " )");
        if (*q == ':' || *q == '.' || *q == '#')
            colon = true;
        q = skip_chars(q, " .:#)");
        if (strncasecmp(q, "numbers", 7) == 0 && !is_word_char(q[7]))
            q += 7;
        else if (strncasecmp(q, "number", 6) == 0 && !is_word_char(q[6]))
            q += 6;
        else if (strncasecmp(q, "no", 2) == 0 && !is_word_char(q[2]))
            q += 2;
        else if (strncasecmp(q, "code", 4) == 0 && !is_word_char(q[4]))
            q += 4;
        else
            return colon || lenient ? q : NULL;
        p = q;
    }
    return colon || lenient ? skip_chars(p, " .:#") : NULL;
}

static void add_id_text(un_ctx *c, cordon_id_type type, const char *label, const char *s,
                        size_t n)
{
    c->sb.len = 0;
    if (!buf_append(&c->sb, s, n)) {
        fail_nomem(c);
        return;
    }
    eb_add_id(c->b, type, label, c->sb.data, NULL);
}

/* "IMO number: 5571322", "(IMO) Number: 1790183", "Company Number IMO 5434358". */
static void scan_imo(un_ctx *c, const char *text)
{
    for (const char *p = text; (p = find_word(p, "IMO", true)); p += 3) {
        const char *q = skip_label_tail(p + 3, true);
        size_t n = 0;
        while (q && isdigit((unsigned char)q[n]))
            n++;
        if (n == 7)
            add_id_text(c, CORDON_ID_IMO, "IMO number", q, n);
    }
}

/* "SWIFT: DCBKKPPY", "SWIFT/BIC: KUDBKPPY", "BIC: ..." - 8 or 11 characters, 6 letters first. */
static void scan_swift(un_ctx *c, const char *text)
{
    static const char *const labels[] = {"SWIFT", "BIC"};
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        for (const char *p = text; (p = find_word(p, labels[i], false)); p += 3) {
            const char *q = p + strlen(labels[i]);
            if (i == 0 && strncasecmp(q, "/BIC", 4) == 0)
                q += 4;
            q = skip_label_tail(q, false);
            size_t n = 0;
            while (q && (isupper((unsigned char)q[n]) || isdigit((unsigned char)q[n])))
                n++;
            bool letters = n >= 6;
            for (size_t k = 0; letters && k < 6; k++)
                letters = isupper((unsigned char)q[k]);
            if ((n == 8 || n == 11) && letters)
                add_id_text(c, CORDON_ID_SWIFT_BIC, "SWIFT/BIC", q, n);
        }
    }
}

static bool is_email_local(char ch) { return isalnum((unsigned char)ch) || strchr("._%+-", ch); }
static bool is_email_domain(char ch)
{
    return isalnum((unsigned char)ch) || ch == '.' || ch == '-';
}

/* Any user@domain.tld in the text. */
static void scan_emails(un_ctx *c, const char *text)
{
    for (const char *at = text; (at = strchr(at, '@')); at++) {
        const char *start = at;
        while (start > text && is_email_local(start[-1]))
            start--;
        while (*start == '.')
            start++;
        const char *end = at + 1;
        while (is_email_domain(*end))
            end++;
        while (end > at + 1 && (end[-1] == '.' || end[-1] == '-'))
            end--;
        const char *dot = NULL;
        for (const char *p = at + 1; p < end; p++)
            if (*p == '.')
                dot = p;
        if (start == at || !dot || dot == at + 1 || end - dot < 3)
            continue;
        add_id_text(c, CORDON_ID_EMAIL, "Email", start, (size_t)(end - start));
    }
}

static bool is_phone_char(char ch) { return isdigit((unsigned char)ch) || strchr("+-() /", ch); }

/* One phone number at p (digits and "+-() /"), at least 5 digits; returns its end or NULL. */
static const char *phone_at(const char *p, size_t *len)
{
    if (!(isdigit((unsigned char)*p) || *p == '+'))
        return NULL;
    const char *e = p;
    size_t digits = 0;
    for (; *e && is_phone_char(*e); e++)
        digits += isdigit((unsigned char)*e) != 0;
    const char *end = e;
    while (end > p && strchr(" (-/", end[-1]))
        end--;
    *len = (size_t)(end - p);
    return digits >= 5 ? e : NULL;
}

/* "Telephone: +850-2-18111-8208.", "Telephone numbers: a, b and c", "Fax: ...", "Tel.: ...". */
static void scan_phones(un_ctx *c, const char *text)
{
    static const char *const labels[] = {"Telephone", "Tel", "Phone", "Facsimile", "Fax"};
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        for (const char *p = text; (p = find_word(p, labels[i], false)); p++) {
            const char *q = skip_label_tail(p + strlen(labels[i]), false);
            size_t len;
            const char *next;
            while (q && (next = phone_at(q, &len))) {
                add_id_text(c, CORDON_ID_PHONE, labels[i], q, len);
                q = skip_chars(next, " ,;");
                if (strncasecmp(q, "and ", 4) == 0)
                    q += 4;
            }
        }
    }
}

/* "Website: http://www.behinehco.ir" (only when labelled). */
static void scan_websites(un_ctx *c, const char *text)
{
    static const char *const labels[] = {"Website", "Web site", "Web address"};
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        for (const char *p = text; (p = find_word(p, labels[i], false)); p++) {
            const char *q = skip_chars(p + strlen(labels[i]), " :");
            size_t n = 0;
            while (q[n] && !isspace((unsigned char)q[n]) && !strchr(";,<>\"", q[n]))
                n++;
            while (n && strchr(".)", q[n - 1]))
                n--;
            if (n > 3 && memchr(q, '.', n))
                add_id_text(c, CORDON_ID_WEBSITE, "Website", q, n);
        }
    }
}

static void scan_comment_ids(un_ctx *c, const char *comments)
{
    if (!comments)
        return;
    scan_imo(c, comments);
    scan_swift(c, comments);
    scan_emails(c, comments);
    scan_phones(c, comments);
    scan_websites(c, comments);
}

/* Some documents are repeated with a French or Spanish TYPE_OF_DOCUMENT ("Numéro de
 * passeport"); the builder keeps the first of equal ids, so English-labelled ones go first. */
static bool is_translated_document(const un_ctx *c, const un_rec *r)
{
    if (r->group != G_DOCUMENT)
        return false;
    for (const char *t = val(c, r, T_TYPE_OF_DOCUMENT); t && *t; t++)
        if ((unsigned char)*t >= 0x80)
            return true;
    return false;
}

static void emit_entry(un_ctx *c)
{
    const un_rec *e = rec_at(c, 0);
    const char *id = val(c, e, T_REFERENCE_NUMBER);
    eb_begin(c->b, c->individual ? CORDON_TYPE_PERSON : CORDON_TYPE_ORGANIZATION,
             id ? id : val(c, e, T_DATAID));
    add_primary_name(c, e);
    if (val(c, e, T_NAME_ORIGINAL_SCRIPT))
        eb_add_name(c->b, CORDON_NAME_ORIGINAL, val(c, e, T_NAME_ORIGINAL_SCRIPT), NULL, NULL,
                    NULL);
    if (val(c, e, T_LISTED_ON))
        eb_set_listed_on(c->b, val(c, e, T_LISTED_ON));
    if (val(c, e, T_GENDER))
        eb_set_gender(c->b, val(c, e, T_GENDER));
    if (val(c, e, T_UN_LIST_TYPE))
        eb_add_program(c->b, val(c, e, T_UN_LIST_TYPE));
    if (val(c, e, T_COMMENTS1))
        eb_append_remarks(c->b, val(c, e, T_COMMENTS1));
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 1; i < c->recs.len && ok(c); i++)
            if (is_translated_document(c, rec_at(c, i)) == (pass == 1))
                add_group(c, rec_at(c, i));
    if (ok(c))
        scan_comment_ids(c, val(c, e, T_COMMENTS1));
    if (!ok(c))
        return;
    cordon_status st = eb_commit(c->b);
    if (st == CORDON_ERR_ABORTED)
        c->st = err_set(c->err, st, "%s:%ld: stopped by the caller at entry %s", c->path,
                        c->entry_line, id ? id : "?");
    else if (st != CORDON_OK)
        fail_nomem(c);
}

/* ---- walking the document ---------------------------------------------------------------- */

static void start_entry(un_ctx *c, int depth, bool individual)
{
    c->entry_depth = depth;
    c->group_depth = c->leaf_depth = -1;
    c->individual = individual;
    c->entry_line = c->line;
    c->text.len = 0;
    vec_clear(&c->recs);
    c->entries++;
    open_record(c, G_ENTRY);
}

static void end_entry(un_ctx *c)
{
    c->entry_depth = c->group_depth = c->leaf_depth = -1;
    if (ok(c))
        emit_entry(c);
}

static void start_leaf(un_ctx *c, int depth, const char *name)
{
    c->leaf_depth = depth;
    c->leaf_tag = tag_of(name);
    c->leaf_len = 0;
    c->leaf_line = c->line;
    c->leaf.len = 0;
    snprintf(c->leaf_name, sizeof c->leaf_name, "%s", name);
}

static void end_leaf(un_ctx *c)
{
    c->leaf_depth = -1;
    store_leaf(c);
    c->leaf_name[0] = 0;
}

static void end_group(un_ctx *c)
{
    c->group_depth = -1;
    c->cur = 0;
}

static void check_root(un_ctx *c, const char *name)
{
    c->seen_root = true;
    if (strcmp(name, "CONSOLIDATED_LIST") != 0) {
        c->st = err_set(c->err, CORDON_ERR_PARSE,
                        "%s:%ld: root element is <%.100s>, not <CONSOLIDATED_LIST>: not a UN "
                        "consolidated list",
                        c->path, c->line, name);
    }
}

static void read_published(un_ctx *c, cordon_source_meta *meta)
{
    xmlChar *d = xmlTextReaderGetAttribute(c->r, BAD_CAST "dateGenerated");
    if (!d)
        return;
    const char *s = (const char *)d;
    bool iso = strlen(s) >= 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; iso && i < 10; i++)
        iso = i == 4 || i == 7 || isdigit((unsigned char)s[i]);
    if (iso && meta)
        snprintf(meta->published, sizeof meta->published, "%.10s", s);
    xmlFree(d);
}

/* An element inside an entry: a group directly under it, or a leaf under the entry or a group;
 * deeper elements are part of their leaf's text. */
static void on_entry_element(un_ctx *c, int depth, const char *name, bool empty)
{
    if (c->leaf_depth >= 0)
        return;
    if (c->group_depth < 0 && depth == c->entry_depth + 1) {
        enum un_group g = group_of(name);
        if (g != G_NONE) {
            if (open_record(c, g))
                c->group_depth = depth;
            if (empty)
                end_group(c);
            return;
        }
    }
    start_leaf(c, depth, name);
    if (empty)
        end_leaf(c);
}

static void on_element(un_ctx *c, cordon_source_meta *meta)
{
    const char *name = (const char *)xmlTextReaderConstLocalName(c->r);
    int depth = xmlTextReaderDepth(c->r);
    bool empty = xmlTextReaderIsEmptyElement(c->r) == 1;
    c->line = node_line(c);
    if (!name)
        return;
    if (!c->seen_root) {
        check_root(c, name);
        read_published(c, meta);
        return;
    }
    if (c->entry_depth >= 0) {
        on_entry_element(c, depth, name, empty);
        return;
    }
    bool individual = strcmp(name, "INDIVIDUAL") == 0;
    if (!individual && strcmp(name, "ENTITY") != 0)
        return;
    start_entry(c, depth, individual);
    if (empty)
        end_entry(c);
}

/* The text being read is longer than READER_MAX_FIELD: name its element and where it starts. */
static void fail_long_text(un_ctx *c)
{
    bool in_leaf = c->leaf_depth >= 0;
    xmlNodePtr node = xmlTextReaderCurrentNode(c->r);
    const char *name = "?";
    if (in_leaf)
        name = c->leaf_name;
    else if (node && node->parent && node->parent->name)
        name = (const char *)node->parent->name;
    c->st = err_set(c->err, CORDON_ERR_LIMIT, "%s:%ld: text of element <%.80s> exceeds %u bytes",
                    c->path, in_leaf ? c->leaf_line : node_line(c), name, READER_MAX_FIELD);
}

static void on_text(un_ctx *c)
{
    const char *v = (const char *)xmlTextReaderConstValue(c->r);
    size_t n = v ? strlen(v) : 0;
    bool in_leaf = c->leaf_depth >= 0;
    if ((in_leaf ? c->leaf_len : 0) + n > READER_MAX_FIELD) {
        fail_long_text(c);
        return;
    }
    if (!in_leaf)
        return;
    c->leaf_len += n;
    if (c->leaf_tag != T_NONE && !buf_append(&c->leaf, v, n))
        fail_nomem(c);
}

static void on_end_element(un_ctx *c)
{
    int depth = xmlTextReaderDepth(c->r);
    if (depth == c->leaf_depth)
        end_leaf(c);
    else if (depth == c->group_depth)
        end_group(c);
    else if (depth == c->entry_depth)
        end_entry(c);
}

static void on_node(un_ctx *c, cordon_source_meta *meta)
{
    switch (xmlTextReaderNodeType(c->r)) {
    case XML_READER_TYPE_ELEMENT: on_element(c, meta); break;
    case XML_READER_TYPE_TEXT:
    case XML_READER_TYPE_CDATA:
    case XML_READER_TYPE_WHITESPACE:
    case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: on_text(c); break;
    case XML_READER_TYPE_END_ELEMENT: on_end_element(c); break;
    default: break;
    }
}

static void walk(un_ctx *c, cordon_source_meta *meta)
{
    size_t before = eb_committed(c->b);
    int ret = 0;
    while (ok(c) && (ret = xmlTextReaderRead(c->r)) == 1 && !c->xml_failed)
        on_node(c, meta);
    if (!ok(c))
        return;
    if (c->xml_failed || ret != 0) {
        report_xml_error(c);
        return;
    }
    if (!c->seen_root)
        c->st = err_set(c->err, CORDON_ERR_PARSE, "%s:1: no root element", c->path);
    else if (c->entries == 0)
        c->st = err_set(c->err, CORDON_ERR_PARSE,
                        "%s:%ld: no entities: no INDIVIDUAL or ENTITY element", c->path, c->line);
    else if (eb_committed(c->b) == before)
        c->st = err_set(c->err, CORDON_ERR_PARSE,
                        "%s:%ld: no entities: none of %zu INDIVIDUAL/ENTITY elements has a name",
                        c->path, c->line, c->entries);
}

/* Opens path first so that a missing, unreadable or empty file is a clear I/O error rather
 * than whatever libxml2 makes of it. */
static cordon_status check_file(const char *path, cordon_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    int rc = fstat(fileno(f), &st);
    int saved = errno;
    fclose(f);
    if (rc != 0)
        return err_set(err, CORDON_ERR_IO, "%s: cannot stat: %s", path, strerror(saved));
    if (S_ISDIR(st.st_mode))
        return err_set(err, CORDON_ERR_IO, "%s: is a directory", path);
    if (S_ISREG(st.st_mode) && st.st_size == 0)
        return err_set(err, CORDON_ERR_PARSE, "%s:1: empty file", path);
    return CORDON_OK;
}

static void ctx_free(un_ctx *c)
{
    if (c->r)
        xmlFreeTextReader(c->r);
    buf_free(&c->leaf);
    buf_free(&c->text);
    buf_free(&c->sa);
    buf_free(&c->sb);
    vec_free(&c->recs);
}

cordon_status read_un_xml(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    if (!path || !b)
        return err_set(err, CORDON_ERR_INVALID, "read_un_xml: no path or builder");
    if (meta)
        meta->published[0] = 0;
    cordon_status st = check_file(path, err);
    if (st != CORDON_OK)
        return st;

    un_ctx c = {.path = path, .b = b, .err = err, .entry_depth = -1, .group_depth = -1,
                .leaf_depth = -1};
    vec_init(&c.recs, sizeof(un_rec));
    xmlInitParser();
    /* libxml2 would print some errors (I/O, encoding) through its thread-local global
     * handlers before the reader's own handler is in place: silence them for this call. */
    xmlStructuredErrorFunc old_serror = xmlStructuredError;
    void *old_sctx = xmlStructuredErrorContext;
    xmlGenericErrorFunc old_gerror = xmlGenericError;
    void *old_gctx = xmlGenericErrorContext;
    xmlSetStructuredErrorFunc(&c, on_xml_error);
    xmlSetGenericErrorFunc(&c, on_generic_error);

    c.r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING);
    if (!c.r) {
        c.st = c.xml_failed ? err_set(err, c.xml_status, "%s:1: %s", path, c.xml_msg)
                            : err_set(err, CORDON_ERR_IO, "%s: cannot open for XML reading",
                                      path);
    } else {
        xmlTextReaderSetStructuredErrorHandler(c.r, on_xml_error, &c);
        walk(&c, meta);
    }
    xmlSetStructuredErrorFunc(old_sctx, old_serror);
    xmlSetGenericErrorFunc(old_gctx, old_gerror);
    st = c.st;
    ctx_free(&c);
    return st;
}
