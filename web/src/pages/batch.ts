// Batch: a CSV or JSON-lines file of parties (POST /v1/screen/batch), of transactions (one
// POST /v1/transactions per line) or of counterparties for the case store (POST
// /v1/counterparties?rescreen=true), with a progress bar and results to browse and download.
import { errorText, getJSON, postJSON, postWithProgress, query, type Hit } from '../api';
import { badge, clear, download, facts, field, h, message, pageHeader, readFile, scoreBar, table } from '../dom';
import { hitCard } from '../explain';
import { report, type TxReport } from './transaction';

export const title = 'Batch';

type Kind = 'parties' | 'transactions' | 'counterparties';

interface Row {
  line: number;
  ref: string | null;
  name?: string;
  results?: Hit[];
  candidates?: number;
  error?: string;
}

const PAGE = 50;

function isJsonLines(text: string, filename: string): boolean {
  if (/\.csv$/i.test(filename)) return false;
  if (/\.(jsonl|ndjson|json)$/i.test(filename)) return true;
  return text.trimStart().startsWith('{');
}

/** The progress bar and its text, updated in place. */
function progressBar() {
  const bar = h('progress', { id: 'batch-progress', max: 100, value: 0, 'aria-label': 'Batch progress' });
  const label = h('span', { class: 'progress-label', id: 'batch-progress-label' }, 'Ready');
  const set = (pct: number, text: string) => {
    bar.value = Math.round(pct);
    bar.setAttribute('aria-valuetext', `${Math.round(pct)}% ${text}`);
    label.textContent = `${Math.round(pct)}% - ${text}`;
  };
  return { el: h('div', { class: 'progress', 'aria-live': 'polite' }, bar, label), set };
}

// ---- parties --------------------------------------------------------------------------------

function partyResults(out: HTMLElement, rows: Row[], info: string | null, raw: string): void {
  let onlyHits = true;
  let filter = '';
  let page = 0;
  const withHits = rows.filter((r) => r.results && r.results.length).length;
  const errors = rows.filter((r) => r.error).length;
  const list = h('div', { class: 'batch-rows' });
  const pager = h('div', { class: 'pager' });

  const toCsv = () => {
    const esc = (s: unknown) => {
      const t = s === null || s === undefined ? '' : String(s);
      return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
    };
    const lines = ['line,ref,name,hit,matched_name,source,score,error'];
    for (const r of rows) {
      if (r.error) lines.push([r.line, r.ref, '', '', '', '', '', r.error].map(esc).join(','));
      else if (!r.results?.length) lines.push([r.line, r.ref, r.name, '', '', '', '', ''].map(esc).join(','));
      else for (const x of r.results) lines.push([r.line, r.ref, r.name, x.id, x.matched_name, x.source, x.score, ''].map(esc).join(','));
    }
    return lines.join('\n') + '\n';
  };

  const draw = () => {
    const shown = rows.filter(
      (r) => (!onlyHits || r.error || (r.results && r.results.length)) && (!filter || `${r.name ?? ''} ${r.ref ?? ''}`.toLowerCase().includes(filter)),
    );
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
    clear(
      list,
      table(
        `Rows ${shown.length ? page * PAGE + 1 : 0}-${page * PAGE + slice.length} of ${shown.length} shown`,
        ['Line', 'Ref', 'Name', 'Best match', 'Score', 'Hits', ''],
        slice.map((r) => {
          const best = r.results?.[0];
          const detail = h('tr', { class: 'detail', hidden: true }, h('td', { colspan: 7 }));
          const btn = r.results?.length
            ? h(
                'button',
                {
                  type: 'button',
                  class: 'secondary small',
                  'aria-expanded': 'false',
                  onclick: (ev: Event) => {
                    const row = (ev.target as HTMLElement).closest('tr')!;
                    const next = row.nextElementSibling as HTMLElement | null;
                    if (next?.classList.contains('detail')) {
                      next.remove();
                      btn!.setAttribute('aria-expanded', 'false');
                      btn!.textContent = 'Explain';
                      return;
                    }
                    clear(detail.firstChild as HTMLElement, r.results!.map((x) => hitCard(x)));
                    detail.hidden = false;
                    row.after(detail);
                    btn!.setAttribute('aria-expanded', 'true');
                    btn!.textContent = 'Hide';
                  },
                },
                'Explain',
              )
            : null;
          return [
            String(r.line),
            r.ref ?? '',
            r.error ? h('span', { class: 'error-text' }, r.error) : (r.name ?? ''),
            best ? `${best.matched_name} (${best.id})` : '',
            best ? scoreBar(best.score) : '',
            r.results ? String(r.results.length) : '',
            btn,
          ];
        }),
        'batch-table',
      ),
    );
    clear(
      pager,
      h('button', { type: 'button', class: 'secondary small', disabled: page === 0, onclick: () => { page--; draw(); } }, 'Previous'),
      h('span', null, ` page ${page + 1} of ${pages} `),
      h('button', { type: 'button', class: 'secondary small', disabled: page >= pages - 1, onclick: () => { page++; draw(); } }, 'Next'),
    );
  };

  const hitsOnly = h('input', { type: 'checkbox', checked: true, id: 'batch-hits-only' });
  hitsOnly.addEventListener('change', () => { onlyHits = hitsOnly.checked; page = 0; draw(); });
  const search = h('input', { type: 'search', id: 'batch-filter', placeholder: 'name or ref' });
  search.addEventListener('input', () => { filter = search.value.toLowerCase(); page = 0; draw(); });
  clear(
    out,
    h('p', { class: 'summary', role: 'status' }, `${rows.length} rows screened: ${withHits} with hits, ${errors} errors.`, info ? ` Server counts: ${info}.` : ''),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { class: 'inline' }, hitsOnly, ' Only rows with hits or errors'),
      field('Filter', search),
      h('button', { type: 'button', class: 'secondary', onclick: () => download('screening.jsonl', raw, 'application/x-ndjson') }, 'Download JSON lines'),
      h('button', { type: 'button', class: 'secondary', onclick: () => download('screening.csv', toCsv(), 'text/csv') }, 'Download CSV'),
    ),
    list,
    pager,
  );
  draw();
}

async function runParties(text: string, jsonl: boolean, opts: Record<string, string>, set: (p: number, t: string) => void, out: HTMLElement) {
  set(0, 'uploading');
  const r = await postWithProgress(`/v1/screen/batch${query(opts)}`, text, jsonl ? 'application/x-ndjson' : 'text/csv', (phase, f) => {
    if (phase === 'upload') set(f < 0 ? 10 : f * 50, 'uploading');
    else if (phase === 'wait') set(50, 'screening on the server');
    else set(f < 0 ? 75 : 50 + f * 50, 'receiving results');
  });
  const rows: Row[] = r.text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Row);
  set(100, `done: ${rows.length} rows`);
  partyResults(out, rows, r.header('X-Cordon-Batch'), r.text);
}

// ---- transactions ---------------------------------------------------------------------------

async function runTransactions(text: string, set: (p: number, t: string) => void, out: HTMLElement) {
  const trimmed = text.trim();
  const lines = trimmed.startsWith('[') ? (JSON.parse(trimmed) as unknown[]).map((t) => JSON.stringify(t)) : trimmed.split('\n').filter((l) => l.trim());
  const results: (TxReport | { line: number; error: string })[] = new Array(lines.length);
  let done = 0;
  set(0, `0 of ${lines.length} transactions`);
  // Two requests at a time: the server answers others meanwhile, the order is kept.
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const i = next++;
      try {
        results[i] = await postJSON<TxReport>('/v1/transactions', JSON.parse(lines[i]));
      } catch (e) {
        results[i] = { line: i + 1, error: errorText(e) };
      }
      done++;
      set((done / lines.length) * 100, `${done} of ${lines.length} transactions`);
    }
  };
  await Promise.all([worker(), worker()]);
  set(100, `done: ${lines.length} transactions`);
  const detail = h('div', { class: 'tx-detail', id: 'batch-tx-detail' });
  const raw = results.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const count = (d: string) => results.filter((r) => 'decision' in r && r.decision === d).length;
  clear(
    out,
    h('p', { class: 'summary', role: 'status' }, `${lines.length} transactions: ${count('block')} block, ${count('review')} review, ${count('clear')} clear, ${results.filter((r) => 'error' in r).length} errors.`),
    h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'secondary', onclick: () => download('reports.jsonl', raw, 'application/x-ndjson') }, 'Download JSON lines')),
    table(
      'Transactions',
      ['Line', 'Id', 'Decision', 'Score', 'Flags', ''],
      results.map((r, i) =>
        'error' in r
          ? [String(i + 1), '', badge('error', 'sev-block'), '', h('span', { class: 'error-text' }, r.error), '']
          : [
              String(i + 1),
              r.id,
              badge(r.decision, `sev-${r.decision}`),
              r.score.toFixed(0),
              r.flags.map((f) => f.id).join(', '),
              h('button', { type: 'button', class: 'secondary small', onclick: () => { clear(detail, report(r)); detail.scrollIntoView(); } }, 'Open report'),
            ],
      ),
    ),
    detail,
  );
}

// ---- counterparties -------------------------------------------------------------------------

interface ImportAnswer {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rescreen?: { counterparties: number; hits: number; new_alerts: number; run: number | null };
}
interface Counterparty {
  ref: string;
  name: string;
  type: string | null;
  dob: string | null;
  country: string | null;
  id: string | null;
  pending: boolean | number;
  updated_at: string;
  open_alerts: number;
}

async function runCounterparties(text: string, jsonl: boolean, set: (p: number, t: string) => void, out: HTMLElement) {
  set(0, 'uploading');
  const r = await postWithProgress('/v1/counterparties?rescreen=true', text, jsonl ? 'application/x-ndjson' : 'text/csv', (phase, f) => {
    if (phase === 'upload') set(f < 0 ? 10 : f * 80, 'uploading');
    else set(90, 'importing and re-screening');
  });
  const a = JSON.parse(r.text) as ImportAnswer;
  set(100, `done: ${a.rows} rows imported`);
  const listOut = h('div', { class: 'cp-list' });
  clear(
    out,
    h('p', { class: 'summary', role: 'status' }, `${a.rows} rows: ${a.inserted} new, ${a.updated} updated, ${a.unchanged} unchanged.`),
    a.rescreen
      ? facts([
          ['Re-screened', String(a.rescreen.counterparties)],
          ['Hits', String(a.rescreen.hits)],
          ['New alerts', h('span', null, String(a.rescreen.new_alerts), ' ', a.rescreen.new_alerts ? h('a', { href: '/ui/alerts', 'data-link': true }, 'work the alert queue') : '')],
          ['Screening run', a.rescreen.run === null ? '' : String(a.rescreen.run)],
        ])
      : null,
    listOut,
  );
  try {
    const cps = await getJSON<{ counterparties: Counterparty[]; total: number }>('/v1/counterparties?limit=100');
    clear(
      listOut,
      table(
        `Counterparties in the store (${cps.counterparties.length} of ${cps.total})`,
        ['Ref', 'Name', 'Type', 'Born', 'Country', 'Identifier', 'Open alerts'],
        cps.counterparties.map((c) => [c.ref, c.name, c.type ?? '', c.dob ?? '', c.country ?? '', c.id ?? '', c.open_alerts ? badge(String(c.open_alerts), 'sev-review') : '0']),
      ),
    );
  } catch (e) {
    clear(listOut, message(errorText(e), 'error'));
  }
}

// ---- page -----------------------------------------------------------------------------------

export function render(main: HTMLElement): void {
  const out = h('div', { class: 'results', id: 'batch-results' });
  const progress = progressBar();
  const kinds: [Kind, string, string][] = [
    ['parties', 'Parties to screen', 'CSV with a header (name, type, dob, country, id, ref) or JSON lines with the same keys'],
    ['transactions', 'Transactions to check', 'JSON lines, one transaction per line (docs/transactions.md)'],
    ['counterparties', 'Counterparties for the case store', 'CSV or JSON lines with ref and name; imported, then re-screened into alerts'],
  ];
  const radios = h(
    'fieldset',
    { class: 'kinds' },
    h('legend', null, 'What the file holds'),
    kinds.map(([v, t, hint], i) =>
      h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'kind', value: v, checked: i === 0 }), ` ${t}`, h('span', { class: 'hint' }, ` - ${hint}`)),
    ),
  );
  const file = h('input', { type: 'file', name: 'file', id: 'batch-file', accept: '.csv,.jsonl,.ndjson,.json,.txt,text/csv' });
  const paste = h('textarea', { name: 'paste', id: 'batch-paste', rows: 6, class: 'mono', spellcheck: false, placeholder: 'name,type,country,ref\nKim Jong Un,person,KP,c-1' });
  const threshold = h('input', { type: 'number', name: 'threshold', min: 0, max: 1, step: 0.01, value: '0.8' });
  const limit = h('input', { type: 'number', name: 'limit', min: 1, max: 100, value: '5' });
  const go = h('button', { type: 'submit' }, 'Upload and run');
  const form = h(
    'form',
    { class: 'panel-form', 'aria-label': 'Upload a batch' },
    radios,
    h('div', { class: 'row' }, field('File', file), field('Threshold (parties)', threshold), field('Hits per row (parties)', limit)),
    field('Or paste the rows', paste),
    h('div', { class: 'actions' }, go),
    progress.el,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const kind = (form.querySelector('input[name=kind]:checked') as HTMLInputElement).value as Kind;
    clear(out); // the previous run's results go at once, not after the file is read
    progress.set(0, 'reading the file');
    const f = file.files?.[0];
    const text = f ? await readFile(f) : paste.value;
    if (!text.trim()) {
      clear(out, message('Choose a file or paste some rows first.', 'error'));
      return;
    }
    const jsonl = isJsonLines(text, f?.name ?? '');
    go.disabled = true;
    try {
      if (kind === 'parties') await runParties(text, jsonl, { threshold: threshold.value, limit: limit.value }, progress.set, out);
      else if (kind === 'transactions') await runTransactions(text, progress.set, out);
      else await runCounterparties(text, jsonl, progress.set, out);
    } catch (e) {
      progress.set(0, 'failed');
      clear(out, message(errorText(e), 'error'));
    } finally {
      go.disabled = false;
    }
  });
  main.append(
    pageHeader('Batch', 'Upload a file of parties, transactions or counterparties; browse and download the results.'),
    h('section', { class: 'panel' }, form),
    out,
  );
}
