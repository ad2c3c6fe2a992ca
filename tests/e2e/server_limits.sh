#!/usr/bin/env bash
# server_limits.sh - every limit answers a JSON error with the right status, and bad or hostile
# clients never stop the server from answering others: body size (413, by Content-Length and
# chunked), batch body and rows (413), batches at once (429), header size (431), URL length and
# parameter count (414), connections per client (429) and in total (503), malformed, truncated,
# oversized and non-UTF-8 JSON (400), slowloris-style slow headers while other requests still
# succeed, idle and slow-body timeouts.
# usage: bash server_limits.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

build_snapshot
start_server lim --threads 2 --max-body 4096 --max-batch-body 200000 --max-batch-rows 10 \
    --max-batches 1 --max-header 2048 --max-url 1024 --timeout 2 --body-timeout 2 \
    --max-per-ip 60 --max-connections 100 || exit 1
LIM_URL=$URL
LIM_PORT=$PORT

# --- body size --------------------------------------------------------------------------------
python3 -c "print('{\"name\":\"' + 'a' * 5000 + '\"}')" >"$T/big.json"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary @"$T/big.json"
error_is "body over --max-body (Content-Length)" 413 payload_too_large
check "413 closes the connection" header_has Connection close
req POST "$URL/v1/screen" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$T/big.json"
error_is "body over --max-body (chunked)" 413 payload_too_large
python3 -c "
import sys
sys.stdout.write(''.join('{\"name\":\"Person number %d with a rather long name\"}\n' % i for i in range(5000)))" >"$T/bigbatch.jsonl"
req POST "$URL/v1/screen/batch" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/bigbatch.jsonl"
error_is "batch over --max-batch-body" 413 payload_too_large
head -n 11 "$T/bigbatch.jsonl" >"$T/rows11.jsonl"
req POST "$URL/v1/screen/batch" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/rows11.jsonl"
error_is "batch over --max-batch-rows" 413 payload_too_large
jcheck "rows message" "'more than 10 rows' in d['error']['message']"
head -n 10 "$T/bigbatch.jsonl" >"$T/rows10.jsonl"
req POST "$URL/v1/screen/batch" -H 'Content-Type: application/x-ndjson' --data-binary @"$T/rows10.jsonl"
status_is "batch at the row limit" 200
check "batch at the row limit: 10 rows out" test "$(wc -l <"$BODY")" -eq 10

# --- headers, URL, parameters -----------------------------------------------------------------
BIG=$(python3 -c "print('x' * 3000)")
req GET "$URL/v1/screen?name=x" -H "X-Padding: $BIG"
error_is "headers over --max-header" 431 header_too_large
LONG=$(python3 -c "print('a' * 1100)")
req GET "$URL/v1/screen?name=$LONG"
error_is "URL over --max-url" 414 uri_too_long
MANY=$(python3 -c "print('&'.join('p%d=1' % i for i in range(70)))")
req GET "$URL/v1/screen?$MANY"
error_is "more than 64 parameters" 414 uri_too_long
HUGE=$(python3 -c "print('h' * 40000)")
req GET "$URL/v1/screen?name=x" -H "X-Huge: $HUGE"
check "headers past the memory limit are refused by the HTTP layer" test "$STATUS" = 431 -o "$STATUS" = 413

# --- malformed JSON ---------------------------------------------------------------------------
for body in '{"name":"x"' '{"name":' '[1,2]' '"name"' '{"name":"x",}' '{name:"x"}' '' '{"name":"x"}}' \
    '{"name":"\u0000x"}' '{"name":"x","name":"y"}'; do
    req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary "$body"
    error_is "malformed JSON <$body>" 400 bad_request
done
printf '{"name":"\xff\xfe"}' >"$T/latin.json"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary @"$T/latin.json"
error_is "invalid UTF-8 in JSON" 400 bad_request
printf 'name=%%FF%%FE' >"$T/q"
req GET "$URL/v1/screen?name=%FF%FE"
error_is "invalid UTF-8 in the query string" 400 bad_request
python3 -c "print('[' * 2040 + ']' * 2040)" >"$T/deep.json"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary @"$T/deep.json"
error_is "deeply nested JSON" 400 bad_request
python3 -c "print('{\"name\":\"' + 'b' * 1100 + '\"}')" >"$T/longname.json"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary @"$T/longname.json"
error_is "name over 1024 bytes" 400 bad_request
head -c 3000 /dev/urandom >"$T/random.bin"
req POST "$URL/v1/screen" -H 'Content-Type: application/json' --data-binary @"$T/random.bin"
error_is "binary garbage" 400 bad_request
req POST "$URL/match/default" -H 'Content-Type: application/json' --data-binary '{"queries":{"a":{"schema":"Person","properties":{"name":[["nested"]]}}}}'
error_is "yente: nested arrays" 400 bad_request
req POST "$URL/v1/screen/batch" -H 'Content-Type: text/csv' --data-binary $'name\n"unterminated'
check "batch: unterminated CSV quote is a 400 or an error row" test "$STATUS" = 400 -o "$STATUS" = 200

# --- concurrency: batches, connections per client, connections in total ---------------------------
# A client that sent batch headers and is still sending the body holds the only batch slot.
check "a second batch while one is running: 429" python3 - "$LIM_PORT" <<'EOF'
import json, socket, sys, time, urllib.request, urllib.error
port = int(sys.argv[1])
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"POST /v1/screen/batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-ndjson\r\n"
          b"Content-Length: 100\r\n\r\n{\"name\":")
time.sleep(0.3)
try:
    urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d/v1/screen/batch" % port,
        data=b'{"name":"x"}\n', headers={"Content-Type": "application/x-ndjson"}), timeout=5)
    sys.exit(1)
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    ok = e.code == 429 and body["error"]["code"] == "too_many_requests"
s.close()
time.sleep(0.3)
r = urllib.request.urlopen(urllib.request.Request("http://127.0.0.1:%d/v1/screen/batch" % port,
    data=b'{"name":"x"}\n', headers={"Content-Type": "application/x-ndjson"}), timeout=5)
sys.exit(0 if ok and r.status == 200 else 1)
EOF

start_server perip --threads 2 --max-per-ip 4 || exit 1
check "5th connection from one client: 429, and fine again once others close" python3 - "$PORT" <<'EOF'
import json, socket, sys, time, urllib.request, urllib.error
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(4)]
time.sleep(0.3)
try:
    urllib.request.urlopen("http://127.0.0.1:%d/v1/screen?name=x" % port, timeout=5)
    sys.exit(1)
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    assert e.code == 429 and body["error"]["code"] == "too_many_requests", body
for s in idle:
    s.close()
time.sleep(0.3)
r = urllib.request.urlopen("http://127.0.0.1:%d/v1/screen?name=x" % port, timeout=5)
sys.exit(0 if r.status == 200 else 1)
EOF
check "perip: clean exit" stop_server perip

start_server conns --threads 2 --max-connections 6 --max-per-ip 100 || exit 1
check "past --max-connections: 503" python3 - "$PORT" <<'EOF'
import json, socket, sys, time, urllib.request, urllib.error
port = int(sys.argv[1])
idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(6)]
time.sleep(0.3)
try:
    urllib.request.urlopen("http://127.0.0.1:%d/v1/screen?name=x" % port, timeout=5)
    sys.exit(1)
except urllib.error.HTTPError as e:
    body = json.loads(e.read())
    assert e.code == 503 and body["error"]["code"] == "unavailable", body
for s in idle:
    s.close()
time.sleep(0.3)
sys.exit(0 if urllib.request.urlopen("http://127.0.0.1:%d/healthz" % port, timeout=5).status == 200 else 1)
EOF
check "conns: clean exit" stop_server conns

# --- slow clients -------------------------------------------------------------------------------
URL=$LIM_URL
check "slowloris: 40 slow-header clients, 100 other requests all answered fast" python3 - "$LIM_PORT" <<'EOF'
import socket, sys, threading, time, urllib.request
port = int(sys.argv[1])
stop = threading.Event()
def slow():
    try:
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /v1/screen?name=x HTTP/1.1\r\nHost: x\r\n")
        while not stop.is_set():
            s.sendall(b"X-a: b\r\n")  # a header line now and then, never the blank line
            stop.wait(0.5)
        s.close()
    except OSError:
        pass
threads = [threading.Thread(target=slow) for _ in range(40)]
for t in threads:
    t.start()
time.sleep(0.5)
worst, fails = 0.0, 0
for i in range(100):
    t0 = time.time()
    try:
        r = urllib.request.urlopen("http://127.0.0.1:%d/v1/screen?name=Kim+Jong+Un&limit=1" % port, timeout=5)
        fails += r.status != 200
    except Exception:
        fails += 1
    worst = max(worst, time.time() - t0)
stop.set()
for t in threads:
    t.join()
print("slowloris: %d failures, worst %.3f s" % (fails, worst))
sys.exit(0 if fails == 0 and worst < 2.0 else 1)
EOF
check "idle connection closed after --timeout" python3 - "$LIM_PORT" <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(8)
t0 = time.time()
data = s.recv(100)
sys.exit(0 if data == b"" and 1.5 < time.time() - t0 < 6 else 1)
EOF
check "slow body dropped after --body-timeout" python3 - "$LIM_PORT" <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /v1/screen HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{")
t0 = time.time()
closed = False
try:
    while time.time() - t0 < 10:
        s.sendall(b" ")
        time.sleep(0.3)
except OSError:
    closed = True
if not closed:
    s.settimeout(1)
    try:
        closed = s.recv(100) == b""
    except OSError:
        closed = True
sys.exit(0 if closed and time.time() - t0 < 8 else 1)
EOF
req GET "$URL/healthz"
status_is "still healthy after all that" 200
req GET "$URL/metrics"
for code in payload_too_large header_too_large uri_too_long too_many_requests bad_request; do
    check "metrics count $code" grep -qE "^cordon_http_errors_total\{endpoint=\"[a-z_]+\",code=\"$code\"\} [1-9]" "$BODY"
done
check "lim: clean exit" stop_server lim
finish
