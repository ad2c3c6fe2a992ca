"""MTCR Equipment, Software and Technology Annex (MTCR/TEM/2021/Annex, 8 October 2021).

The Word-to-text extraction lost many list labels: where Word numbered a list automatically,
only the paragraphs remain ("4.C.2. Fuel substances as follows:" / "Hydrazine (CAS 302-01-2)
..." / "b. Hydrazine derivatives ..."). The labels are rebuilt from:
- the list grammar: a paragraph ending in ":" opens a list; "; and" / "; or" announces the last
  item of a list; lists alternate letters and numbers as they nest;
- the contents at the start of the Annex, which titles many lettered sub-items (4.C.2.c
  "Spherical or spheroidal aluminium powder");
- the codes the Annex itself cites ("In Item 2.A.1.d., 'CEP' ...", "4.C.6.c.2.o");
- HINTS below, for the few paragraphs the rules above place wrongly. Each hint must match
  exactly one paragraph, so a new edition whose text moved fails loudly instead of silently.
"""
import os
import re

from outline import Builder, Outline, note_body, note_kind
from textutil import clean_chars, is_first, label_kind, squeeze, succ

DOC = "MTCR Equipment, Software and Technology Annex (MTCR/TEM/2021/Annex)"
EDITION = "2021-10-08"
FILE = "MTCR-TEM-Technical_Annex_2021-10-08.txt"

# paragraph start -> full code, for paragraphs the inference cannot place (checked: each must
# match exactly one paragraph)
HINTS = {
    "Engines designed or modified for systems specified in 1.A. or 19.A.2., regardless":
        "3.A.1.b",
}

ITEM_RE = re.compile(r"^ITEM\s+(\d{1,2})\s+(\S.*)$")
GROUP_RE = re.compile(r"^\s*(\d{1,2})\.([A-E])\.\s+(\S.*)$")
ENTRY_RE = re.compile(r"^\s*(\d{1,2})\.\s?([A-E])\.?\s?(\d{1,2})\.?\s+(\S.*)$")
TOC_ENTRY_RE = re.compile(r"^\s*(\d{1,2})\.([A-E])\.?\s?(\d{1,2})\.?((?:[a-z]\.)?)\s+(\S.*)$")
LABEL_RE = re.compile(r"^(?P<label>[a-z]|\d{1,2})\.?\s+(?P<rest>\S.*)$")
STRICT_LABEL_RE = re.compile(r"^(?P<label>[a-z]|\d{1,2})\.\s+(?P<rest>\S.*)$")
NOTE_HEAD_RE = re.compile(r"^(?:Technical\s+[Nn]otes?|Notes?|N\.\s?B\.)\s*:?\s*")
REF_RE = re.compile(r"(?<![\w.])(\d{1,2})\.([A-E])\.(\d{1,2})\.((?:(?:[a-z]|\d{1,2})\.?)*)")
AND_OR_RE = re.compile(r"[;,]\s*(?:and|or)\s*$|\b(?:and|or)\s*$")

# how the explanatory paragraphs of notes begin or what they say, as against list items
NOTE_PROSE_RE = re.compile(r"^(?:In\s|For the purpose|Items?\s+\d|\d{1,2}\.[A-E]\.|The\s|This\s|"
                           r"These\s|Such\s|See\s|A\s+'|An?\s+\"|'[^']+'\s+(?:is|are|means)\b)|"
                           r"\b(?:is defined as|means|refers to|is a measure)\b")

GROUPS = {"A": "Equipment, assemblies and components", "B": "Test and production equipment",
          "C": "Materials", "D": "Software", "E": "Technology"}


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read().replace("\r\n", "\n").replace("\r", "\n")
    return [clean_chars(x) for x in text.split("\n")]


def _norm_words(s, n=4):
    words = re.findall(r"[a-z0-9]+", s.lower().replace("'", "").replace('"', ""))
    return words[:n]


def parse_toc(lines, lo, hi):
    """Titles from the contents: {"4.C.2": "Fuel substances", "4.C.2.c": "Spherical ..."}."""
    toc = {}
    cur = None
    last_letter = None
    prev_raw = ""
    for i in range(lo, hi):
        raw = lines[i]
        s = raw.strip()
        if not s:
            prev_raw = raw
            continue
        m = TOC_ENTRY_RE.match(raw)
        if m and not raw.startswith((" ", "\t")) or (m and re.match(r"^\d", s)):
            cur = "%s.%s.%s" % (m.group(1), m.group(2), m.group(3))
            title = m.group(5)
            toc[cur] = title
            last_letter = None
            if m.group(4):
                last_letter = m.group(4)[0]
                toc[cur + "." + last_letter] = title
            prev_raw = raw
            continue
        if cur is None:
            prev_raw = raw
            continue
        if re.match(r"^\d{1,2}\.[A-E]\.?\s", s) or s.startswith("CATEGORY") or \
                (s.isupper() and len(s) > 3):
            cur, last_letter = None, None  # "9.C. None", item headings
            prev_raw = raw
            continue
        lm = re.match(r"^([a-z])\.\s+(\S.*)$", s)
        if lm:
            last_letter = lm.group(1)
            toc[cur + "." + last_letter] = lm.group(2)
        elif prev_raw.endswith(" ") or raw.startswith(("\t", " ")) or s[:1].islower():
            key = cur + "." + last_letter if last_letter else cur
            toc[key] = toc.get(key, "") + " " + s
        elif last_letter:
            last_letter = succ(last_letter)
            toc[cur + "." + last_letter] = s
        prev_raw = raw
    return {k: squeeze(v) for k, v in toc.items()}


def cited_codes(lines, lo, hi):
    out = set()
    for i in range(lo, hi):
        for m in REF_RE.finditer(lines[i]):
            code = "%s.%s.%s" % (m.group(1), m.group(2), m.group(3))
            for part in re.findall(r"[a-z]|\d{1,2}", m.group(4)):
                code += "." + part
                out.add(code)
            out.add("%s.%s.%s" % (m.group(1), m.group(2), m.group(3)))
    return out


def _ends_and_or(text):
    return bool(AND_OR_RE.search(text.rstrip(" .")))


class MtcrEntry:
    """The paragraphs of one entry (3.A.5., 4.C.2. ...)."""

    def __init__(self, p, code):
        self.p = p
        self.b = p.b
        self.code = code
        self.o = Outline(code)
        self.note = None
        self.meta = {}  # depth -> {"final": bool, "pending_final": bool}
        self.future = []  # the label of each paragraph of the entry, or None
        self.pos = 0

    # -- notes -------------------------------------------------------------------------------
    def start_note(self, text, lineno):
        self.end_note()
        body = note_body(text) if note_kind(text) else NOTE_HEAD_RE.sub("", text)
        self.note = {"kind": note_kind(text) or "note", "target": self.o.current,
                     "parts": [body] if body else [], "line": lineno, "outline": Outline("n")}

    def end_note(self):
        n = self.note
        if n:
            self.b.note(n["target"], n["kind"], " ".join(n["parts"]), n["line"])
        self.note = None

    def note_open(self):
        """The note's text announces or continues a list (ends in ":" or ";")."""
        n = self.note
        if not n["parts"]:
            return True
        last = n["parts"][-1].rstrip()
        return last.endswith(":") or last.endswith(";") or bool(re.search(r";\s*(and|or)$",
                                                                          last))

    # -- body --------------------------------------------------------------------------------
    def current_text(self):
        rec = self.b.recs.get(self.o.current)
        return squeeze(" ".join(rec["_text"])) if rec else ""

    def expects_children(self):
        t = self.current_text().rstrip()
        return t.endswith(":") or t.endswith("as follows;") or t.endswith(":.")

    def has_children(self):
        cur = self.o.current
        return any(c.startswith(cur + ".") for c in self.b.recs)

    def candidates(self):
        """[(depth, label)] where an unlabelled paragraph could go."""
        out = []
        depth = len(self.o.levels)
        if self.expects_children() and not self.has_children():
            kind_alpha = depth % 2 == 0
            out.append((depth, "a" if kind_alpha else "1", "first"))
        for i in range(len(self.o.levels) - 1, -1, -1):
            if self.meta.get(i, {}).get("final"):
                continue
            nxt = succ(self.o.levels[i]["last"])
            if nxt:
                out.append((i, nxt, "next"))
        return out

    def score(self, depth, label, how, text):
        code = self.o.code_at(depth, label)
        if code in self.b.recs:
            return -1000, code
        s = 0
        if how == "first":
            s += 60
        else:
            s += 10 + 3 * depth
        toc = self.p.toc.get(code)
        if toc:
            tw, lw = _norm_words(toc, 3), _norm_words(text, 3)
            s += 100 if tw and lw[:len(tw)] == tw else -60
        if code in self.p.cited:
            s += 25
        if self.labelled_later(label, depth):
            s -= 80
        return s, code

    def labelled_later(self, label, depth):
        """A later paragraph of this entry carries this label itself: an unlabelled paragraph
        now cannot be it. Later labels that continue a shallower open list ("d.", "e." after
        4.C.6.c) are followed through, so they do not count against a deeper list."""
        kind = label_kind(label)
        first = "a" if kind == "alpha" else "1"
        if label == first:
            return False  # a later "a." opens another list
        expect = [succ(lv["last"]) for i, lv in enumerate(self.o.levels)
                  if i < depth and lv["kind"] == kind and not self.meta.get(i, {}).get("final")]
        for lab in self.future[self.pos + 1:]:
            if lab is None or label_kind(lab) != kind:
                continue
            if lab == first:
                return False
            if lab in expect:
                if lab == label:
                    return False
                expect[expect.index(lab)] = succ(lab)
                continue
            if lab == label:
                return True
        return False

    def best(self, text):
        best = None
        for depth, label, how in self.candidates():
            sc, code = self.score(depth, label, how, text)
            if best is None or sc > best[0]:
                best = (sc, depth, label, code)
        return best

    def place(self, depth, label, text, lineno):
        prev_final = False
        m = self.meta.get(depth)
        if m and depth < len(self.o.levels) and self.o.levels[depth]["last"] != label:
            prev_final = m.get("pending_final", False)
        code = self.o.place(label, None, depth=depth)
        for d in list(self.meta):
            if d > depth:
                del self.meta[d]
        final = prev_final or text.rstrip().endswith(".")
        self.meta[depth] = {"final": final, "pending_final": False}
        if _ends_and_or(text):
            # "; and" at the end of a list's last item belongs to the list above it
            tgt = depth - 1 if final and depth > 0 else depth
            if tgt in self.meta:
                self.meta[tgt]["pending_final"] = True
        self.ensure(code, lineno)
        self.b.text(code, text)
        return code

    def ensure(self, code, lineno):
        if self.b.has(code):
            return
        parent = code.rsplit(".", 1)[0]
        if parent != self.code:
            self.ensure(parent, lineno)
        self.b.add(code, parent, "sub", "", lineno, heading=self.p.heading_of(code),
                   title=self.p.toc.get(code),
                   category="I" if code.split(".")[0] in ("1", "2") else "II")

    def resolve(self, label):
        """Like Outline.resolve, but a list whose last item has been given is closed."""
        o = self.o
        if is_first(label):
            return len(o.levels)
        cands = o.candidates(label)
        open_ = [i for i in cands if not self.meta.get(i, {}).get("final")]
        use = open_ or cands
        return use[-1] if use else None

    def labelled(self, label, rest, lineno):
        o = self.o
        depth = self.resolve(label)
        if depth is None:
            # a label after siblings that lost theirs: "c." after two unlabelled paragraphs
            kind = label_kind(label)
            same = [i for i, lv in enumerate(o.levels) if lv["kind"] == kind]
            if same:
                depth = same[-1]
            elif o.levels and o.levels[-1]["kind"] != kind or not o.levels:
                depth = len(o.levels)
            else:
                return False
            self.b.warn("%s:%d: %s. placed at depth %d under %s (labels before it were lost)"
                        % (self.b.source, lineno, label, depth + 1, self.code))
        self.end_note()
        self.place(depth, label, rest, lineno)
        return True

    def paragraph(self, text, lineno):
        hint = self.p.hint_for(text)
        if hint:
            self.end_note()
            labels = hint[len(self.code) + 1:].split(".")
            parent_depth = len(labels) - 1
            # rebuild the path to the hinted code
            if [lv["last"] for lv in self.o.levels[:parent_depth]] != labels[:-1]:
                self.o.set_path(labels[:-1])
            self.place(parent_depth, labels[-1], text, lineno)
            return
        if NOTE_HEAD_RE.match(text) and (note_kind(text) or text.startswith("N.B")):
            if self.note is not None and not NOTE_HEAD_RE.sub("", text).strip() and \
                    self.note_open() and self.note["parts"]:
                self.note["parts"].append(text)
                return
            self.start_note(text, lineno)
            return
        m = STRICT_LABEL_RE.match(text) or (LABEL_RE.match(text) if re.match(r"^[a-z]\s", text)
                                            else None)
        if m:
            label, rest = m.group("label"), m.group("rest")
            if self.note is not None and not self.label_to_body(label):
                self.note_item(label, text)
                return
            if self.labelled(label, rest, lineno):
                return
            (self.note_item(label, text) if self.note is not None
             else self.b.text(self.o.current, text))
            return
        if self.note is not None:
            if self.note_open() or not self.unlabelled_to_body(text):
                self.note["parts"].append(text)
                return
            self.end_note()
        best = self.best(text)
        if best is None or best[0] < 0:
            self.b.text(self.o.current, text)
            return
        _sc, depth, label, _code = best
        self.place(depth, label, text, lineno)

    def note_item(self, label, text):
        no = self.note["outline"]
        if no.place(label) is None:
            no.place(label, depth=len(no.levels))
        self.note["parts"].append(text)

    def label_to_body(self, label):
        o = self.o
        depth = self.resolve(label)
        if depth is None:
            return False
        if is_first(label):
            return (not self.note_open()) and self.expects_children() and not self.has_children()
        nd = self.note["outline"].resolve(label)
        if nd is None:
            return True
        code = o.code_at(depth, label)
        return code in self.p.cited and not self.note_open()

    def unlabelled_to_body(self, text):
        """After a finished note: does this paragraph resume the entry's list?"""
        best = self.best(text)
        if best is None or best[0] < 0:
            return False
        sc, depth, label, code = best
        if sc >= 100:
            return True
        t = text.rstrip()
        if t.endswith((";", ":")) or _ends_and_or(t):
            return True
        return code in self.p.cited and not NOTE_PROSE_RE.search(t)


class MtcrParser:
    def __init__(self, b, toc, cited):
        self.b = b
        self.toc = toc
        self.cited = cited
        self.item_titles = {}
        self.hints_used = {k: 0 for k in HINTS}

    def heading_of(self, code):
        item = code.split(".")[0]
        cat = "Category I" if item in ("1", "2") else "Category II"
        h = "%s - Item %s %s" % (cat, item, self.item_titles.get(item, ""))
        parts = code.split(".")
        if len(parts) > 1 and parts[1] in GROUPS:
            h += " / " + GROUPS[parts[1]]
        return h

    def hint_for(self, text):
        for k, code in HINTS.items():
            if text.startswith(k):
                self.hints_used[k] += 1
                return code
        return None


def _merge_wrapped(paras, line, lineno):
    """A line continues the previous paragraph when that one stopped mid-sentence."""
    if paras:
        prev = paras[-1][1].rstrip()
        s = line.strip()
        if prev and not re.search(r"[.;:]\s*(?:and|or)?$", prev) and not \
                re.match(r"^(?:[a-z]|\d{1,2})\.\s", s) and not NOTE_HEAD_RE.match(s) and \
                (s[:1].islower() or s[:1].isdigit() or prev.endswith((",", "(", "-")) or
                 paras[-1][2]):
            paras[-1] = (paras[-1][0], prev + " " + s, False)
            return
    paras.append((lineno, line.strip(), line.rstrip("\n").endswith(" ")))


def parse(src_dir):
    path = os.path.join(src_dir, "mtcr", FILE)
    rel = "src/mtcr/" + FILE
    b = Builder("mtcr", DOC, EDITION, rel)
    lines = _read(path)
    toc_lo = next(i for i, x in enumerate(lines) if x.startswith("CATEGORY I - ITEM 1"))
    toc_hi = next(i for i, x in enumerate(lines) if x.startswith("UNITS, CONSTANTS"))
    body_lo = next(i for i, x in enumerate(lines) if ITEM_RE.match(x))
    body_hi = max(i for i, x in enumerate(lines) if x.startswith("UNITS, CONSTANTS"))
    toc = parse_toc(lines, toc_lo, toc_hi)
    cited = cited_codes(lines, body_lo, body_hi)
    p = MtcrParser(b, toc, cited)
    entry = None
    paras = []

    def flush():
        if entry is not None:
            texts = [squeeze(t) for _l, t, _x in paras]
            entry.future = [(m.group("label") if m else None) for m in
                            (STRICT_LABEL_RE.match(t) for t in texts)]
            for k, (lineno, _t, _trail) in enumerate(paras):
                entry.pos = k
                entry.paragraph(texts[k], lineno)
        del paras[:]

    for i in range(body_lo, body_hi):
        raw = lines[i]
        s = raw.strip()
        lineno = i + 1
        if not s:
            continue
        im = ITEM_RE.match(s)
        if im:
            flush()
            if entry:
                entry.end_note()
            entry = None
            item = im.group(1)
            p.item_titles[item] = im.group(2).strip().title()
            b.add(item, "", "item", "", lineno, heading="Category I" if item in ("1", "2")
                  else "Category II", title=im.group(2).strip().capitalize(),
                  category="I" if item in ("1", "2") else "II")
            continue
        if s.upper() == "RESERVED FOR FUTURE USE" or s in ("CATEGORY I", "CATEGORY II"):
            continue
        gm = GROUP_RE.match(raw)
        if gm and gm.group(3).isupper() and not ENTRY_RE.match(raw):
            flush()
            if entry:
                entry.end_note()
            entry = None
            code = "%s.%s" % (gm.group(1), gm.group(2))
            b.add(code, gm.group(1), "group", "", lineno, heading=p.heading_of(code),
                  title=GROUPS[gm.group(2)].capitalize(),
                  category="I" if gm.group(1) in ("1", "2") else "II")
            continue
        em = ENTRY_RE.match(raw)
        if em and entry is not None:
            key = (int(em.group(1)), em.group(2), int(em.group(3)))
            cur = tuple(int(x) if x.isdigit() else x for x in entry.code.split("."))
            if key <= cur:
                em = None  # "2.D.3. includes ...": a note that starts with its entry's code
        if em:
            flush()
            if entry:
                entry.end_note()
            code = "%s.%s.%s" % (em.group(1), em.group(2), em.group(3))
            entry = MtcrEntry(p, code)
            b.add(code, "%s.%s" % (em.group(1), em.group(2)), "entry", em.group(4), lineno,
                  heading=p.heading_of(code), title=toc.get(code),
                  category="I" if em.group(1) in ("1", "2") else "II")
            continue
        if entry is None:
            continue  # "None." under a group
        _merge_wrapped(paras, raw, lineno)
    flush()
    if entry:
        entry.end_note()
    for k, n in p.hints_used.items():
        if n != 1:
            b.warn("%s: hint %r matched %d paragraphs (expected 1)" % (rel, k, n))
    return b, toc, cited
