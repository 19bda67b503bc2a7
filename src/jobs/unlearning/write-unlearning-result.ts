import type { ManagedTransaction } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { writeTombstones } from '../../erasure/write-tombstones.js';
import { type ModelRecord, writeModel } from '../../graph/write-model.js';
import type { PredictionRow } from '../../models/score-rows.js';

/** What a completed request writes. */
export interface UnlearningResultRecord {
  requestId: string;
  mode: 'drop' | 'recompute';
  sourceRowIds: string[];
  affectedSampleIds: string[];
  /**
   * Recompute mode: the affected samples that were re-derived (they stay, keeping `key` and
   * `label`, and get `rederivedBy`); the other affected samples are dropped. Absent: all dropped.
   */
  rederivedSampleIds?: string[];
  /** The new model version (absent when no training sample was affected). */
  model?: ModelRecord;
  predictions: PredictionRow[];
  /** Summary fields stored on the request (numbers, strings, booleans and lists of strings). */
  summary: Record<string, number | string | boolean | null | string[]>;
  metricsJson: string;
  certificateJson: string | null;
  /** The deployment's erasure salt: the tombstones keep the erased rows' keys hashed with it. */
  erasureSalt: ErasureSalt;
}

const completeRequest = `
MERGE (u:UnlearningRequest {id: $id})
  ON CREATE SET u.requestedAt = datetime()
SET u.status = 'complete', u.mode = $mode, u.completedAt = datetime(), u.metrics = $metrics, u.certificate = $certificate,
    u.error = null, u.errorCode = null, u += $summary
RETURN u.id AS id`;

const targetAndErase = `
MATCH (u:UnlearningRequest {id: $id})
UNWIND $rowIds AS rid
MATCH (r:SourceRow {id: rid})
MERGE (u)-[:TARGETS]->(r)
SET r = {id: r.id, row: r.row, erased: true, erasedAt: coalesce(r.erasedAt, datetime()), erasedBy: $id}
RETURN count(r) AS erased`;

const affectSamples = `
MATCH (u:UnlearningRequest {id: $id})
UNWIND $sampleIds AS sid
MATCH (s:Sample {id: sid})
MERGE (u)-[:AFFECTED]->(s)
WITH s, s.id IN $rederived AS rederived
FOREACH (_ IN CASE WHEN rederived THEN [1] ELSE [] END |
  SET s.rederivedBy = $id, s.rederivedAt = datetime())
FOREACH (_ IN CASE WHEN rederived THEN [] ELSE [1] END |
  SET s.erased = true
  REMOVE s.key, s.label)
RETURN count(s) AS affected`;

const produced = `
MATCH (u:UnlearningRequest {id: $id}), (m:Model {id: $modelId})
MERGE (u)-[:PRODUCED]->(m)`;

/**
 * Writes a completed request inside the caller's (job) transaction: the request `complete` with
 * its metrics and certificate; -[:TARGETS]-> each erased SourceRow, which keeps only its
 * content-free skeleton (`id`, `row`, `erased`, `erasedAt`, `erasedBy`); -[:AFFECTED]-> each
 * affected Sample: a dropped one loses `key` and `label` (`erased: true`), a re-derived one
 * (recompute mode) keeps them and gets `rederivedBy`/`rederivedAt`; the new Model version (SUPERSEDES the old
 * one, which becomes `superseded`) with its Predictions; -[:PRODUCED]-> it. Before the rows lose their data, a Tombstone
 * per erased row (file, row, and the business key hashed with `erasureSalt`), so that no later ingest or
 * recompute brings the row back (`writeTombstones`).
 */
export async function writeUnlearningResult(
  tx: ManagedTransaction,
  record: UnlearningResultRecord,
): Promise<void> {
  await tx.run(completeRequest, {
    id: record.requestId,
    mode: record.mode,
    metrics: record.metricsJson,
    certificate: record.certificateJson,
    summary: record.summary,
  });
  await writeTombstones(tx, record.requestId, record.sourceRowIds, record.erasureSalt);
  await tx.run(targetAndErase, { id: record.requestId, rowIds: record.sourceRowIds });
  const rederivedSet = new Set(record.rederivedSampleIds ?? []);
  for (let start = 0; start < record.affectedSampleIds.length; start += 5000) {
    const sampleIds = record.affectedSampleIds.slice(start, start + 5000);
    const rederived = record.rederivedSampleIds ? sampleIds.filter((id) => rederivedSet.has(id)) : [];
    await tx.run(affectSamples, { id: record.requestId, sampleIds, rederived });
  }
  if (record.model) {
    await writeModel(tx, record.model, record.predictions);
    await tx.run(produced, { id: record.requestId, modelId: record.model.id });
  }
}
