/* fuzz_csv_readers.c - one input, tried as each of the four CSV-family formats: US CSL, BIS
 * DPL, UK OFSI ConList and a user watch list. Whatever the bytes, every reader must return
 * (an entity stream or a clean error) without crashing, leaking or hanging. */
#include "lists/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch_str(const char *s) { return s ? strlen(s) + 1 : 0; }

/* Reads every field of the entity, so a dangling or unterminated string shows up. */
static int touch(void *ctx, const cordon_entity *e)
{
    size_t n = touch_str(e->source) + touch_str(e->source_id) + touch_str(e->listed_on) +
               touch_str(e->gender) + touch_str(e->remarks) + (size_t)e->type;
    for (size_t i = 0; i < e->n_names; i++)
        n += touch_str(e->names[i].full) + touch_str(e->names[i].given) +
             touch_str(e->names[i].middle) + touch_str(e->names[i].family) +
             touch_str(e->names[i].script) + (size_t)e->names[i].kind;
    for (size_t i = 0; i < e->n_ids; i++)
        n += touch_str(e->ids[i].label) + touch_str(e->ids[i].value) +
             touch_str(e->ids[i].country) + (size_t)e->ids[i].type;
    for (size_t i = 0; i < e->n_birth_dates; i++) {
        char d[32];
        date_format(&e->birth_dates[i], d);
        n += strlen(d);
    }
    for (size_t i = 0; i < e->n_addresses; i++)
        n += touch_str(e->addresses[i].text) + touch_str(e->addresses[i].country);
    const char *const *lists[] = {e->birth_places, e->nationalities, e->citizenships,
                                  e->programs,     e->regimes,       e->linked_to};
    size_t counts[] = {e->n_birth_places, e->n_nationalities, e->n_citizenships,
                       e->n_programs,     e->n_regimes,       e->n_linked_to};
    for (size_t l = 0; l < ARRAY_LEN(lists); l++)
        for (size_t i = 0; i < counts[l]; i++)
            n += touch_str(lists[l][i]);
    *(size_t *)ctx += n;
    return 0;
}

typedef cordon_status (*reader_fn)(const char *, eb *, cordon_source_meta *, cordon_error *);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz_csv_readers_XXXXXX";
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
    static const reader_fn readers[] = {read_us_csl, read_bis_dpl, read_uk_csv, read_user_csv};
    size_t total = 0;
    for (size_t i = 0; done == size && i < ARRAY_LEN(readers); i++) {
        eb *b = eb_new("fuzz", touch, &total);
        if (!b)
            break;
        cordon_error err;
        cordon_source_meta meta;
        memset(&err, 0, sizeof err);
        cordon_status st = readers[i](path, b, &meta, &err);
        /* a failure always says where: the message starts with the file name */
        if (st != CORDON_OK && strncmp(err.message, path, strlen(path)) != 0)
            abort();
        total += strlen(meta.published);
        eb_free(b);
    }
    unlink(path);
    return 0;
}
