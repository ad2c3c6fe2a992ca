// A screening hit shown readably: the names with matched words highlighted, one row per
// token step (how each query word met a list word, and its share of the weight), the
// supporting features with their score deltas, and the full list record on demand.
import type { Entity, FeatureStep, Hit, Step, TokenStep } from './api';
import { badge, facts, h, rawJson, scoreBar, type Child } from './dom';

const HOW: Record<string, string> = {
  exact: 'same word',
  variant: 'known spelling variant',
  fold: 'same after romanisation folding',
  skeleton: 'same consonant skeleton',
  initial: 'initial',
  typo: 'close spelling',
  join: 'written together',
  unmatched: 'not in the listed name',
};

export const isFeature = (s: Step): s is FeatureStep => (s as FeatureStep).feature !== undefined;
export const isToken = (s: Step): s is TokenStep => (s as TokenStep).query !== undefined;

/** Lower-case ASCII letters and digits, as the matcher's words roughly are. */
export function normWord(w: string): string {
  return w
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** A name with the words that the matcher used wrapped in <mark>. */
export function highlightName(name: string, matched: Set<string>): HTMLElement {
  const out = h('span', { class: 'hl-name' });
  for (const part of name.split(/(\s+|[,;/()-]+)/)) {
    const n = normWord(part);
    let hit = n.length > 0 && matched.has(n);
    if (!hit && n.length >= 2) for (const m of matched) if (m.length > n.length && m.includes(n)) hit = true;
    out.appendChild(hit ? h('mark', null, part) : document.createTextNode(part));
  }
  return out;
}

/** The query's words as chips: matched or missing from the listed name. */
function queryChips(steps: TokenStep[], normalized?: string): HTMLElement {
  if (normalized) {
    // In the order the query was written, not by weight.
    const pos = normalized.split(' ');
    const at = (s: TokenStep) => (pos.indexOf(s.query) < 0 ? 1e9 : pos.indexOf(s.query));
    steps = [...steps].sort((a, b) => at(a) - at(b));
  }
  return h(
    'span',
    { class: 'chips' },
    steps.map((s) =>
      h(
        'span',
        { class: `chip ${s.matched ? 'ok' : 'miss'}`, title: s.matched ? `matched "${s.matched}"` : 'not matched' },
        s.query,
        s.matched ? null : h('span', { class: 'sr-only' }, ' (not matched)'),
      ),
    ),
  );
}

export function explanation(hit: Hit, normalized?: string): HTMLElement {
  const tokens = hit.explanation.filter(isToken);
  const features = hit.explanation.filter(isFeature);
  const totalW = tokens.reduce((a, s) => a + s.weight, 0) || 1;
  const tokRows = tokens.map((s) =>
    h(
      'tr',
      { class: s.matched ? '' : 'unmatched' },
      h('td', null, h('code', null, s.query)),
      h('td', null, s.matched ? h('code', null, s.matched) : h('em', null, 'none')),
      h('td', null, HOW[s.how] ?? s.how),
      h('td', { class: 'num' }, s.similarity.toFixed(2)),
      h(
        'td',
        { class: 'num' },
        h('span', { class: 'wbar', 'aria-hidden': 'true' }, h('span', { style: `width:${((s.weight / totalW) * 100).toFixed(0)}%` })),
        `${((s.weight / totalW) * 100).toFixed(0)}%`,
      ),
    ),
  );
  const featRows = features.map((f) =>
    h(
      'tr',
      null,
      h('td', null, f.feature),
      h('td', { class: `num delta ${f.delta > 0 ? 'pos' : f.delta < 0 ? 'neg' : ''}` }, `${f.delta > 0 ? '+' : ''}${f.delta.toFixed(2)}`),
      h('td', null, f.detail),
    ),
  );
  return h(
    'div',
    { class: 'explanation' },
    h('p', { class: 'expl-query' }, 'Query words: ', queryChips(tokens, normalized)),
    h(
      'table',
      { class: 'data compact tokens' },
      h('caption', null, 'How the name matched'),
      h(
        'thead',
        null,
        h('tr', null, ['Query word', 'List word', 'How', 'Similarity', 'Weight share'].map((t) => h('th', { scope: 'col' }, t))),
      ),
      h('tbody', null, tokRows),
    ),
    h('p', { class: 'expl-sum' }, `Name score ${hit.name_score.toFixed(2)}`, features.length ? ', then:' : ''),
    features.length
      ? h(
          'table',
          { class: 'data compact features' },
          h('caption', null, 'Supporting features'),
          h('thead', null, h('tr', null, ['Feature', 'Delta', 'Why'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, featRows),
        )
      : null,
    h('p', { class: 'expl-sum' }, h('strong', null, `Final score ${hit.score.toFixed(2)}`)),
  );
}

/** Every field of a list record that it has. */
export function recordView(e: Entity): HTMLElement {
  const names = e.names.map((n) => h('li', null, n.name, ' ', badge(n.kind.replace(/_/g, ' '), 'muted')));
  const ids = e.identifiers.map((i) =>
    h('li', null, h('strong', null, i.label || i.type), ': ', h('code', null, i.value), i.country ? ` (${i.country})` : ''),
  );
  const addrs = e.addresses.map((a) => h('li', null, [a.text, a.country].filter(Boolean).join(', ')));
  const links = (e.linked_to ?? []).map((l) => h('li', null, typeof l === 'string' ? l : JSON.stringify(l)));
  return h(
    'section',
    { class: 'record', 'aria-label': `List record ${e.source}:${e.source_id}` },
    h('h4', null, `List record ${e.source}:${e.source_id}`),
    facts([
      ['Type', e.type],
      ['Names', names.length ? h('ul', { class: 'plain' }, names) : null],
      ['Identifiers', ids.length ? h('ul', { class: 'plain' }, ids) : null],
      ['Born', e.birth_dates.join(', ')],
      ['Place of birth', e.birth_places.join('; ')],
      ['Nationality', e.nationalities.join(', ')],
      ['Citizenship', e.citizenships.join(', ')],
      ['Gender', e.gender ?? null],
      ['Addresses', addrs.length ? h('ul', { class: 'plain' }, addrs) : null],
      ['Programmes', e.programs.join(', ')],
      ['Regimes', e.regimes.join(', ')],
      ['Listed on', e.listed_on],
      ['Linked to', links.length ? h('ul', { class: 'plain' }, links) : null],
      ['Remarks', e.remarks],
    ]),
    rawJson('Record as JSON', e),
  );
}

/** One hit as a card: header line, highlighted names, explanation, record toggle. */
export function hitCard(hit: Hit, extra?: Child, normalized?: string): HTMLElement {
  const matched = new Set(hit.explanation.filter(isToken).flatMap((s) => (s.matched ? [s.matched] : [])));
  const recId = `rec-${hit.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${Math.random().toString(36).slice(2, 7)}`;
  const rec = h('div', { id: recId, class: 'record-slot', hidden: true });
  const btn = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      'aria-expanded': 'false',
      'aria-controls': recId,
      onclick: () => {
        const open = rec.hidden;
        if (open && !rec.firstChild && hit.entity) rec.appendChild(recordView(hit.entity));
        rec.hidden = !open;
        btn.setAttribute('aria-expanded', String(open));
        btn.textContent = open ? 'Hide list record' : 'Show list record';
      },
    },
    'Show list record',
  );
  return h(
    'article',
    { class: 'hit', 'data-id': hit.id },
    h(
      'header',
      { class: 'hit-head' },
      scoreBar(hit.score),
      h('h3', null, highlightName(hit.name, matched)),
      badge(hit.source, 'source'),
      h('code', { class: 'hit-id' }, hit.id),
      badge(hit.type),
      hit.regimes.map((r) => badge(r, 'regime')),
    ),
    hit.matched_name !== hit.name
      ? h('p', { class: 'hit-aka' }, `Matched on ${hit.matched_kind.replace(/_/g, ' ')} name: `, highlightName(hit.matched_name, matched))
      : null,
    explanation(hit, normalized),
    extra,
    hit.entity ? btn : null,
    rec,
  );
}
