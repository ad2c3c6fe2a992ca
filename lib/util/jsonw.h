/* jsonw.h - compact JSON written straight into a byte buffer. For the hot answers (a screening
 * result, a transaction report): building a jansson tree and dumping it cost more than the
 * work behind the answer. The bytes are those json_dumps(JSON_COMPACT | JSON_PRESERVE_ORDER |
 * JSON_REAL_PRECISION(p)) gives for the same values, so readers see no difference. */
#ifndef CORDON_JSONW_H
#define CORDON_JSONW_H

#include "util.h"

typedef struct jsonw {
    buf *b;
    bool failed; /* an append ran out of memory */
} jsonw;

void jsonw_raw(jsonw *w, const char *s);            /* bytes as they are */
void jsonw_rawn(jsonw *w, const char *s, size_t n);
void jsonw_char(jsonw *w, char c);
void jsonw_str(jsonw *w, const char *s);            /* a string; NULL writes null; invalid
                                                     * UTF-8 becomes U+FFFD */
void jsonw_real(jsonw *w, double v, int precision); /* %.{p}g, ".0" when integral */
void jsonw_int(jsonw *w, long long v);
void jsonw_bool(jsonw *w, int v);
void jsonw_open(jsonw *w, const char *key);         /* {"key": */
void jsonw_key(jsonw *w, const char *key);          /* ,"key": */

#endif
