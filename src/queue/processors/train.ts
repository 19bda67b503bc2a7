/**
 * Sandboxed processor of the `train` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/train.js`) and calls its default export per job.
 */
import { resolveSigningKey } from '../../evidence/key-file.js';
import { trainPayloadSchema } from '../../jobs/job-payloads.js';
import { runTrainJob } from '../../jobs/train/run-train-job.js';
import { defineProcessor } from '../define-processor.js';

/** Runs the `train` job of the payload (see `runTrainJob`) with the worker's graph client. */
export default defineProcessor({
  kind: 'train',
  schema: trainPayloadSchema,
  handle: (ctx) =>
    runTrainJob(
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
