// Small render helpers: h() builds elements, so pages are plain functions that return DOM.
// Text always goes in as text nodes (never innerHTML), so list data cannot inject markup.

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (ev: any) => void;
export type Attrs = Record<string, string | number | boolean | null | undefined | Handler>;

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'required', 'multiple', 'hidden']);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v as EventListener);
      } else if (k === 'class') {
        el.className = String(v);
      } else if (k === 'for') {
        (el as HTMLLabelElement).htmlFor = String(v);
      } else if (PROPS.has(k)) {
        (el as any)[k] = v;
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, children);
}

let uid = 0;
/** A unique element id for label/aria wiring. */
export function newId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form field: the label, then the control, then an optional hint. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = newId('f');
  let hintEl: HTMLElement | null = null;
  if (hint) {
    hintEl = h('span', { class: 'hint', id: newId('hint') }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

export function select(name: string, options: [string, string][], value = ''): HTMLSelectElement {
  return h('select', { name }, options.map(([v, t]) => h('option', { value: v, selected: v === value }, t)));
}

/** A table from a header row and body rows; cells may be nodes. */
export function table(caption: string, head: string[], rows: Child[][], cls = ''): HTMLTableElement {
  return h(
    'table',
    { class: `data ${cls}`.trim() },
    h('caption', null, caption),
    h('thead', null, h('tr', null, head.map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', null, rows.map((r) => h('tr', null, r.map((c) => h('td', null, c))))),
  );
}

/** A definition list from label/value pairs, skipping empty values. */
export function facts(pairs: [string, Child][]): HTMLDListElement {
  const dl = h('dl', { class: 'facts' });
  for (const [k, v] of pairs) {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) continue;
    append(dl, [h('dt', null, k), h('dd', null, v)]);
  }
  return dl;
}

/** Score in [0,1] as a labelled bar and a number. */
export function scoreBar(score: number): HTMLElement {
  const pct = Math.max(0, Math.min(1, score)) * 100;
  const cls = score >= 0.95 ? 'high' : score >= 0.85 ? 'mid' : 'low';
  return h(
    'span',
    { class: `score ${cls}`, title: `score ${score.toFixed(4)}` },
    h('span', { class: 'score-bar', 'aria-hidden': 'true' }, h('span', { class: 'score-fill', style: `width:${pct.toFixed(1)}%` })),
    h('span', { class: 'score-num' }, score.toFixed(2)),
  );
}

export function badge(text: string, kind = ''): HTMLElement {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

/** A status line for errors and progress; role=alert for errors so screen readers hear them. */
export function message(text: string, kind: 'error' | 'info' | 'ok' = 'info'): HTMLElement {
  return h('p', { class: `msg ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

/** Offers text as a file download (a blob URL: no request leaves the page). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** Reads a chosen file as text. */
export function readFile(f: File): Promise<string> {
  return f.text();
}

export function fmtDate(s: string | null | undefined): string {
  if (!s) return '';
  return s.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
}

export function toast(text: string): void {
  const t = document.getElementById('toast');
  if (!t) return;
  t.textContent = text;
  t.classList.add('show');
  window.setTimeout(() => t.classList.remove('show'), 4000);
}

/** Collapsible raw JSON for anyone who wants the exact record. */
export function rawJson(label: string, value: unknown): HTMLElement {
  return h('details', { class: 'raw' }, h('summary', null, label), h('pre', null, JSON.stringify(value, null, 2)));
}

/** A page's heading (focusable, so navigation can move focus to it) and its one-line intro. */
export function pageHeader(title: string, intro: string): HTMLElement {
  return h('div', { class: 'page-head' }, h('h1', { tabindex: -1 }, title), h('p', { class: 'intro' }, intro));
}
