import type { LabelledRows } from '../attribution/attribution-problem.js';
import {
  accuracy,
  accuracyOfScores,
  meanLogLoss,
  meanLogLossOfScores,
} from '../unlearning/unlearning-metrics.js';

/** Accuracy and mean log loss of a model on its train and test rows (stored on the Model node). */
export interface ModelMetrics {
  trainAccuracy: number;
  testAccuracy: number;
  trainLoss: number;
  testLoss: number;
  trainRows: number;
  testRows: number;
}

/** {@link ModelMetrics} of θ. */
export function modelMetrics(theta: Float64Array, train: LabelledRows, test: LabelledRows): ModelMetrics {
  return {
    trainAccuracy: accuracy(theta, train),
    testAccuracy: accuracy(theta, test),
    trainLoss: meanLogLoss(theta, train),
    testLoss: meanLogLoss(theta, test),
    trainRows: train.x.rows,
    testRows: test.x.rows,
  };
}

/** Linear scores θᵀx̃ of some rows, with their labels (0/1). */
export interface ScoredRows {
  z: Float64Array;
  y: Uint8Array;
}

/** {@link ModelMetrics} from the rows' linear scores at θ (the same figures, no pass over the features). */
export function modelMetricsOfScores(train: ScoredRows, test: ScoredRows): ModelMetrics {
  return {
    trainAccuracy: accuracyOfScores(train.z, train.y),
    testAccuracy: accuracyOfScores(test.z, test.y),
    trainLoss: meanLogLossOfScores(train.z, train.y),
    testLoss: meanLogLossOfScores(test.z, test.y),
    trainRows: train.z.length,
    testRows: test.z.length,
  };
}
