/**
 * Sandboxed processor of the `unlearning` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/unlearning.js`) and calls its default export per job. It
 * runs the request named by the payload (its UnlearningRequest id is `requestId`, else the job
 * id) with exactly-once write-back, then redacts a payload that named the rows by plain keys or a
 * subject id (`redactedUnlearningPayload`).
 */
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { commitJobResult } from '../../graph/commit-job-result.js';
import { redactedUnlearningPayload, unlearningPayloadSchema } from '../../jobs/job-payloads.js';
import { runUnlearningJob } from '../../jobs/unlearning/run-unlearning-job.js';
import { defineProcessor } from '../define-processor.js';

export default defineProcessor({
  kind: 'unlearning',
  schema: unlearningPayloadSchema,
  handle: async (ctx) => {
    const requestId = ctx.payload.requestId ?? ctx.jobId;
    const outcome = await runUnlearningJob(
      {
        client: ctx.graph(),
        home: ctx.config.home,
        commit: (write) => ctx.commit(write),
        commitLine: (line) => (write) =>
          commitJobResult(
            ctx.graph(),
            { jobId: `${ctx.jobId}#${line}`, kind: 'unlearning', attempt: ctx.attempt },
            write,
          ),
        progress: (p, stage) => ctx.progress(p, stage),
        erasureSalt: resolveErasureSalt(ctx.config),
      },
      {
        requestId,
        target: ctx.payload.target,
        mode: ctx.payload.mode,
        modelId: ctx.payload.modelId,
        ...(ctx.payload.lines ? { lines: ctx.payload.lines } : {}),
      },
    );
    // The request is written: the payload need not name the rows by key or subject any more.
    const redacted = redactedUnlearningPayload(ctx.payload, requestId);
    if (redacted) await ctx.job.updateData(redacted);
    return outcome;
  },
});
