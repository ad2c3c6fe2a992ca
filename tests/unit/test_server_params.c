/* test_server_params.c - the server's store request decoding (server/params.c): the alert
 * decision body and the /v1/alerts/{tail} path. */
/* Before cmocka.h, whose fail() macro would rename params.c's own fail(). */
#include "../../server/params.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

/* Parses text as a decision; returns the parser's result, the message in msg. */
static int decide(const char *text, decision_req *d, char *msg, size_t cap)
{
    json_t *root = json_loads(text, 0, NULL);
    int rc = decision_parse(root, d, msg, cap);
    /* the strings point into root: check them before it goes */
    if (rc == 0) {
        assert_non_null(d->outcome);
        assert_non_null(d->reason);
        assert_non_null(d->who);
    }
    json_decref(root);
    return rc;
}

static void bad(const char *text, const char *want)
{
    decision_req d;
    char msg[256] = "";
    if (decide(text, &d, msg, sizeof msg) != -1)
        fail_msg("accepted %s", text);
    if (!strstr(msg, want))
        fail_msg("%s: message '%s' does not say '%s'", text, msg, want);
}

static void test_decision_ok(void **state)
{
    (void)state;
    char msg[256];
    decision_req d;
    json_t *root = json_loads("{\"outcome\":\"true_match\",\"reason\":\"same\",\"who\":\"alice\","
                              "\"second_approver\":\"carol\"}", 0, NULL);
    assert_int_equal(decision_parse(root, &d, msg, sizeof msg), 0);
    assert_string_equal(d.outcome, "true_match");
    assert_string_equal(d.reason, "same");
    assert_string_equal(d.who, "alice");
    assert_string_equal(d.second_approver, "carol");
    json_decref(root);

    root = json_loads("{\"outcome\":\"escalated\",\"reason\":\"r\",\"who\":\"a\","
                      "\"second_approver\":\"\"}", 0, NULL);
    assert_int_equal(decision_parse(root, &d, msg, sizeof msg), 0);
    assert_null(d.second_approver); /* empty means none */
    json_decref(root);

    root = json_loads("{\"outcome\":\"false_positive\",\"reason\":\"r\",\"who\":\"a\","
                      "\"second_approver\":null}", 0, NULL);
    assert_int_equal(decision_parse(root, &d, msg, sizeof msg), 0);
    assert_null(d.second_approver);
    json_decref(root);
}

static void test_decision_bad(void **state)
{
    (void)state;
    bad("[1]", "body: send a JSON object");
    bad("{\"outcome\":\"maybe\",\"reason\":\"r\",\"who\":\"a\"}", "outcome: 'maybe' is not");
    bad("{\"reason\":\"r\",\"who\":\"a\"}", "outcome: required");
    bad("{\"outcome\":\"true_match\",\"who\":\"a\"}", "reason: required");
    bad("{\"outcome\":\"true_match\",\"reason\":\"  \",\"who\":\"a\"}", "reason: required (it is blank)");
    bad("{\"outcome\":\"true_match\",\"reason\":\"r\"}", "who: required");
    bad("{\"outcome\":\"true_match\",\"reason\":\"r\",\"who\":7}", "who: must be a string");
    bad("{\"outcome\":\"true_match\",\"reason\":\"r\",\"who\":\"a\",\"second_approver\":\"a\"}",
        "second_approver: must be another person");
    bad("{\"outcome\":\"true_match\",\"reason\":\"r\",\"who\":\"a\",\"when\":\"now\"}",
        "unknown field 'when'");
    char big[DECISION_MAX_WHO + 64];
    snprintf(big, sizeof big, "{\"outcome\":\"true_match\",\"reason\":\"r\",\"who\":\"%0*d\"}",
             DECISION_MAX_WHO + 1, 0);
    bad(big, "who: longer than 256 bytes");
    decision_req d;
    char msg[64];
    assert_int_equal(decision_parse(NULL, &d, msg, sizeof msg), -1); /* no body */
}

static void test_alert_path(void **state)
{
    (void)state;
    int64_t id = 0;
    bool decision = true;
    assert_int_equal(alert_path_parse("42", &id, &decision), 0);
    assert_true(id == 42 && !decision);
    assert_int_equal(alert_path_parse("7/decision", &id, &decision), 0);
    assert_true(id == 7 && decision);
    assert_int_equal(alert_path_parse("999999999999999999", &id, &decision), 0);
    assert_true(id == 999999999999999999LL);
    static const char *const bad_id[] = {"", "0", "01", "-1", "x", "4x", "{id}",
                                         "1234567890123456789", "x/decision"};
    for (size_t i = 0; i < sizeof bad_id / sizeof bad_id[0]; i++)
        if (alert_path_parse(bad_id[i], &id, &decision) != -1)
            fail_msg("'%s' is not a bad id", bad_id[i]);
    static const char *const no_endpoint[] = {"4/", "4/decisions", "4/decision/", "4//decision"};
    for (size_t i = 0; i < sizeof no_endpoint / sizeof no_endpoint[0]; i++)
        if (alert_path_parse(no_endpoint[i], &id, &decision) != -2)
            fail_msg("'%s' is not an unknown endpoint", no_endpoint[i]);
    assert_int_equal(alert_path_parse(NULL, &id, &decision), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decision_ok),
        cmocka_unit_test(test_decision_bad),
        cmocka_unit_test(test_alert_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
