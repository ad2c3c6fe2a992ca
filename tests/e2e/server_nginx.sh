#!/usr/bin/env bash
# server_nginx.sh - two cordon instances behind nginx (TLS, the set-up of docs/deploy.md) on
# loopback: requests keep succeeding while one instance reloads its snapshot and while the
# other is stopped with SIGTERM. Skipped (with a notice) where nginx or openssl is missing.
# usage: bash server_nginx.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

NGINX=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
if [ -z "$NGINX" ] || ! command -v openssl >/dev/null; then
    echo "server_nginx: nginx or openssl not installed: skipped"
    finish
fi

build_snapshot
start_server a --threads 2 --max-per-ip 512 || exit 1
PORT_A=$PORT
start_server b --threads 2 --max-per-ip 512 || exit 1
PORT_B=$PORT
NGX_PORT=$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")

mkdir -p "$T/nginx/logs" "$T/nginx/tmp"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
    -keyout "$T/nginx/server.key" -out "$T/nginx/server.crt" >/dev/null 2>&1
USER_LINE=""
[ "$(id -u)" -eq 0 ] && USER_LINE="user root;"
cat >"$T/nginx/nginx.conf" <<EOF
$USER_LINE
worker_processes 1;
pid $T/nginx/nginx.pid;
error_log $T/nginx/logs/error.log warn;
events { worker_connections 512; }
http {
    access_log $T/nginx/logs/access.log;
    client_body_temp_path $T/nginx/tmp/body;
    proxy_temp_path $T/nginx/tmp/proxy;
    fastcgi_temp_path $T/nginx/tmp/fastcgi;
    uwsgi_temp_path $T/nginx/tmp/uwsgi;
    scgi_temp_path $T/nginx/tmp/scgi;

    # As in docs/deploy.md, with loopback ports and a throw-away certificate.
    upstream cordon {
        server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=2s;
        server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=2s;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$NGX_PORT ssl;
        ssl_certificate $T/nginx/server.crt;
        ssl_certificate_key $T/nginx/server.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        client_max_body_size 64m;
        location / {
            proxy_pass http://cordon;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Request-ID \$request_id;
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 1s;
            proxy_read_timeout 300s;
        }
    }
}
EOF
"$NGINX" -p "$T/nginx" -c "$T/nginx/nginx.conf" -g 'daemon off;' >"$T/nginx/stdout" 2>&1 &
NGX_PID=$!
SERVER_PIDS+=("$NGX_PID")
for _ in $(seq 1 100); do
    curl -sk -o /dev/null "https://127.0.0.1:$NGX_PORT/healthz" && break
    sleep 0.05
done
URL="https://127.0.0.1:$NGX_PORT"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un&limit=1" -k
status_is "through nginx over TLS" 200
jcheck "through nginx: the answer" "d['results'][0]['id'] == 'ofac-sdn:20157'"
check "nginx's request id reaches cordon and comes back" bash -c "grep -qiE '^X-Request-ID: [0-9a-f]{32}' '$HDRS'"

python3 - "$NGX_PORT" "$T/nginx/crt" "$T/load.json" <<'EOF' &
import http.client, json, ssl, sys, threading, time
port, out = int(sys.argv[1]), sys.argv[3]
ctx = ssl._create_unverified_context()
stop_at = time.time() + 7
lock = threading.Lock()
stats = {"ok": 0, "fail": 0, "errors": []}
def client(i):
    conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
    while time.time() < stop_at:
        try:
            if i % 2:
                conn.request("GET", "/v1/screen?name=Kim+Jong+Un&limit=1")
            else:
                conn.request("POST", "/v1/screen", json.dumps({"name": "Kim Jong Un", "limit": 1}),
                             {"Content-Type": "application/json"})
            r = conn.getresponse()
            d = json.loads(r.read())
            good = r.status == 200 and d["results"][0]["id"] == "ofac-sdn:20157"
        except Exception as e:
            good, d = False, repr(e)
            conn.close()
            conn = http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=ctx)
        with lock:
            stats["ok" if good else "fail"] += 1
            if not good:
                stats["errors"].append(str(d)[:200])
threads = [threading.Thread(target=client, args=(i,)) for i in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
json.dump(stats, open(out, "w"))
EOF
LOAD=$!
sleep 1.5
kill -HUP "$PID_a"                                      # instance A reloads
sleep 1
curl -s -o /dev/null -X POST "http://127.0.0.1:$PORT_A/v1/admin/reload"
sleep 1
kill -TERM "$PID_b"                                     # instance B drains and stops
wait "$PID_b"
B_RC=$?
sleep 1
kill -HUP "$PID_a"
wait "$LOAD"
check "instance B stopped cleanly (exit 0)" test "$B_RC" -eq 0
[ "$B_RC" -eq 0 ] || tail -20 "$T/b.log" >&2
check "no failed request during reloads and a shutdown" python3 - "$T/load.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
print("behind nginx: %d requests ok, %d failed %s" % (s["ok"], s["fail"], s["errors"][:3]))
sys.exit(0 if s["fail"] == 0 and s["ok"] > 200 else 1)
EOF
check "both instances served requests" bash -c \
    "[ \$(grep -c '\"endpoint\":\"screen\"' '$T/a.log') -gt 50 ] && [ \$(grep -c '\"endpoint\":\"screen\"' '$T/b.log') -gt 50 ]"
# SIGHUP reloads asynchronously: give the last one up to 10 s (slow under sanitizers).
for _ in $(seq 1 100); do
    req GET "$URL/readyz" -k
    grep -q '"generation":4' "$BODY" && break
    sleep 0.1
done
jcheck "A answers alone, reloaded three times" "d['status'] == 'ready' and d['generation'] == 4"
kill -QUIT "$NGX_PID" 2>/dev/null
wait "$NGX_PID" 2>/dev/null
check "A: clean exit" stop_server a
finish
