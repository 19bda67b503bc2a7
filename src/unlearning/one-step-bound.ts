import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';
import type { RemainingScores } from './remaining-gradient.js';

/**
 * γ = max |ℓ'''| of the logistic loss: ℓ''(z) = σ(1−σ) has derivative σ(1−σ)(1−2σ), whose
 * largest magnitude is 1/(6√3) ≈ 0.0962 (Guo et al. use the looser 1/4).
 */
const LOGISTIC_THIRD_DERIVATIVE_BOUND = 1 / (6 * Math.sqrt(3));

/**
 * A data-dependent bound on the gradient residual left by one exact Newton step s taken from
 * θ_O with the remaining-data Hessian at θ_O (Guo et al. 2020, Corollary 1 style):
 *
 *   ‖∇J_R(θ_O + s)‖₂ ≤ (γ / 2n')·‖X̃_R‖_F·‖(X̃_R s)∘(X̃_R s)‖₂,
 *
 * because ∇J_R(θ_O + s) = (1/n')·X̃_Rᵀ v with |vᵢ| = |∫₀¹ (ℓ''(zᵢ + tδᵢ) − ℓ''(zᵢ)) dt·δᵢ| ≤ γδᵢ²/2
 * (δ = X̃_R s) and ‖X̃_Rᵀ‖₂ ≤ ‖X̃_R‖_F. It needs no evaluation at θ_O + s and holds whatever the
 * data; it is usually far looser than the residual itself. Rows with `skip[r] = 1` are not in R.
 * δ is read from the rows' linear scores at θ_O (`before`) and θ_O + s (`after`), which the
 * gradient passes of the update compute (`remainingGradient`'s `scores`; the first also with the
 * rows' squared norms): no pass of its own over the features.
 */
export function oneStepResidualBound(
  x: CsrMatrix,
  skip: Uint8Array,
  add: LabelledRows | undefined,
  before: RemainingScores,
  after: RemainingScores,
  norms0: { x: Float64Array; add: Float64Array | null },
): number {
  let frob2 = 0;
  let quartic = 0;
  let n = 0;
  const visit = (
    m: CsrMatrix,
    mask: Uint8Array | null,
    z0: Float64Array,
    z1: Float64Array,
    norms: Float64Array,
  ): void => {
    for (let r = 0; r < m.rows; r++) {
      if (mask !== null && mask[r] === 1) continue;
      // δᵣ = x̃ᵣᵀs, from the scores the gradient passes at θ_O and θ_O + s computed anyway.
      const delta = z1[r] - z0[r];
      frob2 += 1 + norms[r];
      quartic += delta * delta * delta * delta;
      n++;
    }
  };
  visit(x, skip, before.x, after.x, norms0.x);
  if (add)
    visit(add.x, null, before.add as Float64Array, after.add as Float64Array, norms0.add as Float64Array);
  return (LOGISTIC_THIRD_DERIVATIVE_BOUND / (2 * n)) * Math.sqrt(frob2) * Math.sqrt(quartic);
}
