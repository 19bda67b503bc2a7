import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'bullmq';
import { loadConfig } from '../src/config.js';
import type { GraphClient } from '../src/graph/connection.js';
import { tracePrediction } from '../src/graph/queries/trace-prediction.js';
import { createQueueConnection } from '../src/queue/create-queue-connection.js';
import { openQueue } from '../src/queue/open-queue.js';
import { startQueueWorker } from '../src/queue/start-queue-worker.js';
import { submitJob } from '../src/queue/submit-job.js';
import { waitForJob } from '../src/queue/wait-for-job.js';
import { buildAttributionFixture } from '../test/queue/attribution-fixture.js';
import { measureUnlearnEndToEnd, removeUnlearnFixture } from './queue-unlearning.js';
import { median } from './support/interleaved.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';
import { quantile, round } from './support/stats.js';

/** Options of {@link runQueueBench}. */
export interface QueueBenchOptions {
  quick?: boolean;
  log: (line: string) => void;
  client: GraphClient;
  redisUrl: string;
}

/**
 * The `queue` bench section: attribution jobs per second end to end (submit → sandboxed child
 * computes → exactly-once write-back) with 1 and 2 workers, and the p50 of the one-query `trace`
 * audit answer. Uses a synthetic run (applicants + bureau provenance) in a temporary home and
 * queue-name prefix, removed afterwards. `unlearnEndToEndMs`: enqueue → new active model for a
 * recompute request erasing the bureau rows of 1% of 20k generated applicants (see
 * `queue-unlearning.ts`; 2k with `quick`).
 */
export async function runQueueBench(opts: QueueBenchOptions): Promise<Record<string, unknown>> {
  const config = loadConfig();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-queue-'));
  shareDeploymentSalt(config, home);
  const tag = `bq${randomUUID().slice(0, 8)}`;
  const samples = opts.quick ? 200 : 1000;
  const jobsPerBatch = opts.quick ? 6 : 20;
  const batches = opts.quick ? 1 : 5;
  const graph = {
    uri: opts.client.uri,
    user: config.neo4jUser,
    password: config.neo4jPassword,
    database: opts.client.database,
  };
  const connection = createQueueConnection(opts.redisUrl);
  const out: Record<string, unknown> = {};
  let unlearnCleanup: { fileIds: string[]; jobIds: string[] } | undefined;
  try {
    const fixture = await buildAttributionFixture(opts.client, home, tag, samples);
    opts.log(
      `queue: synthetic run of ${samples} samples (${fixture.trainCount} train, ${fixture.testCount} test)`,
    );
    const jobsPerSecond: Record<string, number> = {};
    for (const workers of [1, 2]) {
      const prefix = `bench-${tag}-w${workers}-`;
      const queue = openQueue('attribution', { connection, prefix });
      const running: Worker[] = [];
      try {
        for (let w = 0; w < workers; w++)
          running.push(startQueueWorker({ kind: 'attribution', connection, prefix, graph, home }));
        for (const worker of running) worker.on('error', () => {});
        // warm-up: one job per worker forks and initialises the children
        await runBatch(queue, fixture.modelId, `warm-${workers}`, workers, connection, prefix);
        const rates: number[] = [];
        for (let b = 0; b < batches; b++) {
          const seconds = await runBatch(
            queue,
            fixture.modelId,
            `b${b}-${workers}`,
            jobsPerBatch,
            connection,
            prefix,
          );
          rates.push(jobsPerBatch / seconds);
        }
        jobsPerSecond[String(workers)] = round(median(rates), 3);
        opts.log(
          `queue: ${workers} worker(s): ${jobsPerSecond[String(workers)]} attribution jobs/s (${fixture.testCount} predictions × ${fixture.trainCount} training rows each)`,
        );
      } finally {
        await Promise.all(running.map((w) => w.close()));
        await queue.obliterate({ force: true });
        await queue.close();
      }
    }
    out.attributionJobsPerSecond = jobsPerSecond;
    const ids = Array.from(
      { length: fixture.testCount },
      (_, i) => `${fixture.modelId}:${fixture.runId}:s${fixture.trainCount + i}`,
    );
    const reps = opts.quick ? 20 : 100;
    for (let i = 0; i < 5; i++)
      await tracePrediction(opts.client, { predictionId: ids[i % ids.length], top: 10 });
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const started = performance.now();
      await tracePrediction(opts.client, { predictionId: ids[(i * 7) % ids.length], top: 10 });
      times.push(performance.now() - started);
    }
    out.traceP50Ms = round(quantile(times, 0.5), 2);
    out.traceP99Ms = round(quantile(times, 0.99), 2);
    opts.log(
      `queue: trace p50 ${out.traceP50Ms} ms, p99 ${out.traceP99Ms} ms (top 10, each with its source rows)`,
    );
    const unlearn = await measureUnlearnEndToEnd({
      client: opts.client,
      connection,
      graph,
      home,
      tag,
      applicants: opts.quick ? 2000 : 20000,
      reps: opts.quick ? 1 : 5,
      log: opts.log,
    });
    unlearnCleanup = unlearn.cleanup as typeof unlearnCleanup;
    out.unlearnEndToEndMs = unlearn.unlearnEndToEndMs;
    out.unlearnEndToEnd = unlearn.unlearnEndToEnd;
    return out;
  } finally {
    if (unlearnCleanup) await removeUnlearnFixture(opts.client, tag, unlearnCleanup).catch(() => {});
    await removeFixture(opts.client, tag).catch(() => {});
    await connection.quit().catch(() => connection.disconnect());
    fs.rmSync(home, { recursive: true, force: true });
  }
}

async function runBatch(
  queue: ReturnType<typeof openQueue>,
  modelId: string,
  label: string,
  jobs: number,
  connection: ReturnType<typeof createQueueConnection>,
  prefix: string,
): Promise<number> {
  const started = performance.now();
  const ids: string[] = [];
  for (let j = 0; j < jobs; j++) {
    const submitted = await submitJob(
      'attribution',
      { modelId, top: 10, requestId: `${label}-${j}` },
      { connection, prefix, queue },
    );
    ids.push(submitted.jobId);
  }
  for (const id of ids) {
    const summary = await waitForJob(queue, id, { intervalMs: 20, timeoutMs: 300_000 });
    if (summary.state !== 'completed') throw new Error(`bench job ${id} failed: ${summary.failedReason}`);
  }
  return (performance.now() - started) / 1000;
}

async function removeFixture(client: GraphClient, tag: string): Promise<void> {
  const session = client.driver.session({ database: client.database });
  try {
    await session.run(
      `MATCH (n) WHERE (n:Prediction OR n:Sample OR n:Run OR n:Op OR n:Model OR n:SourceFile OR n:SourceRow) AND n.id CONTAINS $tag
       CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`,
      { tag },
    );
  } finally {
    await session.close();
  }
}
