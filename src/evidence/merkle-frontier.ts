import { emptyRoot, nodeHash } from './merkle-hash.js';

/**
 * The right edge of an RFC 6962 tree of `size` leaves: the roots of its perfect subtrees, largest
 * (leftmost) first, one per set bit of `size`. Appending a leaf and computing the root both take
 * O(log size) hashes, so the log never rereads its leaves to grow.
 */
export interface MerkleFrontier {
  size: number;
  /** Perfect-subtree roots, leftmost (largest) first. */
  hashes: Buffer[];
}

/** The frontier of the empty tree. */
export function emptyFrontier(): MerkleFrontier {
  return { size: 0, hashes: [] };
}

/**
 * The frontier after appending one leaf hash (a new object; `frontier` is not changed).
 *
 * @example
 * let f = emptyFrontier();
 * for (const leaf of leaves) f = appendLeaf(f, leaf);
 * frontierRoot(f); // equals merkleRoot(leaves)
 */
export function appendLeaf(frontier: MerkleFrontier, leaf: Buffer): MerkleFrontier {
  const hashes = frontier.hashes.slice();
  let h = leaf;
  // Each trailing 1 bit of the old size is a perfect subtree of the new leaf's size: merge it.
  for (let s = frontier.size; s & 1; s = Math.floor(s / 2)) {
    const left = hashes.pop();
    if (!left) throw new TypeError('internal: the Merkle frontier has fewer hashes than its size has bits');
    h = nodeHash(left, h);
  }
  hashes.push(h);
  return { size: frontier.size + 1, hashes };
}

/** The RFC 6962 root of the tree the frontier describes (right to left folds of its subtrees). */
export function frontierRoot(frontier: MerkleFrontier): Buffer {
  const { hashes } = frontier;
  if (hashes.length === 0) return emptyRoot();
  let root = hashes[hashes.length - 1];
  for (let i = hashes.length - 2; i >= 0; i--) root = nodeHash(hashes[i], root);
  return root;
}
