/* fuzz_store_import.c - counterparty import from arbitrary bytes, as CSV and as JSON lines,
 * into one store kept for the whole run: every input must import or fail cleanly (the whole
 * file rolled back), and the audit chain must verify after it. */
#include "cordon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static cordon_store *store;

static void remove_store(void)
{
    static const char *const names[] = {"cordon.db", "cordon.db-wal", "cordon.db-shm",
                                        "in.csv", "in.jsonl"};
    static const char *const subs[] = {"sources", "snapshots", "staging"};
    char p[128];
    cordon_store_close(store);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, names[i]);
        unlink(p);
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, subs[i]);
        rmdir(p);
    }
    rmdir(dir);
}

static void import_as(const char *name, const uint8_t *data, size_t size)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        return;
    fwrite(data, 1, size, f);
    fclose(f);
    cordon_error err = {0};
    cordon_store_import_stats st;
    if (cordon_store_import(store, path, "fuzz", &st, &err) != CORDON_OK && !err.message[0])
        abort(); /* a failure must say why */
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!store) {
        snprintf(dir, sizeof dir, "/tmp/cordon-fuzz-store-XXXXXX");
        cordon_error err = {0};
        if (!mkdtemp(dir) || !(store = cordon_store_open(dir, &err)))
            abort();
        atexit(remove_store);
    }
    import_as("in.csv", data, size);
    import_as("in.jsonl", data, size);
    cordon_error err = {0};
    uint64_t n = 0;
    if (cordon_store_audit_verify(store, &n, &err) != CORDON_OK)
        abort();
    char *json = cordon_store_alerts_json(store, NULL, 10, &err);
    free(json);
    return 0;
}
