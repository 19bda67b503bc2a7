import assert from 'node:assert/strict';
import path from 'node:path';
import { fitLogisticRegression } from '../../src/attribution/logistic-regression.js';
import { loadAdult } from '../../src/datasets/adult.js';
import type { TabularDataset } from '../../src/datasets/tabular-dataset.js';
import { compareWithRetrain } from '../../src/unlearning/compare-with-retrain.js';
import { newtonRemoval } from '../../src/unlearning/newton-removal.js';
import { addWeightedGram } from '../../src/unlearning/weighted-gram.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { requireDataset } from '../support/require-dataset.js';

describe('Newton removal on Adult', () => {
  let adult: TabularDataset;

  before(() => {
    adult = loadAdult(path.dirname(requireDataset('adult/adult.data')));
  });

  it('closes ≥ 99.5% of the parameter gap for a random 1% forget set, accuracy within 0.1 points', () => {
    const lambda = 1e-3;
    const model = fitLogisticRegression(adult.train.x, adult.train.y, { lambda });
    const D = model.features + 1;
    const hessianSum = addWeightedGram(adult.train.x, null, model.theta, 1, new Float64Array(D * D));
    const n = adult.train.x.rows;
    const forget = new SeededRandom(11).sample(n, Math.floor(0.01 * n));
    const problem = { x: adult.train.x, y: adult.train.y, theta: model.theta, lambda, forget, hessianSum };
    // One Newton step alone already meets the target; the default adds one chord step.
    for (const maxSteps of [1, 2]) {
      const u = newtonRemoval(problem, { maxSteps, budget: 1e-4 });
      assert.equal(u.fallback, false);
      const { metrics } = compareWithRetrain(problem, u.theta, u.seconds, adult.test);
      assert.ok(
        metrics.paramGapClosed >= 0.995 && metrics.paramGapClosed <= 1,
        `maxSteps ${maxSteps}: gap closed ${metrics.paramGapClosed}`,
      );
      assert.ok(Math.abs(metrics.testAccuracy.unlearned - metrics.testAccuracy.gold) <= 0.001);
      assert.ok(Math.abs(metrics.forgetLoss.unlearned - metrics.forgetLoss.gold) < 1e-4);
      assert.ok(metrics.klUnlearnedGold < 1e-6);
    }
  });
});
