import type { QueryResult } from 'neo4j-driver';
import { cypherText } from '../graph/cypher-library.js';
import type { Tombstone } from './tombstone.js';

/**
 * Anything that runs Cypher: in practice a managed transaction (`executeRead` / `executeWrite`),
 * so that the read is routed, bookmarked and retried (docs/neo4j-cluster.md).
 */
export interface CypherRunner {
  run(cypher: string, params?: Record<string, unknown>): Promise<QueryResult>;
}

/**
 * The tombstones that an ingest or recompute of these files must honour: those of the files
 * (matched later by row) and the key-hashed ones of their tables, `tables` plus the tables of
 * the files already in the graph (matched later by key hash). Costs what was erased, not the
 * size of the files (cypher/erasure/tombstones-of-files.cypher, on indexes).
 */
export async function readTombstones(
  runner: CypherRunner,
  fileIds: readonly string[],
  tables: readonly string[] = [],
): Promise<Tombstone[]> {
  const result = await runner.run(cypherText('erasure', 'tombstones-of-files'), {
    fileIds: [...fileIds],
    tables: [...tables],
  });
  const r = result.records[0];
  if (!r) return [];
  const fileIdList = r.get('fileIds') as string[];
  const rows = r.get('rows') as unknown[];
  const tableList = r.get('tables') as string[];
  const keyColumns = r.get('keyColumns') as string[];
  const keyHashes = r.get('keyHashes') as string[];
  const saltIds = r.get('saltIds') as string[];
  const requestIds = r.get('requestIds') as string[];
  return fileIdList.map((fileId, i) => ({
    fileId,
    row: Number(rows[i]),
    table: tableList[i],
    keyColumn: keyColumns[i] || null,
    keyHash: keyHashes[i] || null,
    saltId: saltIds[i] || null,
    requestId: requestIds[i],
  }));
}
