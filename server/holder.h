/* holder.h - the loaded snapshot, swappable while requests run. A request acquires a
 * reference, screens, and releases it; a reload swaps in a new engine under a mutex, and the
 * old one is closed (its mapping released) when the last request still using it releases. */
#ifndef CORDON_SERVER_HOLDER_H
#define CORDON_SERVER_HOLDER_H

#include "cordon.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

typedef struct engine_ref {
    cordon_engine *engine;
    cordon_goods *goods; /* control lists, NULL if they could not be opened */
    cordon_risk *risk;   /* transaction rules over engine and goods, NULL if not available */
    atomic_long refs;
    time_t loaded_at;   /* when this server opened it */
    time_t built_at;    /* the snapshot's build time, 0 if unreadable */
    uint64_t generation; /* 1 for the first load, +1 per reload */
} engine_ref;

typedef struct engine_holder {
    pthread_mutex_t lock;
    engine_ref *cur;
    uint64_t generation;
} engine_holder;

void holder_init(engine_holder *h);
/* A counted reference to the current engine, or NULL if none is loaded. */
engine_ref *holder_acquire(engine_holder *h);
void holder_release(engine_ref *r);
/* Opens the snapshot at path and makes it current. On failure the current engine stays. */
cordon_status holder_load(engine_holder *h, const char *path, cordon_error *err);
/* Drops the holder's own reference (at shutdown). */
void holder_clear(engine_holder *h);
/* Engines still open (current plus old ones still in use), for /metrics and tests. */
long holder_open_engines(void);

#endif
