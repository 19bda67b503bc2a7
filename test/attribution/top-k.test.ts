import assert from 'node:assert/strict';
import { aggregateBySource } from '../../src/attribution/source-attribution.js';
import { topK } from '../../src/attribution/top-k.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

describe('top-k', () => {
  it('orders the most supportive and most opposing rows, ties by index', () => {
    const s = [0.5, -2, 3, 3, -0.1, 0, -2, 7];
    const { supportive, opposing } = topK(s, 3);
    assert.deepEqual(Array.from(supportive), [7, 2, 3]);
    assert.deepEqual(Array.from(opposing), [1, 6, 4]);
    assert.deepEqual(Array.from(topK(s, 20).supportive), [7, 2, 3, 0, 5, 4, 1, 6]);
    assert.equal(topK(s, 0).supportive.length, 0);
  });

  it('agrees with a full sort on random scores', () => {
    const rng = new SeededRandom(4);
    const s = Float32Array.from({ length: 5000 }, () => rng.normal());
    const sorted = Array.from(s.keys()).sort((a, b) => s[b] - s[a] || a - b);
    const { supportive, opposing } = topK(s, 25);
    assert.deepEqual(Array.from(supportive), sorted.slice(0, 25));
    assert.deepEqual(
      Array.from(opposing),
      sorted
        .slice(-25)
        .reverse()
        .sort((a, b) => s[a] - s[b] || a - b),
    );
  });

  it('rejects NaN scores and bad k', () => {
    assert.throws(
      () => topK([1, Number.NaN], 1),
      (e) => hasCode(e, 'attribution.nanScore'),
    );
    assert.throws(
      () => topK([1], -1),
      (e) => hasCode(e, 'attribution.badK'),
    );
  });
});

describe('source-stratified aggregation', () => {
  it('splits each sample over its source rows and normalises to shares', () => {
    // 3 samples; sample 0 from row 0 (a.csv); sample 1 joined from rows 1 (a.csv) and 2 (b.csv);
    // sample 2 from rows 3 (b.csv), 4 (c.csv).
    const prov = {
      offsets: Uint32Array.of(0, 1, 3, 5),
      rowIds: Uint32Array.of(0, 1, 2, 3, 4),
      rowFile: Uint32Array.of(0, 0, 1, 1, 2),
      files: ['a.csv', 'b.csv', 'c.csv'],
    };
    const r = aggregateBySource([2, 4, -6], prov);
    assert.deepEqual(Array.from(r.totals), [4, -1, -3]);
    assert.deepEqual(Array.from(r.shares), [0.5, -0.125, -0.375]);
    assert.throws(
      () => aggregateBySource([1, 2], prov),
      (e) => hasCode(e, 'attribution.badProvenance'),
    );
    assert.throws(
      () => aggregateBySource([1, 2, 3], { ...prov, rowFile: Uint32Array.of(0, 0) }),
      (e) => hasCode(e, 'attribution.badProvenance'),
    );
  });
});
