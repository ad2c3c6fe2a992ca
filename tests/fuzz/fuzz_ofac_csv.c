/* fuzz_ofac_csv.c - the whole OFAC CSV reader. The first byte picks which file of an SDN set
 * gets the rest of the input (sdn.csv, alt.csv, add.csv or sdn_comments.csv); the other three
 * get a small valid content, so every file's parser is reached. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "lists/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[4] = {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"};
/* Elements split over lines are parenthesised so that clang sees deliberate concatenation. */
static const char *const valid[4] = {
    ("1,\"DOE, John\",\"individual\",\"DPRK3] [CYBER2\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"
     "\"DOB 1960; Passport 12\"\r\n2,\"SHIP\",\"vessel\",\"DPRK\",-0- ,\"T2EU4\",\"Tug\",\"1,000\","
     "-0- ,\"Panama\",\"OWNER\",-0- \r\n\x1a"),
    "1,10,\"aka\",\"DOE, J.\",-0- \r\n1,11,\"fka\",\"ROE, Jim\",-0- \r\n",
    ("1,20,\"Street 1\",\"Pyongyang\",\"Korea, North\",-0- \r\n2,21,-0- ,-0- ,\"Region: X\",-0- "
     "\r\n"),
    "1,\"34 (Korea, North); a.k.a. 'JD'.\"\r\n",
};

static char dir[64];

static void remove_dir(void)
{
    char path[128];
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    rmdir(dir);
}

static int write_file(int i, const void *p, size_t n)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = n ? fwrite(p, 1, n, f) : 0;
    return fclose(f) == 0 && w == n ? 0 : -1;
}

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

static int touch_sink(void *ctx, const cordon_entity *e)
{
    size_t *sum = ctx;
    *sum += touch(e->source) + touch(e->source_id) + touch(e->gender) + touch(e->remarks);
    for (size_t i = 0; i < e->n_names; i++)
        *sum += touch(e->names[i].full) + touch(e->names[i].given) + touch(e->names[i].middle) +
                touch(e->names[i].family);
    for (size_t i = 0; i < e->n_ids; i++)
        *sum += touch(e->ids[i].label) + touch(e->ids[i].value) + touch(e->ids[i].country);
    for (size_t i = 0; i < e->n_birth_dates; i++)
        *sum += (size_t)e->birth_dates[i].year_from;
    for (size_t i = 0; i < e->n_birth_places; i++)
        *sum += touch(e->birth_places[i]);
    for (size_t i = 0; i < e->n_nationalities; i++)
        *sum += touch(e->nationalities[i]);
    for (size_t i = 0; i < e->n_citizenships; i++)
        *sum += touch(e->citizenships[i]);
    for (size_t i = 0; i < e->n_addresses; i++)
        *sum += touch(e->addresses[i].text) + touch(e->addresses[i].country);
    for (size_t i = 0; i < e->n_programs; i++)
        *sum += touch(e->programs[i]);
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
    if (!dir[0]) {
        /* A RAM file system when there is one: the target writes four files per input. */
        const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(dir, sizeof dir, "%s/fuzz_ofac_csv_XXXXXX", base);
        if (!mkdtemp(dir))
            abort();
        atexit(remove_dir);
    }
    int target = data[0] % 4;
    for (int i = 0; i < 4; i++) {
        int rc = i == target ? write_file(i, data + 1, size - 1)
                             : write_file(i, valid[i], strlen(valid[i]));
        if (rc != 0)
            abort();
    }
    size_t sum = 0;
    eb *b = eb_new("fuzz", touch_sink, &sum);
    if (!b)
        return 0;
    cordon_error err;
    cordon_source_meta meta;
    cordon_status st = read_ofac_csv(dir, b, &meta, &err);
    /* Every failure must say where. */
    if (st != CORDON_OK && err.message[0] == 0)
        abort();
    eb_free(b);
    return sum == (size_t)-1;
}
