import assert from 'node:assert/strict';
import { topK } from '../../src/attribution/top-k.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

describe('top-k', () => {
  it('orders the most supportive and most opposing rows, ties by index', () => {
    const s = [0.5, -2, 3, 3, -0.1, 0, -2, 7];
    assert.deepEqual(Array.from(topK(s, 3).index), [7, 2, 3]);
    assert.deepEqual(Array.from(topK(s, 3).score), [7, 3, 3]);
    assert.deepEqual(Array.from(topK(s, 3, 'smallest').index), [1, 6, 4]);
    assert.deepEqual(Array.from(topK(s, 20).index), [7, 2, 3, 0, 5, 4, 1, 6]);
    assert.equal(topK(s, 0).index.length, 0);
    assert.equal(topK([], 3).index.length, 0);
  });

  it('agrees with a full sort on random scores', () => {
    const rng = new SeededRandom(4);
    const s = Float32Array.from({ length: 5000 }, () => rng.normal());
    const sorted = Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);
    const best = topK(s, 25);
    assert.deepEqual(Array.from(best.index), sorted.slice(0, 25));
    assert.deepEqual(
      Array.from(best.score),
      sorted.slice(0, 25).map((i) => s[i]),
    );
    assert.deepEqual(
      Array.from(topK(s, 25, 'smallest').index),
      sorted
        .slice(-25)
        .reverse()
        .sort((a, b) => s[a] - s[b] || a - b),
    );
  });

  it('skips NaN scores and rejects a bad k', () => {
    assert.deepEqual(Array.from(topK([1, Number.NaN, 3], 3).index), [2, 0]);
    assert.deepEqual(Array.from(topK([Number.NaN, -1, 2], 1, 'smallest').index), [1]);
    assert.throws(
      () => topK([1], -1),
      (e) => hasCode(e, 'attribution.badK'),
    );
    assert.throws(
      () => topK([1], 1.5),
      (e) => hasCode(e, 'attribution.badK'),
    );
  });
});
