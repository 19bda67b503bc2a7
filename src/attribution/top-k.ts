import { InputError } from '../errors.js';

/** The most supportive and most opposing training rows of one test point. */
export interface TopK {
  /** Row indices by decreasing score (largest positive first); ties by lower index. */
  supportive: Uint32Array;
  /** Row indices by increasing score (most negative first); ties by lower index. */
  opposing: Uint32Array;
}

/**
 * Top-k in both directions in O(n log k) with two bounded heaps.
 *
 * @example
 * const { supportive, opposing } = topK(scoreRow(scores, t), 5);
 */
export function topK(scores: ArrayLike<number>, k: number): TopK {
  if (!Number.isInteger(k) || k < 0)
    throw new InputError('attribution.badK', `k must be a whole number, got ${k}`);
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new InputError('attribution.nanScore', `score ${i} is NaN`);
  }
  const kk = Math.min(k, scores.length);
  return {
    supportive: select(scores, kk, 1),
    opposing: select(scores, kk, -1),
  };
}

/** Indices of the k largest of sign·score; ties prefer the lower index. */
function select(scores: ArrayLike<number>, k: number, sign: number): Uint32Array {
  // "better(a, b)": a ranks before b.
  const better = (a: number, b: number): boolean => {
    const sa = sign * scores[a];
    const sb = sign * scores[b];
    return sa > sb || (sa === sb && a < b);
  };
  // Min-heap on rank: the root is the worst of the kept k.
  const heap = new Uint32Array(k);
  let size = 0;
  const siftUp = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!better(heap[p], heap[i])) break;
      const t = heap[p];
      heap[p] = heap[i];
      heap[i] = t;
      i = p;
    }
  };
  const siftDown = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < size && better(heap[w], heap[l])) w = l;
      if (r < size && better(heap[w], heap[r])) w = r;
      if (w === i) return;
      const t = heap[w];
      heap[w] = heap[i];
      heap[i] = t;
      i = w;
    }
  };
  if (k === 0) return heap;
  for (let i = 0; i < scores.length; i++) {
    if (size < k) {
      heap[size++] = i;
      siftUp(size - 1);
    } else if (better(i, heap[0])) {
      heap[0] = i;
      siftDown(0);
    }
  }
  return Uint32Array.from(heap).sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
