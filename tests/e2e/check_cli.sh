#!/usr/bin/env bash
# End-to-end: `cordon check` as a user runs it - the scenario fixtures, the ordinary set, JSON
# output, standard input, flat CSV, a file with bad lines, an empty file and a bad rules file.
# Usage: check_cli.sh CORDON_BINARY REPO_DIR
set -u
BIN=$1
REPO=$2
FX=$REPO/tests/fixtures/tx
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../support/check.sh"

SNAP=$T/test.snap
"$BIN" build --config "$REPO/data/sources.conf" --out "$SNAP" >"$T/build.out" 2>&1
check "build succeeds" test $? -eq 0
export CORDON_SNAPSHOT=$SNAP CORDON_RULES=$REPO/data/rules CORDON_CONTROLS=$REPO/data/controls

"$BIN" check "$FX/scenarios.jsonl" >"$T/scn.txt" 2>"$T/scn.err"
check "scenarios: exit 0" test $? -eq 0
check "scenarios: terminal report names the decisions" grep -q "^BLOCK  SCN-BERLIN-1" "$T/scn.txt"
check "scenarios: terminal report shows the citation" grep -q "source: S/RES/2321 (2016)" "$T/scn.txt"
check "scenarios: summary on stderr" grep -q "3 transactions: 0 clear, 0 review, 3 block, 0 bad records" "$T/scn.err"

"$BIN" check "$FX/scenarios.jsonl" --json >"$T/scn.jsonl" 2>/dev/null
check "scenarios --json: expected flags per case" py "
import json
rows = [json.loads(l) for l in open('$T/scn.jsonl')]
ids = {r['id']: {f['id'] for f in r['flags']} for r in rows}
assert {'DPRK-MISSION', 'GEN-CASH-PAYMENT', 'GEN-FORWARDER-END-USER', 'GEN-CONTROLLED-TO-CONCERN'} <= ids['SCN-BERLIN-1'], ids
assert {'GEN-TECHNOLOGY-ENQUIRY', 'GEN-END-USE-RESEARCH-MISSILE', 'DPRK-ROUTE'} <= ids['SCN-ENQUIRY-1'], ids
assert {'DPRK-COAL-NEAR-PORT', 'GEN-VESSEL-IMO-INVALID'} <= ids['SCN-LC-COAL-1'], ids
assert all(r['versions']['rules'].startswith('dprk@') and len(r['versions']['snapshot']) == 64 for r in rows)
"

"$BIN" check - --json <"$FX/ordinary.jsonl" >"$T/ord.jsonl" 2>"$T/ord.err"
check "ordinary via stdin: all 250 clear" py "
import json
rows = [json.loads(l) for l in open('$T/ord.jsonl')]
assert len(rows) == 250 and all(r['decision'] == 'clear' for r in rows), len(rows)
"

"$BIN" check "$FX/flat.csv" --json >"$T/csv.jsonl" 2>/dev/null
check "flat CSV: bad row exits 1" test $? -eq 1
check "flat CSV: error record names line and field" grep -q '"error":"line 4: parties\[0\].country: unknown country' "$T/csv.jsonl"
check "flat CSV: 4 records" test "$(wc -l <"$T/csv.jsonl")" -eq 4

printf '%s\n' '{"id":"ok","parties":[{"role":"buyer","name":"Alder Foods GmbH","country":"DE"}]}' \
  '{"id":"broken",' '{"id":"ok2","goods":[{"description":"green tea","hs":"0902.10"}]}' >"$T/bad.jsonl"
"$BIN" check "$T/bad.jsonl" >"$T/bad.txt" 2>&1
check "bad line: exit 1" test $? -eq 1
check "bad line: error names the line" grep -q "^ERROR  line 2:" "$T/bad.txt"
check "bad line: the rest is checked" grep -q "^CLEAR  ok2" "$T/bad.txt"

: >"$T/empty.jsonl"
"$BIN" check "$T/empty.jsonl" >"$T/empty.txt" 2>&1
check "empty file: exit 1" test $? -eq 1
check "empty file: says so" grep -q "empty file" "$T/empty.txt"

echo '{"pack":"x","version":"1","rules":[{"id":"X1","severity":"review","weight":5,"explanation":"e","citation":"c","when":{"shell":"ls"}}]}' >"$T/bad-rules.json"
"$BIN" check "$FX/scenarios.jsonl" --rules-file "$T/bad-rules.json" >"$T/br.txt" 2>&1
check "bad rules: exit 1" test $? -eq 1
check "bad rules: names file, rule and operator" grep -q "bad-rules.json: rule X1: unknown operator: shell" "$T/br.txt"

"$BIN" check >/dev/null 2>&1
check "no file: usage exit 2" test $? -eq 2

check_finish "check_cli"
