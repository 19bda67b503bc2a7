import type { LabelledRows } from '../../src/attribution/attribution-problem.js';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/**
 * A seeded synthetic binary classification set: `rows`×`cols` Gaussian features (a few zeroed
 * to keep it sparse), labels drawn from a logistic model with fixed weights.
 */
export function syntheticLogistic(rows: number, cols: number, seed: number): LabelledRows {
  const rng = new SeededRandom(seed);
  const weights = Array.from({ length: cols }, (_, j) => (j % 2 === 0 ? 1 : -0.7) / Math.sqrt(j + 1));
  const dense = new Float64Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = 0.3;
    for (let c = 0; c < cols; c++) {
      const v = rng.next() < 0.2 ? 0 : rng.normal();
      dense[r * cols + c] = v;
      z += weights[c] * v;
    }
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { x: csrFromDense(dense, rows, cols), y };
}
