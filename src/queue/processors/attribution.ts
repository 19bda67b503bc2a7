/**
 * Sandboxed processor of the `attribution` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/attribution.js`) and calls its default export per job.
 */
import { resolveSigningKey } from '../../evidence/key-file.js';
import { runAttributionJob } from '../../jobs/attribution/run-attribution-job.js';
import { attributionPayloadSchema } from '../../jobs/job-payloads.js';
import { defineProcessor } from '../define-processor.js';

/** Runs the `attribution` job of the payload (see `runAttributionJob`) with the worker's graph client. */
export default defineProcessor({
  kind: 'attribution',
  schema: attributionPayloadSchema,
  handle: (ctx) =>
    runAttributionJob(
      {
        client: ctx.graph(),
        home: ctx.config.home,
        jobId: ctx.jobId,
        attempt: ctx.attempt,
        progress: (percent, stage) => ctx.progress(percent, stage),
        signingKey: resolveSigningKey(ctx.config),
      },
      ctx.payload,
    ),
});
