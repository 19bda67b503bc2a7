import { splitPoint } from './merkle-hash.js';
import { merkleRoot } from './merkle-root.js';

/**
 * RFC 6962 §2.1.1 and §2.1.2 proofs, built from the leaf hashes of a tree (the verifying side is
 * `verify-merkle-proofs.ts`). Hashes are listed from the bottom of the tree up, as the RFC's
 * recursive definitions produce them.
 */

/**
 * The audit path PATH(m, D[n]) of leaf `index` in the tree of the first `size` leaf hashes:
 * the sibling subtree roots from the leaf up (⌈log2 size⌉ hashes at most).
 *
 * @example
 * const path = inclusionProof(leaves, 5, 7);
 * verifyInclusion(leaves[5], 5, 7, path, merkleRoot(leaves, 0, 7)); // true
 */
export function inclusionProof(leaves: readonly Buffer[], index: number, size = leaves.length): Buffer[] {
  if (!(Number.isInteger(index) && index >= 0 && index < size && size <= leaves.length))
    throw new RangeError(`inclusion proof: leaf ${index} is not in a tree of ${size} leaves`);
  const path: Buffer[] = [];
  // PATH(m, D[lo:hi]) = PATH(m, D[lo:lo+k]) : MTH(D[lo+k:hi]) when m < k, else
  // PATH(m - k, D[lo+k:hi]) : MTH(D[lo:lo+k]); collected top-down, so reversed at the end.
  let lo = 0;
  let hi = size;
  let m = index;
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push(merkleRoot(leaves, lo + k, hi));
      hi = lo + k;
    } else {
      path.push(merkleRoot(leaves, lo, lo + k));
      lo += k;
      m -= k;
    }
  }
  return path.reverse();
}

/**
 * The consistency proof PROOF(m, D[n]) between the tree of the first `oldSize` leaves and the
 * tree of the first `newSize` (0 < oldSize ≤ newSize): the subtree roots that let a verifier
 * rebuild both roots. Empty when the sizes are equal.
 */
export function consistencyProof(
  leaves: readonly Buffer[],
  oldSize: number,
  newSize = leaves.length,
): Buffer[] {
  if (!(Number.isInteger(oldSize) && oldSize > 0 && oldSize <= newSize && newSize <= leaves.length))
    throw new RangeError(
      `consistency proof: cannot prove a tree of ${oldSize} leaves inside one of ${newSize}`,
    );
  const proof: Buffer[] = [];
  // SUBPROOF(m, D[lo:hi], b), unrolled; collected top-down, reversed at the end.
  let lo = 0;
  let hi = newSize;
  let m = oldSize;
  let whole = true;
  while (m !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (m <= k) {
      proof.push(merkleRoot(leaves, lo + k, hi));
      hi = lo + k;
    } else {
      proof.push(merkleRoot(leaves, lo, lo + k));
      lo += k;
      m -= k;
      whole = false;
    }
  }
  // SUBPROOF(m, D[m], false) = {MTH(D[m])}; with b = true the old root itself is left out.
  if (!whole) proof.push(merkleRoot(leaves, lo, hi));
  return proof.reverse();
}
