import assert from 'node:assert/strict';
import { type CsrMatrix, csrFromDense } from '../../src/attribution/csr-matrix.js';
import {
  featureGroups,
  fusedScan,
  fusedShares,
  fusedState,
  fusedTopK,
} from '../../src/attribution/fused-attribution.js';
import { ScoreWorkerPool } from '../../src/attribution/score-worker-pool.js';
import { type FeatureFiles, featureMass, featureSourceShares } from '../../src/attribution/source-shares.js';
import { topK } from '../../src/attribution/top-k.js';
import { hasCode } from '../../src/errors.js';
import { SeededRandom } from '../../src/util/seeded-random.js';

/** The direct computation: every score in Float64 (non-zeros in order, intercept last), to Float32. */
function directScores(x: CsrMatrix, c: ArrayLike<number>, a: Float64Array, t: number): Float32Array {
  const D = x.cols + 1;
  const out = new Float32Array(x.rows);
  for (let i = 0; i < x.rows; i++) {
    let s = 0;
    for (let q = x.rowPtr[i]; q < x.rowPtr[i + 1]; q++) s += a[t * D + x.colIdx[q]] * x.values[q];
    out[i] = c[i] * (s + a[t * D + x.cols]);
  }
  return out;
}

interface Case {
  x: CsrMatrix;
  c: Float64Array;
  a: Float64Array;
  T: number;
  map: FeatureFiles;
  files: number;
}

/**
 * Generated data: `integers` gives small whole features, directions and residuals (every product
 * and sum exact in Float64, so scores tie often and the fast path must agree bit for bit), else
 * Gaussian. A share `zeros` of the values are zeros (a third: the pass expands rows into dense
 * blocks; 70 %: it walks the non-zeros), one row empty, residuals of both
 * signs (negative scores). Features 0..d-1 map to 3 files: some to one file, some split between two,
 * some to none (unattributed), not in contiguous blocks.
 */
function generated(seed: number, n: number, d: number, T: number, integers: boolean, zeros = 0.35): Case {
  const rng = new SeededRandom(seed);
  const value = () => (integers ? rng.int(7) - 3 : rng.normal());
  const dense = new Float64Array(n * d);
  for (let i = 0; i < dense.length; i++) dense[i] = rng.next() < zeros ? 0 : value();
  for (let j = 0; j < d; j++) dense[3 * d + j] = 0; // an empty row
  const c = Float64Array.from({ length: n }, () => (integers ? (rng.int(5) - 2) / 4 : rng.normal()));
  const a = Float64Array.from({ length: T * (d + 1) }, () => value());
  const offsets = new Uint32Array(d + 1);
  const files: number[] = [];
  const weights: number[] = [];
  for (let j = 0; j < d; j++) {
    const kind = (j * 7) % 5;
    if (kind === 0) {
      files.push(0, 2);
      weights.push(0.5, 0.5);
    } else if (kind !== 4) {
      files.push(kind % 3);
      weights.push(1);
    }
    offsets[j + 1] = files.length;
  }
  return {
    x: csrFromDense(dense, n, d),
    c,
    a,
    T,
    map: { offsets, files: Uint16Array.from(files), weights: Float64Array.from(weights) },
    files: 3,
  };
}

/** Runs the fused pass over the rows in `pieces` consecutive calls. */
function scan(k: Case, top: number, pieces = 1) {
  const groups = featureGroups(k.map, k.x.cols);
  const state = fusedState(k.T, top, k.files);
  const step = Math.ceil(k.x.rows / pieces);
  for (let r = 0; r < k.x.rows; r += step)
    fusedScan(k.x, k.c, k.a, groups, state, r, Math.min(k.x.rows, r + step));
  return state;
}

function assertAgrees(k: Case, top: number, pieces = 1) {
  const state = scan(k, top, pieces);
  const D = k.x.cols + 1;
  let ties = 0;
  let boundaryTies = 0;
  let negatives = 0;
  for (let t = 0; t < k.T; t++) {
    const row = directScores(k.x, k.c, k.a, t);
    const want = topK(row, top);
    const got = fusedTopK(state, t);
    assert.deepEqual(Array.from(got.index), Array.from(want.index), `point ${t}: top-k rows`);
    assert.deepEqual(Array.from(got.score), Array.from(want.score), `point ${t}: top-k scores`);
    for (let r = 1; r < want.score.length; r++) if (want.score[r] === want.score[r - 1]) ties++;
    for (const s of row) if (s < 0) negatives++;
    // a row left out with the same score as the last one kept: the lower index must win
    const kept = new Set(want.index);
    const last = want.score[want.score.length - 1];
    if (want.score.length > 0 && row.some((s, i) => s === last && !kept.has(i))) boundaryTies++;
    const mass = featureMass(row, k.a.subarray(t * D, (t + 1) * D), k.x);
    const direct = featureSourceShares(mass, k.map, k.files);
    const fast = fusedShares(state, t);
    for (let f = 0; f < k.files; f++)
      assert.ok(
        Math.abs(fast.shares[f] - direct.shares[f]) <= 1e-12,
        `point ${t} file ${f}: ${fast.shares[f]} vs ${direct.shares[f]}`,
      );
    assert.ok(Math.abs(fast.unattributed - direct.unattributed) <= 1e-12, `point ${t}: unattributed`);
  }
  return { ties, boundaryTies, negatives };
}

describe('fused attribution pass (top-k and shares per file without the score matrix)', () => {
  it('equals topK and featureMass shares of the direct scores on whole-number data with ties, bit for bit for the top-k', () => {
    const k = generated(1, 3000, 13, 11, true);
    const { ties, boundaryTies, negatives } = assertAgrees(k, 25);
    const sparse = assertAgrees(generated(7, 3000, 13, 9, true, 0.7), 25);
    assert.ok(
      sparse.boundaryTies >= 5,
      `sparse data must tie at the k-th score (got ${sparse.boundaryTies})`,
    );
    assert.ok(ties > 50, `the data must produce tied scores within the top-k (got ${ties})`);
    assert.ok(boundaryTies >= 5, `the data must tie at the k-th score (got ${boundaryTies})`);
    assert.ok(negatives > 1000, 'the data must produce negative scores');
  });

  it('equals the direct computation on Gaussian data, over rows given in several calls', () => {
    const k = generated(2, 5000, 9, 6, false);
    assertAgrees(k, 10);
    assertAgrees(k, 10, 7);
    assertAgrees(generated(8, 5000, 9, 6, false, 0.7), 10, 3);
  });

  it('handles k above the rows, k = 0, a single point and dense rows', () => {
    assertAgrees(generated(3, 40, 5, 1, true), 100);
    assertAgrees(generated(4, 200, 4, 5, true), 0);
    const k = generated(5, 3000, 6, 3, false);
    const dense = new Float64Array(k.x.rows * k.x.cols).map((_, i) => 1 + (i % 5));
    assertAgrees({ ...k, x: csrFromDense(dense, k.x.rows, k.x.cols) }, 7);
  });

  it('gives the same answer on two threads claiming test points (shared state)', async () => {
    const k = generated(9, 4000, 11, 75, true);
    const groups = featureGroups(k.map, k.x.cols);
    const pool = new ScoreWorkerPool({ threads: 2 });
    try {
      await pool.warm();
      const state = await pool.fused({
        x: k.x,
        rowScale: k.c,
        a: k.a,
        groups,
        state: fusedState(k.T, 12, 3, true),
      });
      assert.equal(pool.lastRowsPerThread.length, 2);
      assert.equal(
        pool.lastRowsPerThread.reduce((x, y) => x + y),
        k.T,
      );
      const one = scan(k, 12);
      // not on SharedArrayBuffers: the calling thread computes alone, on the arrays as given
      const alone = await pool.fused({
        x: k.x,
        rowScale: k.c,
        a: k.a,
        groups,
        state: fusedState(k.T, 12, 3),
      });
      assert.deepEqual(pool.lastRowsPerThread, [k.T]);
      for (let t = 0; t < k.T; t++) {
        assert.deepEqual(fusedTopK(state, t), fusedTopK(one, t), `point ${t}: top-k`);
        assert.deepEqual(fusedShares(state, t), fusedShares(one, t), `point ${t}: shares`);
        assert.deepEqual(fusedTopK(alone, t), fusedTopK(one, t), `point ${t}: top-k, one thread`);
      }
    } finally {
      await pool.dispose();
    }
  });

  it('groups features by the files they credit, in runs of consecutive columns', () => {
    const k = generated(6, 10, 10, 1, true);
    const g = featureGroups(k.map, 10);
    assert.equal(g.groups, 5);
    assert.equal(g.runEnd[g.runEnd.length - 1], 10);
    assert.equal(g.runEnd.length, 10);
    assert.throws(
      () => fusedState(1, 1.5, 3),
      (e) => hasCode(e, 'attribution.badK'),
    );
  });
});
