import type { CategoryColumn } from '../lineage/column.js';
import type { ValueType } from './value-type.js';

/**
 * The columnar result of an expression. Numbers, booleans (0/1) and dates (days since
 * 1970-01-01, UTC) are `Float64Array`s with `NaN` for a missing value; strings are
 * dictionary-encoded like a {@link CategoryColumn} (`-1` for missing).
 */
export type Vector = NumericVector | StringVector;

/** A `number`, `boolean` (0/1) or `date` (epoch days) vector; `NaN` is missing. */
export interface NumericVector {
  readonly type: Exclude<ValueType, 'string'>;
  readonly values: Float64Array;
}

/** A dictionary-encoded string vector; code `-1` is missing. */
export interface StringVector {
  readonly type: 'string';
  readonly codes: Int32Array;
  readonly dictionary: readonly string[];
}

/**
 * What a compiled expression reads: the row count and typed columns by name. A
 * `ColumnReader` of `src/lineage` (the input of `derive`/`filter` kernels) has this shape.
 */
export interface ColumnInput {
  readonly rows: number;
  /** A numeric column's values (numbers, booleans as 0/1, dates as epoch days). */
  num(name: string): Float64Array;
  /** A dictionary-encoded string column. */
  cat(name: string): CategoryColumn;
}

/** A compiled expression: computes a whole column from the input columns in one call. */
export type Evaluator = (input: ColumnInput) => Vector;

/** Row `i` of `v` as a plain value (`null` when missing; booleans as `true`/`false`). */
export function valueAt(v: Vector, i: number): number | string | boolean | null {
  if (v.type === 'string') return v.codes[i] < 0 ? null : v.dictionary[v.codes[i]];
  const x = v.values[i];
  if (Number.isNaN(x)) return null;
  return v.type === 'boolean' ? x !== 0 : x;
}
