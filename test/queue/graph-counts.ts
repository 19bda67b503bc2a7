import type { GraphClient } from '../../src/graph/connection.js';
import { withTestSession } from '../support/graph.js';

/** JobRun nodes of a job id, and the fixture edges written under a tag. */
export async function fixtureCounts(
  client: GraphClient,
  jobId: string,
  tag: string,
): Promise<{ jobRuns: number; edges: number; status: string | null; deliveries: number | null }> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      `OPTIONAL MATCH (j:JobRun {jobId: $jobId})
       WITH collect(j) AS runs
       OPTIONAL MATCH (:FixtureAnchor {tag: $tag})-[e:FIXTURE_EDGE]->(:FixtureTarget)
       RETURN size(runs) AS jobRuns, count(e) AS edges, runs[0].status AS status, runs[0].deliveries AS deliveries`,
      { jobId, tag },
    );
    const r = result.records[0];
    return {
      jobRuns: r.get('jobRuns'),
      edges: r.get('edges'),
      status: r.get('status'),
      deliveries: r.get('deliveries'),
    };
  });
}
