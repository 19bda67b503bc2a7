import { InputError } from '../errors.js';
import type { AttributionMethod } from './attribution-method.js';
import type { LabelledRows } from './attribution-problem.js';
import type { CsrMatrix } from './csr-matrix.js';
import { inverseHessian } from './kernel-directions.js';
import { type LogisticModel, logisticPredict } from './logistic-regression.js';
import type { PatternEncoding } from './pattern-encoding.js';
import { patternsPayOff, trainingPatterns } from './score-product.js';

/**
 * What every score of a logistic model's kernel methods (`ns`, `if`, `graddot`) shares, whatever
 * the test points: computed once per model (at training, or on a model's first attribution) and
 * kept with its artifact, so a job's first call in a fresh process pays only the per-test-point
 * work.
 */
export interface LogisticKernelPrecomputation {
  /** Training rows n it was computed over. */
  rows: number;
  /** Parameters D = d + 1 (the intercept last). */
  cols: number;
  /** M⁻¹, the inverse Hessian of the summed objective at θ (D×D, row-major). */
  inverseHessian: Float64Array;
  /** cᵢ = yᵢ − pᵢ of every training row (`if`, `graddot`). */
  residuals: Float64Array;
  /** cᵢ/(1 − hᵢ), the leverage-corrected residuals (`ns`). */
  leverageResiduals: Float64Array;
  /** The training matrix's pattern encoding (on SharedArrayBuffers), when it has one worth using. */
  patterns?: PatternEncoding;
}

/** Whether a method's scores use a {@link LogisticKernelPrecomputation} (`ns`, `if`, `graddot`). */
export function usesKernelPrecomputation(method: AttributionMethod): boolean {
  return method === 'ns' || method === 'if' || method === 'graddot';
}

/**
 * Computes a model's {@link LogisticKernelPrecomputation}: one pass for the predictions, one for
 * the Hessian and its inverse (O(nnz·d + d³)), one for the leverages (O(Σ nnzᵢ²)), and the pattern
 * encoding of the training matrix (O(nnz)).
 *
 * @example
 * const pre = precomputeLogisticKernels(model, train);
 * const scores = await attributeLogistic({ model, train, test, precomputed: pre }, 'ns');
 */
export function precomputeLogisticKernels(
  model: LogisticModel,
  train: LabelledRows,
): LogisticKernelPrecomputation {
  const inv = inverseHessian(model, train.x);
  const p = logisticPredict(model, train.x);
  const residuals = new Float64Array(train.x.rows);
  for (let i = 0; i < residuals.length; i++) residuals[i] = train.y[i] - p[i];
  const patterns = trainingPatterns(train.x);
  return {
    rows: train.x.rows,
    cols: model.features + 1,
    inverseHessian: inv,
    residuals,
    leverageResiduals: leverageCorrected(train.x, inv, p, residuals, new Float64Array(residuals.length)),
    ...(patternsPayOff(patterns) ? { patterns } : {}),
  };
}

/**
 * out[i] = cᵢ/(1 − hᵢ) with the leverage hᵢ = pᵢ(1−pᵢ)·x̃ᵢᵀM⁻¹x̃ᵢ of training row i (x̃ᵢ with a
 * trailing 1), i.e. one Newton step from θ̂ on the objective without row i. Writes into `out`.
 */
export function leverageCorrected(
  x: CsrMatrix,
  inv: Float64Array,
  p: Float64Array,
  residuals: Float64Array,
  out: Float64Array,
): Float64Array {
  const d = x.cols;
  const D = d + 1;
  for (let i = 0; i < x.rows; i++) {
    const s = x.rowPtr[i];
    const e = x.rowPtr[i + 1];
    // x̃ᵢᵀM⁻¹x̃ᵢ over the upper triangle of the row's non-zeros (M⁻¹ is symmetric).
    let q = inv[d * D + d];
    for (let u = s; u < e; u++) {
      const r = x.colIdx[u] * D;
      const vu = x.values[u];
      let off = inv[r + d];
      for (let v = u + 1; v < e; v++) off += x.values[v] * inv[r + x.colIdx[v]];
      q += vu * (vu * inv[r + x.colIdx[u]] + 2 * off);
    }
    out[i] = residuals[i] / (1 - p[i] * (1 - p[i]) * q);
  }
  return out;
}

/**
 * Checks that a precomputation fits the training rows and model it is used with.
 *
 * @throws InputError `attribution.badShape` naming the expected and the given shape.
 */
export function checkPrecomputation(pre: LogisticKernelPrecomputation, train: CsrMatrix): void {
  const D = train.cols + 1;
  if (
    pre.rows !== train.rows ||
    pre.cols !== D ||
    pre.inverseHessian.length !== D * D ||
    pre.residuals.length !== train.rows ||
    pre.leverageResiduals.length !== train.rows ||
    (pre.patterns !== undefined && (pre.patterns.rows !== train.rows || pre.patterns.cols !== D))
  ) {
    throw new InputError(
      'attribution.badShape',
      `the kernel precomputation is for ${pre.rows} training rows × ${pre.cols} parameters, the problem has ${train.rows} × ${D}`,
    );
  }
}
