import fs from 'node:fs';
import { InputError } from '../errors.js';
import type { TreeHead } from './tree-head.js';

/** Format tag of a saved tree head file. */
const treeHeadFormat = 'traceprop.tree-head/1';

/** A tree head as an auditor keeps it: the head and the public key that signed it. */
export interface TreeHeadFile extends TreeHead {
  format: typeof treeHeadFormat;
  /** SPKI PEM of the signing key. */
  publicKey: string;
}

/** Writes `head` (with its key) to `file` as JSON. */
export function saveTreeHead(file: string, head: TreeHead, publicKey: string): void {
  const saved: TreeHeadFile = { format: treeHeadFormat, ...head, publicKey };
  fs.writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
}

/** Reads a tree head file; throws `evidence.badTreeHeadFile` when it is not one. */
export function loadTreeHead(file: string): TreeHeadFile {
  let value: Partial<TreeHeadFile>;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InputError(
      'evidence.badTreeHeadFile',
      `cannot read the tree head file ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  const ok =
    value?.format === treeHeadFormat &&
    Number.isInteger(value.size) &&
    typeof value.rootHash === 'string' &&
    typeof value.at === 'string' &&
    typeof value.keyId === 'string' &&
    typeof value.signature === 'string' &&
    typeof value.publicKey === 'string';
  if (!ok)
    throw new InputError(
      'evidence.badTreeHeadFile',
      `${file} is not a tree head file (format ${treeHeadFormat}: size, rootHash, at, keyId, signature, publicKey)`,
    );
  return value as TreeHeadFile;
}
