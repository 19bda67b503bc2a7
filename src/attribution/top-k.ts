import { InputError } from '../errors.js';

/** The k best entries of a score vector, best first. */
export interface TopK {
  index: Uint32Array;
  /** The scores of `index`, as Float32 (what attribution writes on INFLUENCED_BY). */
  score: Float32Array;
}

/**
 * Which end of the scores {@link topK} keeps: `largest` (the most supportive training rows,
 * descending) or `smallest` (the most opposing, ascending).
 */
export type TopKOrder = 'largest' | 'smallest';

/**
 * Indices and values of the `k` largest (or smallest) scores, best first; ties: lower index
 * first; NaN scores are skipped. O(n·log k) with one bounded binary heap, no full sort.
 *
 * @throws InputError `attribution.badK` when `k` is not a whole number ≥ 0.
 * @example
 * topK(Float32Array.of(0.1, 0.9, -2, 0.5), 2) // → { index: [1, 3], score: [0.9, 0.5] }
 * topK(Float32Array.of(0.1, 0.9, -2, 0.5), 2, 'smallest') // → { index: [2, 0], score: [-2, 0.1] }
 */
export function topK(scores: ArrayLike<number>, k: number, order: TopKOrder = 'largest'): TopK {
  if (!Number.isInteger(k) || k < 0)
    throw new InputError('attribution.badK', `k must be a whole number ≥ 0, got ${k}`);
  const m = Math.min(k, scores.length);
  // min-heap of candidate indices, ordered worst first: the root is the worst kept
  const heap = new Uint32Array(m);
  let size = 0;
  const worse =
    order === 'largest'
      ? (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b)
      : (a: number, b: number) => scores[a] > scores[b] || (scores[a] === scores[b] && a > b);
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
