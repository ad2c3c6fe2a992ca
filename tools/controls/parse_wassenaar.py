"""Wassenaar Arrangement List of Dual-Use Goods and Technologies (categories 1-9) and the
Munitions List (ML1-ML22), from the plain-text extraction of the December 2021 PDF.

Entry lines are written in full ("2.<TAB>B.<TAB>1.<TAB>a.<TAB>text"); most sub-entries are only
indented ("<TAB><TAB><TAB>b.<TAB>text"); notes ("Note", "Technical Note", "N.B.") carry their own
lettered lists. Codes are written the way the EU and national lists write them (2B001.a.1,
ML8.a.17) with the Wassenaar form kept in wa_code.
"""
import os
import re

from outline import Builder, Outline, make_title, note_body, note_kind
from textutil import clean_chars, is_first, squeeze

DOC = "Wassenaar Arrangement List of Dual-Use Goods and Technologies and Munitions List"
EDITION = "2021-12"

CATEGORY_FILES = [
    ("1", "03_-_Cat_1.txt", "Special Materials and Related Equipment"),
    ("2", "04_-_Cat_2.txt", "Materials Processing"),
    ("3", "05_-_Cat_3.txt", "Electronics"),
    ("4", "06_-_Cat_4.txt", "Computers"),
    ("5", "07_-_Cat_5P1.txt", "Telecommunications"),
    ("5", "08_-_Cat_5P2.txt", "Information Security"),
    ("6", "09_-_Cat_6.txt", "Sensors and Lasers"),
    ("7", "10_-_Cat_7.txt", "Navigation and Avionics"),
    ("8", "11_-_Cat_8.txt", "Marine"),
    ("9", "12_-_Cat_9.txt", "Aerospace and Propulsion"),
]
ML_FILE = "15_-_ML.txt"

GROUP_TITLES = {"A": "Systems, Equipment and Components",
                "B": "Test, Inspection and Production Equipment", "C": "Materials",
                "D": "Software", "E": "Technology"}

LABEL = r"(?:[a-z]|\d{1,2})"
GROUP_RE = re.compile(r"^(\d)\.\s+([A-E])\.\s+(?:Part\s*\d\.\s+)?(?P<rest>\S.*)$")
ENTRY_RE = re.compile(r"^\s*(\d)\.\s+([A-E])\.\s+(\d{1,2})\.\s+(?P<labels>(?:" + LABEL +
                      r"\.\s+)*)(?P<rest>\S.*)$")
ML_RE = re.compile(r"^\s*ML(\d{1,2})\.\s+(?P<labels>(?:" + LABEL + r"\.\s+)*)(?P<rest>\S.*)$")
INDENTED_RE = re.compile(r"^(?P<labels>(?:" + LABEL + r"\.\s+)+)(?P<rest>\S.*)$")
CONT_RE = re.compile(r"\bcon(?:t|td)\.?\s*$", re.IGNORECASE)
NONE_RE = re.compile(r"^[A-Z][A-Z \-]+-\s*None\s*$")
SKIP_RE = re.compile(r"^(?:TABLE\b|ANNEX\b|List - )")
HEADING_RE = re.compile(r"^[A-Z][A-Z \"'\-,]{3,}$")
REF_RE = re.compile(r"^(?:Items?\s+)?(?P<ref>(?:\d\.[A-E]\.\d{1,2}\.|ML\d{1,2}\.)(?:"
                    + LABEL + r"\.)*)")


def indent_of(raw):
    """Visual indentation with tab stops of 4 (the Word layout's tabs)."""
    col = 0
    for ch in raw:
        if ch == " ":
            col += 1
        elif ch == "\t":
            col = (col // 4 + 1) * 4
        else:
            break
    return col


def labels_of(s):
    return re.findall(LABEL + r"(?=\.)", s) if s else []


def wa_to_code(ref):
    """"2.B.1.a.1." -> "2B001.a.1", "ML8.a." -> "ML8.a"."""
    parts = [p for p in ref.split(".") if p]
    if parts and parts[0].startswith("ML"):
        return ".".join(parts)
    if len(parts) < 3:
        return None
    return "%s%s%03d" % (parts[0], parts[1], int(parts[2])) + "".join("." + p for p in parts[3:])


def code_to_wa(code):
    if code.startswith("ML"):
        return code
    m = re.match(r"^(\d)([A-E])(\d{3})(.*)$", code)
    if not m:
        return code
    return "%s.%s.%d%s" % (m.group(1), m.group(2), int(m.group(3)), m.group(4))


class WaFile:
    """State while reading one category (or the ML) file."""

    def __init__(self, b, path, rel, explicit, heading_of):
        self.b = b
        self.path = path
        self.rel = rel
        self.explicit = explicit
        self.heading_of = heading_of
        self.outline = None
        self.entry = None
        self.group = None
        self.note = None  # {"kind","target","indent","last","last_indent","parts","line"}
        self.skip = False  # inside a table or annex that follows the entries

    # -- notes -------------------------------------------------------------------------------
    def start_note(self, text, indent, line):
        kind = note_kind(text)
        body = note_body(text)
        target = self.outline.current if self.outline else self.group
        m = REF_RE.match(body)
        if m:
            ref = wa_to_code(m.group("ref"))
            if ref and self.b.has(ref):
                target = ref
        self.note = {"kind": kind, "target": target, "indent": indent,
                     "outline": Outline("note"), "parts": [body] if body else [], "line": line}

    def end_note(self):
        n = self.note
        if n and n["target"]:
            self.b.note(n["target"], n["kind"], " ".join(n["parts"]), n["line"])
        self.note = None

    def note_add(self, text, label=None, indent=None):
        if label:
            if self.note["outline"].place(label, indent) is None:
                self.note["outline"].place(label, indent, depth=len(self.note["outline"].levels))
            text = label + ". " + text
        self.note["parts"].append(text)

    # -- records -----------------------------------------------------------------------------
    def ensure(self, code, line):
        """Creates the record for code and any missing parents (so 1A004.a.1 has a 1A004.a)."""
        if self.b.has(code):
            return
        parent = code.rsplit(".", 1)[0] if "." in code else self.group
        if "." in code:
            self.ensure(parent, line)
        self.b.add(code, parent, "entry" if "." not in code else "sub", "", line,
                   heading=self.heading_of(code), wa_code=code_to_wa(code))

    def body_item(self, code, text, line):
        self.ensure(code, line)
        self.b.text(code, text)

    def has_children(self):
        cur = self.outline.current if self.outline else None
        return bool(cur) and any(c.startswith(cur + ".") for c in self.b.recs)

    def expects_children(self):
        if not self.outline:
            return False
        rec = self.b.recs.get(self.outline.current)
        txt = " ".join(rec["_text"]) if rec else ""
        return txt.rstrip().endswith(":")

    def is_body_label(self, label, indent):
        """Inside a note: does this labelled line go back to the entry's own list? Both the
        entry and the note keep an outline; a label that continues only one of them goes
        there, one that continues both goes to the one whose indentation is nearer."""
        o = self.outline
        depth = o.resolve(label, indent)
        if depth is None or o.code_at(depth, label) in self.explicit:
            return False
        n = self.note
        if is_first(label):
            note_open = not n["parts"] or n["parts"][-1].rstrip().endswith(":")
            return not note_open and self.expects_children() and not self.has_children()
        nd = n["outline"].resolve(label, indent)
        if nd is None:
            return True
        body_ind = o._indent_of(depth) if depth < len(o.levels) else None
        note_ind = n["outline"]._indent_of(nd)
        if body_ind is None or note_ind is None or indent is None:
            return False
        return abs(indent - body_ind) < abs(indent - note_ind)

    # -- lines -------------------------------------------------------------------------------
    def feed(self, raw, lineno):
        line = clean_chars(raw.rstrip("\n").rstrip())
        if not line.strip():
            return
        indent = indent_of(line)
        s = line.strip()
        if self.try_entry(line, s, lineno):
            return
        if self.try_group(line, s, lineno):
            return
        if SKIP_RE.match(s):
            self.end_note()
            self.outline = None
            self.skip = True
            return
        if self.skip:
            return
        if HEADING_RE.match(s) and not INDENTED_RE.match(s):
            self.end_note()
            return
        if note_kind(s) and (self.outline or self.group):
            n = self.note
            if n is not None and (indent > n["indent"] + 1 or CONT_RE.search(s)):
                n["parts"].append(s)  # a note inside a note's list, or a note "cont."
                return
            self.end_note()
            self.start_note(s, indent, lineno)
            return
        m = INDENTED_RE.match(s)
        if m and self.outline is None and self.group and self.group != "ML":
            lab = labels_of(m.group("labels"))[0]
            if lab.isdigit() and self.next_entry(lab, m.group("rest"), lineno):
                return
        if m and self.outline:
            labels = labels_of(m.group("labels"))
            rest = m.group("rest")
            if self.note is not None and not self.is_body_label(labels[0], indent):
                self.note_add(rest, labels[0], indent)
                return
            code = None
            for i, lab in enumerate(labels):
                code = self.outline.place(lab, indent if i == 0 else None)
                if code is None or code in self.explicit:
                    break
            if code is None and self.next_entry(labels[0], rest, lineno):
                return
            if code is None or code in self.explicit:
                self.b.warn("%s:%d: label %s does not fit the outline of %s" %
                            (self.rel, lineno, m.group("labels").strip(), self.outline.current))
                if self.note is not None:
                    self.note_add(rest, labels[0], indent)
                else:
                    self.b.text(self.outline.current, s)
                return
            self.end_note()
            self.body_item(code, rest, lineno)
            return
        if self.note is not None:
            self.note_add(s)
        elif self.outline:
            self.b.text(self.outline.current, s)
        elif self.group:
            pass  # headings between groups ("CRYPTOGRAPHIC ...") are not entries

    def next_entry(self, label, rest, lineno):
        """A bare "2." under 1D001 is entry 1D002 (the PDF dropped "1. D." before it)."""
        if self.note is not None:
            return False  # "1." in a group's Technical Notes is not entry 1
        m = re.match(r"^(\d[A-E])(\d{3})$", self.entry or "")
        if self.outline is None and self.group and re.match(r"^\d[A-E]$", self.group):
            grp, prev = self.group, (int(m.group(2)) if m and m.group(1) == self.group else 0)
        elif m:
            grp, prev = m.group(1), int(m.group(2))
        else:
            return False
        if not label.isdigit() or int(label) != prev + 1:
            return False
        self.end_note()
        code = "%s%03d" % (grp, int(label))
        if NONE_RE.search(rest):
            self.entry, self.outline = code, None
            return True
        self.entry = code
        self.outline = Outline(code)
        self.b.add(code, self.group, "entry", rest, lineno, heading=self.heading_of(code),
                   wa_code=code_to_wa(code))
        return True

    def try_group(self, line, s, lineno):
        m = GROUP_RE.match(line)
        if not m or ENTRY_RE.match(line):
            return False
        cat, grp, rest = m.group(1), m.group(2), m.group("rest")
        self.end_note()
        self.skip = False
        self.group = cat + grp
        self.outline = None
        if not self.b.has(self.group):
            self.b.add(self.group, cat, "group", "", lineno, heading=self.heading_of(self.group),
                       title=GROUP_TITLES[grp])
        if note_kind(rest):
            self.start_note(rest, 0, lineno)
        return True

    def try_entry(self, line, s, lineno):
        m = ENTRY_RE.match(line)
        if m:
            cat, grp, num = m.group(1), m.group(2), int(m.group(3))
            code = "%s%s%03d" % (cat, grp, num)
            self.group = cat + grp
        else:
            m = ML_RE.match(line)
            if not m:
                return False
            code = "ML" + m.group(1)
            self.group = "ML"
        self.end_note()
        self.skip = False
        labels = labels_of(m.group("labels"))
        rest = m.group("rest")
        if self.entry != code:
            self.entry = code
            self.outline = Outline(code)
        if not labels and NONE_RE.search(rest):
            self.outline = None  # "6.C.1. ACOUSTICS - None": a heading, not an entry
            return True
        if not self.b.has(code):
            self.b.add(code, self.group, "entry", "", lineno, heading=self.heading_of(code),
                       wa_code=code_to_wa(code))
        full = self.outline.set_path(labels) if labels else code
        if note_kind(rest):
            self.start_note(rest, 0, lineno)
            return True
        self.body_item(full, rest, lineno)
        return True


def _succ(label):
    from textutil import succ
    return succ(label)


def explicit_codes(lines):
    out = set()
    for raw in lines:
        line = clean_chars(raw.rstrip())
        m = ENTRY_RE.match(line)
        if m:
            labels = labels_of(m.group("labels"))
            code = "%s%s%03d" % (m.group(1), m.group(2), int(m.group(3)))
        else:
            m = ML_RE.match(line)
            if not m:
                continue
            labels = labels_of(m.group("labels"))
            code = "ML" + m.group(1)
        for lab in labels:
            code += "." + lab
        out.add(code)
    return out


def parse(src_dir):
    """Returns (dual-use records, munitions records, warnings)."""
    wdir = os.path.join(src_dir, "wassenaar")
    du = Builder("wassenaar", DOC + " (Dual-Use List)", EDITION, "")
    cat_titles = {}
    for cat, fname, title in CATEGORY_FILES:
        cat_titles[cat] = title

    def heading_of(code):
        if code.startswith("ML"):
            return "Munitions List"
        cat = code[0]
        grp = code[1] if len(code) > 1 else ""
        h = "Category %s - %s" % (cat, cat_titles.get(cat, ""))
        if grp in GROUP_TITLES:
            h += " / %s" % GROUP_TITLES[grp]
        return h

    seen_cat = set()
    for cat, fname, title in CATEGORY_FILES:
        path = os.path.join(wdir, fname)
        rel = "src/wassenaar/" + fname
        with open(path, encoding="utf-8") as f:
            lines = f.readlines()
        du.source = rel
        if cat not in seen_cat:
            seen_cat.add(cat)
            du.add(cat, "", "category", "", 1, heading="Dual-Use List",
                   title="Category %s - %s" % (cat, "Telecommunications and Information Security"
                                                if cat == "5" else title))
        st = WaFile(du, path, rel, explicit_codes(lines), heading_of)
        for i, raw in enumerate(lines, 1):
            st.feed(raw, i)
        st.end_note()

    ml = Builder("wassenaar_ml", DOC + " (Munitions List)", EDITION, "src/wassenaar/" + ML_FILE)
    path = os.path.join(wdir, ML_FILE)
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    ml.add("ML", "", "category", "", 1, heading="Munitions List", title="Munitions List")
    st = WaFile(ml, path, "src/wassenaar/" + ML_FILE, explicit_codes(lines), heading_of)
    for i, raw in enumerate(lines, 1):
        st.feed(raw, i)
    st.end_note()
    return du, ml
