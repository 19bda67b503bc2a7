import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { sigmoid } from '../attribution/logistic-regression.js';

/**
 * Adds `sign`·Σᵢ (pᵢ − yᵢ)·x̃ᵢ, the summed log-loss gradient of the selected rows at θ, into
 * `out` (length d+1, intercept last). Rows are selected by `skip`: a row r with `skip[r] = 1`
 * is left out (null: every row). `scores` (length x.rows), when given, receives each selected
 * row's linear score zᵣ = θᵀx̃ᵣ (computed by the pass anyway; skipped rows are left as they
 * were), so metrics at θ need no pass of their own; `squaredNorms` likewise ‖xᵣ‖². Returns the number of rows added. Inputs
 * are trusted.
 */
export function addLossGradient(
  x: CsrMatrix,
  y: Uint8Array,
  theta: Float64Array,
  skip: Uint8Array | null,
  sign: number,
  out: Float64Array,
  scores?: Float64Array,
  squaredNorms?: Float64Array,
): number {
  const d = x.cols;
  let used = 0;
  let bias = 0;
  for (let r = 0; r < x.rows; r++) {
    if (skip !== null && skip[r] === 1) continue;
    const s = x.rowPtr[r];
    const e = x.rowPtr[r + 1];
    let z = theta[d];
    for (let q = s; q < e; q++) z += theta[x.colIdx[q]] * x.values[q];
    if (scores) scores[r] = z;
    if (squaredNorms) {
      let sq = 0;
      for (let q = s; q < e; q++) sq += x.values[q] * x.values[q];
      squaredNorms[r] = sq;
    }
    const res = sign * (sigmoid(z) - y[r]);
    for (let q = s; q < e; q++) out[x.colIdx[q]] += res * x.values[q];
    bias += res;
    used++;
  }
  out[d] += bias;
  return used;
}
