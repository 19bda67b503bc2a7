import neo4j from 'neo4j-driver';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({ id: idParam, limit: limitParam(50, 500) });

/** One version of a model line (cypher/workbench/model-versions.cypher). */
interface ModelVersion {
  id: string;
  version: number | null;
  runId: string | null;
  supersedes: string | null;
  producedBy: { id: string }[];
  [fact: string]: unknown;
}

/**
 * The model timeline (cypher/workbench/model-versions.cypher): every version of the line the
 * model belongs to, newest first along SUPERSEDES, at most `limit` (`truncated` when the chain is
 * longer): status, training time, metrics (train/test accuracy and loss), row counts, its run,
 * the version it supersedes, and the erasure requests that produced it (the erasures between it
 * and the version before). Throws `workbench.unknownModel` for an unknown id.
 */
export const modelVersions: WorkbenchQuery<z.output<typeof params>> = {
  name: 'model-versions',
  path: '/api/models/:id/versions',
  summary: "A model line's versions along SUPERSEDES, with metrics and the erasures between them",
  params,
  async run(client: GraphClient, { id, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'model-versions'), {
      modelId: id,
      limit: neo4j.int(limit),
    });
    if (!r) {
      throw new NotFoundError(
        'workbench.unknownModel',
        `no model ${JSON.stringify(id)} (search a run id or a business key to find its models)`,
      );
    }
    const versions = (r.versions as ModelVersion[]).map((v) => ({
      ...v,
      producedBy: v.producedBy.map((u) => ({ ...u, links: { erasure: link.erasure(u.id) } })),
      links: {
        ...(v.runId ? { run: link.run(v.runId) } : {}),
      },
    }));
    return {
      modelId: r.modelId,
      headId: r.headId,
      total: r.total,
      versions,
      truncated: (r.total as number) > versions.length,
    };
  },
};
