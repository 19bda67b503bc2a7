import path from 'node:path';
import { fitLogisticRegression } from '../src/attribution/logistic-regression.js';
import { loadConfig } from '../src/config.js';
import { loadAdult } from '../src/datasets/adult.js';
import { compareWithRetrain } from '../src/unlearning/compare-with-retrain.js';
import { newtonRemoval } from '../src/unlearning/newton-removal.js';
import type { RemovalProblem } from '../src/unlearning/removal-problem.js';
import type { UnlearningMetrics } from '../src/unlearning/unlearning-metrics.js';
import { addWeightedGram } from '../src/unlearning/weighted-gram.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { runCreditRiskUnlearningBench } from './unlearning-credit-risk.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * The `unlearning` bench section: on Adult (λ = 1e-3, the LDS protocol's encoding), random 1% and
 * 5% forget sets removed by the certified Newton update and compared against retraining from
 * scratch: parameter gap closed, forget-set loss and test accuracy O/R/U, KL(U‖R), and median
 * wall times over `reps` repetitions after a warm-up. The update time assumes the full-data
 * Hessian sum saved at training time (`hessianSeconds` reports what it costs to build).
 * `creditRisk` (see `unlearning-credit-risk.ts`): lineage-selected forget sets on the generated
 * credit-risk data, in recompute and drop mode.
 */
export async function runUnlearningBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
}): Promise<Record<string, unknown>> {
  const reps = opts.quick ? 3 : 7;
  const lambda = 1e-3;
  const adult = loadAdult(path.join(loadConfig().datasetsDir, 'adult'));
  const model = fitLogisticRegression(adult.train.x, adult.train.y, { lambda });
  const D = model.features + 1;
  const hStart = performance.now();
  const hessianSum = addWeightedGram(adult.train.x, null, model.theta, 1, new Float64Array(D * D));
  const hessianSeconds = (performance.now() - hStart) / 1000;
  const n = adult.train.x.rows;
  const section: Record<string, unknown> = { lambda, trainRows: n, features: model.features, hessianSeconds };
  for (const [name, fraction] of [
    ['random1pct', 0.01],
    ['random5pct', 0.05],
  ] as const) {
    const forget = new SeededRandom(2024).sample(n, Math.floor(fraction * n));
    const problem: RemovalProblem = {
      x: adult.train.x,
      y: adult.train.y,
      theta: model.theta,
      lambda,
      forget,
      hessianSum,
    };
    // Warm-up, then medians.
    compareWithRetrain(problem, newtonRemoval(problem).theta, 0, adult.test);
    const uSeconds: number[] = [];
    const rSeconds: number[] = [];
    let last:
      | { metrics: UnlearningMetrics; fallback: boolean; residual: number; oneStep: number; steps: number }
      | undefined;
    for (let k = 0; k < reps; k++) {
      const u = newtonRemoval(problem);
      const c = compareWithRetrain(problem, u.theta, u.seconds, adult.test);
      uSeconds.push(u.seconds);
      rSeconds.push(c.metrics.seconds.gold);
      last = {
        metrics: c.metrics,
        fallback: u.fallback,
        residual: u.certificate.gradientResidual,
        oneStep: u.certificate.oneStepBound,
        steps: u.certificate.steps,
      };
    }
    if (!last) throw new Error('no repetitions');
    const m = last.metrics;
    const seconds = median(uSeconds);
    const goldSeconds = median(rSeconds);
    section[name] = {
      forgetRows: forget.length,
      paramGapClosed: m.paramGapClosed,
      forgetLoss: m.forgetLoss,
      testAccuracy: m.testAccuracy,
      accuracyGapPoints: 100 * Math.abs(m.testAccuracy.unlearned - m.testAccuracy.gold),
      klUnlearnedGold: m.klUnlearnedGold,
      seconds,
      goldSeconds,
      speedup: goldSeconds / seconds,
      gradientResidual: last.residual,
      oneStepBound: last.oneStep,
      steps: last.steps,
      fallback: last.fallback,
    };
    opts.log(
      `unlearning adult ${name}: gap closed ${m.paramGapClosed.toFixed(6)}, acc U ${m.testAccuracy.unlearned.toFixed(4)} R ${m.testAccuracy.gold.toFixed(4)} O ${m.testAccuracy.original.toFixed(4)}, ` +
        `${(1000 * seconds).toFixed(1)} ms vs ${(1000 * goldSeconds).toFixed(1)} ms retrain (${(goldSeconds / seconds).toFixed(1)}×), residual ${last.residual.toExponential(2)}`,
    );
  }
  const creditRisk = await runCreditRiskUnlearningBench(opts);
  return { adult: section, creditRisk };
}
