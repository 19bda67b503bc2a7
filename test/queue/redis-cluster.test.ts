import assert from 'node:assert/strict';
import { Queue, Worker } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import { connectQueues } from '../../src/queue/connect-queues.js';
import type { QueueConnection } from '../../src/queue/create-queue-connection.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { purgeExpiredJobs } from '../../src/queue/purge-expired-jobs.js';
import { queueKeyPrefix } from '../../src/queue/queue-key-prefix.js';
import { queueName } from '../../src/queue/queue-kind.js';
import { scanKeys } from '../../src/queue/scan-keys.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { unlearningPayloadProbe } from '../../src/queue/unlearning-payload-probe.js';
import { redisAnswers } from '../../src/services/redis-server.js';
import { freePort } from '../../src/util/net.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import {
  fillRetentionQueue,
  newRedisConnection,
  obliterateQueueKeys,
  trackBullmq,
  uniqueQueueName,
} from '../support/queue.js';
import { startRedisCluster, type TestRedisCluster } from '../support/redis-cluster.js';

/** Every key matching `pattern` on every master, sorted. */
async function allKeys(connection: QueueConnection, pattern: string): Promise<string[]> {
  const keys = new Set<string>();
  for await (const batch of scanKeys(connection, pattern)) for (const key of batch) keys.add(key);
  return [...keys].sort();
}

describe('queue: Redis Cluster (3 masters, hash-tagged queue keys)', function () {
  this.timeout(60_000);
  let cluster: TestRedisCluster;
  let connection: QueueConnection;
  const prefix = `${uniqueQueueName()}-`;
  before(async () => {
    cluster = await startRedisCluster(3);
  });
  beforeEach(() => {
    connection = newRedisConnection(cluster.url);
  });
  afterEach(async () => {
    for (const kind of ['attribution', 'train', 'unlearning'])
      await obliterateQueueKeys(
        connection,
        queueName(kind as 'train', prefix),
        queueKeyPrefix(connection, prefix),
      );
    const ended = new Promise((resolve) => connection.once('end', resolve));
    await connection.quit();
    await ended;
  });
  after(async () => {
    await cluster?.stop();
  });

  it('is a real cluster: three masters that split the 16,384 slots, reached through a Cluster client', async () => {
    assert.ok(connection instanceof Cluster, 'a redis+cluster:// URL gives an ioredis Cluster');
    await connection.ping();
    const masters = (connection as Cluster).nodes('master');
    assert.equal(masters.length, 3);
    const slots = (await connection.call('CLUSTER', 'SLOTS')) as [number, number][];
    const covered = slots.reduce((n, [first, last]) => n + last - first + 1, 0);
    assert.equal(covered, 16_384);
    assert.equal(slots.length, 3, 'one slot range per master');
  });

  it('puts every key of every queue of a deployment in one hash slot ({traceprop:<prefix>}), none under bull:', async () => {
    assert.equal(queueKeyPrefix(connection, prefix), `{traceprop:${prefix}}`);
    assert.equal(queueKeyPrefix(connection, ''), '{traceprop}');
    const standalone = new Redis({ lazyConnect: true });
    assert.equal(queueKeyPrefix(standalone, prefix), 'bull', 'one Redis keeps BullMQ’s own keys');
    standalone.disconnect();
    assert.throws(() => queueKeyPrefix(connection, 'a{b}-'), { code: 'config.badQueuePrefix' });

    let created = 0;
    for (const kind of ['attribution', 'train'] as const) {
      const queue = trackBullmq('queue', openQueue(kind, { connection, prefix }));
      try {
        assert.equal(queue.opts.prefix, `{traceprop:${prefix}}`);
        for (let n = 1; n <= 3; n++) {
          const payload = kind === 'attribution' ? { modelId: 'm-cluster', top: n } : { runId: `run-${n}` };
          if ((await submitJob(kind, payload as never, { connection, prefix, queue })).created) created++;
        }
        const again = await submitJob(
          kind,
          (kind === 'attribution' ? { modelId: 'm-cluster', top: 1 } : { runId: 'run-1' }) as never,
          { connection, prefix, queue },
        );
        assert.equal(again.created, false, 'the same request is one job on a cluster too');
        assert.equal(await queue.count(), 3);
      } finally {
        await queue.close();
      }
    }
    assert.equal(created, 6);
    const keys = await allKeys(connection, `{traceprop:${prefix}}:*`);
    assert.ok(keys.length >= 8, `the queues' keys: ${keys.join(', ')}`);
    const slotsOfKeys = new Set(
      await Promise.all(keys.map(async (k) => Number(await connection.call('CLUSTER', 'KEYSLOT', k)))),
    );
    assert.equal(slotsOfKeys.size, 1, 'one hash slot');
    const owners = await Promise.all(
      (connection as Cluster).nodes('master').map(async (node) => (await node.dbsize()) > 0),
    );
    assert.equal(owners.filter(Boolean).length, 1, 'so one master holds them all');
    assert.deepEqual(await allKeys(connection, `bull:${prefix}*`), []);
    // The control: BullMQ's own prefix on a cluster spreads a queue's keys over slots, and its
    // scripts are refused.
    const untagged = trackBullmq('queue', new Queue(queueName('attribution', prefix), { connection }));
    untagged.on('error', () => {});
    try {
      await assert.rejects(untagged.add('x', { n: 1 }), /CROSSSLOT/);
    } finally {
      await untagged.close();
    }
  });

  it('purges expired jobs on the cluster (API and `traceprop retention purge`), never a waiting job', async () => {
    const queue = trackBullmq(
      'queue',
      openQueue('train', { connection, prefix, jobOptions: { attempts: 1 } }),
    );
    const workerConnection = newRedisConnection(cluster.url);
    try {
      const worker = trackBullmq(
        'worker',
        new Worker(
          queueName('train', prefix),
          async (job) => {
            if (job.data.fail) throw new Error('planned failure');
            return { ok: job.data.n };
          },
          { connection: workerConnection, prefix: queueKeyPrefix(workerConnection, prefix) },
        ),
      );
      worker.on('error', () => {});
      await fillRetentionQueue(queue, worker);

      const settings = { connection, prefix };
      const dry = await purgeExpiredJobs(settings, {
        kinds: ['train'],
        completedOlderThanSeconds: 1,
        failedOlderThanSeconds: 3600,
        dryRun: true,
        now: Date.now() + 5_000,
      });
      assert.deepEqual(dry, [{ queue: 'train', completed: 3, failed: 0, kept: 1 }]);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const cli = (
        await runTraceprop(
          [
            'retention',
            'purge',
            '--queues',
            'train',
            '--queue-prefix',
            prefix,
            '--completed-older-than',
            '1',
            '--failed-older-than',
            '1',
            '--json',
          ],
          { env: { REDIS_URL: cluster.url } },
        )
      )
        .ok()
        .json();
      assert.deepEqual(cli, {
        dryRun: false,
        queues: [{ queue: 'train', completed: 3, failed: 1, kept: 0 }],
      });
      assert.equal(await queue.getJobCountByTypes('completed', 'failed'), 0);
      assert.equal(await queue.getJobCountByTypes('waiting'), 1, 'the waiting job stays');

      const listed = (
        await runTraceprop(['jobs', 'list', '--json', '--queue-prefix', prefix], {
          env: { REDIS_URL: cluster.url },
        })
      )
        .ok()
        .json<Array<{ state: string }>>();
      assert.deepEqual(
        listed.map((j) => j.state),
        ['waiting'],
      );
    } finally {
      await queue.close();
      const ended = new Promise((resolve) => workerConnection.once('end', resolve));
      await workerConnection.quit();
      await ended;
    }
  });

  it('finds a request’s queued unlearning payload on the cluster (erasure inventory probe)', async () => {
    const requestId = `req-${uniqueQueueName()}`;
    await submitJob(
      'unlearning',
      { target: { table: 'applicants', keys: ['100007'] }, requestId },
      { connection, prefix },
    );
    const probe = unlearningPayloadProbe(connection, prefix);
    const [entry] = await probe(requestId);
    assert.equal(entry.state, 'present');
    assert.equal(
      entry.location.startsWith(`Redis {traceprop:${prefix}}:${prefix}unlearning:`),
      true,
      entry.location,
    );
    assert.deepEqual(
      (await probe('req-none')).map((e) => e.state),
      ['not present'],
    );
  });

  it('fails fast on a cluster that does not answer, without showing the password', async () => {
    const closed = [await freePort(), await freePort()];
    const url = `redis+cluster://app:s3cret-pass@127.0.0.1:${closed[0]},127.0.0.1:${closed[1]}`;
    assert.equal(await redisAnswers(url, 500), false);
    await assert.rejects(connectQueues(url), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'queue.redisUnavailable');
      assert.match(err.message, /Redis Cluster at redis\+cluster:\/\/app:\*\*\*@127\.0\.0\.1:/);
      assert.doesNotMatch(err.message, /s3cret/);
      return true;
    });
    const cli = expectCliError(
      await runTraceprop(['jobs', 'list'], { env: { REDIS_URL: url } }),
      'queue.redisUnavailable',
      /Redis Cluster/,
      3,
    );
    assert.doesNotMatch(cli.stderr, /s3cret/);
    // One node up but with no slots: it answers PING, yet the cluster is not ok.
    const lone = await startRedisCluster(1);
    try {
      const node = new Redis({ port: lone.ports[0], lazyConnect: true });
      await node.connect();
      await node.call('CLUSTER', 'RESET', 'HARD');
      node.disconnect();
      assert.equal(await redisAnswers(`redis+cluster://127.0.0.1:${lone.ports[0]}`, 500), false);
      assert.equal(await redisAnswers(lone.url, 500), false);
    } finally {
      await lone.stop();
    }
  });
});
