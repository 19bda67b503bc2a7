import type { ErrorCodeOf } from '../errors.js';
import { ExpressionError } from '../expressions/expression-error.js';

/** Raises a located error: `code`, the YAML path and the sentence saying what is wrong. */
export type Fail = (
  code: ErrorCodeOf<'UsageError'>,
  path: readonly PropertyKey[],
  message: string,
  options?: { atKey?: boolean },
) => never;

/** Runs `f`, turning an {@link ExpressionError} into a located failure at `path`. */
export function atExpression<T>(fail: Fail, path: readonly PropertyKey[], f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ExpressionError) return fail(err.code as ErrorCodeOf<'UsageError'>, path, err.message);
    throw err;
  }
}
