/* fetch.h - downloads for lib/update. */
#ifndef CORDON_FETCH_H
#define CORDON_FETCH_H

#include "../util/util.h"

typedef struct fetch_limits {
    uint64_t max_bytes; /* 0: 2 GiB */
    long timeout_s;     /* whole transfer; <= 0: 600 */
} fetch_limits;

typedef struct fetch_result {
    long status;         /* HTTP status */
    bool not_modified;   /* 304: dest holds nothing useful */
    uint64_t bytes;
    char etag[256];
    char last_modified[128];
} fetch_result;

/* GETs url into dest, conditionally when etag / last_modified are given. A failure, an empty
 * body, a truncated transfer, a non-2xx status or a body over the limit is an error naming
 * the URL. */
cordon_status fetch_url(const char *url, const char *dest, const char *etag,
                        const char *last_modified, const fetch_limits *lim, fetch_result *r,
                        cordon_error *err);

#endif
