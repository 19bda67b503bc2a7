import type { ManagedTransaction } from 'neo4j-driver';
import { cypherText } from '../../graph/cypher-library.js';

/**
 * Forward lineage: the samples of run `runId` derived from any of the source rows
 * ((Sample)-[:DERIVED_FROM]->(SourceRow), collapsed over all ops), sorted.
 */
export async function findAffectedSamples(
  tx: ManagedTransaction,
  runId: string,
  rowIds: string[],
): Promise<string[]> {
  const result = await tx.run(cypherText('jobs/unlearning', 'affected-samples'), { rowIds, runId });
  return result.records.map((r) => r.get('id') as string);
}
