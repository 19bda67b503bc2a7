import type { GraphClient } from '../graph/connection.js';
import { withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import type { IncomingEvent } from './incoming-event.js';
import { upstreamLineage } from './upstream-lineage.js';

/** What {@link importLineageEvents} wrote. */
export interface LineageImport {
  events: number;
  jobs: number;
  datasets: number;
  reads: number;
  writes: number;
  /** Dataset→SourceFile links made or found (`IS`). */
  linkedFiles: number;
}

/** Events written per transaction. */
const batchEvents = 1000;

/**
 * Writes OpenLineage events into the graph as upstream lineage: `(:Job {namespace, name})`,
 * `(:Dataset {namespace, name})`, `(Job)-[:READ]->(Dataset)`, `(Job)-[:WROTE]->(Dataset)` and
 * `(Dataset)-[:IS]->(SourceFile)` for the datasets that are ingested files (by content sha256 or
 * path), so that lineage walks from a sample past its CSV files into the jobs that wrote them.
 * Every write is a MERGE: importing the same events again changes nothing, and an import cut
 * off part-way is finished by running it again. One write transaction per 1,000 events.
 *
 * @example
 * const events = await readEventLines(fs.createReadStream(file), file);
 * const written = await importLineageEvents(client, events);
 */
export async function importLineageEvents(
  client: GraphClient,
  events: IncomingEvent[],
): Promise<LineageImport> {
  const total: LineageImport = { events: 0, jobs: 0, datasets: 0, reads: 0, writes: 0, linkedFiles: 0 };
  for (let start = 0; start < events.length; start += batchEvents) {
    const batch = events.slice(start, start + batchEvents);
    const lineage = upstreamLineage(batch);
    const linked = await withSession(client, (session) =>
      session.executeWrite(async (tx) => {
        await tx.run(cypherText('openlineage', 'merge-upstream-jobs'), { jobs: lineage.jobs });
        const datasets = await tx.run(cypherText('openlineage', 'merge-upstream-datasets'), {
          datasets: lineage.datasets,
        });
        await tx.run(cypherText('openlineage', 'merge-upstream-edges'), {
          reads: lineage.reads,
          writes: lineage.writes,
        });
        return Number(datasets.records[0]?.get('linked') ?? 0);
      }),
    );
    total.events += batch.length;
    total.jobs += lineage.jobs.length;
    total.datasets += lineage.datasets.length;
    total.reads += lineage.reads.length;
    total.writes += lineage.writes.length;
    total.linkedFiles += linked;
  }
  return total;
}
