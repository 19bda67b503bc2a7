import assert from 'node:assert/strict';
import { csrSelectRows } from '../../src/attribution/csr-matrix.js';
import { fitLogisticRegression } from '../../src/attribution/logistic-regression.js';
import { hasCode } from '../../src/errors.js';
import { newtonRemoval } from '../../src/unlearning/newton-removal.js';
import { remainingRows } from '../../src/unlearning/remaining-rows.js';
import type { RemovalProblem } from '../../src/unlearning/removal-problem.js';
import { distance } from '../../src/unlearning/unlearning-metrics.js';
import { addWeightedGram } from '../../src/unlearning/weighted-gram.js';
import { SeededRandom } from '../../src/util/seeded-random.js';
import { syntheticLogistic } from './synthetic-logistic.js';

const lambda = 1e-2;

function tinyProblem(forget: number[], seed = 1): RemovalProblem {
  const data = syntheticLogistic(120, 4, seed);
  const model = fitLogisticRegression(data.x, data.y, { lambda });
  return { x: data.x, y: data.y, theta: model.theta, lambda, forget };
}

/** θ_R: the independent reference, a from-scratch fit on the materialised remaining rows. */
function retrain(problem: RemovalProblem): Float64Array {
  const rows = remainingRows(problem.x.rows, problem.forget);
  return fitLogisticRegression(rows.x(problem.x, problem.add), rows.y(problem.y, problem.add), {
    lambda: problem.lambda,
    tolerance: 1e-13,
  }).theta;
}

describe('newtonRemoval', () => {
  it('equals retraining on a tiny problem (one point, then to convergence)', () => {
    const problem = tinyProblem([7]);
    const gold = retrain(problem);
    const gap = distance(problem.theta, gold);
    const oneStep = newtonRemoval(problem, { maxSteps: 1, budget: 1 });
    assert.equal(oneStep.fallback, false);
    assert.equal(oneStep.remainingRows, 119);
    // One step closes most of the gap (its error is second order in the gap) …
    assert.ok(
      distance(oneStep.theta, gold) < 0.05 * gap,
      `one step: ${distance(oneStep.theta, gold)} vs gap ${gap}`,
    );
    // … and refinements reach the retrained optimum to within 1e-9.
    const converged = newtonRemoval(problem, { maxSteps: 20, refineTolerance: 1e-14 });
    assert.ok(distance(converged.theta, gold) < 1e-9, `converged: ${distance(converged.theta, gold)}`);
    assert.ok(converged.certificate.gradientResidual < 1e-12);
  });

  it('scales the objective by the remaining rows (n − m), not n', () => {
    // Removing a quarter of the rows changes the λ balance visibly; the update must follow it.
    const forget = Array.from(new SeededRandom(3).sample(120, 30));
    const problem = tinyProblem(forget, 2);
    const gold = retrain(problem);
    const u = newtonRemoval(problem, { maxSteps: 30, refineTolerance: 1e-14 });
    assert.ok(distance(u.theta, gold) < 1e-8, `distance ${distance(u.theta, gold)}`);
    assert.equal(u.remainingRows, 90);
  });

  it('keeps the residual of one step under the data-dependent Guo-style bound', () => {
    for (const seed of [1, 2, 3, 4]) {
      const forget = Array.from(new SeededRandom(seed).sample(120, 6));
      const u = newtonRemoval(tinyProblem(forget, seed), { maxSteps: 1, budget: Number.POSITIVE_INFINITY });
      const c = u.certificate;
      assert.ok(
        c.updateResidual <= c.oneStepBound,
        `seed ${seed}: residual ${c.updateResidual} > bound ${c.oneStepBound}`,
      );
      assert.ok(c.minEigenvalue > 0);
      assert.equal(c.steps, 1);
    }
  });

  it('adds the re-derived rows in recompute mode', () => {
    const problem = tinyProblem([5, 9, 40]);
    const replacement = syntheticLogistic(3, 4, 99);
    const withAdd: RemovalProblem = { ...problem, add: replacement };
    const gold = retrain(withAdd);
    const u = newtonRemoval(withAdd, { maxSteps: 30, refineTolerance: 1e-14 });
    assert.equal(u.remainingRows, 120);
    assert.ok(distance(u.theta, gold) < 1e-8, `distance ${distance(u.theta, gold)}`);
  });

  it('gives the same update with a cached full-data Hessian sum', () => {
    const problem = tinyProblem([1, 2, 3]);
    const D = problem.x.cols + 1;
    const hessianSum = addWeightedGram(problem.x, null, problem.theta, 1, new Float64Array(D * D));
    const a = newtonRemoval(problem, { maxSteps: 1 });
    const b = newtonRemoval({ ...problem, hessianSum }, { maxSteps: 1 });
    assert.ok(distance(a.theta, b.theta) < 1e-14);
  });

  it('falls back to a full retrain when the certificate exceeds the budget', () => {
    const problem = tinyProblem(Array.from(new SeededRandom(5).sample(120, 12)));
    const gold = retrain(problem);
    const u = newtonRemoval(problem, { maxSteps: 1, budget: 1e-300 });
    assert.equal(u.fallback, true);
    assert.equal(u.certificate.withinBudget, false);
    assert.ok(u.certificate.updateResidual > 1e-300);
    assert.ok(u.certificate.gradientResidual < 1e-9);
    assert.ok(distance(u.theta, gold) < 1e-8);
    const reportOnly = newtonRemoval(problem, { maxSteps: 1, budget: 1e-300, fallback: false });
    assert.equal(reportOnly.fallback, false);
    assert.equal(reportOnly.certificate.withinBudget, false);
  });

  it('rejects malformed forget sets with typed errors', () => {
    const problem = tinyProblem([]);
    assert.throws(
      () => newtonRemoval({ ...problem, forget: [3, 3] }),
      (e) => hasCode(e, 'unlearning.badForgetSet'),
    );
    assert.throws(
      () => newtonRemoval({ ...problem, forget: [120] }),
      (e) => hasCode(e, 'unlearning.badForgetSet'),
    );
    assert.throws(
      () => newtonRemoval({ ...problem, theta: new Float64Array(2) }),
      (e) => hasCode(e, 'unlearning.badShape'),
    );
    const all = Array.from({ length: 120 }, (_, i) => i);
    assert.throws(
      () => newtonRemoval({ ...problem, forget: all }),
      (e) => hasCode(e, 'unlearning.nothingLeft'),
    );
  });

  it('matches the retrain on the rows it kept (remainingRows materialises X and y in order)', () => {
    const data = syntheticLogistic(10, 3, 4);
    const rows = remainingRows(10, [0, 4]);
    assert.deepEqual(Array.from(rows.keep), [1, 2, 3, 5, 6, 7, 8, 9]);
    const x = rows.x(data.x);
    assert.deepEqual(Array.from(x.values), Array.from(csrSelectRows(data.x, rows.keep).values));
    assert.deepEqual(
      Array.from(rows.y(data.y)),
      Array.from(rows.keep, (i) => data.y[i]),
    );
  });
  it("keeps the remaining rows' Hessian sum for the next removal: exact where it says, and the next step converges on it", () => {
    const data = syntheticLogistic(400, 5, 11);
    const model = fitLogisticRegression(data.x, data.y, { lambda });
    const D = 6;
    const full = addWeightedGram(data.x, null, model.theta, 1, new Float64Array(D * D));
    const first = newtonRemoval({
      x: data.x,
      y: data.y,
      theta: model.theta,
      lambda,
      forget: [3, 50, 77],
      hessianSum: full,
    });
    assert.equal(first.hessianRebuilt, false);
    // The sum is over the remaining rows at hessianTheta (here θ_O): a pass over them agrees.
    const kept = remainingRows(400, [3, 50, 77]);
    const x1 = kept.x(data.x);
    const y1 = kept.y(data.y);
    const exact = addWeightedGram(x1, null, first.hessianTheta, 1, new Float64Array(D * D));
    assert.deepEqual(Array.from(first.hessianTheta), Array.from(model.theta));
    for (let i = 0; i < D * D; i++)
      assert.ok(Math.abs(first.hessianSum[i] - exact[i]) < 1e-9 * (1 + Math.abs(exact[i])));
    // The next removal starts from θ_U with that sum (at θ_O): it still reaches the retrain.
    const second: RemovalProblem = {
      x: x1,
      y: y1,
      theta: first.theta,
      lambda,
      forget: [10, 11, 200],
      hessianSum: first.hessianSum,
      hessianTheta: first.hessianTheta,
    };
    const u = newtonRemoval(second, { refineTolerance: 1e-11 });
    assert.ok(u.certificate.gradientResidual < 1e-11, `residual ${u.certificate.gradientResidual}`);
    assert.ok(distance(u.theta, retrain(second)) < 1e-8);
    assert.equal(u.fallback, false);
    // Its sum is still exact at the point it names.
    const x2 = remainingRows(397, [10, 11, 200]).x(x1);
    const exact2 = addWeightedGram(x2, null, u.hessianTheta, 1, new Float64Array(D * D));
    for (let i = 0; i < D * D; i++)
      assert.ok(Math.abs(u.hessianSum[i] - exact2[i]) < 1e-9 * (1 + Math.abs(exact2[i])));
  });

  it('rebuilds a kept Hessian that is too far off to converge in its steps', () => {
    const data = syntheticLogistic(300, 4, 12);
    const model = fitLogisticRegression(data.x, data.y, { lambda });
    const D = 5;
    // A sum evaluated at a point far from θ (all parameters shifted by 3): the chord steps stall.
    const far = Float64Array.from(model.theta, (t) => t + 3);
    const problem: RemovalProblem = {
      x: data.x,
      y: data.y,
      theta: model.theta,
      lambda,
      forget: Array.from(new SeededRandom(5).sample(300, 30)),
      hessianSum: addWeightedGram(data.x, null, far, 1, new Float64Array(D * D)),
      hessianTheta: far,
    };
    const u = newtonRemoval(problem, { maxKeptHessianSteps: 2, refineTolerance: 1e-10 });
    assert.equal(u.hessianRebuilt, true);
    assert.ok(distance(u.hessianTheta, model.theta) < 1, 'rebuilt at the iterate, not at the far point');
    assert.ok(distance(u.theta, retrain(problem)) < 1e-7, `distance ${distance(u.theta, retrain(problem))}`);
  });
});
