import type { ManagedTransaction } from 'neo4j-driver';
import { defaults } from '../../defaults.js';
import { type AttributionFacts, attributionStatement } from '../../evidence/attribution-statement.js';
import { recordStatement } from '../../evidence/record-statement.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import { type CommitOutcome, commitJobResult } from '../../graph/commit-job-result.js';
import type { GraphClient } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import type { AttributionResult } from './compute-attribution.js';

/** Rows per UNWIND inside the write-back transaction. */
const batchSize = defaults.attributionBatchSize;

/** Counts of what {@link writeAttributionResult} wrote. */
export interface AttributionWriteCounts {
  predictions: number;
  influencedBy: number;
  sourceShares: number;
}

/** The attribution job a write-back belongs to. */
export interface AttributionWriteMeta {
  modelId: string;
  method: string;
  /** The BullMQ job id: the JobRun key, also stamped on every edge. */
  jobId: string;
  /** 1-based attempt that writes (recorded on the JobRun). */
  attempt?: number;
  /**
   * Sign the job's `attribution` statement with `key` and log it in the same transaction
   * (`facts`: what the statement says besides the counts, which the write-back adds). Absent:
   * nothing is signed.
   */
  evidence?: { key: SigningKey; facts: Omit<AttributionFacts, 'counts'> };
}

/**
 * Writes an attribution result exactly once, in ONE transaction through {@link commitJobResult}
 * (kind `attribution`): MERGEs the Predictions (`BY` the model, `FOR` their sample), replaces
 * their earlier edges of the same method, and creates the INFLUENCED_BY top-k and SOURCE_SHARE
 * edges, in UNWIND batches (Cypher: `cypher/write-back/attribution-*.cypher`); with
 * `meta.evidence`, last, the job's signed `attribution` statement (docs/evidence.md). A retry
 * after the commit writes nothing (`committed: false`, no `result`, no second statement).
 */
export function writeAttributionResult(
  client: GraphClient,
  result: AttributionResult,
  meta: AttributionWriteMeta,
): Promise<CommitOutcome<AttributionWriteCounts>> {
  const { modelId, method, jobId, evidence } = meta;
  return commitJobResult(client, { jobId, kind: 'attribution', attempt: meta.attempt }, async (tx) => {
    const counts = await writeAttribution(tx, result, { modelId, method, jobId });
    // Last: the log's lock is held from the append to the end of the transaction.
    if (evidence)
      await recordStatement(
        tx,
        evidence.key,
        attributionStatement({ ...evidence.facts, counts: { ...counts, trainRows: result.trainRows } }),
      );
    return counts;
  });
}

async function writeAttribution(
  tx: ManagedTransaction,
  result: AttributionResult,
  meta: { modelId: string; method: string; jobId: string },
): Promise<AttributionWriteCounts> {
  const counts: AttributionWriteCounts = { predictions: 0, influencedBy: 0, sourceShares: 0 };
  for (const rows of batches(result.predictions)) {
    await tx.run(cypherText('write-back', 'attribution-predictions'), {
      rows,
      modelId: meta.modelId,
      method: meta.method,
    });
    counts.predictions += rows.length;
  }
  for (const rows of batches(result.influences)) {
    const r = await tx.run(cypherText('write-back', 'attribution-influences'), {
      rows,
      method: meta.method,
      jobId: meta.jobId,
    });
    counts.influencedBy += r.summary.counters.updates().relationshipsCreated;
  }
  for (const rows of batches(result.shares)) {
    const r = await tx.run(cypherText('write-back', 'attribution-shares'), {
      rows,
      method: meta.method,
      jobId: meta.jobId,
    });
    counts.sourceShares += r.summary.counters.updates().relationshipsCreated;
  }
  return counts;
}

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let at = 0; at < rows.length; at += batchSize) yield rows.slice(at, at + batchSize);
}
