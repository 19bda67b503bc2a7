import { getJson } from '../api.js';
import { facts, h, num, route, skeleton, table } from '../dom.js';
import { evidencePanel } from '../evidence-panel.js';
import { metricChange } from '../metric-change.js';
import type { View } from './view.js';

interface Erasure {
  id: string;
  mode: string;
  status: string;
  targets: number;
  affected: number;
  completedAt?: string;
}

interface Version {
  id: string;
  version: number | null;
  status: string | null;
  trainedAt: string | null;
  runId: string | null;
  producedBy: Erasure[];
  [metric: string]: unknown;
}

const metrics: [string, string][] = [
  ['testAccuracy', 'test accuracy'],
  ['trainAccuracy', 'train accuracy'],
  ['testLoss', 'test loss'],
  ['trainLoss', 'train loss'],
  ['trainRows', 'training rows'],
  ['testRows', 'test rows'],
];

/**
 * Metrics of `before` and `after` side by side with the change, coloured by whether it is better
 * for that metric (a lower loss, a higher accuracy), not by its sign; counts stay neutral.
 */
function metricsTable(before: Version, after: Version): HTMLTableElement {
  return table(
    ['metric', `before (v${before.version ?? '?'})`, `after (v${after.version ?? '?'})`, 'change'],
    metrics.map(([name, label]) => {
      const a = before[name];
      const b = after[name];
      const delta = typeof a === 'number' && typeof b === 'number' ? b - a : undefined;
      const change = metricChange(name, a, b);
      return h(
        'tr',
        { 'data-metric': name },
        h('td', {}, label),
        h('td', { class: 'num' }, num(a)),
        h('td', { class: 'num' }, num(b)),
        h(
          'td',
          { class: `num change-${change}`, 'data-change': change },
          delta === undefined ? '—' : `${delta > 0 ? '+' : ''}${num(delta)}`,
        ),
      );
    }),
    [1, 2, 3],
  );
}

/** An erasure between two versions, with its erased rows as skeletons (they have no content to show). */
async function erasureStep(erasure: Erasure): Promise<HTMLElement> {
  const detail = await getJson(`/api/erasures/${encodeURIComponent(erasure.id)}?limit=20`);
  const targets = detail.targets as { erased: boolean; file: string }[];
  return h(
    'div',
    { class: 'erasure-step', 'data-erasure': erasure.id },
    h('strong', {}, 'Erasure '),
    h('a', { href: route('erasure', erasure.id) }, erasure.id),
    ` — ${erasure.mode}, `,
    h('span', { class: `badge ${erasure.status}` }, erasure.status),
    `, ${erasure.targets} row(s) targeted, ${erasure.affected} sample(s) affected`,
    table(
      ['erased row', 'file', 'row'],
      targets.map((t) =>
        t.erased
          ? h(
              'tr',
              { class: 'skeleton', 'data-erased': 'true', 'aria-label': 'erased row' },
              h('td', {}, skeleton()),
              h('td', {}, skeleton()),
              h('td', {}, skeleton()),
            )
          : h(
              'tr',
              { 'data-pending': 'true' },
              h('td', {}, 'not erased yet'),
              h('td', {}, t.file),
              h('td', {}, ''),
            ),
      ),
    ),
  );
}

/**
 * `#/model/<model>`: the model line's timeline, oldest version first: each version with its
 * status and metrics, and between two versions the erasures that produced the newer one (their
 * erased rows as skeletons) and the metrics before and after.
 */
export const modelView: View = async (main, id) => {
  const answer = await getJson(`/api/models/${encodeURIComponent(id)}/versions`);
  const versions = [...(answer.versions as Version[])].reverse();
  main.append(
    h('h1', {}, 'Model timeline'),
    facts([
      ['versions', answer.total],
      ['current', h('a', { href: route('model', answer.headId) }, answer.headId)],
    ]),
  );
  const list = h('ol', { class: 'timeline', id: 'timeline' });
  main.append(list);
  for (const [i, v] of versions.entries()) {
    const previous = i > 0 ? versions[i - 1] : undefined;
    const item = h('li', { 'data-version': v.version ?? '', 'data-model': v.id });
    if (previous) {
      for (const erasure of v.producedBy) item.append(await erasureStep(erasure));
      item.append(
        h(
          'details',
          { open: true, class: 'card' },
          h('summary', {}, `Metrics before and after (v${previous.version} → v${v.version})`),
          metricsTable(previous, v),
        ),
      );
    }
    item.append(
      h(
        'section',
        { class: `card version ${v.status ?? ''}` },
        h(
          'h2',
          {},
          `Version ${v.version ?? '?'} `,
          h('span', { class: `badge ${v.status ?? ''}` }, v.status ?? '?'),
        ),
        facts([
          ['model', v.id],
          ['trained', v.trainedAt ?? '—'],
          ['test accuracy', num(v.testAccuracy)],
          ['training rows', num(v.trainRows, 0)],
          ['run', v.runId ? h('a', { href: route('run', v.runId) }, v.runId) : '—'],
        ]),
        await evidencePanel('model', v.id),
      ),
    );
    list.append(item);
  }
};
