import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { TracepropError } from '../errors.js';
import { type GraphClient, openSession } from './connection.js';
import { cypherText } from './cypher-library.js';

/** A running Run's lease, kept alive by {@link keepRunLease}. */
export interface RunLeaseKeeper {
  /** The error to stop the ingest with once another process failed the Run; else undefined. */
  lost(): TracepropError | undefined;
  /** Stops renewing (waits for a renewal in flight); safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Sets a running Run's lease in `tx`: `leaseUntil = now + leaseSeconds` on the Neo4j server's
 * clock. Resolves to false when the Run is no longer running.
 */
export async function renewRunLease(
  tx: Pick<ManagedTransaction, 'run'>,
  runId: string,
  leaseSeconds: number,
): Promise<boolean> {
  const result = await tx.run(cypherText('ingest', 'renew-run-lease'), {
    runId,
    leaseMs: neo4j.int(Math.round(leaseSeconds * 1000)),
  });
  return result.records.length > 0;
}

/**
 * Renews the lease of a running Run every third of `leaseSeconds`, on a timer and its own
 * session (off the write path: one small transaction per renewal), so a Run whose process dies
 * stops being renewed and is recovered by the next `traceprop ingest` or `db start` once the lease
 * expires. When a renewal finds the Run no longer running (another process failed it, e.g. after
 * this one stalled longer than the lease), {@link RunLeaseKeeper.lost} returns the error to stop
 * with. A failed renewal (Neo4j briefly away) is retried at the next tick.
 *
 * @example
 * const lease = keepRunLease(client, runId, 60);
 * try { for (const batch of batches) { await write(batch); const e = lease.lost(); if (e) throw e; } }
 * finally { await lease.stop(); }
 */
export function keepRunLease(client: GraphClient, runId: string, leaseSeconds: number): RunLeaseKeeper {
  let lostError: TracepropError | undefined;
  let inFlight: Promise<void> | undefined;
  const session = openSession(client, 'WRITE');
  const renew = async () => {
    try {
      const held = await session.executeWrite((tx) => renewRunLease(tx, runId, leaseSeconds));
      if (!held && !lostError)
        lostError = new TracepropError(
          'graph.runLeaseLost',
          `run ${runId} is no longer running: another process failed it after its lease expired (was this ingest paused for longer than the ${leaseSeconds} s lease, TRACEPROP_RUN_LEASE_SECONDS?)`,
        );
    } catch {
      // Neo4j away for a moment: the ingest's own writes fail then; the next tick tries again.
    }
  };
  const timer = setInterval(
    () => {
      if (!inFlight) inFlight = renew().finally(() => (inFlight = undefined));
    },
    Math.max(100, (leaseSeconds * 1000) / 3),
  );
  timer.unref();
  let stopped: Promise<void> | undefined;
  return {
    lost: () => lostError,
    stop: () => {
      clearInterval(timer);
      stopped ??= (async () => {
        await inFlight;
        await session.close();
      })();
      return stopped;
    },
  };
}
