import type { LabelledRows } from '../attribution/attribution-problem.js';
import { csrSelectRows } from '../attribution/csr-matrix.js';
import { fitLogisticRegression } from '../attribution/logistic-regression.js';
import { lossThresholdAuc } from './membership-inference.js';
import { remainingRows } from './remaining-rows.js';
import type { RemovalProblem } from './removal-problem.js';
import {
  accuracy,
  distance,
  meanBernoulliKl,
  meanLogLoss,
  paramGapClosed,
  type UnlearningMetrics,
} from './unlearning-metrics.js';

/** The gold model and the comparison of an update against it. */
export interface RetrainComparison {
  /** θ_R: retrained from scratch on the remaining data, to convergence. */
  goldTheta: Float64Array;
  metrics: UnlearningMetrics;
}

/**
 * Retrains from scratch (zero start, tolerance 1e-10) on the remaining data of `problem` (the
 * gold standard R) and compares θ_O, θ_R and `unlearned` (θ_U, found in `unlearnedSeconds`) on
 * the forgotten rows and on `test`.
 */
export function compareWithRetrain(
  problem: RemovalProblem,
  unlearned: Float64Array,
  unlearnedSeconds: number,
  test: LabelledRows,
): RetrainComparison {
  const rows = remainingRows(problem.x.rows, problem.forget);
  const started = performance.now();
  const xr = rows.x(problem.x, problem.add);
  const yr = rows.y(problem.y, problem.add);
  const gold = fitLogisticRegression(xr, yr, {
    lambda: problem.lambda,
    tolerance: 1e-10,
    maxIterations: 200,
    perturbation: problem.perturbation,
  });
  const goldSeconds = (performance.now() - started) / 1000;
  const forgetIdx = Uint32Array.from(problem.forget);
  const forgotten: LabelledRows = {
    x: csrSelectRows(problem.x, forgetIdx),
    y: forgetIdx.length ? Uint8Array.from(forgetIdx, (i) => problem.y[i]) : new Uint8Array(0),
  };
  const o = problem.theta;
  const r = gold.theta;
  const u = unlearned;
  return {
    goldTheta: r,
    metrics: {
      paramGapClosed: paramGapClosed(o, r, u),
      paramDistance: distance(u, r),
      forgetLoss: {
        original: meanLogLoss(o, forgotten),
        gold: meanLogLoss(r, forgotten),
        unlearned: meanLogLoss(u, forgotten),
      },
      testAccuracy: { original: accuracy(o, test), gold: accuracy(r, test), unlearned: accuracy(u, test) },
      klUnlearnedGold: meanBernoulliKl(u, r, test),
      membershipAuc: {
        original: lossThresholdAuc(o, forgotten, test),
        gold: lossThresholdAuc(r, forgotten, test),
        unlearned: lossThresholdAuc(u, forgotten, test),
      },
      seconds: { unlearned: unlearnedSeconds, gold: goldSeconds },
    },
  };
}
