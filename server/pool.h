/* pool.h - a few worker threads and their queue, for work that must not hold an HTTP worker:
 * batch screenings and case-store requests. A job embeds pool_job as its first member; the
 * pool's run function gets it back on a pool thread. */
#ifndef CORDON_SERVER_POOL_H
#define CORDON_SERVER_POOL_H

#include <pthread.h>
#include <stdbool.h>

#define POOL_MAX_THREADS 64

typedef struct pool_job {
    struct pool_job *next;
} pool_job;

typedef struct work_pool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    pool_job *head, *tail;
    bool stop;
    pthread_t tids[POOL_MAX_THREADS];
    unsigned n;
    void (*run)(void *ctx, pool_job *j); /* one job, on a pool thread; owns j */
    void (*thread_exit)(void *ctx);      /* a thread's own clean-up when the pool stops; may be NULL */
    void *ctx;
} work_pool;

#define WORK_POOL_INIT(run_fn, exit_fn)                                                        \
    {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, false, {0}, 0, run_fn,  \
     exit_fn, NULL}

/* Starts n threads (at most POOL_MAX_THREADS); -1 if one could not start (those that did run). */
int pool_start(work_pool *p, unsigned n, void *ctx);
/* Lets the threads finish the queued jobs, then joins them. */
void pool_stop(work_pool *p);
/* Queues a job; with no thread running, runs it here. */
void pool_push(work_pool *p, pool_job *j);

#endif
