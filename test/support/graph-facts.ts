import type { GraphClient } from '../../src/graph/connection.js';
import type { LineageRun } from '../../src/lineage/lineage-run.js';
import { withTestSession } from './graph.js';

/** Counts of every node label and relationship type in the graph. */
export async function graphCounts(client: GraphClient): Promise<Record<string, number>> {
  return withTestSession(client, async (session) => {
    const counts: Record<string, number> = {};
    const nodes = await session.run('MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS c');
    for (const r of nodes.records) counts[r.get('label')] = r.get('c');
    const rels = await session.run('MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS c');
    for (const r of rels.records) counts[r.get('type')] = r.get('c');
    return counts;
  });
}

/** The SourceRow ids sample `i` of `run` derives from, computed from the run's CSR (sorted). */
export function expectedSourceRowIds(run: LineageRun, i: number): string[] {
  const p = run.provenance;
  if (!p) return [];
  const ids: string[] = [];
  for (let k = p.offsets[i]; k < p.offsets[i + 1]; k++) {
    const g = p.rowIds[k];
    const file = run.files.find((f) => g >= f.globalOffset && g < f.globalOffset + f.rows);
    if (!file) throw new Error(`global row ${g} is in no file`);
    ids.push(`${file.id}:${g - file.globalOffset}`);
  }
  return [...new Set(ids)].sort();
}

/** The SourceRow ids sample `sampleId` is DERIVED_FROM in the graph (sorted). */
export async function derivedFromIds(client: GraphClient, sampleId: string): Promise<string[]> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      'MATCH (:Sample {id: $sampleId})-[:DERIVED_FROM]->(r:SourceRow) RETURN r.id AS id ORDER BY id',
      { sampleId },
    );
    return result.records.map((r) => r.get('id') as string);
  });
}

/** Properties of the Run with this id (undefined when there is none). */
export async function runProperties(
  client: GraphClient,
  runId: string,
): Promise<Record<string, unknown> | undefined> {
  return withTestSession(client, async (session) => {
    const result = await session.run('MATCH (r:Run {id: $runId}) RETURN properties(r) AS p', { runId });
    return result.records[0]?.get('p');
  });
}

/** Nodes that belong to a run: its Samples and Ops. */
export async function runScopedNodes(
  client: GraphClient,
  runId: string,
): Promise<{ samples: number; ops: number }> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      'MATCH (run:Run {id: $runId}) RETURN COUNT { (run)<-[:OUTPUT_OF]-(:Sample) } AS samples, COUNT { (run)-[:HAS_OP]->(:Op) } AS ops',
      { runId },
    );
    return { samples: result.records[0]?.get('samples') ?? 0, ops: result.records[0]?.get('ops') ?? 0 };
  });
}
