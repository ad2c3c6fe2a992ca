#!/usr/bin/env bash
# End-to-end: the cordon command as a user runs it - build, lists, screen (table, JSON, bulk),
# compare, show, and the exit codes and messages for bad input.
# Usage: cli.sh CORDON_BINARY REPO_DIR
set -u
BIN=$1
REPO=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../support/check.sh"

SNAP=$T/test.snap
"$BIN" build --config "$REPO/data/sources.conf" --out "$SNAP" >"$T/build.out" 2>&1
check "build succeeds" test $? -eq 0
export CORDON_SNAPSHOT=$SNAP

"$BIN" lists --json >"$T/lists.json"
check "lists --json counts UN and OFAC" py "
import json; d = json.load(open('$T/lists.json'))
s = {x['name']: x for x in d['sources']}
assert s['un']['by_type']['person'] == 730 and s['un']['by_type']['organization'] == 273, s['un']
assert s['ofac-sdn']['entities'] == 8976, s['ofac-sdn']['entities']
assert s['un']['published'] == '2026-02-27'
assert len(s['un']['sha256']) == 64 and s['un']['regimes']['DPRK'] > 100
assert d['snapshot']['entities'] == sum(x['entities'] for x in d['sources'])
"
"$BIN" lists >"$T/lists.txt"
check "lists table names every source" grep -q "bis-dpl" "$T/lists.txt"

"$BIN" screen "KIM Chong Un" --json >"$T/kim.json"
check "screen --json finds Kim Jong Un with an explanation" py "
import json; d = json.load(open('$T/kim.json'))
r = d['results'][0]
assert r['id'] == 'ofac-sdn:20157', r['id']
assert r['score'] >= 0.99 and r['type'] == 'person' and 'DPRK3' in r['programs']
assert any(e.get('how') == 'variant' for e in r['explanation'])
"
"$BIN" screen "Korea Ryonbong General Corp" --source un --json >"$T/rb.json"
check "--source restricts to one list" py "
import json; d = json.load(open('$T/rb.json'))
assert d['results'] and all(r['source'] == 'un' for r in d['results'])
assert d['results'][0]['source_id'] == 'KPe.002'
"
"$BIN" screen "George Bush" --json >"$T/gb.json"
check "an ordinary name has no hit" py "
import json; assert json.load(open('$T/gb.json'))['results'] == []"
"$BIN" screen "Kim Jong Un" --threshold 0.5 --limit 3 --json >"$T/lim.json"
check "--limit caps results" py "
import json; assert len(json.load(open('$T/lim.json'))['results']) == 3"
"$BIN" screen "Kim Jong Un" >"$T/table.txt"
check "table output explains" grep -q "why:" "$T/table.txt"
"$BIN" screen "x" --id imo:8405270 --json >"$T/imo.json"
check "an IMO number decides" py "
import json; r = json.load(open('$T/imo.json'))['results'][0]
assert r['source_id'] == '17087' and r['score'] >= 0.99"
"$BIN" compare "Kim Jong Un" "KIM, Jong-un" --json >"$T/cmp.json"
check "compare --json" py "
import json; d = json.load(open('$T/cmp.json')); assert d['score'] > 0.99 and d['explanation']"
"$BIN" show un:KPe.002 >"$T/show.json"
check "show prints the full record" py "
import json; d = json.load(open('$T/show.json')); assert d['names'][0]['name'].startswith('KOREA RYONBONG')"

# Bulk: CSV in, JSON lines out, a bad row becomes an error record and the run goes on.
printf 'ref,name,type,dob,country\n1,Kim Jong Un,person,1984,KP\n2,,person,,\n3,Hwang Gum San 2,vessel,,\n4,Angela Merkel,person,1954,DE\n5,Bad Type,spaceship,,\n' >"$T/in.csv"
"$BIN" screen --file "$T/in.csv" --out "$T/out.jsonl" 2>"$T/bulk.err"
check "bulk run exits 0" test $? -eq 0
check "bulk output: one record per row, errors named, hits kept" py "
import json; rows = [json.loads(l) for l in open('$T/out.jsonl')]
assert [r['ref'] for r in rows] == ['1','2','3','4','5'], rows
assert rows[0]['results'][0]['source_id'] == '20157'
assert 'name' in rows[1]['error'] and 'type' in rows[4]['error']
assert rows[2]['results'][0]['source_id'] == '17087'
assert rows[3]['results'] == []
"
check "bulk prints a summary" grep -q "5 rows" "$T/bulk.err"
"$BIN" screen --file "$T/in.csv" --out "$T/out.csv" 2>/dev/null
check "bulk CSV output has a header and hit rows" py "
import csv; rows = list(csv.DictReader(open('$T/out.csv')))
assert any(r['source_id'] == '20157' for r in rows) and any(r['error'] for r in rows)"

# Exit codes and messages.
"$BIN" nosuchcommand >/dev/null 2>&1; check "unknown command exits 2" test $? -eq 2
"$BIN" screen "Kim" --dob yesterday >/dev/null 2>"$T/e1"; check "bad --dob exits 2" test $? -eq 2
check "bad --dob names the field" grep -q dob "$T/e1"
"$BIN" screen "Kim" --source nosuch >/dev/null 2>&1; check "unknown --source exits 2" test $? -eq 2
CORDON_SNAPSHOT=$T/none.snap "$BIN" lists >/dev/null 2>"$T/e2"; check "missing snapshot exits 1" test $? -eq 1
check "missing snapshot says how to build" grep -q "cordon build" "$T/e2"

# A failed build leaves the previous snapshot untouched and says which file and line.
before=$(sha256sum "$SNAP" | cut -d' ' -f1)
printf '<?xml version="1.0"?>\n<CONSOLIDATED_LIST>\n<INDIVIDUALS>\n<INDIVIDUAL><FIRST_NAME>A' >"$T/bad.xml"
"$BIN" build --source "un:un-xml:$T/bad.xml" --out "$SNAP" >/dev/null 2>"$T/e3"
check "a bad source fails the build" test $? -eq 1
check "the error names the file" grep -q "bad.xml" "$T/e3"
after=$(sha256sum "$SNAP" | cut -d' ' -f1)
check "the previous snapshot is untouched" test "$before" = "$after"
check "no temporary file left behind" test -z "$(ls "$T" | grep '\.tmp\.')"
: >"$T/empty.txt"
"$BIN" build --source "dpl:bis-dpl:$T/empty.txt" --out "$T/x.snap" >/dev/null 2>"$T/e4"
check "an empty list file fails the build" test $? -eq 1
check "no snapshot written for a failed build" test ! -e "$T/x.snap"

check_finish "cli e2e"
