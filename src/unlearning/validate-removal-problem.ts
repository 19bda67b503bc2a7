import { InputError } from '../errors.js';
import type { RemovalProblem } from './removal-problem.js';

/**
 * Checks a {@link RemovalProblem} at the public boundary: shapes agree, forget indices are
 * distinct and in range, something remains.
 *
 * @throws InputError `unlearning.badShape`, `unlearning.badForgetSet` or `unlearning.nothingLeft`.
 */
export function validateRemovalProblem(problem: RemovalProblem): void {
  const { x, y, theta, forget, add, hessianSum } = problem;
  const D = x.cols + 1;
  if (y.length !== x.rows)
    throw new InputError('unlearning.badShape', `x has ${x.rows} rows but y has ${y.length} labels`);
  if (theta.length !== D)
    throw new InputError('unlearning.badShape', `theta has ${theta.length} parameters, expected ${D} (d+1)`);
  if (!(problem.lambda > 0))
    throw new InputError(
      'unlearning.badLambda',
      `lambda must be > 0 for a unique optimum, got ${problem.lambda}`,
    );
  if (hessianSum && hessianSum.length !== D * D) {
    throw new InputError(
      'unlearning.badShape',
      `hessianSum has ${hessianSum.length} entries, expected ${D * D}`,
    );
  }
  if (problem.perturbation && problem.perturbation.length !== D) {
    throw new InputError(
      'unlearning.badShape',
      `perturbation has ${problem.perturbation.length} entries, expected ${D} (d+1)`,
    );
  }
  if (add && (add.x.cols !== x.cols || add.y.length !== add.x.rows)) {
    throw new InputError(
      'unlearning.badShape',
      `added rows: expected ${x.cols} columns and one label per row, got ${add.x.cols} columns, ${add.x.rows} rows, ${add.y.length} labels`,
    );
  }
  const seen = new Uint8Array(x.rows);
  for (let k = 0; k < forget.length; k++) {
    const i = forget[k];
    if (!Number.isInteger(i) || i < 0 || i >= x.rows) {
      throw new InputError(
        'unlearning.badForgetSet',
        `forget index ${i} is not a row of the ${x.rows}-row training matrix`,
      );
    }
    if (seen[i]) throw new InputError('unlearning.badForgetSet', `forget index ${i} appears twice`);
    seen[i] = 1;
  }
  if (x.rows - forget.length + (add ? add.x.rows : 0) === 0) {
    throw new InputError(
      'unlearning.nothingLeft',
      `removing all ${x.rows} training rows leaves nothing to fit`,
    );
  }
}
