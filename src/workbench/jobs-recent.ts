import neo4j from 'neo4j-driver';
import { z } from 'zod';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({
  kind: z
    .string()
    .trim()
    .regex(/^[a-z][a-z-]{0,40}$/, 'a job kind such as attribution, unlearning or train')
    .optional(),
  limit: limitParam(50, 500),
});

/**
 * The recent queue jobs the graph keeps a record of (cypher/workbench/jobs-recent.cypher): the
 * JobRun nodes of the exactly-once write-back, newest first, at most `limit` (`truncated`),
 * optionally of one `kind`: job id, kind, status (`committed` once its results landed), times,
 * deliveries and the committing attempt. Jobs still waiting in Redis have no JobRun yet (the
 * queue itself answers for those: `traceprop jobs`).
 */
export const jobsRecent: WorkbenchQuery<z.output<typeof params>> = {
  name: 'jobs-recent',
  path: '/api/jobs-recent',
  summary: 'Recent queue jobs whose results the graph records (JobRun), newest first',
  params,
  async run(client: GraphClient, { kind, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'jobs-recent'), {
      kind: kind ?? null,
      limit: neo4j.int(limit),
    });
    const jobs = r.jobs as unknown[];
    return { total: r.total, jobs, truncated: (r.total as number) > jobs.length };
  },
};
