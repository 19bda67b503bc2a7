import { createHash } from 'node:crypto';
import type { StatementSubject } from './in-toto-statement.js';
import type { EventStatement } from './record-statement.js';

/**
 * An erased source row as an erasure statement names it: its id, the content sha256 of its file
 * and its row number, and the salted HMAC hashes its Tombstone keeps of its business key and data
 * subject (when it has them). Never the row's content, key or subject id.
 */
export interface ErasedRowDigest {
  /** The SourceRow id, `<fileSha256>:<row>`. */
  id: string;
  /** sha256 of the source file's bytes (its `SourceFile.id`). */
  fileSha256: string;
  row: number;
  /** HMAC-SHA256 of the row's business key under the deployment's erasure salt (hex). */
  keyHash?: string;
  /** HMAC-SHA256 of the row's data subject id under the same salt (hex). */
  subjectHash?: string;
}

/** The facts of one model line's erasure that its `erasure` statement records. */
export interface ErasureFacts {
  requestId: string;
  /** The model line the update started from (as requested). */
  line: string;
  mode: 'drop' | 'recompute';
  /** `partial` while other model lines of the request are still to be updated. */
  status: 'complete' | 'partial';
  runId: string;
  /** The model version the update started from. */
  previousModel: { id: string; paramsSha256: string };
  /** The version the update made (absent when no training sample was affected). */
  newModel?: { id: string; version: number; paramsSha256: string };
  /** The erased rows, ordered by id. */
  rows: ErasedRowDigest[];
  /** Fingerprint of the salt the row hashes were made with. */
  saltId?: string;
  /** The affected samples (the rows' forward lineage closure on the run): ids only. */
  affectedSampleIds: readonly string[];
  counts: Record<string, number>;
  /** Certificate summary (residual, budget, fallback; ε and δ of a certified line), or null. */
  certificate: Record<string, number | boolean> | null;
  metrics: object;
  /** Attribution edges the write-back removed. */
  scrubbed: Record<string, number>;
  completedAt: string;
}

/** Hex sha256 of a UTF-8 string. */
function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The `erasure` statement of one model line of an unlearning request (predicate type
 * `https://traceprop.dev/erasure/v1`). Subjects: the previous and the new model parameters by
 * sha256, the erased rows (sha256 of the predicate's `rows` as JSON) and the affected samples
 * (sha256 of their sorted ids, one a line). The predicate holds ids, content hashes, counts, the
 * certificate summary and metrics; never row content. Its ref is `<requestId>#<line>`.
 */
export function erasureStatement(facts: ErasureFacts): EventStatement {
  const rows = facts.rows.map((r) => ({
    id: r.id,
    file: r.fileSha256,
    row: r.row,
    ...(r.keyHash ? { keyHash: r.keyHash } : {}),
    ...(r.subjectHash ? { subjectHash: r.subjectHash } : {}),
  }));
  const rowsSha256 = sha256(JSON.stringify(rows));
  const samplesSha256 = sha256([...facts.affectedSampleIds].sort().join('\n'));
  const subject: StatementSubject[] = [
    { name: `model:${facts.previousModel.id}/params`, digest: { sha256: facts.previousModel.paramsSha256 } },
  ];
  if (facts.newModel)
    subject.push({
      name: `model:${facts.newModel.id}/params`,
      digest: { sha256: facts.newModel.paramsSha256 },
    });
  subject.push(
    { name: `erasure:${facts.requestId}/rows`, digest: { sha256: rowsSha256 } },
    { name: `erasure:${facts.requestId}/${facts.line}/samples`, digest: { sha256: samplesSha256 } },
  );
  return {
    kind: 'erasure',
    ref: `${facts.requestId}#${facts.line}`,
    subject,
    predicate: {
      requestId: facts.requestId,
      line: facts.line,
      mode: facts.mode,
      status: facts.status,
      runId: facts.runId,
      previousModelId: facts.previousModel.id,
      modelId: facts.newModel?.id ?? null,
      ...(facts.newModel ? { version: facts.newModel.version } : {}),
      rows,
      ...(facts.saltId ? { saltId: facts.saltId } : {}),
      lineage: { affectedSamples: facts.affectedSampleIds.length, samplesSha256 },
      counts: facts.counts,
      certificate: facts.certificate,
      metrics: facts.metrics,
      scrubbed: facts.scrubbed,
      completedAt: facts.completedAt,
    },
  };
}
