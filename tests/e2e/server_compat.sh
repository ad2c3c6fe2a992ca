#!/usr/bin/env bash
# server_compat.sh - the compatibility endpoints, driven with requests shaped exactly as each
# original API documents them:
#   - OpenSanctions yente: POST /match/{dataset} {"queries": {...}} and GET /search/{dataset}
#   - W3C reconciliation API 0.2 (OpenRefine): GET /reconcile (manifest), POST form queries=...,
#     GET ?queries=...
#   - moov-io watchman v2: GET /v2/search?name=&type=&limit=&minMatch=, GET /v2/listinfo
# usage: bash server_compat.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

build_snapshot
start_server compat --threads 2 || exit 1

# --- yente POST /match/{dataset} ---------------------------------------------------------------
cat >"$T/match.json" <<'EOF'
{
  "queries": {
    "q1": {
      "schema": "Person",
      "properties": {
        "name": ["Kim Jong Un"],
        "birthDate": ["1984-01-08"],
        "nationality": ["kp"]
      }
    },
    "entity2": {
      "schema": "Company",
      "properties": {
        "name": ["Korea Mining Development Trading Corporation"],
        "jurisdiction": ["kp"]
      }
    },
    "vessel": {
      "id": "my-ship",
      "schema": "Vessel",
      "properties": {"name": ["Artavil"], "imoNumber": ["9187629"]}
    }
  }
}
EOF
req POST "$URL/match/default" -H 'Content-Type: application/json' --data-binary @"$T/match.json"
status_is "yente match" 200
check "yente: response shape" python3 - "$BODY" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"responses", "matcher", "limit"} and d["limit"] == 5
assert set(d["responses"]) == {"q1", "entity2", "vessel"}
for key, r in d["responses"].items():
    assert r["status"] == 200 and set(r["total"]) == {"value", "relation"}
    assert r["total"]["value"] == len(r["results"]) and 1 <= len(r["results"]) <= 5
    for e in r["results"]:
        assert {"id", "caption", "schema", "properties", "score", "match", "features",
                "datasets", "referents", "target"} <= set(e), e.keys()
        assert isinstance(e["properties"], dict) and all(isinstance(v, list) for v in e["properties"].values())
        assert 0 <= e["score"] <= 1 and isinstance(e["match"], bool)
        assert all(isinstance(v, float) for v in e["features"].values())
    scores = [e["score"] for e in r["results"]]
    assert scores == sorted(scores, reverse=True)
q1 = d["responses"]["q1"]
assert q1["query"]["schema"] == "Person" and q1["query"]["properties"]["name"] == ["Kim Jong Un"]
top = q1["results"][0]
assert top["id"] == "ofac-sdn:20157" and top["caption"] == "KIM, Jong Un" and top["schema"] == "Person"
assert top["match"] is True and top["score"] == 1.0
assert top["properties"]["birthDate"] == ["1984-01-08"] and "DPRK3" in top["properties"]["program"]
assert top["features"]["name"] == 1.0 and top["features"]["dob"] > 0
assert top["datasets"] == ["ofac-sdn"]
co = d["responses"]["entity2"]["results"][0]
assert co["id"] in ("un:KPe.001", "ofac-sdn:9345") and co["schema"] == "Organization" and co["match"]
ves = d["responses"]["vessel"]
assert ves["query"]["id"] == "my-ship"
assert ves["results"][0]["id"] == "ofac-sdn:15036" and ves["results"][0]["properties"]["imoNumber"] == ["9187629"]
assert ves["results"][0]["features"]["identifier"] > 0
assert "name" in d["matcher"] and "description" in d["matcher"]["name"]
EOF
check "yente: x-batch-size not needed, request id is" header_has X-Request-ID ""

req POST "$URL/match/sanctions?limit=1&threshold=0.99&cutoff=0.5" -H 'Content-Type: application/json' \
    -d '{"queries":{"a":{"schema":"Person","properties":{"name":["Kim Jong"]}}}}'
jcheck "yente: limit and threshold" "d['limit'] == 1 and len(d['responses']['a']['results']) == 1 and all(r['match'] == (r['score'] >= 0.99) for r in d['responses']['a']['results'])"
req POST "$URL/match/un" -H 'Content-Type: application/json' \
    -d '{"queries":{"a":{"schema":"Person","properties":{"name":["Kim Jong Un"]}}}}'
jcheck "yente: a list name as the dataset" "all(r['datasets'] == ['un'] for r in d['responses']['a']['results'])"
req POST "$URL/match/default?exclude_dataset=ofac-sdn" -H 'Content-Type: application/json' \
    -d '{"queries":{"a":{"schema":"Person","properties":{"name":["Kim Jong Un"]}}}}'
jcheck "yente: exclude_dataset" "all(r['datasets'] != ['ofac-sdn'] for r in d['responses']['a']['results'])"
req POST "$URL/match/default" -H 'Content-Type: application/json' \
    -d '{"queries":{"a":{"schema":"Person","properties":{"name":["zz", "Kim Jong Un"], "alias":["Kim Jong-un"]}}}}'
jcheck "yente: several names, best kept" "d['responses']['a']['results'][0]['id'] == 'ofac-sdn:20157'"
req POST "$URL/match/nosuchdataset" -H 'Content-Type: application/json' \
    -d '{"queries":{"a":{"schema":"Person","properties":{"name":["x"]}}}}'
error_is "yente: unknown dataset" 404 not_found
req POST "$URL/match/default" -H 'Content-Type: application/json' -d '{"queries":{}}'
error_is "yente: no queries" 400 bad_request
req POST "$URL/match/default" -H 'Content-Type: application/json' -d '{"queries":{"a":{"schema":"Spaceship","properties":{"name":["x"]}}}}'
error_is "yente: unknown schema" 400 bad_request
req POST "$URL/match/default" -H 'Content-Type: application/json' -d '{"queries":{"a":{"schema":"Person","properties":{"birthDate":["1984"]}}}}'
error_is "yente: no name" 400 bad_request
python3 -c "import json; print(json.dumps({'queries': {'q%d' % i: {'schema': 'Person', 'properties': {'name': ['x']}} for i in range(101)}}))" >"$T/many.json"
req POST "$URL/match/default" -H 'Content-Type: application/json' --data-binary @"$T/many.json"
error_is "yente: more than 100 queries" 400 bad_request
req GET "$URL/match/default"
error_is "yente: GET on match" 405 method_not_allowed

# --- yente GET /search/{dataset} -------------------------------------------------------------
req GET "$URL/search/default?q=Kim%20Jong%20Un&limit=3"
status_is "yente search" 200
jcheck "yente search: shape" "set(d) == {'results', 'facets', 'total', 'limit', 'offset'} and d['limit'] == 3 and d['offset'] == 0 and len(d['results']) <= 3 and d['results'][0]['id'] == 'ofac-sdn:20157'"
req GET "$URL/search/default?q=Korea%20Mining%20Development%20Trading&limit=2"
jcheck "yente search: two listings" "[r['id'] for r in d['results']] == ['un:KPe.001', 'ofac-sdn:9345'] or [r['id'] for r in d['results']] == ['ofac-sdn:9345', 'un:KPe.001']"
FIRST2=$(python3 -c "import json; print(json.load(open('$BODY'))['results'][1]['id'])")
req GET "$URL/search/default?q=Korea%20Mining%20Development%20Trading&limit=1&offset=1"
jcheck "yente search: offset" "d['offset'] == 1 and len(d['results']) == 1 and d['results'][0]['id'] == '$FIRST2'"
req GET "$URL/search/default?q=Kim%20Jong%20Un&schema=Organization"
jcheck "yente search: schema filter" "all(r['schema'] == 'Organization' for r in d['results'])"
req GET "$URL/search/us-csl?limit=500"
jcheck "yente search: empty q lists a dataset" "d['total']['value'] == len(d['results']) and all(r['datasets'] == ['us-csl'] for r in d['results']) and d['total']['value'] > 0"
req GET "$URL/search/default?q=x&schema=Spaceship"
error_is "yente search: bad schema" 400 bad_request

# --- W3C reconciliation ----------------------------------------------------------------------
req GET "$URL/reconcile"
status_is "reconcile manifest" 200
jcheck "manifest: required fields of the 0.2 schema" \
    "'0.2' in d['versions'] and d['name'] and d['identifierSpace'] and d['schemaSpace'] and {t['id'] for t in d['defaultTypes']} >= {'Person', 'Organization', 'Vessel'}"
Q='{"q0":{"query":"Kim Jong Un","type":"Person","limit":3,"properties":[{"pid":"birthDate","v":"1984-01-08"},{"pid":"nationality","v":"kp"}],"type_strict":"should"},"q1":{"query":"Korea Mining Development Trading Corporation"}}'
req POST "$URL/reconcile" --data-urlencode "queries=$Q"
status_is "reconcile POST form" 200
check "reconcile: result batch shape (0.2 schema)" python3 - "$BODY" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"q0", "q1"}
for r in d.values():
    assert list(r) == ["result"]
    for c in r["result"]:
        assert {"id", "name", "score", "match", "type"} <= set(c)
        assert isinstance(c["id"], str) and isinstance(c["name"], str) and isinstance(c["match"], bool)
        assert all("id" in t for t in c["type"])
        assert all({"id", "value"} <= set(f) for f in c["features"])
q0 = d["q0"]["result"]
assert 1 <= len(q0) <= 3 and q0[0]["id"] == "ofac-sdn:20157" and q0[0]["match"] is True
assert q0[0]["type"] == [{"id": "Person", "name": "Person"}]
assert sum(c["match"] for c in q0) <= 1
assert d["q1"]["result"][0]["name"] == "KOREA MINING DEVELOPMENT TRADING CORPORATION"
EOF
req GET "$URL/reconcile" -G --data-urlencode 'queries={"q0":{"query":"Artavil","type":"Vessel"}}'
jcheck "reconcile GET queries=" "d['q0']['result'][0]['id'] == 'ofac-sdn:15036'"
req POST "$URL/reconcile/un" --data-urlencode 'queries={"q0":{"query":"Kim Jong Un"}}'
jcheck "reconcile/{dataset}" "all(c['id'].startswith('un:') for c in d['q0']['result'])"
req POST "$URL/reconcile" --data-urlencode 'queries={"q0":{"query":"x"'
error_is "reconcile: truncated JSON" 400 bad_request
req POST "$URL/reconcile" --data-urlencode 'queries={"q0":{"type":"Person"}}'
error_is "reconcile: no query" 400 bad_request
req POST "$URL/reconcile" -d 'queries=%ZZ'
error_is "reconcile: bad percent-encoding" 400 bad_request
req POST "$URL/reconcile" --data-urlencode 'extend={"ids":["x"],"properties":[]}'
error_is "reconcile: data extension unsupported" 400 bad_request

# --- watchman v2 -------------------------------------------------------------------------------
req GET "$URL/v2/search?name=Kim%20Jong%20Un&type=person&limit=2&minMatch=0.85"
status_is "watchman search" 200
check "watchman: v2 shape" python3 - "$BODY" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"query", "entities"}
assert d["query"]["name"] == "Kim Jong Un" and d["query"]["entityType"] == "person"
assert 1 <= len(d["entities"]) <= 2
for e in d["entities"]:
    assert {"name", "entityType", "sourceList", "sourceID", "person", "business", "organization",
            "aircraft", "vessel", "contact", "addresses", "cryptoAddresses", "affiliations",
            "sanctionsInfo", "historicalInfo", "match"} <= set(e)
    assert e["match"] >= 0.85 and e["entityType"] == "person"
top = d["entities"][0]
assert top["sourceList"] == "ofac-sdn" and top["sourceID"] == "20157" and top["match"] == 1.0
assert top["person"]["birthDate"] == "1984-01-08T00:00:00Z" and top["business"] is None
assert top["sanctionsInfo"]["programs"] == ["DPRK3"]
EOF
req GET "$URL/v2/search?name=Artavil&type=vessel&limit=1&imoNumber=9187629"
jcheck "watchman: vessel block" "d['entities'][0]['vessel']['imoNumber'] == '9187629' and d['entities'][0]['vessel']['mmsi'] == '572469210' and {'type': 'Former Name', 'value': 'ALPHA'} in d['entities'][0]['historicalInfo']"
req GET "$URL/v2/search?name=Korea%20Mining%20Development%20Trading&type=business&limit=5"
jcheck "watchman: business type" "all(e['entityType'] == 'business' and e['business'] is not None for e in d['entities']) and len(d['entities']) >= 1"
req GET "$URL/v2/search?name=Kim%20Jong%20Un&source=un"
jcheck "watchman: source filter" "all(e['sourceList'] == 'un' for e in d['entities'])"
req GET "$URL/v2/search?type=person"
error_is "watchman: name required" 400 bad_request
req GET "$URL/v2/search?name=x&type=alien"
error_is "watchman: bad type" 400 bad_request
req GET "$URL/v2/search?name=x&minMatch=2"
error_is "watchman: bad minMatch" 400 bad_request
req GET "$URL/v2/listinfo"
status_is "watchman listinfo" 200
jcheck "watchman listinfo: counts and hashes" "set(d['lists']) == {'un', 'ofac-sdn', 'ofac-cons', 'us-csl', 'bis-dpl'} and all(len(h) == 64 for h in d['listHashes'].values()) and d['version'].startswith('cordon')"

req GET "$URL/metrics"
check "metrics count the compatibility endpoints" python3 - "$BODY" <<'EOF'
import sys
text = open(sys.argv[1]).read()
for ep in ("yente_match", "yente_search", "reconcile", "watchman_search", "watchman_listinfo"):
    assert 'cordon_http_requests_total{endpoint="%s",status="200"}' % ep in text, ep
EOF
check "SIGTERM: clean exit" stop_server compat
finish
