import path from 'node:path';
import { type Command, Option } from 'commander';
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { TracepropError, UsageError } from '../../errors.js';
import { assertSafeName } from '../../graph/identifiers.js';
import { recoverExpiredRuns } from '../../graph/recover-expired-runs.js';
import type { ErasedRowsLeftOut } from '../../ingest/ingest-guards.js';
import { ingestCreditRisk } from '../../ingest/ingest-credit-risk.js';
import { trainRunModel } from '../../jobs/train/run-train-job.js';
import { defaultMaxBadLabels, describeDroppedLabels } from '../../pipelines/label-check.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import {
  asUsageError,
  parseFraction,
  parsePositiveInteger,
  parsePositiveNumber,
  requireWith,
} from '../options.js';
import { createProgressReporter } from '../progress-reporter.js';
import { reportRecoveredRuns } from '../report-recovered-runs.js';

interface IngestCreditRiskCliOptions {
  application: string;
  bureau: string;
  previous: string;
  label?: string;
  maxBadLabels: number;
  mode: 'row' | 'op';
  runId?: string;
  batchSize?: number;
  train?: boolean;
  lambda?: number;
  json?: boolean;
}

/**
 * `traceprop ingest credit-risk --application F --bureau F --previous F [--label TARGET]
 * [--mode row|op] [--json]`: runs the credit-risk pipeline with lineage tracking and writes the
 * lineage (Run, Ops, SourceFiles, SourceRows, Samples, DERIVED_FROM) to Neo4j. A progress bar on
 * stderr when it is a terminal, occasional status lines otherwise; Ctrl-C stops the write and
 * cleans up the Run. First fails and cleans up the Runs whose lease expired (a dead ingest's), and
 * keeps the lease of its own Run renewed while it writes.
 */
export function registerIngest(program: Command, ctx: CliContext): void {
  const ingest = program
    .command('ingest')
    .description('run a pipeline with lineage tracking and write its lineage to Neo4j');
  ingest
    .command('credit-risk')
    .description('ingest application, bureau and previous_application CSVs (Home Credit columns)')
    .requiredOption('--application <file>', 'application CSV (one row per applicant, key SK_ID_CURR)')
    .requiredOption('--bureau <file>', 'bureau CSV (key SK_ID_BUREAU, joined on SK_ID_CURR)')
    .requiredOption('--previous <file>', 'previous_application CSV (key SK_ID_PREV, joined on SK_ID_CURR)')
    .option(
      '--label <column>',
      'label column of the application file (default TARGET; the Home Credit sample uses DEFAULTED)',
    )
    .option(
      '--max-bad-labels <fraction>',
      `refuse the input when more than this fraction of application rows has a label other than 0/1 (below it they are left out and reported; default ${defaultMaxBadLabels})`,
      parseFraction,
      defaultMaxBadLabels,
    )
    .addOption(
      new Option('--mode <mode>', 'row: row-level provenance; op: the op DAG only')
        .choices(['row', 'op'])
        .default('row'),
    )
    .option('--run-id <id>', 'run id (default: a random UUID)')
    .option('--batch-size <n>', 'rows per Neo4j transaction (default 20000)', parsePositiveInteger)
    .option('--train', 'also train the model (L2 logistic regression) on the run, as `traceprop train` does')
    .option('--lambda <lambda>', 'with --train: L2 strength on the mean loss (> 0)', parsePositiveNumber)
    .option('--json', 'print one JSON document')
    .action(async (options: IngestCreditRiskCliOptions) => {
      requireWith(options.lambda !== undefined, '--lambda', Boolean(options.train), '--train');
      if (options.label !== undefined) asUsageError(() => assertSafeName('--label', options.label));
      if (options.runId !== undefined && !/^[A-Za-z0-9_.:-]{1,200}$/.test(options.runId))
        throw new UsageError(
          'cli.badOption',
          `--run-id: expected 1-200 letters, digits and _-.:, got ${JSON.stringify(options.runId)}`,
        );
      const files = {
        application: path.resolve(options.application),
        bureau: path.resolve(options.bureau),
        previous: path.resolve(options.previous),
      };
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      const progress = createProgressReporter({ status: ctx.status });
      const controller = new AbortController();
      const onSigint = () =>
        controller.abort(new TracepropError('ingest.interrupted', 'interrupted (Ctrl-C)'));
      process.once('SIGINT', onSigint);
      try {
        ctx.status(`ingesting credit-risk (${options.mode} mode) into ${client.uri}`);
        reportRecoveredRuns(ctx, await recoverExpiredRuns(client, ctx.config.runLeaseSeconds));
        const batch = options.batchSize;
        const result = await ingestCreditRisk(client, {
          files,
          labelColumn: options.label,
          maxBadLabels: options.maxBadLabels,
          mode: options.mode,
          runId: options.runId,
          signal: controller.signal,
          onPipelineProgress: (e) => progress.update(e.stage, e.done, e.total),
          onWriteProgress: (p) => progress.update('write lineage', p.written, p.total),
          writer: {
            ...(batch ? { rowBatchSize: batch, sampleBatchSize: batch, edgeBatchSize: batch } : {}),
            leaseSeconds: ctx.config.runLeaseSeconds,
          },
          artifactsHome: ctx.config.home,
          erasureSalt: resolveErasureSalt(ctx.config),
        });
        progress.stop();
        if (result.droppedLabels.count > 0)
          ctx.status(
            `warning: application: ${describeDroppedLabels(result.droppedLabels, options.label ?? 'TARGET')}`,
          );
        if (result.erasedRowsLeftOut.rows > 0) ctx.status(leftOutLine(result.erasedRowsLeftOut));
        const model = options.train
          ? await trainRunModel({
              client,
              home: ctx.config.home,
              runId: result.runId,
              lambda: options.lambda,
            })
          : undefined;
        const { lineage: _lineage, status, ...counts } = result;
        const seconds = result.pipelineSeconds + result.writeSeconds;
        if (options.json) {
          ctx.printJson({
            ...counts,
            status,
            seconds,
            inputFiles: files,
            ...(model ? { modelId: model.modelId, model } : {}),
          });
          return;
        }
        ctx.print(`run ${result.runId} (${result.pipeline}, ${result.mode} mode): ${status}`);
        ctx.print(`  samples          ${result.samples} (${result.features} features)`);
        ctx.print(
          `  source rows      ${result.sourceRows} in ${result.files} files (${result.sourceRowsWritten} new, ${result.sourceRowsPresent} already in the graph; ${result.filesCreated} files new)`,
        );
        ctx.print(`  ops              ${result.ops}`);
        if (result.erasedRowsLeftOut.rows > 0)
          ctx.print(`  erased rows      ${result.erasedRowsLeftOut.rows} left out (tombstones)`);
        if (result.mode === 'row') ctx.print(`  DERIVED_FROM     ${result.provenanceEdges}`);
        ctx.print(
          `  time             ${result.pipelineSeconds.toFixed(2)} s pipeline + ${result.writeSeconds.toFixed(2)} s Neo4j write`,
        );
        if (model) ctx.print(`  model            ${model.modelId} (version 1, active)`);
      } finally {
        progress.stop();
        process.removeListener('SIGINT', onSigint);
        await client.driver.close();
      }
    });
}

/** `left out 15 erased rows (bureau: 15) — erased by req-1, req-2` (stderr, also under --json). */
function leftOutLine(left: ErasedRowsLeftOut): string {
  const tables = Object.entries(left.byTable)
    .map(([t, n]) => `${t}: ${n}`)
    .join(', ');
  const byKey = left.byKey > 0 ? `, ${left.byKey} matched by business key` : '';
  const ids = left.requestIds.slice(0, 5).join(', ');
  const more = left.requestIds.length > 5 ? ` and ${left.requestIds.length - 5} more` : '';
  return `left out ${left.rows} erased row${left.rows === 1 ? '' : 's'} (${tables}${byKey}) — erased by ${ids}${more}`;
}
