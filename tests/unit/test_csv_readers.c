/* test_csv_readers.c - the four CSV-family readers: US CSL, BIS DPL, UK OFSI ConList and the
 * user watch list, on the real CSL/DPL files in data/lists/us and on fixtures for UK and user
 * lists, plus bad inputs for each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lists/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- collecting entities ---------------------------------------------------------------- */

typedef struct got {
    cordon_arena *a;
    cordon_entity *v;
    size_t n, cap;
} got;

static const char *dup_str(cordon_arena *a, const char *s) { return s ? arena_strdup(a, s) : NULL; }

static const char *const *dup_strs(cordon_arena *a, const char *const *s, size_t n)
{
    const char **out = arena_alloc(a, (n + 1) * sizeof *out);
    for (size_t i = 0; i < n; i++)
        out[i] = dup_str(a, s[i]);
    return out;
}

static cordon_entity copy_entity(cordon_arena *a, const cordon_entity *e)
{
    cordon_entity c = *e;
    c.source = dup_str(a, e->source);
    c.source_id = dup_str(a, e->source_id);
    c.listed_on = dup_str(a, e->listed_on);
    c.gender = dup_str(a, e->gender);
    c.remarks = dup_str(a, e->remarks);
    cordon_name *names = arena_alloc(a, (e->n_names + 1) * sizeof *names);
    for (size_t i = 0; i < e->n_names; i++) {
        names[i] = e->names[i];
        names[i].full = dup_str(a, e->names[i].full);
        names[i].given = dup_str(a, e->names[i].given);
        names[i].middle = dup_str(a, e->names[i].middle);
        names[i].family = dup_str(a, e->names[i].family);
        names[i].script = dup_str(a, e->names[i].script);
    }
    c.names = names;
    cordon_identifier *ids = arena_alloc(a, (e->n_ids + 1) * sizeof *ids);
    for (size_t i = 0; i < e->n_ids; i++) {
        ids[i] = e->ids[i];
        ids[i].label = dup_str(a, e->ids[i].label);
        ids[i].value = dup_str(a, e->ids[i].value);
        ids[i].country = dup_str(a, e->ids[i].country);
    }
    c.ids = ids;
    cordon_date *dates = arena_alloc(a, (e->n_birth_dates + 1) * sizeof *dates);
    if (e->n_birth_dates)
        memcpy(dates, e->birth_dates, e->n_birth_dates * sizeof *dates);
    c.birth_dates = dates;
    cordon_address *addrs = arena_alloc(a, (e->n_addresses + 1) * sizeof *addrs);
    for (size_t i = 0; i < e->n_addresses; i++) {
        addrs[i].text = dup_str(a, e->addresses[i].text);
        addrs[i].country = dup_str(a, e->addresses[i].country);
    }
    c.addresses = addrs;
    c.birth_places = dup_strs(a, e->birth_places, e->n_birth_places);
    c.nationalities = dup_strs(a, e->nationalities, e->n_nationalities);
    c.citizenships = dup_strs(a, e->citizenships, e->n_citizenships);
    c.programs = dup_strs(a, e->programs, e->n_programs);
    c.regimes = dup_strs(a, e->regimes, e->n_regimes);
    c.linked_to = dup_strs(a, e->linked_to, e->n_linked_to);
    return c;
}

static int collect(void *ctx, const cordon_entity *e)
{
    got *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->v = realloc(g->v, g->cap * sizeof *g->v);
        assert_non_null(g->v);
    }
    g->v[g->n++] = copy_entity(g->a, e);
    return 0;
}

static void got_free(got *g)
{
    cordon_arena_free(g->a);
    free(g->v);
    memset(g, 0, sizeof *g);
}

typedef cordon_status (*reader_fn)(const char *, eb *, cordon_source_meta *, cordon_error *);

static cordon_status run(reader_fn fn, const char *path, got *g, cordon_source_meta *meta,
                         cordon_error *err)
{
    memset(g, 0, sizeof *g);
    g->a = cordon_arena_new();
    eb *b = eb_new("test", collect, g);
    assert_non_null(b);
    memset(err, 0, sizeof *err);
    cordon_status st = fn(path, b, meta, err);
    eb_free(b);
    return st;
}

/* Reads a good file, failing the test with the reader's message if it does not load. */
static void load(reader_fn fn, const char *path, got *g, cordon_source_meta *meta)
{
    cordon_error err;
    cordon_status st = run(fn, path, g, meta, &err);
    if (st != CORDON_OK)
        fail_msg("%s: %s", path, err.message);
}

static const cordon_entity *by_id(const got *g, const char *id)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->v[i].source_id && strcmp(g->v[i].source_id, id) == 0)
            return &g->v[i];
    fail_msg("no entity with source_id %s", id);
    return NULL;
}

static const cordon_entity *by_name(const got *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->v[i].names[0].full, name) == 0)
            return &g->v[i];
    fail_msg("no entity named %s", name);
    return NULL;
}

static const cordon_name *name_of(const cordon_entity *e, const char *full)
{
    for (size_t i = 0; i < e->n_names; i++)
        if (strcmp(e->names[i].full, full) == 0)
            return &e->names[i];
    fail_msg("%s has no name %s", e->names[0].full, full);
    return NULL;
}

static bool has_str(const char *const *v, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return true;
    return false;
}

static const cordon_identifier *id_of(const cordon_entity *e, cordon_id_type t, const char *value)
{
    for (size_t i = 0; i < e->n_ids; i++)
        if (e->ids[i].type == t && strcmp(e->ids[i].value, value) == 0)
            return &e->ids[i];
    fail_msg("%s has no %s %s", e->names[0].full, cordon_id_type_name(t), value);
    return NULL;
}

static void assert_address(const cordon_entity *e, const char *text, const char *country)
{
    for (size_t i = 0; i < e->n_addresses; i++) {
        const cordon_address *a = &e->addresses[i];
        bool same_cc = country ? a->country && strcmp(a->country, country) == 0 : !a->country;
        if (strcmp(a->text, text) == 0 && same_cc)
            return;
    }
    fail_msg("%s has no address '%s' (%s)", e->names[0].full, text, country ? country : "-");
}

static void assert_dob(const cordon_entity *e, size_t i, int y, int m, int d)
{
    assert_true(i < e->n_birth_dates);
    assert_int_equal(e->birth_dates[i].year_from, y);
    assert_int_equal(e->birth_dates[i].year_to, y);
    assert_int_equal(e->birth_dates[i].month, m);
    assert_int_equal(e->birth_dates[i].day, d);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!hay || !strstr(hay, needle))
        fail_msg("'%s' does not contain '%s'", hay ? hay : "(null)", needle);
}

static size_t count_type(const got *g, cordon_entity_type t)
{
    size_t n = 0;
    for (size_t i = 0; i < g->n; i++)
        n += g->v[i].type == t;
    return n;
}

#define DATA(p) CORDON_DATA_DIR "/lists/us/" p
#define FIXTURE(p) CORDON_TEST_DIR "/fixtures/" p

/* ---- US CSL ----------------------------------------------------------------------------- */

static void test_csl_2019_counts(void **state)
{
    got g;
    load(read_us_csl, DATA("csl_sample_2019.csv"), &g, NULL);
    assert_int_equal(g.n, 115);
    assert_int_equal(count_type(&g, CORDON_TYPE_ORGANIZATION), 46);
    assert_int_equal(count_type(&g, CORDON_TYPE_PERSON), 20);
    assert_int_equal(count_type(&g, CORDON_TYPE_VESSEL), 2);
    assert_int_equal(count_type(&g, CORDON_TYPE_UNKNOWN), 47);
    /* every source_id is set and unique, including the hashed ones */
    for (size_t i = 0; i < g.n; i++) {
        assert_non_null(g.v[i].source_id);
        for (size_t j = i + 1; j < g.n; j++)
            assert_string_not_equal(g.v[i].source_id, g.v[j].source_id);
    }
    size_t addresses = 0, aliases = 0;
    for (size_t i = 0; i < g.n; i++) {
        addresses += g.v[i].n_addresses;
        aliases += g.v[i].n_names - 1;
    }
    assert_int_equal(addresses, 127);
    assert_int_equal(aliases, 161);
    got_free(&g);
}

static void test_csl_2019_entries(void **state)
{
    got g;
    load(read_us_csl, DATA("csl_sample_2019.csv"), &g, NULL);

    const cordon_entity *e = by_id(&g, "20264");
    assert_string_equal(e->names[0].full, "200G PSA HOLDINGS LLC");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_true(has_str(e->programs, e->n_programs,
                        "Specially Designated Nationals (SDN) - Treasury Department"));
    assert_true(has_str(e->programs, e->n_programs, "SDNTK"));
    assert_true(has_str(e->regimes, e->n_regimes, "NARCOTICS"));
    /* "SDN" is left out: regime_of_program would read it as Sudan */
    assert_false(has_str(e->regimes, e->n_regimes, "SUDAN"));
    assert_int_equal(e->n_addresses, 1);
    assert_address(e, "80 SW 8th Street Suite 2000, Miami, FL, 33130", "US");
    const cordon_identifier *id = id_of(e, CORDON_ID_TAX_ID, "80-0890696");
    assert_string_equal(id->label, "Tax ID No.");
    assert_string_equal(id->country, "US");

    e = by_id(&g, "8124");
    assert_string_equal(e->names[0].full, "2904977 CANADA, INC.");
    assert_int_equal(e->n_names, 3);
    assert_int_equal(name_of(e, "CARIBE SOL")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name_of(e, "HAVANTUR CANADA INC.")->kind, CORDON_NAME_STRONG_AKA);
    assert_true(has_str(e->regimes, e->n_regimes, "CUBA"));
    assert_address(e, "818 rue Sherbrooke East, Montreal, Quebec, H2L 1K3", "CA");

    /* Entity List: no entity number, so a hashed id; programs are the list and its code */
    e = by_name(&g, "32 Group China Ltd.");
    /* FNV-1a of "source\x1fname\x1faddresses": pinned, ids must not change between releases */
    assert_string_equal(e->source_id, "csl-95d8929c84174da9");
    assert_int_equal(e->type, CORDON_TYPE_UNKNOWN);
    assert_int_equal(e->n_programs, 2);
    assert_string_equal(e->programs[0], "Entity List (EL) - Bureau of Industry and Security");
    assert_string_equal(e->programs[1], "EL");
    assert_true(has_str(e->regimes, e->n_regimes, "EXPORT CONTROL"));
    assert_string_equal(e->listed_on, "2015-11-12");
    assert_int_equal(e->n_addresses, 2);
    assert_address(e,
                   "Room 1905, 19/F, Nam Wo Hong Bldg., 148 Wing Lok Street, Sheung Wang, Hong "
                   "Kong, Sheung Wang",
                   "HK");

    /* "; and Shijiazhuang ..." in alt_names loses its "and" */
    e = by_name(&g, "54th Research Institute of China");
    assert_int_equal(e->n_names, 4);
    name_of(e, "Shijiazhuang Communication Observation and Control Technology Institute.");
    assert_address(e, "", "CN");

    /* a vessel: IMO from "IMO 8898831, Vessel Registration Identification", flag, link */
    e = by_id(&g, "23156");
    assert_string_equal(e->names[0].full, "7-28");
    assert_int_equal(e->type, CORDON_TYPE_VESSEL);
    id = id_of(e, CORDON_ID_IMO, "8898831");
    assert_string_equal(id->label, "Vessel Registration Identification");
    assert_int_equal(e->n_ids, 1);
    assert_true(has_str(e->nationalities, e->n_nationalities, "KP"));
    assert_true(has_str(e->regimes, e->n_regimes, "DPRK"));
    assert_true(has_str(e->linked_to, e->n_linked_to, "YUSONG SHIPPING CO"));
    assert_contains(e->remarks, "Secondary sanctions risk: North Korea Sanctions Regulations, "
                                "sections 510.201 and 510.210");
    assert_contains(e->remarks, "Vessel flag: Democratic People's Republic of Korea");

    e = by_id(&g, "27304");
    assert_string_equal(e->names[0].full, "ADRIAN DARYA 1");
    id_of(e, CORDON_ID_IMO, "9116412");
    name_of(e, "GRACE 1");
    assert_contains(e->remarks, "Former Vessel Flag: Panama");
    assert_contains(e->remarks, "Vessel type: Crude Oil Tanker");
    assert_true(has_str(e->nationalities, e->n_nationalities, "IR"));

    /* a person "FAMILY, Given" with DOB, passport (type last, no country), aliases, link */
    e = by_id(&g, "27271");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->names[0].full, "AKBARI, Mohammadreza Ali");
    assert_string_equal(e->names[0].family, "AKBARI");
    assert_string_equal(e->names[0].given, "Mohammadreza Ali");
    assert_int_equal(e->n_names, 4);
    name_of(e, "ALIAKBARI, Mohammad Reza Abbas");
    assert_int_equal(e->n_birth_dates, 1);
    assert_dob(e, 0, 1967, 10, 31);
    id = id_of(e, CORDON_ID_PASSPORT, "21795618");
    assert_null(id->country);
    assert_true(has_str(e->linked_to, e->n_linked_to, "QASEMI, Rostam"));
    assert_true(has_str(e->regimes, e->n_regimes, "TERRORISM"));

    e = by_id(&g, "22094");
    assert_contains(e->remarks, "Title: Scientific Studies and Research Center Employee");
    assert_true(has_str(e->nationalities, e->n_nationalities, "SY"));
    assert_dob(e, 0, 1965, 7, 1);

    /* SWIFT/BIC and website, a note kept as remark, and two addresses in CH */
    e = by_id(&g, "20312");
    assert_string_equal(id_of(e, CORDON_ID_SWIFT_BIC, "RKBZCHZZ")->label, "SWIFT/BIC");
    id_of(e, CORDON_ID_WEBSITE, "www.gazprombank.ch");
    assert_int_equal(e->n_ids, 2);
    assert_contains(e->remarks,
                    "Executive Order 13662 Directive Determination - Subject to Directive 1");
    assert_true(has_str(e->linked_to, e->n_linked_to, "GAZPROMBANK OAO"));
    assert_int_equal(e->n_addresses, 2);
    assert_address(e, "Zollikerstrasse 183, Zurich, 8032", "CH");
    assert_true(has_str(e->regimes, e->n_regimes, "RUSSIA"));

    /* a DPL row inside the CSL: address without country code */
    e = by_name(&g, "ADRIAN MANUEL HERNANDEZ");
    assert_string_equal(e->listed_on, "2017-10-16");
    assert_address(e, "3037 S. 69TH DRIVE, PHONEIX, AZ, 85043", NULL);
    assert_true(has_str(e->programs, e->n_programs, "DPL"));
    got_free(&g);
}

static void test_csl_2025_layout(void **state)
{
    got g;
    load(read_us_csl, DATA("csl_sample_2025.csv"), &g, NULL);
    assert_int_equal(g.n, 13);
    assert_int_equal(count_type(&g, CORDON_TYPE_PERSON), 4);
    assert_int_equal(count_type(&g, CORDON_TYPE_ORGANIZATION), 3);
    assert_int_equal(count_type(&g, CORDON_TYPE_UNKNOWN), 6);

    /* ids written type first: "Passport, 836238033, KP; ...; Gender, Male" */
    const cordon_entity *e = by_id(&g, "52291");
    assert_string_equal(e->names[0].full, "RIM, Ryong Nam");
    assert_string_equal(e->names[0].family, "RIM");
    assert_string_equal(e->names[0].given, "Ryong Nam");
    const cordon_identifier *id = id_of(e, CORDON_ID_PASSPORT, "836238033");
    assert_string_equal(id->label, "Passport");
    assert_string_equal(id->country, "KP");
    assert_int_equal(e->n_ids, 1);
    assert_string_equal(e->gender, "male");
    assert_dob(e, 0, 1978, 12, 5);
    assert_true(has_str(e->nationalities, e->n_nationalities, "KP"));
    assert_int_equal(e->n_addresses, 2);
    assert_address(e, "Shenyang", "CN");
    assert_address(e, "Pyongyang", "KP");
    assert_true(has_str(e->regimes, e->n_regimes, "NONPROLIFERATION"));
    assert_contains(e->remarks, "Secondary sanctions risk: North Korea Sanctions Regulations");
    assert_contains(e->remarks, "Transactions Prohibited For Persons Owned or Controlled By U.S. "
                                "Financial Institutions: North Korea Sanctions Regulations "
                                "section 510.214");

    e = by_id(&g, "28603");
    id = id_of(e, CORDON_ID_TAX_ID, "CHE-267.936.404");
    assert_string_equal(id->label, "V.A.T. Number");
    assert_string_equal(id->country, "CH");
    assert_string_equal(id_of(e, CORDON_ID_REGISTRATION, "CH-660.0.559.011-2")->country, "CH");
    assert_true(has_str(e->programs, e->n_programs, "VENEZUELA-EO13850"));
    assert_true(has_str(e->regimes, e->n_regimes, "VENEZUELA"));
    assert_true(has_str(e->regimes, e->n_regimes, "RUSSIA"));

    e = by_id(&g, "26182");
    assert_true(has_str(e->citizenships, e->n_citizenships, "TR"));
    assert_string_equal(id_of(e, CORDON_ID_PASSPORT, "U00242309")->country, "TR");
    assert_address(e, "", "TR");

    /* _id is the source_id when entity_number is empty */
    e = by_id(&g, "1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42");
    assert_string_equal(e->names[0].full, "Atlas Sanatgaran");
    assert_address(e, "Komitas 26/114, Yerevan, Armenia", "AM");
    assert_string_equal(e->programs[1], "UVL");

    /* the ISN suffix moves from the name to remarks */
    e = by_name(&g, "Sinobright Import and Export Company");
    assert_contains(e->remarks, "and any successor, sub-unit, or subsidiary thereof");
    assert_true(has_str(e->programs, e->n_programs, "ISN"));
    assert_true(has_str(e->programs, e->n_programs, "INKSNA"));

    e = by_id(&g, "9673");
    assert_int_equal(e->n_names, 3);
    name_of(e, "Mohammad Mutlaq ABU JHESHEH");
    assert_dob(e, 0, 1955, 0, 0);
    assert_true(has_str(e->birth_places, e->n_birth_places, "Izna, Hebron"));
    assert_contains(e->remarks, "HAMAS - Hebron");
    got_free(&g);
}

/* The hashed source_id does not change from one read to the next. */
static void test_csl_ids_stable(void **state)
{
    got a, b;
    load(read_us_csl, DATA("csl_sample_2019.csv"), &a, NULL);
    load(read_us_csl, DATA("csl_sample_2019.csv"), &b, NULL);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_string_equal(a.v[i].source_id, b.v[i].source_id);
    got_free(&a);
    got_free(&b);
}

/* ---- BIS DPL ---------------------------------------------------------------------------- */

static void test_dpl_counts(void **state)
{
    got g;
    load(read_bis_dpl, DATA("bis_dpl_2022-09.txt"), &g, NULL);
    /* 581 rows: consecutive rows with the same name and effective date are one party */
    assert_int_equal(g.n, 461);
    assert_int_equal(count_type(&g, CORDON_TYPE_ORGANIZATION), 108);
    assert_int_equal(count_type(&g, CORDON_TYPE_PERSON), 353);
    size_t addresses = 0;
    for (size_t i = 0; i < g.n; i++) {
        addresses += g.v[i].n_addresses;
        assert_int_equal(g.v[i].n_programs, 1);
        assert_string_equal(g.v[i].programs[0], "DPL");
        assert_int_equal(strlen(g.v[i].source_id), 20);
        for (size_t j = i + 1; j < g.n; j++)
            assert_string_not_equal(g.v[i].source_id, g.v[j].source_id);
    }
    assert_int_equal(addresses, 579);
    got_free(&g);
}

static void test_dpl_entries(void **state)
{
    got g;
    load(read_bis_dpl, DATA("bis_dpl_2022-09.txt"), &g, NULL);

    const cordon_entity *e = by_name(&g, "AIR FREIGHT LTD");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_string_equal(e->listed_on, "2022-05-13");
    assert_int_equal(e->n_addresses, 4);
    assert_address(e, "P.O. BOX 28360, DUBAI", "AE");
    assert_address(e, "P.O. BOX 911399, AMMAN, 11191", "JO");
    assert_contains(e->remarks, "Denial expires: 2022-11-09");
    assert_contains(e->remarks, "86 F.R. 66277 11/22/2021, 87 F.R. 30173 5/18/2022");
    assert_contains(e->remarks, "Federal Register: 80 F.R. 30435 5/28/15");

    /* two I. ASH orders with different dates are two entities */
    size_t ash = 0;
    for (size_t i = 0; i < g.n; i++)
        ash += strcmp(g.v[i].names[0].full, "I. ASH") == 0;
    assert_int_equal(ash, 2);
    /* FNV-1a of "I. ASH\x1f06/19/2003": pinned, ids must not change between releases */
    e = by_id(&g, "dpl-01c615f29adb5eba");
    assert_string_equal(e->names[0].full, "I. ASH");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->listed_on, "2003-06-19");
    assert_address(e,
                   "UPON THE DATE OF THE ORDER INCARCERATED AT USM NO: 26265-177, FCI "
                   "SEAGOVILLE, 2113 NORTH HIGHWAY 175, SEAGOVILLE, TX, 75159",
                   "US");
    assert_contains(e->remarks, "Denial expires: 2056-06-29");

    /* empty Country with a US state is a US address */
    e = by_name(&g, "AARON ABRAHAM VILLA");
    assert_address(e, "3415 RIVERA AVENUE, EL PASO, TX, 79905", "US");
    assert_string_equal(e->listed_on, "2022-08-24");

    /* "X A/K/A Y" is two names */
    e = by_name(&g, "FUYI SUN");
    assert_int_equal(e->n_names, 2);
    assert_int_equal(name_of(e, "FRANK SUN")->kind, CORDON_NAME_STRONG_AKA);

    e = by_name(&g, "MANSOUR MOGHTADERI ZADEH");
    assert_int_equal(e->n_addresses, 4);
    assert_address(e, "P.O. BOX 23973, 1687 NICOSIA, CY", NULL);
    assert_address(e, "INMATE NUMBER: 43594-013, RIVERS CORRECTIONAL INSTITUTION, P. O. BOX 630, "
                      "WINSTON, NC, 27986",
                   "US");

    e = by_name(&g, "BIB INDUSTRIE-HANDEL DIPL.ING M. MANGELSEN GMBH");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    e = by_name(&g, "SIBERIAN AIRLINES");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    name_of(e, "S7 AIRLINES");
    got_free(&g);
}

/* ---- UK OFSI ---------------------------------------------------------------------------- */

static void test_uk_fixture(void **state)
{
    got g;
    cordon_source_meta meta;
    load(read_uk_csv, FIXTURE("uk/conlist_fixture.csv"), &g, &meta);
    assert_string_equal(meta.published, "2026-06-03");
    /* 12 rows, 5 Group IDs, emitted in order of first appearance */
    assert_int_equal(g.n, 5);
    const char *order[] = {"90002", "90004", "90001", "90005", "90003"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(g.v[i].source_id, order[i]);

    const cordon_entity *e = by_id(&g, "90001");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->names[0].full, "Chol Nam KIM");
    assert_string_equal(e->names[0].given, "Chol");
    assert_string_equal(e->names[0].middle, "Nam");
    assert_string_equal(e->names[0].family, "KIM");
    assert_int_equal(e->n_names, 4);
    assert_int_equal(name_of(e, "Chol-nam KIM")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(name_of(e, "CHOL NAM")->kind, CORDON_NAME_WEAK_AKA);
    const cordon_name *n = name_of(e, "김철남");
    assert_int_equal(n->kind, CORDON_NAME_ORIGINAL);
    assert_string_equal(n->script, "Hang");
    assert_int_equal(e->n_birth_dates, 2);
    assert_dob(e, 0, 1965, 4, 12);
    assert_dob(e, 1, 1966, 0, 0);
    assert_int_equal(e->n_birth_places, 1);
    assert_string_equal(e->birth_places[0], "Pyongyang, North Korea");
    assert_int_equal(e->n_nationalities, 1);
    assert_string_equal(e->nationalities[0], "KP");
    assert_int_equal(e->n_ids, 2);
    id_of(e, CORDON_ID_PASSPORT, "654321987");
    id_of(e, CORDON_ID_PASSPORT, "745612398");
    assert_int_equal(e->n_addresses, 1);
    assert_address(e, "Kangan 1-dong, Pyongyang", "KP");
    assert_string_equal(e->gender, "male");
    assert_string_equal(e->listed_on, "2016-03-02");
    assert_int_equal(e->n_programs, 1);
    assert_string_equal(e->programs[0], "The Democratic People's Republic of Korea");
    assert_string_equal(e->regimes[0], "DPRK");
    assert_string_equal(e->remarks,
                        "Passport details: (1) DPRK passport (2) DPRK diplomatic passport, "
                        "expires 2026; Title: Mr; Position: Representative of Ocean Blue "
                        "Maritime Trading in Dalian; (UK Sanctions List Ref):DPR0999. (UN "
                        "Ref):KPi.999. (Gender):Male");

    /* primary row found although an FKA row comes first; two addresses from two rows */
    e = by_id(&g, "90002");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_string_equal(e->names[0].full, "OCEAN BLUE MARITIME TRADING CO LTD");
    assert_null(e->names[0].family);
    assert_int_equal(e->n_names, 2);
    assert_int_equal(name_of(e, "EASTERN SEA SHIPPING LTD")->kind, CORDON_NAME_FORMER);
    assert_int_equal(e->n_addresses, 2);
    assert_address(e, "Room 1203, 88 Renmin Road, Dalian", "CN");
    assert_address(e, "15 Harbour Road, Nampo", "KP");
    assert_string_equal(e->listed_on, "2018-03-30");

    e = by_id(&g, "90003");
    assert_int_equal(e->type, CORDON_TYPE_VESSEL);
    assert_string_equal(e->names[0].full, "SEA PIONEER");
    assert_int_equal(name_of(e, "SAE PIONEER")->kind, CORDON_NAME_STRONG_AKA);
    assert_contains(e->remarks, "(IMO number):9123456");
    assert_int_equal(e->n_ids, 1);
    assert_string_equal(id_of(e, CORDON_ID_IMO, "9123456")->label, "IMO number");

    e = by_id(&g, "90004");
    assert_string_equal(e->names[0].full, "Pyotr Sergeyevich IVANOV");
    assert_int_equal(name_of(e, "Petr Sergeevich IVANOV")->kind, CORDON_NAME_STRONG_AKA);
    assert_string_equal(name_of(e, "Иванов Пётр Сергеевич")->script, "Cyrl");
    assert_int_equal(e->n_nationalities, 2);
    assert_string_equal(e->nationalities[0], "RU");
    assert_string_equal(e->nationalities[1], "CY");
    const cordon_identifier *id = id_of(e, CORDON_ID_NATIONAL_ID, "4510 123456");
    assert_string_equal(id->label, "National Identification Number");
    assert_dob(e, 0, 1960, 6, 28);
    assert_address(e, "1 Okhotny Ryad str, Moscow, 103265", "RU");
    assert_true(has_str(e->regimes, e->n_regimes, "RUSSIA"));
    assert_contains(e->remarks, "National identification details: Russian internal passport");
    assert_string_equal(e->listed_on, "2022-03-11");

    /* multi-line quoted Other Information; Listed On empty: the UK designation date */
    e = by_id(&g, "90005");
    assert_int_equal(name_of(e, "PNSC")->kind, CORDON_NAME_WEAK_AKA);
    assert_contains(e->remarks, "procurement network of the Atomic Energy Organisation of Iran, "
                                "\"AEOI\".");
    assert_string_equal(e->listed_on, "2011-05-23");
    assert_true(has_str(e->regimes, e->n_regimes, "IRAN"));
    assert_address(e, "No. 21, Azadi Street, Tehran", "IR");
    got_free(&g);
}

/* ---- user watch list -------------------------------------------------------------------- */

static void test_user_fixture(void **state)
{
    got g;
    load(read_user_csv, FIXTURE("user/watchlist.csv"), &g, NULL);
    assert_int_equal(g.n, 5);

    const cordon_entity *e = by_id(&g, "W-001");
    assert_int_equal(e->type, CORDON_TYPE_ORGANIZATION);
    assert_string_equal(e->names[0].full, "Korea Ryonha Machinery Joint Venture Corporation");
    assert_int_equal(e->n_names, 3);
    assert_int_equal(name_of(e, "Ryonha Machinery")->kind, CORDON_NAME_STRONG_AKA);
    assert_int_equal(e->n_addresses, 1);
    assert_address(e, "Central District, Pyongyang", "KP");
    assert_int_equal(e->n_ids, 2);
    assert_string_equal(id_of(e, CORDON_ID_REGISTRATION, "RYH-1998-0042")->label, "registration");
    id_of(e, CORDON_ID_WEBSITE, "http://www.ryonha.example");
    assert_string_equal(e->programs[0], "In-house DPRK");
    assert_string_equal(e->regimes[0], "DPRK");
    assert_string_equal(e->remarks, "Machine-tool maker named in UN Panel of Experts reports");

    e = by_id(&g, "W-002");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_string_equal(e->names[0].full, "PAK, Song Il");
    assert_int_equal(name_of(e, "박성일")->kind, CORDON_NAME_ORIGINAL);
    assert_int_equal(e->n_birth_dates, 2);
    assert_dob(e, 0, 1971, 5, 14);
    assert_dob(e, 1, 1972, 0, 0);
    assert_int_equal(e->n_nationalities, 2);
    assert_string_equal(e->nationalities[0], "KP");
    assert_string_equal(e->nationalities[1], "CN");
    assert_address(e, "Room 501, Tower B, Dalian", "CN");
    id_of(e, CORDON_ID_PASSPORT, "836412345");
    id_of(e, CORDON_ID_PHONE, "+86 411 5555 0101");
    assert_string_equal(e->remarks, "Agent; uses the Dalian office");

    e = by_id(&g, "W-003");
    assert_int_equal(e->type, CORDON_TYPE_VESSEL);
    assert_int_equal(e->n_ids, 3);
    id_of(e, CORDON_ID_IMO, "9123456");
    id_of(e, CORDON_ID_MMSI, "667001234");
    id_of(e, CORDON_ID_CALL_SIGN, "9LU2345");
    assert_int_equal(e->n_addresses, 0);

    e = by_id(&g, "W-004");
    assert_int_equal(e->type, CORDON_TYPE_UNKNOWN);
    assert_address(e, "", "AE");
    id_of(e, CORDON_ID_EMAIL, "cargo@mahan.example");
    assert_int_equal(e->n_programs, 0);
    assert_null(e->remarks);

    e = by_id(&g, "W-005");
    assert_int_equal(e->type, CORDON_TYPE_PERSON);
    assert_dob(e, 0, 1980, 2, 0);
    assert_string_equal(e->nationalities[0], "CZ");
    got_free(&g);
}

/* ---- bad inputs ------------------------------------------------------------------------- */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon_csvr_XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes n bytes to tmpdir/name and returns the path (static storage, one at a time). */
static const char *write_file(const char *name, const void *data, size_t n)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_file(name, text, strlen(text));
}

/* Runs fn on path, expects status st and a message starting with "path" + where. */
static void expect_error(reader_fn fn, const char *path, cordon_status st, const char *where,
                         const char *what)
{
    got g;
    cordon_error err;
    cordon_status got_st = run(fn, path, &g, NULL, &err);
    char prefix[256];
    snprintf(prefix, sizeof prefix, "%s%s", path, where);
    if (got_st != st || strncmp(err.message, prefix, strlen(prefix)) != 0 ||
        !strstr(err.message, what))
        fail_msg("%s: status %s, message '%s'; want %s, '%s...%s'", path,
                 cordon_status_name(got_st), err.message, cordon_status_name(st), prefix, what);
    got_free(&g);
}

static const char csl_header[] =
    "source,entity_number,type,programs,name,title,addresses,federal_register_notice,"
    "start_date,end_date,standard_order,license_requirement,license_policy,call_sign,"
    "vessel_type,gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,"
    "source_list_url,alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,"
    "source_information_url,ids\n";
static const char csl_row[] = "Entity List (EL) - Bureau of Industry and Security,,,,ACME,,"
                              "CN,,,,,,,,,,,,,,,,,,,,,\n";
static const char dpl_header[] = "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t"
                                 "\"Postal_Code\"\t\"Effective_Date\"\t\"Expiration_Date\"\t"
                                 "\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t"
                                 "\"FR_Citation\"\n";
static const char dpl_row[] = "\"ACME LTD\"\t\"1 MAIN ST\"\t\"X\"\t\"\"\t\"GB\"\t\"\"\t"
                              "\"01/02/2020\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n";
static const char uk_top[] =
    "Last Updated,03/06/2026\n"
    "Name 6,Name 1,Name 2,Name 3,Name 4,Name 5,Title,Name Non-Latin Script,Non-Latin Script "
    "Type,Non-Latin Script Language,DOB,Town of Birth,Country of Birth,Nationality,Passport "
    "Number,Passport Details,National Identification Number,National Identification Details,"
    "Position,Address 1,Address 2,Address 3,Address 4,Address 5,Address 6,Post/Zip Code,"
    "Country,Other Information,Group Type,Alias Type,Alias Quality,Regime,Listed On,UK "
    "Sanctions List Date Designated,Last Updated,Group ID\n";
static const char uk_row[] = "ACME,,,,,,,,,,,,,,,,,,,,,,,,,,,,Entity,Primary name,,Russia,,,,"
                             "7\n";
static const char user_header[] =
    "id,name,type,aliases,dob,nationality,country,address,identifiers,program,remarks\n";
static const char user_row[] = "A1,Acme,,,,,,,,,\n";

typedef struct fmt {
    const char *name;
    reader_fn fn;
    const char *top; /* everything before the first data row */
    const char *row; /* one good data row */
    long first_row;  /* its line number */
    char delim;
} fmt;

static const fmt fmts[] = {
    {"csl", read_us_csl, csl_header, csl_row, 2, ','},
    {"dpl", read_bis_dpl, dpl_header, dpl_row, 2, '\t'},
    {"uk", read_uk_csv, uk_top, uk_row, 3, ','},
    {"user", read_user_csv, user_header, user_row, 2, ','},
};

static char *concat(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
    char *s = malloc(n);
    assert_non_null(s);
    snprintf(s, n, "%s%s%s", a, b, c);
    return s;
}

static void test_bad_inputs(void **state)
{
    char where[32], file[64];
    for (size_t i = 0; i < ARRAY_LEN(fmts); i++) {
        const fmt *f = &fmts[i];

        /* a good file of one row loads */
        char *good = concat(f->top, f->row, "");
        snprintf(file, sizeof file, "%s_good.csv", f->name);
        got g;
        load(f->fn, write_text(file, good), &g, NULL);
        assert_int_equal(g.n, 1);
        got_free(&g);
        free(good);

        /* empty file */
        snprintf(file, sizeof file, "%s_empty.csv", f->name);
        expect_error(f->fn, write_text(file, ""), CORDON_ERR_PARSE, ": ", "empty file");

        /* header only */
        snprintf(file, sizeof file, "%s_header_only.csv", f->name);
        expect_error(f->fn, write_text(file, f->top), CORDON_ERR_PARSE, ": ", "no entities");

        /* wrong column count on the second data row */
        char *short_row = strdup(f->row);
        char *last = strrchr(short_row, f->delim);
        last[0] = '\n';
        last[1] = 0;
        char *bad = concat(f->top, f->row, short_row);
        snprintf(file, sizeof file, "%s_columns.csv", f->name);
        snprintf(where, sizeof where, ":%ld: ", f->first_row + 1);
        expect_error(f->fn, write_text(file, bad), CORDON_ERR_PARSE, where, "expected");
        free(bad);
        free(short_row);

        /* invalid UTF-8 in the first data row */
        bad = concat(f->top, "\xff\xfe", f->row);
        snprintf(file, sizeof file, "%s_utf8.csv", f->name);
        snprintf(where, sizeof where, ":%ld: ", f->first_row);
        expect_error(f->fn, write_text(file, bad), CORDON_ERR_PARSE, where, "invalid UTF-8");
        free(bad);

        /* binary file: a PNG signature and header chunk */
        static const unsigned char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
        snprintf(file, sizeof file, "%s_binary.png", f->name);
        expect_error(f->fn, write_file(file, png, sizeof png), CORDON_ERR_PARSE, ":1: ",
                     "invalid UTF-8");

        /* a 10 MB field in the first data row */
        size_t big = 10u << 20;
        char *huge = malloc(big + 1);
        assert_non_null(huge);
        memset(huge, 'A', big);
        huge[big] = 0;
        bad = concat(f->top, huge, f->row);
        free(huge);
        snprintf(file, sizeof file, "%s_huge.csv", f->name);
        expect_error(f->fn, write_text(file, bad), CORDON_ERR_LIMIT, where, "longer than");
        free(bad);
    }
}

static void test_bad_headers(void **state)
{
    /* a header without a column each reader needs */
    expect_error(read_us_csl, write_text("csl_noname.csv", "source,entity_number,type\nA,1,\n"),
                 CORDON_ERR_PARSE, ":1: ", "missing column 'programs'");
    expect_error(read_bis_dpl, write_text("dpl_nocountry.txt", "\"Name\"\t\"City\"\n\"A\"\t\"B\"\n"),
                 CORDON_ERR_PARSE, ":1: ", "missing column 'Street_Address'");
    expect_error(read_uk_csv,
                 write_text("uk_nogroup.csv", "Last Updated,03/06/2026\nName 6,Name 1\nA,B\n"),
                 CORDON_ERR_PARSE, ":2: ", "missing column 'Name 2'");
    expect_error(read_user_csv, write_text("user_noid.csv", "name,type\nAcme,\n"),
                 CORDON_ERR_PARSE, ":1: ", "missing required column 'id'");
    expect_error(read_user_csv, write_text("user_unknown.csv", "id,name,colour\n1,Acme,red\n"),
                 CORDON_ERR_PARSE, ":1: ", "unknown column 'colour'");
    expect_error(read_user_csv, write_text("user_twice.csv", "id,name,Name\n1,Acme,B\n"),
                 CORDON_ERR_PARSE, ":1: ", "column 'Name' appears twice");
    /* a missing file */
    expect_error(read_user_csv, CORDON_TEST_DIR "/fixtures/user/no-such-file.csv", CORDON_ERR_IO,
                 ": ", "No such file");
}

static void test_user_bad_rows(void **state)
{
    char text[512];
    snprintf(text, sizeof text, "%sA1,Acme,,,,,,,,,\nA2,,,,,,,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u1.csv", text), CORDON_ERR_PARSE, ":3: ",
                 "column 'name': empty (required)");
    snprintf(text, sizeof text, "%s ,Acme,,,,,,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u2.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'id': empty (required)");
    snprintf(text, sizeof text, "%sA1,Acme,,,,,,,,,\nA2,B,,,,,,,,,\nA1,C,,,,,,,,,\n",
             user_header);
    expect_error(read_user_csv, write_text("u3.csv", text), CORDON_ERR_PARSE, ":4: ",
                 "duplicate id 'A1' (first on line 2)");
    snprintf(text, sizeof text, "%sA1,Acme,robot,,,,,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u4.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'type': unknown type 'robot'");
    snprintf(text, sizeof text, "%sA1,Acme,,,someday,,,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u5.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'dob': cannot read date 'someday'");
    snprintf(text, sizeof text, "%sA1,Acme,,,,Atlantis,,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u6.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'nationality': unknown country 'Atlantis'");
    snprintf(text, sizeof text, "%sA1,Acme,,,,,Narnia,,,,\n", user_header);
    expect_error(read_user_csv, write_text("u7.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'country': unknown country 'Narnia'");
    snprintf(text, sizeof text, "%sA1,Acme,,,,,,,pasport:123,,\n", user_header);
    expect_error(read_user_csv, write_text("u8.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "column 'identifiers': unknown identifier type in 'pasport:123'");
    snprintf(text, sizeof text, "%sA1,Acme,,,,,,,9123456,,\n", user_header);
    expect_error(read_user_csv, write_text("u9.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "is not TYPE:VALUE");
    snprintf(text, sizeof text, "%sA1,Acme,,,,,,,imo: ,,\n", user_header);
    expect_error(read_user_csv, write_text("u10.csv", text), CORDON_ERR_PARSE, ":2: ",
                 "has no value");
    /* an id repeated far apart, past the id set's first growth */
    FILE *f = fopen(write_text("u11.csv", user_header), "a");
    assert_non_null(f);
    for (int i = 0; i < 1000; i++)
        fprintf(f, "ID%d,Name %d,,,,,,,,,\n", i, i);
    fprintf(f, "ID7,Again,,,,,,,,,\n");
    fclose(f);
    snprintf(text, sizeof text, "%s/u11.csv", tmpdir);
    expect_error(read_user_csv, text, CORDON_ERR_PARSE, ":1002: ",
                 "duplicate id 'ID7' (first on line 9)");
}

static void test_uk_bad_rows(void **state)
{
    char *text = concat(uk_top, "ACME,,,,,,,,,,,,,,,,,,,,,,,,,,,,Entity,Primary name,,Russia,,,,\n",
                        "");
    expect_error(read_uk_csv, write_text("uk_nogid.csv", text), CORDON_ERR_PARSE, ":3: ",
                 "empty Group ID");
    free(text);
    text = concat(uk_top, uk_row, ",,,,,,,,,,,,,,,,,,,,,,,,,,,,Entity,AKA,,Russia,,,,7\n");
    expect_error(read_uk_csv, write_text("uk_noname.csv", text), CORDON_ERR_PARSE, ":4: ",
                 "empty name");
    free(text);
}

/* Cells with thousands of values fail fast instead of taking quadratic time. */
static void test_value_limits(void **state)
{
    buf many = {0};
    for (int i = 0; i < 1500; i++)
        assert_true(buf_printf(&many, "%sname %d", i ? ";" : "", i));
    char *text = concat(user_header, "A1,Acme,,", many.data);
    char *line = concat(text, ",,,,,,,\n", "");
    expect_error(read_user_csv, write_text("lim_user.csv", line), CORDON_ERR_LIMIT, ":2: ",
                 "column 'aliases': more than 1000 values");
    free(text);
    free(line);

    text = concat(csl_header, "Entity List (EL) - Bureau of Industry and Security,,,,ACME,,CN,,,,,,,,,,"
                              ",,,,,", many.data);
    line = concat(text, ",,,,,,\n", "");
    expect_error(read_us_csl, write_text("lim_csl.csv", line), CORDON_ERR_LIMIT, ":2: ",
                 "column 'alt_names' has more than 1000 values");
    free(text);
    free(line);

    buf uk = {0};
    assert_true(buf_puts(&uk, uk_top));
    for (int i = 0; i < 5001; i++)
        assert_true(buf_printf(&uk, "NAME %d,,,,,,,,,,,,,,,,,,,,,,,,,,,,Entity,AKA,,Russia,,,,7\n", i));
    expect_error(read_uk_csv, write_text("lim_uk.csv", uk.data), CORDON_ERR_LIMIT, ":3: ",
                 "Group ID 7 has more than 5000 rows");

    buf dpl = {0};
    assert_true(buf_puts(&dpl, dpl_header));
    for (int i = 0; i < 1001; i++)
        assert_true(buf_printf(&dpl, "\"ACME LTD\"\t\"%d MAIN ST\"\t\"\"\t\"\"\t\"GB\"\t\"\"\t"
                                     "\"01/02/2020\"\t\"\"\t\"Y\"\t\"\"\t\"\"\t\"\"\n", i));
    expect_error(read_bis_dpl, write_text("lim_dpl.txt", dpl.data), CORDON_ERR_LIMIT, ":1002: ",
                 "more than 1000 rows for one party");
    buf_free(&many);
    buf_free(&uk);
    buf_free(&dpl);
}

/* A sink that says stop makes the reader return CORDON_ERR_ABORTED. */
static int stop_at_once(void *ctx, const cordon_entity *e)
{
    (*(int *)ctx)++;
    return 1;
}

static void test_sink_stop(void **state)
{
    static const struct {
        reader_fn fn;
        const char *path;
    } cases[] = {{read_us_csl, DATA("csl_sample_2019.csv")},
                 {read_bis_dpl, DATA("bis_dpl_2022-09.txt")},
                 {read_uk_csv, FIXTURE("uk/conlist_fixture.csv")},
                 {read_user_csv, FIXTURE("user/watchlist.csv")}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        int calls = 0;
        eb *b = eb_new("test", stop_at_once, &calls);
        cordon_error err;
        assert_int_equal(cases[i].fn(cases[i].path, b, NULL, &err), CORDON_ERR_ABORTED);
        assert_int_equal(calls, 1);
        assert_non_null(strstr(err.message, cases[i].path));
        eb_free(b);
    }
}

/* A query's date of birth: the digit forms (read without sscanf) and the odd forms sscanf
 * has always accepted or refused must read as before. */
static void test_date_parse_iso(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool ok;
        int year, month, day;
    } cases[] = {{"1984", true, 1984, 0, 0},        {"1984-01", true, 1984, 1, 0},
                 {"1984-01-08", true, 1984, 1, 8},  {"2200-12-31", true, 2200, 12, 31},
                 {"0999", false, 0, 0, 0},          {"2201", false, 0, 0, 0},
                 {"1984-00", false, 0, 0, 0},       {"1984-13", false, 0, 0, 0},
                 {"1984-01-00", false, 0, 0, 0},    {"1984-01-32", false, 0, 0, 0},
                 {"1984-1-08", false, 0, 0, 0},     {"1984-01-8", false, 0, 0, 0},
                 {"1984-01-08x", false, 0, 0, 0},   {"198x", false, 0, 0, 0},
                 {"19840108", false, 0, 0, 0},      {"1984/01/08", false, 0, 0, 0},
                 {" 1984", false, 0, 0, 0},         {"1984-", false, 0, 0, 0},
                 {"1984- 1", true, 1984, 1, 0},     {"1984-01- 8", true, 1984, 1, 8},
                 {"", false, 0, 0, 0},              {"yesterday", false, 0, 0, 0}};
    for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
        cordon_date d;
        bool ok = date_parse_iso(cases[i].text, &d);
        if (ok != cases[i].ok)
            fail_msg("%s: %d", cases[i].text, ok);
        if (!ok)
            continue;
        assert_int_equal(d.year_from, cases[i].year);
        assert_int_equal(d.year_to, cases[i].year);
        assert_int_equal(d.month, cases[i].month);
        assert_int_equal(d.day, cases[i].day);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csl_2019_counts), cmocka_unit_test(test_csl_2019_entries),
        cmocka_unit_test(test_csl_2025_layout), cmocka_unit_test(test_csl_ids_stable),
        cmocka_unit_test(test_dpl_counts),      cmocka_unit_test(test_dpl_entries),
        cmocka_unit_test(test_uk_fixture),      cmocka_unit_test(test_user_fixture),
        cmocka_unit_test(test_bad_inputs),      cmocka_unit_test(test_bad_headers),
        cmocka_unit_test(test_user_bad_rows),   cmocka_unit_test(test_uk_bad_rows),
        cmocka_unit_test(test_value_limits),    cmocka_unit_test(test_sink_stop),
        cmocka_unit_test(test_date_parse_iso),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
