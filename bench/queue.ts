import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import type { GraphClient } from '../src/graph/connection.js';
import { tracePrediction } from '../src/graph/queries/trace-prediction.js';
import { createQueueConnection } from '../src/queue/create-queue-connection.js';
import { openQueue } from '../src/queue/open-queue.js';
import { submitJob } from '../src/queue/submit-job.js';
import { waitForJob } from '../src/queue/wait-for-job.js';
import { buildAttributionFixture } from '../test/queue/attribution-fixture.js';
import { measureUnlearnEndToEnd, removeUnlearnFixture } from './queue-unlearning.js';
import { median } from './support/interleaved.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';
import { quantile, round } from './support/stats.js';
import { startWorker, stopWorker } from './support/worker-process.js';

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
  const samples = opts.quick ? 400 : 4000;
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
    const scaling = await measureWorkerScaling({
      fixture,
      connection,
      env: workerEnvironment(graph, opts.redisUrl, home),
      tag,
      jobsPerBatch,
      rounds: batches,
      log: opts.log,
    });
    const jobsPerSecond = scaling.jobsPerSecond;
    out.workerScaling = scaling;
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

/** The environment of a `traceprop worker` process of the bench (its own home, graph, Redis). */
function workerEnvironment(
  graph: { uri: string; user: string; password: string; database?: string },
  redisUrl: string,
  home: string,
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NEO4J_URI: graph.uri,
    NEO4J_USER: graph.user,
    NEO4J_PASSWORD: graph.password,
    ...(graph.database ? { NEO4J_DATABASE: graph.database } : {}),
    REDIS_URL: redisUrl,
    TRACEPROP_HOME: home,
  };
}

/** What {@link measureWorkerScaling} reports (`workerScaling` in the JSON). */
interface WorkerScaling {
  what: string;
  jobsPerSecond: Record<string, number>;
  speedupTwoVsOne: number;
  /** Medians of the jobs' own phases (seconds) per worker count: where a job's time went. */
  jobPhaseSeconds: Record<string, { inputs: number; compute: number; write: number; job: number }>;
  predictionsPerJob: number;
  trainRows: number;
  signed: boolean;
  loadAverage: { start: number; end: number };
}

/**
 * Attribution jobs per second with one and with two `traceprop worker` processes (what a user
 * runs), both sets started up front on their own queue prefixes and measured in alternating
 * rounds (1, 2, 1, 2, …) so a change in machine load hits both alike. Each job explains its own
 * slice of the test predictions (jobs of one round touch disjoint Prediction nodes, as requests
 * for different applicants do); every job goes through the real queue, a sandboxed child, the
 * graph reads and the exactly-once write-back.
 */
async function measureWorkerScaling(o: {
  fixture: Awaited<ReturnType<typeof buildAttributionFixture>>;
  connection: ReturnType<typeof createQueueConnection>;
  env: NodeJS.ProcessEnv;
  tag: string;
  jobsPerBatch: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<WorkerScaling> {
  const { fixture } = o;
  const loadStart = os.loadavg()[0];
  const perJob = Math.max(1, Math.ceil(fixture.testCount / o.jobsPerBatch));
  const slices = Array.from({ length: o.jobsPerBatch }, (_, j) =>
    Array.from(
      { length: perJob },
      (_, i) => `${fixture.runId}:s${fixture.trainCount + ((j * perJob + i) % fixture.testCount)}`,
    ),
  );
  const sets = [1, 2].map((workers) => ({
    workers,
    prefix: `bench-${o.tag}-w${workers}-`,
    processes: [] as ChildProcess[],
    rates: [] as number[],
    phases: [] as PhaseSample[],
  }));
  try {
    for (const set of sets) {
      for (let w = 0; w < set.workers; w++)
        set.processes.push(
          await startWorker(o.env, ['--queues', 'attribution', '--queue-prefix', set.prefix]),
        );
      const queue = openQueue('attribution', { connection: o.connection, prefix: set.prefix });
      try {
        // warm-up: one job per child forks and initialises it (and fills the kernel cache)
        await runBatch(queue, fixture.modelId, `warm-${set.workers}`, slices.slice(0, 2 * set.workers), o);
      } finally {
        await queue.close();
      }
    }
    for (let round = 0; round < o.rounds; round++) {
      for (const set of sets) {
        const queue = openQueue('attribution', { connection: o.connection, prefix: set.prefix });
        try {
          const batch = await runBatch(queue, fixture.modelId, `r${round}-${set.workers}`, slices, o);
          set.rates.push(slices.length / batch.seconds);
          set.phases.push(...batch.phases);
        } finally {
          await queue.close();
        }
      }
    }
  } finally {
    for (const set of sets) {
      await Promise.all(set.processes.map((p) => stopWorker(p)));
      const queue = openQueue('attribution', { connection: o.connection, prefix: set.prefix });
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  }
  const jobsPerSecond: Record<string, number> = {};
  const jobPhaseSeconds: WorkerScaling['jobPhaseSeconds'] = {};
  for (const set of sets) {
    jobsPerSecond[String(set.workers)] = round(median(set.rates), 3);
    const of = (k: keyof PhaseSample) => round(median(set.phases.map((p) => p[k])), 4);
    jobPhaseSeconds[String(set.workers)] = {
      inputs: of('inputs'),
      compute: of('compute'),
      write: of('write'),
      job: of('job'),
    };
    o.log(
      `queue: ${set.workers} worker process(es): ${jobsPerSecond[String(set.workers)]} attribution jobs/s (${perJob} predictions × ${fixture.trainCount} training rows each; job median ${jobPhaseSeconds[String(set.workers)].job} s: inputs ${jobPhaseSeconds[String(set.workers)].inputs}, compute ${jobPhaseSeconds[String(set.workers)].compute}, write ${jobPhaseSeconds[String(set.workers)].write})`,
    );
  }
  return {
    what: 'attribution jobs/s with 1 and 2 `traceprop worker` processes (fresh processes, warmed by one job per child), alternating rounds; each job explains its own slice of predictions',
    jobsPerSecond,
    speedupTwoVsOne: round(jobsPerSecond['2'] / jobsPerSecond['1'], 3),
    jobPhaseSeconds,
    predictionsPerJob: perJob,
    trainRows: fixture.trainCount,
    signed: false,
    loadAverage: { start: round(loadStart, 2), end: round(os.loadavg()[0], 2) },
  };
}

/** A job's own phases (from its result) and its time from taken to finished. */
interface PhaseSample {
  inputs: number;
  compute: number;
  write: number;
  job: number;
}

/** Submits one job per slice and waits for all; the batch's seconds and the jobs' phases. */
async function runBatch(
  queue: ReturnType<typeof openQueue>,
  modelId: string,
  label: string,
  slices: string[][],
  o: { connection: ReturnType<typeof createQueueConnection> },
): Promise<{ seconds: number; phases: PhaseSample[] }> {
  const started = performance.now();
  const ids: string[] = [];
  for (let j = 0; j < slices.length; j++) {
    const submitted = await submitJob(
      'attribution',
      { modelId, top: 10, samples: slices[j], requestId: `${label}-${j}` },
      { connection: o.connection, queue },
    );
    ids.push(submitted.jobId);
  }
  const phases: PhaseSample[] = [];
  for (const id of ids) {
    const summary = await waitForJob(queue, id, { intervalMs: 20, timeoutMs: 300_000 });
    if (summary.state !== 'completed') throw new Error(`bench job ${id} failed: ${summary.failedReason}`);
    const value = summary.returnvalue as { phaseSeconds?: Omit<PhaseSample, 'job'> } | undefined;
    const job = await queue.getJob(id);
    if (value?.phaseSeconds && job?.processedOn && job.finishedOn)
      phases.push({ ...value.phaseSeconds, job: (job.finishedOn - job.processedOn) / 1000 });
  }
  return { seconds: (performance.now() - started) / 1000, phases };
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
