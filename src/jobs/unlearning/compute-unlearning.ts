import type { LabelledRows } from '../../attribution/attribution-problem.js';
import type { CsrMatrix } from '../../attribution/csr-matrix.js';
import { fitLogisticRegression, logisticLinear } from '../../attribution/logistic-regression.js';
import { defaults } from '../../config.js';
import { splitRows } from '../../models/labelled-rows-of.js';
import type { ModelArtifact } from '../../models/model-artifact-store.js';
import type { ModelCertification } from '../../models/model-certification.js';
import { type ModelMetrics, modelMetricsOfScores, type ScoredRows } from '../../models/model-metrics.js';
import { modelRowsOf, type ReplacedRows, replacedRowsFrom } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { sampleRowIndex } from '../../models/sample-row-index.js';
import { sharedModelRows } from '../../models/shared-model-rows.js';
import { chargeRemoval, drawSecretPerturbation } from '../../unlearning/certified-removal.js';
import { compareWithRetrain } from '../../unlearning/compare-with-retrain.js';
import { newtonRemoval } from '../../unlearning/newton-removal.js';
import type { RemainingScores } from '../../unlearning/remaining-gradient.js';
import type { RemovalCertificate } from '../../unlearning/removal-certificate.js';
import type { RemovalProblem } from '../../unlearning/removal-problem.js';
import type { UnlearningMetrics } from '../../unlearning/unlearning-metrics.js';
import { addWeightedGram } from '../../unlearning/weighted-gram.js';
import { checkRemainingTraining } from './check-remaining-training.js';

/** Inputs of {@link computeUnlearning}. */
export interface UnlearningComputeInput {
  matrix: RunMatrix;
  artifact: ModelArtifact;
  /** Sample ids of the run affected by the erased rows (train and test). */
  affectedSampleIds: string[];
  /**
   * Sample ids earlier requests dropped (on any line): left out of the test rows the new version
   * scores (a version not updated when a test sample was dropped still lists it).
   */
  droppedBefore?: string[];
  /**
   * Recompute mode: the affected samples re-derived without the erased rows (`samples` are
   * run-matrix rows). Affected samples not in it are dropped (their application row was erased).
   * Absent: drop mode (every affected sample is dropped).
   */
  recomputed?: ReplacedRows;
  /** Retrain the gold model and compare. */
  verify: boolean;
  /** Certificate budget (default: `newtonRemoval`'s). */
  budget?: number;
  /** Fewest training rows the update may leave (default `defaults.minTrainingRows`). */
  minTrainingRows?: number;
}

/** The updated model, before it is saved and written. */
export interface UnlearningComputeOutput {
  theta: Float64Array;
  /** The remaining rows' Hessian sum, exact at `hessianTheta` (see `ModelArtifact.hessianTheta`). */
  hessianSum: Float64Array;
  hessianTheta: Float64Array;
  /** Run-matrix rows of the new model's training set (ascending). */
  trainRows: Uint32Array;
  /** Run-matrix rows to predict (the previous version's test rows minus dropped samples). */
  testRows: Uint32Array;
  /** Re-derived feature rows of the new version (earlier ones plus this request's). */
  replaced?: ReplacedRows;
  /** Run-matrix rows of all affected samples. */
  affectedRows: Uint32Array;
  /** How many training rows were removed (in recompute mode: replaced or dropped). */
  forgotten: number;
  /** How many re-derived training rows were added (recompute mode). */
  added: number;
  /** Affected samples (train and test) re-derived, and dropped. */
  recomputedSamples: number;
  droppedSamples: number;
  certificate: RemovalCertificate;
  fallback: boolean;
  /** Update time (the Newton step and its certificate), seconds. */
  seconds: number;
  modelMetrics: ModelMetrics;
  /** Linear scores θᵀx̃ of {@link testRows} (the predictions are their sigmoids). */
  testScores: Float64Array;
  /** With `verify`: the comparison against the gold retrain. */
  verification?: UnlearningMetrics;
  /** A certified line: what this removal charged to its budget, and where the line stands. */
  certified?: CertifiedRemovalOutcome;
  /** A certified line: the new version's certification (spent updated; a new b after a retrain). */
  certification?: ModelCertification;
}

/** What one removal did to a certified model line's (ε, δ) budget. */
export interface CertifiedRemovalOutcome {
  epsilon: number;
  delta: number;
  sigma: number;
  /** ε′ of the line. */
  budget: number;
  /** Sum-form residual this removal charged (0 after a retrain from scratch). */
  charged: number;
  /** Spent on the line after this request (0 after a retrain from scratch). */
  spent: number;
  left: number;
  /**
   * True when the Newton update would have spent past ε′: the model was retrained from scratch
   * on the remaining data with a fresh b instead, which resets the budget.
   */
  retrainedFromScratch: boolean;
}

/**
 * Updates a model for one request by a certified Newton step (see `newtonRemoval`), and
 * prepares what the next request needs (the remaining rows' Hessian sum, kept from the update
 * rather than rebuilt, the training and test rows, the re-derived rows).
 *
 * `drop` mode (no `recomputed`): the affected samples leave the training set; affected test
 * samples, and those earlier requests dropped (`droppedBefore`), are no longer scored. `recompute` mode: the affected training samples' old rows are
 * removed and their re-derived rows added (H_R = H − old + new); affected test samples are
 * scored on their re-derived rows; affected samples without a re-derived row are dropped.
 *
 * @throws InputError `unlearning.degenerateModel` when removing rows would leave fewer than
 *   `minTrainingRows` training rows or a single class (checked before the update is computed).
 */
export function computeUnlearning(input: UnlearningComputeInput): UnlearningComputeOutput {
  const { matrix, artifact, recomputed } = input;
  const indexOf = sampleRowIndex(matrix);
  const affected = new Set<number>();
  for (const id of input.affectedSampleIds) {
    const i = indexOf.get(id);
    if (i !== undefined) affected.add(i);
  }
  const newRow = new Map<number, number>();
  if (recomputed) for (let k = 0; k < recomputed.samples.length; k++) newRow.set(recomputed.samples[k], k);
  const dropped = new Set<number>();
  for (const i of affected) if (!newRow.has(i)) dropped.add(i);

  const forget: number[] = [];
  const keep: number[] = [];
  const addSamples: number[] = [];
  for (let k = 0; k < artifact.trainRows.length; k++) {
    const s = artifact.trainRows[k];
    if (!affected.has(s)) keep.push(s);
    else {
      forget.push(k);
      if (newRow.has(s)) addSamples.push(s);
    }
  }
  if (forget.length > 0)
    checkRemainingTraining(
      matrix.labels,
      [...keep, ...addSamples],
      input.minTrainingRows ?? defaults.minTrainingRows,
    );
  // Shared with the other lines of the request that train on the same rows (one copy).
  const train = sharedModelRows(matrix, artifact.trainRows, artifact.replaced);
  const problem: RemovalProblem = {
    x: train.x,
    y: train.y,
    theta: artifact.theta,
    lambda: artifact.lambda,
    forget,
    hessianSum: artifact.hessianSum,
    ...(artifact.hessianTheta ? { hessianTheta: artifact.hessianTheta } : {}),
    ...(artifact.certification ? { perturbation: artifact.certification.perturbation } : {}),
  };
  if (recomputed && addSamples.length > 0) problem.add = modelRowsOf(matrix, addSamples, recomputed);
  const update = newtonRemoval(problem, input.budget === undefined ? {} : { budget: input.budget });

  const replaced = mergeReplaced(artifact.replaced, affected, recomputed);
  const trainRows = Uint32Array.from([...keep, ...addSamples]).sort();
  const previousTest = artifact.testRows ?? splitRows(matrix, 1);
  const droppedEarlier = new Set<number>();
  for (const id of input.droppedBefore ?? []) {
    const i = indexOf.get(id);
    if (i !== undefined) droppedEarlier.add(i);
  }
  const testRows = Uint32Array.from(previousTest.filter((i) => !dropped.has(i) && !droppedEarlier.has(i)));
  // The remaining rows as a matrix of their own: only for a retrain (a certified line past its
  // budget) and a Hessian sum rebuilt after one; else the update's own passes answer for them.
  let remainingRows: LabelledRows | undefined;
  const remaining = () => {
    remainingRows ??= modelRowsOf(matrix, trainRows, replaced);
    return remainingRows;
  };
  const test = replaced ? modelRowsOf(matrix, testRows, replaced) : sharedModelRows(matrix, testRows);
  const D = matrix.features.cols + 1;
  const changed = forget.length > 0 || addSamples.length > 0;
  const charged = artifact.certification
    ? chargeCertifiedRemoval(
        artifact.certification,
        changed ? update.certificate.gradientResidual : 0,
        trainRows.length,
        remaining,
        artifact.lambda,
      )
    : undefined;
  if (charged?.retrainedWith) problem.perturbation = charged.retrainedWith;
  const theta = charged?.theta ?? update.theta;
  // The next request starts from the remaining rows' Hessian sum the update kept (exact at
  // `hessianTheta`); after a retrain (fallback, or a certified line's budget) it is rebuilt at θ.
  const keepHessian = !update.fallback && !charged?.theta;
  const hessianSum = keepHessian
    ? update.hessianSum
    : addWeightedGram(remaining().x, null, theta, 1, new Float64Array(D * D));
  // Metrics at θ: the remaining rows' scores come from the update's last gradient pass (at θ
  // unless a certified line was retrained), the test rows' from one pass, kept for the predictions.
  const testScores = logisticLinear(theta, test.x);
  const trainScored =
    theta === update.theta
      ? remainingScores(matrix, trainRows, artifact.trainRows, skipOf(forget, artifact.trainRows.length), {
          scores: update.scores,
          addSamples,
        })
      : { z: logisticLinear(theta, remaining().x), y: remaining().y };
  const out: UnlearningComputeOutput = {
    theta,
    hessianSum,
    hessianTheta: keepHessian ? update.hessianTheta : theta,
    trainRows,
    testRows,
    affectedRows: Uint32Array.from(affected).sort(),
    forgotten: forget.length,
    added: addSamples.length,
    recomputedSamples: affected.size - dropped.size,
    droppedSamples: dropped.size,
    certificate: update.certificate,
    fallback: update.fallback,
    seconds: update.seconds,
    modelMetrics: modelMetricsOfScores(trainScored, { z: testScores, y: test.y }),
    testScores,
  };
  if (replaced) out.replaced = replaced;
  if (charged) {
    out.certified = charged.outcome;
    out.certification = charged.certification;
  }
  if (input.verify) out.verification = compareWithRetrain(problem, theta, update.seconds, test).metrics;
  return out;
}

/**
 * Charges a removal's residual (mean form, over the remaining rows) to a certified line's budget.
 * Within ε′: the Newton update stands and the spent budget grows. Past it: the model is refitted
 * from scratch on the remaining rows with a fresh secret b (same σ), and the budget starts again.
 */
function chargeCertifiedRemoval(
  c: ModelCertification,
  meanResidual: number,
  remainingCount: number,
  remainingRows: () => LabelledRows,
  lambda: number,
): {
  outcome: CertifiedRemovalOutcome;
  certification: ModelCertification;
  theta?: Float64Array;
  retrainedWith?: Float64Array;
} {
  const state = chargeRemoval(c, c.spent, meanResidual, remainingCount);
  const base = { epsilon: c.epsilon, delta: c.delta, sigma: c.sigma, budget: c.budget };
  if (state.withinBudget) {
    return {
      outcome: {
        ...base,
        charged: state.charged,
        spent: state.spent,
        left: state.left,
        retrainedFromScratch: false,
      },
      certification: { ...c, spent: state.spent },
    };
  }
  const remaining = remainingRows();
  const fresh = drawSecretPerturbation(remaining.x.cols + 1, c.sigma);
  const fit = fitLogisticRegression(remaining.x, remaining.y, { lambda, perturbation: fresh });
  return {
    outcome: { ...base, charged: 0, spent: 0, left: c.budget, retrainedFromScratch: true },
    certification: { ...c, spent: 0, perturbation: fresh },
    theta: fit.theta,
    retrainedWith: fresh,
  };
}

/** Earlier replaced rows minus the affected samples, plus this request's re-derived rows. */
function mergeReplaced(
  earlier: ReplacedRows | undefined,
  affected: ReadonlySet<number>,
  recomputed: ReplacedRows | undefined,
): ReplacedRows | undefined {
  const entries: [number, CsrMatrix, number][] = [];
  if (earlier) {
    for (let k = 0; k < earlier.samples.length; k++)
      if (!affected.has(earlier.samples[k])) entries.push([earlier.samples[k], earlier.x, k]);
  }
  if (recomputed)
    for (let k = 0; k < recomputed.samples.length; k++)
      entries.push([recomputed.samples[k], recomputed.x, k]);
  if (entries.length === 0) return undefined;
  return replacedRowsFrom(entries, (earlier ?? (recomputed as ReplacedRows)).x.cols);
}

/** Marks rows `forget` (indices of a model's training rows) in a mask of `n`. */
function skipOf(forget: readonly number[], n: number): Uint8Array {
  const skip = new Uint8Array(n);
  for (const k of forget) skip[k] = 1;
  return skip;
}

/**
 * The remaining training rows' linear scores and labels, in `trainRows` order, from the update's
 * last gradient pass: a kept row's score is the pass's over the previous training rows
 * (`previousTrain`, `skip` marking the forgotten), a re-derived row's the pass's over the added
 * rows (in `addSamples` order).
 */
function remainingScores(
  matrix: RunMatrix,
  trainRows: Uint32Array,
  previousTrain: Uint32Array,
  skip: Uint8Array,
  update: { scores: RemainingScores; addSamples: number[] },
): ScoredRows {
  const at = new Float64Array(matrix.features.rows);
  for (let k = 0; k < previousTrain.length; k++) if (!skip[k]) at[previousTrain[k]] = update.scores.x[k];
  const added = update.scores.add;
  if (added) for (let j = 0; j < update.addSamples.length; j++) at[update.addSamples[j]] = added[j];
  const z = new Float64Array(trainRows.length);
  const y = new Uint8Array(trainRows.length);
  for (let k = 0; k < trainRows.length; k++) {
    z[k] = at[trainRows[k]];
    y[k] = matrix.labels[trainRows[k]] === 1 ? 1 : 0;
  }
  return { z, y };
}
