import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { sigmoid } from '../attribution/logistic-regression.js';

/**
 * Adds `sign`·Σᵢ pᵢ(1−pᵢ)·x̃ᵢx̃ᵢᵀ over the given rows of `x` (x̃ = [x, 1], pᵢ = σ(θᵀx̃ᵢ)) into
 * `out`, a (d+1)×(d+1) row-major array: the summed log-loss Hessian of those rows at θ, without
 * any λ term. `rows` null means every row. Inputs are trusted (internal kernel).
 *
 * @example
 * const s = new Float64Array(D * D);
 * addWeightedGram(x, null, theta, 1, s);        // all rows
 * addWeightedGram(x, forget, theta, -1, s);     // minus the forgotten ones
 */
export function addWeightedGram(
  x: CsrMatrix,
  rows: ArrayLike<number> | null,
  theta: Float64Array,
  sign: number,
  out: Float64Array,
): Float64Array {
  const d = x.cols;
  const D = d + 1;
  const count = rows === null ? x.rows : rows.length;
  // Accumulate only the upper triangle (col ≥ row), then mirror.
  const acc = new Float64Array(D * D);
  for (let k = 0; k < count; k++) {
    const r = rows === null ? k : rows[k];
    const s = x.rowPtr[r];
    const e = x.rowPtr[r + 1];
    let z = theta[d];
    for (let q = s; q < e; q++) z += theta[x.colIdx[q]] * x.values[q];
    const p = sigmoid(z);
    const w = p * (1 - p);
    if (w === 0) continue;
    for (let q = s; q < e; q++) {
      const cq = x.colIdx[q];
      const vq = w * x.values[q];
      const base = cq * D;
      for (let t = s; t < e; t++) {
        const ct = x.colIdx[t];
        if (ct >= cq) acc[base + ct] += vq * x.values[t];
      }
      acc[base + d] += vq;
    }
    acc[d * D + d] += w;
  }
  for (let i = 0; i < D; i++) {
    for (let j = i; j < D; j++) {
      const v = sign * acc[i * D + j];
      out[i * D + j] += v;
      if (j !== i) out[j * D + i] += v;
    }
  }
  return out;
}
