import { TracepropError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { firstHole } from './first-hole.js';
import { readLogPages } from './read-log.js';

/**
 * The stored leaf hashes of the log's first `size` entries, in index order, to build inclusion
 * proofs from (`verify statement`, `export evidence`). Throws `evidence.notIncluded` when an
 * entry below `size` is missing: no proof can be built then.
 */
export async function readLeafHashes(client: GraphClient, size: number): Promise<Buffer[]> {
  const leaves: Buffer[] = new Array(size);
  await readLogPages(client, size, false, (page) => {
    for (let i = 0; i < page.indexes.length; i++)
      leaves[Number(page.indexes[i])] = Buffer.from(page.leafHashes[i], 'hex');
  });
  const missing = firstHole(leaves);
  if (missing >= 0)
    throw new TracepropError(
      'evidence.notIncluded',
      `the log misses entry ${missing} below its signed size ${size}: no inclusion proof can be built (run \`traceprop verify log\`)`,
    );
  return leaves;
}
