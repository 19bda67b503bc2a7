import { logisticLinear, sigmoid } from '../attribution/logistic-regression.js';
import { modelRowsOf, type ReplacedRows } from './replaced-rows.js';
import type { RunMatrix } from './run-matrix.js';

/** One scored sample: P(y = 1) and the predicted class. */
export interface PredictionRow {
  /** `Prediction` node id: `<modelId>:<sampleId>`. */
  id: string;
  sampleId: string;
  score: number;
  label: number;
}

/**
 * Scores the run-matrix rows `idx` with θ (threshold 0.5); samples in `replaced` are scored on
 * their re-derived rows. `scores`: the rows' linear scores θᵀx̃ when the caller has them already
 * (no pass over the features).
 */
export function scoreRows(
  modelId: string,
  theta: Float64Array,
  matrix: RunMatrix,
  idx: Uint32Array,
  replaced?: ReplacedRows,
  scores?: Float64Array,
): PredictionRow[] {
  const z = scores ?? logisticLinear(theta, modelRowsOf(matrix, idx, replaced).x);
  const out: PredictionRow[] = new Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const sampleId = matrix.sampleIds[idx[k]];
    const score = sigmoid(z[k]);
    out[k] = { id: `${modelId}:${sampleId}`, sampleId, score, label: score >= 0.5 ? 1 : 0 };
  }
  return out;
}
