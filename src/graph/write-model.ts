import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { defaults } from '../defaults.js';
import { TracepropError } from '../errors.js';
import type { CertificationSummary } from '../models/model-certification.js';
import type { ModelMetrics } from '../models/model-metrics.js';
import type { PredictionRow } from '../models/score-rows.js';
import { cypherText } from './cypher-library.js';

/** A Model node to create (version 1 from training, later versions from unlearning). */
export interface ModelRecord {
  id: string;
  runId: string;
  version: number;
  kind: 'logistic-regression';
  lambda: number;
  trainedAt: string;
  metrics: ModelMetrics;
  paramsSha256: string;
  runMatrixSha256: string;
  artifactPath: string;
  /** The model this version supersedes (it is marked `superseded`). */
  supersedes?: string;
  /** Certified removal (ε, δ, σ, budget spent and left); absent for an uncertified line. */
  certification?: CertificationSummary;
}

/** Predictions per UNWIND batch. */
const predictionBatchSize = defaults.predictionBatchSize;

/**
 * Creates a Model node -[:TRAINED_ON]->Run (and -[:SUPERSEDES]->the previous version, which
 * becomes `superseded`) and its Prediction nodes -[:BY]->Model, -[:FOR]->Sample, in batched
 * UNWINDs inside the caller's transaction (Cypher: `cypher/write-back/model-*.cypher`).
 *
 * The model to supersede is write-locked and must still be `active`: otherwise another version
 * was written from it meanwhile, and this one (computed from stale parameters) is refused.
 *
 * @throws TracepropError `models.writeMismatch` when the Run, the superseded model or a Sample is
 *   missing (the transaction is then rolled back by the caller); `models.supersededMeanwhile`
 *   (retriable: recompute from the new version) when the model to supersede is no longer active.
 */
export async function writeModel(
  tx: ManagedTransaction,
  model: ModelRecord,
  predictions: PredictionRow[],
): Promise<void> {
  if (model.supersedes) await assertStillActive(tx, model.supersedes, model.id);
  const created = await tx.run(cypherText('write-back', 'model-create'), {
    id: model.id,
    runId: model.runId,
    version: neo4j.int(model.version),
    kind: model.kind,
    trainedAt: model.trainedAt,
    lambda: model.lambda,
    metrics: model.metrics,
    metricsJson: JSON.stringify(model.metrics),
    trainRows: neo4j.int(model.metrics.trainRows),
    testRows: neo4j.int(model.metrics.testRows),
    paramsSha256: model.paramsSha256,
    runMatrixSha256: model.runMatrixSha256,
    artifactPath: model.artifactPath,
    supersedes: model.supersedes ?? null,
    certification: model.certification ?? {},
  });
  if (created.records.length === 0) {
    throw new TracepropError(
      'models.writeMismatch',
      `run ${model.runId} is not in the graph: model ${model.id} was not written`,
    );
  }
  if (model.supersedes && !created.records[0].get('superseded')) {
    throw new TracepropError(
      'models.writeMismatch',
      `model ${model.supersedes} (to be superseded) is not in the graph`,
    );
  }
  for (let start = 0; start < predictions.length; start += predictionBatchSize) {
    const rows = predictions.slice(start, start + predictionBatchSize).map((p) => ({
      id: p.id,
      sampleId: p.sampleId,
      score: p.score,
      label: neo4j.int(p.label),
    }));
    const result = await tx.run(cypherText('write-back', 'model-predictions'), { modelId: model.id, rows });
    const count = result.records[0].get('created') as number;
    if (count !== rows.length) {
      throw new TracepropError(
        'models.writeMismatch',
        `${rows.length - count} of ${rows.length} predicted samples are not in the graph (run ${model.runId})`,
      );
    }
  }
}

async function assertStillActive(tx: ManagedTransaction, id: string, by: string): Promise<void> {
  await tx.run(cypherText('write-back', 'model-lock-superseded'), { id, by });
  const found = await tx.run(cypherText('write-back', 'model-superseded-status'), { id });
  if (found.records.length === 0) {
    throw new TracepropError('models.writeMismatch', `model ${id} (to be superseded) is not in the graph`);
  }
  const status = found.records[0].get('status') as string;
  if (status !== 'active') {
    const newer = found.records[0].get('newer') as string | null;
    throw new TracepropError(
      'models.supersededMeanwhile',
      `model ${id} became ${status}${newer ? ` (by ${newer})` : ''} while ${by} was computed from it; compute again from the active version`,
    );
  }
}
