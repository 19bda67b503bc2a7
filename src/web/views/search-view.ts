import { getJson } from '../api.js';
import { append, h, route } from '../dom.js';
import type { View } from './view.js';

/** The page route a search hit opens (its API links name the resource). */
function hitRoute(hit: { kind: string; id: string }): string {
  switch (hit.kind) {
    case 'prediction':
      return route('trace', hit.id);
    case 'run':
      return route('run', hit.id);
    case 'model':
      return route('model', hit.id);
    case 'erasure':
      return route('erasure', hit.id);
    case 'sample':
      return route('sample', hit.id);
    default:
      return route('row', hit.id);
  }
}

/** `#/search?q=…`: the hits of `/api/search`, each a link to its page (predictions first). */
export const searchView: View = async (main, _id, query) => {
  const q = query.get('q')?.trim() ?? '';
  if (!q) {
    append(main, [
      h('h1', {}, 'Search'),
      h(
        'p',
        { class: 'muted' },
        'Type an applicant key, a prediction, sample, run, model or erasure id, or file:row in the box above (press / to get there).',
      ),
    ]);
    return;
  }
  const answer = await getJson(`/api/search?${new URLSearchParams({ q, limit: '50' })}`);
  main.append(h('h1', {}, `Results for “${q}”`));
  if (answer.results.length === 0) {
    main.append(h('p', { class: 'muted' }, 'Nothing found.'));
    return;
  }
  append(main, [
    h(
      'ul',
      { class: 'results', id: 'results' },
      ...answer.results.map((hit: { kind: string; id: string; label: string }) =>
        h(
          'li',
          { 'data-kind': hit.kind, 'data-id': hit.id },
          h('span', { class: 'kind' }, hit.kind),
          h('a', { href: hitRoute(hit) }, hit.label),
        ),
      ),
    ),
    answer.truncated ? h('p', { class: 'muted' }, 'More results exist: refine the search.') : null,
  ]);
};
