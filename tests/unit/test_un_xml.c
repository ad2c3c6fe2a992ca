/* test_un_xml.c - the UN Security Council consolidated list reader on the real file
 * (data/lists/un/consolidated_2026-02-27.xml: 730 INDIVIDUAL, 273 ENTITY) and on bad inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lists/reader.h"

#define UN_FILE CORDON_DATA_DIR "/lists/un/consolidated_2026-02-27.xml"

/* ---- collecting what the reader hands out ------------------------------------------------ */

/* Entities whose dump the tests look at (by source id). */
static const char *const wanted[] = {"KPi.033", "KPe.001", "KPe.002", "KPe.047", "KPe.056",
                                     "KPe.016", "KPe.020", "IRe.009", "CDi.014", "CDi.030",
                                     "TAi.002", "CDi.001", "QDi.436", "IQi.057", "CDi.004",
                                     "KPi.006"};

typedef struct collect {
    size_t total;
    size_t by_type[CORDON_TYPE_COUNT];
    size_t ids_by_type[CORDON_ID_TYPE_COUNT];
    size_t dprk, iran, circa, ranges, originals, with_dob;
    char *dump[ARRAY_LEN(wanted)];
    int stop_after; /* > 0: ask the reader to stop after this many entities */
} collect;

static void put(buf *b, const char *key, const char *v)
{
    buf_printf(b, "%s=%s\n", key, v ? v : "");
}

/* One line per field, "key=value"; parts of a name or id joined by '|'. */
static char *dump_entity(const cordon_entity *e)
{
    buf b = {0};
    put(&b, "type", cordon_entity_type_name(e->type));
    put(&b, "id", e->source_id);
    put(&b, "source", e->source);
    put(&b, "listed", e->listed_on);
    put(&b, "gender", e->gender);
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        buf_printf(&b, "name=%s|%s|%s|%s|%s|%s\n", cordon_name_kind_name(n->kind), n->full,
                   n->given ? n->given : "", n->middle ? n->middle : "",
                   n->family ? n->family : "", n->script ? n->script : "");
    }
    for (size_t i = 0; i < e->n_ids; i++) {
        const cordon_identifier *x = &e->ids[i];
        buf_printf(&b, "ident=%s|%s|%s|%s\n", cordon_id_type_name(x->type),
                   x->label ? x->label : "", x->value, x->country ? x->country : "");
    }
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        put(&b, "dob", d);
    }
    for (size_t i = 0; i < e->n_birth_places; i++)
        put(&b, "pob", e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        put(&b, "nat", e->nationalities[i]);
    for (size_t i = 0; i < e->n_addresses; i++)
        buf_printf(&b, "addr=%s|%s\n", e->addresses[i].text,
                   e->addresses[i].country ? e->addresses[i].country : "");
    for (size_t i = 0; i < e->n_programs; i++)
        put(&b, "program", e->programs[i]);
    for (size_t i = 0; i < e->n_regimes; i++)
        put(&b, "regime", e->regimes[i]);
    put(&b, "remarks", e->remarks);
    return b.data;
}

static int collect_sink(void *ctx, const cordon_entity *e)
{
    collect *c = ctx;
    c->total++;
    c->by_type[e->type]++;
    for (size_t i = 0; i < e->n_ids; i++)
        c->ids_by_type[e->ids[i].type]++;
    for (size_t i = 0; i < e->n_regimes; i++) {
        c->dprk += strcmp(e->regimes[i], "DPRK") == 0;
        c->iran += strcmp(e->regimes[i], "IRAN") == 0;
    }
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        c->circa += e->birth_dates[i].circa != 0;
        c->ranges += e->birth_dates[i].year_from != e->birth_dates[i].year_to;
    }
    c->with_dob += e->n_birth_dates > 0;
    for (size_t i = 0; i < e->n_names; i++)
        c->originals += e->names[i].kind == CORDON_NAME_ORIGINAL;
    for (size_t i = 0; i < ARRAY_LEN(wanted); i++)
        if (e->source_id && strcmp(e->source_id, wanted[i]) == 0 && !c->dump[i])
            c->dump[i] = dump_entity(e);
    return c->stop_after > 0 && c->total >= (size_t)c->stop_after;
}

static void collect_free(collect *c)
{
    for (size_t i = 0; i < ARRAY_LEN(wanted); i++)
        free(c->dump[i]);
}

static cordon_status read_file(const char *path, collect *c, cordon_source_meta *meta,
                               cordon_error *err)
{
    eb *b = eb_new("un", collect_sink, c);
    assert_non_null(b);
    cordon_status st = read_un_xml(path, b, meta, err);
    eb_free(b);
    return st;
}

static const char *dump_of(const collect *c, const char *id)
{
    for (size_t i = 0; i < ARRAY_LEN(wanted); i++)
        if (strcmp(wanted[i], id) == 0) {
            if (!c->dump[i])
                fail_msg("entity %s was not read", id);
            return c->dump[i];
        }
    fail_msg("entity %s is not in the wanted list", id);
    return NULL;
}

/* The dump has exactly this line. */
static void has_line(const char *dump, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = dump; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == 0))
            return;
    fail_msg("missing line \"%s\" in:\n%s", line, dump);
}

static size_t count_prefix(const char *dump, const char *prefix)
{
    size_t k = 0, n = strlen(prefix);
    for (const char *p = dump; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        k += strncmp(p, prefix, n) == 0;
    return k;
}

/* ---- the real file, read once ------------------------------------------------------------- */

static collect real;
static cordon_source_meta real_meta;

static int read_real(void **state)
{
    UNUSED(state);
    cordon_error err = {0};
    cordon_status st = read_file(UN_FILE, &real, &real_meta, &err);
    if (st != CORDON_OK) {
        fprintf(stderr, "reading %s: %s\n", UN_FILE, err.message);
        return -1;
    }
    return 0;
}

static int free_real(void **state)
{
    UNUSED(state);
    collect_free(&real);
    return 0;
}

static void test_real_counts(void **state)
{
    UNUSED(state);
    assert_int_equal(real.total, 1003);
    assert_int_equal(real.by_type[CORDON_TYPE_PERSON], 730);
    assert_int_equal(real.by_type[CORDON_TYPE_ORGANIZATION], 273);
    assert_int_equal(real.by_type[CORDON_TYPE_VESSEL], 0);
    assert_int_equal(real.by_type[CORDON_TYPE_UNKNOWN], 0);
    assert_string_equal(real_meta.published, "2026-02-27");
    /* UN_LIST_TYPE DPRK: 155 entries (KPi.* and KPe.*); Iran: 121. */
    assert_int_equal(real.dprk, 155);
    assert_int_equal(real.iran, 121);
}

static void test_real_identifier_totals(void **state)
{
    UNUSED(state);
    /* 16 DPRK shipping companies carry a labelled IMO number in COMMENTS1, 5 banks a SWIFT
     * code; e-mail addresses: 5 FDLR + 1 M23 + 2 + 3 + 1 + 1 DPRK firms = 13. */
    assert_int_equal(real.ids_by_type[CORDON_ID_IMO], 16);
    assert_int_equal(real.ids_by_type[CORDON_ID_SWIFT_BIC], 5);
    assert_int_equal(real.ids_by_type[CORDON_ID_EMAIL], 13);
    assert_int_equal(real.ids_by_type[CORDON_ID_WEBSITE], 2);
    assert_true(real.ids_by_type[CORDON_ID_PHONE] >= 15);
    assert_true(real.ids_by_type[CORDON_ID_PASSPORT] >= 300);
    assert_true(real.ids_by_type[CORDON_ID_NATIONAL_ID] >= 120);
}

static void test_real_dprk_individual(void **state)
{
    UNUSED(state);
    const char *d = dump_of(&real, "KPi.033");
    has_line(d, "type=person");
    has_line(d, "source=un");
    has_line(d, "listed=2016-11-30");
    /* positional parts: FIRST_NAME "RI", SECOND_NAME "WON HO" */
    has_line(d, "name=primary|RI WON HO|RI||WON HO|");
    assert_int_equal(count_prefix(d, "name="), 1); /* the only alias is empty */
    has_line(d, "ident=passport|Passport|381310014|"); /* " 381310014" trimmed */
    has_line(d, "dob=1964-07-17");
    has_line(d, "nat=KP");
    has_line(d, "program=DPRK");
    has_line(d, "regime=DPRK");
    has_line(d, "remarks=Ri Won Ho is a DPRK Ministry of State Security Official stationed in "
                "Syria supporting KOMID.; Designation: DPRK Ministry of State Security Official");
    assert_int_equal(count_prefix(d, "addr="), 0); /* <COUNTRY/> only */
    assert_int_equal(count_prefix(d, "pob="), 0);
}

static void test_real_dprk_entities(void **state)
{
    UNUSED(state);
    const char *d = dump_of(&real, "KPe.001");
    has_line(d, "type=organization");
    has_line(d, "name=primary|KOREA MINING DEVELOPMENT TRADING CORPORATION||||");
    has_line(d, "name=strong|CHANGGWANG SINYONG CORPORATION||||");
    has_line(d, "name=strong|EXTERNAL TECHNOLOGY GENERAL CORPORATION||||");
    has_line(d, "name=strong|DPRKN MINING DEVELOPMENT TRADING COOPERATION||||");
    has_line(d, "name=strong|\"KOMID\"||||");
    assert_int_equal(count_prefix(d, "name="), 5);
    has_line(d, "listed=2009-04-24");
    has_line(d, "addr=Central District, Pyongyang, Democratic People's Republic of Korea|KP");
    has_line(d, "program=DPRK");
    has_line(d, "regime=DPRK");
    assert_int_equal(count_prefix(d, "ident="), 0);

    d = dump_of(&real, "KPe.002");
    has_line(d, "name=strong|KOREA YONBONG GENERAL CORPORATION||||");
    has_line(d, "name=former|LYONGAKSAN GENERAL TRADING CORPORATION||||");
    assert_int_equal(count_prefix(d, "addr="), 2);

    /* the same passport listed under "Numéro de passeport", "Número de pasaporte" and
     * "Passport" is one identifier with the English label */
    d = dump_of(&real, "KPi.006");
    has_line(d, "ident=passport|Passport|381420754|");
    assert_int_equal(count_prefix(d, "ident="), 1);
    has_line(d, "pob=Kaesong, Democratic People's Republic of Korea");

    d = dump_of(&real, "KPe.047");
    has_line(d, "name=primary|FOREIGN TRADE BANK (FTB)||||");
    has_line(d, "ident=swift_bic|SWIFT/BIC|FTBDKPPY|");

    d = dump_of(&real, "KPe.056"); /* REFERENCE_NUMBER "KPe.056 " in the file */
    has_line(d, "name=primary|CHONMYONG SHIPPING CO||||");
    has_line(d, "type=organization");
    has_line(d, "ident=imo|IMO number|5571322|");

    /* "International Maritime Organization (IMO) Number: 1790183." */
    d = dump_of(&real, "KPe.020");
    has_line(d, "ident=imo|IMO number|1790183|");

    d = dump_of(&real, "KPe.016");
    has_line(d, "ident=email|Email|ryonha@silibank.com|");
    has_line(d, "ident=email|Email|sjc-117@hotmail.com|");
    has_line(d, "ident=email|Email|millim@silibank.com|");
    has_line(d, "ident=phone|Telephone|850-2-18111|");
    has_line(d, "ident=phone|Telephone|850-2-18111-8642|");
    has_line(d, "ident=phone|Telephone|850 2 18111-3818642|");
    has_line(d, "ident=phone|Facsimile|850-2-381-4410|");
    assert_int_equal(count_prefix(d, "ident="), 7);
}

static void test_real_other_identifiers(void **state)
{
    UNUSED(state);
    const char *d = dump_of(&real, "IRe.009");
    has_line(d, "ident=phone|Telephone|98-919-538-2305|");
    has_line(d, "ident=website|Website|http://www.behinehco.ir|");
    has_line(d, "regime=IRAN");

    d = dump_of(&real, "QDi.436"); /* "Phone number: +963936016952." */
    has_line(d, "ident=phone|Phone|+963936016952|");

    /* the INTERPOL notice link every DRC individual carries is not the entity's website */
    d = dump_of(&real, "CDi.001");
    assert_int_equal(count_prefix(d, "ident="), 0);
    has_line(d, "name=primary|ERIC BADEGE|ERIC||BADEGE|");
    has_line(d, "gender=male");
    has_line(d, "dob=1971");
    has_line(d, "nat=CD");
    has_line(d, "addr=Rwanda (as of early 2016)|RW");
}

static void test_real_birth_dates(void **state)
{
    UNUSED(state);
    has_line(dump_of(&real, "CDi.014"), "dob=~1966");           /* APPROXIMATELY, YEAR */
    has_line(dump_of(&real, "CDi.030"), "dob=1973..1974");      /* BETWEEN */
    has_line(dump_of(&real, "TAi.002"), "dob=~1955..1958");     /* BETWEEN, NOTE Approximately */
    has_line(dump_of(&real, "CDi.004"), "dob=1973-11");         /* EXACT, NOTE "Nov. 1973" */
    /* 117 APPROXIMATELY + 8 BETWEEN/"Approximately"; 31 BETWEEN ranges */
    assert_int_equal(real.circa, 116 + 8);
    assert_int_equal(real.ranges, 31);
}

static void test_real_original_script(void **state)
{
    UNUSED(state);
    /* No UN entry has a Hangul name; Arabic and Cyrillic ones are kept as original names. */
    const char *d = dump_of(&real, "IQi.057");
    has_line(d, "name=primary|RAGHAD SADDAM HUSSEIN AL-TIKRITI|RAGHAD|SADDAM HUSSEIN|AL-TIKRITI|");
    has_line(d, "name=original|\xd8\xb1\xd8\xba\xd8\xaf \xd8\xb5\xd8\xaf\xd8\xa7\xd9\x85 "
                "\xd8\xad\xd8\xb3\xd9\x8a\xd9\x86 \xd8\xa7\xd9\x84\xd8\xaa\xd9\x83\xd8\xb1"
                "\xd9\x8a\xd8\xaa\xd9\x8a||||Arab");
    assert_int_equal(count_prefix(d, "name=original|"), 1);
    assert_true(real.originals >= 370);
}

/* ---- small files written to a temporary directory ----------------------------------------- */

static char tmpdir[] = "/tmp/test_un_xml.XXXXXX";

static int make_tmpdir(void **state)
{
    UNUSED(state);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    UNUSED(state);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmp(const char *name, const void *data, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *write_tmp_str(const char *name, const char *text)
{
    return write_tmp(name, text, strlen(text));
}

/* err names path and a line: "PATH:LINE: ..."; returns the line. */
static long file_line_of(const cordon_error *err, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(err->message, path, n) != 0 || err->message[n] != ':' ||
        !isdigit((unsigned char)err->message[n + 1]))
        fail_msg("message does not name %s and a line: %s", path, err->message);
    char *end;
    long line = strtol(err->message + n + 1, &end, 10);
    if (*end != ':' || line <= 0)
        fail_msg("message has no line: %s", err->message);
    return line;
}

/* Reads path expecting failure with status st; stderr must stay silent (libxml2 must not
 * print). Returns the line the message names. */
static long expect_failure(const char *path, cordon_status st, cordon_error *err)
{
    fflush(stderr);
    int saved = dup(2);
    char errpath[300];
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", tmpdir);
    int fd = open(errpath, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    collect c = {0};
    cordon_status got = read_file(path, &c, NULL, err);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    collect_free(&c);
    if (got != st)
        fail_msg("status %s, wanted %s: %s", cordon_status_name(got), cordon_status_name(st),
                 err->message);
    FILE *f = fopen(errpath, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long printed = ftell(f);
    fclose(f);
    assert_int_equal(printed, 0);
    return file_line_of(err, path);
}

#define HEAD                                                                                    \
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"                           \
    "<CONSOLIDATED_LIST dateGenerated=\"2025-01-02T00:00:00Z\">\n"

static const char small_list[] =
    HEAD "<INDIVIDUALS>\n"
         "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>ABD AL-RAHMAN</FIRST_NAME>"
         "<SECOND_NAME>MUHAMMAD</SECOND_NAME><THIRD_NAME>ZAFIR</THIRD_NAME>"
         "<FOURTH_NAME>AL-DUBAYSI</FOURTH_NAME><UN_LIST_TYPE>Al-Qaida</UN_LIST_TYPE>"
         "<REFERENCE_NUMBER>QDi.900</REFERENCE_NUMBER><LISTED_ON>2001-10-06</LISTED_ON>"
         "<GENDER>Female</GENDER><COMMENTS1><![CDATA[Seen <here> & there.]]></COMMENTS1>"
         "<TITLE><VALUE>Dr.</VALUE><VALUE>Sheikh</VALUE></TITLE>"
         "<NATIONALITY><VALUE>Iraq</VALUE><VALUE>Syrian Arab Republic</VALUE></NATIONALITY>"
         "<INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>Abu Zafir</ALIAS_NAME>"
         "</INDIVIDUAL_ALIAS>"
         "<INDIVIDUAL_ALIAS><QUALITY/><ALIAS_NAME/></INDIVIDUAL_ALIAS>"
         "<INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>A. Zafir</ALIAS_NAME>"
         "<DATE_OF_BIRTH>1969-02-05</DATE_OF_BIRTH><CITY_OF_BIRTH>Tripoli</CITY_OF_BIRTH>"
         "<COUNTRY_OF_BIRTH>Libya</COUNTRY_OF_BIRTH></INDIVIDUAL_ALIAS>"
         "<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE>"
         "<DATE>1970-03-04</DATE></INDIVIDUAL_DATE_OF_BIRTH>"
         "<INDIVIDUAL_PLACE_OF_BIRTH><CITY>Mosul</CITY><STATE_PROVINCE>Ninawa</STATE_PROVINCE>"
         "<COUNTRY>Iraq</COUNTRY></INDIVIDUAL_PLACE_OF_BIRTH>"
         "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>National Identification Number</TYPE_OF_DOCUMENT>"
         "<TYPE_OF_DOCUMENT2>Italian Fiscal Code:</TYPE_OF_DOCUMENT2><NUMBER>DAOMMD74T11Z352Z"
         "</NUMBER><ISSUING_COUNTRY>Italy</ISSUING_COUNTRY></INDIVIDUAL_DOCUMENT>"
         "<INDIVIDUAL_DOCUMENT><TYPE_OF_DOCUMENT>Passport</TYPE_OF_DOCUMENT>"
         "<NOTE>Tunisian passport number L 191609</NOTE></INDIVIDUAL_DOCUMENT>"
         "<INDIVIDUAL_ADDRESS><STREET>1 Main St</STREET><CITY>Berlin</CITY>"
         "<ZIP_CODE>10115</ZIP_CODE><COUNTRY>Germany</COUNTRY></INDIVIDUAL_ADDRESS>"
         "<UNKNOWN_NEW_FIELD><VALUE>ignored</VALUE></UNKNOWN_NEW_FIELD>"
         "</INDIVIDUAL>\n"
         "</INDIVIDUALS>\n<ENTITIES>\n"
         "<ENTITY><FIRST_NAME>SEA STAR SHIPPING</FIRST_NAME><UN_LIST_TYPE>DPRK</UN_LIST_TYPE>"
         "<REFERENCE_NUMBER>KPe.900</REFERENCE_NUMBER><LISTED_ON>2018-03-30</LISTED_ON>"
         "<COMMENTS1>Owner of the tanker SEA STAR. IMO number: 1234567. SWIFT: SEASKPPY. "
         "Tel.: +850 2 381 1234. Website: www.seastar.kp.</COMMENTS1>"
         "<ENTITY_ALIAS><QUALITY>f.k.a.</QUALITY><ALIAS_NAME>OLD STAR</ALIAS_NAME></ENTITY_ALIAS>"
         "</ENTITY>\n"
         "</ENTITIES>\n</CONSOLIDATED_LIST>\n";

static void test_small_file_mapping(void **state)
{
    UNUSED(state);
    const char *path = write_tmp_str("small.xml", small_list);
    collect c = {0};
    cordon_source_meta meta;
    cordon_error err = {0};
    assert_int_equal(read_file(path, &c, &meta, &err), CORDON_OK);
    assert_string_equal(meta.published, "2025-01-02");
    assert_int_equal(c.by_type[CORDON_TYPE_PERSON], 1);
    assert_int_equal(c.by_type[CORDON_TYPE_ORGANIZATION], 1);
    collect_free(&c);
}

/* A sink that keeps the dump of every entity. */
typedef struct dumps {
    char *d[4];
    size_t n;
} dumps;

static int dump_all(void *ctx, const cordon_entity *e)
{
    dumps *x = ctx;
    if (x->n < ARRAY_LEN(x->d))
        x->d[x->n++] = dump_entity(e);
    return 0;
}

static void test_small_file_fields(void **state)
{
    UNUSED(state);
    const char *path = write_tmp_str("small2.xml", small_list);
    dumps x = {0};
    cordon_error err = {0};
    eb *b = eb_new("un", dump_all, &x);
    assert_int_equal(read_un_xml(path, b, NULL, &err), CORDON_OK);
    eb_free(b);
    assert_int_equal(x.n, 2);
    const char *p = x.d[0];
    has_line(p, "id=QDi.900");
    /* four parts: given = first, middle = those between, family = last */
    has_line(p, "name=primary|ABD AL-RAHMAN MUHAMMAD ZAFIR AL-DUBAYSI|ABD AL-RAHMAN|"
                "MUHAMMAD ZAFIR|AL-DUBAYSI|");
    has_line(p, "name=weak|Abu Zafir||||");
    has_line(p, "name=strong|A. Zafir||||");
    assert_int_equal(count_prefix(p, "name="), 3); /* the empty alias is ignored */
    has_line(p, "gender=female");
    has_line(p, "nat=IQ");
    has_line(p, "nat=SY");
    has_line(p, "dob=1970-03-04");
    has_line(p, "dob=1969-02-05"); /* from the alias */
    has_line(p, "pob=Mosul, Ninawa, Iraq");
    has_line(p, "pob=Tripoli, Libya");
    has_line(p, "ident=tax_id|Italian Fiscal Code|DAOMMD74T11Z352Z|IT");
    assert_int_equal(count_prefix(p, "ident="), 1); /* the passport has no NUMBER */
    has_line(p, "addr=1 Main St, Berlin, 10115, Germany|DE");
    has_line(p, "remarks=Seen <here> & there.; Title: Dr.; Title: Sheikh; "
                "Passport: Tunisian passport number L 191609");
    has_line(p, "program=Al-Qaida");

    const char *e = x.d[1];
    has_line(e, "type=organization"); /* a shipping company, never guessed to be a vessel */
    has_line(e, "name=former|OLD STAR||||");
    has_line(e, "ident=imo|IMO number|1234567|");
    has_line(e, "ident=swift_bic|SWIFT/BIC|SEASKPPY|");
    has_line(e, "ident=phone|Tel|+850 2 381 1234|");
    has_line(e, "ident=website|Website|www.seastar.kp|");
    has_line(e, "regime=DPRK");
    for (size_t i = 0; i < x.n; i++)
        free(x.d[i]);
}

/* ---- bad inputs --------------------------------------------------------------------------- */

static void test_truncated_file(void **state)
{
    UNUSED(state);
    char *data;
    size_t n;
    cordon_error err = {0};
    assert_int_equal(file_read_all(UN_FILE, READER_MAX_FILE, &data, &n, &err), CORDON_OK);
    /* cut in the middle of line 300 */
    size_t cut = 0;
    for (int line = 1; line < 300; cut++)
        line += data[cut] == '\n';
    cut += 10;
    const char *path = write_tmp("truncated.xml", data, cut);
    free(data);
    long line = expect_failure(path, CORDON_ERR_PARSE, &err);
    assert_in_range(line, 299, 301);
}

static void test_binary_file(void **state)
{
    UNUSED(state);
    unsigned char bin[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof bin; i++) {
        x = x * 1103515245u + 12345u;
        bin[i] = (unsigned char)(x >> 16);
    }
    bin[0] = 0x7f; /* no '<' first: not XML */
    cordon_error err = {0};
    expect_failure(write_tmp("binary.xml", bin, sizeof bin), CORDON_ERR_PARSE, &err);
}

static void test_empty_file(void **state)
{
    UNUSED(state);
    cordon_error err = {0};
    const char *path = write_tmp("empty.xml", "", 0);
    assert_int_equal(expect_failure(path, CORDON_ERR_PARSE, &err), 1);
    assert_non_null(strstr(err.message, "empty"));
}

static void test_invalid_utf8(void **state)
{
    UNUSED(state);
    const char text[] = HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n"
                             "<FIRST_NAME>BAD \xC3\x28 NAME</FIRST_NAME>\n"
                             "</INDIVIDUAL>\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n";
    cordon_error err = {0};
    long line = expect_failure(write_tmp_str("utf8.xml", text), CORDON_ERR_PARSE, &err);
    assert_int_equal(line, 5);
    assert_non_null(strstr(err.message, "UTF-8"));
}

static void test_wrong_root(void **state)
{
    UNUSED(state);
    const char text[] = "<?xml version=\"1.0\"?>\n\n<sdnList><sdnEntry/></sdnList>\n";
    cordon_error err = {0};
    long line = expect_failure(write_tmp_str("root.xml", text), CORDON_ERR_PARSE, &err);
    assert_int_equal(line, 3);
    assert_non_null(strstr(err.message, "<sdnList>"));
    assert_non_null(strstr(err.message, "CONSOLIDATED_LIST"));
}

static void test_no_entries(void **state)
{
    UNUSED(state);
    cordon_error err = {0};
    const char text[] = HEAD "<INDIVIDUALS/>\n<ENTITIES/>\n</CONSOLIDATED_LIST>\n";
    expect_failure(write_tmp_str("none.xml", text), CORDON_ERR_PARSE, &err);
    assert_non_null(strstr(err.message, "no entities"));
    /* entries without any name count as none */
    const char nameless[] = HEAD "<INDIVIDUALS><INDIVIDUAL><FIRST_NAME/></INDIVIDUAL>"
                                 "<INDIVIDUAL/></INDIVIDUALS></CONSOLIDATED_LIST>\n";
    expect_failure(write_tmp_str("nameless.xml", nameless), CORDON_ERR_PARSE, &err);
    assert_non_null(strstr(err.message, "no entities"));
}

/* A text node of n bytes of 'A' in COMMENTS1, starting on line 5. */
static void big_text_case(size_t n, const char *name)
{
    const char pre[] = HEAD "<INDIVIDUALS>\n<INDIVIDUAL>\n<FIRST_NAME>X</FIRST_NAME><COMMENTS1>";
    const char post[] = "</COMMENTS1>\n</INDIVIDUAL>\n</INDIVIDUALS>\n</CONSOLIDATED_LIST>\n";
    size_t len = strlen(pre) + n + strlen(post);
    char *data = malloc(len);
    assert_non_null(data);
    memcpy(data, pre, strlen(pre));
    memset(data + strlen(pre), 'A', n);
    memcpy(data + strlen(pre) + n, post, strlen(post));
    const char *path = write_tmp(name, data, len);
    free(data);
    cordon_error err = {0};
    long line = expect_failure(path, CORDON_ERR_LIMIT, &err);
    assert_int_equal(line, 5);
    assert_non_null(strstr(err.message, "<COMMENTS1>"));
}

static void test_huge_text_node(void **state)
{
    UNUSED(state);
    big_text_case((size_t)10 << 20, "huge10.xml"); /* past libxml2's own 10 MB cap */
    big_text_case(READER_MAX_FIELD + 1, "huge1.xml"); /* past ours only */
}

static void test_missing_file(void **state)
{
    UNUSED(state);
    collect c = {0};
    cordon_error err = {0};
    char path[300];
    snprintf(path, sizeof path, "%s/does-not-exist.xml", tmpdir);
    assert_int_equal(read_file(path, &c, NULL, &err), CORDON_ERR_IO);
    assert_non_null(strstr(err.message, path));
}

static void test_sink_stops(void **state)
{
    UNUSED(state);
    collect c = {.stop_after = 10};
    cordon_error err = {0};
    assert_int_equal(read_file(UN_FILE, &c, NULL, &err), CORDON_ERR_ABORTED);
    assert_int_equal(c.total, 10);
    file_line_of(&err, UN_FILE);
    collect_free(&c);
}

/* External entities are never fetched: the name keeps no trace of /etc/hostname. */
static void test_no_external_entities(void **state)
{
    UNUSED(state);
    const char text[] = "<?xml version=\"1.0\"?>\n"
                        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">"
                        "<!ENTITY net SYSTEM \"http://127.0.0.1:9/x\">]>\n"
                        "<CONSOLIDATED_LIST><ENTITIES><ENTITY><FIRST_NAME>ACME &xxe;&net;"
                        "</FIRST_NAME><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></ENTITY>"
                        "</ENTITIES></CONSOLIDATED_LIST>\n";
    dumps x = {0};
    cordon_error err = {0};
    eb *b = eb_new("un", dump_all, &x);
    assert_int_equal(read_un_xml(write_tmp_str("xxe.xml", text), b, NULL, &err), CORDON_OK);
    eb_free(b);
    assert_int_equal(x.n, 1);
    has_line(x.d[0], "name=primary|ACME||||");
    free(x.d[0]);
}

int main(void)
{
    const struct CMUnitTest real_tests[] = {
        cmocka_unit_test(test_real_counts),
        cmocka_unit_test(test_real_identifier_totals),
        cmocka_unit_test(test_real_dprk_individual),
        cmocka_unit_test(test_real_dprk_entities),
        cmocka_unit_test(test_real_other_identifiers),
        cmocka_unit_test(test_real_birth_dates),
        cmocka_unit_test(test_real_original_script),
    };
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test(test_small_file_mapping),
        cmocka_unit_test(test_small_file_fields),
        cmocka_unit_test(test_truncated_file),
        cmocka_unit_test(test_binary_file),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_no_entries),
        cmocka_unit_test(test_huge_text_node),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_sink_stops),
        cmocka_unit_test(test_no_external_entities),
    };
    int failed = cmocka_run_group_tests_name("un_xml real file", real_tests, read_real, free_real);
    failed += cmocka_run_group_tests_name("un_xml small files", file_tests, make_tmpdir,
                                          remove_tmpdir);
    return failed;
}
