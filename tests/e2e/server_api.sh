#!/usr/bin/env bash
# server_api.sh - cordon's own HTTP API end to end: /v1/screen (GET and POST, every
# parameter), /v1/screen/batch (JSON lines and CSV), /v1/lists, /healthz, /readyz, /metrics,
# errors (400, 404, 405, 415), keep-alive, request ids and the JSON access log.
# usage: bash server_api.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

build_snapshot
mkdir -p "$T/tmp"
TMPDIR="$T/tmp" start_server api --threads 2 || exit 1

# --- GET /v1/screen: the CLI's query and the CLI's answer -------------------------------------
req GET "$URL/v1/screen?name=Kim%20Jong%20Un"
status_is "screen GET" 200
jcheck "screen: top hit is OFAC SDN 20157" \
    "d['results'][0]['id'] == 'ofac-sdn:20157' and d['results'][0]['score'] == 1.0 and d['results'][0]['name'] == 'KIM, Jong Un'"
jcheck "screen: entity fields" \
    "d['results'][0]['entity']['birth_dates'] == ['1984-01-08'] and d['results'][0]['programs'] == ['DPRK3'] and d['results'][0]['regimes'] == ['DPRK']"
jcheck "screen: explanation names each token" \
    "sorted(e['query'] for e in d['results'][0]['explanation'] if 'query' in e) == ['jong', 'kim', 'un']"
jcheck "screen: query echo" \
    "d['query']['name'] == 'Kim Jong Un' and d['query']['normalized'] == 'kim jong un' and d['query']['algorithm'] == 'default' and d['query']['threshold'] == 0.8"
cp "$BODY" "$T/server.json"
"$CORDON" screen "Kim Jong Un" --json --snapshot "$SNAP" >"$T/cli.json"
check "screen: server and CLI give the same hits and scores" python3 - "$T/server.json" "$T/cli.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
key = lambda d: [(r["id"], r["score"], r["name_score"]) for r in d["results"]]
sys.exit(0 if key(a) == key(b) and len(key(a)) >= 1 else 1)
EOF

req GET "$URL/v1/screen?name=Artavil&type=vessel&id=imo:9187629&limit=1"
status_is "screen by vessel name and IMO" 200
jcheck "vessel: ARTAVIL with the identifier feature" \
    "len(d['results']) == 1 and d['results'][0]['id'] == 'ofac-sdn:15036' and any(e.get('feature') == 'identifier' and e['delta'] > 0 for e in d['results'][0]['explanation'])"
jcheck "vessel: identifiers decoded" \
    "{(i['type'], i['value']) for i in d['results'][0]['entity']['identifiers']} >= {('imo', '9187629'), ('mmsi', '572469210'), ('call_sign', 'T2EU4')}"

req GET "$URL/v1/screen?name=Artavil&id_type=imo&id_value=9187629&limit=1"
jcheck "id_type + id_value" "d['query']['id'] == {'type': 'imo', 'value': '9187629'} and d['results'][0]['id'] == 'ofac-sdn:15036'"

req GET "$URL/v1/screen?name=Kim%20Jong%20Un&sources=un,bis-dpl"
jcheck "sources restricts the lists" "d['query']['sources'] == ['un', 'bis-dpl'] and all(r['source'] in ('un', 'bis-dpl') for r in d['results'])"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un&source=ofac-sdn&source=un&limit=1"
jcheck "repeated source parameters" "d['query']['sources'] == ['ofac-sdn', 'un'] and len(d['results']) == 1"

req GET "$URL/v1/screen?name=Kim%20Jong%20Un&dob=1984-01-08&country=KP&type=person&limit=3&threshold=0.9"
jcheck "dob and country add features" \
    "d['results'][0]['id'] == 'ofac-sdn:20157' and {e.get('feature') for e in d['results'][0]['explanation']} >= {'dob', 'country'} and all(r['score'] >= 0.9 for r in d['results']) and len(d['results']) <= 3"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un&algorithm=ofac&limit=2"
jcheck "algorithm=ofac" "d['query']['algorithm'] == 'ofac' and d['results'][0]['id'] == 'ofac-sdn:20157'"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un&exhaustive=true&limit=1"
jcheck "exhaustive scores every name" "d['candidates'] > 20000 and d['results'][0]['id'] == 'ofac-sdn:20157'"
req GET "$URL/v1/screen?name=Zzyzx%20Qwertyuiop"
status_is "no hits is still 200" 200
jcheck "no hits" "d['results'] == []"

# --- POST /v1/screen with a JSON body ------------------------------------------------------
req POST "$URL/v1/screen" -H 'Content-Type: application/json' \
    -d '{"name":"Korea Mining Development Trading","type":"organization","sources":["un"],"limit":1,"threshold":0.5,"exhaustive":false}'
status_is "screen POST" 200
jcheck "POST: UN KPe.001" "d['results'][0]['id'] == 'un:KPe.001' and d['results'][0]['name'] == 'KOREA MINING DEVELOPMENT TRADING CORPORATION' and len(d['results']) == 1"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' -d '{"name":"Kim Jong Un","sources":"un, ofac-sdn","limit":"2","id":null}'
jcheck "POST: comma list, quoted number and null" "d['query']['sources'] == ['un', 'ofac-sdn'] and len(d['results']) <= 2"
req POST "$URL/v1/screen?limit=1" -H 'Content-Type: application/json' -d '{"name":"Kim Jong Un"}'
jcheck "POST: query-string options apply too" "len(d['results']) == 1"

# --- errors ----------------------------------------------------------------------------------
req GET "$URL/v1/screen"
error_is "missing name" 400 bad_request
jcheck "missing name message" "d['error']['message'] == 'name: required'"
req GET "$URL/v1/screen?name=x&type=spaceship"
error_is "bad type" 400 bad_request
req GET "$URL/v1/screen?name=x&limit=0"
error_is "limit 0" 400 bad_request
req GET "$URL/v1/screen?name=x&limit=1001"
error_is "limit too large" 400 bad_request
req GET "$URL/v1/screen?name=x&threshold=1.5"
error_is "threshold > 1" 400 bad_request
req GET "$URL/v1/screen?name=x&algorithm=magic"
error_is "unknown algorithm" 400 bad_request
req GET "$URL/v1/screen?name=x&id=imo"
error_is "id without a value" 400 bad_request
req GET "$URL/v1/screen?name=x&dob=1984-13-01"
error_is "bad dob" 400 bad_request
jcheck "dob message" "'1984-13-01' in d['error']['message']"
req GET "$URL/v1/screen?name=x&country=Atlantis"
error_is "unknown country" 400 bad_request
req GET "$URL/v1/screen?name=x&sources=nolist"
error_is "unknown source" 400 bad_request
jcheck "unknown source message" "\"no list named 'nolist'\" in d['error']['message']"
req GET "$URL/v1/screen?name=x&colour=red"
error_is "unknown parameter" 400 bad_request
req GET "$URL/v1/screen?name=a&name=b"
error_is "name twice" 400 bad_request
req GET "$URL/v1/screen?name=%2C%2C%2C"
error_is "name without letters" 400 bad_request
req POST "$URL/v1/screen" -H 'Content-Type: application/json' -d '{"name":"x","limt":3}'
error_is "unknown JSON field" 400 bad_request
jcheck "unknown field named" "\"'limt'\" in d['error']['message']"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' -d '{"name":"x","limit":true}'
error_is "wrong JSON type" 400 bad_request
req POST "$URL/v1/screen" -H 'Content-Type: text/plain' -d 'name=x'
error_is "wrong content type" 415 unsupported_media_type
req GET "$URL/v1/nothing"
error_is "unknown path" 404 not_found
req PUT "$URL/v1/screen"
error_is "wrong method" 405 method_not_allowed
check "405 carries Allow" header_has Allow "GET, HEAD, POST"
req GET "$URL/v1/screen/batch"
error_is "GET on batch" 405 method_not_allowed

# --- batch -----------------------------------------------------------------------------------
printf '{"name":"Kim Jong Un","ref":"a1"}\n{"name":"Korea Mining Development Trading","type":"organization","ref":7}\nnot json\n{"name":""}\n\n{"name":"Artavil","id":"imo:9187629"}\n' >"$T/in.jsonl"
req POST "$URL/v1/screen/batch?limit=1" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/in.jsonl"
status_is "batch JSON lines" 200
check "batch content type" header_has Content-Type "application/x-ndjson"
check "batch counts header" header_has X-Cordon-Batch "rows=5; errors=2; rows_with_hits=3; hits=3"
check "batch output: one line per input row, in order" python3 - "$BODY" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert [r["line"] for r in rows] == [1, 2, 3, 4, 6], rows
assert rows[0]["ref"] == "a1" and rows[0]["results"][0]["id"] == "ofac-sdn:20157"
assert rows[1]["ref"] == "7" and rows[1]["results"][0]["id"] == "un:KPe.001"
assert rows[2]["error"].startswith("body:3: not a JSON object"), rows[2]
assert rows[3]["error"] == "name: required field is empty"
assert rows[4]["results"][0]["id"] == "ofac-sdn:15036"
assert all(len(r.get("results", [])) <= 1 for r in rows)
EOF
printf 'name,type,ref\nKim Jong Un,person,r1\n"Korea Mining Development Trading",organization,r2\n' >"$T/in.csv"
req POST "$URL/v1/screen/batch?limit=1&out=csv" -H 'Content-Type: text/csv' --data-binary @"$T/in.csv"
status_is "batch CSV" 200
check "batch CSV output" python3 - "$BODY" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert [(r["line"], r["ref"], r["source"], r["source_id"]) for r in rows] == [
    ("2", "r1", "ofac-sdn", "20157"), ("3", "r2", "un", "KPe.001")], rows
EOF
req POST "$URL/v1/screen/batch?format=csv" --data-binary @"$T/in.csv"
check "format=csv answers JSON lines" python3 -c "import json,sys; [json.loads(l) for l in open('$BODY')]"
printf 'kind,ref\nx,1\n' >"$T/noname.csv"
req POST "$URL/v1/screen/batch" -H 'Content-Type: text/csv' --data-binary @"$T/noname.csv"
error_is "CSV without a name column" 400 bad_request
jcheck "the error names the body and line" "d['error']['message'] == \"body:1: header has no 'name' column\""
req POST "$URL/v1/screen/batch" -H 'Content-Type: application/x-ndjson' --data-binary ''
error_is "empty batch" 400 bad_request
req POST "$URL/v1/screen/batch" -H 'Content-Type: image/png' --data-binary 'x'
error_is "batch with a wrong type" 415 unsupported_media_type
req POST "$URL/v1/screen/batch?name=x" -H 'Content-Type: application/x-ndjson' --data-binary '{"name":"x"}'
error_is "batch with a name in the URL" 400 bad_request
req POST "$URL/v1/screen/batch?sources=nolist" -H 'Content-Type: application/x-ndjson' --data-binary '{"name":"x"}'
error_is "batch with an unknown source" 400 bad_request
python3 -c "
import sys
names = ['Kim Jong Un', 'Korea Mining Development Trading', 'Artavil', 'John Smith', 'Ali Hassan']
sys.stdout.write(''.join('{\"name\":\"%s\",\"ref\":%d}\n' % (names[i % 5], i) for i in range(3000)))" >"$T/b3k.jsonl"
rss() { awk '/VmRSS/ {print $2}' "/proc/$PID_api/status"; }
ROUNDS=12
ldd "$CORDON" | grep -q libasan && ROUNDS=1 # ASan's quarantine holds freed memory: no RSS test
for i in $(seq 1 $ROUNDS); do
    curl -s -o "$T/b3k.out" -X POST -H 'Content-Type: application/x-ndjson' --data-binary @"$T/b3k.jsonl" "$URL/v1/screen/batch?limit=1"
    [ "$i" -eq 2 ] && RSS2=$(rss)
done
check "batch: 3000 rows out" test "$(wc -l <"$T/b3k.out")" -eq 3000
if [ "$ROUNDS" -gt 2 ]; then
    RSS12=$(rss)
    echo "batch memory: ${RSS2} kB after 2 batches of 3000 rows, ${RSS12} kB after $ROUNDS"
    check "batch memory stays flat over 10 more batches (< 4 MB growth)" test $((RSS12 - RSS2)) -lt 4096
fi
check "no temporary batch files are left behind" bash -c "[ -z \"\$(ls -A '$T/tmp')\" ]"

# --- lists, health, metrics --------------------------------------------------------------------
req GET "$URL/v1/lists"
status_is "lists" 200
cp "$BODY" "$T/lists.json"
"$CORDON" lists --json --snapshot "$SNAP" >"$T/cli_lists.json"
check "lists: same sources and counts as the CLI" python3 - "$T/lists.json" "$T/cli_lists.json" <<'EOF'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert [s["name"] for s in a["sources"]] == ["un", "ofac-sdn", "ofac-cons", "us-csl", "bis-dpl"]
assert a["sources"] == b["sources"]
for k in ("format_version", "built_at", "sha256", "entities", "names"):
    assert a["snapshot"][k] == b["snapshot"][k], k
assert a["snapshot"]["generation"] == 1 and a["snapshot"]["age_seconds"] >= 0
assert a["snapshot"]["entities"] == sum(s["entities"] for s in a["sources"])
EOF
req HEAD "$URL/healthz"
status_is "HEAD healthz" 200
req GET "$URL/readyz"
jcheck "readyz" "d['status'] == 'ready' and len(d['sha256']) == 64"
req GET "$URL/metrics"
status_is "metrics" 200
check "metrics content type" header_has Content-Type "text/plain; version=0.0.4"
check "metrics: screen 200s counted" grep -qE '^cordon_http_requests_total\{endpoint="screen",status="200"\} [1-9]' "$BODY"
check "metrics: 400s counted by error code" grep -qE '^cordon_http_errors_total\{endpoint="screen",code="bad_request"\} [1-9]' "$BODY"
check "metrics: latency histogram" grep -qE '^cordon_http_request_duration_seconds_bucket\{endpoint="screen",le="\+Inf"\} [1-9]' "$BODY"
check "metrics: snapshot gauges" grep -qE '^cordon_snapshot_entities [0-9]+$' "$BODY"
check "metrics: snapshot age" grep -qE '^cordon_snapshot_age_seconds [0-9]+$' "$BODY"
check "metrics: one engine open" grep -qE '^cordon_engines_open 1$' "$BODY"

# --- keep-alive, request ids, access log --------------------------------------------------------
curl -sv "$URL/healthz" "$URL/healthz" "$URL/v1/screen?name=x" -o /dev/null -o /dev/null -o /dev/null 2>"$T/keepalive.txt"
check "keep-alive: three requests on one connection" grep -q "Re-using existing connection" "$T/keepalive.txt"
check "keep-alive: no Connection: close" bash -c "! grep -qi '< Connection: close' '$T/keepalive.txt'"
req GET "$URL/healthz" -H 'X-Request-ID: abc-123'
check "X-Request-ID echoed" header_has X-Request-ID "abc-123"
req GET "$URL/healthz" -H 'X-Request-ID: bad id with spaces'
check "unsafe X-Request-ID replaced" bash -c "grep -i '^X-Request-ID:' '$HDRS' | grep -qE ': [0-9a-f]{16}'"
check "access log: JSON lines with id, status and timing" python3 - "$T/api.log" <<'EOF'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
acc = [l for l in lines if "request_id" in l]
assert len(acc) > 40, len(acc)
assert all({"time", "request_id", "client", "method", "path", "status", "duration_ms"} <= set(l) for l in acc)
assert any(l["request_id"] == "abc-123" and l["status"] == 200 for l in acc)
assert any(l["status"] == 404 and l.get("error") == "not_found" for l in acc)
assert all(l["duration_ms"] >= 0 for l in acc)
EOF

check "every path of docs/api.yaml is served (none answers 404)" python3 - "$REPO/docs/api.yaml" "$URL" <<'EOF'
import re, sys, urllib.request, urllib.error
paths = re.findall(r"^  (/[^:\s]*):\s*$", open(sys.argv[1]).read(), re.M)
assert len(paths) >= 12, paths
for p in paths:
    try:
        urllib.request.urlopen(sys.argv[2] + p.replace("{dataset}", "default"), timeout=5)
    except urllib.error.HTTPError as e:
        assert e.code in (400, 405), (p, e.code)
EOF

check "SIGTERM: clean exit" stop_server api
finish
