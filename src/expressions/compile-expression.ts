import type { RowNode } from './compile-rows.js';
import { compileTree } from './compile-tree.js';
import { parseExpression } from './parse-expression.js';
import { type CheckedExpression, typeCheck } from './type-check.js';
import type { ColumnTypes } from './value-type.js';
import type { Evaluator } from './vector.js';

/** A parsed, type-checked and compiled expression. */
export interface CompiledExpression extends CheckedExpression {
  /** Computes the expression over all rows of `input` (see `Vector` for the encoding). */
  readonly evaluate: Evaluator;
  /**
   * Numeric (number, boolean, date) expressions: the one-pass form (`fillRows` writes it into a
   * given array, nothing else allocated); absent for strings.
   */
  readonly rows?: RowNode;
}

/**
 * Parses `text`, checks it against the column types and compiles it to a columnar evaluator.
 * `columns` in the result lists the columns the expression reads (its column-level lineage).
 * Throws an `ExpressionError` (`pipeline.expressionSyntax`, `pipeline.unknownColumn`,
 * `pipeline.unknownFunction`, `pipeline.expressionType`).
 *
 * @example
 * const e = compileExpression("status in ['B', 'D']", new Map([['status', 'string']]));
 * e.type;    // 'boolean'
 * e.columns; // ['status']
 * e.evaluate(reader); // { type: 'boolean', values: Float64Array [1, 0, …] }
 */
export function compileExpression(text: string, columns: ColumnTypes): CompiledExpression {
  const checked = typeCheck(parseExpression(text), columns, text);
  return { ...checked, ...compileTree(checked.tree) };
}
