import neo4j from 'neo4j-driver';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({ id: idParam, limit: limitParam(20, 200) });

/**
 * A run's summary (cypher/workbench/run-summary.cypher): status, mode, times, the counts its
 * ingest recorded, samples per split (and erased), the declared pipeline (name, format, sha256;
 * null when the run has none) and the models trained on it (newest first, at most `limit`,
 * `modelsTruncated` when there are more). Throws `workbench.unknownRun` for an unknown id.
 */
export const runSummary: WorkbenchQuery<z.output<typeof params>> = {
  name: 'run-summary',
  path: '/api/runs/:id',
  summary: "A run's status, counts, declared pipeline and models",
  params,
  async run(client: GraphClient, { id, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'run-summary'), {
      runId: id,
      limit: neo4j.int(limit),
    });
    if (!r) throw unknownRun(id);
    const models = r.models as Array<{ id: string }>;
    return {
      run: r.run,
      pipeline: r.pipeline,
      counts: {
        features: r.features,
        trainSamples: r.trainSamples,
        testSamples: r.testSamples,
        erasedSamples: r.erasedSamples,
        models: r.modelCount,
      },
      models: models.map((m) => ({ ...m, links: { versions: link.modelVersions(m.id) } })),
      modelsTruncated: (r.modelCount as number) > models.length,
      links: { dag: link.runDag(id) },
    };
  },
};

/** The `workbench.unknownRun` error for a run id. */
export function unknownRun(id: string): NotFoundError {
  return new NotFoundError(
    'workbench.unknownRun',
    `no run ${JSON.stringify(id)} (\`traceprop runs list\` lists the runs)`,
  );
}
