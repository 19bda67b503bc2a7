import { getJson } from '../api.js';
import { facts, h, route, skeleton, table } from '../dom.js';
import type { View } from './view.js';

/** `#/sample/<sample>`: the source rows a training or test sample came from (erased ones as skeletons). */
export const sampleView: View = async (main, id) => {
  const answer = await getJson(`/api/samples/${encodeURIComponent(id)}/sources`);
  main.append(
    h('h1', {}, `Sample ${id}`),
    facts([['run', h('a', { href: route('run', answer.runId) }, answer.runId)]]),
    h('h2', {}, 'Source rows'),
    table(
      ['file', 'row', 'key', 'ops'],
      answer.rows.map(
        (r: {
          rowId: string;
          file: string;
          row: number;
          key: string | null;
          erased: boolean;
          ops: unknown[];
        }) =>
          r.erased
            ? h(
                'tr',
                { class: 'skeleton', 'data-erased': 'true', 'aria-label': 'erased row' },
                ...[0, 1, 2, 3].map(() => h('td', {}, skeleton())),
              )
            : h(
                'tr',
                { 'data-row-id': r.rowId },
                h('td', {}, r.file),
                h('td', { class: 'num' }, h('a', { href: route('row', r.rowId) }, r.row)),
                h('td', {}, r.key ?? '—'),
                h('td', { class: 'num' }, r.ops.length),
              ),
      ),
      [1, 3],
    ),
  );
};

/** `#/row/<file:row>`: what a source row reaches: its samples, the models trained on them, the predictions. */
export const rowView: View = async (main, id) => {
  const answer = await getJson(`/api/source-rows/${encodeURIComponent(id)}/impact`);
  const row = answer.sourceRow;
  main.append(
    h('h1', {}, row.erased ? 'Erased source row' : `Source row ${id}`),
    row.erased
      ? h('p', { class: 'skeleton-block', 'data-erased': 'true' }, skeleton(), ' ', skeleton())
      : facts([
          ['file', answer.file?.name ?? '—'],
          ['row', row.row],
          ['key', row.key ?? '—'],
        ]),
  );
  for (const run of answer.runs as { id: string; samples: { id: string }[]; models: { id: string }[] }[]) {
    main.append(
      h('h2', {}, 'Run ', h('a', { href: route('run', run.id) }, run.id)),
      facts([
        [
          'samples',
          h(
            'span',
            {},
            ...run.samples.flatMap((s, i) => [i ? ', ' : '', h('a', { href: route('sample', s.id) }, s.id)]),
          ),
        ],
        [
          'models',
          h(
            'span',
            {},
            ...run.models.flatMap((m, i) => [i ? ', ' : '', h('a', { href: route('model', m.id) }, m.id)]),
          ),
        ],
      ]),
    );
  }
  const predictions = [...answer.predictions.scored, ...answer.predictions.influenced] as { id: string }[];
  if (predictions.length) {
    main.append(
      h('h2', {}, 'Predictions it reaches'),
      h(
        'ul',
        {},
        ...[...new Set(predictions.map((p) => p.id))].map((p) =>
          h('li', {}, h('a', { href: route('trace', p) }, p)),
        ),
      ),
    );
  }
};
