/* builder_internal.h - what the snapshot builder hands to the match index builder. */
#ifndef CORDON_BUILDER_INTERNAL_H
#define CORDON_BUILDER_INTERNAL_H

#include "snapshot.h"

#include <dirent.h>

/* All entities of a build, encoded as in the snapshot. */
typedef struct entity_store {
    buf data;     /* concatenated blobs */
    vec offsets;  /* uint32 end offset of each blob */
    const char **source_names;
    size_t n_sources;
} entity_store;

/* Adds the match index sections for the entities in store (offs: n+1 start offsets). */
cordon_status match_index_build(const entity_store *store, const uint32_t *offs, snap_writer *w,
                                 cordon_error *err);

#endif
