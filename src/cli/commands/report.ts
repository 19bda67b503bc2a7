import fs from 'node:fs/promises';
import { Argument, type Command, Option } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import type { GraphClient } from '../../graph/connection.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { unlearningPayloadProbe } from '../../queue/unlearning-payload-probe.js';
import { listReportIds, type ReportKind, reportKinds } from '../../reports/list-report-ids.js';
import { readErasureReport } from '../../reports/read-erasure-report.js';
import { readModelReport } from '../../reports/read-model-report.js';
import { readRunReport } from '../../reports/read-run-report.js';
import { type ReportFormat, renderReport, reportFormats } from '../../reports/render-report.js';
import type { Report } from '../../reports/report-types.js';
import { clientFor } from '../../services/ensure-services.js';
import { redactRedisUrl } from '../../services/redis-target.js';
import type { CliContext } from '../context.js';
import { parsePositiveInteger } from '../options.js';

interface ReportOptions {
  format: ReportFormat;
  out?: string;
  chromium?: string;
}

/**
 * `traceprop report model|erasure|run ID [--format md|html|pdf|json] [--out FILE]`: reports
 * assembled from the graph (docs/reports.md) — a model's datasheet and model card, an erasure's
 * certificate, a run's sources and models; `report list KIND` lists the ids.
 */
export function registerReport(program: Command, ctx: CliContext): void {
  const report = program
    .command('report')
    .description(
      'reports assembled from the graph: a model card and datasheet, an erasure certificate, a run',
    );
  const readers: Record<
    ReportKind,
    { what: string; arg: string; read: (client: GraphClient, id: string) => Promise<Report> }
  > = {
    model: {
      what: "a model's datasheet and model card (EU AI Act Annex IV 2(d)): sources with sha256 and rows, pipeline, column lineage, label, split, class balance, training parameters, metrics, influence per source file, erasures, signed statements, bias examination across the declared protected attributes",
      arg: 'Model id (`traceprop report list model`)',
      read: (client, id) => readModelReport(client, id, { home: openArtifactHome(ctx.config) }),
    },
    erasure: {
      what: 'an erasure certificate: rows erased (counts and row numbers, never content), models updated before → after, the guarantee, the inventory of stores measured now, how to verify',
      arg: 'UnlearningRequest id (`traceprop report list erasure`)',
      read: (client, id) => erasureReport(ctx, client, id),
    },
    run: {
      what: "a run's sources, counts, pipeline, label, split, class balance and the models trained on it",
      arg: 'Run id (`traceprop report list run`)',
      read: readRunReport,
    },
  };
  for (const kind of reportKinds) {
    const { what, arg, read } = readers[kind];
    report
      .command(kind)
      .description(what)
      .argument('<id>', arg)
      .addOption(new Option('--format <format>', 'output format').choices(reportFormats).default('md'))
      .option('--out <file>', 'write the report to this file (default: stdout)')
      .option('--chromium <path>', 'Chromium that prints --format pdf (default /usr/bin/chromium)')
      .action(async (id: string, options: ReportOptions) => {
        const client = clientFor(ctx.config, ctx.config.neo4jUri);
        try {
          const found = await read(client, id);
          const output = await renderReport(found, options.format, { chromiumPath: options.chromium });
          if (options.out) {
            await fs.writeFile(options.out, output);
            ctx.status(`${kind} report (${options.format}) written to ${options.out}`);
          } else process.stdout.write(output);
        } finally {
          await client.driver.close();
        }
      });
  }
  report
    .command('list')
    .description('list the ids a report can be made for, newest first')
    .addArgument(new Argument('<kind>', 'what to list').choices(reportKinds))
    .option('--limit <n>', 'ids at most', parsePositiveInteger, 50)
    .option('--json', 'print one JSON document')
    .action(async (kind: ReportKind, options: { limit: number; json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        const ids = await listReportIds(client, kind, options.limit);
        if (options.json) return ctx.printJson(ids);
        if (ids.length === 0) return ctx.print(`no ${kind} in the graph`);
        for (const r of ids) ctx.print(`${r.id}  ${r.status ?? ''}  ${r.at ?? ''}`);
      } finally {
        await client.driver.close();
      }
    });
}

/** The erasure report, with the queue's payloads checked when Redis answers (else `unknown`). */
async function erasureReport(ctx: CliContext, client: GraphClient, requestId: string): Promise<Report> {
  const home = openArtifactHome(ctx.config);
  const connection = await connectQueues(ctx.config.redisUrl).catch(() => undefined);
  try {
    const probe = connection
      ? unlearningPayloadProbe(connection, ctx.config.queuePrefix)
      : async () => [
          {
            store: 'queue payload',
            owner: 'traceprop' as const,
            location: 'Redis',
            state: 'unknown' as const,
            detail: `Redis is not reachable at ${redactRedisUrl(ctx.config.redisUrl)}: the queue's payloads were not checked`,
          },
        ];
    return await readErasureReport(client, requestId, { home, probes: [probe] });
  } finally {
    await connection?.quit();
  }
}
