#!/usr/bin/env python3
"""Threshold audit: stated limits the parser left out of "thresholds".

    python3 tools/controls/threshold_audit.py            # counts by unit, top 40
    python3 tools/controls/threshold_audit.py --list mGal  # the entries for one unit token

A stated limit is a number followed by a unit-like token ("0.05 mGal", "2 deg/h", "10 dBm")
with a comparator close before it ("exceeding", "less than", "better than", ">") or after it
("or more", "or less"). It is missing when no threshold of the record has that number with a unit (a limit read as
a bare count, "0,7" without its "mGal", is missing too); the
count is by the unit token as written, with `known` when the parser's unit table
(textutil.UNIT_CANON) already recognises it. Standard library only.
"""
import argparse
import collections
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from textutil import _CMP_AFTER, _CMP_BEFORE, canon_unit, clean_chars, parse_number  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
FILES = ["mtcr.jsonl", "wassenaar.jsonl", "eu_dual_use.jsonl", "nsg_part1.jsonl",
         "nsg_part2.jsonl"]
_BEFORE = re.compile(r"(?:%s|>=|<=|>|<)\s*(?:an?\s+|the\s+)?$" %
                     "|".join(p for p, _c in _CMP_BEFORE), re.IGNORECASE)
_AFTER = re.compile(r"^\s*(?:\([^)]{0,30}\)\s*)?(?:%s)\b" % "|".join(p for p, _c in _CMP_AFTER),
                    re.IGNORECASE)
# a number, an optional "x 10N", and the unit-like token after it (letters, µ, °, %, /, ·)
_VALUE = re.compile(r"(?<![\w.])(\d[\d,. ]*\d|\d)(?:\s*[x×X\*]\s*10\s?(-?\s?\d{1,2}))?\s*"
                    r"((?:[A-Za-zµμ°%][A-Za-z0-9µμ°%·.]*(?:/[A-Za-z0-9µμ°]+)*)"
                    r"(?:\s(?:rms|per (?:hour|second|minute|hr|s|h|min)))?)")
_NOT_UNITS = {"and", "or", "to", "of", "in", "for", "the", "a", "an", "at", "with", "by", "x",
              "times", "per", "from", "on", "as", "is", "are", "not", "this", "that", "but",
              "when", "which", "where", "than", "nor", "each", "all", "any", "e.g.", "i.e.",
              "bit", "bits"}


def stated(text):
    """(number, unit token) pairs with a comparator around them."""
    t = clean_chars(text)
    for m in _VALUE.finditer(t):
        tok = m.group(3).rstrip(".,")
        if tok.lower() in _NOT_UNITS or tok.lower().split()[0] in _NOT_UNITS:
            continue
        if not (_BEFORE.search(t[max(0, m.start() - 60):m.start()]) or _AFTER.match(t[m.end():])):
            continue
        v = parse_number(m.group(1).rstrip(" ,."))
        if v is not None and m.group(2):
            v *= 10 ** int(m.group(2).replace(" ", ""))
        if v is not None:
            yield v, tok


def audit(data):
    missing = collections.Counter()
    parsed = collections.Counter()
    where = collections.defaultdict(list)
    for name in FILES:
        with open(os.path.join(data, name), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                ths = r.get("thresholds", [])
                for th in ths:
                    parsed[th["unit"] or "(count)"] += 1
                values = set()  # numbers read with a unit; a bare count does not cover "0,7 mGal"
                for th in ths:
                    for k in ("value", "value_max"):
                        if k in th and th["unit"]:
                            values.add(round(float(th[k]), 9))
                for v, tok in stated(r.get("text", "")):
                    if round(v, 9) in values:
                        continue
                    base = tok.split()[0] if tok.split()[0].lower() != "g" else tok
                    missing[base] += 1
                    where[base].append("%s:%s %s %s" % (r["regime"], r["code"], v, tok))
    return missing, parsed, where


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=os.path.join(REPO, "data", "controls"))
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--list", metavar="UNIT", help="list the records missing this unit token")
    ap.add_argument("--parsed", action="store_true", help="also print thresholds per unit")
    a = ap.parse_args()
    missing, parsed, where = audit(a.data)
    if a.list:
        for w in where.get(a.list, []):
            print(w)
        return 0
    print("missing stated limits: %d (units the parser knows: %d)" % (
        sum(missing.values()), sum(n for u, n in missing.items() if canon_unit(u))))
    for u, n in missing.most_common(a.top):
        print("%6d  %-16s %s" % (n, u, "known" if canon_unit(u) else ""))
    if a.parsed:
        print("thresholds parsed: %d" % sum(parsed.values()))
        for u, n in sorted(parsed.items()):
            print("%6d  %s" % (n, u))
    return 0


if __name__ == "__main__":
    sys.exit(main())
