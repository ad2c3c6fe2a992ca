/* fuzz_network.c - the network analysis on arbitrary JSON-lines input: load, resolve, find
 * and render (JSON, GraphML, SVG, text) without list screening or goods (no engine needed,
 * so each run is fast). The bytes go to a temporary file like a user's file would. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/fuzz-network-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        unlink(path);
        return 0;
    }
    close(fd);
    cordon_net_options opt = {0};
    opt.threshold = -1;
    opt.no_screen = 1;
    opt.no_goods = 1;
    cordon_net *n = cordon_net_new(NULL, NULL, &opt);
    cordon_error err = {0};
    size_t sum = 0;
    if (n && cordon_net_load_file(n, path, &err) == CORDON_OK &&
        cordon_net_analyze(n, &err) == CORDON_OK) {
        char *outs[4] = {cordon_net_json(n, 0, 0, 0), cordon_net_graphml(n, 0, 0),
                         cordon_net_svg(n, 1), cordon_net_text(n, 0, 0)};
        for (size_t i = 0; i < 4; i++) {
            sum += outs[i] ? strlen(outs[i]) : 0;
            free(outs[i]);
        }
    }
    sum += strlen(err.message);
    cordon_net_free(n);
    unlink(path);
    return sum == (size_t)-1;
}
