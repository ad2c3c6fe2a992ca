#!/usr/bin/env bash
# Reliability: SIGKILL `cordon update`, `counterparties import` and `rescreen --full` at random
# points (RUNS times, default 102: 34 of each), and after every kill check that the audit chain verifies,
# the live snapshot opens, no decision is lost, and the next run completes the work (the
# snapshot served is live, no re-screen is left pending, the counterparty count is right).
# With CORDON_TEST_PG set (tests/support/pg.sh) the store is a fresh PostgreSQL database on
# that server and the checks query it with psql; otherwise SQLite.
# Usage: store_crash.sh CORDON_BINARY REPO_DIR [RUNS]
set -u
BIN=$1
REPO=$2
RUNS=${3:-102}
FX=$REPO/tests/fixtures/update
T=$(mktemp -d)
SERVER_PID=
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
cp "$BIN" "$T/cordon" && BIN=$T/cordon # immune to a rebuild while the test runs
fails=0
fail() { echo "FAIL (run $i, $op, killed after ${delay}s): $*"; fails=$((fails + 1)); }
source "$(dirname "$0")/../support/python.sh"

mkdir -p "$T/www"
cp "$FX/mine_v1.csv" "$T/www/mine.csv"
source "$REPO/tests/support/list_server.sh"
start_list_server "$T/www" "$T/port" s3cret
SERVER_PID=$LIST_PID PORT=$LIST_PORT
printf 'keep 3\nmax_drop 0.5\nsource mine user-csv http://127.0.0.1:%s/mine.csv\n' "$PORT" >"$T/update.conf"
export CORDON_STORE=$T/store CORDON_SNAPSHOT=$T/live.snap CORDON_USER=crash
NAME=store_crash
if [ -n "${CORDON_TEST_PG:-}" ]; then
  db=cordon_crash_$$
  psql "$CORDON_TEST_PG" -qAtc "CREATE DATABASE $db" || { echo "FAIL: cannot create database $db"; exit 1; }
  export CORDON_STORE=${CORDON_TEST_PG%/*}/$db CORDON_STORE_DIR=$T/store
  NAME=store_crash_pg
  q() { psql "$CORDON_STORE" -qAtc "$1"; }
  integrity() { [ "$(q 'SELECT 1')" = 1 ]; } # the server keeps its own files consistent
else
  q() { sqlite3 "$T/store/cordon.db" "$1"; }
  integrity() { [ "$(q 'PRAGMA integrity_check')" = ok ]; }
fi
# Two versions of 6,000 counterparties (B renames 600 and adds 1,000) so an import and a
# re-screen last long enough to be killed in the middle.
python3 - "$T" <<'PY'
import sys
t = sys.argv[1]
for tag, n, renamed in (("a", 6000, 0), ("b", 7000, 600)):
    with open(f"{t}/cp_{tag}.csv", "w") as f:
        f.write("ref,name,type,country\n")
        f.write("X-1,Karimov Aerospace Alloys Trading,organization,UZ\n")
        for i in range(n):
            name = f"Company {i} Renamed Holdings" if i < renamed else f"Trading Company Number {i}"
            f.write(f"R-{i},{name},organization,GB\n")
PY
"$BIN" counterparties import "$T/cp_a.csv" >/dev/null || { echo "setup import failed"; exit 1; }
"$BIN" update --config "$T/update.conf" >/dev/null 2>&1 || { echo "setup update failed"; exit 1; }
expect_cp=6001
killed=0
for i in $(seq "$RUNS"); do
  case $((i % 3)) in
    0) op=import; f=$T/cp_a.csv; [ $((i % 2)) -eq 0 ] && f=$T/cp_b.csv
       cmd=("$BIN" counterparties import "$f") ;;
    1) op=update
       if [ $((i % 2)) -eq 0 ]; then cp "$FX/mine_v2.csv" "$T/www/mine.csv"; else cp "$FX/mine_v1.csv" "$T/www/mine.csv"; fi
       cmd=("$BIN" update --config "$T/update.conf") ;;
    2) op=rescreen; cmd=("$BIN" rescreen --full) ;;
  esac
  decisions_before=$(q "SELECT count(*) FROM decisions")
  delay=$(printf "0.%03d" $((RANDOM % 200)))
  "${cmd[@]}" >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  if grep -q "^State:.*[RSD]" "/proc/$pid/status" 2>/dev/null; then killed=$((killed + 1)); fi
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  # consistency right after the kill
  "$BIN" audit verify >/dev/null 2>"$T/err" || fail "audit chain broken: $(cat "$T/err")"
  [ $((i % 10)) -eq 0 ] && { integrity || fail "database integrity"; }
  if [ -e "$T/live.snap" ]; then "$BIN" lists --snapshot "$T/live.snap" >/dev/null 2>&1 || fail "live snapshot unreadable"; fi
  [ "$(q "SELECT count(*) FROM decisions")" -ge "$decisions_before" ] || fail "a decision was lost"
  # the next run completes the work
  "${cmd[@]}" >/dev/null 2>"$T/err" || fail "rerun failed: $(cat "$T/err")"
  [ "$op" = import ] && { [ "$f" = "$T/cp_b.csv" ] && expect_cp=7001; }
  state=$(q "SELECT (SELECT count(*) FROM counterparties) || ' ' || (SELECT count(*) FROM list_versions WHERE rescreen_pending = 1)")
  [ "${state% *}" = "$expect_cp" ] || fail "counterparties: ${state% *} != $expect_cp"
  [ "${state#* }" = 0 ] || fail "re-screen left pending"
  if [ "$op" = update ]; then
    want=$(($(wc -l <"$T/www/mine.csv") - 1))
    got=$("$BIN" lists --json --snapshot "$T/live.snap" | python3 -c "import json,sys; print(json.load(sys.stdin)['sources'][0]['entities'])")
    [ "$got" = "$want" ] || fail "live snapshot has $got entries, served list has $want"
    [ $((i % 2)) -eq 0 ] && { [ "$(q "SELECT count(*) FROM alerts a JOIN counterparties c ON c.id = a.counterparty_id WHERE c.ref = 'X-1' AND a.source_id = 'M11'")" = 1 ] || fail "alert for the added entry missing"; }
  fi
  open_alert=$(q "SELECT id FROM alerts WHERE status = 'open' LIMIT 1")
  [ -n "$open_alert" ] && "$BIN" alerts decide "$open_alert" escalated --reason "run $i" --who crash >/dev/null
done
"$BIN" audit verify >/dev/null || fail "final audit verify"
echo "$NAME: $RUNS runs, $killed killed while running, $fails failures"
test $fails -eq 0
