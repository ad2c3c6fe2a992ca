/* apikeys.h - API keys for `cordon serve`: a key is shown once when created and stored only as
 * SHA-256(salt || secret) with a per-key random salt, one key per line in a file (mode 0600)
 * under the data directory. Clients send it as `Authorization: Bearer cordon_ID_SECRET`. */
#ifndef CORDON_SERVER_APIKEYS_H
#define CORDON_SERVER_APIKEYS_H

#include "cordon.h"

#include <stddef.h>

typedef struct apikey_store apikey_store;

/* Reads the key file; a missing file is an empty store. */
apikey_store *apikeys_load(const char *path, cordon_error *err);
void apikeys_free(apikey_store *s);
size_t apikeys_count(const apikey_store *s);
/* Checks a presented token; returns the key's id (owned by the store) or NULL. */
const char *apikeys_check(const apikey_store *s, const char *token);
/* data/apikeys beside the executable's data directory, or $CORDON_APIKEYS. */
const char *apikeys_default_path(char *buf, size_t len);

/* `cordon apikey add [--name N] | list | revoke ID` [--keys FILE] */
int cordon_apikey_main(int argc, char **argv);

#endif
