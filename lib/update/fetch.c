/* fetch.c - HTTP(S) downloads for `cordon update` (conditional GET, size and time limits) and
 * webhook posts (HMAC-SHA256 signed, retried with back-off), both with libcurl. */
#include "fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef struct {
    FILE *f;
    uint64_t written, max;
    bool too_big;
} sink_ctx;

static size_t write_cb(char *p, size_t size, size_t n, void *ctx)
{
    sink_ctx *s = ctx;
    size_t len = size * n;
    if (s->written + len > s->max) {
        s->too_big = true;
        return 0;
    }
    s->written += len;
    return fwrite(p, 1, len, s->f);
}

/* Copies one response header value ("ETag: x") into out when the name matches. */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t k = strlen(name);
    if (n <= k + 1 || strncasecmp(line, name, k) != 0 || line[k] != ':')
        return;
    const char *v = line + k + 1;
    size_t len = n - k - 1;
    while (len && (*v == ' ' || *v == '\t'))
        v++, len--;
    while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' || v[len - 1] == ' '))
        len--;
    snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), v);
}

static size_t header_cb(char *p, size_t size, size_t n, void *ctx)
{
    fetch_result *r = ctx;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) /* a new response (redirect): forget the last */
        r->etag[0] = r->last_modified[0] = 0;
    header_value(p, len, "ETag", r->etag, sizeof r->etag);
    header_value(p, len, "Last-Modified", r->last_modified, sizeof r->last_modified);
    return len;
}

static bool curl_ready(void)
{
    static int done = 0;
    if (!done)
        done = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 1 : -1;
    return done == 1;
}

static void set_common(CURL *c, const char *url, const fetch_limits *lim)
{
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_TIMEOUT, lim->timeout_s > 0 ? lim->timeout_s : 600L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "cordon/" CORDON_VERSION);
}

cordon_status fetch_url(const char *url, const char *dest, const char *etag,
                        const char *last_modified, const fetch_limits *lim, fetch_result *r,
                        cordon_error *err)
{
    memset(r, 0, sizeof *r);
    if (!curl_ready())
        return err_set(err, CORDON_ERR_IO, "%s: libcurl could not start", url);
    FILE *f = fopen(dest, "wb");
    if (!f)
        return err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", dest, strerror(errno));
    CURL *c = curl_easy_init();
    struct curl_slist *hdrs = NULL;
    char h[600];
    if (etag && *etag) {
        snprintf(h, sizeof h, "If-None-Match: %s", etag);
        hdrs = curl_slist_append(hdrs, h);
    }
    if (last_modified && *last_modified) {
        snprintf(h, sizeof h, "If-Modified-Since: %s", last_modified);
        hdrs = curl_slist_append(hdrs, h);
    }
    sink_ctx sc = {f, 0, lim->max_bytes ? lim->max_bytes : (uint64_t)1 << 31, false};
    set_common(c, url, lim);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sc);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    CURLcode rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    bool closed = fclose(f) == 0;
    r->status = code;
    r->bytes = sc.written;
    if (sc.too_big)
        return err_set(err, CORDON_ERR_LIMIT, "%s: larger than the limit of %llu bytes", url,
                       (unsigned long long)sc.max);
    if (rc != CURLE_OK)
        return err_set(err, CORDON_ERR_IO, "%s: %s%s", url, curl_easy_strerror(rc),
                       rc == CURLE_PARTIAL_FILE ? " (truncated download)" : "");
    if (!closed)
        return err_set(err, CORDON_ERR_IO, "%s: cannot write", dest);
    if (code == 304) {
        r->not_modified = true;
        return CORDON_OK;
    }
    if (strncmp(url, "file:", 5) != 0 && (code < 200 || code > 299))
        return err_set(err, CORDON_ERR_IO, "%s: HTTP status %ld", url, code);
    if (sc.written == 0)
        return err_set(err, CORDON_ERR_PARSE, "%s: empty download", url);
    return CORDON_OK;
}

static bool hmac_hex(const char *secret, const char *body, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!HMAC(EVP_sha256(), secret, (int)strlen(secret), (const unsigned char *)body,
              strlen(body), md, &len) || len != 32)
        return false;
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return true;
}

static size_t discard_cb(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

static long post_once(const char *url, const char *sig, const char *body, CURLcode *rc)
{
    CURL *c = curl_easy_init();
    if (!c) {
        *rc = CURLE_FAILED_INIT;
        return 0;
    }
    struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json");
    char h[128];
    snprintf(h, sizeof h, "X-Cordon-Signature: sha256=%s", sig);
    hdrs = curl_slist_append(hdrs, h);
    fetch_limits lim = {0, 30};
    set_common(c, url, &lim);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard_cb);
    *rc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    curl_slist_free_all(hdrs);
    return code;
}

cordon_status cordon_webhook_post(const char *url, const char *secret, const char *body,
                                  int attempts, int backoff_ms, cordon_error *err)
{
    char sig[65];
    if (!url || !body)
        return err_set(err, CORDON_ERR_INVALID, "webhook: url and body are required");
    if (!curl_ready() || !hmac_hex(secret ? secret : "", body, sig))
        return err_set(err, CORDON_ERR_IO, "webhook %s: cannot sign the body", url);
    long code = 0;
    CURLcode rc = CURLE_OK;
    int delay = backoff_ms > 0 ? backoff_ms : 500;
    for (int i = 0; i < (attempts > 0 ? attempts : 1); i++) {
        if (i > 0) {
            struct timespec ts = {delay / 1000, (long)(delay % 1000) * 1000000L};
            nanosleep(&ts, NULL);
            delay *= 2;
        }
        code = post_once(url, sig, body, &rc);
        if (rc == CURLE_OK && code >= 200 && code <= 299)
            return CORDON_OK;
    }
    if (rc != CURLE_OK)
        return err_set(err, CORDON_ERR_IO, "webhook %s: %s", url, curl_easy_strerror(rc));
    return err_set(err, CORDON_ERR_IO, "webhook %s: HTTP status %ld after %d attempts", url, code,
                   attempts > 0 ? attempts : 1);
}
