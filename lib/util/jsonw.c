/* jsonw.c - compact JSON into a byte buffer (jsonw.h). */
#include "jsonw.h"

#include <stdio.h>

void jsonw_raw(jsonw *w, const char *s) { w->failed |= !buf_puts(w->b, s); }
void jsonw_rawn(jsonw *w, const char *s, size_t n) { w->failed |= !buf_append(w->b, s, n); }
void jsonw_char(jsonw *w, char c) { w->failed |= !buf_putc(w->b, c); }

void jsonw_str(jsonw *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    if (!s) {
        jsonw_raw(b, "null");
        return;
    }
    size_t n = strlen(s);
    jsonw_char(b, '"');
    size_t run = 0; /* start of the bytes that need no escaping */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp;
            size_t l = utf8_decode(s + i, n - i, &cp);
            if (l) {
                i += l;
                continue;
            }
        }
        jsonw_rawn(b, s + run, i - run);
        switch (c) {
        case '"':
            jsonw_raw(b, "\\\"");
            break;
        case '\\':
            jsonw_raw(b, "\\\\");
            break;
        case '\b':
            jsonw_raw(b, "\\b");
            break;
        case '\f':
            jsonw_raw(b, "\\f");
            break;
        case '\n':
            jsonw_raw(b, "\\n");
            break;
        case '\r':
            jsonw_raw(b, "\\r");
            break;
        case '\t':
            jsonw_raw(b, "\\t");
            break;
        default:
            if (c >= 0x80) {
                jsonw_raw(b, "\\ufffd");
            } else {
                char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
                jsonw_raw(b, u);
            }
        }
        i++;
        run = i;
    }
    jsonw_rawn(b, s + run, n - run);
    jsonw_char(b, '"');
}

/* As jansson writes a real with JSON_REAL_PRECISION(p): %.{p}g, ".0" when it would read back
 * as an integer, no '+' or leading zeros in the exponent. */
void jsonw_real(jsonw *b, double v, int precision)
{
    char s[40];
    int n = snprintf(s, sizeof s - 2, "%.*g", precision, v);
    if (n < 0)
        return;
    if (!strchr(s, '.') && !strchr(s, 'e') && !strchr(s, 'n') && !strchr(s, 'i')) {
        s[n++] = '.';
        s[n++] = '0';
        s[n] = 0;
    }
    char *e = strchr(s, 'e');
    if (e) {
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start)
            memmove(start, end, strlen(end) + 1);
    }
    jsonw_raw(b, s);
}

void jsonw_int(jsonw *b, long long v)
{
    char s[24];
    snprintf(s, sizeof s, "%lld", v);
    jsonw_raw(b, s);
}

void jsonw_bool(jsonw *b, int v) { jsonw_raw(b, v ? "true" : "false"); }

void jsonw_open(jsonw *b, const char *key)
{
    jsonw_raw(b, "{\"");
    jsonw_raw(b, key);
    jsonw_raw(b, "\":");
}

void jsonw_key(jsonw *b, const char *key)
{
    jsonw_char(b, ',');
    jsonw_char(b, '"');
    jsonw_raw(b, key);
    jsonw_raw(b, "\":");
}

