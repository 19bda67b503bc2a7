import { createHash } from 'node:crypto';

/**
 * RFC 6962 §2.1 hashing: a leaf is SHA-256(0x00 ‖ entry), an interior node SHA-256(0x01 ‖ left ‖
 * right), the empty tree SHA-256(""). The prefixes keep a leaf from ever hashing like a node
 * (second-preimage resistance). All hashes are 32-byte Buffers.
 */

const leafPrefix = Buffer.from([0]);
const nodePrefix = Buffer.from([1]);

/** SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array | string): Buffer {
  const h = createHash('sha256').update(leafPrefix);
  if (typeof entry === 'string') h.update(entry, 'utf8');
  else h.update(entry);
  return h.digest();
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256').update(nodePrefix).update(left).update(right).digest();
}

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** The largest power of two strictly less than `n` (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
