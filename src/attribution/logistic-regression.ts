import { defaults } from '../defaults.js';
import { InputError, TracepropError } from '../errors.js';
import { choleskyFactor, choleskySolveInPlace } from './cholesky.js';
import type { CsrMatrix } from './csr-matrix.js';

/** Options of {@link fitLogisticRegression}. */
export interface LogisticRegressionConfig {
  /** L2 strength λ of the mean-loss objective (the intercept is not penalised). Default `defaults.lambda` (1e-3). */
  lambda?: number;
  /** Stop when the largest Newton step component is below this. Default 1e-10. */
  tolerance?: number;
  /** Newton iterations at most. Default 100. */
  maxIterations?: number;
  /** Starting parameters (d+1, intercept last), e.g. the full-data fit for a warm retrain. */
  init?: Float64Array;
  /**
   * Objective perturbation b (d+1, intercept last; Guo et al. 2020): the objective gains bᵀθ/n,
   * the sum-form term bᵀθ of the paper divided by n like the loss. Drawn from N(0, σ²) for
   * (ε, δ)-certified removal (see `unlearning/certified-removal.ts`). None by default.
   */
  perturbation?: Float64Array;
}

/**
 * An L2-regularised logistic regression. Parameters θ = (w, b) of length d+1, intercept last.
 * Objective J(θ) = (1/n)·Σᵢ ℓ(θ; xᵢ, yᵢ) + (λ/2)·‖w‖², ℓ the log loss; the minimiser is unique.
 */
export interface LogisticModel {
  /** d+1 parameters, intercept last. */
  theta: Float64Array;
  /** Number of features d (without the intercept). */
  features: number;
  lambda: number;
  /** Training rows n the model was fit on. */
  trainRows: number;
  /** Newton iterations used. */
  iterations: number;
  /** ‖∇J‖∞ at the solution. */
  gradientNorm: number;
  /** The objective perturbation b it was fit with, when there was one (keep it secret). */
  perturbation?: Float64Array;
}

/** 1/(1+e^{-z}) without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log(1+e^{z}) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Linear scores θᵀx̃ of every row of `x` (x̃ = [x, 1]). */
export function logisticLinear(
  theta: Float64Array,
  x: CsrMatrix,
  out = new Float64Array(x.rows),
): Float64Array {
  const d = x.cols;
  for (let r = 0; r < x.rows; r++) {
    let s = theta[d];
    for (let q = x.rowPtr[r]; q < x.rowPtr[r + 1]; q++) s += theta[x.colIdx[q]] * x.values[q];
    out[r] = s;
  }
  return out;
}

/** P(y = 1 | x) for every row. */
export function logisticPredict(model: LogisticModel, x: CsrMatrix): Float64Array {
  const z = logisticLinear(model.theta, x);
  for (let i = 0; i < z.length; i++) z[i] = sigmoid(z[i]);
  return z;
}

/** Margin of the correct class f = ±θᵀx̃ (+ when y = 1), the LDS output function. */
export function logisticMargins(model: LogisticModel, x: CsrMatrix, y: Uint8Array): Float64Array {
  const z = logisticLinear(model.theta, x);
  for (let i = 0; i < z.length; i++) if (y[i] === 0) z[i] = -z[i];
  return z;
}

/** Mean log loss plus the L2 term (plus bᵀθ/n with an objective perturbation b). */
export function logisticObjective(
  theta: Float64Array,
  x: CsrMatrix,
  y: Uint8Array,
  lambda: number,
  perturbation?: Float64Array,
): number {
  const z = logisticLinear(theta, x);
  let loss = 0;
  for (let i = 0; i < x.rows; i++) loss += softplus(y[i] ? -z[i] : z[i]);
  if (perturbation) for (let j = 0; j <= x.cols; j++) loss += perturbation[j] * theta[j];
  let reg = 0;
  for (let j = 0; j < x.cols; j++) reg += theta[j] * theta[j];
  return loss / x.rows + 0.5 * lambda * reg;
}

/**
 * Per-sample loss gradients ∇θ ℓᵢ = (pᵢ − yᵢ)·x̃ᵢ as an n×(d+1) row-major Float64 array
 * (the L2 term is not included: it belongs to the objective, not to a sample).
 */
export function logisticSampleGradients(model: LogisticModel, x: CsrMatrix, y: Uint8Array): Float64Array {
  const D = x.cols + 1;
  const p = logisticPredict(model, x);
  const g = new Float64Array(x.rows * D);
  for (let r = 0; r < x.rows; r++) {
    const res = p[r] - y[r];
    for (let q = x.rowPtr[r]; q < x.rowPtr[r + 1]; q++) g[r * D + x.colIdx[q]] = res * x.values[q];
    g[r * D + x.cols] = res;
  }
  return g;
}

/**
 * Hessian of the objective, (1/n)·Σ pᵢ(1−pᵢ)·x̃ᵢx̃ᵢᵀ + λ·I (intercept unpenalised), as a
 * (d+1)×(d+1) row-major Float64 array. Pass `scale = n` for the Hessian of the summed loss.
 */
export function logisticHessian(model: LogisticModel, x: CsrMatrix, scale = 1): Float64Array {
  const p = logisticPredict(model, x);
  const w = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) w[i] = p[i] * (1 - p[i]);
  return weightedGram(x, w, model.lambda, scale / x.rows, scale);
}

/** a·Σ wᵢ x̃ᵢx̃ᵢᵀ + b·λ·I' over the non-zeros of each row. */
function weightedGram(x: CsrMatrix, w: Float64Array, lambda: number, a: number, b: number): Float64Array {
  const d = x.cols;
  const D = d + 1;
  const h = new Float64Array(D * D);
  for (let r = 0; r < x.rows; r++) {
    const wr = w[r];
    if (wr === 0) continue;
    const s = x.rowPtr[r];
    const e = x.rowPtr[r + 1];
    for (let q = s; q < e; q++) {
      const cq = x.colIdx[q];
      const vq = wr * x.values[q];
      const row = cq * D;
      for (let t = s; t < e; t++) h[row + x.colIdx[t]] += vq * x.values[t];
      h[row + d] += vq;
    }
    h[d * D + d] += wr;
  }
  // Only the (row cq, col ct) entries and the intercept column were accumulated: mirror the
  // intercept column into the intercept row.
  for (let j = 0; j < d; j++) h[d * D + j] = h[j * D + d];
  // (a, b) and (b, a) were accumulated with different rounding: make it exactly symmetric.
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) h[j * D + i] = h[i * D + j];
  for (let i = 0; i < D * D; i++) h[i] *= a;
  for (let j = 0; j < d; j++) h[j * D + j] += b * lambda;
  return h;
}

/**
 * Fits L2 logistic regression by Newton/IRLS in Float64 with a backtracking line search:
 * deterministic, and converged to `tolerance`.
 *
 * @example
 * const model = fitLogisticRegression(xTrain, yTrain, { lambda: 1e-3 });
 */
export function fitLogisticRegression(
  x: CsrMatrix,
  y: Uint8Array,
  config: LogisticRegressionConfig = {},
): LogisticModel {
  const lambda = config.lambda ?? defaults.lambda;
  const tol = config.tolerance ?? 1e-10;
  const maxIter = config.maxIterations ?? 100;
  if (x.rows !== y.length) {
    throw new InputError('attribution.badShape', `x has ${x.rows} rows but y has ${y.length} labels`);
  }
  if (x.rows === 0) throw new InputError('attribution.badShape', 'cannot fit on zero rows');
  if (!(lambda >= 0)) throw new InputError('attribution.badLambda', `lambda must be ≥ 0, got ${lambda}`);
  const d = x.cols;
  const D = d + 1;
  const n = x.rows;
  const theta = config.init ? Float64Array.from(config.init) : new Float64Array(D);
  if (theta.length !== D) {
    throw new InputError('attribution.badShape', `init has ${theta.length} parameters, expected ${D}`);
  }
  const b = config.perturbation;
  if (b && b.length !== D) {
    throw new InputError('attribution.badShape', `perturbation has ${b.length} entries, expected ${D}`);
  }
  const z = new Float64Array(n);
  const w = new Float64Array(n);
  const grad = new Float64Array(D);
  let obj = logisticObjective(theta, x, y, lambda, b);
  let iterations = 0;
  let gradNorm = Number.POSITIVE_INFINITY;
  const trial = new Float64Array(D);
  for (; iterations < maxIter; iterations++) {
    logisticLinear(theta, x, z);
    grad.fill(0);
    for (let r = 0; r < n; r++) {
      const p = sigmoid(z[r]);
      const res = p - y[r];
      w[r] = p * (1 - p);
      for (let q = x.rowPtr[r]; q < x.rowPtr[r + 1]; q++) grad[x.colIdx[q]] += res * x.values[q];
      grad[d] += res;
    }
    gradNorm = 0;
    for (let j = 0; j < D; j++) {
      grad[j] = (grad[j] + (b ? b[j] : 0)) / n + (j < d ? lambda * theta[j] : 0);
      gradNorm = Math.max(gradNorm, Math.abs(grad[j]));
    }
    const h = weightedGram(x, w, lambda, 1 / n, 1);
    // Guard a singular intercept block (all pᵢ(1−pᵢ) = 0) with a tiny ridge.
    h[d * D + d] += 1e-12;
    const step = choleskySolveInPlace(choleskyFactor(h, D), D, Float64Array.from(grad));
    let stepMax = 0;
    for (let j = 0; j < D; j++) stepMax = Math.max(stepMax, Math.abs(step[j]));
    let t = 1;
    let accepted = false;
    for (let ls = 0; ls < 50; ls++) {
      for (let j = 0; j < D; j++) trial[j] = theta[j] - t * step[j];
      const o = logisticObjective(trial, x, y, lambda, b);
      if (o <= obj + 1e-15 * Math.abs(obj) || t * stepMax < tol) {
        theta.set(trial);
        obj = o;
        accepted = true;
        break;
      }
      t /= 2;
    }
    if (!accepted) break;
    if (t * stepMax < tol) {
      iterations++;
      break;
    }
  }
  if (!Number.isFinite(obj)) {
    throw new TracepropError('attribution.diverged', 'logistic regression diverged (non-finite objective)');
  }
  return {
    theta,
    features: d,
    lambda,
    trainRows: n,
    iterations,
    gradientNorm: gradNorm,
    ...(b ? { perturbation: Float64Array.from(b) } : {}),
  };
}
