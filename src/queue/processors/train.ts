/**
 * Sandboxed processor of the `train` queue: BullMQ forks a child that imports this file
 * (compiled: `dist/src/queue/processors/train.js`) and calls its default export per job.
 */
import { InputError } from '../../errors.js';
import { trainPayloadSchema } from '../../jobs/job-payloads.js';
import { modelIdForJob, type TrainedRunModel, trainRunModel } from '../../jobs/train/train-run-model.js';
import { defineProcessor } from '../define-processor.js';

/** Model kinds a `train` job can fit (the payload's `kind`). */
export const trainableKinds = ['logistic'] as const;

/**
 * The return value of a `train` job (shown by `jobs show` and `train --queue --wait`);
 * `committed` and `committedAt` are always set.
 */
export type TrainJobResult = TrainedRunModel;

/**
 * The `train` job: fits the model of the payload's run as {@link trainRunModel} does in process,
 * under the deterministic model id `model-<jobId>`, and writes the Model and its Predictions
 * exactly once (a retry after the commit writes nothing and reports `committed: false`).
 * Unknown runs, runs that are not complete and runs without a saved matrix fail at once.
 */
export default defineProcessor({
  kind: 'train',
  schema: trainPayloadSchema,
  handle: async (ctx): Promise<TrainJobResult> => {
    const { runId, kind, lambda } = ctx.payload;
    if (!(trainableKinds as readonly string[]).includes(kind)) {
      throw new InputError(
        'models.unknownKind',
        `cannot train a "${kind}" model (expected one of ${trainableKinds.join(', ')})`,
      );
    }
    return trainRunModel({
      client: ctx.graph(),
      home: ctx.config.home,
      runId,
      lambda,
      modelId: modelIdForJob(ctx.jobId),
      commit: (write) => ctx.commit(write),
      progress: (percent, stage) => ctx.progress(percent, stage),
    });
  },
});
