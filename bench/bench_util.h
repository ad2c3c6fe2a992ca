/* bench_util.h - what the benchmark tools share: a seeded generator that gives the same
 * sequence everywhere, and progress output that --json silences. */
#ifndef CORDON_BENCH_UTIL_H
#define CORDON_BENCH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* splitmix64: tiny, seedable, the same on every platform. */
static inline uint64_t bench_rng(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* Prints unless quiet (the tools' --json mode), flushing so progress shows at once. */
__attribute__((format(printf, 2, 3))) static inline void bench_say(bool quiet, const char *fmt,
                                                                    ...)
{
    if (quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

#endif
