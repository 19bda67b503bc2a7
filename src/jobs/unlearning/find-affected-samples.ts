import type { ManagedTransaction } from 'neo4j-driver';

const affected = `
UNWIND $rowIds AS rid
MATCH (:SourceRow {id: rid})<-[:DERIVED_FROM]-(s:Sample)-[:OUTPUT_OF]->(:Run {id: $runId})
RETURN DISTINCT s.id AS id
ORDER BY id`;

/**
 * Forward lineage: the samples of run `runId` derived from any of the source rows
 * ((Sample)-[:DERIVED_FROM]->(SourceRow), collapsed over all ops), sorted.
 */
export async function findAffectedSamples(
  tx: ManagedTransaction,
  runId: string,
  rowIds: string[],
): Promise<string[]> {
  const result = await tx.run(affected, { rowIds, runId });
  return result.records.map((r) => r.get('id') as string);
}
