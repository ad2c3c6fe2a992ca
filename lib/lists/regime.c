/* regime.c - programme codes and texts as each source writes them, to one regime name, so a
 * user can ask for "DPRK" whatever list a record came from. */
#include "reader.h"

#include <ctype.h>

typedef struct {
    const char *pattern; /* matched case-insensitively: exact code, or "*text*" substring */
    const char *regime;
} regime_rule;

/* Exact programme codes (OFAC, UN list types, EU and UK regime codes) first, then words. */
static const regime_rule rules[] = {
    {"DPRK", "DPRK"},          {"DPRK2", "DPRK"},        {"DPRK3", "DPRK"},
    {"DPRK4", "DPRK"},         {"DPRK-NKSPEA", "DPRK"},  {"NKSR", "DPRK"},
    {"PRK", "DPRK"},           {"KP", "DPRK"},           {"KPi", "DPRK"},
    {"KPe", "DPRK"},           {"IRAN", "IRAN"},         {"IRAN-HR", "IRAN"},
    {"IRAN-TRA", "IRAN"},      {"IRAN-EO13846", "IRAN"}, {"IRAN-EO13871", "IRAN"},
    {"IRAN-EO13876", "IRAN"},  {"IRAN-EO13902", "IRAN"}, {"IFSR", "IRAN"},
    {"IRGC", "IRAN"},          {"ISA", "IRAN"},          {"IRN", "IRAN"},
    {"IR", "IRAN"},            {"SYRIA", "SYRIA"},       {"SYRIA-EO13894", "SYRIA"},
    {"SYR", "SYRIA"},          {"CAESAR", "SYRIA"},      {"UKRAINE-EO13660", "RUSSIA"},
    {"UKRAINE-EO13661", "RUSSIA"}, {"UKRAINE-EO13662", "RUSSIA"},
    {"UKRAINE-EO13685", "RUSSIA"}, {"RUSSIA-EO14024", "RUSSIA"}, {"RUS", "RUSSIA"},
    {"CAATSA - RUSSIA", "RUSSIA"}, {"CYBER2", "CYBER"},   {"CYBER", "CYBER"},
    {"NPWMD", "NONPROLIFERATION"}, {"INKSNA", "NONPROLIFERATION"},
    {"ISN", "NONPROLIFERATION"},   {"SDGT", "TERRORISM"}, {"SDT", "TERRORISM"},
    {"FTO", "TERRORISM"},      {"Al-Qaida", "TERRORISM"}, {"ISIL", "TERRORISM"},
    {"Taliban", "AFGHANISTAN"}, {"TAL", "AFGHANISTAN"},   {"CUBA", "CUBA"},
    {"VENEZUELA", "VENEZUELA"}, {"VENEZUELA-EO13850", "VENEZUELA"},
    {"VEN", "VENEZUELA"},      {"BELARUS", "BELARUS"},   {"BLR", "BELARUS"},
    {"IRAQ", "IRAQ"},          {"IRAQ2", "IRAQ"},        {"IRAQ3", "IRAQ"},
    {"IRQ", "IRAQ"},           {"LIBYA", "LIBYA"},       {"LIBYA2", "LIBYA"},
    {"LIBYA3", "LIBYA"},       {"LBY", "LIBYA"},         {"SOMALIA", "SOMALIA"},
    {"SOM", "SOMALIA"},        {"SUDAN", "SUDAN"},       {"SOUTH SUDAN", "SOUTH SUDAN"},
    {"DARFUR", "SUDAN"},         {"SSD", "SOUTH SUDAN"},
    {"DRC", "DRC"},            {"COD", "DRC"},           {"CAR", "CAR"},
    {"CAF", "CAR"},            {"YEMEN", "YEMEN"},       {"YEM", "YEMEN"},
    {"MALI", "MALI"},          {"MLI", "MALI"},          {"BURMA", "MYANMAR"},
    {"BURMA-EO14014", "MYANMAR"}, {"MMR", "MYANMAR"},    {"ZIMBABWE", "ZIMBABWE"},
    {"ZWE", "ZIMBABWE"},       {"LEBANON", "LEBANON"},   {"HAITI", "HAITI"},
    {"NICARAGUA", "NICARAGUA"}, {"SDNTK", "NARCOTICS"},  {"SDNT", "NARCOTICS"},
    {"ILLICIT-DRUGS-EO14059", "NARCOTICS"}, {"TCO", "ORGANIZED CRIME"},
    {"GLOMAG", "HUMAN RIGHTS"}, {"UKR", "RUSSIA"}, {"TERR", "TERRORISM"},
    {"DPL", "EXPORT CONTROL"}, {"EL", "EXPORT CONTROL"}, {"MEU", "EXPORT CONTROL"},
    {"UVL", "EXPORT CONTROL"}, {"HK-EO13936", "HONG KONG"},
    {"*north korea*", "DPRK"}, {"*democratic people's republic of korea*", "DPRK"},
    {"*dprk*", "DPRK"},        {"*iran*", "IRAN"},       {"*syria*", "SYRIA"},
    {"*russia*", "RUSSIA"},    {"*ukraine*", "RUSSIA"},  {"*belarus*", "BELARUS"},
    {"*nonprolifer*", "NONPROLIFERATION"}, {"*weapons of mass destruction*", "NONPROLIFERATION"},
    {"*terroris*", "TERRORISM"}, {"*al-qaida*", "TERRORISM"}, {"*isil*", "TERRORISM"},
    {"*venezuela*", "VENEZUELA"}, {"*cuba*", "CUBA"}, {"*libya*", "LIBYA"},
    {"*iraq*", "IRAQ"},        {"*yemen*", "YEMEN"},     {"*somalia*", "SOMALIA"},
    {"*sudan*", "SUDAN"},      {"*congo*", "DRC"},       {"*myanmar*", "MYANMAR"},
    {"*burma*", "MYANMAR"},    {"*narcotic*", "NARCOTICS"}, {"*entity list*", "EXPORT CONTROL"},
    {"*denied persons*", "EXPORT CONTROL"}, {"*unverified list*", "EXPORT CONTROL"},
    {"*military end user*", "EXPORT CONTROL"}, {"*debarred*", "EXPORT CONTROL"},
};

const char *regime_of_program(const char *program)
{
    if (str_is_blank(program))
        return NULL;
    char p[256];
    snprintf(p, sizeof p, "%s", program);
    str_squeeze(p);
    /* OFAC writes "[DPRK]" and "DPRK3] [NPWMD"; strip brackets for the exact match. */
    char code[256];
    size_t n = 0;
    for (const char *s = p; *s && n < sizeof code - 1; s++)
        if (*s != '[' && *s != ']')
            code[n++] = *s;
    code[n] = 0;
    str_squeeze(code);
    for (size_t i = 0; i < ARRAY_LEN(rules); i++) {
        const char *pat = rules[i].pattern;
        if (pat[0] != '*' && strcasecmp(pat, code) == 0)
            return rules[i].regime;
    }
    for (size_t i = 0; i < ARRAY_LEN(rules); i++) {
        const char *pat = rules[i].pattern;
        if (pat[0] != '*')
            continue;
        char needle[128];
        size_t l = strlen(pat) - 2;
        memcpy(needle, pat + 1, l);
        needle[l] = 0;
        if (str_icontains(p, needle))
            return rules[i].regime;
    }
    return NULL;
}
