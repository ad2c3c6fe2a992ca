#!/usr/bin/env bash
# store_bench.sh - the case store at scale (issue 8, docs/benchmarks.md "Case store"): 1,000,000
# stored counterparties, lists served on loopback (the bundled UN list plus a 1,000-entry user
# list), then an update whose user list gains 50 entries. Times: the first update (empty
# store), the import, the update with the 50-entry delta (its re-screen part as cordon reports
# it), an unchanged update, and a full re-screen; peak memory of the delta and full runs.
# Everything is generated with a fixed seed.
#
# usage: bench/store_bench.sh [--binary build/cordon] [--count 1000000] [--pg] [--threads 2]
#   --pg  the store is PostgreSQL (a throwaway server by tests/support/pg.sh, fsync on)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
BIN=$REPO/build/cordon
COUNT=1000000
PG=0
THREADS=2
while [ $# -gt 0 ]; do
    case $1 in
    --binary) BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    --count) COUNT=$2; shift 2 ;;
    --pg) PG=1; shift ;;
    --threads) THREADS=$2; shift 2 ;;
    --inner) shift; break ;; # re-entered under pg.sh
    *) echo "usage: $0 [--binary B] [--count N] [--pg] [--threads N]" >&2; exit 2 ;;
    esac
done
if [ "$PG" = 1 ] && [ -z "${CORDON_TEST_PG:-}" ]; then
    CORDON_PG_FSYNC=on exec bash tests/support/pg.sh bash "$0" --binary "$BIN" --count "$COUNT" \
        --threads "$THREADS"
fi
source tests/support/python.sh

T=$(mktemp -d "${TMPDIR:-/tmp}/cordon-store-bench.XXXXXX")
LIST_PID=
trap '[ -n "$LIST_PID" ] && kill "$LIST_PID" 2>/dev/null; rm -rf "$T"' EXIT
echo "store_bench: $COUNT counterparties, $([ -n "${CORDON_TEST_PG:-}" ] && echo PostgreSQL || echo SQLite), $THREADS threads, load average $(cut -d' ' -f1 /proc/loadavg)"

python3 - "$T" "$COUNT" <<'PY'
import random, sys
t, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20261123)
given = ["Anna", "Boris", "Carlos", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines", "Jamal",
         "Katya", "Lars", "Mina", "Nikolai", "Olga", "Pavel", "Quentin", "Rania", "Sven", "Tariq"]
family = ["Albrecht", "Borisov", "Castillo", "Dubois", "Eriksen", "Fischer", "Gomez", "Hansen",
          "Ivanova", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov",
          "Quinn", "Rossi", "Schmidt", "Tanaka", "Ueda", "Varga", "Weber", "Yilmaz", "Zimmermann"]
words = ["Alpine", "Baltic", "Cedar", "Delta", "Eastern", "Falcon", "Granite", "Harbor", "Iron",
         "Juniper", "Keystone", "Linden", "Meridian", "Northern", "Orion", "Pioneer", "Quarry",
         "Riverside", "Summit", "Tidewater", "Union", "Vanguard", "Westfield", "Zenith"]
trades = ["Trading", "Logistics", "Engineering", "Components", "Industries", "Supply", "Metals"]
forms = ["GmbH", "Ltd", "LLC", "S.A.", "B.V.", "AG", "Sp. z o.o."]
ccs = ["DE", "GB", "FR", "IT", "ES", "NL", "PL", "SE", "TR", "AE", "CN", "IN", "US", "BR"]
with open(f"{t}/cp.csv", "w") as f:
    f.write("ref,name,type,country\n")
    for i in range(n):
        if i % 2:
            name = f"{rnd.choice(given)} {rnd.choice(family)}{'' if rnd.random() < 0.7 else ' ' + rnd.choice(family)}"
            f.write(f"P-{i},{name},person,{rnd.choice(ccs)}\n")
        else:
            name = f"{rnd.choice(words)} {rnd.choice(words)} {rnd.choice(trades)} {rnd.choice(forms)}"
            f.write(f"C-{i},\"{name}\",organization,{rnd.choice(ccs)}\n")
# The list's entries are made of other words than the counterparties' (a few hits, not many).
l_given = ["Abbas", "Bakhtiyar", "Chol", "Davron", "Emre", "Faisal", "Gulnara", "Hyon", "Ilhom"]
l_family = ["Akhmedov", "Bekmurodov", "Choe", "Dzhurayev", "Ergashev", "Fayzullayev", "Gafurov",
            "Hamidov", "Ismoilov", "Jurayev", "Karimov", "Latipov", "Mirzayev", "Nazarov"]
l_words = ["Amu", "Bukhara", "Chirchiq", "Darya", "Fergana", "Gulistan", "Jizzakh", "Khorezm",
           "Navoi", "Namangan", "Samarkand", "Termez", "Urgench", "Zarafshan"]
head = "id,name,type,aliases,dob,nationality,country,address,identifiers,program,remarks\n"
def entry(i):
    if i % 2:
        return f"U{i},{rnd.choice(l_given)} {rnd.choice(l_family)} {rnd.choice(l_family)},person,,,,UZ,,,BENCH,\n"
    return f"U{i},\"{rnd.choice(l_words)} {rnd.choice(l_words)} {rnd.choice(trades)} {rnd.choice(forms)}\",organization,,,,UZ,,,BENCH,\n"
rows = [entry(i) for i in range(1050)]
open(f"{t}/user_v1.csv", "w").write(head + "".join(rows[:1000]))
open(f"{t}/user_v2.csv", "w").write(head + "".join(rows))
PY

mkdir -p "$T/www"
cp "$REPO/data/lists/un/consolidated_2026-02-27.xml" "$T/www/un.xml"
cp "$T/user_v1.csv" "$T/www/user.csv"
source tests/support/list_server.sh
start_list_server "$T/www" "$T/port" bench
PORT=$LIST_PORT
printf 'keep 2\nmax_drop 0.5\nsource un un-xml http://127.0.0.1:%s/un.xml\nsource user user-csv http://127.0.0.1:%s/user.csv\n' \
    "$PORT" "$PORT" >"$T/update.conf"

export CORDON_SNAPSHOT=$T/live.snap CORDON_USER=bench
if [ -n "${CORDON_TEST_PG:-}" ]; then
    psql "$CORDON_TEST_PG" -qAtc "CREATE DATABASE cordon_bench"
    export CORDON_STORE=${CORDON_TEST_PG%/*}/cordon_bench CORDON_STORE_DIR=$T/store
else
    export CORDON_STORE=$T/store
fi
U=(--config "$T/update.conf" --threads "$THREADS")

step() { # step LABEL COMMAND...: wall seconds and peak memory of one command
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$T/time" "$@" >"$T/out" 2>&1 || { cat "$T/out"; exit 1; }
    read -r wall kb <"$T/time"
    printf '  %-58s %8.1f s  %6d MB\n' "$label" "$wall" $((kb / 1024))
}
step "first update (empty store, snapshot built)" "$BIN" update "${U[@]}"
step "import $COUNT counterparties" "$BIN" counterparties import "$T/cp.csv"
step "update: nothing changed (conditional requests)" "$BIN" update "${U[@]}"
step "pending re-screen of the imported counterparties" "$BIN" rescreen --threads "$THREADS"
cp "$T/user_v2.csv" "$T/www/user.csv"
step "update: user list +50 entries (download ... delta re-screen)" "$BIN" update "${U[@]}"
grep -iE "re-?screen|delta|alerts" "$T/out" | sed 's/^/    /'
step "full re-screen against the live snapshot" "$BIN" rescreen --full --threads "$THREADS"
