#!/usr/bin/env bash
# peers.sh - cordon beside two screening set-ups a user would otherwise build, on the same
# queries in one run:
#   (a) PostgreSQL pg_trgm: GIN trigram index, `name % q ORDER BY similarity(name, q) DESC
#       LIMIT 10` (a private server in a temporary directory, Unix socket only);
#   (b) python3-jellyfish: Jaro-Winkler of the query against every list name (brute force).
# Figures: queries per second on one core and on all cores, p50/p99 latency, and recall@10 on
# the alias hold-out sample of cordon-accuracy (the held-out name removed from the search).
#
#   bash bench/peers.sh [BUILD_DIR]        (default: build; run `make` first)
#
# Sizes (environment): HOLDOUT_SAMPLE=3000 hold-out queries drawn (seeded) for pg_trgm,
# SPEED_QUERIES=2000 speed queries, JF_QUERIES=200 and JF_HOLDOUT=300 for jellyfish, which
# scans every name in Python. Installs postgresql and python3-jellyfish if they are missing.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$(cd "${1:-$root/build}" && pwd)"
HOLDOUT_SAMPLE=${HOLDOUT_SAMPLE:-3000}
SPEED_QUERIES=${SPEED_QUERIES:-2000}
JF_QUERIES=${JF_QUERIES:-200}
JF_HOLDOUT=${JF_HOLDOUT:-300}
cores=$(nproc)
accuracy="$build/bench/cordon-accuracy"
speed="$build/bench/cordon-speed"
snapshot="${CORDON_SNAPSHOT:-$root/data/cordon.snap}"
for t in "$accuracy" "$speed" "$build/cordon"; do
  [ -x "$t" ] || { echo "peers.sh: $t is missing: run make" >&2; exit 1; }
done
[ -f "$snapshot" ] || "$build/cordon" build --out "$snapshot" >/dev/null

# ---- packages ------------------------------------------------------------------------------
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql postgresql-contrib)
/usr/bin/python3 -c 'import jellyfish' 2>/dev/null || need+=(python3-jellyfish)
command -v jq >/dev/null || need+=(jq)
command -v bc >/dev/null || need+=(bc)
if [ ${#need[@]} -gt 0 ]; then
  echo "peers.sh: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

work="$(mktemp -d /tmp/cordon-peers-XXXXXX)"
chmod 755 "$work"
pg_stop() {
  if [ -f "$work/pg/data/postmaster.pid" ]; then
    as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
}
trap 'pg_stop; rm -rf "$work"' EXIT
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
now() { date +%s.%N; }

# ---- cordon: the hold-out sample, the names and the speed queries ----------------------------
echo "== cordon =="
"$accuracy" --snapshot "$snapshot" --parts holdout --sample "$HOLDOUT_SAMPLE" --examples 0 \
  --dump-holdout "$work/holdout.tsv" --dump-names "$work/names.tsv" --json >"$work/acc.json"
"$accuracy" --snapshot "$snapshot" --parts holdout --kind original --examples 0 \
  --dump-holdout "$work/holdout_orig.tsv" --json >"$work/acc_orig.json"
"$speed" --snapshot "$snapshot" --queries "$SPEED_QUERIES" --brute 100 --json \
  --dump-queries "$work/queries.tsv" >"$work/speed.json"
jq -r '.bundled | "cordon indexed: \(.qps_1_thread|floor) q/s on 1 thread, \(.qps_all_threads|floor) q/s on \(.threads), p50 \(.p50_us|floor) us, p99 \(.p99_us|floor) us; brute force (exhaustive) \(.brute_qps*10|floor/10) q/s"' "$work/speed.json"

# ---- (a) PostgreSQL pg_trgm ------------------------------------------------------------------
echo "== PostgreSQL pg_trgm ($("$pgbin/postgres" --version | awk '{print $3}')) =="
mkdir -p "$work/pg"
[ "$(id -u)" -ne 0 ] || chown postgres "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" --encoding=UTF8 --locale=C.UTF-8 --auth=trust \
  -U postgres >/dev/null
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-k $work/pg -c listen_addresses='' -c shared_buffers=256MB -c max_parallel_workers_per_gather=0" \
  start >/dev/null
psql_run() { psql -X -q -v ON_ERROR_STOP=1 -h "$work/pg" -U postgres -d postgres "$@"; }
tsv_copy() { # table file: a header row, tab-separated, no quoting
  psql_run -c "\\copy $1 FROM '$2' WITH (FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x01', HEADER true)"
}
psql_run -c "CREATE EXTENSION pg_trgm" \
  -c "CREATE TABLE names (entity int, name_index int, source text, kind text, name text)" \
  -c "CREATE TABLE holdout (entity int, name_index int, source text, kind text, script text,
        is_primary int, twin int, cordon_rank int, name text)" \
  -c "CREATE TABLE holdout_orig (LIKE holdout)" \
  -c "CREATE TABLE queries (name text, type text, dob text, country text, perturbation text,
        entity int, source text, source_id text)"
tsv_copy names "$work/names.tsv"
tsv_copy holdout "$work/holdout.tsv"
tsv_copy holdout_orig "$work/holdout_orig.tsv"
tsv_copy queries "$work/queries.tsv"
t0=$(now)
psql_run -c "CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops)" \
  -c "ALTER TABLE queries ADD COLUMN qid serial" \
  -c "ALTER TABLE holdout ADD COLUMN hset text DEFAULT 'sample'" \
  -c "INSERT INTO holdout SELECT *, 'original' FROM holdout_orig" \
  -c "ALTER TABLE holdout ADD COLUMN qid serial" -c "ANALYZE"
printf 'GIN index built in %.2f s on %d names\n' "$(echo "$(now) - $t0" | bc)" "$(($(wc -l <"$work/names.tsv") - 1))"

# One search: the 10 best entities for q, the held-out name (ent, idx) excluded.
top10_sql() { # $1 query expr, $2 exclusion expr
  cat <<SQL
SELECT entity, row_number() OVER (ORDER BY max(s) DESC, entity) AS rk FROM (
  SELECT n.entity, similarity(n.name, $1) AS s FROM names n
  WHERE n.name % $1 AND NOT ($2)
  ORDER BY s DESC LIMIT 50) c
GROUP BY entity ORDER BY max(s) DESC, entity LIMIT 10
SQL
}
psql_run -c "CREATE TABLE pg_found AS SELECT h.qid, h.hset, h.source, h.kind, h.script,
  h.is_primary, h.cordon_rank,
  EXISTS (SELECT 1 FROM ($(top10_sql h.name "n.entity = h.entity AND n.name_index = h.name_index")) t
          WHERE t.entity = h.entity) AS found FROM holdout h"
echo "recall@10 on the alias hold-out (the same queries; the held-out name removed from the table):"
psql_run -P footer=off -c "
  WITH f AS (SELECT * FROM pg_found WHERE is_primary = 0)
  SELECT 'sample: all aliases' AS aliases, count(*) AS queries, round(avg(found::int), 4) AS pg_trgm,
         round(avg((cordon_rank > 0)::int), 4) AS cordon FROM f WHERE hset = 'sample'
  UNION ALL
  SELECT * FROM (SELECT 'sample: ' || source, count(*), round(avg(found::int), 4),
         round(avg((cordon_rank > 0)::int), 4) FROM f WHERE hset = 'sample'
         GROUP BY source HAVING count(*) >= 20 ORDER BY 1) s
  UNION ALL
  SELECT * FROM (SELECT 'sample: ' || kind, count(*), round(avg(found::int), 4),
         round(avg((cordon_rank > 0)::int), 4) FROM f WHERE hset = 'sample'
         GROUP BY kind HAVING count(*) >= 20 ORDER BY 1) k
  UNION ALL
  SELECT * FROM (SELECT 'all original-script: ' || script, count(*), round(avg(found::int), 4),
         round(avg((cordon_rank > 0)::int), 4) FROM f WHERE hset = 'original'
         GROUP BY script ORDER BY 1) o"

# Speed: every query timed in the server (no client round trip), one session = one core.
lat_sql() { # $1: which queries (a WHERE clause)
  cat <<SQL
CREATE TEMP TABLE lat (qid int, us float8);
DO \$\$ DECLARE r record; t0 timestamptz; BEGIN
  FOR r IN SELECT qid, name FROM queries WHERE $1 ORDER BY qid LOOP
    t0 := clock_timestamp();
    PERFORM count(*) FROM ($(top10_sql r.name false)) t;
    INSERT INTO lat VALUES (r.qid, extract(epoch FROM clock_timestamp() - t0) * 1e6);
  END LOOP; END \$\$;
SELECT count(*), sum(us) / 1e6, percentile_cont(0.5) WITHIN GROUP (ORDER BY us),
  percentile_cont(0.99) WITHIN GROUP (ORDER BY us) FROM lat;
SQL
}
read -r n_q pg_secs pg_p50 pg_p99 < <(lat_sql true | psql_run -At -F ' ' | tail -1)
pg_qps1=$(echo "$n_q / $pg_secs" | bc -l)
t0=$(now)
for ((k = 0; k < cores; k++)); do
  lat_sql "qid % $cores = $k" | psql_run -At >/dev/null &
done
wait
pg_qpsN=$(echo "$n_q / ($(now) - $t0)" | bc -l)
printf 'pg_trgm: %.0f q/s on 1 core, %.0f q/s on %d sessions, p50 %.0f us, p99 %.0f us (%d queries, name only)\n' \
  "$pg_qps1" "$pg_qpsN" "$cores" "$pg_p50" "$pg_p99" "$n_q"
pg_stop

# ---- (b) python3-jellyfish brute force -------------------------------------------------------
echo "== python3-jellyfish Jaro-Winkler brute force =="
/usr/bin/python3 "$root/bench/peer_jellyfish.py" "$work/names.tsv" "$work/queries.tsv" \
  "$work/holdout.tsv" --queries "$JF_QUERIES" --holdout "$JF_HOLDOUT" --procs "$cores" \
  >"$work/jf.json"
jq -r '"jellyfish \(.jellyfish): \(.qps_1_process*10|floor/10) q/s on 1 process, \(.qps_all_processes*10|floor/10) q/s on \(.processes), p50 \(.p50_us|floor) us, p99 \(.p99_us|floor) us (\(.queries) queries); recall@10 \(.holdout_recall_at_10*10000|floor/10000) on the first \(.holdout_queries) hold-out aliases (cordon on the same: \(.cordon_recall_at_10_same_queries*10000|floor/10000))"' "$work/jf.json"

# ---- ratios ------------------------------------------------------------------------------------
echo "== cordon / peer (queries per second) =="
c1=$(jq '.bundled.qps_1_thread' "$work/speed.json")
cN=$(jq '.bundled.qps_all_threads' "$work/speed.json")
cb=$(jq '.bundled.brute_qps' "$work/speed.json")
j1=$(jq '.qps_1_process' "$work/jf.json")
jN=$(jq '.qps_all_processes' "$work/jf.json")
printf '  %-28s %12s %12s\n' "" "1 core" "all cores"
printf '  %-28s %12.0f %12.0f\n' "cordon (q/s)" "$c1" "$cN"
printf '  %-28s %11.1fx %12s\n' "vs cordon brute force" "$(echo "$c1 / $cb" | bc -l)" "-"
printf '  %-28s %11.1fx %11.1fx\n' "vs pg_trgm" "$(echo "$c1 / $pg_qps1" | bc -l)" "$(echo "$cN / $pg_qpsN" | bc -l)"
printf '  %-28s %11.0fx %11.0fx\n' "vs jellyfish brute force" "$(echo "$c1 / $j1" | bc -l)" "$(echo "$cN / $jN" | bc -l)"
echo "(cordon's queries carry date of birth and country on 40% of them; the peers see the name only)"
