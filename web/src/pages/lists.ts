// Lists: the loaded snapshot and every source with its date and counts (GET /v1/lists), and
// the case store's history of list versions and screening runs (GET /v1/updates).
import { errorText, getJSON } from '../api';
import { badge, clear, facts, fmtDate, h, message, pageHeader, table, type Child } from '../dom';

export const title = 'Lists';

interface Source {
  name: string;
  format: string;
  file: string;
  sha256: string;
  published: string;
  entities: number;
  by_type: Record<string, number>;
  regimes: Record<string, number>;
}
interface ListsAnswer {
  snapshot: { path: string; built_at: string; sha256: string; size: number; entities: number; names: number; loaded_at: string; age_seconds: number; generation: number };
  sources: Source[];
}
type Row = Record<string, unknown>;

function cell(v: unknown): Child {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return h('code', null, JSON.stringify(v));
  const s = String(v);
  if (/^[0-9a-f]{40,}$/.test(s)) return h('code', { title: s }, `${s.slice(0, 12)}…`);
  return /^\d{4}-\d\d-\d\dT/.test(s) ? fmtDate(s) : s;
}

/** A table of whatever keys the rows have, the given ones first. */
function genericTable(caption: string, rows: Row[], first: string[]): HTMLElement {
  const keys = [...first.filter((k) => rows.some((r) => k in r))];
  for (const r of rows) for (const k of Object.keys(r)) if (!keys.includes(k)) keys.push(k);
  return table(caption, keys.map((k) => k.replace(/_/g, ' ')), rows.map((r) => keys.map((k) => cell(r[k]))));
}

function age(s: number): string {
  if (s < 3600) return `${Math.round(s / 60)} minutes`;
  if (s < 172800) return `${Math.round(s / 3600)} hours`;
  return `${Math.round(s / 86400)} days`;
}

export function render(main: HTMLElement): void {
  const snap = h('section', { class: 'panel', 'aria-labelledby': 'snap-h' }, h('h2', { id: 'snap-h' }, 'Snapshot'), message('Loading…'));
  const sources = h('section', { class: 'panel', 'aria-labelledby': 'src-h', id: 'lists-sources' }, h('h2', { id: 'src-h' }, 'Sources'));
  const history = h('section', { class: 'panel', 'aria-labelledby': 'hist-h', id: 'lists-history' }, h('h2', { id: 'hist-h' }, 'Update history'), message('Loading…'));
  main.append(pageHeader('Lists', 'What the server screens against: each source, its date and counts, and the history of list updates.'), snap, sources, history);

  getJSON<ListsAnswer>('/v1/lists').then(
    (l) => {
      const s = l.snapshot;
      clear(
        snap,
        h('h2', { id: 'snap-h' }, 'Snapshot'),
        facts([
          ['Entities', s.entities.toLocaleString('en')],
          ['Names', s.names.toLocaleString('en')],
          ['Built', `${fmtDate(s.built_at)} (${age(s.age_seconds)} ago)`],
          ['Loaded', `${fmtDate(s.loaded_at)} (generation ${s.generation})`],
          ['SHA-256', h('code', null, s.sha256)],
          ['File', h('code', null, s.path)],
        ]),
      );
      const total = l.sources.reduce((a, x) => a + x.entities, 0);
      clear(
        sources,
        h('h2', { id: 'src-h' }, 'Sources'),
        table(
          `${l.sources.length} sources, ${total.toLocaleString('en')} entities`,
          ['Source', 'Format', 'Published', 'Entities', 'By type', 'Top regimes', 'File'],
          l.sources.map((x) => [
            h('strong', null, x.name),
            x.format,
            x.published ? h('span', { class: 'nowrap' }, x.published) : h('span', { class: 'hint' }, 'not stated'),
            x.entities.toLocaleString('en'),
            Object.entries(x.by_type).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(', '),
            h('span', null, Object.entries(x.regimes).sort((a, b) => b[1] - a[1]).slice(0, 4).map(([r, n]) => badge(`${r} ${n}`, 'regime'))),
            h('code', { title: `SHA-256 ${x.sha256}` }, x.file.replace(/,/g, ', ')),
          ]),
          'sources-table',
        ),
      );
    },
    (e) => clear(snap, h('h2', { id: 'snap-h' }, 'Snapshot'), message(errorText(e), 'error')),
  );

  getJSON<{ versions: Row[]; screenings: Row[] }>('/v1/updates').then(
    (u) =>
      clear(
        history,
        h('h2', { id: 'hist-h' }, 'Update history'),
        u.versions.length ? genericTable('List versions, newest first', u.versions, ['version', 'created_at', 'entities', 'added', 'removed', 'changed']) : h('p', { class: 'hint' }, 'No list update recorded in the case store yet.'),
        u.screenings.length ? genericTable('Screening runs', u.screenings, ['id', 'run', 'kind', 'started_at', 'finished_at', 'counterparties', 'hits', 'new_alerts']) : h('p', { class: 'hint' }, 'No screening run yet.'),
      ),
    (e) => clear(history, h('h2', { id: 'hist-h' }, 'Update history'), message(`The case store's history is not available: ${errorText(e)}`, 'info')),
  );
}
