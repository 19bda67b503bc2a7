import assert from 'node:assert/strict';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import {
  fitLogisticRegression,
  type LogisticModel,
  logisticHessian,
  logisticObjective,
  logisticSampleGradients,
} from '../../src/attribution/logistic-regression.js';
import { hasCode } from '../../src/errors.js';
import { syntheticLogistic } from './synthetic.js';

const lossOf = (theta: Float64Array, x: number[], y: number): number => {
  let z = theta[x.length];
  for (let j = 0; j < x.length; j++) z += theta[j] * x[j];
  return y ? Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
};

describe('logistic regression', () => {
  const data = syntheticLogistic(80, 4, 3);
  const model = fitLogisticRegression(data.x, data.y, { lambda: 0.05 });
  const D = 5;

  it('per-sample gradients match finite differences of the sample loss', () => {
    const g = logisticSampleGradients(model, data.x, data.y);
    const h = 1e-6;
    for (const i of [0, 17, 79]) {
      const row = Array.from(data.dense.subarray(i * 4, i * 4 + 4));
      for (let j = 0; j < D; j++) {
        const tp = Float64Array.from(model.theta);
        const tm = Float64Array.from(model.theta);
        tp[j] += h;
        tm[j] -= h;
        const fd = (lossOf(tp, row, data.y[i]) - lossOf(tm, row, data.y[i])) / (2 * h);
        assert.ok(Math.abs(fd - g[i * D + j]) < 1e-7, `sample ${i} param ${j}: ${fd} vs ${g[i * D + j]}`);
      }
    }
  });

  it('the Hessian matches finite differences of the objective gradient', () => {
    const H = logisticHessian(model, data.x);
    const grad = (theta: Float64Array): Float64Array => {
      const m: LogisticModel = { ...model, theta };
      const gs = logisticSampleGradients(m, data.x, data.y);
      const out = new Float64Array(D);
      for (let i = 0; i < 80; i++) for (let j = 0; j < D; j++) out[j] += gs[i * D + j] / 80;
      for (let j = 0; j < 4; j++) out[j] += 0.05 * theta[j];
      return out;
    };
    const h = 1e-5;
    for (let j = 0; j < D; j++) {
      const tp = Float64Array.from(model.theta);
      const tm = Float64Array.from(model.theta);
      tp[j] += h;
      tm[j] -= h;
      const gp = grad(tp);
      const gm = grad(tm);
      for (let i = 0; i < D; i++) {
        const fd = (gp[i] - gm[i]) / (2 * h);
        assert.ok(Math.abs(fd - H[i * D + j]) < 1e-7, `H[${i},${j}] ${H[i * D + j]} vs fd ${fd}`);
      }
    }
    // Symmetric, and the summed-loss Hessian is n times the mean one.
    const Hs = logisticHessian(model, data.x, 80);
    for (let i = 0; i < D; i++) {
      for (let j = 0; j < D; j++) {
        assert.equal(H[i * D + j], H[j * D + i]);
        assert.ok(Math.abs(Hs[i * D + j] - 80 * H[i * D + j]) < 1e-9);
      }
    }
  });

  it('the Newton fit agrees with plain gradient descent run to convergence', () => {
    const tiny = syntheticLogistic(30, 2, 11);
    const lambda = 0.1;
    const fit = fitLogisticRegression(tiny.x, tiny.y, { lambda });
    // Independent solver: fixed-step gradient descent on the same objective.
    const theta = new Float64Array(3);
    for (let it = 0; it < 200000; it++) {
      const g = new Float64Array(3);
      for (let i = 0; i < 30; i++) {
        const x0 = tiny.dense[2 * i];
        const x1 = tiny.dense[2 * i + 1];
        const p = 1 / (1 + Math.exp(-(theta[0] * x0 + theta[1] * x1 + theta[2])));
        const r = (p - tiny.y[i]) / 30;
        g[0] += r * x0;
        g[1] += r * x1;
        g[2] += r;
      }
      g[0] += lambda * theta[0];
      g[1] += lambda * theta[1];
      let norm = 0;
      for (let j = 0; j < 3; j++) {
        theta[j] -= 0.5 * g[j];
        norm = Math.max(norm, Math.abs(g[j]));
      }
      if (norm < 1e-13) break;
    }
    for (let j = 0; j < 3; j++)
      assert.ok(Math.abs(fit.theta[j] - theta[j]) < 1e-9, `θ${j}: ${fit.theta[j]} vs ${theta[j]}`);
    assert.ok(fit.gradientNorm < 1e-8);
    assert.ok(
      logisticObjective(fit.theta, tiny.x, tiny.y, lambda) <=
        logisticObjective(theta, tiny.x, tiny.y, lambda) + 1e-15,
    );
  });

  it('is deterministic and warm starts reach the same solution', () => {
    const a = fitLogisticRegression(data.x, data.y, { lambda: 0.05 });
    const b = fitLogisticRegression(data.x, data.y, { lambda: 0.05, init: model.theta.map((v) => v * 1.5) });
    assert.deepEqual(a.theta, model.theta);
    for (let j = 0; j < D; j++) assert.ok(Math.abs(a.theta[j] - b.theta[j]) < 1e-9);
  });

  it('rejects bad input with typed errors', () => {
    assert.throws(
      () => fitLogisticRegression(data.x, data.y.subarray(0, 10)),
      (e) => hasCode(e, 'attribution.badShape'),
    );
    assert.throws(
      () => fitLogisticRegression(data.x, data.y, { lambda: -1 }),
      (e) => hasCode(e, 'attribution.badLambda'),
    );
    assert.throws(
      () => csrFromDense([1, 2, 3], 2, 2),
      (e) => hasCode(e, 'attribution.badShape'),
    );
  });
});
