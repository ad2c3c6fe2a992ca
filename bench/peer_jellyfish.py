#!/usr/bin/python3
"""peer_jellyfish.py - the brute-force peer of bench/peers.sh: Jaro-Winkler (python3-jellyfish,
the Debian package) of the query against every list name, best 10 entities.

    peer_jellyfish.py NAMES.tsv QUERIES.tsv HOLDOUT.tsv [--queries N] [--holdout N] [--procs P]

NAMES.tsv: entity, name_index, source, kind, name (cordon-accuracy --dump-names).
QUERIES.tsv: cordon-speed --dump-queries (first column the query name).
HOLDOUT.tsv: cordon-accuracy --dump-holdout (entity, name_index, ..., name).
Prints one JSON object: queries per second on one process and on P processes, latency
percentiles, and recall@10 on the hold-out queries (the held-out name itself is skipped).
"""
import argparse
import json
import multiprocessing
import os
import sys
import time
import warnings

warnings.simplefilter('ignore', DeprecationWarning)  # Debian's jellyfish: 'u' format notice
try:
    import jellyfish
except ImportError:
    sys.exit('peer_jellyfish.py: python3-jellyfish is missing (apt-get install python3-jellyfish)')

JW = getattr(jellyfish, 'jaro_winkler_similarity', None) or jellyfish.jaro_winkler

NAMES = []  # (entity, name_index, lower-case name)


def jellyfish_version():
    try:
        from importlib.metadata import version
        return version('jellyfish')
    except Exception:  # noqa: BLE001 - only for the report
        return getattr(jellyfish, '__version__', '?')


def read_tsv(path):
    with open(path, encoding='utf-8') as f:
        header = f.readline().rstrip('\n').split('\t')
        return [dict(zip(header, line.rstrip('\n').split('\t'))) for line in f if line.strip()]


def top10(query, skip=None):
    q = query.lower()
    best = {}
    for ent, idx, name in NAMES:
        if skip is not None and skip == (ent, idx):
            continue
        s = JW(q, name)
        if s > best.get(ent, -1.0):
            best[ent] = s
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:10]


def timed(query):
    t0 = time.perf_counter()
    top10(query)
    return (time.perf_counter() - t0) * 1e6


def pct(values, p):
    v = sorted(values)
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))] if v else 0.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('names')
    ap.add_argument('queries')
    ap.add_argument('holdout')
    ap.add_argument('--queries', dest='n_queries', type=int, default=200)
    ap.add_argument('--holdout', dest='n_holdout', type=int, default=300)
    ap.add_argument('--procs', type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()
    for r in read_tsv(args.names):
        NAMES.append((int(r['entity']), int(r['name_index']), r['name'].lower()))
    queries = [r['name'] for r in read_tsv(args.queries)][:args.n_queries]
    holdout = [r for r in read_tsv(args.holdout) if r['primary'] == '0'][:args.n_holdout]

    t0 = time.perf_counter()
    lat = [timed(q) for q in queries]
    one = len(queries) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    with multiprocessing.Pool(args.procs) as pool:  # fork: the workers share NAMES
        pool.map(timed, queries, chunksize=4)
    many = len(queries) / (time.perf_counter() - t0)

    found = cordon_found = 0
    for r in holdout:
        ent, idx = int(r['entity']), int(r['name_index'])
        found += any(e == ent for e, _ in top10(r['name'], (ent, idx)))
        cordon_found += r['cordon_rank'] != '0'
    print(json.dumps({
        'names': len(NAMES), 'queries': len(queries), 'qps_1_process': one,
        'qps_all_processes': many, 'processes': args.procs, 'p50_us': pct(lat, 0.5),
        'p99_us': pct(lat, 0.99), 'holdout_queries': len(holdout),
        'holdout_recall_at_10': found / len(holdout) if holdout else 0,
        'cordon_recall_at_10_same_queries': cordon_found / len(holdout) if holdout else 0,
        'jellyfish': jellyfish_version(),
    }))


if __name__ == '__main__':
    main()
