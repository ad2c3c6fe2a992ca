#!/usr/bin/env python3
"""Regenerates the structured control-list files in data/controls/ from the official texts in
data/controls/src/ (see data/controls/README.md for sources, editions and licences).

    python3 tools/controls/build_controls.py            # rewrite data/controls/*.jsonl, *.tsv
    python3 tools/controls/build_controls.py --check    # regenerate in memory, compare
    python3 tools/controls/build_controls.py --out DIR  # write somewhere else

A new edition is a new file under src/, a re-run, and a review of `git diff data/controls`.
Standard library only.
"""
import argparse
import hashlib
import io
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import parse_eu  # noqa: E402
import parse_mtcr  # noqa: E402
import parse_nsg  # noqa: E402
import parse_other  # noqa: E402
import parse_wassenaar  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_DIR = os.path.join(REPO, "data", "controls")

HS_HEADER = ["code", "parent", "level", "chapter", "section", "section_name", "description"]


def jsonl(records):
    out = io.StringIO()
    for r in records:
        out.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")
    return out.getvalue()


def tsv(header, rows):
    out = io.StringIO()
    out.write("\t".join(header) + "\n")
    for row in rows:
        for v in row:
            if "\t" in v or "\n" in v:
                raise ValueError("tab or newline in TSV value %r" % v)
        out.write("\t".join(row) + "\n")
    return out.getvalue()


def luxury_items(bans):
    """The DPRK luxury-goods list: one record per good the resolutions name."""
    out = []
    seen = set()
    for r in bans:
        if not r["luxury"] or (r["resolution"], r["paragraph"]) in seen:
            continue
        seen.add((r["resolution"], r["paragraph"]))
        codes = [x["hs"] for x in bans if x["resolution"] == r["resolution"] and
                 x["paragraph"] == r["paragraph"] and x["hs"]]
        text = re.sub(r"^(?:Additional\s+)?luxury goods:?\s*", "", r["item"], flags=re.I)
        parts = [p.strip() for p in re.split(r";|,(?![^()]*\))", text) if p.strip()]
        if not parts:
            parts = [r["item"]]
        for p in parts:
            m = re.search(r"\(\s*>\s*USD\s*([\d,]+)\s*\)", p)
            rec = {"item": re.sub(r"\s*\([^)]*\)\s*$", "", p), "resolution": r["resolution"],
                   "year": r["year"], "paragraph": r["paragraph"], "citation": r["citation"],
                   "hs_codes": codes, "hs_source": r["hs_source"] if codes else "none",
                   "min_value_usd": int(m.group(1).replace(",", "")) if m else None,
                   "verified": r["verified"], "verification": r["verification"],
                   "source": r["source"], "line": r["line"]}
            out.append(rec)
    return out


PREFIX = {"mtcr": "mtcr", "wassenaar": "wa", "eu_dual_use": "eu", "nsg_part1": "nsg1",
          "nsg_part2": "nsg2", "cwc": "cwc"}
CAS_NAME_RE = re.compile(r"\(\s*CAS\s+([\d-]+)(?:\s*[,/]\s*(?:CAS\s+)?[\d-]+)*\s*\)")


def _names_before(text, end):
    """Chemical names written just before "(CAS ...)": "Unsymmetrical dimethylhydrazine
    (UDMH)" -> ["Unsymmetrical dimethylhydrazine", "UDMH"]."""
    head = text[:end].rstrip()
    # "Tepan (HX-879), reaction product of tetraethylenepentamine and acrylonitrile": the
    # name is before the description, not its last word
    rp = re.search(r",?\s*reaction product of\b[^;:()]*$", head)
    if rp:
        head = head[:rp.start()].rstrip()
    cut = 0
    for sep in ("; ", ": ", " / ", "), ", ". ", " or ", " and "):
        i = head.rfind(sep)
        if i >= 0:
            cut = max(cut, i + len(sep))
    seg = head[cut:].strip(" ,.")
    seg = re.sub(r"^(?:\d{1,2}\.|[a-z]\.|e\.g\.,?|\(?[a-z]\))\s*", "", seg)
    seg = re.sub(r"^(?:including|such as|of|as follows)\s+", "", seg)
    names = []
    m = re.match(r"^(.*?)((?:\s+\([^()]*\))*)$", seg)
    base, parens = m.group(1).strip(" ,"), m.group(2)
    if base and len(base) <= 80 and base.count("(") == base.count(")") and \
            base.count("[") == base.count("]") and re.match(r"^[\w\u0370-\u03ff]", base) and \
            not re.search(r"\b(?:having|which|than|specified|containing)\b", base):
        names.append(base)
    for a in re.findall(r"\(([^()]+)\)", parens):
        for part in re.split(r",\s+|;\s*", a.strip()):
            if 2 <= len(part) <= 80 and re.search(r"[A-Za-z]{2}", part) and \
                    re.match(r"^[\w\u0370-\u03ff]", part) and \
                    part.count("(") == part.count(")") and \
                    not part.lower().startswith(("cas", "see", "e.g", "i.e")):
                names.append(part)
    return names


ELEMENTS = {
    "aluminium", "aluminum", "beryllium", "bismuth", "boron", "calcium", "hafnium", "lithium",
    "magnesium", "nickel", "niobium", "rhenium", "tantalum", "titanium", "tungsten", "zirconium",
    "molybdenum", "iron", "copper", "silicon", "gallium", "germanium", "indium", "thorium",
    "uranium", "plutonium", "tritium", "deuterium", "helium", "hydrogen", "fluorine",
    "chlorine", "nitrogen", "oxygen", "carbon", "graphite", "lead", "silver", "gold", "zinc"}


# The CWC families of Schedule 2 (and 1.B.9) name no members: the chemicals the other lists
# name (EU 1C350, 1C450, Munitions List ML7) that fall in a family are its members. Matched on
# the name folded by _family_key: Me, Et, n-Pr or i-Pr alkyls as the families' texts allow.
_ALK = r"(?:methyl|ethyl|propyl|isopropyl)"
CWC_FAMILIES = [
    ("1.B.9", re.compile(r"^%sphosphonyldifluoride$" % _ALK), None),
    ("2.B.4", re.compile(r"(?:methyl|ethyl|propyl)phosph(?:on|in)"),
     # Schedule 1 members of the phosphonate family belong to Schedule 1
     re.compile(r"fluoridate|chloridate|cyanidate|aminoethyl|phosphonyldifluoride|thiolate")),
    ("2.B.5", re.compile(r"^di%s(?:amino)?phosphor(?:amidic|yl)di(?:chloride|fluoride|bromide|"
                         r"iodide)$" % _ALK), None),
    ("2.B.6", re.compile(r"^di%sdi%sphosphoramidate$" % (_ALK, _ALK)), None),
    ("2.B.10", re.compile(r"^di%saminoethylchloride(?:hydrochloride)?$" % _ALK), None),
    ("2.B.11", re.compile(r"^di%saminoethanol$" % _ALK), None),
    ("2.B.12", re.compile(r"^di%saminoethanethiol$" % _ALK), None),
]


def _family_key(name):
    """"N,N-Diisopropyl-(beta)-aminoethyl chloride" -> "diisopropylaminoethylchloride"."""
    n = name.lower()
    n = re.sub(r"\b(?:n,n|o,o|o|n|s)-", "", n)
    n = re.sub(r"\((?:beta|2)\)|\b2-|-2-", "", n)
    return re.sub(r"[^a-z]", "", n)


def cwc_family_members(rows, cwc_recs):
    """Adds the CWC family target to the rows of chemicals other lists name in that family,
    leaving out the family's exemptions and chemicals of Schedule 1."""
    exempt = {r["code"]: set(r.get("exempt_cas", [])) for r in cwc_recs}
    sched1 = {c for r in cwc_recs if r.get("schedule") == 1 for c in r.get("cas", [])}
    for row in rows.values():
        name, cas, role, targets = row
        if role != "listed" or cas in sched1 or any(t.startswith("cwc:") for t in targets):
            continue
        key = _family_key(name)
        for code, pat, not_pat in CWC_FAMILIES:
            if pat.search(key) and not (not_pat and not_pat.search(key)) and \
                    cas not in exempt.get(code, ()):
                targets.append("cwc:" + code)


def chemical_names(by_regime):
    """name, cas, target rows for every chemical the lists name with a CAS number."""
    rows = {}

    def add(name, cas, target, role):
        name = re.sub(r"\s+", " ", name).strip()
        name = re.sub(r"^(?:also known as|including|i\.e\.|"
                      r"see (?:military goods controls|\w+) for)\s+", "", name, flags=re.I)
        # "Sarin (GB):O-Isopropyl methylphosphonofluoridate": common name, code and name
        # (not the code: "GB" is also a gigabyte)
        m = re.match(r"^([A-Z][a-z]+) \([A-Z]{1,3}\)\s*:\s*(\S.*)$", name)
        if m:
            for part in m.groups():
                add(part, cas, target, role)
            return
        if re.match(r"^(?:Metal powders|Ceramic powders)\b", name):
            return
        if not name or "\t" in name:
            return
        key = (name.lower(), cas, role)
        rows.setdefault(key, [name, cas, role, []])
        if target not in rows[key][3]:
            rows[key][3].append(target)

    for regime, recs in by_regime.items():
        pre = PREFIX[regime]
        for r in recs:
            if regime == "cwc":
                for c in r.get("chemicals", []):
                    role = "exempt" if c["role"] == "exempt" else "listed"
                    for nm in (c["name"], c["common_name"]):
                        if nm:
                            add(nm, c["cas"], "%s:%s" % (pre, r["code"]), role)
                continue
            if not r.get("cas") or r["kind"] not in ("entry", "sub"):
                continue
            for m in CAS_NAME_RE.finditer(r["text"]):
                for nm in _names_before(r["text"], m.start()):
                    add(nm, m.group(1), "%s:%s" % (pre, r["code"]), "listed")
    cwc_family_members(rows, by_regime.get("cwc", []))
    # one chemical, one set of entries: every name of a CAS number leads to all its entries
    by_cas = {}
    for (_low, cas, role), row in rows.items():
        if role == "listed":
            for t in row[3]:
                if t not in by_cas.setdefault(cas, []):
                    by_cas[cas].append(t)
    for (_low, cas, role), row in rows.items():
        if role == "listed":
            row[3].extend(t for t in by_cas[cas] if t not in row[3])
    out = []
    for (_low, cas, role), (name, cas2, role2, targets) in sorted(rows.items()):
        if role2 == "listed" and name.lower() in ELEMENTS:
            role2 = "element"  # "zirconium": the entry is about its powder, alloy or isotope
        out.append([name, cas2, role2, " ".join(targets)])
    return out


def build(src_dir):
    """Returns ({file name: content}, {file name: warnings}, summary rows)."""
    files, warnings, summary = {}, {}, []

    b, _toc, _cited = parse_mtcr.parse(src_dir)
    recs = b.finish()
    files["mtcr.jsonl"] = jsonl(recs)
    warnings["mtcr.jsonl"] = b.warnings
    summary.append(("mtcr.jsonl", len(recs), sum(r["kind"] in ("entry", "sub") for r in recs)))

    du, ml = parse_wassenaar.parse(src_dir)
    recs = du.finish()
    for r in recs:
        r["list"] = "dual_use"
    mlrecs = ml.finish()
    for r in mlrecs:
        r["regime"] = "wassenaar"
        r["list"] = "munitions"
    files["wassenaar.jsonl"] = jsonl(recs + mlrecs)
    warnings["wassenaar.jsonl"] = du.warnings + ml.warnings
    summary.append(("wassenaar.jsonl", len(recs) + len(mlrecs),
                    sum(r["kind"] in ("entry", "sub") for r in recs + mlrecs)))

    b = parse_eu.parse(src_dir)
    recs = b.finish()
    files["eu_dual_use.jsonl"] = jsonl(recs)
    warnings["eu_dual_use.jsonl"] = b.warnings
    summary.append(("eu_dual_use.jsonl", len(recs),
                    sum(r["kind"] in ("entry", "sub") for r in recs)))

    for name, fn in (("nsg_part1.jsonl", parse_nsg.parse_part1),
                     ("nsg_part2.jsonl", parse_nsg.parse_part2)):
        b = fn(src_dir)
        recs = b.finish()
        files[name] = jsonl(recs)
        warnings[name] = b.warnings
        summary.append((name, len(recs), sum(r["kind"] in ("entry", "sub") for r in recs)))

    recs = parse_other.parse_cwc(src_dir)
    files["cwc_schedules.jsonl"] = jsonl(recs)
    summary.append(("cwc_schedules.jsonl", len(recs), sum(r["kind"] == "item" for r in recs)))

    rows = parse_other.parse_hs(src_dir)
    files["hs2022.tsv"] = tsv(HS_HEADER, rows)
    summary.append(("hs2022.tsv", len(rows), sum(len(r[0]) == 6 for r in rows)))

    known = set(r[0] for r in rows)
    bans = parse_other.parse_dprk(src_dir, known)
    files["unsc_dprk_bans.jsonl"] = jsonl(bans)
    summary.append(("unsc_dprk_bans.jsonl", len(bans),
                    len(set((r["resolution"], r["paragraph"]) for r in bans))))
    lux = luxury_items(bans)
    files["unsc_dprk_luxury.jsonl"] = jsonl(lux)
    summary.append(("unsc_dprk_luxury.jsonl", len(lux), len(lux)))

    by_regime = {}
    for name in ("mtcr.jsonl", "wassenaar.jsonl", "eu_dual_use.jsonl", "nsg_part2.jsonl",
                 "cwc_schedules.jsonl"):
        recs = [json.loads(x) for x in files[name].splitlines()]
        by_regime.setdefault(recs[0]["regime"], []).extend(recs)
    chem = chemical_names(by_regime)
    files["chemical_names.tsv"] = tsv(["name", "cas", "role", "targets"], chem)
    summary.append(("chemical_names.tsv", len(chem), len({r[1] for r in chem})))

    files["MANIFEST.tsv"] = manifest(src_dir, files, summary)
    return files, warnings, summary


def manifest(src_dir, files, summary):
    """What was built from what: file, records, entries, and the SHA-256 of every source."""
    rows = []
    for name, n, entries in summary:
        rows.append(["output", name, str(n), str(entries),
                     hashlib.sha256(files[name].encode("utf-8")).hexdigest()])
    for dirpath, _dirs, names in sorted(os.walk(src_dir)):
        for fn in sorted(names):
            path = os.path.join(dirpath, fn)
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
            rel = os.path.relpath(path, os.path.dirname(src_dir)).replace(os.sep, "/")
            rows.append(["source", rel, "", "", digest])
    return tsv(["kind", "file", "records", "entries", "sha256"], rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--src", default=os.path.join(DEFAULT_DIR, "src"),
                    help="directory of the source texts (default data/controls/src)")
    ap.add_argument("--out", default=DEFAULT_DIR, help="output directory (default data/controls)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; fail if the files in --out differ from a fresh build")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    try:
        files, warnings, summary = build(args.src)
    except (OSError, ValueError, StopIteration) as e:
        print("build_controls: %s" % e, file=sys.stderr)
        return 2
    status = 0
    for name, ws in warnings.items():
        for w in ws:
            print("warning: %s" % w, file=sys.stderr)
            if "hint" in w:
                status = 2  # a hint that no longer matches: the source text changed
    if args.check:
        for name in sorted(files):
            path = os.path.join(args.out, name)
            try:
                with open(path, encoding="utf-8", newline="") as f:
                    old = f.read()
            except OSError as e:
                print("%s: cannot read: %s" % (path, e), file=sys.stderr)
                status = 1
                continue
            if old != files[name]:
                print("%s: differs from a fresh build (re-run build_controls.py and review "
                      "the diff)" % path, file=sys.stderr)
                status = 1
        if status == 0 and not args.quiet:
            print("build_controls: %d files match a fresh build" % len(files))
        return status
    os.makedirs(args.out, exist_ok=True)
    for name, content in sorted(files.items()):
        path = os.path.join(args.out, name)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(content)
        os.replace(tmp, path)
    if not args.quiet:
        for name, n, entries in summary:
            print("%-24s %6d records %6d entries" % (name, n, entries))
    return status


if __name__ == "__main__":
    sys.exit(main())
