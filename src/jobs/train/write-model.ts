import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { defaults } from '../../defaults.js';
import { TracepropError } from '../../errors.js';
import type { ModelMetrics } from '../../models/model-metrics.js';
import type { PredictionRow } from '../../models/score-rows.js';

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
}

/** Predictions per UNWIND batch. */
export const predictionBatchSize = defaults.predictionBatchSize;

const createModel = `
MATCH (run:Run {id: $runId})
CREATE (m:Model {id: $id, version: $version, kind: $kind, status: 'active', trainedAt: datetime($trainedAt),
  lambda: $lambda, metrics: $metricsJson, trainAccuracy: $metrics.trainAccuracy, testAccuracy: $metrics.testAccuracy,
  trainLoss: $metrics.trainLoss, testLoss: $metrics.testLoss, trainRows: $trainRows, testRows: $testRows,
  paramsSha256: $paramsSha256, runMatrixSha256: $runMatrixSha256, artifactPath: $artifactPath})
CREATE (m)-[:TRAINED_ON]->(run)
WITH m
OPTIONAL MATCH (old:Model {id: $supersedes})
FOREACH (o IN CASE WHEN old IS NULL THEN [] ELSE [old] END |
  SET o.status = 'superseded', o.supersededAt = datetime($trainedAt)
  CREATE (m)-[:SUPERSEDES]->(o))
RETURN m.id AS id, old IS NOT NULL AS superseded`;

// Takes the write lock on the model to supersede, so that the status read next is the latest
// committed one: two versions computed concurrently from one model cannot both supersede it.
const lockSuperseded = `
MATCH (o:Model {id: $id})
SET o.lockedBy = $by
REMOVE o.lockedBy
RETURN count(o) AS locked`;

const supersededStatus = `
MATCH (o:Model {id: $id})
OPTIONAL MATCH (newer:Model)-[:SUPERSEDES]->(o)
RETURN o.status AS status, newer.id AS newer`;

const createPredictions = `
MATCH (m:Model {id: $modelId})
UNWIND $rows AS row
MATCH (s:Sample {id: row.sampleId})
CREATE (p:Prediction {id: row.id, score: row.score, label: row.label})
CREATE (p)-[:BY]->(m), (p)-[:FOR]->(s)
RETURN count(p) AS created`;

/**
 * Creates a Model node -[:TRAINED_ON]->Run (and -[:SUPERSEDES]->the previous version, which
 * becomes `superseded`) and its Prediction nodes -[:BY]->Model, -[:FOR]->Sample, in batched
 * UNWINDs inside the caller's transaction.
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
  const created = await tx.run(createModel, {
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
    const result = await tx.run(createPredictions, { modelId: model.id, rows });
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
  await tx.run(lockSuperseded, { id, by });
  const found = await tx.run(supersededStatus, { id });
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
