import neo4j from 'neo4j-driver';
import { defaults } from '../config.js';
import { type GraphClient, withSession } from './connection.js';
import { cypherText } from './cypher-library.js';
import { type FailRunResult, failRun } from './fail-run.js';

/** A Run {@link recoverExpiredRuns} failed and cleaned up. */
export interface RecoveredRun extends FailRunResult {
  /** When its lease ran out. */
  leaseUntil: string | null;
}

/**
 * Finds the `running` Runs whose lease expired (their ingest died without failing them), and
 * fails and cleans up each as {@link failRun} does, with the error `lease expired at …`. A Run
 * whose lease was renewed meanwhile is left alone (the check and the marking are one
 * transaction). `traceprop ingest` and `traceprop db start` call it first.
 *
 * @example
 * for (const run of await recoverExpiredRuns(client)) console.error(`recovered ${run.runId}`);
 */
export async function recoverExpiredRuns(
  client: GraphClient,
  leaseSeconds: number = defaults.runLeaseSeconds,
): Promise<RecoveredRun[]> {
  const expired = await withSession(
    client,
    (session) =>
      session.executeRead((tx) =>
        tx.run(cypherText('ingest', 'expired-runs'), { leaseMs: neo4j.int(Math.round(leaseSeconds * 1000)) }),
      ),
    'READ',
  );
  const recovered: RecoveredRun[] = [];
  for (const record of expired.records) {
    const runId = record.get('id') as string;
    const leaseUntil = (record.get('leaseUntil') as string | null) ?? null;
    const result = await failRun(
      client,
      runId,
      `lease expired${leaseUntil ? ` at ${leaseUntil}` : ''}: the ingest process stopped renewing it (died?); failed by a later ingest or db start`,
      { onlyIfLeaseExpired: true, leaseSeconds },
    );
    if (result.failed) recovered.push({ ...result, leaseUntil });
  }
  return recovered;
}
