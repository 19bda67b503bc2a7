import type { AttributionMethod } from '../../attribution/attribution-method.js';
import { choleskyFactor, choleskyInverse } from '../../attribution/cholesky.js';
import type { CsrMatrix } from '../../attribution/csr-matrix.js';
import { type LogisticModel, logisticHessian } from '../../attribution/logistic-regression.js';

/**
 * For the methods whose logistic score is τ(z)ᵢ = cᵢ·aᵀx̃ᵢ (see `logisticKernelScores`), a
 * function giving the directions a = M⁻¹x̃_z of a block of test rows (T×(d+1), row-major, the
 * intercept last; the sign of the correct class is left out: only |aⱼx̃ᵢⱼ| is used): M = the
 * Hessian of the summed objective for `ns` and `if`, I for `graddot`. `undefined` for the
 * methods without that form (`ll` projects, `random` has no features).
 * M⁻¹ is computed once, here (O(nnz·d + d³)); each block then costs O(nnz·d).
 */
export function kernelDirections(
  model: LogisticModel,
  train: CsrMatrix,
  method: AttributionMethod,
): ((test: CsrMatrix) => Float64Array) | undefined {
  const d = model.features;
  const D = d + 1;
  if (method === 'graddot') {
    return (test) => {
      const a = new Float64Array(test.rows * D);
      for (let t = 0; t < test.rows; t++) {
        for (let q = test.rowPtr[t]; q < test.rowPtr[t + 1]; q++) a[t * D + test.colIdx[q]] = test.values[q];
        a[t * D + d] = 1;
      }
      return a;
    };
  }
  if (method !== 'ns' && method !== 'if') return undefined;
  const inv = choleskyInverse(choleskyFactor(logisticHessian(model, train, train.rows), D), D);
  return (test) => {
    const a = new Float64Array(test.rows * D);
    for (let t = 0; t < test.rows; t++) {
      const o = t * D;
      for (let j = 0; j < D; j++) a[o + j] = inv[d * D + j];
      for (let q = test.rowPtr[t]; q < test.rowPtr[t + 1]; q++) {
        const r = test.colIdx[q] * D;
        const v = test.values[q];
        for (let j = 0; j < D; j++) a[o + j] += v * inv[r + j];
      }
    }
    return a;
  };
}
