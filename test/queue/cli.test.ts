import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { queueKeyPrefix } from '../../src/queue/queue-key-prefix.js';
import { runTraceprop, startTraceprop, type TracepropProcess } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { newRedisConnection, obliterateQueueKeys, uniqueQueueName } from '../support/queue.js';
import { describeOnRedisTargets } from '../support/redis-targets.js';
import { testServices } from '../support/services.js';
import { type AttributionFixture, buildAttributionFixture } from './attribution-fixture.js';

describeOnRedisTargets('queue: CLI (worker, attribute, jobs, trace)', function (target) {
  this.timeout(90_000);
  const graph = useCleanGraph();
  let fixture: AttributionFixture;
  const prefix = `${uniqueQueueName()}-`;
  let worker: TracepropProcess | undefined;
  /** The CLI's environment on this suite's Redis target. */
  const onTarget = () => ({ REDIS_URL: target().url });
  before(async () => {
    fixture = await buildAttributionFixture(graph(), testServices().home, randomUUID().slice(0, 8), 40);
  });
  after(async () => {
    if (worker && worker.child.exitCode === null) worker.child.kill('SIGKILL');
    const connection = newRedisConnection(target().url);
    for (const kind of ['attribution', 'unlearning', 'train'])
      await obliterateQueueKeys(connection, `${prefix}${kind}`, queueKeyPrefix(connection, prefix));
    const ended = new Promise((resolve) => connection.once('end', resolve));
    await connection.quit();
    await ended;
  });

  it('runs a worker, attributes with --wait, lists, shows and traces, then stops the worker on SIGTERM', async () => {
    worker = startTraceprop(
      [
        'worker',
        '--queues',
        'attribution',
        '--concurrency',
        '2',
        '--queue-prefix',
        prefix,
        '--shutdown-timeout',
        '10',
      ],
      { env: onTarget() },
    );
    const workerLog = worker.log;

    const attributed = await runTraceprop(
      ['attribute', '--model', fixture.modelId, '--top', '4', '--wait', '--json', '--queue-prefix', prefix],
      { env: onTarget() },
    );
    assert.equal(attributed.code, 0, attributed.stderr + workerLog());
    const doc = JSON.parse(attributed.stdout);
    assert.equal(doc.job.state, 'completed');
    assert.equal(doc.job.returnvalue.influencedBy, 4 * fixture.testCount);

    const again = await runTraceprop(
      ['attribute', '--model', fixture.modelId, '--top', '4', '--json', '--queue-prefix', prefix],
      { env: onTarget() },
    );
    assert.equal(JSON.parse(again.stdout).jobId, doc.jobId);
    assert.equal(JSON.parse(again.stdout).created, false);

    const listed = await runTraceprop(['jobs', 'list', '--json', '--queue-prefix', prefix], {
      env: onTarget(),
    });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((j: { id: string }) => j.id),
      [doc.jobId],
    );

    const shown = await runTraceprop(['jobs', 'show', doc.jobId, '--json', '--queue-prefix', prefix], {
      env: onTarget(),
    });
    assert.equal(JSON.parse(shown.stdout).state, 'completed');
    const missing = await runTraceprop(['jobs', 'show', 'attribution-nope', '--queue-prefix', prefix], {
      env: onTarget(),
    });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /queue\.jobNotFound/);

    const watched = await runTraceprop(['jobs', 'watch', doc.jobId, '--json', '--queue-prefix', prefix], {
      env: onTarget(),
    });
    assert.equal(JSON.parse(watched.stdout).progress.percent, 100);

    const key = String(100000 + fixture.trainCount); // the first test sample
    const traced = await runTraceprop(['trace', '--key', `SK_ID_CURR=${key}`, '--top', '3', '--json'], {
      env: onTarget(),
    });
    assert.equal(traced.code, 0, traced.stderr);
    const trace = JSON.parse(traced.stdout);
    assert.equal(trace.sample.key, key);
    assert.deepEqual(
      trace.influences.map((i: { rank: number }) => i.rank),
      [1, 2, 3],
    );
    assert.equal(trace.influences[0].sourceRows.length, 3, 'one applicants row and two bureau rows');
    assert.deepEqual(trace.shares.map((s: { file: string }) => s.file).sort(), [
      'applicants.csv',
      'bureau.csv',
    ]);
    assert.equal(trace.run.ops.length, 3);
    const human = await runTraceprop(['trace', trace.prediction.id, '--top', '2'], { env: onTarget() });
    assert.match(human.stdout, /#1 .*score/);
    assert.match(human.stdout, /share per file: /);

    worker.child.kill('SIGTERM');
    assert.equal((await worker.exited).code, 0, workerLog());
    assert.match(workerLog(), /workers closed/);
  });

  it('fails clearly on a bad method and on Redis being unreachable', async () => {
    const bad = await runTraceprop(
      ['attribute', '--model', 'm', '--method', 'magic', '--queue-prefix', prefix],
      { env: onTarget() },
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown method "magic"/);
    const noRedis = await runTraceprop(['jobs', 'list'], { env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    assert.equal(noRedis.code, 3);
    assert.match(noRedis.stderr, /queue\.redisUnavailable/);
  });
});
