"""Text helpers shared by the control-list parsers: character clean-up, labels, CAS numbers,
numbers with units and threshold extraction.

Standard library only (CI has python3 without pip packages).
"""
import re
import unicodedata

# ---------------------------------------------------------------------------------------------
# Character clean-up

_CHAR_MAP = {
    "\u00a0": " ",   # no-break space (Wassenaar puts one between every number and unit)
    "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ", "\u200b": "",
    "\u00ad": "",    # soft hyphen (EUR-Lex hyphenation)
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'", "\u2035": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u03bc": "\u00b5",  # Greek mu -> micro sign, so "µm" has one spelling
    "\u00ba": "\u00b0",  # masculine ordinal used as a degree sign
    "\uf0b7": "-", "\u2022": "-", "\u25aa": "-",
    "\u2264": "<=", "\u2265": ">=",
}
_CHAR_RE = re.compile("|".join(re.escape(k) for k in _CHAR_MAP))


def clean_chars(s):
    """Normalises the typographic variants that PDF/Word extraction leaves behind."""
    s = unicodedata.normalize("NFC", s)
    return _CHAR_RE.sub(lambda m: _CHAR_MAP[m.group(0)], s)


def squeeze(s):
    return re.sub(r"\s+", " ", s).strip()


def join_lines(parts):
    """Joins wrapped lines of one paragraph; a line ending in a hyphen between two lower-case
    letters is joined without a space when the EUR-Lex soft hyphen was used."""
    out = ""
    for p in parts:
        p = p.strip()
        if not p:
            continue
        if not out:
            out = p
        elif out.endswith("\u00ad"):
            out = out[:-1] + p
        else:
            out += " " + p
    return squeeze(clean_chars(out))


# ---------------------------------------------------------------------------------------------
# Outline labels

ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
         "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]


def label_kind(label):
    if label.isdigit():
        return "num"
    if label.isalpha() and label.islower() and len(label) == 1:
        return "alpha"
    if label.isalpha() and label.isupper() and len(label) == 1:
        return "upper"
    return "other"


def succ(label):
    """The label that follows `label` in a list: b after a, 3 after 2, aa never."""
    if label.isdigit():
        return str(int(label) + 1)
    if len(label) == 1 and label.isalpha() and label not in "zZ":
        return chr(ord(label) + 1)
    return None


def is_first(label):
    return label in ("a", "1", "A")


# ---------------------------------------------------------------------------------------------
# CAS registry numbers

CAS_RE = re.compile(r"(?<![\d-])(\d{2,7})-(\d{2})-(\d)(?![\d-])")
CAS_NODASH_RE = re.compile(r"\bCAS\s+(\d{5,10})\b")


def cas_valid(cas):
    digits = cas.replace("-", "")
    body, check = digits[:-1], int(digits[-1])
    total = sum((i + 1) * int(d) for i, d in enumerate(reversed(body)))
    return total % 10 == check


def find_cas(text):
    """CAS numbers in text, in order, validated by their check digit; a CAS number printed
    without hyphens after "CAS" (a typo in the MTCR Annex: 10544726) is repaired."""
    found = []
    for m in CAS_RE.finditer(text):
        cas = "%s-%s-%s" % m.groups()
        if cas_valid(cas) and cas not in found:
            found.append(cas)
    for m in CAS_NODASH_RE.finditer(text):
        d = m.group(1)
        cas = "%s-%s-%s" % (d[:-3], d[-3:-1], d[-1])
        if cas_valid(cas) and cas not in found:
            found.append(cas)
    return found


# ---------------------------------------------------------------------------------------------
# Numbers and units

# surface form (lower case, after clean_chars) -> canonical unit
UNIT_CANON = {
    "µm": "um", "um": "um", "micron": "um", "microns": "um", "micrometre": "um",
    "micrometres": "um", "micrometer": "um", "micrometers": "um",
    "nm": "nm", "mm": "mm", "cm": "cm", "m": "m", "km": "km", "pm": "pm",
    "angstrom": "angstrom", "angstroms": "angstrom",
    "kg": "kg", "g": "g", "mg": "mg", "t": "t", "tonnes": "t", "tons": "t",
    "n": "N", "kn": "kN", "mn": "MN", "ns": "Ns",
    "pa": "Pa", "kpa": "kPa", "mpa": "MPa", "gpa": "GPa", "bar": "bar", "psi": "psi",
    "mbar": "mbar", "torr": "torr",
    "k": "K", "°c": "C", "oc": "C", "°": "deg", "degree": "deg", "degrees": "deg",
    "hz": "Hz", "khz": "kHz", "mhz": "MHz", "ghz": "GHz", "thz": "THz",
    "w": "W", "kw": "kW", "mw": "MW", "gw": "GW", "tw": "TW", "va": "VA", "kva": "kVA",
    "v": "V", "kv": "kV", "mv": "mV", "a": "A", "ka": "kA", "ma": "mA",
    "j": "J", "kj": "kJ", "mj": "MJ",
    "s": "s", "ms": "ms", "µs": "us", "us": "us", "ps": "ps", "fs": "fs",
    "min": "min", "h": "h", "hours": "h", "hour": "h",
    "rpm": "rpm", "r.p.m": "rpm", "%": "%", "ppm": "ppm", "db": "dB", "dbm": "dBm",
    "l": "l", "litres": "l", "liters": "l", "litre": "l", "ml": "ml",
    "m/s": "m/s", "km/h": "km/h", "g/cm3": "g/cm3", "kg/m3": "kg/m3", "g/cc": "g/cm3",
    "gy": "Gy", "rad": "rad", "rads": "rad", "t ": "T",
    "mm2": "mm2", "cm2": "cm2", "m2": "m2", "cm3": "cm3", "m3": "m3",
    "arc second": "arcsec", "arc seconds": "arcsec", "seconds of arc": "arcsec",
    "second of arc": "arcsec",
    "bit": "bit", "bits": "bit", "kbit/s": "kbit/s", "mbit/s": "Mbit/s", "gbit/s": "Gbit/s",
    "ops": "ops", "flops": "flops", "mt": "Mt", "lbs": "lb", "lb": "lb", "in": "in",
    "inch": "in", "inches": "in", "s/m": "S/m", "kg/h": "kg/h", "l/min": "l/min",
    "degrees/s": "deg/s", "°/s": "deg/s", "deg/s": "deg/s", "°/s2": "deg/s2", "deg/s2": "deg/s2", "degrees per hour": "deg/h",
    "g rms": "g", "g0": "g", "j/kg": "J/kg", "j/m3": "J/m3", "mm/s": "mm/s",
    # found missing by threshold_audit.py: gravity meters, angles, ADC sample rates, X-ray
    # and accelerator energies, motor impulse, detector power, ship speed, battery energy
    "mgal": "mGal", "milligal": "mGal", "µgal": "uGal", "ugal": "uGal",
    "µrad": "urad", "urad": "urad", "mrad": "mrad", "msps": "MSPS", "gsps": "GSPS",
    "mega samples per second": "MSPS", "giga samples per second": "GSPS",
    "kev": "keV", "mev": "MeV", "mns": "MNs", "nw": "nW", "knots": "kt", "wh/kg": "Wh/kg",
    "second": "s", "seconds": "s", "minute": "min", "minutes": "min",
    # pumping speeds: "15 m3/s" is a volume flow, not the volume read before the slash
    "m3/s": "m3/s", "m3/h": "m3/h", "l/s": "l/s",
    # activities in the exclusion notes ("less than 1,48 x 103 GBq (40 Ci) of tritium")
    "bq": "Bq", "gbq": "GBq", "tbq": "TBq", "ci": "Ci",
    # residual specific unbalance ("10 g mm/kg per plane"), not a mass of 10 g
    "g mm/kg": "g.mm/kg", "g mm per kg": "g.mm/kg", "g.mm/kg": "g.mm/kg",
}


# symbols whose case carries meaning (M mega vs m milli, K kelvin, T tesla vs t tonne):
# matched exactly; their other-case forms are not units
UNIT_EXACT = {
    "m": "m", "M": None, "K": "K", "k": None, "N": "N", "n": None, "Ns": "Ns", "ns": "ns",
    "NS": "Ns", "mW": "mW", "MW": "MW", "mV": "mV", "MV": "MV", "mA": "mA", "MA": "MA",
    "mJ": "mJ", "MJ": "MJ", "mN": "mN", "MN": "MN", "T": "T", "t": "t", "S": "S", "s": "s",
    "g": "g", "G": None, "A": "A", "a": None, "W": "W", "w": None, "V": "V", "v": None,
    "J": "J", "j": None, "h": "h", "H": None, "l": "l", "L": "l", "ms": "ms", "MS": None,
    "Mt": "Mt", "mt": None, "mm": "mm", "MM": None, "Pa": "Pa", "PA": None, "pa": None,
    "MHz": "MHz", "mHz": None, "Gy": "Gy",
    # "13.3 mPa" (vacuum) is a billionth of "13.3 MPa"
    "mPa": "mPa", "MPa": "MPa",
}
UNIT_CANON.pop("in", None)
UNIT_CANON.pop("t ", None)


def canon_unit(surface):
    if surface in UNIT_EXACT:
        return UNIT_EXACT[surface]
    low = surface.lower()
    if low in UNIT_EXACT and low not in UNIT_CANON:
        return None
    if low in ("m", "k", "n", "ns", "mw", "mv", "ma", "mj", "mn", "t", "s", "g", "a", "w", "v",
               "j", "h", "l", "ms", "mt", "mm", "pa", "mhz"):
        return None  # a case-sensitive symbol written in another case
    return UNIT_CANON.get(low)


# longest surface forms first so "kPa" is not read as "k"
_UNIT_FORMS = sorted(UNIT_CANON, key=len, reverse=True)
_UNIT_RE = re.compile(
    r"(?:%s)(?![A-Za-z0-9])" % "|".join(re.escape(u) for u in _UNIT_FORMS if u.strip()),
    re.IGNORECASE)


# canonical unit -> (dimension, factor to the SI base unit); temperature is handled apart
UNIT_SI = {
    "pm": ("length", 1e-12), "angstrom": ("length", 1e-10), "nm": ("length", 1e-9),
    "um": ("length", 1e-6), "mm": ("length", 1e-3), "cm": ("length", 1e-2), "m": ("length", 1.0),
    "km": ("length", 1e3), "in": ("length", 0.0254),
    "mg": ("mass", 1e-6), "g": ("mass", 1e-3), "kg": ("mass", 1.0), "t": ("mass", 1e3),
    "lb": ("mass", 0.45359237),
    "N": ("force", 1.0), "kN": ("force", 1e3), "MN": ("force", 1e6), "mN": ("force", 1e-3),
    "mPa": ("pressure", 1e-3), "Pa": ("pressure", 1.0), "kPa": ("pressure", 1e3),
    "MPa": ("pressure", 1e6),
    "GPa": ("pressure", 1e9), "bar": ("pressure", 1e5), "mbar": ("pressure", 1e2),
    "psi": ("pressure", 6894.757), "torr": ("pressure", 133.3224),
    "Hz": ("frequency", 1.0), "kHz": ("frequency", 1e3), "MHz": ("frequency", 1e6),
    "GHz": ("frequency", 1e9), "THz": ("frequency", 1e12), "rpm": ("rotation", 1.0),
    "mW": ("power", 1e-3), "W": ("power", 1.0), "kW": ("power", 1e3), "MW": ("power", 1e6),
    "GW": ("power", 1e9), "TW": ("power", 1e12), "VA": ("power", 1.0), "kVA": ("power", 1e3),
    "mV": ("voltage", 1e-3), "V": ("voltage", 1.0), "kV": ("voltage", 1e3), "MV": ("voltage", 1e6),
    "mA": ("current", 1e-3), "A": ("current", 1.0), "kA": ("current", 1e3),
    "mJ": ("energy", 1e-3), "J": ("energy", 1.0), "kJ": ("energy", 1e3), "MJ": ("energy", 1e6),
    "fs": ("time", 1e-15), "ps": ("time", 1e-12), "ns": ("time", 1e-9), "us": ("time", 1e-6),
    "ms": ("time", 1e-3), "s": ("time", 1.0), "min": ("time", 60.0), "h": ("time", 3600.0),
    "ml": ("volume", 1e-6), "cm3": ("volume", 1e-6), "l": ("volume", 1e-3), "m3": ("volume", 1.0),
    "mm2": ("area", 1e-6), "cm2": ("area", 1e-4), "m2": ("area", 1.0),
    "K": ("temperature", 1.0), "C": ("temperature", 1.0),
    "deg": ("angle", 1.0), "arcsec": ("angle", 1.0 / 3600), "%": ("ratio", 1.0),
    "ppm": ("ratio", 1e-4), "Ns": ("impulse", 1.0), "Gy": ("dose", 1.0), "rad": ("dose", 0.01),
    "g/cm3": ("density", 1000.0), "kg/m3": ("density", 1.0),
    "mGal": ("acceleration", 1e-5), "uGal": ("acceleration", 1e-8),
    "urad": ("angle", 5.729578e-5), "mrad": ("angle", 5.729578e-2),
    "MSPS": ("sample rate", 1e6), "GSPS": ("sample rate", 1e9),
    "keV": ("energy", 1.602177e-16), "MeV": ("energy", 1.602177e-13),
    "deg/s2": ("angular acceleration", 1.0),
    "MNs": ("impulse", 1e6), "nW": ("power", 1e-9), "kt": ("speed", 0.5144444),
    "Wh/kg": ("specific energy", 3600.0),
    "m3/s": ("volume flow", 1.0), "m3/h": ("volume flow", 1.0 / 3600), "l/s": ("volume flow", 1e-3),
    "l/min": ("volume flow", 1e-3 / 60),
    "Bq": ("activity", 1.0), "GBq": ("activity", 1e9), "TBq": ("activity", 1e12),
    "Ci": ("activity", 3.7e10), "g.mm/kg": ("specific unbalance", 1e-6),
}


def convert(value, unit, to_unit):
    """value in unit expressed in to_unit, or None when the dimensions differ."""
    if unit == to_unit:
        return value
    a, b = UNIT_SI.get(unit), UNIT_SI.get(to_unit)
    if not a or not b or a[0] != b[0]:
        return None
    if a[0] == "temperature":
        kelvin = value + 273.15 if unit == "C" else value
        return kelvin - 273.15 if to_unit == "C" else kelvin
    return value * a[1] / b[1]


def parse_number(s, decimal_comma=False):
    """Parses "1,250", "0.9", "1 250" / "0,9" (EU style when decimal_comma) into a float."""
    s = s.strip()
    if decimal_comma:
        s = s.replace(" ", "").replace(".", "").replace(",", ".")
    else:
        s = s.replace(" ", "")
        if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", s):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    try:
        return float(s)
    except ValueError:
        return None


def num_out(v):
    """A float as the most natural JSON number: 6 rather than 6.0, no float noise."""
    if v is None:
        return None
    if v == int(v) and abs(v) < 1e15:
        return int(v)
    return float("%.6g" % v)


# ---------------------------------------------------------------------------------------------
# Thresholds: "<quantity> <comparator> <value> <unit>"

_CMP_BEFORE = [  # comparator phrases that precede the number
    (r"equal to or less(?: \((?:better|lower)\))? than", "<="),
    (r"equal to or (?:better|lower) \(less\) than", "<="),
    (r"equal to or (?:greater|more|higher|better) than", ">="),
    (r"equal to or (?:larger|wider) than", ">="),
    (r"equal to or exceeding", ">="),
    (r"less than or equal to", "<="),
    (r"greater than or equal to", ">="),
    (r"more than or equal to", ">="),
    (r"(?:better|lower|smaller) \(less\) than", "<"),
    (r"less \((?:better|lower)\) than", "<"),
    (r"(?:better|finer) than", "<"),
    (r"less than", "<"),
    (r"lower than", "<"),
    (r"smaller than", "<"),
    (r"fewer than", "<"),
    (r"below", "<"),
    (r"under", "<"),
    (r"not (?:more|greater) than", "<="),
    (r"not exceeding", "<="),
    (r"not less than", ">="),
    (r"at least", ">="),
    (r"a minimum of", ">="),
    (r"a maximum of", "<="),
    (r"up to", "<="),
    (r"(?:greater|more|higher|larger|faster|wider|longer) than", ">"),
    (r"in excess of", ">"),
    (r"exceeding", ">"),
    (r"exceeds", ">"),
    (r"over", ">"),
    (r"above", ">"),
]
_CMP_AFTER = [  # comparator phrases that follow the number and unit
    (r"or (?:more|greater|higher|larger|longer|wider|above|over)", ">="),
    (r"or (?:less|lower|smaller|better|shorter|below|fewer)", "<="),
    (r"and (?:above|over|more|greater)", ">="),
    (r"and (?:below|less)", "<="),
]

_NUM = r"(\d[\d,. ]*\d|\d)"
_EXP = r"(?:\s*[x×X\*]\s*10\s?(-?\s?\d{1,2}))?"
_NUMNC = r"(?:\d[\d,. ]*\d|\d)"
_RANGE_RE = re.compile(r"\b(?:between|from)\s+(-?" + _NUMNC + r")\s*([^\s\d,;()]*)\s+"
                       r"(?:and|to)\s+(-?" + _NUMNC + r")" + _EXP)

_STOP_TAIL = {"a", "an", "the", "of", "with", "having", "has", "and", "or", "any", "to", "at",
              "in", "for", "by", "is", "are", "be", "which", "that", "than", "all", "its",
              "their", "both", "either", "one", "each", "following", "rated", "specified",
              "capable", "designed", "measured", "providing", "delivering", "achieving",
              "maintain", "achieve", "operate", "provide", "deliver", "reach", "produce", "use",
              "obtain", "generate", "withstand", "comply", "able", "exposed"}
_BOUNDARY = re.compile(r"[;:,()\[\]]|\d|\b(?:having|with|and|or|which|that|where|when|if|at|for|"
                       r"whose|including|excluding|than|per|to|from|along|on|in)\b", re.IGNORECASE)


_QUOTED_RE = re.compile(r"(?:\"([^\"]{2,60})\"|'([^']{2,60})')(?:\s*(?:\"[^\"]{2,60}\"|'[^']{2,60}'))*")


_NOT_QUANTITIES = {"capable of", "specially designed", "designed or modified", "usable in",
                   "usable for", "usable as", "use", "production", "development", "technology",
                   "software", "required", "space-qualified", "laser", "lasers", "composite",
                   "composites", "matrix", "numerical control", "aircraft", "missiles",
                   "missile", "uavs", "vessel", "explosives", "propellants", "spacecraft",
                   "civil aircraft", "program", "programs", "in the public domain"}


def _quantity_before(text, end):
    """The noun phrase before position `end`: a defined term in quotes close before it (the
    lists quote their defined quantities: "unidirectional positioning repeatability"), else up
    to 7 words back to a boundary, with articles and verbs trimmed."""
    clause_start = max(text.rfind(";", 0, end), text.rfind(":", 0, end), end - 160, 0)
    clause = text[clause_start:end]
    last = None
    for m in _QUOTED_RE.finditer(clause):
        last = m
    if last and re.sub(r"[\"'\s]+", " ", last.group(0)).strip().lower() in _NOT_QUANTITIES:
        last = None
    if last and len(clause) - last.end() <= 60 and not re.search(r"\d", clause[last.end():]):
        q = re.sub(r"[\"']", " ", last.group(0))
        return squeeze(q).lower()
    seg = text[max(0, end - 160):end]
    cut = 0
    for m in _BOUNDARY.finditer(seg):
        if m.end() < len(seg) - 1:
            cut = m.end()
    seg = seg[cut:]
    words = re.findall(r"[A-Za-z][A-Za-z0-9\-/']*", seg.replace('"', " ").replace("'", " "))
    words = words[-7:]
    while words and words[0].lower() in _STOP_TAIL:
        words.pop(0)
    while words and words[-1].lower() in _STOP_TAIL:
        words.pop()
    return " ".join(w.lower() for w in words)


def _quantity_after(text, start):
    seg = text[start:start + 80]
    seg = seg.replace('"', " ").replace("'", " ")
    m = re.match(r"\s*((?:[A-Za-z][A-Za-z\-]*\s*){1,4})", seg)
    if not m:
        return ""
    words = m.group(1).split()
    out = []
    for w in words:
        if w.lower() in _STOP_TAIL or w.lower() in ("or", "and", "to", "at", "along", "in"):
            break
        out.append(w.lower())
    if all(w in _CONTINUATION for w in out):
        return ""  # "but not exceeding": the words that join a second bound
    return " ".join(out)


_VALUE_UNIT_RE = re.compile(
    r"(?<![\w.])(-?" + _NUM[1:-1] + r")" + _EXP + r"\s*(" +
    "|".join(re.escape(u) for u in _UNIT_FORMS if u.strip()) + r")(?![A-Za-z0-9])", re.IGNORECASE)


def _read_value(m_num, m_exp, decimal_comma):
    v = parse_number(m_num, decimal_comma)
    if v is None:
        return None
    if m_exp:
        try:
            v = v * (10 ** int(m_exp.replace(" ", "")))
        except (ValueError, OverflowError):
            return None
    return v


def _value_unit_at(text, pos, decimal_comma):
    """Reads "<number> [x 10N] <unit>" starting at pos (after spaces and an optional article)."""
    m = re.compile(r"\s*(?:an?\s+|the\s+)?(-?" + _NUM[1:-1] + r")" + _EXP + r"\s*").match(text, pos)
    if not m:
        return None
    num, exp = m.group(1), m.group(2)
    if not decimal_comma:
        num = num.rstrip(" ,.")
    else:
        num = num.rstrip(" .")
    # a bare thousands-space in non-EU text is two numbers: keep the first
    if not decimal_comma and " " in num:
        num = num.split(" ")[0]
    v = _read_value(num, exp, decimal_comma)
    if v is None:
        return None
    after = m.end()
    um = _UNIT_RE.match(text, after)
    unit, unit_raw = None, None
    if um:
        unit = canon_unit(um.group(0))
        unit_raw = um.group(0)
        if unit:
            after = um.end()
    return v, unit, unit_raw, after, m.start(1)


_SYMBOL_CMP = re.compile(r"(>=|<=|>|<)\s*(?=\d)")
_NOT_A_QUANTITY_BEFORE = re.compile(r"(?:ISO|IEC|ASTM|Class|Category|Item|Annex|Note|paragraph|"
                                    r"Part|Schedule|Regulation|Article|MON|AGMA|IEEE|STD|No\.?)\s*$",
                                    re.IGNORECASE)


# words that only join a second bound to the first: "exceeding 1 250 MSPS but not exceeding"
_CONTINUATION = {"but", "and", "or", "more", "greater", "less", "not", "than", "equal", "to",
                 "exceeding"}


def _continues(quantity):
    """Whether a quantity read before a comparator is only the previous bound's unit and
    joining words ("msps but", "but", "nm but"): the bound continues the previous one."""
    words = quantity.split()
    if words and words[0] in UNIT_CANON:
        words = words[1:]
    return all(w in _CONTINUATION for w in words)


def _join_ranges(t, out):
    """"exceeding 1 250 MSPS but not exceeding 3 500 MSPS" is one range of one quantity, not a
    lower bound and an upper bound of which either alone would do: a lower bound followed
    (within the clause) by an upper bound of the same unit becomes "between"; another bound
    that continues the previous one takes its quantity."""
    joined = []
    for pos, end, r in out:
        prev = joined[-1] if joined else None
        if (prev and _continues(r["quantity"]) and 0 <= pos - prev[1] <= 12 and
                not re.search(r"[;:()]", t[prev[1]:pos]) and prev[2]["cmp"] != "between"):
            p = prev[2]
            same = convert(1.0, r["unit"], p["unit"]) is not None if r["unit"] else not p["unit"]
            if same and p["cmp"] in (">", ">=") and r["cmp"] in ("<", "<="):
                hi = convert(r["value"], r["unit"], p["unit"]) if r["unit"] else r["value"]
                rec = {"quantity": p["quantity"], "cmp": "between", "value": p["value"],
                       "unit": p["unit"], "value_max": num_out(hi),
                       "text": squeeze(t[prev[0]:end])[:160]}
                if p["cmp"] == ">" or r["cmp"] == "<":  # "8 bit or more, but less than 10 bit"
                    rec["open"] = {(True, True): "both", (True, False): "min",
                                   (False, True): "max"}[(p["cmp"] == ">", r["cmp"] == "<")]
                joined[-1] = (prev[0], end, rec)
                continue
            if same:
                r = dict(r, quantity=p["quantity"])
        joined.append((pos, end, r))
    return joined


def parse_thresholds(text, decimal_comma=False):
    """Extracts controlled parameters: [{quantity, cmp, value, unit}] (and value_max for
    ranges). The unit is canonical ("um", "MPa", "km"); numbers keep the text's value.
    A count without unit ("120 000 or more") has unit ""."""
    t = clean_chars(text)
    # "positioning accuracies with "all compensations available" equal to or less than 6 µm":
    # the quoted words qualify the quantity before them, they are not the quantity
    t = re.sub(r"""\s+with\s+["']all compensations available["']""", "", t)
    # the EU text lost the degree sign's superscript: "0,02o", "20o/s" are degrees
    t = re.sub(r"(?<=\d)o(?=[\s;,.)/]|$)", "\u00b0", t)
    out = []
    seen = set()

    def add(q, cmp, v, unit, vmax=None, raw="", pos=0):
        q = q.strip()
        key = (q, cmp, v, unit, vmax)
        if key in seen or v is None or (unit == "" and not q):
            return
        seen.add(key)
        rec = {"quantity": q, "cmp": cmp, "value": num_out(v), "unit": unit}
        if vmax is not None:
            rec["value_max"] = num_out(vmax)
        rec["text"] = squeeze(raw)[:160]
        out.append((pos, pos + len(raw), rec))

    taken = []  # spans already used

    def free(a, b):
        return not any(x < b and a < y for x, y in taken)

    # ranges: "between 12 and 50 mm", "between 20 Hz and 2 kHz"
    for m in _RANGE_RE.finditer(t):
        lo = _read_value(m.group(1), None, decimal_comma)
        hi = _read_value(m.group(3), m.group(4), decimal_comma)
        um = re.compile(r"\s*").match(t, m.end())
        um = _UNIT_RE.match(t, um.end())
        hi_unit = canon_unit(um.group(0)) if um else None
        lo_unit = canon_unit(m.group(2)) if m.group(2) and _UNIT_RE.fullmatch(m.group(2)) else None
        unit = hi_unit or lo_unit
        if lo is None or hi is None or unit is None:
            continue
        if lo_unit and hi_unit and lo_unit != hi_unit:
            lo = convert(lo, lo_unit, hi_unit)
            if lo is None:
                continue
        q = _quantity_before(t, m.start())
        end = um.end() if um else m.end()
        add(q, "between", lo, unit, hi, t[m.start():end], m.start())
        taken.append((m.start(), end))

    def before_matches():
        for pattern, cmp in _CMP_BEFORE:
            for m in re.finditer(r"\b" + pattern + r"\b", t, re.IGNORECASE):
                yield m, cmp
        for m in _SYMBOL_CMP.finditer(t):
            yield m, m.group(1)

    for m, cmp in before_matches():
        r = _value_unit_at(t, m.end(), decimal_comma)
        if not r:
            continue
        v, unit, _raw, after, _s = r
        if not free(m.start(), after):
            continue
        if unit is None:
            if re.match(r"\s*(?:x|×|-|/|\.\d)", t[after:after + 3]):
                continue
            unit = ""
        qa = _QUOTED_RE.match(t, after + (1 if t[after:after + 1] == " " else 0))
        if qa:
            q = squeeze(re.sub(r"[\"']", " ", qa.group(0))).lower()
        else:
            q = _quantity_before(t, m.start())
        if not q or q in ("rated", "specified"):
            q = _quantity_after(t, after)
        taken.append((m.start(), after))
        add(q, cmp, v, unit, raw=t[m.start():after], pos=m.start())

    count_re = re.compile(r"(?<![\w.,])(\d[\d,. ]*\d|\d)(?:\s*[x×X\*]\s*10\s?(-?\s?\d{1,2}))?\s*$")
    for pattern, cmp in _CMP_AFTER:
        for m in re.finditer(r"\b" + pattern + r"\b", t, re.IGNORECASE):
            head = t[max(0, m.start() - 60):m.start()]
            vm = None
            for vm in _VALUE_UNIT_RE.finditer(head):
                pass
            unit = None
            # "200 µrad (microradians) or less": a gloss between the unit and the comparator
            gloss = re.search(r"\s*\([^()\d]{1,30}\)\s*$", head)
            hend = gloss.start() if gloss else len(head.rstrip())
            if vm and vm.end() >= hend - 1:
                start = m.start() - len(head) + vm.start()
                v = _read_value(vm.group(1), vm.group(2), decimal_comma)
                unit = canon_unit(vm.group(3))
            else:
                cm = count_re.search(head)
                if not cm:
                    continue
                start = m.start() - len(head) + cm.start()
                if _NOT_A_QUANTITY_BEFORE.search(t[:start]):
                    continue
                v = _read_value(cm.group(1), cm.group(2), decimal_comma)
                unit = ""
            if unit is None or not free(start, m.end()):
                continue
            q = _quantity_before(t, start)
            # "a particle size of 50 x10-6 m (50 µm) or less": the value in parentheses
            # restates the one before it; the quantity is written before that one
            pm = re.search(r"(?<![\w.,])\d[\d,. ]*(?:\s*[x×]\s*10\s?-?\s?\d{1,2})?\s*\S{0,6}\s*\(\s*$",
                           t[:start])
            if pm:
                q = _quantity_before(t, pm.start()) or q
            if not q:
                q = _quantity_after(t, m.end())
            taken.append((start, m.end()))
            add(q, cmp, v, unit, raw=t[start:m.end()], pos=start)
    out.sort(key=lambda pr: pr[0])
    out = _join_ranges(t, out)
    # "0.5 degrees (1 sigma or rms) per hour": an angular rate, not an angle
    for pos, _end, r in out:
        if r["unit"] == "deg":
            after = t[pos + len(r["text"]):pos + len(r["text"]) + 40].lower()
            if re.match(r"^[^;,.]*?\bper (?:hour|hr)\b", after):
                r["unit"] = "deg/h"
            elif re.match(r"^[^;,.]*?\bper (?:second|s)\b", after):
                r["unit"] = "deg/s"
    return [r for _p, _e, r in out]
