import type { ManagedTransaction } from 'neo4j-driver';
import { type AppendedStatement, appendStatement } from './append-statement.js';
import { signEnvelope } from './dsse-envelope.js';
import { buildStatement, type StatementKind, type StatementSubject } from './in-toto-statement.js';
import type { SigningKey } from './signing-key.js';

/** One event's statement, as {@link recordStatement} takes it. */
export interface EventStatement {
  kind: StatementKind;
  subject: StatementSubject[];
  predicate: Record<string, unknown>;
  /** What it is about (run id, model id, key id): `Statement.ref`. */
  ref?: string;
}

/**
 * Builds the in-toto statement of an event, signs it into a DSSE envelope (with `key`, plus
 * `options.cosigners`: a rotation is signed by the old key too; `options.at`: the append time) and appends it to the log, all inside
 * the caller's write transaction.
 *
 * @example
 * await recordStatement(tx, key, { kind: 'run', subject, predicate: { runId, samples }, ref: runId });
 */
export async function recordStatement(
  tx: ManagedTransaction,
  key: SigningKey,
  event: EventStatement,
  options: { cosigners?: readonly SigningKey[]; at?: string } = {},
): Promise<AppendedStatement> {
  const statement = buildStatement(event.kind, event.subject, event.predicate);
  const envelope = signEnvelope(Buffer.from(JSON.stringify(statement), 'utf8'), [
    ...(options.cosigners ?? []),
    key,
  ]);
  return appendStatement(tx, envelope, { key, ref: event.ref, at: options.at });
}
