"""Tests of the control-list builder on the real texts in data/controls/src.

    python3 -m unittest discover -s tools/controls -p 'test_*.py'
"""
import json
import os
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import build_controls  # noqa: E402
from textutil import convert, find_cas, parse_thresholds  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "data", "controls")
SRC = os.path.join(DATA, "src")

_BUILD = None


def built():
    global _BUILD
    if _BUILD is None:
        _BUILD = build_controls.build(SRC)
    return _BUILD


def records(name):
    files, _w, _s = built()
    return [json.loads(line) for line in files[name].splitlines()]


def by_code(name):
    return {r["code"]: r for r in records(name)}


def thr(rec, quantity):
    return [t for t in rec["thresholds"] if t["quantity"] == quantity]


class TextUtilTest(unittest.TestCase):
    def test_threshold_forms(self):
        t = parse_thresholds('"Positioning accuracy" equal to or less (better) than 6 µm;')
        self.assertEqual(t[0]["quantity"], "positioning accuracy")
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["unit"]), ("<=", 6, "um"))
        t = parse_thresholds("capable of delivering at least a 500 kg \"payload\" to a "
                             "\"range\" of at least 300 km.")
        self.assertEqual([(x["quantity"], x["cmp"], x["value"], x["unit"]) for x in t],
                         [("payload", ">=", 500, "kg"), ("range", ">=", 300, "km")])
        t = parse_thresholds("An inner ring bore diameter between 12 and 50 mm;")
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["value_max"], t[0]["unit"]),
                         ("between", 12, 50, "mm"))
        t = parse_thresholds("a total impulse capacity equal to or greater than 1.1 x 106 Ns;")
        self.assertEqual((t[0]["value"], t[0]["unit"]), (1100000, "Ns"))
        t = parse_thresholds("exceeding 1 000 hours at 400 MPa", decimal_comma=True)
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["unit"]), (">", 1000, "h"))
        t = parse_thresholds("with a thickness of 0,05 mm or less", decimal_comma=True)
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["unit"]), ("<=", 0.05, "mm"))
        self.assertEqual(parse_thresholds("Designed for rocket systems; and"), [])

    def test_ranges_and_angular_acceleration(self):
        # a lower and an upper bound of one quantity are one range, not two quantities
        t = parse_thresholds("An 'adjusted update rate' exceeding 1 250 MSPS but not exceeding "
                             "3 500 MSPS, and having any of the following:", decimal_comma=True)
        self.assertEqual([(x["quantity"], x["cmp"], x["value"], x["value_max"], x["unit"])
                          for x in t], [("adjusted update rate", "between", 1250, 3500, "MSPS")])
        t = parse_thresholds("Average output power equal to or exceeding 250 W but less than or "
                             "equal to 500 W")
        self.assertEqual([(x["quantity"], x["cmp"], x["value"], x["value_max"]) for x in t],
                         [("average output power", "between", 250, 500)])
        # the ends keep whether they are open: 12 bit is not "10 bit or more, but less than 12"
        t = parse_thresholds("A resolution of 10 bit or more, but less than 12 bit")
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["value_max"], t[0]["open"]),
                         ("between", 10, 12, "max"))
        # the EU text's "40o/s2" is an angular acceleration, not an angle nor a rate
        t = parse_thresholds("Angular vector accelerations of 40o/s2 or more.")
        self.assertEqual((t[0]["cmp"], t[0]["value"], t[0]["unit"]), (">=", 40, "deg/s2"))
        t = parse_thresholds("Angular vector rotations of 20o/s or more.")
        self.assertEqual(t[0]["unit"], "deg/s")

    def test_cas_check_digit(self):
        self.assertEqual(find_cas("UDMH (CAS 57-14-7) and (CAS 57-14-8)"), ["57-14-7"])
        # printed without hyphens after "CAS" in the MTCR Annex, repaired
        self.assertEqual(find_cas("dinitrogen tetroxide (CAS 10544726)"), ["10544-72-6"])

    def test_convert(self):
        self.assertAlmostEqual(convert(1000, "psi", "MPa"), 6.894757, places=5)
        # a vacuum of 13 mPa is not 13 MPa
        t = parse_thresholds("Capable of producing an ultimate vacuum better than 13.3 mPa.")
        self.assertEqual((t[0]["value"], t[0]["unit"]), (13.3, "mPa"))
        self.assertAlmostEqual(convert(13.3, "mPa", "Pa"), 0.0133)
        self.assertAlmostEqual(convert(4, "um", "mm"), 0.004)
        self.assertAlmostEqual(convert(600, "C", "K"), 873.15)
        self.assertIsNone(convert(1, "kg", "m"))


class MtcrTest(unittest.TestCase):
    def test_counts(self):
        recs = records("mtcr.jsonl")
        items = [r for r in recs if r["kind"] == "item"]
        # items 1-20 without the reserved 5, 7 and 8
        self.assertEqual([r["code"] for r in items],
                         [str(i) for i in range(1, 21) if i not in (5, 7, 8)])
        self.assertEqual({r["code"]: r["category"] for r in items if r["code"] in ("1", "2")},
                         {"1": "I", "2": "I"})
        self.assertEqual(sum(r["kind"] == "entry" for r in recs), 146)
        self.assertEqual(sum(r["kind"] == "sub" for r in recs), 254)
        self.assertEqual(len(recs), 502)

    def test_every_contents_and_cited_code_exists(self):
        from parse_mtcr import parse
        b, toc, cited = parse(SRC)
        codes = set(b.recs)
        self.assertEqual(sorted(c for c in toc if c not in codes), [])
        self.assertEqual(sorted(c for c in cited if c not in codes), [])
        self.assertEqual(len(toc), 184)
        self.assertEqual(b.warnings, [])

    def test_lost_labels_rebuilt(self):
        m = by_code("mtcr.jsonl")
        self.assertTrue(m["2.A.1.c"]["text"].startswith("Rocket propulsion subsystems"))
        self.assertTrue(m["2.A.1.d"]["text"].startswith("'Guidance sets'"))
        self.assertTrue(m["2.A.1.f"]["text"].startswith("Weapon or warhead safing"))
        self.assertTrue(m["2.A.1.b.3"]["text"].startswith("Electronic equipment"))
        self.assertTrue(m["4.C.2.c"]["text"].startswith("Spherical or spheroidal aluminium"))
        self.assertTrue(m["4.C.6.c.2.o"]["text"].startswith("Other ferrocene derivatives"))
        self.assertTrue(m["3.A.1.b"]["text"].startswith("Engines designed or modified"))
        self.assertTrue(m["4.B.3.c"]["text"].startswith("Fluid energy mills"))
        self.assertEqual(m["6.B.3"]["title"], "Isostatic presses")

    def test_exclusion_notes(self):
        n = by_code("nsg_part2.jsonl")
        ex = n["2.C.17"]["exclusions"]
        self.assertEqual([(t["cmp"], t["value"], t["unit"], t["kind"]) for t in ex],
                         [("<", 1480, "GBq", "")])
        self.assertEqual(n["2.C.15"]["exclusions"][0]["kind"], "zirconium foil")
        e = by_code("eu_dual_use.jsonl")
        self.assertEqual(e["1C216"]["exclusions"][0]["unit"], "mm")
        # "no individually specified chemical constitutes more than 30 %" is not a bound
        self.assertNotIn("exclusions", e["1C350"])
        self.assertNotIn("exclusions", e["2B201.a.3"])  # two conditions
        # a lettered item of an enumeration is read on its own ("b. A product or device
        # containing less than 0,37 GBq"); the item without a value ("a. Medical applicators")
        # is not a bound
        self.assertEqual([(t["cmp"], t["value"], t["unit"]) for t in e["1C237"]["exclusions"]],
                         [("<", 0.37, "GBq")])
        self.assertEqual(n["2.C.12"]["exclusions"][0]["unit"], "GBq")

    def test_restated_value_quantity(self):
        # "a particle size of 50 x10-6 m (50 µm) or less": the quantity is before the first
        # writing of the value, not the "m" before the parenthesis
        m = by_code("mtcr.jsonl")
        self.assertEqual(m["6.C.7.a"]["thresholds"][0]["quantity"], "particle size")
        self.assertEqual(m["6.C.3"]["thresholds"][1]["quantity"], "grain size")

    def test_udmh_and_thresholds(self):
        m = by_code("mtcr.jsonl")
        udmh = m["4.C.2.b.2"]
        self.assertIn("Unsymmetrical dimethylhydrazine (UDMH)", udmh["text"])
        self.assertEqual(udmh["cas"], ["57-14-7"])
        self.assertEqual(udmh["parent"], "4.C.2.b")
        self.assertEqual(m["4.C.4.a.2"]["cas"], ["10102-44-0", "10544-72-6"])
        self.assertEqual([(t["cmp"], t["value"], t["unit"]) for t in thr(m["1.A.1"], "payload")],
                         [(">=", 500, "kg")])
        self.assertEqual([(t["cmp"], t["value"], t["unit"]) for t in thr(m["1.A.1"], "range")],
                         [(">=", 300, "km")])
        self.assertEqual([(t["cmp"], t["value"]) for t in
                          thr(m["6.B.3.a"], "maximum working pressure")], [(">=", 69)])
        self.assertIn("turbopumps", " ".join(m["3.A.5"]["notes"]))
        self.assertEqual(m["3.A.5"]["source"],
                         "src/mtcr/MTCR-TEM-Technical_Annex_2021-10-08.txt")
        self.assertEqual(m["3.A.5"]["edition"], "2021-10-08")


class WassenaarTest(unittest.TestCase):
    def test_counts(self):
        recs = records("wassenaar.jsonl")
        du = [r for r in recs if r["list"] == "dual_use"]
        ml = [r for r in recs if r["list"] == "munitions"]
        self.assertEqual(sum(r["kind"] == "category" for r in du), 9)
        self.assertEqual(sum(r["kind"] == "entry" for r in du), 164)
        self.assertEqual(sum(r["kind"] == "sub" for r in du), 1850)
        self.assertEqual([r["code"] for r in ml if r["kind"] == "entry"],
                         ["ML%d" % i for i in range(1, 23)])
        self.assertEqual(len(ml), 488)
        self.assertTrue(by_code("wassenaar.jsonl")["ML1.a"]["text"].startswith("Rifles"))

    def test_entries(self):
        w = by_code("wassenaar.jsonl")
        self.assertEqual(w["9A005"]["title"], "Liquid rocket propulsion systems containing any "
                         "of the systems or components, specified by 9.A.6")
        self.assertEqual(w["9A005"]["wa_code"], "9.A.5")
        self.assertTrue(w["2B001"]["title"].startswith("Machine tools and any combination"))
        self.assertEqual(w["2B001.a"]["parent"], "2B001")
        self.assertEqual(w["2B001.b.2.c"]["parent"], "2B001.b.2")
        t = thr(w["2B001.b.2.c"], "unidirectional positioning repeatability")
        self.assertEqual([(x["cmp"], x["value"], x["unit"]) for x in t], [("<=", 6, "um")])
        self.assertTrue(any("does not apply to turning machines specially designed for "
                            "producing contact lenses" in n for n in w["2B001.a"]["notes"]))
        # entries the PDF wrote without their "1. D." prefix
        self.assertTrue(w["1D002"]["text"].startswith('"Software" for the "development"'))
        self.assertEqual(w["2B001.b.2.d"]["status"], "not_used")
        self.assertTrue(w["ML8.a.17"]["text"].startswith("NTNMH"))

    def test_every_cited_code_exists(self):
        from parse_wassenaar import wa_to_code
        import re
        w = by_code("wassenaar.jsonl")
        missing = []
        for r in w.values():
            for t in [r["text"]] + r["notes"] + r["technical_notes"] + r["nb"]:
                for m in re.finditer(r"(?<![\w.])\d\.[A-E]\.\d{1,2}\.(?:(?:[a-z]|\d{1,2})\.)*",
                                     t):
                    c = wa_to_code(m.group(0))
                    if c not in w:
                        missing.append((r["code"], c))
        self.assertEqual(missing, [])

    def test_agrees_with_eu_list(self):
        """The EU list carries the Wassenaar entries under the same codes; the two parses
        agree except where the lists really differ (Wassenaar 2021 additions, "not used")."""
        import re
        w = {c for c, r in by_code("wassenaar.jsonl").items()
             if re.match(r"^\d[A-E]0\d\d", c)}
        e = {c for c in by_code("eu_dual_use.jsonl") if re.match(r"^[1-9][A-E]0\d\d", c)}
        self.assertEqual(len(w & e), 1992)
        self.assertLessEqual(len(w - e), 22)
        self.assertLessEqual(len(e - w), 20)


class EuTest(unittest.TestCase):
    def test_counts(self):
        recs = records("eu_dual_use.jsonl")
        self.assertEqual(sum(r["kind"] == "category" for r in recs), 10)
        self.assertEqual(sum(r["kind"] == "entry" for r in recs), 366)
        self.assertEqual(sum(r["kind"] == "sub" for r in recs), 2967)

    def test_entries(self):
        e = by_code("eu_dual_use.jsonl")
        self.assertTrue(e["9A005"]["title"].startswith("Liquid rocket propulsion systems"))
        self.assertTrue(e["0A001"]["title"].startswith('"Nuclear reactors"'))
        self.assertTrue(e["0B001.b.1"]["text"].startswith("Gas centrifuges"))
        self.assertEqual(e["2B001.b.2.a"]["thresholds"][0]["value"], 0.9)  # "0,9 µm"
        self.assertIn("111-48-8", e["1C350.1"]["cas"])  # thiodiglycol
        self.assertTrue(e["6A002.a.1.a"]["text"].startswith('"Space-qualified"'))
        self.assertEqual(e["1C350"]["edition"], "2022-05-05")


class NsgTest(unittest.TestCase):
    def test_part2(self):
        n = by_code("nsg_part2.jsonl")
        self.assertEqual(sum(r["kind"] == "entry" for r in n.values()), 87)
        self.assertTrue(n["3.A.1"]["title"].startswith("Frequency changers or generators"))
        t = thr(n["1.B.2.a"], "positioning accuracies")
        self.assertEqual([(x["cmp"], x["value"], x["unit"]) for x in t], [("<", 6, "um")])
        self.assertTrue(n["1.B.2.c.3"]["text"].startswith("Five or more axes"))  # "3   Five"
        self.assertEqual(sum(r["kind"] == "category" for r in n.values()), 6)

    def test_part1(self):
        n = by_code("nsg_part1.jsonl")
        self.assertEqual(n["B.5.1.1.b"]["title"], "Rotor tubes")
        self.assertEqual(n["B.5.2.3"]["title"], "Special shut-off and control valves")
        self.assertEqual(n["B.2.1"]["title"], "Deuterium and heavy water")
        self.assertEqual(n["B.1.1"]["title"], "Complete nuclear reactors")
        self.assertEqual(sum(r["kind"] == "entry" for r in n.values()), 110)


class CwcTest(unittest.TestCase):
    def test_schedules(self):
        c = by_code("cwc_schedules.jsonl")
        items = [r for r in c.values() if r["kind"] == "item"]
        self.assertEqual(len(items), 47)
        self.assertEqual(sum(r["schedule"] == 1 for r in items), 16)
        self.assertEqual(sum(r["schedule"] == 2 for r in items), 14)
        self.assertEqual(sum(r["schedule"] == 3 for r in items), 17)
        sarin = [x for x in c["1.A.1"]["chemicals"] if x["common_name"] == "Sarin"][0]
        self.assertEqual(sarin["cas"], "107-44-8")
        self.assertEqual(sarin["role"], "example")
        self.assertIn("107-44-8", c["1.A.1"]["cas"])
        self.assertEqual(c["2.B.13"]["chemicals"][0]["common_name"], "Thiodiglycol")
        self.assertEqual(c["2.B.4"]["exempt_cas"], ["944-22-9"])  # Fonofos
        self.assertNotIn("944-22-9", c["2.B.4"]["cas"])
        self.assertEqual(c["3.A.1"]["cas"], ["75-44-5"])  # phosgene

    def test_chemical_names(self):
        files, _w, _s = built()
        rows = {}
        for line in files["chemical_names.tsv"].splitlines()[1:]:
            name, cas, role, targets = line.split("\t")
            rows[(name, role)] = (cas, targets.split())
        # the Schedule 2 families' members named by other lists, but not their exemptions
        self.assertIn("cwc:2.B.11", rows[("N,N-Diisopropyl-(beta)-amino ethanol", "listed")][1])
        self.assertIn("cwc:2.B.10", rows[("N,N-Diisopropyl-(beta)-aminoethyl chloride",
                                          "listed")][1])
        self.assertIn("cwc:2.B.4", rows[("Methylphosphonic acid", "listed")][1])
        self.assertNotIn("cwc:2.B.11", rows[("N,N-Diethylaminoethanol", "listed")][1])
        # one CAS number, one set of entries, whichever list named it
        self.assertIn("cwc:1.A.1", rows[("Sarin", "listed")][1])
        self.assertIn("wa:ML7.b.1.a", rows[("Sarin", "listed")][1])
        # "SEE MILITARY GOODS CONTROLS for", "Sarin (GB):" and "reaction product of X and Y"
        # are not part of a name; "GB" (a gigabyte) is not a name
        names = {n for n, _r in rows}
        self.assertIn("Ethyl phosphonyl difluoride", names)
        self.assertIn("cwc:1.B.9", rows[("Ethyl phosphonyl difluoride", "listed")][1])
        self.assertFalse([n for n in names if n.upper().startswith("SEE ")])
        self.assertNotIn("GB", names)
        self.assertNotIn("acrylonitrile", names)
        self.assertNotIn("glycidol", names)
        self.assertIn("Tepan", names)


class HsAndDprkTest(unittest.TestCase):
    def test_hs(self):
        files, _w, _s = built()
        rows = [l.split("\t") for l in files["hs2022.tsv"].splitlines()]
        self.assertEqual(rows[0], build_controls.HS_HEADER)
        self.assertEqual(len(rows) - 1, 6939)
        h = {r[0]: r for r in rows[1:]}
        self.assertEqual(h["8411"][1:6], ["84", "4", "84", "XVI",
                                          h["8411"][5]])
        self.assertTrue(h["8411"][6].startswith("Turbo-jets, turbo-propellers"))
        self.assertEqual(h["841181"][1], "8411")
        self.assertEqual(sum(len(r[0]) == 2 for r in rows[1:]), 97)

    def test_dprk(self):
        bans = records("unsc_dprk_bans.jsonl")
        self.assertEqual(len(bans), 110)
        self.assertEqual(len({(b["resolution"], b["paragraph"]) for b in bans}), 27)
        r = [b for b in bans if b["resolution"] == 2397 and b["paragraph"] == "7" and
             b["hs"] == "84"][0]
        self.assertEqual((r["direction"], r["hs_source"], r["verified"]),
                         ("import", "resolution_text", True))
        self.assertEqual(r["citation"], "S/RES/2397 (2017), para. 7")
        coal = [b for b in bans if b["resolution"] == 2371 and b["hs"] == "2701"][0]
        self.assertEqual((coal["direction"], coal["verified"]), ("export", False))
        self.assertTrue(all(b["hs_known"] for b in bans if b["hs"]))
        self.assertNotIn("77", {b["hs"] for b in bans})  # chapter 77 is reserved in HS
        lux = records("unsc_dprk_luxury.jsonl")
        self.assertIn("yachts", [x["item"] for x in lux])
        snow = [x for x in lux if x["item"].startswith("snowmobiles")][0]
        self.assertEqual(snow["min_value_usd"], 2000)


class VocabularyTest(unittest.TestCase):
    PREFIX = {"mtcr": "mtcr.jsonl", "wa": "wassenaar.jsonl", "eu": "eu_dual_use.jsonl",
              "nsg1": "nsg_part1.jsonl", "nsg2": "nsg_part2.jsonl", "cwc": "cwc_schedules.jsonl"}

    def rows(self):
        with open(os.path.join(DATA, "vocabulary.tsv"), encoding="utf-8") as f:
            lines = [l.rstrip("\n") for l in f if not l.startswith("#")]
        self.assertEqual(lines[0].split("\t"), ["kind", "term", "targets", "weight", "note"])
        return [l.split("\t") for l in lines[1:]]

    def test_every_target_exists(self):
        codes = {p: {r["code"] for r in records(f)} for p, f in self.PREFIX.items()}
        files, _w, _s = built()
        hs = {l.split("\t")[0] for l in files["hs2022.tsv"].splitlines()[1:]}
        cas = {l.split("\t")[1] for l in files["chemical_names.tsv"].splitlines()[1:]}
        cas |= {c for f in self.PREFIX.values() for r in records(f) for c in r.get("cas", [])}
        bad = []
        for kind, term, targets, weight, _note in self.rows():
            self.assertIn(kind, ("term", "abbr", "unit", "quantity", "unitq", "neg", "hs",
                                 "hsterm", "chem", "alias", "note", "symbol"), term)
            float(weight)
            if kind == "chem" and targets not in cas:
                bad.append((term, targets + " is named by no list"))
            if kind in ("term", "abbr", "hs", "note"):
                for t in targets.split():
                    p, c = t.split(":", 1)
                    if c not in codes[p]:
                        bad.append((term, t))
            if kind == "hs" and term not in hs:
                bad.append((term, "not an HS 2022 code"))
            if kind == "hsterm":
                bad.extend((term, c) for c in targets.split() if c not in hs)
        self.assertEqual(bad, [])

    def test_every_threshold_unit_is_known(self):
        canon = {r[2] for r in self.rows() if r[0] == "unit"}
        used = {t["unit"] for f in ("mtcr.jsonl", "wassenaar.jsonl", "eu_dual_use.jsonl",
                                    "nsg_part1.jsonl", "nsg_part2.jsonl")
                for r in records(f) for t in r["thresholds"]}
        self.assertEqual(sorted(u for u in used if u and u not in canon), [])

    def test_content(self):
        rows = self.rows()
        terms = {r[1]: r for r in rows if r[0] in ("term", "abbr")}
        self.assertGreaterEqual(len(terms), 300)
        for t in ("turbopump", "turbo pump", "udmh", "unsymmetrical dimethylhydrazine",
                  "5-axis", "five axis", "gyroscope", "gyro", "carbon fibre", "carbon fiber",
                  "maraging steel", "isostatic press", "frequency changer", "inverter",
                  "pressure transducer", "vacuum pump", "flow-forming machine",
                  "filament winding machine"):
            self.assertIn(t, terms)
        self.assertIn("mtcr:3.A.5", terms["turbopump"][2].split())
        self.assertIn("mtcr:4.C.2.b.2", terms["udmh"][2].split())
        self.assertIn("wa:2B001.b.2", terms["five axis"][2].split())
        units = {r[1]: (r[2], float(r[3])) for r in rows if r[0] == "unit"}
        self.assertEqual(units["µm"], ("um", 1e-6))
        self.assertEqual(units["micron"], ("um", 1e-6))
        self.assertAlmostEqual(units["psi"][1] / units["mpa"][1], 0.006894757)
        self.assertEqual(units["bar"], ("bar", 1e5))
        terms_lower = [r[1].lower() for r in rows]
        self.assertEqual(len(terms_lower), len(set((r[0], r[1]) for r in rows)))


class BuildTest(unittest.TestCase):
    def test_no_warnings(self):
        _f, warnings, _s = built()
        self.assertEqual({k: v for k, v in warnings.items() if v}, {})

    def test_committed_files_match(self):
        files, _w, _s = built()
        for name, content in files.items():
            with open(os.path.join(DATA, name), encoding="utf-8", newline="") as f:
                self.assertEqual(f.read(), content, "%s differs from a fresh build" % name)

    def test_parents_come_first(self):
        for name in ("mtcr.jsonl", "wassenaar.jsonl", "eu_dual_use.jsonl", "nsg_part1.jsonl",
                     "nsg_part2.jsonl", "cwc_schedules.jsonl"):
            seen = set()
            for r in records(name):
                self.assertTrue(r["parent"] == "" or r["parent"] in seen,
                                "%s: parent %s of %s" % (name, r["parent"], r["code"]))
                self.assertNotIn(r["code"], seen, "%s: duplicate %s" % (name, r["code"]))
                seen.add(r["code"])

    def test_deterministic(self):
        again, _w, _s = build_controls.build(SRC)
        self.assertEqual(again, built()[0])

    def test_missing_sources_fail_cleanly(self):
        with tempfile.TemporaryDirectory() as d:
            self.assertEqual(build_controls.main(["--src", d, "--out", d, "--quiet"]), 2)

    def test_truncated_source_fails_cleanly(self):
        import shutil
        with tempfile.TemporaryDirectory() as d:
            shutil.copytree(SRC, os.path.join(d, "src"))
            eu = os.path.join(d, "src", "eu", "CELEX_02021R0821-20220505_EN.txt")
            with open(eu, encoding="utf-8") as f:
                head = f.read(200000)
            with open(eu, "w", encoding="utf-8") as f:
                f.write(head)
            self.assertEqual(build_controls.main(["--src", os.path.join(d, "src"),
                                                  "--out", d, "--quiet"]), 2)
            hs = os.path.join(d, "src", "hs", "harmonized-system.csv")
            with open(hs, "a", encoding="utf-8") as f:
                f.write("I,12AB,bad,12,4\n")
            with self.assertRaises(ValueError):
                from parse_other import parse_hs
                parse_hs(os.path.join(d, "src"))


if __name__ == "__main__":
    unittest.main()
