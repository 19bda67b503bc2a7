import { InputError } from '../errors.js';
import { matMulAB } from './compute-backend.js';
import type { ScoreMatrix } from './score-matrix.js';
import { spearman } from './spearman.js';

/** The linear datamodeling score of one attribution method. */
export interface LdsResult {
  /** Mean over test points of the Spearman correlation (undefined ones counted as 0). */
  lds: number;
  /** Standard deviation over test points. */
  ldsSd: number;
  /** Test points whose correlation was undefined (constant predictions or margins). */
  noCorrelation: number;
  testPoints: number;
  subsets: number;
  /** Per-test-point correlations (NaN replaced by 0). */
  perTestPoint: Float64Array;
}

/**
 * Group predictions Σ_{i∈S} τ(z_t)_i of every subset S for every test point, as a T×m matrix.
 * One (T×n)·(n×m) product against the subset indicator matrix.
 */
export async function subsetPredictions(scores: ScoreMatrix, subsets: Uint32Array[]): Promise<Float32Array> {
  const n = scores.cols;
  const m = subsets.length;
  const ind = new Float32Array(n * m);
  for (let s = 0; s < m; s++) for (const i of subsets[s]) ind[i * m + s] = 1;
  return matMulAB(scores.data, ind, scores.rows, m, n);
}

/**
 * LDS from attribution scores and the margins of models retrained on each subset.
 *
 * @param retrained m×T row-major: retrained[s·T + t] = f(z_t) of the model fit on subset s.
 */
export async function ldsFromScores(
  scores: ScoreMatrix,
  subsets: Uint32Array[],
  retrained: Float64Array,
): Promise<LdsResult> {
  const T = scores.rows;
  const m = subsets.length;
  if (retrained.length !== m * T) {
    throw new InputError(
      'attribution.badShape',
      `retrained margins: expected ${m}×${T}, got ${retrained.length} values`,
    );
  }
  const pred = await subsetPredictions(scores, subsets);
  return ldsFromPredictions(pred, retrained, T, m);
}

/**
 * LDS from group predictions (T×m) and retrained outputs (m×T).
 */
export function ldsFromPredictions(
  pred: ArrayLike<number>,
  retrained: ArrayLike<number>,
  T: number,
  m: number,
): LdsResult {
  const per = new Float64Array(T);
  const a = new Float64Array(m);
  const b = new Float64Array(m);
  let none = 0;
  for (let t = 0; t < T; t++) {
    for (let s = 0; s < m; s++) {
      a[s] = pred[t * m + s];
      b[s] = retrained[s * T + t];
    }
    const r = spearman(a, b);
    if (Number.isNaN(r)) none++;
    per[t] = Number.isNaN(r) ? 0 : r;
  }
  let mean = 0;
  for (let t = 0; t < T; t++) mean += per[t];
  mean /= T;
  let v = 0;
  for (let t = 0; t < T; t++) v += (per[t] - mean) ** 2;
  const sd = T > 1 ? Math.sqrt(v / (T - 1)) : 0;
  return { lds: mean, ldsSd: sd, noCorrelation: none, testPoints: T, subsets: m, perTestPoint: per };
}
