/* test_eu_fsf.c - the EU FSF 1.1 XML reader on its fixture (no real file is available
 * offline: tests/fixtures/eu/README.md) and on broken inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists/reader.h"

#define FIXTURE CORDON_TEST_DIR "/fixtures/eu/fsf_sample.xml"

#include "support/capture.h"

static cordon_status read_file(const char *path, capture *cap, cordon_source_meta *meta,
                               cordon_error *err)
{
    return capture_read(read_eu_fsf, "eu", path, cap, meta, err);
}

/* ---- fixture ------------------------------------------------------------------------- */

static capture fx;
static cordon_source_meta fx_meta;

static int load_fixture(void **state)
{
    cordon_error err;
    memset(&fx, 0, sizeof fx);
    cordon_status st = read_file(FIXTURE, &fx, &fx_meta, &err);
    if (st != CORDON_OK)
        fprintf(stderr, "fixture: %s\n", err.message);
    return st == CORDON_OK ? 0 : -1;
}

static int free_fixture(void **state)
{
    capture_free(&fx);
    return 0;
}

static const cap_entity *entity(const char *source_id)
{
    for (size_t i = 0; i < fx.n; i++)
        if (fx.ents[i].source_id && strcmp(fx.ents[i].source_id, source_id) == 0)
            return &fx.ents[i];
    fail_msg("no entity %s", source_id);
    return NULL;
}

static const cap_name *name(const cap_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0)
            return &e->names[i];
    fail_msg("%s has no name '%s'", e->source_id, full);
    return NULL;
}

static void assert_str_or_null(const char *got, const char *want)
{
    if (!want)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, want);
    }
}

static void assert_id(const cap_entity *e, size_t i, cordon_id_type type, const char *label,
                      const char *value, const char *country)
{
    assert_true(i < e->n_ids);
    assert_int_equal(e->ids[i].type, type);
    assert_str_or_null(e->ids[i].label, label);
    assert_string_equal(e->ids[i].value, value);
    assert_str_or_null(e->ids[i].country, country);
}

static void assert_addr(const cap_entity *e, size_t i, const char *text, const char *country)
{
    assert_true(i < e->n_addrs);
    assert_string_equal(e->addrs[i].text, text);
    assert_str_or_null(e->addrs[i].country, country);
}

static void assert_date(const cordon_date *d, int from, int to, int month, int day, int circa)
{
    assert_int_equal(d->year_from, from);
    assert_int_equal(d->year_to, to);
    assert_int_equal(d->month, month);
    assert_int_equal(d->day, day);
    assert_int_equal(d->circa, circa);
}

static void assert_one(char *const *list, size_t n, const char *want)
{
    assert_int_equal(n, 1);
    assert_string_equal(list[0], want);
}

static void test_fixture_counts(void **state)
{
    assert_int_equal(fx.n, 8);
    assert_string_equal(fx_meta.published, "2026-03-02");
    size_t persons = 0, orgs = 0;
    for (size_t i = 0; i < fx.n; i++) {
        persons += fx.ents[i].type == CORDON_TYPE_PERSON;
        orgs += fx.ents[i].type == CORDON_TYPE_ORGANIZATION;
    }
    assert_int_equal(persons, 2);
    assert_int_equal(orgs, 6);
    const char *order[] = {"EU.2657.15", "EU.4121.77", "EU.3911.52", "EU.3912.81",
                           "EU.1302.44", "EU.4300.10", "EU.7808.66", "EU.4512.33"};
    for (size_t i = 0; i < ARRAY_LEN(order); i++)
        assert_string_equal(fx.ents[i].source_id, order[i]);
}

static void test_komid(void **state)
{
    const cap_entity *e = entity("EU.2657.15");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_string_equal(e->listed_on, "2009-04-24");
    assert_null(e->gender);
    assert_int_equal(e->n_names, 5);
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    assert_string_equal(e->names[0].full, "KOREA MINING DEVELOPMENT TRADING CORPORATION");
    assert_null(e->names[0].given);
    assert_null(e->names[0].script);
    assert_int_equal(name(e, "CHANGGWANG SINYONG CORPORATION")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "EXTERNAL TECHNOLOGY GENERAL CORPORATION")->kind,
                     CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "KOMID")->kind, CORDON_NAME_WEAK_AKA);
    assert_int_equal(e->n_addrs, 1);
    assert_addr(e, 0, "Central District, Pyongyang", "KP");
    assert_int_equal(e->n_ids, 0);
    assert_one(e->progs, e->n_progs, "PRK");
    assert_one(e->regimes, e->n_regimes, "DPRK");
    assert_string_equal(e->remarks, "UN reference KPe.001; Primary arms dealer and main exporter "
                                    "of goods and equipment related to ballistic missiles and "
                                    "conventional weapons.");
    assert_int_equal(e->n_dates, 0);
    assert_int_equal(e->n_nats, 0);
}

static void test_person_two_birth_dates(void **state)
{
    const cap_entity *e = entity("EU.4121.77");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->listed_on, "2016-11-30");
    assert_string_equal(e->gender, "male");
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[0].full, "Kim Song Chol");
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    assert_string_equal(e->names[0].given, "Song Chol");
    assert_null(e->names[0].middle);
    assert_string_equal(e->names[0].family, "Kim");
    const cap_name *aka = name(e, "Kim Hak Song");
    assert_int_equal(aka->kind, CORDON_NAME_STRONG_AKA);
    assert_string_equal(aka->given, "Hak Song");
    assert_int_equal(e->n_dates, 2);
    assert_date(&e->dates[0], 1968, 1968, 3, 26, 0);
    assert_date(&e->dates[1], 1970, 1970, 10, 15, 0);
    assert_int_equal(e->n_places, 0); /* city empty, country "00" */
    assert_int_equal(e->n_ids, 2);
    assert_id(e, 0, CORDON_ID_PASSPORT, "National passport", "381420565", "KP");
    assert_id(e, 1, CORDON_ID_PASSPORT, "National passport", "654120219", "KP");
    assert_one(e->nats, e->n_nats, "KP");
    assert_one(e->cits, e->n_cits, "KP");
    assert_one(e->regimes, e->n_regimes, "DPRK");
    /* The function both aliases repeat is kept once; the identification's own remark is not
     * the entity's. */
    assert_string_equal(e->remarks, "UN reference KPi.030; KOMID official who has conducted "
                                    "business in Sudan on behalf of KOMID's interests.; "
                                    "Function: KOMID official");
}

static void test_listing_date_from_regulation(void **state)
{
    const cap_entity *e = entity("EU.3911.52");
    /* No designationDate: the earliest regulation publication date stands in. */
    assert_string_equal(e->listed_on, "2014-08-06");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].full, "OCEAN MARITIME MANAGEMENT COMPANY, LIMITED (OMM)");
    assert_int_equal(name(e, "Korea Mirae Shipping Co. Ltd")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(e->n_ids, 1);
    assert_id(e, 0, CORDON_ID_IMO, "IMO Number", "1790183", NULL);
    assert_int_equal(e->n_addrs, 2);
    assert_addr(e, 0, "Donghung Dong, Central District, PO Box 120, Pyongyang", "KP");
    assert_addr(e, 1, "Dongheung-dong Changgwang Street, Chung-Ku, PO Box 125, Pyongyang", "KP");
    assert_one(e->progs, e->n_progs, "PRK"); /* two regulations, one programme */
    assert_one(e->regimes, e->n_regimes, "DPRK");
}

static void test_vessel_like_enterprise(void **state)
{
    const cap_entity *e = entity("EU.3912.81");
    /* The FSF has no vessel subject type: an enterprise stays an organisation. */
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 1);
    assert_string_equal(e->names[0].full, "CHONG CHON GANG");
    assert_int_equal(e->n_ids, 1);
    assert_id(e, 0, CORDON_ID_IMO, "IMO Number", "7937317", "KP");
    assert_string_equal(e->listed_on, "2014-07-28");
    assert_string_equal(e->remarks,
                        "General cargo vessel, flag DPRK, operated by Ocean Maritime Management "
                        "Company.");
}

static void test_iranian_entity(void **state)
{
    const cap_entity *e = entity("EU.1302.44");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_string_equal(e->listed_on, "2007-04-23");
    assert_string_equal(e->names[0].full, "Shahid Hemmat Industrial Group");
    assert_int_equal(name(e, "SHIG")->kind, CORDON_NAME_WEAK_AKA);
    assert_one(e->progs, e->n_progs, "IRN");
    assert_one(e->regimes, e->n_regimes, "IRAN");
    assert_int_equal(e->n_addrs, 1);
    assert_addr(e, 0, "Damavand Tehran Highway, Tehran", "IR");
}

static void test_year_and_circa_birth_dates(void **state)
{
    const cap_entity *e = entity("EU.4300.10");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->gender, "male");
    assert_int_equal(e->n_dates, 2);
    assert_date(&e->dates[0], 1954, 1954, 0, 0, 0);
    assert_date(&e->dates[1], 1955, 1955, 0, 0, 1);
    assert_int_equal(e->n_places, 1);
    assert_string_equal(e->places[0], country_name("KP"));
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[0].full, "CHOE HWI");
    /* A nameAlias without wholeName: the parts make the name. */
    const cap_name *parts = name(e, "Hwi Ch'oe");
    assert_int_equal(parts->kind, CORDON_NAME_STRONG_AKA);
    assert_string_equal(parts->given, "Hwi");
    assert_string_equal(parts->family, "Ch'oe");
    assert_one(e->nats, e->n_nats, "KP");
    assert_non_null(strstr(e->remarks, "Function: First Vice-Director of the Workers' Party"));
}

static void test_cyrillic_alias(void **state)
{
    const cap_entity *e = entity("EU.7808.66");
    assert_int_equal(e->n_names, 3);
    /* The Cyrillic alias comes first in the file; the Latin one is the primary name. */
    assert_string_equal(e->names[0].full, "JSC ROSOBORONEXPORT");
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    const cap_name *cyr = name(e, "АО Рособоронэкспорт");
    assert_int_equal(cyr->kind, CORDON_NAME_ORIGINAL);
    assert_string_equal(cyr->script, "Cyrl");
    assert_int_equal(name(e, "Rosoboroneksport")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(e->n_ids, 2);
    assert_id(e, 0, CORDON_ID_REGISTRATION, "Registration Number", "1117746521452", "RU");
    assert_id(e, 1, CORDON_ID_TAX_ID, "Fiscal Code", "7718852163", "RU");
    assert_addr(e, 0, "27 Stromynka Street, 107076, Moscow", "RU");
    assert_one(e->progs, e->n_progs, "UKR");
    const char *regime = regime_of_program("UKR");
    if (regime)
        assert_one(e->regimes, e->n_regimes, regime);
    else
        assert_int_equal(e->n_regimes, 0);
}

static void test_bank_swift(void **state)
{
    const cap_entity *e = entity("EU.4512.33");
    assert_string_equal(e->names[0].full,
                        "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA");
    assert_int_equal(name(e, "Foreign Trade Bank")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "FTB")->kind, CORDON_NAME_WEAK_AKA);
    assert_int_equal(e->n_ids, 1);
    assert_id(e, 0, CORDON_ID_SWIFT_BIC, "SWIFT BIC", "FTBDKPPY", "KP");
    assert_addr(e, 0, "FTB Building, Jungsong-dong, Central District, Pyongyang", "KP");
    assert_string_equal(e->listed_on, "2017-08-05");
    assert_one(e->regimes, e->n_regimes, "DPRK");
}

/* ---- bad inputs ------------------------------------------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon_eu_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmp(const char *fname, const void *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, fname);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static const char *write_str(const char *fname, const char *s)
{
    return write_tmp(fname, s, strlen(s));
}

/* Asserts that msg starts with "path:LINE:" and returns LINE. */
static long assert_names_line(const char *msg, const char *path)
{
    size_t n = strlen(path);
    if (strncmp(msg, path, n) != 0 || msg[n] != ':' || !isdigit((unsigned char)msg[n + 1]))
        fail_msg("message does not name %s:LINE: %s", path, msg);
    return strtol(msg + n + 1, NULL, 10);
}

static long expect_error(const char *path, cordon_status want, const char *words)
{
    capture cap = {0};
    cordon_error err;
    cordon_source_meta meta = {{0}};
    cordon_status st = read_file(path, &cap, &meta, &err);
    capture_free(&cap);
    if (st != want)
        fail_msg("%s: status %d, want %d: %s", path, st, want, err.message);
    assert_int_equal(err.status, want);
    if (words && !strstr(err.message, words))
        fail_msg("message lacks '%s': %s", words, err.message);
    return assert_names_line(err.message, path);
}

static char *fixture_bytes(size_t *n)
{
    char *data;
    cordon_error err;
    assert_int_equal(file_read_all(FIXTURE, 1 << 20, &data, n, &err), CORDON_OK);
    return data;
}

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<export generationDate=\"2026-01-01\">\n"

static void test_empty_file(void **state)
{
    assert_int_equal(expect_error(write_str("empty.xml", ""), CORDON_ERR_PARSE, "empty"), 1);
}

static void test_truncated(void **state)
{
    size_t n;
    char *data = fixture_bytes(&n);
    const char *path = write_tmp("truncated.xml", data, n / 2);
    free(data);
    assert_true(expect_error(path, CORDON_ERR_PARSE, "looks truncated") > 10);
}

static void test_invalid_utf8(void **state)
{
    const char *path = write_str(
        "utf8.xml", HEAD "<sanctionEntity logicalId=\"1\">\n"
                         "<nameAlias wholeName=\"KIM \xff\xfe JONG\" strong=\"true\"/>\n"
                         "</sanctionEntity>\n</export>\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "UTF-8"), 4);
}

static void test_binary_file(void **state)
{
    unsigned char data[4096];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof data; i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        data[i] = (unsigned char)x;
    }
    data[0] = 0x7f, data[1] = 'E', data[2] = 'L', data[3] = 'F', data[4] = 0;
    assert_int_equal(expect_error(write_tmp("binary.xml", data, sizeof data), CORDON_ERR_PARSE,
                                  "malformed XML"),
                     1);
}

static char *long_attr_file(size_t len, size_t *n)
{
    const char *pre = HEAD "<sanctionEntity logicalId=\"1\">\n<nameAlias wholeName=\"";
    const char *post = "\" strong=\"true\"/>\n</sanctionEntity>\n</export>\n";
    *n = strlen(pre) + len + strlen(post);
    char *s = malloc(*n);
    assert_non_null(s);
    memcpy(s, pre, strlen(pre));
    memset(s + strlen(pre), 'A', len);
    memcpy(s + strlen(pre) + len, post, strlen(post));
    return s;
}

static void test_field_over_limit(void **state)
{
    size_t n;
    char *s = long_attr_file(2u << 20, &n); /* 2 MiB: over our 1 MiB field limit */
    const char *path = write_tmp("long.xml", s, n);
    free(s);
    assert_int_equal(expect_error(path, CORDON_ERR_LIMIT, "wholeName"), 4);
}

static void test_10mb_field(void **state)
{
    size_t n;
    char *s = long_attr_file(10u << 20, &n); /* libxml2 itself refuses values this long */
    const char *path = write_tmp("huge.xml", s, n);
    free(s);
    capture cap = {0};
    cordon_error err;
    cordon_status st = read_file(path, &cap, NULL, &err);
    assert_true(st == CORDON_ERR_PARSE || st == CORDON_ERR_LIMIT);
    assert_true(assert_names_line(err.message, path) >= 3);
    assert_int_equal(cap.n, 0);
}

static void test_wrong_root(void **state)
{
    const char *path = write_str("root.xml", "<?xml version=\"1.0\"?>\n\n<sdnList>\n"
                                             "<sdnEntry/></sdnList>\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "root element is <sdnList>"), 3);
}

static void test_no_entities(void **state)
{
    const char *path = write_str("none.xml", HEAD "</export>\n");
    expect_error(path, CORDON_ERR_PARSE, "no entities");
}

static void test_doctype_refused(void **state)
{
    const char *path = write_str(
        "dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE export [\n<!ENTITY a \"aaaaaaaaaa\">\n"
                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n]>\n"
                   "<export><sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"&b;\"/>"
                   "</sanctionEntity></export>\n");
    expect_error(path, CORDON_ERR_PARSE, "DTD");
}

static void test_missing_file(void **state)
{
    capture cap = {0};
    cordon_error err;
    char path[128];
    snprintf(path, sizeof path, "%s/does-not-exist.xml", tmpdir);
    assert_int_equal(read_file(path, &cap, NULL, &err), CORDON_ERR_IO);
    assert_non_null(strstr(err.message, path));
}

static void test_nameless_entity_skipped(void **state)
{
    const char *path = write_str(
        "nameless.xml", HEAD "<sanctionEntity logicalId=\"1\"><subjectType code=\"person\"/>"
                             "</sanctionEntity>\n<sanctionEntity logicalId=\"2\"/>\n"
                             "<sanctionEntity logicalId=\"3\"><nameAlias wholeName=\"ACME\"/>"
                             "</sanctionEntity>\n</export>\n");
    capture cap = {0};
    cordon_error err;
    assert_int_equal(read_file(path, &cap, NULL, &err), CORDON_OK);
    assert_int_equal(cap.n, 1);
    assert_string_equal(cap.ents[0].source_id, "3");
    assert_int_equal(cap.ents[0].type, CORDON_TYPE_UNKNOWN);
    capture_free(&cap);
}

static void test_sink_stops(void **state)
{
    capture cap = {.stop_after = 2};
    cordon_error err;
    assert_int_equal(read_file(FIXTURE, &cap, NULL, &err), CORDON_ERR_ABORTED);
    assert_int_equal(cap.n, 2);
    assert_names_line(err.message, FIXTURE);
    capture_free(&cap);
}

/* The library never prints: libxml2's messages must not reach stderr. */
static void test_nothing_printed(void **state)
{
    char log[128];
    snprintf(log, sizeof log, "%s/stderr.log", tmpdir);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, 2);
    close(fd);
    size_t n;
    char *data = fixture_bytes(&n);
    char inputs[7][128]; /* write_tmp reuses one buffer: keep copies */
    snprintf(inputs[0], 128, "%s", write_tmp("t1.xml", data, n / 3));
    snprintf(inputs[1], 128, "%s", write_str("t2.xml", HEAD "<a>\xff</a></export>"));
    snprintf(inputs[2], 128, "%s", write_str("t3.xml", "<export><sanctionEntity></export>"));
    snprintf(inputs[3], 128, "%s",
             write_str("t4.xml", "<?xml version=\"1.0\" encoding=\"NOPE-9\"?><export/>"));
    snprintf(inputs[4], 128, "%s",
             write_str("t5.xml", "<!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\"><export/>"));
    snprintf(inputs[5], 128, "%s",
             write_str("t6.xml", "<e:export xmlns:f=\"urn:x\"><g:sanctionEntity/></e:export>"));
    /* Found by the fuzzer: UCS-4 detection, then bytes the converter rejects; the encoding
     * layer reports through libxml2's global handler. */
    snprintf(inputs[6], 128, "%s",
             write_tmp("t7.xml", "<\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0/s\0td>", 23));
    free(data);
    for (size_t i = 0; i < ARRAY_LEN(inputs); i++) {
        capture cap = {0};
        cordon_error err;
        assert_int_not_equal(read_file(inputs[i], &cap, NULL, &err), CORDON_OK);
        assert_names_line(err.message, inputs[i]);
        capture_free(&cap);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    struct stat st;
    assert_int_equal(stat(log, &st), 0);
    assert_int_equal(st.st_size, 0);
}

int main(void)
{
    const struct CMUnitTest fixture_tests[] = {
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_komid),
        cmocka_unit_test(test_person_two_birth_dates),
        cmocka_unit_test(test_listing_date_from_regulation),
        cmocka_unit_test(test_vessel_like_enterprise),
        cmocka_unit_test(test_iranian_entity),
        cmocka_unit_test(test_year_and_circa_birth_dates),
        cmocka_unit_test(test_cyrillic_alias),
        cmocka_unit_test(test_bank_swift),
    };
    const struct CMUnitTest bad_tests[] = {
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_binary_file),
        cmocka_unit_test(test_field_over_limit),
        cmocka_unit_test(test_10mb_field),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_no_entities),
        cmocka_unit_test(test_doctype_refused),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_nameless_entity_skipped),
        cmocka_unit_test(test_sink_stops),
        cmocka_unit_test(test_nothing_printed),
    };
    int failed = cmocka_run_group_tests_name("eu_fsf fixture", fixture_tests, load_fixture,
                                             free_fixture);
    failed += cmocka_run_group_tests_name("eu_fsf bad input", bad_tests, make_tmpdir,
                                          remove_tmpdir);
    return failed ? 1 : 0;
}
