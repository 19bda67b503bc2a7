import type { ManagedTransaction } from 'neo4j-driver';
import { defaults } from '../../defaults.js';
import type { AttributionResult } from './compute-attribution.js';

/** Rows per UNWIND inside the write-back transaction. */
const batchSize = defaults.attributionBatchSize;

const upsertPredictions = `
UNWIND $rows AS row
MATCH (m:Model {id: $modelId})
MATCH (s:Sample {id: row.sampleId})
MERGE (p:Prediction {id: row.id})
  ON CREATE SET p.score = row.score, p.label = toInteger(row.label)
MERGE (p)-[:BY]->(m)
MERGE (p)-[:FOR]->(s)
WITH p
OPTIONAL MATCH (p)-[old:INFLUENCED_BY|SOURCE_SHARE {method: $method}]->()
DELETE old`;

const createInfluences = `
UNWIND $rows AS row
MATCH (p:Prediction {id: row.prediction})
MATCH (s:Sample {id: row.sample})
CREATE (p)-[:INFLUENCED_BY {score: row.score, rank: toInteger(row.rank), method: $method, jobId: $jobId}]->(s)`;

const createShares = `
UNWIND $rows AS row
MATCH (p:Prediction {id: row.prediction})
MATCH (f:SourceFile {id: row.file})
CREATE (p)-[:SOURCE_SHARE {share: row.share, method: $method, basis: row.basis, unattributed: row.unattributed, jobId: $jobId}]->(f)`;

/** Counts of what {@link writeAttribution} wrote. */
export interface AttributionWriteCounts {
  predictions: number;
  influencedBy: number;
  sourceShares: number;
}

/**
 * Writes an attribution result inside the caller's (JobRun-guarded) transaction: MERGEs the
 * Predictions (`BY` the model, `FOR` their sample), replaces their earlier edges of the same
 * method, and creates the INFLUENCED_BY top-k and SOURCE_SHARE edges, in UNWIND batches.
 */
export async function writeAttribution(
  tx: ManagedTransaction,
  result: AttributionResult,
  meta: { modelId: string; method: string; jobId: string },
): Promise<AttributionWriteCounts> {
  const counts: AttributionWriteCounts = { predictions: 0, influencedBy: 0, sourceShares: 0 };
  for (const rows of batches(result.predictions)) {
    await tx.run(upsertPredictions, { rows, modelId: meta.modelId, method: meta.method });
    counts.predictions += rows.length;
  }
  for (const rows of batches(result.influences)) {
    const r = await tx.run(createInfluences, { rows, ...meta });
    counts.influencedBy += r.summary.counters.updates().relationshipsCreated;
  }
  for (const rows of batches(result.shares)) {
    const r = await tx.run(createShares, { rows, ...meta });
    counts.sourceShares += r.summary.counters.updates().relationshipsCreated;
  }
  return counts;
}

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let at = 0; at < rows.length; at += batchSize) yield rows.slice(at, at + batchSize);
}
