import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { runUnlearning } from '../../jobs/unlearning/run-unlearning.js';
import { defineProcessor } from '../define-processor.js';
import { unlearningPayloadSchema } from '../job-payloads.js';

/**
 * The sandboxed processor of the `unlearning` queue: runs the request named by the payload
 * (its UnlearningRequest id is `requestId`, else the job id) with exactly-once write-back.
 */
export default defineProcessor({
  kind: 'unlearning',
  schema: unlearningPayloadSchema,
  handle: (ctx) =>
    runUnlearning(
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
