import type { LabelledRows } from '../attribution/attribution-problem.js';
import { logisticLinear, sigmoid } from '../attribution/logistic-regression.js';

/** O (original), R (gold: retrained on the remaining data) and U (unlearned) side by side. */
interface ThreeWay {
  original: number;
  gold: number;
  unlearned: number;
}

/** How an unlearned model compares with the gold retrain (DESIGN §5). */
export interface UnlearningMetrics {
  /** 1 − ‖θ_U−θ_R‖/‖θ_O−θ_R‖: 1 is perfect; it can never exceed 1. */
  paramGapClosed: number;
  /** ‖θ_U − θ_R‖₂. */
  paramDistance: number;
  /** Mean log loss on the forgotten rows. */
  forgetLoss: ThreeWay;
  /** Accuracy on the test rows (threshold 0.5). */
  testAccuracy: ThreeWay;
  /** Mean Bernoulli KL(p_U ‖ p_R) over the test rows, nats. */
  klUnlearnedGold: number;
  /**
   * Loss-threshold membership-inference AUC of the forgotten rows against the test rows (0.5:
   * indistinguishable from unseen data). U should match R, not O.
   */
  membershipAuc: ThreeWay;
  /** Wall time of the update and of the gold retrain. */
  seconds: { unlearned: number; gold: number };
}

/**
 * 1 − ‖θ_U−θ_R‖/‖θ_O−θ_R‖ (1 when θ_O = θ_R and θ_U = θ_R; 0 when θ_U did not move towards θ_R;
 * negative when it moved away).
 */
export function paramGapClosed(thetaO: Float64Array, thetaR: Float64Array, thetaU: Float64Array): number {
  const gap = distance(thetaO, thetaR);
  const left = distance(thetaU, thetaR);
  if (gap === 0) return left === 0 ? 1 : Number.NEGATIVE_INFINITY;
  return 1 - left / gap;
}

/** ‖a − b‖₂. */
export function distance(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return Math.sqrt(s);
}

/** Mean log loss of θ on labelled rows (0 for no rows). */
export function meanLogLoss(theta: Float64Array, rows: LabelledRows): number {
  if (rows.x.rows === 0) return 0;
  return meanLogLossOfScores(logisticLinear(theta, rows.x), rows.y);
}

/** Mean log loss of rows with linear scores `z` and labels `y` (0 for no rows). */
export function meanLogLossOfScores(z: Float64Array, y: Uint8Array): number {
  if (z.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const m = y[i] ? -z[i] : z[i];
    s += m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }
  return s / z.length;
}

/** Fraction of rows whose predicted class (p ≥ 0.5) matches the label. */
export function accuracy(theta: Float64Array, rows: LabelledRows): number {
  if (rows.x.rows === 0) return 0;
  return accuracyOfScores(logisticLinear(theta, rows.x), rows.y);
}

/** Fraction of rows with linear scores `z` whose predicted class (z ≥ 0) matches `y` (0 for no rows). */
export function accuracyOfScores(z: Float64Array, y: Uint8Array): number {
  if (z.length === 0) return 0;
  let right = 0;
  for (let i = 0; i < z.length; i++) if ((z[i] >= 0 ? 1 : 0) === y[i]) right++;
  return right / z.length;
}

/** Mean Bernoulli KL(σ(z_U) ‖ σ(z_R)) over the rows, in nats. */
export function meanBernoulliKl(thetaU: Float64Array, thetaR: Float64Array, rows: LabelledRows): number {
  if (rows.x.rows === 0) return 0;
  const zu = logisticLinear(thetaU, rows.x);
  const zr = logisticLinear(thetaR, rows.x);
  let s = 0;
  for (let i = 0; i < zu.length; i++) {
    const pu = sigmoid(zu[i]);
    // log p/q via log-sigmoids: log σ(z) = −softplus(−z), log(1−σ(z)) = −softplus(z).
    const lpu = -softplus(-zu[i]);
    const lqu = -softplus(zu[i]);
    const lpr = -softplus(-zr[i]);
    const lqr = -softplus(zr[i]);
    s += pu * (lpu - lpr) + (1 - pu) * (lqu - lqr);
  }
  return Math.max(0, s / zu.length);
}

function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}
