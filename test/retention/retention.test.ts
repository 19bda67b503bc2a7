import assert from 'node:assert/strict';
import { Worker } from 'bullmq';
import { loadConfig } from '../../src/config.js';
import { hasCode, UsageError } from '../../src/errors.js';
import { retentionSchedule } from '../../src/evidence/retention-schedule.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { purgeExpiredJobs } from '../../src/queue/purge-expired-jobs.js';
import { queueName } from '../../src/queue/queue-kind.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import {
  fillRetentionQueue,
  newRedisConnection,
  obliterateQueueKeys,
  trackBullmq,
  uniqueQueueName,
} from '../support/queue.js';

describe('retention: the policy is configurable upward only; queue data past it is purged, nothing else', function () {
  this.timeout(60_000);

  it('refuses a retention below the statutory minimum and accepts a longer one', () => {
    for (const [name, value] of [
      ['TRACEPROP_RETAIN_LOGS_DAYS', '30'],
      ['TRACEPROP_RETAIN_LOGS_DAYS', '182'],
      ['TRACEPROP_RETAIN_LOGS_DAYS', 'half a year'],
      ['TRACEPROP_RETAIN_DOCS_YEARS', '9'],
      ['TRACEPROP_RETAIN_DOCS_YEARS', '10.5'],
    ]) {
      assert.throws(
        () => loadConfig({ [name]: value }),
        (err: unknown) =>
          err instanceof UsageError &&
          hasCode(err, 'config.retentionBelowMinimum') &&
          err.message.includes(name) &&
          err.message.includes('upward only'),
        `${name}=${value} is refused`,
      );
    }
    assert.deepEqual(loadConfig({}).retention, { logsDays: 183, docsYears: 10 });
    const longer = loadConfig({ TRACEPROP_RETAIN_LOGS_DAYS: '400', TRACEPROP_RETAIN_DOCS_YEARS: '12' });
    assert.deepEqual(longer.retention, { logsDays: 400, docsYears: 12 });
    const rules = retentionSchedule(longer);
    assert.match(rules[0].kept, /≥ 400 days/);
    assert.match(rules[0].removal, /never/);
    assert.match(rules[1].kept, /≥ 12 years/);
  });

  it('`retention show` prints the configured policy; a lower value exits 2 before any work', async () => {
    const shown = (
      await runTraceprop(['retention', 'show', '--json'], { env: { TRACEPROP_RETAIN_LOGS_DAYS: '365' } })
    )
      .ok()
      .json<{ retention: { logsDays: number }; rules: { store: string }[] }>();
    assert.equal(shown.retention.logsDays, 365);
    assert.ok(shown.rules.some((r) => /transparency log/.test(r.store)));
    expectCliError(
      await runTraceprop(['retention', 'show'], { env: { TRACEPROP_RETAIN_DOCS_YEARS: '5' } }),
      'config.retentionBelowMinimum',
      /TRACEPROP_RETAIN_DOCS_YEARS must be a whole number of years of at least 10/,
      2,
    );
  });

  it('purge keeps jobs younger than their retention, counts in a dry run, removes the expired ones and never a waiting job', async () => {
    const prefix = `${uniqueQueueName()}-`;
    const connection = newRedisConnection();
    const workerConnection = newRedisConnection();
    const queue = trackBullmq(
      'queue',
      openQueue('train', { connection, prefix, jobOptions: { attempts: 1 } }),
    );
    try {
      // Three jobs complete, one fails, by a real worker on the queue.
      const worker = trackBullmq(
        'worker',
        new Worker(
          queueName('train', prefix),
          async (job) => {
            if (job.data.fail) throw new Error('planned failure');
            return { ok: job.data.n };
          },
          { connection: workerConnection },
        ),
      );
      worker.on('error', () => {});
      // Three completed, one failed, and one still waiting (no worker any more): purge never touches it.
      await fillRetentionQueue(queue, worker);

      const settings = { connection, prefix };
      const young = await purgeExpiredJobs(settings, {
        kinds: ['train'],
        completedOlderThanSeconds: 3600,
        failedOlderThanSeconds: 3600,
      });
      assert.deepEqual(young, [{ queue: 'train', completed: 0, failed: 0, kept: 4 }]);

      const dry = await purgeExpiredJobs(settings, {
        kinds: ['train'],
        completedOlderThanSeconds: 1,
        failedOlderThanSeconds: 3600,
        dryRun: true,
        now: Date.now() + 5_000,
      });
      assert.deepEqual(dry, [{ queue: 'train', completed: 3, failed: 0, kept: 1 }]);
      assert.equal(await queue.getJobCountByTypes('completed'), 3, 'a dry run removes nothing');

      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const cli = (
        await runTraceprop([
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
        ])
      )
        .ok()
        .json<{ dryRun: boolean; queues: unknown[] }>();
      assert.deepEqual(cli, {
        dryRun: false,
        queues: [{ queue: 'train', completed: 3, failed: 1, kept: 0 }],
      });
      assert.equal(await queue.getJobCountByTypes('completed', 'failed'), 0);
      assert.equal(await queue.getJobCountByTypes('waiting'), 1, 'the waiting job stays');
    } finally {
      await queue.close();
      await obliterateQueueKeys(connection, queueName('train', prefix));
      for (const c of [connection, workerConnection]) {
        const ended = new Promise((resolve) => c.once('end', resolve));
        await c.quit().catch(() => c.disconnect());
        await ended;
      }
    }
  });
});
