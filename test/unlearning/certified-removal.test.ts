import assert from 'node:assert/strict';
import path from 'node:path';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { fitLogisticRegression, logisticSampleGradients } from '../../src/attribution/logistic-regression.js';
import { loadAdult } from '../../src/datasets/adult.js';
import type { TabularDataset } from '../../src/datasets/tabular-dataset.js';
import {
  certifiedNoiseScale,
  chargeRemoval,
  drawPerturbation,
  noiseMultiplier,
  parseCertifyOption,
} from '../../src/unlearning/certified-removal.js';
import { compareWithRetrain } from '../../src/unlearning/compare-with-retrain.js';
import { lossThresholdAuc } from '../../src/unlearning/membership-inference.js';
import { newtonRemoval } from '../../src/unlearning/newton-removal.js';
import { norm2, remainingGradient } from '../../src/unlearning/remaining-gradient.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { requireDataset } from '../support/require-dataset.js';

const certified = { epsilon: 1, delta: 1e-5, budget: 1 };

describe('certified removal (Guo et al. 2020): objective perturbation, budget, membership inference', () => {
  let adult: TabularDataset;

  before(() => {
    adult = loadAdult(path.dirname(requireDataset('adult/adult.data')));
  });

  it('σ = c·ε′/ε with δ = 1.5·e^(−c²/2); the budget adds up sum-form residuals; --certify parses', () => {
    const c = noiseMultiplier(1e-5);
    assert.ok(Math.abs(1.5 * Math.exp((-c * c) / 2) - 1e-5) < 1e-15);
    assert.equal(certifiedNoiseScale({ epsilon: 2, delta: 1e-5, budget: 0.5 }), (c * 0.5) / 2);
    const first = chargeRemoval(certified, 0, 1e-5, 30_000);
    assert.ok(Math.abs(first.charged - 0.3) < 1e-12 && first.withinBudget);
    const second = chargeRemoval(certified, first.spent, 3e-5, 25_000);
    assert.ok(Math.abs(second.spent - 1.05) < 1e-12);
    assert.equal(second.withinBudget, false);
    assert.ok(second.left < 0);
    assert.deepEqual(parseCertifyOption('1, 1e-5'), { epsilon: 1, delta: 1e-5 });
    for (const bad of ['1', '0,1e-5', '1,1', '1,0', 'a,b', '1,1e-5,3'])
      assert.throws(() => parseCertifyOption(bad), { code: 'unlearning.badCertification' } as object);
    assert.throws(() => certifiedNoiseScale({ epsilon: 1, delta: 1e-5, budget: 0 }), {
      code: 'unlearning.badCertification',
    } as object);
  });

  it('a perturbed fit is the optimum of the perturbed objective (gradient checked from the sample gradients)', () => {
    const rng = new SeededRandom(3);
    const n = 200;
    const d = 4;
    const dense = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal(0, 1)));
    const x = csrFromDense(dense.flat(), n, d);
    const y = Uint8Array.from(dense, (r) => (r[0] + 0.5 * r[1] + rng.normal(0, 1) > 0 ? 1 : 0));
    const lambda = 1e-2;
    const b = drawPerturbation(d + 1, 5, 9);
    const model = fitLogisticRegression(x, y, { lambda, perturbation: b });
    const plain = fitLogisticRegression(x, y, { lambda });
    const g = logisticSampleGradients(model, x, y);
    const grad = new Float64Array(d + 1);
    for (let r = 0; r < n; r++) for (let j = 0; j <= d; j++) grad[j] += g[r * (d + 1) + j];
    for (let j = 0; j <= d; j++) grad[j] = (grad[j] + b[j]) / n + (j < d ? lambda * model.theta[j] : 0);
    assert.ok(norm2(grad) < 1e-9, `perturbed gradient ${norm2(grad)}`);
    let moved = 0;
    for (let j = 0; j <= d; j++) moved = Math.max(moved, Math.abs(model.theta[j] - plain.theta[j]));
    assert.ok(moved > 1e-3, 'the perturbation moves the optimum');
    assert.deepEqual(model.perturbation, b);
  });

  it('Adult, ε = 1, δ = 1e-5: accuracy within 1 point, a 1% removal within budget, gap closed ≥ 0.995, MIA AUC of U within 0.02 of R', () => {
    const lambda = 1e-3;
    const D = adult.train.x.cols + 1;
    const sigma = certifiedNoiseScale(certified);
    const b = drawPerturbation(D, sigma, 17);
    const plain = fitLogisticRegression(adult.train.x, adult.train.y, { lambda });
    const model = fitLogisticRegression(adult.train.x, adult.train.y, { lambda, perturbation: b });
    const n = adult.train.x.rows;
    const forget = new SeededRandom(11).sample(n, Math.floor(0.01 * n));
    const problem = {
      x: adult.train.x,
      y: adult.train.y,
      theta: model.theta,
      lambda,
      forget,
      perturbation: b,
    };
    const u = newtonRemoval(problem, { budget: 1e-4 });
    assert.equal(u.fallback, false);
    const charge = chargeRemoval(certified, 0, u.certificate.gradientResidual, u.remainingRows);
    assert.ok(charge.withinBudget, `charged ${charge.charged} of ε′ = ${certified.budget}`);

    const { metrics } = compareWithRetrain(problem, u.theta, u.seconds, adult.test);
    const { metrics: plainMetrics } = compareWithRetrain(
      { ...problem, theta: plain.theta, perturbation: undefined },
      plain.theta,
      0,
      adult.test,
    );
    const accuracyDrop = plainMetrics.testAccuracy.original - metrics.testAccuracy.original;
    assert.ok(
      accuracyDrop <= 0.01,
      `perturbed accuracy ${metrics.testAccuracy.original} vs ${plainMetrics.testAccuracy.original}`,
    );
    assert.ok(
      metrics.paramGapClosed >= 0.995 && metrics.paramGapClosed <= 1,
      `gap closed ${metrics.paramGapClosed}`,
    );
    const auc = metrics.membershipAuc;
    assert.ok(Math.abs(auc.unlearned - auc.gold) <= 0.02, JSON.stringify(auc));

    // The residual charged is the one of the perturbed objective: an update that ignored b
    // leaves a residual of about ‖b‖/n′, far more than the certified update's.
    const blind = newtonRemoval({ ...problem, perturbation: undefined }, { budget: 1, fallback: false });
    const grad = new Float64Array(D);
    const skip = new Uint8Array(n);
    for (const i of forget) skip[i] = 1;
    remainingGradient(adult.train.x, adult.train.y, skip, undefined, blind.theta, lambda, grad, b);
    assert.ok(
      norm2(grad) > 100 * u.certificate.gradientResidual,
      `${norm2(grad)} vs ${u.certificate.gradientResidual}`,
    );
  });

  it('the loss-threshold AUC is the Mann–Whitney statistic (ties count ½)', () => {
    const rows = (z: number[]) => ({ x: csrFromDense(z, z.length, 1), y: new Uint8Array(z.length).fill(1) });
    const theta = Float64Array.of(1, 0); // loss falls as z grows (label 1)
    assert.equal(lossThresholdAuc(theta, rows([5, 6, 7]), rows([-1, 0, 1])), 1);
    assert.equal(lossThresholdAuc(theta, rows([-1, 0, 1]), rows([5, 6, 7])), 0);
    assert.equal(lossThresholdAuc(theta, rows([1, 2]), rows([1, 2])), 0.5);
    assert.equal(lossThresholdAuc(theta, rows([3, 1]), rows([2, 0])), 0.75);
    assert.ok(Number.isNaN(lossThresholdAuc(theta, rows([]), rows([1]))));
  });
});
