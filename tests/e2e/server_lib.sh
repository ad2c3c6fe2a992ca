#!/usr/bin/env bash
# server_lib.sh - helpers for the `cordon serve` end-to-end tests (sourced by server_*.sh).
# Run on its own (`bash server_lib.sh CORDON_BINARY REPO_DIR`) it is a smoke test: start a
# server on a free loopback port, check /healthz and /readyz, stop it with SIGTERM.
#
# Every script: builds a snapshot from the repository's data into a temporary directory, starts
# servers on port 0 (the port is read from --port-file), drives them with curl, asserts with
# python3 (no jq needed), prints "N passed, M failed" and exits non-zero on any failure.

source "$(dirname "${BASH_SOURCE[0]}")/../support/python.sh"
CORDON=${1:?usage: $0 CORDON_BINARY REPO_DIR}
REPO=${2:?usage: $0 CORDON_BINARY REPO_DIR}
CORDON=$(cd "$(dirname "$CORDON")" && pwd)/$(basename "$CORDON")
T=$(mktemp -d "${TMPDIR:-/tmp}/cordon-e2e.XXXXXX")
SNAP="$T/cordon.snap"
PASS=0
FAIL=0
SERVER_PIDS=()
export CORDON_APIKEYS="$T/no-such-apikeys" # never the developer's own key file
export CORDON_STORE="$T/store"               # nor their case store (opened on first use)

cleanup() {
    for pid in "${SERVER_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$T"
}
trap cleanup EXIT

ok() { PASS=$((PASS + 1)); }
bad() {
    FAIL=$((FAIL + 1))
    echo "FAIL: $*" >&2
}

# check NAME CONDITION...: runs the condition (a command), counts the result.
check() {
    local name=$1
    shift
    if "$@"; then ok; else bad "$name"; fi
}

finish() {
    echo "$PASS passed, $FAIL failed"
    [ "$FAIL" -eq 0 ]
    exit $?
}

build_snapshot() {
    if ! "$CORDON" build --config "$REPO/data/sources.conf" --out "$SNAP" >"$T/build.log" 2>&1; then
        cat "$T/build.log" >&2
        echo "cannot build a snapshot from $REPO/data" >&2
        exit 1
    fi
}

# start_server NAME [serve options...]: starts a server on a free loopback port unless
# --listen is given; sets PORT and URL, and remembers the pid as PID_<NAME>.
start_server() {
    local name=$1
    shift
    local pf="$T/$name.port"
    rm -f "$pf"
    local listen=(--listen 127.0.0.1:0)
    for a in "$@"; do [[ $a == --listen* ]] && listen=(); done
    "$CORDON" serve --snapshot "${SNAPSHOT_OVERRIDE:-$SNAP}" "${listen[@]}" --port-file "$pf" \
        "$@" >"$T/$name.out" 2>"$T/$name.log" &
    local pid=$!
    SERVER_PIDS+=("$pid")
    printf -v "PID_$name" '%s' "$pid"
    for _ in $(seq 1 200); do
        [ -s "$pf" ] && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if [ ! -s "$pf" ]; then
        echo "server $name did not start:" >&2
        cat "$T/$name.log" >&2
        return 1
    fi
    PORT=$(cat "$pf")
    URL="http://127.0.0.1:$PORT"
}

# stop_server NAME: SIGTERM, then the exit status must be 0 within 15 seconds.
stop_server() {
    local var="PID_$1" pid
    pid=${!var}
    kill -TERM "$pid" 2>/dev/null || return 1
    for _ in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$pid" 2>/dev/null; then
        echo "server $1 did not stop on SIGTERM" >&2
        return 1
    fi
    wait "$pid"
}

# req METHOD URL [curl options...]: sets STATUS and writes the body to $BODY (headers $HDRS).
BODY="$T/body"
HDRS="$T/headers"
req() {
    local method=$1 url=$2
    shift 2
    STATUS=$(curl -s -o "$BODY" -D "$HDRS" -w '%{http_code}' -X "$method" "$@" "$url")
}

# jcheck NAME PYTHON_EXPR: evaluates the expression with d = the JSON body of the last req.
jcheck() {
    local name=$1 expr=$2
    if python3 - "$BODY" "$expr" <<'EOF' 2>"$T/jcheck.err"; then ok; else bad "$name: $expr ($(head -c 300 "$BODY"))"; cat "$T/jcheck.err" >&2; fi
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
sys.exit(0 if eval(sys.argv[2]) else 1)
EOF
}

# status_is NAME CODE: the last request answered CODE.
status_is() {
    if [ "$STATUS" = "$2" ]; then ok; else bad "$1: status $STATUS, want $2 ($(head -c 300 "$BODY"))"; fi
}

# error_is NAME CODE ERROR_CODE: status and the JSON error object {"error":{"code",...}}.
error_is() {
    status_is "$1" "$2"
    jcheck "$1 error shape" "d['error']['code'] == '$3' and d['error']['status'] == $2 and len(d['error']['message']) > 0"
}

header_has() { grep -qi "^$1:.*$2" "$HDRS"; }

metric() { # metric NAME_WITH_LABELS: prints the value from /metrics of $URL
    curl -s "$URL/metrics" "${AUTH[@]}" | awk -v k="$1" '$1 == k {print $2}'
}
AUTH=()

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    build_snapshot
    start_server smoke --threads 2
    req GET "$URL/healthz"
    status_is "healthz" 200
    jcheck "healthz body" "d == {'status': 'ok'}"
    req GET "$URL/readyz"
    status_is "readyz" 200
    jcheck "readyz body" "d['status'] == 'ready' and d['entities'] > 10000 and d['generation'] == 1"
    check "SIGTERM stops the server with status 0" stop_server smoke
    check "the log says it listened" grep -q '"event":"listening"' "$T/smoke.log"
    check "the log says it stopped" grep -q '"event":"stopped"' "$T/smoke.log"
    finish
fi
