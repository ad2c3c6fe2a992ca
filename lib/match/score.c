/* score.c - how similar a query name is to one list name.
 *
 * Tokens are compared pairwise (exact, variant, romanisation fold, consonant skeleton for
 * names from Arabic script, initials, Jaro-Winkler for typos), adjacent pairs are also tried
 * written together ("Jong Un" = "Jongun"), and the best non-overlapping pairs are taken
 * greedily. The score is a weighted Dice coefficient: matched weight on both sides over all
 * weight on both sides, so unmatched tokens cost what they weigh and generic words little. */
#include "match.h"

#include <stdlib.h>

#define MIN_TOKEN_SIM 0.80
#define LIST_EXTRA_COST 0.4 /* weight share of an unmatched list-name token */

static double jw(const char *a, size_t la, const char *b, size_t lb)
{
    return sim_jaro_winkler(a, la, b, lb);
}

double token_sim(const stok *a, const stok *b, const char **how)
{
    *how = "none";
    if (a->cls == TOK_NUMBER || b->cls == TOK_NUMBER) {
        /* Numbers are never fuzzy: "Unit 180" is not "Unit 181". */
        if (a->cls == b->cls && strcmp(a->text, b->text) == 0) {
            *how = "exact";
            return 1.0;
        }
        return 0.0;
    }
    if (strcmp(a->text, b->text) == 0) {
        *how = strcmp(a->orig, b->orig) == 0 ? "exact" : "variant";
        return 1.0;
    }
    if (a->cls == TOK_INITIAL || b->cls == TOK_INITIAL) {
        /* An initial stands for any name with that first letter, at reduced weight. */
        if (a->cls != b->cls && a->orig[0] == b->orig[0]) {
            *how = "initial";
            return 0.7;
        }
        return 0.0;
    }
    double best = 0.0;
    if (a->fold[0] && strcmp(a->fold, b->fold) == 0) {
        best = 0.92;
        *how = "phonetic";
    }
    if (a->abjad != b->abjad) {
        /* One side came from a script without short vowels: compare consonant skeletons. */
        char sa[TEXT_MAX_TOKEN], sb[TEXT_MAX_TOKEN];
        text_skeleton(a->text, sa, sizeof sa);
        text_skeleton(b->text, sb, sizeof sb);
        size_t la = strlen(sa), lb = strlen(sb);
        if (la >= 1 && lb >= 1) {
            double s = strcmp(sa, sb) == 0 ? 0.92 : 0.9 * jw(sa, la, sb, lb);
            if (s > best) {
                best = s;
                *how = "skeleton";
            }
        }
    }
    if (best >= 0.92)
        return best;
    /* Typos: Jaro-Winkler on the canonical forms and on the folds. Short tokens need more. */
    double j = jw(a->text, a->len, b->text, b->len);
    size_t la = strlen(a->fold), lb = strlen(b->fold);
    double jf = 0.97 * jw(a->fold, la, b->fold, lb);
    if (jf > j)
        j = jf;
    size_t minlen = a->len < b->len ? a->len : b->len;
    double floor = minlen <= 3 ? 0.90 : MIN_TOKEN_SIM + 0.04;
    if (j >= floor && j > best) {
        best = j;
        *how = "fuzzy";
    }
    return best >= MIN_TOKEN_SIM ? best : 0.0;
}

/* Two adjacent tokens written as one, for comparison with a single token. */
static bool join2(const stok *x, const stok *y, stok *out, char *text, char *fold, size_t cap)
{
    if (x->cls == TOK_NUMBER || y->cls == TOK_NUMBER)
        return false;
    int n = snprintf(text, cap, "%s%s", x->text, y->text);
    if (n < 0 || (size_t)n >= cap)
        return false;
    text_fold(text, fold, cap);
    *out = *x;
    out->text = text;
    out->orig = text;
    out->fold = fold;
    out->len = (uint8_t)n;
    out->cls = TOK_WORD;
    out->w = x->w + y->w;
    return true;
}

/* A token written together with its neighbour must match it nearly whole: "jongun" is
 * "jong un", but "jong" is not "jong un". */
static bool joined_ok(const stok *single, const stok *joined, double sim)
{
    int d = (int)single->len - (int)joined->len;
    int longest = single->len > joined->len ? single->len : joined->len;
    return sim >= 0.93 && abs(d) <= 1 + longest / 10;
}

typedef struct {
    int q0, q1, c0, c1;
    double sim, gain;
    const char *how;
} cand_pair;

static int cand_cmp(const void *a, const void *b)
{
    const cand_pair *x = a, *y = b;
    return (x->gain < y->gain) - (x->gain > y->gain);
}

static float span_w(const stok *t, int a, int b)
{
    float w = 0;
    for (int i = a; i <= b; i++)
        w += t[i].w;
    return w;
}

double score_names(const stok *q, int nq, const stok *c, int nc, name_score *out)
{
    cand_pair pairs[TEXT_MAX_TOKENS * TEXT_MAX_TOKENS * 3];
    int np = 0;
    const int maxp = (int)ARRAY_LEN(pairs);
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nc && np < maxp; j++) {
            const char *how;
            double s = token_sim(&q[i], &c[j], &how);
            if (s > 0)
                pairs[np++] = (cand_pair){i, i, j, j, s, s * (q[i].w + c[j].w), how};
        }
    /* Joined pairs on either side: "jongun" ~ "jong un", "jong un" ~ "jongun". */
    char t1[TEXT_MAX_TOKEN * 2], f1[TEXT_MAX_TOKEN * 2];
    for (int j = 0; j + 1 < nc; j++) {
        stok jc;
        if (!join2(&c[j], &c[j + 1], &jc, t1, f1, sizeof t1))
            continue;
        for (int i = 0; i < nq && np < maxp; i++) {
            if (q[i].cls == TOK_NUMBER || q[i].len < 3)
                continue;
            const char *how;
            double s = token_sim(&q[i], &jc, &how);
            if (joined_ok(&q[i], &jc, s))
                pairs[np++] = (cand_pair){i, i, j, j + 1, s, s * (q[i].w + jc.w), "joined"};
        }
    }
    for (int i = 0; i + 1 < nq; i++) {
        stok jq;
        if (!join2(&q[i], &q[i + 1], &jq, t1, f1, sizeof t1))
            continue;
        for (int j = 0; j < nc && np < maxp; j++) {
            if (c[j].cls == TOK_NUMBER || c[j].len < 3)
                continue;
            const char *how;
            double s = token_sim(&jq, &c[j], &how);
            if (joined_ok(&c[j], &jq, s))
                pairs[np++] = (cand_pair){i, i + 1, j, j, s, s * (jq.w + c[j].w), "joined"};
        }
    }
    qsort(pairs, (size_t)np, sizeof *pairs, cand_cmp);
    uint64_t used_q = 0, used_c = 0;
    double matched = 0, total = span_w(q, 0, nq - 1) + span_w(c, 0, nc - 1);
    if (out)
        out->n_steps = 0;
    for (int k = 0; k < np; k++) {
        cand_pair *p = &pairs[k];
        uint64_t mq = ((2ull << p->q1) - 1) & ~((1ull << p->q0) - 1);
        uint64_t mc = ((2ull << p->c1) - 1) & ~((1ull << p->c0) - 1);
        if ((used_q & mq) || (used_c & mc))
            continue;
        used_q |= mq;
        used_c |= mc;
        matched += p->sim * (span_w(q, p->q0, p->q1) + span_w(c, p->c0, p->c1));
        if (out && out->n_steps < TEXT_MAX_TOKENS)
            out->steps[out->n_steps++] =
                (match_step){p->q0, p->q1, p->c0, p->c1, p->sim, p->how};
    }
    /* List-name tokens the query did not mention cost less than query tokens the list name
     * lacks: "Saddam Hussein" is a fair query for "Saddam Hussein al-Tikriti", but "George
     * Bush" is not one for "George". */
    double c_unmatched = 0;
    for (int j = 0; j < nc; j++)
        if (!(used_c >> j & 1))
            c_unmatched += c[j].w;
    total -= (1.0 - LIST_EXTRA_COST) * c_unmatched;
    double score = total > 0 ? matched / total : 0.0;
    if (score > 1.0)
        score = 1.0;
    if (out)
        out->score = score;
    return score;
}

/* OFAC's Sanctions List Search, as OFAC describes it: the name is compared as a whole and by
 * its parts with Jaro-Winkler, and Soundex lifts parts that sound alike; the better of the
 * whole-name score and the mean part score is the result. Name only: no other features. */
double score_ofac(const char *q_ascii, const stok *q, int nq, const char *c_ascii, const stok *c,
                  int nc, name_score *out)
{
    double whole = jw(q_ascii, strlen(q_ascii), c_ascii, strlen(c_ascii));
    double parts = 0;
    if (out)
        out->n_steps = 0;
    for (int i = 0; i < nq; i++) {
        double best = 0;
        int bj = -1;
        const char *how = "fuzzy";
        char sq[5], sc[5];
        text_soundex(q[i].orig, sq);
        for (int j = 0; j < nc; j++) {
            double s = jw(q[i].orig, strlen(q[i].orig), c[j].orig, strlen(c[j].orig));
            const char *h = s == 1.0 ? "exact" : "fuzzy";
            text_soundex(c[j].orig, sc);
            if (s < 1.0 && strcmp(sq, sc) == 0 && s < 0.9) {
                s = 0.9;
                h = "soundex";
            }
            if (s > best) {
                best = s;
                bj = j;
                how = h;
            }
        }
        parts += best;
        if (out && bj >= 0 && out->n_steps < TEXT_MAX_TOKENS)
            out->steps[out->n_steps++] = (match_step){i, i, bj, bj, best, how};
    }
    double mean = nq ? parts / nq : 0;
    /* Extra list-name parts lower the part score as OFAC's whole-name comparison would. */
    if (nc > nq && nq)
        mean *= (double)nq / (double)nc * 0.25 + 0.75;
    double score = whole > mean ? whole : mean;
    if (out)
        out->score = score;
    return score;
}
