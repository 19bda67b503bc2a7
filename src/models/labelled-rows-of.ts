import type { LabelledRows } from '../attribution/attribution-problem.js';
import { csrSelectRows } from '../attribution/csr-matrix.js';
import type { RunMatrix } from './run-matrix.js';

/** The rows `idx` of a run matrix as labelled rows (labels 0/1; unknown labels count as 0). */
export function labelledRowsOf(matrix: RunMatrix, idx: Uint32Array): LabelledRows {
  const y = new Uint8Array(idx.length);
  for (let k = 0; k < idx.length; k++) y[k] = matrix.labels[idx[k]] === 1 ? 1 : 0;
  return { x: csrSelectRows(matrix.features, idx), y };
}

/** Rows of a split (0 = train, 1 = test) whose label is known, ascending, minus `exclude`. */
export function splitRows(matrix: RunMatrix, split: 0 | 1, exclude?: ReadonlySet<number>): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < matrix.split.length; i++) {
    const y = matrix.labels[i];
    if (matrix.split[i] === split && (y === 0 || y === 1) && !exclude?.has(i)) out.push(i);
  }
  return Uint32Array.from(out);
}
