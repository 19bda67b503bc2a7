import neo4j from 'neo4j-driver';
import { z } from 'zod';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { workbenchLinks as link } from './workbench-links.js';
import { limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({
  status: z.enum(['queued', 'complete', 'failed']).optional(),
  limit: limitParam(50, 500),
});

/**
 * The erasure (unlearning) requests, newest first (cypher/workbench/erasure-list.cypher), at most
 * `limit` (`truncated` when there are more), optionally of one `status`: mode, times, status,
 * error code, the models it named, updated and produced, and how many rows it targeted and
 * samples it affected.
 */
export const erasureList: WorkbenchQuery<z.output<typeof params>> = {
  name: 'erasure-list',
  path: '/api/erasures',
  summary: 'Erasure requests, newest first, with status and counts',
  params,
  async run(client: GraphClient, { status, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'erasure-list'), {
      status: status ?? null,
      limit: neo4j.int(limit),
    });
    const requests = (r.requests as Array<{ id: string; producedModelId: string | null }>).map((u) => ({
      ...u,
      links: {
        erasure: link.erasure(u.id),
        ...(u.producedModelId ? { model: link.modelVersions(u.producedModelId) } : {}),
      },
    }));
    return { total: r.total, requests, truncated: (r.total as number) > requests.length };
  },
};
