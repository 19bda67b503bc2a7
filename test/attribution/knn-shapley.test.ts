import assert from 'node:assert/strict';
import { knnShapley, valuesByFile } from '../../src/attribution/knn-shapley.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/** Brute-force Shapley values of the K-NN utility by enumerating every subset. */
function bruteShapley(
  train: number[],
  ty: number[],
  test: number[],
  sy: number[],
  d: number,
  K: number,
): number[] {
  const n = ty.length;
  const utility = (mask: number): number => {
    let total = 0;
    for (let t = 0; t < sy.length; t++) {
      const members: number[] = [];
      for (let i = 0; i < n; i++) if (mask & (1 << i)) members.push(i);
      const dist = (i: number): number => {
        let a = 0;
        for (let j = 0; j < d; j++) a += (train[i * d + j] - test[t * d + j]) ** 2;
        return a;
      };
      members.sort((a, b) => dist(a) - dist(b) || a - b);
      let u = 0;
      for (const i of members.slice(0, K)) if (ty[i] === sy[t]) u += 1 / K;
      total += u / sy.length;
    }
    return total;
  };
  const fact = (k: number): number => (k <= 1 ? 1 : k * fact(k - 1));
  const phi = new Array(n).fill(0);
  for (let i = 0; i < n; i++) {
    for (let mask = 0; mask < 1 << n; mask++) {
      if (mask & (1 << i)) continue;
      let size = 0;
      for (let b = 0; b < n; b++) if (mask & (1 << b)) size++;
      const w = (fact(size) * fact(n - size - 1)) / fact(n);
      phi[i] += w * (utility(mask | (1 << i)) - utility(mask));
    }
  }
  return phi;
}

describe('KNN-Shapley', () => {
  for (const K of [1, 3]) {
    it(`matches brute-force Shapley on 8 points (K = ${K})`, () => {
      const rng = new SeededRandom(K + 10);
      const d = 2;
      const train = Array.from({ length: 8 * d }, () => rng.normal());
      const ty = Array.from({ length: 8 }, () => rng.int(2));
      const test = Array.from({ length: 3 * d }, () => rng.normal());
      const sy = [0, 1, 1];
      const fast = knnShapley(train, ty, test, sy, d, K);
      const slow = bruteShapley(train, ty, test, sy, d, K);
      for (let i = 0; i < 8; i++)
        assert.ok(Math.abs(fast[i] - slow[i]) < 1e-12, `point ${i}: ${fast[i]} vs ${slow[i]}`);
      // Efficiency: the values sum to the utility of the full set.
      const total = fast.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - slow.reduce((a, b) => a + b, 0)) < 1e-12);
    });
  }

  it('aggregates per source file and validates input', () => {
    assert.deepEqual(Array.from(valuesByFile([1, 2, 3], [1, 0, 1], ['a', 'b'])), [2, 4]);
    assert.throws(
      () => knnShapley([1, 2], [0], [1], [0], 1, 1),
      (e) => hasCode(e, 'attribution.badShape'),
    );
    assert.throws(
      () => knnShapley([1], [0], [1], [0], 1, 0),
      (e) => hasCode(e, 'attribution.badK'),
    );
  });
});
