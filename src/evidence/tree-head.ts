import type { KeyObject } from 'node:crypto';
import type { SigningKey } from './signing-key.js';
import { verifyEd25519 } from './signing-key.js';

/**
 * A signed tree head: the log's size and root at one moment, signed by the log's key. An auditor
 * who keeps one can later ask for a consistency proof: the log may only have grown since.
 */
export interface TreeHead {
  size: number;
  /** Hex RFC 6962 root of the first `size` entries. */
  rootHash: string;
  /** When it was signed (ISO 8601). */
  at: string;
  /** Id of the key that signed it. */
  keyId: string;
  /** Base64 Ed25519 signature of {@link treeHeadMessage}. */
  signature: string;
}

/**
 * The bytes a tree head's signature covers: four lines of text, so anyone can rebuild them
 * without a JSON canonicaliser:
 * ```
 * traceprop.dev/tree-head/v1
 * size 1042
 * root 5dc9…
 * at 2026-12-05T17:00:00.000Z
 * ```
 */
function treeHeadMessage(head: Pick<TreeHead, 'size' | 'rootHash' | 'at'>): Buffer {
  return Buffer.from(
    `traceprop.dev/tree-head/v1\nsize ${head.size}\nroot ${head.rootHash}\nat ${head.at}\n`,
    'utf8',
  );
}

/** Signs the tree head of `size` entries with root `root`. */
export function signTreeHead(key: SigningKey, size: number, root: Buffer, at: string): TreeHead {
  const rootHash = root.toString('hex');
  const signature = key.sign(treeHeadMessage({ size, rootHash, at })).toString('base64');
  return { size, rootHash, at, keyId: key.keyId, signature };
}

/** True when `head`'s signature verifies with `publicKey`. */
export function treeHeadSignedBy(head: TreeHead, publicKey: KeyObject): boolean {
  return verifyEd25519(publicKey, treeHeadMessage(head), Buffer.from(head.signature, 'base64'));
}
