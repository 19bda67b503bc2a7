/**
 * Sandboxed processor of the `unlearning` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/unlearning.js`) and calls its default export per job. It
 * runs the request named by the payload (its UnlearningRequest id is `requestId`, else the job
 * id) with exactly-once write-back, then redacts a payload that named the rows by plain keys or a
 * subject id (`redactedUnlearningPayload`). The job queues the attribution jobs of `reattribute`
 * itself, through the child's own handle on the `attribution` queue (`childQueue`): after each
 * line's commit and before it returns, so a crash in between is made good by the retry (see
 * `enqueueReattributions`). Likewise the follow-up `predictions` job of each new version (its test
 * predictions, out of the request's path). The request runs between its OpenLineage START and COMPLETE/FAIL
 * events (job `erasure`), flushed before the job returns.
 */
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { resolveDeploymentSalt } from '../../erasure/share-erasure-salt.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import { commitJobResult } from '../../graph/commit-job-result.js';
import { redactedUnlearningPayload, unlearningPayloadSchema } from '../../jobs/job-payloads.js';
import { runUnlearningJob } from '../../jobs/unlearning/run-unlearning-job.js';
import { erasureRunEvents } from '../../openlineage/erasure-events.js';
import { withLineageEmitter } from '../../openlineage/job-emitter.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { childQueue } from '../child-queue.js';
import { defineProcessor } from '../define-processor.js';
import { submitJob } from '../submit-job.js';

export default defineProcessor({
  kind: 'unlearning',
  schema: unlearningPayloadSchema,
  handle: async (ctx) => {
    const requestId = ctx.payload.requestId ?? ctx.jobId;
    const erasureSalt = await resolveDeploymentSalt(ctx.config);
    const outcome = await withLineageEmitter(ctx.config, (emitter, warn) =>
      withJobRunEvents(
        emitter,
        erasureRunEvents(ctx.graph(), emitter.namespace, { requestId, modelId: ctx.payload.modelId }),
        warn,
        () =>
          runUnlearningJob(
            {
              client: ctx.graph(),
              home: openArtifactHome(ctx.config),
              commit: (write) => ctx.commit(write),
              commitLine: (line) => (write) =>
                commitJobResult(
                  ctx.graph(),
                  { jobId: `${ctx.jobId}#${line}`, kind: 'unlearning', attempt: ctx.attempt },
                  write,
                ),
              progress: (p, stage) => ctx.progress(p, stage),
              erasureSalt,
              signingKey: resolveSigningKey(ctx.config),
              enqueueAttribution: async (payload) =>
                (await submitJob('attribution', payload, childQueue('attribution', ctx.config))).jobId,
              enqueuePredictions: async (modelId) =>
                (await submitJob('predictions', { modelId }, childQueue('predictions', ctx.config))).jobId,
            },
            {
              requestId,
              target: ctx.payload.target,
              mode: ctx.payload.mode,
              modelId: ctx.payload.modelId,
              ...(ctx.payload.lines ? { lines: ctx.payload.lines } : {}),
              ...(ctx.payload.reattribute ? { reattribute: true } : {}),
            },
          ),
      ),
    );
    // The request is written: the payload need not name the rows by key or subject any more.
    const redacted = redactedUnlearningPayload(ctx.payload, requestId);
    if (redacted) await ctx.job.updateData(redacted);
    return outcome;
  },
});
