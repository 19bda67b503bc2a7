import { z } from 'zod';

/** A source or step id: a letter or `_`, then letters, digits, `_` or `-`. */
export const idSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'expected an id: a letter or _, then letters, digits, _ or -')
  .describe('Source or step id: a letter or _, then letters, digits, _ or -');

/** A column name: any non-empty text (use `col('…')` in expressions for non-identifiers). */
export const columnNameSchema = z.string().min(1, 'expected a non-empty column name').describe('Column name');

/** A non-empty list of column names. */
export const columnListSchema = z.array(columnNameSchema).min(1, 'expected at least one column');

/** An expression (see docs/pipeline-format.md, "Expressions"). */
export const expressionSchema = z
  .string()
  .min(1, 'expected an expression')
  .describe(
    'Expression: arithmetic, comparisons, and/or/not, in [..], is_null, coalesce, if, log, abs, min, max, clip, year, month, day, days_between, make_date',
  );
