import { z } from 'zod';
import { columnNameSchema, expressionSchema, idSchema } from './names.js';
import { sourceSchema } from './source-schema.js';
import { stepSchema } from './step-schema.js';
import { subjectSchema } from './subject-schema.js';

/** The format tag this version of Traceprop reads. */
export const pipelineFormat = 'traceprop.pipeline/1';

/**
 * A protected attribute (EU AI Act Art. 10(2)(f)): a column of the sample table whose values are
 * the groups a model report compares (rates and AUC per group). It is recorded per sample beside
 * the features, never added to them.
 */
const protectedAttributeSchema = z
  .strictObject({
    name: idSchema.describe('What the attribute is, e.g. gender or age_band'),
    column: columnNameSchema.describe(
      'Column of the sample table holding the group (a one-hot encoded column gives its category)',
    ),
    description: z.string().optional().describe('What the groups are, in words'),
  })
  .describe('A protected attribute whose groups the model report compares');

/** What the pipeline produces: one sample per row of `table`. */
const sampleSchema = z
  .strictObject({
    table: idSchema.describe('The step (or source) whose rows are the samples'),
    key: columnNameSchema.describe('Sample key column (unique per sample)'),
    label: expressionSchema.describe("Label expression giving 0/1, e.g. status in ['B', 'D']"),
    features: z
      .array(columnNameSchema)
      .min(1, 'expected at least one feature')
      .describe('Feature columns (a one-hot encoded column stands for all its indicators)'),
    protected: z
      .array(protectedAttributeSchema)
      .min(1, 'expected at least one protected attribute (or leave `protected` out)')
      .optional()
      .describe(
        'Protected attributes (EU AI Act Art. 10(2)(f)): their groups are recorded per sample for the bias examination of the model report',
      ),
  })
  .describe('The samples: table, key, label and features');

/** A whole pipeline file (`format: traceprop.pipeline/1`). */
export const pipelineSchema = z
  .strictObject({
    format: z.literal(pipelineFormat).describe('Format and version of this file'),
    name: idSchema.describe('Pipeline name'),
    description: z.string().optional().describe('What the pipeline builds'),
    sources: z.array(sourceSchema).min(1, 'expected at least one source'),
    steps: z.array(stepSchema).default([]),
    sample: sampleSchema,
    subject: subjectSchema.optional(),
  })
  .describe('A Traceprop pipeline: sources, steps and the sample they produce');

/** A parsed pipeline file (defaults filled in). */
export type PipelineSpec = z.output<typeof pipelineSchema>;
