#!/usr/bin/env python3
"""Regenerates data/dict/korean_cyrillic.tsv: Korean syllables as Russian writes them.

Russian-language documents write Korean names in Cyrillic by the Kontsevich system and its
older press spellings: Kim Jong Un is "Ким Чен Ын", Choe Ryong Hae "Чхве Рён Хэ". Read by a
Russian transliterator these come out as "kim chen yn" and meet nothing on the lists. With
this table a Cyrillic name is also read back into Hangul, syllable by syllable, and screened
as a Korean name (lib/match/reading.c), as names in Hanja are.

Each line is one Cyrillic syllable (lower case, with ё written е, as Russian text mostly
does) and the Hangul syllable it is read as. The Cyrillic forms are generated from the
Kontsevich spelling of each jamo, plus the variants found in practice (г/д/б for the voiced
allophones, дж/чж for ㅈ, ль/л/р for final ㄹ, е for ㅓ after ч and с as in "Чен", "Сен").
Several Hangul syllables share a Cyrillic form (final ㄴ and ㅇ are both н; ㅓ and ㅗ both о).
We keep the one whose romanisation is most frequent among the words of the bundled list
names, since those are the names a Korean reading has to meet; ㅓ and ㅗ romanise alike
(both "o" in the ASCII McCune-Reischauer form cordon uses), so only romanisation matters.

    build/bench/cordon-accuracy --parts pairs --dump-names /tmp/names.tsv
    python3 tools/gen_korean_cyrillic.py /tmp/names.tsv > data/dict/korean_cyrillic.tsv
"""
import collections
import re
import sys

# Jamo order of Unicode Hangul syllables: 19 initials, 21 vowels, 28 finals.
# Romanisation: the tables of lib/text/translit.c (ASCII McCune-Reischauer as the lists write).
ROM_INITIAL = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj",
               "ch", "kh", "th", "ph", "h"]
ROM_VOWEL = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u",
             "wo", "we", "wi", "yu", "u", "ui", "i"]
ROM_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l",
             "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]

# Kontsevich, with the spellings met in practice.
CYR_INITIAL = [["к", "г"], ["кк"], ["н"], ["т", "д"], ["тт"], ["р", "л"], ["м"], ["п", "б"],
               ["пп"], ["с"], ["сс"], [""], ["ч", "чж", "дж"], ["чч"], ["чх"], ["кх"], ["тх"],
               ["пх"], ["х"]]
CYR_VOWEL = [["а"], ["э"], ["я"], ["я"], ["о"], ["е", "э"], ["е"], ["е"], ["о"], ["ва"],
             ["вэ"], ["ве", "вэ"], ["е"], ["у"], ["во"], ["ве"], ["ви"], ["ю"], ["ы"],
             ["ый", "ы"], ["и"]]
# Finals: only the simple ones (double finals do not occur in names).
CYR_FINAL = {0: [""], 1: ["к"], 4: ["н"], 7: ["т"], 8: ["ль", "л", "р"], 16: ["м"], 17: ["п"],
             19: ["т"], 21: ["н"], 22: ["т"], 23: ["т"], 24: ["к"], 25: ["т"], 26: ["п"],
             27: ["т"]}
HISTORICAL_E = {"ч", "чж", "с"}  # ㅓ written е after these: Чен (정), Сен (성)
VOWEL_EO = 4


def romanised_syllables():
    return {i + v + f for i in ROM_INITIAL for v in ROM_VOWEL for f in set(ROM_FINAL)}


def korean_word(w, syllables):
    """w is one to three romanised syllables ("jong", "yongho")."""
    ends = {0}
    for _ in range(3):
        ends = {e + n for e in ends for n in range(1, 7) if w[e:e + n] in syllables}
        if len(w) in ends:
            return True
    return False


def word_counts(path):
    """Word frequencies over the list names that read as Korean (every word of two or more
    made of romanised syllables), so that Spanish "en" does not outvote Korean "yong"."""
    syllables = romanised_syllables()
    counts = collections.Counter()
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = header.index("name")
        for no, line in enumerate(f, 2):
            fields = line.rstrip("\n").split("\t")
            if len(fields) <= col:
                sys.exit("%s:%d: expected a name column" % (path, no))
            words = [w for w in re.split(r"[^a-z0-9]+", fields[col].lower()) if w]
            if len(words) >= 2 and all(korean_word(w, syllables) for w in words):
                counts.update(words)
    return counts


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    counts = word_counts(sys.argv[1])
    best = {}  # cyrillic -> (rank key, hangul)
    for i in range(19):
        for v in range(21):
            for f, finals in CYR_FINAL.items():
                hangul = chr(0xAC00 + (i * 21 + v) * 28 + f)
                rom = ROM_INITIAL[i] + ROM_VOWEL[v] + ROM_FINAL[f]
                for ci, init in enumerate(CYR_INITIAL[i]):
                    vowels = list(CYR_VOWEL[v])
                    if v == VOWEL_EO and init in HISTORICAL_E:
                        vowels.append("е")
                    for cv in vowels:
                        for cf in finals:
                            cyr = init + cv + cf
                            # the most frequent romanisation; then the plainer spelling
                            key = (-counts[rom], ci, hangul)
                            if cyr not in best or key < best[cyr][0]:
                                best[cyr] = (key, hangul)
    print("# Korean syllables as Russian writes them (Kontsevich and press spellings) -> Hangul.")
    print("# Generated by tools/gen_korean_cyrillic.py; do not edit by hand.")
    for cyr in sorted(best):
        print("%s\t%s" % (cyr, best[cyr][1]))


if __name__ == "__main__":
    main()
