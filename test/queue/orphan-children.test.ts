import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCleanGraph } from '../support/graph.js';
import { describeOnRedisTargets } from '../support/redis-targets.js';
import { testEnv } from '../support/services.js';
import { fixtureCounts } from './graph-counts.js';
import { edgeWriterFile, openRigOn, type QueueRig, settled } from './queue-harness.js';

const workerHost = fileURLToPath(new URL('./fixtures/worker-host.js', import.meta.url));

/** State letter and parent pid of a process from /proc, or undefined when it is gone. */
function procStat(pid: number): { state: string; ppid: number } | undefined {
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): state, ppid, …
    const rest = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop() ?? '';
    const [state, ppid] = rest.split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

/** True when the process is gone or a zombie waiting to be reaped (it runs no code any more). */
function dead(pid: number): boolean {
  const stat = procStat(pid);
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describeOnRedisTargets('queue: a SIGKILLed worker takes its sandboxed children with it', function (target) {
  this.timeout(60_000);
  const graph = useCleanGraph();
  let rig: QueueRig;
  let host: ChildProcess | undefined;
  let orphan = 0;
  let dir: string;
  beforeEach(() => {
    rig = openRigOn(target(), 'attribution');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-orphan-'));
  });
  afterEach(async () => {
    if (host && host.exitCode === null && host.signalCode === null) host.kill('SIGKILL');
    // Never leave a runaway child behind, even when the assertion about it failed.
    if (orphan && !dead(orphan)) process.kill(orphan, 'SIGKILL');
    await rig.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('kills the child computing a job within 2 s of the worker dying; the next worker completes the job once', async () => {
    let log = '';
    host = spawn(process.execPath, [workerHost, 'attribution', rig.prefix, edgeWriterFile, '2000', '1000'], {
      env: testEnv({ REDIS_URL: target().url }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    host.stderr?.on('data', (d) => (log += d));
    const ready = new Promise<void>((resolve, reject) => {
      host?.stdout?.on('data', (d) => String(d).includes('ready') && resolve());
      host?.once('exit', (code) => reject(new Error(`worker host exited (${code}): ${log}`)));
    });
    await ready;
    const tag = randomUUID();
    const jobId = await rig.addFixture({ tag, edges: 4, spinMs: 45_000, spinMarker: path.join(dir, 'spun') });

    // The child reports its pid, then computes synchronously (its event loop is blocked).
    orphan = await until('the child to start computing', 20_000, async () => {
      const job = await rig.queue.getJob(jobId);
      return (job?.progress as { pid?: number } | undefined)?.pid;
    });
    const hostPid = host.pid ?? 0;
    assert.equal(procStat(orphan)?.ppid, hostPid, 'the computing process is a child of the worker');
    await new Promise((resolve) => setTimeout(resolve, 300)); // well inside its 45 s of work

    host.kill('SIGKILL');
    const killedAt = Date.now();
    await until('the child to die', 2_000, async () => (dead(orphan) ? true : undefined)).catch((err) => {
      const stat = procStat(orphan);
      throw new Error(`${err.message}: pid ${orphan} still ${stat?.state} with parent ${stat?.ppid}`);
    });
    const diedAfterMs = Date.now() - killedAt;
    assert.ok(diedAfterMs < 2_000, `died after ${diedAfterMs} ms`);

    // A new worker finds the job stalled (its lock expired with the dead worker) and runs it.
    rig.startWorker({ processorFile: edgeWriterFile, lockDuration: 2000, stalledInterval: 1000 });
    const summary = await settled(rig.queue, jobId, 40_000);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal((summary.returnvalue as { committed: boolean }).committed, true);
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 4,
      status: 'committed',
      deliveries: 1,
    });
  });
});
