import type { LogisticAttributionProblem } from './attribution-problem.js';
import { inverseHessian, testDirections } from './kernel-directions.js';
import { logisticPredict } from './logistic-regression.js';
import type { ScoreMatrix } from './score-matrix.js';
import { type ScoreProductOptions, scaledScoreProduct } from './score-product.js';

/** How the training-side vectors are weighted in {@link logisticKernelScores}. */
export type LogisticKernel = 'hessian' | 'hessianLeverage' | 'identity';

/**
 * Scores of the form τ(z_t)_i = s_t·cᵢ·x̃_tᵀ·M⁻¹·x̃ᵢ for logistic regression, where s_t = ±1 is
 * the sign of the correct class of test point t (f = margin of the correct class) and
 * cᵢ = yᵢ − pᵢ the negative loss-gradient factor of training row i:
 * - `hessian` (`if`): M = Hessian of the summed objective Σℓ + (nλ/2)‖w‖²;
 * - `hessianLeverage` (`ns`): the same, cᵢ divided by 1 − hᵢ with leverage
 *   hᵢ = pᵢ(1−pᵢ)·x̃ᵢᵀM⁻¹x̃ᵢ, i.e. one Newton step from θ̂ on the objective without row i;
 * - `identity` (`graddot`): M = I.
 * Factored as (T×D)·(D×n): A = rows s_t·M⁻¹x̃_t in Float64 ({@link testDirections}), then {@link scaledScoreProduct}
 * (the pattern kernel on one-hot data, otherwise one Float32 product on the wasm backend).
 */
export async function logisticKernelScores(
  problem: LogisticAttributionProblem,
  kernel: LogisticKernel,
  options: ScoreProductOptions = {},
): Promise<ScoreMatrix> {
  const { model, train, test } = problem;
  const d = model.features;
  const D = d + 1;
  const n = train.x.rows;
  const T = test.x.rows;
  const p = logisticPredict(model, train.x);
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = train.y[i] - p[i];
  const a = new Float64Array(T * D);
  if (kernel === 'identity') {
    testDirections(test.x, null, a, test.y);
  } else {
    // A = rows s_t·M⁻¹x̃_t through the explicit inverse: O(nnz·D) per test row instead of a D²
    // triangular solve (M is a well-conditioned ridge Hessian; Adult LDS unchanged to 6 decimals).
    const inv = inverseHessian(model, train.x);
    testDirections(test.x, inv, a, test.y);
    if (kernel === 'hessianLeverage') {
      const x = train.x;
      for (let i = 0; i < n; i++) {
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
        const h = p[i] * (1 - p[i]) * q;
        c[i] /= 1 - h;
      }
    }
  }
  return { rows: T, cols: n, data: await scaledScoreProduct(a, T, train.x, c, options) };
}
