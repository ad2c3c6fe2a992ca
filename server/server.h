/* server.h - the HTTP server's entry points, called by the CLI (cli/cmd_serve.c). */
#ifndef CORDON_SERVER_H
#define CORDON_SERVER_H

/* `cordon serve ...`: runs until SIGTERM/SIGINT; returns the exit status. */
int cordon_serve_main(int argc, char **argv);
/* `cordon apikey add|list|revoke ...` */
int cordon_apikey_main(int argc, char **argv);

#endif
