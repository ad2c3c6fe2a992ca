/* snapshot.h - for tests that screen: builds a snapshot of the bundled official lists (UN,
 * OFAC SDN, and OFAC non-SDN unless told not to) into a per-process temporary file and opens
 * it. Static functions: each test is its own program. */
#ifndef CORDON_TEST_SNAPSHOT_H
#define CORDON_TEST_SNAPSHOT_H

#include <stdio.h>
#include <unistd.h>

#include "cordon.h"

/* Writes the snapshot to path (a name made from tag and the pid) and returns the open engine,
 * or NULL after printing why. n_sources: 2 (UN, SDN) or 3 (plus the non-SDN lists). */
static cordon_engine *test_snapshot_open(const char *tag, size_t n_sources, char *path,
                                         size_t cap)
{
    static const char *const src[][3] = {
        {"un", "un-xml", "lists/un/consolidated_2026-02-27.xml"},
        {"ofac-sdn", "ofac-csv", "lists/ofac/sdn_2021-07"},
        {"ofac-cons", "ofac-csv", "lists/ofac/cons_2025-12"},
    };
    snprintf(path, cap, "/tmp/cordon-test-%s-%d.snap", tag, (int)getpid());
    cordon_builder *b = cordon_builder_new();
    cordon_error err = {0};
    for (size_t i = 0; i < n_sources && i < 3; i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", CORDON_DATA_DIR, src[i][2]);
        cordon_source_spec spec = {src[i][0], src[i][1], p};
        if (cordon_builder_add(b, &spec, &err) != CORDON_OK) {
            fprintf(stderr, "test snapshot: %s\n", err.message);
            cordon_builder_free(b);
            return NULL;
        }
    }
    cordon_status st = cordon_builder_write(b, path, &err);
    cordon_builder_free(b);
    cordon_engine *e = st == CORDON_OK ? cordon_engine_open(path, &err) : NULL;
    if (!e)
        fprintf(stderr, "test snapshot: %s\n", err.message);
    return e;
}

#endif
