/* fuzz_snapshot.c - a snapshot file is input too (copied between machines, half-written by a
 * full disk, tampered with): opening one must either refuse it with a message or give an
 * engine that screens without reading outside the mapping. The fuzzer's bytes get a valid
 * checksum written into their header first, so that mutations reach the structure checks
 * behind it instead of all stopping at the checksum. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cordon.h"
#include "index/snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (64u << 20))
        return 0;
    uint8_t *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    if (size >= sizeof(snap_header)) {
        snap_header *h = (snap_header *)copy;
        unsigned int n = 0;
        h->file_size = size; /* also keep the size consistent, half the time */
        if (size % 2)
            h->file_size ^= 1;
        EVP_Digest(copy + sizeof *h, size - sizeof *h, h->sha256, &n, EVP_sha256(), NULL);
    }
    char path[] = "/tmp/fuzz-snapshot-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        free(copy);
        return 0;
    }
    if (write(fd, copy, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        free(copy);
        return 0;
    }
    close(fd);
    free(copy);
    cordon_error err = {0};
    cordon_engine *e = cordon_engine_open(path, &err);
    unlink(path);
    if (!e) {
        if (!err.message[0])
            abort(); /* a refusal must say why */
        return 0;
    }
    cordon_arena *a = cordon_arena_new();
    /* Hanja and Korean in Cyrillic take the Korean-reading path through the snapshot's word
     * lists, Khmer the romanisation table, Abdulaziz the Abd split, Bill the nicknames. */
    static const char *const names[] = {"Kim Jong Un", "Ryonbong",   "a",          "김정은",
                                        "金正恩",      "JSCROSOBORONEXPORT", "Ким Чен Ын",
                                        "ប៉ុល ពត",     "Abdulaziz",  "Bill Clinton"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        cordon_query q = {.name = names[i], .threshold = 0, .limit = 5};
        cordon_result r;
        cordon_screen(e, &q, a, &r, &err);
        cordon_arena_reset(a);
    }
    for (size_t i = 0; i < cordon_engine_entity_count(e) && i < 50; i++) {
        cordon_entity ent;
        cordon_engine_entity(e, i, a, &ent);
        cordon_arena_reset(a);
    }
    cordon_arena_free(a);
    cordon_engine_close(e);
    return 0;
}
