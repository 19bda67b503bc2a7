import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { NotFoundError, TracepropError } from '../errors.js';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { checkTreeHead } from './check-tree-head.js';
import { envelopeSignedBy, parseEnvelope, serialiseEnvelope } from './dsse-envelope.js';
import { type InTotoStatement, statementOfPayload } from './in-toto-statement.js';
import { leafHash } from './merkle-hash.js';
import { inclusionProof } from './merkle-proofs.js';
import { readLeafHashes } from './read-leaf-hashes.js';
import { latestTreeHead, readSigningKeys } from './read-log.js';
import { publicKeyFromPem } from './signing-key.js';
import type { TreeHead } from './tree-head.js';
import { verifyInclusion } from './verify-merkle-proofs.js';

/** What {@link verifyStatement} checked. */
export interface StatementVerification {
  id: string;
  kind: string;
  logIndex: number;
  /** Keys whose signatures verified (valid when the entry was logged). */
  keyIds: string[];
  statement: InTotoStatement;
  /** The signed tree head the inclusion proof was checked against. */
  head: TreeHead;
  /** The RFC 6962 audit path (hex, bottom up). */
  inclusionProof: string[];
}

/**
 * Verifies one statement, given by id (`Statement.id`, hex SHA-256 of the logged envelope) or as
 * a file holding its DSSE envelope: its envelope is in the log; every signature is by a
 * published key that was valid when the entry was logged (at least one); the newest tree head is
 * signed by a published key; and an RFC 6962 inclusion proof of the entry verifies against that
 * head's root. Throws `evidence.unknownStatement`, `evidence.badSignature`,
 * `evidence.unknownKey`, `evidence.badTreeHead` or `evidence.notIncluded`.
 */
export async function verifyStatement(client: GraphClient, idOrFile: string): Promise<StatementVerification> {
  const found = await findStatement(client, idOrFile);
  const envelope = parseEnvelope(found.envelope);
  const keys = await readSigningKeys(client);
  const keyIds: string[] = [];
  for (const signature of envelope.signatures) {
    const key = keys.find((k) => k.id === signature.keyid);
    if (!key)
      throw new TracepropError(
        'evidence.unknownKey',
        `statement ${found.id} is signed by key ${signature.keyid}, which the graph does not publish`,
      );
    if (!envelopeSignedBy(envelope, key.id, publicKeyFromPem(key.publicKey)))
      throw new TracepropError(
        'evidence.badSignature',
        `statement ${found.id} (log index ${found.logIndex}): the signature by key ${key.id} does not verify: the statement was changed after signing`,
      );
    if (found.at < key.from || (key.to !== null && found.at > key.to))
      throw new TracepropError(
        'evidence.badSignature',
        `statement ${found.id} was logged at ${found.at}, outside the validity of its key ${key.id} (${key.from} – ${key.to ?? 'now'})`,
      );
    keyIds.push(key.id);
  }
  if (keyIds.length === 0)
    throw new TracepropError('evidence.badSignature', `statement ${found.id} carries no signature`);

  const head = await latestTreeHead(client);
  if (!head || head.size <= found.logIndex)
    throw new TracepropError(
      'evidence.notIncluded',
      `no signed tree head covers log index ${found.logIndex} of statement ${found.id}`,
    );
  checkTreeHead(head, keys);
  const leaves = await readLeafHashes(client, head.size);
  const leaf = leafHash(found.envelope);
  const proof = inclusionProof(leaves, found.logIndex, head.size);
  if (!verifyInclusion(leaf, found.logIndex, head.size, proof, Buffer.from(head.rootHash, 'hex')))
    throw new TracepropError(
      'evidence.notIncluded',
      `statement ${found.id} (log index ${found.logIndex}) is not included in the signed tree head of size ${head.size}: its log entry was changed`,
    );
  return {
    id: found.id,
    kind: found.kind,
    logIndex: found.logIndex,
    keyIds,
    statement: statementOfPayload(envelope.payload),
    head,
    inclusionProof: proof.map((p) => p.toString('hex')),
  };
}

interface FoundStatement {
  id: string;
  kind: string;
  logIndex: number;
  envelope: string;
  at: string;
}

async function findStatement(client: GraphClient, idOrFile: string): Promise<FoundStatement> {
  const byId = /^[0-9a-f]{64}$/.test(idOrFile);
  let params: Record<string, string>;
  let name: 'statement-by-id' | 'entry-by-leaf-hash';
  if (byId) {
    name = 'statement-by-id';
    params = { id: idOrFile };
  } else {
    if (!fs.existsSync(idOrFile))
      throw new NotFoundError(
        'evidence.unknownStatement',
        `${idOrFile} is neither a statement id (64 hex digits) nor a file holding a DSSE envelope`,
      );
    const bytes = serialiseEnvelope(parseEnvelope(fs.readFileSync(idOrFile, 'utf8')));
    name = 'entry-by-leaf-hash';
    params = { leafHash: leafHash(bytes).toString('hex') };
  }
  const result = await withSession(client, (session) =>
    session.executeRead((tx) => tx.run(cypherText('evidence', name), params)),
  );
  const r = result.records[0];
  if (!r || r.get('envelope') === null)
    throw new NotFoundError(
      'evidence.unknownStatement',
      byId
        ? `no statement ${idOrFile} with a log entry in the graph`
        : `the envelope in ${idOrFile} is not in the log (no entry has its leaf hash)`,
    );
  const envelope: string = r.get('envelope');
  const id = createHash('sha256').update(envelope, 'utf8').digest('hex');
  if (byId && id !== idOrFile)
    throw new TracepropError(
      'evidence.leafMismatch',
      `statement ${idOrFile}'s log entry ${r.get('logIndex')} holds an envelope with id ${id}: the entry was changed`,
    );
  return {
    id,
    kind: r.get('kind') ?? 'unknown',
    logIndex: Number(r.get('logIndex')),
    envelope,
    at: r.get('at'),
  };
}
