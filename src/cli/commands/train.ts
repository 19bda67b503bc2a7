import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { defaults } from '../../defaults.js';
import { TracepropError, UsageError } from '../../errors.js';
import { resolveSigningKey } from '../../evidence/key-file.js';
import type { CertifyRequest } from '../../jobs/train/certification-for.js';
import { modelIdForJob, type TrainedRunModel, trainRunModel } from '../../jobs/train/run-train-job.js';
import { withJobRunEvents } from '../../openlineage/job-run-events.js';
import { openLineageEmitter } from '../../openlineage/lineage-emitter.js';
import { trainRunEvents } from '../../openlineage/train-events.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { openQueue } from '../../queue/open-queue.js';
import { parsePayload } from '../../queue/parse-payload.js';
import { submitJob } from '../../queue/submit-job.js';
import { clientFor } from '../../services/ensure-services.js';
import {
  type CertifyCliOptions,
  certifyOption,
  certifyRequestOf,
  removalBudgetOption,
} from '../certify-options.js';
import type { CliContext } from '../context.js';
import { asUsageError, parsePositiveNumber } from '../options.js';
import { watchJob } from '../watch-job.js';

interface TrainOptions extends CertifyCliOptions {
  lambda?: number;
  queue?: boolean;
  wait?: boolean;
  requestId?: string;
  queuePrefix: string;
  json?: boolean;
}

/**
 * `traceprop train RUN_ID [--lambda L] [--queue [--wait] [--request-id TAG]] [--json]`: fit a
 * logistic model on an ingested run, in this process (default) or as a queued `train` job
 * (deterministic job id: the same run, λ and request id twice is one job; model `model-<jobId>`).
 */
export function registerTrain(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description(
      "fit an L2 logistic regression on an ingested run's train split; writes the Model and test Predictions",
    )
    .argument('<runId>', 'the ingest run whose saved model matrix to train on')
    .option(
      '--lambda <lambda>',
      `L2 strength on the mean loss, > 0 (default ${defaults.lambda})`,
      parsePositiveNumber,
    )
    .addOption(certifyOption())
    .addOption(removalBudgetOption())
    .option('--queue', 'submit a train job instead of training in this process (run `traceprop worker`)')
    .option('--wait', 'with --queue: wait for the job, showing progress on stderr, and print its model')
    .option('--request-id <tag>', 'with --queue: force a new job for an otherwise identical request')
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print one JSON document')
    .action(async (runId: string, options: TrainOptions) => {
      const certify = certifyRequestOf(options);
      if (!options.queue) {
        if (options.wait || options.requestId)
          throw new UsageError(
            'models.queueOnly',
            `${options.wait ? '--wait' : '--request-id'} only applies with --queue (in process, train always runs to the end)`,
          );
        const client = clientFor(ctx.config, ctx.config.neo4jUri);
        const warn = (m: string) => ctx.logger.warn(m);
        const lineage = openLineageEmitter(ctx.config.openLineage, warn);
        try {
          const modelId = `model-${randomUUID()}`;
          const model = await withJobRunEvents(
            lineage,
            trainRunEvents(client, lineage.namespace, { modelId, runId }),
            warn,
            () =>
              trainRunModel({
                client,
                home: openArtifactHome(ctx.config),
                runId,
                modelId,
                lambda: options.lambda,
                ...(certify ? { certify } : {}),
                signingKey: resolveSigningKey(ctx.config),
                warn,
              }),
          );
          if (options.json) ctx.printJson(model);
          else printModel(ctx, model);
        } finally {
          await lineage.flush();
          await client.driver.close();
        }
        return;
      }
      await trainQueued(ctx, runId, options, certify);
    });
}

async function trainQueued(
  ctx: CliContext,
  runId: string,
  options: TrainOptions,
  certify: CertifyRequest | undefined,
): Promise<void> {
  // The payload schema defaults λ the same way; its checks are usage errors, found before connecting.
  const lambda = options.lambda ?? defaults.lambda;
  const payload = {
    runId,
    lambda,
    ...(certify ? { certify } : {}),
    ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
  };
  asUsageError(() => parsePayload('train', payload));
  const connection = await connectQueues(ctx.config.redisUrl);
  const queue = openQueue('train', { connection, prefix: options.queuePrefix });
  try {
    const submitted = await submitJob('train', payload, { connection, prefix: options.queuePrefix, queue });
    const modelId = modelIdForJob(submitted.jobId);
    const verb = submitted.created ? 'queued' : 'already queued';
    if (!options.wait) {
      if (options.json) return ctx.printJson({ ...submitted, modelId });
      ctx.print(`${verb}: job ${submitted.jobId} (${submitted.state}), model ${modelId}`);
      ctx.print(`follow it with: traceprop jobs watch ${submitted.jobId}`);
      return;
    }
    ctx.status(`${verb}: job ${submitted.jobId}`);
    const summary = await watchJob(queue, submitted.jobId);
    if (summary.state === 'failed') {
      throw new TracepropError(
        'queue.jobFailed',
        `train job ${submitted.jobId} failed after ${summary.attemptsMade} attempt(s): ${summary.failedReason}${submitted.created ? '' : ' (this job had been submitted before: pass --request-id to submit the request again)'}`,
      );
    }
    // The worker's bookmarks (graphBookmarks) are for a reader in this process, not for the output.
    const { graphBookmarks: _bookmarks, ...model } = summary.returnvalue as TrainedRunModel & {
      graphBookmarks?: string[];
    };
    if (options.json) {
      ctx.printJson({
        ...model,
        jobId: submitted.jobId,
        queueName: submitted.queueName,
        created: submitted.created,
        attemptsMade: summary.attemptsMade,
      });
    } else {
      ctx.print(`job ${submitted.jobId} completed after ${summary.attemptsMade} attempt(s)`);
      printModel(ctx, model);
    }
  } finally {
    await queue.close();
    await connection.quit();
  }
}

function printModel(ctx: CliContext, model: TrainedRunModel): void {
  const m = model.metrics;
  ctx.print(
    `model ${model.modelId} (version ${model.version}, λ = ${model.lambda}) trained on run ${model.runId}`,
  );
  ctx.print(
    `train: ${m.trainRows} rows, accuracy ${(100 * m.trainAccuracy).toFixed(2)}%, loss ${m.trainLoss.toFixed(4)}`,
  );
  ctx.print(
    `test:  ${m.testRows} rows, accuracy ${(100 * m.testAccuracy).toFixed(2)}%, loss ${m.testLoss.toFixed(4)}`,
  );
  const c = model.certification;
  if (c)
    ctx.print(
      `certified removal: ε = ${c.certifiedEpsilon}, δ = ${c.certifiedDelta}, σ = ${c.certifiedSigma.toPrecision(3)}, removal budget ε′ = ${c.removalBudget}`,
    );
  ctx.print(
    model.committed === false
      ? `written by an earlier attempt; parameters in ${model.artifactPath}`
      : `${model.predictions} predictions written; parameters in ${model.artifactPath}`,
  );
}
