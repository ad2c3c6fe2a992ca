#!/usr/bin/env bash
# pg.sh - runs a command beside a throwaway PostgreSQL server on loopback, for the store's
# PostgreSQL tests: initdb + pg_ctl (from /usr/lib/postgresql/*/bin) in a temp dir, a free port
# on 127.0.0.1, the unix socket in the temp dir, trust authentication (nothing else can reach
# it). The command gets CORDON_TEST_PG=postgresql://postgres@127.0.0.1:PORT/postgres (a
# superuser: tests create and drop their own databases); the server is stopped and the
# directory removed at the end, whatever happens.
# fsync is off (a throwaway server: CREATE DATABASE per test costs a second with it on);
# CORDON_PG_FSYNC=on keeps it, for benchmarks.
# Usage: pg.sh COMMAND [ARGS...]
# Exit: the command's status; 1 if the server cannot be started (a failure, never a skip).
set -u
if [ $# -eq 0 ]; then
  echo "usage: pg.sh COMMAND [ARGS...]" >&2
  exit 2
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "pg.sh: FAIL: no PostgreSQL server (initdb under /usr/lib/postgresql/*/bin): run ./setup" >&2
  exit 1
fi
T=$(mktemp -d /tmp/cordon-pg-XXXXXX)
AS=()
if [ "$(id -u)" -eq 0 ]; then # initdb refuses to run as root
  user=postgres
  id "$user" >/dev/null 2>&1 || user=nobody
  chown "$user" "$T"
  AS=(runuser -u "$user" --)
fi
stop() {
  [ -f "$T/data/postmaster.pid" ] && "${AS[@]}" "$PGBIN/pg_ctl" -D "$T/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$T"
}
trap stop EXIT
trap 'exit 130' INT TERM

fail() {
  echo "pg.sh: FAIL: $*" >&2
  for f in "$T/initdb.log" "$T/server.log"; do [ -s "$f" ] && tail -20 "$f" >&2; done
  exit 1
}

"${AS[@]}" "$PGBIN/initdb" -D "$T/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
  >"$T/initdb.log" 2>&1 || fail "initdb did not run"
started=
for _ in 1 2 3; do # a free port can be taken before the server binds it: try another
  PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  if "${AS[@]}" "$PGBIN/pg_ctl" -D "$T/data" -l "$T/server.log" -w -t 60 \
       -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$T -c fsync=${CORDON_PG_FSYNC:-off}" \
       start >/dev/null 2>&1; then
    started=1
    break
  fi
done
[ -n "$started" ] || fail "the PostgreSQL server did not start"
export CORDON_TEST_PG="postgresql://postgres@127.0.0.1:$PORT/postgres"
echo "$CORDON_TEST_PG" >"$T/conninfo"
echo "pg.sh: PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($T)" >&2
"$@"
