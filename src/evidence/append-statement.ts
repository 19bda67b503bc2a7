import { createHash } from 'node:crypto';
import neo4j, { type ManagedTransaction } from 'neo4j-driver';
import { TracepropError } from '../errors.js';
import { cypherText } from '../graph/cypher-library.js';
import { type DsseEnvelope, serialiseEnvelope } from './dsse-envelope.js';
import { kindOfPredicateType, statementOfPayload } from './in-toto-statement.js';
import { appendLeaf, frontierRoot } from './merkle-frontier.js';
import { leafHash } from './merkle-hash.js';
import { assertUsableKey } from './publish-signing-key.js';
import type { SigningKey } from './signing-key.js';
import { signTreeHead, type TreeHead } from './tree-head.js';

/** What {@link appendStatement} wrote. */
export interface AppendedStatement {
  /** Statement id: hex SHA-256 of the envelope bytes as logged. */
  id: string;
  kind: string;
  /** 0-based index of its LogEntry. */
  logIndex: number;
  /** Hex RFC 6962 leaf hash of the entry. */
  leafHash: string;
  /** The signed tree head of the log with this entry (size `logIndex + 1`). */
  head: TreeHead;
}

/** Options of {@link appendStatement}. */
export interface AppendStatementOptions {
  /** Signs the new tree head (the log's key; published in the graph if it is not yet). */
  key: SigningKey;
  /** What the statement is about (a run id, model id, key id), for look-ups (`Statement.ref`). */
  ref?: string;
  /** Time of the append (default now). */
  at?: string;
}

/**
 * Appends a signed envelope to the transparency log INSIDE the caller's write transaction, so the
 * statement lands (or not) together with the event it records. Under the log's lock (taken by
 * writing the one LogState node: concurrent appends queue, none reads a stale size) it writes
 * `(:LogEntry {index, leafHash, envelope, at})`, `(:Statement {id, kind, digest, logIndex, ref,
 * keyIds})` and the signed `(:TreeHead {size, rootHash, signature, keyId, at})` of the grown log,
 * computed from the stored right edge in O(log n) hashes. The lock is held until the
 * transaction ends: keep the rest of the transaction short.
 *
 * @example
 * await session.executeWrite(async (tx) => {
 *   await tx.run(completeRunCypher, params);
 *   await appendStatement(tx, signEnvelope(payload, [key]), { key, ref: runId });
 * });
 */
export async function appendStatement(
  tx: ManagedTransaction,
  envelope: DsseEnvelope,
  options: AppendStatementOptions,
): Promise<AppendedStatement> {
  const at = options.at ?? new Date().toISOString();
  const statement = statementOfPayload(envelope.payload);
  const kind = kindOfPredicateType(statement.predicateType) ?? statement.predicateType;
  const bytes = serialiseEnvelope(envelope);
  const id = createHash('sha256').update(bytes, 'utf8').digest('hex');
  const digest = createHash('sha256').update(Buffer.from(envelope.payload, 'base64')).digest('hex');
  const leaf = leafHash(bytes);

  const state = (
    await tx.run(cypherText('evidence', 'lock-log'), {
      keyId: options.key.keyId,
      publicKey: options.key.publicKeyPem,
      at,
    })
  ).records[0];
  assertUsableKey(state.get('same'), state.get('retired'), options.key.keyId);
  const size = Number(state.get('size'));
  const stored: string[] = state.get('frontier');
  const frontier = appendLeaf({ size, hashes: stored.map((h) => Buffer.from(h, 'hex')) }, leaf);
  if (stored.length !== popCount(size))
    throw new TracepropError(
      'evidence.logStateCorrupt',
      `the log's stored right edge has ${stored.length} hashes for ${size} entries (expected ${popCount(size)}): run \`traceprop verify log\``,
    );
  const head = signTreeHead(options.key, frontier.size, frontierRoot(frontier), at);
  await tx.run(cypherText('evidence', 'append-entry'), {
    entry: { index: neo4j.int(size), leafHash: leaf.toString('hex'), envelope: bytes, at },
    statement: {
      id,
      kind,
      digest,
      logIndex: neo4j.int(size),
      ref: options.ref ?? null,
      keyIds: envelope.signatures.map((s) => s.keyid),
    },
    head: { ...head, size: neo4j.int(head.size) },
    frontier: frontier.hashes.map((h) => h.toString('hex')),
  });
  return { id, kind, logIndex: size, leafHash: leaf.toString('hex'), head };
}

function popCount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}
