#!/usr/bin/env bash
# server_reload.sh - snapshot swaps under load and graceful shutdown:
#   - 8 keep-alive clients screen continuously while the snapshot file is replaced and reloaded
#     ten times (SIGHUP and POST /v1/admin/reload in turn): zero failed requests, the
#     generation counts every reload, and the old engines are released (one left open);
#   - a corrupt snapshot fails the reload with a message and the old one keeps serving;
#   - SIGTERM during a batch: the batch finishes, the server exits 0 and stops listening.
# usage: bash server_reload.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

build_snapshot
FULL="$T/full.snap"
SMALL="$T/small.snap"
LIVE="$T/live.snap"
cp "$SNAP" "$FULL"
# A second, different snapshot: only the UN and OFAC SDN lists.
SRC=()
while read -r name format path; do
    SRC+=(--source "$name:$format:$REPO/data/$path")
done < <(awk '$1 == "un" || $1 == "ofac-sdn"' "$REPO/data/sources.conf")
"$CORDON" build "${SRC[@]}" --out "$SMALL" >"$T/small.log" 2>&1
check "a second snapshot with two lists" test -s "$SMALL"
cp "$FULL" "$LIVE"
SNAPSHOT_OVERRIDE="$LIVE" start_server rl --threads 2 || exit 1

# --- reload under load -----------------------------------------------------------------------
python3 - "$PORT" "$T/load.json" <<'EOF' &
import http.client, json, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[2]
stop_at = time.time() + 8
lock = threading.Lock()
stats = {"ok": 0, "fail": 0, "errors": [], "entities": set()}
def client(i):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while time.time() < stop_at:
        try:
            if i % 2:
                conn.request("GET", "/v1/screen?name=Kim+Jong+Un&limit=1")
            else:
                body = json.dumps({"queries": {"q": {"schema": "Person", "properties": {"name": ["Kim Jong Un"]}}}})
                conn.request("POST", "/match/default?limit=1", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            d = json.loads(r.read())
            top = d["results"][0]["id"] if i % 2 else d["responses"]["q"]["results"][0]["id"]
            good = r.status == 200 and top == "ofac-sdn:20157"
            with lock:
                stats["ok" if good else "fail"] += 1
                if not good:
                    stats["errors"].append((r.status, str(d)[:200]))
        except Exception as e:
            with lock:
                stats["fail"] += 1
                stats["errors"].append(repr(e))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
stats["entities"] = []
json.dump(stats, open(out, "w"))
EOF
LOAD=$!
sleep 1
for i in $(seq 1 10); do
    if [ $((i % 2)) -eq 1 ]; then NEXT=$SMALL; else NEXT=$FULL; fi
    cp "$NEXT" "$LIVE.tmp" && mv "$LIVE.tmp" "$LIVE" # atomic, as `cordon build` writes
    if [ $((i % 2)) -eq 1 ]; then
        kill -HUP "$PID_rl"
        sleep 0.4
    else
        req POST "$URL/v1/admin/reload"
        status_is "POST reload $i" 200
        sleep 0.3
    fi
done
wait "$LOAD"
check "reload under load: zero failed requests" python3 - "$T/load.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print("reload under load: %d requests ok, %d failed %s" % (s["ok"], s["fail"], s["errors"][:3]))
sys.exit(0 if s["fail"] == 0 and s["ok"] > 500 else 1)
EOF
req GET "$URL/readyz"
jcheck "generation counts the 10 reloads" "d['generation'] == 11"
check "reload events logged" test "$(grep -c '"event":"reload","ok":true' "$T/rl.log")" -eq 10
req GET "$URL/v1/lists"
jcheck "the last reload is the full snapshot" "len(d['sources']) == 5"
req GET "$URL/metrics"
check "old engines released: one open" grep -qE '^cordon_engines_open 1$' "$BODY"
check "reload counter" grep -qE '^cordon_snapshot_reloads_total\{result="ok"\} 10$' "$BODY"

# --- a bad snapshot does not replace a good one --------------------------------------------------
cp "$SMALL" "$LIVE.tmp" && mv "$LIVE.tmp" "$LIVE"
req POST "$URL/v1/admin/reload"
req GET "$URL/v1/lists"
jcheck "small snapshot loaded" "[s['name'] for s in d['sources']] == ['un', 'ofac-sdn']"
head -c 5000 "$FULL" >"$LIVE.tmp" && mv "$LIVE.tmp" "$LIVE"
req POST "$URL/v1/admin/reload"
error_is "truncated snapshot: reload fails" 500 internal
jcheck "the message names the snapshot" "'$LIVE' in d['error']['message'] and 'previous snapshot stays loaded' in d['error']['message']"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un&limit=1"
jcheck "still serving the previous snapshot" "d['results'][0]['id'] == 'ofac-sdn:20157'"
req GET "$URL/readyz"
jcheck "still ready" "d['status'] == 'ready' and d['generation'] == 12"
rm -f "$LIVE"
kill -HUP "$PID_rl"
sleep 0.3
req GET "$URL/healthz"
status_is "SIGHUP with the snapshot gone: still up" 200
req GET "$URL/metrics"
check "failed reloads counted" grep -qE '^cordon_snapshot_reloads_total\{result="failed"\} 2$' "$BODY"
check "rl: clean exit" stop_server rl

# --- graceful shutdown during a batch -----------------------------------------------------------
python3 -c "
import sys
names = ['Kim Jong Un', 'Korea Mining Development Trading', 'Artavil', 'John Smith', 'Ali Hassan']
sys.stdout.write(''.join('{\"name\":\"%s\",\"ref\":%d}\n' % (names[i % 5], i) for i in range(3000)))" >"$T/drain.jsonl"
start_server drain --threads 2 || exit 1
curl -s -o "$T/drain.out" -w '%{http_code}' -X POST -H 'Content-Type: application/x-ndjson' \
    --data-binary @"$T/drain.jsonl" "$URL/v1/screen/batch?limit=1" >"$T/drain.status" &
CURL=$!
for _ in $(seq 1 100); do grep -qE '^cordon_batches_running 1$' <(curl -s "$URL/metrics") && break; sleep 0.02; done
kill -TERM "$PID_drain"
wait "$CURL"
check "batch in flight at SIGTERM completes: 200" test "$(cat "$T/drain.status")" = 200
check "batch in flight at SIGTERM completes: 3000 rows" test "$(wc -l <"$T/drain.out")" -eq 3000
wait "$PID_drain"
DRAIN_RC=$?
check "drain: exit 0" test "$DRAIN_RC" -eq 0
check "draining was logged" grep -q '"event":"draining"' "$T/drain.log"
curl -s -m 2 "$URL/healthz" >/dev/null 2>&1
check "no longer listening after shutdown" test $? -ne 0
finish
