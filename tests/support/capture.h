/* capture.h - for reader tests: a deep copy of every entity a reader hands its sink, so a
 * test can look at all of them after the read. Included by the reader tests that share it
 * (static functions: each test is its own program). */
#ifndef CORDON_TEST_CAPTURE_H
#define CORDON_TEST_CAPTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lists/reader.h"

/* ---- a deep copy of what the sink saw ------------------------------------------------ */

typedef struct {
    cordon_name_kind kind;
    char *full, *given, *middle, *family, *script;
} cap_name;

typedef struct {
    cordon_id_type type;
    char *label, *value, *country;
} cap_id;

typedef struct {
    char *text, *country;
} cap_addr;

typedef struct {
    cordon_entity_type type;
    char *source_id, *listed_on, *gender, *remarks;
    size_t n_names, n_ids, n_dates, n_places, n_nats, n_cits, n_addrs, n_progs, n_regimes;
    cap_name names[32];
    cap_id ids[16];
    cordon_date dates[8];
    char *places[8], *nats[8], *cits[8], *progs[8], *regimes[8];
    cap_addr addrs[8];
} cap_entity;

typedef struct {
    cap_entity ents[32];
    size_t n;
    int stop_after; /* 0: never ask to stop */
    const char *source; /* the source name the reader must stamp on every entity */
} capture;

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void copy_strs(char **dst, const char *const *src, size_t n, size_t cap, size_t *out)
{
    assert_true(n <= cap);
    for (size_t i = 0; i < n; i++)
        dst[i] = dup_or_null(src[i]);
    *out = n;
}

static void copy_names(cap_entity *c, const cordon_entity *e)
{
    assert_true(e->n_names <= ARRAY_LEN(c->names));
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        c->names[i] = (cap_name){n->kind,
                                 dup_or_null(n->full),
                                 dup_or_null(n->given),
                                 dup_or_null(n->middle),
                                 dup_or_null(n->family),
                                 dup_or_null(n->script)};
    }
    c->n_names = e->n_names;
}

static void copy_ids_addrs(cap_entity *c, const cordon_entity *e)
{
    assert_true(e->n_ids <= ARRAY_LEN(c->ids));
    for (size_t i = 0; i < e->n_ids; i++)
        c->ids[i] = (cap_id){e->ids[i].type, dup_or_null(e->ids[i].label),
                             dup_or_null(e->ids[i].value), dup_or_null(e->ids[i].country)};
    c->n_ids = e->n_ids;
    assert_true(e->n_addresses <= ARRAY_LEN(c->addrs));
    for (size_t i = 0; i < e->n_addresses; i++)
        c->addrs[i] = (cap_addr){dup_or_null(e->addresses[i].text),
                                 dup_or_null(e->addresses[i].country)};
    c->n_addrs = e->n_addresses;
}

static int sink(void *ctx, const cordon_entity *e)
{
    capture *cap = ctx;
    assert_true(cap->n < ARRAY_LEN(cap->ents));
    cap_entity *c = &cap->ents[cap->n++];
    memset(c, 0, sizeof *c);
    c->type = e->type;
    assert_string_equal(e->source, cap->source);
    c->source_id = dup_or_null(e->source_id);
    c->listed_on = dup_or_null(e->listed_on);
    c->gender = dup_or_null(e->gender);
    c->remarks = dup_or_null(e->remarks);
    copy_names(c, e);
    copy_ids_addrs(c, e);
    assert_true(e->n_birth_dates <= ARRAY_LEN(c->dates));
    if (e->n_birth_dates)
        memcpy(c->dates, e->birth_dates, e->n_birth_dates * sizeof *e->birth_dates);
    c->n_dates = e->n_birth_dates;
    copy_strs(c->places, e->birth_places, e->n_birth_places, 8, &c->n_places);
    copy_strs(c->nats, e->nationalities, e->n_nationalities, 8, &c->n_nats);
    copy_strs(c->cits, e->citizenships, e->n_citizenships, 8, &c->n_cits);
    copy_strs(c->progs, e->programs, e->n_programs, 8, &c->n_progs);
    copy_strs(c->regimes, e->regimes, e->n_regimes, 8, &c->n_regimes);
    return cap->stop_after && (int)cap->n >= cap->stop_after;
}

static void free_strs(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
}

static void capture_free(capture *cap)
{
    for (size_t k = 0; k < cap->n; k++) {
        cap_entity *c = &cap->ents[k];
        free(c->source_id), free(c->listed_on), free(c->gender), free(c->remarks);
        for (size_t i = 0; i < c->n_names; i++)
            free(c->names[i].full), free(c->names[i].given), free(c->names[i].middle),
                free(c->names[i].family), free(c->names[i].script);
        for (size_t i = 0; i < c->n_ids; i++)
            free(c->ids[i].label), free(c->ids[i].value), free(c->ids[i].country);
        for (size_t i = 0; i < c->n_addrs; i++)
            free(c->addrs[i].text), free(c->addrs[i].country);
        free_strs(c->places, c->n_places), free_strs(c->nats, c->n_nats);
        free_strs(c->cits, c->n_cits), free_strs(c->progs, c->n_progs);
        free_strs(c->regimes, c->n_regimes);
    }
    cap->n = 0;
}

typedef cordon_status (*capture_reader)(const char *, eb *, cordon_source_meta *,
                                        cordon_error *);

/* Runs reader over path as source `source`, capturing every entity into cap. */
static cordon_status capture_read(capture_reader reader, const char *source, const char *path,
                                  capture *cap, cordon_source_meta *meta, cordon_error *err)
{
    cap->source = source;
    eb *b = eb_new(source, sink, cap);
    assert_non_null(b);
    memset(err, 0, sizeof *err);
    cordon_status st = reader(path, b, meta, err);
    if (st == CORDON_OK)
        assert_int_equal(eb_committed(b), cap->n);
    eb_free(b);
    return st;
}

#endif
