/* eu_fsf.c - reader for the EU consolidated financial sanctions list, XML "FSF 1.1"
 * (the file the Commission publishes as xmlFullSanctionsList_1_1).
 *
 * Written from the schema as public descriptions of the file document it: no real file could
 * be obtained offline, so this reader is tested on fixtures of our own
 * (tests/fixtures/eu/) only. The shape it expects:
 *
 *   <export generationDate="2026-02-27T14:39:54.511+01:00">       (namespace ignored)
 *     <sanctionEntity logicalId designationDate euReferenceNumber unitedNationId>
 *       <regulation programme="PRK" publicationDate ...><publicationUrl/></regulation>
 *       <subjectType code="person|enterprise" classificationCode="P|E"/>
 *       <nameAlias wholeName firstName middleName lastName gender strong function .../>
 *       <citizenship countryIso2Code countryDescription/>
 *       <birthdate birthdate year monthOfYear dayOfMonth yearRangeFrom yearRangeTo circa
 *                  city place region countryIso2Code/>
 *       <identification identificationTypeCode identificationTypeDescription number
 *                       latinNumber countryIso2Code/>
 *       <address street poBox zipCode city region place countryIso2Code/>
 *       <remark>free text</remark>
 *     </sanctionEntity>
 *   </export>
 *
 * Any element may carry <regulationSummary> children; they are ignored. Country code "00"
 * means unknown. The FSF has no vessel subject type: a ship-owning enterprise with an IMO
 * company number stays an organisation, its IMO number an identifier.
 * The XML is streamed (xmlTextReader): no network, no DTD, no entity expansion. libxml2's
 * messages go to the reader's structured handler, and those of its encoding and I/O layers to
 * the thread's global handlers, which are swapped in for the read: nothing is printed. */
#include "reader.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

/* A nameAlias kept until the entity ends, so the primary name can be chosen among all. */
typedef struct {
    const char *whole, *first, *middle, *last;
    bool strong;
} fsf_name;

typedef struct {
    const char *path;
    int fd;
    xmlTextReaderPtr r;
    eb *b;
    cordon_error *err;
    char xml_msg[512]; /* first libxml2 error, newlines flattened */
    int xml_line;
    bool xml_failed;
    bool root_seen;
    bool in_entity;
    size_t entities; /* sanctionEntity elements seen */
    const char *first_publication; /* earliest regulation publicationDate of the entity */
    bool has_designation_date;
    vec names;     /* fsf_name */
    vec functions; /* const char *, distinct */
    buf scratch;
} fsf;

/* The line of the current node's start tag; the parser's position runs ahead of it. */
static long line_of(const fsf *p)
{
    xmlNodePtr n = xmlTextReaderCurrentNode(p->r);
    long l = n ? xmlGetLineNo(n) : -1;
    if (l <= 0)
        l = xmlTextReaderGetParserLineNumber(p->r);
    return l > 0 ? l : 1;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
    fsf *p = ctx;
    if (!e || e->level < XML_ERR_ERROR || p->xml_failed)
        return;
    p->xml_failed = true;
    p->xml_line = e->line; /* 0 for errors of the encoding and I/O layers */
    snprintf(p->xml_msg, sizeof p->xml_msg, "%s", e->message ? e->message : "malformed XML");
    for (char *c = p->xml_msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    str_squeeze(p->xml_msg);
}

/* True when the file does not end with the closing </export> tag: libxml2's message for a
 * cut-off file ("Extra content at the end of the document") does not say so. */
static bool looks_truncated(const fsf *p)
{
    struct stat st;
    char tail[64];
    if (fstat(p->fd, &st) != 0 || st.st_size <= 0)
        return false;
    off_t off = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
    ssize_t n = pread(p->fd, tail, sizeof tail, off);
    while (n > 0 && isspace((unsigned char)tail[n - 1]))
        n--;
    return n < 7 || memcmp(tail + n - 7, "export>", 7) != 0;
}

static cordon_status xml_error(fsf *p)
{
    int line = p->xml_line > 0 ? p->xml_line : xmlTextReaderGetParserLineNumber(p->r);
    bool cut = p->root_seen && looks_truncated(p);
    return err_set(p->err, CORDON_ERR_PARSE, "%s:%d: malformed XML%s%s%s", p->path,
                   line > 0 ? line : 1, p->xml_failed ? ": " : "",
                   p->xml_failed ? p->xml_msg : "",
                   cut ? " (the file looks truncated: it does not end with </export>)" : "");
}

static cordon_status nomem(fsf *p)
{
    return err_set(p->err, CORDON_ERR_NOMEM, "%s:%ld: out of memory", p->path, line_of(p));
}

static bool is_element(const fsf *p, const char *local)
{
    const xmlChar *n = xmlTextReaderConstLocalName(p->r);
    return n && strcmp((const char *)n, local) == 0;
}

/* Rejects an element whose attribute values exceed the per-field limit. */
static cordon_status check_attr_sizes(fsf *p)
{
    if (xmlTextReaderMoveToFirstAttribute(p->r) != 1)
        return CORDON_OK;
    do {
        const xmlChar *v = xmlTextReaderConstValue(p->r);
        if (v && strlen((const char *)v) > READER_MAX_FIELD) {
            char a[64];
            const xmlChar *an = xmlTextReaderConstLocalName(p->r);
            snprintf(a, sizeof a, "%s", an ? (const char *)an : "?");
            xmlTextReaderMoveToElement(p->r);
            const xmlChar *en = xmlTextReaderConstLocalName(p->r);
            return err_set(p->err, CORDON_ERR_LIMIT,
                           "%s:%ld: <%s> attribute %s is longer than %u bytes", p->path,
                           line_of(p), en ? (const char *)en : "?", a, READER_MAX_FIELD);
        }
    } while (xmlTextReaderMoveToNextAttribute(p->r) == 1);
    xmlTextReaderMoveToElement(p->r);
    return CORDON_OK;
}

/* The attribute copied into the builder's arena (trimmed), or "" when absent. */
static const char *attr(fsf *p, const char *name)
{
    xmlChar *v = xmlTextReaderGetAttribute(p->r, BAD_CAST name);
    if (!v)
        return "";
    const char *s = eb_strdup(p->b, (const char *)v, strlen((const char *)v));
    xmlFree(v);
    return s ? s : "";
}

/* An ISO code, or the country's description; NULL for the file's "unknown" markers. */
static const char *country_attr(fsf *p)
{
    const char *iso = attr(p, "countryIso2Code");
    if (*iso && strcmp(iso, "00") != 0)
        return iso;
    const char *desc = attr(p, "countryDescription");
    if (*desc && !str_ieq(desc, "UNKNOWN"))
        return desc;
    return NULL;
}

/* Joins the non-blank parts with ", " into p->scratch; returns "" if all are blank. */
static const char *join(fsf *p, const char *const *parts, size_t n)
{
    p->scratch.len = 0;
    bool ok = buf_puts(&p->scratch, "");
    for (size_t i = 0; i < n && ok; i++) {
        if (str_is_blank(parts[i]))
            continue;
        if (p->scratch.len)
            ok = buf_puts(&p->scratch, ", ");
        ok = ok && buf_puts(&p->scratch, parts[i]);
    }
    return ok ? p->scratch.data : "";
}

/* libxml2's encoding and I/O layers report through the thread's global handlers, not the
 * reader's: route those to us too for the duration of a read, then put the old ones back. */
typedef struct {
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
    xmlGenericErrorFunc generic;
    void *generic_ctx;
} saved_handlers;

static void quiet_generic(void *ctx, const char *msg, ...) {}

static saved_handlers capture_global_errors(fsf *p)
{
    saved_handlers h = {xmlStructuredError, xmlStructuredErrorContext, xmlGenericError,
                        xmlGenericErrorContext};
    xmlSetStructuredErrorFunc(p, on_xml_error);
    xmlSetGenericErrorFunc(NULL, quiet_generic);
    return h;
}

static void restore_global_errors(const saved_handlers *h)
{
    xmlSetStructuredErrorFunc(h->structured_ctx, h->structured);
    xmlSetGenericErrorFunc(h->generic_ctx, h->generic);
}

/* ---- one sanctionEntity ------------------------------------------------------------ */

static void entity_begin(fsf *p)
{
    xmlChar *ref = xmlTextReaderGetAttribute(p->r, BAD_CAST "euReferenceNumber");
    xmlChar *lid = xmlTextReaderGetAttribute(p->r, BAD_CAST "logicalId");
    const char *id = ref && !str_is_blank((const char *)ref) ? (const char *)ref
                     : lid                                  ? (const char *)lid
                                                            : NULL;
    eb_begin(p->b, CORDON_TYPE_UNKNOWN, id);
    xmlFree(ref);
    xmlFree(lid);
    vec_clear(&p->names);
    vec_clear(&p->functions);
    p->first_publication = NULL;
    const char *designated = attr(p, "designationDate");
    p->has_designation_date = *designated != 0;
    eb_set_listed_on(p->b, designated);
    const char *un = attr(p, "unitedNationId");
    if (*un) {
        p->scratch.len = 0;
        if (buf_printf(&p->scratch, "UN reference %s", un))
            eb_append_remarks(p->b, p->scratch.data);
    }
    p->in_entity = true;
    p->entities++;
}

static void on_subject_type(fsf *p)
{
    const char *code = attr(p, "code");
    const char *cls = attr(p, "classificationCode");
    if (str_ieq(code, "person") || str_ieq(cls, "P"))
        eb_set_type(p->b, CORDON_TYPE_PERSON);
    else if (str_ieq(code, "enterprise") || str_ieq(cls, "E"))
        eb_set_type(p->b, CORDON_TYPE_ORGANIZATION);
}

static void on_regulation(fsf *p)
{
    eb_add_program(p->b, attr(p, "programme"));
    const char *pub = attr(p, "publicationDate");
    if (*pub && (!p->first_publication || strcmp(pub, p->first_publication) < 0))
        p->first_publication = pub;
}

static cordon_status on_name_alias(fsf *p)
{
    fsf_name *n = vec_push(&p->names);
    if (!n)
        return nomem(p);
    n->whole = attr(p, "wholeName");
    n->first = attr(p, "firstName");
    n->middle = attr(p, "middleName");
    n->last = attr(p, "lastName");
    n->strong = !str_ieq(attr(p, "strong"), "false");
    eb_set_gender(p->b, attr(p, "gender"));
    const char *fn = attr(p, "function");
    if (!*fn)
        return CORDON_OK;
    for (size_t i = 0; i < p->functions.len; i++)
        if (strcmp(VEC_AT(&p->functions, const char *, i), fn) == 0)
            return CORDON_OK;
    const char **slot = vec_push(&p->functions);
    if (!slot)
        return nomem(p);
    *slot = fn;
    return CORDON_OK;
}

static void on_citizenship(fsf *p)
{
    /* The FSF's one country-of-citizenship element is what other lists call nationality. */
    const char *c = country_attr(p);
    eb_add_citizenship(p->b, c);
    eb_add_nationality(p->b, c);
}

/* A whole number in [lo, hi], or 0 when s is not one. */
static int int_in(const char *s, int lo, int hi)
{
    if (str_is_blank(s))
        return 0;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return 0;
    return (int)v;
}

static void on_birthdate(fsf *p)
{
    bool circa = str_ieq(attr(p, "circa"), "true");
    cordon_date d = {0};
    int year = int_in(attr(p, "year"), 1000, 2200);
    int from = int_in(attr(p, "yearRangeFrom"), 1000, 2200);
    int to = int_in(attr(p, "yearRangeTo"), 1000, 2200);
    bool have = date_parse(attr(p, "birthdate"), &d);
    if (!have && year) {
        d.year_from = d.year_to = (int16_t)year;
        d.month = (uint8_t)int_in(attr(p, "monthOfYear"), 1, 12);
        d.day = d.month ? (uint8_t)int_in(attr(p, "dayOfMonth"), 1, 31) : 0;
        have = true;
    } else if (!have && from && to && from <= to) {
        d.year_from = (int16_t)from;
        d.year_to = (int16_t)to;
        have = true;
    }
    if (have) {
        d.circa = d.circa || circa;
        eb_add_birth_date(p->b, d);
    }
    const char *cc = country_attr(p);
    const char *iso = cc ? country_code(cc) : NULL;
    const char *cname = iso ? country_name(iso) : cc;
    const char *parts[] = {attr(p, "place"), attr(p, "city"), attr(p, "region"), cname};
    eb_add_birth_place(p->b, join(p, parts, ARRAY_LEN(parts)));
}

static cordon_id_type id_type_of(const char *code)
{
    static const struct {
        const char *code;
        cordon_id_type type;
    } types[] = {
        {"passport", CORDON_ID_PASSPORT},      {"id", CORDON_ID_NATIONAL_ID},
        {"ssn", CORDON_ID_NATIONAL_ID},        {"nationalid", CORDON_ID_NATIONAL_ID},
        {"fiscalcode", CORDON_ID_TAX_ID},      {"taxid", CORDON_ID_TAX_ID},
        {"tin", CORDON_ID_TAX_ID},             {"regnumber", CORDON_ID_REGISTRATION},
        {"swiftbic", CORDON_ID_SWIFT_BIC},     {"imo", CORDON_ID_IMO},
        {"mmsi", CORDON_ID_MMSI},              {"callsign", CORDON_ID_CALL_SIGN},
        {"email", CORDON_ID_EMAIL},            {"phone", CORDON_ID_PHONE},
        {"website", CORDON_ID_WEBSITE},
    };
    for (size_t i = 0; i < ARRAY_LEN(types); i++)
        if (str_ieq(code, types[i].code))
            return types[i].type;
    return CORDON_ID_OTHER;
}

static void on_identification(fsf *p)
{
    const char *code = attr(p, "identificationTypeCode");
    const char *label = attr(p, "identificationTypeDescription");
    const char *number = attr(p, "number");
    if (!*number)
        number = attr(p, "latinNumber");
    eb_add_id(p->b, id_type_of(code), *label ? label : code, number, country_attr(p));
}

static void on_address(fsf *p)
{
    const char *pobox = attr(p, "poBox");
    const char *box = "";
    if (*pobox) {
        p->scratch.len = 0;
        if (buf_printf(&p->scratch, "PO Box %s", pobox))
            box = eb_strdup(p->b, p->scratch.data, p->scratch.len);
    }
    const char *country = country_attr(p);
    const char *parts[] = {attr(p, "street"), box ? box : "", attr(p, "zipCode"),
                           attr(p, "city"),   attr(p, "region"), attr(p, "place")};
    eb_add_address(p->b, join(p, parts, ARRAY_LEN(parts)), country);
}

static cordon_status on_remark(fsf *p)
{
    xmlChar *t = xmlTextReaderReadString(p->r);
    if (!t)
        return CORDON_OK;
    size_t n = strlen((const char *)t);
    cordon_status st = CORDON_OK;
    if (n > READER_MAX_FIELD)
        st = err_set(p->err, CORDON_ERR_LIMIT, "%s:%ld: <remark> is longer than %u bytes",
                     p->path, line_of(p), READER_MAX_FIELD);
    else
        eb_append_remarks(p->b, (const char *)t);
    xmlFree(t);
    return st;
}

/* A child element of sanctionEntity. */
static cordon_status on_child(fsf *p)
{
    if (is_element(p, "subjectType"))
        on_subject_type(p);
    else if (is_element(p, "regulation"))
        on_regulation(p);
    else if (is_element(p, "nameAlias"))
        return on_name_alias(p);
    else if (is_element(p, "citizenship"))
        on_citizenship(p);
    else if (is_element(p, "birthdate"))
        on_birthdate(p);
    else if (is_element(p, "identification"))
        on_identification(p);
    else if (is_element(p, "address"))
        on_address(p);
    else if (is_element(p, "remark"))
        return on_remark(p);
    return CORDON_OK;
}

/* True when s has letters outside Latin (and its extensions): Cyrillic, Hangul, Arabic... */
static bool non_latin(const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t l = utf8_decode(s + i, n - i, &cp);
        if (!l)
            return false;
        i += l;
        if (cp >= 0x370 && !(cp >= 0x1E00 && cp <= 0x1EFF) && !(cp >= 0x2000 && cp <= 0x206F))
            return true;
    }
    return false;
}

static const char *whole_name(fsf *p, const fsf_name *n)
{
    if (*n->whole)
        return n->whole;
    const char *parts[] = {n->first, n->middle, n->last};
    p->scratch.len = 0;
    bool ok = buf_puts(&p->scratch, "");
    for (size_t i = 0; i < ARRAY_LEN(parts) && ok; i++) {
        if (!*parts[i])
            continue;
        if (p->scratch.len)
            ok = buf_putc(&p->scratch, ' ');
        ok = ok && buf_puts(&p->scratch, parts[i]);
    }
    return ok ? eb_strdup(p->b, p->scratch.data, p->scratch.len) : NULL;
}

/* The primary name: the first strong alias in Latin script, else the first strong, else the
 * first - the FSF lists the same name in many EU languages and scripts, in no set order. */
static size_t primary_index(fsf *p)
{
    size_t first_strong = SIZE_MAX;
    for (size_t i = 0; i < p->names.len; i++) {
        const fsf_name *n = &VEC_AT(&p->names, fsf_name, i);
        const char *w = whole_name(p, n);
        if (!n->strong || !w || !*w)
            continue;
        if (!non_latin(w))
            return i;
        if (first_strong == SIZE_MAX)
            first_strong = i;
    }
    return first_strong == SIZE_MAX ? 0 : first_strong;
}

static void add_name(fsf *p, const fsf_name *n, cordon_name_kind kind)
{
    const char *w = whole_name(p, n);
    if (w)
        eb_add_name(p->b, kind, w, n->first, n->middle, n->last);
}

static cordon_status entity_end(fsf *p)
{
    p->in_entity = false;
    if (p->names.len) {
        size_t pi = primary_index(p);
        add_name(p, &VEC_AT(&p->names, fsf_name, pi), CORDON_NAME_PRIMARY);
        for (size_t i = 0; i < p->names.len; i++) {
            const fsf_name *n = &VEC_AT(&p->names, fsf_name, i);
            if (i != pi)
                add_name(p, n, n->strong ? CORDON_NAME_STRONG_AKA : CORDON_NAME_WEAK_AKA);
        }
    }
    for (size_t i = 0; i < p->functions.len; i++) {
        p->scratch.len = 0;
        if (buf_printf(&p->scratch, "Function: %s", VEC_AT(&p->functions, const char *, i)))
            eb_append_remarks(p->b, p->scratch.data);
    }
    if (!p->has_designation_date && p->first_publication)
        eb_set_listed_on(p->b, p->first_publication);
    cordon_status st = eb_commit(p->b);
    if (st == CORDON_ERR_NOMEM)
        return nomem(p);
    if (st == CORDON_ERR_ABORTED)
        return err_set(p->err, st, "%s:%ld: stopped by the caller", p->path, line_of(p));
    return st;
}

/* ---- the document ------------------------------------------------------------------ */

static void set_published(fsf *p, cordon_source_meta *meta)
{
    xmlChar *g = xmlTextReaderGetAttribute(p->r, BAD_CAST "generationDate");
    if (!g || !meta)
        goto out;
    const char *s = (const char *)g;
    /* Keep the date part of the date-time the file states. */
    cordon_date d;
    if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-' && date_parse(s, &d) && d.day)
        snprintf(meta->published, sizeof meta->published, "%04d-%02d-%02d", d.year_from,
                 d.month, d.day);
out:
    xmlFree(g);
}

static cordon_status on_element(fsf *p, int depth, cordon_source_meta *meta)
{
    cordon_status st = check_attr_sizes(p);
    if (st)
        return st;
    if (depth == 0) {
        if (!is_element(p, "export")) {
            const xmlChar *n = xmlTextReaderConstLocalName(p->r);
            return err_set(p->err, CORDON_ERR_PARSE,
                           "%s:%ld: root element is <%s>, not <export>: not an EU FSF file",
                           p->path, line_of(p), n ? (const char *)n : "?");
        }
        p->root_seen = true;
        set_published(p, meta);
        return CORDON_OK;
    }
    if (depth == 1 && is_element(p, "sanctionEntity")) {
        entity_begin(p);
        return xmlTextReaderIsEmptyElement(p->r) == 1 ? entity_end(p) : CORDON_OK;
    }
    if (depth == 2 && p->in_entity)
        return on_child(p);
    return CORDON_OK;
}

static cordon_status walk(fsf *p, cordon_source_meta *meta)
{
    int rc;
    cordon_status st = CORDON_OK;
    while (st == CORDON_OK && (rc = xmlTextReaderRead(p->r)) == 1) {
        if (p->xml_failed)
            return xml_error(p);
        int type = xmlTextReaderNodeType(p->r);
        int depth = xmlTextReaderDepth(p->r);
        if (type == XML_READER_TYPE_DOCUMENT_TYPE || type == XML_READER_TYPE_ENTITY_REFERENCE)
            return err_set(p->err, CORDON_ERR_PARSE,
                           "%s:%ld: DTDs and entity references are not allowed in an FSF file",
                           p->path, line_of(p));
        if (type == XML_READER_TYPE_ELEMENT)
            st = on_element(p, depth, meta);
        else if (type == XML_READER_TYPE_END_ELEMENT && depth == 1 && p->in_entity &&
                 is_element(p, "sanctionEntity"))
            st = entity_end(p);
    }
    if (st)
        return st;
    if (rc < 0 || p->xml_failed)
        return xml_error(p);
    if (p->entities == 0)
        return err_set(p->err, CORDON_ERR_PARSE,
                       "%s:%ld: no <sanctionEntity> elements: no entities", p->path,
                       line_of(p));
    return CORDON_OK;
}

static cordon_status open_reader(fsf *p)
{
    p->fd = open(p->path, O_RDONLY | O_CLOEXEC);
    if (p->fd < 0)
        return err_set(p->err, CORDON_ERR_IO, "%s: cannot open: %s", p->path, strerror(errno));
    struct stat st;
    if (fstat(p->fd, &st) != 0)
        return err_set(p->err, CORDON_ERR_IO, "%s: cannot stat: %s", p->path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        return err_set(p->err, CORDON_ERR_IO, "%s: is a directory", p->path);
    if (st.st_size == 0)
        return err_set(p->err, CORDON_ERR_PARSE, "%s:1: empty file: no entities", p->path);
    /* No network, no DTD loading, no entity substitution (XML_PARSE_NOENT is left out). */
    p->r = xmlReaderForFd(p->fd, p->path, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                              XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES);
    if (!p->r)
        return nomem(p);
    xmlTextReaderSetStructuredErrorHandler(p->r, on_xml_error, p);
    return CORDON_OK;
}

cordon_status read_eu_fsf(const char *path, eb *b, cordon_source_meta *meta, cordon_error *err)
{
    fsf p = {.path = path, .fd = -1, .b = b, .err = err};
    vec_init(&p.names, sizeof(fsf_name));
    vec_init(&p.functions, sizeof(const char *));
    xmlInitParser();
    saved_handlers h = capture_global_errors(&p);
    cordon_status st = open_reader(&p);
    if (st == CORDON_OK)
        st = walk(&p, meta);
    if (p.r)
        xmlFreeTextReader(p.r);
    restore_global_errors(&h);
    if (p.fd >= 0)
        close(p.fd);
    vec_free(&p.names);
    vec_free(&p.functions);
    buf_free(&p.scratch);
    return st;
}
