/**
 * Sandboxed processor of the `attribution` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/attribution.js`) and calls its default export per job.
 */
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { scoreWorkerPool } from '../../attribution/score-worker-pool.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import { runAttributionJob } from '../../jobs/attribution/run-attribution-job.js';
import { attributionPayloadSchema } from '../../jobs/job-payloads.js';
import { attributionRunEvents } from '../../openlineage/attribution-events.js';
import { withLineageEmitter } from '../../openlineage/job-emitter.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { defineProcessor } from '../define-processor.js';

// The score threads start with the child process, not with its first job (they are unref'd: an
// idle pool never keeps the child alive). A failed start shows again on the first product.
scoreWorkerPool()
  .warm()
  .catch(() => {});

/**
 * Runs the `attribution` job of the payload (see `runAttributionJob`) with the worker's graph
 * client, between its OpenLineage START and COMPLETE/FAIL events (flushed before it returns).
 */
export default defineProcessor({
  kind: 'attribution',
  schema: attributionPayloadSchema,
  handle: (ctx) =>
    withLineageEmitter(ctx.config, (emitter, warn) =>
      withJobRunEvents(
        emitter,
        attributionRunEvents(ctx.graph(), emitter.namespace, {
          jobId: ctx.jobId,
          modelId: ctx.payload.modelId,
          method: ctx.payload.method,
        }),
        warn,
        () =>
          runAttributionJob(
            {
              client: ctx.graph(),
              home: openArtifactHome(ctx.config),
              jobId: ctx.jobId,
              attempt: ctx.attempt,
              progress: (percent, stage) => ctx.progress(percent, stage),
              signingKey: resolveSigningKey(ctx.config),
              warn,
            },
            ctx.payload,
          ),
      ),
    ),
});
