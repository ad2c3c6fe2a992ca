/* norm.c - blocking keys: E.164 phones, e-mail and domain, IBAN, IMO, address and name keys,
 * diplomatic missions, embargoed countries, dates. */
#include "net.h"
#include "../lists/reader.h"
#include "../text/text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const net_key_names[NET_KEY_COUNT] = {"phone", "email", "email domain", "iban",
                                                  "imo", "address", "name"};

static const struct { const char *iso, *cc; } calling[] = {
    {"DE", "49"}, {"AT", "43"}, {"CH", "41"}, {"FR", "33"}, {"IT", "39"}, {"ES", "34"},
    {"NL", "31"}, {"BE", "32"}, {"GB", "44"}, {"IE", "353"}, {"PL", "48"}, {"CZ", "420"},
    {"SE", "46"}, {"NO", "47"}, {"DK", "45"}, {"FI", "358"}, {"US", "1"}, {"CA", "1"},
    {"CN", "86"}, {"HK", "852"}, {"MO", "853"}, {"TW", "886"}, {"JP", "81"}, {"KR", "82"},
    {"KP", "850"}, {"RU", "7"}, {"BY", "375"}, {"UA", "380"}, {"TR", "90"}, {"AE", "971"},
    {"IR", "98"}, {"SY", "963"}, {"IN", "91"}, {"PK", "92"}, {"SG", "65"}, {"MY", "60"},
    {"TH", "66"}, {"VN", "84"}, {"ID", "62"}, {"PH", "63"}, {"MN", "976"}, {"KZ", "7"},
    {"BR", "55"}, {"MX", "52"}, {"ZA", "27"}, {"EG", "20"}, {"IL", "972"}, {"SA", "966"},
    {"AU", "61"}, {"NZ", "64"}, {"HU", "36"}, {"RO", "40"}, {"BG", "359"}, {"GR", "30"},
    {"PT", "351"}, {"LU", "352"}, {"SK", "421"}, {"SI", "386"}, {"HR", "385"}, {"RS", "381"}};

static const char *calling_code(const char *iso2)
{
    if (!iso2)
        return NULL;
    for (size_t i = 0; i < ARRAY_LEN(calling); i++)
        if (strcmp(calling[i].iso, iso2) == 0)
            return calling[i].cc;
    return NULL;
}

uint32_t net_norm_phone(net_strings *s, const char *phone, const char *iso2)
{
    char d[40];
    size_t n = 0;
    bool plus = false;
    for (const char *p = phone; *p && n + 1 < sizeof d; p++) {
        if (plus && strncmp(p, "(0)", 3) == 0) { /* "+49 (0)30": the trunk 0 is not dialled */
            p += 2;
            continue;
        }
        if (*p == '+' && n == 0)
            plus = true;
        else if (isdigit((unsigned char)*p))
            d[n++] = *p;
        else if (*p == 'x' || *p == 'X')
            break; /* extension */
    }
    d[n] = 0;
    char out[48];
    if (plus)
        snprintf(out, sizeof out, "+%s", d);
    else if (n > 2 && d[0] == '0' && d[1] == '0')
        snprintf(out, sizeof out, "+%s", d + 2);
    else {
        const char *cc = calling_code(iso2);
        if (!cc)
            return 0; /* no way to tell the country */
        snprintf(out, sizeof out, "+%s%s", cc, d[0] == '0' ? d + 1 : d);
    }
    size_t len = strlen(out);
    if (len < 8 || len > 16)
        return 0;
    return ns_intern(s, out, len);
}

static const char *const freemail[] = {
    "gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
    "aol.com", "icloud.com", "mail.ru", "yandex.ru", "gmx.de", "gmx.net", "web.de", "t-online.de",
    "163.com", "126.com", "qq.com", "sina.com", "sohu.com", "naver.com", "hanmail.net",
    "protonmail.com", "proton.me", "mail.com", "yahoo.co.uk", "hotmail.de", "outlook.de"};

uint32_t net_norm_email(net_strings *s, const char *email, uint32_t *domain)
{
    char e[256];
    size_t n = 0;
    for (const char *p = email; *p && n + 1 < sizeof e; p++)
        if (!isspace((unsigned char)*p))
            e[n++] = (char)tolower((unsigned char)*p);
    e[n] = 0;
    char *at = strchr(e, '@');
    *domain = 0;
    if (!at || at == e || !strchr(at, '.') || strchr(at + 1, '@'))
        return 0;
    bool free_domain = false;
    for (size_t i = 0; i < ARRAY_LEN(freemail); i++)
        if (strcmp(at + 1, freemail[i]) == 0)
            free_domain = true;
    if (!free_domain)
        *domain = ns_intern(s, at + 1, strlen(at + 1));
    return ns_intern(s, e, n);
}

bool net_iban_valid(const char *iban)
{
    size_t n = strlen(iban);
    if (n < 15 || n > 34 || !isalpha((unsigned char)iban[0]) || !isalpha((unsigned char)iban[1]))
        return false;
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = iban[(k + 4) % n];
        if (isdigit((unsigned char)c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else if (isupper((unsigned char)c))
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
        else
            return false;
    }
    return rem == 1;
}

uint32_t net_norm_iban(net_strings *s, const char *iban)
{
    char o[64];
    size_t n = 0;
    for (const char *p = iban; *p && n + 1 < sizeof o; p++)
        if (isalnum((unsigned char)*p))
            o[n++] = (char)toupper((unsigned char)*p);
    o[n] = 0;
    if (n < 8)
        return 0;
    return ns_intern(s, o, n); /* an invalid account number is still a shared value */
}

bool net_imo_valid(const char *d)
{
    if (strlen(d) != 7)
        return false;
    int sum = 0;
    for (int i = 0; i < 6; i++) {
        if (!isdigit((unsigned char)d[i]))
            return false;
        sum += (d[i] - '0') * (7 - i);
    }
    return isdigit((unsigned char)d[6]) && sum % 10 == d[6] - '0';
}

uint32_t net_norm_imo(net_strings *s, const char *imo)
{
    char d[16];
    size_t n = 0;
    for (const char *p = imo; *p && n + 1 < sizeof d; p++)
        if (isdigit((unsigned char)*p))
            d[n++] = *p;
    d[n] = 0;
    return net_imo_valid(d) ? ns_intern(s, d, n) : 0;
}

/* Folds address words: "Str." "straße" -> "strasse", "St" -> "street", numbers kept. */
static const struct { const char *from, *to; } addr_fold[] = {
    {"str", "strasse"},  {"st", "street"},     {"rd", "road"},     {"ave", "avenue"},
    {"av", "avenue"},    {"blvd", "boulevard"}, {"bldg", "building"}, {"fl", "floor"},
    {"flr", "floor"},    {"rm", "room"},       {"ste", "suite"},   {"dist", "district"},
    {"pl", "platz"},     {"ul", "ulitsa"},     {"ln", "lane"},     {"dr", "drive"},
    {"hwy", "highway"},  {"sq", "square"},     {"twr", "tower"},   {"ind", "industrial"}};
static const char *const addr_drop[] = {"no", "nr", "number", "the", "of", "and", "c", "o",
                                        "po", "box", "unit"};

static size_t ascii_words(const char *in, char *out, size_t cap)
{
    /* ASCII lower case first: text_to_ascii splits camel case ("GmbH" -> "gmb h") */
    char low[1024];
    size_t ln = 0;
    for (; in[ln] && ln + 1 < sizeof low; ln++)
        low[ln] = (char)((unsigned char)in[ln] < 0x80 ? tolower((unsigned char)in[ln]) : in[ln]);
    while (ln > 0 && ((unsigned char)low[ln - 1] & 0xC0) == 0x80 && in[ln]) /* no cut in a char */
        ln--;
    if (ln > 0 && (unsigned char)low[ln - 1] >= 0xC0 && in[ln])
        ln--;
    low[ln] = 0;
    bool abjad = false;
    size_t n = text_to_ascii(low, ln, out, cap, &abjad);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)out[i]))
            out[i] = ' ';
    return n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Tokens of an address, folded, suffix "str"/"strasse" glued, sorted, joined. */
uint32_t net_norm_address(net_strings *s, const char *addr, const char *iso2)
{
    char a[1024];
    ascii_words(addr, a, sizeof a);
    const char *tok[64];
    char folded[64][48];
    size_t nt = 0;
    char *save = NULL;
    for (char *t = strtok_r(a, " ", &save); t && nt < 64; t = strtok_r(NULL, " ", &save)) {
        bool drop = false;
        for (size_t i = 0; i < ARRAY_LEN(addr_drop); i++)
            drop |= strcmp(t, addr_drop[i]) == 0;
        if (drop)
            continue;
        const char *w = t;
        for (size_t i = 0; i < ARRAY_LEN(addr_fold); i++)
            if (strcmp(t, addr_fold[i].from) == 0)
                w = addr_fold[i].to;
        size_t lw = strlen(w);
        if (strcmp(w, "strasse") == 0 && nt > 0) { /* "Glinka Strasse" -> "glinkastrasse" */
            size_t lp = strlen(folded[nt - 1]);
            snprintf(folded[nt - 1] + lp, sizeof folded[0] - lp, "strasse");
            continue;
        }
        if (lw > 3 && strcmp(w + lw - 3, "str") == 0)
            snprintf(folded[nt], sizeof folded[0], "%.*sstrasse", (int)(lw - 3), w);
        else
            snprintf(folded[nt], sizeof folded[0], "%s", w);
        tok[nt] = folded[nt];
        nt++;
    }
    if (nt < 2)
        return 0; /* a city alone is no address */
    for (size_t i = 0; i < nt; i++)
        tok[i] = folded[i];
    qsort(tok, nt, sizeof tok[0], cmp_str);
    char out[1200];
    size_t o = (size_t)snprintf(out, sizeof out, "%s|", iso2 ? iso2 : "");
    for (size_t i = 0; i < nt && o < sizeof out - 50; i++)
        o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", i ? " " : "", tok[i]);
    return ns_intern(s, out, o);
}

static const char *const legal_forms[] = {
    "co", "ltd", "limited", "gmbh", "llc", "inc", "corp", "corporation", "company", "sa", "ag",
    "bv", "plc", "pte", "sdn", "bhd", "jsc", "ooo", "zao", "oao", "kg", "llp", "srl", "spa",
    "the", "and", "of", "mbh", "ug", "oy", "ab", "as", "nv", "sarl", "sas", "pvt", "fze", "fzco",
    "lda", "kft", "sro", "doo", "ojsc", "pjsc", "cjsc", "incorporated", "holding", "holdings"};

/* The name's words without legal forms, in order, written together, with the country. */
uint32_t net_norm_name(net_strings *s, const char *name, const char *iso2)
{
    char a[1024];
    ascii_words(name, a, sizeof a);
    char out[1100];
    size_t o = (size_t)snprintf(out, sizeof out, "%s|", iso2 ? iso2 : "");
    size_t base = o;
    char *save = NULL;
    for (char *t = strtok_r(a, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
        bool drop = false;
        for (size_t i = 0; i < ARRAY_LEN(legal_forms); i++)
            drop |= strcmp(t, legal_forms[i]) == 0;
        if (!drop && o + strlen(t) + 1 < sizeof out)
            o += (size_t)snprintf(out + o, sizeof out - o, "%s", t);
    }
    if (o == base)
        return 0;
    return ns_intern(s, out, o);
}

static const char *const mission_words[] = {
    "embassy", "botschaft", "ambassade", "embajada", "ambasciata", "consulate", "konsulat",
    "consulat", "permanent mission", "diplomatic mission", "trade mission", "trade office",
    "trade representation", "handelsvertretung", "legation", "high commission",
    "\xeb\x8c\x80\xec\x82\xac\xea\xb4\x80" /* 대사관 */, "daesagwan", "taesagwan"};

static const struct { const char *word, *iso; } mission_states[] = {
    {"dprk", "KP"}, {"north korea", "KP"}, {"democratic people", "KP"},
    {"demokratischen volksrepublik korea", "KP"}, {"volksrepublik korea", "KP"},
    {"\xec\xa1\xb0\xec\x84\xa0", "KP"} /* 조선 */, {"choson", "KP"}, {"chosun", "KP"},
    {"iran", "IR"}, {"islamic republic", "IR"}, {"syria", "SY"}, {"syrian arab", "SY"},
    {"russian federation", "RU"}, {"belarus", "BY"}, {"myanmar", "MM"}, {"cuba", "CU"},
    {"venezuela", "VE"}, {"germany", "DE"}, {"france", "FR"}, {"china", "CN"}};

bool net_is_mission(const char *name, const char **state)
{
    *state = NULL;
    bool m = false;
    for (size_t i = 0; i < ARRAY_LEN(mission_words) && !m; i++)
        m = str_icontains(name, mission_words[i]) != NULL;
    if (!m)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(mission_states); i++)
        if (str_icontains(name, mission_states[i].word)) {
            *state = mission_states[i].iso;
            break;
        }
    return true;
}

bool net_embargoed(const char *iso2)
{
    static const char *const emb[] = {"KP", "IR", "SY"};
    if (!iso2)
        return false;
    for (size_t i = 0; i < ARRAY_LEN(emb); i++)
        if (strcmp(iso2, emb[i]) == 0)
            return true;
    return false;
}

int32_t net_days(const char *date)
{
    int y, m, d;
    char tail;
    if (!date || sscanf(date, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || m < 1 || m > 12 ||
        d < 1 || d > 31 || y < 1900 || y > 2200)
        return INT32_MIN;
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}
