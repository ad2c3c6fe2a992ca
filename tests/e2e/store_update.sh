#!/usr/bin/env bash
# End-to-end: the case store and list updates as an operator runs them, against a loopback
# HTTP server (nothing leaves the machine): import counterparties, update (download, validate,
# swap, delta re-screen, webhooks), refusals (empty, truncated, big drop), diff, decisions,
# audit verify and tampering. With CORDON_TEST_PG set (tests/support/pg.sh) the store is a fresh
# database on that PostgreSQL server (the URI form of the connection string) and the tampering
# is done with psql; otherwise SQLite with sqlite3.
# Usage: store_update.sh CORDON_BINARY REPO_DIR
set -u
BIN=$1
REPO=$2
FX=$REPO/tests/fixtures/update
T=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cp "$BIN" "$T/cordon" && BIN=$T/cordon # immune to a rebuild while the test runs
source "$(dirname "$0")/../support/check.sh"

mkdir -p "$T/www"
cp "$REPO/data/lists/un/consolidated_2026-02-27.xml" "$T/www/un.xml"
cp "$FX/mine_v1.csv" "$T/www/mine.csv"
source "$REPO/tests/support/list_server.sh"
start_list_server "$T/www" "$T/port" s3cret 1
SERVER_PID=$LIST_PID PORT=$LIST_PORT
cat >"$T/update.conf" <<CONF
keep 2
max_drop 0.20
webhook http://127.0.0.1:$PORT/hook s3cret
source un un-xml http://127.0.0.1:$PORT/un.xml
source mine user-csv http://127.0.0.1:$PORT/mine.csv
CONF
export CORDON_STORE=$T/store CORDON_SNAPSHOT=$T/live.snap CORDON_USER=tester
NAME=store_update ON=
if [ -n "${CORDON_TEST_PG:-}" ]; then
  db=cordon_e2e_$$
  psql "$CORDON_TEST_PG" -qAtc "CREATE DATABASE $db" || { echo "FAIL: cannot create database $db"; exit 1; }
  export CORDON_STORE=${CORDON_TEST_PG%/*}/$db CORDON_STORE_DIR=$T/store
  NAME=store_update_pg ON=" ON audit"
  sql() { psql "$CORDON_STORE" -v ON_ERROR_STOP=1 -qAtc "$1"; }
else
  sql() { sqlite3 "$T/store/cordon.db" "$1"; }
fi
U=(--config "$T/update.conf")

"$BIN" counterparties import "$FX/counterparties.csv" >"$T/imp.out" 2>&1
check "import succeeds" test $? -eq 0
check "import counts 8 new" grep -q "8 rows, 8 new, 0 updated, 0 unchanged; 8 in the store" "$T/imp.out"
"$BIN" counterparties import "$FX/counterparties_update.jsonl" >"$T/imp2.out" 2>&1
check "JSON lines import: 1 new, 1 updated, 1 unchanged" grep -q "3 rows, 1 new, 1 updated, 1 unchanged; 9 in the store" "$T/imp2.out"
"$BIN" counterparties import "$FX/bad_missing_name.csv" >"$T/bad.out" 2>&1
check "bad row fails naming file:line" test $? -eq 1
check "bad row message" grep -q "bad_missing_name.csv:3: \`name\` is missing" "$T/bad.out"
"$BIN" counterparties import "$FX/bad_dob.csv" >"$T/bad2.out" 2>&1
check "bad dob names line 2" grep -q "bad_dob.csv:2: \`dob\` '1990-13-45'" "$T/bad2.out"
"$BIN" counterparties import "$FX/empty.csv" >"$T/bad3.out" 2>&1
check "empty file refused" grep -q "empty file" "$T/bad3.out"

# first update: everything is new; webhook fails once (503) and succeeds on the retry
"$BIN" update "${U[@]}" >"$T/u1.out" 2>"$T/u1.err"
check "first update succeeds" test $? -eq 0
check "first update: 1013 added" grep -q ": 1013 added, 0 removed, 0 changed" "$T/u1.out"
check "first update: 2 new alerts" grep -q "2 new alerts" "$T/u1.out"
check "webhook sent after a retry" grep -q "webhooks: 1 sent, 0 failed" "$T/u1.out"
check "webhook signature verified" grep -q '^ok {"event": *"alerts"' "$T/hooks.log"
check "live snapshot swapped in" test -s "$T/live.snap"

"$BIN" update "${U[@]}" >"$T/u2.out" 2>"$T/u2.err"
check "unchanged lists: nothing to do" grep -q "^unchanged" "$T/u2.out"
check "conditional requests: 304" grep -q "un.xml unchanged (304)" "$T/u2.err"

cp "$T/live.snap" "$T/v1.snap"
cp "$FX/mine_v2.csv" "$T/www/mine.csv"
"$BIN" update "${U[@]}" >"$T/u3.out" 2>"$T/u3.err"
check "second update: delta 2 added, 1 removed, 1 changed" grep -q ": 2 added, 1 removed, 1 changed" "$T/u3.out"
check "delta re-screen: 9 counterparties against 3 entries, 2 new alerts" \
  grep -q "re-screened 9 counterparties against 3 entries in .* 2 new alerts" "$T/u3.out"
"$BIN" diff "$T/v1.snap" "$T/live.snap" >"$T/diff.out" 2>"$T/diff.err"
check "diff lists the changes" py "
t = open('$T/diff.out').read().split('\n')
assert 'added    mine:M11' in t and 'added    mine:M12' in t and 'removed  mine:M10' in t and 'changed  mine:M4' in t, t
assert len([l for l in t if l]) == 4"
check "diff counts" grep -q "2 added, 1 removed, 1 changed, 1011 unchanged" "$T/diff.err"

sum_before=$(sha256sum "$T/live.snap")
cp "$FX/mine_v3_drop.csv" "$T/www/mine.csv"
"$BIN" update "${U[@]}" >"$T/r1.out" 2>"$T/r1.err"
check "big drop refused (exit 1)" test $? -eq 1
check "big drop says why" grep -q "source mine: 1 entries, down from 11 (more than the allowed 20% drop)" "$T/r1.err"
: >"$T/www/mine.csv"
"$BIN" update "${U[@]}" >/dev/null 2>"$T/r2.err"
check "empty download refused" grep -q "source mine: .*mine.csv: empty download" "$T/r2.err"
head -c 100000 "$REPO/data/lists/un/consolidated_2026-02-27.xml" >"$T/www/un.xml"
cp "$FX/mine_v2.csv" "$T/www/mine.csv"
"$BIN" update "${U[@]}" >/dev/null 2>"$T/r3.err"
check "truncated XML refused naming the line" grep -q "source un does not validate: .*un.xml:[0-9]*:" "$T/r3.err"
check "previous snapshot kept" test "$(sha256sum "$T/live.snap")" = "$sum_before"
cp "$REPO/data/lists/un/consolidated_2026-02-27.xml" "$T/www/un.xml"

"$BIN" alerts list --status open >"$T/alerts.json"
check "4 open alerts with the right entries" py "
import json; a = json.load(open('$T/alerts.json'))
got = sorted((x['counterparty']['ref'], x['source_id']) for x in a)
assert got == [('C-1002','M1'),('C-1004','M11'),('C-1005','M12'),('C-1006','M4')], got"
"$BIN" alerts decide 1 false_positive --reason "different company" --who alice >/dev/null
check "decision recorded" test $? -eq 0
"$BIN" alerts decide 2 true_match --reason "same" --who bob --second-approver bob 2>"$T/d.err"
check "same second approver refused" grep -q "second approver must be another person" "$T/d.err"
"$BIN" alerts decide 2 true_match --reason "same firm" --who bob --second-approver carol >/dev/null
"$BIN" alerts decide 99 escalated --reason x 2>"$T/d2.err"
check "unknown alert refused" grep -q "alert 99 does not exist" "$T/d2.err"
"$BIN" alerts show 2 >"$T/show.json"
check "show has decision and entity" py "
import json; a = json.load(open('$T/show.json'))
assert a['outcome'] == 'true_match' and a['decisions'][0]['second_approver'] == 'carol'
assert a['entity']['source'] == 'mine' and a['status'] == 'decided'"
"$BIN" rescreen --full >"$T/full.out" 2>&1
check "full re-screen: no duplicate alerts" grep -q "re-screened 9 counterparties against 1014 entries in .* 0 new alerts" "$T/full.out"

"$BIN" audit verify >"$T/av.out"
check "audit chain intact" grep -q "audit log intact: [0-9]* records verified" "$T/av.out"
sql "UPDATE audit SET detail = 'x' WHERE seq = 3" 2>"$T/trig.err"
check "audit rows cannot be updated" grep -q "append-only" "$T/trig.err"
sql "DROP TRIGGER audit_no_update$ON; UPDATE audit SET detail = replace(detail, 'alice', 'mallory') WHERE action = 'decide';"
"$BIN" audit verify >/dev/null 2>"$T/av.err"
check "tampering detected (exit 1)" test $? -eq 1
check "tampering names the record" grep -q "audit record [0-9]* (decide alert 1) was altered" "$T/av.err"

check_finish "$NAME"
