import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { syntheticLineageRun } from '../../bench/support/synthetic-lineage-run.js';
import { envelopeSignedBy, parseEnvelope, signEnvelope } from '../../src/evidence/dsse-envelope.js';
import { buildStatement, statementOfPayload } from '../../src/evidence/in-toto-statement.js';
import { generateSigningKey } from '../../src/evidence/key-file.js';
import { leafHash } from '../../src/evidence/merkle-hash.js';
import { merkleRoot } from '../../src/evidence/merkle-root.js';
import { recordStatement } from '../../src/evidence/record-statement.js';
import { type StatementTiming, statementTimingChannel } from '../../src/evidence/statement-timing.js';
import { signTreeHead } from '../../src/evidence/tree-head.js';
import { loadTreeHead, saveTreeHead } from '../../src/evidence/tree-head-file.js';
import { verifyLog } from '../../src/evidence/verify-log.js';
import { verifyStatement } from '../../src/evidence/verify-statement.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { appendRunStatements, codeOf, cypher, testStatement } from './support.js';

describe('transparency log in Neo4j (appendStatement, verify log, verify statement)', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  const key = generateSigningKey();
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-evidence-log-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function entries(): Promise<{ index: number; envelope: string; leafHash: string }[]> {
    const r = await cypher(
      graph(),
      'MATCH (e:LogEntry) RETURN e.index AS index, e.envelope AS envelope, e.leafHash AS leafHash ORDER BY e.index',
    );
    return r.records.map((x) => ({
      index: Number(x.get('index')),
      envelope: x.get('envelope'),
      leafHash: x.get('leafHash'),
    }));
  }

  /** Every index holds one entry, every size one tree head, and each head's root is that of the entries before it. */
  async function assertNoFork(): Promise<void> {
    const logged = await entries();
    assert.deepEqual(
      logged.map((e) => e.index),
      logged.map((_, i) => i),
    );
    const heads = await cypher(
      graph(),
      'MATCH (h:TreeHead) RETURN h.size AS size, h.rootHash AS root ORDER BY size',
    );
    const sizes = heads.records.map((r) => Number(r.get('size')));
    assert.equal(new Set(sizes).size, sizes.length, 'two tree heads of the same size');
    for (const r of heads.records) {
      const size = Number(r.get('size'));
      const leaves = logged.slice(0, size).map((e) => leafHash(e.envelope));
      assert.equal(r.get('root'), merkleRoot(leaves).toString('hex'), `root of the head of size ${size}`);
    }
  }

  it('says the empty log has nothing to verify (evidence.emptyLog)', async () => {
    assert.equal(await codeOf(verifyLog(graph())), 'evidence.emptyLog');
  });

  it("lands an ingest's statement with its completion or not at all (writeLineageRun onComplete)", async () => {
    const ok = await writeLineageRun(
      graph(),
      syntheticLineageRun({ runId: 'ev-ok', applicants: 30, mode: 'row' }),
      {
        onComplete: async (tx, completion) => {
          assert.equal(completion.counts.samples > 0, true);
          await recordStatement(tx, key, testStatement('ev-ok'));
        },
      },
    );
    assert.equal(ok.status, 'complete');
    await assert.rejects(
      writeLineageRun(graph(), syntheticLineageRun({ runId: 'ev-bad', applicants: 30, mode: 'row' }), {
        onComplete: async (tx) => {
          await recordStatement(tx, key, testStatement('ev-bad'));
          throw new Error('the statement could not be written');
        },
      }),
      /the statement could not be written/,
    );
    const runs = await cypher(
      graph(),
      "MATCH (r:Run) WHERE r.id IN ['ev-ok', 'ev-bad'] RETURN r.id AS id, r.status AS status ORDER BY id",
    );
    assert.deepEqual(
      runs.records.map((r) => [r.get('id'), r.get('status')]),
      [
        ['ev-bad', 'failed'],
        ['ev-ok', 'complete'],
      ],
    );
    const refs = await cypher(graph(), 'MATCH (s:Statement) RETURN s.ref AS ref, s.logIndex AS i');
    assert.deepEqual(
      refs.records.map((r) => [r.get('ref'), Number(r.get('i'))]),
      [['ev-ok', 0]],
    );
    // Leave the log empty for the tests below.
    await cypher(
      graph(),
      'MATCH (n) WHERE n:LogEntry OR n:Statement OR n:TreeHead OR n:LogState DETACH DELETE n',
    );
  });

  it('appends signed statements at consecutive indexes, each with a signed tree head of the root of all entries so far', async () => {
    const appended = await appendRunStatements(graph(), key, 7);
    assert.deepEqual(
      appended.map((a) => a.logIndex),
      [0, 1, 2, 3, 4, 5, 6],
    );
    const logged = await entries();
    assert.equal(logged.length, 7);
    for (const [i, a] of appended.entries()) {
      const leaves = logged.slice(0, i + 1).map((e) => leafHash(e.envelope));
      assert.equal(a.head.size, i + 1);
      assert.equal(a.head.rootHash, merkleRoot(leaves).toString('hex'), `root after entry ${i}`);
      assert.equal(a.id, createHash('sha256').update(logged[i].envelope).digest('hex'));
    }
    const envelope = parseEnvelope(logged[3].envelope);
    assert.equal(envelope.payloadType, 'application/vnd.in-toto+json');
    assert.ok(envelopeSignedBy(envelope, key.keyId, key.publicKey));
    const statement = statementOfPayload(envelope.payload);
    assert.equal(statement._type, 'https://in-toto.io/Statement/v1');
    assert.equal(statement.predicateType, 'https://traceprop.dev/run/v1');
    assert.equal(statement.predicate.runId, 'r3');
    assert.equal(statement.predicate.codeVersion, '0.1.0');
    const published = await cypher(graph(), 'MATCH (k:SigningKey) RETURN k.id AS id, k.publicKey AS pem');
    assert.deepEqual(
      published.records.map((r) => [r.get('id'), r.get('pem')]),
      [[key.keyId, key.publicKeyPem]],
    );
    const check = await verifyLog(graph());
    assert.equal(check.entries, 7);
    assert.equal(check.head.size, 7);
  });

  it('serialises concurrent appends: 24 writers in parallel get 24 distinct consecutive indexes', async () => {
    const before = (await entries()).length;
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        withTestSession(graph(), (session) =>
          session.executeWrite((tx) => recordStatement(tx, key, testStatement(`c${i}`))),
        ),
      ),
    );
    const indexes = results.map((r) => r.logIndex).sort((a, b) => a - b);
    assert.deepEqual(
      indexes,
      Array.from({ length: 24 }, (_, i) => before + i),
    );
    assert.equal((await verifyLog(graph())).entries, before + 24);
  });

  it('never forks the log: one entry per index, one tree head per size, each head the root of the entries before it', async () => {
    // Two more concurrent rounds, so that writers race on a guess their neighbours made stale.
    for (let round = 0; round < 2; round++)
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          withTestSession(graph(), (session) =>
            session.executeWrite((tx) => recordStatement(tx, key, testStatement(`f${round}-${i}`))),
          ),
        ),
      );
    await assertNoFork();
  });

  it('appends at the true next index when another writer moved the log behind this process (its guess is stale)', async () => {
    // A second instance of the module is a second writer with its own guess of the log's state
    // (empty), as another process would be.
    const url = new URL('../../src/evidence/append-statement.js', import.meta.url).href;
    const other: typeof import('../../src/evidence/append-statement.js') = await import(
      `${url}?writer=other`
    );
    const before = (await entries()).length;
    const signed = (ref: string) => {
      const event = testStatement(ref);
      const statement = buildStatement(event.kind, event.subject, event.predicate);
      return signEnvelope(Buffer.from(JSON.stringify(statement), 'utf8'), [key]);
    };
    const byOther = await withTestSession(graph(), (session) =>
      session.executeWrite((tx) => other.appendStatement(tx, signed('other-1'), { key, ref: 'other-1' })),
    );
    assert.equal(
      byOther.logIndex,
      before,
      'the other writer guessed an empty log and still appends at the end',
    );
    const byThis = await withTestSession(graph(), (session) =>
      session.executeWrite((tx) => recordStatement(tx, key, testStatement('this-1'))),
    );
    assert.equal(byThis.logIndex, before + 1, "this process's guess was one entry behind");
    const again = await withTestSession(graph(), (session) =>
      session.executeWrite((tx) => other.appendStatement(tx, signed('other-2'), { key, ref: 'other-2' })),
    );
    assert.equal(again.logIndex, before + 2);
    assert.equal((await verifyLog(graph())).entries, before + 3);
    await assertNoFork();
  });

  it('appends in one statement when the log is where this process left it, in two when another writer moved it', async () => {
    /** Runs `recordStatement` in a write transaction and counts the statements it sends. */
    const statementsOf = (ref: string) =>
      withTestSession(graph(), (session) =>
        session.executeWrite(async (tx) => {
          let sent = 0;
          const counting = new Proxy(tx, {
            get(target, prop, receiver) {
              if (prop !== 'run') return Reflect.get(target, prop, receiver);
              return (...args: Parameters<typeof tx.run>) => {
                sent++;
                return target.run(...args);
              };
            },
          });
          await recordStatement(counting, key, testStatement(ref));
          return sent;
        }),
      );
    await statementsOf('warm');
    assert.equal(await statementsOf('one-trip'), 1, 'one round trip from the state this process left');
    const url = new URL('../../src/evidence/append-statement.js', import.meta.url).href;
    const other: typeof import('../../src/evidence/append-statement.js') = await import(
      `${url}?writer=third`
    );
    const event = testStatement('third-writer');
    const envelope = signEnvelope(
      Buffer.from(JSON.stringify(buildStatement(event.kind, event.subject, event.predicate)), 'utf8'),
      [key],
    );
    await withTestSession(graph(), (session) =>
      session.executeWrite((tx) => other.appendStatement(tx, envelope, { key, ref: event.ref })),
    );
    assert.equal(await statementsOf('after-other'), 2, 'a stale guess costs one more round trip');
    await assertNoFork();
  });

  it('publishes what a recorded statement cost inside its transaction, to subscribers only (statementTimingChannel)', async () => {
    const seen: StatementTiming[] = [];
    const listener = (m: unknown) => seen.push(m as StatementTiming);
    const record = (ref: string) =>
      withTestSession(graph(), (session) =>
        session.executeWrite(async (tx) => {
          let made = 0;
          const appended = await recordStatement(tx, key, () => {
            made++;
            return testStatement(ref);
          });
          assert.equal(made, 1, 'the event function runs once');
          return appended;
        }),
      );
    statementTimingChannel.subscribe(listener);
    let appended: Awaited<ReturnType<typeof record>>;
    try {
      appended = await record('timed');
    } finally {
      statementTimingChannel.unsubscribe(listener);
    }
    assert.equal(seen.length, 1);
    const [timing] = seen;
    assert.equal(timing.kind, 'run');
    assert.equal(timing.logIndex, appended.logIndex);
    assert.ok(timing.appendMs > 0 && timing.buildAndSignMs > 0, JSON.stringify(timing));
    assert.ok(Math.abs(timing.totalMs - timing.buildAndSignMs - timing.appendMs) < 1e-6);
    await record('untimed');
    assert.equal(seen.length, 1, 'nothing is published without a subscriber');
    const logged = await cypher(
      graph(),
      "MATCH (s:Statement) WHERE s.ref IN ['timed', 'untimed'] RETURN count(s) AS n",
    );
    assert.equal(Number(logged.records[0].get('n')), 2);
    await verifyLog(graph());
  });

  it('writes nothing when the surrounding transaction rolls back', async () => {
    const before = (await entries()).length;
    await assert.rejects(
      withTestSession(graph(), (session) =>
        session.executeWrite(async (tx) => {
          await recordStatement(tx, key, testStatement('rolled-back'));
          throw new Error('the event write failed');
        }),
      ),
      /the event write failed/,
    );
    assert.equal((await entries()).length, before);
    const orphan = await cypher(graph(), "MATCH (s:Statement {ref: 'rolled-back'}) RETURN count(s) AS n");
    assert.equal(Number(orphan.records[0].get('n')), 0);
    await verifyLog(graph());
  });

  it('verifies a statement by id and as an envelope file, with an inclusion proof against the newest tree head', async () => {
    const logged = await entries();
    const id = createHash('sha256').update(logged[2].envelope).digest('hex');
    const byId = await verifyStatement(graph(), id);
    assert.equal(byId.logIndex, 2);
    assert.equal(byId.kind, 'run');
    assert.deepEqual(byId.keyIds, [key.keyId]);
    assert.equal(byId.head.size, logged.length);
    assert.ok(
      byId.inclusionProof.length > 0 && byId.inclusionProof.length <= Math.ceil(Math.log2(logged.length)),
    );
    const file = path.join(dir, 'statement.json');
    fs.writeFileSync(file, JSON.stringify(parseEnvelope(logged[5].envelope), null, 2));
    assert.equal((await verifyStatement(graph(), file)).logIndex, 5);
    assert.equal(await codeOf(verifyStatement(graph(), 'f'.repeat(64))), 'evidence.unknownStatement');
  });

  it('proves the log only grew since a kept tree head (consistency proof)', async () => {
    const kept = path.join(dir, 'head-early.json');
    const early = await verifyLog(graph());
    saveTreeHead(kept, early.head, key.publicKeyPem);
    await appendRunStatements(graph(), key, 5, 'later');
    const later = await verifyLog(graph(), { from: loadTreeHead(kept) });
    assert.equal(later.head.size, early.head.size + 5);
    assert.equal(later.consistentWith?.size, early.head.size);
    assert.ok((later.consistentWith?.proofHashes ?? 0) > 0);
    const changedFile = path.join(dir, 'head-changed.json');
    fs.writeFileSync(changedFile, JSON.stringify({ ...loadTreeHead(kept), rootHash: 'cd'.repeat(32) }));
    assert.equal(
      await codeOf(verifyLog(graph(), { from: loadTreeHead(changedFile) })),
      'evidence.badTreeHead',
    );
  });

  describe('tamper cases, each detected and named', () => {
    /** Runs `tamper`, expects `check` to fail with `code`, then runs `restore`. */
    async function detected(
      code: string,
      check: () => Promise<unknown>,
      tamper: string,
      restore: string,
      params: Record<string, unknown>,
    ) {
      await cypher(graph(), tamper, params);
      try {
        assert.equal(await codeOf(check()), code);
      } finally {
        await cypher(graph(), restore, params);
      }
      await verifyLog(graph());
    }

    it('a changed log entry envelope: evidence.leafMismatch (verify log and verify statement)', async () => {
      const e = (await entries())[4];
      const changed = e.envelope.replace('"payload":"', '"payload":"eyJ');
      const params = { index: neo4j.int(4), changed, original: e.envelope };
      const id = createHash('sha256').update(e.envelope).digest('hex');
      const tamper = 'MATCH (e:LogEntry {index: $index}) SET e.envelope = $changed';
      const restore = 'MATCH (e:LogEntry {index: $index}) SET e.envelope = $original';
      await detected('evidence.leafMismatch', () => verifyLog(graph()), tamper, restore, params);
      await detected('evidence.leafMismatch', () => verifyStatement(graph(), id), tamper, restore, params);
    });

    it('a changed envelope with its leaf hash recomputed: evidence.rootMismatch; its statement: evidence.badSignature', async () => {
      const e = (await entries())[3];
      const envelope = parseEnvelope(e.envelope);
      const statement = statementOfPayload(envelope.payload);
      statement.predicate.counts = { samples: 999_999 };
      const forged = JSON.stringify({
        ...envelope,
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      });
      const params = {
        index: neo4j.int(3),
        forged,
        forgedLeaf: leafHash(forged).toString('hex'),
        original: e.envelope,
        originalLeaf: e.leafHash,
      };
      const tamper = 'MATCH (e:LogEntry {index: $index}) SET e.envelope = $forged, e.leafHash = $forgedLeaf';
      const restore =
        'MATCH (e:LogEntry {index: $index}) SET e.envelope = $original, e.leafHash = $originalLeaf';
      await detected('evidence.rootMismatch', () => verifyLog(graph()), tamper, restore, params);
      const file = path.join(dir, 'forged.json');
      fs.writeFileSync(file, forged);
      await detected('evidence.badSignature', () => verifyStatement(graph(), file), tamper, restore, params);
    });

    it('a deleted log entry: evidence.logGap; its statement left behind: verify statement says evidence.unknownStatement', async () => {
      const e = (await entries())[6];
      const id = createHash('sha256').update(e.envelope).digest('hex');
      const params = {
        index: neo4j.int(6),
        envelope: e.envelope,
        leaf: e.leafHash,
        at: new Date().toISOString(),
      };
      const tamper = 'MATCH (e:LogEntry {index: $index}) DETACH DELETE e';
      const restore =
        'CREATE (e:LogEntry {index: $index, envelope: $envelope, leafHash: $leaf, at: $at}) WITH e MATCH (s:Statement {logIndex: $index}) CREATE (s)-[:LOGGED_AS]->(e)';
      await detected('evidence.logGap', () => verifyLog(graph()), tamper, restore, params);
      await detected(
        'evidence.unknownStatement',
        () => verifyStatement(graph(), id),
        tamper,
        restore,
        params,
      );
    });

    it('the last entry deleted with its tree head: evidence.orphanStatement (its Statement stays), and evidence.logShrunk against a kept head', async () => {
      const check = await verifyLog(graph());
      const kept = path.join(dir, 'head.json');
      saveTreeHead(kept, check.head, key.publicKeyPem);
      const last = check.head.size - 1;
      const e = (await entries())[last];
      const head = await cypher(graph(), 'MATCH (h:TreeHead {size: $size}) RETURN properties(h) AS h', {
        size: neo4j.int(check.head.size),
      });
      const params = {
        index: neo4j.int(last),
        envelope: e.envelope,
        leaf: e.leafHash,
        at: new Date().toISOString(),
        head: head.records[0].get('h'),
      };
      const tamper =
        'MATCH (e:LogEntry {index: $index}) DETACH DELETE e WITH 1 AS done MATCH (h:TreeHead {size: $index + 1}) DELETE h';
      const restore =
        'CREATE (e:LogEntry {index: $index, envelope: $envelope, leafHash: $leaf, at: $at}) CREATE (h:TreeHead) SET h = $head WITH e MATCH (s:Statement {logIndex: $index}) CREATE (s)-[:LOGGED_AS]->(e)';
      await detected('evidence.orphanStatement', () => verifyLog(graph()), tamper, restore, params);
      await detected(
        'evidence.logShrunk',
        () => verifyLog(graph(), { from: loadTreeHead(kept) }),
        tamper,
        restore,
        params,
      );
    });

    it('a changed tree head (its root or size): evidence.badTreeHead', async () => {
      const { head } = await verifyLog(graph());
      const params = { size: neo4j.int(head.size), root: head.rootHash, other: 'ab'.repeat(32) };
      await detected(
        'evidence.badTreeHead',
        () => verifyLog(graph()),
        'MATCH (h:TreeHead {size: $size}) SET h.rootHash = $other',
        'MATCH (h:TreeHead {size: $size}) SET h.rootHash = $root',
        params,
      );
      const id = createHash('sha256')
        .update((await entries())[0].envelope)
        .digest('hex');
      await detected(
        'evidence.badTreeHead',
        () => verifyStatement(graph(), id),
        'MATCH (h:TreeHead {size: $size}) SET h.size = $size + 1000',
        'MATCH (h:TreeHead {size: $size + 1000}) SET h.size = $size',
        params,
      );
    });

    it('history rewritten and re-signed with the key: verify log passes alone, evidence.inconsistent against a kept head', async () => {
      const check = await verifyLog(graph());
      const kept = path.join(dir, 'head-before-rewrite.json');
      saveTreeHead(kept, check.head, key.publicKeyPem);
      const logged = await entries();
      const forged = logged[1].envelope.replace('"sig":"', '"sig":"AA');
      const leaves = logged.map((e, i) => leafHash(i === 1 ? forged : e.envelope));
      const reSigned = signTreeHead(key, leaves.length, merkleRoot(leaves), new Date().toISOString());
      const original = await cypher(graph(), 'MATCH (h:TreeHead {size: $size}) RETURN properties(h) AS h', {
        size: neo4j.int(check.head.size),
      });
      const params = {
        index: neo4j.int(1),
        forged,
        forgedLeaf: leaves[1].toString('hex'),
        original: logged[1].envelope,
        originalLeaf: logged[1].leafHash,
        size: neo4j.int(check.head.size),
        head: { ...reSigned, size: neo4j.int(reSigned.size) },
        originalHead: original.records[0].get('h'),
      };
      await cypher(
        graph(),
        'MATCH (e:LogEntry {index: $index}) SET e.envelope = $forged, e.leafHash = $forgedLeaf WITH 1 AS done MATCH (h:TreeHead {size: $size}) SET h = $head',
        params,
      );
      try {
        assert.equal(
          (await verifyLog(graph())).head.rootHash,
          reSigned.rootHash,
          'the rewritten log verifies on its own',
        );
        assert.equal(await codeOf(verifyLog(graph(), { from: loadTreeHead(kept) })), 'evidence.inconsistent');
      } finally {
        await cypher(
          graph(),
          'MATCH (e:LogEntry {index: $index}) SET e.envelope = $original, e.leafHash = $originalLeaf WITH 1 AS done MATCH (h:TreeHead {size: $size}) SET h = $originalHead',
          params,
        );
      }
      const after = await verifyLog(graph(), { from: loadTreeHead(kept) });
      assert.equal(after.consistentWith?.size, check.head.size);
    });
  });
});
