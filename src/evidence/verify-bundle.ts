import { createHash, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { envelopeSignedBy, parseEnvelope } from './dsse-envelope.js';
import {
  type BundleManifest,
  type BundleStatement,
  bundleFormat,
  bundlePaths,
  type InclusionProofFile,
  proofFormat,
} from './evidence-bundle.js';
import { kindOfPredicateType, statementOfPayload } from './in-toto-statement.js';
import { leafHash } from './merkle-hash.js';
import { keyIdOf, publicKeyFromPem } from './signing-key.js';
import { type TreeHead, treeHeadSignedBy } from './tree-head.js';
import { loadTreeHead } from './tree-head-file.js';
import { verifyInclusion } from './verify-merkle-proofs.js';

/** One failed check of a bundle: the file, the statement (when one is concerned) and the check. */
export interface BundleProblem {
  /** Path inside the bundle (or the bundle directory itself). */
  file: string;
  /** `digest`, `signature`, `inclusion`, `tree head signature`, `key id`, `expected key`, … */
  check: string;
  /** `statement <log index> (<kind> <ref>)`, when the check is about one statement. */
  statement?: string;
  message: string;
}

/** What {@link verifyBundle} checked, and every check that failed. */
export interface BundleVerification {
  modelId: string | null;
  treeHead: TreeHead | null;
  keyIds: string[];
  statements: { id: string; kind: string; ref: string | null; logIndex: number; keyIds: string[] }[];
  filesHashed: number;
  /** Empty when the bundle verifies. */
  problems: BundleProblem[];
}

const hex64 = /^[0-9a-f]{64}$/;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Verifies an evidence bundle written by `export evidence`, offline: it reads only the files of
 * `dir` (no database). Checks the manifest's SHA-256 of every file (and that no file is unlisted),
 * that each public key has its key id, the tree head's signature by its key, each envelope's
 * Ed25519 signatures by bundle keys, each inclusion proof against the tree head's root, and that
 * the model's own statement is there. With `expectedKeyId`, the tree head must be signed by that
 * key. Every failed check is returned (none stops the others); an empty `problems` means verified.
 */
export function verifyBundle(dir: string, options: { expectedKeyId?: string } = {}): BundleVerification {
  const problems: BundleProblem[] = [];
  const result: BundleVerification = {
    modelId: null,
    treeHead: null,
    keyIds: [],
    statements: [],
    filesHashed: 0,
    problems,
  };
  const manifest = readManifest(dir, problems);
  if (!manifest) return result;
  result.modelId = manifest.modelId;
  const read = (file: string, statement?: string): Buffer | undefined => {
    if (!safePath(file)) {
      problems.push({
        file,
        check: 'path',
        statement,
        message: 'the manifest names a path outside the bundle',
      });
      return undefined;
    }
    try {
      return fs.readFileSync(path.join(dir, file));
    } catch {
      problems.push({
        file,
        check: 'missing',
        statement,
        message: 'the manifest lists it, the bundle lacks it',
      });
      return undefined;
    }
  };

  checkDigests(dir, manifest, read, problems);
  result.filesHashed = manifest.files.length;

  const keys = new Map<string, KeyObject>();
  for (const k of manifest.keys) {
    const pem = read(k.file);
    if (!pem) continue;
    let key: KeyObject;
    try {
      key = publicKeyFromPem(pem.toString('utf8'));
    } catch (err) {
      problems.push({ file: k.file, check: 'public key', message: (err as Error).message });
      continue;
    }
    const id = keyIdOf(key);
    if (id !== k.keyId) {
      problems.push({
        file: k.file,
        check: 'key id',
        message: `the key has id ${id}, the manifest says ${k.keyId}: the key was changed or replaced`,
      });
      continue;
    }
    keys.set(k.keyId, key);
  }
  result.keyIds = [...keys.keys()];
  if (options.expectedKeyId && !manifest.keys.some((k) => k.keyId === options.expectedKeyId))
    problems.push({
      file: bundlePaths.manifest,
      check: 'expected key',
      message: `the bundle holds no key ${options.expectedKeyId} (it holds ${manifest.keys.map((k) => k.keyId).join(', ') || 'none'})`,
    });

  const head = checkHead(dir, manifest.treeHead, keys, options.expectedKeyId, problems);
  result.treeHead = head ?? null;

  let modelStatement = false;
  for (const s of manifest.statements) {
    const label = `statement ${s.logIndex} (${s.kind} ${s.ref ?? ''})`.replace(' )', ')');
    const bytes = read(s.envelope, label);
    if (!bytes) continue;
    const checked = checkEnvelope(s, bytes, label, keys, problems);
    result.statements.push({
      id: s.id,
      kind: s.kind,
      ref: s.ref,
      logIndex: s.logIndex,
      keyIds: checked.keyIds,
    });
    if (checked.modelId !== undefined && checked.modelId === manifest.modelId) modelStatement = true;
    const proofBytes = read(s.proof, label);
    if (proofBytes) checkProof(s, bytes, proofBytes, head, label, problems);
  }
  if (!modelStatement)
    problems.push({
      file: bundlePaths.manifest,
      check: 'model statement',
      message: `no signed \`model\` statement about model ${manifest.modelId} (nor the \`erasure\` statement that made it) verifies in the bundle`,
    });
  return result;
}

function readManifest(dir: string, problems: BundleProblem[]): BundleManifest | undefined {
  const file = path.join(dir, bundlePaths.manifest);
  let value: Partial<BundleManifest>;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({
      file: bundlePaths.manifest,
      check: 'manifest',
      message: fs.existsSync(file)
        ? `not JSON: ${(err as Error).message}`
        : `${dir} holds no ${bundlePaths.manifest}: it is not an evidence bundle (\`traceprop export evidence\` writes one)`,
    });
    return undefined;
  }
  const ok =
    value?.format === bundleFormat &&
    typeof value.modelId === 'string' &&
    typeof value.treeHead === 'string' &&
    Array.isArray(value.keys) &&
    value.keys.every((k) => typeof k?.keyId === 'string' && typeof k?.file === 'string') &&
    Array.isArray(value.statements) &&
    value.statements.every(
      (s) =>
        typeof s?.id === 'string' &&
        typeof s?.kind === 'string' &&
        Number.isInteger(s?.logIndex) &&
        typeof s?.envelope === 'string' &&
        typeof s?.proof === 'string',
    ) &&
    Array.isArray(value.files) &&
    value.files.every((f) => typeof f?.path === 'string' && typeof f?.sha256 === 'string');
  if (!ok) {
    problems.push({
      file: bundlePaths.manifest,
      check: 'manifest',
      message: `not a manifest of format ${bundleFormat} (modelId, treeHead, keys, statements, files)`,
    });
    return undefined;
  }
  return value as BundleManifest;
}

/** A bundle-relative path that stays inside the bundle. */
function safePath(file: string): boolean {
  return !path.isAbsolute(file) && !file.split(/[\\/]/).includes('..');
}

function checkDigests(
  dir: string,
  manifest: BundleManifest,
  read: (file: string) => Buffer | undefined,
  problems: BundleProblem[],
): void {
  for (const f of manifest.files) {
    const bytes = read(f.path);
    if (!bytes) continue;
    const digest = sha256(bytes);
    if (digest !== f.sha256)
      problems.push({
        file: f.path,
        check: 'digest',
        message: `its SHA-256 is ${digest}, the manifest says ${f.sha256}: the file was changed`,
      });
  }
  const listed = new Set([bundlePaths.manifest, ...manifest.files.map((f) => f.path)]);
  // Only the bundle's own folders: a file the auditor put next to the bundle is not part of it.
  const folders = [bundlePaths.keys, bundlePaths.statements, bundlePaths.proofs];
  for (const file of folders.flatMap((f) => (fs.existsSync(path.join(dir, f)) ? listFiles(dir, f) : [])))
    if (!listed.has(file))
      problems.push({
        file,
        check: 'unlisted',
        message: 'the bundle holds a file its manifest does not list',
      });
}

/** Every file under `dir`, as bundle-relative paths with `/`. */
function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(dir, rel));
    else out.push(rel);
  }
  return out;
}

function checkHead(
  dir: string,
  file: string,
  keys: ReadonlyMap<string, KeyObject>,
  expectedKeyId: string | undefined,
  problems: BundleProblem[],
): TreeHead | undefined {
  if (!safePath(file)) {
    problems.push({ file, check: 'path', message: 'the manifest names a path outside the bundle' });
    return undefined;
  }
  let head: ReturnType<typeof loadTreeHead>;
  try {
    head = loadTreeHead(path.join(dir, file));
  } catch (err) {
    problems.push({ file, check: 'tree head', message: (err as Error).message });
    return undefined;
  }
  if (expectedKeyId && head.keyId !== expectedKeyId)
    problems.push({
      file,
      check: 'expected key',
      message: `the tree head is signed by key ${head.keyId}, not by the expected key ${expectedKeyId}`,
    });
  let carried: string | undefined;
  try {
    carried = keyIdOf(publicKeyFromPem(head.publicKey));
  } catch {
    carried = undefined;
  }
  if (carried !== head.keyId)
    problems.push({
      file,
      check: 'tree head key',
      message: `the public key it carries ${carried ? `has id ${carried}` : 'is not an Ed25519 key'}, not ${head.keyId}`,
    });
  const key = keys.get(head.keyId);
  if (!key) {
    problems.push({
      file,
      check: 'unknown key',
      message: `the tree head names key ${head.keyId}, which the bundle does not hold (verified)`,
    });
    return undefined;
  }
  if (!treeHeadSignedBy(head, key)) {
    problems.push({
      file,
      check: 'tree head signature',
      message: `the signature of the tree head (size ${head.size}, root ${head.rootHash}, at ${head.at}) does not verify with key ${head.keyId}: its size, root or time was changed`,
    });
    return undefined;
  }
  return {
    size: head.size,
    rootHash: head.rootHash,
    at: head.at,
    keyId: head.keyId,
    signature: head.signature,
  };
}

function checkEnvelope(
  s: BundleStatement,
  bytes: Buffer,
  label: string,
  keys: ReadonlyMap<string, KeyObject>,
  problems: BundleProblem[],
): { keyIds: string[]; modelId?: string } {
  const file = s.envelope;
  const id = sha256(bytes);
  if (id !== s.id)
    problems.push({
      file,
      check: 'statement id',
      statement: label,
      message: `the envelope's SHA-256 is ${id}, the manifest lists statement ${s.id}`,
    });
  let envelope: ReturnType<typeof parseEnvelope>;
  try {
    envelope = parseEnvelope(bytes.toString('utf8'));
  } catch (err) {
    problems.push({ file, check: 'envelope', statement: label, message: (err as Error).message });
    return { keyIds: [] };
  }
  const keyIds: string[] = [];
  if (envelope.signatures.length === 0)
    problems.push({
      file,
      check: 'signature',
      statement: label,
      message: 'the envelope carries no signature',
    });
  for (const sig of envelope.signatures) {
    const key = keys.get(sig.keyid);
    if (!key) {
      problems.push({
        file,
        check: 'unknown key',
        statement: label,
        message: `signed by key ${sig.keyid}, which the bundle does not hold (verified)`,
      });
      continue;
    }
    if (!envelopeSignedBy(envelope, sig.keyid, key)) {
      problems.push({
        file,
        check: 'signature',
        statement: label,
        message: `the Ed25519 signature by key ${sig.keyid} does not verify: the statement was changed after signing`,
      });
      continue;
    }
    keyIds.push(sig.keyid);
  }
  let modelId: string | undefined;
  try {
    const statement = statementOfPayload(envelope.payload);
    // The model's own statement: its `model` statement, or the `erasure` statement that made it
    // (an unlearned version has no `model` statement). The kind is the signed predicate type's.
    const kind = kindOfPredicateType(statement.predicateType);
    const about = statement.predicate.modelId;
    if (
      keyIds.length === envelope.signatures.length &&
      keyIds.length > 0 &&
      (kind === 'model' || kind === 'erasure') &&
      typeof about === 'string'
    )
      modelId = about;
  } catch (err) {
    problems.push({ file, check: 'statement', statement: label, message: (err as Error).message });
  }
  return { keyIds, modelId };
}

function checkProof(
  s: BundleStatement,
  envelope: Buffer,
  proofBytes: Buffer,
  head: TreeHead | undefined,
  label: string,
  problems: BundleProblem[],
): void {
  const file = s.proof;
  let proof: Partial<InclusionProofFile>;
  try {
    proof = JSON.parse(proofBytes.toString('utf8'));
  } catch (err) {
    problems.push({ file, check: 'proof', statement: label, message: `not JSON: ${(err as Error).message}` });
    return;
  }
  if (
    proof?.format !== proofFormat ||
    !Number.isInteger(proof.logIndex) ||
    !Number.isInteger(proof.treeSize) ||
    !Array.isArray(proof.auditPath) ||
    !proof.auditPath.every((h) => typeof h === 'string' && hex64.test(h))
  ) {
    problems.push({
      file,
      check: 'proof',
      statement: label,
      message: `not an inclusion proof of format ${proofFormat} (logIndex, treeSize, auditPath of 64-hex hashes)`,
    });
    return;
  }
  const leaf = leafHash(envelope);
  if (proof.leafHash !== leaf.toString('hex'))
    problems.push({
      file,
      check: 'leaf hash',
      statement: label,
      message: `the envelope's leaf hash is ${leaf.toString('hex')}, the proof records ${proof.leafHash}`,
    });
  if (!head) return; // the tree head failed its own check: there is no root to prove against
  if (proof.logIndex !== s.logIndex || proof.treeSize !== head.size)
    problems.push({
      file,
      check: 'inclusion',
      statement: label,
      message: `the proof is for log index ${proof.logIndex} in a tree of ${proof.treeSize}, the bundle needs index ${s.logIndex} in the tree head of size ${head.size}`,
    });
  else if (
    !verifyInclusion(
      leaf,
      s.logIndex,
      head.size,
      (proof.auditPath as string[]).map((h) => Buffer.from(h, 'hex')),
      Buffer.from(head.rootHash, 'hex'),
    )
  )
    problems.push({
      file,
      check: 'inclusion',
      statement: label,
      message: `the inclusion proof of log entry ${s.logIndex} does not lead to the signed root ${head.rootHash} (size ${head.size}): the envelope or the proof was changed`,
    });
}
