#!/usr/bin/env python3
"""Coverage audit of the goods vocabulary: for every control entry, how many buyer words lead
to it. An entry no vocabulary term or chemical name reaches can only be found by a CAS number,
an HS code or a stated value, so an unseen description of it is likely missed.

    python3 tools/controls/coverage.py                 # summary per regime
    python3 tools/controls/coverage.py --list none     # the entries nothing reaches
    python3 tools/controls/coverage.py --list thin     # reached only through a parent heading
    python3 tools/controls/coverage.py --regime mtcr --list all

Counted per entry: `direct` (terms and chemical names targeting it), `below` (targeting one of
its sub-entries: a description of the sub-entry ranks it, so the family is reached) and
`above` (targeting an ancestor that is itself an entry). An entry is `none` when all three are
0, `thin` when only `above` is not. Wassenaar and EU entries with the same code are one item
(the lists are the same text): a term for one counts for the other unless --strict.
Software (x.D), technology (x.E, ML21, ML22) and "not used" entries are left out: buyers'
order lines describe goods. Standard library only.
"""
import argparse
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FILES = {"mtcr": "mtcr.jsonl", "wa": "wassenaar.jsonl", "eu": "eu_dual_use.jsonl",
         "nsg1": "nsg_part1.jsonl", "nsg2": "nsg_part2.jsonl", "cwc": "cwc_schedules.jsonl"}
SELECTABLE = {"item", "entry", "sub", "section"}


def is_goods(pre, code):
    """False for software and technology entries."""
    if pre in ("wa", "eu"):
        if code.startswith("ML"):
            return not re.match(r"ML2[12]\b", code)
        return not re.match(r"\d[DE]", code)
    if pre in ("mtcr", "nsg2"):
        return not re.match(r"\d+\.[DE]\b", code)
    return True


def load_entries(data):
    entries = {}  # key "pre:code" -> record
    for pre, name in FILES.items():
        with open(os.path.join(data, name), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                r["key"] = "%s:%s" % (pre, r["code"])
                r["pre"] = pre
                r["pkey"] = "%s:%s" % (pre, r["parent"]) if r["parent"] else ""
                entries[r["key"]] = r
    return entries


def load_terms(data):
    """key -> number of vocabulary terms (term, abbr) and chemical names that target it."""
    hits = {}
    with open(os.path.join(data, "vocabulary.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            f5 = line.rstrip("\n").split("\t")
            if len(f5) != 5 or f5[0] not in ("term", "abbr"):
                continue
            for t in f5[2].split():
                hits[t] = hits.get(t, 0) + 1
    with open(os.path.join(data, "chemical_names.tsv"), encoding="utf-8") as f:
        next(f)
        for line in f:
            f4 = line.rstrip("\n").split("\t")
            if len(f4) == 4 and f4[2] != "exempt":
                for t in f4[3].split():
                    hits[t] = hits.get(t, 0) + 1
    return hits


def audit(data, strict):
    entries = load_entries(data)
    hits = load_terms(data)

    def own(key):
        n = hits.get(key, 0)
        if not strict and key[:3] in ("wa:", "eu:"):
            other = ("eu:" if key.startswith("wa:") else "wa:") + key[3:]
            n += hits.get(other, 0)
        return n

    children = {}
    for k, r in entries.items():
        if r["pkey"]:
            children.setdefault(r["pkey"], []).append(k)

    below = {}

    def count_below(k):
        if k not in below:
            below[k] = sum(own(c) + count_below(c) for c in children.get(k, []))
        return below[k]

    rows = []
    for k, r in entries.items():
        if r["kind"] not in SELECTABLE or r.get("status") == "not_used":
            continue
        if not is_goods(r["pre"], r["code"]) or re.search(r"\bnot used\b", r.get("title", ""),
                                                          re.I):
            continue
        above, p = 0, r["pkey"]
        while p and p in entries and entries[p]["kind"] in SELECTABLE:
            above += own(p)
            p = entries[p]["pkey"]
        d, b = own(k), count_below(k)
        state = "ok" if d or b else ("thin" if above else "none")
        rows.append((r["pre"], r["code"], r["kind"], d, b, above, state, r.get("title", "")))
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.path.join(REPO, "data", "controls"))
    ap.add_argument("--regime", help="mtcr, wa, eu, nsg1, nsg2 or cwc")
    ap.add_argument("--list", choices=("none", "thin", "all"))
    ap.add_argument("--top", action="store_true", help="only entries, not their sub-entries")
    ap.add_argument("--strict", action="store_true", help="Wassenaar and EU counted apart")
    a = ap.parse_args(argv)
    rows = audit(a.data, a.strict)
    if a.regime:
        rows = [r for r in rows if r[0] == a.regime]
    if a.top:
        rows = [r for r in rows if r[2] != "sub"]
    if a.list:
        for r in rows:
            if a.list == "all" or r[6] == a.list:
                print("%s:%s\t%s\tdirect %d below %d above %d\t%s\t%s" %
                      (r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7][:70]))
        return 0
    print("%-5s %8s %8s %8s %8s   %s" % ("list", "entries", "none", "thin", "ok",
                                         "none (top-level)"))
    tot = [0, 0, 0, 0, 0]
    for pre in FILES:
        rs = [r for r in rows if r[0] == pre]
        if not rs:
            continue
        n = len(rs)
        none = sum(r[6] == "none" for r in rs)
        thin = sum(r[6] == "thin" for r in rs)
        ok = n - none - thin
        top_none = sum(r[6] == "none" and r[2] != "sub" for r in rs)
        print("%-5s %8d %8d %8d %8d   %d" % (pre, n, none, thin, ok, top_none))
        for i, v in enumerate((n, none, thin, ok, top_none)):
            tot[i] += v
    print("%-5s %8d %8d %8d %8d   %d" % ("all", *tot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
