/* fuzz_goods_load.c - the data/controls loader on arbitrary file contents. A minimal valid
 * data directory is written once to a temporary directory; each input replaces one of its
 * files (the first byte picks which) and the directory is opened. A load must succeed or fail
 * with a message, never crash or leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static const char *const names[] = {"vocabulary.tsv", "mtcr.jsonl", "hs2022.tsv",
                                    "chemical_names.tsv", "unsc_dprk_bans.jsonl",
                                    "cwc_schedules.jsonl"};

/* The smallest data directory that loads: one record per list, one of everything else. */
static const char *const minimal[][2] = {
    {"vocabulary.tsv", "kind\tterm\ttargets\tweight\tnote\n"
                       "unit\tmpa\tMPa\t1e6\tpressure\n"
                       "unit\tum\tum\t1e-6\tlength\n"
                       "quantity\tpressure\tpressure\t1\t\n"
                       "term\tturbo pump\tmtcr:3.A.5\t1\t\n"
                       "abbr\tUDMH\tmtcr:3.A.5\t1\t\n"
                       "neg\ttoy\t-\t0.6\t\n"
                       "hs\t8413\tmtcr:3.A.5\t0.2\tpumps\n"
                       "hsterm\tpump\t8413\t1\t\n"},
    {"mtcr.jsonl", "{\"regime\":\"mtcr\",\"code\":\"3\",\"parent\":\"\",\"kind\":\"item\"}\n"
                   "{\"regime\":\"mtcr\",\"code\":\"3.A\",\"parent\":\"3\",\"kind\":\"group\"}\n"
                   "{\"regime\":\"mtcr\",\"code\":\"3.A.5\",\"parent\":\"3.A\",\"kind\":\"entry\","
                   "\"title\":\"pumps\",\"thresholds\":[{\"quantity\":\"pressure\",\"cmp\":\">=\","
                   "\"value\":7,\"unit\":\"MPa\"}],\"cas\":[\"57-14-7\"]}\n"},
    {"nsg_part1.jsonl", "{\"regime\":\"nsg_part1\",\"code\":\"B\",\"parent\":\"\",\"kind\":\"annex\"}\n"},
    {"nsg_part2.jsonl", "{\"regime\":\"nsg_part2\",\"code\":\"1\",\"parent\":\"\",\"kind\":\"category\"}\n"},
    {"cwc_schedules.jsonl", "{\"regime\":\"cwc\",\"code\":\"1\",\"parent\":\"\",\"kind\":\"schedule\"}\n"},
    {"wassenaar.jsonl", "{\"regime\":\"wassenaar\",\"code\":\"2\",\"parent\":\"\",\"kind\":\"category\"}\n"},
    {"eu_dual_use.jsonl", "{\"regime\":\"eu_dual_use\",\"code\":\"2\",\"parent\":\"\",\"kind\":\"category\"}\n"},
    {"hs2022.tsv", "code\tparent\tlevel\tchapter\tsection\tsection_name\tdescription\n"
                   "84\t\t2\t84\tXVI\tMachinery\tMachinery\n"
                   "8413\t84\t4\t84\tXVI\tMachinery\tPumps for liquids\n"},
    {"chemical_names.tsv", "name\tcas\trole\ttargets\nUDMH\t57-14-7\tlisted\tmtcr:3.A.5\n"},
    {"unsc_dprk_bans.jsonl", "{\"resolution\":2397,\"paragraph\":\"7\",\"citation\":\"S/RES/2397 "
                             "(2017), para. 7\",\"direction\":\"import\",\"hs\":\"84\"}\n"},
};

static void write_file(const char *name, const void *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f)
        abort();
    if (n && fwrite(p, 1, n, f) != n)
        abort();
    fclose(f);
}

static void cleanup(void)
{
    for (size_t i = 0; i < sizeof minimal / sizeof minimal[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", dir, minimal[i][0]);
        unlink(path);
    }
    rmdir(dir);
}

static void write_minimal(void)
{
    for (size_t i = 0; i < sizeof minimal / sizeof minimal[0]; i++)
        write_file(minimal[i][0], minimal[i][1], strlen(minimal[i][1]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/cordon-fuzz-goods-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        write_minimal();
        atexit(cleanup);
    }
    if (size == 0)
        return 0;
    const char *name = names[data[0] % (sizeof names / sizeof names[0])];
    write_file(name, data + 1, size - 1);
    cordon_error err = {0};
    cordon_goods *g = cordon_goods_open(dir, &err);
    if (g) {
        cordon_arena *a = cordon_arena_new();
        cordon_goods_query q = {"turbo pump 8 MPa UDMH CAS 57-14-7", "8413", "KP", NULL, 0, -1};
        cordon_goods_result r;
        if (a && cordon_goods_classify(g, &q, a, &r, &err) == CORDON_OK) {
            char *js = cordon_goods_result_json(&q, &r, 0);
            free(js);
        }
        cordon_arena_free(a);
        cordon_goods_close(g);
    } else if (!err.message[0]) {
        abort();
    }
    /* restore the file for the next input */
    for (size_t i = 0; i < sizeof minimal / sizeof minimal[0]; i++)
        if (strcmp(minimal[i][0], name) == 0)
            write_file(name, minimal[i][1], strlen(minimal[i][1]));
    return 0;
}
