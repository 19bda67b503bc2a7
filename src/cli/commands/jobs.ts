import type { JobType } from 'bullmq';
import type { Command } from 'commander';
import { TracepropError, UsageError } from '../../errors.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { describeJob, type JobSummary } from '../../queue/describe-job.js';
import { findJob } from '../../queue/find-job.js';
import { openQueue } from '../../queue/open-queue.js';
import { parseQueueKind, queueKinds } from '../../queue/queue-kind.js';
import type { CliContext } from '../context.js';
import { parseList, parsePositiveInteger } from '../options.js';
import { watchJob } from '../watch-job.js';

const jobStates = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;

/** `traceprop jobs list|show|watch`: inspect queued and finished jobs. */
export function registerJobs(program: Command, ctx: CliContext): void {
  const jobs = program.command('jobs').description('inspect queued, running and finished jobs');

  jobs
    .command('list')
    .description('list jobs, newest first')
    .option('--queues <list>', `queues to list (default ${queueKinds.join(',')})`, parseList)
    .option('--state <list>', `states to list (default all: ${jobStates.join(',')})`, parseList)
    .option('--limit <n>', 'jobs per queue at most (at least 1)', parsePositiveInteger, 20)
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print one JSON document')
    .action(
      async (options: {
        queues?: string[];
        state?: string[];
        limit: number;
        queuePrefix: string;
        json?: boolean;
      }) => {
        const kinds = (options.queues ?? [...queueKinds]).map(parseQueueKind);
        const states = (options.state ?? [...jobStates]).map((s) => {
          if (!(jobStates as readonly string[]).includes(s))
            throw new UsageError(
              'queue.badState',
              `unknown state "${s}" (expected one of ${jobStates.join(', ')})`,
            );
          return s as JobType;
        });
        const connection = await connectQueues(ctx.config.redisUrl);
        const out: JobSummary[] = [];
        try {
          for (const kind of kinds) {
            const queue = openQueue(kind, { connection, prefix: options.queuePrefix });
            try {
              const found = await queue.getJobs(states, 0, Math.max(0, options.limit - 1), false);
              for (const job of found) if (job) out.push(await describeJob(job));
            } finally {
              await queue.close();
            }
          }
        } finally {
          await connection.quit();
        }
        out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
        if (options.json) return ctx.printJson(out);
        if (!out.length) return ctx.print('no jobs');
        ctx.print(
          ['ID'.padEnd(46), 'STATE'.padEnd(10), 'PROGRESS'.padEnd(9), 'ATTEMPTS'.padEnd(9), 'CREATED'].join(
            ' ',
          ),
        );
        for (const j of out) {
          ctx.print(
            [
              j.id.padEnd(46),
              j.state.padEnd(10),
              `${Math.round(j.progress.percent)}%`.padEnd(9),
              `${j.attemptsMade}/${j.attempts}`.padEnd(9),
              j.createdAt,
            ].join(' ') + (j.failedReason ? `  ${j.failedReason}` : ''),
          );
        }
      },
    );

  jobs
    .command('show')
    .description('show one job: state, progress, attempts, payload, result or failure')
    .argument('<id>', 'job id (printed by `traceprop attribute` / `traceprop unlearn`)')
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { queuePrefix: string; json?: boolean }) => {
      const connection = await connectQueues(ctx.config.redisUrl);
      try {
        const { job, queue } = await findJob(id, { connection, prefix: options.queuePrefix });
        try {
          const summary = { ...(await describeJob(job)), stacktrace: job.stacktrace ?? [] };
          if (options.json) return ctx.printJson(summary);
          printSummary(ctx, summary);
          for (const [i, trace] of summary.stacktrace.entries())
            ctx.print(`attempt ${i + 1} failed: ${trace.split('\n')[0]}`);
        } finally {
          await queue.close();
        }
      } finally {
        await connection.quit();
      }
    });

  jobs
    .command('watch')
    .description('follow a job with a progress bar (stderr) until it completes or fails')
    .argument('<id>', 'job id')
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print the final job as one JSON document')
    .action(async (id: string, options: { queuePrefix: string; json?: boolean }) => {
      const connection = await connectQueues(ctx.config.redisUrl);
      try {
        const { queue } = await findJob(id, { connection, prefix: options.queuePrefix });
        try {
          const summary = await watchJob(queue, id);
          if (options.json) ctx.printJson(summary);
          else printSummary(ctx, summary);
          if (summary.state === 'failed')
            throw new TracepropError(
              'queue.jobFailed',
              `job ${id} failed after ${summary.attemptsMade} attempt(s): ${summary.failedReason}`,
            );
        } finally {
          await queue.close();
        }
      } finally {
        await connection.quit();
      }
    });
}

/** Prints a job summary as human-readable lines. */
export function printSummary(ctx: CliContext, s: JobSummary): void {
  ctx.print(`job ${s.id} (${s.queue})`);
  ctx.print(
    `state: ${s.state}  progress: ${Math.round(s.progress.percent)}%${s.progress.stage ? ` (${s.progress.stage})` : ''}  attempts: ${s.attemptsMade}/${s.attempts}`,
  );
  ctx.print(
    `created: ${s.createdAt}${s.processedAt ? `  started: ${s.processedAt}` : ''}${s.finishedAt ? `  finished: ${s.finishedAt}` : ''}`,
  );
  ctx.print(`payload: ${JSON.stringify(s.data)}`);
  if (s.returnvalue !== undefined) ctx.print(`result: ${JSON.stringify(s.returnvalue)}`);
  if (s.failedReason) ctx.print(`failed: ${s.failedReason}`);
}
