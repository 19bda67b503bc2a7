import type { z } from 'zod';
import {
  attributionPayloadSchema,
  predictionsPayloadSchema,
  trainPayloadSchema,
  unlearningPayloadSchema,
} from '../jobs/job-payloads.js';
import type { QueueKind } from './queue-kind.js';

/** The payload schema of each queue kind. */
export const payloadSchemas = {
  attribution: attributionPayloadSchema,
  unlearning: unlearningPayloadSchema,
  train: trainPayloadSchema,
  predictions: predictionsPayloadSchema,
} as const satisfies Record<QueueKind, z.ZodType>;

/** The validated payload type of a kind. */
export type JobPayload<K extends QueueKind> = z.output<(typeof payloadSchemas)[K]>;

/** The payload a caller may give for a kind (defaults not yet applied). */
export type JobPayloadInput<K extends QueueKind> = z.input<(typeof payloadSchemas)[K]>;
