import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import type { GraphClient } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { tracePrediction } from '../src/graph/queries/trace-prediction.js';
import { runReadQuery } from '../src/graph/read-query.js';
import { createQueueConnection } from '../src/queue/create-queue-connection.js';
import { openQueue } from '../src/queue/open-queue.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { median } from './support/interleaved.js';
import { runWatched } from './support/process-watch.js';
import { startWorker, stopWorker } from './support/worker-process.js';

const cli = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const r2 = (v: number) => Math.round(v * 100) / 100;
const gib = (bytes: number) => Math.round((bytes / 2 ** 30) * 1000) / 1000;

/**
 * Predictions explained by the scale bench's attribution: issue 15's "a sample of 10,000", or
 * TRACEPROP_BENCH_SCALE_PREDICTIONS (a smaller sample when 10,000 would take too long: the
 * JSON records the number explained and the seconds per prediction).
 */
function scaleAttributionSample(): number {
  const given = Number(process.env.TRACEPROP_BENCH_SCALE_PREDICTIONS);
  return Number.isInteger(given) && given > 0 ? given : 10_000;
}

/** What the rest of the story measured at one size: train, attribute, trace, erase one applicant. */
export interface ScaleStory {
  trainSeconds: number;
  trainPeakRssGiB: number;
  trainRows: number;
  /** `traceprop attribute --sample-size 10000 --wait` in a fresh CLI process, a worker already up. */
  attributionSeconds: number;
  /** The job's own time: taken by the worker → completed (the write-back included). */
  attributionJobSeconds: number;
  /** The score computation inside the job (`computeSeconds` of its result). */
  attributionComputeSeconds: number;
  predictionsExplained: number;
  /** Job time per prediction explained (attributionJobSeconds ÷ predictionsExplained). */
  secondsPerPrediction: number;
  influenceEdges: number;
  traceP50Ms: number;
  /** `traceprop unlearn --subject ID --mode recompute --wait` in a fresh CLI process. */
  erasureSeconds: number;
  /** Source rows the erasure erased (the applicant's application, bureau and previous rows). */
  erasedRows: number;
  /** Samples it re-derived (recompute) and dropped. */
  recomputedSamples: number;
  droppedSamples: number;
  /** The erasure job's own seconds per phase (its outcome's `seconds`: lineage, load, recompute, update, save, write, scrub). */
  erasurePhaseSeconds?: Record<string, number>;
  /**
   * Test predictions of the new version the erasure queued as its follow-up `predictions` job
   * (written after the request, not in it; before, its write-back wrote them: `erasurePredictionsWritten`).
   */
  erasurePredictionsQueued?: number;
}

interface StoryEnv {
  client: GraphClient;
  env: NodeJS.ProcessEnv;
  runId: string;
  applicants: number;
  log: (line: string) => void;
}

/**
 * After a scale size's ingest: `traceprop train` in a fresh process; a `traceprop worker`
 * started on the size's home and queue prefix; `traceprop attribute --sample-size 10000 --wait`
 * (the ns method, top 10) in a fresh CLI process; the p50 of `trace` over 50 of the explained
 * predictions after 5 warm-ups; and `traceprop unlearn --subject <one training applicant> --mode
 * recompute --wait`. Wall times are what a user waits for; the jobs' own times come from their
 * BullMQ timestamps.
 */
export async function measureScaleStory(s: StoryEnv): Promise<ScaleStory> {
  s.log(`scale ${s.applicants}: training (fresh process)`);
  const trained = await runCli(s.env, ['train', s.runId, '--json']);
  const model = JSON.parse(trained.stdout) as { modelId: string; trainRows?: number };
  const worker = await startWorker(s.env);
  try {
    const sample = scaleAttributionSample();
    s.log(`scale ${s.applicants}: attributing ${sample} predictions`);
    const attributed = await runCli(s.env, [
      'attribute',
      '--model',
      model.modelId,
      '--sample-size',
      String(sample),
      '--wait',
      '--json',
    ]);
    const attribution = JSON.parse(attributed.stdout) as { job: JobOutcome };
    const attributionResult = attribution.job.returnvalue as {
      predictions: number;
      influencedBy: number;
      computeSeconds: number;
      trainRows: number;
    };
    const ids = (
      await runReadQuery(s.client, cypherText('bench', 'attributed-predictions'), {
        modelId: model.modelId,
        limit: 55,
      })
    ).map((r) => String(r.id));
    const times: number[] = [];
    for (const [k, id] of ids.entries()) {
      const t0 = performance.now();
      await tracePrediction(s.client, { predictionId: id, top: 10 });
      if (k >= 5) times.push(performance.now() - t0);
    }
    const subject = await trainingApplicant(s);
    s.log(`scale ${s.applicants}: erasing applicant ${subject} (recompute)`);
    const erased = await runCli(s.env, [
      'unlearn',
      '--subject',
      subject,
      '--mode',
      'recompute',
      '--wait',
      '--json',
    ]);
    const erasure = JSON.parse(erased.stdout) as {
      sourceRows: number;
      recomputedSamples: number;
      droppedSamples: number;
      seconds?: Record<string, number>;
      predictions?: { count: number; state: string };
    };
    const story: ScaleStory = {
      trainSeconds: r2(trained.seconds),
      trainPeakRssGiB: gib(trained.peakRssBytes),
      trainRows: attributionResult.trainRows,
      attributionSeconds: r2(attributed.seconds),
      attributionJobSeconds: r2(jobSeconds(attribution.job)),
      attributionComputeSeconds: r2(attributionResult.computeSeconds),
      predictionsExplained: attributionResult.predictions,
      secondsPerPrediction:
        Math.round((jobSeconds(attribution.job) / Math.max(1, attributionResult.predictions)) * 10_000) /
        10_000,
      influenceEdges: attributionResult.influencedBy,
      traceP50Ms: r2(median(times)),
      erasureSeconds: r2(erased.seconds),
      erasedRows: erasure.sourceRows,
      recomputedSamples: erasure.recomputedSamples,
      droppedSamples: erasure.droppedSamples,
      ...(erasure.seconds ? { erasurePhaseSeconds: erasure.seconds } : {}),
      ...(erasure.predictions ? { erasurePredictionsQueued: erasure.predictions.count } : {}),
    };
    s.log(
      `scale ${s.applicants}: train ${story.trainSeconds} s (${story.trainRows} rows); attribution of ${story.predictionsExplained} predictions ${story.attributionSeconds} s (job ${story.attributionJobSeconds} s, compute ${story.attributionComputeSeconds} s); trace p50 ${story.traceP50Ms} ms; erasure of one applicant ${story.erasureSeconds} s (${story.erasedRows} rows; job phases ${Object.entries(
        story.erasurePhaseSeconds ?? {},
      )
        .map(([k, v]) => `${k} ${v} s`)
        .join(', ')}; ${story.erasurePredictionsQueued ?? '?'} test predictions queued as a follow-up job)`,
    );
    return story;
  } finally {
    await stopWorker(worker);
    await removeQueues(s.env);
  }
}

/** Removes the story's queues (its own prefix) from Redis. */
async function removeQueues(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadConfig(env);
  const connection = createQueueConnection(config.redisUrl);
  try {
    for (const kind of ['attribution', 'unlearning', 'train'] as const) {
      const queue = openQueue(kind, { connection, prefix: config.queuePrefix });
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    }
  } finally {
    await connection.quit().catch(() => connection.disconnect());
  }
}

interface JobOutcome {
  state: string;
  failedReason?: string;
  returnvalue?: unknown;
  processedAt?: string;
  finishedAt?: string;
}

function jobSeconds(job: JobOutcome): number {
  if (!job.processedAt || !job.finishedAt) return Number.NaN;
  return (Date.parse(job.finishedAt) - Date.parse(job.processedAt)) / 1000;
}

async function runCli(env: NodeJS.ProcessEnv, args: string[]) {
  const run = await runWatched(process.execPath, [cli, ...args], { env });
  if (run.code !== 0) throw new Error(`traceprop ${args[0]} exited ${run.code}: ${run.stderr.slice(-2000)}`);
  return run;
}

/** The data subject (applicant id) of a random training sample of the run. */
async function trainingApplicant(s: StoryEnv): Promise<string> {
  const rng = new SeededRandom(s.applicants + 1);
  for (let attempt = 0; attempt < 100; attempt++) {
    const sampleId = `${s.runId}:s:${Math.floor(rng.next() * s.applicants * 0.9)}`;
    const [row] = await runReadQuery(s.client, cypherText('bench', 'sample-subject'), { sampleId });
    if (row?.split === 'train') return String(row.subject);
  }
  throw new Error(`no training sample with a data subject found in run ${s.runId}`);
}
