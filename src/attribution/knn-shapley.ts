import { InputError } from '../errors.js';

/**
 * Exact Shapley values of training points for a K-nearest-neighbour classifier
 * (Jia et al. 2019, "Efficient task-specific data valuation for nearest neighbor algorithms",
 * Theorem 1), averaged over the test points. Utility of a set S for one test point:
 * (1/K)·Σ over the min(K, |S|) nearest members of S of 1[label = test label].
 * Distances are squared Euclidean on dense rows; ties in distance are broken by lower index.
 * O(T·n log n).
 *
 * @param train n×d row-major, @param test T×d row-major.
 */
export function knnShapley(
  train: ArrayLike<number>,
  trainY: ArrayLike<number>,
  test: ArrayLike<number>,
  testY: ArrayLike<number>,
  d: number,
  K: number,
): Float64Array {
  const n = trainY.length;
  const T = testY.length;
  if (train.length !== n * d || test.length !== T * d) {
    throw new InputError('attribution.badShape', `expected ${n}×${d} train and ${T}×${d} test values`);
  }
  if (!Number.isInteger(K) || K < 1)
    throw new InputError('attribution.badK', `K must be a positive integer, got ${K}`);
  const values = new Float64Array(n);
  const dist = new Float64Array(n);
  const order = new Uint32Array(n);
  const s = new Float64Array(n);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < d; j++) {
        const diff = train[i * d + j] - test[t * d + j];
        acc += diff * diff;
      }
      dist[i] = acc;
      order[i] = i;
    }
    order.sort((a, b) => dist[a] - dist[b] || a - b);
    const match = (i: number): number => (trainY[order[i]] === testY[t] ? 1 : 0);
    // Recursion from the farthest point inward (positions are 1-based in the paper).
    s[n - 1] = match(n - 1) / n;
    for (let i = n - 2; i >= 0; i--) {
      const pos = i + 1;
      s[i] = s[i + 1] + ((match(i) - match(i + 1)) / K) * (Math.min(K, pos) / pos);
    }
    for (let i = 0; i < n; i++) values[order[i]] += s[i] / T;
  }
  return values;
}

/** Per-file sums of data values (e.g. KNN-Shapley) through a sample → file map. */
export function valuesByFile(
  values: ArrayLike<number>,
  sampleFile: ArrayLike<number>,
  files: string[],
): Float64Array {
  if (values.length !== sampleFile.length) {
    throw new InputError(
      'attribution.badShape',
      `${values.length} values but ${sampleFile.length} file indices`,
    );
  }
  const out = new Float64Array(files.length);
  for (let i = 0; i < values.length; i++) out[sampleFile[i]] += values[i];
  return out;
}
