import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { modelDir } from '../../src/models/model-artifact-store.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import {
  expectMismatchNamed,
  type GraphReport,
  type MismatchExpectation,
  signedTrainedModel,
  verifyGraphCli,
} from './graph-fixture.js';
import { cypher } from './support.js';

describe('traceprop verify graph: the graph and the artifacts still match the log (tamper cases)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let env: Record<string, string>;
  let runId: string;
  let modelId: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-verify-graph-'));
    ({ env, runId, modelId } = await signedTrainedModel(dir, 29));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verifyGraph = () => verifyGraphCli(env);
  const expectNamed = (
    change: () => Promise<unknown>,
    restore: () => Promise<unknown>,
    expected: MismatchExpectation,
    count?: number,
  ) => expectMismatchNamed(env, change, restore, expected, count);

  it('an untouched graph verifies: the run and model statements compared, the artifact hashed', async () => {
    const report = (await verifyGraph()).ok().json<GraphReport>();
    assert.equal(report.verified, true);
    assert.deepEqual(report.compared, { run: 1, model: 1, erasure: 0, attribution: 0 });
    assert.equal(report.artifactsHashed, 1);
    const text = (await runTraceprop(['verify', 'graph'], { env })).ok().stdout;
    assert.match(text, /graph verified/);
  });

  it('a changed Run count is named (Run.samples), with what was logged and what is there', async () => {
    const before = Number(
      (await cypher(graph(), 'MATCH (r:Run {id: $id}) RETURN r.samples AS n', { id: runId })).records[0].get(
        'n',
      ),
    );
    const m = await expectNamed(
      () => cypher(graph(), 'MATCH (r:Run {id: $id}) SET r.samples = r.samples - 1', { id: runId }),
      () => cypher(graph(), 'MATCH (r:Run {id: $id}) SET r.samples = $n', { id: runId, n: before }),
      { kind: 'run', ref: () => runId, fact: /^Run\.samples$/ },
    );
    assert.equal(m.logged, before);
    assert.equal(m.found, before - 1);
  });

  it('a changed Model parameter hash is named (Model.paramsSha256)', async () => {
    const before = String(
      (
        await cypher(graph(), 'MATCH (m:Model {id: $id}) RETURN m.paramsSha256 AS h', { id: modelId })
      ).records[0].get('h'),
    );
    await expectNamed(
      () =>
        cypher(graph(), 'MATCH (m:Model {id: $id}) SET m.paramsSha256 = $h', {
          id: modelId,
          h: 'f'.repeat(64),
        }),
      () => cypher(graph(), 'MATCH (m:Model {id: $id}) SET m.paramsSha256 = $h', { id: modelId, h: before }),
      { kind: 'model', ref: () => modelId, fact: /^Model\.paramsSha256$/ },
    );
  });

  it('one changed byte of a model artifact is named (params.bin sha256)', async () => {
    const file = path.join(modelDir(env.TRACEPROP_HOME, modelId), 'params.bin');
    const original = fs.readFileSync(file);
    await expectNamed(
      async () => {
        const bytes = Buffer.from(original);
        bytes[bytes.length >> 1] ^= 0x10;
        fs.writeFileSync(file, bytes);
      },
      async () => fs.writeFileSync(file, original),
      { kind: 'model', ref: () => modelId, fact: /^params\.bin sha256$/ },
    );
  });

  it('a source file the run read, taken out of the graph, is named', async () => {
    const files = await cypher(
      graph(),
      'MATCH (:Run {id: $id})-[:HAS_OP]->(:Op)-[r:READ]->(f:SourceFile) RETURN DISTINCT f.id AS id, f.rows AS rows',
      { id: runId },
    );
    const fileId = String(files.records[0].get('id'));
    const rows = files.records[0].get('rows');
    await expectNamed(
      () => cypher(graph(), 'MATCH (f:SourceFile {id: $f}) SET f.rows = f.rows + 7', { f: fileId }),
      () => cypher(graph(), 'MATCH (f:SourceFile {id: $f}) SET f.rows = $rows', { f: fileId, rows }),
      { kind: 'run', ref: () => runId, fact: /^SourceFile .*\.rows$/ },
    );
  });

  it('a deleted log entry fails the log check first (evidence.logGap)', async () => {
    const entry = await cypher(graph(), 'MATCH (e:LogEntry {index: 1}) RETURN properties(e) AS p');
    const props = entry.records[0].get('p');
    await cypher(graph(), 'MATCH (e:LogEntry {index: 1}) DETACH DELETE e');
    try {
      const r = await verifyGraph();
      assert.equal(r.code, 1);
      assert.match(String(r.errorCode()), /^evidence\.(logGap|orphanStatement)$/);
    } finally {
      await cypher(
        graph(),
        'CREATE (e:LogEntry) SET e = $p WITH e MATCH (st:Statement {logIndex: e.index}) CREATE (st)-[:LOGGED_AS]->(e)',
        { p: props },
      );
    }
    assert.equal((await verifyGraph()).ok().json<GraphReport>().verified, true);
  });
});
