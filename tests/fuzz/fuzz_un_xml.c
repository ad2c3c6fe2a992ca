/* fuzz_un_xml.c - arbitrary bytes through the UN consolidated list reader. The input is written
 * to a temporary file (the reader streams from a path), every field of every entity is read,
 * and the invariants the rest of cordon relies on are checked: strings are valid UTF-8, the
 * first name is the primary one, and a failure always comes with "FILE:..." in its message. */
#include "lists/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch(const char *s, bool may_be_null, uint64_t *acc)
{
    if (!s) {
        if (!may_be_null)
            abort();
        return;
    }
    size_t n = strlen(s);
    if (!utf8_valid(s, n, NULL))
        abort();
    *acc ^= hash_bytes(s, n);
}

static void touch_list(const char *const *v, size_t n, uint64_t *acc)
{
    for (size_t i = 0; i < n; i++)
        touch(v[i], false, acc);
}

static int touch_entity(void *ctx, const cordon_entity *e)
{
    uint64_t *acc = ctx;
    if (e->n_names == 0 || e->names[0].kind != CORDON_NAME_PRIMARY)
        abort();
    touch(e->source, false, acc);
    touch(e->source_id, true, acc);
    touch(e->listed_on, true, acc);
    touch(e->gender, true, acc);
    touch(e->remarks, true, acc);
    for (size_t i = 0; i < e->n_names; i++) {
        const cordon_name *n = &e->names[i];
        if (!n->full[0])
            abort();
        touch(n->full, false, acc);
        touch(n->given, true, acc);
        touch(n->middle, true, acc);
        touch(n->family, true, acc);
        touch(n->script, true, acc);
    }
    for (size_t i = 0; i < e->n_ids; i++) {
        touch(e->ids[i].label, true, acc);
        touch(e->ids[i].value, false, acc);
        touch(e->ids[i].country, true, acc);
    }
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        *acc ^= hash_bytes(d, strlen(d));
    }
    for (size_t i = 0; i < e->n_addresses; i++) {
        touch(e->addresses[i].text, false, acc);
        touch(e->addresses[i].country, true, acc);
    }
    touch_list(e->birth_places, e->n_birth_places, acc);
    touch_list(e->nationalities, e->n_nationalities, acc);
    touch_list(e->citizenships, e->n_citizenships, acc);
    touch_list(e->programs, e->n_programs, acc);
    touch_list(e->regimes, e->n_regimes, acc);
    touch_list(e->linked_to, e->n_linked_to, acc);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_un_xml.XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    size_t done = 0;
    while (done < size) {
        ssize_t w = write(fd, data + done, size - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    close(fd);
    if (done == size) {
        uint64_t acc = 0;
        eb *b = eb_new("un", touch_entity, &acc);
        if (b) {
            cordon_error err = {0};
            cordon_source_meta meta;
            cordon_status st = read_un_xml(path, b, &meta, &err);
            if (st != CORDON_OK && (strncmp(err.message, path, strlen(path)) != 0 ||
                                    err.message[strlen(path)] != ':'))
                abort();
            if (st == CORDON_OK && (eb_committed(b) == 0 || strlen(meta.published) >= 32))
                abort();
            eb_free(b);
        }
    }
    unlink(path);
    return 0;
}
