#!/usr/bin/env bash
# server_security.sh - API keys and binding rules: `cordon apikey add|list|revoke`, keys stored
# hashed, Bearer authentication (401 without a valid key; health checks stay open), keys
# reloaded on SIGHUP and POST /v1/admin/reload, and the refusal to listen beyond loopback
# without keys unless --insecure.
# usage: bash server_security.sh CORDON_BINARY REPO_DIR
source "$(dirname "$0")/server_lib.sh" "$@"

KEYS="$T/apikeys"
build_snapshot

# --- managing keys --------------------------------------------------------------------------
K1=$("$CORDON" apikey add --name "compliance batch" --keys "$KEYS" 2>"$T/add.err")
check "apikey add prints a key" python3 -c "import re,sys; sys.exit(0 if re.fullmatch(r'cordon_[0-9a-f]{12}_[0-9a-f]{40}', '$K1') else 1)"
ID1=${K1:7:12}
K2=$("$CORDON" apikey add --keys "$KEYS" 2>/dev/null)
ID2=${K2:7:12}
check "two distinct keys" test "$K1" != "$K2" -a "$ID1" != "$ID2"
check "key file is private (0600)" test "$(stat -c %a "$KEYS")" = 600
check "key file holds no secret" bash -c "! grep -q '${K1:20}' '$KEYS' && ! grep -q '${K2:20}' '$KEYS'"
check "key file holds salted SHA-256 hashes" python3 - "$KEYS" "$ID1" <<'EOF'
import sys
lines = [l.split() for l in open(sys.argv[1]) if not l.startswith("#")]
assert len(lines) == 2
ids = [l[0] for l in lines]
assert sys.argv[2] in ids
for l in lines:
    assert len(l[1]) == 32 and len(l[2]) == 64 and l[1] != lines[0][1] or l is lines[0]
EOF
"$CORDON" apikey list --keys "$KEYS" >"$T/list.txt" 2>/dev/null
check "apikey list shows ids and names" bash -c "grep -q '$ID1' '$T/list.txt' && grep -q 'compliance batch' '$T/list.txt' && grep -q '$ID2' '$T/list.txt'"
check "apikey list shows no secret" bash -c "! grep -q '${K1:20}' '$T/list.txt'"
"$CORDON" apikey revoke nosuchid --keys "$KEYS" 2>/dev/null
check "revoke of an unknown id fails" test $? -eq 1
"$CORDON" apikey frobnicate --keys "$KEYS" 2>/dev/null
check "bad apikey usage exits 2" test $? -eq 2

# --- authentication ---------------------------------------------------------------------------
start_server auth --keys "$KEYS" || exit 1
req GET "$URL/v1/screen?name=Kim%20Jong%20Un"
error_is "no key: 401" 401 unauthorized
req GET "$URL/v1/screen?name=Kim%20Jong%20Un" -H "Authorization: Bearer cordon_${ID1}_0000000000000000000000000000000000000000"
error_is "wrong secret: 401" 401 unauthorized
req GET "$URL/v1/screen?name=Kim%20Jong%20Un" -H "Authorization: Basic $K1"
error_is "not a Bearer token: 401" 401 unauthorized
req GET "$URL/v1/screen?name=Kim%20Jong%20Un" -H "Authorization: Bearer ${K1}x"
error_is "key with trailing junk: 401" 401 unauthorized
req GET "$URL/v1/screen?name=Kim%20Jong%20Un" -H "Authorization: Bearer $K1"
status_is "valid key: 200" 200
jcheck "valid key screens" "d['results'][0]['id'] == 'ofac-sdn:20157'"
req GET "$URL/v1/screen?name=Kim%20Jong%20Un" -H "authorization: bearer $K2"
status_is "second key, header and scheme in lower case" 200
req POST "$URL/match/default" -H 'Content-Type: application/json' -d '{"queries":{"a":{"schema":"Person","properties":{"name":["x"]}}}}'
error_is "compat endpoints need a key too" 401 unauthorized
req GET "$URL/metrics"
error_is "metrics need a key" 401 unauthorized
req GET "$URL/healthz"
status_is "healthz is open" 200
req GET "$URL/readyz"
status_is "readyz is open" 200
check "access log names the key id, never the key" bash -c "grep -q '\"key\":\"$ID1\"' '$T/auth.log' && ! grep -q '${K1:20}' '$T/auth.log'"

# revoke K1 and reload: K1 stops working, K2 still works
"$CORDON" apikey revoke "$ID1" --keys "$KEYS" 2>/dev/null
kill -HUP "$PID_auth"
for _ in $(seq 1 100); do grep -q '"event":"reload"' "$T/auth.log" && break; sleep 0.05; done
req GET "$URL/v1/screen?name=x" -H "Authorization: Bearer $K1"
error_is "revoked key after SIGHUP: 401" 401 unauthorized
req GET "$URL/v1/screen?name=x" -H "Authorization: Bearer $K2"
status_is "remaining key after SIGHUP: 200" 200
K3=$("$CORDON" apikey add --keys "$KEYS" 2>/dev/null)
req POST "$URL/v1/admin/reload" -H "Authorization: Bearer $K2"
status_is "admin reload with a key" 200
jcheck "reload answer" "d['status'] == 'reloaded' and d['snapshot']['generation'] == 3"
req GET "$URL/v1/screen?name=x" -H "Authorization: Bearer $K3"
status_is "new key after POST reload: 200" 200
req POST "$URL/v1/admin/reload"
error_is "admin reload without a key" 401 unauthorized
check "SIGTERM: clean exit" stop_server auth

# --- binding rules ----------------------------------------------------------------------------
"$CORDON" serve --snapshot "$SNAP" --listen 0.0.0.0:0 --keys "$T/empty-keys" >/dev/null 2>"$T/refuse.err"
check "non-loopback without keys: exit 2" test $? -eq 2
check "non-loopback without keys: says why" grep -q "refusing to listen on 0.0.0.0 without API keys" "$T/refuse.err"
start_server open --listen 0.0.0.0:0 --keys "$T/empty-keys" --insecure
check "--insecure allows it" test -n "$PORT"
req GET "$URL/v1/screen?name=x"
status_is "insecure server answers without a key" 200
check "insecure: clean exit" stop_server open

start_server public --listen 0.0.0.0:0 --keys "$KEYS" || exit 1
req GET "$URL/v1/screen?name=x"
error_is "public with keys: 401 without one" 401 unauthorized
: >"$T/emptied"
cp "$KEYS" "$T/keys.bak"
grep '^#' "$T/keys.bak" >"$KEYS"
req POST "$URL/v1/admin/reload" -H "Authorization: Bearer $K2"
error_is "reload that would drop every key on a public address fails" 500 internal
jcheck "and says why" "'refusing to drop authentication' in d['error']['message']"
req GET "$URL/v1/screen?name=x" -H "Authorization: Bearer $K2"
status_is "the previous keys stay in force" 200
check "public: clean exit" stop_server public

printf 'not a key line\n' >"$T/bad-keys"
"$CORDON" serve --snapshot "$SNAP" --keys "$T/bad-keys" >/dev/null 2>"$T/badkeys.err"
check "corrupt key file: exit 1" test $? -eq 1
check "corrupt key file: names file and line" grep -q "$T/bad-keys:1: expected ID SALT SHA256" "$T/badkeys.err"
"$CORDON" serve --snapshot "$T/missing.snap" >/dev/null 2>"$T/nosnap.err"
check "missing snapshot: exit 1" test $? -eq 1
"$CORDON" serve --listen nonsense >/dev/null 2>&1
check "bad --listen: exit 2" test $? -eq 2
"$CORDON" serve --threads 0 >/dev/null 2>&1
check "bad --threads: exit 2" test $? -eq 2
finish
