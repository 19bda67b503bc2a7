import { z } from 'zod';
import { attributionMethods } from '../attribution/attribution-method.js';
import { defaults } from '../defaults.js';

/**
 * Payload of an `attribution` job: which model, which of its run's samples to explain
 * (`test`, `all`, or sample ids), how many training samples to keep per prediction, and the method.
 * Sample ids are sorted and de-duplicated, so the same request always hashes to the same job id.
 *
 * @example
 * attributionPayloadSchema.parse({ modelId: 'm1' }) // → { modelId: 'm1', samples: 'test', top: 10, method: 'ns' }
 */
export const attributionPayloadSchema = z
  .object({
    modelId: z.string().min(1, 'modelId must be a non-empty string'),
    samples: z
      .union([
        z.literal('test'),
        z.literal('all'),
        z.array(z.string().min(1)).min(1, 'samples must list at least one sample id'),
      ])
      .default('test')
      .transform((s) => (Array.isArray(s) ? [...new Set(s)].sort() : s)),
    top: z.number().int().min(1).max(1000).default(defaults.attributionTop),
    method: z.enum(attributionMethods).default('ns'),
    /**
     * Explain a seeded random sample of this many of the selected predictions (the same sample
     * for the same model and request), e.g. 10,000 of a million-applicant run's test split.
     */
    sampleSize: z.number().int().min(1, 'sampleSize must be at least 1').optional(),
    /** Free-form tag to force a new job for an otherwise identical request. */
    requestId: z.string().min(1).optional(),
  })
  .strict();

/** A validated, normalised attribution payload. */
export type AttributionPayload = z.output<typeof attributionPayloadSchema>;

/**
 * Payload of an `unlearning` job: the source rows to erase, named by SourceRow ids, by file
 * (SourceFile id or name) and 0-based row numbers, by table and business keys, or by a data
 * subject's id (every row of the subject); the mode;
 * optionally the model (default: the active model trained on the affected samples); and whether
 * to re-attribute the predictions the erasure strips of their attribution.
 */
export const unlearningPayloadSchema = z
  .object({
    target: z
      .object({
        sourceRowIds: z.array(z.string().min(1)).min(1).optional(),
        file: z.string().min(1).optional(),
        rows: z.array(z.number().int().min(0)).min(1).optional(),
        table: z.string().min(1).optional(),
        keys: z.array(z.string().min(1)).min(1).optional(),
        subject: z.string().trim().min(1).optional(),
      })
      .strict()
      .refine((t) => Boolean(t.sourceRowIds || (t.file && t.rows) || t.keys || t.subject), {
        message: 'target needs sourceRowIds, or file and rows, or keys, or subject',
      })
      .transform((t) => ({
        ...t,
        ...(t.sourceRowIds ? { sourceRowIds: [...new Set(t.sourceRowIds)].sort() } : {}),
        ...(t.rows ? { rows: [...new Set(t.rows)].sort((a, b) => a - b) } : {}),
        ...(t.keys ? { keys: [...new Set(t.keys)].sort() } : {}),
      })),
    mode: z.enum(['drop', 'recompute']).default('drop'),
    modelId: z.string().min(1).optional(),
    /** Every model line to update, in order (the request reaches several); `modelId` is the first. */
    lines: z.array(z.string().min(1)).min(1).optional(),
    requestId: z.string().min(1).optional(),
    /**
     * `--reattribute`: after each line's write-back, queue one `attribution` job for the new
     * version and the samples whose predictions lost their attribution (see
     * `enqueueReattributions`). No default, and `false` normalises to absent: a payload without
     * it (or with `false`) hashes to the job id it had before the field existed.
     */
    reattribute: z
      .boolean()
      .optional()
      .transform((v) => v || undefined),
  })
  .strict();

/** A validated, normalised unlearning payload. */
export type UnlearningPayload = z.output<typeof unlearningPayloadSchema>;

/** Payload of a `train` job: fit a model on a run's feature matrix. */
export const trainPayloadSchema = z
  .object({
    runId: z.string().min(1),
    kind: z.string().min(1).default('logistic'),
    // The default is part of the normalised payload, so omitting λ and giving 1e-3 are one job.
    lambda: z.number().positive().default(defaults.lambda),
    /** (ε, δ)-certified removal: objective perturbation and a removal budget ε′ (`--certify`). */
    certify: z
      .object({
        epsilon: z.number().positive(),
        delta: z.number().positive().lt(1),
        budget: z.number().positive().default(defaults.certifiedResidualBudget),
      })
      .strict()
      .optional(),
    requestId: z.string().min(1).optional(),
  })
  .strict();

/** A validated, normalised train payload. */
export type TrainPayload = z.output<typeof trainPayloadSchema>;

/**
 * Payload of a `predictions` job: the model version (an erasure's new one) whose test predictions
 * to write after its request committed (see `runPredictionsJob`). One job per version.
 */
export const predictionsPayloadSchema = z
  .object({
    modelId: z.string().min(1, 'modelId must be a non-empty string'),
  })
  .strict();

/**
 * The payload an unlearning job keeps in Redis once its result is written: a target that named
 * the rows by plain business keys or a subject id is replaced by a marker row id
 * (`redacted:<requestId>`; a redelivered job answers from the completed request before it would
 * resolve rows). Undefined when the target is content-free already (row ids, file content id and
 * rows).
 */
export function redactedUnlearningPayload(
  payload: UnlearningPayload,
  requestId: string,
): UnlearningPayload | undefined {
  if (identifyingTargetFields(payload.target).length === 0) return undefined;
  return { ...payload, target: { sourceRowIds: [`redacted:${requestId}`] } };
}

/**
 * The fields of an unlearning target (a payload's, or a request node's recorded one) that name a
 * person by plain value: business `keys` and a `subject` id. File content ids, row numbers and
 * SourceRow ids are content-free.
 */
export function identifyingTargetFields(target: object | null | undefined): ('keys' | 'subject')[] {
  return (['keys', 'subject'] as const).filter((k) => target != null && k in target);
}
