/* util.h - small internal helpers shared by every module: errors, arenas, growable arrays,
 * string utilities, hashing. Internal: not part of the public API. */
#ifndef CORDON_UTIL_H
#define CORDON_UTIL_H

#include "cordon.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define UNUSED(x) ((void)(x))

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define PRINTF_LIKE(f, a)
#define LIKELY(x) (x)
#define UNLIKELY(x) (x)
#endif

/* Sets err (if not NULL) and returns st, so callers can `return err_set(...)`. */
cordon_status err_set(cordon_error *err, cordon_status st, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* Prefixes an existing message with "prefix: ". */
void err_prefix(cordon_error *err, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* Allocation that aborts on failure is not used: callers check. These are thin wrappers that
 * keep overflow checks in one place. */
void *xcalloc_array(size_t n, size_t size);
void *xrealloc_array(void *p, size_t n, size_t size);

/* Arena: bump allocator in chunks; everything is freed at once. */
void *arena_alloc(cordon_arena *a, size_t size);               /* 16-byte aligned, zeroed */
/* arena_alloc without the zeroing, for memory the caller writes before reading: a query's
 * token table is 5 KB, of which a few hundred bytes are used. */
void *arena_alloc_raw(cordon_arena *a, size_t size);
char *arena_strndup(cordon_arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *arena_strdup(cordon_arena *a, const char *s);
char *arena_printf(cordon_arena *a, const char *fmt, ...) PRINTF_LIKE(2, 3);
size_t arena_used(const cordon_arena *a);

/* Growable array of fixed-size items. */
typedef struct vec {
    void *data;
    size_t len, cap, item;
} vec;
void vec_init(vec *v, size_t item_size);
void *vec_push(vec *v); /* returns a zeroed slot, or NULL on OOM */
void vec_clear(vec *v);
void vec_free(vec *v);
#define VEC_AT(v, T, i) (((T *)(v)->data)[i])

/* Growable byte buffer. */
typedef struct buf {
    char *data;
    size_t len, cap;
} buf;
bool buf_reserve(buf *b, size_t extra);
bool buf_append(buf *b, const void *p, size_t n);
bool buf_putc(buf *b, char c);
bool buf_puts(buf *b, const char *s);
bool buf_printf(buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
bool buf_align(buf *b, size_t align); /* pads with zero bytes */
void buf_free(buf *b);

/* Strings. */
bool utf8_valid(const char *s, size_t n, size_t *bad_offset);
/* Decodes one code point at s (n bytes left); returns its length, or 0 if invalid. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t utf8_encode(uint32_t cp, char out[4]);
bool str_is_blank(const char *s);
/* Trims ASCII space at both ends and collapses inner runs of white space to one space. */
size_t str_squeeze(char *s);
/* Copies src into dst[cap] (cap > 0), cut at cap - 1 bytes and NUL-terminated as
 * snprintf("%s") would, without its format parsing; returns the bytes copied. */
size_t str_copy(char *dst, size_t cap, const char *src);
bool str_ieq(const char *a, const char *b);
bool str_istarts(const char *s, const char *prefix);
const char *str_icontains(const char *hay, const char *needle);

/* Hashing: 64-bit FNV-1a-like mixing, for hash tables (not cryptographic). */
uint64_t hash_bytes(const void *p, size_t n);

/* SHA-256 (OpenSSL) as lowercase hex into out[65]. */
bool sha256_hex(const void *p, size_t n, char out[65]);
bool sha256_file_hex(const char *path, char out[65], cordon_error *err);

/* Whole file into memory (NUL-terminated); max_size guards against absurd inputs. */
cordon_status file_read_all(const char *path, size_t max_size, char **out, size_t *len,
                            cordon_error *err);

/* Strict ISO date: YYYY, YYYY-MM or YYYY-MM-DD (lib/lists/dates.c). */
bool date_parse_iso(const char *s, cordon_date *out);

/* Monotonic clock in nanoseconds, for timing in the CLI and benchmarks. */
uint64_t now_ns(void);

#endif
