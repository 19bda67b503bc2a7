import { NotFoundError } from '../errors.js';
import { type GraphClient, withSession } from './connection.js';
import { cypherText } from './cypher-library.js';

/** What {@link failRun} removed. */
export interface FailRunResult {
  runId: string;
  /** SourceFiles the run had created that no other run reads (removed with their SourceRows). */
  filesRemoved: number;
}

/**
 * Marks a Run `failed` (with `error` and `finishedAt`) and removes what its ingest wrote: its
 * Samples (with OUTPUT_OF and DERIVED_FROM), its Ops (with HAS_OP, AFTER and READ), and the
 * SourceFiles it created (`firstRun`) that no other run reads, with their SourceRows. The Run node
 * itself stays, as the record of the attempt. Safe to call again, and for a Run left `running` by
 * a process that died. Throws `graph.notFound` when there is no such Run.
 *
 * A file is kept as soon as another run's op reads it; an ingest of the same new file that
 * starts during the clean-up may find some rows gone and fail with `graph.missingSourceRow`
 * (retrying it succeeds).
 */
export async function failRun(client: GraphClient, runId: string, error = 'failed'): Promise<FailRunResult> {
  return withSession(client, async (session) => {
    const marked = await session.executeWrite((tx) =>
      tx.run(cypherText('ingest', 'fail-run'), { runId, finishedAt: new Date().toISOString(), error }),
    );
    if (marked.records.length === 0)
      throw new NotFoundError('graph.notFound', `no Run with id ${JSON.stringify(runId)}`);
    const orphanFiles = marked.records[0].get('orphanFiles') as string[];
    // Auto-commit transactions: the deletes use CALL { } IN TRANSACTIONS.
    await session.run(cypherText('ingest', 'delete-run-samples'), { runId });
    await session.executeWrite((tx) => tx.run(cypherText('ingest', 'delete-run-ops'), { runId }));
    let filesRemoved = 0;
    for (const fileId of orphanFiles) {
      const stillOrphan = await session.executeRead((tx) =>
        tx.run(cypherText('ingest', 'file-is-orphan'), { fileId }),
      );
      if (!stillOrphan.records[0]?.get('orphan')) continue;
      await session.run(cypherText('ingest', 'delete-file-rows'), { fileId });
      const deleted = await session.executeWrite((tx) =>
        tx.run(cypherText('ingest', 'delete-file'), { runId, fileId }),
      );
      filesRemoved += deleted.records[0]?.get('files') ?? 0;
    }
    return { runId, filesRemoved };
  });
}
