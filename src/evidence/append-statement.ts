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

/** The log's size and right edge (hex perfect-subtree roots, leftmost first). */
interface LogState {
  size: number;
  frontier: string[];
}

/**
 * This process's guess of the log's state: the state its last append left. The append is computed
 * from it before the lock is taken and written only if the log is still in that state (checked
 * under the lock, in the same statement), so a wrong guess (another writer, another database, a
 * rolled-back transaction) costs one more round trip and never a forked log.
 */
let guess: LogState = { size: 0, frontier: [] };

/**
 * Appends a signed envelope to the transparency log INSIDE the caller's write transaction, so the
 * statement lands (or not) together with the event it records. One statement
 * (`cypher/evidence/append-entry.cypher`) takes the log's lock (by writing the one LogState node:
 * concurrent appends queue), publishes the key, and, if the log is in the state this process last
 * left it, writes `(:LogEntry {index, leafHash, envelope, at})`, `(:Statement {id, kind, digest,
 * logIndex, ref, keyIds})` and the signed `(:TreeHead {size, rootHash, signature, keyId, at})` of
 * the grown log, computed beforehand from that state's right edge in O(log n) hashes: one round
 * trip. If another writer appended meanwhile, the statement writes nothing but the lock and
 * returns the state it read under it; the append is recomputed and written in a second round
 * trip, which cannot miss (the lock is held). The lock is held until the transaction ends: keep
 * the rest of the transaction short.
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
  const append = async (state: LogState) => {
    const frontier = appendLeaf(
      { size: state.size, hashes: state.frontier.map((h) => Buffer.from(h, 'hex')) },
      leaf,
    );
    const head = signTreeHead(options.key, frontier.size, frontierRoot(frontier), at);
    const grown = frontier.hashes.map((h) => h.toString('hex'));
    const found = (
      await tx.run(cypherText('evidence', 'append-entry'), {
        keyId: options.key.keyId,
        publicKey: options.key.publicKeyPem,
        at,
        expectedSize: neo4j.int(state.size),
        expectedFrontier: state.frontier,
        entry: { index: neo4j.int(state.size), leafHash: leaf.toString('hex'), envelope: bytes, at },
        statement: {
          id,
          kind,
          digest,
          logIndex: neo4j.int(state.size),
          ref: options.ref ?? null,
          keyIds: envelope.signatures.map((s) => s.keyid),
        },
        head: { ...head, size: neo4j.int(head.size) },
        frontier: grown,
      })
    ).records[0];
    assertUsableKey(found.get('same'), found.get('retired'), options.key.keyId);
    const actual: LogState = { size: Number(found.get('size')), frontier: found.get('frontier') };
    return { applied: found.get('applies') === true, actual, head, grown };
  };

  let attempt = await append(guess);
  if (!attempt.applied) {
    const { actual } = attempt;
    if (actual.frontier.length !== popCount(actual.size))
      throw new TracepropError(
        'evidence.logStateCorrupt',
        `the log's stored right edge has ${actual.frontier.length} hashes for ${actual.size} entries (expected ${popCount(actual.size)}): run \`traceprop verify log\``,
      );
    attempt = await append(actual);
    if (!attempt.applied)
      throw new TracepropError(
        'evidence.logStateCorrupt',
        `the log's state changed while this transaction held its lock (size ${actual.size} → ${attempt.actual.size}): run \`traceprop verify log\``,
      );
  }
  const logIndex = attempt.head.size - 1;
  guess = { size: attempt.head.size, frontier: attempt.grown };
  return { id, kind, logIndex, leafHash: leaf.toString('hex'), head: attempt.head };
}

function popCount(n: number): number {
  let count = 0;
  for (let s = n; s > 0; s = Math.floor(s / 2)) count += s % 2;
  return count;
}
