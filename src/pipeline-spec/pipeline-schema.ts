import { z } from 'zod';
import { columnNameSchema, expressionSchema, idSchema } from './names.js';
import { sourceSchema } from './source-schema.js';
import { stepSchema } from './step-schema.js';
import { subjectSchema } from './subject-schema.js';

/** The format tag this version of Traceprop reads. */
export const pipelineFormat = 'traceprop.pipeline/1';

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
