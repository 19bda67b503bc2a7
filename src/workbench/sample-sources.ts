import { z } from 'zod';
import { hasCode, NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { sources } from '../graph/queries/sources.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({ id: idParam, limit: limitParam(200, 2000) });

/**
 * The source rows a sample was derived from (what `traceprop query sources ID --json` returns:
 * {@link sources}, cypher/queries/sample-sources.cypher), each with its file, row, key and the ops
 * that touched it; at most `limit` rows (`truncated` when there are more). An erased row is its
 * skeleton (`erased: true`, no key). Throws `workbench.unknownSample` for an unknown id.
 */
export const sampleSources: WorkbenchQuery<z.output<typeof params>> = {
  name: 'sample-sources',
  path: '/api/samples/:id/sources',
  summary: 'The source rows (file, row, key) a sample was derived from, and the ops that touched them',
  params,
  async run(client: GraphClient, { id, limit }) {
    let answer: Awaited<ReturnType<typeof sources>>;
    try {
      answer = await sources(client, id);
    } catch (err) {
      if (!hasCode(err, 'graph.notFound')) throw err;
      throw new NotFoundError(
        'workbench.unknownSample',
        `no sample ${JSON.stringify(id)} (sample ids look like <runId>:s:<position>)`,
        { cause: err },
      );
    }
    return {
      ...answer,
      rows: answer.rows.slice(0, limit).map((row) => ({
        ...row,
        key: row.erased ? null : row.key,
        links: { impact: link.sourceRowImpact(row.rowId) },
      })),
      truncated: answer.rows.length > limit,
      links: { run: link.run(answer.runId), dag: link.runDag(answer.runId) },
    };
  },
};
