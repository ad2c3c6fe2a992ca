/* sim.c - string similarity on short ASCII tokens. Tokens are at most 47 bytes, so the
 * Jaro matching uses a 64-bit mask for the flags of the second string and plain loops
 * otherwise; Levenshtein uses Myers' bit-parallel algorithm (one 64-bit word). */
#include "text.h"

#include <stdlib.h>

double sim_jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == 0 || lb == 0)
        return (la == lb) ? 1.0 : 0.0;
    if (la > 64)
        la = 64;
    if (lb > 64)
        lb = 64;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range ? range - 1 : 0;
    uint64_t bflags = 0, aflags = 0;
    size_t m = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range + 1 < lb ? i + range + 1 : lb;
        for (size_t j = lo; j < hi; j++) {
            if (!(bflags >> j & 1) && a[i] == b[j]) {
                bflags |= 1ull << j;
                aflags |= 1ull << i;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    size_t t = 0, j = 0;
    for (size_t i = 0; i < la; i++) {
        if (!(aflags >> i & 1))
            continue;
        while (!(bflags >> j & 1))
            j++;
        if (a[i] != b[j])
            t++;
        j++;
    }
    double md = (double)m;
    double jaro = (md / (double)la + md / (double)lb + (md - (double)t / 2.0) / md) / 3.0;
    size_t prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        prefix++;
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

size_t sim_levenshtein(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == 0)
        return lb;
    if (lb == 0)
        return la;
    if (la > 64) { /* not expected for tokens: fall back to the classic DP */
        size_t *row = xcalloc_array(lb + 1, sizeof *row);
        if (!row)
            return la > lb ? la : lb;
        for (size_t j = 0; j <= lb; j++)
            row[j] = j;
        for (size_t i = 1; i <= la; i++) {
            size_t prev = row[0]++;
            for (size_t j = 1; j <= lb; j++) {
                size_t cur = row[j];
                size_t best = prev + (a[i - 1] != b[j - 1]);
                if (row[j] + 1 < best)
                    best = row[j] + 1;
                if (row[j - 1] + 1 < best)
                    best = row[j - 1] + 1;
                row[j] = best;
                prev = cur;
            }
        }
        size_t d = row[lb];
        free(row);
        return d;
    }
    /* Myers 1999: pattern a in one word, text b. The match table is static per thread and
     * only the entries a sets are cleared afterwards: zeroing 2 KiB per call cost more than
     * the algorithm itself. */
    static _Thread_local uint64_t peq[256];
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] |= 1ull << i;
    uint64_t pv = ~0ull, mv = 0, last = 1ull << (la - 1);
    size_t score = la;
    for (size_t j = 0; j < lb; j++) {
        uint64_t eq = peq[(unsigned char)b[j]];
        uint64_t xv = eq | mv;
        uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
        uint64_t ph = mv | ~(xh | pv);
        uint64_t mh = pv & xh;
        if (ph & last)
            score++;
        else if (mh & last)
            score--;
        ph = (ph << 1) | 1;
        mh <<= 1;
        pv = mh | ~(xv | ph);
        mv = ph & xv;
    }
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] = 0;
    return score;
}

size_t sim_osa(const char *a, size_t la, const char *b, size_t lb)
{
    /* Optimal string alignment (Levenshtein plus adjacent transpositions): "appel" is one
     * edit from "apple", not two. Myers' bit-parallel recurrence with Hyyroe's transposition
     * term: a transposition can end at a text position where the current character matches
     * the previous pattern position and the previous one the current, and the cell two back
     * on the diagonal was not a match. It runs for every typo candidate, where the DP cost
     * a few hundred steps per pair. */
    if (la == 0)
        return lb;
    if (lb == 0)
        return la;
    if (la > 63 || lb > 63)
        return sim_levenshtein(a, la, b, lb);
    static _Thread_local uint64_t peq[256];
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] |= 1ull << i;
    uint64_t vp = ~0ull, vn = 0, d0 = 0, prev_eq = 0, last = 1ull << (la - 1);
    size_t score = la;
    for (size_t j = 0; j < lb; j++) {
        uint64_t eq = peq[(unsigned char)b[j]];
        uint64_t tr = ((~d0 & eq) << 1) & prev_eq;
        d0 = (((eq & vp) + vp) ^ vp) | eq | vn | tr;
        uint64_t hp = vn | ~(d0 | vp);
        uint64_t hn = d0 & vp;
        if (hp & last)
            score++;
        else if (hn & last)
            score--;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        prev_eq = eq;
    }
    for (size_t i = 0; i < la; i++)
        peq[(unsigned char)a[i]] = 0;
    return score;
}
