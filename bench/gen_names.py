#!/usr/bin/env python3
"""gen_names.py - ordinary (not sanctioned) person and company names for the false-positive
rate of cordon-accuracy, generated reproducibly from the name lists in data/eval/names/.

    python3 bench/gen_names.py            # writes data/eval/ordinary_names.tsv
    python3 bench/gen_names.py --check    # fails if the committed file differs

Output: a header line, then `origin<TAB>type<TAB>name`, with `type` person or organization.
Only the standard library; random.Random with a fixed seed gives the same file on every
Python 3.
"""
import argparse
import os
import random
import sys
import unicodedata

SEED = 20260301
PERSONS_PER_ORIGIN = 500
COMPANIES_PER_ORIGIN = 250

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = os.path.join(ROOT, 'data', 'eval', 'names')
OUT = os.path.join(ROOT, 'data', 'eval', 'ordinary_names.tsv')


def load(name):
    path = os.path.join(NAMES, name + '.txt')
    if not os.path.exists(path):
        return []
    with open(path, encoding='utf-8') as f:
        return [line.strip() for line in f if line.strip()]


def load_tsv(name):
    rows = []
    with open(os.path.join(NAMES, name), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            rows.append(line.rstrip('\n').split('\t'))
    return rows


INDUSTRY = {}
for lang, word in load_tsv('industry.tsv'):
    INDUSTRY.setdefault(lang, []).append(word)
SHARES = {}
for origin, surname, share in load_tsv('surname_shares.tsv'):
    SHARES.setdefault(origin, []).append((surname, float(share)))

# ---- romanisation of the Korean and Russian names (for the "-latn" origins) ---------------

KO_INITIAL = ['g', 'kk', 'n', 'd', 'tt', 'r', 'm', 'b', 'pp', 's', 'ss', '', 'j', 'jj', 'ch',
              'k', 't', 'p', 'h']
KO_MEDIAL = ['a', 'ae', 'ya', 'yae', 'eo', 'e', 'yeo', 'ye', 'o', 'wa', 'wae', 'oe', 'yo', 'u',
             'wo', 'we', 'wi', 'yu', 'eu', 'ui', 'i']
KO_FINAL = ['', 'k', 'k', 'k', 'n', 'n', 'n', 't', 'l', 'k', 'm', 'l', 'l', 'l', 'p', 'l', 'm',
            'p', 'p', 't', 't', 'ng', 't', 't', 'k', 't', 'p', 't']
# How Koreans usually spell their family names in passports, not the Revised Romanization.
KO_SURNAME = {
    '김': 'Kim', '이': 'Lee', '박': 'Park', '최': 'Choi', '정': 'Jung', '강': 'Kang', '조': 'Cho',
    '윤': 'Yoon', '장': 'Jang', '임': 'Lim', '한': 'Han', '오': 'Oh', '서': 'Seo', '신': 'Shin',
    '권': 'Kwon', '황': 'Hwang', '안': 'Ahn', '송': 'Song', '전': 'Jeon', '홍': 'Hong', '고': 'Ko',
    '문': 'Moon', '양': 'Yang', '손': 'Son', '배': 'Bae', '백': 'Baek', '허': 'Heo', '유': 'Yoo',
    '남': 'Nam', '심': 'Shim', '노': 'Noh', '하': 'Ha', '곽': 'Kwak', '성': 'Sung', '차': 'Cha',
    '주': 'Joo', '우': 'Woo', '구': 'Koo', '민': 'Min', '진': 'Jin', '나': 'Na', '지': 'Ji',
    '엄': 'Um', '채': 'Chae', '원': 'Won', '천': 'Chun', '방': 'Bang', '공': 'Kong', '현': 'Hyun',
    '함': 'Ham', '변': 'Byun', '염': 'Yeom', '여': 'Yeo', '추': 'Choo', '도': 'Do', '석': 'Seok',
    '선': 'Sun', '설': 'Seol', '마': 'Ma', '길': 'Gil', '연': 'Yeon', '표': 'Pyo', '명': 'Myung',
    '기': 'Ki', '반': 'Ban', '왕': 'Wang', '금': 'Keum', '옥': 'Ok', '육': 'Yook', '인': 'In',
    '류': 'Ryu', '제': 'Je', '모': 'Mo', '탁': 'Tak', '국': 'Kook', '어': 'Eo', '은': 'Eun',
    '편': 'Pyun', '용': 'Yong', '예': 'Ye', '경': 'Kyung', '봉': 'Bong', '사': 'Sa', '부': 'Boo',
    '황보': 'Hwangbo', '남궁': 'Namgung', '제갈': 'Jegal', '선우': 'Sunwoo', '독고': 'Dokgo',
}


def ko_syllable(ch):
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return ch
    return KO_INITIAL[code // 588] + KO_MEDIAL[(code % 588) // 28] + KO_FINAL[code % 28]


def ko_given(given, rng):
    sylls = [ko_syllable(c) for c in given]
    style = rng.random()
    if style < 0.45:
        return '-'.join(s.capitalize() if i == 0 else s for i, s in enumerate(sylls))
    if style < 0.75:
        return ''.join(sylls).capitalize()
    return ' '.join(s.capitalize() for s in sylls)


def ko_surname(s):
    return KO_SURNAME.get(s) or ''.join(ko_syllable(c) for c in s).capitalize()


RU_LATIN = {
    'а': 'a', 'б': 'b', 'в': 'v', 'г': 'g', 'д': 'd', 'е': 'e', 'ё': 'yo', 'ж': 'zh', 'з': 'z',
    'и': 'i', 'й': 'y', 'к': 'k', 'л': 'l', 'м': 'm', 'н': 'n', 'о': 'o', 'п': 'p', 'р': 'r',
    'с': 's', 'т': 't', 'у': 'u', 'ф': 'f', 'х': 'kh', 'ц': 'ts', 'ч': 'ch', 'ш': 'sh',
    'щ': 'shch', 'ъ': '', 'ы': 'y', 'ь': '', 'э': 'e', 'ю': 'yu', 'я': 'ya',
}


def ru_latin(text):
    """Russian Cyrillic to Latin, close to the BGN/PCGN system passports used to follow."""
    out = []
    prev = ' '
    for ch in text:
        low = ch.lower()
        if low in RU_LATIN:
            t = RU_LATIN[low]
            if low == 'е' and (not prev.isalpha() or prev.lower() in 'аеёиоуыэюяъь'):
                t = 'ye'
            out.append(t.capitalize() if ch != low else t)
        else:
            out.append(ch)
        prev = ch
    return ''.join(out)


# ---- persons ------------------------------------------------------------------------------

def weighted_surname(origin, lasts, rng):
    """A family name: the commonest ones at their population share, the rest uniform."""
    shares = SHARES.get(origin)
    if shares:
        x = rng.random() * 100
        for name, share in shares:
            if x < share:
                return name
            x -= share
    return rng.choice(lasts)


def western(first, last, rng, two_surnames=False):
    f = rng.choice(first)
    if rng.random() < 0.2:
        f2 = rng.choice(first)
        if f2 != f:
            f = f + ' ' + f2
    sur = rng.choice(last)
    if two_surnames:
        sur = sur + ' ' + rng.choice(last)
    if rng.random() < 0.1:
        return sur.upper() + ', ' + f
    return f + ' ' + sur


def person(origin, rng):
    if origin in ('ko', 'ko-latn'):
        sur = weighted_surname('ko', load_cached('ko.last'), rng)
        given = rng.choice(load_cached('ko.first'))
        if origin == 'ko':
            return sur + given if rng.random() < 0.7 else sur + ' ' + given
        s, g = ko_surname(sur), ko_given(given, rng)
        return s + ' ' + g if rng.random() < 0.6 else g + ' ' + s
    if origin == 'zh':
        return weighted_surname('zh', load_cached('zh_CN.last'), rng) + rng.choice(
            load_cached('zh_CN.first'))
    if origin == 'ja':
        return rng.choice(load_cached('ja.last')) + rng.choice(load_cached('ja.first'))
    if origin in ('ru', 'ru-latn', 'uk'):
        loc = 'uk' if origin == 'uk' else 'ru'
        f, m, l = (rng.choice(load_cached(loc + '.' + p)) for p in ('first', 'middle', 'last'))
        x = rng.random()
        name = f + ' ' + l if x < 0.4 else (l + ' ' + f + ' ' + m if x < 0.7 else f + ' ' + m + ' ' + l)
        return ru_latin(name) if origin == 'ru-latn' else name
    if origin in ('ar', 'fa'):
        first, last = load_cached(origin + '.first'), load_cached(origin + '.last')
        if rng.random() < 0.4:
            return rng.choice(first) + ' ' + rng.choice(first) + ' ' + rng.choice(last)
        return rng.choice(first) + ' ' + rng.choice(last)
    if origin == 'vi':
        return rng.choice(load_cached('vi.last')) + ' ' + rng.choice(load_cached('vi.first'))
    loc = LOCALE[origin]
    return western(load_cached(loc + '.first'), load_cached(loc + '.last'), rng,
                   two_surnames=origin == 'es' and rng.random() < 0.6)


# ---- companies ----------------------------------------------------------------------------

def company(origin, rng):
    if origin == 'ko':
        first, cat = load_cached('ko.first'), load_cached('ko.category')
        x = rng.random()
        if x < 0.4:
            return '주식회사 ' + rng.choice(first) + rng.choice(cat)
        if x < 0.7:
            return rng.choice(first) + rng.choice(cat)
        return '(주)' + rng.choice(first)
    if origin == 'zh':
        return (rng.choice(load_cached('zh_CN.first')) + rng.choice(load_cached('zh_CN.category')) +
                rng.choice(load_cached('zh_CN.legal')))
    if origin == 'ja':
        last, cat, legal = load_cached('ja.last'), load_cached('ja.category'), load_cached('ja.legal')
        if rng.random() < 0.5:
            return rng.choice(legal) + rng.choice(last) + rng.choice(cat)
        return rng.choice(last) + rng.choice(cat) + rng.choice(legal)
    if origin in ('ru', 'ru-latn', 'uk'):
        loc = 'uk' if origin == 'uk' else 'ru'
        legal = rng.choice(load_cached(loc + '.legal'))
        base = rng.choice(load_cached(loc + '.last'))
        x = rng.random()
        if x < 0.4:
            name = legal + ' ' + base + rng.choice(INDUSTRY[loc]).lower()
        elif x < 0.7:
            name = legal + ' "' + base + '"'
        else:
            name = legal + ' ' + rng.choice(INDUSTRY[loc]) + rng.choice(INDUSTRY[loc]).lower()
        return ru_latin(name) if origin == 'ru-latn' else name
    if origin == 'ar':
        last = load_cached('ar.last')
        pre = rng.choice(['شركة', 'مؤسسة', 'مجموعة'])
        if rng.random() < 0.6:
            return pre + ' ' + rng.choice(last) + ' ' + rng.choice(INDUSTRY['ar'])
        return pre + ' ' + rng.choice(last) + ' وأولاده'
    if origin == 'vi':
        return (rng.choice(load_cached('vi.prefix')) + ' ' + rng.choice(INDUSTRY['vi']) + ' ' +
                rng.choice(load_cached('vi.last')) + ' ' + rng.choice(load_cached('vi.first')))
    loc = LOCALE[origin]
    last = load_cached(loc + '.last')
    legal = load(loc + '.legal') or LEGAL_FALLBACK.get(origin, ['Ltd'])
    words = INDUSTRY.get(INDUSTRY_LANG.get(origin, origin), INDUSTRY['en'])
    x = rng.random()
    if origin == 'id' and x < 0.5:
        return rng.choice(load_cached('id_ID.prefix')) + ' ' + rng.choice(last) + ' ' + rng.choice(words)
    if x < 0.35:
        return rng.choice(last) + ' ' + rng.choice(legal)
    if x < 0.65:
        return rng.choice(last) + ' ' + rng.choice(words) + ' ' + rng.choice(legal)
    if x < 0.8:
        joiner = rng.choice([' & ', '-', ' and ' if INDUSTRY_LANG.get(origin, origin) == 'en' else ' & '])
        return rng.choice(last) + joiner + rng.choice(last) + ' ' + rng.choice(legal)
    if x < 0.9:
        return rng.choice(last) + ' ' + rng.choice(words)
    return rng.choice(words) + ' ' + rng.choice(last) + ' ' + rng.choice(legal)


# origin label -> faker locale of its lists
LOCALE = {
    'en': 'en', 'de': 'de', 'fr': 'fr', 'es': 'es', 'it': 'it', 'pt-BR': 'pt_BR', 'pl': 'pl',
    'nl': 'nl', 'sv': 'sv', 'tr': 'tr', 'id': 'id_ID', 'en-IN': 'en_IN', 'en-NG': 'en_NG',
    'fr-SN': 'fr_SN', 'uz': 'uz_UZ_latin', 'az': 'az', 'el': 'el', 'he': 'he', 'fa': 'fa',
}
INDUSTRY_LANG = {'pt-BR': 'pt', 'en-IN': 'en', 'en-NG': 'en', 'fr-SN': 'fr', 'uz': 'az'}
LEGAL_FALLBACK = {'tr': ['A.Ş.', 'Ltd. Şti.'], 'uz': ['MChJ', 'AJ'], 'fr-SN': ['SARL', 'SA', 'SUARL']}

PERSON_ORIGINS = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'pl', 'nl', 'sv', 'tr', 'id', 'en-IN',
                  'en-NG', 'fr-SN', 'uz', 'az', 'vi', 'el', 'ru', 'ru-latn', 'uk', 'ar', 'fa',
                  'he', 'ko', 'ko-latn', 'zh', 'ja']
COMPANY_ORIGINS = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'pl', 'nl', 'sv', 'tr', 'id', 'en-IN',
                   'en-NG', 'fr-SN', 'uz', 'az', 'vi', 'el', 'ru', 'ru-latn', 'uk', 'ar', 'fa',
                   'he', 'ko', 'zh', 'ja']

_cache = {}


def load_cached(name):
    if name not in _cache:
        _cache[name] = load(name)
        if not _cache[name]:
            sys.exit(f'gen_names.py: {os.path.join(NAMES, name)}.txt: missing or empty')
    return _cache[name]


def generate():
    rng = random.Random(SEED)
    rows = []
    for kind, origins, count, fn in (('person', PERSON_ORIGINS, PERSONS_PER_ORIGIN, person),
                                     ('organization', COMPANY_ORIGINS, COMPANIES_PER_ORIGIN, company)):
        for origin in origins:
            seen = set()
            tries = 0
            while len(seen) < count and tries < count * 20:
                tries += 1
                name = unicodedata.normalize('NFC', ' '.join(fn(origin, rng).split()))
                if kind == 'person' and origin not in ('ko', 'zh', 'ja') and rng.random() < 0.15:
                    name = name.upper()
                if name in seen:
                    continue
                seen.add(name)
                rows.append((origin, kind, name))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true', help='compare with the committed file')
    ap.add_argument('--out', default=OUT)
    args = ap.parse_args()
    text = 'origin\ttype\tname\n' + ''.join('\t'.join(r) + '\n' for r in generate())
    if args.check:
        with open(args.out, encoding='utf-8') as f:
            if f.read() != text:
                sys.exit(f'gen_names.py: {args.out} differs from what the generator makes')
        print(f'gen_names.py: {args.out} is up to date')
        return
    with open(args.out, 'w', encoding='utf-8') as f:
        f.write(text)
    print(f'gen_names.py: wrote {text.count(chr(10)) - 1} names to {args.out}')


if __name__ == '__main__':
    main()
