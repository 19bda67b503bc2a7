import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError, TracepropError, UsageError } from '../errors.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { checkTreeHead } from './check-tree-head.js';
import { parseEnvelope } from './dsse-envelope.js';
import {
  type BundleManifest,
  type BundleStatement,
  bundleFormat,
  bundlePaths,
  bundleReadme,
  type InclusionProofFile,
  proofFormat,
  statementStem,
} from './evidence-bundle.js';
import { statementOfPayload } from './in-toto-statement.js';
import { leafHash } from './merkle-hash.js';
import { inclusionProof } from './merkle-proofs.js';
import { readLeafHashes } from './read-leaf-hashes.js';
import { latestTreeHead, readSigningKeys } from './read-log.js';
import type { TreeHead } from './tree-head.js';
import { saveTreeHead } from './tree-head-file.js';
import { verifyBundle } from './verify-bundle.js';
import { verifyInclusion } from './verify-merkle-proofs.js';

/** What {@link exportEvidence} wrote. */
export interface ExportedBundle {
  dir: string;
  modelId: string;
  treeHead: TreeHead;
  statements: BundleStatement[];
  keyIds: string[];
  files: number;
}

interface LoggedStatement {
  id: string;
  kind: string;
  ref: string | null;
  logIndex: number;
  envelope: string | null;
}

/**
 * Writes the evidence bundle of one model to `dir` (docs/evidence.md, *Evidence bundles*): every
 * logged statement about it (its `model` statement, the `run` statement of the run it was trained
 * on, the `erasure` statements of the lines that started from it or made it, the `attribution`
 * statements of it, statements recorded with its id, the `key` statements), each with
 * its RFC 6962 inclusion proof against the log's newest signed tree head, that head, the public
 * keys, a manifest with SHA-256 digests and a README. The bundle is verified (offline) before it
 * is reported. Throws `evidence.bundleExists` (a non-empty `dir` without `force`),
 * `evidence.unknownModel`, `evidence.noStatements`, and the log's own codes when the graph's log
 * does not verify.
 */
export async function exportEvidence(
  client: GraphClient,
  modelId: string,
  dir: string,
  options: { force?: boolean } = {},
): Promise<ExportedBundle> {
  checkTarget(dir, options.force === true);
  const logged = await statementsOfModel(client, modelId);
  const head = await latestTreeHead(client);
  if (!head) throw new TracepropError('evidence.notIncluded', 'the log has no signed tree head');
  const published = await readSigningKeys(client);
  checkTreeHead(head, published);
  const leaves = await readLeafHashes(client, head.size);

  const keyIds = new Set([head.keyId]);
  const entries = logged.map((s) => {
    if (s.envelope === null || s.logIndex >= head.size)
      throw new TracepropError(
        'evidence.notIncluded',
        `statement ${s.id} (log index ${s.logIndex}) has no log entry under the signed tree head of size ${head.size}: run \`traceprop verify log\``,
      );
    const leaf = leafHash(s.envelope);
    const proof = inclusionProof(leaves, s.logIndex, head.size);
    if (!verifyInclusion(leaf, s.logIndex, head.size, proof, Buffer.from(head.rootHash, 'hex')))
      throw new TracepropError(
        'evidence.notIncluded',
        `statement ${s.id} (log index ${s.logIndex}) is not included in the signed tree head of size ${head.size}: its log entry was changed (run \`traceprop verify log\`)`,
      );
    for (const sig of parseEnvelope(s.envelope).signatures) keyIds.add(sig.keyid);
    return { ...s, envelope: s.envelope, leaf, proof };
  });

  prepareDir(dir);
  const files: BundleManifest['files'] = [];
  const write = (rel: string, content: string) => {
    const bytes = Buffer.from(content, 'utf8');
    fs.writeFileSync(path.join(dir, rel), bytes);
    files.push({ path: rel, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length });
  };
  const keys: BundleManifest['keys'] = [];
  for (const keyId of keyIds) {
    const key = published.find((k) => k.id === keyId);
    if (!key)
      throw new TracepropError(
        'evidence.unknownKey',
        `a statement or the tree head is signed by key ${keyId}, which the graph does not publish`,
      );
    const file = `${bundlePaths.keys}/${keyId}.pem`;
    write(file, key.publicKey);
    keys.push({ keyId, file });
  }
  const headKey = published.find((k) => k.id === head.keyId)?.publicKey ?? '';
  saveTreeHead(path.join(dir, bundlePaths.treeHead), head, headKey);
  const headBytes = fs.readFileSync(path.join(dir, bundlePaths.treeHead));
  files.push({
    path: bundlePaths.treeHead,
    sha256: createHash('sha256').update(headBytes).digest('hex'),
    bytes: headBytes.length,
  });
  const statements: BundleStatement[] = [];
  for (const e of entries) {
    const stem = statementStem(e.logIndex, e.kind);
    const envelope = `${bundlePaths.statements}/${stem}.dsse.json`;
    const proof = `${bundlePaths.proofs}/${stem}.proof.json`;
    write(envelope, e.envelope); // the exact bytes of the log entry: its leaf hash is theirs
    const proofFile: InclusionProofFile = {
      format: proofFormat,
      statementId: e.id,
      logIndex: e.logIndex,
      treeSize: head.size,
      leafHash: e.leaf.toString('hex'),
      auditPath: e.proof.map((h) => h.toString('hex')),
    };
    write(proof, `${JSON.stringify(proofFile, null, 2)}\n`);
    statements.push({ id: e.id, kind: e.kind, ref: e.ref, logIndex: e.logIndex, envelope, proof });
  }
  write(bundlePaths.readme, bundleReadme(modelId, head.size, [...keyIds]));
  const manifest: BundleManifest = {
    format: bundleFormat,
    modelId,
    exportedAt: new Date().toISOString(),
    treeHead: bundlePaths.treeHead,
    keys,
    statements,
    files,
  };
  fs.writeFileSync(path.join(dir, bundlePaths.manifest), `${JSON.stringify(manifest, null, 2)}\n`);

  const check = verifyBundle(dir, { expectedKeyId: head.keyId });
  if (check.problems.length > 0)
    throw new TracepropError(
      'evidence.bundleInvalid',
      `the bundle written to ${dir} does not verify (run \`traceprop verify log\`): ${check.problems
        .map((p) => `${p.file} [${p.check}] ${p.message}`)
        .join('; ')}`,
    );
  return { dir, modelId, treeHead: head, statements, keyIds: [...keyIds], files: files.length + 1 };
}

/** Refuses a non-empty target unless `force` (a file that is not a directory always). */
function checkTarget(dir: string, force: boolean): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory())
    throw new UsageError(
      'evidence.bundleExists',
      `${dir} exists and is not a directory: give a new or empty directory`,
    );
  if (fs.readdirSync(dir).length > 0 && !force)
    throw new UsageError(
      'evidence.bundleExists',
      `${dir} is not empty: give a new or empty directory, or --force to replace the bundle files in it (manifest.json, README.txt, tree-head.json, keys/, statements/, proofs/; other files are left alone)`,
    );
}

/** Removes an earlier bundle's files and folders (only those) and creates the layout. */
function prepareDir(dir: string): void {
  for (const name of Object.values(bundlePaths))
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  for (const sub of [bundlePaths.keys, bundlePaths.statements, bundlePaths.proofs])
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
}

async function statementsOfModel(client: GraphClient, modelId: string): Promise<LoggedStatement[]> {
  const [result, candidates] = await withSession(client, (session) =>
    session.executeRead(async (tx) => [
      await tx.run(cypherText('evidence', 'statements-of-model'), { modelId }),
      await tx.run(cypherText('evidence', 'candidate-statements-of-model'), { modelId }),
    ]),
  );
  if (result.records.length === 0)
    throw new NotFoundError(
      'evidence.unknownModel',
      `no model ${modelId} in the graph: give the \`modelId\` that \`traceprop train --json\` (or \`ingest --train --json\`) printed`,
    );
  const seen = new Set<string>();
  const statements: LoggedStatement[] = [];
  const add = (r: (typeof result.records)[number]) => {
    const id: string | null = r.get('id');
    if (id === null || seen.has(id)) return;
    seen.add(id);
    statements.push({
      id,
      kind: r.get('kind') ?? 'unknown',
      ref: r.get('ref') ?? null,
      logIndex: Number(r.get('logIndex')),
      envelope: r.get('envelope') ?? null,
    });
  };
  for (const r of result.records) add(r);
  for (const r of candidates.records) if (namesModel(r.get('envelope'), modelId)) add(r);
  statements.sort((a, b) => a.logIndex - b.logIndex);
  if (!statements.some((s) => s.kind === 'model' && s.ref === modelId) && !producedBy(statements, modelId))
    throw new NotFoundError(
      'evidence.noStatements',
      `model ${modelId} has no signed statement in the log: it was trained without a signing key. Run \`traceprop keys init\` before ingesting and training, then train again (\`traceprop train RUN_ID\`): its statements are signed and logged, and \`export evidence\` can bundle them`,
    );
  return statements;
}

/**
 * Whether a logged envelope's predicate names the model: an `attribution` statement of it, or an
 * `erasure` statement whose line started from it or made it. An envelope that does not parse is
 * kept out here (the log check reports it).
 */
function namesModel(envelope: string | null, modelId: string): boolean {
  if (envelope === null) return false;
  try {
    const p = statementOfPayload(parseEnvelope(envelope).payload).predicate;
    return p.modelId === modelId || p.previousModelId === modelId;
  } catch {
    return false;
  }
}

/** Whether one of the statements is the `erasure` statement that made the model (an unlearned version). */
function producedBy(statements: LoggedStatement[], modelId: string): boolean {
  return statements.some((s) => {
    if (s.kind !== 'erasure' || s.envelope === null) return false;
    try {
      return statementOfPayload(parseEnvelope(s.envelope).payload).predicate.modelId === modelId;
    } catch {
      return false;
    }
  });
}
