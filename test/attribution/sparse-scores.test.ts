import assert from 'node:assert/strict';
import path from 'node:path';
import { attributeLogistic } from '../../src/attribution/attribute-logistic.js';
import type { AttributionMethod } from '../../src/attribution/attribution-method.js';
import {
  type CsrMatrix,
  csrFromDense,
  csrSelectRows,
  csrToDenseF64,
} from '../../src/attribution/csr-matrix.js';
import { evaluateLds, prepareLds } from '../../src/attribution/lds-harness.js';
import { fitLogisticRegression, sigmoid } from '../../src/attribution/logistic-regression.js';
import { encodePatterns, patternCostPerScore } from '../../src/attribution/pattern-encoding.js';
import { patternScoresInto } from '../../src/attribution/pattern-scores.js';
import { patternLookupCost, trainingPatterns } from '../../src/attribution/score-product.js';
import { ScoreWorkerPool } from '../../src/attribution/score-worker-pool.js';
import { loadAdult } from '../../src/datasets/adult.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { requireDataset } from '../support/require-dataset.js';

/**
 * Adult-like rows: 3 one-hot groups (sizes 5, 9, 3; a row may miss the last group), a numeric
 * column with 7 distinct values, one with 40 and a continuous one (stays dense).
 */
function oneHotRows(n: number, seed: number): { x: CsrMatrix; y: Uint8Array } {
  const rng = new SeededRandom(seed);
  const d = 3 + 5 + 9 + 3;
  const dense = new Float64Array(n * d);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    dense[o] = (Math.floor(rng.next() * 7) - 3) / 1.7;
    dense[o + 1] = Math.floor(rng.next() * 40) / 13 - 1;
    dense[o + 2] = rng.normal();
    const g1 = Math.floor(rng.next() * 5);
    const g2 = Math.floor(rng.next() * 9);
    const g3 = Math.floor(rng.next() * 4);
    dense[o + 3 + g1] = 1;
    dense[o + 8 + g2] = 1;
    if (g3 < 3) dense[o + 17 + g3] = 1;
    const z = 0.4 * dense[o] - 0.3 * dense[o + 2] + (g1 - 2) * 0.5 + (g2 % 3) * 0.4 - 0.5;
    y[i] = rng.next() < sigmoid(z) ? 1 : 0;
  }
  return { x: csrFromDense(dense, n, d), y };
}

/** Float64 reference rowScale[i]·(a·X̃ᵀ)[t, i] from the dense copy. */
function reference(x: CsrMatrix, a: Float64Array, T: number, s: Float64Array): Float64Array {
  const D = x.cols + 1;
  const xd = csrToDenseF64(x, true);
  const out = new Float64Array(T * x.rows);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < x.rows; i++) {
      let v = 0;
      for (let j = 0; j < D; j++) v += a[t * D + j] * xd[i * D + j];
      out[t * x.rows + i] = s[i] * v;
    }
  }
  return out;
}

/** max |u − v| / max |v|. */
function relErr(u: ArrayLike<number>, v: ArrayLike<number>): number {
  let e = 0;
  let m = 0;
  for (let i = 0; i < v.length; i++) {
    e = Math.max(e, Math.abs(u[i] - v[i]));
    m = Math.max(m, Math.abs(v[i]));
  }
  return e / m;
}

describe('pattern-encoded score products', () => {
  const pools: ScoreWorkerPool[] = [];
  after(async () => {
    for (const p of pools) await p.dispose();
  });
  const data = oneHotRows(3000, 7);
  const T = 37;
  const D = data.x.cols + 1;
  const rng = new SeededRandom(3);
  const a = Float64Array.from({ length: T * D }, () => rng.normal());
  const s = Float64Array.from({ length: data.x.rows }, () => rng.normal());
  const ref = reference(data.x, a, T, s);

  for (const maxPatterns of [2, 16, 1024]) {
    it(`matches the Float64 dense product to 1e-9 (maxPatterns ${maxPatterns})`, () => {
      const enc = encodePatterns(data.x, true, { maxPatterns });
      assert.ok(enc.blocks.length >= 1);
      assert.ok(enc.denseCols.includes(2), 'the continuous column stays dense');
      assert.ok(!enc.denseCols.includes(3), 'one-hot columns are in blocks');
      const out = new Float64Array(T * data.x.rows);
      assert.equal(patternScoresInto(enc, a, T, s, out), T);
      assert.ok(relErr(out, ref) < 1e-9, `relative error ${relErr(out, ref)}`);
    });
  }

  it('one-hot groups need few look-ups; dense Gaussian data stays dense', () => {
    const enc = encodePatterns(data.x, true);
    assert.ok(patternCostPerScore(enc) < 6, `cost ${patternCostPerScore(enc)}`);
    const gauss = csrFromDense(
      Float64Array.from({ length: 500 * 4 }, () => rng.normal()),
      500,
      4,
    );
    const g = encodePatterns(gauss, false, { maxPatterns: 64 });
    assert.equal(g.blocks.length, 0);
    assert.equal(g.denseCols.length, 4);
  });

  it('handles rows without non-zeros, no intercept, and a Float32 output', () => {
    const x = csrSelectRows(data.x, [0, 1, 2]);
    const empty: CsrMatrix = {
      rows: 4,
      cols: x.cols,
      rowPtr: Uint32Array.from([...x.rowPtr, x.rowPtr[3]]),
      colIdx: x.colIdx,
      values: x.values,
    };
    const enc = encodePatterns(empty, false);
    const a2 = a.subarray(0, 2 * empty.cols);
    const out = new Float32Array(2 * 4);
    patternScoresInto(enc, a2, 2, undefined, out);
    const xd = csrToDenseF64(empty, false);
    for (let t = 0; t < 2; t++) {
      for (let i = 0; i < 4; i++) {
        let v = 0;
        for (let j = 0; j < empty.cols; j++) v += a2[t * empty.cols + j] * xd[i * empty.cols + j];
        assert.equal(out[t * 4 + i], Math.fround(v));
      }
    }
  });

  it('2 threads give exactly the single-thread scores', async () => {
    const enc = encodePatterns(data.x, true, { shared: true });
    const one = new ScoreWorkerPool({ threads: 1 });
    const two = new ScoreWorkerPool({ threads: 2 });
    pools.push(one, two);
    const big = Float64Array.from({ length: 400 * D }, () => rng.normal());
    const u = await one.scores(enc, big, 400, s);
    for (let rep = 0; rep < 3; rep++) {
      const v = await two.scores(enc, big, 400, s);
      assert.deepEqual(v, u);
      assert.equal(
        two.lastRowsPerThread.reduce((x, y) => x + y, 0),
        400,
      );
    }
    await two.dispose();
    await assert.rejects(two.scores(enc, big, 400, s), /disposed/);
  });

  it('ns, if and graddot: the pattern kernel agrees with the dense wasm product', async () => {
    const model = fitLogisticRegression(data.x, data.y, { lambda: 1e-3 });
    const test = oneHotRows(50, 8);
    const problem = { model, train: data, test };
    for (const method of ['ns', 'if', 'graddot'] as AttributionMethod[]) {
      const dense = await attributeLogistic(problem, method, { product: 'dense' });
      const fast = await attributeLogistic(problem, method, { product: 'patterns' });
      const auto = await attributeLogistic(problem, method);
      const picksPatterns = patternCostPerScore(trainingPatterns(data.x)) * patternLookupCost < D;
      assert.deepEqual(auto.data, picksPatterns ? fast.data : dense.data, `${method}: auto`);
      // The dense product is Float32 (~1e-7 relative per element); the pattern kernel Float64.
      assert.ok(relErr(fast.data, dense.data) < 2e-6, `${method}: ${relErr(fast.data, dense.data)}`);
    }
  });

  it('Adult: ns and if LDS are the same with either product', async () => {
    const dir = path.dirname(requireDataset('adult/adult.data'));
    const ds = loadAdult(dir);
    const prep = prepareLds(ds, { subsets: 20, testPoints: 100, seed: 0 });
    const pool = new ScoreWorkerPool({ threads: 2 });
    pools.push(pool);
    for (const method of ['ns', 'if'] as AttributionMethod[]) {
      const dense = await evaluateLds(prep, method, { product: 'dense' });
      const fast = await evaluateLds(prep, method, { product: 'patterns', pool });
      assert.ok(Math.abs(dense.lds - fast.lds) < 1e-4, `${method}: ${dense.lds} vs ${fast.lds}`);
      assert.ok(fast.lds > 0.99, `${method}: ${fast.lds}`);
    }
  });
});
