import { NotFoundError } from '../../errors.js';
import type { GraphClient } from '../connection.js';
import { cypherText } from '../cypher-library.js';
import { runReadQuery } from '../read-query.js';

/** An upstream job (read in from OpenLineage events) that wrote, directly or not, a sample's file. */
export interface UpstreamJobRow {
  fileId: string;
  file: string;
  /** 1: the job wrote the file; 2: it wrote what that job read; … */
  hops: number;
  jobNamespace: string;
  jobName: string;
  lastRunId: string | null;
  lastEventType: string | null;
  lastEventTime: string | null;
  /** The dataset the job wrote on this path. */
  wroteNamespace: string;
  wroteName: string;
  wroteInRun: string | null;
  wroteAt: string | null;
  /** The datasets the job read (`namespace name`). */
  reads: string[];
}

/**
 * The upstream jobs of a sample (cypher/queries/upstream-jobs.cypher): past its source files,
 * the jobs that wrote them and the jobs upstream of those, as OpenLineage events read in
 * (`traceprop openlineage import`) recorded them. Empty when no event names the sample's files.
 *
 * @throws NotFoundError `graph.notFound` when there is no such sample.
 */
export async function upstreamJobs(client: GraphClient, sampleId: string): Promise<UpstreamJobRow[]> {
  const exists = await runReadQuery(client, cypherText('queries', 'sample-exists'), { sampleId });
  if (exists.length === 0)
    throw new NotFoundError('graph.notFound', `no Sample with id ${JSON.stringify(sampleId)}`);
  const rows = await runReadQuery(client, cypherText('queries', 'upstream-jobs'), { sampleId });
  return rows.map((r) => ({ ...r, hops: Number(r.hops) }) as unknown as UpstreamJobRow);
}
