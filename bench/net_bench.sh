#!/usr/bin/env bash
# net_bench.sh - `cordon network` at several sizes on generated data with planted rings:
# wall and CPU time, peak memory, per-transaction cost, recall of planted rings and the share
# of flagged clusters that are not planted. One command:
#   bench/net_bench.sh [SIZES...]        (default: 10000 100000 1000000)
# Needs a built tree (make) and a snapshot (cordon build). Data goes to $NET_BENCH_DIR (/tmp);
# NET_BENCH_THREADS (2) threads parse and screen. Prints the load average, since the machine
# may be shared.
set -eu
REPO=$(cd "$(dirname "$0")/.." && pwd)
BIN=${CORDON_BIN:-$REPO/build/cordon}
DIR=${NET_BENCH_DIR:-/tmp/cordon-net-bench}
mkdir -p "$DIR"
SIZES=${*:-10000 100000 1000000}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "%-9s %-9s %-9s %-9s %-9s %-10s %-8s %-7s %-7s %s\n" size tx wall_s cpu_s peak_MB us/tx flagged rings found not_planted
for n in $SIZES; do
  data=$DIR/net$n.jsonl
  [ -s "$data" ] || python3 "$REPO/tools/gen_network.py" "$n" "$data" --seed 7
  /usr/bin/time -f "%e %U %S %M" -o "$DIR/time$n" "$BIN" network "$data" --json --top 0 \
      --threads "${NET_BENCH_THREADS:-2}" --out "$DIR/out$n.json"
  python3 - "$DIR/out$n.json" "${data%.jsonl}.truth.json" "$DIR/time$n" "$n" <<'PY'
import json, sys
out, truth, tfile, n = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
d = json.load(open(out)); t = json.load(open(truth))
wall, user, sys_, kb = open(tfile).read().split()[-4:]
ring_tx = {x for r in t['rings'] for x in r['transactions']}
# components are scored as before; dense communities (inside large components) separately
found = set(); not_planted = 0; fl = 0; com = 0; com_np = 0
for c in d['clusters']:
    tx = set(c['transactions'])
    if c.get('kind') == 'community':
        com += 1; com_np += not (tx & ring_tx)
        continue
    fl += 1
    for r in t['rings']:
        if 2 * len(tx & set(r['transactions'])) >= len(r['transactions']):
            found.add(r['id'])
    not_planted += not (tx & ring_tx)
s = d['summary']
missed = {}; by_typ = {}
for r in t['rings']:
    k = by_typ.setdefault(r['typology'], [0, 0]); k[1] += 1; k[0] += r['id'] in found
    if r['id'] not in found: missed[r['typology']] = missed.get(r['typology'], 0) + 1
print("%-9s %-9d %-9.1f %-9.1f %-9.0f %-10.1f %-8d %-7d %-7d %.1f%%%s" % (
    n, s['transactions'], float(wall), float(user) + float(sys_), int(kb) / 1024,
    float(wall) * 1e6 / s['transactions'], fl, len(t['rings']), len(found),
    100.0 * not_planted / max(fl, 1), ("  missed " + json.dumps(missed)) if missed else ""))
print("          found by typology: " + ", ".join("%s %d/%d" % (k, v[0], v[1]) for k, v in sorted(by_typ.items())))
print("          flagged communities %d (of %d found), %d holding no planted transaction" %
      (com, s.get('communities', 0), com_np))
print("          stages ms: " + json.dumps(s['ms']) + "  entities %d, distinct names %d" %
      (s['entities'], s['distinct_names']))
PY
done
