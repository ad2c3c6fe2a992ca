// Transaction report: one transaction (JSON, pasted or from a file) through POST
// /v1/transactions: the decision, every red flag with its evidence and citation, the
// parties' list hits and the goods' control-list candidates and prohibitions.
import { errorText, postJSON, type Hit } from '../api';
import { badge, clear, facts, field, h, message, pageHeader, rawJson, readFile } from '../dom';
import { hitCard } from '../explain';
import { prohibitionList } from './search';

export const title = 'Transaction';

export interface Flag {
  id: string;
  pack: string;
  severity: string;
  weight: number;
  explanation: string;
  citation: string;
  evidence: string[];
  parties: number[];
  goods: number[];
}
export interface TxReport {
  id: string;
  decision: string;
  score: number;
  flags: Flag[];
  parties: { index: number; role: string; name: string; country: string | null; hits: Hit[] }[];
  goods: {
    index: number;
    description: string;
    hs: string | null;
    hs_known: boolean;
    controlled: boolean;
    candidates: { regime: string; list: string; code: string; title: string; score: number }[];
    prohibitions: Parameters<typeof prohibitionList>[0];
  }[];
  versions: Record<string, string>;
}

const EXAMPLE = {
  id: 'EXAMPLE-1',
  date: '2026-01-15',
  type: 'order',
  parties: [
    { role: 'buyer', name: 'Dalian Sunrise Trading Co Ltd', country: 'CN' },
    { role: 'consignee', name: 'Korea Ryonbong General Corporation', country: 'KP' },
    { role: 'seller', name: 'Example Instruments GmbH', country: 'DE' },
  ],
  goods: [{ description: 'gyroscope for inertial navigation', hs: '9014.20', quantity: 2, value: 48000, currency: 'EUR' }],
  route: { origin: 'DE', transit: ['CN'], destination: 'KP' },
  payment: { method: 'wire', currency: 'EUR', amount: 48000 },
};

export function report(r: TxReport): HTMLElement {
  const flags = [...r.flags].sort((a, b) => b.weight - a.weight);
  const partyName = (i: number) => r.parties[i] ? `${r.parties[i].role} “${r.parties[i].name}”` : `party ${i}`;
  const goodsName = (i: number) => r.goods[i] ? `goods ${i}: “${r.goods[i].description}”` : `goods ${i}`;
  return h(
    'div',
    { class: 'tx-report', 'data-decision': r.decision },
    h(
      'p',
      { class: `verdict ${r.decision}`, role: 'status' },
      h('strong', null, `Decision: ${r.decision}`),
      ` - risk score ${r.score.toFixed(0)}, ${flags.length} ${flags.length === 1 ? 'flag' : 'flags'} (transaction ${r.id})`,
    ),
    h('h2', null, 'Red flags'),
    flags.length
      ? h(
          'ol',
          { class: 'flags' },
          flags.map((f) =>
            h(
              'li',
              { class: `flag sev-${f.severity}`, 'data-flag': f.id },
              h('div', { class: 'flag-head' }, badge(f.severity, `sev-${f.severity}`), h('strong', null, f.id), badge(f.pack, 'muted'), h('span', { class: 'hint' }, `weight ${f.weight}`)),
              h('p', null, f.explanation),
              h('p', { class: 'citation' }, h('span', { class: 'label' }, 'Citation: '), f.citation),
              h(
                'details',
                null,
                h('summary', null, `Evidence (${f.evidence.length})`),
                h('ul', null, f.evidence.map((e) => h('li', null, e))),
                f.parties.length ? h('p', null, 'Parties: ', f.parties.map(partyName).join('; ')) : null,
                f.goods.length ? h('p', null, 'Goods: ', f.goods.map(goodsName).join('; ')) : null,
              ),
            ),
          ),
        )
      : message('No red flag.', 'ok'),
    h('h2', null, 'Parties'),
    h(
      'ul',
      { class: 'tx-parties' },
      r.parties.map((p) =>
        h(
          'li',
          null,
          h('div', null, badge(p.role), ' ', h('strong', null, p.name), p.country ? ` (${p.country})` : '', ' ', p.hits.length ? badge(`${p.hits.length} list ${p.hits.length === 1 ? 'hit' : 'hits'}`, 'sev-block') : badge('no list hit', 'ok')),
          p.hits.length ? h('div', { class: 'hits' }, p.hits.map((x) => hitCard(x))) : null,
        ),
      ),
    ),
    h('h2', null, 'Goods'),
    h(
      'ul',
      { class: 'tx-goods' },
      r.goods.map((g) =>
        h(
          'li',
          null,
          h('div', null, h('strong', null, g.description), g.hs ? ` HS ${g.hs}` : '', ' ', g.controlled ? badge('controlled', 'sev-review') : badge('not controlled', 'ok')),
          g.candidates.length
            ? h('ul', { class: 'plain hint' }, g.candidates.map((c) => h('li', null, `${c.list} ${c.code} - ${c.title} (${c.score.toFixed(2)})`)))
            : null,
          g.prohibitions.length ? prohibitionList(g.prohibitions) : null,
        ),
      ),
    ),
    facts(Object.entries(r.versions).map(([k, v]) => [`${k} version`, v])),
    rawJson('Report as JSON', r),
  );
}

export function render(main: HTMLElement): void {
  const out = h('div', { class: 'results', id: 'tx-results', 'aria-live': 'polite' });
  const text = h('textarea', { name: 'transaction', rows: 12, class: 'mono', spellcheck: false, placeholder: '{"id": "...", "parties": [...], "goods": [...], "route": {...}}' });
  const file = h('input', { type: 'file', name: 'file', accept: '.json,.jsonl,application/json' });
  file.addEventListener('change', async () => {
    const f = file.files?.[0];
    if (f) text.value = (await readFile(f)).trim().split('\n')[0];
  });
  const form = h(
    'form',
    { class: 'panel-form', 'aria-label': 'Check one transaction' },
    field('Transaction (JSON, see docs/transactions.md)', text),
    h('div', { class: 'row' }, field('Or load a file (the first line of JSON lines)', file)),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Check'),
      h('button', { type: 'button', class: 'secondary', onclick: () => (text.value = JSON.stringify(EXAMPLE, null, 2)) }, 'Load an example'),
    ),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    let tx: unknown;
    try {
      tx = JSON.parse(text.value);
    } catch (e) {
      clear(out, message(`The transaction is not valid JSON: ${(e as Error).message}`, 'error'));
      return;
    }
    text.value = JSON.stringify(tx, null, 2); // readable from here on
    clear(out, message('Checking…'));
    try {
      clear(out, report(await postJSON<TxReport>('/v1/transactions', tx)));
    } catch (e) {
      clear(out, message(errorText(e), 'error'));
    }
  });
  main.append(
    pageHeader('Transaction report', 'Red flags, list hits and control-list citations for one order, shipment or payment.'),
    h('section', { class: 'panel' }, form),
    out,
  );
}
