/* thresholds.c - the values a description states ("spindle speed 24000 rpm") against the
 * thresholds of the candidate entries and their sub-entries: a value that meets one is
 * evidence for the entry (or the sub-entry), one that misses is evidence against it. */
#include "classify.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <strings.h>

static const char *const cmp_text[] = {"<", "<=", ">", ">=", "between"};


static bool threshold_met(const goods_threshold *t, double v)
{
    const double eps = 1e-9 * (fabs(t->value) + 1);
    switch (t->cmp) {
    case CMP_LT:
        return v < t->value - eps;
    case CMP_LE:
        return v <= t->value + eps;
    case CMP_GT:
        return v > t->value + eps;
    case CMP_GE:
        return v >= t->value - eps;
    default:
        return (t->min_open ? v > t->value + eps : v >= t->value - eps) &&
               (t->max_open ? v < t->value_max - eps : v <= t->value_max + eps);
    }
}

/* A value the buyer bounds strictly meets a strict threshold at the same number: "rise time
 * < 1 ns" meets "less than 1 ns". */
static bool value_met(const goods_value *v, const goods_threshold *t, double conv)
{
    if (threshold_met(t, conv))
        return true;
    const double eps = 1e-9 * (fabs(t->value) + 1);
    if (fabs(conv - t->value) > eps)
        return false;
    return (v->cmp == CMP_LT && t->cmp == CMP_LT) || (v->cmp == CMP_GT && t->cmp == CMP_GT);
}

/* Dimensions specific enough to compare a value the buyer gave without naming it. */
static bool telling_dimension(const char *dim)
{
    static const char *const vague[] = {"length", "mass", "time", "ratio", "volume", "area",
                                        "other", "information"};
    for (size_t i = 0; i < ARRAY_LEN(vague); i++)
        if (strcmp(dim, vague[i]) == 0)
            return false;
    return true;
}

/* Vague dimensions an unnamed value is still read in when the entry has one quantity of it:
 * "glass-lined reactor 50 L" is the reactor's volume. */
static bool sole_dimension(const char *dim)
{
    static const char *const ok[] = {"volume", "area", "length", "ratio"};
    for (size_t i = 0; i < ARRAY_LEN(ok); i++)
        if (strcmp(dim, ok[i]) == 0)
            return true;
    return false;
}

static bool quantity_fits(const goods_value *v, const goods_threshold *t)
{
    if (v->q) /* named, or the unit's default quantity ("1550 nm": a wavelength) */
        for (size_t i = 0; i < v->q->n_words; i++)
            if (str_icontains(t->quantity, v->q->words[i]))
                return true;
    if (!v->q || v->q->unit_only) /* "12 bit" unnamed is a resolution, not a key length */
        return telling_dimension(v->unit->dim) || (strcmp(v->unit->dim, "information") == 0 &&
                                                   str_icontains(t->quantity, "resolution")) ||
               (t->sole && sole_dimension(v->unit->dim));
    /* "capable of operation above 1 123 K": a quantity no buyer names is read by dimension */
    return !t->known && telling_dimension(v->unit->dim);
}

static const char *fmt_num(ctx *x, double v)
{
    return arena_printf(x->a, "%.6g", v);
}

/* Case-insensitive search for w in the first n bytes of s. */
static bool memmem_icase(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    for (size_t i = 0; k && i + k <= n; i++)
        if (strncasecmp(s + i, w, k) == 0)
            return true;
    return false;
}

/* Whether one of the stated values meets threshold t. */
static bool threshold_met_by_values(const ctx *x, const goods_threshold *t)
{
    for (size_t i = 0; i < x->nv; i++) {
        const goods_value *v = &x->vals[i];
        double conv;
        if (t->unit && goods_convert(v->value, v->unit, t->unit, &conv) && quantity_fits(v, t) &&
            value_met(v, t, conv))
            return true;
    }
    return false;
}

enum { WHOLE = 0, ONE_OF = 1, OTHER_KIND = 2 }; /* how much a met threshold says */

typedef struct value_verdict {
    int met;             /* -1 none compared, 0 below all, 1 met one condition of several, 2 met */
    uint32_t entry;      /* where the met threshold sits */
    const goods_threshold *t;
    double converted;
} value_verdict;

/* Whether some stated value meets a threshold of entry e or of a sub-entry. */
static bool some_value_meets(const ctx *x, uint32_t e, int depth)
{
    const cordon_goods *g = x->g;
    const goods_entry *en = &g->entries[e];
    for (uint32_t k = 0; k < en->n_thresholds; k++)
        if (threshold_met_by_values(x, &g->thresholds[en->first_threshold + k]))
            return true;
    if (depth >= 3)
        return false;
    for (int32_t c = en->first_child; c >= 0; c = g->entries[c].next_sibling)
        if (some_value_meets(x, (uint32_t)c, depth + 1))
            return true;
    return false;
}

/* Whether some stated value meets a threshold of a sub-entry of e. */
static bool child_value_meets(const ctx *x, uint32_t e, int depth)
{
    const cordon_goods *g = x->g;
    for (int32_t c = g->entries[e].first_child; c >= 0; c = g->entries[c].next_sibling)
        if (some_value_meets(x, (uint32_t)c, depth + 1))
            return true;
    return false;
}

/* Whether the stated values meet every condition of a conjunction: each sub-entry, or each
 * threshold of an entry without sub-entries. */
static bool conjunction_met(const ctx *x, uint32_t e)
{
    const cordon_goods *g = x->g;
    const goods_entry *en = &g->entries[e];
    if (en->first_child < 0) {
        for (uint32_t k = 0; k < en->n_thresholds; k++)
            if (!threshold_met_by_values(x, &g->thresholds[en->first_threshold + k]))
                return false;
        return en->n_thresholds > 0;
    }
    for (int32_t c = en->first_child; c >= 0; c = g->entries[c].next_sibling)
        if (!some_value_meets(x, (uint32_t)c, 1))
            return false;
    return true;
}

/* Whether every threshold of entry e is met by a stated value. */
static bool own_thresholds_met(const ctx *x, const goods_entry *en)
{
    for (uint32_t k = 0; k < en->n_thresholds; k++)
        if (!threshold_met_by_values(x, &x->g->thresholds[en->first_threshold + k]))
            return false;
    return true;
}

/* Whether the description writes w as its usual abbreviation: "CW" for "continuous wave". */
static bool alias_named(const ctx *x, const char *w)
{
    static const char *const alias[][2] = {{"continuous", "cw"}, {"wave", "cw"}};
    for (size_t i = 0; i < ARRAY_LEN(alias); i++) {
        if (strcasecmp(w, alias[i][0]) != 0)
            continue;
        size_t k = strlen(alias[i][1]);
        for (size_t p = 0; p + k <= x->len; p++)
            if (strncasecmp(x->text + p, alias[i][1], k) == 0 &&
                (p == 0 || !isalnum((unsigned char)x->text[p - 1])) &&
                (p + k == x->len || !isalnum((unsigned char)x->text[p + k])))
                return true;
    }
    return false;
}

/* Whether sub-entry e names a narrower kind of item than its parent ("Copper vapour lasers
 * having both of the following", "Para-hydrogen Raman shifters designed to operate at ..."
 * under "Lasers") that the description does not name: its title before "having", "capable of" or
 * "designed" has words the parent's title lacks, and the description has fewer than half. */
static bool narrower_kind_unnamed(const ctx *x, const goods_entry *en)
{
    static const char *const marks[] = {" having ", " capable of ", " designed ", " that are ",
                                        " that have "};
    static const char *const skip[] = {"and", "the", "other", "than", "all", "any", "type",
                                       "types", "including", "incl"};
    static const char *const condition[] = {"Rated ", "Having ", "With ", "Specified ",
                                            "Capable ", "Operating ", "Incorporating "};
    if (en->parent < 0 || !en->title)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(condition); i++)
        if (strncmp(en->title, condition[i], strlen(condition[i])) == 0)
            return false; /* "Rated for operation at frequencies ... and having": a condition */
    const char *parent = x->g->entries[en->parent].title;
    size_t end = strlen(en->title), all = end;
    for (size_t i = 0; i < ARRAY_LEN(marks); i++) {
        const char *p = str_icontains(en->title, marks[i]);
        if (p && (size_t)(p - en->title) < end)
            end = (size_t)(p - en->title);
    }
    int narrower = 0, named = 0;
    if (end == all)
        return false; /* a condition ("output power exceeding 1 W"), not a kind */
    for (size_t i = 0; i < end;) {
        while (i < end && !isalpha((unsigned char)en->title[i]))
            i++;
        size_t j = i;
        while (j < end && (isalnum((unsigned char)en->title[j]) || en->title[j] == '-'))
            j++;
        size_t n = j - i;
        if (n >= 3) {
            char w[48];
            if (n >= sizeof w)
                n = sizeof w - 1;
            memcpy(w, en->title + i, n);
            w[n] = '\0';
            bool common = false;
            for (size_t k = 0; k < ARRAY_LEN(skip) && !common; k++)
                common = strcasecmp(w, skip[k]) == 0;
            bool alias = alias_named(x, w);
            if (n > 3 && (w[n - 1] == 's' || w[n - 1] == 'S'))
                w[n - 1] = '\0'; /* "lasers" -> "laser" */
            if (n == 3 && strcasecmp(w, "non") == 0) {
                /* "Non-"tunable" continuous wave lasers": a property denied, not a kind */
                while (j < end && !isalpha((unsigned char)en->title[j]))
                    j++;
                while (j < end && (isalnum((unsigned char)en->title[j]) || en->title[j] == '-'))
                    j++;
                i = j;
                continue;
            }
            if (!common && !(parent && str_icontains(parent, w))) {
                narrower++;
                named += memmem_icase(x->text, x->len, w) || alias;
            }
        }
        i = j;
    }
    /* "pulsed excimer laser XeCl" names "Pulsed excimer lasers (XeF, XeCl, KrF)", not
     * "Tunable pulsed single-mode dye laser oscillators" */
    return narrower > 0 && 2 * named < narrower;
}

/* ---- values that rule an entry out ---------------------------------------------------------
 * "turbomolecular pump, pumping speed 300 l/s" names the kind of 3.A.8 (vacuum pumps, speed
 * 15 m3/s or more), but its stated speed says it is not the listed one. An entry is ruled out
 * when the stated values that can be compared with its conditions (same dimension, and the
 * quantity named or telling) decide against it: its own thresholds (which hold together unless
 * the text joins them with "or") or its sub-entries (each of them; one of them for "having all
 * of the following") are missed.
 * A condition no stated value can be compared with is unknown and rules nothing out. */

enum { T_UNKNOWN = 0, T_MET, T_MISSED };

/* A value that does not meet t misses it unless the buyer's own bound leaves room to meet it:
 * "over 100 MSPS" may still exceed 1 GSPS, "up to 2 mGal" may still be below 0.7 mGal. */
static bool bound_misses(const goods_value *v, const goods_threshold *t, double conv)
{
    bool up = v->cmp == CMP_GT || v->cmp == CMP_GE;   /* the item's value is at least this */
    bool down = v->cmp == CMP_LT || v->cmp == CMP_LE; /* at most this */
    if (!up && !down)
        return true;
    switch (t->cmp) {
    case CMP_GT:
    case CMP_GE:
        return down;
    case CMP_LT:
    case CMP_LE:
        return up;
    default:
        return up ? conv > t->value_max : conv < t->value;
    }
}

/* Whether v meets a threshold of entry en other than t: a value that meets one end of "from
 * below -50 °C to above 125 °C" is that end, and says nothing of the other; a thrust that
 * meets "greater than 400 N" is not ruled out by the exclusion after it ("excluding civil
 * certified engines with a maximum thrust value greater than 8.89 kN"). */
static bool meets_other(const ctx *x, const goods_value *v, const goods_entry *en,
                        const goods_threshold *t)
{
    const goods_threshold *o = &x->g->thresholds[en->first_threshold];
    for (uint32_t k = 0; k < en->n_thresholds; k++) {
        double conv;
        if (&o[k] != t && o[k].unit && goods_convert(v->value, v->unit, o[k].unit, &conv) &&
            quantity_fits(v, &o[k]) && value_met(v, &o[k], conv))
            return true;
    }
    return false;
}

static int threshold_state(const ctx *x, const goods_entry *en, const goods_threshold *t)
{
    int state = T_UNKNOWN;
    for (size_t i = 0; t->unit && i < x->nv; i++) {
        const goods_value *v = &x->vals[i];
        double conv;
        if (!goods_convert(v->value, v->unit, t->unit, &conv) || !quantity_fits(v, t))
            continue;
        if (value_met(v, t, conv))
            return T_MET;
        if (bound_misses(v, t, conv) && !meets_other(x, v, en, t))
            state = T_MISSED;
    }
    return state;
}

/* Whether an entry's own thresholds are alternatives: "a fractional bandwidth of more than 7%
 * or a peak power exceeding 2.5 kW". Otherwise they hold together ("16 bit or more with a
 * sample rate greater than 65 MSPS", "exceeding 1 GHz within the frequency range ..."). */
static bool own_alternatives(const goods_entry *en, const goods_threshold *t)
{
    if (en->all_of || en->n_thresholds < 2 || !en->text)
        return false;
    /* the words between one threshold's text and the next ("8 bit or more, but less than 10
     * bit" holds an "or" of its own) */
    const char *prev_end = NULL, *prev = NULL;
    for (uint32_t k = 0; k < en->n_thresholds; k++) {
        const char *at = t[k].text ? str_icontains(en->text, t[k].text) : NULL;
        if (!at)
            return true; /* cannot tell: the weaker reading */
        const char *end = at + strlen(t[k].text);
        if (prev) {
            const char *a = prev < at ? prev_end : end, *b = prev < at ? at : prev;
            if (a < b && memmem_icase(a, (size_t)(b - a), " or "))
                return true;
        }
        prev = at;
        prev_end = end;
    }
    return false;
}

enum { R_OPEN = 1, R_OUT }; /* x->ruled: 0 not yet known */

static int ruled(const ctx *x, uint32_t e, int depth)
{
    uint8_t *memo = &x->ruled[e];
    if (*memo)
        return *memo;
    const cordon_goods *g = x->g;
    const goods_entry *en = &g->entries[e];
    int st = R_OPEN;
    if (en->n_thresholds > 0) {
        /* only here: a list without thresholds has no threshold array at all */
        const goods_threshold *t = &g->thresholds[en->first_threshold];
        bool alt = own_alternatives(en, t);
        int met = 0, missed = 0;
        for (uint32_t k = 0; k < en->n_thresholds; k++) {
            int s = threshold_state(x, en, &t[k]);
            met += s == T_MET;
            missed += s == T_MISSED;
        }
        if (missed && (!alt || !met))
            st = R_OUT;
    }
    if (st == R_OPEN && en->first_child >= 0 && depth < 6) {
        int out = 0, open = 0;
        for (int32_t c = en->first_child; c >= 0; c = g->entries[c].next_sibling) {
            int cs = ruled(x, (uint32_t)c, depth + 1);
            out += cs == R_OUT;
            open += cs == R_OPEN;
        }
        if (en->all_of ? out > 0 : out > 0 && open == 0)
            st = R_OUT;
        else if (!en->all_of && out > 0) {
            /* the sub-entries the values do not decide may name another kind of item, without
             * conditions ("dies, moulds and controls" for isostatic presses) */
            bool other_only = true;
            for (int32_t c = en->first_child; c >= 0 && other_only; c = g->entries[c].next_sibling)
                other_only = x->ruled[c] != R_OPEN ||
                             (narrower_kind_unnamed(x, &g->entries[c]) &&
                              !some_value_meets(x, (uint32_t)c, depth + 1));
            if (other_only)
                st = R_OUT;
        }
    }
    *memo = (uint8_t)st;
    return st;
}

static bool ruled_out(const ctx *x, uint32_t e)
{
    return x->nv && x->ruled && ruled(x, e, 0) == R_OUT;
}

bool goods_ruled_out(const ctx *x, uint32_t e) { return ruled_out(x, e); }

/* Compares one stated value with the thresholds of entry e and its sub-entries (depth 3).
 * Below the candidate, a value that meets one of several conditions that hold together is not
 * evidence while the others are not met: a sub-entry of a narrower kind the description does
 * not name ("copper vapour lasers having both of the following", for a CO2 laser), thresholds
 * of two quantities joined by "and", or a sub-entry's own threshold above its sub-entries
 * ("output wavelength less than 150 nm and any of the following"). */
static void compare_subtree(const ctx *x, const goods_value *v, uint32_t e, int depth,
                            int partial, value_verdict *vd)
{
    const cordon_goods *g = x->g;
    const goods_entry *en = &g->entries[e];
    if (ruled_out(x, e))
        partial = OTHER_KIND; /* a value that meets one of its conditions does not count */
    if (depth > 0 && partial < OTHER_KIND) {
        if (narrower_kind_unnamed(x, en) && !(en->all_of && conjunction_met(x, e)))
            partial = OTHER_KIND;
        else if (en->first_child >= 0 && en->n_thresholds > 0 &&
                 (!own_thresholds_met(x, en) || !child_value_meets(x, e, depth)))
            partial = ONE_OF; /* "exceeding 975 nm ... and any of the following": the
                                 wavelength alone is one condition of two */
        else if (en->first_child < 0 && en->all_of && !conjunction_met(x, e))
            partial = ONE_OF;
    }
    for (uint32_t k = 0; k < en->n_thresholds; k++) {
        const goods_threshold *t = &g->thresholds[en->first_threshold + k];
        double conv;
        if (!t->unit || !goods_convert(v->value, v->unit, t->unit, &conv) || !quantity_fits(v, t))
            continue;
        bool met = value_met(v, t, conv);
        if (met && partial == OTHER_KIND)
            continue;
        int level = met ? (partial == ONE_OF ? 1 : 2) : 0;
        if ((met && vd->met < level) || (!met && vd->met < 0))
            *vd = (value_verdict){level, e, t, conv};
    }
    if (depth >= 3)
        return;
    for (int32_t c = en->first_child; c >= 0; c = g->entries[c].next_sibling)
        compare_subtree(x, v, (uint32_t)c, depth + 1, partial, vd);
}

void goods_apply_values(ctx *x)
{
    goods_value *vals = arena_alloc_raw(x->a, GOODS_MAX_VALUES * sizeof *vals);
    if (!vals) {
        x->failed = true;
        return;
    }
    size_t nv = goods_find_values(x->g, x->text, x->len, vals, GOODS_MAX_VALUES);
    x->vals = vals;
    x->nv = nv;
    if (nv) {
        x->ruled = arena_alloc(x->a, x->g->n_entries);
        if (!x->ruled) {
            x->failed = true;
            return;
        }
    }
    size_t n_c = x->n_c; /* candidates created below are not compared again */
    for (size_t ci = 0; ci < n_c && !x->failed; ci++) {
        uint32_t e = x->c[ci].entry;
        int prev_met = -1;
        for (size_t i = 0; i < nv; i++) {
            value_verdict vd = {-1, 0, NULL, 0};
            compare_subtree(x, &vals[i], e, 0, WHOLE, &vd);
            bool again = vals[i].low_end && prev_met == 0 && vd.met == 0;
            prev_met = vd.met;
            if (vd.met < 0 || again) /* a range that misses counts once */
                continue;
            const goods_entry *te = &x->g->entries[vd.entry];
            const char *stated = arena_strndup(x->a, x->text + vals[i].start,
                                               vals[i].end - vals[i].start);
            const char *limit =
                vd.t->cmp == CMP_BETWEEN
                    ? arena_printf(x->a, "between %s and %s", fmt_num(x, vd.t->value),
                                   fmt_num(x, vd.t->value_max))
                    : arena_printf(x->a, "%s %s", cmp_text[vd.t->cmp], fmt_num(x, vd.t->value));
            const char *detail = arena_printf(
                x->a, "stated %s = %s %s %s %s %s (%s of %s)",
                vals[i].q ? vals[i].q->phrase : "value", fmt_num(x, vd.converted),
                vd.t->unit->canon, vd.met ? "meets" : "does not meet", limit, vd.t->unit->canon,
                vd.t->quantity, te->code);
            uint32_t key = 0x40000000u + (uint32_t)i;
            if (vd.met) {
                if (vd.met == 1) {
                    detail = arena_printf(x->a, "%s; one of several conditions that hold "
                                          "together", detail);
                    key |= PARTIAL_KEY;
                }
                goods_add_ev(x, e, "value", stated, detail,
                       vd.met == 1 ? VALUE_PARTIAL_W : VALUE_MEETS_W, key);
                if (vd.entry != e && te->selectable) {
                    /* the sub-entry whose threshold is met is the better answer; x->c may
                     * move while it grows, so index it afresh each time */
                    for (size_t k = 0; k < x->c[ci].n_ev && !x->failed; k++) {
                        ev cp = x->c[ci].ev[k];
                        goods_add_ev(x, vd.entry, cp.kind, cp.matched, cp.detail, cp.w, cp.key);
                    }
                }
            } else {
                goods_add_ev(x, e, "value", stated, detail, -VALUE_BELOW_W, key);
                if (x->n_missed < ARRAY_LEN(x->missed))
                    x->missed[x->n_missed++] = vd.entry;
            }
        }
    }
}

/* Whether the description names every word of an exclusion's kind ("argon lasers"). */
static bool kind_named(const ctx *x, const char *kind)
{
    char w[48];
    for (const char *p = kind; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        size_t k = n < sizeof w ? n : sizeof w - 1;
        memcpy(w, p, k);
        w[k] = '\0';
        if (k > 4 && w[k - 1] == 's')
            w[k - 1] = '\0'; /* "lasers" -> "laser" */
        if (!memmem_icase(x->text, x->len, w))
            return false;
        p += n;
    }
    return true;
}

/* The exclusion of entry e or of an entry above it that the stated values fall under: "does
 * not control forms in which all linear dimensions are 75 mm or less" for "pins dia 20 x 60
 * mm". Every stated value of its dimension must be inside it (the upper end of a range stands
 * for the range), and the item must be of the kind the note names. */
static const goods_threshold *exclusion_met(const ctx *x, uint32_t e, uint32_t *where)
{
    const cordon_goods *g = x->g;
    for (int32_t a = (int32_t)e, depth = 0; a >= 0 && depth < 8;
         a = g->entries[a].parent, depth++) {
        const goods_entry *en = &g->entries[a];
        for (uint32_t k = 0; k < en->n_exclusions; k++) {
            const goods_threshold *t = &g->thresholds[en->first_exclusion + k];
            if (!t->unit || (t->cmp != CMP_LT && t->cmp != CMP_LE) ||
                (t->kind && !kind_named(x, t->kind)))
                continue;
            size_t inside = 0, outside = 0;
            for (size_t i = 0; i < x->nv; i++) {
                const goods_value *v = &x->vals[i];
                double conv;
                if (v->low_end || !goods_convert(v->value, v->unit, t->unit, &conv))
                    continue;
                bool bounded = v->cmp == 255 || v->cmp == CMP_LT || v->cmp == CMP_LE;
                if (bounded && threshold_met(t, conv))
                    inside++;
                else
                    outside++;
            }
            if (inside && !outside) {
                *where = (uint32_t)a;
                return t;
            }
        }
    }
    return NULL;
}

void goods_rule_out(ctx *x)
{
    for (size_t i = 0; i < x->n_c && !x->failed; i++) {
        uint32_t where = 0;
        const goods_threshold *ex = x->nv ? exclusion_met(x, x->c[i].entry, &where) : NULL;
        if (ex) {
            x->c[i].out = true;
            goods_add_ev(x, x->c[i].entry, "value", NULL,
                         arena_printf(x->a, "the stated values fall under the note of %s: it "
                                      "does not control %s%s%s %s %s %s", x->g->entries[where].code,
                                      ex->kind && ex->kind[0] ? ex->kind : "items",
                                      ex->quantity[0] ? " with " : "", ex->quantity,
                                      cmp_text[ex->cmp], fmt_num(x, ex->value), ex->unit->canon),
                         -EXCLUSION_W, 0x40000000u + GOODS_MAX_VALUES);
            continue;
        }
        if (!ruled_out(x, x->c[i].entry))
            continue;
        x->c[i].out = true;
        goods_add_ev(x, x->c[i].entry, "value", NULL,
                     arena_printf(x->a, "the stated values miss every condition of %s they "
                                  "can be compared with", x->g->entries[x->c[i].entry].code),
                     -VALUE_RULES_OUT_W, 0x40000000u + GOODS_MAX_VALUES);
    }
}
