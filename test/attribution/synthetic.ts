import type { LabelledRows } from '../../src/attribution/attribution-problem.js';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { sigmoid } from '../../src/attribution/logistic-regression.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/** A seeded logistic data set: Gaussian features, labels drawn from a known logistic model. */
export function syntheticLogistic(
  n: number,
  d: number,
  seed: number,
): LabelledRows & { dense: Float64Array } {
  const rng = new SeededRandom(seed);
  const w = Array.from({ length: d }, () => rng.normal());
  const dense = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let z = 0.3;
    for (let j = 0; j < d; j++) {
      const v = rng.normal();
      dense[i * d + j] = v;
      z += w[j] * v;
    }
    y[i] = rng.next() < sigmoid(z) ? 1 : 0;
  }
  return { x: csrFromDense(dense, n, d), y, dense };
}
