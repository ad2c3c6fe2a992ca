/* text.h - name normalisation: any script to lower-case ASCII tokens, with the keys that
 * survive romanisation variants (fold), vowel-less scripts (skeleton) and typos (trigrams). */
#ifndef CORDON_TEXT_H
#define CORDON_TEXT_H

#include "../util/util.h"

#include <stdio.h>

#define TEXT_MAX_TOKENS 32
#define TEXT_MAX_TOKEN 48

typedef enum token_class {
    TOK_WORD = 0,
    TOK_NUMBER = 1,  /* digits: compared exactly, never dropped */
    TOK_INITIAL = 2, /* one letter */
    TOK_GENERIC = 3  /* legal form or generic word: weighs little */
} token_class;

typedef struct text_token {
    char text[TEXT_MAX_TOKEN]; /* canonical form (after the variant table) */
    char orig[TEXT_MAX_TOKEN]; /* the ASCII form before the variant table */
    char fold[TEXT_MAX_TOKEN]; /* romanisation-variant fold */
    uint8_t cls;
    uint8_t abjad; /* came from a script written without short vowels: 1 Arabic, 2 Hebrew */
    uint8_t han;   /* came from Han characters: the Korean variant table does not apply */
    uint8_t sector; /* a generic word naming a line of business (data/dict/sector_words.txt) */
    uint8_t len;
    /* An Arabic-script word read the Persian way where that differs (ض ذ ظ z, ث s, ق gh:
     * رضا "rda" has "rza", Reza), else empty. */
    char alt[TEXT_MAX_TOKEN];
} text_token;

typedef struct text_name {
    text_token tok[TEXT_MAX_TOKENS];
    size_t n;
    char ascii[512]; /* the whole name as transliterated ASCII, for display and OFAC scoring */
} text_name;

/* Word lists (variants, generic words) used by normalisation. A NULL dict is allowed. */
typedef struct text_dict text_dict;

text_dict *text_dict_load(const char *dir, cordon_error *err);
/* Rebuilds a dict from its serialised form (as stored in the snapshot). */
text_dict *text_dict_from_blob(const char *blob, size_t n, cordon_error *err);
/* The serialised form: "v\tvariant\tcanonical\n", "g\tword\n", "p\tphrase\tcanonical\n",
 * "s\tsector word\n", "h\than\thangul\n", "n\tnickname\tname\n" and "r\t<romanise.tsv line>\n" lines. */
const char *text_dict_blob(const text_dict *d, size_t *n);
void text_dict_free(text_dict *d);
const char *text_dict_canonical(const text_dict *d, const char *token); /* NULL if none */
/* Whether the word is in the word lists at all (a canonical form, a variant, a generic word
 * or a phrase's first word). */
bool text_dict_knows(const text_dict *d, const char *word);
bool text_dict_is_generic(const text_dict *d, const char *token);
/* A generic word that names a line of business: Bank, Shipping, Trading. */
bool text_dict_is_sector(const text_dict *d, const char *token);
/* A word that begins solid Hangul company names and is split off them (조선련봉총회사:
 * joson ryonpong chonghoesa), from data/dict/hangul_heads.txt. */
bool text_dict_is_hangul_head(const text_dict *d, const char *token);
/* The Korean reading (one Hangul syllable) of one Han character, or of one Korean syllable
 * written in lower-case Cyrillic, given as UTF-8; NULL if none. */
const char *text_dict_reading(const text_dict *d, const char *han);
enum { TEXT_CYRILLIC_SYLLABLE = 6 }; /* letters in the longest Cyrillic syllable ("чжонль") */
/* The canonical word of the longest phrase that words[0..n-1] begin with ("gesellschaft mit
 * beschrankter haftung" -> "gmbh"), with *used set to its word count; NULL if none. Phrases
 * of Han company names (贸易 "mao yi" -> trading) count only with han_company. */
const char *text_dict_phrase(const text_dict *d, const char *const *words, const uint8_t *lens,
                             int n, bool han_company, int *used);
/* One entry of the romanisation table for scripts ICU cannot read (data/dict/romanise.tsv;
 * the kinds are described there). */
typedef struct text_rom {
    char key[16];   /* the character(s), UTF-8 */
    uint32_t cp;    /* the first character */
    char kind;      /* C V P M R I F S G J K H D X W */
    uint8_t series; /* C: the consonant's series (1/2); S: the series it gives */
    uint8_t silent; /* C: silent before another consonant (Lao ຫ) */
    uint8_t carrier; /* C: after a consonant and before its final, the vowel (Lao ອ o) */
    uint8_t indic;   /* C: never the final of the syllable before (Sinhala: finals take ්) */
    char f[3][8];   /* the readings */
} text_rom;
/* The table entry of one character (not M entries); NULL if none. */
const text_rom *text_dict_rom(const text_dict *d, uint32_t cp);
/* The M and R entries (vowels around a consonant, consonants a sign reads otherwise), and
 * their count. */
const text_rom *text_dict_rom_multi(const text_dict *d, size_t *n);
/* The nickname a given name is a hypocoristic of ("bill" -> "william"), canonical; NULL if
 * none (data/dict/nicknames.tsv). */
const char *text_dict_nickname(const text_dict *d, const char *token);
/* The fold of the second name a nickname stands for ("ted": Edward first, then Theodore), a
 * string that lives as long as the dict; NULL if none. */
const char *text_dict_nickname_fold2(const text_dict *d, const char *token);
/* Romanises the characters of s that the table reads (Khmer, Lao, Sinhala) syllable by
 * syllable; other
 * characters are copied. Returns the length written (< cap), or 0 if s has none of them. */
size_t text_romanise(const text_dict *d, const char *s, size_t n, char *out, size_t cap);
/* Reads the full stops text_to_ascii_dots kept, in place: single letters written with dots
 * join ("l.p." and "l. p." -> "lp", "j.r.r. tolkien" -> "jrr tolkien"), and so do runs of
 * undotted single letters ("a b c" -> "abc"), but a letter never joins a dotted abbreviation
 * it is not part of ("fund v l.p." -> "fund v lp"). With join false only the dots go. Leaves
 * words separated by single spaces. */
void text_join_initials(char *ascii, bool join);

/* Scripts seen by text_to_ascii. */
#define TEXT_ABJAD 1u /* Arabic or Hebrew letters: written without short vowels */
#define TEXT_HAN 2u   /* Han characters: read in Mandarin by ICU, not in Korean */
#define TEXT_HANGUL 4u /* Hangul: one-letter syllables (이 "i", 우 "u") are words, not initials */
#define TEXT_HEBREW 8u /* Hebrew letters (TEXT_ABJAD is set too): read with alternatives */
#define TOK_HEBREW 2   /* text_token.abjad of a word read from Hebrew */

/* Any UTF-8 name to ASCII lower case, words separated by single spaces. Hangul is romanised
 * syllable by syllable; other scripts go through ICU's Any-Latin (the Arabic article is split
 * off: "alqaida" -> "al qaida"); camelCase is split ("FridrichBuchenberg"). *scripts (may be
 * NULL) gets TEXT_* bits. Returns the length written (< cap). */
size_t text_to_ascii_scripts(const char *s, size_t n, char *out, size_t cap, unsigned *scripts);
/* The same, keeping each full stop as '.' (for text_join_initials, which removes them). */
size_t text_to_ascii_dots(const char *s, size_t n, char *out, size_t cap, unsigned *scripts);
/* The same, telling only whether Arabic or Hebrew letters were present. */
size_t text_to_ascii(const char *s, size_t n, char *out, size_t cap, bool *abjad);

/* Tokenises a name (any script) into canonical tokens with classes and keys. */
void text_name_prepare(const text_dict *d, const char *s, size_t n, text_name *out);

/* Two names both written wholly in Hangul, or both in Han characters (with kana), compared as
 * written: the characters that differ after folding 리/이-style initials and traditional to
 * simplified characters, with *length the longer name's characters; -1 if the names are not
 * both in one of these scripts (then romanisation decides). */
int text_native_diff(const char *a, const char *b, int *length);
/* A name written wholly in Han characters (two or more) read in Korean: 金正恩 -> 김정은, with
 * separators kept as spaces. Korean names are written in Hanja too, and ICU reads Han in
 * Mandarin only. False if a character has no reading or the name is not all Han. Likewise a
 * name in Russian letters whose every word splits into Korean syllables as Russian spells
 * them: "Ким Чен Ын" -> "김 정 은" (a Russian transliterator gives "kim chen yn"). */
bool text_korean_reading(const text_dict *d, const char *name, char *out, size_t cap);
/* A name in kanji that is a family name and a given name of data/dict/japanese_names.tsv,
 * together or apart, read in Japanese ("山田太郎" -> "yamada taro"); false otherwise. */
bool text_japanese_reading(const text_dict *d, const char *name, char *out, size_t cap);
/* Traditional Han characters to simplified, in place (ICU); returns the new length or -1. */
int32_t text_simplify_han(uint16_t *chars, int32_t len, int32_t cap);

/* Romanisation fold: one key for Jong/Chong/Jeong, Pak/Park/Bak, -off/-ov, Yevgeny/Evgeniy. */
void text_fold(const char *tok, char *out, size_t cap);
/* text_fold of a word, or of the name it is a nickname of ("bill" folds as "william"): a
 * nickname meets its name on the fold, a strong match that is not an exact one. */
void text_fold_name(const text_dict *d, const char *tok, char *out, size_t cap);
/* Consonant skeleton: no vowels (nor y, w, v: the letters Arabic script writes as vowel
 * letters), no doubled letters (for names from Arabic script). */
void text_skeleton(const char *tok, char *out, size_t cap);
/* Do the vowel letters (y, w, a: matres lectionis) of a romanised Arabic or Hebrew word stand
 * where the Latin spelling has a vowel they can write? "slym" (Salim) is not "islam", nor
 * "styw" (Stav) "west", although their consonant skeletons agree. */
bool text_vowel_letters_agree(const char *abjad, const char *latin);
/* Can a Latin word be a spelling of a Hebrew word as ICU reads it (letter by letter, "ywsp")?
 * Each Hebrew letter with its Latin alternatives (ב b/v, כ k/kh/ch, ח h/ch, פ p/f, ש s/sh,
 * צ z/ts, ו a vowel or v, י a vowel or j), unwritten short vowels anywhere: יוסף reads Yosef
 * and Joseph, אברהם Avraham and Abraham, כהן Cohen and Kohen. Needs two consonants. */
bool text_hebrew_reads(const char *heb, const char *latin);
/* The coarse key a Hebrew word (hebrew: ICU's reading) and its Latin spellings share, for
 * retrieval: vowels, y, w, v, b, j dropped, k/c/q/ch/kh/h one class, f/ph p, sh s, ts/tz z,
 * th t, a last h (silent ה) dropped: "ywsp", "yosef", "joseph" -> "sp". */
/* Returns the Hebrew word's consonants (hebrew), else the key's length. */
size_t text_hebrew_key(const char *word, bool hebrew, char *out, size_t cap);
/* The skeleton of words written together ("mty allh" -> "mtlh", as "Matiullah"); with
 * assimilate, an Arabic article "al" before a sun letter gives no l ("shms al dyn" -> "shmsdn",
 * as "Shamsuddin"). Returns its length. */
/* Arabic-script words (romanised) that Latin spellings write as one word: Abd or Abu first,
 * or Allah, zada, jan, khel last, or the article and a word of compound given names (din,
 * haq, rahman ...) last. */
bool text_compound_span(const char *const *words, int n);
size_t text_skeleton_span(const char *const *words, int n, bool assimilate, char *out, size_t cap);

/* Similarities on ASCII strings. */
double sim_jaro_winkler(const char *a, size_t la, const char *b, size_t lb);
size_t sim_levenshtein(const char *a, size_t la, const char *b, size_t lb);
/* Edit distance counting an adjacent transposition as one edit (optimal string alignment). */
size_t sim_osa(const char *a, size_t la, const char *b, size_t lb);
/* American Soundex code (4 chars + NUL). */
void text_soundex(const char *s, char out[5]);

#endif
