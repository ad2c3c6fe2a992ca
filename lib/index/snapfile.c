/* snapfile.c - writing the snapshot atomically (temporary file, fsync, rename) and mapping it
 * back read-only with validation of magic, version, bounds and checksum. */
#include "snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

typedef struct {
    uint32_t id;
    buf data;
} pending_section;

struct snap_writer {
    vec sections; /* pending_section */
};

snap_writer *snap_writer_new(void)
{
    snap_writer *w = calloc(1, sizeof *w);
    if (w)
        vec_init(&w->sections, sizeof(pending_section));
    return w;
}

void snap_writer_free(snap_writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->sections.len; i++)
        buf_free(&VEC_AT(&w->sections, pending_section, i).data);
    vec_free(&w->sections);
    free(w);
}

bool snap_writer_add(snap_writer *w, uint32_t id, const void *data, size_t size)
{
    pending_section *s = vec_push(&w->sections);
    if (!s)
        return false;
    s->id = id;
    return buf_append(&s->data, data, size);
}

static bool write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t k = write(fd, c, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        c += k;
        n -= (size_t)k;
    }
    return true;
}

static size_t align16(size_t x) { return (x + 15) & ~(size_t)15; }

cordon_status snap_writer_commit(snap_writer *w, const char *path, cordon_error *err)
{
    size_t n = w->sections.len;
    snap_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SNAP_MAGIC, 8);
    h.format_version = CORDON_SNAPSHOT_FORMAT;
    h.n_sections = (uint32_t)n;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(h.built_at, sizeof h.built_at, "%Y-%m-%dT%H:%M:%SZ", &tm);

    snap_section *dir = xcalloc_array(n, sizeof *dir);
    if (!dir)
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    size_t off = align16(sizeof h + n * sizeof *dir);
    for (size_t i = 0; i < n; i++) {
        pending_section *s = &VEC_AT(&w->sections, pending_section, i);
        dir[i].id = s->id;
        dir[i].offset = off;
        dir[i].size = s->data.len;
        off = align16(off + s->data.len);
    }
    h.file_size = off;

    /* Checksum everything after the header, in file order, padding included. */
    static const uint8_t zeros[16];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
              EVP_DigestUpdate(ctx, dir, n * sizeof *dir);
    size_t pos = sizeof h + n * sizeof *dir;
    for (size_t i = 0; ok && i < n; i++) {
        pending_section *s = &VEC_AT(&w->sections, pending_section, i);
        ok = EVP_DigestUpdate(ctx, zeros, dir[i].offset - pos) &&
             (s->data.len == 0 || EVP_DigestUpdate(ctx, s->data.data, s->data.len));
        pos = dir[i].offset + s->data.len;
    }
    ok = ok && EVP_DigestUpdate(ctx, zeros, h.file_size - pos);
    unsigned int mdlen = 0;
    ok = ok && EVP_DigestFinal_ex(ctx, h.sha256, &mdlen);
    EVP_MD_CTX_free(ctx);
    if (!ok) {
        free(dir);
        return err_set(err, CORDON_ERR_NOMEM, "checksum failed");
    }

    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    if (!tmp) {
        free(dir);
        return err_set(err, CORDON_ERR_NOMEM, "out of memory");
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        cordon_status st = err_set(err, CORDON_ERR_IO, "%s: cannot create: %s", tmp, strerror(errno));
        free(tmp);
        free(dir);
        return st;
    }
    ok = write_all(fd, &h, sizeof h) && write_all(fd, dir, n * sizeof *dir);
    pos = sizeof h + n * sizeof *dir;
    for (size_t i = 0; ok && i < n; i++) {
        pending_section *s = &VEC_AT(&w->sections, pending_section, i);
        ok = write_all(fd, zeros, dir[i].offset - pos) &&
             write_all(fd, s->data.data ? s->data.data : "", s->data.len);
        pos = dir[i].offset + s->data.len;
    }
    ok = ok && write_all(fd, zeros, h.file_size - pos);
    ok = ok && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
    int saved = errno;
    ok = (close(fd) == 0) && ok;
    free(dir);
    if (!ok || rename(tmp, path) != 0) {
        if (ok)
            saved = errno;
        unlink(tmp);
        cordon_status st =
            err_set(err, CORDON_ERR_IO, "%s: cannot write snapshot: %s", path, strerror(saved));
        free(tmp);
        return st;
    }
    free(tmp);
    /* Make the rename itself durable. */
    char *dcopy = strdup(path);
    if (dcopy) {
        int dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY);
        if (dfd >= 0) {
            fsync(dfd);
            close(dfd);
        }
        free(dcopy);
    }
    return CORDON_OK;
}

cordon_status snap_map(const char *path, snap_file *out, cordon_error *err)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(err, errno == ENOENT ? CORDON_ERR_NOTFOUND : CORDON_ERR_IO, "%s: %s", path,
                       strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return err_set(err, CORDON_ERR_IO, "%s: not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size < sizeof(snap_header)) {
        close(fd);
        return err_set(err, CORDON_ERR_FORMAT, "%s: not a cordon snapshot (too short)", path);
    }
    void *base = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (base == MAP_FAILED)
        return err_set(err, CORDON_ERR_IO, "%s: mmap: %s", path, strerror(errno));
    const snap_header *h = base;
    cordon_status rc = CORDON_OK;
    if (memcmp(h->magic, SNAP_MAGIC, 8) != 0) {
        rc = err_set(err, CORDON_ERR_FORMAT, "%s: not a cordon snapshot (bad magic)", path);
    } else if (h->format_version != CORDON_SNAPSHOT_FORMAT) {
        rc = err_set(err, CORDON_ERR_FORMAT,
                     "%s: snapshot format version %u, this cordon reads version %u: rebuild it "
                     "with `cordon build`",
                     path, h->format_version, CORDON_SNAPSHOT_FORMAT);
    } else if (h->file_size != size) {
        rc = err_set(err, CORDON_ERR_FORMAT,
                     "%s: truncated or extended snapshot (%zu bytes, header says %llu)", path,
                     size, (unsigned long long)h->file_size);
    } else if (h->n_sections > 1024 ||
               sizeof *h + (size_t)h->n_sections * sizeof(snap_section) > size) {
        rc = err_set(err, CORDON_ERR_FORMAT, "%s: corrupt section directory", path);
    }
    const snap_section *dir = (const snap_section *)((const uint8_t *)base + sizeof *h);
    for (uint32_t i = 0; rc == CORDON_OK && i < h->n_sections; i++) {
        if (dir[i].offset > size || dir[i].size > size - dir[i].offset || dir[i].offset % 16)
            rc = err_set(err, CORDON_ERR_FORMAT, "%s: section %u out of bounds", path, dir[i].id);
    }
    if (rc == CORDON_OK) {
        uint8_t md[32];
        unsigned int mdlen = 0;
        if (!EVP_Digest((const uint8_t *)base + sizeof *h, size - sizeof *h, md, &mdlen,
                        EVP_sha256(), NULL) ||
            memcmp(md, h->sha256, 32) != 0)
            rc = err_set(err, CORDON_ERR_FORMAT, "%s: checksum mismatch (corrupt snapshot)", path);
    }
    if (rc != CORDON_OK) {
        munmap(base, size);
        return rc;
    }
    out->base = base;
    out->size = size;
    out->header = h;
    out->sections = dir;
    return CORDON_OK;
}

void snap_unmap(snap_file *f)
{
    if (f->base)
        munmap((void *)f->base, f->size);
    memset(f, 0, sizeof *f);
}

const void *snap_section_get(const snap_file *f, uint32_t id, size_t *size)
{
    for (uint32_t i = 0; i < f->header->n_sections; i++) {
        if (f->sections[i].id == id) {
            if (size)
                *size = f->sections[i].size;
            return f->base + f->sections[i].offset;
        }
    }
    if (size)
        *size = 0;
    return NULL;
}
