/* test_snapshot.c - building, loading and refusing snapshots: counts per source, atomic
 * writes, version and checksum checks, and the entity codec's round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "cordon.h"
#include "index/snapshot.h"

static char dir[64];

static void path_in(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "%s/%s", dir, name);
}

static int make_dir(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/cordon-snap-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static cordon_status build(const char *out, const char *name, const char *format,
                           const char *rel, cordon_error *err)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CORDON_DATA_DIR, rel);
    cordon_builder *b = cordon_builder_new();
    cordon_source_spec spec = {name, format, path};
    cordon_status st = cordon_builder_add(b, &spec, err);
    if (st == CORDON_OK)
        st = cordon_builder_write(b, out, err);
    cordon_builder_free(b);
    return st;
}

static void test_counts(void **state)
{
    (void)state;
    char out[256];
    path_in(out, sizeof out, "un.snap");
    cordon_error err = {0};
    assert_int_equal(build(out, "un", "un-xml", "lists/un/consolidated_2026-02-27.xml", &err),
                     CORDON_OK);
    cordon_engine *e = cordon_engine_open(out, &err);
    assert_non_null(e);
    cordon_source_info si;
    assert_int_equal(cordon_engine_source(e, 0, &si), CORDON_OK);
    assert_string_equal(si.name, "un");
    assert_int_equal(si.by_type[CORDON_TYPE_PERSON], 730);
    assert_int_equal(si.by_type[CORDON_TYPE_ORGANIZATION], 273);
    assert_int_equal(si.entities, 1003);
    assert_string_equal(si.published, "2026-02-27");
    assert_int_equal(strlen(si.sha256), 64);
    bool dprk = false;
    for (size_t i = 0; i < si.n_regimes; i++)
        if (strcmp(si.regime_names[i], "DPRK") == 0 && si.regime_counts[i] > 100)
            dprk = true;
    assert_true(dprk);
    assert_int_equal(cordon_engine_entity_count(e), 1003);
    cordon_engine_close(e);

    path_in(out, sizeof out, "sdn.snap");
    assert_int_equal(build(out, "ofac-sdn", "ofac-csv", "lists/ofac/sdn_2021-07", &err), CORDON_OK);
    e = cordon_engine_open(out, &err);
    assert_non_null(e);
    cordon_engine_source(e, 0, &si);
    assert_int_equal(si.entities, 8976);
    cordon_engine_close(e);
}

/* Every entity decodes to what the reader produced: same names, ids and dates. */
static int compare_sink(void *ctx, const cordon_entity *e)
{
    cordon_engine *eng = ((void **)ctx)[0];
    size_t *i = ((void **)ctx)[1];
    cordon_arena *a = cordon_arena_new();
    cordon_entity d;
    assert_int_equal(cordon_engine_entity(eng, *i, a, &d), CORDON_OK);
    assert_int_equal(d.type, e->type);
    assert_string_equal(d.source_id, e->source_id);
    assert_int_equal(d.n_names, e->n_names);
    for (size_t k = 0; k < e->n_names; k++) {
        assert_string_equal(d.names[k].full, e->names[k].full);
        assert_int_equal(d.names[k].kind, e->names[k].kind);
    }
    assert_int_equal(d.n_ids, e->n_ids);
    for (size_t k = 0; k < e->n_ids; k++)
        assert_string_equal(d.ids[k].value, e->ids[k].value);
    assert_int_equal(d.n_birth_dates, e->n_birth_dates);
    if (e->n_birth_dates)
        assert_memory_equal(d.birth_dates, e->birth_dates, e->n_birth_dates * sizeof(cordon_date));
    assert_int_equal(d.n_addresses, e->n_addresses);
    assert_int_equal(d.n_programs, e->n_programs);
    cordon_arena_free(a);
    (*i)++;
    return 0;
}

static void test_roundtrip(void **state)
{
    (void)state;
    char out[256], path[512];
    path_in(out, sizeof out, "un.snap");
    cordon_error err = {0};
    cordon_engine *e = cordon_engine_open(out, &err);
    assert_non_null(e);
    snprintf(path, sizeof path, "%s/lists/un/consolidated_2026-02-27.xml", CORDON_DATA_DIR);
    size_t i = 0;
    void *ctx[2] = {e, &i};
    cordon_source_spec spec = {"un", "un-xml", path};
    assert_int_equal(cordon_read_source(&spec, compare_sink, ctx, NULL, &err), CORDON_OK);
    assert_int_equal(i, 1003);
    cordon_engine_close(e);
}

static void copy_file(const char *from, const char *to)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static void patch(const char *path, long offset, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, offset, offset < 0 ? SEEK_END : SEEK_SET);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

static void test_refuses_bad_snapshots(void **state)
{
    (void)state;
    char good[256], bad[256];
    path_in(good, sizeof good, "un.snap");
    path_in(bad, sizeof bad, "bad.snap");
    cordon_error err = {0};

    copy_file(good, bad);
    uint32_t v = CORDON_SNAPSHOT_FORMAT + 1;
    patch(bad, 8, &v, sizeof v);
    assert_null(cordon_engine_open(bad, &err));
    assert_int_equal(err.status, CORDON_ERR_FORMAT);
    assert_non_null(strstr(err.message, "format version"));

    copy_file(good, bad);
    patch(bad, -100, "\x5a", 1);
    assert_null(cordon_engine_open(bad, &err));
    assert_non_null(strstr(err.message, "checksum"));

    copy_file(good, bad);
    assert_int_equal(truncate(bad, 5000), 0);
    assert_null(cordon_engine_open(bad, &err));
    assert_non_null(strstr(err.message, "truncated"));

    FILE *f = fopen(bad, "w");
    fputs("not a snapshot at all, just some text that is long enough to have a header......"
          "...................................................................",
          f);
    fclose(f);
    assert_null(cordon_engine_open(bad, &err));
    assert_non_null(strstr(err.message, "not a cordon snapshot"));

    path_in(bad, sizeof bad, "missing.snap");
    assert_null(cordon_engine_open(bad, &err));
    assert_int_equal(err.status, CORDON_ERR_NOTFOUND);
}

/* A failed build leaves the previous snapshot as it was and no temporary file behind. */
static void test_failed_build_keeps_previous(void **state)
{
    (void)state;
    char out[256], bogus[256];
    path_in(out, sizeof out, "un.snap");
    struct stat before, after;
    assert_int_equal(stat(out, &before), 0);
    path_in(bogus, sizeof bogus, "truncated.xml");
    FILE *f = fopen(bogus, "w");
    fputs("<?xml version=\"1.0\"?><CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>A", f);
    fclose(f);
    cordon_builder *b = cordon_builder_new();
    cordon_source_spec spec = {"un", "un-xml", bogus};
    cordon_error err = {0};
    assert_int_not_equal(cordon_builder_add(b, &spec, &err), CORDON_OK);
    assert_non_null(strstr(err.message, "truncated.xml"));
    assert_int_equal(cordon_builder_write(b, out, &err), CORDON_ERR_INVALID);
    cordon_builder_free(b);
    assert_int_equal(stat(out, &after), 0);
    assert_int_equal(before.st_size, after.st_size);
    assert_int_equal(before.st_mtime, after.st_mtime);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "ls %s | grep -q tmp", dir);
    assert_int_not_equal(system(cmd), 0);
    /* Unknown formats and duplicate names are refused up front. */
    b = cordon_builder_new();
    cordon_source_spec unknown = {"x", "no-such-format", bogus};
    assert_int_equal(cordon_builder_add(b, &unknown, &err), CORDON_ERR_INVALID);
    cordon_source_spec badname = {"bad name!", "un-xml", bogus};
    assert_int_equal(cordon_builder_add(b, &badname, &err), CORDON_ERR_INVALID);
    cordon_builder_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_refuses_bad_snapshots),
        cmocka_unit_test(test_failed_build_keeps_previous),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
