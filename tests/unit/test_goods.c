/* test_goods.c - goods and technology screening on the real data/controls: loading (counts
 * against the files), classification of named items (terms, abbreviations, CAS numbers,
 * chemical names, stated values against thresholds with unit conversion, HS relations and
 * conflicts, DPRK prohibitions with their citations), accuracy on data/eval/goods_items.tsv,
 * bad queries, and broken copies of the data directory written to a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "goods/goods.h"

#define CONTROLS CORDON_DATA_DIR "/controls"

static cordon_goods *G;
static cordon_arena *A;

static int setup(void **state)
{
    (void)state;
    cordon_error err = {0};
    G = cordon_goods_open(CONTROLS, &err);
    if (!G)
        fprintf(stderr, "cordon_goods_open: %s\n", err.message);
    A = cordon_arena_new();
    return G && A ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    cordon_goods_close(G);
    cordon_arena_free(A);
    return 0;
}

/* ---- helpers -------------------------------------------------------------------------------- */

static size_t count_lines(const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CONTROLS, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = 0;
    int c, last = '\n';
    while ((c = fgetc(f)) != EOF) {
        n += c == '\n';
        last = c;
    }
    fclose(f);
    return n + (last != '\n');
}

static cordon_goods_result classify4(const char *text, const char *hs, const char *dest,
                                     const char *origin, size_t limit)
{
    cordon_goods_query q = {text, hs, dest, origin, limit, -1};
    cordon_goods_result r;
    cordon_error err = {0};
    cordon_arena_reset(A);
    if (cordon_goods_classify(G, &q, A, &r, &err) != CORDON_OK)
        fail_msg("classify(\"%s\"): %s", text, err.message);
    return r;
}

static cordon_goods_result classify(const char *text) { return classify4(text, NULL, NULL, NULL, 10); }

static const cordon_goods_candidate *find(const cordon_goods_result *r, const char *regime,
                                          const char *code, size_t within)
{
    for (size_t i = 0; i < r->n_candidates && i < within; i++)
        if (strcmp(r->candidates[i].regime, regime) == 0 &&
            strcmp(r->candidates[i].code, code) == 0)
            return &r->candidates[i];
    return NULL;
}

static const cordon_goods_evidence *evidence(const cordon_goods_candidate *c, const char *kind)
{
    for (size_t i = 0; c && i < c->n_evidence; i++)
        if (strcmp(c->evidence[i].kind, kind) == 0)
            return &c->evidence[i];
    return NULL;
}

static const cordon_goods_prohibition *prohibition(const cordon_goods_result *r,
                                                   const char *citation)
{
    for (size_t i = 0; i < r->n_prohibitions; i++)
        if (strcmp(r->prohibitions[i].citation, citation) == 0)
            return &r->prohibitions[i];
    return NULL;
}

/* ---- loading ------------------------------------------------------------------------------ */

static void test_counts(void **state)
{
    (void)state;
    cordon_goods_info info;
    cordon_goods_get_info(G, &info);
    static const char *const files[] = {"mtcr.jsonl",          "nsg_part1.jsonl",
                                        "nsg_part2.jsonl",     "cwc_schedules.jsonl",
                                        "wassenaar.jsonl",     "eu_dual_use.jsonl"};
    size_t total = 0;
    for (size_t i = 0; i < 6; i++) {
        size_t n = count_lines(files[i]);
        if (info.by_regime[i] != n)
            fail_msg("%s: %zu records loaded, %zu lines", files[i], info.by_regime[i], n);
        total += n;
    }
    assert_int_equal(info.entries, total);
    assert_int_equal(info.by_regime[0], 502);  /* MTCR: 17 items, 85 groups, 400 entries */
    assert_int_equal(info.by_regime[3], 56);   /* CWC: 3 schedules, 6 parts, 47 items */
    assert_int_equal(info.hs_codes, count_lines("hs2022.tsv") - 1);
    assert_int_equal(info.hs_codes, 6939);
    assert_int_equal(info.bans, count_lines("unsc_dprk_bans.jsonl"));
    assert_int_equal(info.bans, 110);
    assert_true(info.patterns > 1500); /* vocabulary terms, chemical names, joined forms */
    assert_true(info.states > info.patterns);
    assert_true(info.cas_numbers >= 400);
}

/* ---- classification -------------------------------------------------------------------------- */

static void test_terms_and_synonyms(void **state)
{
    (void)state;
    static const char *const pumps[] = {"turbopump", "turbo pump", "Turbo-pumps for LOX engine",
                                        "TURBOPUMP ASSY"};
    for (size_t i = 0; i < 4; i++) {
        cordon_goods_result r = classify(pumps[i]);
        const cordon_goods_candidate *c = find(&r, "mtcr", "3.A.5", 3);
        if (!c)
            fail_msg("\"%s\": MTCR 3.A.5 not in the top 3", pumps[i]);
        assert_true(c->score >= 0.99);
        assert_string_equal(c->title,
                            "Liquid, slurry and gel propellant (including oxidisers) control "
                            "systems");
        assert_string_equal(c->edition, "2021-10-08");
        assert_non_null(find(&r, "wassenaar", "9A006.d", 3));
        assert_true(r.controlled);
    }
    cordon_goods_result r = classify("UDMH, 40 drums of 200 L");
    const cordon_goods_candidate *c = find(&r, "mtcr", "4.C.2.b.2", 3);
    assert_non_null(c);
    assert_true(evidence(c, "term") || evidence(c, "chemical")); /* one span counts once */
    assert_int_equal(c->n_evidence, 1);
    r = classify("unsymmetrical dimethylhydrazine 5 t");
    assert_non_null(find(&r, "mtcr", "4.C.2.b.2", 3));
    r = classify("five axis CNC machining centre");
    assert_non_null(find(&r, "wassenaar", "2B001.b.2", 3));
    r = classify("carbon fiber tow 12K");
    assert_non_null(find(&r, "wassenaar", "1C010.b", 3));
    r = classify("maraging steel bar");
    assert_non_null(find(&r, "mtcr", "6.C.8", 3));
    /* abbreviations count in capitals only */
    r = classify("IMU for drone");
    assert_non_null(find(&r, "mtcr", "9.A.6", 3));
    r = classify("the ins and outs of packaging");
    assert_false(r.controlled);
    /* one word more inside a term, a term written as one word */
    r = classify("electron beam vacuum melting furnace");
    assert_non_null(find(&r, "nsg_part2", "1.B.7", 3));
    r = classify("trimethylphosphite 200 kg");
    assert_non_null(find(&r, "cwc", "3.B.8", 3));
    /* the words of a term in another order, weaker than in order */
    r = classify("lathe CNC, vertical, 2 axes");
    c = find(&r, "wassenaar", "2B001.a", 3);
    assert_non_null(c);
    assert_false(r.controlled); /* a lathe alone is not a controlled item */
    r = classify("bellows sealed valve");
    c = find(&r, "nsg_part2", "3.A.3", 3);
    assert_non_null(c);
    double in_order = c->score;
    r = classify("valve, bellows sealed");
    c = find(&r, "nsg_part2", "3.A.3", 3);
    assert_non_null(c);
    assert_true(c->score < in_order);
    r = classify("laser engraver 40 W CO2 for wood"); /* words too far apart */
    assert_false(r.controlled);
    /* a chemical name without its locants and prefixes, and run together */
    r = classify("Diisopropylaminoethanol, 200 L");
    assert_non_null(find(&r, "eu_dual_use", "1C350.27", 3));
}

static void test_cas_and_chemicals(void **state)
{
    (void)state;
    cordon_goods_result r = classify("CAS 57-14-7, 98% min purity");
    const cordon_goods_candidate *c = find(&r, "mtcr", "4.C.2.b.2", 3);
    assert_non_null(c);
    const cordon_goods_evidence *e = evidence(c, "cas");
    assert_non_null(e);
    assert_string_equal(e->matched, "57-14-7");
    assert_true(c->score >= 0.99);
    /* a CAS number with a wrong check digit is not read */
    r = classify("CAS 57-14-8");
    assert_null(find(&r, "mtcr", "4.C.2.b.2", 10));
    r = classify("sarin reference standard");
    assert_non_null(find(&r, "cwc", "1.A.1", 3));
    r = classify("CAS 107-44-8");
    c = find(&r, "cwc", "1.A.1", 3);
    assert_non_null(c);
    assert_non_null(evidence(c, "cas"));
    r = classify("thiodiglycol 99%, 5000 L");
    assert_non_null(find(&r, "cwc", "2.B.13", 3));
    /* a three-word name written half joined; its CAS number leads to the CWC family too */
    r = classify("diisopropyl aminoethanol, 5 L");
    assert_non_null(find(&r, "eu_dual_use", "1C350.27", 3));
    r = classify("diisopropylamino ethanol, 5 L");
    assert_non_null(find(&r, "eu_dual_use", "1C350.27", 3));
    r = classify("CAS 96-80-0");
    c = find(&r, "cwc", "2.B.11", 3);
    assert_non_null(c);
    assert_non_null(evidence(c, "cas"));
    /* one (CAS, entry) pair is one piece of evidence */
    r = classify("CAS 111-48-8");
    c = find(&r, "cwc", "2.B.13", 3);
    assert_non_null(c);
    size_t n_cas = 0;
    for (size_t i = 0; i < c->n_evidence; i++)
        n_cas += strcmp(c->evidence[i].kind, "cas") == 0;
    assert_int_equal(n_cas, 1);
    /* Fonofos is exempted by name from Schedule 2 item (4) */
    r = classify("Fonofos (CAS 944-22-9) insecticide");
    c = find(&r, "cwc", "2.B.4", 10);
    assert_true(!c || c->score < 0.5);
}

/* Formulas, trade names and other languages' names (vocabulary "chem" rows) lead through
 * their CAS number to every entry that number is listed under. */
static void test_formulas_and_names(void **state)
{
    (void)state;
    cordon_goods_result r = classify("POCl3 99.9 %, 200 kg drums, for flame retardant synthesis");
    const cordon_goods_candidate *c = find(&r, "cwc", "3.B.5", 3);
    assert_non_null(c);
    assert_non_null(evidence(c, "chemical"));
    assert_non_null(find(&r, "eu_dual_use", "1C350.2", 3));
    assert_true(r.controlled);
    r = classify("hydrogen cyanide gas cylinders, HCN 99 %");
    assert_non_null(find(&r, "cwc", "3.A.3", 3));
    r = classify("KCN 98 %, 50 kg, for gold leaching");
    assert_non_null(find(&r, "eu_dual_use", "1C350.40", 3));
    r = classify("Phosphortrichlorid, technisch, 10 t");
    assert_non_null(find(&r, "cwc", "3.B.6", 3));
    r = classify("cianuro de sodio 98 %, sacos de 50 kg");
    assert_non_null(find(&r, "eu_dual_use", "1C350.45", 3));
    /* the case of a short formula matters: "hcn" in lower case is not read */
    r = classify("thin film with hcn coating");
    c = find(&r, "cwc", "3.A.3", 10);
    assert_true(!c || c->score < 0.5);
}

/* A chemical's stated share of a solution is compared with the lists' concentration; a
 * filtration system's total area and one cassette's are told apart. */
static void test_concentration_and_area(void **state)
{
    (void)state;
    cordon_goods_result r = classify("hydrazine solution 35 %, water treatment, 200 L drums");
    assert_false(r.controlled);
    r = classify("hydrazine, concentration 99 %, propellant grade");
    assert_true(r.controlled);
    assert_non_null(find(&r, "mtcr", "4.C.2.a", 3));
    r = classify("tangential flow filtration skid, total membrane area 0.3 m2 (cassette 0.1 m2)");
    assert_false(r.controlled);
    r = classify("TFF system, total membrane area 3 m2");
    assert_true(r.controlled);
    assert_non_null(find(&r, "eu_dual_use", "2B352.d.1.a", 3));
    r = classify("frequency converter, 600-2000 Hz output, frequency accuracy 1 %");
    assert_false(r.controlled);
}

/* A material's trade name is read as the lists' word for it when choosing a sub-entry, and
 * of two sub-entries the same words name, the one they describe more fully is chosen. */
static void test_material_aliases(void **state)
{
    (void)state;
    cordon_goods_result r = classify("seal-less magnetic drive pump, PTFE lined, 20 m3/h");
    assert_non_null(find(&r, "eu_dual_use", "2B350.i.4", 1));
    r = classify("plate heat exchanger, plates Inconel 600, heat transfer area 5 m2");
    assert_non_null(find(&r, "eu_dual_use", "2B350.d.5", 1));
    r = classify("reaction vessel 3 m3, enamel lined, with agitator");
    assert_non_null(find(&r, "eu_dual_use", "2B350.a.3", 3));
    r = classify("glass-lined storage tank 10 m3 for bromine");
    assert_non_null(find(&r, "eu_dual_use", "2B350.c.3", 3));
    /* a plain storage tank is named but not flagged */
    r = classify("storage tank 5 m3, polyethylene, for rainwater");
    assert_false(r.controlled);
}

/* A kind of item a list's note leaves out ("metal windows for X-ray machines") rules the
 * entry out where the description names it, and only that entry. */
static void test_note_kinds(void **state)
{
    (void)state;
    cordon_goods_result r = classify("beryllium window foil 0.1 mm for X-ray detectors");
    const cordon_goods_candidate *c = find(&r, "eu_dual_use", "1C230", 10);
    assert_true(!c || c->score < 0.5);
    assert_false(r.controlled);
    r = classify("beryllium sheet 2 mm, 99 % Be");
    assert_non_null(find(&r, "eu_dual_use", "1C230", 3));
    assert_true(r.controlled);
    r = classify("tungsten alloy gamma-ray collimator for a radiography source");
    c = find(&r, "eu_dual_use", "1C226", 10);
    assert_true(!c || c->score < 0.5);
    r = classify("mouthwash with 0.05 % sodium fluoride, 500 ml bottles");
    assert_false(r.controlled);
    r = classify("sodium fluoride 98 %, 25 kg bags");
    assert_true(r.controlled);
}

/* "gun drilling machine" is a drilling machine, not a machine gun; a post-modified head
 * ("lithium metal enriched") still reads as the term. */
static void test_compound_heads(void **state)
{
    (void)state;
    cordon_goods_result r = classify("gun drilling machine, 1.5 m drilling depth");
    const cordon_goods_candidate *c = find(&r, "wassenaar", "ML1.a", 10);
    assert_true(!c || c->score < 0.2);
    assert_false(r.controlled);
    r = classify("pipe bending machine, 3 axes");
    assert_false(r.controlled);
    r = classify("machine gun, 7.62 mm");
    assert_non_null(find(&r, "wassenaar", "ML1.a", 1));
}

static const goods_entry *entry(const char *key);

/* Families the vocabulary lacked, in the buyers' languages, and a note's lettered item read
 * as an exclusion of its own ("b. A product or device containing less than 0,37 GBq"). */
static void test_families_and_enumerated_notes(void **state)
{
    (void)state;
    cordon_goods_result r = classify("QKD system, 2 nodes, 80 km");
    assert_non_null(find(&r, "wassenaar", "5A002.c", 3));
    r = classify("Gefriertrocknungsanlage, Kondensator 30 kg Eis in 24 h, dampfsterilisierbar");
    assert_non_null(find(&r, "eu_dual_use", "2B352.e", 3));
    r = classify("mélangeurs-décanteurs pour extraction par solvant, 12 étages");
    assert_non_null(find(&r, "nsg_part1", "B.3.3", 3));
    r = classify("Kryopumpe DN 250, Saugvermögen 3000 l/s");
    assert_false(r.controlled);
    /* a powder coarser than every particle size of the entry's powders; its solid forms are
     * another kind the description does not name */
    r = classify("tungsten powder 99.9 %, particle size 100-200 µm, for hardfacing");
    assert_false(r.controlled);
    r = classify("tungsten powder 99.9 %, particle size 5 µm, 100 kg");
    assert_true(r.controlled);
    assert_non_null(find(&r, "mtcr", "6.C.7.a", 3));
    /* a diameter states the area the vocabulary names; a strict bound meets a strict
     * threshold at the same number */
    r = classify("photomultiplier, photocathode diameter 30 mm, rise time 0.5 ns");
    assert_false(r.controlled);
    r = classify("photomultiplier, photocathode diameter 75 mm, rise time < 1 ns");
    assert_true(r.controlled);
    assert_non_null(find(&r, "eu_dual_use", "6A202", 3));
    /* consumer electronics */
    r = classify("MEMS gyroscope, bias instability 5 deg/h, for smartwatch");
    assert_false(r.controlled);
    const goods_entry *e = entry("eu:1C237");
    assert_int_equal(e->n_exclusions, 1);
    r = classify("luminous dial with radium-226 paint, 50 kBq");
    assert_false(r.controlled);
    r = classify("radium-226 sealed source, 2 GBq");
    assert_true(r.controlled);
}

static void test_values_and_units(void **state)
{
    (void)state;
    cordon_goods_result r = classify("5-axis machining centre, positioning accuracy 4 µm, "
                                     "travel 800 mm");
    const cordon_goods_candidate *c = find(&r, "wassenaar", "2B001.b.2.c", 10);
    assert_non_null(c);
    const cordon_goods_evidence *e = evidence(c, "value");
    assert_non_null(e);
    assert_true(e->delta > 0);
    assert_non_null(strstr(e->detail, "meets <= 6"));
    /* micron, um and µm are one unit */
    r = classify("5 axis machining center, accuracy 4 micron");
    assert_non_null(evidence(find(&r, "wassenaar", "2B001.b.2.c", 10), "value"));
    r = classify("5 axis machining center, accuracy 0.004 mm");
    assert_non_null(evidence(find(&r, "wassenaar", "2B001.b.2.c", 10), "value"));
    /* psi to MPa: 10,000 psi = 68.9 MPa, below the 69 MPa of MTCR 6.B.3.a; 15,000 psi is not */
    r = classify("isostatic press, working pressure 15,000 psi");
    c = find(&r, "mtcr", "6.B.3.a", 10);
    assert_non_null(c);
    e = evidence(c, "value");
    assert_non_null(e);
    assert_non_null(strstr(e->detail, "103.4")); /* 15 000 psi in MPa */
    r = classify("isostatic press, working pressure 10,000 psi");
    assert_null(find(&r, "mtcr", "6.B.3.a", 10));
    /* a stated value below every threshold of its quantity counts against */
    r = classify("CNC lathe, positioning accuracy 20 µm");
    c = find(&r, "nsg_part2", "1.B.2.a", 10);
    assert_non_null(c);
    e = evidence(c, "value");
    assert_non_null(e);
    assert_true(e->delta < 0);
    assert_true(c->score < 0.5);
    /* a gyro's drift in degrees per hour against "less than 0.5 degrees ... per hour" */
    r = classify("gyroscope drift 0.01 deg/hr");
    c = find(&r, "mtcr", "9.A.4", 3);
    assert_non_null(c);
    assert_non_null(evidence(c, "value"));
    /* degrees Celsius into kelvin: 1300 °C exceeds 1 773 K? no: 1 573 K */
    r = classify("hot isostatic press, 2000 bar, chamber 500 mm");
    c = find(&r, "wassenaar", "2B004", 10);
    assert_non_null(c);
    /* a gravimeter's accuracy in mGal against "less (better) than 0,7 mGal" (the parser read
       this limit as a bare count before it knew the unit) */
    r = classify("gravimeter, static accuracy 0.05 mGal");
    c = find(&r, "wassenaar", "6A007.b.1", 10);
    assert_non_null(c);
    e = evidence(c, "value");
    assert_non_null(e);
    assert_true(e->delta > 0);
    assert_non_null(strstr(e->detail, "meets < 0.7 mGal"));
    /* µGal converts to mGal: 500 µGal = 0.5 mGal also meets it, 2 mGal does not */
    r = classify("gravimeter, static accuracy 500 µGal");
    e = evidence(find(&r, "wassenaar", "6A007.b.1", 10), "value");
    assert_non_null(e);
    assert_true(e->delta > 0);
    r = classify("gravimeter, static accuracy 2 mGal");
    c = find(&r, "wassenaar", "6A007.b.1", 10);
    if (c) {
        e = evidence(c, "value");
        assert_true(!e || e->delta <= 0);
    }
}

static void test_hs_relations(void **state)
{
    (void)state;
    /* an HS code alone: the entries it plausibly covers, below the flag threshold */
    cordon_goods_result r = classify4("", "8411", NULL, NULL, 10);
    assert_non_null(find(&r, "mtcr", "3.A.1", 10));
    assert_false(r.controlled);
    assert_string_equal(r.hs.code, "8411");
    assert_true(r.hs.known);
    assert_string_equal(r.hs.chapter, "84");
    assert_string_equal(r.hs.section, "XVI");
    assert_non_null(strstr(r.hs.description, "Turbo-jets"));
    /* "8458.11" is read as 845811; a subheading the description agrees with */
    r = classify4("CNC lathe", "8458.11", NULL, NULL, 10);
    assert_string_equal(r.hs.code, "845811");
    assert_null(r.hs.conflict);
    assert_non_null(evidence(find(&r, "wassenaar", "2B001.a", 3), "hs"));
    /* words that contradict the code are a finding */
    r = classify4("turbopump for rocket engine", "9503", NULL, NULL, 10);
    assert_non_null(r.hs.conflict);
    assert_non_null(strstr(r.hs.conflict, "9503"));
    r = classify4("toy drone for kids", "9503", NULL, NULL, 10);
    assert_null(r.hs.conflict);
    assert_false(r.controlled);
    /* a declared subheading and its heading are one piece of evidence, not two */
    r = classify4("", "8414.10", NULL, NULL, 10);
    const cordon_goods_candidate *c = find(&r, "nsg_part2", "3.A.8", 10);
    assert_non_null(c);
    size_t n_hs = 0;
    for (size_t i = 0; i < c->n_evidence; i++)
        n_hs += strcmp(c->evidence[i].kind, "hs") == 0;
    assert_int_equal(n_hs, 1);
    /* a laboratory pump's vacuum in mbar is far from the 13 mPa of UF6 service pumps */
    r = classify("rotary vane vacuum pump for laboratory, ultimate vacuum 2e-3 mbar");
    c = find(&r, "nsg_part2", "3.A.8", 10);
    assert_true(!c || c->score < 0.5);
    assert_false(r.controlled);
}

static void test_dprk_prohibitions(void **state)
{
    (void)state;
    /* industrial machinery to the DPRK: 2397 para 7 quotes HS 84 itself (verified row) */
    cordon_goods_result r = classify4("CNC lathe", "8458.11", "North Korea", NULL, 10);
    assert_string_equal(r.destination, "KP");
    const cordon_goods_prohibition *p = prohibition(&r, "S/RES/2397 (2017), para. 7");
    assert_non_null(p);
    assert_string_equal(p->regime, "UNSC-DPRK");
    assert_string_equal(p->direction, "import");
    assert_string_equal(p->hs, "84");
    assert_int_equal(p->verified, 1);
    /* a WMD-list item to the DPRK: 1718 para 8 */
    r = classify4("turbopump", NULL, "KP", NULL, 10);
    p = prohibition(&r, "S/RES/1718 (2006), para. 8(a)(i)-(ii)");
    assert_non_null(p);
    assert_non_null(strstr(p->reason, "MTCR"));
    /* luxury goods: the HS mapping is a suggestion the table marks unverified, and says so */
    r = classify4("luxury yacht 30 m", NULL, "KP", NULL, 10);
    p = prohibition(&r, "S/RES/2094 (2013), Annex IV");
    assert_non_null(p);
    assert_int_equal(p->verified, 0);
    assert_non_null(strstr(p->reason, "unverified"));
    /* coal bought from the DPRK; not when the destination is another country */
    r = classify4("steam coal", "2701", NULL, "DPRK", 10);
    assert_non_null(prohibition(&r, "S/RES/2371 (2017), para. 8"));
    r = classify4("steam coal", "2701", "DE", NULL, 10);
    assert_int_equal(r.n_prohibitions, 0);
    /* no destination, no origin: the HS bans are listed as applying if traded with the DPRK */
    r = classify4("", "8411", NULL, NULL, 10);
    p = prohibition(&r, "S/RES/2397 (2017), para. 7");
    assert_non_null(p);
    assert_non_null(strstr(p->reason, "applies if"));
}

static const goods_value *one_value(const char *text, goods_value *v, size_t *n)
{
    *n = goods_find_values(G, text, strlen(text), v, GOODS_MAX_VALUES);
    return *n ? &v[0] : NULL;
}

static const goods_entry *entry(const char *key)
{
    uint32_t i;
    if (!smap_get(&G->entry_index, key, strlen(key), &i))
        fail_msg("no entry %s", key);
    return &G->entries[i];
}

/* Slips of the value and threshold parsers. */
static void test_value_parsing(void **state)
{
    (void)state;
    goods_value v[GOODS_MAX_VALUES];
    size_t n;
    /* the EU texts write degrees "o": "40o/s2" is an angular acceleration, "20o/s" a rate */
    const goods_value *x = one_value("angular vector acceleration 40o/s2", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->dim, "angular acceleration");
    assert_true(x->value == 40);
    x = one_value("40°/s²", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "deg/s2");
    x = one_value("slew rate 20o/s", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "deg/s");
    assert_null(one_value("2 o-rings", v, &n));
    /* a power after a unit makes another unit: not 5 metres */
    x = one_value("floor area 5 m2", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->dim, "area");
    const goods_entry *e = entry("eu:9A008.d.3");
    assert_int_equal(e->n_thresholds, 1);
    const goods_threshold *t = &G->thresholds[e->first_threshold];
    assert_string_equal(t->unit->canon, "deg/s2");
    assert_int_equal(t->cmp, CMP_GE);
    /* "5 min. order" is a minimum order, not five minutes; "hold 10 min." is minutes */
    assert_null(one_value("valves, 5 min. order", v, &n));
    assert_null(one_value("10 min qty, stainless", v, &n));
    x = one_value("hold 10 min. at temperature", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "min");
    /* "exceeding 1 250 MSPS but not exceeding 3 500 MSPS" is one range of the update rate,
     * not an upper bound of a quantity "msps but" */
    e = entry("eu:3A001.a.5.b.2.a");
    assert_int_equal(e->n_thresholds, 1);
    t = &G->thresholds[e->first_threshold];
    assert_string_equal(t->quantity, "adjusted update rate");
    assert_int_equal(t->cmp, CMP_BETWEEN);
    assert_true(t->value == 1250 && t->value_max == 3500);
    /* "12-bit" is 12 bit; a one-letter unit after a hyphen is not read ("option 1-a") */
    x = one_value("ADC 12-bit 250 MSPS", v, &n);
    assert_int_equal(n, 2);
    assert_string_equal(x->unit->canon, "bit");
    assert_true(x->value == 12);
    assert_null(one_value("option 1-a", v, &n));
    /* "2000 l/s" is a pumping speed, not 2000 litres; the lists' "15 m3/s" keeps its slash */
    x = one_value("turbomolecular pump 2000 l/s", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->dim, "volume flow");
    x = one_value("2000 l/h", v, &n);
    assert_null(x);
    e = entry("nsg2:3.A.8.b");
    assert_int_equal(e->n_thresholds, 1);
    assert_string_equal(G->thresholds[e->first_threshold].unit->canon, "m3/s");
    /* a range: the quantity is named before its first number, and the item is at least that
     * number too ("particle size 80-150 µm" cannot be 50 µm or less); a range from 0 is a span */
    n = goods_find_values(G, "particle size 80-150 µm", strlen("particle size 80-150 µm"), v,
                          GOODS_MAX_VALUES);
    assert_int_equal(n, 2);
    assert_string_equal(v[0].quantity, "particle size");
    assert_true(v[0].value == 150 && v[0].cmp == CMP_LE);
    assert_true(v[1].value == 80 && v[1].cmp == CMP_GE);
    assert_string_equal(v[1].quantity, "particle size");
    n = goods_find_values(G, "pressure 0-10 bar", strlen("pressure 0-10 bar"), v,
                          GOODS_MAX_VALUES);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].cmp, CMP_LE);
    n = goods_find_values(G, "-50 to +150 °C", strlen("-50 to +150 °C"), v, GOODS_MAX_VALUES);
    assert_int_equal(n, 1);
    assert_true(v[0].value == 150);
    n = goods_find_values(G, "flange DN25-50 mm", strlen("flange DN25-50 mm"), v,
                          GOODS_MAX_VALUES);
    assert_int_equal(n, 1);
    assert_int_equal(v[0].cmp, 255); /* a size name, not a range */
    /* an entry with one quantity of a vague dimension reads an unnamed value of it: 8C001 has
     * one length (marine depth), 2B350 several volumes and ratios */
    e = entry("wa:8C001.a");
    assert_true(e->n_thresholds == 1 && G->thresholds[e->first_threshold].sole);
    e = entry("eu:2B350.a.1");
    assert_false(G->thresholds[e->first_threshold].sole);
    /* a product of units written with a middle dot is one unit: "N·s" is newton-seconds, and
     * "g·mm/kg" a specific unbalance, not grams; the lists' "r.p.m." and "g mm/kg" likewise */
    x = one_value("total impulse 3,500 N·s", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "Ns");
    assert_true(x->value == 3500);
    x = one_value("total impulse 1.3 MN·s", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "MNs");
    x = one_value("residual unbalance 0,1 g·mm/kg", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->dim, "specific unbalance");
    x = one_value("residual unbalance 0.5 g mm/kg", v, &n);
    assert_non_null(x);
    assert_string_equal(x->unit->canon, "g.mm/kg");
    e = entry("eu:2B219.b.3");
    assert_int_equal(e->n_thresholds, 1);
    assert_string_equal(G->thresholds[e->first_threshold].unit->canon, "g.mm/kg");
    e = entry("eu:2B219.a.3");
    assert_int_equal(e->n_thresholds, 1);
    assert_string_equal(G->thresholds[e->first_threshold].unit->canon, "rpm");
    for (size_t i = 0; i < G->n_thresholds; i++)
        if (strstr(G->thresholds[i].quantity, "msps but") ||
            strcmp(G->thresholds[i].quantity, "but") == 0)
            fail_msg("threshold quantity \"%s\"", G->thresholds[i].quantity);
}

/* The evidence that the stated values miss every condition of the candidate, or NULL. */
static const cordon_goods_evidence *ruled_out(const cordon_goods_candidate *c)
{
    for (size_t i = 0; c && i < c->n_evidence; i++)
        if (strcmp(c->evidence[i].kind, "value") == 0 && c->evidence[i].detail &&
            strstr(c->evidence[i].detail, "miss every condition"))
            return &c->evidence[i];
    return NULL;
}

/* Near misses: the kind of goods a controlled entry names, with a stated value outside it. */
static void test_near_misses(void **state)
{
    (void)state;
    /* 300 l/s misses the 15 m3/s of 3.A.8.b, which holds with the other conditions */
    cordon_goods_result r = classify("turbomolecular vacuum pump, pumping speed 300 l/s, "
                                     "inlet DN100");
    assert_false(r.controlled);
    const cordon_goods_candidate *c = find(&r, "nsg_part2", "3.A.8", 10);
    assert_non_null(c);
    assert_non_null(ruled_out(c));
    assert_true(ruled_out(c)->delta < 0);
    r = classify("turbomolecular vacuum pump, input throat 400 mm, pumping speed 20 m3/s");
    assert_true(r.controlled);
    assert_null(ruled_out(find(&r, "nsg_part2", "3.A.8", 10)));
    /* an impulse written "N·s" is read and compared: a hobby motor is far below 1.1 MNs */
    r = classify("amateur rocket motor, total impulse 3,500 N·s, reloadable");
    c = find(&r, "mtcr", "2.A.1.c.1", 10);
    assert_true(c == NULL || ruled_out(c) != NULL);
    r = classify("solid rocket motor, total impulse 1.3 MN·s");
    assert_true(r.controlled);
    assert_null(ruled_out(find(&r, "mtcr", "2.A.1.c.1", 10)));
    /* a balancing machine at 3,000 rpm misses the 5,000 r.p.m. of the multiplane entries */
    r = classify("balancing machine, rotors 5-50 kg, max 3,000 rpm, single plane");
    assert_false(r.controlled);
    /* a sub-entry with two conditions that hold together: 16 bit AND more than 65 MSPS; 100
     * MSPS meets the second but 12 bit none of the resolutions that go with 100 MSPS */
    r = classify("ADC integrated circuit, 12 bit, 100 MSPS");
    assert_false(r.controlled);
    r = classify("ADC 12-bit 250 MSPS, single channel");
    assert_false(r.controlled);
    r = classify("ADC integrated circuit, 12 bit, 1 GSPS");
    assert_true(r.controlled);
    assert_non_null(find(&r, "wassenaar", "3A001.a.5.a.3", 3));
    /* "10 bit or more, but less than 12 bit" does not hold 12 bit */
    assert_null(find(&r, "wassenaar", "3A001.a.5.a.2", 3));
    /* the buyer's direction: "over 100 MSPS" may still exceed 400 MSPS */
    r = classify("ADC integrated circuit, 12 bit, over 100 MSPS");
    assert_null(ruled_out(find(&r, "wassenaar", "3A001.a.5", 10)));
    /* only a value of the threshold's dimension decides: a press's weight says nothing of its
     * pressure */
    r = classify("isostatic press, weight 2000 kg");
    assert_null(ruled_out(find(&r, "mtcr", "6.B.3", 10)));
    r = classify("isostatic press, maximum working pressure 20 MPa");
    c = find(&r, "mtcr", "6.B.3", 10);
    assert_non_null(ruled_out(c));
    assert_true(c->score < 0.5);
    /* the top of a range ("0-100 torr") cannot miss "a full scale of less than 13 kPa" */
    r = classify("capacitance manometer, absolute pressure, 0-100 torr, Inconel sensing element");
    assert_null(ruled_out(find(&r, "nsg_part2", "3.A.7", 10)));
    /* a value that meets one threshold is not ruled out by the exclusion after it ("greater
     * than 400 N excluding civil certified engines ... greater than 8.89 kN") */
    r = classify("small turbojet engine, 2 kN thrust, for target drone");
    assert_null(ruled_out(find(&r, "mtcr", "3.A.1", 10)));
    /* one end of "from below -50 °C to above 125 °C" says nothing of the other */
    r = classify("environmental test chamber, altitude simulation 25 km, -50 to +150 °C");
    assert_true(r.controlled);
    assert_null(ruled_out(find(&r, "mtcr", "15.B.4", 10)));
    /* a quantity no buyer names ("capable of operation above 1 123 K") is read by dimension:
     * 700 °C misses it (2B226 stays open through its power supplies of 5 kW or more) */
    r = classify("vacuum induction furnace for brazing, maximum temperature 700 °C, 20 kW");
    assert_false(r.controlled);
    c = find(&r, "eu_dual_use", "2B226", 10);
    assert_non_null(c);
    assert_non_null(evidence(c, "value"));
    assert_true(evidence(c, "value")->delta < 0);
    /* an unnamed value read by the entry's one quantity of its dimension: the depth rating */
    r = classify("syntactic foam floats rated 500 m, density 400 kg/m3");
    assert_false(r.controlled);
    assert_non_null(ruled_out(find(&r, "wassenaar", "8C001", 10)));
    r = classify("syntactic foam buoyancy modules rated 6000 m, density 450 kg/m3");
    assert_true(r.controlled);
    assert_non_null(find(&r, "wassenaar", "8C001", 3));
    /* the lower end of a range misses "50 µm or less" */
    r = classify("nickel powder, particle size 80-150 µm");
    assert_false(r.controlled);
    c = find(&r, "eu_dual_use", "1C240", 10);
    assert_non_null(c);
    assert_true(evidence(c, "value")->delta < 0);
    /* a pumping speed in l/s against the 15 m3/s of 3.A.8.b */
    r = classify("turbomolecular vacuum pump 2000 l/s, for UF6 service");
    assert_non_null(ruled_out(find(&r, "nsg_part2", "3.A.8", 10)));
    r = classify("turbomolecular vacuum pump 20 m3/s, for UF6 service");
    assert_null(ruled_out(find(&r, "nsg_part2", "3.A.8", 10)));
    /* a sub-entry of another kind ("machine tools for turning, that have ...") is not met by
     * a grinder's accuracy */
    r = classify("surface grinder CNC 3 axes, positioning accuracy 5 µm, repeatability 2 µm");
    assert_false(r.controlled);
    c = find(&r, "eu_dual_use", "2B201.c", 10);
    assert_true(!c || evidence(c, "value") == NULL);
}

/* Lasers: "1570 nm" unnamed is the wavelength (vocabulary unitq), "CW" writes "continuous
 * wave", and a wavelength alone does not meet "exceeding 975 nm ... and any of the following". */
static void test_laser_reading(void **state)
{
    (void)state;
    goods_value v[GOODS_MAX_VALUES];
    size_t n = goods_find_values(G, "1570 nm, 5 W", strlen("1570 nm, 5 W"), v, GOODS_MAX_VALUES);
    assert_int_equal(n, 2);
    assert_non_null(v[0].q);
    assert_string_equal(v[0].q->phrase, "wavelength");
    assert_null(v[1].q);
    cordon_goods_result r = classify("Er fibre laser, 1570 nm, CW 5 W");
    assert_true(r.controlled);
    assert_non_null(find(&r, "wassenaar", "6A005.a.8", 3));
    /* 800 W misses the power conditions under the 975-1150 nm band */
    r = classify("CW fibre laser 1070 nm, 800 W, multimode, for sheet cutting");
    assert_false(r.controlled);
    const cordon_goods_candidate *c = find(&r, "wassenaar", "6A005.a.6", 3);
    assert_true(!c || c->score < 0.5);
}

/* A note's "does not control" with one bound: the small end it leaves out. */
static void test_exclusion_notes(void **state)
{
    (void)state;
    const goods_entry *e = entry("nsg2:2.C.17");
    assert_int_equal(e->n_exclusions, 1);
    assert_string_equal(G->thresholds[e->first_exclusion].unit->canon, "GBq");
    /* a tritium light source far under 1.48 x 10^3 GBq */
    cordon_goods_result r = classify("wristwatch with tritium gas light sources, 0.1 GBq total");
    assert_false(r.controlled);
    const cordon_goods_candidate *c = find(&r, "nsg_part2", "2.C.17", 10);
    assert_true(!c || c->score < 0.5);
    r = classify("tritium gas, 5000 GBq, in a steel container");
    assert_true(r.controlled);
    assert_non_null(find(&r, "nsg_part2", "2.C.17", 3));
    /* all linear dimensions 75 mm or less: every stated length is inside */
    r = classify("maraging steel pins, 20 x 60 mm");
    c = find(&r, "nsg_part2", "2.C.11", 10);
    assert_non_null(c);
    assert_true(c->score < 0.5);
    r = classify("maraging steel round bar, diameter 200 mm, length 60 mm");
    c = find(&r, "nsg_part2", "2.C.11", 10);
    assert_non_null(c);
    assert_true(c->score >= 0.5);
    /* the note names a kind: zirconium foil, not a zirconium tube of thin wall */
    r = classify("reactor-grade zirconium foil 0.05 mm thick, Hf < 100 ppm");
    c = find(&r, "eu_dual_use", "1C234", 10);
    assert_true(!c || c->score < 0.5);
    r = classify("reactor-grade zirconium tube, wall 0.05 mm, Hf < 100 ppm");
    assert_non_null(find(&r, "eu_dual_use", "1C234", 3));
}

/* What the buyer says the item lacks is no evidence that it is the listed one. */
static void test_negation(void **state)
{
    (void)state;
    cordon_goods_result r = classify("6-axis welding robot, standard industrial (no rad-hard, "
                                     "no explosion protection)");
    assert_false(r.controlled);
    assert_null(find(&r, "mtcr", "18.A.1", 3));
    r = classify("6-axis welding robot, radiation hardened for hot cell use");
    assert_true(r.controlled);
    /* a denied feature the entry's title names rules it down; not a generic word, nor one the
     * title itself denies ("without an external vacuum system") */
    r = classify("air-melt induction furnace, open crucible (no vacuum or inert gas), 100 kW");
    assert_false(r.controlled);
    r = classify("vacuum induction furnace, 100 kW, 1600 °C");
    assert_true(r.controlled);
    r = classify("sealed-tube neutron generator, self-contained (no external vacuum system)");
    assert_true(r.controlled);
    assert_null(evidence(find(&r, "nsg_part2", "6.A.5", 3), "context"));
    r = classify("inertial measurement unit without GPS, not for military use");
    assert_null(find(&r, "wassenaar", "ML11", 3));
}

static void test_ordinary_items(void **state)
{
    (void)state;
    static const char *const items[] = {
        "office chairs with armrests, black, 50 pcs", "children's toy drone with camera",
        "garden water pump 40 W", "car wheel bearing 6204-2RS", "laptop computer 15 inch",
        "cotton T-shirts", "refrigerator double door 400 L", "silicone sealant cartridges",
        "vacuum pump for milking machine", "kitchen mixer 5 L planetary"};
    for (size_t i = 0; i < ARRAY_LEN(items); i++) {
        cordon_goods_result r = classify(items[i]);
        if (r.controlled)
            fail_msg("\"%s\" flagged: %s %s %.2f", items[i], r.candidates[0].regime,
                     r.candidates[0].code, r.candidates[0].score);
    }
}

/* A generic term alone ranks its entry but does not flag; a second term, a stated value or
 * more of the entry's words do. */
static void test_generic_terms(void **state)
{
    (void)state;
    cordon_goods_result r = classify("biosafety cabinet for a veterinary practice");
    /* the cabinets' own sub-entry, in the place of "protective and containment equipment" */
    const cordon_goods_candidate *c = find(&r, "eu_dual_use", "2B352.f.2", 1);
    assert_non_null(c);
    assert_true(c->score > 0.45 && c->score < 0.5);
    assert_false(r.controlled);
    r = classify("submersible drainage pump 400 W");
    assert_non_null(find(&r, "wassenaar", "8A001", 2));
    assert_false(r.controlled);
    /* a declared HS code supports it when it says more than the words: an accelerometer
     * declared as a navigation instrument, not a pressure transmitter as a pressure instrument */
    r = classify4("accelerometer", "901480", NULL, NULL, 10);
    assert_true(r.controlled);
    r = classify4("pressure transmitter 4-20 mA, 0-10 bar", "902620", NULL, NULL, 10);
    assert_non_null(find(&r, "nsg_part2", "3.A.7", 3));
    assert_false(r.controlled);
    /* two terms of the same entry support each other */
    r = classify("magnetic sector mass spectrometer for a university lab");
    assert_non_null(find(&r, "nsg_part2", "3.B.6", 3));
    assert_true(r.controlled);
    /* the entry's own words beyond the term ("steam sterilisable", "condenser") */
    r = classify("lyophiliser 20 kg ice per 24 h, steam sterilisable chamber");
    assert_non_null(find(&r, "eu_dual_use", "2B352.e", 1));
    assert_true(r.controlled);
}

/* Element symbols as chemists write them read as the element's name: an isotope symbol only
 * before its mass number, a metal's symbol not where it gives a content ("Hf < 100 ppm"). */
static void test_element_symbols(void **state)
{
    (void)state;
    cordon_goods_result r = classify("LiOH enriched in Li-6, 5 kg");
    assert_non_null(find(&r, "eu_dual_use", "1C233", 3));
    assert_true(r.controlled);
    r = classify("He-3 gas 99.99%, 20 litres STP");
    assert_non_null(find(&r, "nsg_part2", "2.C.18", 3));
    r = classify("Zr sponge, nuclear grade, 2 t");
    assert_non_null(find(&r, "eu_dual_use", "1C234", 3));
    /* "He" and "Li" alone are not the elements; a content is not the item */
    r = classify("He said 3 boxes of Li batteries");
    assert_null(find(&r, "nsg_part2", "2.C.18", 10));
    r = classify("free-cutting steel bar, Nb < 0.1 %, 200 kg");
    assert_false(r.controlled);
    /* the lists leave thermoluminescent dosimeters out of enriched lithium */
    r = classify("thermoluminescent dosimeter chips LiF (Li-6 enriched), 200 pcs");
    assert_false(r.controlled);
}

/* A value that meets one of several conditions that hold together: no evidence when the
 * sub-entry names another kind of item, weak evidence when the other conditions are unstated. */
static void test_conjunctions(void **state)
{
    (void)state;
    /* 3.A.2.a: "Copper vapour lasers having both of the following" (... >= 30 W) */
    cordon_goods_result r = classify("CO2 laser tube 80 W for a sign-making cutter");
    const cordon_goods_candidate *c = find(&r, "nsg_part2", "3.A.2", 3);
    assert_non_null(c);
    const cordon_goods_evidence *v = evidence(c, "value");
    assert_true(!v || v->delta < 0);
    assert_false(r.controlled);
    r = classify("copper vapour laser, 45 W average output power, 510 nm");
    c = find(&r, "nsg_part2", "3.A.2", 3);
    assert_non_null(c);
    v = evidence(c, "value");
    assert_non_null(v);
    assert_true(v->delta > 0.3);
    assert_true(r.controlled);
    /* 3.A.7.c.2: a full scale of 13 kPa or greater and an accuracy better than 130 Pa */
    r = classify("differential pressure transmitter 0-25 bar, stainless diaphragm, 4-20 mA");
    c = find(&r, "nsg_part2", "3.A.7", 3);
    assert_non_null(c);
    v = evidence(c, "value");
    assert_non_null(v);
    assert_true(v->delta > 0 && v->delta < 0.2);
    assert_false(r.controlled);
    r = classify("absolute pressure transducer 0-100 torr, Inconel sensing element");
    assert_non_null(find(&r, "nsg_part2", "3.A.7", 3));
    assert_true(r.controlled);
}

/* Consumer context: separate phrases add up ("model rocket" and "hobby"), one phrase counts
 * once ("hobby" inside "hobby grade"). */
static void test_consumer_context(void **state)
{
    (void)state;
    cordon_goods_result r = classify("model rocket motor D12-5, hobby, 12 pcs");
    const cordon_goods_candidate *c = find(&r, "mtcr", "2.A.1.c.1", 3);
    assert_non_null(c);
    assert_false(r.controlled);
    const cordon_goods_evidence *e = evidence(c, "context");
    assert_non_null(e);
    assert_true(e->delta < -0.8); /* 1 - (1 - 0.7)(1 - 0.5) */
    r = classify("rocket motor D12-5, hobby grade, 12 pcs");
    c = find(&r, "mtcr", "2.A.1.c.1", 3);
    e = evidence(c, "context");
    assert_non_null(e);
    assert_true(e->delta > -0.61 && e->delta < -0.59);
    r = classify("solid rocket motor, total impulse 2 x 10^6 Ns");
    assert_true(r.controlled);
}

/* Words in parentheses after a purpose ("for ... engine (UDMH/NTO)") qualify, like the purpose:
 * the propellant does not outrank the part. */
static void test_parenthesised_purpose(void **state)
{
    (void)state;
    cordon_goods_result r =
        classify("nozzle throat insert for a 30 kN upper stage engine (UDMH/NTO), C/C");
    assert_non_null(find(&r, "mtcr", "3.A.10", 3));
    const cordon_goods_candidate *c = find(&r, "mtcr", "4.C.2.b.2", 10);
    assert_non_null(c);
    assert_true(c->score < 0.5);
    /* the chemical named as the item still counts in full */
    r = classify("UDMH (unsymmetrical dimethylhydrazine), 200 kg drums");
    assert_non_null(find(&r, "mtcr", "4.C.2.b.2", 3));
    assert_true(r.controlled);
}

/* German and French names of the main families reach the entries of their English terms. */
static void test_german_french(void **state)
{
    (void)state;
    cordon_goods_result r = classify("Maschinenpistolen 9 mm, 20 Stk.");
    assert_non_null(find(&r, "wassenaar", "ML1.a", 1));
    assert_true(r.controlled);
    r = classify("lyophilisateur, condenseur 20 kg de glace / 24 h");
    assert_non_null(find(&r, "eu_dual_use", "2B352.e", 1));
    r = classify("Wärmebildkamera gekühlt, MWIR 640x512");
    assert_non_null(find(&r, "wassenaar", "6A003.b.4", 3));
    r = classify("Gartenschlauch mit Spritzpistole");
    assert_false(r.controlled);
}

/* Words no vocabulary term carries still reach the entry whose text uses them, as a ranked
 * candidate under the threshold; a sub-entry's own words refine what the vocabulary found. */
static void test_entry_text(void **state)
{
    (void)state;
    cordon_goods_result r = classify("space qualified solar cells, 400 pcs");
    const cordon_goods_candidate *c = find(&r, "wassenaar", "3A001.e.4", 3);
    assert_non_null(c);
    const cordon_goods_evidence *ev = evidence(c, "text");
    assert_non_null(ev);
    assert_non_null(strstr(ev->matched, "solar"));
    assert_true(c->score > 0.1 && c->score < 0.5);
    assert_false(r.controlled); /* the lists' words alone never flag */
    r = classify("Electrolytic cell for fluorine production");
    assert_non_null(find(&r, "eu_dual_use", "1B225", 3));
    /* One shared word is not enough. */
    r = classify("solar garden light");
    assert_null(find(&r, "wassenaar", "3A001.e.4", 10));
    /* The vocabulary finds the fermenter, the text the kind of fermenter: just under it. */
    r = classify("fermenter 100 L, in-situ steam sterilisable, closed system, aerosol-tight");
    assert_string_equal(r.candidates[0].code, "2B352.b");
    const cordon_goods_candidate *b1 = find(&r, "eu_dual_use", "2B352.b.1", 3);
    assert_non_null(b1);
    assert_true(b1->score < r.candidates[0].score && b1->score >= 0.9 * r.candidates[0].score);
}

/* The rank of a candidate (1-based), or 0 when it is not in the result. */
static size_t rank_of(const cordon_goods_result *r, const char *regime, const char *code)
{
    for (size_t i = 0; i < r->n_candidates; i++)
        if (strcmp(r->candidates[i].regime, regime) == 0 &&
            strcmp(r->candidates[i].code, code) == 0)
            return i + 1;
    return 0;
}

/* The vocabulary finds an entry; the sub-entry whose own words the description uses takes its
 * place, with its score (so nothing more is flagged), and the entry stays just under it. */
static void test_sub_entries(void **state)
{
    (void)state;
    cordon_goods_result r = classify("glass-lined reactor 2500 L with agitator");
    assert_string_equal(r.candidates[0].code, "2B350.a.3");
    const cordon_goods_candidate *parent = find(&r, "eu_dual_use", "2B350.a", 3);
    assert_non_null(parent);
    assert_true(parent->score < r.candidates[0].score);
    assert_true(parent->score > 0.9 * r.candidates[0].score);
    /* the evidence says which words set it apart */
    const cordon_goods_candidate *c = &r.candidates[0];
    bool apart = false;
    for (size_t i = 0; i < c->n_evidence; i++)
        apart |= strstr(c->evidence[i].detail, "apart from the other sub-entries of 2B350.a") &&
                 strstr(c->evidence[i].matched, "glass");
    assert_true(apart);
    r = classify("titanium reaction vessel 1000 litres");
    assert_true(rank_of(&r, "eu_dual_use", "2B350.a.6") > 0);
    assert_true(rank_of(&r, "eu_dual_use", "2B350.a.6") < rank_of(&r, "eu_dual_use", "2B350.a"));
    /* nothing tells the sub-entries apart: the entry stays */
    r = classify("reaction vessel 5000 L, stainless steel");
    assert_true(rank_of(&r, "eu_dual_use", "2B350.a") > 0);
    for (size_t i = 0; i < r.n_candidates; i++)
        assert_null(strstr(r.candidates[i].code, "2B350.a."));
    /* nor does it when its two sub-entries both fit ("fermenter" with the words of b.1 and of
     * b.2.a) */
    r = classify("fermenter 100 L, in-situ steam sterilisable, closed system, aerosol-tight");
    assert_string_equal(r.candidates[0].code, "2B352.b");
    /* a sub-entry does not flag what its entry did not */
    r = classify("biosafety cabinet for a veterinary practice");
    assert_false(r.controlled);
    /* the sub-entries of "having all of the following" are conditions, not kinds: the press
     * stays the answer, above the condition its chamber meets */
    r = classify("hot isostatic press, 2000 bar, chamber 500 mm");
    assert_true(rank_of(&r, "mtcr", "6.B.3") > 0);
    assert_true(rank_of(&r, "mtcr", "6.B.3") < rank_of(&r, "mtcr", "6.B.3.c"));
    assert_true(rank_of(&r, "wassenaar", "2B004") > 0);
    /* a stated value has chosen the sub-entry already (thrust over 400 N): words of a sibling
     * ("regardless of thrust, ... dry weight") do not override it */
    r = classify("small turbojet engine 1000 N thrust, 45 kg dry weight, for target drone");
    assert_true(rank_of(&r, "mtcr", "3.A.1") > 0);
    assert_true(rank_of(&r, "mtcr", "3.A.1.b") == 0 ||
                rank_of(&r, "mtcr", "3.A.1.b") > rank_of(&r, "mtcr", "3.A.1"));
    /* words after "with" say what the item has, not what it is: a drone with a jet engine is
     * not the drone-engine sub-entry */
    r = classify("target drone with jet engine");
    assert_true(rank_of(&r, "eu_dual_use", "9A012") > 0);
    assert_int_equal(rank_of(&r, "eu_dual_use", "9A012.b.4"), 0);
    /* a word of an entry's own title ("unmanned" in ML10) does not set a sub-entry apart */
    r = classify("unmanned aerial vehicle, range 350 km, payload 200 kg");
    assert_int_equal(rank_of(&r, "wassenaar", "ML10.e.2"), 0);
    /* a sub-entry as strong as its entry ranks first ("botulinum" names 1C351.d.1) */
    r = classify("botulinum toxin type A, research grade");
    assert_true(rank_of(&r, "eu_dual_use", "1C351.d.1") > 0);
    assert_true(rank_of(&r, "eu_dual_use", "1C351.d.1") < rank_of(&r, "eu_dual_use", "1C351.d"));
}

static void test_json(void **state)
{
    (void)state;
    cordon_goods_query q = {"turbo pump for liquid rocket engine", "8413", "KP", NULL, 5, -1};
    cordon_goods_result r;
    cordon_error err = {0};
    cordon_arena_reset(A);
    assert_int_equal(cordon_goods_classify(G, &q, A, &r, &err), CORDON_OK);
    char *s = cordon_goods_result_json(&q, &r, 0);
    assert_non_null(s);
    json_error_t jerr;
    json_t *o = json_loads(s, 0, &jerr);
    free(s);
    assert_non_null(o);
    json_t *res = json_object_get(o, "results");
    assert_true(json_array_size(res) >= 1 && json_array_size(res) <= 5);
    json_t *first = json_array_get(res, 0);
    assert_string_equal(json_string_value(json_object_get(first, "code")), "3.A.5");
    assert_true(json_is_array(json_object_get(first, "evidence")));
    assert_true(json_is_object(json_object_get(first, "source")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "hs"), "code")),
                        "8413");
    assert_true(json_array_size(json_object_get(o, "prohibitions")) >= 2);
    assert_true(json_is_true(json_object_get(o, "controlled")));
    json_decref(o);
}

/* ---- accuracy on the labelled set ----------------------------------------------------------- */

static const char *prefix_of(const char *regime)
{
    for (size_t i = 0; i < REG_COUNT; i++)
        if (strcmp(goods_regimes[i].id, regime) == 0)
            return goods_regimes[i].prefix;
    return regime;
}

static bool top3_hit(const cordon_goods_result *r, char *expected)
{
    for (size_t i = 0; i < r->n_candidates && i < 3; i++) {
        char got[128];
        snprintf(got, sizeof got, "%s:%s", prefix_of(r->candidates[i].regime),
                 r->candidates[i].code);
        char copy[512], *save = NULL;
        snprintf(copy, sizeof copy, "%s", expected);
        for (char *e = strtok_r(copy, " ", &save); e; e = strtok_r(NULL, " ", &save)) {
            size_t l = strlen(e);
            if (strncmp(got, e, l) == 0 && (got[l] == '\0' || got[l] == '.'))
                return true;
        }
    }
    return false;
}

typedef struct tally {
    size_t ctl, hits, ord, flags, blind, blind_hits;
} tally;

static tally measure(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("%s: cannot open", path);
    char line[2048];
    tally t = {0};
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || strncmp(line, "id\t", 3) == 0)
            continue;
        char *fld[6], *p = line;
        for (size_t i = 0; i < 6; i++) {
            fld[i] = p;
            char *tab = strchr(p, '\t');
            if (!tab && i < 5)
                fail_msg("%s: short row \"%s\"", path, line);
            if (tab) {
                *tab = '\0';
                p = tab + 1;
            }
        }
        cordon_goods_result r = classify4(fld[3], fld[4][0] ? fld[4] : NULL, NULL, NULL, 3);
        if (strcmp(fld[1], "controlled") == 0) {
            bool h = top3_hit(&r, fld[5]);
            t.ctl++;
            t.hits += h;
            if (strcmp(fld[2], "blind") == 0) {
                t.blind++;
                t.blind_hits += h;
            }
        } else {
            t.ord++;
            t.flags += r.controlled != 0;
        }
    }
    fclose(f);
    return t;
}

/* One evaluation file of data/eval: at least min_ctl controlled and min_ord ordinary items,
 * recall@3 above `recall`, under `flagged` of the ordinary items flagged. */
static void expect_floors(const char *label, const char *file, size_t min_ctl, size_t min_ord,
                          double recall, double flagged)
{
    char path[512];
    snprintf(path, sizeof path, "%s/eval/%s", CORDON_DATA_DIR, file);
    tally t = measure(path);
    printf("goods %s: recall@3 %.3f (%zu/%zu); ordinary items flagged %.3f (%zu/%zu)\n", label,
           (double)t.hits / (double)t.ctl, t.hits, t.ctl, (double)t.flags / (double)t.ord,
           t.flags, t.ord);
    assert_true(t.ctl >= min_ctl && t.ord >= min_ord);
    assert_true((double)t.hits / (double)t.ctl > recall);
    assert_true((double)t.flags / (double)t.ord < flagged);
}

static void test_accuracy(void **state)
{
    (void)state;
    tally t = measure(CORDON_DATA_DIR "/eval/goods_items.tsv");
    printf("goods accuracy: recall@3 %.3f (%zu/%zu), blind set %.3f (%zu/%zu); ordinary items "
           "flagged %.3f (%zu/%zu)\n", (double)t.hits / (double)t.ctl, t.hits, t.ctl,
           (double)t.blind_hits / (double)t.blind, t.blind_hits, t.blind,
           (double)t.flags / (double)t.ord, t.flags, t.ord);
    assert_true(t.ctl >= 300 && t.ord >= 300);
    assert_true((double)t.hits / (double)t.ctl > 0.9);
    assert_true((double)t.blind_hits / (double)t.blind > 0.85);
    assert_true((double)t.flags / (double)t.ord < 0.05);
    /* the frozen held-out file (docs/accuracy.md says which figures were first measurements) */
    expect_floors("held-out", "goods_items_heldout.tsv", 100, 100, 0.9, 0.05);
    /* the blind sets (fresh3, fresh4): floors against regression, below the goal, which these
     * sets do not show yet (docs/accuracy.md) */
    expect_floors("blind sets", "goods_items_blind.tsv", 250, 200, 0.8, 0.08);
    /* fresh5, never looked at: floors against regression, well below the goal (docs/accuracy.md) */
    expect_floors("fresh5", "goods_items_fresh5.tsv", 130, 120, 0.8, 0.13);
    /* the near-miss development set (a tuning set): the same kind of goods, a value outside */
    expect_floors("near-miss dev", "goods_items_nearmiss_dev.tsv", 40, 40, 0.85, 0.1);
    /* the practice set of the issue 5 coverage pass (a tuning set since that pass) */
    expect_floors("practice", "goods_items_practice.tsv", 50, 40, 0.9, 0.05);
}

/* ---- bad queries ------------------------------------------------------------------------------- */

static void expect_invalid(const char *text, const char *hs, const char *dest, const char *what)
{
    cordon_goods_query q = {text, hs, dest, NULL, 0, -1};
    cordon_goods_result r;
    cordon_error err = {0};
    cordon_arena_reset(A);
    assert_int_equal(cordon_goods_classify(G, &q, A, &r, &err), CORDON_ERR_INVALID);
    if (!strstr(err.message, what))
        fail_msg("message \"%s\" does not name \"%s\"", err.message, what);
}

static void test_bad_queries(void **state)
{
    (void)state;
    char *big = malloc(70000);
    assert_non_null(big);
    memset(big, 'a', 69999);
    big[69999] = '\0';
    expect_invalid(big, NULL, NULL, "text: 69999 bytes");
    free(big);
    expect_invalid("pump \xff\xfe", NULL, NULL, "text: invalid UTF-8 at byte 6");
    expect_invalid("pump", "84x1", NULL, "hs: \"84x1\"");
    expect_invalid("pump", "8", NULL, "hs:");
    expect_invalid("pump", NULL, "Atlantis", "destination: unknown country \"Atlantis\"");
    expect_invalid("", NULL, NULL, "empty description");
    expect_invalid(NULL, "", NULL, "empty description");
    /* odd but valid input classifies without a crash */
    cordon_goods_result r = classify("1 x 10^400 psi ±± µm °C 5-14-7 CAS -- 0,0,0 mm "
                                     "between and 123456789012345678901234567890 MPa");
    assert_false(r.controlled);
    r = classify("\xe5\x8f\x91\xe5\x8a\xa8\xe6\x9c\xba turbopump \xd0\xbd\xd0\xb0\xd1\x81\xd0\xbe\xd1\x81");
    assert_non_null(find(&r, "mtcr", "3.A.5", 3));
}

/* ---- broken data directories ----------------------------------------------------------------- */

static const char *const data_files[] = {
    "vocabulary.tsv",    "mtcr.jsonl",          "nsg_part1.jsonl",     "nsg_part2.jsonl",
    "cwc_schedules.jsonl", "wassenaar.jsonl",   "eu_dual_use.jsonl",   "hs2022.tsv",
    "chemical_names.tsv", "unsc_dprk_bans.jsonl"};

static char tmpdir[256];

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char b[65536];
    size_t n;
    while ((n = fread(b, 1, sizeof b, in)) > 0)
        assert_int_equal(fwrite(b, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static void make_copy(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/cordon-goods-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    for (size_t i = 0; i < ARRAY_LEN(data_files); i++) {
        char from[512], to[512];
        snprintf(from, sizeof from, "%s/%s", CONTROLS, data_files[i]);
        snprintf(to, sizeof to, "%s/%s", tmpdir, data_files[i]);
        copy_file(from, to);
    }
}

static void remove_copy(void)
{
    for (size_t i = 0; i < ARRAY_LEN(data_files); i++) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", tmpdir, data_files[i]);
        unlink(p);
    }
    rmdir(tmpdir);
}

static void write_file(const char *name, const char *content, size_t len)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(content, 1, len, f), len);
    fclose(f);
}

static void append_file(const char *name, const char *content)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "ab");
    assert_non_null(f);
    fputs(content, f);
    fclose(f);
}

static void expect_open_error(cordon_status want, const char *file_line)
{
    cordon_error err = {0};
    cordon_goods *g = cordon_goods_open(tmpdir, &err);
    assert_null(g);
    assert_int_equal(err.status, want);
    if (!strstr(err.message, file_line))
        fail_msg("message \"%s\" does not name \"%s\"", err.message, file_line);
}

static void test_bad_data(void **state)
{
    (void)state;
    cordon_error err = {0};
    assert_null(cordon_goods_open("/nonexistent/controls", &err));
    assert_int_equal(err.status, CORDON_ERR_IO);
    assert_non_null(strstr(err.message, "/nonexistent/controls/vocabulary.tsv"));

    make_copy(); /* a clean copy opens */
    cordon_goods *g = cordon_goods_open(tmpdir, &err);
    assert_non_null(g);
    cordon_goods_close(g);

    write_file("mtcr.jsonl", "", 0);
    expect_open_error(CORDON_ERR_PARSE, "mtcr.jsonl: empty file");

    static const char truncated[] = "{\"regime\":\"mtcr\",\"code\":\"1\",\"parent\":\"\",\"kind\":\"item\"}\n"
                                    "{\"regime\":\"mtcr\",\"code\":";
    write_file("mtcr.jsonl", truncated, sizeof truncated - 1);
    expect_open_error(CORDON_ERR_PARSE, "mtcr.jsonl:2: invalid JSON");

    static const char orphan[] = "{\"regime\":\"mtcr\",\"code\":\"3.A.5\",\"parent\":\"3.A\","
                                 "\"kind\":\"entry\"}\n";
    write_file("mtcr.jsonl", orphan, sizeof orphan - 1);
    expect_open_error(CORDON_ERR_PARSE, "mtcr.jsonl:1: parent \"3.A\"");

    static const char binary[] = "{\"regime\":\"mtcr\"\0\x01\x02}\n";
    write_file("mtcr.jsonl", binary, sizeof binary - 1);
    expect_open_error(CORDON_ERR_PARSE, "mtcr.jsonl:1: NUL byte");

    static const char badutf[] = "{\"regime\":\"mtcr\",\"code\":\"\xc3\x28\"}\n";
    write_file("mtcr.jsonl", badutf, sizeof badutf - 1);
    expect_open_error(CORDON_ERR_PARSE, "mtcr.jsonl:1: invalid UTF-8");
    remove_copy();

    make_copy();
    append_file("vocabulary.tsv", "term\tflux capacitor\tmtcr:99.Z.9\t0.9\t\n");
    expect_open_error(CORDON_ERR_PARSE, "unknown entry \"mtcr:99.Z.9\"");
    remove_copy();

    make_copy();
    append_file("vocabulary.tsv", "term\tflux capacitor\tmtcr:3.A.5\n");
    expect_open_error(CORDON_ERR_PARSE, "fields, expected 5");
    remove_copy();

    make_copy();
    append_file("vocabulary.tsv", "term\tflux capacitor\tmtcr:3.A.5\t7\t\n");
    expect_open_error(CORDON_ERR_PARSE, "weight \"7\" is not in 0..1");
    remove_copy();

    make_copy();
    append_file("vocabulary.tsv", "chem\tXyZ3\t50-00-0\t0.9\t\n");
    expect_open_error(CORDON_ERR_PARSE, "CAS \"50-00-0\" is named by no list");
    remove_copy();

    make_copy();
    append_file("vocabulary.tsv", "alias\tunobtainium\tzzzqqq\t1\t\n");
    expect_open_error(CORDON_ERR_PARSE, "alias word \"zzzqqq\" is no telling word");
    remove_copy();

    make_copy();
    append_file("hs2022.tsv", "84AB\t84\t4\t84\tXVI\tx\tbad\n");
    expect_open_error(CORDON_ERR_PARSE, "hs2022.tsv:6941: bad HS code \"84AB\"");
    remove_copy();

    make_copy();
    append_file("unsc_dprk_bans.jsonl", "{\"resolution\":2397}\n");
    expect_open_error(CORDON_ERR_PARSE, "unsc_dprk_bans.jsonl:111: ban needs citation");
    remove_copy();

    make_copy();
    char *big = malloc((2u << 20) + 16);
    assert_non_null(big);
    memset(big, 'x', 2u << 20);
    big[2u << 20] = '\n';
    write_file("chemical_names.tsv", big, (2u << 20) + 1);
    free(big);
    expect_open_error(CORDON_ERR_LIMIT, "chemical_names.tsv:1: line longer than");
    remove_copy();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts),          cmocka_unit_test(test_terms_and_synonyms),
        cmocka_unit_test(test_cas_and_chemicals), cmocka_unit_test(test_values_and_units),
        cmocka_unit_test(test_hs_relations),    cmocka_unit_test(test_dprk_prohibitions),
        cmocka_unit_test(test_ordinary_items),  cmocka_unit_test(test_json),
        cmocka_unit_test(test_accuracy),        cmocka_unit_test(test_bad_queries),
        cmocka_unit_test(test_bad_data),         cmocka_unit_test(test_entry_text),
        cmocka_unit_test(test_generic_terms),   cmocka_unit_test(test_conjunctions),
        cmocka_unit_test(test_consumer_context), cmocka_unit_test(test_parenthesised_purpose),
        cmocka_unit_test(test_german_french),    cmocka_unit_test(test_value_parsing),
        cmocka_unit_test(test_near_misses),      cmocka_unit_test(test_sub_entries),
        cmocka_unit_test(test_negation),         cmocka_unit_test(test_exclusion_notes),
        cmocka_unit_test(test_laser_reading),    cmocka_unit_test(test_formulas_and_names),
        cmocka_unit_test(test_concentration_and_area), cmocka_unit_test(test_material_aliases),
        cmocka_unit_test(test_note_kinds),       cmocka_unit_test(test_compound_heads),
        cmocka_unit_test(test_families_and_enumerated_notes),
        cmocka_unit_test(test_element_symbols),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
