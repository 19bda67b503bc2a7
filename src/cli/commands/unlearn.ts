import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { resolveErasureSalt } from '../../erasure/erasure-salt.js';
import { TracepropError, UsageError } from '../../errors.js';
import { createQueueConnection } from '../../queue/create-queue-connection.js';
import { openQueue } from '../../queue/open-queue.js';
import { submitJob } from '../../queue/submit-job.js';
import { waitForJob } from '../../queue/wait-for-job.js';
import { clientFor } from '../../services/ensure-services.js';
import { parseKeySpecs, parseRowSpec } from '../../unlearning-job/parse-row-spec.js';
import type { UnlearningTarget } from '../../unlearning-job/resolve-target-rows.js';
import type { UnlearningOutcome } from '../../unlearning-job/run-unlearning.js';
import { runUnlearningInProcess } from '../../unlearning-job/run-unlearning-in-process.js';
import { recordUnlearningRequest } from '../../unlearning-job/unlearning-request-store.js';
import type { CliContext } from '../context.js';
import { parseNumber } from '../options.js';

interface UnlearnOptions {
  model?: string;
  file?: string;
  rows?: string;
  key?: string[];
  mode: string;
  verify?: boolean;
  budget?: number;
  wait?: boolean;
  local?: boolean;
  json?: boolean;
}

/**
 * `traceprop unlearn --model ID (--file NAME --rows 3,17,40-45 | --key COLUMN=VALUE …)
 * [--mode drop|recompute] [--verify] [--wait] [--json]`: erase source rows and update the model
 * trained on them (a certified Newton step; see docs/unlearning.md).
 */
export function registerUnlearn(program: Command, ctx: CliContext): void {
  program
    .command('unlearn')
    .description('erase source rows (GDPR) and update the model trained on them by a certified Newton step')
    .option('--model <id>', 'the active model to update (default: the one trained on the affected samples)')
    .option('--file <name>', 'source file name (or content id) of --rows')
    .option('--rows <list>', '0-based data rows of --file, e.g. 3,17,40-45')
    .option(
      '--key <column=value>',
      'business key of a row to erase (repeatable)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option(
      '--mode <mode>',
      'drop (remove the affected samples) or recompute (re-derive them without the erased rows: remove old, add new)',
      'drop',
    )
    .option('--verify', 'also retrain from scratch (the gold model) and record the comparison')
    .option(
      '--budget <n>',
      'certificate budget on the gradient residual (past it: full retrain)',
      parseNumber,
    )
    .option('--wait', 'wait for the job and print its result')
    .option('--local', 'run in this process instead of the unlearning queue (no Redis needed)')
    .option('--json', 'print one JSON document')
    .action(async (options: UnlearnOptions) => {
      const requestId = randomUUID();
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      try {
        let target: UnlearningTarget;
        let mode: 'drop' | 'recompute';
        try {
          target = parseTarget(options);
          if (options.mode !== 'drop' && options.mode !== 'recompute') {
            throw new UsageError(
              'unlearning.badMode',
              `--mode: expected drop or recompute, got "${options.mode}"`,
            );
          }
          mode = options.mode;
        } catch (err) {
          if (err instanceof TracepropError) {
            await recordUnlearningRequest(client, {
              id: requestId,
              mode: options.mode === 'recompute' ? 'recompute' : 'drop',
              target: rawTarget(options),
              modelId: options.model,
              verify: Boolean(options.verify),
              status: 'failed',
              error: { code: err.code, message: err.message },
            });
          }
          throw err;
        }
        await recordUnlearningRequest(client, {
          id: requestId,
          mode,
          target,
          modelId: options.model,
          verify: Boolean(options.verify),
          budget: options.budget,
        });
        const input = { requestId, target, mode, ...(options.model ? { modelId: options.model } : {}) };
        if (options.local) {
          const outcome = await runUnlearningInProcess(
            client,
            ctx.config.home,
            input,
            (p, stage) => ctx.status(`${p.toFixed(0)}% ${stage}`),
            resolveErasureSalt(ctx.config),
          );
          report(ctx, outcome, options.json);
          return;
        }
        const connection = createQueueConnection(ctx.config.redisUrl);
        try {
          const submitted = await submitJob('unlearning', input, {
            connection,
            prefix: ctx.config.queuePrefix,
          });
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
            report(ctx, summary.returnvalue as UnlearningOutcome, options.json);
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

function parseTarget(options: UnlearnOptions): UnlearningTarget {
  const byFile = options.file !== undefined || options.rows !== undefined;
  const byKey = (options.key?.length ?? 0) > 0;
  if (byFile === byKey)
    throw new UsageError(
      'unlearning.badTarget',
      'name the rows to erase with --file NAME --rows LIST, or with --key COLUMN=VALUE (not both)',
    );
  if (byFile) {
    if (!options.file || !options.rows)
      throw new UsageError('unlearning.badTarget', '--file and --rows go together');
    return { file: options.file, rows: parseRowSpec(options.rows) };
  }
  const { column, keys } = parseKeySpecs(options.key ?? []);
  return { table: column, keys };
}

function rawTarget(options: UnlearnOptions): unknown {
  return { file: options.file ?? null, rows: options.rows ?? null, key: options.key ?? null };
}

function report(ctx: CliContext, outcome: UnlearningOutcome, json?: boolean): void {
  const o = outcome;
  if (json) {
    ctx.printJson(outcome);
    return;
  }
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
  if (o.metrics) {
    const m = o.metrics;
    ctx.print(
      `verify: parameter gap closed ${(100 * m.paramGapClosed).toFixed(3)}%, test accuracy ${(100 * m.testAccuracy.unlearned).toFixed(2)}% (gold ${(100 * m.testAccuracy.gold).toFixed(2)}%), ${m.seconds.unlearned.toFixed(3)} s vs ${m.seconds.gold.toFixed(3)} s retrain`,
    );
  }
}
