import neo4j from 'neo4j-driver';
import { defaults } from '../config.js';
import { NotFoundError, UsageError } from '../errors.js';
import { type GraphClient, withSession } from './connection.js';
import { cypherText } from './cypher-library.js';

/** What {@link failRun} did. */
export interface FailRunResult {
  runId: string;
  /**
   * False when the Run was left alone: with `onlyIfLeaseExpired`, a `running` Run whose lease is
   * live. True otherwise (also for a Run that was failed already: its clean-up ran again).
   */
  failed: boolean;
  /** The Run's status before the call. */
  status: string;
  /** The lease of a running Run (ISO time on the Neo4j server's clock), when it has one. */
  leaseUntil: string | null;
  /** SourceFiles the run had created that no other run reads (removed with their SourceRows). */
  filesRemoved: number;
  /** The run's Pipeline when no other Run uses it (0 or 1; its USES edge always goes). */
  pipelinesRemoved: number;
}

/** Options of {@link failRun}. */
export interface FailRunOptions {
  /**
   * Leave a `running` Run whose lease is live alone (`failed: false`): its ingest may still be
   * writing. Default false: the ingest that owns the Run fails it whatever its lease.
   */
  onlyIfLeaseExpired?: boolean;
  /** Lease length for Runs written before leases existed, in seconds (default 60). */
  leaseSeconds?: number;
}

/**
 * Marks a Run `failed` (with `error` and `finishedAt`) and removes what its ingest wrote: its
 * Samples (with OUTPUT_OF and DERIVED_FROM), its Ops (with HAS_OP, AFTER and READ), its USES edge
 * and its Pipeline when no other Run uses it, and the SourceFiles it created (`firstRun`) that no
 * other run reads, with their SourceRows. The Run node itself stays, as the record of the
 * attempt. Safe to call again (a failed Run keeps its first error; the clean-up runs again), and
 * for a Run left `running` by a process that died (see `traceprop runs fail` and
 * {@link recoverExpiredRuns}). Throws `graph.notFound` when there is no such Run and
 * `runs.complete` for a complete one (its lineage is what models were trained on).
 *
 * A file is kept as soon as another run's op reads it; an ingest of the same new file that
 * starts during the clean-up may find some rows gone and fail with `graph.missingSourceRow`
 * (retrying it succeeds). Likewise an ingest that links a new Run to the very Pipeline the
 * clean-up is deleting fails (and cleans up); retrying it succeeds.
 *
 * @example
 * const r = await failRun(client, runId, 'process died', { onlyIfLeaseExpired: true });
 * if (!r.failed) console.log(`still leased until ${r.leaseUntil}`);
 */
export async function failRun(
  client: GraphClient,
  runId: string,
  error = 'failed',
  options: FailRunOptions = {},
): Promise<FailRunResult> {
  return withSession(client, async (session) => {
    const marked = await session.executeWrite((tx) =>
      tx.run(cypherText('ingest', 'fail-run'), {
        runId,
        finishedAt: new Date().toISOString(),
        error,
        force: !options.onlyIfLeaseExpired,
        leaseMs: neo4j.int(Math.round((options.leaseSeconds ?? defaults.runLeaseSeconds) * 1000)),
      }),
    );
    const record = marked.records[0];
    if (!record) throw new NotFoundError('graph.notFound', `no Run with id ${JSON.stringify(runId)}`);
    const status = record.get('status') as string;
    if (status === 'complete')
      throw new UsageError(
        'runs.complete',
        `run ${runId} is complete: failing it would remove the lineage its models were trained on; only running or failed runs can be failed`,
      );
    const result = {
      runId,
      failed: record.get('failed') as boolean,
      status,
      leaseUntil: (record.get('leaseUntil') as string | null) ?? null,
      filesRemoved: 0,
      pipelinesRemoved: 0,
    };
    if (!result.failed) return result;
    const orphanFiles = record.get('orphanFiles') as string[];
    // Justified auto-commit (test/foundation/neo4j-transactions.test.ts): these deletes use
    // CALL { } IN TRANSACTIONS, which only an auto-commit query may run. The session is WRITE, so
    // a cluster routes them to the leader; they are idempotent, so a failed one is simply rerun.
    await session.run(cypherText('ingest', 'delete-run-samples'), { runId });
    await session.executeWrite((tx) => tx.run(cypherText('ingest', 'delete-run-ops'), { runId }));
    const pipelines = await session.executeWrite((tx) =>
      tx.run(cypherText('ingest', 'delete-run-pipeline'), { runId }),
    );
    result.pipelinesRemoved = pipelines.records[0]?.get('pipelines') ?? 0;
    for (const fileId of orphanFiles) {
      const stillOrphan = await session.executeRead((tx) =>
        tx.run(cypherText('ingest', 'file-is-orphan'), { fileId }),
      );
      if (!stillOrphan.records[0]?.get('orphan')) continue;
      await session.run(cypherText('ingest', 'delete-file-rows'), { fileId });
      const deleted = await session.executeWrite((tx) =>
        tx.run(cypherText('ingest', 'delete-file'), { runId, fileId }),
      );
      result.filesRemoved += deleted.records[0]?.get('files') ?? 0;
    }
    return result;
  });
}
