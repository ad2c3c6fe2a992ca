"""EU dual-use list: Annex I of Regulation (EU) 2021/821, consolidated text of 2022-05-05 (EUR-Lex
CELEX 02021R0821-20220505), categories 0 (nuclear) to 9.

The EUR-Lex text is a two-column layout: the entry code in the left column ("2B001   Machine
tools ..."), the text and its lettered sub-entries indented in the right one. Each page ends in
a footer ("02021R0821 - EN - 05.05.2022 - 002.001 - 127"), amendment markers ("▼M1") stand on
their own lines, and each new page repeats the open path ("2B001   c. 1. (continued)"). The
indentation is consistent within a page, relative to the column where the text after the code
starts, so indentation is measured from there.
"""
import os
import re

from outline import Builder, Outline, note_body, note_kind
from textutil import clean_chars, is_first, join_lines, succ

DOC = "Regulation (EU) 2021/821, Annex I (list of dual-use items), consolidated version"
EDITION = "2022-05-05"
FILE = "CELEX_02021R0821-20220505_EN.txt"

FOOTER_RE = re.compile(r"^\s*0\d{4}R\d{4}\s*[-\u2014]\s*EN\s*[-\u2014]")
MARKER_LINE_RE = re.compile(r"^\s*[\u25bc\u25ba][A-Z]\d*\s*$")
INLINE_MARKER_RE = re.compile(r"[\u25ba\u25bc][A-Z]\d*\s?|\s?\u25c4")
CAT_RE = re.compile(r"^\s*CATEGORY\s+(\d)\s*[-\u2013\u2014]")
GROUP_RE = re.compile(r"^(\s{0,10})(\d[A-E])\d?\s{2,}(\S.*)$")  # "5A1  Systems": Part 1
ENTRY_RE = re.compile(r"^(\s{0,10})(\d[A-E]\d{3})(\s+)(\S.*)$")
CONT_RE = re.compile(r"\(continued\)\s*$")
LABEL = r"(?:[a-z]|\d{1,2})"
LABELS_RE = re.compile(r"^(?P<labels>(?:" + LABEL + r"\.\s+)+)(?P<rest>\S.*)$")
REF_RE = re.compile(r"^(?:Items?\s+)?(?P<ref>\d[A-E]\d{3}(?:\.\s?" + LABEL + r")*)")

CATEGORY_TITLES = {
    "0": "Nuclear materials, facilities and equipment",
    "1": "Special materials and related equipment", "2": "Materials processing",
    "3": "Electronics", "4": "Computers", "5": "Telecommunications and \"information security\"",
    "6": "Sensors and lasers", "7": "Navigation and avionics", "8": "Marine",
    "9": "Aerospace and propulsion"}
GROUP_TITLES = {"A": "Systems, Equipment and Components",
                "B": "Test, Inspection and Production Equipment", "C": "Materials",
                "D": "Software", "E": "Technology"}


def lines_of_annex(path):
    """(line number, text) of Annex I categories 0-9, with footers and markers removed."""
    with open(path, encoding="utf-8") as f:
        raw = f.readlines()
    start = end = None
    for i, line in enumerate(raw):
        if start is None and CAT_RE.match(line) and "0" in line[:20]:
            start = i
        if start is not None and re.match(r"^\s*ANNEX II\s*$", line):
            end = i
            break
    if start is None or end is None:
        raise ValueError("%s: Annex I categories not found" % path)
    # the "PART II / Category 0" lines just before
    out = []
    for i in range(start, end):
        line = raw[i].rstrip("\n")
        if FOOTER_RE.match(line) or MARKER_LINE_RE.match(line):
            out.append((i + 1, ""))
            continue
        line = INLINE_MARKER_RE.sub("", line)
        out.append((i + 1, line.rstrip()))
    return out


def col_of(line):
    return len(line) - len(line.lstrip(" "))


class EuParser:
    def __init__(self, b):
        self.b = b
        self.cat = None
        self.group = None
        self.entry = None
        self.outline = None
        self.base = 0
        self.note = None

    def heading_of(self, code):
        cat = code[0]
        h = "Category %s - %s" % (cat, CATEGORY_TITLES.get(cat, ""))
        if len(code) > 1 and code[1] in GROUP_TITLES:
            h += " / " + GROUP_TITLES[code[1]]
        return h

    # -- notes -------------------------------------------------------------------------------
    def start_note(self, text, rel, line):
        target = self.outline.current if self.outline else self.group
        body = note_body(text)
        m = REF_RE.match(body)
        if m:
            ref = re.sub(r"\s", "", m.group("ref")).rstrip(".")
            if self.b.has(ref):
                target = ref
        first = LABELS_RE.match(body)
        self.note = {"kind": note_kind(text), "target": target, "rel": rel,
                     "parts": [body] if body else [], "line": line,
                     "last": re.match(LABEL, first.group("labels")).group(0) if first else None}

    def end_note(self):
        n = self.note
        if n and n["target"]:
            self.b.note(n["target"], n["kind"], " ".join(n["parts"]), n["line"])
        self.note = None

    def in_note(self, label, rel, text):
        """Inside a note: keeps a labelled paragraph in the note unless it goes back to the
        entry's own list (same column as the note heading or left of it, and not the next
        item of the note's own list)."""
        n = self.note
        if is_first(label) and n["last"] is None and n["parts"] and \
                not n["parts"][-1].rstrip().endswith(":") and self.expects_children():
            return False  # "Note: ... include "focal plane arrays"." then the entry's a.
        top = rel <= n["rel"] + 1
        if top:
            if n["last"] and label == succ(n["last"]):
                pass
            elif n["last"] is None and is_first(label) and (
                    not n["parts"] or n["parts"][-1].rstrip().endswith(":")):
                pass
            elif self.outline.resolve(label, rel) is not None:
                return False
            n["last"] = label
        n["parts"].append(text)
        return True

    def expects_children(self):
        o = self.outline
        if o is None:
            return False
        rec = self.b.recs.get(o.current)
        txt = " ".join(rec["_text"]) if rec else ""
        return txt.rstrip().endswith(":")

    # -- paragraphs --------------------------------------------------------------------------
    def paragraph(self, lineno, indent, text):
        rel = indent - self.base
        if note_kind(text):
            if self.outline is None and self.group is None:
                return
            if self.note is not None and rel > self.note["rel"] + 1:
                self.note["parts"].append(text)  # a note inside a note's list
                return
            self.end_note()
            self.start_note(text, rel, lineno)
            return
        m = LABELS_RE.match(text)
        if m and self.outline is not None:
            labels = re.findall(LABEL + r"(?=\.)", m.group("labels"))
            rest = m.group("rest")
            if self.note is not None and self.in_note(labels[0], rel, text):
                return
            o = self.outline
            depth = o.resolve(labels[0], rel)
            if depth is None:
                if self.note is not None:
                    self.note["parts"].append(text)
                    return
                self.b.warn("%s:%d: label %s does not fit the outline of %s" %
                            (self.b.source, lineno, labels[0], o.current))
                self.b.text(o.current, text)
                return
            self.end_note()
            code = None
            for i, lab in enumerate(labels):
                code = o.place(lab, rel + 3 * i)
                if code is None:
                    break
            if code is None:
                self.b.warn("%s:%d: labels %s do not fit under %s" %
                            (self.b.source, lineno, m.group("labels"), o.current))
                return
            self.ensure(code, lineno)
            self.b.text(code, rest)
            return
        if self.note is not None:
            self.note["parts"].append(text)
        elif self.outline is not None:
            self.b.text(self.outline.current, text)

    def ensure(self, code, line):
        if self.b.has(code):
            return
        parent = code.rsplit(".", 1)[0]
        if "." in parent:
            self.ensure(parent, line)
        self.b.add(code, parent, "sub", "", line, heading=self.heading_of(code))

    def entry_line(self, lineno, line, m, cont_lines):
        code, rest = m.group(2), m.group(4)
        self.base = len(m.group(1)) + len(code) + len(m.group(3))
        if CONT_RE.search(rest):
            self.continuation(code, rest)
            return None
        self.end_note()
        self.entry = code
        self.group = code[:2]
        self.outline = Outline(code)
        self.b.add(code, self.group, "entry", "", lineno, heading=self.heading_of(code))
        return rest

    def continuation(self, code, rest):
        """ "2B001   c. 1. (continued)": the page goes on inside c.1 (or inside a note)."""
        if code != self.entry or self.outline is None:
            return
        inner = CONT_RE.sub("", rest).strip()
        in_note = bool(re.search(r"Note|N\.B\.|\u03a4\u03b5\u03c7\u03bd", inner))
        labels = re.findall(r"(?:^|\s)(" + LABEL + r")\.(?=\s|$)",
                            re.split(r"Note|Technical|N\.B\.|\u03a4", inner)[0])
        # a note goes on across the page; the next labelled paragraph decides where it ends
        # the repeated path is only used when the outline lost its place: the source repeats
        # it wrongly now and then ("8A001 b. 1. (continued)" on a page inside 8A001.c.1)
        if labels and not self.outline.levels:
            self.outline.set_path(labels)
            for i in range(len(labels)):
                self.outline.levels[i]["indent"] = 3 * i


def parse(src_dir):
    path = os.path.join(src_dir, "eu", FILE)
    b = Builder("eu_dual_use", DOC, EDITION, "src/eu/" + FILE, decimal_comma=True)
    p = EuParser(b)
    lines = lines_of_annex(path)
    para = []  # (lineno, indent, [lines])

    def flush():
        if para:
            ln, ind, parts = para[0][0], para[0][1], [x[2] for x in para]
            p.paragraph(ln, ind, join_lines(parts))
            del para[:]

    for lineno, line in lines:
        if not line.strip():
            flush()
            continue
        cm = CAT_RE.match(line)
        if cm:
            flush()
            p.end_note()
            cat = cm.group(1)
            p.cat = cat
            p.outline = None
            p.group = None
            b.add(cat, "", "category", "", lineno, heading="Annex I",
                  title="Category %s - %s" % (cat, CATEGORY_TITLES[cat]))
            continue
        em = ENTRY_RE.match(line)
        if em:
            flush()
            rest = p.entry_line(lineno, line, em, None)
            if rest is not None:
                para.append((lineno, p.base, rest))
            continue
        gm = GROUP_RE.match(line)
        if gm and p.cat and gm.group(2)[0] == p.cat and not LABELS_RE.match(gm.group(3)):
            flush()
            p.end_note()
            p.group = gm.group(2)
            p.outline = None
            b.add(p.group, p.cat, "group", "", lineno, heading=p.heading_of(p.group),
                  title=GROUP_TITLES.get(p.group[1], gm.group(3).strip()))
            continue
        s = clean_chars(line.strip())
        starts_item = LABELS_RE.match(s) or note_kind(s)
        if para and starts_item and re.search(r"[.;:]\s*$", para[-1][2]):
            flush()
        para.append((lineno, col_of(line), line.strip()))
    flush()
    p.end_note()
    return b
