/* json.c - a small strict JSON reader for the network's input lines. jansson builds a tree of
 * allocated objects per line and was 85% of the load time at 100k transactions (callgrind);
 * this reader fills a flat array of nodes and one buffer of decoded strings that are reused
 * from line to line, so a line costs no allocation. It accepts exactly RFC 8259 JSON (as
 * jansson with JSON_REJECT_DUPLICATES; test_graph.c compares the two on tricky input) with
 * two differences that suit the caller: "\u0000" decodes to a NUL byte (the field reader then
 * names the field), and nesting deeper than JN_MAX_DEPTH is refused. */
#include "net.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JN_MAX_DEPTH 256

typedef struct jparse {
    jdoc *d;
    const char *p, *start, *end;
    size_t sp;      /* next free byte in d->strs */
    unsigned depth;
} jparse;

static bool jfail(jparse *c, const char *msg)
{
    snprintf(c->d->error, sizeof c->d->error, "%s", msg);
    c->d->column = (size_t)(c->p - c->start) + 1;
    return false;
}

static void skip_ws(jparse *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
        c->p++;
}

static uint32_t new_node(jparse *c, uint8_t type)
{
    jdoc *d = c->d;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        jnode *g = xrealloc_array(d->nodes, cap, sizeof *g);
        if (!g)
            return UINT32_MAX;
        d->nodes = g;
        d->cap = cap;
    }
    jnode *x = &d->nodes[d->n];
    memset(x, 0, sizeof *x);
    x->type = type;
    return (uint32_t)d->n++;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static bool hex4(jparse *c, const char *p, unsigned *out)
{
    if (c->end - p < 4)
        return false;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return false;
        v = v << 4 | (unsigned)h;
    }
    *out = v;
    return true;
}

/* A string at c->p (the opening quote), decoded into d->strs. */
static bool parse_string(jparse *c, uint32_t node)
{
    jdoc *d = c->d;
    char *o = d->strs + c->sp, *o0 = o;
    c->p++;
    for (;;) {
        if (c->p >= c->end)
            return jfail(c, "premature end of input in a string");
        unsigned char ch = (unsigned char)*c->p;
        if (ch == '"')
            break;
        if (ch < 0x20)
            return jfail(c, "control character in a string");
        if (ch != '\\') {
            *o++ = (char)ch;
            c->p++;
            continue;
        }
        if (c->end - c->p < 2)
            return jfail(c, "premature end of input in a string");
        char e = c->p[1];
        c->p += 2;
        switch (e) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u': {
            unsigned u, lo;
            if (!hex4(c, c->p, &u))
                return jfail(c, "invalid \\u escape");
            c->p += 4;
            if (u >= 0xDC00 && u <= 0xDFFF)
                return jfail(c, "invalid Unicode escape (lone low surrogate)");
            if (u >= 0xD800 && u <= 0xDBFF) {
                if (c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' ||
                    !hex4(c, c->p + 2, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                    return jfail(c, "invalid Unicode escape (lone high surrogate)");
                c->p += 6;
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            }
            /* UTF-8 of u: never longer than the escape it came from */
            if (u < 0x80)
                *o++ = (char)u;
            else if (u < 0x800) {
                *o++ = (char)(0xC0 | u >> 6);
                *o++ = (char)(0x80 | (u & 0x3F));
            } else if (u < 0x10000) {
                *o++ = (char)(0xE0 | u >> 12);
                *o++ = (char)(0x80 | (u >> 6 & 0x3F));
                *o++ = (char)(0x80 | (u & 0x3F));
            } else {
                *o++ = (char)(0xF0 | u >> 18);
                *o++ = (char)(0x80 | (u >> 12 & 0x3F));
                *o++ = (char)(0x80 | (u >> 6 & 0x3F));
                *o++ = (char)(0x80 | (u & 0x3F));
            }
            break;
        }
        default:
            c->p--;
            return jfail(c, "invalid escape in a string");
        }
    }
    c->p++; /* closing quote */
    *o = 0;
    d->nodes[node].s = o0;
    d->nodes[node].len = (uint32_t)(o - o0);
    c->sp += (size_t)(o - o0) + 1;
    return true;
}

static bool is_digit(const jparse *c, const char *p) { return p < c->end && *p >= '0' && *p <= '9'; }

static bool parse_number(jparse *c, uint32_t node)
{
    const char *p = c->p, *s = p;
    bool integer = true;
    if (p < c->end && *p == '-')
        p++;
    if (!is_digit(c, p))
        return jfail(c, "invalid number");
    if (*p == '0')
        p++;
    else
        while (is_digit(c, p))
            p++;
    if (p < c->end && *p == '.') {
        integer = false;
        p++;
        if (!is_digit(c, p))
            return jfail(c, "invalid number");
        while (is_digit(c, p))
            p++;
    }
    if (p < c->end && (*p == 'e' || *p == 'E')) {
        integer = false;
        p++;
        if (p < c->end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(c, p))
            return jfail(c, "invalid number");
        while (is_digit(c, p))
            p++;
    }
    size_t len = (size_t)(p - s);
    jnode *x = &c->d->nodes[node];
    /* the literal, for ids and phones written as numbers; the value, for amounts */
    memcpy(c->d->strs + c->sp, s, len);
    c->d->strs[c->sp + len] = 0;
    x->s = c->d->strs + c->sp;
    x->len = (uint32_t)len;
    c->sp += len + 1;
    x->type = integer ? JN_INT : JN_REAL;
    x->num = strtod(x->s, NULL);
    c->p = p;
    return true;
}

static bool parse_value(jparse *c);

/* Object keys must be distinct (as JSON_REJECT_DUPLICATES): a repeated key would be
 * ambiguous. Objects here are small, so pairwise comparison is cheap. */
static bool duplicate_key(const jdoc *d, uint32_t obj, uint32_t key)
{
    const jnode *k = &d->nodes[key];
    for (uint32_t i = obj + 1; i < key; i = d->nodes[i + 1].next) {
        const jnode *o = &d->nodes[i];
        if (o->len == k->len && memcmp(o->s, k->s, k->len) == 0)
            return true;
    }
    return false;
}

static bool parse_container(jparse *c, bool object)
{
    if (++c->depth > JN_MAX_DEPTH)
        return jfail(c, "nesting too deep");
    uint32_t node = new_node(c, object ? JN_OBJECT : JN_ARRAY);
    if (node == UINT32_MAX)
        return jfail(c, "out of memory");
    char close = object ? '}' : ']';
    c->p++;
    skip_ws(c);
    uint32_t count = 0;
    if (c->p < c->end && *c->p == close)
        c->p++;
    else
        for (;;) {
            if (object) {
                if (c->p >= c->end || *c->p != '"')
                    return jfail(c, "string or '}' expected");
                uint32_t key = new_node(c, JN_STRING);
                if (key == UINT32_MAX)
                    return jfail(c, "out of memory");
                if (!parse_string(c, key))
                    return false;
                c->d->nodes[key].next = key + 1;
                if (duplicate_key(c->d, node, key)) {
                    jfail(c, "");
                    snprintf(c->d->error, sizeof c->d->error, "duplicate object key \"%.60s\"",
                             c->d->nodes[key].s);
                    return false;
                }
                skip_ws(c);
                if (c->p >= c->end || *c->p != ':')
                    return jfail(c, "':' expected");
                c->p++;
                skip_ws(c);
            }
            if (!parse_value(c))
                return false;
            count++;
            skip_ws(c);
            if (c->p < c->end && *c->p == ',') {
                c->p++;
                skip_ws(c);
                continue;
            }
            if (c->p < c->end && *c->p == close) {
                c->p++;
                break;
            }
            return jfail(c, object ? "',' or '}' expected" : "',' or ']' expected");
        }
    c->d->nodes[node].len = count;
    c->d->nodes[node].next = (uint32_t)c->d->n;
    c->depth--;
    return true;
}

static bool literal(jparse *c, const char *word, uint8_t type)
{
    size_t l = strlen(word);
    if ((size_t)(c->end - c->p) < l || memcmp(c->p, word, l) != 0)
        return jfail(c, "invalid token");
    uint32_t node = new_node(c, type);
    if (node == UINT32_MAX)
        return jfail(c, "out of memory");
    c->d->nodes[node].next = node + 1;
    c->p += l;
    return true;
}

static bool parse_value(jparse *c)
{
    if (c->p >= c->end)
        return jfail(c, "unexpected end of input");
    switch (*c->p) {
    case '{': return parse_container(c, true);
    case '[': return parse_container(c, false);
    case '"': {
        uint32_t node = new_node(c, JN_STRING);
        if (node == UINT32_MAX)
            return jfail(c, "out of memory");
        c->d->nodes[node].next = node + 1;
        return parse_string(c, node);
    }
    case 't': return literal(c, "true", JN_TRUE);
    case 'f': return literal(c, "false", JN_FALSE);
    case 'n': return literal(c, "null", JN_NULL);
    default: {
        if (*c->p != '-' && (*c->p < '0' || *c->p > '9'))
            return jfail(c, "invalid token");
        uint32_t node = new_node(c, JN_INT);
        if (node == UINT32_MAX)
            return jfail(c, "out of memory");
        c->d->nodes[node].next = node + 1;
        return parse_number(c, node);
    }
    }
}

bool jdoc_parse(jdoc *d, const char *s, size_t len)
{
    d->n = 0;
    d->error[0] = 0;
    d->column = 0;
    /* decoded strings never outgrow their source text; a NUL per string, two per number */
    size_t need = len * 2 + 16;
    if (need > d->strs_cap) {
        char *g = realloc(d->strs, need);
        if (!g) {
            snprintf(d->error, sizeof d->error, "out of memory");
            return false;
        }
        d->strs = g;
        d->strs_cap = need;
    }
    jparse c = {d, s, s, s + len, 0, 0};
    skip_ws(&c);
    if (!parse_value(&c))
        return false;
    skip_ws(&c);
    if (c.p != c.end)
        return jfail(&c, "end of line expected after the value");
    return true;
}

void jdoc_free(jdoc *d)
{
    free(d->nodes);
    free(d->strs);
    memset(d, 0, sizeof *d);
}

uint32_t jn_get(const jdoc *d, uint32_t obj, const char *key)
{
    if (obj == JN_NONE || d->nodes[obj].type != JN_OBJECT)
        return JN_NONE;
    size_t kl = strlen(key);
    for (uint32_t i = obj + 1; i < d->nodes[obj].next; i = d->nodes[i + 1].next)
        if (d->nodes[i].len == kl && memcmp(d->nodes[i].s, key, kl) == 0)
            return i + 1;
    return JN_NONE;
}
