/* country.c - country names and codes to ISO 3166 alpha-2. The bulk comes from ICU's locale
 * data (every region's English name, alpha-2 and alpha-3 codes); the table below adds the
 * spellings that sanctions lists use and ICU does not ("Korea, North", "Iran (Islamic Republic
 * of)", "Democratic People's Republic of Korea"...). */
#include "reader.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>

#include <unicode/uloc.h>

typedef struct {
    char key[64];
    char code[3];
    uint8_t hand_written; /* wins over ICU's name on a key clash */
} country_entry;

static country_entry *table;
static size_t table_len;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

/* The comparison key: ASCII letters lower-cased, everything else dropped, "the" dropped, so
 * "Korea (Democratic People's Republic of)" and "Korea, Democratic People's Republic of" agree. */
static void country_key(const char *s, char out[64])
{
    size_t n = 0;
    for (const char *p = s; *p && n < 60; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '&') { /* "Trinidad & Tobago" = "Trinidad and Tobago" */
            memcpy(out + n, "and", 3);
            n += 3;
        } else if (isalpha(c) && c < 0x80) {
            out[n++] = (char)tolower(c);
        }
    }
    out[n] = 0;
    if (strncmp(out, "the", 3) == 0 && n > 6)
        memmove(out, out + 3, n - 2);
}

static const char *const extra_names[][2] = {
    {"Korea, North", "KP"},
    {"North Korea", "KP"},
    {"DPRK", "KP"},
    {"Democratic People's Republic of Korea", "KP"},
    {"Korea, Democratic People's Republic of", "KP"},
    {"Korea (Democratic People's Republic of)", "KP"},
    {"Korea, Democratic People's Rep.", "KP"},
    {"Korea DPR", "KP"},
    {"Korea, South", "KR"},
    {"Republic of Korea", "KR"},
    {"Korea, Republic of", "KR"},
    {"Korea", "KR"},
    {"Iran (Islamic Republic of)", "IR"},
    {"Islamic Republic of Iran", "IR"},
    {"Iran, Islamic Republic of", "IR"},
    {"Syrian Arab Republic", "SY"},
    {"Russian Federation", "RU"},
    {"USSR", "RU"},
    {"Soviet Union", "RU"},
    {"Burma", "MM"},
    {"Lao People's Democratic Republic", "LA"},
    {"Viet Nam", "VN"},
    {"Congo, Democratic Republic of the", "CD"},
    {"Democratic Republic of the Congo", "CD"},
    {"Congo (Democratic Republic of)", "CD"},
    {"Congo, Dem. Rep.", "CD"},
    {"DRC", "CD"},
    {"Zaire", "CD"},
    {"Republic of the Congo", "CG"},
    {"Congo, Republic of the", "CG"},
    {"Congo", "CG"},
    {"Cote d'Ivoire", "CI"},
    {"Ivory Coast", "CI"},
    {"Tanzania, United Republic of", "TZ"},
    {"United Republic of Tanzania", "TZ"},
    {"Bolivia (Plurinational State of)", "BO"},
    {"Venezuela (Bolivarian Republic of)", "VE"},
    {"Venezuela, Bolivarian Republic of", "VE"},
    {"Moldova, Republic of", "MD"},
    {"Republic of Moldova", "MD"},
    {"Macedonia", "MK"},
    {"The former Yugoslav Republic of Macedonia", "MK"},
    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
    {"United Kingdom", "GB"},
    {"Great Britain", "GB"},
    {"England", "GB"},
    {"UK", "GB"},
    {"United States of America", "US"},
    {"United States", "US"},
    {"USA", "US"},
    {"U.S.A.", "US"},
    {"Palestinian", "PS"},
    {"Palestine", "PS"},
    {"State of Palestine", "PS"},
    {"Occupied Palestinian Territory", "PS"},
    {"West Bank", "PS"},
    {"Gaza", "PS"},
    {"Gaza Strip", "PS"},
    {"Micronesia, Federated States of", "FM"},
    {"Turkey", "TR"},
    {"Turkiye", "TR"},
    {"Czech Republic", "CZ"},
    {"Swaziland", "SZ"},
    {"Cape Verde", "CV"},
    {"Brunei Darussalam", "BN"},
    {"Libyan Arab Jamahiriya", "LY"},
    {"Region: Crimea", "UA"},
    {"Crimea", "UA"},
    {"Kosovo", "XK"},
    {"Taiwan", "TW"},
    {"Hong Kong", "HK"},
    {"Macau", "MO"},
    {"Macao", "MO"},
    {"China, People's Republic of", "CN"},
    {"People's Republic of China", "CN"},
    {"Netherlands Antilles", "CW"},
    {"Curacao", "CW"},
    {"Sint Maarten", "SX"},
    {"Saint Kitts and Nevis", "KN"},
    {"St. Kitts and Nevis", "KN"},
    {"Saint Vincent and the Grenadines", "VC"},
    {"St. Vincent and the Grenadines", "VC"},
    {"Saint Lucia", "LC"},
    {"Bosnia-Herzegovina", "BA"},
    {"Bosnia and Herzegovina", "BA"},
    {"Serbia and Montenegro", "RS"},
    {"Yugoslavia", "RS"},
    {"Timor-Leste", "TL"},
    {"East Timor", "TL"},
    {"Holy See", "VA"},
    {"Vatican City", "VA"},
    {"Falkland Islands (Malvinas)", "FK"},
    {"Myanmar (Burma)", "MM"},
    {"Korea, Republic Of", "KR"},
    {"Gambia, The", "GM"},
    {"Bahamas, The", "BS"},
    {"Emirates", "AE"},
    {"UAE", "AE"},
    {"Sudan, South", "SS"},
    {"Eswatini", "SZ"},
    {"Kyrgyz Republic", "KG"},
    {"Slovak Republic", "SK"},
    {"Iraqi", "IQ"},
    {"Afghan", "AF"},
    {"Syrian", "SY"},
    {"Iranian", "IR"},
    {"Russian", "RU"},
    {"Korean", "KP"},
    {"North Korean", "KP"},
    {"Chinese", "CN"},
    {"Lebanese", "LB"},
    {"Yemeni", "YE"},
    {"Libyan", "LY"},
    {"Pakistani", "PK"},
    {"Saudi", "SA"},
    {"Saudi Arabian", "SA"},
    {"Egyptian", "EG"},
    {"Somali", "SO"},
    {"Sudanese", "SD"},
    {"Kuwaiti", "KW"},
    {"Jordanian", "JO"},
    {"Turkish", "TR"},
    {"Ukrainian", "UA"},
    {"Belarusian", "BY"},
    {"Venezuelan", "VE"},
    {"Cuban", "CU"},
    {"Colombian", "CO"},
    {"Mexican", "MX"},
    {"British", "GB"},
    {"American", "US"},
    {"German", "DE"},
    {"French", "FR"},
    {"Indonesian", "ID"},
    {"Malaysian", "MY"},
    {"Filipino", "PH"},
    {"Tunisian", "TN"},
    {"Algerian", "DZ"},
    {"Moroccan", "MA"},
    {"Bahraini", "BH"},
    {"Qatari", "QA"},
    {"Emirati", "AE"},
    {"Omani", "OM"},
    {"Nigerian", "NG"},
    {"Malian", "ML"},
    {"Mauritanian", "MR"},
    {"Burundian", "BI"},
    {"Rwandan", "RW"},
    {"Ugandan", "UG"},
    {"Kenyan", "KE"},
    {"Ethiopian", "ET"},
    {"Eritrean", "ER"},
    {"Congolese", "CD"},
    {"Central African", "CF"},
    {"South Sudanese", "SS"},
    {"Bangladeshi", "BD"},
    {"Indian", "IN"},
    {"Uzbek", "UZ"},
    {"Tajik", "TJ"},
    {"Kazakh", "KZ"},
    {"Azerbaijani", "AZ"},
    {"Georgian", "GE"},
    {"Armenian", "AM"},
    {"Italian", "IT"},
    {"Spanish", "ES"},
    {"Belgian", "BE"},
    {"Dutch", "NL"},
    {"Swiss", "CH"},
    {"Swedish", "SE"},
    {"Danish", "DK"},
    {"Norwegian", "NO"},
    {"Australian", "AU"},
    {"Canadian", "CA"},
    {"Trinidadian", "TT"},
    {"Bosnian", "BA"},
    {"Serbian", "RS"},
    {"Albanian", "AL"},
    {"Macedonian", "MK"},
    {"Greek", "GR"},
    {"Cypriot", "CY"},
    {"Israeli", "IL"},
    {"Singaporean", "SG"},
    {"Thai", "TH"},
    {"Vietnamese", "VN"},
    {"Cambodian", "KH"},
    {"Burmese", "MM"},
    {"Japanese", "JP"},
    {"Mongolian", "MN"},
    {"Nicaraguan", "NI"},
    {"Panamanian", "PA"},
    {"Peruvian", "PE"},
    {"Bolivian", "BO"},
    {"Ecuadorian", "EC"},
    {"Brazilian", "BR"},
    {"Argentine", "AR"},
    {"Chilean", "CL"},
    {"Zimbabwean", "ZW"},
    {"South African", "ZA"},
    {"Senegalese", "SN"},
    {"Guinean", "GN"},
    {"Sierra Leonean", "SL"},
    {"Liberian", "LR"},
    {"Ivorian", "CI"},
    {"Chadian", "TD"},
    {"Nigerien", "NE"},
    {"Djiboutian", "DJ"},
    {"Maldivian", "MV"},
    {"Sri Lankan", "LK"},
    {"Nepalese", "NP"},
    {"Palestinian Territories", "PS"},
    {"Myanmar", "MM"},
    {"Trinidad and Tobago", "TT"},
    {"Antigua and Barbuda", "AG"},
    {"Türkiye", "TR"},
    {"Turkiye", "TR"},
    {"China, Hong Kong Special Administrative Region", "HK"},
    {"Hong Kong SAR", "HK"},
    {"China, Macao Special Administrative Region", "MO"},
    {"Virgin Islands, British", "VG"},
    {"British Virgin Islands", "VG"},
    {"Virgin Islands, U.S.", "VI"},
    {"Cabo Verde", "CV"},
    {"Macedonia, The Former Yugoslav Republic of", "MK"},
    {"North Macedonia", "MK"},
    {"Man, Isle of", "IM"},
    {"Isle of Man", "IM"},
    {"Region: Gaza", "PS"},
    {"PRC", "CN"},
    {"Korea, Democratic People's Republic", "KP"},
    {"Iran, Islamic Republic", "IR"},
    {"Syria", "SY"},
    {"Russia", "RU"},
    {"Vietnam", "VN"},
    {"Laos", "LA"},
    {"Bolivia", "BO"},
    {"Venezuela", "VE"},
    {"Tanzania", "TZ"},
    {"Moldova", "MD"},
};

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const country_entry *)a)->key, ((const country_entry *)b)->key);
}

static void add_entry(vec *v, const char *name, const char *code)
{
    country_entry *e = vec_push(v);
    if (!e)
        return;
    country_key(name, e->key);
    memcpy(e->code, code, 2);
    e->code[2] = 0;
}

static void build_table(void)
{
    vec v;
    vec_init(&v, sizeof(country_entry));
    for (size_t i = 0; i < ARRAY_LEN(extra_names); i++)
        add_entry(&v, extra_names[i][0], extra_names[i][1]);
    for (const char *const *c = uloc_getISOCountries(); *c; c++) {
        char loc[16], name[128];
        snprintf(loc, sizeof loc, "en_%s", *c);
        UChar uname[128];
        UErrorCode st = U_ZERO_ERROR;
        int32_t n = uloc_getDisplayCountry(loc, "en", uname, 128, &st);
        if (U_SUCCESS(st) && n > 0) {
            /* ASCII projection is enough for the key, which drops non-letters anyway. */
            int32_t j = 0;
            for (int32_t i = 0; i < n && j < 127; i++)
                name[j++] = uname[i] < 0x80 ? (char)uname[i] : '?';
            name[j] = 0;
            add_entry(&v, name, *c);
        }
        const char *iso3 = uloc_getISO3Country(loc);
        if (iso3 && *iso3)
            add_entry(&v, iso3, *c);
    }
    country_entry *e = v.data;
    for (size_t i = 0; i < v.len; i++)
        e[i].hand_written = i < ARRAY_LEN(extra_names);
    qsort(e, v.len, sizeof *e, entry_cmp);
    size_t w = 0;
    for (size_t i = 0; i < v.len; i++) {
        if (w && strcmp(e[w - 1].key, e[i].key) == 0) {
            if (e[i].hand_written && !e[w - 1].hand_written)
                e[w - 1] = e[i];
            continue;
        }
        e[w++] = e[i];
    }
    table = e;
    table_len = w;
}

/* Two-letter codes answered from a table (every order line and query carries one): ICU's
 * static strings by letter pair, filled once. */
static const char *by_letters[26 * 26];
static pthread_once_t letters_once = PTHREAD_ONCE_INIT;

static void fill_letters(void)
{
    for (const char *const *c = uloc_getISOCountries(); *c; c++)
        if (isupper((unsigned char)(*c)[0]) && isupper((unsigned char)(*c)[1]) && !(*c)[2])
            by_letters[((*c)[0] - 'A') * 26 + ((*c)[1] - 'A')] = *c;
    by_letters[('X' - 'A') * 26 + ('K' - 'A')] = "XK";
}

/* The ISO code in static storage, or NULL if two is not an assigned code. */
static const char *canonical_code(const char *two)
{
    int a = toupper((unsigned char)two[0]), b = toupper((unsigned char)two[1]);
    if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z' || two[2])
        return NULL;
    pthread_once(&letters_once, fill_letters);
    return by_letters[(a - 'A') * 26 + (b - 'A')];
}

const char *country_code(const char *text)
{
    if (str_is_blank(text))
        return NULL;
    pthread_once(&table_once, build_table);
    char trimmed[128];
    str_copy(trimmed, sizeof trimmed, text);
    size_t n = str_squeeze(trimmed);
    if (n == 2 && isalpha((unsigned char)trimmed[0]) && isalpha((unsigned char)trimmed[1])) {
        if (strcasecmp(trimmed, "UK") == 0)
            return "GB";
        const char *c = canonical_code(trimmed);
        if (c)
            return c;
    }
    country_entry key;
    country_key(trimmed, key.key);
    if (!key.key[0] || !table)
        return NULL;
    const country_entry *hit = bsearch(&key, table, table_len, sizeof key, entry_cmp);
    return hit ? canonical_code(hit->code) : NULL;
}

const char *country_name(const char *iso2)
{
    static __thread char name[128];
    if (!iso2 || strlen(iso2) != 2)
        return NULL;
    char loc[16];
    snprintf(loc, sizeof loc, "en_%s", iso2);
    UChar uname[128];
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = uloc_getDisplayCountry(loc, "en", uname, 128, &st);
    if (U_FAILURE(st) || n <= 0)
        return NULL;
    int32_t j = 0;
    for (int32_t i = 0; i < n && j < 127; i++)
        name[j++] = uname[i] < 0x80 ? (char)uname[i] : '?';
    name[j] = 0;
    return name;
}
