import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { addLossGradient } from './loss-gradient-sum.js';

/** Linear scores θᵀx̃ of the rows of a removal problem: of `x` (by row) and of the `add` rows. */
export interface RemainingScores {
  x: Float64Array;
  add: Float64Array | null;
  /** When present, the pass also writes each visited row's ‖xᵣ‖² here (of `x`, of the `add` rows). */
  squaredNorms?: { x: Float64Array; add: Float64Array | null };
}

/**
 * Writes ∇J_R(θ) = (1/n')·(Σ_{i∈R} (pᵢ − yᵢ)·x̃ᵢ + b) + λ·(w, 0) into `out` (length d+1), the
 * gradient of the remaining-data objective: rows of `x` with `skip[r] = 1` are left out, the
 * `add` rows are included, n' is their count, b the model's objective perturbation (none: 0).
 * `scores`, when given, receives the linear scores at θ of the rows the pass visits (see
 * `addLossGradient`). Returns n'. Inputs are trusted (internal kernel).
 */
export function remainingGradient(
  x: CsrMatrix,
  y: Uint8Array,
  skip: Uint8Array,
  add: LabelledRows | undefined,
  theta: Float64Array,
  lambda: number,
  out: Float64Array,
  perturbation?: Float64Array,
  scores?: RemainingScores,
): number {
  out.fill(0);
  const norms = scores?.squaredNorms;
  let n = addLossGradient(x, y, theta, skip, 1, out, scores?.x, norms?.x);
  if (add)
    n += addLossGradient(
      add.x,
      add.y,
      theta,
      null,
      1,
      out,
      scores?.add ?? undefined,
      norms?.add ?? undefined,
    );
  const d = x.cols;
  if (perturbation) for (let j = 0; j <= d; j++) out[j] += perturbation[j];
  for (let j = 0; j <= d; j++) out[j] /= n;
  for (let j = 0; j < d; j++) out[j] += lambda * theta[j];
  return n;
}

/** Euclidean norm of a vector. */
export function norm2(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}
