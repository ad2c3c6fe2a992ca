/* pool.c - worker threads over one queue (pool.h). */
#include "pool.h"

static void *pool_thread(void *arg)
{
    work_pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->head && !p->stop)
            pthread_cond_wait(&p->ready, &p->lock);
        if (!p->head)
            break;
        pool_job *j = p->head;
        p->head = j->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        p->run(p->ctx, j);
        pthread_mutex_lock(&p->lock);
    }
    pthread_mutex_unlock(&p->lock);
    if (p->thread_exit)
        p->thread_exit(p->ctx);
    return NULL;
}

int pool_start(work_pool *p, unsigned n, void *ctx)
{
    p->ctx = ctx;
    p->stop = false;
    for (p->n = 0; p->n < n && p->n < POOL_MAX_THREADS; p->n++)
        if (pthread_create(&p->tids[p->n], NULL, pool_thread, p) != 0)
            return -1;
    return 0;
}

void pool_stop(work_pool *p)
{
    pthread_mutex_lock(&p->lock);
    p->stop = true;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->lock);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->tids[i], NULL);
    p->n = 0;
}

void pool_push(work_pool *p, pool_job *j)
{
    if (!p->n) {
        p->run(p->ctx, j);
        return;
    }
    pthread_mutex_lock(&p->lock);
    j->next = NULL;
    if (p->tail)
        p->tail->next = j;
    else
        p->head = j;
    p->tail = j;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->lock);
}
