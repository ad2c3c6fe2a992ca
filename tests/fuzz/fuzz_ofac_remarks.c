/* fuzz_ofac_remarks.c - the OFAC remarks parser on arbitrary text. The first byte picks the
 * entity type (names of individuals are split, "Identification Number" depends on it); the
 * rest is the remarks text. */
#include <stdint.h>
#include <stdlib.h>

#include "lists/ofac_remarks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

/* Reads every field, so the sanitizers see any dangling or unterminated string. */
static int touch_sink(void *ctx, const cordon_entity *e)
{
    size_t *sum = ctx;
    *sum += touch(e->source) + touch(e->source_id) + touch(e->gender) + touch(e->remarks);
    for (size_t i = 0; i < e->n_names; i++)
        *sum += touch(e->names[i].full) + touch(e->names[i].given) + touch(e->names[i].middle) +
                touch(e->names[i].family) + e->names[i].kind;
    for (size_t i = 0; i < e->n_ids; i++)
        *sum += touch(e->ids[i].label) + touch(e->ids[i].value) + touch(e->ids[i].country);
    for (size_t i = 0; i < e->n_birth_dates; i++)
        *sum += (size_t)e->birth_dates[i].year_from + e->birth_dates[i].day;
    for (size_t i = 0; i < e->n_birth_places; i++)
        *sum += touch(e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        *sum += touch(e->nationalities[i]);
    for (size_t i = 0; i < e->n_citizenships; i++)
        *sum += touch(e->citizenships[i]);
    for (size_t i = 0; i < e->n_regimes; i++)
        *sum += touch(e->regimes[i]);
    for (size_t i = 0; i < e->n_linked_to; i++)
        *sum += touch(e->linked_to[i]);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    size_t sum = 0;
    eb *b = eb_new("fuzz", touch_sink, &sum);
    if (b) {
        eb_begin(b, (cordon_entity_type)(data[0] % CORDON_TYPE_COUNT), "1");
        eb_add_name(b, CORDON_NAME_PRIMARY, "FUZZ", NULL, NULL, NULL);
        ofac_remarks_parse(b, text);
        eb_commit(b);
        eb_free(b);
    }
    free(text);
    return sum == (size_t)-1;
}
