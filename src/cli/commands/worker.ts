import type { Command } from 'commander';
import { artifactsLocation, openArtifactHome } from '../../artifacts/open-artifact-home.js';
import { defaults } from '../../defaults.js';
import { UsageError } from '../../errors.js';
import { enqueuePendingPredictions } from '../../jobs/predictions/enqueue-pending-predictions.js';
import { sweepArtifactCache } from '../../models/sweep-artifact-cache.js';
import { connectQueues } from '../../queue/connect-queues.js';
import type { QueueConnection } from '../../queue/create-queue-connection.js';
import { openQueue } from '../../queue/open-queue.js';
import { hasProcessorFile, processorFile } from '../../queue/processor-file.js';
import { parseQueueKind, type QueueKind, queueKinds } from '../../queue/queue-kind.js';
import { runWorkers } from '../../queue/run-workers.js';
import { submitJob } from '../../queue/submit-job.js';
import { clientFor } from '../../services/ensure-services.js';
import { redactRedisUrl } from '../../services/redis-target.js';
import type { CliContext } from '../context.js';
import { parseInteger, parseList, parsePositiveInteger } from '../options.js';

interface WorkerOptions {
  concurrency: number;
  queues?: string[];
  queuePrefix: string;
  shutdownTimeout: number;
}

/**
 * `traceprop worker`: runs sandboxed BullMQ workers for the attribution, unlearning, train and
 * predictions queues (by default every kind whose processor is built) until SIGINT/SIGTERM; at
 * start it queues the `predictions` jobs of versions still `pending` (`sweepPendingPredictions`); then waits for
 * active jobs up to `--shutdown-timeout` seconds and force-closes (a second signal forces at
 * once). Logs go to stderr.
 */
export function registerWorker(program: Command, ctx: CliContext): void {
  program
    .command('worker')
    .description(
      'process queued attribution, unlearning, train and predictions jobs (sandboxed children; stop with Ctrl-C)',
    )
    .option(
      '--concurrency <n>',
      'jobs processed at once per queue (at least 1)',
      parsePositiveInteger,
      defaults.workerConcurrency,
    )
    .option(
      '--queues <list>',
      `comma-separated queues (default: ${queueKinds.join(',')}, those whose processor is built)`,
      parseList,
    )
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (isolates deployments sharing one Redis; default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option(
      '--shutdown-timeout <seconds>',
      'on SIGINT/SIGTERM, wait this long for active jobs before forcing',
      parseInteger,
      defaults.workerShutdownSeconds,
    )
    .action(async (options: WorkerOptions) => {
      const kinds = chooseKinds(options.queues, ctx);
      const connection = await connectQueues(ctx.config.redisUrl);
      const { config } = ctx;
      const group = runWorkers(
        kinds,
        {
          connection,
          prefix: options.queuePrefix,
          concurrency: options.concurrency,
          graph: {
            uri: config.neo4jUri,
            user: config.neo4jUser,
            password: config.neo4jPassword,
            database: config.neo4jDatabase,
          },
          home: config.home,
          redisUrl: config.redisUrl,
        },
        ctx.logger,
      );
      ctx.logger.info(
        {
          queues: kinds,
          prefix: options.queuePrefix,
          concurrency: options.concurrency,
          redis: redactRedisUrl(config.redisUrl),
          neo4j: config.neo4jUri,
          artifacts: artifactsLocation(config),
        },
        'worker started',
      );
      const stopSweeps = startCacheSweeps(ctx);
      if (kinds.includes('predictions')) void sweepPendingPredictions(ctx, connection, options.queuePrefix);
      await new Promise<void>((resolve) => {
        let stopping = false;
        const onSignal = (signal: NodeJS.Signals) => {
          if (stopping) {
            ctx.logger.warn({ signal }, 'second signal: forcing shutdown');
            process.exit(130);
          }
          stopping = true;
          stopSweeps();
          ctx.logger.info(
            { signal, deadlineSeconds: options.shutdownTimeout },
            'shutting down: waiting for active jobs',
          );
          void group.stop(options.shutdownTimeout * 1000).then(async (clean) => {
            ctx.logger.info({ clean }, clean ? 'workers closed' : 'deadline passed: workers force-closed');
            await connection.quit().catch(() => connection.disconnect());
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
            resolve();
          });
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
      });
    });
}

/**
 * At start, queues the follow-up `predictions` job of every model version whose test predictions
 * are still `pending` (an enqueue lost with an erasure's process; `enqueuePendingPredictions`),
 * and retries such a job that had failed for good (the version still owes its predictions).
 * A failure is logged, not fatal: the erasure's redelivery or the next start queues them.
 */
async function sweepPendingPredictions(
  ctx: CliContext,
  connection: QueueConnection,
  prefix: string,
): Promise<void> {
  const client = clientFor(ctx.config, ctx.config.neo4jUri);
  const queue = openQueue('predictions', { connection, prefix });
  try {
    const jobIds = await enqueuePendingPredictions(
      client,
      async (modelId) =>
        (await submitJob('predictions', { modelId }, { connection, prefix, queue, retryFailed: true })).jobId,
    );
    if (jobIds.length > 0) ctx.logger.info({ jobs: jobIds.length }, 'pending predictions queued');
  } catch (err) {
    ctx.logger.warn({ reason: (err as Error).message }, 'pending predictions sweep failed');
  } finally {
    await queue.close();
    await client.driver.close();
  }
}

/**
 * With a shared artifact store, sweeps the worker's artifact cache at start and every
 * `artifactCacheSweepSeconds` (see `sweepArtifactCache`); returns the function that stops it.
 */
function startCacheSweeps(ctx: CliContext): () => void {
  if (ctx.config.artifacts.kind === 'home') return () => {};
  const home = openArtifactHome(ctx.config);
  let running = false;
  const sweep = () => {
    if (running) return;
    running = true;
    sweepArtifactCache(home)
      .then(
        (swept) => {
          if (swept.binaries > 0 || swept.params > 0) ctx.logger.info(swept, 'artifact cache swept');
        },
        (err: unknown) => ctx.logger.warn({ reason: (err as Error).message }, 'artifact cache sweep failed'),
      )
      .finally(() => {
        running = false;
      });
  };
  sweep();
  const timer = setInterval(sweep, defaults.artifactCacheSweepSeconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

function chooseKinds(requested: string[] | undefined, ctx: CliContext): QueueKind[] {
  if (requested?.length) {
    const kinds = [...new Set(requested.map(parseQueueKind))];
    for (const kind of kinds) {
      if (!hasProcessorFile(kind)) {
        throw new UsageError(
          'queue.noProcessor',
          `queue ${kind} has no built processor (${processorFile(kind)}); run the build, or leave it out of --queues`,
        );
      }
    }
    return kinds;
  }
  const kinds = queueKinds.filter((kind) => {
    const built = hasProcessorFile(kind);
    if (!built)
      ctx.logger.warn(
        { queue: kind, processor: processorFile(kind) },
        'no processor built for this queue; skipped',
      );
    return built;
  });
  if (!kinds.length)
    throw new UsageError('queue.noProcessor', 'no queue has a built processor; run `npm run build` first');
  return kinds;
}
