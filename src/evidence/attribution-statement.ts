import type { StatementSubject } from './in-toto-statement.js';
import type { EventStatement } from './record-statement.js';

/** One source file's part of an attribution job's source shares. */
export interface FileShare {
  /** Content sha256 of the file (its `SourceFile.id`). */
  file: string;
  name: string;
  table: string;
  /** Predictions with a share on the file. */
  predictions: number;
  /** Mean share of the file over the predictions that have shares. */
  meanShare: number;
}

/** The facts of an attribution job that its `attribution` statement records. */
export interface AttributionFacts {
  /** The job id: the JobRun key, stamped on every edge the job wrote. */
  jobId: string;
  modelId: string;
  runId: string;
  method: string;
  top: number;
  /** sha256 of the model's parameters file and of the run matrix it was fitted on. */
  paramsSha256: string;
  runMatrixSha256: string;
  counts: { predictions: number; influencedBy: number; sourceShares: number; trainRows: number };
  shares: FileShare[];
  attributedAt: string;
}

/**
 * The `attribution` statement of an attribution job (predicate type
 * `https://traceprop.dev/attribution/v1`): subjects are the model's parameters and its run
 * matrix by sha256, and each source file with a share by its content sha256; the predicate holds
 * the job and model ids, the method, the counts and the mean share per source file. Its ref is
 * the job id.
 */
export function attributionStatement(facts: AttributionFacts): EventStatement {
  const subject: StatementSubject[] = [
    { name: `model:${facts.modelId}/params`, digest: { sha256: facts.paramsSha256 } },
    { name: `run:${facts.runId}/matrix`, digest: { sha256: facts.runMatrixSha256 } },
    ...facts.shares.map((s) => ({ name: s.name, digest: { sha256: s.file } })),
  ];
  return {
    kind: 'attribution',
    ref: facts.jobId,
    subject,
    predicate: {
      jobId: facts.jobId,
      modelId: facts.modelId,
      runId: facts.runId,
      method: facts.method,
      top: facts.top,
      counts: facts.counts,
      shares: facts.shares,
      attributedAt: facts.attributedAt,
    },
  };
}
