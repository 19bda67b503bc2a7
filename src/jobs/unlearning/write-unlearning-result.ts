import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { type TombstonedRow, writeTombstones } from '../../erasure/write-tombstones.js';
import {
  type ErasedRowDigest,
  type ErasureFacts,
  erasureStatement,
} from '../../evidence/erasure-statement.js';
import { recordStatement } from '../../evidence/record-statement.js';
import type { SigningKey } from '../../evidence/signing-key.js';
import type { CommitOutcome, JobCommit } from '../../graph/commit-job-result.js';
import { cypherText } from '../../graph/cypher-library.js';
import { type ModelRecord, writeModel } from '../../graph/write-model.js';
import { type EncoderDriftEntry, writeEncoderDrift } from './write-encoder-drift.js';

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
  /**
   * Test predictions the new version owes: written after the commit by the follow-up
   * `predictions` job (`runPredictionsJob`); the version is marked `predictionsState: 'pending'`.
   */
  pendingPredictions: number;
  /** Summary fields stored on the request (numbers, strings, booleans and lists of strings). */
  summary: Record<string, number | string | boolean | null | string[]>;
  metricsJson: string;
  certificateJson: string | null;
  /** The deployment's erasure salt: the tombstones keep the erased rows' keys hashed with it. */
  erasureSalt: ErasureSalt;
  /** The model the update started from: its line is added to the request's `linesDone`. */
  line: string;
  /** `partial` while other model lines of the request are still to be updated. */
  status: 'complete' | 'partial';
  /**
   * `--reattribute`: keep the plan of the attribution job that explains the line's scrubbed
   * predictions again with the new version (`enqueueReattributions` queues it after the commit).
   */
  reattribute?: boolean;
  /** How far the line's kept encoder state is from a refit (`writeEncoderDrift`). */
  encoderDrift?: EncoderDriftEntry;
  /**
   * What the line's signed `erasure` statement says, besides the rows' digests and the scrubbed
   * edges (the write-back reads and counts those in its transaction).
   */
  erasure: Omit<ErasureFacts, 'rows' | 'saltId' | 'scrubbed'>;
}

/** Affected samples per `unlearning-affect-samples` statement. */
const sampleBatch = 5000;

/**
 * Writes a completed request in ONE exactly-once transaction (`commit`, see `commitJobResult`):
 * the request `complete` with its metrics and certificate; a Tombstone per erased row (file, row,
 * and the business key hashed with `erasureSalt`, so that no later ingest or recompute brings the
 * row back, `writeTombstones`); -[:TARGETS]-> each erased SourceRow, which keeps only its
 * content-free skeleton (`id`, `row`, `erased`, `erasedAt`, `erasedBy`); -[:AFFECTED]-> each
 * affected Sample: a dropped one loses `key` and `label` (`erased: true`), a re-derived one
 * (recompute mode) keeps them and gets `rederivedBy`/`rederivedAt`; the new Model version
 * (SUPERSEDES the old one, which becomes `superseded`), marked `predictionsState: 'pending'`
 * (its test Predictions are written after the commit by the follow-up `predictions` job, out of
 * the request's path); -[:PRODUCED]-> it,
 * with `reattribute` the samples to explain again on that edge (`unlearning-plan-reattribution`);
 * the line's encoder drift (`writeEncoderDrift`); with `signingKey`, last, the line's signed
 * `erasure` statement (ref `<requestId>#<line>`; the rows named by id, file hash, row number and
 * their tombstones' salted hashes as `writeTombstones` returned them, never content:
 * docs/evidence.md) and its log entry (one round trip, `appendStatement`).
 * Cypher: `cypher/write-back/unlearning-*.cypher`. A redelivered job whose result had committed
 * writes nothing (`committed: false`, no second statement).
 */
export function writeUnlearningResult(
  commit: JobCommit,
  record: UnlearningResultRecord,
  signingKey?: SigningKey,
): Promise<CommitOutcome<ScrubbedAttributions>> {
  return commit(async (tx) => {
    const { scrubbed, tombstoned } = await writeResult(tx, record);
    // Last: the log's lock is held from the append to the end of the transaction.
    if (signingKey) await recordErasureStatement(tx, signingKey, record, scrubbed, tombstoned);
    return scrubbed;
  });
}

/**
 * Logs the line's `erasure` statement, naming the erased rows by what their tombstones keep
 * (`writeTombstones` returned it, ordered by row id: no query of its own).
 */
async function recordErasureStatement(
  tx: ManagedTransaction,
  key: SigningKey,
  record: UnlearningResultRecord,
  scrubbed: ScrubbedAttributions,
  tombstoned: readonly TombstonedRow[],
): Promise<void> {
  // Made inside recordStatement (a function), so the bench's in-transaction time includes it.
  await recordStatement(tx, key, () => {
    let saltId: string | undefined;
    const rows: ErasedRowDigest[] = tombstoned.map((r) => {
      saltId ??= r.saltId ?? undefined;
      return {
        id: r.id,
        fileSha256: r.fileId,
        row: r.row,
        ...(r.keyHash ? { keyHash: r.keyHash } : {}),
        ...(r.subjectHash ? { subjectHash: r.subjectHash } : {}),
      };
    });
    return erasureStatement({
      ...record.erasure,
      rows,
      ...(saltId ? { saltId } : {}),
      scrubbed: { ...scrubbed },
    });
  });
}

/** Attribution edges an erasure removed (on every model line of the run). */
export interface ScrubbedAttributions {
  /** INFLUENCED_BY edges that pointed at an affected sample. */
  influences: number;
  /** SOURCE_SHARE edges of the predictions that had such an influence. */
  shares: number;
  /** Edges of predictions that scored an affected sample. */
  predictionEdges: number;
  /** Predictions marked `attributionScrubbedBy` (both kinds; one may count twice). */
  predictions: number;
}

async function writeResult(
  tx: ManagedTransaction,
  record: UnlearningResultRecord,
): Promise<{ scrubbed: ScrubbedAttributions; tombstoned: TombstonedRow[] }> {
  await tx.run(cypherText('write-back', 'unlearning-complete-request'), {
    id: record.requestId,
    status: record.status,
    line: record.line,
    mode: record.mode,
    metrics: record.metricsJson,
    certificate: record.certificateJson,
    summary: record.summary,
  });
  if (record.encoderDrift) await writeEncoderDrift(tx, record.requestId, record.encoderDrift);
  const tombstoned = await writeTombstones(tx, record.requestId, record.sourceRowIds, record.erasureSalt);
  await tx.run(cypherText('write-back', 'unlearning-erase-rows'), {
    id: record.requestId,
    rowIds: record.sourceRowIds,
  });
  const rederivedSet = new Set(record.rederivedSampleIds ?? []);
  const scrubbed: ScrubbedAttributions = { influences: 0, shares: 0, predictionEdges: 0, predictions: 0 };
  for (let start = 0; start < record.affectedSampleIds.length; start += sampleBatch) {
    const sampleIds = record.affectedSampleIds.slice(start, start + sampleBatch);
    const rederived = record.rederivedSampleIds ? sampleIds.filter((id) => rederivedSet.has(id)) : [];
    await tx.run(cypherText('write-back', 'unlearning-affect-samples'), {
      id: record.requestId,
      sampleIds,
      rederived,
    });
    await scrubAttributions(tx, record.requestId, sampleIds, scrubbed);
  }
  if (record.model) {
    await writeModel(tx, record.model, []);
    await tx.run(cypherText('write-back', 'unlearning-predictions-pending'), {
      modelId: record.model.id,
      count: neo4j.int(record.pendingPredictions),
    });
    await tx.run(cypherText('write-back', 'unlearning-produced'), {
      id: record.requestId,
      modelId: record.model.id,
    });
    if (record.reattribute)
      await tx.run(cypherText('write-back', 'unlearning-plan-reattribution'), {
        id: record.requestId,
        modelId: record.model.id,
      });
  }
  await tx.run(cypherText('write-back', 'unlearning-record-scrubbed'), { id: record.requestId, scrubbed });
  return { scrubbed, tombstoned };
}

/**
 * Deletes the attribution edges that involve the affected samples (Cypher:
 * `unlearning-scrub-influences`, `unlearning-scrub-predictions`) and adds what went to `into`.
 */
async function scrubAttributions(
  tx: ManagedTransaction,
  id: string,
  sampleIds: string[],
  into: ScrubbedAttributions,
): Promise<void> {
  const influences = (
    await tx.run(cypherText('write-back', 'unlearning-scrub-influences'), { id, sampleIds })
  ).records[0];
  if (influences) {
    into.influences += Number(influences.get('influences'));
    into.shares += Number(influences.get('shares'));
    into.predictions += Number(influences.get('predictions'));
  }
  const scored = (await tx.run(cypherText('write-back', 'unlearning-scrub-predictions'), { id, sampleIds }))
    .records[0];
  into.predictionEdges += Number(scored.get('edges'));
  into.predictions += Number(scored.get('predictions'));
}
