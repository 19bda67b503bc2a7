import { type StatementTiming, statementTimingChannel } from '../../src/evidence/statement-timing.js';

/** Statement timings collected from `statementTimingChannel` until `stop`. */
export interface StatementTimings {
  /** The timings published since the last `take` (and forgets them). */
  take(): StatementTiming[];
  stop(): void;
}

/**
 * Subscribes to the statements this process records (build + sign + append, timed inside their
 * transactions by `recordStatement`).
 *
 * @example
 * const timings = collectStatementTimings();
 * try { await runErasure(); const [t] = timings.take(); t.totalMs; } finally { timings.stop(); }
 */
export function collectStatementTimings(): StatementTimings {
  let seen: StatementTiming[] = [];
  const listener = (message: unknown) => seen.push(message as StatementTiming);
  statementTimingChannel.subscribe(listener);
  return {
    take: () => {
      const taken = seen;
      seen = [];
      return taken;
    },
    stop: () => statementTimingChannel.unsubscribe(listener),
  };
}
