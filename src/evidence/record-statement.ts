import type { ManagedTransaction } from 'neo4j-driver';
import { type AppendedStatement, appendStatement } from './append-statement.js';
import { signEnvelope } from './dsse-envelope.js';
import { buildStatement, type StatementKind, type StatementSubject } from './in-toto-statement.js';
import type { SigningKey } from './signing-key.js';
import { type StatementTiming, statementTimingChannel } from './statement-timing.js';

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
 * `options.cosigners`: a rotation is signed by the old key too; `options.at`: the append time) and
 * appends it to the log, all inside the caller's write transaction. `event` may be a function that
 * makes the event (an erasure's digests of its rows and samples), so that making it counts in the
 * time published on `statementTimingChannel` (when something subscribes: the bench).
 *
 * @example
 * await recordStatement(tx, key, { kind: 'run', subject, predicate: { runId, samples }, ref: runId });
 */
export async function recordStatement(
  tx: ManagedTransaction,
  key: SigningKey,
  event: EventStatement | (() => EventStatement),
  options: { cosigners?: readonly SigningKey[]; at?: string } = {},
): Promise<AppendedStatement> {
  const timed = statementTimingChannel.hasSubscribers;
  const started = timed ? performance.now() : 0;
  const made = typeof event === 'function' ? event() : event;
  const statement = buildStatement(made.kind, made.subject, made.predicate);
  const envelope = signEnvelope(Buffer.from(JSON.stringify(statement), 'utf8'), [
    ...(options.cosigners ?? []),
    key,
  ]);
  const signed = timed ? performance.now() : 0;
  const appended = await appendStatement(tx, envelope, { key, ref: made.ref, at: options.at });
  if (timed) {
    const ended = performance.now();
    const timing: StatementTiming = {
      kind: made.kind,
      buildAndSignMs: signed - started,
      appendMs: ended - signed,
      totalMs: ended - started,
      logIndex: appended.logIndex,
    };
    statementTimingChannel.publish(timing);
  }
  return appended;
}
