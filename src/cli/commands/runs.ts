import { type Command, Option } from 'commander';
import { UsageError } from '../../errors.js';
import { failRun } from '../../graph/fail-run.js';
import { listRuns, type RunStatus, runStatuses } from '../../graph/list-runs.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import { parseInteger } from '../options.js';

/**
 * `traceprop runs list|fail`: the ingest Runs in Neo4j, and the clean-up of a Run whose ingest
 * died (left `running`): `runs fail ID` marks it failed and removes what it wrote, as a failed
 * ingest does itself. A Run whose lease is live needs `--force`; a complete Run is refused.
 */
export function registerRuns(program: Command, ctx: CliContext): void {
  const runs = program
    .command('runs')
    .description('list ingest runs; fail and clean up a run whose ingest died');

  runs
    .command('list')
    .description('list runs, newest first, with their status and (running ones) their lease')
    .addOption(new Option('--status <status>', 'only runs of this status').choices(runStatuses))
    .option('--limit <n>', 'runs at most', parseInteger, 50)
    .option('--json', 'print one JSON document')
    .action(async (options: { status?: RunStatus; limit: number; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const found = await listRuns(client, {
          status: options.status,
          limit: options.limit,
          leaseSeconds: ctx.config.runLeaseSeconds,
        });
        if (options.json) return ctx.printJson(found);
        if (!found.length) return ctx.print(options.status ? `no ${options.status} runs` : 'no runs');
        ctx.print(['ID'.padEnd(38), 'STATUS'.padEnd(9), 'PIPELINE'.padEnd(12), 'MODE', 'STARTED'].join(' '));
        for (const r of found) {
          const note =
            r.status === 'running'
              ? `lease ${r.leaseExpired ? 'expired' : 'until'} ${r.leaseUntil ?? '(none)'}`
              : r.status === 'failed' && r.error
                ? r.error.split('\n')[0]
                : '';
          ctx.print(
            [
              r.id.padEnd(38),
              r.status.padEnd(9),
              String(r.pipeline ?? '').padEnd(12),
              String(r.mode ?? '').padEnd(4),
              r.startedAt ?? '',
            ].join(' ') + (note ? `  ${note}` : ''),
          );
        }
      } finally {
        await client.driver.close();
      }
    });

  runs
    .command('fail')
    .description(
      'mark a running (or failed) run failed and remove what its ingest wrote: its samples and ops, and the source files and rows no other run reads',
    )
    .argument('<id>', 'run id (see `traceprop runs list --status running`)')
    .option('--force', 'fail the run even though its lease is live (only when you know its process is dead)')
    .option('--json', 'print one JSON document')
    .action(async (id: string, options: { force?: boolean; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const result = await failRun(
          client,
          id,
          `failed by \`traceprop runs fail\`${options.force ? ' --force' : ''} (the ingest process stopped?)`,
          { onlyIfLeaseExpired: !options.force, leaseSeconds: ctx.config.runLeaseSeconds },
        );
        if (!result.failed)
          throw new UsageError(
            'runs.leaseLive',
            `run ${id} is running and its lease is live until ${result.leaseUntil}: its ingest may still be writing. Wait until the lease expires (TRACEPROP_RUN_LEASE_SECONDS), or pass --force if you know its process is dead`,
          );
        if (options.json) return ctx.printJson(result);
        ctx.print(
          `run ${id} (${result.status}) is failed; its samples and ops were removed, and ${result.filesRemoved} source file(s) no other run reads`,
        );
      } finally {
        await client.driver.close();
      }
    });
}
