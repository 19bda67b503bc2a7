import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { TracepropError } from '../errors.js';
import type { RunMatrix } from './run-matrix.js';

/**
 * Feature rows of a model version that differ from the run matrix: samples re-derived by
 * recompute-mode unlearning (without erased source rows). Row `k` of `x` is sample `samples[k]`
 * (a run-matrix row); `samples` is ascending.
 */
export interface ReplacedRows {
  samples: Uint32Array;
  x: CsrMatrix;
}

/**
 * The rows `idx` of a run matrix as labelled rows (labels 0/1; unknown labels count as 0), with
 * the features of re-derived samples taken from `replaced` instead of the run matrix.
 */
export function modelRowsOf(
  matrix: RunMatrix,
  idx: ArrayLike<number>,
  replaced?: ReplacedRows,
): LabelledRows {
  const m = matrix.features;
  // Where each row comes from, without a per-row allocation: `fromReplaced[k]` is the row of
  // `replaced.x` for idx[k], or -1 for the run matrix's own row.
  const fromReplaced = new Int32Array(idx.length).fill(-1);
  if (replaced && replaced.samples.length > 0) {
    const at = new Map<number, number>();
    for (let k = 0; k < replaced.samples.length; k++) at.set(replaced.samples[k], k);
    for (let k = 0; k < idx.length; k++) fromReplaced[k] = at.get(idx[k]) ?? -1;
  }
  const scrubbed = matrix.scrubbedRows;
  let nnz = 0;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    const r = fromReplaced[k];
    if (r >= 0) {
      const x = (replaced as ReplacedRows).x;
      nnz += x.rowPtr[r + 1] - x.rowPtr[r];
      continue;
    }
    if (scrubbed?.has(i))
      throw new TracepropError(
        'models.scrubbedRowRead',
        `row ${i} (sample ${matrix.sampleIds[i]}) of run ${matrix.runId}'s matrix was scrubbed by an erasure; its features are not there any more (a model reading it must take it from its own artifact)`,
      );
    nnz += m.rowPtr[i + 1] - m.rowPtr[i];
  }
  const rowPtr = new Uint32Array(idx.length + 1);
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  const y = new Uint8Array(idx.length);
  let p = 0;
  for (let k = 0; k < idx.length; k++) {
    const r = fromReplaced[k];
    const s = r >= 0 ? (replaced as ReplacedRows).x : m;
    const row = r >= 0 ? r : idx[k];
    const end = s.rowPtr[row + 1];
    for (let q = s.rowPtr[row]; q < end; q++) {
      colIdx[p] = s.colIdx[q];
      values[p++] = s.values[q];
    }
    rowPtr[k + 1] = p;
    y[k] = matrix.labels[idx[k]] === 1 ? 1 : 0;
  }
  return { x: { rows: idx.length, cols: m.cols, rowPtr, colIdx, values }, y };
}

/**
 * Replaced rows from `[sample, source matrix, row of it]` entries (any order; one per sample):
 * sorted by sample, each row copied from its source.
 */
export function replacedRowsFrom(entries: [number, CsrMatrix, number][], cols: number): ReplacedRows {
  const sorted = [...entries].sort((a, b) => a[0] - b[0]);
  let nnz = 0;
  for (const [, src, k] of sorted) nnz += src.rowPtr[k + 1] - src.rowPtr[k];
  const rowPtr = new Uint32Array(sorted.length + 1);
  const colIdx = new Uint32Array(nnz);
  const values = new Float64Array(nnz);
  let p = 0;
  sorted.forEach(([, src, k], r) => {
    for (let q = src.rowPtr[k]; q < src.rowPtr[k + 1]; q++) {
      colIdx[p] = src.colIdx[q];
      values[p++] = src.values[q];
    }
    rowPtr[r + 1] = p;
  });
  return {
    samples: Uint32Array.from(sorted, (e) => e[0]),
    x: { rows: sorted.length, cols, rowPtr, colIdx, values },
  };
}
