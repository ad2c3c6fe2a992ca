/* builder.c - `cordon build`: read sources into entity blobs, count what each holds, let the
 * match index add its sections, and write one snapshot atomically. */
#include "builder_internal.h"

#include <jansson.h>
#include <libgen.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef struct source_acc {
    char *name, *format, *file, *sha256;
    char published[32];
    uint32_t entities;
    uint32_t by_type[CORDON_TYPE_COUNT];
    json_t *regimes; /* regime -> count */
} source_acc;

struct cordon_builder {
    entity_store store;
    vec sources; /* source_acc */
};

cordon_builder *cordon_builder_new(void)
{
    cordon_builder *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    vec_init(&b->store.offsets, sizeof(uint32_t));
    vec_init(&b->sources, sizeof(source_acc));
    return b;
}

static void source_acc_free(source_acc *s)
{
    free(s->name);
    free(s->format);
    free(s->file);
    free(s->sha256);
    json_decref(s->regimes);
}

void cordon_builder_free(cordon_builder *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->sources.len; i++)
        source_acc_free(&VEC_AT(&b->sources, source_acc, i));
    vec_free(&b->sources);
    buf_free(&b->store.data);
    vec_free(&b->store.offsets);
    free(b->store.source_names);
    free(b);
}

typedef struct {
    cordon_builder *b;
    source_acc *acc;
    uint32_t source_index;
    bool oom;
} add_ctx;

static int add_sink(void *ctx, const cordon_entity *e)
{
    add_ctx *c = ctx;
    entity_store *st = &c->b->store;
    if (st->data.len > UINT32_MAX - (1u << 24)) {
        c->oom = true;
        return 1;
    }
    uint32_t *off = vec_push(&st->offsets);
    if (!off || !entity_encode(&st->data, e, c->source_index)) {
        c->oom = true;
        return 1;
    }
    *off = (uint32_t)(st->data.len - 0);
    /* offsets[i] is where entity i ends; starts are the previous end (or 0). */
    c->acc->entities++;
    c->acc->by_type[e->type < CORDON_TYPE_COUNT ? e->type : 0]++;
    for (size_t i = 0; i < e->n_regimes; i++) {
        json_t *v = json_object_get(c->acc->regimes, e->regimes[i]);
        json_object_set_new(c->acc->regimes, e->regimes[i],
                            json_integer((v ? json_integer_value(v) : 0) + 1));
    }
    return 0;
}

/* The files a source was read from, and one SHA-256 over them in name order. */
static bool source_files(const cordon_source_spec *spec, char **files, char sha[65],
                         cordon_error *err)
{
    struct stat stt;
    if (stat(spec->path, &stt) == 0 && S_ISDIR(stt.st_mode)) {
        /* A directory source (OFAC): hash the concatenation of per-file hashes. */
        char *names[16];
        size_t n = 0;
        DIR *d = opendir(spec->path);
        struct dirent *de;
        while (d && (de = readdir(d)) && n < 16) {
            if (de->d_name[0] == '.')
                continue;
            names[n++] = strdup(de->d_name);
        }
        if (d)
            closedir(d);
        for (size_t i = 1; i < n; i++)
            for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
                char *t = names[j];
                names[j] = names[j - 1];
                names[j - 1] = t;
            }
        buf list = {0}, hashes = {0};
        bool ok = true;
        for (size_t i = 0; i < n; i++) {
            char p[4096], h[65];
            snprintf(p, sizeof p, "%s/%s", spec->path, names[i]);
            ok = ok && sha256_file_hex(p, h, err);
            if (ok) {
                buf_printf(&list, "%s%s", list.len ? "," : "", names[i]);
                buf_puts(&hashes, h);
            }
            free(names[i]);
        }
        ok = ok && sha256_hex(hashes.data ? hashes.data : "", hashes.len, sha);
        buf_free(&hashes);
        *files = ok ? list.data : NULL;
        if (!ok)
            buf_free(&list);
        return ok;
    }
    if (!sha256_file_hex(spec->path, sha, err))
        return false;
    char *copy = strdup(spec->path);
    *files = copy ? strdup(basename(copy)) : NULL;
    free(copy);
    return *files != NULL;
}

cordon_status cordon_builder_add(cordon_builder *b, const cordon_source_spec *spec,
                                 cordon_error *err)
{
    if (!spec || !spec->name)
        return err_set(err, CORDON_ERR_INVALID, "source needs a name");
    for (size_t i = 0; i < b->sources.len; i++)
        if (strcmp(VEC_AT(&b->sources, source_acc, i).name, spec->name) == 0)
            return err_set(err, CORDON_ERR_INVALID, "source '%s' given twice", spec->name);
    size_t data_len = b->store.data.len, n_offs = b->store.offsets.len;
    source_acc *acc = vec_push(&b->sources);
    if (!acc)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    acc->name = strdup(spec->name);
    acc->format = strdup(spec->format ? spec->format : "");
    acc->regimes = json_object();
    add_ctx ctx = {b, acc, (uint32_t)(b->sources.len - 1), false};
    cordon_source_meta meta;
    memset(&meta, 0, sizeof meta);
    cordon_status st = cordon_read_source(spec, add_sink, &ctx, &meta, err);
    char sha[65] = "";
    if (st == CORDON_ERR_ABORTED && ctx.oom)
        st = err_set(err, CORDON_ERR_NOMEM, "%s: out of memory building the snapshot", spec->path);
    if (st == CORDON_OK && !source_files(spec, &acc->file, sha, err))
        st = err ? err->status : CORDON_ERR_IO;
    if (st != CORDON_OK) {
        /* Nothing of a failed source is kept. */
        b->store.data.len = data_len;
        b->store.offsets.len = n_offs;
        source_acc_free(acc);
        b->sources.len--;
        return st;
    }
    acc->sha256 = strdup(sha);
    memcpy(acc->published, meta.published, sizeof acc->published);
    acc->published[sizeof acc->published - 1] = 0;
    if (!acc->name || !acc->format || !acc->sha256 || !acc->regimes)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    return CORDON_OK;
}

static char *meta_json(cordon_builder *b)
{
    json_t *root = json_object(), *arr = json_array();
    for (size_t i = 0; i < b->sources.len; i++) {
        source_acc *s = &VEC_AT(&b->sources, source_acc, i);
        json_t *types = json_object();
        for (int t = 0; t < CORDON_TYPE_COUNT; t++)
            json_object_set_new(types, cordon_entity_type_name((cordon_entity_type)t),
                                json_integer(s->by_type[t]));
        json_array_append_new(
            arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:O}", "name", s->name, "format",
                           s->format, "file", s->file ? s->file : "", "sha256", s->sha256,
                           "published", s->published, "entities", (json_int_t)s->entities,
                           "by_type", types, "regimes", s->regimes));
    }
    json_object_set_new(root, "sources", arr);
    char *text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(root);
    return text;
}

cordon_status cordon_builder_write(cordon_builder *b, const char *out_path, cordon_error *err)
{
    if (b->store.offsets.len == 0)
        return err_set(err, CORDON_ERR_INVALID, "no entities: add at least one source");
    b->store.n_sources = b->sources.len;
    free(b->store.source_names);
    b->store.source_names = calloc(b->sources.len, sizeof(char *));
    if (!b->store.source_names)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < b->sources.len; i++)
        b->store.source_names[i] = VEC_AT(&b->sources, source_acc, i).name;

    snap_writer *w = snap_writer_new();
    char *meta = meta_json(b);
    /* Offsets section: n+1 starts, so entity i spans [offs[i], offs[i+1]). */
    size_t n = b->store.offsets.len;
    uint32_t *offs = calloc(n + 1, sizeof *offs);
    bool ok = w && meta && offs;
    if (ok) {
        for (size_t i = 0; i < n; i++)
            offs[i + 1] = VEC_AT(&b->store.offsets, uint32_t, i);
        ok = snap_writer_add(w, SEC_META, meta, strlen(meta)) &&
             snap_writer_add(w, SEC_ENT_OFFS, offs, (n + 1) * sizeof *offs) &&
             snap_writer_add(w, SEC_ENT_DATA, b->store.data.data, b->store.data.len);
    }
    free(meta);
    cordon_status st = ok ? CORDON_OK : err_set(err, CORDON_ERR_NOMEM, "out of memory");
    if (st == CORDON_OK)
        st = match_index_build(&b->store, offs, w, err);
    if (st == CORDON_OK)
        st = snap_writer_commit(w, out_path, err);
    free(offs);
    snap_writer_free(w);
    return st;
}
