import { choleskyFactor, choleskySolveInPlace } from '../attribution/cholesky.js';
import { fitLogisticRegression } from '../attribution/logistic-regression.js';
import { defaults } from '../defaults.js';
import { InputError } from '../errors.js';
import { minEigenvalue } from './min-eigenvalue.js';
import { oneStepResidualBound } from './one-step-bound.js';
import { norm2, remainingGradient } from './remaining-gradient.js';
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
}

/**
 * Removes rows from an L2 logistic regression by a Newton step on the remaining-data objective
 * (Guo et al. 2020, certified removal): θ_U = θ_O − H_R(θ_O)⁻¹·∇J_R(θ_O), where J_R is the mean
 * loss over the n' remaining rows plus (λ/2)‖w‖² and H_R its Hessian. Because J_R is scaled by
 * 1/n' (not 1/n), ∇J_R(θ_O) is not just the forgotten rows' gradients: the λ-term no longer
 * balances, and the step accounts for it exactly. H_R is built from the full-data Hessian sum
 * minus the forgotten rows (plus the added rows), so only the forget set is revisited; the
 * residual ‖∇J_R(θ_U)‖₂ (one O(nnz) pass) is the certificate.
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

  // H_R(θ_O)·n' = S_all − S_forget + S_add + n'λI' (intercept unpenalised).
  const thetaO = problem.theta;
  const h = new Float64Array(D * D);
  if (problem.hessianSum) h.set(problem.hessianSum);
  else addWeightedGram(x, null, thetaO, 1, h);
  addWeightedGram(x, forget, thetaO, -1, h);
  if (add) addWeightedGram(add.x, null, thetaO, 1, h);
  for (let i = 0; i < D * D; i++) h[i] /= nRemaining;
  for (let j = 0; j < d; j++) h[j * D + j] += lambda;
  h[d * D + d] += 1e-12;
  const l = choleskyFactor(h, D);

  const theta = Float64Array.from(thetaO);
  const grad = new Float64Array(D);
  remainingGradient(x, y, skip, add, theta, lambda, grad, b);
  const step = choleskySolveInPlace(l, D, Float64Array.from(grad));
  for (let j = 0; j < D; j++) step[j] = -step[j];
  for (let j = 0; j < D; j++) theta[j] += step[j];
  const oneStepBound = oneStepResidualBound(x, skip, add, step);
  remainingGradient(x, y, skip, add, theta, lambda, grad, b);
  let residual = norm2(grad);
  let steps = 1;
  while (steps < maxSteps && residual > refineTolerance) {
    // Chord step: the same factorised H_R(θ_O), the gradient at the current iterate.
    choleskySolveInPlace(l, D, grad);
    for (let j = 0; j < D; j++) theta[j] -= grad[j];
    remainingGradient(x, y, skip, add, theta, lambda, grad, b);
    residual = norm2(grad);
    steps++;
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
    remainingGradient(x, y, skip, add, result, lambda, grad, b);
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
  };
}
