/* fuzz_tx.c - transaction screening on arbitrary input against a snapshot of the real UN list,
 * the real control lists and the real rule packs (loaded once). The first byte picks the path:
 *   0 mod 4: the bytes are one JSON transaction (cordon_tx_check_json, the server's path)
 *   1 mod 4: a JSON lines file (cordon_tx_check_file)
 *   2 mod 4: a flat CSV file (cordon_tx_check_file)
 *   3 mod 4: an extra rule pack loaded over data/rules (cordon_risk_open)
 * Every report is read in full (it is a NUL-terminated string) so the sanitizers see it. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cordon_engine *engine;
static cordon_goods *goods;
static cordon_risk *risk;

static void load_once(void)
{
    cordon_error err = {0};
    char snap[64];
    snprintf(snap, sizeof snap, "/tmp/cordon-fuzz-tx-%d.snap", (int)getpid());
    cordon_builder *b = cordon_builder_new();
    cordon_source_spec spec = {"un", "un-xml", CORDON_DATA_DIR "/lists/un/consolidated_2026-02-27.xml"};
    if (!b || cordon_builder_add(b, &spec, &err) || cordon_builder_write(b, snap, &err)) {
        fprintf(stderr, "fuzz_tx: %s\n", err.message);
        abort();
    }
    cordon_builder_free(b);
    engine = cordon_engine_open(snap, &err);
    unlink(snap);
    goods = engine ? cordon_goods_open(CORDON_DATA_DIR "/controls", &err) : NULL;
    risk = goods ? cordon_risk_open(engine, goods, CORDON_DATA_DIR "/rules", NULL, 0, &err) : NULL;
    if (!risk) {
        fprintf(stderr, "fuzz_tx: %s\n", err.message);
        abort();
    }
}

static size_t sum;

static int sink(void *ctx, long line, int ok, const char *json)
{
    (void)ctx;
    sum += strlen(json) + (size_t)line + (size_t)ok;
    return 0;
}

static void with_file(const uint8_t *data, size_t size, int mode)
{
    char path[] = "/tmp/fuzz_tx_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return;
    }
    close(fd);
    cordon_error err = {0};
    if (mode == 3) {
        const char *extra = path;
        cordon_risk *r = cordon_risk_open(engine, goods, CORDON_DATA_DIR "/rules", &extra, 1, &err);
        if (r) {
            static const char tx[] = "{\"id\":\"F\",\"parties\":[{\"role\":\"buyer\",\"name\":\"Embassy of the DPRK\","
                                     "\"country\":\"DE\"}],\"goods\":[{\"description\":\"pressure transducers\"}],"
                                     "\"payment\":{\"method\":\"cash\"}}";
            char *s = cordon_tx_check_json(r, tx, sizeof tx - 1, 0, &err);
            sum += s ? strlen(s) : 0;
            free(s);
            cordon_risk_close(r);
        }
    } else {
        cordon_tx_stats st;
        cordon_tx_check_file(risk, path, mode == 2, 1, sink, NULL, NULL, NULL, &st, &err);
    }
    sum += strlen(err.message);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!risk)
        load_once();
    if (size == 0)
        return 0;
    int mode = data[0] % 4;
    data++;
    size--;
    if (mode == 0) {
        cordon_error err = {0};
        char *s = cordon_tx_check_json(risk, (const char *)data, size, 1, &err);
        sum += s ? strlen(s) : strlen(err.message);
        free(s);
    } else {
        with_file(data, size, mode);
    }
    return 0;
}
