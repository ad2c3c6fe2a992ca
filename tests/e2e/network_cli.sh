#!/usr/bin/env bash
# End-to-end: `cordon network` as a user runs it on tests/fixtures/net/rings.jsonl - the text
# report, JSON, GraphML and SVG, --cluster, decisions stored with --split/--pin and honoured on
# the next run, a generated data set with planted rings, and exit codes for bad input.
# Usage: network_cli.sh CORDON_BINARY REPO_DIR
set -u
BIN=$1
REPO=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
source "$(dirname "$0")/../support/check.sh"
FIX=$REPO/tests/fixtures/net/rings.jsonl

SNAP=$T/test.snap
"$BIN" build --config "$REPO/data/sources.conf" --out "$SNAP" >"$T/build.out" 2>&1
check "build succeeds" test $? -eq 0
export CORDON_SNAPSHOT=$SNAP
export CORDON_CONTROLS=$REPO/data/controls

"$BIN" network "$FIX" >"$T/text.out" 2>"$T/text.err"
check "text report exits 0" test $? -eq 0
check "text summary line" grep -q "^15 transactions, 36 party mentions -> 24 entities (12 merges)" "$T/text.out"
check "text names the embassy path" grep -q "shares the phone +49302293189 with Embassy of the DPRK in Berlin" "$T/text.out"

"$BIN" network "$FIX" --json --out "$T/out.json"
check "json exits 0" test $? -eq 0
check "json: 4 ranked clusters, first holds UN KPe.002" py "
import json; d = json.load(open('$T/out.json'))
assert d['summary']['flagged_clusters'] == 4, d['summary']
c = d['clusters']
assert [x['rank'] for x in c] == [1, 2, 3, 4]
assert any(n['id'] == 'L:un:KPe.002' for n in c[0]['nodes'])
assert sorted(c[3]['transactions']) == ['T010', 'T011', 'T012']
assert any(f['kind'] == 'structuring' for f in c[1]['findings'])
"
"$BIN" network "$FIX" --graphml --cluster 2 >"$T/c2.graphml"
check "graphml of cluster 2 parses as XML with 3 nodes" py "
import xml.etree.ElementTree as ET
r = ET.parse('$T/c2.graphml').getroot()
ns = {'g': 'http://graphml.graphdrawing.org/xmlns'}
assert len(r.findall('.//g:node', ns)) == 3
"
"$BIN" network "$FIX" --svg --cluster 1 >"$T/c1.svg"
check "svg of cluster 1 parses and names Ryonbong" py "
import xml.etree.ElementTree as ET
r = ET.parse('$T/c1.svg').getroot()
assert r.tag.endswith('svg')
assert 'KOREA RYONBONG GENERAL CORPORATION' in open('$T/c1.svg').read()
"
"$BIN" network "$FIX" --svg --cluster 9 >/dev/null 2>"$T/c9.err"
check "--cluster beyond the ranking fails with 1" test $? -eq 1
check "... and says how many there are" grep -q "there are 4 flagged clusters" "$T/c9.err"

# decisions: split Ostwind's mentions apart, pin the bakery to Stadtwerke; stored, then reloaded
"$BIN" network "$FIX" --json --decisions "$T/dec.jsonl" --split T001/buyer,T004/buyer --pin T900/buyer,T901/buyer >"$T/d1.json"
check "decisions run exits 0" test $? -eq 0
check "decisions file holds both decisions" py "
import json; L = [json.loads(l) for l in open('$T/dec.jsonl')]
assert L == [{'op': 'split', 'a': 'T001/buyer', 'b': 'T004/buyer'}, {'op': 'pin', 'a': 'T900/buyer', 'b': 'T901/buyer'}], L
"
"$BIN" network "$FIX" --json --decisions "$T/dec.jsonl" >"$T/d2.json"
check "reloaded decisions give the same result" cmp -s <(py "import json; d=json.load(open('$T/d1.json')); d['summary'].pop('ms'); print(json.dumps(d, sort_keys=True))") <(py "import json; d=json.load(open('$T/d2.json')); d['summary'].pop('ms'); print(json.dumps(d, sort_keys=True))")
check "split honoured: T001 and T004 in different entities" py "
import json; d = json.load(open('$T/d2.json'))
ent = {m['ref']: n['id'] for c in d['clusters'] for n in c['nodes'] for m in n.get('mentions', [])}
assert ent['T001/buyer'] != ent['T004/buyer'], ent
"

# generated data with planted rings: every ring found
python3 "$REPO/tools/gen_network.py" 3000 "$T/gen.jsonl" --seed 11 >/dev/null
check "generator writes data and truth" test -s "$T/gen.jsonl" -a -s "$T/gen.truth.json"
"$BIN" network "$T/gen.jsonl" --json --top 0 --out "$T/gen.json"
check "planted rings recalled" py "
import json; d = json.load(open('$T/gen.json')); t = json.load(open('$T/gen.truth.json'))
found = set()
for c in d['clusters']:
    tx = set(c['transactions'])
    for r in t['rings']:
        if 2 * len(tx & set(r['transactions'])) >= len(r['transactions']): found.add(r['id'])
assert len(found) == len(t['rings']) == 8, (len(found), len(t['rings']))
"

# bad input
: >"$T/empty.jsonl"
"$BIN" network "$T/empty.jsonl" >/dev/null 2>"$T/empty.err"
check "empty file fails with 1" test $? -eq 1
check "... naming the file" grep -q "empty.jsonl: empty file: no transactions" "$T/empty.err"
printf '{"id":"A","parties":[{"name":"X"}]}\n{"id":"B","parties":[{"name":"Y","country":"Atlantis"}]}\n' >"$T/bad.jsonl"
"$BIN" network "$T/bad.jsonl" >/dev/null 2>"$T/bad.err"
check "bad country fails with 1" test $? -eq 1
check "... naming file, line and field" grep -q "bad.jsonl:2: parties\[0\].country: unknown country 'Atlantis'" "$T/bad.err"
"$BIN" network >/dev/null 2>&1
check "no FILE is a usage error (2)" test $? -eq 2
"$BIN" network "$FIX" --split T001/buyer >/dev/null 2>&1
check "--split without --decisions is a usage error" test $? -eq 2

check_finish "network_cli"
