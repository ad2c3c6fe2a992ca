/* static.c - the analysts' web UI: serves the built files of web/ (web/dist, or --web DIR).
 *
 * The UI is a single page with flat asset names (vite's assetsDir is ""), so every file is
 * one path segment under /ui/: "/", "/ui" and "/ui/" answer index.html, "/ui/NAME.EXT" answers that
 * file, and "/ui/NAME" without an extension (a page of the UI: /ui/alerts, /ui/network) also
 * answers index.html so that a reload or a bookmark lands on the right page. Names are
 * checked character by character (no "/", no leading dot), so nothing outside the directory
 * can be named. The pages need no API key: they hold no data, and the API they call does. */
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The page may talk to this server only: no CDN, no fonts, no beacons. */
static const char csp[] =
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob:; "
    "style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'";

static char default_dir[PATH_MAX];
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

/* web/dist beside the data directory: the repository's layout (build/cordon -> data/). */
static void default_dir_init(void)
{
    char data[PATH_MAX];
    snprintf(default_dir, sizeof default_dir, "%s/../web/dist",
             cordon_data_dir(data, sizeof data));
}

static const char *web_dir(const server *s)
{
    if (*s->cfg.web_dir)
        return s->cfg.web_dir;
    pthread_once(&default_once, default_dir_init);
    return default_dir;
}

static const struct {
    const char *ext, *ctype;
} types[] = {
    {".html", "text/html; charset=utf-8"},  {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},          {".map", "application/json"},
    {".svg", "image/svg+xml"},              {".png", "image/png"},
    {".ico", "image/x-icon"},               {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].ctype;
    return "application/octet-stream";
}

/* One path segment of safe characters, not starting with a dot. */
static bool safe_name(const char *n)
{
    if (!*n || *n == '.' || strlen(n) > 200)
        return false;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            return false;
    return true;
}

/* Vite names built assets NAME-HASH.EXT with an 8-character hash: such a file never changes
 * under its name and may be cached for good; anything else is revalidated. */
static bool hashed_name(const char *n)
{
    const char *dot = strrchr(n, '.');
    const char *dash = dot ? memrchr(n, '-', (size_t)(dot - n)) : NULL;
    return dash && dot - dash - 1 == 8;
}

void h_static(server *s, request *q)
{
    const char *name = q->tail && *q->tail ? q->tail : "index.html";
    if (!safe_name(name)) {
        reply_error(q, 404, "not_found", "no file %.128s in the web UI", q->url);
        return;
    }
    if (!strchr(name, '.')) /* a page of the single-page UI */
        name = "index.html";
    char path[PATH_MAX];
    int n = snprintf(path, sizeof path, "%s/%s", web_dir(s), name);
    int fd = n > 0 && (size_t)n < sizeof path ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
    struct stat st;
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
        errno = ENOENT;
    }
    if (fd < 0) {
        if (strcmp(name, "index.html") == 0)
            reply_error(q, 404, "not_found", "the web UI is not built (%s: %s): run ./setup, or "
                        "`npm ci && npm run build` in web/, or pass --web DIR", path,
                        strerror(errno));
        else
            reply_error(q, 404, "not_found", "no file %.128s in the web UI", q->url);
        return;
    }
    free(q->rep.body);
    q->rep.body = NULL;
    q->rep.status = 200;
    q->rep.fd = fd;
    q->rep.len = (size_t)st.st_size;
    q->rep.ctype = content_type(name);
    q->rep.cache = hashed_name(name) ? "public, max-age=31536000, immutable" : "no-cache";
    q->rep.csp = csp;
    q->replied = true;
}
