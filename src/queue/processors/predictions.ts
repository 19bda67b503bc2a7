/**
 * Sandboxed processor of the `predictions` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/predictions.js`) and calls its default export per job. It
 * writes the test predictions of the model version the payload names (an erasure's new version,
 * queued after its line committed) in one exactly-once write-back (`runPredictionsJob`), under
 * the JobRun `predictions-<modelId>` that `unlearn --local` uses too.
 */
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { commitJobResult } from '../../graph/commit-job-result.js';
import { predictionsPayloadSchema } from '../../jobs/job-payloads.js';
import { predictionsJobRunId, runPredictionsJob } from '../../jobs/predictions/run-predictions-job.js';
import { defineProcessor } from '../define-processor.js';

export default defineProcessor({
  kind: 'predictions',
  schema: predictionsPayloadSchema,
  handle: (ctx) =>
    runPredictionsJob(
      {
        client: ctx.graph(),
        home: openArtifactHome(ctx.config),
        commit: (write) =>
          commitJobResult(
            ctx.graph(),
            { jobId: predictionsJobRunId(ctx.payload.modelId), kind: 'predictions', attempt: ctx.attempt },
            write,
          ),
        progress: (p, stage) => ctx.progress(p, stage),
      },
      ctx.payload.modelId,
    ),
});
