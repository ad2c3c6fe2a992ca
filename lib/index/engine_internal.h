/* engine_internal.h - the loaded snapshot as the matcher and other modules see it. */
#ifndef CORDON_ENGINE_INTERNAL_H
#define CORDON_ENGINE_INTERNAL_H

#include "snapshot.h"

typedef struct match_index match_index;

struct cordon_engine {
    snap_file file;
    void *meta_json; /* json_t*, owns the strings in sources */
    const uint32_t *ent_offs;
    const uint8_t *ent_data;
    size_t n_entities;
    size_t ent_data_size;
    cordon_source_info *sources;
    size_t n_sources;
    const char **source_names;
    char checksum[65];
    uint32_t n_names;
    match_index *index;
};

/* Loads the index sections; NULL with err set on a corrupt index. */
match_index *match_index_open(const cordon_engine *e, cordon_error *err);
void match_index_close(match_index *idx);
uint32_t match_index_name_count(const match_index *idx);

#endif
