/* fuzz_eu_fsf.c - the EU FSF 1.1 XML reader on arbitrary bytes: it must return a status
 * (with a message naming the file) and never crash, leak, hang or print. */
#include "lists/reader.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile size_t touched;

static size_t len(const char *s) { return s ? strlen(s) : 0; }

static size_t touch_strs(const char *const *v, size_t n)
{
    size_t t = 0;
    for (size_t i = 0; i < n; i++)
        t += len(v[i]);
    return t;
}

/* Reads every field, so a dangling or unterminated string shows up under the sanitizers. */
static int sink(void *ctx, const cordon_entity *e)
{
    size_t t = (size_t)e->type + len(e->source) + len(e->source_id) + len(e->listed_on) +
               len(e->gender) + len(e->remarks);
    for (size_t i = 0; i < e->n_names; i++)
        t += e->names[i].kind + len(e->names[i].full) + len(e->names[i].given) +
             len(e->names[i].middle) + len(e->names[i].family) + len(e->names[i].script);
    for (size_t i = 0; i < e->n_ids; i++)
        t += e->ids[i].type + len(e->ids[i].label) + len(e->ids[i].value) +
             len(e->ids[i].country);
    for (size_t i = 0; i < e->n_birth_dates; i++)
        t += (size_t)(e->birth_dates[i].year_from + e->birth_dates[i].year_to) +
             e->birth_dates[i].month + e->birth_dates[i].day + e->birth_dates[i].circa;
    for (size_t i = 0; i < e->n_addresses; i++)
        t += len(e->addresses[i].text) + len(e->addresses[i].country);
    t += touch_strs(e->birth_places, e->n_birth_places);
    t += touch_strs(e->nationalities, e->n_nationalities);
    t += touch_strs(e->citizenships, e->n_citizenships);
    t += touch_strs(e->programs, e->n_programs);
    t += touch_strs(e->regimes, e->n_regimes);
    t += touch_strs(e->linked_to, e->n_linked_to);
    if (e->n_names == 0 || !e->names[0].full[0])
        abort(); /* the builder hands over named entities only */
    touched += t;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/cordon_fuzz_eu_fsf_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    close(fd);
    eb *b = eb_new("fuzz", sink, NULL);
    if (b) {
        cordon_error err = {0};
        cordon_source_meta meta = {{0}};
        cordon_status st = read_eu_fsf(path, b, &meta, &err);
        /* Every failure names the file it was reading. */
        if (st != CORDON_OK && st != CORDON_ERR_NOMEM && strncmp(err.message, path, strlen(path)))
            abort();
        if (memchr(meta.published, 0, sizeof meta.published) == NULL)
            abort();
        eb_free(b);
    }
    unlink(path);
    return 0;
}
