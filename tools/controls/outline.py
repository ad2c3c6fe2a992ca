"""Records and the outline engine shared by the control-list parsers.

Every list is an outline: an entry (2B001, 3.A.5., ML8) holds lettered and numbered sub-entries
(a., 1., a., ...) that alternate letter and number as they nest, with notes ("Note",
"Technical Note", "N.B.") in between whose own lists also run a., b., c.  The PDF/Word
extraction keeps the labels but not the nesting, so the engine rebuilds it from the label
sequence (b follows a, 2 follows 1), the indentation where the layout kept it, and the codes the
text states in full elsewhere.
"""
import re

from textutil import (clean_chars, find_cas, is_first, label_kind, parse_thresholds, squeeze,
                      succ)

NOTE_RE = re.compile(
    r"^(?P<kind>Technical\s+Notes?|Notes?|N\.\s?B\.?|Nota\s+Bene|EXPLANATORY\s+NOTE|"
    r"INTRODUCTORY\s+NOTE)(?P<num>\s*\d+\.?)?(?P<cont>\s+(?:cont\.?|contd\.?|\(continued\)))?"
    r"(?P<tail>\s*(?:to\s+[\w.\s]+?)?)(?::|\.(?=\s|$)|\s*[-\u2013]|\s|$)",
    re.IGNORECASE)


# words of an exclusion note that name no particular kind of item
EXCLUSION_GENERIC = {"the", "product", "products", "device", "devices", "forms", "form",
                     "equipment", "shipments", "items", "item", "any", "those", "which", "all",
                     "mechanically", "chopped", "milled", "cut"}


def note_kind(text):
    """"note", "technical_note" or "nb" when text opens a note, else None."""
    m = NOTE_RE.match(text)
    if not m:
        return None
    k = m.group("kind").lower()
    if k.startswith("technical") or k.startswith("explanatory") or k.startswith("introductory"):
        return "technical_note"
    if k.startswith("n"):
        return "nb" if k.replace(" ", "").startswith("n.b") or k.startswith("nota") else "note"
    return "note"


def note_body(text):
    """The note's own text after its heading ("Note 2: 2B001 does not ..." -> "2B001 does ...")."""
    m = NOTE_RE.match(text)
    if not m:
        return text
    return text[m.end():].lstrip(" :\t-").rstrip()


def make_title(text, limit=200):
    """A short heading from an entry's text: up to "as follows" or the first colon/semicolon."""
    t = squeeze(text)
    t = re.split(r",?\s+as follows\b|:\s|;\s|:$|;$", t, maxsplit=1)[0]
    t = t.strip(" ,;:.")
    if len(t) > limit:
        cut = t.rfind(" ", 0, limit)
        t = t[:cut if cut > 40 else limit].rstrip(" ,;") + "..."
    return t


class Builder:
    """Collects the records of one list and writes them out in document order."""

    def __init__(self, regime, document, edition, source, decimal_comma=False):
        self.regime = regime
        self.document = document
        self.edition = edition
        self.source = source
        self.decimal_comma = decimal_comma
        self.recs = {}
        self.order = []
        self.warnings = []

    def add(self, code, parent, kind, text, line, heading="", source=None, **extra):
        if code in self.recs:
            rec = self.recs[code]
            if text:
                rec["_text"].append(text)
            return rec
        rec = {"regime": self.regime, "code": code, "parent": parent or "", "kind": kind,
               "heading": heading, "_text": [text] if text else [], "_notes": [],
               "source": source or self.source, "line": line}
        rec.update(extra)
        self.recs[code] = rec
        self.order.append(code)
        return rec

    def has(self, code):
        return code in self.recs

    def text(self, code, text):
        if text and code in self.recs:
            self.recs[code]["_text"].append(text)

    def note(self, code, kind, text, line):
        if code in self.recs and text:
            self.recs[code]["_notes"].append([kind, text, line])

    def warn(self, msg):
        self.warnings.append(msg)

    def finish(self):
        """Records in document order with title, text, thresholds, CAS numbers and notes."""
        first_child_title = {}
        for code in self.order:
            r = self.recs[code]
            if r["parent"] and r["parent"] not in first_child_title:
                first_child_title[r["parent"]] = make_title(" ".join(r["_text"]))
        out = []
        for code in self.order:
            r = self.recs[code]
            text = squeeze(" ".join(r.pop("_text")))
            notes = r.pop("_notes")
            rec = {"regime": r.pop("regime"), "code": r.pop("code"), "parent": r.pop("parent"),
                   "kind": r.pop("kind")}
            title = r.pop("title", None) or make_title(text) or \
                first_child_title.get(code, "")  # "4E001  a. ...": no text of its own
            rec["title"] = title
            rec["heading"] = r.pop("heading")
            rec["text"] = text
            if re.match(r"^\[?(?:Not used\b|No longer used|Reserved)", text, re.I) or \
                    re.match(r"^[A-Z][A-Z ]+-\s*(?:None|Not used)", text):
                rec["status"] = "not_used"
            rec["thresholds"] = parse_thresholds(text, self.decimal_comma)
            cas = find_cas(text)
            for _k, nt, _l in notes:
                for c in find_cas(nt):
                    if c not in cas and re.search(r"\bincludes?\b|\bsuch as\b|\be\.g\.", nt):
                        cas.append(c)
            rec["cas"] = cas
            rec["notes"] = [squeeze(t) for k, t, _l in notes if k == "note"]
            rec["technical_notes"] = [squeeze(t) for k, t, _l in notes if k == "technical_note"]
            rec["nb"] = [squeeze(t) for k, t, _l in notes if k == "nb"]
            # "1C235 does not control a product or device containing less than 1,48 x 103 GBq":
            # a note that excludes the small end by one stated value, read as a threshold the
            # item falls under, with the kind of item it names ("zirconium ... foil")
            excl = []
            for n in rec["notes"]:
                m = re.search(r"\bdoes not control\b", n)
                if not m:
                    continue
                clause = re.sub(r"\bproducts? or devices?\b", "device", n[m.end():].strip())
                # "the following: a. Medical applicators; b. A device containing less than
                # 0,37 GBq ...": each lettered item of an enumeration is a clause of its own
                items = [clause]
                if re.match(r"(?:the following)?\s*:?\s*a\. ", clause, re.I):
                    items = [re.sub(r"[;.,]?\s*(?:or|and)?\s*$", "", i.strip())
                             for i in re.split(r"(?:^|\s)[a-z]\.\s+", clause)[1:]]
                for item in items:
                    if re.search(r"^:|\b(?:and|following|unless|no|not|as follows)\b|"
                                 r"\bor\b(?! less| more)|\b[a-z1-9]\. ", item, re.I) or \
                            len(item) > 160:
                        continue  # enumerations, several conditions, negations: not one bound
                    ts = [t for t in parse_thresholds(item, self.decimal_comma) if t["unit"]]
                    if len(ts) != 1 or ts[0]["cmp"] not in ("<", "<="):
                        continue
                    head = re.split(r"\b(?:having|with|containing|in which|designed)\b", item)[0]
                    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z-]{2,}", head)
                             if w.lower() not in EXCLUSION_GENERIC]
                    ts[0]["kind"] = " ".join(words)
                    excl.append(ts[0])
            if excl:
                rec["exclusions"] = excl
            for k in sorted(r):
                if k not in ("source", "line"):
                    rec[k] = r[k]
            rec["source"] = r["source"]
            rec["line"] = r["line"]
            rec["document"] = self.document
            rec["edition"] = self.edition
            out.append(rec)
        return out


class Outline:
    """Rebuilds the nesting of one entry's labelled paragraphs.

    levels[i] = {"kind", "last", "indent", "code"}: the open list at depth i+1 under the entry.
    """

    def __init__(self, root, sep="."):
        self.root = root
        self.sep = sep
        self.levels = []
        self.typical = {}  # depth -> indent seen for that depth (layout hint)

    @property
    def current(self):
        return self.levels[-1]["code"] if self.levels else self.root

    def code_at(self, depth, label):
        base = self.levels[depth - 1]["code"] if depth > 0 else self.root
        return base + self.sep + label

    def _indent_of(self, i):
        lv = self.levels[i]
        if lv["indent"] is not None:
            return lv["indent"]
        return self.typical.get(i)

    def candidates(self, label):
        """Depths (0-based) where label continues an open list."""
        kind = label_kind(label)
        return [i for i, lv in enumerate(self.levels)
                if lv["kind"] == kind and succ(lv["last"]) == label]

    def resolve(self, label, indent=None):
        """The depth the label goes to, or None: 'a'/'1' open a list under the current item,
        other labels continue the open list they follow (nearest indentation, else deepest)."""
        if is_first(label):
            return len(self.levels)
        cands = self.candidates(label)
        if not cands:
            return None
        if len(cands) > 1 and indent is not None:
            scored = []
            for i in cands:
                ind = self._indent_of(i)
                scored.append((abs(ind - indent) if ind is not None else 999, -i, i))
            scored.sort()
            return scored[0][2]
        return cands[-1]

    def place(self, label, indent=None, depth=None):
        if depth is None:
            depth = self.resolve(label, indent)
        if depth is None:
            return None
        code = self.code_at(depth, label)
        del self.levels[depth:]
        self.levels.append({"kind": label_kind(label), "last": label, "indent": indent,
                            "code": code})
        if indent is not None:
            self.typical.setdefault(depth, indent)
        return code

    def set_path(self, labels):
        """Sets the open lists from a code written out in full (2.B.1.b.4. -> b, 4)."""
        keep = []
        for i, lab in enumerate(labels):
            old = self.levels[i] if i < len(self.levels) else None
            ind = old["indent"] if old and old["last"] == lab and len(keep) == i else None
            code = (keep[-1]["code"] if keep else self.root) + self.sep + lab
            keep.append({"kind": label_kind(lab), "last": lab, "indent": ind, "code": code})
        self.levels = keep
        return self.current


def clean(s):
    return clean_chars(s)


LABEL_ALT = r"(?:[a-z]|\d{1,2})"
PLAIN_LABELS_RE = re.compile(r"^(?:(?P<labels>(?:" + LABEL_ALT + r"\.\s+)+)(?P<rest>\S.*)|"
                             r"(?P<bare>" + LABEL_ALT + r")\s{2,}(?P<rest2>[A-Z\"'(].*))$")
PAREN_LABEL_RE = re.compile(r"^\((?P<label>[a-z]|\d{1,2})\)\s+(?P<rest>\S.*)$")


class EntryParser:
    """Paragraph-level parser for lists whose entries are found by the caller (a regime's
    code lines) and whose sub-entries are labelled paragraphs: "a. text", "1. text" and, with
    paren=True, "(a) text". Notes keep their own outline; a labelled paragraph inside a note
    goes back to the entry when it continues the entry's list and not the note's (or both, and
    its indentation is nearer the entry's), or when it opens the list the entry announced
    ("as follows:") right after a note that did not announce one."""

    def __init__(self, b, heading_of, paren=False, plain=True, sep="."):
        self.b = b
        self.heading_of = heading_of
        self.paren = paren
        self.plain = plain
        self.sep = sep
        self.outline = None
        self.note = None
        self.reserved = set()  # codes a later line states in full

    def start_entry(self, code, parent, lineno, text, kind="entry", **extra):
        self.end_note()
        self.outline = Outline(code, self.sep)
        if not self.b.has(code):
            self.b.add(code, parent, kind, text, lineno, heading=self.heading_of(code), **extra)
        else:
            self.b.text(code, text)

    def close(self):
        self.end_note()
        self.outline = None

    def start_note(self, text, indent, lineno, target=None):
        self.end_note()
        body = note_body(text)
        self.note = {"kind": note_kind(text) or "note", "indent": indent,
                     "target": target or (self.outline.current if self.outline else None),
                     "outline": Outline("note"), "parts": [body] if body else [],
                     "line": lineno}

    def end_note(self):
        n = self.note
        if n and n["target"]:
            self.b.note(n["target"], n["kind"], " ".join(n["parts"]), n["line"])
        self.note = None

    def labels(self, text):
        if self.plain:
            m = PLAIN_LABELS_RE.match(text)
            if m:
                if m.group("bare"):  # "3   Five or more axes": a label that lost its dot
                    return [m.group("bare")], m.group("rest2")
                return re.findall(LABEL_ALT + r"(?=\.)", m.group("labels")), m.group("rest")
        if self.paren:
            m = PAREN_LABEL_RE.match(text)
            if m:
                return [m.group("label")], m.group("rest")
        return None, text

    def expects_children(self):
        rec = self.b.recs.get(self.outline.current)
        txt = " ".join(rec["_text"]) if rec else ""
        return txt.rstrip().endswith(":")

    def goes_to_body(self, label, indent):
        o, n = self.outline, self.note
        depth = o.resolve(label, indent)
        if depth is None or o.code_at(depth, label) in self.reserved:
            return False
        if is_first(label):
            note_open = not n["parts"] or n["parts"][-1].rstrip().endswith(":")
            return not note_open and self.expects_children() and not n["outline"].levels
        nd = n["outline"].resolve(label, indent)
        if nd is None:
            return True
        body_ind = o._indent_of(depth)
        note_ind = n["outline"]._indent_of(nd)
        if body_ind is None or note_ind is None or indent is None:
            return False
        return abs(indent - body_ind) < abs(indent - note_ind)

    def note_item(self, label, indent, text):
        no = self.note["outline"]
        if no.place(label, indent) is None:
            no.place(label, indent, depth=len(no.levels))
        self.note["parts"].append(text)

    def paragraph(self, lineno, indent, text):
        """Feeds one paragraph (a labelled item, a note heading, or running text)."""
        if self.outline is None:
            return
        nk = note_kind(text)
        if nk:
            if self.note is not None and indent is not None and indent > self.note["indent"] + 1 \
                    and self.note["outline"].levels:
                self.note["parts"].append(text)  # a note inside a note's list
                return
            self.start_note(text, indent, lineno)
            return
        labels, rest = self.labels(text)
        if not labels:
            if self.note is not None:
                self.note["parts"].append(text)
            else:
                self.b.text(self.outline.current, text)
            return
        if self.note is not None and not self.goes_to_body(labels[0], indent):
            self.note_item(labels[0], indent, text)
            return
        o = self.outline
        if o.resolve(labels[0], indent) is None:
            if self.note is not None:
                self.note_item(labels[0], indent, text)
                return
            self.b.warn("%s:%d: label %s does not fit the outline of %s" %
                        (self.b.source, lineno, labels[0], o.current))
            self.b.text(o.current, text)
            return
        self.end_note()
        code = None
        for i, lab in enumerate(labels):
            code = o.place(lab, indent if i == 0 else None)
            if code is None:
                self.b.warn("%s:%d: labels do not fit under %s" % (self.b.source, lineno,
                                                                   o.current))
                return
        self.ensure(code, lineno)
        self.b.text(code, rest)

    def ensure(self, code, lineno):
        if self.b.has(code):
            return
        parent = code.rsplit(self.sep, 1)[0]
        if parent != self.outline.root:
            self.ensure(parent, lineno)
        self.b.add(code, parent, "sub", "", lineno, heading=self.heading_of(code))


def paragraphs(lines, starts_new):
    """Groups (lineno, raw line) into paragraphs: a blank line ends one, and a line for which
    starts_new(stripped, previous paragraph text) is true begins a new one. Yields
    (lineno, indent, text)."""
    cur = []

    def out():
        if cur:
            text = " ".join(x[2] for x in cur)
            return (cur[0][0], cur[0][1], text)
        return None

    for lineno, raw in lines:
        s = raw.strip()
        if not s:
            p = out()
            if p:
                yield p
            cur = []
            continue
        ind = len(raw) - len(raw.lstrip(" "))
        if cur and starts_new(s, " ".join(x[2] for x in cur)):
            p = out()
            if p:
                yield p
            cur = []
        cur.append((lineno, ind, s))
    p = out()
    if p:
        yield p
