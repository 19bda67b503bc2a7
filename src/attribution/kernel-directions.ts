import type { AttributionMethod } from './attribution-method.js';
import { choleskyFactor, choleskyInverse } from './cholesky.js';
import type { CsrMatrix } from './csr-matrix.js';
import { type LogisticModel, logisticHessian } from './logistic-regression.js';

/**
 * M⁻¹ for the Hessian kernels: the inverse of the Hessian of the summed objective
 * Σℓ + (nλ/2)‖w‖² at the model's θ over the `train` rows ((d+1)×(d+1), row-major, the intercept
 * last), through its Cholesky factor. O(nnz·d + d³).
 */
export function inverseHessian(model: LogisticModel, train: CsrMatrix): Float64Array {
  const D = model.features + 1;
  return choleskyInverse(choleskyFactor(logisticHessian(model, train, train.rows), D), D);
}

/**
 * The kernel directions of test rows: row t of `out` (T×(d+1), row-major, the intercept last)
 * gets a_t = s_t·M⁻¹x̃_t, with `inv` = M⁻¹ ({@link inverseHessian}), or a_t = s_t·x̃_t when
 * `inv` is null (M = I). With `labels` (the test rows' 0/1 labels), s_t = ±1 is the sign of the
 * correct class; without, s_t = 1. O(nnz·d) per row. Writes into `out` and returns it.
 *
 * @example
 * testDirections(test.x, inverseHessian(model, train.x), new Float64Array(T * D), test.y)
 */
export function testDirections(
  test: CsrMatrix,
  inv: Float64Array | null,
  out: Float64Array = new Float64Array(test.rows * (test.cols + 1)),
  labels?: ArrayLike<number>,
): Float64Array {
  const d = test.cols;
  const D = d + 1;
  if (inv === null) {
    out.fill(0, 0, test.rows * D);
    for (let t = 0; t < test.rows; t++) {
      const sign = labels ? (labels[t] ? 1 : -1) : 1;
      for (let q = test.rowPtr[t]; q < test.rowPtr[t + 1]; q++)
        out[t * D + test.colIdx[q]] = labels ? sign * test.values[q] : test.values[q];
      out[t * D + d] = sign;
    }
    return out;
  }
  for (let t = 0; t < test.rows; t++) {
    const o = t * D;
    for (let j = 0; j < D; j++) out[o + j] = inv[d * D + j];
    for (let q = test.rowPtr[t]; q < test.rowPtr[t + 1]; q++) {
      const r = test.colIdx[q] * D;
      const v = test.values[q];
      for (let j = 0; j < D; j++) out[o + j] += v * inv[r + j];
    }
    if (labels) {
      const sign = labels[t] ? 1 : -1;
      for (let j = 0; j < D; j++) out[o + j] *= sign;
    }
  }
  return out;
}

/**
 * For the methods whose logistic score is τ(z)ᵢ = cᵢ·aᵀx̃ᵢ (see `logisticKernelScores`), a
 * function giving the directions a = M⁻¹x̃_z of a block of test rows (T×(d+1), row-major, the
 * intercept last; the sign of the correct class is left out: only |aⱼx̃ᵢⱼ| is used): M = the
 * Hessian of the summed objective for `ns` and `if`, I for `graddot`. `undefined` for the
 * methods without that form (`ll` projects, `random` has no features).
 * M⁻¹ is computed once, here (O(nnz·d + d³)), unless given as `inverse`; each block then costs
 * O(nnz·d).
 */
export function kernelDirections(
  model: LogisticModel,
  train: CsrMatrix,
  method: AttributionMethod,
  inverse?: Float64Array,
): ((test: CsrMatrix) => Float64Array) | undefined {
  if (method === 'graddot') return (test) => testDirections(test, null);
  if (method !== 'ns' && method !== 'if') return undefined;
  const inv = inverse ?? inverseHessian(model, train);
  return (test) => testDirections(test, inv);
}
