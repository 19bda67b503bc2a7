import type { StatementSubject } from './in-toto-statement.js';
import type { EventStatement } from './record-statement.js';

/** The facts of a completed ingest that its `run` statement records. */
export interface RunFacts {
  runId: string;
  pipeline: string;
  mode: 'op' | 'row';
  /** The source files read: name and content sha256 (the SourceFile id). */
  files: { name: string; table: string; sha256: string; rows: number }[];
  /** The declared pipeline: its name and the sha256 of its canonical text (the Pipeline node). */
  definition?: { name: string; sha256: string };
  /** sha256 of the pipeline file's bytes as read, when the run came from a file. */
  pipelineFileSha256?: string;
  counts: { files: number; ops: number; sourceRows: number; samples: number; provenanceEdges: number };
  finishedAt: string;
}

/**
 * The `run` statement of an ingest (predicate type `https://traceprop.dev/run/v1`): subjects are
 * the source files by content sha256 and the pipeline by the sha256 of its canonical text; the
 * predicate holds the run id, mode, counts and file rows (no row content).
 */
export function runStatement(facts: RunFacts): EventStatement {
  const subject: StatementSubject[] = facts.files.map((f) => ({
    name: f.name,
    digest: { sha256: f.sha256 },
  }));
  if (facts.definition)
    subject.push({ name: `pipeline:${facts.definition.name}`, digest: { sha256: facts.definition.sha256 } });
  return {
    kind: 'run',
    subject,
    ref: facts.runId,
    predicate: {
      runId: facts.runId,
      pipeline: facts.pipeline,
      mode: facts.mode,
      finishedAt: facts.finishedAt,
      counts: facts.counts,
      files: facts.files.map((f) => ({ name: f.name, table: f.table, sha256: f.sha256, rows: f.rows })),
      ...(facts.pipelineFileSha256 ? { pipelineFileSha256: facts.pipelineFileSha256 } : {}),
    },
  };
}
