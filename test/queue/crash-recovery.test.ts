import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { useCleanGraph } from '../support/graph.js';
import { describeOnRedisTargets } from '../support/redis-targets.js';
import { fixtureCounts } from './graph-counts.js';
import { edgeWriterFile, openRigOn, type QueueRig, settled } from './queue-harness.js';

describeOnRedisTargets('queue: crashed sandboxed children', function (target) {
  this.timeout(60_000);
  const graph = useCleanGraph();
  let rig: QueueRig;
  beforeEach(() => {
    rig = openRigOn(target(), 'attribution');
  });
  afterEach(async () => {
    await rig.cleanup();
  });

  it('retries a child SIGKILLed inside its write transaction and writes the result exactly once', async () => {
    const tag = randomUUID();
    const worker = rig.startWorker({ processorFile: edgeWriterFile });
    let killed = 0;
    worker.on('progress', (_job, progress) => {
      const pid = (progress as { pid?: number }).pid;
      if (pid && killed === 0) {
        killed = pid;
        process.kill(pid, 'SIGKILL');
      }
    });
    const jobId = await rig.addFixture({ tag, edges: 6, holdInsideWriteAttempts: 1 });
    const summary = await settled(rig.queue, jobId);
    const job = await rig.queue.getJob(jobId);
    assert.match(job?.stacktrace?.[0] ?? '', /SIGKILL/);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.ok(killed > 0, 'the child reported its pid and was killed');
    assert.equal(summary.attemptsMade, 2, 'one failed attempt, then the successful one');
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 6,
      status: 'committed',
      deliveries: 1,
    });
    assert.deepEqual((summary.returnvalue as { committed: boolean }).committed, true);
  });

  it('retries a child SIGKILLed after its commit; the retry finds the JobRun committed and writes nothing', async () => {
    const tag = randomUUID();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({ tag, edges: 5, killAfterCommitAttempts: 1 });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 2);
    assert.equal(
      (summary.returnvalue as { committed: boolean }).committed,
      false,
      'the retry did not write again',
    );
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 5,
      status: 'committed',
      deliveries: 2,
    });
  });

  it('retries a child that calls process.exit and writes once', async () => {
    const tag = randomUUID();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({ tag, edges: 3, exitAttempts: 2 });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 3);
    assert.match((await rig.queue.getJob(jobId))?.stacktrace?.[0] ?? '', /exit code: 1/);
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 3,
      status: 'committed',
      deliveries: 1,
    });
  });
});
