import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { defaults } from '../../config.js';
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { shareErasureSalt } from '../../erasure/share-erasure-salt.js';
import { TracepropError, UsageError } from '../../errors.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import { adoptBookmarks, withSession } from '../../graph/connection.js';
import { writePendingPredictions } from '../../jobs/predictions/write-pending-predictions.js';
import type { ErasureInventory } from '../../jobs/unlearning/erasure-inventory.js';
import { parseRowSpec } from '../../jobs/unlearning/parse-row-spec.js';
import { prepareUnlearningRequest } from '../../jobs/unlearning/prepare-unlearning-request.js';
import type { UnlearningTarget } from '../../jobs/unlearning/resolve-target-rows.js';
import { runUnlearningInProcess } from '../../jobs/unlearning/run-unlearning-in-process.js';
import {
  type PendingPredictions,
  pendingPredictionModels,
  type UnlearningOutcome,
} from '../../jobs/unlearning/unlearning-outcome.js';
import { recordUnlearningRequest } from '../../jobs/unlearning/unlearning-request-store.js';
import { erasureRunEvents } from '../../openlineage/erasure-events.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { openLineageEmitter } from '../../openlineage/lineage-emitter.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { openQueue } from '../../queue/open-queue.js';
import { submitJob } from '../../queue/submit-job.js';
import { waitForJob } from '../../queue/wait-for-job.js';
import { queueUnlearningRequest } from '../../requests/queue-unlearning-request.js';
import { clientFor } from '../../services/ensure-services.js';
import type { CliContext } from '../context.js';
import { describeEncoderDrift } from '../encoder-drift-text.js';
import { parseInteger, parseNumber } from '../options.js';
import { parseKeyOptions } from '../parse-key-option.js';
import { inventoryWithQueue, printInventory } from './erasure.js';

interface UnlearnOptions {
  model?: string;
  file?: string;
  rows?: string;
  key?: string[];
  subject?: string;
  mode: string;
  verify?: boolean;
  budget?: number;
  minTrainingRows: number;
  reattribute?: boolean;
  wait?: boolean;
  local?: boolean;
  json?: boolean;
}

/**
 * `traceprop unlearn --model ID (--file NAME --rows 3,17,40-45 | --key COLUMN=VALUE … |
 * --subject ID) [--mode drop|recompute] [--verify] [--min-training-rows N] [--reattribute] [--wait]
 * [--json]`: erase source rows (or every row of one data subject) and update the model trained on
 * them (a certified Newton step; see docs/unlearning.md). `--reattribute` queues, per new model
 * version, one attribution job for the predictions whose attribution the erasure removed (also
 * with `--local`: the job goes on the attribution queue, so Redis is checked first).
 * Options, the file, the rows and the model are checked before anything is recorded. The new
 * versions' test predictions are not part of the request: a follow-up `predictions` job writes
 * them (queued by the request's job; `--wait` waits for the request, not for it, and prints its
 * job id); with `--local` they are written in this process right after the request.
 */
export function registerUnlearn(program: Command, ctx: CliContext): void {
  program
    .command('unlearn')
    .description('erase source rows (GDPR) and update the model trained on them by a certified Newton step')
    .option('--model <id>', 'the active model to update (default: the one trained on the affected samples)')
    .option(
      '--file <name>',
      "source file of --rows: its name or path (among the files the model's run read) or its content id",
    )
    .option('--rows <list>', '0-based data rows of --file, e.g. 3,17,40-45')
    .option(
      '--key <column=value>',
      'business key of a row to erase (repeatable)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option(
      '--subject <id>',
      "a data subject (the pipeline's `subject:`, e.g. a client id): erase every row of that person",
    )
    .option(
      '--mode <mode>',
      'drop (remove the affected samples) or recompute (re-derive them without the erased rows: remove old, add new)',
      'drop',
    )
    .option('--verify', 'also retrain from scratch (the gold model) and record the comparison')
    .option(
      '--budget <n>',
      'certificate budget on the gradient residual, ≥ 0 (past it: full retrain)',
      parseNumber,
    )
    .option(
      '--min-training-rows <n>',
      'refuse an update that leaves fewer training rows than this (or a single class)',
      parseInteger,
      defaults.minTrainingRows,
    )
    .option(
      '--reattribute',
      'after the update, queue an attribution job that explains again, with the new model version, the predictions whose attribution the erasure removed',
    )
    .option('--wait', 'wait for the job and print its result')
    .option('--local', 'run in this process instead of the unlearning queue (no Redis needed)')
    .option('--json', 'print one JSON document')
    .action(async (options: UnlearnOptions) => {
      // Every option is checked before anything is read or written (usage errors exit 2).
      const { target, mode } = validateOptions(options);
      const requestId = randomUUID();
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        await shareErasureSalt(ctx.config);
        // Unknown or ambiguous files, rows out of range, unknown models: refused before anything
        // is written. The job gets the file by content id and the model by id, so it resolves
        // the very rows checked here.
        // Keys and subjects erased before are found by their tombstones' salted hashes (the
        // deployment's salt).
        const salt = target.keys || target.subject ? resolveErasureSalt(ctx.config) : undefined;
        const prepared = await withSession(
          client,
          (s) =>
            s.executeRead((tx) =>
              prepareUnlearningRequest(
                tx,
                {
                  requestId,
                  target,
                  mode,
                  modelId: options.model,
                  fileName: options.file,
                  verify: Boolean(options.verify),
                  budget: options.budget,
                  minTrainingRows: options.minTrainingRows,
                  reattribute: Boolean(options.reattribute),
                },
                salt,
              ),
            ),
          'READ',
        );
        const { input, record: request } = prepared;
        if (options.local) {
          // --reattribute queues attribution jobs: Redis is checked before anything is recorded.
          const queues = options.reattribute ? await connectQueues(ctx.config.redisUrl) : undefined;
          const warn = (m: string) => ctx.logger.warn(m);
          const lineage = openLineageEmitter(ctx.config.openLineage, warn);
          try {
            await recordUnlearningRequest(client, request);
            const outcome = await withJobRunEvents(
              lineage,
              erasureRunEvents(client, lineage.namespace, { requestId, modelId: input.modelId }),
              warn,
              () =>
                runUnlearningInProcess(
                  client,
                  openArtifactHome(ctx.config),
                  input,
                  (p, stage) => ctx.status(`${p.toFixed(0)}% ${stage}`),
                  salt ?? resolveErasureSalt(ctx.config),
                  queues &&
                    (async (payload) =>
                      (
                        await submitJob('attribution', payload, {
                          connection: queues,
                          prefix: ctx.config.queuePrefix,
                        })
                      ).jobId),
                  resolveSigningKey(ctx.config),
                ),
            );
            // No queue: the new versions' test predictions (the follow-up job) are written here,
            // after the request completed.
            const pending = [outcome, ...(outcome.lines ?? [])].filter(
              (o) => o.predictions?.state === 'pending',
            );
            if (pending.length > 0) {
              ctx.status('writing the new versions’ test predictions (follow-up of the request)');
              const written = await writePendingPredictions(
                client,
                openArtifactHome(ctx.config),
                pendingPredictionModels(outcome),
              );
              const byModel = new Map(written.map((w) => [w.modelId, w]));
              for (const o of pending) {
                const w = o.predictions && byModel.get(o.predictions.modelId);
                if (o.predictions && w)
                  o.predictions = { ...o.predictions, state: 'written', count: w.predictions };
              }
            }
            report(ctx, outcome, options.json, await inventoryWithQueue(ctx, client, outcome.requestId));
          } finally {
            await lineage.flush();
            await queues?.quit();
          }
          return;
        }
        // Redis is checked before the request is recorded: when it is down the command exits 3
        // at once (`queue.redisUnavailable`) and leaves no request that nothing would process.
        const connection = await connectQueues(ctx.config.redisUrl);
        try {
          const submitted = await queueUnlearningRequest(
            client,
            { connection, prefix: ctx.config.queuePrefix },
            prepared,
          );
          if (!options.wait) {
            if (options.json) ctx.printJson({ requestId, jobId: submitted.jobId, state: submitted.state });
            else
              ctx.print(
                `request ${requestId} queued as job ${submitted.jobId} (see \`traceprop jobs watch ${submitted.jobId}\`)`,
              );
            return;
          }
          const queue = openQueue('unlearning', { connection, prefix: ctx.config.queuePrefix });
          try {
            const summary = await waitForJob(queue, submitted.jobId, {
              onUpdate: (s) =>
                ctx.status(
                  `${s.state} ${s.progress.percent}%${s.progress.stage ? ` ${s.progress.stage}` : ''}`,
                ),
            });
            if (summary.state === 'failed') {
              throw new TracepropError(
                'unlearning.failed',
                `unlearning request ${requestId} failed: ${summary.failedReason ?? 'unknown reason'}`,
              );
            }
            // Read what the worker wrote back (the inventory below) on any cluster member: take its
            // bookmarks; they are not part of the outcome printed.
            await adoptBookmarks(client, summary.returnvalue);
            const { graphBookmarks: _bookmarks, ...outcome } = summary.returnvalue as UnlearningOutcome & {
              graphBookmarks?: string[];
            };
            report(
              ctx,
              outcome,
              options.json,
              await inventoryWithQueue(ctx, client, outcome.requestId, connection),
            );
          } finally {
            await queue.close();
          }
        } finally {
          await connection.quit();
        }
      } finally {
        await client.driver.close();
      }
    });
}

/**
 * Checks every option before any work: the target (`--file` with `--rows`, `--key`, or
 * `--subject`), the mode, the budget and the model id.
 *
 * @throws UsageError (exit 2) `unlearning.badTarget`, `unlearning.badRows`, `unlearning.badKey`,
 *   `unlearning.badMode`, `unlearning.badBudget`, `unlearning.badModel`.
 */
function validateOptions(options: UnlearnOptions): { target: UnlearningTarget; mode: 'drop' | 'recompute' } {
  const target = parseTarget(options);
  if (options.mode !== 'drop' && options.mode !== 'recompute')
    throw new UsageError('unlearning.badMode', `--mode: expected drop or recompute, got "${options.mode}"`);
  if (options.budget !== undefined && !(options.budget >= 0))
    throw new UsageError('unlearning.badBudget', `--budget: expected a number ≥ 0, got ${options.budget}`);
  if (options.model !== undefined && options.model.trim() === '')
    throw new UsageError('unlearning.badModel', '--model: expected a model id, got an empty string');
  return { target, mode: options.mode };
}

function parseTarget(options: UnlearnOptions): UnlearningTarget {
  const byFile = options.file !== undefined || options.rows !== undefined;
  const byKey = (options.key?.length ?? 0) > 0;
  const bySubject = options.subject !== undefined;
  if (Number(byFile) + Number(byKey) + Number(bySubject) !== 1)
    throw new UsageError(
      'unlearning.badTarget',
      'name the rows to erase with --file NAME --rows LIST, with --key COLUMN=VALUE, or with --subject ID (exactly one of them)',
    );
  if (bySubject) {
    const subject = (options.subject ?? '').trim();
    if (subject === '')
      throw new UsageError(
        'unlearning.badTarget',
        '--subject: expected a data subject id, got an empty string',
      );
    return { subject };
  }
  if (byFile) {
    if (!options.file || !options.rows)
      throw new UsageError('unlearning.badTarget', '--file and --rows go together');
    return { file: options.file, rows: parseRowSpec(options.rows) };
  }
  const { column, keys } = parseKeyOptions(options.key ?? []);
  return { table: column, keys };
}

function report(
  ctx: CliContext,
  outcome: UnlearningOutcome,
  json: boolean | undefined,
  inventory: ErasureInventory,
): void {
  const o = outcome;
  if (json) {
    ctx.printJson({ ...outcome, inventory });
    return;
  }
  printReport(ctx, o);
  printInventory(ctx, inventory);
}

/** Where the new version's test predictions stand (written by the follow-up `predictions` job). */
function predictionsLine(p: PendingPredictions): string {
  if (p.state === 'written')
    return `test predictions of ${p.modelId}: ${p.count} written (follow-up of the request)`;
  if (p.state === 'queued')
    return `test predictions of ${p.modelId}: ${p.count} to write, queued as job ${p.jobId} (written after the request by \`traceprop worker\`; see \`traceprop jobs watch ${p.jobId}\`)`;
  return `test predictions of ${p.modelId}: ${p.count} pending (not written yet)`;
}

function printReport(ctx: CliContext, o: UnlearningOutcome): void {
  if (o.lines && o.lines.length > 1) {
    ctx.print(
      `request ${o.requestId} reached ${o.lines.length} model lines${o.linesAlreadyDone?.length ? ` (${o.linesAlreadyDone.length} more done by an earlier attempt)` : ''}; each was updated:`,
    );
    for (const line of o.lines) printReport(ctx, { ...line, lines: undefined });
    return;
  }
  if (o.repeatOf) {
    ctx.print(
      `request ${o.requestId}: all ${o.alreadyErased?.rows ?? 0} rows were already erased by request ${o.alreadyErased?.requestIds.join(', ')}; nothing changed`,
    );
    ctx.print(
      `the earlier result (request ${o.repeatOf}): model ${o.modelId} (version ${o.version}), ${o.affectedSamples} samples affected, ${o.forgottenTrainSamples} removed from training`,
    );
    return;
  }
  if (o.alreadyErased)
    ctx.print(
      `${o.alreadyErased.rows} of the rows were already erased by request ${o.alreadyErased.requestIds.join(', ')}: left out`,
    );
  ctx.print(
    o.recomputedSamples
      ? `request ${o.requestId}: ${o.affectedSamples} samples affected, ${o.recomputedSamples} re-derived without the erased rows (${o.recomputedTrainSamples ?? 0} training rows replaced), ${o.forgottenTrainSamples - (o.recomputedTrainSamples ?? 0)} removed from training`
      : `request ${o.requestId}: ${o.affectedSamples} samples affected, ${o.forgottenTrainSamples} removed from training`,
  );
  if (o.requestedModelId)
    ctx.print(
      `model ${o.requestedModelId} had been superseded: its active successor ${o.previousModelId} was updated`,
    );
  ctx.print(
    o.modelId === o.previousModelId
      ? `model ${o.modelId} unchanged`
      : `model ${o.modelId} (version ${o.version}) supersedes ${o.previousModelId}${o.fallback ? ' (full retrain: certificate over budget)' : ''}`,
  );
  if (o.certificate)
    ctx.print(`certificate: gradient residual ${o.certificate.gradientResidual.toExponential(2)}`);
  if (o.predictions) ctx.print(predictionsLine(o.predictions));
  if (o.reattributionJobs)
    ctx.print(
      o.reattributionJobs.length
        ? `re-attribution queued: attribution job ${o.reattributionJobs.join(', ')} (see \`traceprop jobs watch ID\`)`
        : 're-attribution: no prediction of the line lost its attribution; nothing queued',
    );
  const c = o.certified;
  if (c)
    ctx.print(
      c.retrainedFromScratch
        ? `certified (ε = ${c.epsilon}, δ = ${c.delta}): the removal would have exceeded the budget ε′ = ${c.budget}; retrained from scratch with a fresh perturbation (budget reset)`
        : `certified (ε = ${c.epsilon}, δ = ${c.delta}): charged ${c.charged.toExponential(2)} of ε′ = ${c.budget}; spent ${c.spent.toExponential(2)}, left ${c.left.toExponential(2)}`,
    );
  if (o.encoderDrift) ctx.print(describeEncoderDrift(o.encoderDrift));
  if (o.metrics) {
    const m = o.metrics;
    ctx.print(
      `verify: parameter gap closed ${(100 * m.paramGapClosed).toFixed(3)}%, test accuracy ${(100 * m.testAccuracy.unlearned).toFixed(2)}% (gold ${(100 * m.testAccuracy.gold).toFixed(2)}%), ${m.seconds.unlearned.toFixed(3)} s vs ${m.seconds.gold.toFixed(3)} s retrain`,
    );
  }
}
