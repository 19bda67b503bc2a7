import type { ManagedTransaction } from 'neo4j-driver';
import { TracepropError } from '../errors.js';
import { cypherText } from '../graph/cypher-library.js';
import type { SigningKey } from './signing-key.js';

/**
 * Publishes `key`'s public half as `(:SigningKey {id, publicKey, from})` in the caller's write
 * transaction (no change when it is there already). A retired key (one with `to`, after a
 * rotation) is refused: `evidence.keyRetired`.
 */
export async function publishSigningKey(tx: ManagedTransaction, key: SigningKey, at: string): Promise<void> {
  const result = await tx.run(cypherText('evidence', 'publish-key'), {
    id: key.keyId,
    publicKey: key.publicKeyPem,
    at,
  });
  const record = result.records[0];
  assertUsableKey(record.get('same'), record.get('retired'), key.keyId);
}

/**
 * Refuses a key whose id the graph publishes with another public key (`evidence.keyConflict`)
 * or that a rotation retired (`evidence.keyRetired`).
 */
export function assertUsableKey(same: unknown, retired: unknown, keyId: string): void {
  if (same !== true)
    throw new TracepropError(
      'evidence.keyConflict',
      `the graph publishes another public key under key id ${keyId}: the SigningKey node was changed`,
    );
  if (retired === true)
    throw new TracepropError(
      'evidence.keyRetired',
      `signing key ${keyId} was retired by a rotation: sign with its successor (TRACEPROP_SIGNING_KEY or the key file)`,
    );
}
