/** The k largest entries of a score vector, best first. */
export interface TopK {
  index: Uint32Array;
  score: Float32Array;
}

/**
 * Indices and values of the `k` largest scores (ties: lower index first), in descending order.
 * O(n·log k) with a small binary-heap, no full sort.
 *
 * @example
 * topK(Float32Array.of(0.1, 0.9, -2, 0.5), 2) // → { index: [1, 3], score: [0.9, 0.5] }
 */
export function topK(scores: ArrayLike<number>, k: number): TopK {
  const m = Math.min(k, scores.length);
  // min-heap of candidate indices, ordered by (score asc, index desc): the root is the worst kept
  const heap = new Uint32Array(m);
  let size = 0;
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let w = at;
      if (l < size && worse(heap[l], heap[w])) w = l;
      if (r < size && worse(heap[r], heap[w])) w = r;
      if (w === at) return;
      [heap[at], heap[w]] = [heap[w], heap[at]];
      at = w;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    if (size < m) {
      let at = size++;
      heap[at] = i;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at], heap[parent])) break;
        [heap[at], heap[parent]] = [heap[parent], heap[at]];
        at = parent;
      }
    } else if (m > 0 && worse(heap[0], i)) {
      heap[0] = i;
      down(0);
    }
  }
  const index = Uint32Array.from(heap.subarray(0, size)).sort((a, b) =>
    worse(a, b) ? 1 : worse(b, a) ? -1 : 0,
  );
  const score = Float32Array.from(index, (i) => scores[i]);
  return { index, score };
}
