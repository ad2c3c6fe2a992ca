"""Chemical Weapons Convention schedules, the Harmonized System 2022 nomenclature and the UN
Security Council DPRK commodity bans."""
import csv
import os
import re

from textutil import cas_valid, clean_chars, squeeze

# ---------------------------------------------------------------------------------------------
# CWC Annex on Chemicals, Section B: Schedules of Chemicals

CWC_FILE = "CWC_en.txt"
CWC_DOC = "Convention on the Prohibition of Chemical Weapons, Annex on Chemicals, B. Schedules"
CWC_EDITION = "OPCW text incl. Schedule 1 amendments in force 2020-06-07"

SCHED_RE = re.compile(r"^Schedule\s+([123])\b")
PART_RE = re.compile(r"^([AB])\.\s+(Toxic chemicals|Precursors):?\s*$")
ITEM_RE = re.compile(r"^\((\d{1,2})\)\s+(.*)$")
CAS_END_RE = re.compile(r"\((\d{2,7}-\d{2}-\d)\)\s*$")
FOOTER_RE = re.compile(r"^\s*(?:\d+\s+Schedules of Chemicals|Schedules of Chemicals\s+\d+)\s*$")


def _cwc_chemical(text, role):
    """"e.g. Sarin: O-Isopropyl methylphosphonofluoridate (107-44-8)" -> dict."""
    m = CAS_END_RE.search(text)
    cas = m.group(1) if m else ""
    name = squeeze(text[:m.start()] if m else text)
    name = re.sub(r"^(?:e\.g\.|Exemptions?:)\s*", "", name)
    special = "(*)" in name
    name = squeeze(name.replace("(*)", ""))
    common = ""
    cm = re.match(r"^([A-Z][\w\- ]{0,24}?):\s+(\S.*)$", name)
    if cm:
        common, name = cm.group(1).strip(), cm.group(2).strip()
    rec = {"name": name, "common_name": common, "cas": cas, "role": role}
    if special:
        rec["special_threshold"] = True
    return rec


def parse_cwc(src_dir):
    path = os.path.join(src_dir, "cwc", CWC_FILE)
    rel = "src/cwc/" + CWC_FILE
    with open(path, encoding="utf-8") as f:
        # "\u0420-alkyl": a Cyrillic capital ER typed for P in Schedule 1 item (13)
        lines = [clean_chars(x.rstrip("\n")).replace("\u0420", "P") for x in f]
    start = next(i for i, x in enumerate(lines)
                 if SCHED_RE.match(x.strip()) and "CAS" in x + lines[i + 1])
    end = next(i for i in range(start, len(lines))
               if "ANNEX ON IMPLEMENTATION AND VERIFICATION" in lines[i])
    recs = []
    sched = part = None
    item = None

    def close():
        if item is None:
            return
        chems, heading, pending = [], [], []
        role = "listed"
        in_heading = True
        for ln in item["lines"]:
            s = ln.strip()
            if not s:
                in_heading = False if heading else in_heading
                pending = []
                continue
            if s.startswith("e.g."):
                role, in_heading, pending = "example", False, []
            elif re.match(r"^Exemptions?:", s):
                role, in_heading, pending = "exempt", False, []
            if re.match(r"^and corresponding .*salts$", s):
                if chems and not in_heading:
                    chems[-1]["salts"] = s
                else:
                    heading.append(s)
                continue
            if in_heading and not CAS_END_RE.search(s):
                heading.append(s)
                continue
            if in_heading and heading:
                # "(1) Amiton: O,O-Diethyl S-[2-...ethyl]" / "phosphorothiolate (78-53-5)"
                pending = heading[:]
                heading = []
            pending.append(s)
            if CAS_END_RE.search(s):
                in_heading = False
                chems.append(_cwc_chemical(" ".join(pending), role))
                pending = []
        if pending:
            heading.extend(pending)
        title = squeeze(" ".join(heading)).rstrip(":")
        if len(chems) == 1 and chems[0]["role"] == "listed" and not title:
            heading = []
        if not title and chems:
            title = chems[0]["common_name"] or chems[0]["name"]
        if len(chems) == 1 and chems[0]["role"] == "listed" and not heading:
            title = (chems[0]["common_name"] + ": " if chems[0]["common_name"] else "") + \
                chems[0]["name"]
        cas = [c["cas"] for c in chems if c["cas"] and c["role"] != "exempt"]
        recs.append({
            "regime": "cwc", "code": "%s.%s.%s" % (sched, part, item["num"]),
            "parent": "%s.%s" % (sched, part), "kind": "item", "schedule": int(sched),
            "part": part, "part_title": item["part_title"], "number": int(item["num"]),
            "title": title, "text": squeeze(" ".join(x.strip() for x in item["lines"])),
            "chemicals": chems, "cas": cas,
            "exempt_cas": [c["cas"] for c in chems if c["role"] == "exempt" and c["cas"]],
            "source": rel, "line": item["line"], "document": CWC_DOC, "edition": CWC_EDITION})

    part_title = ""
    for i in range(start, end):
        raw = lines[i]
        s = raw.strip()
        if FOOTER_RE.match(raw):
            continue
        m = SCHED_RE.match(s)
        if m:
            close()
            item = None
            sched = m.group(1)
            recs.append({"regime": "cwc", "code": sched, "parent": "", "kind": "schedule",
                         "schedule": int(sched), "title": "Schedule %s" % sched, "text": "",
                         "chemicals": [], "cas": [], "exempt_cas": [], "source": rel,
                         "line": i + 1, "document": CWC_DOC, "edition": CWC_EDITION})
            continue
        m = PART_RE.match(s)
        if m:
            close()
            item = None
            part, part_title = m.group(1), m.group(2)
            recs.append({"regime": "cwc", "code": "%s.%s" % (sched, part), "parent": sched,
                         "kind": "part", "schedule": int(sched), "part": part,
                         "title": "Schedule %s, part %s: %s" % (sched, part, part_title),
                         "text": "", "chemicals": [], "cas": [], "exempt_cas": [],
                         "source": rel, "line": i + 1, "document": CWC_DOC,
                         "edition": CWC_EDITION})
            continue
        m = ITEM_RE.match(s)
        if m and sched and part:
            close()
            item = {"num": m.group(1), "lines": [m.group(2)], "line": i + 1,
                    "part_title": part_title}
            continue
        if item is not None:
            item["lines"].append(raw)
    close()
    for r in recs:
        for c in r["chemicals"]:
            if c["cas"] and not cas_valid(c["cas"]):
                raise ValueError("%s:%d: CAS %s fails its check digit" % (rel, r["line"],
                                                                           c["cas"]))
    return recs


# ---------------------------------------------------------------------------------------------
# Harmonized System 2022

HS_DOC = "Harmonized System 2022 nomenclature (UN Comtrade via datahub.io)"


def parse_hs(src_dir):
    """Rows (code, parent, level, chapter, section, section_name, description) in file order."""
    base = os.path.join(src_dir, "hs")
    sections = {}
    with open(os.path.join(base, "sections.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            sections[row["section"].strip()] = squeeze(row["name"])
    rows = []
    seen = set()
    path = os.path.join(base, "harmonized-system.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            code = row["hscode"].strip()
            if code == "TOTAL":
                continue
            if not re.fullmatch(r"\d{2}|\d{4}|\d{6}", code):
                raise ValueError("%s:%d: bad HS code %r" % (path, n, code))
            if code in seen:
                raise ValueError("%s:%d: duplicate HS code %s" % (path, n, code))
            seen.add(code)
            parent = row["parent"].strip()
            parent = "" if parent == "TOTAL" else parent
            sec = row["section"].strip()
            desc = squeeze(clean_chars(row["description"])).replace("\t", " ")
            rows.append((code, parent, str(len(code)), code[:2], sec, sections.get(sec, ""),
                         desc))
    return rows


# ---------------------------------------------------------------------------------------------
# UN Security Council DPRK bans

DPRK_FILE = "unsc_dprk_trade_bans.csv"
DIRECTIONS = {"supply_to_DPRK": "import", "export_from_DPRK": "export", "both": "both"}


def _hs_tokens(text):
    """"7201-7206 (iron); 2615.90 / 2805.30; 2603/74" -> [("7201","7206"), ("261590",""), ...].
    Words in parentheses and "n/a" are dropped; a range is kept as (from, to)."""
    out = []
    if re.match(r"^\s*(?:see\b|n/a\s*$)", text or "", re.IGNORECASE):
        return out  # "see 2094 Annex IV, ...": a pointer to other rows, not codes
    t = re.sub(r"\([^)]*\)", " ", text or "")
    t = re.sub(r"regime lists are not HS-based", " ", t)
    for tok in re.split(r"[;,/]| or ", t):
        tok = tok.strip()
        if not tok or tok.lower() == "n/a":
            continue
        m = re.fullmatch(r"(\d{2,4}(?:\.\d{2})?)\s*-\s*(\d{2,4}(?:\.\d{2})?)", tok)
        if m:
            out.append((m.group(1).replace(".", ""), m.group(2).replace(".", "")))
            continue
        m = re.fullmatch(r"\d{2,4}(?:\.\d{2})?", tok)
        if m:
            out.append((tok.replace(".", ""), ""))
            continue
        raise ValueError("unreadable HS code %r in %r" % (tok, text))
    return out


def _expand(lo, hi, known):
    """All codes of the range at the precision written (7201-7206 -> 7201..7206)."""
    if not hi:
        return [lo]
    if len(lo) != len(hi):
        raise ValueError("HS range %s-%s mixes precisions" % (lo, hi))
    width = len(lo)
    codes = [str(x).zfill(width) for x in range(int(lo), int(hi) + 1)]
    return [c for c in codes if c in known] or codes


def parse_dprk(src_dir, hs_known):
    """One record per (rule, HS code); rules without a code keep one record with hs ""."""
    path = os.path.join(src_dir, "unsc_dprk", DPRK_FILE)
    rel = "src/unsc_dprk/" + DPRK_FILE
    recs = []
    with open(path, encoding="utf-8-sig", newline="") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            res = row["resolution"].strip()
            m = re.match(r"^(\d{4})\s*\((\d{4})\)$", res)
            if not m:
                raise ValueError("%s:%d: bad resolution %r" % (path, n, res))
            direction = DIRECTIONS.get(row["direction"].strip())
            if not direction:
                raise ValueError("%s:%d: bad direction %r" % (path, n, row["direction"]))
            in_text = _hs_tokens(row["hs_codes_in_resolution_text"])
            suggested = _hs_tokens(row["hs_codes_suggested_mapping"])
            verification = squeeze(row["verification"])
            verified = not verification.lower().startswith("unverified") and bool(verification)
            base = {
                "resolution": int(m.group(1)), "year": int(m.group(2)),
                "paragraph": row["paragraph"].strip(),
                "citation": "S/RES/%s (%s), para. %s" % (m.group(1), m.group(2),
                                                        row["paragraph"].strip())
                if not row["paragraph"].strip().startswith("Annex") else
                "S/RES/%s (%s), %s" % (m.group(1), m.group(2), row["paragraph"].strip()),
                "direction": direction, "direction_text": row["direction"].strip(),
                "item": squeeze(row["item"]),
                "luxury": "luxury" in row["item"].lower(),
                "limits": squeeze(row["limits_or_exemptions"]),
                "verification": verification, "verified": verified,
                "source": rel, "line": n}
            codes = [(c, "resolution_text") for t in in_text for c in _expand(*t, hs_known)]
            codes += [(c, "suggested") for t in suggested for c in _expand(*t, hs_known)]
            if not codes:
                codes = [("", "none")]
            seen = set()
            for code, src in codes:
                if code in seen:
                    continue
                seen.add(code)
                rec = dict(base)
                rec["hs"] = code
                rec["hs_level"] = len(code)
                rec["hs_source"] = src
                rec["hs_known"] = code in hs_known if code else False
                recs.append(rec)
    return recs
