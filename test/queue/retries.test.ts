import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { freePort } from '../../src/util/net.js';
import { useCleanGraph } from '../support/graph.js';
import { describeOnRedisTargets } from '../support/redis-targets.js';
import { fixtureCounts } from './graph-counts.js';
import { edgeWriterFile, openRigOn, type QueueRig, settled } from './queue-harness.js';

describeOnRedisTargets('queue: retries, backoff and write-back failures', function (target) {
  this.timeout(60_000);
  const graph = useCleanGraph();
  let rig: QueueRig;
  beforeEach(() => {
    rig = openRigOn(target(), 'attribution');
  });
  afterEach(async () => {
    await rig.cleanup();
  });

  it('retries a retriable error with exponential backoff, then succeeds', async () => {
    const tag = randomUUID();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({ tag, edges: 2, failAttempts: 2 });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 3);
    const job = await rig.queue.getJob(jobId);
    assert.equal(job?.stacktrace?.length, 2);
    assert.match(job?.stacktrace?.[0] ?? '', /fixture\.flaky/);
    // backoff 200 ms then 400 ms: the job cannot finish sooner than 600 ms after it was added
    assert.ok((job?.finishedOn ?? 0) - (job?.timestamp ?? 0) >= 600, 'exponential backoff between attempts');
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 2,
      status: 'committed',
      deliveries: 1,
    });
  });

  it('rolls back a write-back that fails half-way (no partial writes), and the retry writes everything once', async () => {
    const tag = randomUUID();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({ tag, edges: 8, failInsideWriteAttempts: 2 });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 3);
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 8,
      status: 'committed',
      deliveries: 1,
    });
  });

  it('fails a write-back to an unreachable Neo4j with a retriable error and lands it once on retry', async () => {
    const tag = randomUUID();
    const closedPort = await freePort();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({
      tag,
      edges: 4,
      brokenGraphAttempts: 1,
      brokenUri: `bolt://127.0.0.1:${closedPort}`,
    });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    assert.equal(summary.attemptsMade, 2);
    const job = await rig.queue.getJob(jobId);
    assert.match(job?.stacktrace?.[0] ?? '', /graph\.unavailable/);
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 1,
      edges: 4,
      status: 'committed',
      deliveries: 1,
    });
  });

  it('fails a permanent error at once (UnrecoverableError) with a clear reason and writes nothing', async () => {
    const tag = randomUUID();
    rig.startWorker({ processorFile: edgeWriterFile });
    const jobId = await rig.addFixture({ tag, edges: 2, permanentCode: 'fixture.refused' });
    const summary = await settled(rig.queue, jobId);
    assert.equal(summary.state, 'failed');
    assert.equal(summary.attemptsMade, 1, 'no retries of a permanent failure');
    assert.equal(summary.failedReason, `[fixture.refused] fixture refuses tag ${tag}`);
    assert.deepEqual(await fixtureCounts(graph(), jobId, tag), {
      jobRuns: 0,
      edges: 0,
      status: null,
      deliveries: null,
    });
  });

  it('fails a payload the processor cannot parse at once, naming the bad field', async () => {
    rig.startWorker({ processorFile: edgeWriterFile });
    const job = await rig.queue.add('fixture', { edges: 'many' }, { jobId: `fixture-bad-${randomUUID()}` });
    const summary = await settled(rig.queue, String(job.id));
    assert.equal(summary.state, 'failed');
    assert.equal(summary.attemptsMade, 1);
    assert.match(summary.failedReason ?? '', /^\[queue\.badPayload\] bad fixture payload: .*tag.*edges/);
  });
});
