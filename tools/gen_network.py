#!/usr/bin/env python3
"""gen_network.py - seeded generator of transactions (JSON lines, docs/network.md) with planted
procurement rings, for `cordon network` accuracy and speed measurements.

Background: repeat customers of industrial suppliers across many countries, forwarders (some
large enough to be hubs), shared business-centre addresses, legitimately licensed controlled
items, name variants of the same buyer. Planted rings, four typologies:
  embassy    fronts that share a phone or an address with an embargoed state's embassy
  forwarder  a buyer, a small forwarder and a consignee in or named like a listed DPRK entity
  split      buyers of different names at one address ordering parts of one MTCR entry
             from different suppliers within weeks
  account    companies paying from one bank account whose payer uses a listed e-mail address
The ground truth (ring id, typology, transaction ids) goes to OUT.truth.json.

usage: tools/gen_network.py N OUT.jsonl [--seed S]
"""
import json
import random
import sys

WORDS = ["Global", "Trading", "Precision", "Machinery", "Industrial", "Supply", "Tech", "Export",
         "Nordic", "Alpha", "Star", "Ocean", "Metal", "Parts", "Systems", "Delta", "Summit",
         "Pioneer", "Unity", "Horizon", "Crown", "Eagle", "Silver", "Green", "Bright", "Prime",
         "Vector", "Orbit", "Atlas", "Falcon", "Harbor", "River", "Lotus", "Jade", "Phoenix",
         "Dragon", "Maple", "Cedar", "Granite", "Cobalt", "Zenith", "Apex", "Nova", "Titan",
         "Quantum", "Fusion", "Matrix", "Vertex", "Sigma", "Omega", "Kappa", "Lambda", "Sun",
         "Moon", "Coral", "Amber", "Onyx", "Ruby", "Sapphire", "Emerald", "Iron", "Steel"]
PLACES = {"DE": ["Berlin", "Hamburg", "Stuttgart", "Munich"], "FR": ["Paris", "Lyon"],
          "IT": ["Milan", "Turin"], "NL": ["Rotterdam"], "CN": ["Shenyang", "Dalian", "Shanghai",
          "Shenzhen"], "HK": ["Hong Kong"], "TR": ["Istanbul"], "AE": ["Dubai"], "SG":
          ["Singapore"], "MY": ["Kuala Lumpur"], "IN": ["Pune", "Chennai"], "US": ["Houston"],
          "BR": ["Sao Paulo"], "KR": ["Busan"], "PL": ["Poznan"], "SE": ["Gothenburg"],
          "AT": ["Linz"], "CH": ["Basel"], "JP": ["Osaka"], "TH": ["Bangkok"]}
CC = {"DE": "49", "FR": "33", "IT": "39", "NL": "31", "CN": "86", "HK": "852", "TR": "90",
      "AE": "971", "SG": "65", "MY": "60", "IN": "91", "US": "1", "BR": "55", "KR": "82",
      "PL": "48", "SE": "46", "AT": "43", "CH": "41", "JP": "81", "TH": "66"}
FORMS = {"DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SARL", "IT": "Srl", "NL": "BV",
         "CN": "Co Ltd", "HK": "Limited", "TR": "Ltd Sti", "AE": "LLC", "SG": "Pte Ltd",
         "MY": "Sdn Bhd", "IN": "Pvt Ltd", "US": "Inc", "BR": "Ltda", "KR": "Co Ltd",
         "PL": "Sp z o o", "SE": "AB", "JP": "KK", "TH": "Co Ltd"}
SELLER_COUNTRIES = ["DE", "DE", "DE", "IT", "FR", "SE", "AT", "CH", "JP", "US", "NL", "PL"]
BUYER_COUNTRIES = ["DE", "FR", "IT", "NL", "CN", "CN", "HK", "TR", "AE", "SG", "MY", "IN", "US",
                   "BR", "KR", "PL", "TH", "JP"]
BENIGN = [("centrifugal water pump", "841370"), ("ball bearings", "848210"),
          ("hydraulic hose assembly", "400942"), ("electric motor 7.5 kW", "850152"),
          ("steel flanges", "730791"), ("laboratory balance", "842310"),
          ("welding electrodes", "831120"), ("industrial fan", "841459"),
          ("gear box", "848340"), ("conveyor belt", "401012"), ("air compressor", "841480"),
          ("digital multimeter", "903031"), ("office chairs", "940130"),
          ("forklift spare parts", "843199"), ("valve actuator", "848190"),
          ("printed circuit boards", "853400"), ("safety gloves", "611610"),
          ("lathe chuck", "846693"), ("thermocouple", "902519"), ("control cabinet", "853720")]
LICENSED = [("pressure transducer", "902620"), ("5-axis CNC machining centre", "845710"),
            ("accelerometer", "901480")]
MTCR_SETS = [[("turbopump for liquid propellant rocket engine", "841370"),
              ("liquid propellant tank", "730900"),
              ("carbon fibre filament wound rocket motor case", "880730")],
             [("ring laser gyro", "901420"), ("accelerometer", "901480"),
              ("inertial measurement unit", "901420")]]
LISTED_NAMES = ["Korea Ryonbong General Corporation", "Korea Mining Development Trading Corp",
                "Tanchon Commercial Bank", "Korea Kwangson Banking Corp",
                "Namchongang Trading Corporation", "Green Pine Associated Corporation"]
LISTED_EMAILS = ["haejinsm@silibank.net.kp", "yonmgjinsm@silibank.net.kp"]
EMBASSIES = [("Embassy of the DPRK in Berlin", "DE", "Glinkastrasse 5-7, 10117 Berlin"),
             ("Botschaft der Demokratischen Volksrepublik Korea", "DE", "Glinkastr. 5, 10117 Berlin"),
             ("Embassy of the Democratic People's Republic of Korea", "SE", "Norra Kungsvagen 39, 18131 Lidingo"),
             ("Embassy of the DPRK in Rome", "IT", "Viale dell'Esperanto 26, 00144 Rome"),
             ("Embassy of the Islamic Republic of Iran", "AT", "Jaurezgasse 9, 1030 Vienna")]


def iban(rnd, country="DE"):
    digits = "".join(rnd.choice("0123456789") for _ in range(18))
    num = int(digits + str(ord(country[0]) - 55) + str(ord(country[1]) - 55) + "00")
    return "%s%02d%s" % (country, 98 - num % 97, digits)


def phone(rnd, c):
    return "+%s %d %07d" % (CC.get(c, "49"), rnd.randint(20, 899), rnd.randint(0, 9999999))


class Gen:
    def __init__(self, n, seed):
        self.rnd = random.Random(seed)
        self.n = n
        self.tx = 0
        self.day0 = 738000  # ordinal of 2021-07-21
        r = self.rnd
        self.sellers = [self.company(r.choice(SELLER_COUNTRIES)) for _ in range(200 + n // 5000)]
        self.centres = [self.address(r.choice(BUYER_COUNTRIES)) for _ in range(20 + n // 20000)]
        self.buyers = [self.company(r.choice(BUYER_COUNTRIES)) for _ in range(500 + n // 8)]
        for b in self.buyers:  # registered-agent addresses: several companies at one address
            if r.random() < 0.03:
                b["address"] = r.choice(self.centres)
        self.forwarders = [self.company(r.choice(BUYER_COUNTRIES), "Logistics")
                           for _ in range(40 + n // 20000)]

    def name(self, kind=None):
        w = self.rnd.sample(WORDS, 3)  # 62*61*60 word triples: distinct firms, distinct names
        return " ".join(w + ([kind] if kind else [self.rnd.choice(["Trading", "Industries", "Technik", "Engineering", "Components"])]))

    def address(self, c):
        r = self.rnd
        return "%d %s Street, %05d %s" % (r.randint(1, 300), r.choice(WORDS), r.randint(1000, 99999),
                                           r.choice(PLACES[c]))

    def company(self, c, kind=None):
        r = self.rnd
        nm = self.name(kind)
        return {"name": "%s %s" % (nm, FORMS[c]), "short": nm, "country": c,
                "address": self.address(c), "phone": phone(r, c),
                "email": "info@%s.com" % nm.lower().replace(" ", "-") if r.random() < 0.7
                else "%s@gmail.com" % nm.lower().replace(" ", "."),
                "iban": iban(r, c) if r.random() < 0.3 else None}

    def party(self, role, co, variant=True):
        r = self.rnd
        p = {"role": role, "name": co["name"], "country": co["country"]}
        if variant and r.random() < 0.15:
            p["name"] = co["short"]  # legal form dropped
        if variant and r.random() < 0.05:
            p["name"] = p["name"].upper()
        for k in ("address", "phone", "email", "iban"):
            if co.get(k) and r.random() < (0.9 if k != "iban" else 0.5):
                p[k] = co[k]
        return p

    def date(self, day):
        import datetime
        return datetime.date.fromordinal(day).isoformat()

    def emit(self, out, parties, goods, route, day):
        self.tx += 1
        tid = "T%07d" % self.tx
        out.write(json.dumps({"id": tid, "date": self.date(day), "type": "order",
                              "parties": parties, "goods": goods, "route": route},
                             ensure_ascii=False) + "\n")
        return tid

    def goods(self, items, lo=500, hi=80000):
        r = self.rnd
        return [{"description": d, "hs": h, "value": round(r.uniform(lo, hi), 2), "currency": "EUR"}
                for d, h in items]

    def background(self, out):
        r = self.rnd
        b = self.buyers[min(int(r.paretovariate(1.2)) - 1, len(self.buyers) - 1)
                        if r.random() < 0.3 else r.randrange(len(self.buyers))]
        s = r.choice(self.sellers)
        parties = [self.party("seller", s, False), self.party("buyer", b)]
        if r.random() < 0.3:
            f = self.forwarders[min(int(r.paretovariate(1.0)) - 1, len(self.forwarders) - 1)]
            parties.append(self.party("forwarder", f, False))
        items = r.sample(BENIGN, r.randint(1, 3))
        if r.random() < 0.02:
            items[0] = r.choice(LICENSED)
        route = {"origin": s["country"], "destination": b["country"]}
        if r.random() < 0.1:
            route["transit"] = [r.choice(["NL", "SG", "AE", "HK"])]
        self.emit(out, parties, self.goods(items), route, self.day0 + r.randrange(365))

    # ---- planted rings ------------------------------------------------------------------
    def ring_embassy(self, out):
        r = self.rnd
        name, c, addr = r.choice(EMBASSIES)
        emb = {"name": name, "short": name, "country": c, "address": addr,
               "phone": phone(r, c), "email": None, "iban": None}
        day, txs = self.day0 + r.randrange(300), []
        fronts = [self.company(c) for _ in range(r.randint(2, 4))]
        for f in fronts:
            if r.random() < 0.5:
                f["phone"] = emb["phone"]
            else:
                f["address"] = addr
        txs.append(self.emit(out, [self.party("seller", r.choice(self.sellers), False),
                                   self.party("buyer", emb, False)],
                             self.goods([r.choice(BENIGN)], 100, 900), {"origin": c, "destination": c}, day))
        for f in fronts:
            for _ in range(r.randint(1, 3)):
                day += r.randint(3, 30)
                item = r.choice(LICENSED + BENIGN[:5])
                txs.append(self.emit(out, [self.party("seller", r.choice(self.sellers), False),
                                           self.party("buyer", f)],
                                     self.goods([item], 9000, 9990), {"origin": c, "destination": r.choice(["CN", "RU", c])}, day))
        return txs

    def ring_forwarder(self, out):
        r = self.rnd
        buyer = self.company(r.choice(["CN", "HK"]))
        fwd = self.company(r.choice(["MY", "SG", "TH"]), "Logistics")
        cons = {"name": r.choice(LISTED_NAMES), "short": "", "country": r.choice(["KP", "CN"]),
                "address": None, "phone": None, "email": None, "iban": None}
        day, txs = self.day0 + r.randrange(300), []
        for _ in range(r.randint(2, 4)):
            day += r.randint(5, 40)
            items = [r.choice(LICENSED + MTCR_SETS[1])]
            txs.append(self.emit(out, [self.party("seller", r.choice(self.sellers), False),
                                       self.party("buyer", buyer), self.party("forwarder", fwd),
                                       self.party("consignee", cons, False)],
                                 self.goods(items), {"origin": "DE", "transit": [fwd["country"]],
                                                     "destination": cons["country"]}, day))
        return txs

    def ring_split(self, out):
        r = self.rnd
        c = r.choice(["CN", "HK", "TR", "AE"])
        addr = self.address(c)
        parts = r.choice(MTCR_SETS)
        day, txs = self.day0 + r.randrange(300), []
        for d, h in parts:
            co = self.company(c)
            co["address"] = addr if r.random() < 0.5 else addr.replace("Street", "St.")
            day += r.randint(5, 25)
            txs.append(self.emit(out, [self.party("seller", r.choice(self.sellers), False),
                                       self.party("buyer", co)],
                                 self.goods([(d, h)]), {"origin": "DE", "destination": c}, day))
        return txs

    def ring_account(self, out):
        r = self.rnd
        c = r.choice(["AE", "HK", "SG", "MY"])
        acct = iban(r, "AE" if c == "AE" else "DE")
        payer = self.company(c, "Shipping")
        payer["email"] = r.choice(LISTED_EMAILS)
        day, txs = self.day0 + r.randrange(300), []
        for _ in range(r.randint(2, 4)):
            co = self.company(c)
            co["iban"] = acct
            day += r.randint(3, 20)
            buyer = self.party("buyer", co, False)
            buyer["iban"] = acct
            txs.append(self.emit(out, [self.party("seller", r.choice(self.sellers), False), buyer,
                                       self.party("payer", payer, False)],
                                 self.goods([r.choice(BENIGN)]), {"origin": "DE", "destination": c}, day))
        return txs


def main():
    args = sys.argv[1:]
    seed = 7
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    n, path = int(args[0]), args[1]
    g = Gen(n, seed)
    n_rings = max(8, n // 2500)
    kinds = ["embassy", "forwarder", "split", "account"]
    slots = sorted(g.rnd.sample(range(n), n_rings))
    rings = []
    with open(path, "w", encoding="utf-8") as out:
        k = 0
        for i in range(n):
            while k < n_rings and slots[k] == i:
                kind = kinds[k % 4]
                rings.append({"id": "R%d" % (k + 1), "typology": kind,
                              "transactions": getattr(g, "ring_" + kind)(out)})
                k += 1
            g.background(out)
    with open(path.rsplit(".", 1)[0] + ".truth.json", "w") as f:
        json.dump({"seed": seed, "background": n, "transactions": g.tx, "rings": rings}, f, indent=1)


if __name__ == "__main__":
    main()
