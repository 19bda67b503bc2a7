import fs from 'node:fs';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../errors.js';
import { exportLineageEvents } from '../../openlineage/export-events.js';
import { importLineageEvents } from '../../openlineage/import-events.js';
import { readEventLines } from '../../openlineage/read-event-lines.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';

/**
 * `traceprop openlineage export [--run ID] [--since DATE]`: the graph's history as OpenLineage
 * RunEvents, one JSON line each on stdout (read-only): every complete ingest run (START and
 * COMPLETE) and each model trained on it. `--run` keeps one run and its models (an unknown id:
 * `openlineage.unknownRun`); `--since` keeps runs started at or after DATE.
 * `traceprop openlineage import FILE|-`: other tools' events (JSON lines) into the graph as
 * upstream Jobs and Datasets linked to the ingested files they wrote.
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
  openlineage
    .command('import')
    .description(
      'read OpenLineage events (JSON lines: RunEvents, JobEvents, DatasetEvents of Airflow, Spark, dbt…) into the graph as upstream (:Job)/(:Dataset) nodes, linked to the ingested files they wrote (by path or content sha256); every line is checked first and a bad one imports nothing; importing again changes nothing',
    )
    .argument('<file>', "a JSON lines file, or '-' for stdin")
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: { json?: boolean }) => {
      const source = file === '-' ? 'stdin' : file;
      if (file !== '-' && !fs.existsSync(file))
        throw new NotFoundError(
          'openlineage.noFile',
          `${file}: no such file (give a JSON lines file, or - for stdin)`,
        );
      const events = await readEventLines(file === '-' ? process.stdin : fs.createReadStream(file), source);
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const written = await importLineageEvents(client, events);
        if (options.json) return ctx.printJson({ source, ...written });
        ctx.print(
          `imported ${written.events} events from ${source}: ${written.jobs} jobs, ${written.datasets} datasets, ${written.reads} reads, ${written.writes} writes; ${written.linkedFiles} dataset links to ingested files`,
        );
      } finally {
        await client.driver.close();
      }
    });
}
