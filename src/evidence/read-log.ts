import neo4j from 'neo4j-driver';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import type { TreeHead } from './tree-head.js';

/** Entries per page when the log is read in order. */
const pageSize = 25_000;

/** One page of log entries as parallel lists. */
export interface LogPage {
  indexes: number[];
  leafHashes: string[];
  /** Present when the envelopes were asked for. */
  envelopes?: string[];
}

/**
 * Reads the entries with index < `size` in index order, `pageSize` at a time (each page one
 * read transaction returning three lists: far fewer Bolt records than one per entry), and hands
 * each page to `onPage`. Gaps are not filled: the caller sees which indexes are there.
 */
export async function readLogPages(
  client: GraphClient,
  size: number,
  withEnvelopes: boolean,
  onPage: (page: LogPage) => void,
): Promise<void> {
  const text = cypherText('evidence', withEnvelopes ? 'log-entries' : 'log-leaf-hashes');
  await withSession(client, async (session) => {
    for (let from = 0; from < size; from += pageSize) {
      const to = Math.min(size, from + pageSize);
      const result = await session.executeRead((tx) =>
        tx.run(text, { from: neo4j.int(from), to: neo4j.int(to) }),
      );
      const r = result.records[0];
      onPage({
        indexes: r.get('indexes'),
        leafHashes: r.get('leafHashes'),
        ...(withEnvelopes ? { envelopes: r.get('envelopes') } : {}),
      });
    }
  });
}

/** The newest signed tree head, or undefined when the log is empty. */
export async function latestTreeHead(client: GraphClient): Promise<TreeHead | undefined> {
  return withSession(client, async (session) => {
    const result = await session.executeRead((tx) => tx.run(cypherText('evidence', 'latest-tree-head')));
    const r = result.records[0];
    if (!r) return undefined;
    return {
      size: Number(r.get('size')),
      rootHash: r.get('rootHash'),
      at: r.get('at'),
      keyId: r.get('keyId'),
      signature: r.get('signature'),
    };
  });
}

/** A published signing key as the graph holds it. */
export interface PublishedKey {
  id: string;
  publicKey: string;
  from: string;
  to: string | null;
}

/** Every published signing key, oldest first. */
export async function readSigningKeys(client: GraphClient): Promise<PublishedKey[]> {
  return withSession(client, async (session) => {
    const result = await session.executeRead((tx) => tx.run(cypherText('evidence', 'signing-keys')));
    return result.records.map((r) => ({
      id: r.get('id'),
      publicKey: r.get('publicKey'),
      from: r.get('from'),
      to: r.get('to') ?? null,
    }));
  });
}
