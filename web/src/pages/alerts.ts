// Alerts: the queue from the case store (GET /v1/alerts) with filters, and one alert in
// detail (GET /v1/alerts/{id}): the hit, its explanation, the counterparty, the listed record
// as it stood when the alert was raised, the decisions so far, and the form to decide (POST
// /v1/alerts/{id}/decision), which the store writes to its audit log.
import { errorText, getJSON, postJSON, query, type Alert, type ScreenResult } from '../api';
import { badge, clear, facts, field, fmtDate, h, message, pageHeader, scoreBar, select, toast } from '../dom';
import { explanation, recordView } from '../explain';

export const title = 'Alerts';

const OUTCOMES: [string, string][] = [
  ['false_positive', 'False positive - not the listed party'],
  ['true_match', 'True match - the listed party'],
  ['escalated', 'Escalate - needs a senior decision'],
];
const WHO = 'cordon.analyst';

/** The explanation is not stored with the alert: screen the counterparty again and take the
 * hit on the same list entry, so the analyst sees why it matches against today's lists. */
async function currentExplanation(a: Alert): Promise<HTMLElement> {
  const c = a.counterparty;
  const r = await getJSON<ScreenResult>(
    `/v1/screen${query({ name: c.name, type: c.type, dob: c.dob, country: c.country, id: c.id, threshold: 0.5, limit: 50 })}`,
  );
  const hit = r.results.find((x) => x.source === a.source && x.source_id === a.source_id);
  if (!hit) return message(`Screening “${c.name}” now does not reach ${a.source}:${a.source_id} at 0.5: the list entry may have changed since the alert was raised.`, 'info');
  return h('div', null, h('p', { class: 'hint' }, `Re-computed now against the loaded lists (score then ${a.score.toFixed(2)}, now ${hit.score.toFixed(2)}).`), explanation(hit));
}

function decisionForm(a: Alert, after: () => void): HTMLFormElement {
  const outcome = h(
    'fieldset',
    { class: 'kinds' },
    h('legend', null, 'Outcome'),
    OUTCOMES.map(([v, t]) => h('label', { class: 'radio' }, h('input', { type: 'radio', name: 'outcome', value: v, required: true }), ` ${t}`)),
  );
  const reason = h('textarea', { name: 'reason', id: 'decision-reason', rows: 3, required: true, placeholder: 'What you checked and why it decides the alert' });
  const who = h('input', { name: 'who', id: 'decision-who', required: true, autocomplete: 'name', value: sessionStorage.getItem(WHO) ?? '' });
  const second = h('input', { name: 'second_approver', id: 'decision-second', autocomplete: 'off' });
  const status = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'panel-form decide', 'aria-label': 'Decide this alert' },
    outcome,
    field('Reason', reason),
    h('div', { class: 'row' }, field('Decided by', who), field('Second approver', second, 'Another person; required where your policy asks for four eyes')),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Record decision')),
    status,
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const o = (form.querySelector('input[name=outcome]:checked') as HTMLInputElement | null)?.value;
    if (!o) {
      clear(status, message('Choose an outcome.', 'error'));
      return;
    }
    sessionStorage.setItem(WHO, who.value.trim());
    const body: Record<string, string> = { outcome: o, reason: reason.value.trim(), who: who.value.trim() };
    if (second.value.trim()) body.second_approver = second.value.trim();
    try {
      await postJSON<Alert>(`/v1/alerts/${a.id}/decision`, body);
      toast(`Alert ${a.id} decided: ${o.replace('_', ' ')}`);
      after();
    } catch (e) {
      clear(status, message(errorText(e), 'error'));
    }
  });
  return form;
}

async function showDetail(panel: HTMLElement, id: string, refreshQueue: () => void): Promise<void> {
  clear(panel, message(`Loading alert ${id}…`));
  let a: Alert;
  try {
    a = await getJSON<Alert>(`/v1/alerts/${encodeURIComponent(id)}`);
  } catch (e) {
    clear(panel, message(errorText(e), 'error'));
    return;
  }
  const expl = h('div', { class: 'expl-slot' }, message('Computing the explanation…'));
  const c = a.counterparty;
  const decisions = a.decisions ?? [];
  clear(
    panel,
    h('h2', { id: 'alert-h', tabindex: -1 }, `Alert ${a.id}: `, c.name, ' ↔ ', a.listed_name),
    h('div', { class: 'hit-head' }, scoreBar(a.score), badge(a.status, a.status === 'open' ? 'sev-review' : 'ok'), a.outcome ? badge(a.outcome.replace('_', ' '), `outcome-${a.outcome}`) : null, badge(a.source, 'source'), h('code', null, `${a.source}:${a.source_id}`)),
    h(
      'div',
      { class: 'two' },
      h('section', { 'aria-label': 'Counterparty' }, h('h3', null, 'Counterparty'), facts([['Ref', c.ref], ['Name', c.name], ['Type', c.type ?? ''], ['Born', c.dob ?? ''], ['Country', c.country ?? ''], ['Identifier', c.id ?? '']])),
      h('section', { 'aria-label': 'Hit' }, h('h3', null, 'Hit'), facts([['Listed name', a.listed_name], ['Matched name', a.matched_name], ['Score', a.score.toFixed(4)], ['Raised', fmtDate(a.created_at)], ['Screening run', a.run === null ? '' : String(a.run)]])),
    ),
    h('h3', null, 'Why it matched'),
    expl,
    a.entity ? h('details', { class: 'record-box' }, h('summary', null, 'The list record as it stood when the alert was raised'), recordView(a.entity)) : null,
    h('h3', null, 'Decisions'),
    decisions.length
      ? h(
          'ol',
          { class: 'decisions' },
          decisions.map((d) =>
            h('li', null, badge(d.outcome.replace('_', ' '), `outcome-${d.outcome}`), ` by ${d.who}`, d.second_approver ? `, approved by ${d.second_approver}` : '', ` on ${fmtDate(d.decided_at)}: `, h('q', null, d.reason)),
          ),
        )
      : h('p', { class: 'hint' }, 'None yet.'),
    h('p', null, h('a', { href: `/ui/audit?subject=${encodeURIComponent(`alert ${a.id}`)}`, 'data-link': true }, 'This alert in the audit log')),
    h('h3', null, a.status === 'open' ? 'Decide' : 'Decide again (the latest decision counts)'),
    decisionForm(a, () => {
      refreshQueue();
      void showDetail(panel, String(a.id), refreshQueue);
    }),
  );
  (panel.querySelector('#alert-h') as HTMLElement).focus();
  currentExplanation(a).then(
    (el) => clear(expl, el),
    (e) => clear(expl, message(errorText(e), 'error')),
  );
}

export function render(main: HTMLElement, params: URLSearchParams): void {
  const status = select('status', [['open', 'open'], ['decided', 'decided'], ['', 'all']], params.get('status') ?? 'open');
  const text = h('input', { type: 'search', name: 'q', placeholder: 'name, list or entry' });
  const minScore = h('input', { type: 'number', name: 'min', min: 0, max: 1, step: 0.05, value: '0' });
  const queue = h('div', { class: 'queue', id: 'alert-queue', 'aria-live': 'polite' });
  const detail = h('section', { class: 'panel detail', id: 'alert-detail', 'aria-label': 'Alert detail' }, h('p', { class: 'hint' }, 'Choose an alert from the queue.'));
  let alerts: Alert[] = [];

  const open = (id: string) => {
    const q = new URLSearchParams(location.search);
    q.set('id', id);
    history.replaceState(null, '', `/ui/alerts?${q}`);
    queue.querySelectorAll('tr[aria-selected]').forEach((tr) => tr.setAttribute('aria-selected', String(tr.getAttribute('data-id') === id)));
    void showDetail(detail, id, () => void load());
  };

  const draw = () => {
    const t = text.value.trim().toLowerCase();
    const min = Number(minScore.value) || 0;
    const shown = alerts.filter(
      (a) => a.score >= min && (!t || `${a.counterparty.name} ${a.counterparty.ref} ${a.listed_name} ${a.source}:${a.source_id}`.toLowerCase().includes(t)),
    );
    const current = new URLSearchParams(location.search).get('id');
    clear(
      queue,
      h(
        'table',
        { class: 'data queue-table' },
        h('caption', null, `${shown.length} of ${alerts.length} alerts`),
        h('thead', null, h('tr', null, ['Alert', 'Counterparty', 'Listed as', 'Score', 'Status'].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          null,
          shown.map((a) =>
            h(
              'tr',
              { 'data-id': String(a.id), 'aria-selected': String(String(a.id) === current) },
              h('td', null, h('a', { href: `/ui/alerts?id=${a.id}`, onclick: (ev: Event) => { ev.preventDefault(); open(String(a.id)); } }, `#${a.id}`)),
              h('td', null, a.counterparty.name, h('div', { class: 'hint' }, a.counterparty.ref)),
              h('td', null, a.listed_name, h('div', { class: 'hint' }, `${a.source}:${a.source_id}`)),
              h('td', null, scoreBar(a.score)),
              h('td', null, a.outcome ? badge(a.outcome.replace('_', ' '), `outcome-${a.outcome}`) : badge(a.status, 'sev-review')),
            ),
          ),
        ),
      ),
    );
    if (!alerts.length) queue.appendChild(h('p', { class: 'hint' }, 'No alerts. Import counterparties on the Batch page to screen them into the store.'));
  };

  const load = async () => {
    try {
      const r = await getJSON<{ alerts: Alert[] }>(`/v1/alerts${query({ status: status.value, limit: 500 })}`);
      alerts = r.alerts;
      draw();
    } catch (e) {
      clear(queue, message(errorText(e), 'error'));
    }
  };
  status.addEventListener('change', () => void load());
  text.addEventListener('input', draw);
  minScore.addEventListener('input', draw);

  main.append(
    pageHeader('Alerts', 'Hits of the case store’s counterparties against the lists, each to be decided by a person.'),
    h(
      'div',
      { class: 'split alerts' },
      h(
        'section',
        { class: 'panel', 'aria-label': 'Alert queue' },
        h('form', { class: 'toolbar', 'aria-label': 'Filter alerts', onsubmit: (ev: Event) => ev.preventDefault() }, field('Status', status), field('Search', text), field('Minimum score', minScore)),
        queue,
      ),
      detail,
    ),
  );
  void load();
  const id = params.get('id');
  if (id) void showDetail(detail, id, () => void load());
}
