#!/usr/bin/env bash
# server_store.sh - the case store and list updates over HTTP (`cordon serve --store`):
#   - import counterparties as CSV and JSON lines (a UN-listed DPRK entity raises alerts), list
#     and search them, list alerts, show one, decide it (bad outcome 400, unknown alert 404),
#     find the decision in /v1/audit with the chain verified; a bad row is a 400 naming the
#     line and keeps nothing; with API keys the key id is in the audit trail;
#   - concurrency: while POST /v1/admin/update runs against a loopback list server and a
#     few-thousand-counterparty import and full re-screen run, a loop of /v1/screen requests
#     all answer 200;
#   - the scheduler (--update-interval 1) records a list version by itself, and SIGTERM stops
#     the server cleanly.
# usage: bash server_store.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"
FX=$REPO/tests/fixtures/update
LIST_PID=
trap '[ -n "$LIST_PID" ] && kill "$LIST_PID" 2>/dev/null; cleanup' EXIT

build_snapshot
cp "$SNAP" "$T/live.snap"
# The fixture list server: the bundled UN list and a small user list, with ETags.
mkdir -p "$T/www"
cp "$REPO/data/lists/un/consolidated_2026-02-27.xml" "$T/www/un.xml"
cp "$FX/mine_v1.csv" "$T/www/mine.csv"
source "$REPO/tests/support/list_server.sh"
start_list_server "$T/www" "$T/list.port" s3cret
LPORT=$LIST_PORT
cat >"$T/update.conf" <<CONF
keep 2
max_drop 0.20
source un un-xml http://127.0.0.1:$LPORT/un.xml
source mine user-csv http://127.0.0.1:$LPORT/mine.csv
CONF

SNAPSHOT_OVERRIDE="$T/live.snap" start_server st --threads 2 --store "$T/store" \
    --update-config "$T/update.conf" || exit 1
CSV=(-H "Content-Type: text/csv")
JSONL=(-H "Content-Type: application/x-ndjson")
JSON=(-H "Content-Type: application/json")

# --- before anything is imported ----------------------------------------------------------
req GET "$URL/v1/counterparties"
status_is "empty store lists" 200
jcheck "no counterparties yet" "d == {'counterparties': [], 'total': 0, 'total_exact': True, 'offset': 0, 'limit': 100}"

# --- import ----------------------------------------------------------------------------------
cat >"$T/cp.csv" <<'EOF'
ref,name,type,dob,country,id
C-1,Korea Mining Development Trading Corporation,organization,,KP,
C-2,Acme Industrial Supplies Ltd,organization,,GB,
C-3,Maria Gonzalez,person,1984-03-01,ES,
EOF
req POST "$URL/v1/counterparties" "${CSV[@]}" --data-binary @"$T/cp.csv"
status_is "CSV import" 200
jcheck "CSV import counts" "d['rows'] == 3 and d['inserted'] == 3 and d['updated'] == 0 and d['unchanged'] == 0"
jcheck "import re-screens the new counterparties" "d['rescreen']['counterparties'] == 3 and d['rescreen']['new_alerts'] >= 1 and d['rescreen']['hits'] >= 1 and d['rescreen']['run'] >= 1"
printf '%s\n' '{"ref":"C-3","name":"Maria Gonzalez Ruiz","type":"person","dob":"1984-03-01","country":"ES"}' \
    '{"ref":"C-4","name":"Pacific Rim Components","type":"organization","country":"SG"}' \
    '{"ref":"C-2","name":"Acme Industrial Supplies Ltd","type":"organization","country":"GB"}' >"$T/cp.jsonl"
req POST "$URL/v1/counterparties?rescreen=false" "${JSONL[@]}" --data-binary @"$T/cp.jsonl"
status_is "JSON lines import" 200
jcheck "JSON lines: 1 new, 1 updated, 1 unchanged, no re-screen" "d['rows'] == 3 and d['inserted'] == 1 and d['updated'] == 1 and d['unchanged'] == 1 and d['rescreen']['counterparties'] == 0 and d['rescreen'].get('skipped') is True"
req GET "$URL/v1/counterparties?limit=2&offset=1"
jcheck "page 2 of the counterparties, total 4" "d['total'] == 4 and [c['ref'] for c in d['counterparties']] == ['C-2', 'C-3']"
req GET "$URL/v1/counterparties?q=korea"
jcheck "search by name" "d['total'] == 1 and d['counterparties'][0]['ref'] == 'C-1' and d['counterparties'][0]['open_alerts'] >= 1"
req GET "$URL/v1/counterparties?q=C-4"
jcheck "search by ref; the unscreened one is pending" "[c['ref'] for c in d['counterparties']] == ['C-4'] and d['counterparties'][0]['pending'] == 1"
req GET "$URL/v1/counterparties?limit=1001"
error_is "limit over 1000" 400 bad_request

# A bad row: 400 naming the line, nothing kept.
printf 'ref,name\nC-10,Fine Row Ltd\nC-11,\n' >"$T/bad.csv"
req POST "$URL/v1/counterparties" "${CSV[@]}" --data-binary @"$T/bad.csv"
error_is "bad row" 400 bad_request
jcheck "bad row names line 3 of the body" "d['error']['message'].startswith('body:3: ') and 'name' in d['error']['message'] and '/tmp' not in d['error']['message']"
printf '%s\n' '{"ref":"C-12","name":"Fine"}' 'not json' >"$T/bad.jsonl"
req POST "$URL/v1/counterparties" "${JSONL[@]}" --data-binary @"$T/bad.jsonl"
jcheck "bad JSON line names line 2" "d['error']['status'] == 400 and d['error']['message'].startswith('body:2: ')"
req GET "$URL/v1/counterparties"
jcheck "nothing kept from the bad imports" "d['total'] == 4"
req POST "$URL/v1/counterparties" -H "Content-Type: image/png" --data-binary 'x'
error_is "unsupported import type" 415 unsupported_media_type
req POST "$URL/v1/counterparties" "${CSV[@]}" --data-binary ''
error_is "empty import body" 400 bad_request

# --- alerts and decisions --------------------------------------------------------------------
req GET "$URL/v1/alerts?status=open"
status_is "open alerts" 200
jcheck "the DPRK entity raised a UN alert" "any(a['counterparty']['ref'] == 'C-1' and a['source'] == 'un' and a['status'] == 'open' for a in d['alerts'])"
AID=$(python3 -c "import json; print([a['id'] for a in json.load(open('$BODY'))['alerts'] if a['source'] == 'un'][0])")
req GET "$URL/v1/alerts?status=maybe"
error_is "bad alert status" 400 bad_request
req GET "$URL/v1/alerts/$AID"
status_is "show alert" 200
jcheck "alert has the listed entity and no decision yet" "d['id'] == $AID and d['entity']['source'] == 'un' and d['counterparty']['country'] == 'KP' and d['decisions'] == []"
req GET "$URL/v1/alerts/999999"
error_is "unknown alert" 404 not_found
req GET "$URL/v1/alerts/x1"
error_is "bad alert id" 400 bad_request
req GET "$URL/v1/alerts/1/comments"
error_is "no such alert endpoint" 404 not_found
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"maybe","reason":"r","who":"alice"}'
error_is "bad outcome" 400 bad_request
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"true_match","who":"alice"}'
error_is "missing reason" 400 bad_request
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"true_match","reason":"same entity"}'
error_is "missing who" 400 bad_request
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"true_match","reason":"x","who":"bob","second_approver":"bob"}'
error_is "second approver must differ" 400 bad_request
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"true_match","reason":"r","who":"a","extra":1}'
error_is "unknown decision field" 400 bad_request
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" -d '{"outcome":"true_match",'
error_is "truncated decision JSON" 400 bad_request
req POST "$URL/v1/alerts/999999/decision" "${JSON[@]}" -d '{"outcome":"escalated","reason":"r","who":"alice"}'
error_is "decision on an unknown alert" 404 not_found
req GET "$URL/v1/alerts/$AID/decision"
error_is "GET on a decision" 405 method_not_allowed
req POST "$URL/v1/alerts/$AID/decision" "${JSON[@]}" \
    -d '{"outcome":"true_match","reason":"same entity: KOMID, UN KPe.001","who":"alice","second_approver":"carol"}'
status_is "decision" 201
jcheck "the alert after the decision" "d['id'] == $AID and d['status'] == 'decided' and d['outcome'] == 'true_match' and d['decisions'][-1]['who'] == 'alice' and d['decisions'][-1]['second_approver'] == 'carol'"
req GET "$URL/v1/alerts?status=decided"
jcheck "decided list has it" "[a['id'] for a in d['alerts']] == [$AID]"

# --- audit and updates -----------------------------------------------------------------------
req GET "$URL/v1/audit?action=decide"
status_is "audit" 200
jcheck "the decision is in the audit log, chain verified" "d['verified'] is True and d['checked'] >= 5 and len(d['records']) == 1 and d['records'][0]['actor'] == 'alice' and d['records'][0]['subject'] == 'alert $AID' and 'error' not in d"
req GET "$URL/v1/audit?limit=2"
jcheck "audit limit, newest first" "len(d['records']) == 2 and d['records'][0]['seq'] > d['records'][1]['seq']"
req GET "$URL/v1/updates"
jcheck "no list version yet, one screening run" "d['versions'] == [] and len(d['screenings']) == 1 and d['screenings'][0]['kind'] == 'pending'"
req GET "$URL/v1/admin/update"
jcheck "no update has run" "d['running'] is False and d['started_at'] is None and d['runs'] == 0"

# --- concurrency: an update, an import and a full re-screen while screening goes on --------
python3 - "$T/many.csv" <<'EOF'
import random, sys
random.seed(7)
a = ["Global", "Pacific", "Northern", "Eastern", "United", "Royal", "Golden", "Silver", "Prime", "Delta"]
b = ["Trading", "Logistics", "Machinery", "Electronics", "Shipping", "Metals", "Chemicals", "Textiles"]
c = ["Ltd", "LLC", "GmbH", "SA", "Co", "Corp", "BV", "Pte Ltd", "AG", "Inc"]
with open(sys.argv[1], "w") as f:
    f.write("ref,name,type,country\n")
    for i in range(4000):
        f.write("M%05d,%s %s %s %d,organization,%s\n" % (i, random.choice(a), random.choice(b),
                random.choice(c), i, random.choice(["GB", "DE", "SG", "AE", "CN", "US"])))
EOF
python3 - "$PORT" "$T/many.csv" "$T/conc.json" <<'EOF'
import http.client, json, sys, threading, time
port, csv, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
state = {"import": None, "rescreen": None, "update_post": None, "update_busy": True, "heavy": 0}
lock = threading.Lock()
res = {"screens": 0, "bad": [], "during_update": 0, "during_heavy": 0, "max_ms": 0.0}

def call(method, path, body=None, headers=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body, headers or {})
    r = c.getresponse()
    d = r.read()
    c.close()
    return r.status, json.loads(d)

def heavy(name, method, path, body=None, headers=None):
    with lock:
        state["heavy"] += 1
    try:
        state[name] = call(method, path, body, headers)
    finally:
        with lock:
            state["heavy"] -= 1

def importer():
    heavy("import", "POST", "/v1/counterparties", open(csv, "rb").read(), {"Content-Type": "text/csv"})
    # then a full re-screen of everything in the store
    heavy("rescreen", "POST", "/v1/admin/rescreen?full=true")

def screener():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while state["update_busy"] or state["heavy"] or state["import"] is None or state["rescreen"] is None:
        t0 = time.time()
        busy_u, busy_h = state["update_busy"], state["heavy"]
        try:
            c.request("GET", "/v1/screen?name=Korea+Mining+Development+Trading+Corporation&limit=1")
            r = c.getresponse()
            d = json.loads(r.read())
            good = r.status == 200 and len(d["results"]) == 1
        except Exception as e:
            good, d = False, repr(e)
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        ms = (time.time() - t0) * 1000
        with lock:
            res["screens"] += 1
            res["max_ms"] = max(res["max_ms"], ms)
            if busy_u:
                res["during_update"] += 1
            if busy_h:
                res["during_heavy"] += 1
            if not good:
                res["bad"].append(str(d)[:200])

threads = [threading.Thread(target=screener) for _ in range(4)]
for t in threads:
    t.start()
imp = threading.Thread(target=importer)
imp.start()
state["update_post"] = call("POST", "/v1/admin/update")
state["update_again"] = call("POST", "/v1/admin/update")
deadline = time.time() + 120
while time.time() < deadline:
    s, d = call("GET", "/v1/admin/update")
    if not d["running"]:
        break
    time.sleep(0.05)
state["update_status"] = d
state["update_busy"] = False
imp.join()
for t in threads:
    t.join()
res.update({k: state[k] for k in ("import", "rescreen", "update_post", "update_again", "update_status")})
json.dump(res, open(out, "w"))
EOF
cp "$T/conc.json" "$BODY"
jcheck "screening answered 200 throughout" "d['screens'] > 20 and d['bad'] == []"
jcheck "screens were answered while the update ran" "d['during_update'] > 0"
jcheck "screens were answered while the import and re-screen ran" "d['during_heavy'] > 0"
jcheck "update started (202)" "d['update_post'] == [202, {'started': True}]"
jcheck "a second update while one runs: 409" "d['update_again'][0] == 409 and d['update_again'][1]['error']['code'] == 'conflict'"
jcheck "the update changed the lists and was swapped in" "d['update_status']['ok'] is True and d['update_status']['changed'] is True and d['update_status']['refused'] is False and d['update_status']['reloaded'] is True and d['update_status']['version'] != '' and d['update_status']['diff']['added'] > 0 and d['update_status']['trigger'] == 'api' and d['update_status']['finished_at'] is not None"
jcheck "4000 counterparties imported and screened" "d['import'][0] == 200 and d['import'][1]['inserted'] == 4000 and d['import'][1]['rescreen']['counterparties'] >= 4000"
jcheck "full re-screen of everything" "d['rescreen'][0] == 200 and d['rescreen'][1]['mode'] == 'full' and d['rescreen'][1]['rescreen']['counterparties'] >= 4004"
echo "concurrency: $(python3 -c "import json; d=json.load(open('$T/conc.json')); u = d['update_status']; print('%d screens, %d during the update (%s to %s), %d during import/re-screen (%.2f s + %.2f s screening), max %.1f ms' % (d['screens'], d['during_update'], u['started_at'], u['finished_at'], d['during_heavy'], d['import'][1]['rescreen']['seconds'], d['rescreen'][1]['rescreen']['seconds'], d['max_ms']))")"
req GET "$URL/readyz"
jcheck "the new snapshot serves (generation 2, the fixture lists)" "d['generation'] == 2 and d['entities'] < 5000"
req GET "$URL/v1/updates?limit=5"
jcheck "the version is listed" "len(d['versions']) == 1 and d['versions'][0]['rescreen_pending'] == 0"
check "update metrics counted" test "$(metric 'cordon_http_requests_total{endpoint="admin_update",status="202"}')" = 1
check "decision metrics counted" test "$(metric 'cordon_http_requests_total{endpoint="alert",status="201"}')" = 1
check "access log names the endpoint" grep -q '"endpoint":"counterparties","status":200' "$T/st.log"
check "SIGTERM stops the store server" stop_server st

# --- API keys: the key id is in the audit trail ----------------------------------------------
KEY=$("$CORDON" apikey add --name ui --keys "$T/keys" 2>/dev/null)
KID=${KEY:7:12}
SNAPSHOT_OVERRIDE="$T/live.snap" start_server keyed --threads 2 --store "$T/store" --keys "$T/keys" || exit 1
req GET "$URL/v1/alerts"
error_is "store endpoints need the key" 401 unauthorized
req GET "$URL/v1/alerts?status=open&limit=1" -H "Authorization: Bearer $KEY"
AID2=$(python3 -c "import json; print(json.load(open('$BODY'))['alerts'][0]['id'])")
req POST "$URL/v1/alerts/$AID2/decision" -H "Authorization: Bearer $KEY" "${JSON[@]}" \
    -d '{"outcome":"false_positive","reason":"different company","who":"dave"}'
status_is "decision with a key" 201
req GET "$URL/v1/audit?action=api_decide" -H "Authorization: Bearer $KEY"
jcheck "the key id is recorded with the decision" "d['verified'] is True and d['records'][0]['actor'] == 'key $KID' and d['records'][0]['subject'] == 'alert $AID2' and '\"who\":\"dave\"' in d['records'][0]['detail']"
check "SIGTERM stops the keyed server" stop_server keyed

# --- a store that cannot be used: 503, screening unaffected ----------------------------------
: >"$T/not-a-dir"
SNAPSHOT_OVERRIDE="$T/live.snap" start_server nostore --threads 2 --store "$T/not-a-dir/store" || exit 1
req GET "$URL/v1/alerts"
error_is "unusable store" 503 unavailable
req GET "$URL/v1/screen?name=Kim+Jong+Un"
status_is "screening without a store" 200
check "SIGTERM stops it" stop_server nostore

# --- the scheduler ---------------------------------------------------------------------------
cp "$SNAP" "$T/live2.snap"
SNAPSHOT_OVERRIDE="$T/live2.snap" start_server sched --threads 2 --store "$T/store2" \
    --update-config "$T/update.conf" --update-interval 1 || exit 1
req GET "$URL/v1/admin/update"
jcheck "the interval is reported" "d['interval'] == 1"
for _ in $(seq 1 150); do
    req GET "$URL/v1/updates"
    python3 -c "import json,sys; sys.exit(0 if json.load(open('$BODY'))['versions'] else 1)" 2>/dev/null && break
    sleep 0.2
done
jcheck "the scheduler recorded a list version by itself" "len(d['versions']) == 1"
for _ in $(seq 1 100); do
    req GET "$URL/v1/admin/update"
    python3 -c "import json,sys; d=json.load(open('$BODY')); sys.exit(0 if d['runs'] >= 2 and not d['running'] else 1)" 2>/dev/null && break
    sleep 0.1
done
jcheck "it runs again on the interval (unchanged lists: nothing to do)" "d['trigger'] == 'schedule' and d['runs'] >= 2 and d['ok'] is True and d['next_run_at'] is not None"
req GET "$URL/readyz"
jcheck "the scheduled update was swapped in" "d['generation'] == 2"
check "SIGTERM stops the scheduler server" stop_server sched
check "the log shows scheduled runs" grep -q '"event":"update_finished","trigger":"schedule"' "$T/sched.log"
finish
