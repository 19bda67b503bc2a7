/**
 * Sandboxed processor of the `train` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/train.js`) and calls its default export per job.
 */
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import { trainPayloadSchema } from '../../jobs/job-payloads.js';
import { modelIdForJob, runTrainJob } from '../../jobs/train/run-train-job.js';
import { withLineageEmitter } from '../../openlineage/job-emitter.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { trainRunEvents } from '../../openlineage/train-events.js';
import { defineProcessor } from '../define-processor.js';

/**
 * Runs the `train` job of the payload (see `runTrainJob`) with the worker's graph client, between
 * its OpenLineage START and COMPLETE/FAIL events (flushed before the job returns).
 */
export default defineProcessor({
  kind: 'train',
  schema: trainPayloadSchema,
  handle: (ctx) =>
    withLineageEmitter(ctx.config, (emitter, warn) =>
      withJobRunEvents(
        emitter,
        trainRunEvents(ctx.graph(), emitter.namespace, {
          modelId: modelIdForJob(ctx.jobId),
          runId: ctx.payload.runId,
        }),
        warn,
        () =>
          runTrainJob(
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
