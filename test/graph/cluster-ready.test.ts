import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { ManagedTransaction } from 'neo4j-driver';
import { commitJobResult } from '../../src/graph/commit-job-result.js';
import {
  adoptBookmarks,
  createGraphClient,
  type GraphClient,
  openSession,
  withSession,
} from '../../src/graph/connection.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { useCleanGraph } from '../support/graph.js';
import { trackResource } from '../support/resources.js';
import { routingUri, testServices } from '../support/services.js';

/** A graph client on `neo4j://` (the scheme of a cluster or Aura), closed in `after`. */
function useRoutingClient(): () => GraphClient {
  let client: GraphClient | undefined;
  before(() => {
    const { config } = testServices();
    client = createGraphClient({
      uri: routingUri(config.neo4jUri),
      user: config.neo4jUser,
      password: config.neo4jPassword,
      database: config.neo4jDatabase,
    });
  });
  after(async () => {
    await client?.driver.close();
    client = undefined;
  });
  return () => {
    if (!client) throw new Error('routing client used outside its suite');
    return client;
  };
}

/** A promise and its resolver. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('graph: cluster-ready transactions through neo4j:// (bookmarks, retries)', function () {
  this.timeout(120_000);
  useCleanGraph();
  const client = useRoutingClient();

  it('talks to the local Neo4j through the routing scheme (its routing table names it for every role)', async () => {
    assert.match(client().uri, /^neo4j(\+s|\+ssc)?:\/\//);
    const table = await runReadQuery(client(), 'RETURN 1 AS one');
    assert.deepEqual(table, [{ one: 1 }]);
    const info = await client().driver.getServerInfo({ database: client().database });
    assert.match(String(info.agent), /^Neo4j\//);
    const routes = await runReadQuery(
      client(),
      'CALL dbms.routing.getRoutingTable({}, $db) YIELD servers UNWIND servers AS s RETURN s.role AS role, s.addresses AS addresses ORDER BY role',
      { db: client().database },
    );
    const address = new URL(testServices().neo4jUri).host;
    assert.deepEqual(routes, [
      { role: 'READ', addresses: [address] },
      { role: 'ROUTE', addresses: [address] },
      { role: 'WRITE', addresses: [address] },
    ]);
  });

  it('shares one bookmark manager between every session of a client and driver.executeQuery', async () => {
    const c = client();
    assert.equal(c.bookmarkManager, c.driver.executeQueryBookmarkManager);
    const id = randomUUID();
    const session = openSession(c, 'WRITE');
    let written: string[];
    try {
      await session.executeWrite((tx) => tx.run('CREATE (:BookmarkProbe {id: $id})', { id }));
      written = session.lastBookmarks();
    } finally {
      await session.close();
    }
    assert.equal(written.length, 1, 'a write returns a bookmark');
    // The client's manager learnt the write's bookmark: the session was opened with it.
    assert.deepEqual([...(await c.bookmarkManager.getBookmarks())], written);
    // The exactly-once commit (a job's write-back) runs in such a session too.
    const committed = await commitJobResult(c, { jobId: `bookmark-${id}`, kind: 'probe' }, (tx) =>
      tx.run('MATCH (p:BookmarkProbe {id: $id}) SET p.seen = true', { id }),
    );
    assert.equal(committed.committed, true);
    const afterCommit = [...(await c.bookmarkManager.getBookmarks())];
    assert.equal(afterCommit.length, 1);
    assert.notDeepEqual(afterCommit, written, 'the write-back advanced the client bookmark');
    // A read session right after sees the write-back: it carries the bookmark.
    const rows = await runReadQuery(c, 'MATCH (p:BookmarkProbe {id: $id}) RETURN p.seen AS seen', { id });
    assert.deepEqual(rows, [{ seen: true }]);
    const viaQuery = await c.driver.executeQuery(
      'MATCH (p:BookmarkProbe {id: $id}) RETURN p.seen AS seen',
      { id },
      { database: c.database, routing: 'READ' },
    );
    assert.equal(viaQuery.records[0].get('seen'), true);
  });

  it('sends the client bookmarks with every read and write, and takes bookmarks handed over by another client', async () => {
    const { config } = testServices();
    const other = createGraphClient({
      uri: routingUri(config.neo4jUri),
      user: config.neo4jUser,
      password: config.neo4jPassword,
      database: config.neo4jDatabase,
    });
    const closed = trackResource('second routing driver', () => other.driver.close());
    try {
      const id = randomUUID();
      await withSession(other, (s) =>
        s.executeWrite((tx) => tx.run('CREATE (:BookmarkProbe {id: $id})', { id })),
      );
      // Handed over (as a worker could hand its write-back's bookmarks to the process that waits).
      const handed = [...(await other.bookmarkManager.getBookmarks())];
      const before = [...(await client().bookmarkManager.getBookmarks())];
      for (const ignored of [null, undefined, 'x', { graphBookmarks: 'x' }, { graphBookmarks: [1, ''] }])
        await adoptBookmarks(client(), ignored);
      assert.deepEqual([...(await client().bookmarkManager.getBookmarks())], before, 'nothing adopted');
      await adoptBookmarks(client(), { influencedBy: 3, graphBookmarks: handed });
      const now = [...(await client().bookmarkManager.getBookmarks())];
      assert.ok(
        handed.every((b) => now.includes(b)),
        'the handed-over bookmarks are the client bookmarks now',
      );
      const rows = await runReadQuery(client(), 'MATCH (p:BookmarkProbe {id: $id}) RETURN count(p) AS n', {
        id,
      });
      assert.deepEqual(rows, [{ n: 1 }]);
      // A bookmark Neo4j cannot parse fails every transaction that carries it: proof that reads
      // (runReadQuery), managed writes and the job commit all send the manager's bookmarks.
      await adoptBookmarks(other, { graphBookmarks: ['FB:not-a-bookmark'] });
      const invalid = (err: unknown) =>
        (err as { code?: string }).code === 'Neo.ClientError.Transaction.InvalidBookmark';
      const invalidCause = (err: unknown) => invalid(err) || invalid((err as { cause?: unknown }).cause);
      await assert.rejects(runReadQuery(other, 'RETURN 1 AS one'), invalidCause);
      await assert.rejects(
        withSession(other, (s) => s.executeWrite((tx) => tx.run('RETURN 1'))),
        invalidCause,
      );
      await assert.rejects(
        commitJobResult(other, { jobId: `bookmark-bad-${id}`, kind: 'probe' }, async () => 0),
        invalidCause,
      );
      await other.bookmarkManager.updateBookmarks(['FB:not-a-bookmark'], []);
      assert.deepEqual(await runReadQuery(other, 'RETURN 1 AS one'), [{ one: 1 }]);
    } finally {
      await other.driver.close();
      closed();
    }
  });

  it('retries a write-back that deadlocks with another one (Neo.TransientError) and lands both exactly once', async () => {
    const c = client();
    const [a, b] = [randomUUID(), randomUUID()];
    await withSession(c, (s) =>
      s.executeWrite((tx) =>
        tx.run('UNWIND $ids AS id CREATE (:DeadlockProbe {id: id, n: 0})', { ids: [a, b] }),
      ),
    );
    const errors: string[] = [];
    const attempts = { first: 0, second: 0 };
    const holds = { first: signal(), second: signal() };
    const bump = (tx: ManagedTransaction, id: string) =>
      tx.run('MATCH (p:DeadlockProbe {id: $id}) SET p.n = p.n + 1', { id }).catch((err: unknown) => {
        errors.push(String((err as { code?: string }).code));
        throw err;
      });
    // Each write locks its own node, waits until the other holds its node, then takes the other's:
    // a lock cycle that Neo4j breaks by failing one with DeadlockDetected (a transient error).
    const write =
      (name: 'first' | 'second', own: string, theirs: string) => async (tx: ManagedTransaction) => {
        attempts[name]++;
        await bump(tx, own);
        holds[name].resolve();
        await holds[name === 'first' ? 'second' : 'first'].promise;
        await bump(tx, theirs);
        return attempts[name];
      };
    const jobs = [`deadlock-${a}`, `deadlock-${b}`];
    const [one, two] = await Promise.all([
      commitJobResult(c, { jobId: jobs[0], kind: 'probe' }, write('first', a, b)),
      commitJobResult(c, { jobId: jobs[1], kind: 'probe' }, write('second', b, a)),
    ]);
    assert.ok(
      errors.some((code) => code === 'Neo.TransientError.Transaction.DeadlockDetected'),
      `a deadlock happened: ${errors.join(', ')}`,
    );
    assert.equal(one.committed && two.committed, true);
    assert.ok(attempts.first + attempts.second >= 3, `one write ran again: ${JSON.stringify(attempts)}`);
    const rows = await runReadQuery(
      c,
      'MATCH (p:DeadlockProbe) WHERE p.id IN $ids RETURN p.n AS n ORDER BY p.id',
      { ids: [a, b] },
    );
    assert.deepEqual(rows, [{ n: 2 }, { n: 2 }], 'each write-back landed once');
    const runs = await runReadQuery(
      c,
      'MATCH (j:JobRun) WHERE j.jobId IN $jobs RETURN j.status AS status, j.deliveries AS deliveries ORDER BY j.jobId',
      { jobs },
    );
    assert.deepEqual(
      runs.map((r) => r.status),
      ['committed', 'committed'],
    );
  });
});
