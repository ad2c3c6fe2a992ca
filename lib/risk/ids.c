/* ids.c - identifier checks the transaction rules rely on: IBAN (ISO 13616, mod 97) and the
 * IMO ship number (7 digits, the last a weighted check digit). */
#include "risk.h"

#include <ctype.h>

/* IBAN lengths from the SWIFT IBAN registry, for the countries that issue IBANs. */
static const struct {
    char cc[3];
    unsigned char len;
} iban_lengths[] = {
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
    {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"RU", 33},
    {"SA", 24}, {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25},
    {"SV", 28}, {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24},
    {"XK", 20},
};

static int iban_length_of(const char *cc)
{
    for (size_t i = 0; i < ARRAY_LEN(iban_lengths); i++)
        if (cc[0] == iban_lengths[i].cc[0] && cc[1] == iban_lengths[i].cc[1])
            return iban_lengths[i].len;
    return 0;
}

int cordon_iban_valid(const char *iban)
{
    if (!iban)
        return 0;
    char s[40];
    size_t n = 0;
    for (const char *p = iban; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!isalnum((unsigned char)*p) || n >= sizeof s - 1)
            return 0;
        s[n++] = (char)toupper((unsigned char)*p);
    }
    s[n] = 0;
    if (n < 15 || !isalpha((unsigned char)s[0]) || !isalpha((unsigned char)s[1]) ||
        !isdigit((unsigned char)s[2]) || !isdigit((unsigned char)s[3]))
        return 0;
    int want = iban_length_of(s);
    if (want == 0 || (size_t)want != n)
        return 0;
    /* Move the first four characters to the end, letters become 10..35, remainder mod 97. */
    unsigned rem = 0;
    for (size_t k = 0; k < n; k++) {
        char c = s[(k + 4) % n];
        if (isdigit((unsigned char)c))
            rem = (rem * 10 + (unsigned)(c - '0')) % 97;
        else
            rem = (rem * 100 + (unsigned)(c - 'A' + 10)) % 97;
    }
    return rem == 1;
}

int cordon_imo_valid(const char *imo)
{
    if (!imo)
        return 0;
    const char *p = imo;
    while (*p == ' ')
        p++;
    if (str_istarts(p, "imo"))
        p += 3;
    while (*p == ' ' || *p == ':' || *p == '-')
        p++;
    int d[7];
    for (int i = 0; i < 7; i++) {
        if (!isdigit((unsigned char)p[i]))
            return 0;
        d[i] = p[i] - '0';
    }
    for (const char *q = p + 7; *q; q++)
        if (*q != ' ')
            return 0;
    int sum = 0;
    for (int i = 0; i < 6; i++)
        sum += d[i] * (7 - i);
    return sum % 10 == d[6] && d[0] != 0;
}
