/* apikeys.c - hashed API keys (see apikeys.h).
 * File format, one key per line: ID SALT_HEX SHA256_HEX CREATED NAME...
 * where SHA256_HEX = sha256(SALT_HEX || SECRET) and the key given to the client is
 * cordon_ID_SECRET. The id is not secret: it names the key in logs and in `revoke`. */
#include "apikeys.h"
#include "util/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#define ID_HEX 12
#define SALT_HEX 32
#define SECRET_HEX 40
#define MAX_KEYS 10000
#define KEY_PREFIX "cordon_"

typedef struct apikey {
    char id[ID_HEX + 1];
    char salt[SALT_HEX + 1];
    char hash[65];
    char created[32];
    char name[128];
} apikey;

struct apikey_store {
    apikey *keys;
    size_t n;
};

size_t apikeys_count(const apikey_store *s) { return s ? s->n : 0; }

void apikeys_free(apikey_store *s)
{
    if (!s)
        return;
    free(s->keys);
    free(s);
}

static bool is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
            return false;
    return s[n] == 0;
}

static cordon_status parse_line(char *line, apikey *k, const char *path, long no,
                                cordon_error *err)
{
    char *save = NULL;
    const char *id = strtok_r(line, " \t\r\n", &save);
    const char *salt = strtok_r(NULL, " \t\r\n", &save);
    const char *hash = strtok_r(NULL, " \t\r\n", &save);
    const char *created = strtok_r(NULL, " \t\r\n", &save);
    const char *name = strtok_r(NULL, "\r\n", &save);
    if (!id || !salt || !hash || !created || strlen(id) != ID_HEX || !is_hex(id, ID_HEX) ||
        strlen(salt) != SALT_HEX || !is_hex(salt, SALT_HEX) || strlen(hash) != 64 ||
        !is_hex(hash, 64) || strlen(created) >= sizeof k->created)
        return err_set(err, CORDON_ERR_PARSE, "%s:%ld: expected ID SALT SHA256 CREATED [NAME]",
                       path, no);
    memset(k, 0, sizeof *k);
    memcpy(k->id, id, ID_HEX);
    memcpy(k->salt, salt, SALT_HEX);
    memcpy(k->hash, hash, 64);
    snprintf(k->created, sizeof k->created, "%s", created);
    snprintf(k->name, sizeof k->name, "%s", name ? name : "");
    return CORDON_OK;
}

apikey_store *apikeys_load(const char *path, cordon_error *err)
{
    apikey_store *s = calloc(1, sizeof *s);
    if (!s) {
        err_set(err, CORDON_ERR_NOMEM, "out of memory");
        return NULL;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT)
            return s;
        err_set(err, CORDON_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        free(s);
        return NULL;
    }
    char line[1024];
    long no = 0;
    cordon_status st = CORDON_OK;
    size_t cap = 0;
    while (st == CORDON_OK && fgets(line, sizeof line, f)) {
        no++;
        if (!strchr(line, '\n') && !feof(f)) {
            st = err_set(err, CORDON_ERR_PARSE, "%s:%ld: line too long", path, no);
            break;
        }
        if (str_is_blank(line) || line[0] == '#')
            continue;
        if (s->n >= MAX_KEYS) {
            st = err_set(err, CORDON_ERR_LIMIT, "%s:%ld: more than %d keys", path, no, MAX_KEYS);
            break;
        }
        if (s->n == cap) {
            cap = cap ? cap * 2 : 16;
            apikey *nk = realloc(s->keys, cap * sizeof *nk);
            if (!nk) {
                st = err_set(err, CORDON_ERR_NOMEM, "out of memory");
                break;
            }
            s->keys = nk;
        }
        st = parse_line(line, &s->keys[s->n], path, no, err);
        if (st == CORDON_OK)
            s->n++;
    }
    fclose(f);
    if (st != CORDON_OK) {
        apikeys_free(s);
        return NULL;
    }
    return s;
}

static bool key_hash(const char *salt, const char *secret, char out[65])
{
    char both[SALT_HEX + SECRET_HEX + 1];
    size_t n = (size_t)snprintf(both, sizeof both, "%s%s", salt, secret);
    bool ok = n < sizeof both && sha256_hex(both, n, out);
    OPENSSL_cleanse(both, sizeof both);
    return ok;
}

const char *apikeys_check(const apikey_store *s, const char *token)
{
    size_t pl = strlen(KEY_PREFIX);
    if (!s || !token || strlen(token) != pl + ID_HEX + 1 + SECRET_HEX ||
        strncmp(token, KEY_PREFIX, pl) != 0 || token[pl + ID_HEX] != '_')
        return NULL;
    const char *id = token + pl, *secret = token + pl + ID_HEX + 1;
    if (!is_hex(secret, SECRET_HEX))
        return NULL;
    for (size_t i = 0; i < s->n; i++) {
        if (memcmp(s->keys[i].id, id, ID_HEX) != 0)
            continue;
        char h[65];
        if (key_hash(s->keys[i].salt, secret, h) && CRYPTO_memcmp(h, s->keys[i].hash, 64) == 0)
            return s->keys[i].id;
        return NULL;
    }
    return NULL;
}

const char *apikeys_default_path(char *out, size_t cap)
{
    const char *env = getenv("CORDON_APIKEYS");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return out;
    }
    char dir[PATH_MAX];
    snprintf(out, cap, "%s/apikeys", cordon_data_dir(dir, sizeof dir));
    return out;
}

/* ---------------------------------------------------------------------------------------- */
/* `cordon apikey`                                                                           */

static void to_hex(const unsigned char *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
}

/* Writes every key to a temporary file beside path, then renames: never a half-written file. */
static int store_write(const apikey_store *s, const char *path)
{
    char tmp[PATH_MAX + 32];
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "cordon: %s: cannot write: %s\n", tmp, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 1;
    }
    fputs("# cordon API keys (cordon apikey add|list|revoke): ID SALT SHA256(SALT+SECRET) "
          "CREATED NAME\n", f);
    for (size_t i = 0; i < s->n; i++)
        fprintf(f, "%s %s %s %s %s\n", s->keys[i].id, s->keys[i].salt, s->keys[i].hash,
                s->keys[i].created, s->keys[i].name);
    bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "cordon: %s: cannot write: %s\n", path, strerror(errno));
        unlink(tmp);
        return 1;
    }
    return 0;
}

static int cmd_add(apikey_store *s, const char *path, const char *name)
{
    if (name && (strlen(name) >= 128 || strpbrk(name, "\r\n"))) {
        fprintf(stderr, "cordon: apikey add: --name must be one line under 128 bytes\n");
        return 2;
    }
    apikey *nk = realloc(s->keys, (s->n + 1) * sizeof *nk);
    if (!nk)
        return 1;
    s->keys = nk;
    apikey *k = &s->keys[s->n];
    memset(k, 0, sizeof *k);
    unsigned char idb[ID_HEX / 2], salt[SALT_HEX / 2], sec[SECRET_HEX / 2];
    if (RAND_bytes(idb, sizeof idb) != 1 || RAND_bytes(salt, sizeof salt) != 1 ||
        RAND_bytes(sec, sizeof sec) != 1) {
        fprintf(stderr, "cordon: apikey add: no randomness available\n");
        return 1;
    }
    char secret[SECRET_HEX + 1];
    to_hex(idb, sizeof idb, k->id);
    to_hex(salt, sizeof salt, k->salt);
    to_hex(sec, sizeof sec, secret);
    if (!key_hash(k->salt, secret, k->hash))
        return 1;
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(k->created, sizeof k->created, "%Y-%m-%dT%H:%M:%SZ", &tm);
    snprintf(k->name, sizeof k->name, "%s", name && *name ? name : "-");
    s->n++;
    if (store_write(s, path))
        return 1;
    printf("%s%s_%s\n", KEY_PREFIX, k->id, secret);
    fprintf(stderr, "cordon: key %s added to %s; it is shown only now: store it safely.\n"
                    "cordon: a running server picks it up on SIGHUP or POST /v1/admin/reload\n",
            k->id, path);
    OPENSSL_cleanse(secret, sizeof secret);
    return 0;
}

static int cmd_revoke(apikey_store *s, const char *path, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->keys[i].id, id) == 0) {
            memmove(&s->keys[i], &s->keys[i + 1], (s->n - i - 1) * sizeof *s->keys);
            s->n--;
            if (store_write(s, path))
                return 1;
            fprintf(stderr, "cordon: key %s revoked\n", id);
            return 0;
        }
    fprintf(stderr, "cordon: %s: no key with id '%s' (see `cordon apikey list`)\n", path, id);
    return 1;
}

int cordon_apikey_main(int argc, char **argv)
{
    static const char usage[] = "usage: cordon apikey add [--name NAME] | list | revoke ID "
                                "[--keys FILE]\n";
    char def[PATH_MAX];
    const char *path = NULL, *name = NULL, *verb = NULL, *arg = NULL;
    for (int i = 1; i < argc; i++) {
        if ((strcmp(argv[i], "--keys") == 0 || strcmp(argv[i], "--name") == 0) && i + 1 < argc) {
            *(argv[i][2] == 'k' ? &path : &name) = argv[i + 1];
            i++;
        } else if (strncmp(argv[i], "--keys=", 7) == 0) {
            path = argv[i] + 7;
        } else if (strncmp(argv[i], "--name=", 7) == 0) {
            name = argv[i] + 7;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "cordon: apikey: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        } else if (!verb) {
            verb = argv[i];
        } else if (!arg) {
            arg = argv[i];
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    bool revoke = verb && strcmp(verb, "revoke") == 0;
    if (!verb || (strcmp(verb, "add") && strcmp(verb, "list") && !revoke) || (revoke != !!arg)) {
        fputs(usage, stderr);
        return 2;
    }
    if (!path)
        path = apikeys_default_path(def, sizeof def);
    cordon_error err = {0};
    apikey_store *s = apikeys_load(path, &err);
    if (!s) {
        fprintf(stderr, "cordon: %s\n", err.message);
        return 1;
    }
    int rc = 0;
    if (strcmp(verb, "add") == 0) {
        rc = cmd_add(s, path, name);
    } else if (revoke) {
        rc = cmd_revoke(s, path, arg);
    } else {
        printf("%-12s  %-20s  %s\n", "id", "created", "name");
        for (size_t i = 0; i < s->n; i++)
            printf("%-12s  %-20s  %s\n", s->keys[i].id, s->keys[i].created, s->keys[i].name);
        fprintf(stderr, "%zu key(s) in %s\n", s->n, path);
    }
    apikeys_free(s);
    return rc;
}
