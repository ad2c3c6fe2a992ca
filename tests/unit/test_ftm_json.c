/* test_ftm_json.c - the FollowTheMoney JSON-lines reader (OpenSanctions entities.ftm.json) on
 * its fixture (tests/fixtures/ftm/README.md) and on broken inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lists/reader.h"

#define FIXTURE CORDON_TEST_DIR "/fixtures/ftm/entities.ftm.json"

#include "support/capture.h"

static cordon_status read_file(const char *path, capture *cap, cordon_source_meta *meta,
                               cordon_error *err)
{
    return capture_read(read_ftm_json, "os", path, cap, meta, err);
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

static const cap_entity *find(const capture *cap, const char *source_id)
{
    for (size_t i = 0; i < cap->n; i++)
        if (cap->ents[i].source_id && strcmp(cap->ents[i].source_id, source_id) == 0)
            return &cap->ents[i];
    return NULL;
}

static const cap_entity *entity(const char *source_id)
{
    const cap_entity *e = find(&fx, source_id);
    if (!e)
        fail_msg("no entity %s", source_id);
    return e;
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
                      const char *value)
{
    assert_true(i < e->n_ids);
    assert_int_equal(e->ids[i].type, type);
    assert_str_or_null(e->ids[i].label, label);
    assert_string_equal(e->ids[i].value, value);
    assert_null(e->ids[i].country); /* FtM identifiers carry no issuing country */
}

static void assert_addr(const cap_entity *e, size_t i, const char *text, const char *country)
{
    assert_true(i < e->n_addrs);
    assert_string_equal(e->addrs[i].text, text);
    assert_str_or_null(e->addrs[i].country, country);
}

static void assert_date(const cordon_date *d, int year, int month, int day)
{
    assert_int_equal(d->year_from, year);
    assert_int_equal(d->year_to, year);
    assert_int_equal(d->month, month);
    assert_int_equal(d->day, day);
    assert_int_equal(d->circa, 0);
}

static void assert_list(char *const *list, size_t n, size_t want_n, ...)
{
    assert_int_equal(n, want_n);
    va_list ap;
    va_start(ap, want_n);
    for (size_t i = 0; i < want_n; i++)
        assert_string_equal(list[i], va_arg(ap, const char *));
    va_end(ap);
}

#define KIM "NK-5ixQ7ZqYz3bLJyPqL9tA2k"
#define KOMID "NK-3Gd8UvzXb6iL1ZpBMqN4pV"
#define FTB "NK-8cH2sQwRt7YkPmV3nB5xLa"
#define VESSEL "NK-2pR9tYkWq4LzXc8vN6mBsD"
#define SHIG "NK-7LmQ2wErT5yUiOp3AsDfGh"
#define RI "NK-9QwErTyUiOpAsDfGhJkLzX"
#define PLANE "NK-4ZxCvBnMaSdFgHjKlQwErT"
#define ROE "NK-6YhNuJmIkOlPqAzWsXeDcR"
#define TSANG "NK-1QaZ2WsX3EdC4RfV5TgB6y"

static void test_fixture_counts(void **state)
{
    /* 13 lines: 9 parties; Sanction, Address, Ownership and Passport are skipped. */
    assert_int_equal(fx.n, 9);
    const char *order[] = {KIM, KOMID, FTB, VESSEL, SHIG, RI, PLANE, ROE, TSANG};
    for (size_t i = 0; i < ARRAY_LEN(order); i++)
        assert_string_equal(fx.ents[i].source_id, order[i]);
    size_t by_type[CORDON_TYPE_COUNT] = {0};
    for (size_t i = 0; i < fx.n; i++)
        by_type[fx.ents[i].type]++;
    assert_int_equal(by_type[CORDON_TYPE_PERSON], 3);
    assert_int_equal(by_type[CORDON_TYPE_ORGANIZATION], 4);
    assert_int_equal(by_type[CORDON_TYPE_VESSEL], 1);
    assert_int_equal(by_type[CORDON_TYPE_AIRCRAFT], 1);
    assert_int_equal(by_type[CORDON_TYPE_UNKNOWN], 0);
    assert_string_equal(fx_meta.published, ""); /* the format states none */
}

static void test_person(void **state)
{
    const cap_entity *e = entity(KIM);
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_int_equal(e->n_names, 3);
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    assert_string_equal(e->names[0].full, "KIM SONG CHOL");
    assert_string_equal(e->names[0].given, "Song Chol");
    assert_null(e->names[0].middle);
    assert_string_equal(e->names[0].family, "Kim");
    assert_int_equal(name(e, "Kim Song Chol")->kind, CORDON_NAME_STRONG_AKA);
    const cap_name *aka = name(e, "Kim Hak Song");
    assert_int_equal(aka->kind, CORDON_NAME_STRONG_AKA);
    assert_null(aka->given);
    assert_string_equal(e->gender, "male");
    assert_int_equal(e->n_dates, 2);
    assert_date(&e->dates[0], 1968, 3, 26);
    assert_date(&e->dates[1], 1970, 10, 15);
    assert_int_equal(e->n_ids, 2);
    assert_id(e, 0, CORDON_ID_PASSPORT, "Passport number", "381420565");
    assert_id(e, 1, CORDON_ID_PASSPORT, "Passport number", "654120219");
    assert_list(e->nats, e->n_nats, 1, "KP");
    assert_int_equal(e->n_cits, 0);
    assert_int_equal(e->n_addrs, 0);
    assert_list(e->progs, e->n_progs, 1, "DPRK3");
    assert_list(e->regimes, e->n_regimes, 1, "DPRK");
    assert_string_equal(e->listed_on, "2016-11-30");
    assert_string_equal(e->remarks, "Position: KOMID official; KOMID official that has "
                                    "conducted business in Sudan on behalf of KOMID's "
                                    "interests.");
}

static void test_company_weak_alias(void **state)
{
    const cap_entity *e = entity(KOMID);
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].full, "Korea Mining Development Trading Corporation");
    assert_int_equal(name(e, "Changgwang Sinyong Corporation")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "External Technology General Corporation")->kind,
                     CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "KOMID")->kind, CORDON_NAME_WEAK_AKA);
    /* One country: the address gets it; no second, country-only address. */
    assert_int_equal(e->n_addrs, 1);
    assert_addr(e, 0, "Central District, Pyongyang", "KP");
    assert_int_equal(e->n_nats, 0);
    assert_list(e->progs, e->n_progs, 2, "DPRK",
                "Democratic People's Republic of Korea (DPRK) - UNSCR 1718");
    assert_list(e->regimes, e->n_regimes, 1, "DPRK");
    assert_string_equal(e->listed_on, "2009-04-24"); /* the earliest createdAt */
    assert_int_equal(e->n_ids, 0);
    assert_null(e->gender);
}

static void test_bank(void **state)
{
    const cap_entity *e = entity(FTB);
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 4);
    assert_int_equal(name(e, "FTB")->kind, CORDON_NAME_WEAK_AKA);
    assert_int_equal(e->n_ids, 1);
    assert_id(e, 0, CORDON_ID_SWIFT_BIC, "SWIFT/BIC", "FTBDKPPY");
    assert_list(e->nats, e->n_nats, 1, "KP"); /* jurisdiction */
    assert_addr(e, 0, "FTB Building, Jungsong-dong, Central District, Pyongyang", "KP");
    assert_list(e->progs, e->n_progs, 2, "DPRK2", "NKSR");
    assert_list(e->regimes, e->n_regimes, 1, "DPRK");
    assert_null(e->listed_on);
}

static void test_vessel(void **state)
{
    const cap_entity *e = entity(VESSEL);
    assert_int_equal(e->type, CORDON_TYPE_VESSEL);
    assert_int_equal(e->n_names, 2);
    assert_string_equal(e->names[0].full, "CHONG CHON GANG");
    assert_int_equal(name(e, "CHONG CHON GANG 1")->kind, CORDON_NAME_FORMER);
    assert_int_equal(e->n_ids, 3);
    assert_id(e, 0, CORDON_ID_IMO, "IMO Number", "IMO7937317");
    assert_id(e, 1, CORDON_ID_MMSI, "MMSI", "445114000");
    assert_id(e, 2, CORDON_ID_CALL_SIGN, "Call Sign", "HMZF");
    assert_list(e->nats, e->n_nats, 1, "KP"); /* flag */
    assert_int_equal(e->n_addrs, 0);
    assert_list(e->regimes, e->n_regimes, 1, "DPRK");
}

static void test_legal_entity_arabic_script(void **state)
{
    const cap_entity *e = entity(SHIG);
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].full, "Shahid Hemmat Industrial Group");
    const cap_name *fa = name(e, "گروه صنعتی شهید همت");
    assert_int_equal(fa->kind, CORDON_NAME_ORIGINAL);
    assert_string_equal(fa->script, "Arab");
    assert_int_equal(name(e, "SHIG")->kind, CORDON_NAME_WEAK_AKA);
    assert_addr(e, 0, "Damavand Tehran Highway, Tehran", "IR");
    assert_list(e->progs, e->n_progs, 2, "NPWMD", "IFSR");
    assert_list(e->regimes, e->n_regimes, 2, "NONPROLIFERATION", "IRAN");
}

static void test_hangul_name_first(void **state)
{
    const cap_entity *e = entity(RI);
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_int_equal(e->n_names, 3);
    /* The Hangul name is listed first; the Latin one is the primary. */
    assert_string_equal(e->names[0].full, "RI SU YONG");
    assert_int_equal(e->names[0].kind, CORDON_NAME_PRIMARY);
    const cap_name *ko = name(e, "리수용");
    assert_int_equal(ko->kind, CORDON_NAME_ORIGINAL);
    assert_string_equal(ko->script, "Hang");
    assert_int_equal(name(e, "Ri Su-yong")->kind, CORDON_NAME_WEAK_AKA);
    assert_int_equal(e->n_dates, 1);
    assert_date(&e->dates[0], 1968, 6, 25);
    assert_id(e, 0, CORDON_ID_PASSPORT, "Passport number", "654310175");
    assert_list(e->nats, e->n_nats, 1, "KP");
    assert_list(e->cits, e->n_cits, 1, "KP");
    assert_list(e->places, e->n_places, 1, country_name("KP")); /* birthCountry */
    assert_int_equal(e->n_regimes, 0);
    assert_int_equal(e->n_progs, 0);
    assert_string_equal(e->remarks, "Position: Official for Korea Ryonbong General Corporation");
}

static void test_airplane(void **state)
{
    const cap_entity *e = entity(PLANE);
    assert_int_equal(e->type, CORDON_TYPE_AIRCRAFT);
    assert_string_equal(e->names[0].full, "Airbus A340-642 EP-MMK");
    assert_int_equal(e->n_ids, 2);
    assert_id(e, 0, CORDON_ID_AIRCRAFT_TAIL, "Registration number", "EP-MMK");
    assert_id(e, 1, CORDON_ID_AIRCRAFT_SERIAL, "Serial Number", "615");
    assert_int_equal(e->n_addrs, 1);
    assert_addr(e, 0, "", "IR"); /* a country without an address */
    assert_list(e->regimes, e->n_regimes, 1, "IRAN");
}

static void test_company_identifiers(void **state)
{
    const cap_entity *e = entity(ROE);
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_int_equal(e->n_names, 4);
    assert_string_equal(e->names[0].full, "JSC Rosoboronexport");
    const cap_name *ru = name(e, "АО Рособоронэкспорт");
    assert_int_equal(ru->kind, CORDON_NAME_ORIGINAL);
    assert_string_equal(ru->script, "Cyrl");
    assert_int_equal(name(e, "Rosoboroneksport")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name(e, "FSUE Rosoboronexport")->kind, CORDON_NAME_FORMER);
    /* taxNumber and innCode hold the same number: one tax id. */
    assert_int_equal(e->n_ids, 5);
    assert_id(e, 0, CORDON_ID_TAX_ID, "Tax Number", "7718852163");
    assert_id(e, 1, CORDON_ID_REGISTRATION, "OGRN", "1117746521452");
    assert_id(e, 2, CORDON_ID_EMAIL, "E-Mail", "rusexport@roe.ru");
    assert_id(e, 3, CORDON_ID_PHONE, "Phone", "+74955346183");
    assert_id(e, 4, CORDON_ID_WEBSITE, "Website", "http://roe.ru");
    assert_list(e->nats, e->n_nats, 1, "RU");
    assert_int_equal(e->n_addrs, 1);
    assert_addr(e, 0, "27 Stromynka St., Moscow, 107076", "RU");
    assert_list(e->regimes, e->n_regimes, 1, "RUSSIA");
    assert_string_equal(e->listed_on, "2011-02-10");
}

static void test_person_name_parts(void **state)
{
    const cap_entity *e = entity(TSANG);
    assert_int_equal(e->n_names, 3);
    assert_string_equal(e->names[0].full, "TSANG YUNG YUAN");
    assert_string_equal(e->names[0].given, "YUNG YUAN");
    assert_string_equal(e->names[0].family, "TSANG");
    assert_int_equal(name(e, "Neil Tsang")->kind, CORDON_NAME_STRONG_AKA);
    assert_list(e->nats, e->n_nats, 1, "TW");
    assert_id(e, 0, CORDON_ID_PASSPORT, "Passport number", "302001581");
    assert_date(&e->dates[0], 1957, 10, 20);
    assert_list(e->regimes, e->n_regimes, 1, "DPRK");
    assert_string_equal(e->listed_on, "2018-03-30");
}

static void test_skipped_schemas(void **state)
{
    assert_null(find(&fx, "unsc-6908513-sanction"));
    assert_null(find(&fx, "addr-3b6f0c9a1e2d4f5a6b7c8d9e0f1a2b3c"));
    assert_null(find(&fx, "ofac-own-6a1b2c3d4e5f"));
    assert_null(find(&fx, "unsc-6908690-passport"));
}

/* ---- small synthetic inputs ------------------------------------------------------------ */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon_ftm_XXXXXX");
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

static void test_name_parts_and_other_ids(void **state)
{
    const char *path = write_str(
        "parts.json",
        "{\"id\":\"p1\",\"schema\":\"Person\",\"properties\":{\"firstName\":[\"Song\"],"
        "\"middleName\":[\"Il\"],\"lastName\":[\"Pak\"],\"idNumber\":[\"ID-1\"],"
        "\"taxNumber\":[\"T-2\"],\"birthPlace\":[\"Hamhung\"],\"birthDate\":[\"1970\"],"
        "\"gender\":[\"female\"]}}\n"
        "{\"id\":\"p2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Two Firsts\"],"
        "\"firstName\":[\"Two\",\"Deux\"],\"lastName\":[\"Firsts\"]}}\n");
    capture cap = {0};
    cordon_error err;
    assert_int_equal(read_file(path, &cap, NULL, &err), CORDON_OK);
    assert_int_equal(cap.n, 2);
    const cap_entity *e = &cap.ents[0];
    /* No `name`: the parts make one. */
    assert_string_equal(e->names[0].full, "Song Il Pak");
    assert_string_equal(e->names[0].given, "Song");
    assert_string_equal(e->names[0].middle, "Il");
    assert_string_equal(e->names[0].family, "Pak");
    assert_id(e, 0, CORDON_ID_NATIONAL_ID, "ID Number", "ID-1");
    assert_id(e, 1, CORDON_ID_TAX_ID, "Tax Number", "T-2");
    assert_list(e->places, e->n_places, 1, "Hamhung");
    assert_int_equal(e->dates[0].year_from, 1970);
    assert_int_equal(e->dates[0].month, 0);
    assert_string_equal(e->gender, "female");
    /* Two first names: which goes with the name is unknown, so it is not split out. */
    assert_null(cap.ents[1].names[0].given);
    assert_string_equal(cap.ents[1].names[0].family, "Firsts");
    capture_free(&cap);
}

static void test_bom_crlf_blank_lines(void **state)
{
    const char *path = write_str("crlf.json",
                                 "\xEF\xBB\xBF{\"id\":\"a\",\"schema\":\"Company\",\"properties\":"
                                 "{\"name\":[\"ACME\"],\"country\":[\"kp\",\"cn\"]}}\r\n"
                                 "\r\n   \n"
                                 "{\"id\":\"b\",\"schema\":\"Person\"}\r\n");
    capture cap = {0};
    cordon_error err;
    assert_int_equal(read_file(path, &cap, NULL, &err), CORDON_OK);
    assert_int_equal(cap.n, 1); /* "b" has no name: skipped by the builder */
    assert_string_equal(cap.ents[0].source_id, "a");
    /* Two countries and no address: one country-only address each. */
    assert_int_equal(cap.ents[0].n_addrs, 2);
    assert_addr(&cap.ents[0], 0, "", "KP");
    assert_addr(&cap.ents[0], 1, "", "CN");
    capture_free(&cap);
}

/* ---- bad inputs ------------------------------------------------------------------------- */

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
    cordon_status st = read_file(path, &cap, NULL, &err);
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

#define LINE1 "{\"id\":\"a\",\"schema\":\"Company\",\"properties\":{\"name\":[\"ACME\"]}}\n"

static void test_empty_file(void **state)
{
    assert_int_equal(expect_error(write_str("empty.json", ""), CORDON_ERR_PARSE, "empty"), 1);
}

static void test_truncated(void **state)
{
    size_t n;
    char *data = fixture_bytes(&n);
    size_t cut = 0; /* the middle of line 5 */
    for (int nl = 0; cut < n && nl < 4; cut++)
        nl += data[cut] == '\n';
    cut += 40;
    const char *path = write_tmp("truncated.json", data, cut);
    free(data);
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "invalid JSON at column"), 5);
}

static void test_invalid_utf8(void **state)
{
    const char *path =
        write_str("utf8.json", LINE1 "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":"
                                     "{\"name\":[\"KIM \xff\xfe JONG\"]}}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "UTF-8"), 2);
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
    assert_int_equal(expect_error(write_tmp("binary.json", data, sizeof data), CORDON_ERR_PARSE,
                                  "NUL byte at byte 5"),
                     1);
}

static const char *long_value_file(const char *fname, size_t len)
{
    const char *pre = LINE1 "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"";
    const char *post = "\"]}}\n";
    size_t n = strlen(pre) + len + strlen(post);
    char *s = malloc(n);
    assert_non_null(s);
    memcpy(s, pre, strlen(pre));
    memset(s + strlen(pre), 'A', len);
    memcpy(s + strlen(pre) + len, post, strlen(post));
    const char *path = write_tmp(fname, s, n);
    free(s);
    return path;
}

static void test_10mb_field(void **state)
{
    const char *path = long_value_file("huge.json", 10u << 20);
    assert_int_equal(expect_error(path, CORDON_ERR_LIMIT, "line longer than"), 2);
}

static void test_field_over_limit(void **state)
{
    const char *path = long_value_file("long.json", 2u << 20); /* a short enough line */
    assert_int_equal(expect_error(path, CORDON_ERR_LIMIT, "property \"name\""), 2);
}

static void test_not_an_object(void **state)
{
    const char *path = write_str("array.json", LINE1 LINE1 "[{\"id\":\"a\"}]\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "not an object"), 3);
    path = write_str("scalar.json", LINE1 "42\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "invalid JSON"), 2);
}

static void test_missing_id(void **state)
{
    const char *path = write_str("noid.json", LINE1 "{\"schema\":\"Person\",\"properties\":"
                                                    "{\"name\":[\"X\"]}}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "no \"id\""), 2);
    path = write_str("numid.json", LINE1 LINE1 "{\"id\":7,\"schema\":\"Person\"}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "no \"id\""), 3);
}

static void test_missing_schema(void **state)
{
    const char *path = write_str("noschema.json", LINE1 "{\"id\":\"x-1\",\"properties\":{}}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "entity x-1 has no \"schema\""), 2);
}

static void test_properties_not_object(void **state)
{
    const char *path = write_str("props.json", "{\"id\":\"x-2\",\"schema\":\"Company\","
                                               "\"properties\":[\"ACME\"]}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "\"properties\" is an array"), 1);
}

static void test_no_parties(void **state)
{
    const char *path = write_str(
        "noparty.json", "{\"id\":\"s\",\"schema\":\"Sanction\",\"properties\":{}}\n"
                        "{\"id\":\"o\",\"schema\":\"Ownership\",\"properties\":{}}\n");
    assert_int_equal(expect_error(path, CORDON_ERR_PARSE, "no entities"), 2);
}

static void test_missing_file(void **state)
{
    capture cap = {0};
    cordon_error err;
    char path[128];
    snprintf(path, sizeof path, "%s/does-not-exist.json", tmpdir);
    assert_int_equal(read_file(path, &cap, NULL, &err), CORDON_ERR_IO);
    assert_non_null(strstr(err.message, path));
}

static void test_sink_stops(void **state)
{
    capture cap = {.stop_after = 3};
    cordon_error err;
    assert_int_equal(read_file(FIXTURE, &cap, NULL, &err), CORDON_ERR_ABORTED);
    assert_int_equal(cap.n, 3);
    assert_int_equal(assert_names_line(err.message, FIXTURE), 4); /* FTB is on line 4 */
    capture_free(&cap);
}

int main(void)
{
    const struct CMUnitTest fixture_tests[] = {
        cmocka_unit_test(test_fixture_counts),
        cmocka_unit_test(test_person),
        cmocka_unit_test(test_company_weak_alias),
        cmocka_unit_test(test_bank),
        cmocka_unit_test(test_vessel),
        cmocka_unit_test(test_legal_entity_arabic_script),
        cmocka_unit_test(test_hangul_name_first),
        cmocka_unit_test(test_airplane),
        cmocka_unit_test(test_company_identifiers),
        cmocka_unit_test(test_person_name_parts),
        cmocka_unit_test(test_skipped_schemas),
    };
    const struct CMUnitTest file_tests[] = {
        cmocka_unit_test(test_name_parts_and_other_ids),
        cmocka_unit_test(test_bom_crlf_blank_lines),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_binary_file),
        cmocka_unit_test(test_10mb_field),
        cmocka_unit_test(test_field_over_limit),
        cmocka_unit_test(test_not_an_object),
        cmocka_unit_test(test_missing_id),
        cmocka_unit_test(test_missing_schema),
        cmocka_unit_test(test_properties_not_object),
        cmocka_unit_test(test_no_parties),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_sink_stops),
    };
    int failed = cmocka_run_group_tests_name("ftm_json fixture", fixture_tests, load_fixture,
                                             free_fixture);
    failed += cmocka_run_group_tests_name("ftm_json files", file_tests, make_tmpdir,
                                          remove_tmpdir);
    return failed ? 1 : 0;
}
