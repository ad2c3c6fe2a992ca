/* update.h - internals of lib/update shared with lib/store. */
#ifndef CORDON_UPDATE_INTERNAL_H
#define CORDON_UPDATE_INTERNAL_H

#include "../util/util.h"

/* Writes a snapshot at out_path holding only the entries added or changed from old to new
 * (each entry's source id there is its index in new). *n_delta gets their count; with none,
 * nothing is written. */
cordon_status delta_snapshot_build(const cordon_engine *old_engine,
                                   const cordon_engine *new_engine, const char *out_path,
                                   size_t *n_delta, cordon_error *err);

#endif
