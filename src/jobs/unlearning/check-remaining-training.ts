import { InputError } from '../../errors.js';

/**
 * Refuses an update that would leave a degenerate model: fewer than `minRows` training rows, or
 * a single class among their labels (a logistic model then predicts one class and its test
 * accuracy says nothing). `rows` are run-matrix rows of the remaining training set.
 *
 * @throws InputError `unlearning.degenerateModel` saying what would remain and how to proceed.
 * @example
 * checkRemainingTraining(matrix.labels, trainRows, 100); // throws when 7 rows would remain
 */
export function checkRemainingTraining(labels: Float64Array, rows: ArrayLike<number>, minRows: number): void {
  if (rows.length < minRows) {
    throw new InputError(
      'unlearning.degenerateModel',
      `the update would leave ${rows.length} training rows, fewer than the minimum of ${minRows}: the model is not updated and the rows are not erased (lower --min-training-rows, or retrain the model on other data)`,
    );
  }
  const classes = new Set<number>();
  for (let k = 0; k < rows.length && classes.size < 2; k++) classes.add(labels[rows[k]]);
  if (classes.size < 2) {
    throw new InputError(
      'unlearning.degenerateModel',
      `the update would leave ${rows.length} training rows of a single class (label ${[...classes].join(', ') || 'none'}): the model is not updated and the rows are not erased (retrain the model on data with both classes)`,
    );
  }
}
