import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';

interface Trace {
  prediction: { id: string };
  model: { id: string; status: string };
  sample: { id: string; key: string };
}

/**
 * Issue 8 item 11: `trace --key AMT_CREDIT=100120` ignored the column and traced SK_ID_CURR
 * 100120; with two active models holding the key it silently picked one.
 */
describe('graph: trace --key COLUMN=VALUE (issue 8 item 11)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  let dir: string;
  let ingest: string[];
  let firstModel: string;
  let key: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-trace-key-'));
    const ds = await generateCreditRisk({ applicants: 150, seed: 9, outDir: dir });
    const byTable = Object.fromEntries(ds.files.map((f) => [f.table, f.path]));
    ingest = [
      'ingest',
      'credit-risk',
      '--application',
      byTable.application,
      '--bureau',
      byTable.bureau,
      '--previous',
      byTable.previous_application,
      '--train',
      '--json',
    ];
    const r = await runTraceprop(ingest);
    assert.equal(r.code, 0, r.stderr);
    firstModel = String(r.json().modelId);
    key = await withTestSession(graph(), async (session) => {
      const result = await session.run(
        'MATCH (:Model {id: $m})<-[:BY]-(:Prediction)-[:FOR]->(s:Sample) RETURN s.key AS key ORDER BY key LIMIT 1',
        { m: firstModel },
      );
      return result.records[0].get('key') as string;
    });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('traces the prediction of the sample whose key column holds the value', async () => {
    const r = await runTraceprop(['trace', '--key', `SK_ID_CURR=${key}`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const trace = r.json<Trace>();
    assert.equal(trace.sample.key, key);
    assert.equal(trace.model.id, firstModel);
    assert.equal(trace.prediction.id, `${firstModel}:${trace.sample.id}`);
  });

  it('refuses a column that is not a sample key column, listing those that exist (exit 2)', async () => {
    // Before the fix this traced SK_ID_CURR = key.
    const r = await runTraceprop(['trace', '--key', `AMT_CREDIT=${key}`, '--json']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      new RegExp(
        `error \\[trace\\.unknownKeyColumn\\]: --key AMT_CREDIT=${key}: samples are not keyed by AMT_CREDIT; the sample key columns are SK_ID_CURR`,
      ),
    );
    const unknown = await runTraceprop(['trace', '--key', 'SK_ID_CURR=42']);
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.match(
      unknown.stderr,
      /error \[trace\.noPrediction\]: found no prediction for the sample with SK_ID_CURR 42 \(/,
    );
  });

  it('lists the active models holding the key and asks for --model (exit 2); --model picks one', async () => {
    const again = await runTraceprop(ingest);
    assert.equal(again.code, 0, again.stderr);
    const secondModel = String(again.json().modelId);
    const r = await runTraceprop(['trace', '--key', `SK_ID_CURR=${key}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `error \\[trace\\.ambiguousKey\\]: 2 active models hold a prediction for the sample with SK_ID_CURR ${key}: `,
      ),
    );
    assert.match(r.stderr, /name one with --model/);
    for (const m of [firstModel, secondModel])
      assert.ok(r.stderr.includes(`${m} (version 1, active, run `), m);
    const picked = await runTraceprop([
      'trace',
      '--key',
      `SK_ID_CURR=${key}`,
      '--model',
      secondModel,
      '--json',
    ]);
    assert.equal(picked.code, 0, picked.stderr);
    assert.equal(picked.json<Trace>().model.id, secondModel);
    assert.equal(picked.json<Trace>().sample.key, key);
  });

  it('unlearn --key uses the same strict parser (exit 2)', async () => {
    const r = await runTraceprop(['unlearn', '--key', 'SK`ID=1', '--local']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /error \[cli\.badKey\]: --key: expected COLUMN=VALUE .*the column "SK`ID" is not a plain identifier/,
    );
  });
});
