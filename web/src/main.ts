// The single-page shell: navigation, the API key field and a router over /ui/PAGE URLs (the
// server answers index.html for each, so reloads and bookmarks work).
import './style.css';
import { apiKey, setApiKey } from './api';
import { clear, h } from './dom';
import * as alerts from './pages/alerts';
import * as audit from './pages/audit';
import * as batch from './pages/batch';
import * as lists from './pages/lists';
import * as network from './pages/network';
import * as search from './pages/search';
import * as transaction from './pages/transaction';

export interface Page {
  title: string;
  render(main: HTMLElement, params: URLSearchParams): void;
}

const PAGES: Record<string, Page> = { search, batch, alerts, audit, transaction, network, lists };
const ORDER = ['search', 'batch', 'alerts', 'audit', 'transaction', 'network', 'lists'];

function pageName(): string {
  const m = /^\/ui\/([a-z]+)$/.exec(location.pathname);
  return m && PAGES[m[1]] ? m[1] : 'search';
}

function renderNav(current: string): void {
  const nav = document.getElementById('nav')!;
  clear(
    nav,
    ORDER.map((n) =>
      h(
        'li',
        null,
        h('a', { href: `/ui/${n}`, 'data-link': true, 'aria-current': n === current ? 'page' : null }, PAGES[n].title),
      ),
    ),
  );
}

function render(focus: boolean): void {
  const name = pageName();
  renderNav(name);
  const main = document.getElementById('main')!;
  clear(main);
  document.getElementById('toast')?.classList.remove('show');
  main.dataset.page = name;
  document.title = `${PAGES[name].title} - cordon`;
  PAGES[name].render(main, new URLSearchParams(location.search));
  // After a navigation, move focus to the new page's heading for keyboard and screen readers.
  if (focus) (main.querySelector('h1') as HTMLElement | null)?.focus();
}

export function navigate(url: string): void {
  history.pushState(null, '', url);
  render(true);
  window.scrollTo(0, 0);
}

document.addEventListener('click', (ev) => {
  const a = (ev.target as Element).closest?.('a[data-link]') as HTMLAnchorElement | null;
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
  ev.preventDefault();
  navigate(a.getAttribute('href')!);
});
window.addEventListener('popstate', () => render(true));

function setupKey(): void {
  const form = document.getElementById('key-form') as HTMLFormElement;
  const input = document.getElementById('api-key') as HTMLInputElement;
  const status = document.getElementById('key-status')!;
  const show = () => (status.textContent = apiKey() ? 'key in use' : 'no key');
  input.value = apiKey();
  show();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    setApiKey(input.value.trim());
    show();
  });
  document.getElementById('key-forget')!.addEventListener('click', () => {
    input.value = '';
    setApiKey('');
    show();
  });
}

setupKey();
render(false);
