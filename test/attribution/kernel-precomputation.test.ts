import assert from 'node:assert/strict';
import { attributeLogistic } from '../../src/attribution/attribute-logistic.js';
import type { AttributionMethod } from '../../src/attribution/attribution-method.js';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import {
  checkPrecomputation,
  precomputeLogisticKernels,
} from '../../src/attribution/kernel-precomputation.js';
import { fitLogisticRegression, sigmoid } from '../../src/attribution/logistic-regression.js';
import { encodePatterns } from '../../src/attribution/pattern-encoding.js';
import {
  patternEncodingFromArrays,
  patternEncodingToArrays,
} from '../../src/attribution/pattern-encoding-arrays.js';
import { patternScoresInto } from '../../src/attribution/pattern-scores.js';
import { ScoreWorkerPool } from '../../src/attribution/score-worker-pool.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/** One-hot rows (groups of 12 and 20) plus a 5-valued numeric and a continuous column. */
function rows(n: number, seed: number) {
  const rng = new SeededRandom(seed);
  const d = 2 + 12 + 20;
  const dense = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    dense[o] = Math.floor(rng.next() * 5) - 2;
    dense[o + 1] = rng.normal();
    const g1 = Math.floor(rng.next() * 12);
    const g2 = Math.floor(rng.next() * 20);
    dense[o + 2 + g1] = 1;
    dense[o + 14 + g2] = 1;
    y[i] = rng.next() < sigmoid(0.5 * dense[o] - 0.4 * dense[o + 1] + ((g1 % 4) - 1.5) * 0.6) ? 1 : 0;
  }
  return { x: csrFromDense(dense, n, d), y };
}

describe('kernel precomputation (per model, kept with its artifact)', () => {
  const train = rows(3000, 1);
  const test = rows(40, 2);
  const model = fitLogisticRegression(train.x, train.y, { lambda: 1e-3 });

  for (const method of ['ns', 'if', 'graddot'] as AttributionMethod[]) {
    it(`${method}: scores with the precomputation equal the scores without`, async () => {
      const pre = precomputeLogisticKernels(model, train);
      assert.ok(pre.patterns, 'one-hot rows get a pattern encoding');
      const plain = await attributeLogistic({ model, train, test }, method);
      const kept = await attributeLogistic({ model, train, test, precomputed: pre }, method);
      assert.equal(kept.data.length, plain.data.length);
      let worst = 0;
      for (let i = 0; i < plain.data.length; i++)
        worst = Math.max(worst, Math.abs(kept.data[i] - plain.data[i]) / (1e-12 + Math.abs(plain.data[i])));
      assert.ok(worst < 1e-6, `largest relative difference ${worst}`);
    });
  }

  it('a precomputation of other rows is refused with attribution.badShape', async () => {
    const other = precomputeLogisticKernels(model, { x: rows(100, 3).x, y: rows(100, 3).y });
    assert.throws(
      () => checkPrecomputation(other, train.x),
      (e) => hasCode(e, 'attribution.badShape'),
    );
    await assert.rejects(attributeLogistic({ model, train, test, precomputed: other }, 'ns'), (e) =>
      hasCode(e, 'attribution.badShape'),
    );
  });

  it('a pattern encoding survives flattening to arrays and back (same products, shared buffers)', () => {
    const enc = encodePatterns(train.x, true, { maxPatterns: 16 });
    const back = patternEncodingFromArrays(patternEncodingToArrays(enc));
    assert.equal(back.blocks.length, enc.blocks.length);
    assert.ok(back.ids.buffer instanceof SharedArrayBuffer);
    const T = 5;
    const a = Float64Array.from({ length: T * enc.cols }, (_, i) => Math.sin(i));
    const s = Float64Array.from({ length: enc.rows }, (_, i) => 1 + (i % 3));
    const one = new Float64Array(T * enc.rows);
    const two = new Float64Array(T * enc.rows);
    patternScoresInto(enc, a, T, s, one);
    patternScoresInto(back, a, T, s, two);
    assert.deepEqual(two, one);
  });

  it('inconsistent arrays are refused, not read past their end', () => {
    const arrays = patternEncodingToArrays(encodePatterns(train.x, true));
    assert.throws(
      () => patternEncodingFromArrays({ ...arrays, patternIds: arrays.patternIds.subarray(1) }),
      (e) => hasCode(e, 'attribution.badShape'),
    );
    assert.throws(
      () => patternEncodingFromArrays({ ...arrays, patternCol: arrays.patternCol.subarray(0, 3) }),
      (e) => hasCode(e, 'attribution.badShape'),
    );
  });

  it('a warmed pool has its threads running before the first product, which gives the same scores', async () => {
    const pool = new ScoreWorkerPool({ threads: 2 });
    try {
      const pre = precomputeLogisticKernels(model, train);
      assert.ok(pre.patterns);
      await pool.warm();
      await pool.warm(pre.patterns);
      assert.deepEqual(pool.lastRowsPerThread.length, 2, 'both threads took part in the warm-up');
      const warm = await attributeLogistic({ model, train, test, precomputed: pre }, 'ns', { pool });
      const cold = await attributeLogistic({ model, train, test }, 'ns', {
        pool: new ScoreWorkerPool({ threads: 1 }),
      });
      assert.deepEqual(warm.data, cold.data);
    } finally {
      await pool.dispose();
    }
  });
});
