import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';

/**
 * One removal from a trained L2 logistic regression (objective: mean log loss over the
 * training rows plus (λ/2)·‖w‖², intercept last and unpenalised, as in
 * `fitLogisticRegression`).
 *
 * The remaining data R are the training rows not in `forget`, plus the `add` rows (the
 * re-derived replacements of `recompute` mode). Its objective is scaled by its own size
 * n' = n − m + a: J_R(θ) = (1/n')·Σ_{i∈R} ℓᵢ(θ) + (λ/2)·‖w‖².
 */
export interface RemovalProblem {
  /** Training features the original model was fit on (n rows, d columns). */
  x: CsrMatrix;
  /** Training labels (0/1), length n. */
  y: Uint8Array;
  /** θ_O: the original parameters (d+1, intercept last), fit on all n rows. */
  theta: Float64Array;
  /** λ of the original fit (the remaining-data objective uses the same λ). */
  lambda: number;
  /** Row indices of `x` to remove (distinct, each < n). */
  forget: ArrayLike<number>;
  /** Rows to add (recompute mode): the forgotten samples re-derived without the erased data. */
  add?: LabelledRows;
  /**
   * The objective perturbation b the original model was fit with (certified removal): J_R gains
   * bᵀθ/n', the same b the retrain on the remaining data would use. None: 0.
   */
  perturbation?: Float64Array;
  /**
   * Optional cache: Σᵢ pᵢ(1−pᵢ)·x̃ᵢx̃ᵢᵀ over all n training rows at θ_O ((d+1)² row-major,
   * no λ term), e.g. saved with the model at training time. When absent it is computed (one
   * pass over the data), which is most of the cost of the update.
   */
  hessianSum?: Float64Array;
  /**
   * The parameters `hessianSum` was evaluated at, when not θ_O: a sum kept from an earlier
   * version of the model line (its rows' weights pᵢ(1−pᵢ) at that point). The forgotten and added
   * rows are then taken out and in at the same point, so the sum stays exact there, and the
   * Newton step uses that Hessian (see `newtonRemoval`).
   */
  hessianTheta?: Float64Array;
}
