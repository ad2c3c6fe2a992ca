#!/usr/bin/env bash
# server_analysis.sh - POST /v1/goods, /v1/transactions and /v1/network answer what the CLI's
# `cordon goods`, `cordon check` and `cordon network` compute, with JSON errors for bad bodies.
# usage: bash server_analysis.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

export CORDON_CONTROLS="$REPO/data/controls" CORDON_RULES="$REPO/data/rules"
build_snapshot
start_server analysis --threads 2 || exit 1

# --- goods ------------------------------------------------------------------------------------
req POST "$URL/v1/goods" -H 'Content-Type: application/json' \
    --data '{"text":"turbo pump for liquid propellant rocket engine","destination":"KP"}'
status_is "goods: 200" 200
jcheck "goods: MTCR 3.A.5 first" "d['results'][0]['code'] == '3.A.5' and d['results'][0]['regime'] == 'mtcr'"
jcheck "goods: DPRK prohibition cited" "any('S/RES' in p['citation'] for p in d['prohibitions'])"
req POST "$URL/v1/goods" -H 'Content-Type: application/json' --data '{"text":"office chairs"}'
jcheck "goods: ordinary item not controlled" "d['controlled'] == False"
req POST "$URL/v1/goods" -H 'Content-Type: application/json' --data '{"text":"pump","limit":"x"}'
error_is "goods: bad limit" 400 bad_request
req POST "$URL/v1/goods" -H 'Content-Type: application/json' --data '{"text":'
error_is "goods: truncated JSON" 400 bad_request
req GET "$URL/v1/goods"
error_is "goods: GET not allowed" 405 method_not_allowed

# --- transactions -----------------------------------------------------------------------------
req POST "$URL/v1/transactions" -H 'Content-Type: application/json' \
    --data-binary @"$REPO/tests/fixtures/tx/berlin_embassy.json"
status_is "transactions: 200" 200
jcheck "transactions: Berlin embassy case blocked" "d['decision'] == 'block'"
jcheck "transactions: mission flag with citation" "any(f['id'].startswith('DPRK-MISSION') and f.get('citation') for f in d['flags'])"
"$CORDON" check "$REPO/tests/fixtures/tx/berlin_embassy.json" --json --snapshot "$SNAP" >"$T/cli_tx.json" 2>/dev/null
check "transactions: same decision as cordon check" python3 -c "
import json,sys
a=json.load(open('$BODY')); b=[json.loads(l) for l in open('$T/cli_tx.json') if l.strip()][0]
sys.exit(0 if a['decision']==b['decision'] and sorted(f['id'] for f in a['flags'])==sorted(f['id'] for f in b['flags']) else 1)"
req POST "$URL/v1/transactions" -H 'Content-Type: application/json' --data '{"id":"x","parties":[{"role":"buyer","name":"A","country":"Atlantis"}]}'
error_is "transactions: bad field named" 400 bad_request
jcheck "transactions: message names the field" "'country' in d['error']['message']"

# --- network ----------------------------------------------------------------------------------
req POST "$URL/v1/network" --data-binary @"$REPO/tests/fixtures/net/rings.jsonl"
status_is "network: 200" 200
jcheck "network: ranked clusters with an evidence path" "len(d['clusters']) >= 1 and d['clusters'][0]['score'] >= d['clusters'][-1]['score']"
req POST "$URL/v1/network?format=graphml" --data-binary @"$REPO/tests/fixtures/net/rings.jsonl"
check "network: GraphML parses as XML" python3 -c "import xml.dom.minidom,sys; xml.dom.minidom.parse('$BODY')"
req POST "$URL/v1/network?format=svg&cluster=1" --data-binary @"$REPO/tests/fixtures/net/rings.jsonl"
check "network: SVG of cluster 1" grep -q '<svg' "$BODY"
req POST "$URL/v1/network" --data-binary '{"id":"t1","parties":['
error_is "network: bad line" 400 bad_request

stop_server analysis
check "server stops cleanly" true
finish
