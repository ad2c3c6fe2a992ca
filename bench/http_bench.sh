#!/usr/bin/env bash
# http_bench.sh - requests per second and latency of `cordon serve` with wrk on loopback, at 1,
# 16 and 64 connections, for /v1/screen (GET and POST) and the compatibility endpoints (yente
# /match, W3C /reconcile, watchman /v2/search). Names rotate over a fixed mix of hits and
# misses. Optionally a soak: constant load with the server's resident memory sampled.
#
# usage: bench/http_bench.sh [--binary build/cordon] [--snapshot FILE] [--duration 10]
#                            [--threads N] [--conns "1 16 64"] [--only ENDPOINT]
#                            [--soak SECONDS] [--out results.md]
# needs: wrk (Debian package `wrk`), python3, curl.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=build/cordon
SNAP=""
DURATION=10
THREADS=""
CONNS="1 16 64"
ONLY=""
SOAK=0
OUT=""
while [ $# -gt 0 ]; do
    case $1 in
    --binary) BIN=$2; shift 2 ;;
    --snapshot) SNAP=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --conns) CONNS=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --soak) SOAK=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    *) echo "usage: $0 [--binary B] [--snapshot F] [--duration S] [--threads N] [--conns LIST] [--only EP] [--soak S] [--out F]" >&2; exit 2 ;;
    esac
done
command -v wrk >/dev/null || { echo "http_bench: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "http_bench: $BIN not built (make)" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/cordon-bench.XXXXXX")
SERVER=""
trap '[ -n "$SERVER" ] && kill -TERM $SERVER 2>/dev/null; rm -rf "$T"' EXIT
if [ -z "$SNAP" ]; then
    SNAP="$T/cordon.snap"
    "$BIN" build --out "$SNAP" >/dev/null 2>&1
fi
SERVE_ARGS=(--snapshot "$SNAP" --listen 127.0.0.1:0 --port-file "$T/port" --quiet --max-per-ip 100000)
[ -n "$THREADS" ] && SERVE_ARGS+=(--threads "$THREADS")
"$BIN" serve "${SERVE_ARGS[@]}" 2>"$T/server.log" &
SERVER=$!
for _ in $(seq 1 200); do [ -s "$T/port" ] && break; sleep 0.05; done
PORT=$(cat "$T/port")
URL="http://127.0.0.1:$PORT"

# The same mix for every endpoint: sanctioned names, near misses and clean names.
cat >"$T/names.lua" <<'EOF'
names = {"Kim Jong Un", "Korea Mining Development Trading", "Artavil", "John Smith",
         "Ali Hassan", "Bank Melli Iran", "Mohammed Al Rashid", "Rosoboronexport",
         "Maria Garcia", "Tanchon Commercial Bank", "Viktor Bout", "Acme Trading LLC",
         "Islamic Revolutionary Guard Corps", "Chen Wei", "Sea Star Shipping", "Ivan Petrov"}
counter = 0
function esc(s) return (s:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)) end
function nextname() counter = counter + 1; return names[(counter % #names) + 1] end
EOF
cat >"$T/screen_get.lua" <<'EOF'
dofile(os.getenv("NAMES"))
request = function() return wrk.format("GET", "/v1/screen?limit=5&name=" .. esc(nextname())) end
EOF
cat >"$T/screen_post.lua" <<'EOF'
dofile(os.getenv("NAMES"))
request = function()
  return wrk.format("POST", "/v1/screen", {["Content-Type"] = "application/json"},
                    '{"name":"' .. nextname() .. '","limit":5}')
end
EOF
cat >"$T/yente.lua" <<'EOF'
dofile(os.getenv("NAMES"))
request = function()
  return wrk.format("POST", "/match/default", {["Content-Type"] = "application/json"},
    '{"queries":{"q1":{"schema":"LegalEntity","properties":{"name":["' .. nextname() .. '"]}}}}')
end
EOF
cat >"$T/reconcile.lua" <<'EOF'
dofile(os.getenv("NAMES"))
request = function()
  return wrk.format("POST", "/reconcile", {["Content-Type"] = "application/x-www-form-urlencoded"},
    "queries=" .. esc('{"q0":{"query":"' .. nextname() .. '","limit":3}}'))
end
EOF
cat >"$T/watchman.lua" <<'EOF'
dofile(os.getenv("NAMES"))
request = function() return wrk.format("GET", "/v2/search?limit=5&name=" .. esc(nextname())) end
EOF
cat >"$T/healthz.lua" <<'EOF'
request = function() return wrk.format("GET", "/healthz") end
EOF
export NAMES="$T/names.lua"

# Sanity: every endpoint answers 200 before it is measured.
for p in "/v1/screen?name=Kim+Jong+Un" "/v2/search?name=Kim+Jong+Un" "/healthz"; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL$p")
    [ "$code" = 200 ] || { echo "http_bench: $p answered $code" >&2; exit 1; }
done

to_ms() { # wrk latency ("512.00us", "1.23ms", "2.01s") -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                           else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

ROWS=()
run() { # run ENDPOINT SCRIPT CONNS
    local ep=$1 script=$2 c=$3 t=$(( $3 < 2 ? 1 : 2 ))
    wrk -t"$t" -c"$c" -d"${DURATION}s" --latency -s "$T/$script" "$URL" >"$T/wrk.txt" 2>&1
    local rps p50 p99 errs
    rps=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' "$T/wrk.txt")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$T/wrk.txt")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$T/wrk.txt")")
    errs=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n + 0}' "$T/wrk.txt")
    ROWS+=("| $ep | $c | $rps | $p50 | $p99 | $errs |")
    printf '%-22s %3s conns  %8s req/s  p50 %7s ms  p99 %7s ms  errors %s\n' "$ep" "$c" "$rps" "$p50" "$p99" "$errs"
}

ENDPOINTS=("GET /v1/screen:screen_get.lua" "POST /v1/screen:screen_post.lua"
           "POST /match/default:yente.lua" "POST /reconcile:reconcile.lua"
           "GET /v2/search:watchman.lua" "GET /healthz:healthz.lua")
echo "cordon serve on $URL ($(nproc) CPUs, server threads ${THREADS:-$(nproc)}), ${DURATION}s per run"
for e in "${ENDPOINTS[@]}"; do
    ep=${e%%:*}
    [ -n "$ONLY" ] && [[ $ep != *"$ONLY"* ]] && continue
    for c in $CONNS; do run "$ep" "${e##*:}" "$c"; done
done

SOAK_LINES=()
if [ "$SOAK" -gt 0 ]; then
    echo "soak: ${SOAK}s of GET /v1/screen at 16 connections, resident memory every 10 s"
    wrk -t2 -c16 -d"${SOAK}s" --latency -s "$T/screen_get.lua" "$URL" >"$T/soak.txt" 2>&1 &
    WRK=$!
    start=$(date +%s)
    while kill -0 "$WRK" 2>/dev/null; do
        rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER/status")
        line="$(( $(date +%s) - start ))s rss ${rss} kB"
        SOAK_LINES+=("$line")
        echo "  $line"
        sleep 10
    done
    wait "$WRK" || true
    grep -E "Requests/sec|Non-2xx|Socket errors|99%" "$T/soak.txt" | sed 's/^/  /'
fi

if [ -n "$OUT" ]; then
    {
        echo "cordon serve, wrk on loopback, $(nproc) CPUs, ${DURATION}s per run, $(date -u +%Y-%m-%d)"
        echo
        echo "| endpoint | connections | requests/s | p50 ms | p99 ms | errors |"
        echo "|---|---|---|---|---|---|"
        printf '%s\n' "${ROWS[@]}"
        if [ ${#SOAK_LINES[@]} -gt 0 ]; then
            echo
            echo "soak (resident memory):"
            printf -- '- %s\n' "${SOAK_LINES[@]}"
        fi
    } >"$OUT"
    echo "wrote $OUT"
fi
