/* engine.c - a loaded snapshot: mmap, validate, parse the small metadata section, and decode
 * entities on demand. Nothing is copied at load beyond the per-source summary. */
#include "engine_internal.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static cordon_status load_sources(cordon_engine *e, const char *path, cordon_error *err)
{
    size_t n = 0;
    const char *text = snap_section_get(&e->file, SEC_META, &n);
    json_error_t jerr;
    json_t *root = text ? json_loadb(text, n, 0, &jerr) : NULL;
    json_t *arr = root ? json_object_get(root, "sources") : NULL;
    if (!json_is_array(arr)) {
        json_decref(root);
        return err_set(err, CORDON_ERR_FORMAT, "%s: corrupt metadata section", path);
    }
    e->meta_json = root;
    e->n_sources = json_array_size(arr);
    e->sources = calloc(e->n_sources ? e->n_sources : 1, sizeof *e->sources);
    e->source_names = calloc(e->n_sources ? e->n_sources : 1, sizeof *e->source_names);
    if (!e->sources || !e->source_names)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < e->n_sources; i++) {
        json_t *s = json_array_get(arr, i);
        cordon_source_info *si = &e->sources[i];
        si->name = json_string_value(json_object_get(s, "name"));
        si->format = json_string_value(json_object_get(s, "format"));
        si->file = json_string_value(json_object_get(s, "file"));
        si->sha256 = json_string_value(json_object_get(s, "sha256"));
        si->published = json_string_value(json_object_get(s, "published"));
        si->entities = (uint32_t)json_integer_value(json_object_get(s, "entities"));
        if (!si->name || !si->format || !si->file || !si->sha256 || !si->published)
            return err_set(err, CORDON_ERR_FORMAT, "%s: corrupt metadata for source %zu", path, i);
        json_t *types = json_object_get(s, "by_type");
        for (int t = 0; t < CORDON_TYPE_COUNT; t++)
            si->by_type[t] = (uint32_t)json_integer_value(
                json_object_get(types, cordon_entity_type_name((cordon_entity_type)t)));
        json_t *reg = json_object_get(s, "regimes");
        size_t nr = json_object_size(reg);
        const char **names = calloc(nr ? nr : 1, sizeof *names);
        uint32_t *counts = calloc(nr ? nr : 1, sizeof *counts);
        if (!names || !counts) {
            free(names);
            free(counts);
            return err_set(err, CORDON_ERR_NOMEM, "out of memory");
        }
        const char *k;
        json_t *v;
        size_t j = 0;
        json_object_foreach(reg, k, v)
        {
            names[j] = k;
            counts[j++] = (uint32_t)json_integer_value(v);
        }
        si->n_regimes = nr;
        si->regime_names = names;
        si->regime_counts = counts;
        e->source_names[i] = si->name;
    }
    return CORDON_OK;
}

cordon_engine *cordon_engine_open(const char *path, cordon_error *err)
{
    cordon_engine *e = calloc(1, sizeof *e);
    if (!e) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    if (snap_map(path, &e->file, err) != CORDON_OK) {
        free(e);
        return NULL;
    }
    cordon_status st = load_sources(e, path, err);
    size_t offs_size = 0;
    e->ent_offs = snap_section_get(&e->file, SEC_ENT_OFFS, &offs_size);
    e->ent_data = snap_section_get(&e->file, SEC_ENT_DATA, &e->ent_data_size);
    if (st == CORDON_OK && (!e->ent_offs || !e->ent_data || offs_size < 2 * sizeof(uint32_t) ||
                            offs_size % sizeof(uint32_t)))
        st = err_set(err, CORDON_ERR_FORMAT, "%s: missing entity sections", path);
    if (st == CORDON_OK) {
        e->n_entities = offs_size / sizeof(uint32_t) - 1;
        /* Offsets must rise and stay inside the data, so decoding never reads outside. */
        for (size_t i = 0; i < e->n_entities && st == CORDON_OK; i++)
            if (e->ent_offs[i] > e->ent_offs[i + 1] || e->ent_offs[i + 1] > e->ent_data_size)
                st = err_set(err, CORDON_ERR_FORMAT, "%s: corrupt entity offsets", path);
    }
    if (st == CORDON_OK) {
        static const char hx[] = "0123456789abcdef";
        for (int i = 0; i < 32; i++) {
            e->checksum[2 * i] = hx[e->file.header->sha256[i] >> 4];
            e->checksum[2 * i + 1] = hx[e->file.header->sha256[i] & 15];
        }
        e->index = match_index_open(e, err);
        if (!e->index)
            st = err ? err->status : CORDON_ERR_FORMAT;
        else
            e->n_names = match_index_name_count(e->index);
    }
    if (st != CORDON_OK) {
        cordon_engine_close(e);
        return NULL;
    }
    return e;
}

void cordon_engine_close(cordon_engine *e)
{
    if (!e)
        return;
    match_index_close(e->index);
    for (size_t i = 0; e->sources && i < e->n_sources; i++) {
        free((void *)e->sources[i].regime_names);
        free((void *)e->sources[i].regime_counts);
    }
    free(e->sources);
    free(e->source_names);
    json_decref(e->meta_json);
    snap_unmap(&e->file);
    free(e);
}

void cordon_engine_info(const cordon_engine *e, cordon_snapshot_info *out)
{
    memset(out, 0, sizeof *out);
    out->format_version = e->file.header->format_version;
    out->built_at = e->file.header->built_at;
    out->checksum = e->checksum;
    out->file_size = e->file.size;
    out->entities = (uint32_t)e->n_entities;
    out->names = e->n_names;
}

size_t cordon_engine_source_count(const cordon_engine *e) { return e->n_sources; }

cordon_status cordon_engine_source(const cordon_engine *e, size_t i, cordon_source_info *out)
{
    if (i >= e->n_sources)
        return CORDON_ERR_NOTFOUND;
    *out = e->sources[i];
    return CORDON_OK;
}

size_t cordon_engine_entity_count(const cordon_engine *e) { return e->n_entities; }

cordon_status cordon_engine_entity(const cordon_engine *e, size_t i, cordon_arena *a,
                                   cordon_entity *out)
{
    if (i >= e->n_entities)
        return CORDON_ERR_NOTFOUND;
    const uint8_t *p = e->ent_data + e->ent_offs[i];
    size_t n = e->ent_offs[i + 1] - e->ent_offs[i];
    if (!entity_decode(p, n, a, e->source_names, e->n_sources, out))
        return CORDON_ERR_FORMAT;
    return CORDON_OK;
}

const char *cordon_data_dir(char *out, size_t len)
{
    const char *env = getenv("CORDON_DATA");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return out;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, len, "%s/../data", exe);
            struct stat st;
            if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
                return out;
        }
    }
    snprintf(out, len, "data");
    return out;
}

const char *cordon_default_snapshot(char *out, size_t len)
{
    const char *env = getenv("CORDON_SNAPSHOT");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return out;
    }
    char dir[PATH_MAX];
    snprintf(out, len, "%s/cordon.snap", cordon_data_dir(dir, sizeof dir));
    return out;
}
