/* dates.c - the date spellings that sanctions lists use, to one cordon_date with precision. */
#include "reader.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

static int month_of(const char *w, size_t n)
{
    static const char *const m[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                    "jul", "aug", "sep", "oct", "nov", "dec"};
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(w, m[i], 3) == 0)
            return i + 1;
    return 0;
}

typedef struct {
    int v[8];
    int is_month[8];
    int len[8];
    int n;
    bool circa, range;
} date_tokens;

static void tokenize(const char *s, date_tokens *t)
{
    memset(t, 0, sizeof *t);
    const char *p = s;
    while (*p && t->n < 8) {
        if (isdigit((unsigned char)*p)) {
            const char *q = p;
            long v = 0;
            while (isdigit((unsigned char)*q) && q - p < 6)
                v = v * 10 + (*q++ - '0');
            t->v[t->n] = (int)v;
            t->len[t->n] = (int)(q - p);
            t->n++;
            while (isdigit((unsigned char)*q))
                q++;
            p = q;
        } else if (isalpha((unsigned char)*p)) {
            const char *q = p;
            while (isalpha((unsigned char)*q))
                q++;
            size_t n = (size_t)(q - p);
            int m = month_of(p, n);
            if (m && n <= 9) {
                t->v[t->n] = m;
                t->is_month[t->n] = 1;
                t->len[t->n] = (int)n;
                t->n++;
            } else if ((n == 5 && strncasecmp(p, "circa", 5) == 0) ||
                       (n == 2 && strncasecmp(p, "ca", 2) == 0) ||
                       (n == 13 && strncasecmp(p, "approximately", 13) == 0) ||
                       (n == 6 && strncasecmp(p, "approx", 6) == 0) ||
                       (n == 5 && strncasecmp(p, "about", 5) == 0)) {
                t->circa = true;
            } else if ((n == 2 && strncasecmp(p, "to", 2) == 0) ||
                       (n == 7 && strncasecmp(p, "between", 7) == 0)) {
                t->range = true;
            }
            p = q;
        } else {
            p++;
        }
    }
}

static bool plausible_year(int y) { return y >= 1000 && y <= 2200; }

bool date_parse(const char *text, cordon_date *out)
{
    memset(out, 0, sizeof *out);
    if (!text)
        return false;
    date_tokens t;
    tokenize(text, &t);
    int years[8], ny = 0, day = 0, month = 0;
    int numbers[8], nn = 0;
    for (int i = 0; i < t.n; i++) {
        if (t.is_month[i]) {
            month = t.v[i];
        } else if (t.len[i] == 4 && plausible_year(t.v[i])) {
            years[ny++] = t.v[i];
        } else {
            numbers[nn++] = t.v[i];
        }
    }
    if (ny == 0)
        return false;
    out->circa = t.circa;
    if (ny >= 2) {
        /* A range: "1958 to 1962", "between 1958 and 1962", "1958-1962". */
        int lo = years[0], hi = years[ny - 1];
        if (lo > hi) {
            int x = lo;
            lo = hi;
            hi = x;
        }
        out->year_from = (int16_t)lo;
        out->year_to = (int16_t)hi;
        return true;
    }
    out->year_from = out->year_to = (int16_t)years[0];
    /* Which numbers are day and month? Named month: the one number is the day. ISO
     * (year first): year-month-day. Otherwise US order (MM/DD/YYYY) for slashes, European
     * (DD.MM.YYYY) for dots and dashes. */
    if (month) {
        if (nn >= 1 && numbers[0] >= 1 && numbers[0] <= 31)
            day = numbers[0];
    } else if (nn >= 1) {
        const char *first_digit = text;
        while (*first_digit && !isdigit((unsigned char)*first_digit))
            first_digit++;
        bool year_first = t.len[0] == 4 && !t.is_month[0];
        if (year_first) {
            month = numbers[0];
            day = nn >= 2 ? numbers[1] : 0;
        } else if (nn >= 2) {
            bool slash = strchr(text, '/') != NULL;
            month = slash ? numbers[0] : numbers[1];
            day = slash ? numbers[1] : numbers[0];
            if (month > 12 && day <= 12) {
                int x = month;
                month = day;
                day = x;
            }
        } else {
            month = numbers[0];
        }
    }
    if (month < 1 || month > 12)
        month = day = 0;
    if (day < 1 || day > 31)
        day = 0;
    out->month = (uint8_t)month;
    out->day = (uint8_t)day;
    return true;
}

void date_format(const cordon_date *d, char out[32])
{
    const char *c = d->circa ? "~" : "";
    if (d->year_to != d->year_from)
        snprintf(out, 32, "%s%04d..%04d", c, d->year_from, d->year_to);
    else if (d->day)
        snprintf(out, 32, "%s%04d-%02d-%02d", c, d->year_from, d->month, d->day);
    else if (d->month)
        snprintf(out, 32, "%s%04d-%02d", c, d->year_from, d->month);
    else
        snprintf(out, 32, "%s%04d", c, d->year_from);
}

/* The n digits at s as a number, or -1 if one is not a digit. */
static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool date_parse_iso(const char *s, cordon_date *out)
{
    memset(out, 0, sizeof *out);
    int y = 0, m = 0, d = 0;
    char tail;
    /* YYYY, YYYY-MM and YYYY-MM-DD in digits, as queries write them, are read here: sscanf
     * costs ~1,800 instructions and runs for every candidate with a birth date. It reads
     * those the same way and is kept for all other text (spaces, signs, short fields). */
    size_t len = strlen(s);
    int n = 0;
    if ((len == 4 || (len == 7 && s[4] == '-') || (len == 10 && s[4] == '-' && s[7] == '-')) &&
        (y = digits_at(s, 4)) >= 0 && (len < 7 || (m = digits_at(s + 5, 2)) >= 0) &&
        (len < 10 || (d = digits_at(s + 8, 2)) >= 0))
        n = len == 4 ? 1 : len == 7 ? 2 : 3;
    else
        n = sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail);
    if (n == 4 || n < 1 || !plausible_year(y) || strlen(s) < 4 || !isdigit((unsigned char)s[3]))
        return false;
    if ((n >= 2 && (m < 1 || m > 12)) || (n == 3 && (d < 1 || d > 31)))
        return false;
    size_t want = n == 1 ? 4 : n == 2 ? 7 : 10;
    if (strlen(s) != want)
        return false;
    out->year_from = out->year_to = (int16_t)y;
    out->month = (uint8_t)(n >= 2 ? m : 0);
    out->day = (uint8_t)(n == 3 ? d : 0);
    return true;
}
