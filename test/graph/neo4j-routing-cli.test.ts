import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { ingestCreditRiskArgs, runTraceprop, startTraceprop, type TracepropProcess } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { newRedisConnection, obliterateQueueKeys, uniqueQueueName } from '../support/queue.js';
import { routingUri, testServices } from '../support/services.js';

interface Trace {
  sample: { key: string };
  influences: Array<{ rank: number; sourceRows: unknown[] }>;
  shares: Array<{ file: string }>;
}

/**
 * Issue 15 item 4: the whole path a cluster or Aura sees, through the routing scheme — an
 * ingest (lineage writes and the training write-back), an attribution job's write-back on a
 * worker, then a trace reading it — with every process given `NEO4J_URI=neo4j://…`.
 */
describe('graph: ingest, a job write-back and trace through neo4j:// (routing driver)', function () {
  this.timeout(300_000);
  const graph = useCleanGraph();
  const prefix = `${uniqueQueueName()}-`;
  let dir: string;
  let env: Record<string, string>;
  let worker: TracepropProcess | undefined;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-routing-'));
    env = { NEO4J_URI: routingUri(testServices().neo4jUri) };
    assert.match(env.NEO4J_URI, /^neo4j(\+s|\+ssc)?:\/\//);
  });
  after(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    const connection = newRedisConnection();
    await obliterateQueueKeys(connection, `${prefix}attribution`);
    const ended = new Promise((resolve) => connection.once('end', resolve));
    await connection.quit();
    await ended;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('ingests and trains, attributes on a worker, and traces the write-back at once', async () => {
    await generateCreditRisk({ applicants: 150, seed: 15, outDir: dir });
    const ingested = (
      await runTraceprop(ingestCreditRiskArgs(creditRiskFiles(dir), '--train', '--json'), { env })
    )
      .ok()
      .json<{ modelId: string; runId: string }>();

    const status = (await runTraceprop(['db', 'status', '--json'], { env })).ok().json<{ uri: string }>();
    assert.equal(status.uri, env.NEO4J_URI, 'the CLI talks to the routing URI');

    worker = startTraceprop(['worker', '--queues', 'attribution', '--queue-prefix', prefix], { env });
    const attributed = await runTraceprop(
      ['attribute', '--model', ingested.modelId, '--top', '3', '--wait', '--json', '--queue-prefix', prefix],
      { env },
    );
    assert.equal(attributed.code, 0, attributed.stderr + worker.log());
    const doc = attributed.json<{
      job: { state: string; returnvalue: { influencedBy: number; graphBookmarks: string[] } };
    }>();
    assert.equal(doc.job.state, 'completed');
    assert.ok(doc.job.returnvalue.influencedBy > 0);
    // The worker hands its write-back's bookmarks to whoever waits (adoptBookmarks).
    const handed = doc.job.returnvalue.graphBookmarks;
    assert.ok(Array.isArray(handed) && handed.length > 0 && handed.every((b) => typeof b === 'string'));

    const key = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        "MATCH (:Model {id: $m})<-[:BY]-(:Prediction)-[:FOR]->(s:Sample {split: 'test'}) RETURN s.key AS key ORDER BY key LIMIT 1",
        { m: ingested.modelId },
      );
      return String(r.records[0].get('key'));
    });
    const traced = (
      await runTraceprop(['trace', '--key', `SK_ID_CURR=${key}`, '--top', '3', '--json'], { env })
    )
      .ok()
      .json<Trace>();
    assert.equal(traced.sample.key, key);
    assert.deepEqual(
      traced.influences.map((i) => i.rank),
      [1, 2, 3],
      'the trace reads the influences the worker wrote back',
    );
    assert.ok(traced.influences.every((i) => i.sourceRows.length > 0));
    assert.ok(
      traced.shares.some((s) => s.file === 'application.csv'),
      JSON.stringify(traced.shares),
    );

    worker.child.kill('SIGTERM');
    assert.equal((await worker.exited).code, 0, worker.log());
  });
});
