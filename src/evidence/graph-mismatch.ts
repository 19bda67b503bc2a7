import type { InTotoStatement } from './in-toto-statement.js';

/** One fact of the graph (or of an artifact) that differs from what a logged statement recorded. */
export interface GraphMismatch {
  logIndex: number;
  kind: string;
  /** The run, model, job or erasure line (`<requestId>#<line>`) the statement is about. */
  ref: string;
  /** What differs, e.g. `Run.samples`, `Model.paramsSha256`, `SourceRow <id> keys`. */
  fact: string;
  /** As the statement recorded it. */
  logged: unknown;
  /** As the graph (or the artifact) holds it now (null: not there). */
  found: unknown;
}

/** Something a statement records that `verify graph` did not compare with the graph, and why. */
export interface NotCompared {
  kind: string;
  /** The statement's ref; null: for every statement of the kind. */
  ref: string | null;
  /** The predicate fields (or graph facts) left out. */
  what: string;
  reason: string;
}

/** A logged statement with its log index (the newest one of its ref is compared). */
export interface LoggedStatement {
  logIndex: number;
  statement: InTotoStatement;
}

/** The sha256 a statement's subject of `name` carries (undefined when it has none). */
export function subjectDigest(statement: InTotoStatement, name: string): string | undefined {
  return statement.subject.find((s) => s.name === name)?.digest.sha256;
}
