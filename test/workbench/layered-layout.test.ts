import assert from 'node:assert/strict';
import { type LayoutEdge, layeredLayout } from '../../src/workbench/layered-layout.js';

const box = (id: string) => ({ id, width: 140, height: 34 });

/** Crossings between the edges of two adjacent layers, given each node's y. */
function crossings(edges: LayoutEdge[], y: Map<string, number>, layer: Map<string, number>): number {
  const spans = edges.filter((e) => (layer.get(e.to) ?? 0) - (layer.get(e.from) ?? 0) === 1);
  let count = 0;
  for (let i = 0; i < spans.length; i++)
    for (let j = i + 1; j < spans.length; j++) {
      const a = spans[i];
      const b = spans[j];
      if (layer.get(a.from) !== layer.get(b.from)) continue;
      const da = (y.get(a.from) ?? 0) - (y.get(b.from) ?? 0);
      const db = (y.get(a.to) ?? 0) - (y.get(b.to) ?? 0);
      if (da * db < 0) count++;
    }
  return count;
}

/** Issue 11 (the 2,000-node lineage DAG in ≤ 1 s): the page's own layered layout for large DAGs. */
describe('workbench: layered layout of a lineage DAG', () => {
  it('puts files before the ops that read them and the samples after the last op, every edge pointing right', () => {
    const nodes = ['file:a', 'file:b', 'op0', 'op1', 'op2', 'op3', 'samples'].map(box);
    const edges = [
      { from: 'file:a', to: 'op0' },
      { from: 'op0', to: 'op1' },
      { from: 'op1', to: 'op2' },
      // file b is read late (a join): it sits just before the op that reads it.
      { from: 'file:b', to: 'op2' },
      { from: 'op2', to: 'op3' },
      { from: 'op3', to: 'samples' },
    ];
    const { positions, layer, layers } = layeredLayout(nodes, edges);
    assert.equal(layers, 6);
    assert.deepEqual(
      ['file:a', 'op0', 'op1', 'op2', 'op3', 'samples'].map((id) => layer.get(id)),
      [0, 1, 2, 3, 4, 5],
    );
    assert.equal(layer.get('file:b'), 2);
    for (const e of edges)
      assert.ok(positions.get(e.from)!.x < positions.get(e.to)!.x, `${e.from} → ${e.to}`);
    // Nodes of one layer do not overlap.
    const third = [...layer].filter(([, l]) => l === 2).map(([id]) => positions.get(id)!.y);
    assert.equal(third.length, 2);
    assert.ok(Math.abs(third[0] - third[1]) >= 34 + 14);
  });

  it('orders each layer by its neighbours (barycenter sweeps): a crossing of the first order is undone', () => {
    // Taken in topological order, y2 (ready after x2) comes before y1 (ready after x3), so
    // x1 → y1 crosses x2 → y2; the sweeps move x2 up.
    const nodes = ['x1', 'x2', 'x3', 'y1', 'y2'].map(box);
    const edges = [
      { from: 'x1', to: 'y1' },
      { from: 'x2', to: 'y2' },
      { from: 'x3', to: 'y1' },
    ];
    const count = (sweeps: number) => {
      const { positions, layer } = layeredLayout(nodes, edges, { sweeps });
      return crossings(edges, new Map([...positions].map(([id, p]) => [id, p.y])), layer);
    };
    assert.equal(count(0), 1);
    assert.equal(count(4), 0);
  });

  it('lays out 2,000 nodes with joins in well under the frame budget, deterministically, and survives a cycle', () => {
    const n = 2000;
    const nodes = Array.from({ length: n }, (_, i) => box(`op${i}`));
    const edges: LayoutEdge[] = [];
    for (let i = 1; i < n; i++) {
      edges.push({ from: `op${i - 1}`, to: `op${i}` });
      if (i % 7 === 0) edges.push({ from: `op${i - 7}`, to: `op${i}` });
    }
    const started = performance.now();
    const first = layeredLayout(nodes, edges);
    const ms = performance.now() - started;
    assert.equal(first.layers, n);
    assert.equal(first.positions.size, n);
    assert.ok(ms < 500, `took ${ms.toFixed(1)} ms`);
    assert.deepEqual([...layeredLayout(nodes, edges).positions], [...first.positions]);
    // A cycle (not expected in lineage) is broken, not looped on.
    const cyclic = layeredLayout(['a', 'b', 'c'].map(box), [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
    ]);
    assert.equal(cyclic.positions.size, 3);
    assert.equal(cyclic.layers, 3);
  });
});
