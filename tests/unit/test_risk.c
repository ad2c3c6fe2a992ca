/* test_risk.c - transaction screening: identifiers, the rule packs of data/rules, the public
 * scenario fixtures, the ordinary set, CSV input, bad transactions and bad rule files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cordon.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/snapshot.h"

static char snap_path[256];
static cordon_engine *engine;
static cordon_goods *goods;
static cordon_risk *risk;

static int setup(void **state)
{
    (void)state;
    cordon_error err = {0};
    engine = test_snapshot_open("risk", 3, snap_path, sizeof snap_path);
    goods = engine ? cordon_goods_open(CORDON_DATA_DIR "/controls", &err) : NULL;
    risk = goods ? cordon_risk_open(engine, goods, CORDON_DATA_DIR "/rules", NULL, 0, &err) : NULL;
    if (!risk)
        fprintf(stderr, "setup: %s\n", err.message);
    return risk ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cordon_risk_close(risk);
    cordon_goods_close(goods);
    cordon_engine_close(engine);
    unlink(snap_path);
    return 0;
}

/* ---- helpers ---- */

static json_t *check(const char *tx_json)
{
    cordon_error err = {0};
    char *s = cordon_tx_check_json(risk, tx_json, strlen(tx_json), 0, &err);
    if (!s)
        fail_msg("check failed: %s", err.message);
    json_t *o = json_loads(s, 0, NULL);
    free(s);
    assert_non_null(o);
    return o;
}

static json_t *check_file_fixture(const char *name)
{
    char path[512], *text = NULL;
    snprintf(path, sizeof path, "%s/fixtures/tx/%s", CORDON_TEST_DIR, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t cap = 0;
    ssize_t n = getline(&text, &cap, f);
    fclose(f);
    assert_true(n > 0);
    json_t *o = check(text);
    free(text);
    return o;
}

static const char *decision(const json_t *o)
{
    return json_string_value(json_object_get(o, "decision"));
}

static const json_t *flag(const json_t *o, const char *id)
{
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(o, "flags"), i, f)
        if (strcmp(json_string_value(json_object_get(f, "id")), id) == 0)
            return f;
    return NULL;
}

static void assert_flags(const json_t *o, const char *const *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!flag(o, ids[i]))
            fail_msg("flag %s did not fire on %s", ids[i], json_string_value(json_object_get(o, "id")));
}

static int evidence_has(const json_t *f, const char *needle)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(f, "evidence"), i, e)
        if (strstr(json_string_value(e), needle))
            return 1;
    return 0;
}

/* ---- identifiers ---- */

static void test_iban(void **state)
{
    (void)state;
    assert_true(cordon_iban_valid("DE89370400440532013000"));
    assert_true(cordon_iban_valid("DE89 3704 0044 0532 0130 00"));
    assert_true(cordon_iban_valid("GB82WEST12345698765432"));
    assert_true(cordon_iban_valid("gb82 west 1234 5698 7654 32"));
    assert_true(cordon_iban_valid("NL91ABNA0417164300"));
    assert_false(cordon_iban_valid("DE89370400440532013001")); /* one digit off: mod 97 */
    assert_false(cordon_iban_valid("DE8937040044053201300"));  /* too short for DE */
    assert_false(cordon_iban_valid("KP12345678901234567890"));  /* no IBAN in the DPRK */
    assert_false(cordon_iban_valid("DE89-3704-0044-0532-0130-0!"));
    assert_false(cordon_iban_valid(""));
    assert_false(cordon_iban_valid(NULL));
}

static void test_imo(void **state)
{
    (void)state;
    assert_true(cordon_imo_valid("9074729"));
    assert_true(cordon_imo_valid("IMO 9074729"));
    assert_true(cordon_imo_valid("IMO9123453"));
    assert_true(cordon_imo_valid("8660313"));
    assert_false(cordon_imo_valid("IMO 9123457"));
    assert_false(cordon_imo_valid("907472"));
    assert_false(cordon_imo_valid("90747290"));
    assert_false(cordon_imo_valid("0000000"));
    assert_false(cordon_imo_valid("IMO 90747A9"));
    assert_false(cordon_imo_valid(NULL));
}

/* ---- the rule packs ---- */

static void test_rules_loaded(void **state)
{
    (void)state;
    cordon_risk_info info;
    cordon_risk_get_info(risk, &info);
    assert_int_equal(info.packs, 2);
    assert_int_equal(info.rules, 29); /* 8 DPRK + 21 general */
    assert_true(strncmp(info.version, "dprk@2026.11.1+general@2026.11.1 sha256:", 40) == 0);
    assert_int_equal(strlen(info.snapshot), 64);
}

/* ---- scenarios modelled on the public cases ---- */

static void test_berlin_embassy(void **state)
{
    (void)state;
    json_t *o = check_file_fixture("berlin_embassy.json");
    assert_string_equal(decision(o), "block");
    assert_true(json_number_value(json_object_get(o, "score")) == 100);
    static const char *const want[] = {"DPRK-MISSION", "GEN-MISSION-EMBARGOED",
                                       "GEN-CONTROLLED-TO-CONCERN", "GEN-FORWARDER-END-USER",
                                       "GEN-CASH-PAYMENT", "GEN-VAGUE-GOODS", "GEN-END-USE-MISSION",
                                       "GEN-NEW-COMPANY-CONTROLLED", "DPRK-NEAR-PORT-SUPPLY"};
    assert_flags(o, want, sizeof want / sizeof *want);
    const json_t *m = flag(o, "DPRK-MISSION");
    assert_string_equal(json_string_value(json_object_get(m, "severity")), "block");
    assert_non_null(strstr(json_string_value(json_object_get(m, "citation")), "S/RES/2321 (2016)"));
    assert_true(evidence_has(m, "parties[0] buyer \"Embassy of the DPRK\": name or address has \"embassy\""));
    assert_int_equal(json_integer_value(json_array_get(json_object_get(m, "parties"), 0)), 0);
    /* the pressure transducers are the controlled line: NSG Part 2 3.A.7 */
    json_t *g1 = json_array_get(json_object_get(o, "goods"), 1);
    assert_true(json_is_true(json_object_get(g1, "controlled")));
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(g1, "candidates"), 0), "code")), "3.A.7");
    assert_true(evidence_has(flag(o, "GEN-CONTROLLED-TO-CONCERN"), "route transit CN"));
    assert_true(evidence_has(flag(o, "GEN-VAGUE-GOODS"), "goods[2] \"parts\""));
    assert_true(evidence_has(flag(o, "GEN-NEW-COMPANY-CONTROLLED"), "founded 2026-03-01, 218 days"));
    assert_null(flag(o, "GEN-PARTY-LISTED"));
    json_t *v = json_object_get(o, "versions");
    assert_int_equal(strlen(json_string_value(json_object_get(v, "snapshot"))), 64);
    json_decref(o);
}

static void test_enquiry_research_institute(void **state)
{
    (void)state;
    json_t *o = check_file_fixture("ukraine_enquiry.json");
    assert_string_equal(decision(o), "block");
    static const char *const want[] = {"DPRK-ROUTE", "GEN-TECHNOLOGY-ENQUIRY",
                                       "GEN-END-USE-RESEARCH-MISSILE", "GEN-CONTROLLED-TO-CONCERN",
                                       "GEN-EMBARGOED-ROUTE", "GEN-CONTROLLED-ITEM"};
    assert_flags(o, want, sizeof want / sizeof *want);
    const json_t *f = flag(o, "GEN-END-USE-RESEARCH-MISSILE");
    assert_true(evidence_has(f, "name has \"institute\""));
    assert_true(evidence_has(f, "MTCR Annex 2.A.1.c.2"));
    assert_true(evidence_has(flag(o, "GEN-TECHNOLOGY-ENQUIRY"), "description has \"documentation\""));
    json_decref(o);
}

static void test_lc_coal(void **state)
{
    (void)state;
    json_t *o = check_file_fixture("lc_coal.json");
    static const char *const want[] = {"DPRK-COAL-NEAR-PORT", "GEN-VESSEL-IMO-INVALID",
                                       "GEN-PAYER-COUNTRY-UNRELATED", "GEN-EMBARGOED-ROUTE"};
    assert_flags(o, want, sizeof want / sizeof *want);
    assert_null(flag(o, "DPRK-GOODS-EXPORT-BAN")); /* declared Russian origin: review, not a ban */
    /* four review flags add up to the block score */
    assert_string_equal(decision(o), "block");
    assert_true(evidence_has(flag(o, "DPRK-COAL-NEAR-PORT"), "port of loading \"Nakhodka\""));
    json_t *vessel = json_array_get(json_object_get(o, "parties"), 4);
    assert_true(json_is_false(json_object_get(json_object_get(vessel, "imo"), "valid")));
    json_decref(o);
}

static void test_mission_languages(void **state)
{
    (void)state;
    static const char *const names[] = {
        "Botschaft der Demokratischen Volksrepublik Korea",
        "조선민주주의인민공화국 대사관",
        "Embassy of the Democratic People's Republic of Korea",
        "Trade Office of the DPRK",
    };
    for (size_t i = 0; i < 4; i++) {
        char tx[512];
        snprintf(tx, sizeof tx, "{\"id\":\"M%zu\",\"parties\":[{\"role\":\"buyer\",\"name\":\"%s\","
                 "\"country\":\"DE\"}],\"goods\":[{\"description\":\"office chairs\"}]}", i, names[i]);
        json_t *o = check(tx);
        if (!flag(o, "DPRK-MISSION"))
            fail_msg("DPRK-MISSION did not fire for %s", names[i]);
        assert_string_equal(decision(o), "block");
        json_decref(o);
    }
    /* a person who declares to be a DPRK diplomat */
    json_t *d = check("{\"parties\":[{\"role\":\"agent\",\"name\":\"Ri Song Chol\",\"kind\":\"diplomat\","
                      "\"country\":\"KP\"}],\"goods\":[{\"description\":\"office chairs\"}]}");
    assert_true(evidence_has(flag(d, "DPRK-MISSION"), "declared kind \"diplomat\""));
    assert_non_null(flag(d, "GEN-MISSION-EMBARGOED"));
    json_decref(d);
    /* a mission's known address under another name (the Berlin embassy compound) */
    json_t *a = check("{\"parties\":[{\"role\":\"consignee\",\"name\":\"City Hostel Berlin\","
                      "\"address\":\"Glinkastraße 5-7, 10117 Berlin\",\"country\":\"DE\"}],"
                      "\"goods\":[{\"description\":\"office chairs\"}]}");
    assert_true(evidence_has(flag(a, "DPRK-MISSION"), "address has \"glinkastraße 5\""));
    json_decref(a);
    /* the embassy of a state under no embargo only gets a review */
    json_t *o = check("{\"parties\":[{\"role\":\"buyer\",\"name\":\"Embassy of Portugal\",\"country\":\"DE\"}],"
                      "\"goods\":[{\"description\":\"lathe spindle bearings\",\"hs\":\"8482.10\"}]}");
    assert_null(flag(o, "DPRK-MISSION"));
    assert_non_null(flag(o, "GEN-MISSION-COMMERCIAL"));
    assert_string_equal(decision(o), "review");
    json_decref(o);
}

static void test_listed_party_and_vessel(void **state)
{
    (void)state;
    json_t *o = check("{\"id\":\"L1\",\"parties\":[{\"role\":\"notify_party\",\"name\":\"Korea Ryonbong General Corporation\"},"
                      "{\"role\":\"vessel\",\"name\":\"Ocean Star\",\"imo\":\"IMO 8660313\"}],"
                      "\"goods\":[{\"description\":\"cotton bed sheets\",\"hs\":\"6302.31\"}]}");
    assert_string_equal(decision(o), "block");
    const json_t *f = flag(o, "DPRK-PARTY-LISTED");
    assert_non_null(f);
    assert_true(evidence_has(f, "matches un KPe.002 \"KOREA RYONBONG GENERAL CORPORATION\""));
    assert_true(evidence_has(f, "parties[1] vessel \"Ocean Star\": matches ofac-sdn 23729 \"CHON MA SAN\""));
    assert_non_null(flag(o, "GEN-PARTY-LISTED"));
    json_decref(o);
}

static void test_dprk_goods_bans(void **state)
{
    (void)state;
    json_t *o = check("{\"parties\":[{\"role\":\"seller\",\"name\":\"Hollmann Werkzeugmaschinen GmbH\",\"country\":\"DE\"}],"
                      "\"goods\":[{\"description\":\"horizontal lathes\",\"hs\":\"8458.11\"}],"
                      "\"route\":{\"origin\":\"DE\",\"destination\":\"KP\"}}");
    const json_t *f = flag(o, "DPRK-GOODS-SUPPLY-BAN");
    assert_non_null(f);
    assert_true(evidence_has(f, "S/RES/2397 (2017), para. 7"));
    assert_null(flag(o, "DPRK-GOODS-EXPORT-BAN"));
    json_decref(o);
    o = check("{\"parties\":[{\"role\":\"buyer\",\"name\":\"Hanse Kohle GmbH\",\"country\":\"DE\"}],"
              "\"goods\":[{\"description\":\"anthracite\",\"hs\":\"2701.11\"}],"
              "\"route\":{\"origin\":\"KP\",\"destination\":\"DE\"}}");
    f = flag(o, "DPRK-GOODS-EXPORT-BAN");
    assert_non_null(f);
    assert_true(evidence_has(f, "S/RES/2371 (2017), para. 8"));
    assert_null(flag(o, "DPRK-GOODS-SUPPLY-BAN"));
    json_decref(o);
    /* a ban of both directions binds in the direction of the route only */
    o = check("{\"parties\":[{\"role\":\"seller\",\"name\":\"Alder Sensors GmbH\",\"country\":\"DE\"}],"
              "\"goods\":[{\"description\":\"pressure transducers\"}],\"route\":{\"destination\":\"KP\"}}");
    assert_true(evidence_has(flag(o, "DPRK-GOODS-SUPPLY-BAN"), "S/RES/1718 (2006), para. 8(a)(i)-(ii) (both)"));
    assert_null(flag(o, "DPRK-GOODS-EXPORT-BAN"));
    json_decref(o);
}

static void test_payment_and_accounts(void **state)
{
    (void)state;
    json_t *o = check("{\"parties\":[{\"role\":\"buyer\",\"name\":\"Alder Foods GmbH\",\"country\":\"DE\",\"iban\":\"DE89370400440532013001\"},"
                      "{\"role\":\"payer\",\"name\":\"Sunrise Holdings Ltd\",\"country\":\"SC\"}],"
                      "\"goods\":[{\"description\":\"roasted coffee beans\",\"hs\":\"0901.21\"}],"
                      "\"payment\":{\"method\":\"bank transfer\"}}");
    static const char *const want[] = {"GEN-IBAN-INVALID", "GEN-THIRD-PARTY-PAYMENT",
                                       "GEN-PAYER-COUNTRY-UNRELATED"};
    assert_flags(o, want, sizeof want / sizeof *want);
    assert_string_equal(decision(o), "block"); /* 30 + 35 + 30 reaches review; no block rule */
    json_decref(o);
}

static void test_hs_contradiction_and_vessel_without_imo(void **state)
{
    (void)state;
    json_t *o = check("{\"parties\":[{\"role\":\"vessel\",\"name\":\"Grey Gull\"}],"
                      "\"goods\":[{\"description\":\"bicycle tyres\",\"hs\":\"4011.50\"}]}");
    assert_non_null(flag(o, "GEN-HS-CONTRADICTION"));
    assert_true(evidence_has(flag(o, "GEN-VESSEL-IMO-INVALID"), "no IMO number given"));
    json_decref(o);
}

/* The memo gives the same report as a fresh screening. */
static void test_memo_same_report(void **state)
{
    (void)state;
    char path[512], *text = NULL;
    snprintf(path, sizeof path, "%s/fixtures/tx/lc_coal.json", CORDON_TEST_DIR);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t cap = 0;
    assert_true(getline(&text, &cap, f) > 0);
    fclose(f);
    cordon_error err = {0};
    cordon_risk *r = cordon_risk_open(engine, goods, CORDON_DATA_DIR "/rules", NULL, 0, &err);
    assert_non_null(r);
    cordon_risk_set_cache(r, 0);
    char *cold = cordon_tx_check_json(r, text, strlen(text), 0, &err);
    cordon_risk_set_cache(r, 1000);
    char *first = cordon_tx_check_json(r, text, strlen(text), 0, &err);
    char *warm = cordon_tx_check_json(r, text, strlen(text), 0, &err);
    assert_non_null(cold);
    assert_non_null(warm);
    assert_string_equal(cold, first);
    assert_string_equal(cold, warm);
    free(cold);
    free(first);
    free(warm);
    free(text);
    cordon_risk_close(r);
}

/* ---- the ordinary set: every one clear ---- */

typedef struct tally {
    unsigned ok, bad, clear;
    char first_error[512];
} tally;

static int tally_sink(void *ctx, long line, int ok, const char *json)
{
    tally *t = ctx;
    (void)line;
    if (!ok) {
        if (!t->bad)
            snprintf(t->first_error, sizeof t->first_error, "%s", json);
        t->bad++;
    } else {
        t->ok++;
        t->clear += strstr(json, "\"decision\":\"clear\"") != NULL;
    }
    return 0;
}

static void test_ordinary_all_clear(void **state)
{
    (void)state;
    tally t = {0};
    cordon_tx_stats st;
    cordon_error err = {0};
    assert_int_equal(cordon_tx_check_file(risk, CORDON_TEST_DIR "/fixtures/tx/ordinary.jsonl", 0, 2,
                                          tally_sink, &t, NULL, NULL, &st, &err),
                     CORDON_OK);
    assert_int_equal(st.records, 250);
    assert_int_equal(st.errors, 0);
    assert_int_equal(st.clear, 250);
    assert_int_equal(t.clear, 250);
}

/* ---- scenarios file: expected flags per line ---- */

static void test_scenarios_file(void **state)
{
    (void)state;
    tally t = {0};
    cordon_tx_stats st;
    cordon_error err = {0};
    assert_int_equal(cordon_tx_check_file(risk, CORDON_TEST_DIR "/fixtures/tx/scenarios.jsonl", 0, 2,
                                          tally_sink, &t, NULL, NULL, &st, &err),
                     CORDON_OK);
    assert_int_equal(st.records, 3);
    assert_int_equal(st.block, 3);
}

/* ---- bad input ---- */

static char tmpdir[64];

static const char *write_tmp(const char *name, const char *text)
{
    static char path[256];
    if (!tmpdir[0]) {
        snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon-risk-XXXXXX");
        assert_non_null(mkdtemp(tmpdir));
    }
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

typedef struct lines {
    char out[8][16384];
    int ok[8];
    long line[8];
    int n;
} lines;

static int lines_sink(void *ctx, long line, int ok, const char *json)
{
    lines *l = ctx;
    if (l->n < 8) {
        snprintf(l->out[l->n], sizeof l->out[0], "%s", json);
        l->ok[l->n] = ok;
        l->line[l->n++] = line;
    }
    return 0;
}

static void test_bad_lines_go_on(void **state)
{
    (void)state;
    const char *p = write_tmp("bad.jsonl",
        "{\"id\":\"A\",\"parties\":[{\"role\":\"buyer\",\"name\":\"Alder Foods GmbH\",\"country\":\"DE\"}]}\n"
        "{\"id\":\"B\",\"parties\":[\n"
        "{\"id\":\"C\",\"parties\":[{\"role\":\"buyer\",\"name\":\"X\",\"country\":\"Atlantis\"}]}\n"
        "\n"
        "{\"id\":\"D\",\"parties\":[{\"role\":\"pilot\",\"name\":\"Y\"}]}\n"
        "{\"id\":\"E\",\"goods\":[{\"description\":\"tea\",\"hs\":\"09x2\"}]}\n"
        "{\"id\":\"F\",\"goods\":[{\"description\":\"green tea\",\"hs\":\"0902.10\"}]}\n");
    lines l = {0};
    cordon_tx_stats st;
    cordon_error err = {0};
    assert_int_equal(cordon_tx_check_file(risk, p, 0, 2, lines_sink, &l, NULL, NULL, &st, &err), CORDON_OK);
    assert_int_equal(st.records, 6);
    assert_int_equal(st.errors, 4);
    assert_int_equal(l.n, 6);
    assert_true(l.ok[0] && l.ok[5]);
    assert_int_equal(l.line[5], 7);
    assert_non_null(strstr(l.out[1], "\"error\":\"line 2: "));
    assert_non_null(strstr(l.out[2], "line 3: parties[0].country: unknown country 'Atlantis'"));
    assert_non_null(strstr(l.out[3], "line 5: parties[0].role: unknown role 'pilot'"));
    assert_non_null(strstr(l.out[4], "line 6: goods[0].hs: expected digits"));
}

static void test_bad_json_body(void **state)
{
    (void)state;
    cordon_error err = {0};
    assert_null(cordon_tx_check_json(risk, "{\"id\":", 6, 0, &err));
    assert_int_equal(err.status, CORDON_ERR_PARSE);
    assert_non_null(strstr(err.message, "transaction:1:"));
    assert_null(cordon_tx_check_json(risk, "[1,2]", 5, 0, &err));
    assert_non_null(strstr(err.message, "expected a JSON object"));
    assert_null(cordon_tx_check_json(risk, "{\"id\":\"x\"}", 10, 0, &err));
    assert_non_null(strstr(err.message, "at least one party or goods line"));
    const char *b1 = "{\"parties\":[{\"role\":\"buyer\",\"name\":\"A\",\"iban\":[7]}]}";
    assert_null(cordon_tx_check_json(risk, b1, strlen(b1), 0, &err));
    assert_non_null(strstr(err.message, "parties[0].iban: expected a string"));
    const char *b2 = "{\"parties\":[{\"role\":\"buyer\",\"name\":\"A\",\"founded\":\"last year\"}]}";
    assert_null(cordon_tx_check_json(risk, b2, strlen(b2), 0, &err));
    assert_non_null(strstr(err.message, "parties[0].founded"));
}

static void test_empty_file(void **state)
{
    (void)state;
    cordon_error err = {0};
    assert_int_not_equal(cordon_tx_check_file(risk, write_tmp("empty.jsonl", ""), 0, 1, NULL, NULL,
                                              NULL, NULL, NULL, &err), CORDON_OK);
    assert_non_null(strstr(err.message, "empty file"));
    assert_int_not_equal(cordon_tx_check_file(risk, write_tmp("empty.csv", ""), 1, 1, NULL, NULL,
                                              NULL, NULL, NULL, &err), CORDON_OK);
    assert_non_null(strstr(err.message, "empty"));
}

static void test_flat_csv(void **state)
{
    (void)state;
    lines l = {0};
    cordon_tx_stats st;
    cordon_error err = {0};
    assert_int_equal(cordon_tx_check_file(risk, CORDON_TEST_DIR "/fixtures/tx/flat.csv", 1, 2,
                                          lines_sink, &l, NULL, NULL, &st, &err), CORDON_OK);
    assert_int_equal(st.records, 4);
    assert_int_equal(st.errors, 1);
    assert_true(l.ok[0] && l.ok[1] && l.ok[3]);
    assert_non_null(strstr(l.out[0], "\"decision\":\"clear\""));
    assert_non_null(strstr(l.out[1], "\"DPRK-MISSION\""));
    assert_non_null(strstr(l.out[1], "\"GEN-CASH-PAYMENT\""));
    assert_non_null(strstr(l.out[2], "line 4: parties[0].country: unknown country"));
    assert_non_null(strstr(l.out[3], "\"GEN-VESSEL-IMO-INVALID\""));
}

/* ---- bad rule files ---- */

static void expect_rules_error(const char *text, const char *needle)
{
    const char *p = write_tmp("bad-rules.json", text);
    cordon_error err = {0};
    cordon_risk *r = cordon_risk_open(engine, goods, NULL, &p, 1, &err);
    if (r) {
        cordon_risk_close(r);
        fail_msg("rules loaded, expected: %s", needle);
    }
    if (!strstr(err.message, needle))
        fail_msg("message '%s' lacks '%s'", err.message, needle);
    if (!strstr(err.message, "bad-rules.json"))
        fail_msg("message '%s' does not name the file", err.message);
}

#define PACK "{\"pack\":\"t\",\"version\":\"1\",\"rules\":["
static void test_bad_rules(void **state)
{
    (void)state;
    expect_rules_error("{\"pack\":", "bad-rules.json:1:");
    expect_rules_error(PACK "]}", "no rules");
    expect_rules_error(PACK "{\"id\":\"R1\",\"severity\":\"block\",\"weight\":10,\"explanation\":\"x\",\"when\":{\"route\":{\"in\":[\"KP\"]}}}]}",
                       "rule R1: citation: missing");
    expect_rules_error(PACK "{\"id\":\"R2\",\"severity\":\"urgent\",\"weight\":10,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"route\":{\"in\":[\"KP\"]}}}]}",
                       "rule R2: severity");
    expect_rules_error(PACK "{\"id\":\"R3\",\"severity\":\"review\",\"weight\":10,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"exec\":\"rm -rf /\"}}]}",
                       "rule R3: unknown operator: exec");
    expect_rules_error(PACK "{\"id\":\"R4\",\"severity\":\"review\",\"weight\":10,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"name_has\":[\"x\"]}}]}",
                       "rule R4: name_has: only allowed inside party.where");
    expect_rules_error(PACK "{\"id\":\"R5\",\"severity\":\"review\",\"weight\":10,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"route\":{\"in\":\"@nowhere\"}}}]}",
                       "rule R5: route: unknown list name");
    expect_rules_error(PACK "{\"id\":\"R6\",\"severity\":\"review\",\"weight\":10,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"route\":{\"in\":[\"Narnia\"]}}}]}",
                       "rule R6: route: unknown country 'Narnia'");
    expect_rules_error(PACK "{\"id\":\"R7\",\"severity\":\"review\",\"weight\":500,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"route\":{\"in\":[\"KP\"]}}}]}",
                       "rule R7: weight");
    expect_rules_error(PACK "{\"id\":\"R8\",\"severity\":\"review\",\"weight\":5,\"explanation\":\"x\",\"citation\":\"c\",\"when\":{\"party\":{\"roles\":[\"pilot\"],\"where\":{\"country_in\":[\"KP\"]}}}}]}",
                       "rule R8: party: unknown role 'pilot'");
    /* nesting deeper than 12 levels */
    char deep[2048] = PACK "{\"id\":\"R9\",\"severity\":\"review\",\"weight\":5,\"explanation\":\"x\",\"citation\":\"c\",\"when\":";
    for (int i = 0; i < 14; i++)
        strcat(deep, "{\"not\":");
    strcat(deep, "{\"route\":{\"in\":[\"KP\"]}}");
    for (int i = 0; i < 14; i++)
        strcat(deep, "}");
    strcat(deep, "}]}");
    expect_rules_error(deep, "rule R9: when: conditions nested deeper than 12 levels");
}

static void test_rules_override(void **state)
{
    (void)state;
    const char *p = write_tmp("local.json",
        "{\"pack\":\"local\",\"version\":\"7\",\"lists\":{\"cash_words\":[\"cheque\"]},\"rules\":["
        "{\"id\":\"GEN-DIVERSION-HUB\",\"disabled\":true},"
        "{\"id\":\"LOCAL-CHEQUE\",\"severity\":\"info\",\"weight\":5,\"explanation\":\"x\",\"citation\":\"house rule 1\","
        "\"when\":{\"field\":{\"name\":\"payment.method\",\"has\":\"@cash_words\"}}}]}");
    cordon_error err = {0};
    cordon_risk *r = cordon_risk_open(engine, goods, CORDON_DATA_DIR "/rules", &p, 1, &err);
    assert_non_null(r);
    cordon_risk_info info;
    cordon_risk_get_info(r, &info);
    assert_int_equal(info.packs, 3);
    assert_int_equal(info.rules, 29); /* one disabled, one added */
    assert_non_null(strstr(info.version, "+local@7 sha256:"));
    const char *tx = "{\"parties\":[{\"role\":\"buyer\",\"name\":\"Alder Foods GmbH\",\"country\":\"DE\"}],"
                     "\"payment\":{\"method\":\"cheque\"}}";
    char *s = cordon_tx_check_json(r, tx, strlen(tx), 0, &err);
    assert_non_null(s);
    /* the later list replaces the general pack's cash words for every rule */
    assert_non_null(strstr(s, "\"LOCAL-CHEQUE\""));
    assert_non_null(strstr(s, "\"GEN-CASH-PAYMENT\""));
    free(s);
    cordon_risk_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iban),
        cmocka_unit_test(test_imo),
        cmocka_unit_test(test_rules_loaded),
        cmocka_unit_test(test_berlin_embassy),
        cmocka_unit_test(test_enquiry_research_institute),
        cmocka_unit_test(test_lc_coal),
        cmocka_unit_test(test_mission_languages),
        cmocka_unit_test(test_listed_party_and_vessel),
        cmocka_unit_test(test_dprk_goods_bans),
        cmocka_unit_test(test_payment_and_accounts),
        cmocka_unit_test(test_hs_contradiction_and_vessel_without_imo),
        cmocka_unit_test(test_memo_same_report),
        cmocka_unit_test(test_ordinary_all_clear),
        cmocka_unit_test(test_scenarios_file),
        cmocka_unit_test(test_bad_lines_go_on),
        cmocka_unit_test(test_bad_json_body),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_flat_csv),
        cmocka_unit_test(test_bad_rules),
        cmocka_unit_test(test_rules_override),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
