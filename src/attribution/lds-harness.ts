import { defaults } from '../defaults.js';
import { InputError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';
import { type AttributeOptions, attributeLogistic } from './attribute-logistic.js';
import type { AttributionMethod } from './attribution-method.js';
import type { LabelledRows, LogisticAttributionProblem } from './attribution-problem.js';
import { csrSelectRows } from './csr-matrix.js';
import { precomputeLogisticKernels } from './kernel-precomputation.js';
import { type LdsResult, ldsFromScores } from './lds-score.js';
import { ldsSubsets } from './lds-subsets.js';
import { fitLogisticRegression, logisticMargins } from './logistic-regression.js';
import { scoreWorkerPool } from './score-worker-pool.js';

/** Options of the LDS protocol (DESIGN §4). */
export interface LdsProtocolConfig {
  /** L2 strength of the attributed model and of every retrain. Default `defaults.lambda` (1e-3). */
  lambda?: number;
  /** Number m of subsets. Default 100. */
  subsets?: number;
  /** Subset fraction α. Default 0.5. */
  alpha?: number;
  /** Test points sampled (all when larger than the test split). Default 500. */
  testPoints?: number;
  /** Seed of test points, subsets, random scores and projections. Default 0. */
  seed?: number;
  /** Newton tolerance. Default 1e-10. */
  tolerance?: number;
  /** Called after each retrain (e.g. to print progress on stderr). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Compute the model's kernel precomputation and warm the score threads while the retrains
   * run, as a trained model's artifact and a worker process do (timed as `precomputeSeconds`,
   * not as attribution). Default true.
   */
  precompute?: boolean;
}

/** The trained model, the sampled test points and the retrained margins, shared by all methods. */
export interface LdsPreparation {
  problem: LogisticAttributionProblem;
  /** Indices of the test points in the test split. */
  testIndex: Uint32Array;
  subsetRows: Uint32Array[];
  /** m×T margins of the retrained models. */
  retrained: Float64Array;
  trainSeconds: number;
  retrainSeconds: number;
  /** Seconds of the model's kernel precomputation (0 when not made). */
  precomputeSeconds: number;
  /** Resolves when the score threads are warm (started during the retrains). */
  warmed: Promise<void>;
  seed: number;
  alpha: number;
}

/** The LDS of one method, with timings. */
export interface LdsReport extends Omit<LdsResult, 'perTestPoint'> {
  method: AttributionMethod;
  alpha: number;
  trainRows: number;
  features: number;
  /**
   * Seconds of the attribution call (the first in the process when fresh: the per-model
   * precomputation and the score threads' start are in `precomputeSeconds`).
   */
  attributionSeconds: number;
  /** Seconds of the same call repeated right after (warm), when asked for. */
  attributionWarmSeconds?: number;
  precomputeSeconds: number;
  trainSeconds: number;
  retrainSeconds: number;
  newtonIterations: number;
}

/**
 * Fits the model on all training rows, samples the test points and retrains on the m subsets
 * (warm-started from the full fit, solved to the same tolerance).
 */
export function prepareLds(
  data: { train: LabelledRows; test: LabelledRows },
  config: LdsProtocolConfig = {},
): LdsPreparation {
  const lambda = config.lambda ?? defaults.lambda;
  const m = config.subsets ?? 100;
  const alpha = config.alpha ?? 0.5;
  const seed = config.seed ?? 0;
  const tolerance = config.tolerance ?? 1e-10;
  const { train, test } = data;
  if (train.x.cols !== test.x.cols) {
    throw new InputError('attribution.badShape', `train has ${train.x.cols} features, test ${test.x.cols}`);
  }
  if (test.x.rows === 0) throw new InputError('attribution.badShape', 'the test split is empty');
  const tp = Math.min(config.testPoints ?? 500, test.x.rows);
  if (!(tp >= 1))
    throw new InputError(
      'attribution.badTestPoints',
      `need at least one test point, got ${config.testPoints}`,
    );
  const subsetRows = ldsSubsets(train.x.rows, m, alpha, seed + 1);
  const t0 = performance.now();
  const model = fitLogisticRegression(train.x, train.y, { lambda, tolerance });
  const trainSeconds = (performance.now() - t0) / 1000;
  const tp0 = performance.now();
  const precomputed =
    config.precompute === false ? undefined : precomputeLogisticKernels(model, { x: train.x, y: train.y });
  const precomputeSeconds = (performance.now() - tp0) / 1000;
  // The threads start (and compile their row pass) while the retrains below keep this one busy.
  const warmed = precomputed?.patterns ? scoreWorkerPool().warm(precomputed.patterns) : Promise.resolve();
  warmed.catch(() => {}); // a failed start shows again on the first product
  const testIndex = new SeededRandom(seed).sample(test.x.rows, tp);
  const testRows: LabelledRows = {
    x: csrSelectRows(test.x, testIndex),
    y: Uint8Array.from(testIndex, (i) => test.y[i]),
  };
  const T = testIndex.length;
  const retrained = new Float64Array(m * T);
  const t1 = performance.now();
  for (let s = 0; s < m; s++) {
    const rows = subsetRows[s];
    const sub = fitLogisticRegression(
      csrSelectRows(train.x, rows),
      Uint8Array.from(rows, (i) => train.y[i]),
      {
        lambda,
        tolerance,
        init: model.theta,
      },
    );
    retrained.set(logisticMargins(sub, testRows.x, testRows.y), s * T);
    config.onProgress?.(s + 1, m);
  }
  const retrainSeconds = (performance.now() - t1) / 1000;
  return {
    problem: { model, train, test: testRows, ...(precomputed ? { precomputed } : {}) },
    testIndex,
    subsetRows,
    retrained,
    trainSeconds,
    retrainSeconds,
    precomputeSeconds,
    warmed,
    seed,
    alpha,
  };
}

/** Options of {@link evaluateLds}. */
export interface EvaluateLdsOptions extends AttributeOptions {
  /** Repeat the attribution call once and report its time as `attributionWarmSeconds`. */
  measureWarm?: boolean;
}

/** Scores the prepared test points with `method` and computes its LDS. */
export async function evaluateLds(
  prep: LdsPreparation,
  method: AttributionMethod,
  options: EvaluateLdsOptions = {},
): Promise<LdsReport> {
  const { measureWarm, ...attributeOptions } = options;
  await prep.warmed.catch(() => {});
  const attribute = () =>
    attributeLogistic(prep.problem, method, { seed: prep.seed + 2, ...attributeOptions });
  const t0 = performance.now();
  const scores = await attribute();
  const attributionSeconds = (performance.now() - t0) / 1000;
  let attributionWarmSeconds: number | undefined;
  if (measureWarm) {
    const t1 = performance.now();
    await attribute();
    attributionWarmSeconds = (performance.now() - t1) / 1000;
  }
  const { perTestPoint: _, ...res } = await ldsFromScores(scores, prep.subsetRows, prep.retrained);
  return {
    method,
    ...res,
    alpha: prep.alpha,
    trainRows: prep.problem.train.x.rows,
    features: prep.problem.model.features,
    attributionSeconds,
    ...(attributionWarmSeconds !== undefined ? { attributionWarmSeconds } : {}),
    precomputeSeconds: prep.precomputeSeconds,
    trainSeconds: prep.trainSeconds,
    retrainSeconds: prep.retrainSeconds,
    newtonIterations: prep.problem.model.iterations,
  };
}

/**
 * The whole LDS protocol for one method.
 *
 * @example
 * const report = await runLds(loadAdult(dir), 'ns', { subsets: 100, testPoints: 500 });
 */
export async function runLds(
  data: { train: LabelledRows; test: LabelledRows },
  method: AttributionMethod,
  config: LdsProtocolConfig & EvaluateLdsOptions = {},
): Promise<LdsReport> {
  const prep = prepareLds(data, config);
  return evaluateLds(prep, method, config);
}
