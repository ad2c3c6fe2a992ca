#!/usr/bin/env bash
# extract_names.sh - refreshes data/eval/names/*.txt (first names, family names, legal forms and
# company words per locale) from the locale data of the npm package @faker-js/faker (MIT).
# Run by hand; the extracted lists are committed, so the evaluation never needs the network.
#   bash bench/extract_names.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/data/eval/names"
version=9.9.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null 2>&1
npm install --silent --no-audit --no-fund "@faker-js/faker@$version" >/dev/null
cp node_modules/@faker-js/faker/LICENSE "$out/LICENSE.faker"
cat > dump.mjs <<'JS'
import * as all from '@faker-js/faker';
import { writeFileSync } from 'node:fs';
const out = process.argv[2];
// locale -> which lists to keep
const locales = ['en', 'de', 'fr', 'es', 'it', 'pt_BR', 'pl', 'nl', 'sv', 'tr', 'id_ID', 'en_IN',
  'en_NG', 'fr_SN', 'uz_UZ_latin', 'az', 'vi', 'ru', 'uk', 'ar', 'fa', 'he', 'ko', 'zh_CN', 'ja',
  'el'];
const flat = (x) => {
  if (!x) return [];
  if (Array.isArray(x)) return x;
  // {generic, female, male}: people's names of either sex; generic lists in some locales repeat
  // the others or hold unisex names, so take all and de-duplicate.
  return Object.values(x).flat();
};
const uniq = (a) => [...new Set(a.map((s) => String(s).trim()).filter((s) => s && !s.includes('{{')))].sort();
const write = (name, list) => {
  if (list.length) writeFileSync(`${out}/${name}.txt`, uniq(list).join('\n') + '\n');
};
for (const l of locales) {
  const d = all[l];
  const p = d.person || {};
  const c = d.company || {};
  const first = p.first_name && p.first_name.male ? [...p.first_name.male, ...(p.first_name.female || [])] : flat(p.first_name);
  write(`${l}.first`, first);
  write(`${l}.last`, flat(p.last_name));
  write(`${l}.middle`, flat(p.middle_name).filter(() => l === 'ru' || l === 'uk'));
  write(`${l}.legal`, flat(c.legal_entity_type));
  write(`${l}.category`, flat(c.category));
  write(`${l}.prefix`, flat(c.prefix));
}
JS
node dump.mjs "$out"
echo "extracted $(ls "$out"/*.txt | wc -l) lists into $out (faker $version)"
