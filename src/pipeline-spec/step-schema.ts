import { z } from 'zod';
import { columnListSchema, columnNameSchema, expressionSchema, idSchema } from './names.js';

const base = {
  id: idSchema.describe('Unique step id (other steps and the sample refer to it)'),
  description: z.string().optional().describe('What the step is for'),
};
const input = idSchema.describe('Input: a source name or an earlier step id');

/** Keeps the rows where a boolean expression is true (false or missing drops the row). */
const filterStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('filter'),
    input,
    where: expressionSchema,
    max_left_out: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe(
        'Largest fraction of its input rows the filter may leave out (e.g. 0.01 for rows without a 0/1 label): more stops the run (pipeline.tooManyLeftOut); the rows it leaves out are reported. Default: no limit, no report',
      ),
  })
  .describe('filter: keep rows where `where` is true');

/** Adds or replaces columns, each computed by an expression over the input's columns. */
const deriveStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('derive'),
    input,
    columns: z
      .record(columnNameSchema, expressionSchema)
      .refine((c) => Object.keys(c).length > 0, 'expected at least one column')
      .describe('New columns by name; each expression sees the input columns only'),
  })
  .describe('derive: add computed columns');

/** One key pair of a join: a name on both sides, or `{ left, right }`. */
const joinKeySchema = z.union([
  columnNameSchema,
  z.strictObject({ left: columnNameSchema, right: columnNameSchema }),
]);

/** Joins the rows of `right` onto `left` by key pairs. */
const joinStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('join'),
    left: input,
    right: input,
    how: z
      .enum(['inner', 'left'])
      .default('inner')
      .describe('inner: matched rows only; left: every left row'),
    on: z.array(joinKeySchema).min(1, 'expected at least one key').describe('Key pairs'),
    cardinality: z
      .enum(['many-to-one', 'one-to-one'])
      .describe('Declared cardinality, checked on the data: each left key matches at most one right row'),
    suffix: z
      .string()
      .min(1)
      .default('_right')
      .describe('Suffix for right columns whose name a left column has'),
  })
  .describe('join: look up right rows by key (right key columns are not repeated)');

/** Aggregate functions. */
const aggregateFunctions = [
  'count',
  'count_distinct',
  'sum',
  'mean',
  'min',
  'max',
  'first',
  'last',
  'share',
] as const;

/** One aggregated output column. */
const measureSchema = z
  .strictObject({
    fn: z.enum(aggregateFunctions),
    column: columnNameSchema.optional().describe('Input column (all but count and share need one)'),
    where: expressionSchema.optional().describe('share: the condition whose share of the group is computed'),
  })
  .describe('count: rows (non-missing values with column); share: fraction of rows where `where` is true');

/** Groups rows by columns and computes one row per group. */
const aggregateStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('aggregate'),
    input,
    by: columnListSchema.describe('Group-by columns'),
    measures: z
      .record(columnNameSchema, measureSchema)
      .refine((m) => Object.keys(m).length > 0, 'expected at least one measure')
      .describe('Output columns by name'),
  })
  .describe('aggregate: one row per group');

/** Keeps only the listed columns, in that order. */
const selectStepSchema = z
  .strictObject({ ...base, kind: z.literal('select'), input, columns: columnListSchema })
  .describe('select: keep only these columns');

/** Removes the listed columns. */
const dropStepSchema = z
  .strictObject({ ...base, kind: z.literal('drop'), input, columns: columnListSchema })
  .describe('drop: remove these columns');

/** Replaces string columns by 0/1 indicator columns named `column=value`. */
const onehotStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('onehot'),
    input,
    columns: columnListSchema.describe('String columns to encode'),
    max_categories: z
      .number()
      .int()
      .positive()
      .default(12)
      .describe('Most frequent categories kept per column'),
    other: z
      .union([z.string().min(1), z.literal(false)])
      .default('other')
      .describe('Name of the bucket for the remaining categories, or false for none'),
  })
  .describe('onehot: indicator columns, fitted on the training rows');

/** Scales numeric columns to mean 0 and variance 1. */
const standardizeStepSchema = z
  .strictObject({ ...base, kind: z.literal('standardize'), input, columns: columnListSchema })
  .describe('standardize: (x - mean) / sd, fitted on the training rows');

/** Fills missing values. */
const imputeStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('impute'),
    input,
    columns: columnListSchema,
    strategy: z.enum(['mean', 'median', 'mode', 'constant']).describe('mean/median: numbers only'),
    value: z
      .union([z.number(), z.string(), z.boolean()])
      .optional()
      .describe('The constant (strategy constant)'),
  })
  .describe('impute: fill missing values, fitted on the training rows');

/** Assigns each sample to train or test, seeded, by the sample key. */
const splitStepSchema = z
  .strictObject({
    ...base,
    kind: z.literal('split'),
    input,
    test_fraction: z.number().gt(0).lt(1).default(0.2).describe('Share of samples in the test set'),
    seed: z.number().int().default(7).describe('Random seed'),
    stratify: z.boolean().default(false).describe('Keep the label ratio equal in train and test'),
  })
  .describe('split: seeded train/test split by the sample key');

/** Any step, by `kind`. */
export const stepSchema = z.discriminatedUnion('kind', [
  filterStepSchema,
  deriveStepSchema,
  joinStepSchema,
  aggregateStepSchema,
  selectStepSchema,
  dropStepSchema,
  onehotStepSchema,
  standardizeStepSchema,
  imputeStepSchema,
  splitStepSchema,
]);

/** A parsed step. */
export type StepSpec = z.output<typeof stepSchema>;
/** The kinds of step. */
type StepKind = StepSpec['kind'];
/** A parsed step of one kind. */
export type StepOf<K extends StepKind> = Extract<StepSpec, { kind: K }>;
