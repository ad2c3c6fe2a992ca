/* arena.c - bump allocator: a query or an entity allocates freely and frees in one go. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} chunk;

struct cordon_arena {
    chunk *head;  /* current chunk */
    chunk *spare; /* chunks kept after a reset */
    size_t total;
};

cordon_arena *cordon_arena_new(void) { return calloc(1, sizeof(cordon_arena)); }

static void chunks_free(chunk *c)
{
    while (c) {
        chunk *n = c->next;
        free(c);
        c = n;
    }
}

void cordon_arena_reset(cordon_arena *a)
{
    if (!a)
        return;
    /* Keep the largest chunk to avoid malloc churn per query; free the rest. */
    chunk *keep = NULL;
    for (chunk *c = a->head; c;) {
        chunk *n = c->next;
        if (!keep || c->size > keep->size) {
            if (keep)
                free(keep);
            keep = c;
        } else {
            free(c);
        }
        c = n;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
}

void cordon_arena_free(cordon_arena *a)
{
    if (!a)
        return;
    chunks_free(a->head);
    chunks_free(a->spare);
    free(a);
}

void *arena_alloc_raw(cordon_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t want = c ? c->size * 2 : 16384;
        if (want < size)
            want = size;
        if (want > (1u << 24) && size < (1u << 24))
            want = 1u << 24;
        chunk *n = malloc(sizeof(chunk) + want);
        if (!n)
            return NULL;
        n->size = want;
        n->used = 0;
        n->next = c;
        a->head = c = n;
    }
    void *p = c->data + c->used;
    c->used += size;
    a->total += size;
    return p;
}

void *arena_alloc(cordon_arena *a, size_t size)
{
    void *p = arena_alloc_raw(a, size);
    if (p)
        memset(p, 0, size ? (size + 15) & ~(size_t)15 : 16); /* the padding too, as always */
    return p;
}

char *arena_strndup(cordon_arena *a, const char *s, size_t n)
{
    char *p = arena_alloc_raw(a, n + 1); /* every byte is written below */
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(cordon_arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

char *arena_printf(cordon_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = n >= 0 ? arena_alloc(a, (size_t)n + 1) : NULL;
    if (p)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

size_t arena_used(const cordon_arena *a) { return a->total; }
