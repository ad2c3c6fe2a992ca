/* snapshot.h - the on-disk screening snapshot: one file, mmap-able, versioned, checksummed.
 *
 * Layout (all integers little-endian, every section 16-byte aligned):
 *   snap_header (128 bytes) | snap_section[n_sections] | sections...
 * The SHA-256 in the header covers every byte after the header. Sections are addressed by id;
 * the match index (lib/index/) adds its own sections next to the entity store. */
#ifndef CORDON_SNAPSHOT_H
#define CORDON_SNAPSHOT_H

#include "../util/util.h"

#define SNAP_MAGIC "CORDSNAP"

typedef struct snap_header {
    char magic[8];
    uint32_t format_version;
    uint32_t n_sections;
    uint64_t file_size;
    uint8_t sha256[32];
    char built_at[32];
    uint8_t reserved[40];
} snap_header;

typedef struct snap_section {
    uint32_t id;
    uint32_t reserved;
    uint64_t offset;
    uint64_t size;
} snap_section;

enum snap_section_id {
    SEC_META = 1,     /* JSON: sources with file hashes, dates and counts */
    SEC_ENT_OFFS = 2, /* uint32[n_entities + 1]: entity blob offsets into SEC_ENT_DATA */
    SEC_ENT_DATA = 3, /* entity blobs (see entity_codec.c) */
    SEC_INDEX_FIRST = 16 /* ids from here on belong to the match index */
};

/* ---- entity codec: cordon_entity <-> compact blob ---- */
bool entity_encode(buf *out, const cordon_entity *e, uint32_t source_index);
/* Decodes a blob; strings point into the blob, arrays are allocated in a. source_names maps
 * the source index to its name. Returns false on a malformed blob. */
bool entity_decode(const uint8_t *p, size_t n, cordon_arena *a, const char *const *source_names,
                   size_t n_sources, cordon_entity *out);

/* ---- writer: sections accumulated in memory, then written atomically ---- */
typedef struct snap_writer snap_writer;
snap_writer *snap_writer_new(void);
/* Adds a section; copies the bytes. */
bool snap_writer_add(snap_writer *w, uint32_t id, const void *data, size_t size);
cordon_status snap_writer_commit(snap_writer *w, const char *path, cordon_error *err);
void snap_writer_free(snap_writer *w);

/* ---- reader: the mapped file ---- */
typedef struct snap_file {
    const uint8_t *base;
    size_t size;
    const snap_header *header;
    const snap_section *sections;
} snap_file;

cordon_status snap_map(const char *path, snap_file *out, cordon_error *err);
void snap_unmap(snap_file *f);
/* Returns the section's bytes or NULL if absent. */
const void *snap_section_get(const snap_file *f, uint32_t id, size_t *size);

#endif
