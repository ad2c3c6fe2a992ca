"""Nuclear Suppliers Group lists (IAEA INFCIRC/254):
- Part 1, the trigger list: Annex A materials (A.1.1, A.1.2) and Annex B equipment (B.1.1 ...
  B.7.2.x), with sub-items "(a)" and the INTRODUCTORY / EXPLANATORY NOTE blocks as notes;
- Part 2, the nuclear-related dual-use list: 1.A.1 ... 6.E.1 with lettered sub-entries.
Page headers ("INFCIRC/254/Rev.12/Part 2", "NSG Part 1", "June 2013") and page numbers
("1-3", "- 24 -") are dropped; the Part 1 comparison table at the end is not read.
"""
import os
import re

from outline import Builder, EntryParser, note_kind, paragraphs
from textutil import clean_chars

P1_FILE = "infcirc254r12p1.txt"
P2_FILE = "NSG_Part_2_2022.txt"
P1_DOC = "NSG Guidelines for Nuclear Transfers, INFCIRC/254/Rev.12/Part 1 (trigger list)"
P2_DOC = ("NSG Guidelines for Transfers of Nuclear-related Dual-use Equipment, Materials, "
          "Software and Related Technology, INFCIRC/254/Part 2 (dual-use list)")
P1_EDITION = "2013-11-13"
P2_EDITION = "2022"

PAGE_RE = re.compile(r"^\s*(?:INFCIRC/254/\S*(?:\s+Part\s*\d)?|NSG Part \d|June 2013|"
                     r"-\s*\d+\s*-|\d{1,2}\s*[-\u2013]\s*\d{1,2}|[ivx]+|\d{1,3}|Attachment)\s*$")

P2_CATEGORIES = {
    "1": "Industrial equipment", "2": "Materials",
    "3": "Uranium isotope separation equipment and components",
    "4": "Heavy water production plant related equipment",
    "5": "Test and measurement equipment for the development of nuclear explosive devices",
    "6": "Components for nuclear explosive devices"}
GROUPS = {"A": "Equipment, assemblies and components", "B": "Test and production equipment",
          "C": "Materials", "D": "Software", "E": "Technology"}

P2_ENTRY_RE = re.compile(r"^(\d)\.([A-E])\.(\d{1,2})\.?\s+(\S.*)$")
P2_GROUP_RE = re.compile(r"^(\d)\.([A-E])\.\s+([A-Z][A-Z ,]+)$")
P2_CAT_RE = re.compile(r"^\s*(\d)\.\s+([A-Z][A-Z ,]+)$")


def _read(path):
    with open(path, encoding="utf-8") as f:
        return [clean_chars(x.rstrip("\n")) for x in f]


def _join(parts):
    """Joins wrapped lines; a label that lost its dot ("3   Five or more") gets it back."""
    parts = [re.sub(r"^((?:\d{1,2}|[a-z]))\s{2,}(?=[A-Z\"'(])", r"\1. ", p) for p in parts]
    out = ""
    for p in parts:
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and p[:1].islower():
            out += p
        else:
            out = (out + " " + p) if out else p
    return re.sub(r"\s+", " ", out).strip()


def _paras(lines, starts_new):
    for lineno, ind, text in paragraphs(lines, starts_new):
        yield lineno, ind, text


def _starts_new(s, prev):
    if re.match(r"^(?:[a-z]|\d{1,2})\.\s", s) or re.match(r"^\([a-z]\)\s", s) or note_kind(s):
        return bool(re.search(r"[.;:]\s*$", prev))
    return False


def parse_part2(src_dir):
    path = os.path.join(src_dir, "nsg", P2_FILE)
    rel = "src/nsg/" + P2_FILE
    b = Builder("nsg_part2", P2_DOC, P2_EDITION, rel)
    lines = _read(path)
    start = None
    for i, line in enumerate(lines):
        if re.match(r"^\s+1\.\s+INDUSTRIAL EQUIPMENT\s*$", line):
            start = i  # the second one: the first is in the contents
    if start is None:
        raise ValueError("%s: annex not found" % path)

    def heading_of(code):
        cat = code[0]
        h = "%s. %s" % (cat, P2_CATEGORIES.get(cat, ""))
        if len(code) > 2 and code[2] in GROUPS:
            h += " / " + GROUPS[code[2]]
        return h

    ep = EntryParser(b, heading_of)
    body = []
    for i in range(start, len(lines)):
        line = lines[i]
        if PAGE_RE.match(line):
            body.append((i + 1, ""))
            continue
        body.append((i + 1, line))
    # code lines start a paragraph of their own
    pending = []

    def flush():
        for lineno, ind, text in _paras(pending, _starts_new):
            ep.paragraph(lineno, ind, _join([text]))
        del pending[:]

    for lineno, line in body:
        s = line.strip()
        cm = P2_CAT_RE.match(line)
        if cm and cm.group(1) in P2_CATEGORIES and cm.group(2).strip().isupper():
            flush()
            ep.close()
            b.add(cm.group(1), "", "category", "", lineno, heading="Annex",
                  title="%s. %s" % (cm.group(1), P2_CATEGORIES[cm.group(1)]))
            continue
        gm = P2_GROUP_RE.match(line)
        if gm:
            flush()
            ep.close()
            code = "%s.%s" % (gm.group(1), gm.group(2))
            b.add(code, gm.group(1), "group", "", lineno, heading=heading_of(code),
                  title=GROUPS[gm.group(2)].capitalize())
            continue
        em = P2_ENTRY_RE.match(line)
        if em and not line.startswith(" "):
            flush()
            code = "%s.%s.%s" % (em.group(1), em.group(2), em.group(3))
            ep.start_entry(code, "%s.%s" % (em.group(1), em.group(2)), lineno, "")
            pending.append((lineno, " " * 9 + em.group(4)))
            continue
        if ep.outline is None and s and not PAGE_RE.match(line):
            continue  # "None." under a group, text between groups
        pending.append((lineno, line))
    flush()
    ep.close()
    return b


# ---------------------------------------------------------------------------------------------
# Part 1

P1_ITEM_RE = re.compile(r"^(\d)\.(\d{1,2}(?:\.\d{1,2})?\.?)?\s+(\S.*)$")
P1_NOTE_RE = re.compile(r"^\s*(INTRODUCTORY NOTE|EXPLANATORY NOTE|EXPORTS|N\.B\.?:?|Note:?)"
                        r"(?:\s|$)")


def parse_part1(src_dir):
    path = os.path.join(src_dir, "nsg", P1_FILE)
    rel = "src/nsg/" + P1_FILE
    b = Builder("nsg_part1", P1_DOC, P1_EDITION, rel)
    lines = _read(path)
    # Annex A "MATERIAL AND EQUIPMENT" section 1, then Annex B up to Annex C
    a_start = b_start = end = None
    for i, line in enumerate(lines):
        s = line.strip()
        if s == "MATERIAL AND EQUIPMENT" and a_start is None and i > 500:
            a_start = i
        if s == "ANNEX B" and b_start is None and a_start is not None:
            b_start = i
        if s == "ANNEX C" and b_start is not None:
            end = i
            break
    if a_start is None or b_start is None or end is None:
        raise ValueError("%s: Annex A/B not found" % path)

    titles = {}

    def heading_of(code):
        sec = ".".join(code.split(".")[:2])
        return titles.get(sec, "")

    ep = EntryParser(b, heading_of, paren=True, plain=True)
    ep_sep = "."

    def run(lo, hi, prefix):
        pending = []
        sec_title = None

        def flush():
            for lineno, ind, text in _paras(pending, _p1_starts_new):
                if P1_NOTE_RE.match(text) and not note_kind(text):
                    text = "Technical Note: " + text  # INTRODUCTORY/EXPLANATORY NOTE, EXPORTS
                ep.paragraph(lineno, ind, _join([text]))
            del pending[:]

        for i in range(lo, hi):
            line = lines[i]
            lineno = i + 1
            if PAGE_RE.match(line):
                pending.append((lineno, ""))
                continue
            m = P1_ITEM_RE.match(line)
            if m and not line.startswith(" "):
                num = m.group(1) + ("." + m.group(2).rstrip(".") if m.group(2) else "")
                if prefix == "A" and num.split(".")[0] != "1":
                    flush()
                    ep.close()
                    return  # Annex A section 2 only points to Annex B
                flush()
                code = prefix + ep_sep + num
                parent = code.rsplit(".", 1)[0] if "." in num else prefix
                # a heading may wrap onto the next line(s)
                title = m.group(3)
                j = i + 1
                while j < hi and lines[j].strip() and not P1_NOTE_RE.match(lines[j]) and \
                        not re.match(r"^\s*\(", lines[j]) and title.rstrip()[-1:] not in ".;:" \
                        and len(lines[j]) - len(lines[j].lstrip()) >= 5 and j - i < 3:
                    title += " " + lines[j].strip()
                    lines[j] = ""
                    j += 1
                title = _join([title]).rstrip(" ;")
                if "." not in num:
                    titles[code] = title
                    ep.close()
                    if not b.has(code):
                        b.add(code, prefix, "section", "", lineno, heading="", title=title)
                    ep.start_entry(code, prefix, lineno, "", kind="section", title=title)
                    continue
                ep.start_entry(code, parent, lineno, "", title=title)
                continue
            pending.append((lineno, line))
        flush()
        ep.close()

    b.add("A", "", "annex", "", a_start + 1, heading="Annex A",
          title="Source and special fissionable material")
    b.add("B", "", "annex", "", b_start + 1, heading="Annex B",
          title="Equipment and non-nuclear materials (clarification of items on the trigger list)")
    run(a_start, b_start, "A")
    run(b_start, end, "B")
    return b


def _p1_starts_new(s, prev):
    if re.match(r"^\([a-z]\)\s", s) or re.match(r"^\d{1,2}\.\s", s) or P1_NOTE_RE.match(s):
        return True
    return False
