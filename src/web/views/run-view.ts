import { getJson } from '../api.js';
import { type DagEdge, type DagNode, drawDag } from '../dag-graph.js';
import { facts, h, route, skeleton, table } from '../dom.js';
import type { View } from './view.js';

interface ApiNode {
  id: string;
  kind: 'file' | 'op' | 'samples';
  label: string;
  [fact: string]: unknown;
}

interface ExpandedRow {
  id: string;
  row: number;
  erased: boolean;
  key?: string | null;
  samples: number;
}

/**
 * `#/run/<run>[?expand=<file>]`: the run's lineage DAG, files → ops → samples with the samples
 * collapsed into one node per run and each file's rows collapsed into the file; `expand` shows
 * a file's first rows as nodes of their own (erased ones grey, without a label). A table lists
 * the same nodes for the keyboard, with the links that expand a file.
 */
export const runView: View = async (main, id, query) => {
  const expand = query.get('expand');
  const params = new URLSearchParams(expand ? { expand, limit: '40' } : {});
  const [summary, dag] = await Promise.all([
    getJson(`/api/runs/${encodeURIComponent(id)}`),
    getJson(`/api/runs/${encodeURIComponent(id)}/dag${expand ? `?${params}` : ''}`),
  ]);
  const apiNodes = dag.nodes as ApiNode[];
  const nodes: DagNode[] = apiNodes.map((n) => ({ id: n.id, label: n.label, kind: n.kind }));
  const edges: DagEdge[] = (dag.edges as DagEdge[]).map((e) => ({ from: e.from, to: e.to }));
  const rows = (dag.expanded?.rows ?? []) as ExpandedRow[];
  for (const r of rows) {
    nodes.push({
      id: `row:${r.id}`,
      label: r.erased ? '' : `row ${r.row} ${r.key ?? ''}`,
      kind: r.erased ? 'erased' : 'row',
    });
    edges.push({ from: r.id.slice(0, r.id.lastIndexOf(':')), to: `row:${r.id}` });
  }
  if (dag.expanded?.truncated) {
    const fileId = expand as string;
    nodes.push({
      id: 'more-rows',
      label: `… ${dag.expanded.rowCount - rows.length} more rows`,
      kind: 'more',
    });
    edges.push({ from: fileId, to: 'more-rows' });
  }
  main.append(
    h('h1', {}, `Run ${id}`),
    facts([
      ['pipeline', summary.run.pipeline ?? summary.pipeline?.name ?? '—'],
      ['status', summary.run.status],
      ['mode', summary.run.mode],
      ['samples', summary.run.samples],
      ['train / test', `${summary.counts.trainSamples} / ${summary.counts.testSamples}`],
      ['erased samples', summary.counts.erasedSamples],
      [
        'models',
        h(
          'span',
          {},
          ...summary.models.flatMap((m: { id: string; version: number | null }, i: number) => [
            i ? ', ' : '',
            h('a', { href: route('model', m.id) }, `v${m.version ?? '?'} ${m.id}`),
          ]),
        ),
      ],
    ]),
    h('h2', { id: 'h-dag' }, expand ? `Lineage DAG (rows of ${expand} expanded)` : 'Lineage DAG'),
    h('div', {
      class: 'dag',
      id: 'run-dag',
      role: 'img',
      'aria-label': `Lineage DAG of the run: ${nodes.length} nodes; the table below lists them`,
    }),
    h('h2', {}, 'Nodes'),
    h(
      'div',
      { class: 'nodes' },
      table(
        ['kind', 'node', 'facts', ''],
        apiNodes.map((n) =>
          h(
            'tr',
            { 'data-node': n.id },
            h('td', {}, n.kind),
            h('td', {}, n.label),
            h(
              'td',
              { class: 'muted' },
              n.kind === 'file'
                ? `${n.rowsUsed ?? '?'} of ${n.rows ?? '?'} rows used, ${n.samples} samples, ${n.erasedRows} erased`
                : n.kind === 'samples'
                  ? `${n.train} train, ${n.test} test`
                  : String(n.step ?? ''),
            ),
            h(
              'td',
              {},
              n.kind === 'file'
                ? expand === n.id
                  ? h('a', { href: route('run', id) }, 'Collapse rows')
                  : h('a', { href: route('run', id, { expand: n.id }) }, 'Expand rows')
                : null,
            ),
          ),
        ),
      ),
    ),
  );
  if (expand) {
    main.append(
      h('h2', {}, `First rows of ${dag.expanded.file ?? expand}`),
      table(
        ['row', 'key', 'samples'],
        rows.map((r) =>
          r.erased
            ? h(
                'tr',
                { class: 'skeleton', 'data-erased': 'true', 'aria-label': 'erased row' },
                h('td', { class: 'num' }, skeleton()),
                h('td', {}, skeleton()),
                h('td', { class: 'num' }, skeleton()),
              )
            : h(
                'tr',
                { 'data-row-id': r.id },
                h('td', { class: 'num' }, h('a', { href: route('row', r.id) }, r.row)),
                h('td', {}, r.key ?? '—'),
                h('td', { class: 'num' }, r.samples),
              ),
        ),
        [0, 2],
      ),
    );
  }
  drawDag(main.querySelector('#run-dag') as HTMLElement, nodes, edges, (nodeId) => {
    const node = apiNodes.find((n) => n.id === nodeId);
    if (node?.kind === 'file')
      location.hash = route('run', id, expand === nodeId ? undefined : { expand: nodeId });
  });
};
