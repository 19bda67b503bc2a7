import crypto from 'node:crypto';

/**
 * RFC 6962 §2.1 hashing: a leaf is SHA-256(0x00 ‖ entry), an interior node SHA-256(0x01 ‖ left ‖
 * right), the empty tree SHA-256(""). The prefixes keep a leaf from ever hashing like a node
 * (second-preimage resistance). All hashes are 32-byte Buffers.
 */

/** SHA-256 of one buffer: the one-shot `crypto.hash` (Node ≥ 20.12, 2–3× faster), else createHash. */
const sha256: (data: Uint8Array) => Buffer =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'buffer') as unknown as Buffer
    : (data) => crypto.createHash('sha256').update(data).digest();

/** 0x01 ‖ left ‖ right is assembled here (hashing copies it; nothing keeps a reference). */
const nodeInput = Buffer.alloc(65);
nodeInput[0] = 1;

/** 0x00 ‖ a string entry's UTF-8 bytes are encoded here (grown on demand; hashing copies nothing out). */
let leafInput = Buffer.allocUnsafe(1 << 16);

/**
 * SHA-256(0x00 ‖ entry); a string entry is hashed as its UTF-8 bytes, encoded straight into a
 * reused buffer (verifying a log hashes every envelope: no allocation per entry).
 */
export function leafHash(entry: Uint8Array | string): Buffer {
  if (typeof entry === 'string') {
    if (entry.length * 3 + 1 > leafInput.length) leafInput = Buffer.allocUnsafe(entry.length * 3 + 1);
    leafInput[0] = 0;
    const written = leafInput.write(entry, 1, 'utf8');
    return sha256(leafInput.subarray(0, written + 1));
  }
  const input = Buffer.allocUnsafe(entry.length + 1);
  input[0] = 0;
  input.set(entry, 1);
  return sha256(input);
}

/** SHA-256(0x01 ‖ left ‖ right) of two 32-byte hashes. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32)
    throw new RangeError(
      `a Merkle node joins two 32-byte hashes, got ${left.length} and ${right.length} bytes`,
    );
  nodeInput.set(left, 1);
  nodeInput.set(right, 33);
  return sha256(nodeInput);
}

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyRoot(): Buffer {
  return sha256(Buffer.alloc(0));
}

/** The largest power of two strictly less than `n` (n ≥ 2): RFC 6962's split point k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}
