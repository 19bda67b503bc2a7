import assert from 'node:assert/strict';
import { attributeLogistic } from '../../src/attribution/attribute-logistic.js';
import { csrSelectRows } from '../../src/attribution/csr-matrix.js';
import { fitLogisticRegression, logisticMargins } from '../../src/attribution/logistic-regression.js';
import { pearson } from '../../src/attribution/spearman.js';
import { syntheticLogistic } from './synthetic.js';

describe('influence methods vs leave-one-out retraining', () => {
  const n = 60;
  const train = syntheticLogistic(n, 3, 21);
  const test = syntheticLogistic(5, 3, 22);
  const lambda = 0.01;
  const model = fitLogisticRegression(train.x, train.y, { lambda });
  const f = logisticMargins(model, test.x, test.y);
  // Actual leave-one-out: refit without row i. The retrain keeps the summed regulariser n·λ
  // of the full fit (λ' = nλ/(n−1) on the mean objective), the objective `ns` approximates.
  const loo = new Float64Array(test.x.rows * n);
  for (let i = 0; i < n; i++) {
    const rows = Array.from({ length: n }, (_, r) => r).filter((r) => r !== i);
    const m = fitLogisticRegression(
      csrSelectRows(train.x, rows),
      Uint8Array.from(rows, (r) => train.y[r]),
      {
        lambda: (lambda * n) / (n - 1),
        init: model.theta,
      },
    );
    const fi = logisticMargins(m, test.x, test.y);
    for (let t = 0; t < test.x.rows; t++) loo[t * n + i] = f[t] - fi[t];
  }
  const problem = { model, train: { x: train.x, y: train.y }, test: { x: test.x, y: test.y } };

  it('ns matches actual leave-one-out effects (correlation ≥ 0.99, close in value)', async () => {
    const s = await attributeLogistic(problem, 'ns');
    for (let t = 0; t < test.x.rows; t++) {
      const a = s.data.subarray(t * n, (t + 1) * n);
      const b = loo.subarray(t * n, (t + 1) * n);
      const r = pearson(a, b);
      assert.ok(r >= 0.99, `test point ${t}: correlation ${r}`);
      let maxAbs = 0;
      let maxErr = 0;
      for (let i = 0; i < n; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(b[i]));
        maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]));
      }
      assert.ok(maxErr < 0.1 * maxAbs, `test point ${t}: max error ${maxErr} vs max effect ${maxAbs}`);
    }
  });

  it('ns is closer to leave-one-out than if, and graddot/random are further away', async () => {
    const err = async (method: 'ns' | 'if' | 'graddot' | 'random'): Promise<number> => {
      const s = await attributeLogistic(problem, method);
      let c = 0;
      for (let t = 0; t < test.x.rows; t++)
        c += pearson(s.data.subarray(t * n, (t + 1) * n), loo.subarray(t * n, (t + 1) * n));
      return c / test.x.rows;
    };
    const [ns, inf, gd, rnd] = [await err('ns'), await err('if'), await err('graddot'), await err('random')];
    assert.ok(ns >= inf - 1e-6, `ns ${ns} vs if ${inf}`);
    assert.ok(inf > gd, `if ${inf} vs graddot ${gd}`);
    assert.ok(Math.abs(rnd) < 0.5, `random correlates ${rnd}`);
  });

  it('ll without projection equals the closed form φᵀ(ΦᵀΦ+λI)⁻¹φᵢQᵢ', async () => {
    const s = await attributeLogistic(problem, 'll', { kernelLambda: 0.5 });
    const ll2 = await attributeLogistic(problem, 'll', { kernelLambda: 0.5, dtype: 'float32', k: 100 });
    assert.deepEqual(s.data, ll2.data, 'k ≥ p must not project');
    // Independent check on one pair through an explicit 4×4 solve by Gaussian elimination.
    const D = 4;
    const phi = (dense: Float64Array, y: Uint8Array, i: number): number[] => {
      const sgn = y[i] ? 1 : -1;
      return [...Array.from(dense.subarray(i * 3, i * 3 + 3)), 1].map((v) => sgn * v);
    };
    const K = Array.from({ length: D }, (_, a) => Array.from({ length: D }, (_, b) => (a === b ? 0.5 : 0)));
    for (let i = 0; i < n; i++) {
      const v = phi(train.dense, train.y, i);
      for (let a = 0; a < D; a++) for (let b = 0; b < D; b++) K[a][b] += v[a] * v[b];
    }
    const solve = (A: number[][], rhs: number[]): number[] => {
      const M = A.map((r, i) => [...r, rhs[i]]);
      for (let c = 0; c < D; c++) {
        for (let r = c + 1; r < D; r++) {
          const fct = M[r][c] / M[c][c];
          for (let q = c; q <= D; q++) M[r][q] -= fct * M[c][q];
        }
      }
      const xs = new Array(D).fill(0);
      for (let r = D - 1; r >= 0; r--) {
        let acc = M[r][D];
        for (let q = r + 1; q < D; q++) acc -= M[r][q] * xs[q];
        xs[r] = acc / M[r][r];
      }
      return xs;
    };
    const u = solve(K, phi(test.dense, test.y, 2));
    const p = 1 / (1 + Math.exp(-logisticMargins(model, csrSelectRows(train.x, [7]), Uint8Array.of(1))[0]));
    const q = train.y[7] ? 1 - p : p;
    const v = phi(train.dense, train.y, 7);
    const expected = q * u.reduce((acc, ui, a) => acc + ui * v[a], 0);
    assert.ok(
      Math.abs(s.data[2 * n + 7] - expected) < 1e-4 * Math.max(1, Math.abs(expected)),
      `${s.data[2 * n + 7]} vs ${expected}`,
    );
  });
});
