/* test_ofac_remarks.c - the OFAC remarks parser on real remarks copied from the SDN 2021-07
 * and consolidated 2025-12 files, plus a few made-up strings for quoting edge cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "lists/ofac_remarks.h"

/* ---- helpers ------------------------------------------------------------------------------ */

/* One line per fact, so a test can ask for the exact line it expects. */
static void dump_entity(const cordon_entity *e, buf *o)
{
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        buf_printf(o, "name %s|%s|%s|%s\n", cordon_name_kind_name(n->kind), n->full,
                   n->given ? n->given : "-", n->family ? n->family : "-");
    }
    for (size_t i = 0; i < e->n_ids; i++) {
        const cordon_identifier *d = &e->ids[i];
        buf_printf(o, "id %s|%s|%s|%s\n", cordon_id_type_name(d->type), d->label ? d->label : "-",
                   d->value, d->country ? d->country : "-");
    }
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        buf_printf(o, "dob %s\n", d);
    }
    for (size_t i = 0; i < e->n_birth_places; i++)
        buf_printf(o, "pob %s\n", e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        buf_printf(o, "nat %s\n", e->nationalities[i]);
    for (size_t i = 0; i < e->n_citizenships; i++)
        buf_printf(o, "cit %s\n", e->citizenships[i]);
    for (size_t i = 0; i < e->n_regimes; i++)
        buf_printf(o, "regime %s\n", e->regimes[i]);
    for (size_t i = 0; i < e->n_linked_to; i++)
        buf_printf(o, "link %s\n", e->linked_to[i]);
    if (e->gender)
        buf_printf(o, "gender %s\n", e->gender);
    if (e->remarks)
        buf_printf(o, "remarks %s\n", e->remarks);
}

static buf out;

static int dump_sink(void *ctx, const cordon_entity *e)
{
    dump_entity(e, ctx);
    return 0;
}

/* Parses remarks for an entity of the given type named "TEST" and returns its dump. */
static const char *parse_as(cordon_entity_type type, const char *remarks)
{
    out.len = 0;
    buf_puts(&out, "");
    eb *b = eb_new("test", dump_sink, &out);
    assert_non_null(b);
    eb_begin(b, type, "1");
    eb_add_name(b, CORDON_NAME_PRIMARY, "TEST", NULL, NULL, NULL);
    ofac_remarks_parse(b, remarks);
    assert_int_equal(eb_commit(b), CORDON_OK);
    eb_free(b);
    return out.data;
}

static const char *person(const char *remarks) { return parse_as(CORDON_TYPE_PERSON, remarks); }
static const char *org(const char *remarks) { return parse_as(CORDON_TYPE_ORGANIZATION, remarks); }

static bool has_line(const char *dump, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = dump; (p = strstr(p, line)); p++)
        if ((p == dump || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

static void expect(const char *dump, const char *line)
{
    if (!has_line(dump, line))
        fail_msg("missing line '%s' in:\n%s", line, dump);
}

static void expect_not(const char *dump, const char *prefix)
{
    if (strstr(dump, prefix))
        fail_msg("unexpected '%s' in:\n%s", prefix, dump);
}

static size_t count_lines(const char *dump, const char *prefix)
{
    size_t n = 0, l = strlen(prefix);
    for (const char *p = dump; *p; p = strchr(p, '\n') + 1) {
        if (strncmp(p, prefix, l) == 0)
            n++;
        if (!strchr(p, '\n'))
            break;
    }
    return n;
}

/* ---- dates of birth ----------------------------------------------------------------------- */

static void test_dob_forms(void **state)
{
    (void)state;
    const char *d = person("DOB 12 Feb 1961");
    expect(d, "dob 1961-02-12");
    expect_not(d, "remarks");
    expect(person("DOB 1956"), "dob 1956");
    expect(person("DOB circa 1956"), "dob ~1956");
    expect(person("DOB 1981 to 1983"), "dob 1981..1983");
    expect(person("DOB 01 Jan 1947 to 01 Jan 1949"), "dob 1947..1949");
    expect(person("DOB Oct 1966"), "dob 1966-10");
    expect(person("DOB circa 1979-1982"), "dob ~1979..1982");
    d = person("DOB 1964; alt. DOB 28 Aug 1962; nationality Korea, North");
    expect(d, "dob 1964");
    expect(d, "dob 1962-08-28");
    expect(d, "nat KP");
    expect_not(d, "remarks");
    /* A date with words the parser does not know keeps its text. */
    d = person("DOB 1960 per UN records");
    expect(d, "dob 1960");
    expect(d, "remarks DOB 1960 per UN records");
    /* No year at all: not a date, the piece stays as text. */
    d = person("DOB unknown");
    expect_not(d, "dob ");
    expect(d, "remarks DOB unknown");
}

/* ---- a whole DPRK individual (ent_num 19791, CHO, Il-U) -------------------------------- */

static void test_dprk_individual(void **state)
{
    (void)state;
    const char *d = person(
        "DOB 10 May 1945; POB Musan, North Hamgyo'ng Province, North Korea; nationality Korea, "
        "North; Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 "
        "and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
        "Institutions: North Korea Sanctions Regulations section 510.214; Passport 736410010 "
        "(Korea, North); Director of the Fifth Bureau of the Reconnaissance General Bureau.");
    expect(d, "dob 1945-05-10");
    expect(d, "pob Musan, North Hamgyo'ng Province, North Korea");
    expect(d, "nat KP");
    expect(d, "id passport|Passport|736410010|KP");
    expect(d, "regime DPRK");
    expect(d, "remarks Secondary sanctions risk: North Korea Sanctions Regulations, sections "
              "510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By "
              "U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214; "
              "Director of the Fifth Bureau of the Reconnaissance General Bureau.");
}

static void test_person_facts(void **state)
{
    (void)state;
    /* ent_num 21735, RI, Su Yong */
    const char *d = person("DOB 25 Jun 1968; nationality Korea, North; Gender Male; Passport "
                           "654310175; Korea Ryonbong General Corporation Official; Linked To: "
                           "KOREA RYONBONG GENERAL CORPORATION.");
    expect(d, "gender male");
    expect(d, "id passport|Passport|654310175|-");
    expect(d, "link KOREA RYONBONG GENERAL CORPORATION");
    expect(d, "remarks Korea Ryonbong General Corporation Official");
    d = person("citizen Mexico; alt. nationality Pakistan; Gender Female.");
    expect(d, "cit MX");
    expect(d, "nat PK");
    expect(d, "gender female");
    expect_not(d, "remarks");
    /* Not a country: kept as text (ent_num 7940). */
    d = person("nationality possibly Palestinian;arrested 23 Apr 2002; a.k.a. 'ABU ALI'.");
    expect_not(d, "nat ");
    expect(d, "remarks nationality possibly Palestinian;arrested 23 Apr 2002");
    expect(d, "name weak|ABU ALI|-|-");
    /* Aircraft registration is not a person's nationality. */
    d = parse_as(CORDON_TYPE_AIRCRAFT, "Nationality of Registration Korea, North");
    expect_not(d, "nat ");
    expect(d, "remarks Nationality of Registration Korea, North");
}

/* ---- identifiers -------------------------------------------------------------------------- */

static void test_passports(void **state)
{
    (void)state;
    const char *d = person("Passport G9333110 (Iran) issued 03 Mar 2014 expires 03 Mar 2019");
    expect(d, "id passport|Passport|G9333110|IR");
    /* The issue and expiry dates have no field: the piece stays whole in the remarks. */
    expect(d, "remarks Passport G9333110 (Iran) issued 03 Mar 2014 expires 03 Mar 2019");
    d = person("Passport 654120210 expires 21 Feb 2019");
    expect(d, "id passport|Passport|654120210|-");
    expect(d, "remarks Passport 654120210 expires 21 Feb 2019");
    d = person("Diplomatic Passport DP0001842 (Burundi) issued 08 Apr 2013 expires 08 Apr 2018");
    expect(d, "id passport|Diplomatic Passport|DP0001842|BI");
    d = person("Passport 13809079 (Colombia).");
    expect(d, "id passport|Passport|13809079|CO");
    expect_not(d, "remarks");
    d = person("Passport PS 472330208 (Korea, North) expires 21 Aug 2017");
    expect(d, "id passport|Passport|PS 472330208|KP");
    d = person("alt. Passport 05140035482 (Mexico)");
    expect(d, "id passport|Passport|05140035482|MX");
    expect_not(d, "remarks");
}

static void test_national_and_tax_ids(void **state)
{
    (void)state;
    const char *d = person("National ID No. J310205361 (Venezuela); Cedula No. 22103099 "
                           "(Colombia); C.U.R.P. FOSA801119HMNLLD09 (Mexico); D.N.I. 30312556 "
                           "(Argentina).");
    expect(d, "id national_id|National ID No.|J310205361|VE");
    expect(d, "id national_id|Cedula No.|22103099|CO");
    expect(d, "id national_id|C.U.R.P.|FOSA801119HMNLLD09|MX");
    expect(d, "id national_id|D.N.I.|30312556|AR");
    expect_not(d, "remarks");
    d = org("Tax ID No. 7734019544 (Russia); NIT # 811008928-8 (Colombia); RFC FELJ691014AV2 "
            "(Mexico); RUC # 12555-91-124494 (Panama).");
    expect(d, "id tax_id|Tax ID No.|7734019544|RU");
    expect(d, "id tax_id|NIT #|811008928-8|CO");
    expect(d, "id tax_id|RFC|FELJ691014AV2|MX");
    expect(d, "id tax_id|RUC #|12555-91-124494|PA");
    expect_not(d, "remarks");
    /* A state between value and country is not lost. */
    d = org("Tax ID No. 32071216470 (Texas) (United States)");
    expect(d, "id tax_id|Tax ID No.|32071216470|US");
    expect(d, "remarks Tax ID No. 32071216470 (Texas) (United States)");
}

static void test_registration_ids(void **state)
{
    (void)state;
    const char *d = org("Registration ID 77283 (Jersey); Registration Number 1177847044066 "
                        "(Russia); Business Registration Number 91350400MA32K7W49G (China); "
                        "Unified Social Credit Code (USCC) 91350200705420347R (China).");
    expect(d, "id registration|Registration ID|77283|JE");
    expect(d, "id registration|Registration Number|1177847044066|RU");
    expect(d, "id registration|Business Registration Number|91350400MA32K7W49G|CN");
    expect(d, "id registration|Unified Social Credit Code (USCC)|91350200705420347R|CN");
    expect_not(d, "remarks");
    /* "Identification Number" is a company number for organisations, a national id for
     * individuals. */
    expect(org("Identification Number 808 195 689 00019 (France)."),
           "id registration|Identification Number|808 195 689 00019|FR");
    expect(person("Identification Number 210302198701102136 (China)"),
           "id national_id|Identification Number|210302198701102136|CN");
    /* A city in parentheses is kept as text. */
    d = org("Matricula Mercantil No 21-573208-02 (Medellin).");
    expect(d, "id registration|Matricula Mercantil No|21-573208-02|-");
    expect(d, "remarks Matricula Mercantil No 21-573208-02 (Medellin).");
}

static void test_vessel_and_aircraft_ids(void **state)
{
    (void)state;
    /* ent_num 17069, CHONG CHON GANG */
    const char *d = parse_as(
        CORDON_TYPE_VESSEL,
        "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and "
        "510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
        "Institutions: North Korea Sanctions Regulations section 510.214; Vessel Registration "
        "Identification IMO 7937317.");
    expect(d, "id imo|Vessel Registration Identification IMO|7937317|-");
    expect(d, "regime DPRK");
    d = parse_as(CORDON_TYPE_VESSEL, "Vessel Registration Identification 8606173.");
    expect(d, "id imo|Vessel Registration Identification|8606173|-");
    d = parse_as(CORDON_TYPE_VESSEL, "MMSI 256842000; Former Vessel Flag Malta; alt. Former "
                                     "Vessel Flag Tanzania");
    expect(d, "id mmsi|MMSI|256842000|-");
    expect(d, "remarks Former Vessel Flag Malta; alt. Former Vessel Flag Tanzania");
    expect(org("Identification Number IMO 1869514"), "id imo|Identification Number IMO|1869514|-");
    expect(org("Company Number IMO 5418446"), "id imo|Company Number IMO|5418446|-");
    d = parse_as(CORDON_TYPE_AIRCRAFT,
                 "Aircraft Manufacture Date 2002; Aircraft Model Airbus A340-642; Aircraft "
                 "Manufacturer's Serial Number (MSN) 391; Aircraft Tail Number EP-MMH");
    expect(d, "id aircraft_serial|Aircraft Manufacturer's Serial Number (MSN)|391|-");
    expect(d, "id aircraft_tail|Aircraft Tail Number|EP-MMH|-");
    expect(d, "remarks Aircraft Manufacture Date 2002; Aircraft Model Airbus A340-642");
}

static void test_contact_and_crypto_ids(void **state)
{
    (void)state;
    const char *d = org("SWIFT/BIC KUDBKPPY; alt. SWIFT/BIC MELIHKHH; Website http://pedex.ir; "
                        "Email Address researchchemical@aliyun.com; Phone Number 907816941101; "
                        "alt. Phone Number 9647905886647; Telephone (357)(22660766); Website "
                        "www.tequilaonze.com.");
    expect(d, "id swift_bic|SWIFT/BIC|KUDBKPPY|-");
    expect(d, "id swift_bic|SWIFT/BIC|MELIHKHH|-");
    expect(d, "id website|Website|http://pedex.ir|-");
    expect(d, "id email|Email Address|researchchemical@aliyun.com|-");
    expect(d, "id phone|Phone Number|907816941101|-");
    expect(d, "id phone|Phone Number|9647905886647|-");
    expect(d, "id phone|Telephone|(357)(22660766)|-");
    expect(d, "id website|Website|www.tequilaonze.com|-");
    expect_not(d, "remarks");
    d = person("Digital Currency Address - XBT 1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn; alt. Digital "
               "Currency Address - XBT 39eboeqYNFe2VoLC3mUGx4dh6GNhLB3D2q; Digital Currency "
               "Address - ETH 0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c.");
    expect(d, "id crypto|Digital Currency Address - XBT|1AXUTu9y3H8w4wYx4BjyFWgRhZKDhmcMrn|-");
    expect(d, "id crypto|Digital Currency Address - XBT|39eboeqYNFe2VoLC3mUGx4dh6GNhLB3D2q|-");
    expect(d,
           "id crypto|Digital Currency Address - ETH|0x8576acc5c05d6ce88f4e49bf65bdf0c62f91353c|-");
    expect_not(d, "remarks");
}

/* ---- names and links ---------------------------------------------------------------------- */

static void test_aliases_in_remarks(void **state)
{
    (void)state;
    /* In the CSV files OFAC marks weak aliases by putting them in the remarks, quoted. */
    const char *d = org("a.k.a. 'BNC'.");
    expect(d, "name weak|BNC|-|-");
    expect_not(d, "remarks");
    d = person("DOB 1971; a.k.a. 'WAZIRI, Saidullah'.");
    expect(d, "name weak|WAZIRI, Saidullah|Saidullah|WAZIRI");
    d = org("f.k.a. 'TARHUNA 7TH BRIGADE'; f.k.a. 'SAM 5'");
    expect(d, "name former|TARHUNA 7TH BRIGADE|-|-");
    expect(d, "name former|SAM 5|-|-");
    /* Quotes inside the name, doubled quotes, lower case (ent_num 28263 and others). */
    expect(person("a.k.a. 'KUWAITI, Abu Shaima''"),
           "name weak|KUWAITI, Abu Shaima'|Abu Shaima'|KUWAITI");
    expect(person("a.k.a. ''FOOPIE''"), "name weak|FOOPIE|-|-");
    expect(person("a.k.a. 'tianyinyin0404'; a.k.a. 'snowsjohn'; Linked To: LAZARUS GROUP."),
           "name weak|snowsjohn|-|-");
    /* A quoted name may hold "; " (made up: no real entry does). */
    d = person("a.k.a. 'ALPHA; BETA'; DOB 1960");
    expect(d, "name weak|ALPHA; BETA|-|-");
    expect(d, "dob 1960");
    /* An unclosed quote does not swallow the rest. */
    d = person("a.k.a. 'ALPHA; DOB 1960");
    expect(d, "name weak|ALPHA|-|-");
    expect(d, "dob 1960");
}

static void test_linked_to(void **state)
{
    (void)state;
    const char *d = org("Linked To: AGROPECUARIA LA ROBLEDA S.A.; Linked To: REY NIRU "
                        "ENGINEERING COMPANY; Linked To: GRUPO MUNDO MARINO, S.A.");
    expect(d, "link AGROPECUARIA LA ROBLEDA S.A.");
    expect(d, "link REY NIRU ENGINEERING COMPANY");
    expect(d, "link GRUPO MUNDO MARINO, S.A.");
    /* The final full stop of the remarks is not part of the name... */
    expect(org("Linked To: NATIONAL IRANIAN OIL COMPANY."), "link NATIONAL IRANIAN OIL COMPANY");
    /* ...unless the name ends in an abbreviation. */
    expect(org("Linked To: PERSIAN GULF PETROCHEMICAL INDUSTRY CO."),
           "link PERSIAN GULF PETROCHEMICAL INDUSTRY CO.");
    expect(org("Linked To: SERVICIOS CHULAVISTA, S.A. DE C.V."),
           "link SERVICIOS CHULAVISTA, S.A. DE C.V.");
}

/* ---- what stays text ---------------------------------------------------------------------- */

static void test_unknown_pieces_kept(void **state)
{
    (void)state;
    const char *d = person("ICTY indictee.");
    expect(d, "remarks ICTY indictee.");
    d = org("Additional Sanctions Information - Subject to Secondary Sanctions; Organization "
            "Established Date 1963; Target Type Financial Institution; Equity Ticker 300188 CN");
    expect(d, "remarks Additional Sanctions Information - Subject to Secondary Sanctions; "
              "Organization Established Date 1963; Target Type Financial Institution; Equity "
              "Ticker 300188 CN");
    expect_not(d, "id ");
    expect_not(d, "regime");
    /* Russia-related secondary sanctions: text kept, regime added. */
    d = org("Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, 31 CFR "
            "589.201 and/or 589.209");
    expect(d, "regime RUSSIA");
    expect(d, "remarks Secondary sanctions risk: Ukraine-/Russia-Related Sanctions Regulations, "
              "31 CFR 589.201 and/or 589.209");
}

static void test_empty_and_odd_input(void **state)
{
    (void)state;
    const char *d = person("");
    assert_int_equal(count_lines(d, "name "), 1);
    expect_not(d, "remarks");
    d = person(NULL);
    expect_not(d, "remarks");
    d = person("; ;  ;; ");
    expect_not(d, "dob");
    d = person("DOB ; POB ; Passport ; a.k.a. ''; Linked To: ; nationality ");
    expect_not(d, "dob ");
    expect_not(d, "pob ");
    expect_not(d, "id ");
    expect_not(d, "link ");
    assert_int_equal(count_lines(d, "name "), 1);
    expect(d, "remarks DOB; POB; Passport; a.k.a. ''; Linked To:; nationality");
}

/* Many pieces of one kind, as in the cyber entries (ent_num 28264 lists 12 XBT addresses). */
static void test_many_pieces(void **state)
{
    (void)state;
    buf text = {0};
    for (int i = 0; i < 30; i++)
        buf_printf(&text, "%salt. Digital Currency Address - XBT 1Addr%02d", i ? "; " : "", i);
    const char *d = person(text.data);
    assert_int_equal(count_lines(d, "id crypto|"), 30);
    buf_free(&text);
}

static int teardown(void **state)
{
    (void)state;
    buf_free(&out);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dob_forms),
        cmocka_unit_test(test_dprk_individual),
        cmocka_unit_test(test_person_facts),
        cmocka_unit_test(test_passports),
        cmocka_unit_test(test_national_and_tax_ids),
        cmocka_unit_test(test_registration_ids),
        cmocka_unit_test(test_vessel_and_aircraft_ids),
        cmocka_unit_test(test_contact_and_crypto_ids),
        cmocka_unit_test(test_aliases_in_remarks),
        cmocka_unit_test(test_linked_to),
        cmocka_unit_test(test_unknown_pieces_kept),
        cmocka_unit_test(test_empty_and_odd_input),
        cmocka_unit_test(test_many_pieces),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
