import path from 'node:path';
import type { Worker } from 'bullmq';
import type { GraphClient } from '../src/graph/connection.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { trainRunModel } from '../src/jobs/train/run-train-job.js';
import { recordUnlearningRequest } from '../src/jobs/unlearning/unlearning-request-store.js';
import { runMatrixFromFeatures } from '../src/models/run-matrix-from-features.js';
import { saveRunMatrix } from '../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import type { createQueueConnection } from '../src/queue/create-queue-connection.js';
import { openQueue } from '../src/queue/open-queue.js';
import { startQueueWorker } from '../src/queue/start-queue-worker.js';
import { submitJob } from '../src/queue/submit-job.js';
import { waitForJob } from '../src/queue/wait-for-job.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';

/** Options of {@link measureUnlearnEndToEnd}. */
export interface UnlearnEndToEndOptions {
  client: GraphClient;
  connection: ReturnType<typeof createQueueConnection>;
  graph: { uri: string; user: string; password: string; database: string };
  home: string;
  tag: string;
  applicants: number;
  reps: number;
  log: (line: string) => void;
}

/**
 * `queue.unlearnEndToEndMs`: a generated credit-risk run is ingested (lineage in Neo4j, run
 * matrix with its recipe) and a model trained; then, per repetition, a `recompute` request that
 * erases every bureau row of 1% of the applicants is recorded and enqueued, and the clock stops
 * when the graph shows the request's new Model `active` (the sandboxed worker re-runs the
 * pipeline, updates the model and commits). One warm-up request forks the worker first.
 * Returns the median and every measurement; the caller removes the data (ids contain `tag`).
 */
export async function measureUnlearnEndToEnd(opts: UnlearnEndToEndOptions): Promise<Record<string, unknown>> {
  const { client, connection, home, tag } = opts;
  const seed = 1000 + Math.floor(Math.random() * 1e6); // fresh file contents: nothing shared with other runs
  const dir = path.join(home, `credit-risk-${tag}`);
  await generateCreditRisk({ applicants: opts.applicants, seed, outDir: dir });
  const result = await runCreditRiskFile(dir, { mode: 'row', runId: `run-${tag}-cr` });
  const lineage = result.lineage;
  if (!lineage?.provenance) throw new Error('row mode gives provenance');
  const ingestStarted = performance.now();
  await writeLineageRun(client, lineage);
  await saveRunMatrix(home, runMatrixFromFeatures(result, lineage.runId));
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  await trainRunModel({ client, home, runId: lineage.runId, modelId: `model-${tag}-cr`, lambda: 1e-3 });
  const bureau = lineage.files.find((f) => f.table === 'bureau');
  if (!bureau) throw new Error('no bureau file');
  const bureauRowsOf = (sample: number): number[] => {
    const p = lineage.provenance as NonNullable<typeof lineage.provenance>;
    const out: number[] = [];
    for (let q = p.offsets[sample]; q < p.offsets[sample + 1]; q++) {
      const g = p.rowIds[q];
      if (g >= bureau.globalOffset && g < bureau.globalOffset + bureau.rows)
        out.push(g - bureau.globalOffset);
    }
    return out;
  };
  const perRequest = Math.max(1, Math.floor(0.01 * result.keys.length));
  const prefix = `bench-${tag}-ul-`;
  const queue = openQueue('unlearning', { connection, prefix });
  const worker: Worker = startQueueWorker({
    kind: 'unlearning',
    connection,
    prefix,
    graph: opts.graph,
    home,
  });
  worker.on('error', () => {});
  const times: number[] = [];
  const details: Record<string, unknown>[] = [];
  const jobIds: string[] = [];
  try {
    // Applicants 0..: request k erases all bureau rows of applicants [k·m, (k+1)·m) with rows.
    let next = 0;
    const takeApplicants = (): number[] => {
      const rows: number[] = [];
      let taken = 0;
      while (taken < perRequest && next < result.keys.length) {
        const r = bureauRowsOf(next++);
        if (r.length > 0) {
          rows.push(...r);
          taken++;
        }
      }
      return rows;
    };
    for (let k = 0; k <= opts.reps; k++) {
      const rows = takeApplicants();
      const requestId = `${tag}-ul-${k}`;
      const started = performance.now();
      await recordUnlearningRequest(client, { id: requestId, mode: 'recompute', target: {}, verify: false });
      const submitted = await submitJob(
        'unlearning',
        { target: { file: bureau.id, rows }, mode: 'recompute', requestId },
        { connection, queue },
      );
      jobIds.push(submitted.jobId);
      const modelId = await waitForActiveModel(client, requestId, 300_000);
      const ms = performance.now() - started;
      const summary = await waitForJob(queue, submitted.jobId, { intervalMs: 20, timeoutMs: 60_000 });
      if (summary.state !== 'completed') throw new Error(`unlearning job failed: ${summary.failedReason}`);
      const outcome = summary.returnvalue as { affectedSamples: number; recomputedSamples: number };
      if (k > 0) {
        times.push(ms);
        details.push({ ms: Math.round(ms), sourceRows: rows.length, ...outcome, modelId });
      }
      opts.log(
        `queue: unlearn recompute ${k === 0 ? '(warm-up) ' : ''}${rows.length} bureau rows of ${perRequest} applicants → ${outcome.recomputedSamples} samples re-derived, new active model in ${ms.toFixed(0)} ms`,
      );
    }
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    unlearnEndToEndMs: Math.round(sorted[(sorted.length - 1) >> 1]),
    unlearnEndToEnd: {
      applicants: opts.applicants,
      applicantsPerRequest: perRequest,
      mode: 'recompute',
      ingestSeconds,
      runs: details,
    },
    cleanup: { fileIds: lineage.files.map((f) => f.id), jobIds },
  };
}

async function waitForActiveModel(
  client: GraphClient,
  requestId: string,
  timeoutMs: number,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const session = client.driver.session({ database: client.database, defaultAccessMode: 'READ' });
  try {
    while (Date.now() < deadline) {
      const r = await session.run(
        `MATCH (u:UnlearningRequest {id: $id})
         OPTIONAL MATCH (u)-[:PRODUCED]->(m:Model {status: 'active'})
         RETURN u.status AS status, u.error AS error, m.id AS model`,
        { id: requestId },
      );
      const rec = r.records[0];
      if (rec?.get('status') === 'failed')
        throw new Error(`request ${requestId} failed: ${rec.get('error')}`);
      if (rec?.get('model')) return rec.get('model') as string;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await session.close();
  }
  throw new Error(`request ${requestId}: no active model after ${timeoutMs} ms`);
}

/**
 * Removes the unlearning data of a bench run: its requests and job runs, and its (freshly
 * generated, unshared) files and rows. Runs, samples, ops, models and predictions have `tag` in
 * their ids and are removed by the queue bench's own cleanup.
 */
export async function removeUnlearnFixture(
  client: GraphClient,
  tag: string,
  cleanup: { fileIds: string[]; jobIds: string[] },
): Promise<void> {
  const { fileIds, jobIds } = cleanup;
  const session = client.driver.session({ database: client.database });
  try {
    await session.run(
      `MATCH (n) WHERE (n:UnlearningRequest AND n.id CONTAINS $tag) OR (n:JobRun AND n.jobId IN $jobIds)
       DETACH DELETE n`,
      { tag, jobIds },
    );
    await session.run(
      `MATCH (f:SourceFile)<-[:IN_FILE]-(r:SourceRow) WHERE f.id IN $fileIds
       CALL (r) { DETACH DELETE r } IN TRANSACTIONS OF 5000 ROWS`,
      { fileIds },
    );
    await session.run('MATCH (f:SourceFile) WHERE f.id IN $fileIds DETACH DELETE f', { fileIds });
    // The fixture's tombstones too: left behind, they would outlive the temporary home's salt.
    await session.run('MATCH (t:Tombstone) WHERE t.fileId IN $fileIds DETACH DELETE t', { fileIds });
  } finally {
    await session.close();
  }
}
