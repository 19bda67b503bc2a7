import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticLineageRun } from '../../bench/support/synthetic-lineage-run.js';
import { hasCode } from '../../src/errors.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { failRun } from '../../src/graph/fail-run.js';
import { type IngestResult, writeLineageRun } from '../../src/graph/lineage-writer.js';
import type { RunSummary } from '../../src/graph/list-runs.js';
import { type CreditRiskDataset, generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop, startTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { runProperties, runScopedNodes } from '../support/graph-facts.js';

/** A writer paused after its `pauseAt`-th batch (lease still renewed) until `release()`. */
interface PausedWriter {
  runId: string;
  paused: Promise<void>;
  release(): void;
  done: Promise<IngestResult>;
}

function pausedWriter(client: GraphClient, runId: string, leaseSeconds: number, pauseAt = 2): PausedWriter {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let paused = () => {};
  const pausedPromise = new Promise<void>((resolve) => (paused = resolve));
  const done = writeLineageRun(client, syntheticLineageRun({ runId, applicants: 60, mode: 'row' }), {
    rowBatchSize: 40,
    sampleBatchSize: 40,
    edgeBatchSize: 40,
    concurrency: 1,
    leaseSeconds,
    afterBatch: async (p) => {
      if (p.batch === pauseAt) {
        paused();
        await gate;
      }
    },
  });
  done.catch(() => paused()); // a writer that fails before pausing must not hang the test
  return { runId, paused: pausedPromise, release, done };
}

/** Source rows still in the graph of the files of a generated data set. */
async function rowsOfFiles(client: GraphClient, files: CreditRiskDataset['files']): Promise<number> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      'UNWIND $ids AS id MATCH (r:SourceRow)-[:IN_FILE]->(:SourceFile {id: id}) RETURN count(r) AS rows',
      { ids: files.map((f) => f.sha256) },
    );
    return result.records[0].get('rows');
  });
}

async function runningProgress(
  client: GraphClient,
  runId: string,
): Promise<{ status?: string; rows: number }> {
  return withTestSession(client, async (session) => {
    const result = await session.run(
      `OPTIONAL MATCH (run:Run {id: $runId})
       RETURN run.status AS status, COUNT { (:SourceFile {firstRun: $runId})<-[:IN_FILE]-(:SourceRow) } AS rows`,
      { runId },
    );
    return { status: result.records[0].get('status') ?? undefined, rows: result.records[0].get('rows') };
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graph: run leases, `traceprop runs`, and recovery of a SIGKILLed ingest', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  let dir: string;
  let big: CreditRiskDataset;
  let small: CreditRiskDataset;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-leases-'));
    big = await generateCreditRisk({ applicants: 2000, seed: 11, outDir: path.join(dir, 'big') });
    small = await generateCreditRisk({ applicants: 80, seed: 12, outDir: path.join(dir, 'small') });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const ingestArgs = (data: CreditRiskDataset, runId: string, extra: string[] = []) => [
    'ingest',
    'credit-risk',
    '--application',
    path.join(data.outDir, 'application.csv'),
    '--bureau',
    path.join(data.outDir, 'bureau.csv'),
    '--previous',
    path.join(data.outDir, 'previous_application.csv'),
    '--run-id',
    runId,
    ...extra,
  ];

  it('an ingest SIGKILLed mid-write is listed with an expired lease and recovered by the next ingest; a live run is not touched', async () => {
    const deadId = `dead-${randomUUID().slice(0, 8)}`;
    // A real ingest process with a 2 s lease and small batches, killed -9 in the middle of its write.
    const ingest = startTraceprop(ingestArgs(big, deadId, ['--batch-size', '50']), {
      env: { TRACEPROP_RUN_LEASE_SECONDS: '2' },
    });
    const { child, stderr } = ingest;
    const deadline = Date.now() + 60_000;
    let seen: { status?: string; rows: number } = { rows: 0 };
    while (!(seen.status === 'running' && seen.rows >= 500)) {
      assert.ok(child.exitCode === null, `the ingest ended before it could be killed: ${stderr()}`);
      assert.ok(Date.now() < deadline, `the ingest never got going: ${JSON.stringify(seen)} ${stderr()}`);
      await sleep(50);
      seen = await runningProgress(graph(), deadId);
    }
    child.kill('SIGKILL');
    assert.equal((await ingest.exited).signal, 'SIGKILL');
    const left = await runningProgress(graph(), deadId);
    assert.equal(left.status, 'running', 'the dead ingest left its Run running');
    assert.ok(left.rows > 0 && left.rows < big.files.reduce((s, f) => s + f.rows, 0), 'killed mid-write');

    // Another ingest, alive but paused between batches longer than its 2 s lease: its timer renews it.
    const live = pausedWriter(graph(), `live-${randomUUID().slice(0, 8)}`, 2);
    await live.paused;
    await sleep(2_500); // both leases would have run out without renewal

    const listed = await runTraceprop(['runs', 'list', '--status', 'running', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    const running = listed.json<RunSummary[]>();
    const byId = new Map(running.map((r) => [r.id, r]));
    assert.deepEqual([...byId.keys()].sort(), [deadId, live.runId].sort());
    assert.equal(byId.get(deadId)?.leaseExpired, true, JSON.stringify(byId.get(deadId)));
    assert.equal(byId.get(live.runId)?.leaseExpired, false, JSON.stringify(byId.get(live.runId)));
    assert.ok(Date.parse(String(byId.get(live.runId)?.leaseUntil)) > Date.now() - 1_000);

    // `runs fail` refuses the live run without --force (and changes nothing).
    const refused = await runTraceprop(['runs', 'fail', live.runId, '--json']);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /runs\.leaseLive/);
    assert.match(refused.stderr, /--force/);

    // The next ingest (another data set) recovers the dead run first, and leaves the live one alone.
    const next = await runTraceprop(ingestArgs(small, `next-${randomUUID().slice(0, 8)}`, ['--json']));
    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, new RegExp(`recovered run ${deadId}: its lease expired at`));
    assert.match(next.stderr, /recovered 1 run\(s\) left running by a dead ingest/);
    const dead = await runProperties(graph(), deadId);
    assert.equal(dead?.status, 'failed');
    assert.match(String(dead?.error), /lease expired at .*stopped renewing/);
    assert.deepEqual(await runScopedNodes(graph(), deadId), { samples: 0, ops: 0 });
    assert.equal(
      await rowsOfFiles(graph(), big.files),
      0,
      'the source rows only the dead run had read are gone',
    );
    const files = await withTestSession(graph(), (s) =>
      s.run('MATCH (f:SourceFile {firstRun: $deadId}) RETURN count(f) AS n', { deadId }),
    );
    assert.equal(files.records[0].get('n'), 0);

    assert.equal(
      (await runProperties(graph(), live.runId))?.status,
      'running',
      'the live run was not touched',
    );
    live.release();
    const result = await live.done;
    assert.equal(result.status, 'complete');
    assert.equal((await runScopedNodes(graph(), live.runId)).samples, 60);

    // A complete run is never failed; an unknown one is reported.
    await assert.rejects(failRun(graph(), live.runId), (err: unknown) => hasCode(err, 'runs.complete'));
    await assert.rejects(failRun(graph(), 'no-such-run'), (err: unknown) => hasCode(err, 'graph.notFound'));
    assert.equal((await runProperties(graph(), live.runId))?.status, 'complete');
  });

  it('`runs fail --force` fails a run whose lease is live; its writer notices the lost lease, stops and cleans up', async () => {
    const live = pausedWriter(graph(), `forced-${randomUUID().slice(0, 8)}`, 1);
    await live.paused;
    const forced = await runTraceprop(['runs', 'fail', live.runId, '--force', '--json']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(
      { failed: forced.json().failed, status: forced.json().status },
      { failed: true, status: 'running' },
    );
    await sleep(800); // past the next renewal (every third of the 1 s lease)
    live.release();
    await assert.rejects(live.done, (err: unknown) => {
      assert.ok(hasCode(err, 'graph.runLeaseLost'), String(err));
      assert.match(String((err as Error).message), /another process failed it/);
      return true;
    });
    const props = await runProperties(graph(), live.runId);
    assert.equal(props?.status, 'failed');
    assert.match(String(props?.error), /traceprop runs fail` --force/, 'the first error is kept');
    assert.deepEqual(await runScopedNodes(graph(), live.runId), { samples: 0, ops: 0 });
    const listed = await runTraceprop(['runs', 'list', '--status', 'failed']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(
      listed.stdout,
      new RegExp(`^${live.runId} +failed +synthetic-credit-risk .*traceprop runs fail\` --force`, 'm'),
    );
  });
});
