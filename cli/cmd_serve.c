/* cmd_serve.c - `cordon serve` and `cordon apikey`: thin wrappers over server/. */
#include "cli.h"

#include "../server/server.h"

int cmd_serve(int argc, char **argv) { return cordon_serve_main(argc, argv); }

int cmd_apikey(int argc, char **argv) { return cordon_apikey_main(argc, argv); }
