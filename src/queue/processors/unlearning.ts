/**
 * Sandboxed processor of the `unlearning` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/unlearning.js`) and calls its default export per job. It
 * runs the request named by the payload (its UnlearningRequest id is `requestId`, else the job
 * id) with exactly-once write-back.
 */
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { unlearningPayloadSchema } from '../../jobs/job-payloads.js';
import { runUnlearningJob } from '../../jobs/unlearning/run-unlearning-job.js';
import { defineProcessor } from '../define-processor.js';

export default defineProcessor({
  kind: 'unlearning',
  schema: unlearningPayloadSchema,
  handle: (ctx) =>
    runUnlearningJob(
      {
        client: ctx.graph(),
        home: ctx.config.home,
        commit: (write) => ctx.commit(write),
        progress: (p, stage) => ctx.progress(p, stage),
        erasureSalt: resolveErasureSalt(ctx.config),
      },
      {
        requestId: ctx.payload.requestId ?? ctx.jobId,
        target: ctx.payload.target,
        mode: ctx.payload.mode,
        modelId: ctx.payload.modelId,
      },
    ),
});
