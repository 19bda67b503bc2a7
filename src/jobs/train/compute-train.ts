import type { LabelledRows } from '../../attribution/attribution-problem.js';
import { fitLogisticRegression } from '../../attribution/logistic-regression.js';
import { InputError } from '../../errors.js';
import { splitRows } from '../../models/labelled-rows-of.js';
import type { ModelArtifact } from '../../models/model-artifact-store.js';
import type { ModelCertification } from '../../models/model-certification.js';
import { type ModelMetrics, modelMetrics } from '../../models/model-metrics.js';
import { modelRowsOf, type ReplacedRows } from '../../models/replaced-rows.js';
import type { RunMatrix } from '../../models/run-matrix.js';
import { type PredictionRow, scoreRows } from '../../models/score-rows.js';
import { addWeightedGram } from '../../unlearning/weighted-gram.js';

/** What unlearning requests changed in a run's samples, in run-matrix rows. */
export interface RunErasures {
  /** Samples dropped (their data erased): never trained on or scored again. */
  dropped: Set<number>;
  /** Samples re-derived without erased source rows: their latest rows (absent when none). */
  replaced?: ReplacedRows;
}

/** What a train job reads ({@link readTrainInputs}): the run's model matrix and its erasures. */
export interface TrainInputs {
  runId: string;
  /** The saved model matrix and its content hash. */
  matrix: RunMatrix & { sha256: string };
  erasures: RunErasures;
}

/** The train and test rows of a run, erased samples left out, re-derived ones replaced. */
export interface TrainRows {
  trainIdx: Uint32Array;
  testIdx: Uint32Array;
  train: LabelledRows;
  test: LabelledRows;
}

/** A fitted model ready to save: its artifact, Newton iterations and fit time. */
export interface ComputedTrain {
  artifact: ModelArtifact;
  iterations: number;
  /** Fit time, seconds. */
  seconds: number;
}

/** A fitted model's metrics and its Predictions on the test rows. */
export interface TrainScores {
  metrics: ModelMetrics;
  predictions: PredictionRow[];
}

/**
 * The labelled train and test rows of the run, without the samples that unlearning dropped and
 * with the re-derived rows of re-derived samples.
 *
 * @throws InputError `models.noTrainRows` when no labelled train sample is left.
 */
export function selectTrainRows(inputs: TrainInputs): TrainRows {
  const { matrix, erasures } = inputs;
  const trainIdx = splitRows(matrix, 0, erasures.dropped);
  const testIdx = splitRows(matrix, 1, erasures.dropped);
  if (trainIdx.length === 0)
    throw new InputError('models.noTrainRows', `run ${inputs.runId} has no labelled train samples`);
  return {
    trainIdx,
    testIdx,
    train: modelRowsOf(matrix, trainIdx, erasures.replaced),
    test: modelRowsOf(matrix, testIdx, erasures.replaced),
  };
}

/**
 * Fits an L2 logistic regression (strength `lambda` on the mean loss) on the train rows and
 * builds the model's artifact (parameters, summed Hessian, rows, replaced rows). With a
 * `certification`, the fit minimises the objective perturbed by its b (certified removal) and the
 * artifact keeps it. Pure: no I/O.
 */
export function computeTrain(
  inputs: TrainInputs,
  rows: TrainRows,
  options: { lambda: number; modelId: string; certification?: ModelCertification },
): ComputedTrain {
  const { matrix, erasures } = inputs;
  const { lambda, modelId, certification } = options;
  const started = performance.now();
  const fit = fitLogisticRegression(rows.train.x, rows.train.y, {
    lambda,
    ...(certification ? { perturbation: certification.perturbation } : {}),
  });
  const seconds = (performance.now() - started) / 1000;
  const D = fit.features + 1;
  const artifact: ModelArtifact = {
    modelId,
    runId: inputs.runId,
    kind: 'logistic-regression',
    lambda,
    featureNames: matrix.featureNames,
    theta: fit.theta,
    hessianSum: addWeightedGram(rows.train.x, null, fit.theta, 1, new Float64Array(D * D)),
    trainRows: rows.trainIdx,
    testRows: rows.testIdx,
    ...(erasures.replaced ? { replaced: erasures.replaced } : {}),
    runMatrixSha256: matrix.sha256,
    ...(certification ? { certification } : {}),
  };
  return { artifact, iterations: fit.iterations, seconds };
}

/** The metrics of fitted parameters `theta` on the train and test rows, and the test Predictions. */
export function scoreTrainModel(
  inputs: TrainInputs,
  rows: TrainRows,
  modelId: string,
  theta: Float64Array,
): TrainScores {
  return {
    metrics: modelMetrics(theta, rows.train, rows.test),
    predictions: scoreRows(modelId, theta, inputs.matrix, rows.testIdx, inputs.erasures.replaced),
  };
}
