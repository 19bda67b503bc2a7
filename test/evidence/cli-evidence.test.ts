import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { parseEnvelope } from '../../src/evidence/dsse-envelope.js';
import { statementOfPayload } from '../../src/evidence/in-toto-statement.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { cypher } from './support.js';

interface IngestJson {
  runId: string;
  samples: number;
  sourceRows: number;
  statement?: { id: string; logIndex: number };
}

describe('traceprop keys / verify and the signed run statement of an ingest (CLI)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let env: Record<string, string>;
  let ingest: string[];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-evidence-cli-'));
    env = { TRACEPROP_HOME: path.join(dir, 'home') };
    await generateCreditRisk({ applicants: 120, seed: 13, outDir: path.join(dir, 'data') });
    ingest = ingestCreditRiskArgs(creditRiskFiles(path.join(dir, 'data')), '--json');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const entryCount = async () =>
    Number((await cypher(graph(), 'MATCH (e:LogEntry) RETURN count(e) AS n')).records[0].get('n'));

  it('without a key, an ingest signs nothing and fails nothing', async () => {
    const r = (await runTraceprop(ingest, { env })).ok().json<IngestJson>();
    assert.equal(r.statement, undefined);
    assert.equal(await entryCount(), 0);
    const show = (await runTraceprop(['keys', 'show', '--json'], { env })).ok().json<{ key: unknown }>();
    assert.equal(show.key, null);
  });

  it('keys init makes a 0600 key file, publishes the key and logs its signed key statement; a second init is refused', async () => {
    const r = (await runTraceprop(['keys', 'init', '--json'], { env }))
      .ok()
      .json<{ keyId: string; statement: { logIndex: number } }>();
    assert.match(r.keyId, /^[0-9a-f]{64}$/);
    assert.equal(r.statement.logIndex, 0);
    const file = path.join(env.TRACEPROP_HOME, 'signing-key.pem');
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    const again = await runTraceprop(['keys', 'init'], { env });
    assert.equal(again.code, 2);
    assert.equal(again.errorCode(), 'evidence.keyExists');
    const show = (await runTraceprop(['keys', 'show', '--json'], { env }))
      .ok()
      .json<{ key: { keyId: string }; published: { id: string; to: string | null }[] }>();
    assert.equal(show.key.keyId, r.keyId);
    assert.deepEqual(
      show.published.map((k) => [k.id, k.to]),
      [[r.keyId, null]],
    );
    const text = (await runTraceprop(['keys', 'show'], { env })).ok();
    assert.ok(!text.stdout.includes('PRIVATE'), 'keys show prints no private key');
  });

  it('an ingest with a key logs a run statement in its completing transaction; verify statement checks it', async () => {
    const r = (await runTraceprop(ingest, { env })).ok().json<IngestJson>();
    assert.ok(r.statement, 'the ingest reports its statement');
    assert.equal(r.statement.logIndex, 1);
    const v = (await runTraceprop(['verify', 'statement', r.statement.id, '--json'], { env })).ok().json<{
      verified: boolean;
      kind: string;
      statement: {
        subject: { name: string; digest: { sha256: string } }[];
        predicate: Record<string, unknown>;
      };
    }>();
    assert.equal(v.verified, true);
    assert.equal(v.kind, 'run');
    const run = await cypher(
      graph(),
      'MATCH (r:Run {id: $id})-[:USES]->(p:Pipeline) OPTIONAL MATCH (r)-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile) RETURN r.status AS status, r.samples AS samples, r.sourceRows AS rows, r.provenanceEdges AS edges, p.sha256 AS pipeline, collect(DISTINCT f.id) AS files',
      { id: r.runId },
    );
    const g = run.records[0];
    assert.equal(g.get('status'), 'complete');
    const predicate = v.statement.predicate as {
      runId: string;
      mode: string;
      counts: Record<string, number>;
    };
    assert.equal(predicate.runId, r.runId);
    assert.equal(predicate.mode, 'row');
    assert.equal(predicate.counts.samples, Number(g.get('samples')));
    assert.equal(predicate.counts.sourceRows, Number(g.get('rows')));
    assert.equal(predicate.counts.provenanceEdges, Number(g.get('edges')));
    const digests = v.statement.subject.map((s) => s.digest.sha256).sort();
    assert.deepEqual(digests, [...(g.get('files') as string[]), g.get('pipeline') as string].sort());
    const stmt = await cypher(
      graph(),
      'MATCH (s:Statement {ref: $id}) RETURN s.kind AS kind, s.logIndex AS i',
      { id: r.runId },
    );
    assert.deepEqual(
      stmt.records.map((x) => [x.get('kind'), Number(x.get('i'))]),
      [['run', 1]],
    );
  });

  it('keys rotate: the change is signed by both keys, the old key retired; old statements still verify; verify log --from a kept head', async () => {
    const head = path.join(dir, 'head.json');
    (await runTraceprop(['verify', 'log', '--save-head', head], { env })).ok();
    const before = (await runTraceprop(['keys', 'show', '--json', '--local'], { env }))
      .ok()
      .json<{ key: { keyId: string } }>().key.keyId;
    const rotated = (await runTraceprop(['keys', 'rotate', '--json'], { env }))
      .ok()
      .json<{ keyId: string; previousKeyId: string; statement: { logIndex: number; id: string } }>();
    assert.equal(rotated.previousKeyId, before);
    assert.notEqual(rotated.keyId, before);
    const entry = await cypher(graph(), 'MATCH (e:LogEntry {index: $i}) RETURN e.envelope AS e', {
      i: neo4j.int(rotated.statement.logIndex),
    });
    const envelope = parseEnvelope(entry.records[0].get('e'));
    assert.deepEqual(envelope.signatures.map((s) => s.keyid).sort(), [before, rotated.keyId].sort());
    assert.equal(statementOfPayload(envelope.payload).predicate.previousKeyId, before);
    const keys = await cypher(
      graph(),
      'MATCH (k:SigningKey) RETURN k.id AS id, k.to IS NOT NULL AS retired ORDER BY k.from',
    );
    assert.deepEqual(
      keys.records.map((k) => [k.get('id'), k.get('retired')]),
      [
        [before, true],
        [rotated.keyId, false],
      ],
    );
    (await runTraceprop(['verify', 'statement', rotated.statement.id], { env })).ok();
    const r = (await runTraceprop(ingest, { env })).ok().json<IngestJson>();
    const first = await cypher(
      graph(),
      "MATCH (s:Statement {kind: 'run'}) RETURN s.id AS id ORDER BY s.logIndex LIMIT 1",
    );
    (await runTraceprop(['verify', 'statement', first.records[0].get('id')], { env })).ok();
    (await runTraceprop(['verify', 'statement', String(r.statement?.id)], { env })).ok();
    const log = (await runTraceprop(['verify', 'log', '--from', head, '--json'], { env }))
      .ok()
      .json<{ entries: number; consistentWith: { size: number } }>();
    assert.equal(log.entries, 4);
    assert.equal(log.consistentWith.size, 2);
  });

  it("traceprop train logs the model's signed statement in the transaction that writes the model", async () => {
    const run = await cypher(
      graph(),
      "MATCH (r:Run {status: 'complete'}) RETURN r.id AS id ORDER BY r.finishedAt DESC LIMIT 1",
    );
    const model = (await runTraceprop(['train', run.records[0].get('id'), '--json'], { env }))
      .ok()
      .json<{ modelId: string; paramsSha256: string }>();
    const st = await cypher(graph(), 'MATCH (s:Statement {ref: $id}) RETURN s.id AS id, s.kind AS kind', {
      id: model.modelId,
    });
    assert.deepEqual(
      st.records.map((r) => r.get('kind')),
      ['model'],
    );
    const v = (await runTraceprop(['verify', 'statement', st.records[0].get('id'), '--json'], { env }))
      .ok()
      .json<{
        statement: {
          subject: { digest: { sha256: string } }[];
          predicate: { modelId: string; runId: string };
        };
      }>();
    assert.equal(v.statement.subject[0].digest.sha256, model.paramsSha256);
    assert.equal(v.statement.predicate.modelId, model.modelId);
    assert.equal(v.statement.predicate.runId, run.records[0].get('id'));
  });

  it('verify log names a changed log entry and exits 1', async () => {
    const e = await cypher(graph(), 'MATCH (e:LogEntry {index: 1}) RETURN e.envelope AS e');
    const original: string = e.records[0].get('e');
    await cypher(graph(), 'MATCH (e:LogEntry {index: 1}) SET e.envelope = $x', {
      x: original.replace('"sig":"', '"sig":"AB'),
    });
    try {
      const r = await runTraceprop(['verify', 'log'], { env });
      assert.equal(r.code, 1);
      assert.equal(r.errorCode(), 'evidence.leafMismatch');
      assert.match(r.stderr, /log entry 1/);
    } finally {
      await cypher(graph(), 'MATCH (e:LogEntry {index: 1}) SET e.envelope = $x', { x: original });
    }
    (await runTraceprop(['verify', 'log'], { env })).ok();
  });
});
