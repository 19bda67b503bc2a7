import path from 'node:path';
import { fitLogisticRegression } from '../src/attribution/logistic-regression.js';
import { loadConfig } from '../src/config.js';
import { loadAdult } from '../src/datasets/adult.js';
import { certifiedNoiseScale, chargeRemoval, drawPerturbation } from '../src/unlearning/certified-removal.js';
import { compareWithRetrain } from '../src/unlearning/compare-with-retrain.js';
import { newtonRemoval } from '../src/unlearning/newton-removal.js';
import { accuracy } from '../src/unlearning/unlearning-metrics.js';
import { addWeightedGram } from '../src/unlearning/weighted-gram.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { median } from './support/interleaved.js';

/**
 * The `erasure` bench section (issue 12), its certified-removal and membership-inference part: on Adult (λ = 1e-3),
 * logistic regression trained with objective perturbation for (ε, δ) = (1, 1e-5) and a residual
 * budget ε′ = 1 (σ = c·ε′/ε), then random 1% forget sets (`requests` of them, each from the
 * trained model) removed by the Newton update with the perturbation and compared against the
 * retrain with the same b: test-accuracy drop against the unperturbed model, the budget each
 * removal charges, parameter gap closed, the loss-threshold membership-inference AUC of the
 * forget set for O, R and U, and the update's speed-up over the retrain (medians; the update
 * uses the Hessian sum saved at training time, as the unlearning jobs do).
 */
export async function runCertifiedErasureBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
}): Promise<Record<string, unknown>> {
  const requests = opts.quick ? 3 : 9;
  const lambda = 1e-3;
  const params = { epsilon: 1, delta: 1e-5, budget: 1 };
  const adult = loadAdult(path.join(loadConfig().datasetsDir, 'adult'));
  const D = adult.train.x.cols + 1;
  const sigma = certifiedNoiseScale(params);
  const b = drawPerturbation(D, sigma, 17);
  const plain = fitLogisticRegression(adult.train.x, adult.train.y, { lambda });
  const model = fitLogisticRegression(adult.train.x, adult.train.y, { lambda, perturbation: b });
  const testAccuracyDrop = accuracy(plain.theta, adult.test) - accuracy(model.theta, adult.test);
  opts.log(
    `erasure: σ = ${sigma.toFixed(3)}, test accuracy ${accuracy(model.theta, adult.test).toFixed(4)} (unperturbed ${accuracy(plain.theta, adult.test).toFixed(4)})`,
  );
  // The Hessian sum at θ_O, saved with the model at training time (as the unlearning jobs do).
  const hessianSum = addWeightedGram(adult.train.x, null, model.theta, 1, new Float64Array(D * D));
  const n = adult.train.x.rows;
  const rows: Record<string, number>[] = [];
  for (let k = 0; k < requests; k++) {
    const forget = new SeededRandom(100 + k).sample(n, Math.floor(0.01 * n));
    const problem = {
      x: adult.train.x,
      y: adult.train.y,
      theta: model.theta,
      lambda,
      forget,
      perturbation: b,
      hessianSum,
    };
    const u = newtonRemoval(problem, { budget: 1e-4 });
    const charge = chargeRemoval(params, 0, u.certificate.gradientResidual, u.remainingRows);
    const { metrics } = compareWithRetrain(problem, u.theta, u.seconds, adult.test);
    rows.push({
      charged: charge.charged,
      withinBudget: charge.withinBudget ? 1 : 0,
      paramGapClosed: metrics.paramGapClosed,
      aucOriginal: metrics.membershipAuc.original,
      aucGold: metrics.membershipAuc.gold,
      aucUnlearned: metrics.membershipAuc.unlearned,
      updateSeconds: u.seconds,
      retrainSeconds: metrics.seconds.gold,
    });
    opts.log(
      `erasure: request ${k + 1}/${requests}: gap closed ${metrics.paramGapClosed.toFixed(6)}, charged ${charge.charged.toExponential(2)} of ε′ = ${params.budget}, AUC O/R/U ${metrics.membershipAuc.original.toFixed(4)}/${metrics.membershipAuc.gold.toFixed(4)}/${metrics.membershipAuc.unlearned.toFixed(4)}`,
    );
  }
  const med = (key: string) => median(rows.map((r) => r[key]));
  const worst = (key: string, pick: (a: number, b: number) => number) =>
    rows.map((r) => r[key]).reduce((a, c) => pick(a, c));
  return {
    miaAucGap: Math.max(...rows.map((r) => Math.abs(r.aucUnlearned - r.aucGold))),
    certified: {
      speedupVsRetrain: med('retrainSeconds') / med('updateSeconds'),
      epsilon: params.epsilon,
      delta: params.delta,
      residualBudget: params.budget,
      sigma,
      testAccuracyDrop,
      paramGapClosed: worst('paramGapClosed', Math.min),
      withinBudget: rows.every((r) => r.withinBudget === 1),
      chargedPerRequestMax: worst('charged', Math.max),
      requests,
      forgetFraction: 0.01,
      membershipAuc: { original: med('aucOriginal'), gold: med('aucGold'), unlearned: med('aucUnlearned') },
      seconds: { update: med('updateSeconds'), retrain: med('retrainSeconds') },
    },
  };
}
