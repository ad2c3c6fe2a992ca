// Audit log: the store's hash-chained record of imports, list updates, screenings and
// decisions (GET /v1/audit), with the server's verification of the chain.
import { errorText, getJSON, query } from '../api';
import { badge, clear, field, fmtDate, h, message, pageHeader, select } from '../dom';

export const title = 'Audit log';

interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  detail: string;
  hash: string;
}

/** The detail column holds JSON for most actions: show it as key: value pairs. */
function detailView(d: string): HTMLElement {
  try {
    const o = JSON.parse(d);
    if (o && typeof o === 'object' && !Array.isArray(o))
      return h(
        'dl',
        { class: 'kv' },
        Object.entries(o).flatMap(([k, v]) => [h('dt', null, k), h('dd', null, typeof v === 'string' ? v : JSON.stringify(v))]),
      );
  } catch {
    /* plain text */
  }
  return h('span', null, d);
}

export function render(main: HTMLElement, params: URLSearchParams): void {
  const action = select(
    'action',
    [['', 'any action'], ['decide', 'decide'], ['import', 'import'], ['rescreen', 'rescreen'], ['update', 'update']],
    params.get('action') ?? '',
  );
  const subject = h('input', { type: 'search', name: 'subject', value: params.get('subject') ?? '', placeholder: 'e.g. alert 3' });
  const limit = h('input', { type: 'number', name: 'limit', min: 1, max: 10000, value: '200' });
  const out = h('div', { class: 'results', id: 'audit-results', 'aria-live': 'polite' });
  let records: AuditRecord[] = [];
  let head: HTMLElement = h('span');

  const draw = () => {
    // Whole words, so that "alert 1" does not also show "alert 12".
    const s = subject.value.trim().toLowerCase();
    const re = new RegExp(`(^|\\W)${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|\\W)`);
    const shown = records.filter((r) => !s || re.test(r.subject.toLowerCase()));
    clear(
      out,
      head,
      h(
        'table',
        { class: 'data audit-table' },
        h('caption', null, `${shown.length} of ${records.length} records, newest first`),
        h('thead', null, h('tr', null, ['Seq', 'When', 'Who', 'Action', 'Subject', 'Detail', 'Hash'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          shown.map((r) =>
            h(
              'tr',
              { 'data-seq': String(r.seq) },
              h('td', { class: 'num' }, String(r.seq)),
              h('td', null, fmtDate(r.at)),
              h('td', null, r.actor),
              h('td', null, badge(r.action)),
              h('td', null, r.subject.startsWith('alert ') ? h('a', { href: `/ui/alerts?id=${r.subject.slice(6)}`, 'data-link': true }, r.subject) : r.subject),
              h('td', null, detailView(r.detail)),
              h('td', null, h('code', { title: r.hash }, r.hash.slice(0, 12))),
            ),
          ),
        ),
      ),
    );
  };

  const load = async () => {
    clear(out, message('Loading…'));
    try {
      const r = await getJSON<{ records: AuditRecord[]; verified: boolean; checked: number }>(`/v1/audit${query({ action: action.value, limit: limit.value })}`);
      records = r.records;
      head = h(
        'p',
        { class: `verdict ${r.verified ? 'clear' : 'block'}`, role: 'status', id: 'audit-verified' },
        r.verified ? `Hash chain verified: ${r.checked} records intact.` : `The hash chain does NOT verify (${r.checked} records checked): the log has been altered.`,
      );
      draw();
    } catch (e) {
      clear(out, message(errorText(e), 'error'));
    }
  };
  action.addEventListener('change', () => void load());
  limit.addEventListener('change', () => void load());
  subject.addEventListener('input', draw);
  main.append(
    pageHeader('Audit log', 'Every import, list update, screening run and decision, chained by SHA-256 so that any change shows.'),
    h('form', { class: 'toolbar panel', 'aria-label': 'Filter the audit log', onsubmit: (ev: Event) => ev.preventDefault() }, field('Action', action), field('Subject', subject), field('Records', limit)),
    out,
  );
  void load();
}
