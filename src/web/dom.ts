/** Attributes of {@link h}: strings become attributes, functions under `on…` event listeners. */
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
type Child = Node | string | number | null | undefined | false;

/**
 * Makes an element. Text children become text nodes (never parsed as HTML, so nothing from the
 * API can inject markup); `false`, null and undefined children and attributes are skipped.
 *
 * @example
 * h('a', { href: '#/run/r1' }, 'run r1')
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/** Appends children as {@link h} does. */
export function append(parent: Element, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** A skeleton cell's content: a grey bar, no text (erased rows are never drawn with content). */
export function skeleton(): HTMLElement {
  return h('span', { class: 'skel', 'aria-hidden': 'true' });
}

/** A table of `rows` under `headers` (`num` columns right-aligned). */
export function table(
  headers: string[],
  rows: HTMLTableRowElement[],
  numeric: number[] = [],
): HTMLTableElement {
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h('tr', {}, ...headers.map((t, i) => h('th', { class: numeric.includes(i) ? 'num' : undefined }, t))),
    ),
    h('tbody', {}, ...rows),
  );
}

/** A `<dl>` of facts, shown inline. */
export function facts(entries: [string, Child][]): HTMLDListElement {
  return h(
    'dl',
    { class: 'facts' },
    ...entries.map(([k, v]) => h('div', {}, h('dt', {}, k), h('dd', {}, v))),
  );
}

/** A number with at most `digits` decimals, or an em dash. */
export function num(value: unknown, digits = 4): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(Number(value.toFixed(digits))) : '—';
}

/** The hash link of a view, its parts encoded. */
export function route(view: string, id?: string, query?: Record<string, string>): string {
  const qs = query ? `?${new URLSearchParams(query)}` : '';
  return `#/${view}${id === undefined ? '' : `/${encodeURIComponent(id)}`}${qs}`;
}
