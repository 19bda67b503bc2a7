import type { DeriveSpec } from '../lineage/derive.js';
import type { FilterSpec } from '../lineage/filter.js';
import type { CompiledExpression } from './compile-expression.js';
import { fillRows, keepRows } from './compile-rows.js';
import { ExpressionError } from './expression-error.js';

/**
 * A `derive` spec of `src/lineage` computing column `name` from a compiled expression; its
 * declared inputs are exactly the columns the expression reads, so column-level lineage is
 * exact. The column is computed in one pass over the rows, straight into the derived column
 * (see `compileRows`). Numbers, booleans (0/1) and dates (epoch days) become numeric columns, strings
 * categorical columns (dictionary-encoded).
 *
 * @example
 * derive(frame, deriveSpecFor('monthly', compileExpression('amount / duration', types)));
 */
export function deriveSpecFor(name: string, e: CompiledExpression): DeriveSpec {
  const params = { expression: e.text, type: e.type };
  if (e.type === 'string')
    return {
      name,
      inputs: e.columns,
      params,
      computeCategory: (columns) => {
        const v = e.evaluate(columns);
        if (v.type !== 'string') throw new TypeError('internal: expected a string vector');
        return { codes: v.codes, dictionary: v.dictionary };
      },
    };
  return {
    name,
    inputs: e.columns,
    params,
    compute: (columns, out) => {
      if (e.rows) fillRows(e.rows, columns, out);
    },
  };
}

/**
 * A `filter` spec of `src/lineage` keeping the rows where a boolean expression is true (rows
 * where it is false or missing are dropped). Refuses a non-boolean expression
 * (`pipeline.expressionType`).
 */
export function filterSpecFor(name: string, e: CompiledExpression): FilterSpec {
  if (e.type !== 'boolean')
    throw new ExpressionError(
      'pipeline.expressionType',
      e.text,
      `filter "${name}": expected a boolean expression, got ${e.type} from "${e.text}"`,
    );
  return {
    name,
    inputs: e.columns,
    params: { expression: e.text },
    keep: (columns, keep) => {
      if (e.rows) keepRows(e.rows, columns, keep);
    },
  };
}
