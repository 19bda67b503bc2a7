import { z } from 'zod';

/** A client-supplied request id: what makes a POST idempotent. */
export const requestIdSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ., _ and - only')
  .describe('your id of the request: repeating the call with the same id and body queues nothing more');

/** The 202 answer of a queued request. */
export const acceptedSchema = z.object({
  requestId: z.string(),
  jobId: z
    .string()
    .nullable()
    .describe('the BullMQ job (GET /api/jobs/{id}); null while a repeat finds the first call still queuing'),
  created: z.boolean().describe('false when the request id was seen before: nothing new was queued'),
  state: z.string().optional(),
});
