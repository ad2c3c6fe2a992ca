// Search: screen one party (GET /v1/screen) and, beside it, classify goods (POST /v1/goods).
import { errorText, getJSON, postJSON, query, type ScreenResult } from '../api';
import { badge, clear, facts, field, h, message, pageHeader, rawJson, select } from '../dom';
import { hitCard } from '../explain';

export const title = 'Search';

const TYPES: [string, string][] = [
  ['', 'any type'],
  ['person', 'person'],
  ['organization', 'organization'],
  ['vessel', 'vessel'],
  ['aircraft', 'aircraft'],
];

function partyForm(out: HTMLElement, params: URLSearchParams): HTMLFormElement {
  const name = h('input', { name: 'name', type: 'search', required: true, value: params.get('name') ?? '', autocomplete: 'off' });
  const type = select('type', TYPES, params.get('type') ?? '');
  const dob = h('input', { name: 'dob', placeholder: 'YYYY, YYYY-MM or YYYY-MM-DD', value: params.get('dob') ?? '' });
  const country = h('input', { name: 'country', placeholder: 'e.g. KP', maxlength: 40, value: params.get('country') ?? '' });
  const id = h('input', { name: 'id', placeholder: 'TYPE:VALUE, e.g. imo:8405270', value: params.get('id') ?? '' });
  const threshold = h('input', { name: 'threshold', type: 'number', min: 0, max: 1, step: 0.01, value: params.get('threshold') ?? '0.8' });
  const limit = h('input', { name: 'limit', type: 'number', min: 1, max: 100, value: params.get('limit') ?? '10' });
  const form = h(
    'form',
    { class: 'panel-form', 'aria-label': 'Screen a party' },
    field('Name', name, 'Any script: Hangul, Cyrillic, Arabic... are transliterated'),
    h('div', { class: 'row' }, field('Type', type), field('Date of birth', dob), field('Country', country)),
    h('div', { class: 'row' }, field('Identifier', id), field('Threshold', threshold), field('Max results', limit)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Screen')),
  );
  const run = async () => {
    const q = {
      name: name.value.trim(),
      type: type.value,
      dob: dob.value.trim(),
      country: country.value.trim(),
      id: id.value.trim(),
      threshold: threshold.value,
      limit: limit.value,
    };
    history.replaceState(null, '', `/ui/search${query(q)}`);
    clear(out, message('Screening…'));
    out.setAttribute('aria-busy', 'true');
    try {
      const r = await getJSON<ScreenResult>(`/v1/screen${query(q)}`);
      showResults(out, r);
    } catch (e) {
      clear(out, message(errorText(e), 'error'));
    } finally {
      out.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void run();
  });
  if (name.value) void run();
  return form;
}

function showResults(out: HTMLElement, r: ScreenResult): void {
  const summary = h(
    'p',
    { class: 'summary', role: 'status' },
    `${r.results.length} ${r.results.length === 1 ? 'hit' : 'hits'} for `,
    h('q', null, r.query.name),
    ` (read as “${r.query.normalized}”; ${r.candidates} candidates scored, threshold ${r.query.threshold}).`,
  );
  clear(out, summary, r.results.length ? h('div', { class: 'hits' }, r.results.map((hit) => hitCard(hit, null, r.query.normalized))) : message('No list entry reaches the threshold.', 'ok'));
}

// ---- goods ----------------------------------------------------------------------------------

interface GoodsEvidence {
  kind: string;
  matched: string;
  detail: string;
  delta: number;
}
interface GoodsResult {
  regime: string;
  list: string;
  code: string;
  title: string;
  heading: string;
  score: number;
  evidence: GoodsEvidence[];
  source: { document: string; edition: string; file: string; line: number };
}
interface Prohibition {
  regime: string;
  rule: string;
  citation: string;
  direction: string;
  reason: string;
  limits: string;
  verified: boolean;
}
interface GoodsAnswer {
  controlled: boolean;
  results: GoodsResult[];
  hs: { code: string; known: boolean; description: string; chapter_description: string; inferred: string; conflict: unknown } | null;
  prohibitions: Prohibition[];
}

export function prohibitionList(ps: Prohibition[]): HTMLElement {
  return h(
    'ul',
    { class: 'prohibitions' },
    ps.map((p) =>
      h(
        'li',
        null,
        h('strong', null, p.regime),
        ' ',
        badge(p.direction),
        p.verified ? null : badge('unverified row', 'warn'),
        h('p', null, p.reason),
        h('p', { class: 'citation' }, h('span', { class: 'label' }, 'Citation: '), p.citation),
        p.limits ? h('p', { class: 'hint' }, `Limits: ${p.limits}`) : null,
      ),
    ),
  );
}

function goodsForm(out: HTMLElement): HTMLFormElement {
  const text = h('textarea', { name: 'text', rows: 3, required: true, placeholder: 'e.g. turbo pump for liquid propellant rocket engine' });
  const hs = h('input', { name: 'hs', placeholder: 'e.g. 8413.70' });
  const dest = h('input', { name: 'destination', placeholder: 'e.g. KP' });
  const origin = h('input', { name: 'origin', placeholder: 'e.g. DE' });
  const form = h(
    'form',
    { class: 'panel-form', 'aria-label': 'Classify goods' },
    field('Goods description', text),
    h('div', { class: 'row' }, field('HS code', hs), field('Destination', dest), field('Origin', origin)),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Classify')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(out, message('Classifying…'));
    const body: Record<string, string> = { text: text.value.trim() };
    if (hs.value.trim()) body.hs = hs.value.trim();
    if (dest.value.trim()) body.destination = dest.value.trim();
    if (origin.value.trim()) body.origin = origin.value.trim();
    try {
      showGoods(out, await postJSON<GoodsAnswer>('/v1/goods', body));
    } catch (e) {
      clear(out, message(errorText(e), 'error'));
    }
  });
  return form;
}

function showGoods(out: HTMLElement, g: GoodsAnswer): void {
  const items = g.results.map((r) =>
    h(
      'li',
      { class: 'goods-hit' },
      h('div', { class: 'goods-head' }, badge(r.score.toFixed(2), 'num'), h('strong', null, `${r.list} ${r.code}`), ' ', r.title),
      h('p', { class: 'hint' }, r.heading),
      h(
        'details',
        null,
        h('summary', null, `Why (${r.evidence.length})`),
        h(
          'ul',
          null,
          r.evidence.map((e) => h('li', null, h('mark', null, e.matched), ` ${e.detail} `, h('span', { class: 'delta pos' }, `+${e.delta.toFixed(2)}`))),
        ),
        h('p', { class: 'citation' }, `${r.source.document}, ${r.source.edition}, ${r.source.file}:${r.source.line}`),
      ),
    ),
  );
  clear(
    out,
    h('p', { class: `verdict ${g.controlled ? 'block' : 'clear'}`, role: 'status' }, g.controlled ? 'Controlled: resembles a control-list entry' : 'Not controlled by any entry found'),
    g.hs
      ? facts([
          ['HS code', g.hs.code || (g.hs.inferred ? `${g.hs.inferred} (inferred)` : '')],
          ['HS description', g.hs.description || g.hs.chapter_description],
        ])
      : null,
    items.length ? h('ol', { class: 'goods-hits' }, items) : null,
    g.prohibitions.length ? [h('h3', null, 'Prohibitions'), prohibitionList(g.prohibitions)] : null,
    rawJson('Answer as JSON', g),
  );
}

export function render(main: HTMLElement, params: URLSearchParams): void {
  const partyOut = h('div', { class: 'results', 'aria-live': 'polite', id: 'search-results' });
  const goodsOut = h('div', { class: 'results', 'aria-live': 'polite', id: 'goods-results' });
  main.append(
    pageHeader('Search', 'Screen a party against the sanctions and end-user lists, or classify goods against the control lists.'),
    h(
      'div',
      { class: 'split' },
      h('section', { class: 'panel', 'aria-labelledby': 'party-h' }, h('h2', { id: 'party-h' }, 'Party'), partyForm(partyOut, params), partyOut),
      h('section', { class: 'panel side', 'aria-labelledby': 'goods-h' }, h('h2', { id: 'goods-h' }, 'Goods'), goodsForm(goodsOut), goodsOut),
    ),
  );
}
