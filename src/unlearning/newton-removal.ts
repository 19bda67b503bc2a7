import { choleskyFactor, choleskySolveInPlace } from '../attribution/cholesky.js';
import { fitLogisticRegression } from '../attribution/logistic-regression.js';
import { defaults } from '../defaults.js';
import { InputError } from '../errors.js';
import { minEigenvalue } from './min-eigenvalue.js';
import { oneStepResidualBound } from './one-step-bound.js';
import { norm2, type RemainingScores, remainingGradient } from './remaining-gradient.js';
import { remainingRows } from './remaining-rows.js';
import type { RemovalCertificate } from './removal-certificate.js';
import type { RemovalProblem } from './removal-problem.js';
import { validateRemovalProblem } from './validate-removal-problem.js';
import { addWeightedGram } from './weighted-gram.js';

/** Options of {@link newtonRemoval}. */
export interface NewtonRemovalConfig {
  /**
   * Largest acceptable ‖∇J_R(θ_U)‖₂; past it the update is replaced by a full retrain on the
   * remaining data (`fallback: true`). Default 1e-5.
   */
  budget?: number;
  /**
   * Newton step plus chord refinements (each re-uses the factorised Hessian at θ_O) at most.
   * Default 2: a refinement is taken only when the residual after a step exceeds
   * `refineTolerance`.
   */
  maxSteps?: number;
  /** Residual below which no refinement is taken. Default 1e-9. */
  refineTolerance?: number;
  /**
   * Steps at most (Newton plus chord) with a Hessian sum kept from an earlier version
   * (`hessianTheta` ≠ θ_O), before the Hessian is rebuilt at the current iterate. Default 8.
   */
  maxKeptHessianSteps?: number;
  /** Retrain when the budget is exceeded (default true); false only reports it. */
  fallback?: boolean;
  /** Tolerance of the fallback retrain (see `fitLogisticRegression`). Default 1e-10. */
  retrainTolerance?: number;
}

/** The outcome of {@link newtonRemoval}. */
export interface NewtonRemovalResult {
  /** θ_U (or the retrained θ when `fallback`), d+1, intercept last. */
  theta: Float64Array;
  /** n': rows of the remaining-data objective. */
  remainingRows: number;
  /** True when the certificate exceeded the budget and a full retrain replaced the update. */
  fallback: boolean;
  certificate: RemovalCertificate;
  /** Wall time of the whole call, seconds. */
  seconds: number;
  /**
   * Σᵢ pᵢ(1−pᵢ)·x̃ᵢx̃ᵢᵀ over the remaining rows at {@link hessianTheta} (no λ term): what the next
   * removal from θ can start from without a pass over the data. Not meaningful after `fallback`.
   */
  hessianSum: Float64Array;
  /** The parameters {@link hessianSum} was evaluated at. */
  hessianTheta: Float64Array;
  /** True when a kept Hessian did not converge in its steps and was rebuilt at the iterate. */
  hessianRebuilt: boolean;
  /**
   * Linear scores θᵀx̃ at {@link theta} of the remaining rows (of `x` by row, forgotten rows'
   * entries meaningless; and of the `add` rows), from the last gradient pass: the remaining
   * rows' metrics need no pass of their own.
   */
  scores: RemainingScores;
}

/**
 * Removes rows from an L2 logistic regression by a Newton step on the remaining-data objective
 * (Guo et al. 2020, certified removal): θ_U = θ_O − H_R(θ_O)⁻¹·∇J_R(θ_O), where J_R is the mean
 * loss over the n' remaining rows plus (λ/2)‖w‖² and H_R its Hessian. Because J_R is scaled by
 * 1/n' (not 1/n), ∇J_R(θ_O) is not just the forgotten rows' gradients: the λ-term no longer
 * balances, and the step accounts for it exactly. H_R is built from the full-data Hessian sum
 * minus the forgotten rows (plus the added rows), so only the forget set is revisited; the
 * residual ‖∇J_R(θ_U)‖₂ (one O(nnz) pass) is the certificate. The remaining rows' sum is returned
 * for the next removal: kept (`hessianTheta`, the point it is exact at) rather than rebuilt at θ_U,
 * which would cost a pass over all rows. With a kept sum the step is a chord iteration on a
 * nearby Hessian, checked by the same exact residual (and the Hessian is rebuilt when it does not
 * converge); `oneStepBound` is then the bound of the exact Newton step, for reference only.
 *
 * @example
 * const u = newtonRemoval({ x, y, theta: model.theta, lambda: model.lambda, forget: [3, 17] });
 * if (u.fallback) console.log('retrained: residual', u.certificate.updateResidual);
 */
export function newtonRemoval(
  problem: RemovalProblem,
  config: NewtonRemovalConfig = {},
): NewtonRemovalResult {
  const started = performance.now();
  validateRemovalProblem(problem);
  const budget = config.budget ?? defaults.removalBudget;
  const maxSteps = config.maxSteps ?? 2;
  const refineTolerance = config.refineTolerance ?? 1e-9;
  if (!(budget >= 0))
    throw new InputError('unlearning.badRemovalBudget', `budget must be ≥ 0, got ${budget}`);
  if (!(Number.isInteger(maxSteps) && maxSteps >= 1)) {
    throw new InputError('unlearning.badSteps', `maxSteps must be a whole number ≥ 1, got ${maxSteps}`);
  }
  const { x, y, lambda, add, perturbation: b } = problem;
  const d = x.cols;
  const D = d + 1;
  const n = x.rows;
  const forget = Uint32Array.from(problem.forget);
  const skip = new Uint8Array(n);
  for (let k = 0; k < forget.length; k++) skip[forget[k]] = 1;
  const nRemaining = n - forget.length + (add ? add.x.rows : 0);

  // S_R(θ_H) = S_all − S_forget + S_add at θ_H (θ_O unless the sum was kept from an earlier
  // version); H_R·n' = S_R + n'λI' (intercept unpenalised).
  const thetaO = problem.theta;
  const kept = problem.hessianSum !== undefined && problem.hessianTheta !== undefined;
  let hessianTheta = Float64Array.from(kept ? (problem.hessianTheta as Float64Array) : thetaO);
  const sum = new Float64Array(D * D);
  if (problem.hessianSum) sum.set(problem.hessianSum);
  else addWeightedGram(x, null, thetaO, 1, sum);
  addWeightedGram(x, forget, hessianTheta, -1, sum);
  if (add) addWeightedGram(add.x, null, hessianTheta, 1, sum);
  let l = factorHessian(sum, D, nRemaining, lambda);

  const theta = Float64Array.from(thetaO);
  const grad = new Float64Array(D);
  // The rows' linear scores, which every gradient pass computes: at θ_O, then at each iterate
  // (the one-step bound reads δ = X̃s from the first two; the last are the scores at θ_U).
  const newScores = (): RemainingScores => ({
    x: new Float64Array(n),
    add: add ? new Float64Array(add.x.rows) : null,
  });
  const squaredNorms = { x: new Float64Array(n), add: add ? new Float64Array(add.x.rows) : null };
  const atStart: RemainingScores = { ...newScores(), squaredNorms };
  let scores = newScores();
  remainingGradient(x, y, skip, add, theta, lambda, grad, b, atStart);
  const step = choleskySolveInPlace(l, D, Float64Array.from(grad));
  for (let j = 0; j < D; j++) step[j] = -step[j];
  for (let j = 0; j < D; j++) theta[j] += step[j];
  remainingGradient(x, y, skip, add, theta, lambda, grad, b, scores);
  const oneStepBound = oneStepResidualBound(x, skip, add, atStart, scores, squaredNorms);
  let residual = norm2(grad);
  let steps = 1;
  const chord = (limit: number) => {
    while (steps < limit && residual > refineTolerance) {
      // Chord step: the same factorised Hessian, the gradient at the current iterate.
      choleskySolveInPlace(l, D, grad);
      for (let j = 0; j < D; j++) theta[j] -= grad[j];
      remainingGradient(x, y, skip, add, theta, lambda, grad, b, scores);
      residual = norm2(grad);
      steps++;
    }
  };
  let hessianRebuilt = false;
  if (!kept) chord(maxSteps);
  else {
    // A kept Hessian is from a nearby point: chord steps converge linearly, so allow more of
    // them; when they do not reach the tolerance, rebuild it at the iterate (one pass) and go on.
    chord(config.maxKeptHessianSteps ?? 8);
    if (residual > refineTolerance) {
      hessianTheta = Float64Array.from(theta);
      sum.fill(0);
      addWeightedGram(x, null, hessianTheta, 1, sum);
      addWeightedGram(x, forget, hessianTheta, -1, sum);
      if (add) addWeightedGram(add.x, null, hessianTheta, 1, sum);
      l = factorHessian(sum, D, nRemaining, lambda);
      hessianRebuilt = true;
      chord(steps + maxSteps);
    }
  }
  const mu = minEigenvalue(l, D);
  const withinBudget = residual <= budget;
  let result: Float64Array = theta;
  let finalResidual = residual;
  const fallback = !withinBudget && config.fallback !== false;
  if (fallback) {
    const rows = remainingRows(n, forget);
    const retrained = fitLogisticRegression(rows.x(x, add), rows.y(y, add), {
      lambda,
      init: theta,
      tolerance: config.retrainTolerance ?? 1e-10,
      perturbation: b,
    });
    result = retrained.theta;
    scores = { x: atStart.x, add: atStart.add };
    remainingGradient(x, y, skip, add, result, lambda, grad, b, scores);
    finalResidual = norm2(grad);
  }
  return {
    theta: result,
    remainingRows: nRemaining,
    fallback,
    certificate: {
      gradientResidual: finalResidual,
      updateResidual: residual,
      oneStepBound,
      budget,
      withinBudget,
      distanceEstimate: finalResidual / mu,
      minEigenvalue: mu,
      steps,
    },
    seconds: (performance.now() - started) / 1000,
    hessianSum: sum,
    hessianTheta,
    hessianRebuilt,
    scores,
  };
}

/** The Cholesky factor of H_R = S_R/n' + λI' (intercept unpenalised, a tiny ridge on it). */
function factorHessian(sum: Float64Array, D: number, nRemaining: number, lambda: number): Float64Array {
  const h = new Float64Array(D * D);
  for (let i = 0; i < D * D; i++) h[i] = sum[i] / nRemaining;
  for (let j = 0; j < D - 1; j++) h[j * D + j] += lambda;
  h[(D - 1) * D + (D - 1)] += 1e-12;
  return choleskyFactor(h, D);
}
