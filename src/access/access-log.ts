import type { Logger } from 'pino';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';

/** One API call as the access log keeps it: who (token id, never the secret), when, what, result. */
export interface AccessEvent {
  /** ISO time the call arrived. */
  at: string;
  /** Id of the caller's token; null when it presented none or one that is not valid. */
  token: string | null;
  /** The caller's role, or null. */
  role: string | null;
  method: string;
  /** The route pattern, e.g. `/api/jobs/:id` (or the path when no route matched). */
  route: string;
  /** The path asked for, without its query string. */
  path: string;
  status: number;
  /** Milliseconds the server took to answer. */
  ms: number;
}

/** How an {@link AccessLog} batches its writes. */
export interface AccessLogOptions {
  /** Milliseconds between two flushes (default 500). */
  flushMs?: number;
  /** Events kept in memory at most while Neo4j is unreachable; older ones are dropped and logged (default 100,000). */
  maxPending?: number;
  logger?: Logger;
}

/**
 * The access log: every API call appended as an `(:AccessEvent)` node. Calls only push to a
 * buffer (a request never waits for the log); a timer writes the buffer in one UNWIND
 * transaction every `flushMs`, which also moves each token's `lastUsedAt`. A failed write keeps
 * its events for the next flush. {@link close} stops the timer and writes what is left, so a
 * graceful shutdown loses nothing.
 *
 * @example
 * const log = new AccessLog(client, { flushMs: 500 });
 * log.record({ at: new Date().toISOString(), token: 'tok_1', role: 'auditor', method: 'GET', route: '/api/whoami', path: '/api/whoami', status: 200, ms: 1.2 });
 * await log.close();
 */
export class AccessLog {
  private pending: AccessEvent[] = [];
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly client: GraphClient,
    private readonly options: AccessLogOptions = {},
  ) {
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 500);
    this.timer.unref();
  }

  /** Queues one event (written by the next flush). */
  record(event: AccessEvent): void {
    this.pending.push(event);
    const max = this.options.maxPending ?? 100_000;
    if (this.pending.length > max) {
      const dropped = this.pending.splice(0, this.pending.length - max);
      this.options.logger?.error(
        { dropped: dropped.length },
        'access log: Neo4j is behind, oldest events dropped',
      );
    }
  }

  /** Events not written yet. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Writes the queued events now (waits for a flush already running first). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.flushing = this.write(batch).finally(() => {
      this.flushing = undefined;
    });
    await this.flushing;
  }

  /** Stops the timer and writes every queued event. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.flush();
    if (this.pending.length > 0) {
      this.options.logger?.error(
        { lost: this.pending.length },
        'access log: events could not be written at shutdown',
      );
    }
  }

  private async write(batch: AccessEvent[]): Promise<void> {
    try {
      await withSession(this.client, (s) =>
        s.executeWrite((tx) => tx.run(cypherText('access', 'write-access-events'), { events: batch })),
      );
    } catch (err) {
      // Kept for the next flush, in order.
      this.pending = [...batch, ...this.pending];
      this.options.logger?.warn(
        { err: (err as Error).message, events: batch.length },
        'access log: write failed, will retry',
      );
    }
  }
}
