#!/usr/bin/env python3
"""gen_tx.py - seeded generator of ordinary (legitimate-looking) transactions, as JSON lines in
the shape of docs/transactions.md. Used for the clear set of tests/fixtures/tx/ordinary.jsonl
(which must all come out "clear") and for bench/tx_bench.c.

    tools/gen_tx.py --count 250 --seed 20261123 > tests/fixtures/tx/ordinary.jsonl

Every transaction has 3 parties (buyer, seller and a consignee, payer or vessel) and 3 goods
lines of everyday consumer goods with matching HS codes, between OECD trading partners, paid
by bank transfer from valid IBANs. Same seed, same output."""
import argparse
import json
import random
import sys

PLACES = ["Alder", "Birchwood", "Calder", "Dunmore", "Elmstead", "Fernhill", "Glenrock",
          "Harwood", "Ivybridge", "Juniper", "Kestrel", "Larchmont", "Marlow", "Northgate",
          "Oakridge", "Pinecrest", "Quarrydale", "Riverside", "Stonebridge", "Thornbury",
          "Upland", "Valewood", "Westbrook", "Yarrow", "Brightwater", "Copperfield", "Hollyhock",
          "Lindenhof", "Sonnenberg", "Rosental", "Bellavista", "Montclair", "Vindeln", "Kuusamo"]
TRADES = ["Home Goods", "Textiles", "Foods", "Furniture", "Paper", "Ceramics", "Apparel",
          "Outdoor", "Kitchenware", "Coffee", "Wines", "Toys", "Bakery", "Garden Centre",
          "Department Store", "Books", "Footwear", "Interiors"]
FORMS = {"DE": "GmbH", "AT": "GmbH", "CH": "AG", "FR": "SARL", "BE": "SA", "NL": "B.V.",
         "IT": "S.r.l.", "ES": "S.L.", "PT": "Lda", "GB": "Ltd", "IE": "Ltd", "US": "Inc.",
         "CA": "Inc.", "AU": "Pty Ltd", "NZ": "Ltd", "JP": "K.K.", "SE": "AB", "DK": "ApS",
         "FI": "Oy", "NO": "AS"}
CITIES = {"DE": "Hamburg", "AT": "Graz", "CH": "Basel", "FR": "Lyon", "BE": "Antwerp",
          "NL": "Rotterdam", "IT": "Genoa", "ES": "Valencia", "PT": "Porto", "GB": "Leeds",
          "IE": "Cork", "US": "Columbus", "CA": "Halifax", "AU": "Brisbane", "NZ": "Auckland",
          "JP": "Osaka", "SE": "Gothenburg", "DK": "Aarhus", "FI": "Turku", "NO": "Bergen"}
PORTS = {"DE": "Hamburg", "AT": "Hamburg", "CH": "Basel", "FR": "Le Havre", "BE": "Antwerp",
         "NL": "Rotterdam", "IT": "Genoa", "ES": "Valencia", "PT": "Leixoes", "GB": "Felixstowe",
         "IE": "Cork", "US": "Savannah", "CA": "Halifax", "AU": "Brisbane", "NZ": "Auckland",
         "JP": "Osaka", "SE": "Gothenburg", "DK": "Aarhus", "FI": "Turku", "NO": "Bergen"}
# IBAN countries and their BBAN layouts: 'n' digit, 'a' capital letter
IBAN = {"DE": "n" * 18, "AT": "n" * 16, "CH": "n" * 17, "FR": "n" * 23, "BE": "n" * 12,
        "NL": "aaaa" + "n" * 10, "IT": "a" + "n" * 22, "ES": "n" * 20, "PT": "n" * 21,
        "GB": "aaaa" + "n" * 14, "IE": "aaaa" + "n" * 14, "SE": "n" * 20, "DK": "n" * 14,
        "FI": "n" * 14, "NO": "n" * 11}
GOODS = [("cotton t-shirts, knitted", "6109.10", "pcs", 4.5),
         ("wooden dining tables", "9403.60", "pcs", 180.0),
         ("ceramic floor tiles", "6907.21", "m2", 12.0),
         ("extra virgin olive oil in glass bottles", "1509.20", "l", 7.5),
         ("printing paper A4, 80 g/m2", "4802.56", "reams", 3.2),
         ("leather handbags", "4202.21", "pcs", 65.0),
         ("plastic food containers", "3924.10", "pcs", 1.8),
         ("wool sweaters", "6110.11", "pcs", 28.0),
         ("children's picture books", "4903.00", "pcs", 6.0),
         ("roasted coffee beans", "0901.21", "kg", 14.0),
         ("milk chocolate bars", "1806.32", "kg", 9.0),
         ("paint brushes", "9603.40", "pcs", 2.1),
         ("corrugated cardboard boxes", "4819.10", "pcs", 0.6),
         ("sports shoes with rubber soles", "6404.11", "pairs", 31.0),
         ("glass drinking tumblers", "7013.28", "pcs", 1.1),
         ("frozen salmon fillets", "0304.81", "kg", 16.0),
         ("red wine in bottles", "2204.21", "l", 6.5),
         ("metal office desks", "9403.10", "pcs", 210.0),
         ("cotton bed sheets", "6302.31", "pcs", 19.0),
         ("wooden toys for children", "9503.00", "pcs", 11.0),
         ("garden hoses of PVC", "3917.32", "pcs", 14.0),
         ("ceramic coffee mugs", "6912.00", "pcs", 2.4),
         ("bath towels of cotton terry", "6302.60", "pcs", 7.0),
         ("canned tomatoes", "2002.10", "kg", 1.3),
         ("hair shampoo", "3305.10", "l", 4.0),
         ("fresh apples", "0808.10", "kg", 1.1),
         ("plastic coat hangers", "3926.90", "pcs", 0.3)]
END_USES = ["resale in retail stores", "resale through our web shop", "use in our restaurants",
            "furnishing of our offices", "resale to hotels", "distribution to supermarkets"]
VESSELS = ["Aurora Bay", "Nordic Gull", "Maple Trader", "Blue Heron", "Cape Willow",
           "Lindisfarne", "Saffron Tide", "Westerly Breeze", "Kittiwake", "Amber Crest"]
FLAGS = ["DE", "NL", "DK", "NO", "MT", "GB", "FI", "SE"]


def iban(rng, cc):
    bban = "".join(rng.choice("0123456789") if c == "n" else rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                   for c in IBAN[cc])
    digits = "".join(str(int(ch, 36)) for ch in bban + cc + "00")
    return cc + "%02d" % (98 - int(digits) % 97) + bban


def imo(rng):
    d = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(5)]
    return "IMO " + "".join(map(str, d)) + str(sum(x * (7 - i) for i, x in enumerate(d)) % 10)


FLEET_IMO = [imo(random.Random(1000 + k)) for k in range(len(VESSELS))]


def company(rng, cc, used):
    while True:
        name = "%s %s %s" % (rng.choice(PLACES), rng.choice(TRADES), FORMS[cc])
        if name not in used:
            used.add(name)
            return name


def party(rng, role, cc, used, name=None):
    p = {"role": role, "name": name or company(rng, cc, used),
         "address": "%d Market Street, %s" % (rng.randint(1, 250), CITIES[cc]), "country": cc,
         "founded": "%d-%02d-01" % (rng.randint(1968, 2018), rng.randint(1, 12))}
    if cc in IBAN:
        p["iban"] = iban(rng, cc)
    return p


def transaction(rng, i):
    countries = sorted(FORMS)
    seller_cc, buyer_cc = rng.choice(countries), rng.choice(countries)
    used = set()
    buyer = party(rng, "buyer", buyer_cc, used)
    parties = [buyer, party(rng, "seller", seller_cc, used)]
    third = i % 3
    if third == 0:
        parties.append(party(rng, "consignee", buyer_cc, used, name=buyer["name"]))
    elif third == 1:
        parties.append(party(rng, "payer", buyer_cc, used, name=buyer["name"]))
    else:
        k = rng.randrange(len(VESSELS))  # a fleet: each vessel keeps its IMO number and flag
        parties.append({"role": "vessel", "name": VESSELS[k].upper(), "country": FLAGS[k % len(FLAGS)],
                        "imo": FLEET_IMO[k]})
    goods = []
    for g in rng.sample(GOODS, 3):
        qty = rng.randint(10, 2000)
        goods.append({"description": g[0], "hs": g[1], "quantity": qty, "unit": g[2],
                      "value": round(qty * g[3], 2), "currency": "EUR"})
    total = round(sum(g["value"] for g in goods), 2)
    route = {"origin": seller_cc, "destination": buyer_cc}
    if seller_cc != buyer_cc:
        route["port_of_loading"] = {"name": PORTS[seller_cc], "country": seller_cc}
        route["port_of_discharge"] = {"name": PORTS[buyer_cc], "country": buyer_cc}
    return {"id": "ORD-%05d" % (i + 1),
            "date": "2026-%02d-%02d" % (rng.randint(1, 10), rng.randint(1, 28)),
            "type": rng.choice(["order", "shipment", "payment", "quotation"]),
            "parties": parties, "goods": goods, "route": route,
            "payment": {"method": "bank transfer",
                        "terms": rng.choice(["30 days net", "60 days net", "documentary collection",
                                             "prepayment by wire"]),
                        "currency": "EUR", "amount": total},
            "end_use": rng.choice(END_USES)}


def names_set(path, out):
    """One plain coffee order per ordinary name of data/eval/ordinary_names.tsv: measures how
    often a party name alone makes an ordinary transaction come out flagged."""
    import csv
    with open(path, encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter="\t")):
            tx = {"id": "N%05d|%s" % (i, r["origin"]),
                  "parties": [{"role": "buyer", "name": r["name"], "country": "DE"}],
                  "goods": [{"description": "roasted coffee beans", "hs": "0901.21"}],
                  "route": {"origin": "BR", "destination": "DE"},
                  "payment": {"method": "bank transfer"}, "end_use": "resale"}
            out.write(json.dumps(tx, ensure_ascii=False, separators=(",", ":")) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=250)
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--names", help="instead: one order per name of this ordinary_names.tsv")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    out = sys.stdout
    if args.names:
        names_set(args.names, out)
        return
    for i in range(args.count):
        out.write(json.dumps(transaction(rng, i), ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
