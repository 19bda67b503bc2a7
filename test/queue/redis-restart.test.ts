import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { jobIdFor } from '../../src/queue/job-id.js';
import { redisAnswers } from '../../src/services/redis-server.js';
import { freePort } from '../../src/util/net.js';
import { useCleanGraph } from '../support/graph.js';
import { fixtureCounts } from './graph-counts.js';
import { edgeWriterFile, openRig } from './queue-harness.js';

/** A redis-server with an append-only file (fsync always) in `dir`, so a restart keeps every job. */
async function startDurableRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      dir,
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(`redis://127.0.0.1:${port}`, 300))) {
    if (Date.now() > deadline) throw new Error('redis-server did not start');
    await sleep(50);
  }
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

describe('queue: Redis stopped and restarted', function () {
  this.timeout(90_000);
  const graph = useCleanGraph();

  it('loses no job and writes each result exactly once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-redis-'));
    const port = await freePort();
    let redis = await startDurableRedis(port, dir);
    const connection = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null });
    connection.on('error', () => {});
    const rig = openRig(
      'attribution',
      { attempts: 10, backoff: { type: 'exponential', delay: 200 } },
      connection,
    );
    try {
      const jobs: { jobId: string; tag: string }[] = [];
      for (let i = 0; i < 8; i++) {
        const data = { tag: randomUUID(), edges: 3, workMs: 250 };
        const jobId = jobIdFor('fixture', data);
        await rig.queue.add('fixture', data, { jobId });
        jobs.push({ jobId, tag: data.tag });
      }
      const worker = rig.startWorker({
        processorFile: edgeWriterFile,
        lockDuration: 3000,
        stalledInterval: 1500,
      });
      let completed = 0;
      worker.on('completed', () => {
        completed++;
      });
      while (completed < 2) await sleep(50);
      await kill(redis); // crash: no shutdown save; the AOF has every acknowledged write
      await sleep(1500);
      redis = await startDurableRedis(port, dir);
      const deadline = Date.now() + 60_000;
      for (;;) {
        const counts = await rig.queue.getJobCounts('completed', 'failed', 'waiting', 'active', 'delayed');
        if (counts.completed === jobs.length) break;
        assert.equal(counts.failed, 0, 'no job failed for good');
        if (Date.now() > deadline)
          throw new Error(`not all jobs completed after the restart: ${JSON.stringify(counts)}`);
        await sleep(200);
      }
      for (const { jobId, tag } of jobs) {
        assert.deepEqual(
          (({ jobRuns, edges, status }) => ({ jobRuns, edges, status }))(
            await fixtureCounts(graph(), jobId, tag),
          ),
          { jobRuns: 1, edges: 3, status: 'committed' },
        );
      }
    } finally {
      for (const worker of rig.workers) await worker.close(true);
      await rig.queue.close();
      connection.disconnect();
      await kill(redis);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
