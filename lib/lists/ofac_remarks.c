/* ofac_remarks.c - OFAC's remarks column. The legacy CSV files pack dates and places of birth,
 * nationalities, passports, company numbers, IMO numbers, weak aliases and links to other
 * parties into one "; "-separated text; this turns each piece it knows into a field and keeps
 * every other piece as remarks text. */
#include "ofac_remarks.h"

#include <ctype.h>
#include <strings.h>

/* A quoted alias longer than this is taken as a stray quote, not as a name that may hold
 * "; " - which also bounds the work per piece on hostile input. */
#define MAX_QUOTED_NAME 512

typedef struct span {
    const char *p;
    size_t n;
} span;

/* What became of one remarks piece. */
typedef enum piece_use {
    PIECE_OTHER, /* not recognised: the piece goes to the remarks text */
    PIECE_TAKEN, /* wholly turned into fields */
    PIECE_KEEP   /* partly turned into fields; the piece also stays in the remarks text */
} piece_use;

/* ---- spans ------------------------------------------------------------------------------ */

static span sp(const char *p, size_t n)
{
    span s = {p, n};
    return s;
}

static span sp_trim(span s)
{
    while (s.n && isspace((unsigned char)s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && isspace((unsigned char)s.p[s.n - 1]))
        s.n--;
    return s;
}

static span sp_from(span s, size_t k) { return sp_trim(sp(s.p + k, s.n - k)); }

static bool sp_ieq(span s, const char *w)
{
    size_t n = strlen(w);
    return s.n == n && strncasecmp(s.p, w, n) == 0;
}

/* Length of w when s starts with w (any case) followed by a space, a colon or the end. */
static size_t sp_label(span s, const char *w)
{
    size_t n = strlen(w);
    if (s.n < n || strncasecmp(s.p, w, n) != 0)
        return 0;
    if (s.n > n && s.p[n] != ' ' && s.p[n] != ':')
        return 0;
    return n;
}

/* What follows a label of length k: an optional colon, then the trimmed rest. */
static span sp_after_label(span s, size_t k)
{
    span r = sp_from(s, k);
    if (r.n && r.p[0] == ':')
        r = sp_from(r, 1);
    return r;
}

static span strip_final_dot(span s)
{
    if (s.n && s.p[s.n - 1] == '.')
        s.n--;
    return sp_trim(s);
}

/* The value after a label; the full stop that ends the whole remarks text is not part of it. */
static span label_value(span s, size_t k, bool last)
{
    span v = sp_after_label(s, k);
    return last ? strip_final_dot(v) : v;
}

static size_t sp_find(span s, const char *needle)
{
    const char *hit = memmem(s.p, s.n, needle, strlen(needle));
    return hit ? (size_t)(hit - s.p) : s.n;
}

static const char *sp_dup(eb *b, span s) { return eb_strdup(b, s.p, s.n); }

static const char *sp_country(span s)
{
    char tmp[128];
    if (s.n == 0 || s.n >= sizeof tmp)
        return NULL;
    memcpy(tmp, s.p, s.n);
    tmp[s.n] = 0;
    return country_code(tmp);
}

/* ---- names -------------------------------------------------------------------------------- */

void ofac_add_name(eb *b, cordon_name_kind kind, const char *full, size_t len)
{
    span f = sp_trim(sp(full, len));
    if (!f.n)
        return;
    const char *whole = sp_dup(b, f);
    const char *comma = eb_type(b) == CORDON_TYPE_PERSON ? memchr(f.p, ',', f.n) : NULL;
    if (!whole)
        return;
    if (!comma) {
        eb_add_name(b, kind, whole, NULL, NULL, NULL);
        return;
    }
    const char *family = eb_strdup(b, f.p, (size_t)(comma - f.p));
    const char *given = eb_strdup(b, comma + 1, (size_t)(f.p + f.n - comma - 1));
    if (family && given)
        eb_add_name(b, kind, whole, given, NULL, family);
}

/* "a.k.a. 'X'" in the remarks is how OFAC's CSV files mark a weak alias (OFAC FAQ 123);
 * "f.k.a." is a former name, "n.k.a." a new one. */
static piece_use take_alias(eb *b, span v, bool last)
{
    static const struct {
        const char *word;
        cordon_name_kind kind;
    } kinds[] = {{"a.k.a.", CORDON_NAME_WEAK_AKA},
                 {"f.k.a.", CORDON_NAME_FORMER},
                 {"n.k.a.", CORDON_NAME_STRONG_AKA}};
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++) {
        size_t k = sp_label(v, kinds[i].word);
        if (!k)
            continue;
        span rest = sp_after_label(v, k), name;
        piece_use use = PIECE_TAKEN;
        size_t close = rest.n;
        while (close > 1 && rest.p[close - 1] != '\'')
            close--;
        if (rest.n && rest.p[0] == '\'' && close > 1) {
            name = sp(rest.p + 1, close - 2);
            span tail = sp_from(rest, close);
            if (tail.n && !sp_ieq(tail, "."))
                use = PIECE_KEEP;
        } else {
            name = last ? strip_final_dot(rest) : rest;
            if (name.n && name.p[0] == '\'')
                name = sp_from(name, 1);
        }
        name = sp_trim(name);
        /* A few entries double the quotes: a.k.a. ''FOOPIE''. */
        if (name.n >= 2 && name.p[0] == '\'' && name.p[name.n - 1] == '\'')
            name = sp_trim(sp(name.p + 1, name.n - 2));
        if (!name.n)
            return PIECE_OTHER;
        ofac_add_name(b, kinds[i].kind, name.p, name.n);
        return use;
    }
    return PIECE_OTHER;
}

/* ---- facts about a person ------------------------------------------------------------- */

static bool is_date_word(span w)
{
    static const char *const words[] = {
        "jan",      "january", "feb",      "february",  "mar", "march",         "apr",
        "april",    "may",     "jun",      "june",      "jul", "july",          "aug",
        "august",   "sep",     "sept",     "september", "oct", "october",       "nov",
        "november", "dec",     "december", "circa",     "ca",  "approximately", "approx",
        "about",    "to",      "between",  "and"};
    bool numeric = w.n > 0;
    for (size_t i = 0; i < w.n; i++)
        if (!isdigit((unsigned char)w.p[i]) && !strchr("-/.", w.p[i]))
            numeric = false;
    if (numeric)
        return true;
    for (size_t i = 0; i < ARRAY_LEN(words); i++)
        if (sp_ieq(w, words[i]))
            return true;
    return false;
}

/* True when every word of s is part of a date, so parsing it lost nothing. */
static bool only_date_words(span s)
{
    size_t i = 0;
    while (i < s.n) {
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == ','))
            i++;
        size_t j = i;
        while (j < s.n && s.p[j] != ' ' && s.p[j] != ',')
            j++;
        span w = sp(s.p + i, j - i);
        if (w.n && w.p[w.n - 1] == '.')
            w.n--;
        if (j > i && !is_date_word(w))
            return false;
        i = j;
    }
    return true;
}

static piece_use take_birth_date(eb *b, span value)
{
    const char *text = sp_dup(b, value);
    if (!text || !eb_add_birth_date_text(b, text))
        return PIECE_OTHER;
    return only_date_words(value) ? PIECE_TAKEN : PIECE_KEEP;
}

static piece_use take_person_fact(eb *b, span v, bool last)
{
    size_t k;
    if ((k = sp_label(v, "DOB")))
        return take_birth_date(b, label_value(v, k, last));
    if ((k = sp_label(v, "POB"))) {
        span place = label_value(v, k, last);
        if (!place.n)
            return PIECE_OTHER;
        eb_add_birth_place(b, sp_dup(b, place));
        return PIECE_TAKEN;
    }
    bool nat = (k = sp_label(v, "nationality")) != 0;
    if (nat || (k = sp_label(v, "citizen"))) {
        span country = label_value(v, k, last);
        if (!sp_country(country))
            return PIECE_OTHER;
        const char *text = sp_dup(b, country);
        if (nat)
            eb_add_nationality(b, text);
        else
            eb_add_citizenship(b, text);
        return PIECE_TAKEN;
    }
    if ((k = sp_label(v, "Gender"))) {
        span g = label_value(v, k, last);
        if (!sp_ieq(g, "Male") && !sp_ieq(g, "Female"))
            return PIECE_OTHER;
        eb_set_gender(b, sp_dup(b, g));
        return PIECE_TAKEN;
    }
    return PIECE_OTHER;
}

/* ---- links and regimes -------------------------------------------------------------------- */

/* Whether the last word of a name is an abbreviation whose full stop belongs to the name
 * ("S.A.", "CO.", "LTD."), so the full stop that ends the remarks text is not stripped. */
static bool ends_in_abbreviation(span s)
{
    static const char *const abbr[] = {"CO",  "LTD", "LTDA", "CORP", "INC", "CIA",
                                       "BHD", "PTE", "JR",   "SR",   "ST",  "NO"};
    if (!s.n || s.p[s.n - 1] != '.')
        return false;
    size_t end = s.n - 1, start = end;
    while (start > 0 && s.p[start - 1] != ' ' && s.p[start - 1] != ',')
        start--;
    span w = sp(s.p + start, end - start);
    if (memchr(w.p, '.', w.n))
        return true;
    for (size_t i = 0; i < ARRAY_LEN(abbr); i++)
        if (sp_ieq(w, abbr[i]))
            return true;
    return w.n == 1 && isalpha((unsigned char)w.p[0]);
}

static piece_use take_linked(eb *b, span v, bool last)
{
    size_t k = sp_label(v, "Linked To");
    if (!k)
        return PIECE_OTHER;
    span name = sp_after_label(v, k);
    if (last && !ends_in_abbreviation(name))
        name = strip_final_dot(name);
    if (!name.n)
        return PIECE_OTHER;
    eb_add_linked(b, sp_dup(b, name));
    return PIECE_TAKEN;
}

/* "Secondary sanctions risk: North Korea Sanctions Regulations, ..." ties an entry to the
 * DPRK regime even when its program is only NPWMD. The text itself stays in the remarks. */
static void take_regime(eb *b, span v)
{
    static const char *const labels[] = {
        "Secondary sanctions risk",
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions"};
    for (size_t i = 0; i < ARRAY_LEN(labels); i++) {
        size_t k = sp_label(v, labels[i]);
        if (!k)
            continue;
        const char *rest = sp_dup(b, sp_after_label(v, k));
        if (rest)
            eb_add_regime(b, regime_of_program(rest));
        return;
    }
}

/* ---- identifiers -------------------------------------------------------------------------- */

enum {
    ID_WHOLE = 1,    /* the value is the whole rest of the piece (phones, e-mail, web) */
    ID_IMO = 2,      /* "IMO 1234567" after the label makes it an IMO number */
    ID_CURRENCY = 4, /* the label goes on with a currency code ("... - XBT") */
    ID_BY_TYPE = 8   /* a national id for individuals, a registration number otherwise */
};

typedef struct id_rule {
    const char *label;
    cordon_id_type type;
    unsigned flags;
} id_rule;

static const id_rule id_rules[] = {
    {"Passport", CORDON_ID_PASSPORT, 0},
    {"Diplomatic Passport", CORDON_ID_PASSPORT, 0},
    {"British National Overseas Passport", CORDON_ID_PASSPORT, 0},
    {"Stateless Person Passport", CORDON_ID_PASSPORT, 0},
    {"National ID No.", CORDON_ID_NATIONAL_ID, 0},
    {"National Foreign ID Number", CORDON_ID_NATIONAL_ID, 0},
    {"Cedula No.", CORDON_ID_NATIONAL_ID, 0},
    {"D.N.I.", CORDON_ID_NATIONAL_ID, 0},
    {"C.U.R.P.", CORDON_ID_NATIONAL_ID, 0},
    {"C.U.R.P. #", CORDON_ID_NATIONAL_ID, 0},
    {"C.U.I.", CORDON_ID_NATIONAL_ID, 0},
    {"N.I.E.", CORDON_ID_NATIONAL_ID, 0},
    {"SSN", CORDON_ID_NATIONAL_ID, 0},
    {"LE Number", CORDON_ID_NATIONAL_ID, 0},
    {"Personal ID Card", CORDON_ID_NATIONAL_ID, 0},
    {"Numero de Identidad", CORDON_ID_NATIONAL_ID, 0},
    {"Turkish Identification Number", CORDON_ID_NATIONAL_ID, 0},
    {"Tazkira National ID Card", CORDON_ID_NATIONAL_ID, 0},
    {"Kenyan ID No.", CORDON_ID_NATIONAL_ID, 0},
    {"Bosnian Personal ID No.", CORDON_ID_NATIONAL_ID, 0},
    {"Moroccan Personal ID No.", CORDON_ID_NATIONAL_ID, 0},
    {"CNP (Personal Numerical Code)", CORDON_ID_NATIONAL_ID, 0},
    {"Citizen's Card Number", CORDON_ID_NATIONAL_ID, 0},
    {"UAE Identification", CORDON_ID_NATIONAL_ID, 0},
    {"Identification Number", CORDON_ID_NATIONAL_ID, ID_BY_TYPE | ID_IMO},
    {"Tax ID No.", CORDON_ID_TAX_ID, 0},
    {"NIT #", CORDON_ID_TAX_ID, 0},
    {"RFC", CORDON_ID_TAX_ID, 0},
    {"R.F.C.", CORDON_ID_TAX_ID, 0},
    {"R.F.C. #", CORDON_ID_TAX_ID, 0},
    {"RUC #", CORDON_ID_TAX_ID, 0},
    {"RIF #", CORDON_ID_TAX_ID, 0},
    {"C.U.I.T.", CORDON_ID_TAX_ID, 0},
    {"C.I.F.", CORDON_ID_TAX_ID, 0},
    {"US FEIN", CORDON_ID_TAX_ID, 0},
    {"V.A.T. Number", CORDON_ID_TAX_ID, 0},
    {"RTN", CORDON_ID_TAX_ID, 0},
    {"RSIN", CORDON_ID_TAX_ID, 0},
    {"Italian Fiscal Code", CORDON_ID_TAX_ID, 0},
    {"Fiscal Code", CORDON_ID_TAX_ID, 0},
    {"Romanian Tax Registration", CORDON_ID_TAX_ID, 0},
    {"Numero Unico de Identificacao Tributaria (NUIT)", CORDON_ID_TAX_ID, 0},
    {"Registration ID", CORDON_ID_REGISTRATION, 0},
    {"Registration Number", CORDON_ID_REGISTRATION, 0},
    {"Business Registration Number", CORDON_ID_REGISTRATION, 0},
    {"Business Registration Document #", CORDON_ID_REGISTRATION, 0},
    {"Business Number", CORDON_ID_REGISTRATION, 0},
    {"Company Number", CORDON_ID_REGISTRATION, ID_IMO},
    {"UK Company Number", CORDON_ID_REGISTRATION, 0},
    {"Commercial Registry Number", CORDON_ID_REGISTRATION, 0},
    {"Public Registration Number", CORDON_ID_REGISTRATION, 0},
    {"Certificate of Incorporation Number", CORDON_ID_REGISTRATION, 0},
    {"Chamber of Commerce Number", CORDON_ID_REGISTRATION, 0},
    {"Istanbul Chamber of Comm. No.", CORDON_ID_REGISTRATION, 0},
    {"Dubai Chamber of Commerce Membership No.", CORDON_ID_REGISTRATION, 0},
    {"Trade License No.", CORDON_ID_REGISTRATION, 0},
    {"Folio Mercantil No.", CORDON_ID_REGISTRATION, 0},
    {"Matricula Mercantil No", CORDON_ID_REGISTRATION, 0},
    {"Unified Social Credit Code (USCC)", CORDON_ID_REGISTRATION, 0},
    {"United Social Credit Code Certificate (USCCC)", CORDON_ID_REGISTRATION, 0},
    {"Legal Entity Number", CORDON_ID_REGISTRATION, 0},
    {"Registered Charity No.", CORDON_ID_REGISTRATION, 0},
    {"C.R. No.", CORDON_ID_REGISTRATION, 0},
    {"Romanian C.R.", CORDON_ID_REGISTRATION, 0},
    {"Government Gazette Number", CORDON_ID_REGISTRATION, 0},
    {"Branch Unit Number", CORDON_ID_REGISTRATION, 0},
    {"Enterprise Number", CORDON_ID_REGISTRATION, 0},
    {"Central Registration System Number", CORDON_ID_REGISTRATION, 0},
    {"D-U-N-S Number", CORDON_ID_REGISTRATION, 0},
    {"MSB Registration Number", CORDON_ID_REGISTRATION, 0},
    {"Vessel Registration Identification", CORDON_ID_IMO, ID_IMO},
    {"MMSI", CORDON_ID_MMSI, 0},
    {"Other Vessel Call Sign", CORDON_ID_CALL_SIGN, 0},
    {"Aircraft Manufacturer's Serial Number (MSN)", CORDON_ID_AIRCRAFT_SERIAL, 0},
    {"Aircraft Serial Identification", CORDON_ID_AIRCRAFT_SERIAL, 0},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", CORDON_ID_AIRCRAFT_SERIAL, 0},
    {"Aircraft Tail Number", CORDON_ID_AIRCRAFT_TAIL, 0},
    {"Previous Aircraft Tail Number", CORDON_ID_AIRCRAFT_TAIL, 0},
    {"Aircraft Mode S Transponder Code", CORDON_ID_OTHER, 0},
    {"SWIFT/BIC", CORDON_ID_SWIFT_BIC, 0},
    {"BIK (RU)", CORDON_ID_OTHER, 0},
    {"Digital Currency Address -", CORDON_ID_CRYPTO, ID_CURRENCY | ID_WHOLE},
    {"Email", CORDON_ID_EMAIL, ID_WHOLE},
    {"Email Address", CORDON_ID_EMAIL, ID_WHOLE},
    {"Website", CORDON_ID_WEBSITE, ID_WHOLE},
    {"Phone", CORDON_ID_PHONE, ID_WHOLE},
    {"Phone Number", CORDON_ID_PHONE, ID_WHOLE},
    {"Phone No.", CORDON_ID_PHONE, ID_WHOLE},
    {"Telephone", CORDON_ID_PHONE, ID_WHOLE},
    {"Telephone No.", CORDON_ID_PHONE, ID_WHOLE},
    {"Telephone Number", CORDON_ID_PHONE, ID_WHOLE},
    {"Fax", CORDON_ID_PHONE, ID_WHOLE},
    {"Fax No.", CORDON_ID_PHONE, ID_WHOLE},
    {"Fax Number", CORDON_ID_PHONE, ID_WHOLE},
    {"Travel Document Number", CORDON_ID_OTHER, 0},
    {"Birth Certificate Number", CORDON_ID_OTHER, 0},
    {"Driver's License No.", CORDON_ID_OTHER, 0},
    {"Residency Number", CORDON_ID_OTHER, 0},
    {"Electoral Registry No.", CORDON_ID_OTHER, 0},
    {"Credencial electoral", CORDON_ID_OTHER, 0},
    {"I.F.E.", CORDON_ID_OTHER, 0},
    {"C.U.I.P.", CORDON_ID_OTHER, 0},
    {"Cartilla de Servicio Militar Nacional", CORDON_ID_OTHER, 0},
    {"Immigration No.", CORDON_ID_OTHER, 0},
    {"Pilot License Number", CORDON_ID_OTHER, 0},
    {"Seafarer's Identification Document", CORDON_ID_OTHER, 0},
    {"Stateless Person ID Card", CORDON_ID_OTHER, 0},
    {"Refugee ID Card", CORDON_ID_OTHER, 0},
    {"VisaNumberID", CORDON_ID_OTHER, 0},
    {"SRE Permit No.", CORDON_ID_OTHER, 0},
    {"Tourism License No.", CORDON_ID_OTHER, 0},
};

/* The rule with the longest label that starts v, or NULL; *len gets the label length. */
static const id_rule *find_id_rule(span v, size_t *len)
{
    const id_rule *best = NULL;
    *len = 0;
    for (size_t i = 0; i < ARRAY_LEN(id_rules); i++) {
        size_t k = sp_label(v, id_rules[i].label);
        if (k > *len) {
            *len = k;
            best = &id_rules[i];
        }
    }
    return best;
}

/* Length of the value at the start of rest: up to a parenthesised country or an
 * "issued ..." / "expires ..." tail. */
static size_t value_length(span rest)
{
    static const char *const ends[] = {" (",       ", issued", " issued",
                                       " expires", " expired", " valid"};
    size_t n = rest.n;
    for (size_t i = 0; i < ARRAY_LEN(ends); i++) {
        size_t at = sp_find(rest, ends[i]);
        if (at < n)
            n = at;
    }
    return n;
}

/* Reads "(Country)" groups at the start of tail; returns the first group naming a country
 * and sets *extra when anything else follows. */
static span country_groups(span tail, bool *extra)
{
    span country = sp(NULL, 0);
    while (tail.n && tail.p[0] == '(') {
        size_t close = sp_find(tail, ")");
        if (close == tail.n)
            break;
        span inner = sp_trim(sp(tail.p + 1, close - 1));
        if (!country.p && sp_country(inner))
            country = inner;
        else
            *extra = true;
        tail = sp_from(tail, close + 1);
    }
    if (tail.n && !sp_ieq(tail, "."))
        *extra = true;
    return country;
}

static piece_use take_identifier(eb *b, span v, bool last)
{
    size_t k;
    const id_rule *rule = find_id_rule(v, &k);
    if (!rule)
        return PIECE_OTHER;
    span label = sp(v.p, k), rest = label_value(v, k, last);
    cordon_id_type type = rule->type;
    if ((rule->flags & ID_BY_TYPE) && eb_type(b) != CORDON_TYPE_PERSON)
        type = CORDON_ID_REGISTRATION;
    size_t w;
    if ((rule->flags & ID_IMO) && (w = sp_label(rest, "IMO"))) {
        type = CORDON_ID_IMO;
        label = sp(v.p, (size_t)(rest.p + w - v.p));
        rest = sp_from(rest, w);
    }
    if (rule->flags & ID_CURRENCY) {
        size_t word = sp_find(rest, " ");
        label = sp(v.p, (size_t)(rest.p + word - v.p));
        rest = sp_from(rest, word);
    }
    bool extra = false;
    span value = rest, country = sp(NULL, 0);
    if (!(rule->flags & ID_WHOLE)) {
        value = sp_trim(sp(rest.p, value_length(rest)));
        country = country_groups(sp_from(rest, value_length(rest)), &extra);
    }
    if (!value.n)
        return PIECE_OTHER;
    eb_add_id(b, type, sp_dup(b, label), sp_dup(b, value), country.p ? sp_dup(b, country) : NULL);
    return extra ? PIECE_KEEP : PIECE_TAKEN;
}

/* ---- pieces ------------------------------------------------------------------------------- */

static span strip_alt(span s)
{
    size_t k = sp_label(s, "alt.");
    return k ? sp_from(s, k) : s;
}

static void parse_piece(eb *b, span piece, bool last)
{
    span t = sp_trim(piece);
    if (!t.n)
        return;
    span v = strip_alt(t);
    piece_use use = take_alias(b, v, last);
    if (use == PIECE_OTHER)
        use = take_person_fact(b, v, last);
    if (use == PIECE_OTHER)
        use = take_linked(b, v, last);
    if (use == PIECE_OTHER)
        use = take_identifier(b, v, last);
    if (use == PIECE_OTHER)
        take_regime(b, v);
    if (use != PIECE_TAKEN) {
        const char *text = sp_dup(b, t);
        if (text)
            eb_append_remarks(b, text);
    }
}

/* Where the search for the "; " that ends the piece starting at i may begin: past the
 * closing quote of an "a.k.a. '...'" piece, so a quoted name holding "; " stays whole. The
 * closing quote is one followed by ";", by a final ".", or by the end of the text. */
static size_t quoted_alias_end(const char *s, size_t n, size_t i)
{
    static const char *const openers[] = {"a.k.a. '", "f.k.a. '", "n.k.a. '"};
    while (i < n && s[i] == ' ')
        i++;
    bool alias = false;
    for (size_t k = 0; k < ARRAY_LEN(openers); k++)
        if (n - i >= 8 && strncasecmp(s + i, openers[k], 8) == 0)
            alias = true;
    if (!alias)
        return i;
    size_t open = i + 7;
    size_t lim = n - open > MAX_QUOTED_NAME ? open + MAX_QUOTED_NAME : n;
    for (size_t j = open + 1; j < lim; j++) {
        if (s[j] != '\'')
            continue;
        size_t left = n - j - 1;
        const char *r = s + j + 1;
        if (left == 0 || r[0] == ';' || (r[0] == '.' && (left == 1 || r[1] == ';')))
            return j + 1;
    }
    return i;
}

void ofac_remarks_parse(eb *b, const char *remarks)
{
    if (!remarks)
        return;
    size_t n = strlen(remarks);
    size_t i = 0;
    while (i < n) {
        size_t from = quoted_alias_end(remarks, n, i);
        const char *sep = memmem(remarks + from, n - from, "; ", 2);
        size_t end = sep ? (size_t)(sep - remarks) : n;
        parse_piece(b, sp(remarks + i, end - i), end == n);
        i = sep ? end + 2 : n;
    }
}
