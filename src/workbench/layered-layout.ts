/** A node to place: its id and the size it is drawn at (pixels). */
export interface LayoutNodeSize {
  id: string;
  width: number;
  height: number;
}

/** A directed edge between two node ids (edges naming unknown ids are ignored). */
export interface LayoutEdge {
  from: string;
  to: string;
}

/** Spacing of a {@link layeredLayout} (pixels). */
export interface LayeredLayoutOptions {
  /** Gap between two layers (columns), default 40. */
  layerGap?: number;
  /** Gap between two nodes of one layer, default 14. */
  nodeGap?: number;
  /** Barycenter sweeps (alternating downstream and upstream), default 4. */
  sweeps?: number;
}

/** Where each node goes: its centre, and the layer (column) it is in. */
export interface LayeredLayout {
  positions: Map<string, { x: number; y: number }>;
  layer: Map<string, number>;
  /** Number of layers. */
  layers: number;
}

/**
 * A layered (Sugiyama-style) layout of a DAG, left to right, in O((V + E) · sweeps + V log V),
 * for DAGs too large for ELK in the browser (the workbench's lineage DAG: files → ops →
 * samples). Layers by longest path from the sources (every edge points right), then each source
 * moves right next to its first successor (a file read late in a pipeline sits beside the op
 * reading it, not at the far left); order within a layer from a topological order refined by
 * barycenter sweeps (each node at the mean position of its neighbours on the side swept from:
 * few crossings); coordinates: layers as columns as wide as their widest node, nodes stacked
 * and centred on y = 0. A cycle (not expected in lineage) is broken by ignoring the edges that
 * point back in the order the nodes were taken.
 *
 * @example
 * const { positions } = layeredLayout(
 *   [{ id: 'f', width: 140, height: 34 }, { id: 'op0', width: 140, height: 34 }],
 *   [{ from: 'f', to: 'op0' }],
 * );
 * positions.get('op0') // { x: 180, y: 0 }
 */
export function layeredLayout(
  nodes: readonly LayoutNodeSize[],
  edges: readonly LayoutEdge[],
  options: LayeredLayoutOptions = {},
): LayeredLayout {
  const layerGap = options.layerGap ?? 40;
  const nodeGap = options.nodeGap ?? 14;
  const sweeps = options.sweeps ?? 4;
  const n = nodes.length;
  const index = new Map<string, number>();
  for (const [i, node] of nodes.entries()) index.set(node.id, i);
  const succ: number[][] = Array.from({ length: n }, () => []);
  const pred: number[][] = Array.from({ length: n }, () => []);
  for (const edge of edges) {
    const a = index.get(edge.from);
    const b = index.get(edge.to);
    if (a === undefined || b === undefined || a === b) continue;
    succ[a].push(b);
    pred[b].push(a);
  }

  const order = topologicalOrder(succ, pred);
  const rank = new Int32Array(n);
  order.forEach((v, i) => {
    rank[v] = i;
  });
  // Edges that point forward in `order` (all of them in a DAG).
  const forwardSucc = succ.map((out, v) => out.filter((w) => rank[w] > rank[v]));
  const forwardPred = pred.map((into, v) => into.filter((u) => rank[u] < rank[v]));

  // Longest path from the sources.
  const layer = new Int32Array(n);
  for (const v of order) for (const w of forwardSucc[v]) layer[w] = Math.max(layer[w], layer[v] + 1);
  // Sources move right, next to their nearest successor.
  for (const v of order) {
    if (forwardPred[v].length > 0 || forwardSucc[v].length === 0) continue;
    let nearest = Number.POSITIVE_INFINITY;
    for (const w of forwardSucc[v]) nearest = Math.min(nearest, layer[w]);
    layer[v] = nearest - 1;
  }
  let layers = 0;
  for (let v = 0; v < n; v++) layers = Math.max(layers, layer[v] + 1);

  // Order within each layer: topological first, then barycenter sweeps.
  const rows: number[][] = Array.from({ length: layers }, () => []);
  for (const v of order) rows[layer[v]].push(v);
  const slot = new Float64Array(n);
  const renumber = (row: number[]) => {
    row.forEach((v, i) => {
      slot[v] = i;
    });
  };
  rows.forEach(renumber);
  const key = new Float64Array(n);
  const sortByBarycenter = (row: number[], neighbours: number[][]) => {
    for (const v of row) {
      const around = neighbours[v];
      if (around.length === 0) {
        key[v] = slot[v];
        continue;
      }
      let sum = 0;
      for (const u of around) sum += slot[u];
      key[v] = sum / around.length;
    }
    // Stable: ties keep their order.
    row.sort((a, b) => key[a] - key[b] || slot[a] - slot[b]);
    renumber(row);
  };
  for (let s = 0; s < sweeps; s++) {
    if (s % 2 === 0) for (let l = 1; l < layers; l++) sortByBarycenter(rows[l], forwardPred);
    else for (let l = layers - 2; l >= 0; l--) sortByBarycenter(rows[l], forwardSucc);
  }

  // Coordinates: one column per layer, nodes stacked and centred.
  const positions = new Map<string, { x: number; y: number }>();
  const layerOf = new Map<string, number>();
  let x = 0;
  let previousHalf = 0;
  rows.forEach((row, l) => {
    let widest = 0;
    let height = 0;
    for (const v of row) {
      widest = Math.max(widest, nodes[v].width);
      height += nodes[v].height;
    }
    height += nodeGap * Math.max(0, row.length - 1);
    if (l > 0) x += previousHalf + layerGap + widest / 2;
    previousHalf = widest / 2;
    let y = -height / 2;
    for (const v of row) {
      const node = nodes[v];
      positions.set(node.id, { x, y: y + node.height / 2 });
      layerOf.set(node.id, l);
      y += node.height + nodeGap;
    }
  });
  return { positions, layer: layerOf, layers };
}

/**
 * Kahn's topological order (ties in input order). When only nodes on cycles are left, the
 * earliest of them is taken next, which breaks the cycle through it.
 */
function topologicalOrder(succ: number[][], pred: number[][]): number[] {
  const n = succ.length;
  const missing = pred.map((into) => into.length);
  const taken = new Uint8Array(n);
  const order: number[] = [];
  const queue: number[] = [];
  for (let v = 0; v < n; v++) if (missing[v] === 0) queue.push(v);
  let head = 0;
  let nextCandidate = 0;
  while (order.length < n) {
    if (head === queue.length) {
      while (taken[nextCandidate]) nextCandidate++;
      queue.push(nextCandidate);
      missing[nextCandidate] = 0;
    }
    const v = queue[head++];
    if (taken[v]) continue;
    taken[v] = 1;
    order.push(v);
    for (const w of succ[v]) {
      if (taken[w]) continue;
      missing[w]--;
      if (missing[w] === 0) queue.push(w);
    }
  }
  return order;
}
