import type { RunMatrix } from './run-matrix.js';

/** One index per `sampleIds` array: it is built once and shared by every reader of the matrix. */
const indexes = new WeakMap<readonly string[], ReadonlyMap<string, number>>();

/**
 * Sample id → run-matrix row, built on first use for a loaded matrix and kept while the matrix
 * is (a request over several model lines, and its scrub, look samples up in the same matrix).
 * The `sampleIds` array of a loaded matrix is never changed, so the index cannot go stale.
 */
export function sampleRowIndex(matrix: Pick<RunMatrix, 'sampleIds'>): ReadonlyMap<string, number> {
  let index = indexes.get(matrix.sampleIds);
  if (!index) {
    const built = new Map<string, number>();
    for (let i = 0; i < matrix.sampleIds.length; i++) built.set(matrix.sampleIds[i], i);
    index = built;
    indexes.set(matrix.sampleIds, index);
  }
  return index;
}
