import neo4j from 'neo4j-driver';
import { type GraphClient, withSession } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import type { TreeHead } from './tree-head.js';

/** Entries per page when the log is read. */
const pageSize = 10_000;
/** Pages read at once (each in its own read session): Neo4j serves them on several threads. */
const pagesInFlight = 4;

/** One page of log entries as parallel lists. */
export interface LogPage {
  /** First index the page asked for. */
  from: number;
  indexes: number[];
  leafHashes: string[];
  /** Present when the envelopes were asked for. */
  envelopes?: string[];
}

/**
 * Reads the entries with index < `size`, `pageSize` at a time with {@link pagesInFlight} pages
 * in flight, and hands each page to `onPage` as it arrives (pages may arrive out of order;
 * within a page, entries are in index order). Gaps are not filled: the caller sees which indexes
 * are there.
 */
export async function readLogPages(
  client: GraphClient,
  size: number,
  withEnvelopes: boolean,
  onPage: (page: LogPage) => void,
): Promise<void> {
  const text = cypherText('evidence', withEnvelopes ? 'log-entries' : 'log-leaf-hashes');
  let next = 0;
  let failed = false;
  const worker = () =>
    withSession(
      client,
      async (session) => {
        while (next < size && !failed) {
          const from = next;
          const to = Math.min(size, from + pageSize);
          next = to;
          const result = await session.executeRead((tx) =>
            tx.run(text, { from: neo4j.int(from), to: neo4j.int(to) }),
          );
          const page: LogPage = {
            from,
            indexes: [],
            leafHashes: [],
            ...(withEnvelopes ? { envelopes: [] } : {}),
          };
          for (const r of result.records) {
            page.indexes.push(r.get('index'));
            page.leafHashes.push(r.get('leafHash'));
            page.envelopes?.push(r.get('envelope'));
          }
          try {
            onPage(page);
          } catch (err) {
            failed = true;
            throw err;
          }
        }
      },
      'READ',
    );
  await Promise.all(Array.from({ length: Math.min(pagesInFlight, Math.ceil(size / pageSize)) }, worker));
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
