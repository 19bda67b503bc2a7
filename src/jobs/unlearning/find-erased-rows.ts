import type { ManagedTransaction } from 'neo4j-driver';
import { readTombstones } from '../../erasure/read-tombstones.js';
import type { Tombstone } from '../../erasure/tombstone.js';

/**
 * The tombstones a re-derivation of the given files must honour (erasures by earlier completed
 * requests): those of the files, and the key-hashed ones of the files' tables (a record erased in
 * another extract of the same table). Walks the Tombstone indexes, so it costs what was erased,
 * not the size of the files.
 */
export async function findErasedRows(tx: ManagedTransaction, fileIds: string[]): Promise<Tombstone[]> {
  return readTombstones(tx, fileIds);
}
