import type { ManagedTransaction } from 'neo4j-driver';
import { type GraphClient, openSession, toGraphError } from './connection.js';
import { cypherText } from './cypher-library.js';

/** Which job a write-back belongs to. */
export interface JobRunRef {
  /** The BullMQ job id (deterministic, see `jobIdFor`): the key of `(:JobRun {jobId})`. */
  jobId: string;
  kind: string;
  /** 1-based attempt that writes (recorded on the JobRun). */
  attempt?: number;
}

/** Outcome of {@link commitJobResult}. */
export interface CommitOutcome<T> {
  /** True when this call wrote the results; false when an earlier attempt already had. */
  committed: boolean;
  /** What `write` returned (undefined when nothing was written). */
  result?: T;
  /** When the results landed (ISO string), by this call or an earlier one. */
  committedAt: string;
}

/**
 * {@link commitJobResult} bound to one job and client: what a job's write-back step is given
 * (the queue's `ctx.commit`, or the in-process runner's).
 */
export type JobCommit = <T>(write: (tx: ManagedTransaction) => Promise<T>) => Promise<CommitOutcome<T>>;

/**
 * Exactly-once write-back: in ONE write transaction, MERGEs `(:JobRun {jobId})` (unique), returns
 * early when it is already `committed`, else runs `write(tx)` and marks it committed
 * (`cypher/write-back/commit-lock-job-run.cypher`, `commit-mark-job-run.cypher`). A worker
 * that dies after the commit but before BullMQ hears of it is retried; the retry finds the JobRun
 * committed and writes nothing. A failure anywhere rolls back everything, JobRun included.
 * Driver errors are mapped to Traceprop errors (`graph.unavailable` is retriable).
 *
 * @example
 * const { committed } = await commitJobResult(client, { jobId: job.id, kind: 'attribution' }, (tx) =>
 *   writeAttribution(tx, result),
 * );
 */
export async function commitJobResult<T>(
  client: GraphClient,
  ref: JobRunRef,
  write: (tx: ManagedTransaction) => Promise<T>,
): Promise<CommitOutcome<T>> {
  const session = openSession(client, 'WRITE');
  try {
    return await session.executeWrite(async (tx) => {
      const lock = await tx.run(cypherText('write-back', 'commit-lock-job-run'), {
        jobId: ref.jobId,
        kind: ref.kind,
      });
      const record = lock.records[0];
      if (record.get('status') === 'committed') {
        return { committed: false, committedAt: record.get('committedAt') as string };
      }
      const result = await write(tx);
      const marked = await tx.run(cypherText('write-back', 'commit-mark-job-run'), {
        jobId: ref.jobId,
        attempt: ref.attempt ?? 1,
      });
      return { committed: true, result, committedAt: marked.records[0].get('committedAt') as string };
    });
  } catch (err) {
    throw toGraphError(err, client.uri);
  } finally {
    await session.close();
  }
}
