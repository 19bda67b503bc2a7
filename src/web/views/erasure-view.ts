import { getJson } from '../api.js';
import { append, facts, h, route, skeleton, table } from '../dom.js';
import { evidencePanel } from '../evidence-panel.js';
import type { View } from './view.js';

/**
 * `#/erasure/<request>`: an erasure request's status, its metrics and its certificate (as JSON),
 * the model it produced and the rows it erased, drawn as skeletons.
 */
export const erasureView: View = async (main, id) => {
  const answer = await getJson(`/api/erasures/${encodeURIComponent(id)}`);
  const request = answer.request as Record<string, unknown>;
  const targets = answer.targets as { erased: boolean; file: string; row: number }[];
  append(main, [
    h('h1', {}, `Erasure ${id}`),
    facts([
      [
        'status',
        h('span', { class: `badge ${request.status}`, id: 'erasure-status' }, String(request.status)),
      ],
      ['mode', String(request.mode ?? '—')],
      ['requested', String(request.requestedAt ?? '—')],
      ['completed', String(request.completedAt ?? '—')],
      ['rows targeted', answer.targetTotal],
      ['samples affected', answer.affectedSamples],
      [
        'produced model',
        answer.produced ? h('a', { href: route('model', answer.produced.id) }, answer.produced.id) : '—',
      ],
    ]),
    request.error ? h('p', { class: 'error' }, String(request.error)) : null,
    h('h2', {}, 'Erased rows'),
    table(
      ['file', 'row', 'state'],
      targets.map((t) =>
        t.erased
          ? h(
              'tr',
              { class: 'skeleton', 'data-erased': 'true', 'aria-label': 'erased row' },
              h('td', {}, skeleton()),
              h('td', {}, skeleton()),
              h('td', {}, skeleton()),
            )
          : h('tr', {}, h('td', {}, t.file), h('td', {}, t.row), h('td', {}, 'not erased yet')),
      ),
    ),
    answer.holdingModels?.length
      ? h(
          'p',
          { class: 'error' },
          `Models still holding these rows: ${answer.holdingModels.map((m: { id: string }) => m.id).join(', ')}`,
        )
      : null,
    h('h2', {}, 'Metrics'),
    h('pre', { class: 'json', id: 'erasure-metrics' }, JSON.stringify(answer.metrics, null, 2)),
    h('h2', {}, 'Certificate'),
    h(
      'pre',
      { class: 'json', id: 'erasure-certificate', tabindex: 0 },
      JSON.stringify(answer.certificate, null, 2),
    ),
    await evidencePanel('erasure', id),
  ]);
};
