/* fuzz_goods.c - the goods classifier on arbitrary queries against the real data/controls
 * (loaded once). The input is "text\nHS\ndestination\norigin"; missing parts are NULL. Every
 * string of the result is read so the sanitizers see a dangling or unterminated one. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cordon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cordon_goods *goods;
static cordon_arena *arena;

static size_t touch(const char *s) { return s ? strlen(s) : 0; }

static size_t touch_result(const cordon_goods_result *r)
{
    size_t sum = 0;
    for (size_t i = 0; i < r->n_candidates; i++) {
        const cordon_goods_candidate *c = &r->candidates[i];
        sum += touch(c->regime) + touch(c->list) + touch(c->code) + touch(c->title) +
               touch(c->heading) + touch(c->document) + touch(c->edition) + touch(c->file) +
               c->line + (size_t)(c->score * 10);
        for (size_t k = 0; k < c->n_evidence; k++)
            sum += touch(c->evidence[k].kind) + touch(c->evidence[k].matched) +
                   touch(c->evidence[k].detail);
    }
    for (size_t i = 0; i < r->n_prohibitions; i++) {
        const cordon_goods_prohibition *p = &r->prohibitions[i];
        sum += touch(p->regime) + touch(p->rule) + touch(p->citation) + touch(p->direction) +
               touch(p->hs) + touch(p->reason) + touch(p->limits);
    }
    const cordon_goods_hs *h = &r->hs;
    sum += touch(h->code) + touch(h->description) + touch(h->chapter) +
           touch(h->chapter_description) + touch(h->section) + touch(h->section_name) +
           touch(h->inferred) + touch(h->conflict) + touch(r->destination) + touch(r->origin);
    return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!goods) {
        cordon_error err = {0};
        goods = cordon_goods_open(CORDON_DATA_DIR "/controls", &err);
        arena = cordon_arena_new();
        if (!goods || !arena) {
            fprintf(stderr, "fuzz_goods: %s\n", err.message);
            abort();
        }
    }
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *part[4] = {NULL, NULL, NULL, NULL};
    char *p = buf;
    for (int i = 0; i < 4 && p; i++) {
        part[i] = p;
        p = strchr(p, '\n');
        if (p)
            *p++ = '\0';
    }
    cordon_goods_query q = {part[0], part[1], part[2], part[3], 0, -1};
    cordon_goods_result r;
    cordon_error err = {0};
    cordon_arena_reset(arena);
    if (cordon_goods_classify(goods, &q, arena, &r, &err) == CORDON_OK) {
        volatile size_t sum = touch_result(&r);
        (void)sum;
        char *js = cordon_goods_result_json(&q, &r, (int)(size & 1));
        free(js);
    } else if (!err.message[0]) {
        abort(); /* an error must say what is wrong */
    }
    free(buf);
    return 0;
}
