import neo4j from 'neo4j-driver';
import { NotFoundError, TracepropError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { checkTreeHead } from './check-tree-head.js';
import { firstHole } from './first-hole.js';
import { leafHash } from './merkle-hash.js';
import { consistencyProof } from './merkle-proofs.js';
import { merkleRoot } from './merkle-root.js';
import { latestTreeHead, readLogPages, readSigningKeys } from './read-log.js';
import { keyIdOf, publicKeyFromPem } from './signing-key.js';
import type { TreeHead } from './tree-head.js';
import { treeHeadSignedBy } from './tree-head.js';
import type { TreeHeadFile } from './tree-head-file.js';
import { verifyConsistency } from './verify-merkle-proofs.js';

/** What {@link verifyLog} checked. */
export interface LogVerification {
  /** The newest signed tree head, whose root was recomputed from every entry. */
  head: TreeHead;
  /** Entries read and hashed. */
  entries: number;
  /** With `from`: the earlier head's size, and the consistency proof's length. */
  consistentWith?: { size: number; rootHash: string; proofHashes: number };
  seconds: number;
}

/**
 * Verifies the whole log against its newest signed tree head: the head's signature (by a
 * published key), every entry present (no index missing), every entry's leaf hash recomputed
 * from its envelope bytes, and the RFC 6962 root of them all equal to the signed root; no
 * Statement may have lost its entry (checked last). With `from` (a head the auditor kept), the log must have
 * only grown since: its signature verifies with the key it carries, and an RFC 6962 consistency
 * proof from it to the current head verifies. Each failure throws its own code:
 * `evidence.emptyLog`, `evidence.unknownKey`, `evidence.badTreeHead`, `evidence.logGap`,
 * `evidence.leafMismatch`, `evidence.rootMismatch`, `evidence.orphanStatement`,
 * `evidence.logShrunk`, `evidence.inconsistent`.
 */
export async function verifyLog(
  client: GraphClient,
  options: { from?: TreeHeadFile } = {},
): Promise<LogVerification> {
  const started = performance.now();
  const head = await latestTreeHead(client);
  if (!head)
    throw new NotFoundError(
      'evidence.emptyLog',
      'the transparency log is empty: no signed tree head to verify',
    );
  checkTreeHead(head, await readSigningKeys(client));

  const leaves: Buffer[] = new Array(head.size);
  let entries = 0;
  // Pages arrive out of order: keep the lowest changed entry, so the report does not depend on timing.
  let changed: { index: number; leaf: string; recorded: string } | undefined;
  await readLogPages(client, head.size, true, (page) => {
    const envelopes = page.envelopes ?? [];
    for (let i = 0; i < page.indexes.length; i++) {
      const index = Number(page.indexes[i]);
      const leaf = leafHash(envelopes[i]);
      if (!changed || index < changed.index) {
        const recorded = page.leafHashes[i];
        if (leaf.toString('hex') !== recorded) changed = { index, leaf: leaf.toString('hex'), recorded };
      }
      leaves[index] = leaf;
    }
    entries += page.indexes.length;
  });
  const missing = firstHole(leaves);
  if (missing >= 0)
    throw new TracepropError(
      'evidence.logGap',
      `log entry ${missing} is missing (the signed tree head covers ${head.size} entries, the log holds ${entries} of them): an entry was deleted`,
    );
  if (changed)
    throw new TracepropError(
      'evidence.leafMismatch',
      `log entry ${changed.index}: its envelope hashes to leaf ${changed.leaf}, the entry records ${changed.recorded}: the envelope was changed`,
    );
  const root = merkleRoot(leaves).toString('hex');
  if (root !== head.rootHash)
    throw new TracepropError(
      'evidence.rootMismatch',
      `the ${head.size} entries hash to root ${root}, the signed tree head says ${head.rootHash}: entries were changed (envelope and leaf hash alike)`,
    );
  let consistentWith: LogVerification['consistentWith'];
  if (options.from) {
    const old = options.from;
    const oldKey = publicKeyFromPem(old.publicKey);
    if (keyIdOf(oldKey) !== old.keyId || !treeHeadSignedBy(old, oldKey))
      throw new TracepropError(
        'evidence.badTreeHead',
        `the kept tree head (size ${old.size}) does not verify with the key it carries: the file was changed`,
      );
    if (old.size > head.size)
      throw new TracepropError(
        'evidence.logShrunk',
        `the kept tree head covers ${old.size} entries, the log's newest head only ${head.size}: entries were removed`,
      );
    const proof = old.size > 0 ? consistencyProof(leaves, old.size, head.size) : [];
    if (
      !verifyConsistency(
        old.size,
        head.size,
        Buffer.from(old.rootHash, 'hex'),
        Buffer.from(head.rootHash, 'hex'),
        proof,
      )
    )
      throw new TracepropError(
        'evidence.inconsistent',
        `the log is not an extension of the kept tree head (size ${old.size}, root ${old.rootHash}): entries before index ${old.size} were changed`,
      );
    consistentWith = { size: old.size, rootHash: old.rootHash, proofHashes: proof.length };
  }
  await checkNoOrphanStatements(client, head.size);
  return {
    head,
    entries,
    ...(consistentWith ? { consistentWith } : {}),
    seconds: (performance.now() - started) / 1000,
  };
}

async function checkNoOrphanStatements(client: GraphClient, size: number): Promise<void> {
  const orphans = await withSession(client, (session) =>
    session.executeRead((tx) =>
      tx.run(cypherText('evidence', 'statements-past-head'), { size: neo4j.int(size), limit: neo4j.int(5) }),
    ),
  );
  const first = orphans.records[0];
  if (first)
    throw new TracepropError(
      'evidence.orphanStatement',
      `statement ${first.get('id')} records log index ${first.get('logIndex')}, which has no log entry: the entry was deleted`,
    );
}
