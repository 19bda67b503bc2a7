import type { Command } from 'commander';
import { attributionMethods, parseAttributionMethod } from '../../attribution/attribution-method.js';
import { defaults } from '../../defaults.js';
import { TracepropError } from '../../errors.js';
import { connectQueues } from '../../queue/connect-queues.js';
import { openQueue } from '../../queue/open-queue.js';
import { parsePayload } from '../../queue/parse-payload.js';
import { submitJob } from '../../queue/submit-job.js';
import type { CliContext } from '../context.js';
import { asUsageError, integerIn } from '../options.js';
import { watchJob } from '../watch-job.js';
import { printSummary } from './jobs.js';

interface AttributeOptions {
  model: string;
  samples: string;
  top: number;
  method: string;
  sampleSize?: number;
  wait?: boolean;
  json?: boolean;
  queuePrefix: string;
  requestId?: string;
}

/**
 * `traceprop attribute --model ID`: queues an attribution job (deterministic id: the same request
 * twice is one job); `--wait` follows it with a progress bar and prints its result.
 */
export function registerAttribute(program: Command, ctx: CliContext): void {
  program
    .command('attribute')
    .description(
      "queue attribution of a model's predictions to its training samples and source files (run `traceprop worker` to process)",
    )
    .requiredOption('--model <id>', 'model id')
    .option('--samples <which>', 'test, all, or comma-separated sample ids', 'test')
    .option(
      '--top <k>',
      'training samples kept per prediction (1-1000)',
      integerIn(1, 1000),
      defaults.attributionTop,
    )
    .option('--method <name>', `attribution method (${attributionMethods.join(', ')})`, 'ns')
    .option(
      '--sample-size <n>',
      'explain a seeded random sample of this many of the selected predictions (e.g. 10000 of a large test split)',
      integerIn(1, 100_000_000),
    )
    .option('--request-id <tag>', 'force a new job for an otherwise identical request')
    .option('--wait', 'wait for the job, showing progress on stderr')
    .option(
      '--queue-prefix <prefix>',
      'prefix of the queue names (default TRACEPROP_QUEUE_PREFIX)',
      ctx.config.queuePrefix,
    )
    .option('--json', 'print one JSON document')
    .action(async (options: AttributeOptions) => {
      const method = parseAttributionMethod(options.method);
      const samples: 'test' | 'all' | string[] =
        options.samples === 'test' || options.samples === 'all'
          ? options.samples
          : options.samples
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean);
      const payload = {
        modelId: options.model,
        samples,
        top: options.top,
        method,
        ...(options.sampleSize !== undefined ? { sampleSize: options.sampleSize } : {}),
        ...(options.requestId !== undefined ? { requestId: options.requestId } : {}),
      };
      // The payload schema's checks are usage errors, found before connecting to anything.
      asUsageError(() => parsePayload('attribution', payload));
      const connection = await connectQueues(ctx.config.redisUrl);
      const queue = openQueue('attribution', { connection, prefix: options.queuePrefix });
      try {
        const submitted = await submitJob('attribution', payload, {
          connection,
          prefix: options.queuePrefix,
          queue,
        });
        if (!options.wait) {
          if (options.json) return ctx.printJson(submitted);
          ctx.print(
            `${submitted.created ? 'queued' : 'already queued'}: job ${submitted.jobId} (${submitted.state})`,
          );
          ctx.print(`follow it with: traceprop jobs watch ${submitted.jobId}`);
          return;
        }
        ctx.status(`${submitted.created ? 'queued' : 'already queued'}: job ${submitted.jobId}`);
        const summary = await watchJob(queue, submitted.jobId);
        if (options.json) ctx.printJson({ ...submitted, job: summary });
        else printSummary(ctx, summary);
        if (summary.state === 'failed') {
          throw new TracepropError(
            'queue.jobFailed',
            `attribution job ${submitted.jobId} failed after ${summary.attemptsMade} attempt(s): ${summary.failedReason}`,
          );
        }
      } finally {
        await queue.close();
        await connection.quit();
      }
    });
}
