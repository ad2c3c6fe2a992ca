/* cmd_build.c - `cordon build` and `cordon lists`. */
#include "cli.h"

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>


typedef struct {
    char name[64], format[32], path[PATH_MAX];
} source_line;

/* Reads "NAME FORMAT PATH" lines; paths are relative to the config file. */
static int read_config(const char *path, source_line *out, size_t cap, size_t *n)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "cordon: %s: cannot open\n", path);
        return EXIT_FAIL;
    }
    char copy[PATH_MAX];
    snprintf(copy, sizeof copy, "%s", path);
    const char *dir = dirname(copy);
    char line[PATH_MAX + 128];
    long no = 0;
    while (fgets(line, sizeof line, f)) {
        no++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p || *p == '#')
            continue;
        char name[64], format[32], rel[PATH_MAX];
        if (sscanf(p, "%63s %31s %4095s", name, format, rel) != 3 || *n >= cap) {
            fprintf(stderr, "cordon: %s:%ld: expected NAME FORMAT PATH\n", path, no);
            fclose(f);
            return EXIT_FAIL;
        }
        source_line *s = &out[(*n)++];
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->format, sizeof s->format, "%s", format);
        if (rel[0] == '/')
            snprintf(s->path, sizeof s->path, "%s", rel);
        else
            snprintf(s->path, sizeof s->path, "%s/%s", dir, rel);
    }
    fclose(f);
    return EXIT_OK;
}

int cmd_build(int argc, char **argv)
{
    char dd[PATH_MAX], conf[PATH_MAX + 32], out[PATH_MAX + 32];
    cordon_data_dir(dd, sizeof dd);
    snprintf(out, sizeof out, "%s/cordon.snap", dd);
    const char *config = NULL, *outp = NULL;
    source_line srcs[64];
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--config"))) {
            config = v;
        } else if ((v = cli_opt(argc, argv, &i, "--out"))) {
            outp = v;
        } else if ((v = cli_opt(argc, argv, &i, "--source"))) {
            char tmp[PATH_MAX + 128];
            snprintf(tmp, sizeof tmp, "%s", v);
            char *a = strchr(tmp, ':'), *b = a ? strchr(a + 1, ':') : NULL;
            if (!a || !b || n >= 64)
                return cli_usage("--source wants NAME:FORMAT:PATH, got '%s'", v);
            *a = *b = 0;
            snprintf(srcs[n].name, sizeof srcs[n].name, "%s", tmp);
            snprintf(srcs[n].format, sizeof srcs[n].format, "%s", a + 1);
            snprintf(srcs[n].path, sizeof srcs[n].path, "%s", b + 1);
            n++;
        } else {
            return cli_usage("build: unknown option '%s'", argv[i]);
        }
    }
    if (n == 0) {
        if (!config) {
            snprintf(conf, sizeof conf, "%s/sources.conf", dd);
            config = conf;
        }
        int rc = read_config(config, srcs, 64, &n);
        if (rc)
            return rc;
    }
    cordon_builder *b = cordon_builder_new();
    cordon_error err = {0};
    for (size_t i = 0; i < n; i++) {
        cordon_source_spec spec = {srcs[i].name, srcs[i].format, srcs[i].path};
        uint64_t t0 = 0;
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        t0 = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
        if (cordon_builder_add(b, &spec, &err) != CORDON_OK) {
            cordon_builder_free(b);
            fprintf(stderr, "cordon: source %s: ", srcs[i].name);
            fprintf(stderr, "%s\ncordon: snapshot not written; the previous one is untouched\n",
                    err.message);
            return EXIT_FAIL;
        }
        clock_gettime(CLOCK_MONOTONIC, &ts);
        fprintf(stderr, "read %-10s %-9s in %.0f ms\n", srcs[i].name, srcs[i].format,
                ((double)((uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec - t0)) / 1e6);
    }
    const char *target = outp ? outp : out;
    if (cordon_builder_write(b, target, &err) != CORDON_OK) {
        cordon_builder_free(b);
        fprintf(stderr, "cordon: %s\ncordon: snapshot not written; the previous one is untouched\n",
                err.message);
        return EXIT_FAIL;
    }
    cordon_builder_free(b);
    cordon_engine *e = cordon_engine_open(target, &err);
    if (!e)
        return cli_fail(&err);
    cordon_snapshot_info info;
    cordon_engine_info(e, &info);
    printf("wrote %s: %u entities, %u names, %zu sources, %.1f MB\n", target, info.entities,
           info.names, cordon_engine_source_count(e), (double)info.file_size / 1e6);
    cordon_engine_close(e);
    return EXIT_OK;
}

int cmd_lists(int argc, char **argv)
{
    const char *snap = NULL;
    bool json = false;
    for (int i = 1; i < argc; i++) {
        const char *v;
        if ((v = cli_opt(argc, argv, &i, "--snapshot")))
            snap = v;
        else if (cli_flag(argv[i], "--json"))
            json = true;
        else
            return cli_usage("lists: unknown option '%s'", argv[i]);
    }
    cordon_engine *e = cli_open_engine(snap);
    if (!e)
        return EXIT_FAIL;
    cordon_snapshot_info info;
    cordon_engine_info(e, &info);
    json_t *root = json_object(), *arr = json_array();
    if (!json)
        printf("snapshot: format %u, built %s, %u entities, %u names, sha256 %.16s...\n\n"
               "%-10s %-9s %-10s %8s %7s %6s %6s %6s  %-16s %s\n",
               info.format_version, info.built_at, info.entities, info.names, info.checksum,
               "source", "format", "published", "entities", "person", "org", "vessel", "air",
               "sha256", "regimes");
    for (size_t i = 0; i < cordon_engine_source_count(e); i++) {
        cordon_source_info s;
        cordon_engine_source(e, i, &s);
        json_t *types = json_object(), *regimes = json_object();
        for (int t = 0; t < CORDON_TYPE_COUNT; t++)
            json_object_set_new(types, cordon_entity_type_name((cordon_entity_type)t),
                                json_integer(s.by_type[t]));
        char reg[512] = "";
        size_t rl = 0;
        for (size_t r = 0; r < s.n_regimes; r++) {
            json_object_set_new(regimes, s.regime_names[r], json_integer(s.regime_counts[r]));
            if (rl < sizeof reg - 1)
                rl += (size_t)snprintf(reg + rl, sizeof reg - rl, "%s%s %u", r ? ", " : "",
                                       s.regime_names[r], s.regime_counts[r]);
        }
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o}", "name",
                                             s.name, "format", s.format, "file", s.file, "sha256",
                                             s.sha256, "published", s.published, "entities",
                                             (json_int_t)s.entities, "by_type", types, "regimes",
                                             regimes));
        if (!json)
            printf("%-10s %-9s %-10s %8u %7u %6u %6u %6u  %.16s %s\n", s.name, s.format,
                   *s.published ? s.published : "-", s.entities, s.by_type[CORDON_TYPE_PERSON],
                   s.by_type[CORDON_TYPE_ORGANIZATION], s.by_type[CORDON_TYPE_VESSEL],
                   s.by_type[CORDON_TYPE_AIRCRAFT], s.sha256, reg);
    }
    if (json) {
        json_object_set_new(root, "snapshot",
                            json_pack("{s:i, s:s, s:s, s:i, s:i, s:i}", "format_version",
                                      (json_int_t)info.format_version, "built_at", info.built_at,
                                      "sha256", info.checksum, "size", (json_int_t)info.file_size,
                                      "entities", (json_int_t)info.entities, "names",
                                      (json_int_t)info.names));
        json_object_set_new(root, "sources", arr);
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        puts(s);
        free(s);
    } else {
        json_decref(arr);
    }
    json_decref(root);
    cordon_engine_close(e);
    return EXIT_OK;
}
