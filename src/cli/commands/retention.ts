import type { Command } from 'commander';
import { defaults } from '../../defaults.js';
import { retentionSchedule } from '../../evidence/retention-schedule.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { purgeExpiredJobs } from '../../queue/purge-expired-jobs.js';
import { parseQueueKind, queueKinds } from '../../queue/queue-kind.js';
import type { CliContext } from '../context.js';
import { parseInteger, parseList } from '../options.js';

/**
 * `traceprop retention show|purge`: the retention policy (docs/retention.md) and the removal of
 * queue data past it. Evidence (the log, statements) and technical documentation are never purged.
 */
export function registerRetention(program: Command, ctx: CliContext): void {
  const retention = program
    .command('retention')
    .description('the retention policy, and purging queue data past it (log entries are never purged)');

  retention
    .command('show')
    .description(
      'how long each store is kept and who may remove it (TRACEPROP_RETAIN_LOGS_DAYS, TRACEPROP_RETAIN_DOCS_YEARS)',
    )
    .option('--json', 'print one JSON document')
    .action((options: { json?: boolean }) => {
      const rules = retentionSchedule(ctx.config);
      if (options.json) return ctx.printJson({ retention: ctx.config.retention, rules });
      for (const r of rules) ctx.print(`${r.store}\n  kept: ${r.kept}\n  removed: ${r.removal}`);
    });

  retention
    .command('purge')
    .description(
      'remove completed and failed queue jobs past their retention from Redis (never waiting or active jobs, never the graph or the log)',
    )
    .option('--queues <list>', `queues to purge (default ${queueKinds.join(',')})`, parseList)
    .option(
      '--completed-older-than <seconds>',
      'completed jobs finished longer ago than this',
      parseInteger,
      defaults.keepCompletedJobSeconds,
    )
    .option(
      '--failed-older-than <seconds>',
      'failed jobs finished longer ago than this',
      parseInteger,
      defaults.keepFailedJobSeconds,
    )
    .option('--dry-run', 'only count what would be removed')
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print one JSON document')
    .action(
      async (options: {
        queues?: string[];
        completedOlderThan: number;
        failedOlderThan: number;
        dryRun?: boolean;
        queuePrefix: string;
        json?: boolean;
      }) => {
        const kinds = (options.queues ?? [...queueKinds]).map(parseQueueKind);
        const connection = await connectQueues(ctx.config.redisUrl);
        try {
          const purged = await purgeExpiredJobs(
            { connection, prefix: options.queuePrefix },
            {
              kinds,
              completedOlderThanSeconds: options.completedOlderThan,
              failedOlderThanSeconds: options.failedOlderThan,
              dryRun: options.dryRun,
            },
          );
          if (options.json) return ctx.printJson({ dryRun: Boolean(options.dryRun), queues: purged });
          const verb = options.dryRun ? 'would remove' : 'removed';
          for (const p of purged)
            ctx.print(
              `${p.queue}: ${verb} ${p.completed} completed and ${p.failed} failed jobs; kept ${p.kept}`,
            );
        } finally {
          await connection.quit();
        }
      },
    );
}
