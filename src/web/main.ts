import { ApiError, forgetToken, getJson, storedToken, storeToken } from './api.js';
import { h } from './dom.js';
import { erasureView } from './views/erasure-view.js';
import { modelView } from './views/model-view.js';
import { runView } from './views/run-view.js';
import { rowView, sampleView } from './views/sample-view.js';
import { searchView } from './views/search-view.js';
import { traceView } from './views/trace-view.js';
import type { View } from './views/view.js';

// The auditor's workbench page (issue 11 item 4): hash routes, one view each, reading the
// token-checked /api routes of the same server.

const views: Record<string, View> = {
  '': searchView,
  search: searchView,
  trace: traceView,
  run: runView,
  model: modelView,
  erasure: erasureView,
  sample: sampleView,
  row: rowView,
};

const main = document.getElementById('main') as HTMLElement;
const searchForm = document.getElementById('search-form') as HTMLFormElement;
const searchBox = document.getElementById('search-box') as HTMLInputElement;
const who = document.getElementById('who') as HTMLElement;
const forget = document.getElementById('forget') as HTMLButtonElement;

/** `#/view/id?query` → its parts (the id decoded). */
function parseHash(): { view: string; id: string; query: URLSearchParams } {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, qs = ''] = hash.split('?', 2);
  const [view = '', ...rest] = path.split('/');
  return { view, id: decodeURIComponent(rest.join('/')), query: new URLSearchParams(qs) };
}

/** Asks for a token once per tab; keeps it in sessionStorage once the server accepts it. */
function showLogin(message?: string): void {
  who.textContent = '';
  forget.hidden = true;
  const input = h('input', {
    id: 'token',
    type: 'password',
    autocomplete: 'off',
    placeholder: 'tp_…',
    required: true,
  });
  const form = h(
    'form',
    { class: 'login card', id: 'login' },
    h('h1', {}, 'Sign in'),
    h('label', { for: 'token' }, 'API token (ask an admin: traceprop token create --role auditor)'),
    input,
    message ? h('p', { class: 'error', role: 'alert' }, message) : null,
    h('button', { type: 'submit' }, 'Open the workbench'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    storeToken(input.value);
    void render();
  });
  main.replaceChildren(form);
  input.focus();
}

let rendering = 0;

/** Renders the view of the current hash (or the sign-in form when there is no usable token). */
async function render(): Promise<void> {
  const turn = ++rendering;
  if (!storedToken()) return showLogin();
  const { view, id, query } = parseHash();
  if (view === 'search' || view === '') searchBox.value = query.get('q') ?? '';
  // data-hash and data-ready tell a reader (and the browser tests) which route is drawn, and when.
  const page = h('div', {
    id: 'view',
    'data-view': view || 'search',
    'data-hash': location.hash,
    'aria-busy': 'true',
  });
  // Attached before the view fills it: cytoscape measures its container when it draws.
  main.replaceChildren(page);
  try {
    if (!who.textContent) {
      const me = await getJson('/api/whoami');
      who.textContent = `${me.name ?? me.id} (${me.role})`;
      forget.hidden = false;
    }
    const render = views[view];
    if (!render) throw new ApiError(404, 'page.unknown', `no page ${location.hash}`);
    await render(page, id, query);
    if (turn !== rendering) return;
    page.setAttribute('aria-busy', 'false');
    page.dataset.ready = 'true';
    (page.querySelector('h1') as HTMLElement | null)?.setAttribute('tabindex', '-1');
    if (document.activeElement !== searchBox) (page.querySelector('h1') as HTMLElement | null)?.focus();
  } catch (err) {
    if (turn !== rendering) return;
    if (err instanceof ApiError && err.status === 401) return showLogin(err.message);
    main.replaceChildren(
      h(
        'div',
        { id: 'view', 'data-view': 'error', 'data-ready': 'true' },
        h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err)),
      ),
    );
  }
}

searchForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const q = searchBox.value.trim();
  if (q) location.hash = `#/search?${new URLSearchParams({ q })}`;
});
forget.addEventListener('click', () => {
  forgetToken();
  showLogin();
});
// "/" jumps to the search box; Escape leaves it.
document.addEventListener('keydown', (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLTextAreaElement;
  if (event.key === '/' && !typing) {
    event.preventDefault();
    searchBox.focus();
    searchBox.select();
  } else if (event.key === 'Escape' && event.target === searchBox) {
    searchBox.blur();
  }
});
window.addEventListener('hashchange', () => void render());
void render();
