import { randomBytes } from 'node:crypto';
import { UsageError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';

/**
 * (ε, δ)-certified removal for L2 logistic regression, after Guo, Goldstein, Hannun and van der
 * Maaten, "Certified Data Removal from Machine Learning Models" (ICML 2020), Theorem 3.
 *
 * Training minimises the perturbed objective L_b(θ; D) = Σᵢ ℓᵢ(θ) + (λn/2)‖w‖² + bᵀθ with
 * b ~ N(0, σ²)^(d+1) (`fitLogisticRegression` minimises L_b/n, the same optimum). A removal
 * returns θ⁻ whose gradient residual on the remaining data D′, ‖∇L_b(θ⁻; D′)‖₂ (sum form: n′
 * times the mean-form residual `newtonRemoval` reports), is at most the budget ε′. Then θ⁻ is
 * the exact optimum of L_{b−u}(·; D′) for u = ∇L_b(θ⁻; D′), and with σ = c·ε′/ε the densities of
 * b and b − u differ by at most e^ε except with probability δ = 1.5·e^(−c²/2): the removal is
 * (ε, δ)-indistinguishable from retraining on D′ with fresh noise. Residuals of sequential
 * removals are added up (as in the paper's Algorithm 2, conservatively); past ε′ the model must
 * be retrained from scratch with a new b, which resets the budget.
 *
 * Proof obligations the caller keeps: the loss is convex with a unique optimum (λ > 0), b stays
 * secret (it is stored with the model artifact, never in the graph or a log), and the residual
 * spent is measured on the perturbed objective of the remaining data (`perturbation` given to
 * the removal).
 */

/** The parameters of a certified model line. */
export interface CertifiedRemovalParameters {
  /** ε > 0 of the (ε, δ) guarantee. */
  epsilon: number;
  /** δ in (0, 1) of the guarantee. */
  delta: number;
  /**
   * ε′: the total sum-form gradient residual the removals of one model line may spend before a
   * retrain from scratch.
   */
  budget: number;
}

/** c with δ = 1.5·e^(−c²/2), i.e. c = √(2·ln(1.5/δ)). */
export function noiseMultiplier(delta: number): number {
  return Math.sqrt(2 * Math.log(1.5 / delta));
}

/**
 * σ of the objective perturbation: c·ε′/ε (Theorem 3). Throws `unlearning.badCertification`
 * for ε ≤ 0, δ outside (0, 1) or ε′ ≤ 0.
 */
export function certifiedNoiseScale(p: CertifiedRemovalParameters): number {
  checkParameters(p);
  return (noiseMultiplier(p.delta) * p.budget) / p.epsilon;
}

/** Draws b ~ N(0, σ²) of `dims` entries from a seeded generator (reproducible from the seed). */
export function drawPerturbation(dims: number, sigma: number, seed: number): Float64Array {
  const rng = new SeededRandom(seed);
  const b = new Float64Array(dims);
  for (let j = 0; j < dims; j++) b[j] = rng.normal(0, sigma);
  return b;
}

/**
 * Draws b ~ N(0, σ²) of `dims` entries from the operating system's CSPRNG (Box–Muller over
 * 53-bit uniforms): the perturbation of a certified model must not be reproducible from
 * anything an adversary could learn, so no seed exists to be kept or leaked.
 */
export function drawSecretPerturbation(dims: number, sigma: number): Float64Array {
  const b = new Float64Array(dims);
  const bytes = randomBytes(16 * Math.ceil(dims / 2));
  const uniform = (offset: number) => {
    const hi = bytes.readUInt32BE(offset) >>> 5; // 27 bits
    const lo = bytes.readUInt32BE(offset + 4) >>> 6; // 26 bits
    return (hi * 67108864 + lo + 0.5) / 9007199254740992; // in (0, 1)
  };
  for (let j = 0; j < dims; j += 2) {
    const u1 = uniform(8 * j);
    const u2 = uniform(8 * j + 8);
    const r = sigma * Math.sqrt(-2 * Math.log(u1));
    b[j] = r * Math.cos(2 * Math.PI * u2);
    if (j + 1 < dims) b[j + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  return b;
}

/** Where a model line stands after a removal was charged to its budget. */
export interface RemovalBudgetState {
  /** Sum-form residual of this removal: n′ × ‖∇J_R(θ⁻)‖₂. */
  charged: number;
  /** Total spent on the line, this removal included. */
  spent: number;
  /** ε′ − spent (negative when over). */
  left: number;
  /** True when the line is still within ε′: the (ε, δ) certificate holds. */
  withinBudget: boolean;
}

/**
 * Charges one removal to a model line's budget: `meanResidual` is ‖∇J_R(θ⁻)‖₂ of the mean-form
 * objective over `remainingRows` rows (what `newtonRemoval` reports as `gradientResidual`),
 * `spentBefore` what earlier removals on the line spent.
 */
export function chargeRemoval(
  p: CertifiedRemovalParameters,
  spentBefore: number,
  meanResidual: number,
  remainingRows: number,
): RemovalBudgetState {
  checkParameters(p);
  const charged = meanResidual * remainingRows;
  const spent = spentBefore + charged;
  return { charged, spent, left: p.budget - spent, withinBudget: spent <= p.budget };
}

/**
 * Parses `EPS,DELTA` (the `--certify` option), e.g. `1,1e-5`. Throws
 * `unlearning.badCertification` naming the expected form.
 */
export function parseCertifyOption(text: string): { epsilon: number; delta: number } {
  const parts = text.split(',').map((s) => s.trim());
  const [epsilon, delta] = parts.map(Number);
  if (parts.length !== 2 || !(epsilon > 0) || !(delta > 0 && delta < 1))
    throw new UsageError(
      'unlearning.badCertification',
      `--certify: expected EPS,DELTA with ε > 0 and 0 < δ < 1 (e.g. 1,1e-5), got "${text}"`,
    );
  return { epsilon, delta };
}

function checkParameters(p: CertifiedRemovalParameters): void {
  if (!(p.epsilon > 0) || !(p.delta > 0 && p.delta < 1) || !(p.budget > 0))
    throw new UsageError(
      'unlearning.badCertification',
      `certified removal needs ε > 0, 0 < δ < 1 and a residual budget ε′ > 0, got ε = ${p.epsilon}, δ = ${p.delta}, ε′ = ${p.budget}`,
    );
}
