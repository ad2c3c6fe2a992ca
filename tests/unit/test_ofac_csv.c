/* test_ofac_csv.c - the OFAC legacy CSV reader on the real SDN 2021-07 and consolidated
 * 2025-12 sets (counts checked against the files with grep/awk; entries checked field by
 * field), and on small broken sets written to temporary directories. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lists/reader.h"

#define SDN_DIR CORDON_DATA_DIR "/lists/ofac/sdn_2021-07"
#define CONS_DIR CORDON_DATA_DIR "/lists/ofac/cons_2025-12"

/* ---- collecting what the reader produces ---------------------------------------------------- */

static void dump_entity(const cordon_entity *e, buf *o)
{
    buf_printf(o, "== %s %s %s\n", e->source_id, cordon_entity_type_name(e->type), e->source);
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
    for (size_t i = 0; i < e->n_addresses; i++)
        buf_printf(o, "addr %s|%s\n", e->addresses[i].text,
                   e->addresses[i].country ? e->addresses[i].country : "-");
    for (size_t i = 0; i < e->n_programs; i++)
        buf_printf(o, "prog %s\n", e->programs[i]);
    for (size_t i = 0; i < e->n_regimes; i++)
        buf_printf(o, "regime %s\n", e->regimes[i]);
    for (size_t i = 0; i < e->n_linked_to; i++)
        buf_printf(o, "link %s\n", e->linked_to[i]);
    if (e->gender)
        buf_printf(o, "gender %s\n", e->gender);
    if (e->remarks)
        buf_printf(o, "remarks %s\n", e->remarks);
}

typedef struct tally {
    size_t total, by_type[CORDON_TYPE_COUNT];
    size_t dprk_regime, dprk_program;
    size_t names_by_kind[CORDON_NAME_KIND_COUNT], ids_by_type[CORDON_ID_TYPE_COUNT];
    size_t addresses, links, birth_dates;
    const char *const *keep; /* ent_nums whose dump is kept */
    buf dumps;
    int stop_after; /* > 0: ask the reader to stop after this many entities */
} tally;

static bool has_dprk_program(const cordon_entity *e)
{
    for (size_t i = 0; i < e->n_programs; i++)
        if (strncmp(e->programs[i], "DPRK", 4) == 0)
            return true;
    return false;
}

static int tally_sink(void *ctx, const cordon_entity *e)
{
    tally *t = ctx;
    t->total++;
    t->by_type[e->type]++;
    for (size_t i = 0; i < e->n_regimes; i++)
        t->dprk_regime += strcmp(e->regimes[i], "DPRK") == 0;
    t->dprk_program += has_dprk_program(e);
    for (size_t i = 0; i < e->n_names; i++)
        t->names_by_kind[e->names[i].kind]++;
    for (size_t i = 0; i < e->n_ids; i++)
        t->ids_by_type[e->ids[i].type]++;
    t->addresses += e->n_addresses;
    t->links += e->n_linked_to;
    t->birth_dates += e->n_birth_dates;
    for (const char *const *k = t->keep; k && *k; k++)
        if (strcmp(*k, e->source_id) == 0)
            dump_entity(e, &t->dumps);
    return t->stop_after > 0 && (int)t->total >= t->stop_after;
}

static cordon_status read_set(const char *dir, const char *name, tally *t, cordon_error *err)
{
    cordon_source_spec spec = {name, "ofac-csv", dir};
    cordon_source_meta meta;
    memset(&meta, 'x', sizeof meta);
    cordon_status st = cordon_read_source(&spec, tally_sink, t, &meta, err);
    if (st == CORDON_OK)
        assert_string_equal(meta.published, "");
    return st;
}

/* The dump of one entry, as a NUL-terminated copy (caller frees). */
static char *entry(const tally *t, const char *ent)
{
    char head[64];
    snprintf(head, sizeof head, "== %s ", ent);
    const char *p = t->dumps.data ? strstr(t->dumps.data, head) : NULL;
    if (!p)
        fail_msg("entry %s not dumped", ent);
    const char *end = strstr(p + 1, "\n== ");
    size_t n = end ? (size_t)(end - p) + 1 : strlen(p);
    char *s = malloc(n + 1);
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static void expect(const char *dump, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = dump; (p = strstr(p, line)); p++)
        if ((p == dump || p[-1] == '\n') && p[n] == '\n')
            return;
    fail_msg("missing line '%s' in:\n%s", line, dump);
}

static void expect_count(const char *dump, const char *prefix, size_t want)
{
    size_t n = 0, l = strlen(prefix);
    for (const char *p = dump; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        n += strncmp(p, prefix, l) == 0;
    if (n != want)
        fail_msg("%zu lines '%s', expected %zu, in:\n%s", n, prefix, want, dump);
}

/* ---- the real SDN set ----------------------------------------------------------------------- */

static tally sdn, cons;

static const char *const sdn_keep[] = {"9347",  "17069", "19791", "18552", "28264", "28263",
                                       "15037", "18150", "12300", "306",   NULL};
static const char *const cons_keep[] = {"9639", "17014", "17016", NULL};

static int setup(void **state)
{
    (void)state;
    cordon_error err = {0};
    sdn.keep = sdn_keep;
    cons.keep = cons_keep;
    if (read_set(SDN_DIR, "ofac-sdn", &sdn, &err) != CORDON_OK ||
        read_set(CONS_DIR, "ofac-cons", &cons, &err) != CORDON_OK) {
        fprintf(stderr, "reading the real sets failed: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    buf_free(&sdn.dumps);
    buf_free(&cons.dumps);
    return 0;
}

static void test_sdn_counts(void **state)
{
    (void)state;
    /* wc -l sdn.csv; grep -c ',"individual",' ... ; grep -c '^[0-9]*,"[^"]*",-0- ,' */
    assert_int_equal(sdn.total, 8976);
    assert_int_equal(sdn.by_type[CORDON_TYPE_PERSON], 4620);
    assert_int_equal(sdn.by_type[CORDON_TYPE_ORGANIZATION], 3673);
    assert_int_equal(sdn.by_type[CORDON_TYPE_VESSEL], 406);
    assert_int_equal(sdn.by_type[CORDON_TYPE_AIRCRAFT], 277);
    assert_int_equal(sdn.by_type[CORDON_TYPE_UNKNOWN], 0);
    /* 414 entries carry a DPRK program (DPRK, DPRK2-4, DPRK-NKSPEA); `grep -c DPRK sdn.csv`
     * says 415 because ent_num 15667 (program NPWMD) mentions "POB Kaesong, DPRK". The DPRK
     * regime also goes to NPWMD entries under North Korea Sanctions Regulations secondary
     * sanctions (KOREA RYONBONG, TANCHON COMMERCIAL BANK...): 502, the entries whose program
     * or remarks name the DPRK programme (`grep -c 'DPRK\|North Korea Sanctions'`). */
    assert_int_equal(sdn.dprk_program, 414);
    assert_int_equal(sdn.dprk_regime, 502);
}

static void test_sdn_side_files(void **state)
{
    (void)state;
    assert_int_equal(sdn.names_by_kind[CORDON_NAME_PRIMARY], 8976);
    /* alt.csv: 11523 aka + 18 nka rows; 6 repeat the primary name or another alias. */
    assert_int_equal(sdn.names_by_kind[CORDON_NAME_STRONG_AKA], 11535);
    /* 369 fka rows + 24 "f.k.a. '...'" in the remarks */
    assert_int_equal(sdn.names_by_kind[CORDON_NAME_FORMER], 393);
    /* grep -o "a\.k\.a\. '" over the set: 2417 weak aliases in the remarks */
    assert_int_equal(sdn.names_by_kind[CORDON_NAME_WEAK_AKA], 2417);
    /* add.csv rows with any of address, city, country filled */
    assert_int_equal(sdn.addresses, 11440);
    /* 3408 "Linked To: " + 10 vessel owners */
    assert_int_equal(sdn.links, 3418);
    /* 409 "Vessel Registration Identification IMO n" + 1 without the word IMO, + 38
     * "Identification Number IMO" + 35 "Company Number IMO" */
    assert_int_equal(sdn.ids_by_type[CORDON_ID_IMO], 410 + 38 + 35);
    assert_int_equal(sdn.ids_by_type[CORDON_ID_MMSI], 51);
    /* 70 Call_Sign column values + 1 "Other Vessel Call Sign" in the remarks */
    assert_int_equal(sdn.ids_by_type[CORDON_ID_CALL_SIGN], 71);
}

static void test_korea_ryonbong(void **state)
{
    (void)state;
    char *d = entry(&sdn, "9347");
    expect(d, "== 9347 organization ofac-sdn");
    expect(d, "name primary|KOREA RYONBONG GENERAL CORPORATION|-|-");
    expect(d, "name strong|KOREA YONBONG GENERAL CORPORATION|-|-");
    expect(d, "name former|LYONGAKSAN GENERAL TRADING CORPORATION|-|-");
    expect(d, "addr Pot'onggang District, Pyongyang|KP");
    expect(d, "addr Rakwon-dong, Pothonggang District, Pyongyang|KP");
    expect(d, "prog NPWMD");
    expect(d, "regime NONPROLIFERATION");
    expect(d, "regime DPRK");
    expect(d, "remarks Secondary sanctions risk: North Korea Sanctions Regulations, sections "
              "510.201 and 510.210; Transactions Prohibited For Persons Owned or Controlled By "
              "U.S. Financial Institutions: North Korea Sanctions Regulations section 510.214.");
    expect_count(d, "name ", 3);
    expect_count(d, "id ", 0);
    free(d);
}

static void test_dprk_vessel(void **state)
{
    (void)state;
    char *d = entry(&sdn, "17069");
    expect(d, "== 17069 vessel ofac-sdn");
    expect(d, "name primary|CHONG CHON GANG|-|-");
    expect(d, "id imo|Vessel Registration Identification IMO|7937317|-");
    expect(d, "prog DPRK");
    expect(d, "regime DPRK");
    expect(d, "remarks Vessel Type: General Cargo; Flag: Democratic People's Republic of Korea; "
              "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 "
              "and 510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. "
              "Financial Institutions: North Korea Sanctions Regulations section 510.214");
    free(d);
    /* An Iranian tanker with call sign, MMSI, former names and an owner. */
    d = entry(&sdn, "15037");
    expect(d, "name primary|ARK|-|-");
    expect(d, "name former|ABADEH|-|-");
    expect(d, "name former|CRYSTAL|-|-");
    expect(d, "name former|SUNDIAL|-|-");
    expect(d, "id call_sign|Call Sign|9HDQ9|-");
    expect(d, "id imo|Vessel Registration Identification IMO|9187655|-");
    expect(d, "id mmsi|MMSI|256842000|-");
    expect(d, "link NATIONAL IRANIAN TANKER COMPANY");
    expect(d, "remarks Vessel Type: Crude/Oil Products Tanker; Tonnage: 99,030; GRT: 56,068; "
              "Flag: Panama; Former Vessel Flag Malta; alt. Former Vessel Flag Tanzania; "
              "Additional Sanctions Information - Subject to Secondary Sanctions");
    free(d);
}

static void test_dprk_individuals(void **state)
{
    (void)state;
    char *d = entry(&sdn, "19791");
    expect(d, "== 19791 person ofac-sdn");
    expect(d, "name primary|CHO, Il-U|Il-U|CHO");
    expect(d, "name strong|CHO, Il Woo|Il Woo|CHO");
    expect(d, "name strong|CHO, Ch'o'l|Ch'o'l|CHO");
    expect(d, "name strong|JO, Chol|Chol|JO");
    expect(d, "id passport|Passport|736410010|KP");
    expect(d, "dob 1945-05-10");
    expect(d, "pob Musan, North Hamgyo'ng Province, North Korea");
    expect(d, "nat KP");
    expect(d, "addr |KP");
    expect(d, "prog DPRK2");
    expect(d, "regime DPRK");
    expect(d, "remarks Title: Director of the Fifth Bureau of the Reconnaissance General Bureau; "
              "Secondary sanctions risk: North Korea Sanctions Regulations, sections 510.201 and "
              "510.210; Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
              "Institutions: North Korea Sanctions Regulations section 510.214; Director of the "
              "Fifth Bureau of the Reconnaissance General Bureau.");
    free(d);
    d = entry(&sdn, "18552");
    expect(d, "name primary|HWANG, Su Man|Su Man|HWANG");
    expect(d, "id passport|Passport|472220033|KP");
    expect(d, "dob 1955-04-06");
    expect(d, "nat KP");
    expect(d, "link KOREA MINING DEVELOPMENT TRADING CORPORATION");
    free(d);
}

/* sdn.csv cuts remarks at 1,000 characters; sdn_comments.csv goes on mid-word. */
static void test_remarks_continued_in_comments(void **state)
{
    (void)state;
    char *d = entry(&sdn, "28264");
    expect(d, "name primary|LI, Jiadong|Jiadong|LI");
    expect(d, "name weak|blackjack1987|-|-");
    expect(d, "name weak|khaleesi|-|-");
    /* "... 510.210; P" + "hone Number 8613314257947; alt. Phone Number 8618004121000; ..." */
    expect(d, "id phone|Phone Number|8613314257947|-");
    expect(d, "id phone|Phone Number|8618004121000|-");
    expect(d, "id national_id|Identification Number|210302198701102136|CN");
    expect(d, "dob 1987-01-10");
    expect(d, "nat CN");
    expect(d, "gender male");
    expect(d, "addr Anshan, Liaoning|CN");
    expect(d, "link LAZARUS GROUP");
    expect(d, "prog DPRK3");
    expect(d, "prog CYBER2");
    expect_count(d, "id crypto|Digital Currency Address - XBT|", 12);
    free(d);
    /* "a.k.a. 'snowsjo" + "hn'; Linked To: LAZARUS GROUP." */
    d = entry(&sdn, "28263");
    expect(d, "name weak|snowsjohn|-|-");
    expect(d, "link LAZARUS GROUP");
    free(d);
    /* 12300: the continuation is 596 characters of "Linked To:" pieces. */
    d = entry(&sdn, "12300");
    expect(d, "link PROMO RAIZ S.A.S.");
    expect(d, "link RED MUNDIAL INMOBILIARIA, S.A. DE C.V.");
    free(d);
}

static void test_aircraft_and_first_entry(void **state)
{
    (void)state;
    char *d = entry(&sdn, "18150");
    expect(d, "== 18150 aircraft ofac-sdn");
    expect(d, "name primary|MSN 391|-|-");
    expect(d, "id aircraft_serial|Aircraft Manufacturer's Serial Number (MSN)|391|-");
    expect(d, "id aircraft_tail|Aircraft Tail Number|EP-MMH|-");
    expect(d, "link MAHAN AIR");
    expect(d, "regime IRAN");
    free(d);
    d = entry(&sdn, "306");
    expect(d, "name primary|BANCO NACIONAL DE CUBA|-|-");
    expect(d, "name strong|NATIONAL BANK OF CUBA|-|-");
    expect(d, "name weak|BNC|-|-");
    expect(d, "addr Zweierstrasse 35, Zurich CH-8022|CH");
    expect(d, "prog CUBA");
    expect_count(d, "addr ", 4);
    expect_count(d, "remarks", 0);
    free(d);
}

/* ---- the real consolidated (non-SDN) set --------------------------------------------------- */

static void test_cons_set(void **state)
{
    (void)state;
    assert_int_equal(cons.total, 442);
    assert_int_equal(cons.by_type[CORDON_TYPE_PERSON], 79);
    assert_int_equal(cons.by_type[CORDON_TYPE_ORGANIZATION], 363);
    assert_int_equal(cons.dprk_regime, 0);
    /* cons_alt.csv: 932 aka, 141 fka; remarks: 69 a.k.a., 3 f.k.a. */
    assert_int_equal(cons.names_by_kind[CORDON_NAME_WEAK_AKA], 69);
    assert_int_equal(cons.names_by_kind[CORDON_NAME_FORMER], 144);
    assert_int_equal(cons.addresses, 522);
    char *d = entry(&cons, "9639");
    expect(d, "== 9639 person ofac-cons");
    expect(d, "name primary|HANIYA, Ismail Abdul Salah|Ismail Abdul Salah|HANIYA");
    expect(d, "name strong|HANIYYA, Ismaeel|Ismaeel|HANIYYA");
    expect(d, "dob 1962");
    expect(d, "pob Shati");
    expect(d, "prog NS-PLC");
    free(d);
    /* Remarks continued in cons_comments.csv: "Registration Numbe" + "r 1027700342890". */
    d = entry(&cons, "17014");
    expect(d, "id registration|Registration Number|1027700342890|RU");
    expect(d, "id swift_bic|SWIFT/BIC|RUAGRUMM|-");
    expect(d, "name weak|RUSAG|-|-");
    expect(d, "regime RUSSIA");
    free(d);
    d = entry(&cons, "17016");
    expect(d, "id tax_id|Tax ID No.|7744001497|RU");
    expect(d, "id registration|Legal Entity Number|253400WSS48YWMBUA688|-");
    expect(d, "name former|GAZPROMBANK OPEN JOINT STOCK COMPANY|-|-");
    free(d);
}

/* ---- bad input ---------------------------------------------------------------------------- */

/* A temporary directory holding the given files (name, content pairs, NULL-terminated). */
static char *make_set(const char *const *files)
{
    char tmpl[] = "/tmp/cordon_ofac_XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    dir = strdup(dir);
    for (size_t i = 0; files[i]; i += 2) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(files[i + 1], f);
        fclose(f);
    }
    return dir;
}

static void remove_set(char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
    free(dir);
}

static cordon_status read_dir(const char *dir, tally *t, cordon_error *err)
{
    memset(err, 0, sizeof *err);
    return read_set(dir, "t", t, err);
}

static void expect_message(const cordon_error *err, const char *part)
{
    if (!strstr(err->message, part))
        fail_msg("message '%s' lacks '%s'", err->message, part);
}

#define GOOD_ROW                                                                                   \
    "1,\"DOE, John\",\"individual\",\"DPRK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"

/* Reads a set whose main file holds n bytes and whose side files are empty. */
static cordon_status read_main_bytes(const char *content, size_t n, cordon_error *err)
{
    const char *files[] = {"sdn.csv", "", "alt.csv", "", "add.csv", "", NULL};
    char *dir = make_set(files);
    char path[512];
    snprintf(path, sizeof path, "%s/sdn.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, n, f), n);
    fclose(f);
    tally t = {0};
    cordon_status st = read_dir(dir, &t, err);
    remove_set(dir);
    return st;
}

static cordon_status read_main_only(const char *content, cordon_error *err)
{
    return read_main_bytes(content, strlen(content), err);
}

static void test_missing_files(void **state)
{
    (void)state;
    cordon_error err;
    tally t = {0};
    const char *none[] = {"readme.txt", "x", NULL};
    char *dir = make_set(none);
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_NOTFOUND);
    expect_message(&err, dir);
    expect_message(&err, "no sdn.csv or cons_prim.csv");
    remove_set(dir);
    const char *no_alt[] = {"sdn.csv", GOOD_ROW, "add.csv", "", NULL};
    dir = make_set(no_alt);
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_NOTFOUND);
    expect_message(&err, "alt.csv: missing");
    remove_set(dir);
    assert_int_not_equal(read_dir("/nonexistent/ofac", &t, &err), CORDON_OK);
    expect_message(&err, "/nonexistent/ofac");
    /* Both sets in one directory, or one file under two spellings: ambiguous. */
    const char *both[] = {"sdn.csv", GOOD_ROW,        "alt.csv", "",  "add.csv",
                          "",        "cons_prim.csv", GOOD_ROW,  NULL};
    dir = make_set(both);
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_INVALID);
    remove_set(dir);
    const char *twice[] = {"sdn.csv", GOOD_ROW,  "SDN.CSV", GOOD_ROW, "alt.csv",
                           "",        "add.csv", "",        NULL};
    dir = make_set(twice);
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_INVALID);
    expect_message(&err, "which one is meant");
    remove_set(dir);
    assert_int_equal(t.total, 0);
}

static void test_upper_case_names_and_comments(void **state)
{
    (void)state;
    const char *files[] = {
        "SDN.CSV",
        "7,\"DOE, John\",\"individual\",\"DPRK3] [CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
        "\"DOB 1960; Passport 12\"\r\n\x1a",
        "ALT.CSV",
        "7,1,\"fka\",\"ROE, Jim\",-0- \r\n",
        "ADD.CSV",
        "7,2,-0- ,\"Pyongyang\",\"Korea, North\",-0- \r\n",
        "SDN_COMMENTS.CSV",
        "7,\"34 (Korea, North); a.k.a. 'JD'.\"\r\n",
        NULL};
    char *dir = make_set(files);
    tally t = {0};
    const char *keep[] = {"7", NULL};
    t.keep = keep;
    cordon_error err;
    assert_int_equal(read_dir(dir, &t, &err), CORDON_OK);
    assert_int_equal(t.total, 1);
    char *d = entry(&t, "7");
    expect(d, "name primary|DOE, John|John|DOE");
    expect(d, "name former|ROE, Jim|Jim|ROE");
    expect(d, "name weak|JD|-|-");
    expect(d, "id passport|Passport|1234|KP");
    expect(d, "dob 1960");
    expect(d, "addr Pyongyang|KP");
    expect(d, "prog DPRK3");
    expect(d, "prog CYBER2");
    expect(d, "regime DPRK");
    expect(d, "regime CYBER");
    expect_count(d, "remarks", 0);
    free(d);
    buf_free(&t.dumps);
    remove_set(dir);
}

static void test_wrong_column_count(void **state)
{
    (void)state;
    cordon_error err;
    assert_int_equal(read_main_only(GOOD_ROW "2,\"X\",-0- \r\n", &err), CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:2: expected 12 fields, found 3");
    /* In a side file the message names that file and line. */
    const char *files[] = {"sdn.csv", GOOD_ROW, "alt.csv", "1,2,\"aka\",\"X\",-0- \n1,3,\"aka\"\n",
                           "add.csv", "",       NULL};
    char *dir = make_set(files);
    tally t = {0};
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_PARSE);
    expect_message(&err, "alt.csv:2: expected 5 fields, found 3");
    remove_set(dir);
}

static void test_bad_values(void **state)
{
    (void)state;
    cordon_error err;
    assert_int_equal(read_main_only(GOOD_ROW GOOD_ROW "x1,\"A\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- "
                                                      ",-0- ,-0- ,-0- ,-0- \n",
                                    &err),
                     CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:3: ent_num 'x1' is not a number");
    assert_int_equal(read_main_only("1,\"A\",\"ship\",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                                    ",-0- \n",
                                    &err),
                     CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:1: unknown SDN_Type 'ship'");
    assert_int_equal(read_main_only("1,-0- ,-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "
                                    ",-0- \n",
                                    &err),
                     CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:1: ent_num 1 has no name");
    assert_int_equal(read_main_only(GOOD_ROW "2,\"unterminated,", &err), CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:2");
    const char *files[] = {"sdn.csv", GOOD_ROW, "alt.csv", "1,2,\"xyz\",\"X\",-0- \n",
                           "add.csv", "",       NULL};
    char *dir = make_set(files);
    tally t = {0};
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_PARSE);
    expect_message(&err, "alt.csv:1: unknown alt_type 'xyz'");
    remove_set(dir);
}

/* The published files are ASCII; a Latin-1 byte is an error, not silently re-encoded. */
static void test_invalid_utf8(void **state)
{
    (void)state;
    cordon_error err;
    assert_int_equal(read_main_only(GOOD_ROW "2,\"JOS\xc9\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- "
                                             ",-0- ,-0- ,-0- \n",
                                    &err),
                     CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:2");
    expect_message(&err, "UTF-8");
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    cordon_error err;
    assert_int_equal(read_main_only("", &err), CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:1: empty file");
    assert_int_equal(read_main_only("\r\n\r\n\x1a", &err), CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:1: empty file");
    static const char binary[] = "\x7f"
                                 "ELF\x02\x01\x01\x00\x00\x00\x00\x03\x00>\x00";
    assert_int_equal(read_main_bytes(binary, sizeof binary - 1, &err), CORDON_ERR_PARSE);
    expect_message(&err, "sdn.csv:1");
    assert_int_not_equal(read_main_only("\x89PNG\r\n\x1a\n\xff\xfe\xfd", &err), CORDON_OK);
    expect_message(&err, "sdn.csv:");
}

static void test_huge_field(void **state)
{
    (void)state;
    const char *files[] = {"sdn.csv", "", "alt.csv", "", "add.csv", "", NULL};
    char *dir = make_set(files);
    char path[512];
    snprintf(path, sizeof path, "%s/sdn.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("1,\"", f);
    for (size_t i = 0; i < 10u << 20; i++)
        fputc('A', f);
    fputs("\",-0- ,\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n", f);
    fclose(f);
    tally t = {0};
    cordon_error err;
    assert_int_equal(read_dir(dir, &t, &err), CORDON_ERR_LIMIT);
    expect_message(&err, "sdn.csv:1");
    assert_int_equal(t.total, 0);
    remove_set(dir);
}

static void test_sink_stops(void **state)
{
    (void)state;
    tally t = {0};
    t.stop_after = 100;
    cordon_error err;
    assert_int_equal(read_dir(SDN_DIR, &t, &err), CORDON_ERR_ABORTED);
    assert_int_equal(t.total, 100);
    expect_message(&err, "sdn.csv:100");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdn_counts),
        cmocka_unit_test(test_sdn_side_files),
        cmocka_unit_test(test_korea_ryonbong),
        cmocka_unit_test(test_dprk_vessel),
        cmocka_unit_test(test_dprk_individuals),
        cmocka_unit_test(test_remarks_continued_in_comments),
        cmocka_unit_test(test_aircraft_and_first_entry),
        cmocka_unit_test(test_cons_set),
        cmocka_unit_test(test_missing_files),
        cmocka_unit_test(test_upper_case_names_and_comments),
        cmocka_unit_test(test_wrong_column_count),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_huge_field),
        cmocka_unit_test(test_sink_stops),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
