import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { shareErasureSalt } from '../../erasure/share-erasure-salt.js';
import { TracepropError, UsageError } from '../../errors.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import type { GraphClient } from '../../graph/connection.js';
import { assertSafeName } from '../../graph/identifiers.js';
import type { IngestResult } from '../../graph/lineage-writer.js';
import { recoverExpiredRuns } from '../../graph/recover-expired-runs.js';
import { ingestCreditRisk } from '../../ingest/ingest-credit-risk.js';
import type { ErasedRowsLeftOut } from '../../ingest/ingest-guards.js';
import { ingestPipelineFile } from '../../ingest/ingest-pipeline-file.js';
import type { CertifyRequest } from '../../jobs/train/certification-for.js';
import { trainRunModel } from '../../jobs/train/run-train-job.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { type LineageEmitter, openLineageEmitter } from '../../openlineage/lineage-emitter.js';
import { trainRunEvents } from '../../openlineage/train-events.js';
import { pipelineSpecCacheDir } from '../../pipeline-spec/pipeline-spec-cache.js';
import { clientFor } from '../../services/ensure-services.js';
import {
  type CertifyCliOptions,
  certifyOption,
  certifyRequestOf,
  removalBudgetOption,
} from '../certify-options.js';
import type { CliContext } from '../context.js';
import {
  asUsageError,
  parseFraction,
  parsePositiveInteger,
  parsePositiveNumber,
  requireWith,
} from '../options.js';
import { createProgressReporter, type ProgressReporter } from '../progress-reporter.js';
import { reportRecoveredRuns } from '../report-recovered-runs.js';

interface IngestCreditRiskCliOptions extends CommonIngestOptions {
  application: string;
  bureau: string;
  previous: string;
  label?: string;
  maxBadLabels?: number;
}

/**
 * `traceprop ingest FILE [--data DIR] [--source NAME=PATH]…` runs a pipeline file with lineage
 * tracking and writes the lineage (Run, Pipeline, Ops, SourceFiles, SourceRows, Samples,
 * DERIVED_FROM) to Neo4j; `traceprop ingest credit-risk --application F --bureau F --previous F
 * [--label COL] [--max-bad-labels X]` does so with the shipped pipelines/credit-risk.yaml and those
 * files as its sources. A progress bar on stderr when it is a terminal, occasional status lines
 * otherwise; Ctrl-C stops the write and cleans up the Run. First fails and cleans up the Runs
 * whose lease expired (a dead ingest's), and keeps the lease of its own Run renewed while it
 * writes.
 */
export function registerIngest(program: Command, ctx: CliContext): void {
  const ingest = program
    .command('ingest')
    .description('run a pipeline with lineage tracking and write its lineage to Neo4j');
  ingest
    .command('pipeline <file>', { isDefault: true })
    .summary('ingest a pipeline file (the default: `traceprop ingest FILE`)')
    .description(
      'run a pipeline file (format traceprop.pipeline/1, YAML or JSON; see docs/pipeline-format.md) and write its lineage to Neo4j: the file is validated and the whole pipeline run before anything is written',
    )
    .option(
      '--data <dir>',
      "directory the sources' paths are relative to (default: the pipeline file's folder)",
    )
    .option(
      '--source <name=path>',
      'read source NAME from PATH instead of its declared path (repeatable; PATH relative to the working directory)',
      (v: string, acc: string[] = []) => [...acc, v],
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
    .addOption(certifyOption('with --train: '))
    .addOption(removalBudgetOption())
    .option('--json', 'print one JSON document')
    .action(async (file: string, options: IngestPipelineCliOptions) => {
      const certify = checkCommonOptions(options);
      const pipelineFile = path.resolve(file);
      const dataDir = path.resolve(options.data ?? path.dirname(pipelineFile));
      const sources = parseSourceOptions(options.source ?? []);
      await withIngestSession(ctx, `ingesting ${path.basename(file)} (${options.mode} mode)`, async (s) => {
        const result = await ingestPipelineFile(s.client, {
          pipelineFile,
          pipelineCacheDir: pipelineSpecCacheDir(ctx.config.home),
          dataDir,
          sources,
          mode: options.mode,
          runId: options.runId,
          ...sessionIngestOptions(ctx, s, options.batchSize),
        });
        s.progress.stop();
        for (const w of result.warnings) ctx.status(`warning: ${w}`);
        if (result.erasedRowsLeftOut.rows > 0) ctx.status(leftOutLine(result.erasedRowsLeftOut));
        const model = options.train
          ? await trainInSession(ctx, s, result.runId, options.lambda, certify)
          : undefined;
        const { lineage: _lineage, status, ...counts } = result;
        const seconds = result.pipelineSeconds + result.writeSeconds;
        if (options.json) {
          ctx.printJson({
            ...counts,
            status,
            seconds,
            pipelineFile,
            dataDir,
            ...(options.source ? { sources } : {}),
            ...(model ? { modelId: model.modelId, model } : {}),
          });
          return;
        }
        printIngestSummary(ctx, result, model?.modelId);
        ctx.print(`  pipeline         ${result.pipeline} (sha256 ${result.pipelineSha256.slice(0, 12)}…)`);
      });
    });

  ingest
    .command('credit-risk')
    .description(
      'ingest application, bureau and previous_application CSVs (Home Credit columns) with the shipped pipeline pipelines/credit-risk.yaml (the same as `traceprop ingest pipelines/credit-risk.yaml --source application=F --source bureau=F --source previous_application=F`)',
    )
    .requiredOption('--application <file>', 'application CSV (one row per applicant, key SK_ID_CURR)')
    .requiredOption('--bureau <file>', 'bureau CSV (key SK_ID_BUREAU, joined on SK_ID_CURR)')
    .requiredOption('--previous <file>', 'previous_application CSV (key SK_ID_PREV, joined on SK_ID_CURR)')
    .option(
      '--label <column>',
      "header of the label column in the application file (default: TARGET or DEFAULTED, whichever it has); the pipeline with this header is the one hashed and recorded on the run's Pipeline node",
    )
    .option(
      '--max-bad-labels <fraction>',
      'refuse the input when more than this fraction of application rows has a label other than 0/1 (below it they are left out and reported; default: the max_left_out of credit-risk.yaml, 0.01); another value is recorded in the pipeline too',
      parseFraction,
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
    .addOption(certifyOption('with --train: '))
    .addOption(removalBudgetOption())
    .option('--json', 'print one JSON document')
    .action(async (options: IngestCreditRiskCliOptions) => {
      const certify = checkCommonOptions(options);
      if (options.label !== undefined) asUsageError(() => assertSafeName('--label', options.label));
      const files = {
        application: path.resolve(options.application),
        bureau: path.resolve(options.bureau),
        previous: path.resolve(options.previous),
      };
      await withIngestSession(ctx, `ingesting credit-risk (${options.mode} mode)`, async (s) => {
        const result = await ingestCreditRisk(s.client, {
          files,
          labelColumn: options.label,
          maxBadLabels: options.maxBadLabels,
          mode: options.mode,
          runId: options.runId,
          ...sessionIngestOptions(ctx, s, options.batchSize),
        });
        s.progress.stop();
        for (const w of result.warnings) ctx.status(`warning: ${w}`);
        if (result.erasedRowsLeftOut.rows > 0) ctx.status(leftOutLine(result.erasedRowsLeftOut));
        const model = options.train
          ? await trainInSession(ctx, s, result.runId, options.lambda, certify)
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
        printIngestSummary(ctx, result, model?.modelId);
        ctx.print(`  pipeline         ${result.pipeline} (sha256 ${result.pipelineSha256.slice(0, 12)}…)`);
      });
    });
}

/**
 * The `--source NAME=PATH` options as paths by source name (resolved against the working
 * directory). Whether each NAME is a source of the pipeline is checked by the ingest, before any
 * work (`ingest.unknownSource`).
 *
 * @throws UsageError `cli.badOption` for a value without NAME or PATH, or a NAME given twice.
 */
function parseSourceOptions(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf('=');
    const name = at < 0 ? '' : v.slice(0, at);
    const file = at < 0 ? '' : v.slice(at + 1);
    if (name === '' || file === '')
      throw new UsageError(
        'cli.badOption',
        `--source: expected NAME=PATH (a source of the pipeline and the file to read it from), got ${JSON.stringify(v)}`,
      );
    if (Object.hasOwn(out, name))
      throw new UsageError('cli.badOption', `--source: source "${name}" is given twice`);
    out[name] = path.resolve(file);
  }
  return out;
}

/** The options both ingest commands share. */
interface CommonIngestOptions extends CertifyCliOptions {
  mode: 'row' | 'op';
  runId?: string;
  batchSize?: number;
  train?: boolean;
  lambda?: number;
  json?: boolean;
}

interface IngestPipelineCliOptions extends CommonIngestOptions {
  data?: string;
  source?: string[];
}

/** Usage checks both ingest commands make before any work (exit 2). */
function checkCommonOptions(options: CommonIngestOptions): CertifyRequest | undefined {
  requireWith(options.lambda !== undefined, '--lambda', Boolean(options.train), '--train');
  requireWith(options.certify !== undefined, '--certify', Boolean(options.train), '--train');
  const certify = certifyRequestOf(options);
  if (options.runId !== undefined && !/^[A-Za-z0-9_.:-]{1,200}$/.test(options.runId))
    throw new UsageError(
      'cli.badOption',
      `--run-id: expected 1-200 letters, digits and _-.:, got ${JSON.stringify(options.runId)}`,
    );
  return certify;
}

/**
 * `--train`: trains the run's model in this process, between the train job's OpenLineage START
 * and COMPLETE/FAIL events (sent with the session's events, after the ingest's).
 */
function trainInSession(
  ctx: CliContext,
  s: IngestSession,
  runId: string,
  lambda: number | undefined,
  certify: CertifyRequest | undefined,
) {
  const modelId = `model-${randomUUID()}`;
  return withJobRunEvents(
    s.lineage,
    trainRunEvents(s.client, s.lineage.namespace, { modelId, runId }),
    (m) => ctx.logger.warn(m),
    () =>
      trainRunModel({
        client: s.client,
        home: openArtifactHome(ctx.config),
        runId,
        modelId,
        lambda,
        ...(certify ? { certify } : {}),
        signingKey: resolveSigningKey(ctx.config),
        warn: (m) => ctx.logger.warn(m),
      }),
  );
}

/** What an ingest action gets from {@link withIngestSession}. */
interface IngestSession {
  client: GraphClient;
  progress: ProgressReporter;
  /** Aborted by Ctrl-C: the write stops and its Run is cleaned up. */
  signal: AbortSignal;
  /** The deployment's OpenLineage events (flushed when the session ends). */
  lineage: LineageEmitter;
}

/**
 * Opens the Neo4j client, a progress reporter and a Ctrl-C handler, fails the Runs whose lease
 * expired (a dead ingest's), runs `work`, and always closes what it opened.
 */
async function withIngestSession(
  ctx: CliContext,
  what: string,
  work: (session: IngestSession) => Promise<void>,
): Promise<void> {
  const client = clientFor(ctx.config, ctx.config.neo4jUri);
  const progress = createProgressReporter({ status: ctx.status });
  const controller = new AbortController();
  const onSigint = () => controller.abort(new TracepropError('ingest.interrupted', 'interrupted (Ctrl-C)'));
  process.once('SIGINT', onSigint);
  const lineage = openLineageEmitter(ctx.config.openLineage, (m) => ctx.logger.warn(m));
  try {
    ctx.status(`${what} into ${client.uri}`);
    // Hosts with homes of their own share the salt through the artifact store.
    await shareErasureSalt(ctx.config);
    reportRecoveredRuns(ctx, await recoverExpiredRuns(client, ctx.config.runLeaseSeconds));
    await work({ client, progress, signal: controller.signal, lineage });
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSigint);
    await lineage.flush();
    await client.driver.close();
  }
}

/**
 * What both ingests take from the CLI session: the abort signal, progress callbacks, writer
 * batch size and lease, the artifact home and the erasure salt.
 */
function sessionIngestOptions(ctx: CliContext, s: IngestSession, batch: number | undefined) {
  return {
    signal: s.signal,
    onPipelineProgress: (e: { stage: string; done: number; total: number }) =>
      s.progress.update(e.stage, e.done, e.total),
    onWriteProgress: (p: { written: number; total: number }) =>
      s.progress.update('write lineage', p.written, p.total),
    writer: {
      ...(batch ? { rowBatchSize: batch, sampleBatchSize: batch, edgeBatchSize: batch } : {}),
      leaseSeconds: ctx.config.runLeaseSeconds,
    },
    artifactsHome: openArtifactHome(ctx.config),
    erasureSalt: resolveErasureSalt(ctx.config),
    signingKey: resolveSigningKey(ctx.config),
    lineageEvents: s.lineage,
  };
}

/** The human-readable summary of an ingest. */
function printIngestSummary(
  ctx: CliContext,
  result: IngestResult & {
    pipeline: string;
    features: number;
    pipelineSeconds: number;
    writeSeconds: number;
    erasedRowsLeftOut: ErasedRowsLeftOut;
  },
  modelId: string | undefined,
): void {
  ctx.print(`run ${result.runId} (${result.pipeline}, ${result.mode} mode): ${result.status}`);
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
  if (modelId) ctx.print(`  model            ${modelId} (version 1, active)`);
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
