/* goods.c - the cordon_goods handle: open, close, default directory, counts. */
#include "goods.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

const char *cordon_goods_default_dir(char *out, size_t len)
{
    const char *env = getenv("CORDON_CONTROLS");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return out;
    }
    char snap[PATH_MAX];
    cordon_default_snapshot(snap, sizeof snap);
    char *slash = strrchr(snap, '/');
    if (slash) {
        *slash = '\0';
        snprintf(out, len, "%s/controls", snap);
    } else {
        snprintf(out, len, "controls");
    }
    return out;
}

void cordon_goods_close(cordon_goods *g)
{
    if (!g)
        return;
    free(g->entries);
    free(g->thresholds);
    free(g->units);
    free(g->quantities);
    free(g->patterns);
    free(g->cas);
    free(g->hs);
    free(g->hsmap);
    free(g->bans);
    smap_free(&g->entry_index);
    smap_free(&g->unit_canon);
    smap_free(&g->unit_surface);
    smap_free(&g->unit_surface_cs);
    smap_free(&g->quantity_index);
    smap_free(&g->token_ids);
    smap_free(&g->hs_index);
    smap_free(&g->alias_index);
    smap_free(&g->symbol_index);
    smap_free(&g->hsmap_index);
    smap_free(&g->text_words);
    ac_free(g->ac);
    free(g->gap_start);
    free(g->gap_list);
    cordon_arena_free(g->arena);
    free(g);
}

cordon_goods *cordon_goods_open(const char *dir, cordon_error *err)
{
    char def[PATH_MAX];
    if (!dir)
        dir = cordon_goods_default_dir(def, sizeof def);
    if (!*dir) {
        err_set(err, CORDON_ERR_INVALID, "goods: empty data directory");
        return NULL;
    }
    if (strlen(dir) >= sizeof ((cordon_goods *)0)->dir) {
        err_set(err, CORDON_ERR_INVALID, "goods: data directory path too long");
        return NULL;
    }
    cordon_goods *g = calloc(1, sizeof *g);
    if (!g || !(g->arena = cordon_arena_new())) {
        free(g);
        err_set(err, CORDON_ERR_NOMEM, "goods: out of memory");
        return NULL;
    }
    if (goods_load(g, dir, err) != CORDON_OK) {
        cordon_goods_close(g);
        return NULL;
    }
    return g;
}

void cordon_goods_get_info(const cordon_goods *g, cordon_goods_info *out)
{
    memset(out, 0, sizeof *out);
    out->entries = g->n_entries;
    for (size_t i = 0; i < REG_COUNT && i < ARRAY_LEN(out->by_regime); i++)
        out->by_regime[i] = g->by_regime[i];
    out->patterns = g->n_patterns;
    out->states = ac_states(g->ac);
    out->hs_codes = g->n_hs;
    out->bans = g->n_bans;
    out->cas_numbers = g->n_cas;
}
