import { TracepropError } from '../errors.js';
import type { PublishedKey } from './read-log.js';
import { publicKeyFromPem } from './signing-key.js';
import { type TreeHead, treeHeadSignedBy } from './tree-head.js';

/**
 * Checks a tree head's signature against the published key it names; throws
 * `evidence.unknownKey` when no published key has its key id and `evidence.badTreeHead` when the
 * signature does not verify (a changed size, root or time, or a forged signature).
 */
export function checkTreeHead(
  head: TreeHead,
  keys: readonly PublishedKey[],
  what = 'the signed tree head',
): PublishedKey {
  const key = keys.find((k) => k.id === head.keyId);
  if (!key)
    throw new TracepropError(
      'evidence.unknownKey',
      `${what} (size ${head.size}) names signing key ${head.keyId}, which the graph does not publish`,
    );
  if (!treeHeadSignedBy(head, publicKeyFromPem(key.publicKey)))
    throw new TracepropError(
      'evidence.badTreeHead',
      `${what} (size ${head.size}, root ${head.rootHash}) does not verify with key ${head.keyId}: its size, root or time was changed after signing`,
    );
  return key;
}
