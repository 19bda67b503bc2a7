import type { ManagedTransaction } from 'neo4j-driver';
import { modelStatement } from '../../evidence/model-statement.js';
import { recordStatement } from '../../evidence/record-statement.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import { type CommitOutcome, commitJobResult } from '../../graph/commit-job-result.js';
import { type GraphClient, withSession } from '../../graph/connection.js';
import { type ModelRecord, writeModel } from '../../graph/write-model.js';
import type { PredictionRow } from '../../models/score-rows.js';

/** The queued job a write-back belongs to (its JobRun key). */
export interface TrainJobRef {
  jobId: string;
  /** 1-based attempt that writes (recorded on the JobRun). */
  attempt?: number;
}

/**
 * Writes a trained model, the Model node and its Predictions ({@link writeModel}), in ONE write
 * transaction. With `job`, the transaction goes through {@link commitJobResult} (kind `train`):
 * exactly once, and `committed: false` when an earlier attempt already wrote it (nothing is
 * written now). Without `job` (training in process) it is a plain write transaction and the
 * result is `undefined`. With `signingKey`, the model's signed `model` statement is logged in the
 * same transaction (docs/evidence.md).
 *
 * @throws TracepropError `models.writeMismatch` (see {@link writeModel}), graph errors.
 */
export async function writeTrainResult(
  client: GraphClient,
  model: ModelRecord,
  predictions: PredictionRow[],
  job?: TrainJobRef,
  signingKey?: SigningKey,
): Promise<CommitOutcome<void> | undefined> {
  const write = async (tx: ManagedTransaction) => {
    await writeModel(tx, model, predictions);
    if (signingKey) await recordStatement(tx, signingKey, modelStatement({ ...model, modelId: model.id }));
  };
  if (job) return commitJobResult(client, { jobId: job.jobId, kind: 'train', attempt: job.attempt }, write);
  await withSession(client, (s) => s.executeWrite(write));
  return undefined;
}
