import type { LabelledRows } from '../attribution/attribution-problem.js';
import { type CsrMatrix, csrSelectRows } from '../attribution/csr-matrix.js';
import { csrConcatRows } from './csr-concat-rows.js';

/** The rows left after a removal, and how to materialise the remaining data. */
export interface RemainingRows {
  /** Indices 0..n-1 not in the forget set, ascending. */
  keep: Uint32Array;
  /** The remaining features: kept rows of `x`, then the `add` rows. */
  x(x: CsrMatrix, add?: LabelledRows): CsrMatrix;
  /** The remaining labels, in the same order. */
  y(y: Uint8Array, add?: LabelledRows): Uint8Array;
}

/** The complement of `forget` in 0..n-1 (ascending) plus materialisers for X and y. */
export function remainingRows(n: number, forget: ArrayLike<number>): RemainingRows {
  const removed = new Uint8Array(n);
  for (let k = 0; k < forget.length; k++) removed[forget[k]] = 1;
  const keep = new Uint32Array(n - forget.length);
  let p = 0;
  for (let i = 0; i < n; i++) if (removed[i] === 0) keep[p++] = i;
  return {
    keep,
    x: (x, add) => {
      const kept = csrSelectRows(x, keep);
      return add ? csrConcatRows(kept, add.x) : kept;
    },
    y: (y, add) => {
      const out = new Uint8Array(keep.length + (add ? add.y.length : 0));
      for (let k = 0; k < keep.length; k++) out[k] = y[keep[k]];
      if (add) out.set(add.y, keep.length);
      return out;
    },
  };
}
