import type { LabelledRows } from '../attribution/attribution-problem.js';
import { accuracy, meanLogLoss } from '../unlearning/unlearning-metrics.js';

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
