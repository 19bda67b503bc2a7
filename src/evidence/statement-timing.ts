import diagnostics_channel from 'node:diagnostics_channel';

/**
 * What one {@link recordStatement} call cost inside its transaction, published on
 * {@link statementTimingChannel} when something subscribes (the `evidence` bench does; nothing
 * else pays for it: no subscriber, no clock read).
 */
export interface StatementTiming {
  /** The statement kind (`run`, `model`, `attribution`, `erasure`, `key`, `token`). */
  kind: string;
  /** Building the in-toto statement (the predicate too, when passed as a function) and signing it. */
  buildAndSignMs: number;
  /** `appendStatement`: the log entry, statement and signed tree head (one round trip, or two). */
  appendMs: number;
  /** `buildAndSignMs + appendMs`: what signing and logging add to the caller's transaction. */
  totalMs: number;
  /** The entry's log index. */
  logIndex: number;
}

/**
 * The diagnostics channel `traceprop:evidence:statement` (node:diagnostics_channel): one
 * {@link StatementTiming} per recorded statement, published synchronously in the recording process.
 *
 * @example
 * const seen: StatementTiming[] = [];
 * const listener = (m: unknown) => seen.push(m as StatementTiming);
 * statementTimingChannel.subscribe(listener);
 * // … run erasures …
 * statementTimingChannel.unsubscribe(listener);
 */
export const statementTimingChannel: diagnostics_channel.Channel = diagnostics_channel.channel(
  'traceprop:evidence:statement',
);
