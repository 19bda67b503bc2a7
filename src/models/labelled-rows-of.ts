import type { RunMatrix } from './run-matrix.js';

/** Rows of a split (0 = train, 1 = test) whose label is known, ascending, minus `exclude`. */
export function splitRows(matrix: RunMatrix, split: 0 | 1, exclude?: ReadonlySet<number>): Uint32Array {
  const out: number[] = [];
  for (let i = 0; i < matrix.split.length; i++) {
    const y = matrix.labels[i];
    if (matrix.split[i] === split && (y === 0 || y === 1) && !exclude?.has(i)) out.push(i);
  }
  return Uint32Array.from(out);
}
