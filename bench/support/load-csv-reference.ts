import neo4j from 'neo4j-driver';
import { type GraphClient, withSession } from '../../src/graph/connection.js';
import { cypherText } from '../../src/graph/cypher-library.js';
import type { LineageRun } from '../../src/lineage/lineage-run.js';

/** Options of {@link loadLineageCsv}. */
export interface LoadLineageCsvOptions {
  /** File-name prefix used by `exportLineageCsv` inside Neo4j's import folder. */
  prefix?: string;
  /** `merge` (default): MERGE SourceRows as the writer's idempotent path; `create`: CREATE them. */
  sourceRows?: 'merge' | 'create';
}

/**
 * Loads a run exported by `exportLineageCsv` (into Neo4j's import folder) with Neo4j's own
 * `LOAD CSV … CALL { } IN TRANSACTIONS` (cypher/load-csv/*.cypher): the same nodes and
 * relationships {@link writeLineageRun} writes. The reference of the graph benchmark. Returns
 * the wall time in seconds.
 */
export async function loadLineageCsv(
  client: GraphClient,
  run: LineageRun,
  options: LoadLineageCsvOptions = {},
): Promise<number> {
  const prefix = options.prefix ?? '';
  const started = performance.now();
  await withSession(client, async (session) => {
    await session.run(cypherText('ingest', 'create-run'), {
      run: {
        id: run.runId,
        pipeline: run.pipeline,
        mode: run.mode,
        startedAt: new Date().toISOString(),
        samples: neo4j.int(run.samples.count),
      },
    });
    const params = { prefix, runId: run.runId };
    await session.run(cypherText('load-csv', '1-source-files'), params);
    await session.run(cypherText('load-csv', '2-ops'), params);
    await session.run(cypherText('load-csv', '3-op-after'), params);
    await session.run(cypherText('load-csv', '4-op-read'), params);
    await session.run(
      cypherText('load-csv', options.sourceRows === 'create' ? '5-source-rows-create' : '5-source-rows'),
      params,
    );
    await session.run(cypherText('load-csv', '6-samples'), params);
    if (run.mode === 'row') await session.run(cypherText('load-csv', '7-derived-from'), params);
    await session.run(cypherText('ingest', 'complete-run'), {
      runId: run.runId,
      finishedAt: new Date().toISOString(),
      counts: {},
    });
  });
  return (performance.now() - started) / 1000;
}
