import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { exportLineageEvents } from '../../openlineage/export-events.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop openlineage export [--run ID] [--since DATE]`: the graph's history as OpenLineage
 * RunEvents, one JSON line each on stdout (read-only): every complete ingest run (START and
 * COMPLETE) and each model trained on it. `--run` keeps one run and its models (an unknown id:
 * `openlineage.unknownRun`); `--since` keeps runs started at or after DATE.
 */
export function registerOpenLineage(program: Command, ctx: CliContext): void {
  const openlineage = program.command('openlineage').description('OpenLineage events of the graph');
  openlineage
    .command('export')
    .description(
      'replay the graph as OpenLineage RunEvents (JSON lines on stdout): each complete ingest run, with its files, samples, counts and column lineage, and each model trained on it',
    )
    .option('--run <id>', 'only this ingest run and the models trained on it')
    .option('--since <date>', 'only runs started at or after this date or time (ISO 8601)')
    .action(async (options: { run?: string; since?: string }) => {
      const since = options.since === undefined ? undefined : new Date(options.since);
      if (since && Number.isNaN(since.getTime()))
        throw new UsageError(
          'cli.badOption',
          `--since: expected an ISO 8601 date or time, e.g. 2026-01-31, got ${JSON.stringify(options.since)}`,
        );
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const events = await exportLineageEvents(client, {
          namespace: ctx.config.openLineage.namespace,
          ...(options.run !== undefined ? { runId: options.run } : {}),
          ...(since ? { since } : {}),
        });
        for (const e of events) ctx.print(JSON.stringify(e));
      } finally {
        await client.driver.close();
      }
    });
}
