import { getJson } from '../api.js';
import { barChart } from '../bar-chart.js';
import { drawDag } from '../dag-graph.js';
import { facts, h, num, route, skeleton, table } from '../dom.js';
import type { View } from './view.js';

interface SourceRow {
  file: string;
  fileId: string;
  table: string;
  row: number;
  key: string | null;
  erased: boolean;
}

interface Influence {
  rank: number;
  score: number;
  method: string;
  sample: string;
  key: string | null;
  label: number | null;
  sourceRows: SourceRow[];
}

/** One row of the source-rows table; an erased row is a skeleton (grey bars, no content). */
function sourceRowLine(influence: Influence, row: SourceRow): HTMLTableRowElement {
  if (row.erased) {
    return h(
      'tr',
      { class: 'skeleton', 'data-erased': 'true', 'aria-label': 'erased row' },
      h('td', { class: 'num' }, influence.rank),
      h('td', {}, skeleton()),
      h('td', {}, skeleton()),
      h('td', { class: 'num' }, skeleton()),
      h('td', {}, skeleton()),
    );
  }
  return h(
    'tr',
    { 'data-row-id': `${row.fileId}:${row.row}`, 'data-rank': influence.rank },
    h('td', { class: 'num' }, influence.rank),
    h('td', {}, h('a', { href: route('sample', influence.sample) }, influence.key ?? influence.sample)),
    h('td', {}, row.file),
    h('td', { class: 'num' }, h('a', { href: route('row', `${row.fileId}:${row.row}`) }, row.row)),
    h('td', {}, row.key ?? '—'),
  );
}

/**
 * `#/trace/<prediction>`: why the model scored this prediction so: the top training samples'
 * influence as a bar chart, the attribution share per source file, the source rows behind each
 * sample (erased ones as skeletons) and the ops every sample went through, as a DAG.
 */
export const traceView: View = async (main, id, query) => {
  const k = query.get('k') ?? '10';
  const trace = await getJson(
    `/api/predictions/${encodeURIComponent(id)}/trace?${new URLSearchParams({ k })}`,
  );
  const influences = trace.influences as Influence[];
  main.append(
    h('h1', {}, `Prediction ${trace.prediction.id}`),
    facts([
      ['score', num(trace.prediction.score)],
      ['label', trace.prediction.label ?? '—'],
      ['applicant', trace.sample?.key ?? trace.sample?.id ?? '—'],
      [
        'model',
        h(
          'a',
          { href: route('model', trace.model.id) },
          `${trace.model.id} (v${trace.model.version ?? '?'})`,
        ),
      ],
      ['run', trace.run.id ? h('a', { href: route('run', trace.run.id) }, trace.run.id) : '—'],
    ]),
  );
  const bars = influences.map((i) => ({
    label: `#${i.rank} ${i.key ?? i.sample}`,
    value: i.score,
    text: num(i.score, 5),
  }));
  const shares = trace.shares as { file: string; share: number; method: string }[];
  main.append(
    h(
      'div',
      { class: 'grid2' },
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'h-influence' },
        h('h2', { id: 'h-influence' }, `Top ${influences.length} training samples by influence`),
        influences.length
          ? barChart(bars, { title: 'Influence of the top training samples', width: 560 })
          : h('p', { class: 'muted' }, 'No attribution recorded for this prediction yet.'),
        table(
          ['rank', 'sample', 'key', 'score', 'method'],
          influences.map((i) =>
            h(
              'tr',
              { 'data-sample': i.sample },
              h('td', { class: 'num' }, i.rank),
              h('td', {}, h('a', { href: route('sample', i.sample) }, i.sample)),
              h('td', {}, i.key ?? '—'),
              h('td', { class: 'num' }, num(i.score, 6)),
              h('td', {}, i.method),
            ),
          ),
          [0, 3],
        ),
      ),
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'h-shares' },
        h('h2', { id: 'h-shares' }, 'Share of influence per source file'),
        shares.length
          ? barChart(
              shares.map((s) => ({ label: s.file, value: s.share, text: `${num(s.share * 100, 1)} %` })),
              { title: 'Attribution share per source file', width: 520 },
            )
          : h('p', { class: 'muted' }, 'No shares.'),
        h('h2', { id: 'h-ops' }, 'What every sample went through (ops)'),
        h('div', { class: 'dag small', id: 'ops-dag', role: 'img', 'aria-label': 'The run’s ops as a DAG' }),
      ),
    ),
    h('h2', {}, 'Source rows of the top samples'),
    table(
      ['rank', 'sample', 'file', 'row', 'key'],
      influences.flatMap((i) => i.sourceRows.map((r) => sourceRowLine(i, r))),
      [0, 3],
    ),
  );
  const ops = trace.run.ops as { seq: number; kind: string; name: string; after: number[] }[];
  drawDag(
    main.querySelector('#ops-dag') as HTMLElement,
    ops.map((o) => ({ id: `op${o.seq}`, label: `${o.seq} ${o.kind}\n${o.name}`, kind: 'op' })),
    ops.flatMap((o) => o.after.map((a) => ({ from: `op${a}`, to: `op${o.seq}` }))),
  );
};
