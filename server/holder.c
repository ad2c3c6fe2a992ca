/* holder.c - refcounted engine swap (see holder.h). */
#include "holder.h"

#include <stdlib.h>
#include <string.h>

static atomic_long open_engines;

long holder_open_engines(void) { return atomic_load(&open_engines); }

void holder_init(engine_holder *h)
{
    memset(h, 0, sizeof *h);
    pthread_mutex_init(&h->lock, NULL);
}

engine_ref *holder_acquire(engine_holder *h)
{
    pthread_mutex_lock(&h->lock);
    engine_ref *r = h->cur;
    if (r)
        atomic_fetch_add(&r->refs, 1);
    pthread_mutex_unlock(&h->lock);
    return r;
}

void holder_release(engine_ref *r)
{
    if (!r || atomic_fetch_sub(&r->refs, 1) != 1)
        return;
    cordon_risk_close(r->risk);
    cordon_goods_close(r->goods);
    cordon_engine_close(r->engine);
    free(r);
    atomic_fetch_sub(&open_engines, 1);
}

/* "2026-11-23T04:47:31Z" -> seconds since the epoch, 0 if it does not parse. */
static time_t parse_built_at(const char *s)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;
    return end ? timegm(&tm) : 0;
}

cordon_status holder_load(engine_holder *h, const char *path, cordon_error *err)
{
    cordon_engine *e = cordon_engine_open(path, err);
    if (!e)
        return err->status;
    engine_ref *r = calloc(1, sizeof *r);
    if (!r) {
        cordon_engine_close(e);
        err->status = CORDON_ERR_NOMEM;
        strcpy(err->message, "out of memory");
        return CORDON_ERR_NOMEM;
    }
    cordon_snapshot_info info;
    cordon_engine_info(e, &info);
    r->engine = e;
    /* Goods and transaction screening ride on the same swap: a reload renews all three. */
    cordon_error gerr = {0};
    r->goods = cordon_goods_open(NULL, &gerr);
    r->risk = cordon_risk_open(e, r->goods, NULL, NULL, 0, &gerr);
    r->loaded_at = time(NULL);
    r->built_at = parse_built_at(info.built_at);
    atomic_init(&r->refs, 1); /* the holder's own reference */
    atomic_fetch_add(&open_engines, 1);
    pthread_mutex_lock(&h->lock);
    engine_ref *old = h->cur;
    r->generation = ++h->generation;
    h->cur = r;
    pthread_mutex_unlock(&h->lock);
    holder_release(old);
    return CORDON_OK;
}

void holder_clear(engine_holder *h)
{
    pthread_mutex_lock(&h->lock);
    engine_ref *old = h->cur;
    h->cur = NULL;
    pthread_mutex_unlock(&h->lock);
    holder_release(old);
}
