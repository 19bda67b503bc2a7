import type { ManagedTransaction } from 'neo4j-driver';

const erased = `
MATCH (:UnlearningRequest {status: 'complete'})-[:TARGETS]->(r:SourceRow)
WHERE split(r.id, ':')[0] IN $fileIds
RETURN DISTINCT r.id AS id
ORDER BY id`;

/**
 * SourceRow ids of the given files erased by earlier completed requests (a re-derivation must
 * leave them out too), sorted. Walks from the requests' TARGETS edges (a SourceRow id is
 * `<fileId>:<row>`), so it costs what was erased, not the size of the files.
 */
export async function findErasedRows(tx: ManagedTransaction, fileIds: string[]): Promise<string[]> {
  const result = await tx.run(erased, { fileIds });
  return result.records.map((r) => r.get('id') as string);
}
