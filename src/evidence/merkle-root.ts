import { emptyRoot, nodeHash } from './merkle-hash.js';

/**
 * The RFC 6962 Merkle Tree Hash of `leaves[from, to)` (leaf hashes), computed bottom-up level by
 * level: at each level adjacent pairs are hashed and an odd last node is carried up unchanged,
 * which gives the same tree as the RFC's recursive split at the largest power of two below n.
 * O(n) hashes, O(n) memory for the first level only.
 */
export function merkleRoot(leaves: readonly Buffer[], from = 0, to = leaves.length): Buffer {
  const n = to - from;
  if (n <= 0) return emptyRoot();
  let level: Buffer[] = leaves.slice(from, to);
  while (level.length > 1) {
    const next: Buffer[] = new Array(Math.ceil(level.length / 2));
    for (let i = 0, j = 0; i < level.length; i += 2, j++)
      next[j] = i + 1 < level.length ? nodeHash(level[i], level[i + 1]) : level[i];
    level = next;
  }
  return level[0];
}
