import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { resolveErasureSalt } from '../src/erasure/erasure-salt.js';
import { type GraphClient, withSession } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { writeLineageRun } from '../src/graph/lineage-writer.js';
import { runReadQuery } from '../src/graph/read-query.js';
import { runAttributionJob } from '../src/jobs/attribution/run-attribution-job.js';
import { trainRunModel } from '../src/jobs/train/run-train-job.js';
import { erasureInventory } from '../src/jobs/unlearning/erasure-inventory.js';
import { prepareUnlearningRequest } from '../src/jobs/unlearning/prepare-unlearning-request.js';
import type { UnlearningTarget } from '../src/jobs/unlearning/resolve-target-rows.js';
import { recordUnlearningRequest } from '../src/jobs/unlearning/unlearning-request-store.js';
import { loadModelArtifact, modelDir } from '../src/models/model-artifact-store.js';
import { runMatrixFromFeatures } from '../src/models/run-matrix-from-features.js';
import { loadRunMatrix, saveRunMatrix } from '../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { createQueueConnection, type QueueConnection } from '../src/queue/create-queue-connection.js';
import { openQueue } from '../src/queue/open-queue.js';
import { startQueueWorker } from '../src/queue/start-queue-worker.js';
import { submitJob } from '../src/queue/submit-job.js';
import { unlearningPayloadProbe } from '../src/queue/unlearning-payload-probe.js';
import { waitForJob } from '../src/queue/wait-for-job.js';
import { SeededRandom } from '../src/util/seeded-random.js';
import { clearGraph } from './support/clear-graph.js';
import { median } from './support/interleaved.js';
import { type Leak, type LeakNeedles, scanFiles, scanRedis } from './support/leak-scan.js';
import { runCreditRiskFile } from './support/run-credit-risk-file.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';

/** Options of {@link measureErasureCompleteness}. */
interface CompletenessOptions {
  client: GraphClient;
  redisUrl: string;
  quick: boolean;
  log: (line: string) => void;
}

/** λ of the three model lines trained on the one run. */
const lineLambdas = [1e-3, 1e-2, 1e-1];

/** The fixture's ids, for the scans and the cleanup. */
interface Fixture {
  runId: string;
  fileIds: string[];
  requestPrefix: string;
  jobIds: string[];
}

/**
 * `erasure.completenessLeaks` (issue 12): in an emptied bench graph, generated credit-risk data
 * (2,000 applicants; 400 with `quick`) ingested with row lineage and data subjects, three model lines (λ = 1e-3, 1e-2, 1e-1) trained on the one
 * run and the first attributed (INFLUENCED_BY edges), then `requests` random erasures (100; 10
 * with `quick`) through the real queue (a sandboxed BullMQ worker): two in three erase a random
 * applicant by subject id (`drop`), one in three 1–3 random rows of `bureau.csv` or
 * `previous_application.csv` (`recompute`). Before each request the bench notes what the rows
 * left behind (the subject id and row keys as text, the rows' CSV lines, the dropped sample's
 * feature values as the run matrix stores them); after it, it looks for them in every file under
 * the bench's TRACEPROP_HOME, every Redis key of its queue prefix and every node of the fixture in
 * Neo4j, and counts attribution edges to affected samples and model versions that still hold
 * parameters fitted on a dropped row. A positive control runs first: the same scan finds the first
 * request's needles before it is made (otherwise the bench refuses to report 0).
 */
export async function measureErasureCompleteness(
  opts: CompletenessOptions,
): Promise<Record<string, unknown>> {
  const { client, log } = opts;
  const applicants = opts.quick ? 400 : 2000;
  const requests = opts.quick ? 10 : 100;
  const config = loadConfig();
  const tag = `erasure-${randomUUID().slice(0, 8)}`;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-erasure-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-erasure-data-'));
  shareDeploymentSalt(config, home);
  const salt = resolveErasureSalt({ ...config, home });
  const connection = createQueueConnection(opts.redisUrl);
  const prefix = `bench-${tag}-`;
  const fixture: Fixture = { runId: `run-${tag}`, fileIds: [], requestPrefix: `${tag}-req-`, jobIds: [] };
  const queue = openQueue('unlearning', { connection, prefix });
  let worker: ReturnType<typeof startQueueWorker> | undefined;
  try {
    // Every generated data set numbers its applicants from the same first id: a subject id is one
    // person only in a graph that holds one data set (otherwise the request is refused as ambiguous).
    await clearGraph(client);
    await generateCreditRisk({ applicants, seed: 1000 + Math.floor(Math.random() * 1e6), outDir: dataDir });
    const result = await runCreditRiskFile(dataDir, { mode: 'row', runId: fixture.runId, subjects: true });
    const lineage = result.lineage;
    if (!lineage?.provenance) throw new Error('row mode gives provenance');
    await writeLineageRun(client, lineage);
    fixture.fileIds = lineage.files.map((f) => f.id);
    await saveRunMatrix(home, runMatrixFromFeatures(result, fixture.runId));
    const lines: string[] = [];
    for (const lambda of lineLambdas)
      lines.push((await trainRunModel({ client, home, runId: fixture.runId, lambda })).modelId);
    const attributionJob = `attr-${tag}`;
    fixture.jobIds.push(attributionJob);
    const attributed = await runAttributionJob(
      { client, home, jobId: attributionJob, attempt: 1, progress: async () => {} },
      { modelId: lines[0], samples: 'test', top: 5, method: 'ns' },
    );
    log(`erasure: ${applicants} applicants, ${lines.length} model lines, ${JSON.stringify(attributed)}`);

    const csvLines = new Map(
      lineage.files.map((f) => [f.id, fs.readFileSync(f.path, 'utf8').split(/\r?\n/)] as const),
    );
    const secondary = lineage.files.filter((f) => f.table === 'bureau' || f.table === 'previous_application');
    const application = lineage.files.find((f) => f.table === 'application');
    if (!application || secondary.length !== 2) throw new Error('credit-risk files not found in the lineage');
    const rng = new SeededRandom(20261206);
    const erasedSubjects = new Set<string>();
    const applicantKeys = [...result.keys].map(String);

    worker = startQueueWorker({
      kind: 'unlearning',
      connection,
      prefix,
      home,
      graph: {
        uri: config.neo4jUri,
        user: config.neo4jUser,
        password: config.neo4jPassword,
        database: config.neo4jDatabase,
      },
    });
    worker.on('error', () => {});

    const perRequest: RequestRecord[] = [];
    let control: Record<string, number> | undefined;
    for (let k = 0; k < requests; k++) {
      const requestId = `${fixture.requestPrefix}${k}`;
      const pick = await pickRequest(client, fixture, rng, k, {
        applicantKeys,
        erasedSubjects,
        secondary: secondary.map((f) => ({ id: f.id, rows: f.rows })),
      });
      const needles = await needlesOf(home, fixture, pick, csvLines);
      if (k === 0) {
        control = await countFound(client, connection, prefix, home, fixture, needles);
        if (control.graph === 0 || control.files === 0)
          throw new Error(
            `the leak scan found nothing before the first erasure (${JSON.stringify(control)}): it cannot see leaks`,
          );
      }
      const started = performance.now();
      const prepared = await withSession(client, (s) =>
        s.executeRead((tx) =>
          prepareUnlearningRequest(
            tx,
            { requestId, target: pick.target, mode: pick.mode, verify: false },
            salt,
          ),
        ),
      );
      await recordUnlearningRequest(client, prepared.record);
      const submitted = await submitJob('unlearning', prepared.input, { connection, queue });
      fixture.jobIds.push(submitted.jobId);
      const summary = await waitForJob(queue, submitted.jobId, { intervalMs: 20, timeoutMs: 600_000 });
      if (summary.state !== 'completed') {
        const job = await queue.getJob(submitted.jobId);
        throw new Error(
          `erasure ${requestId} (${JSON.stringify(pick.target)}, ${pick.mode}) failed: ${summary.failedReason}\n${job?.stacktrace?.join('\n') ?? ''}`,
        );
      }
      const seconds = (performance.now() - started) / 1000;
      if (pick.subject) erasedSubjects.add(pick.subject);

      const leaks = await findLeaks(client, connection, prefix, home, fixture, needles);
      const inventory = await erasureInventory(client, home, requestId, [
        unlearningPayloadProbe(connection, prefix),
      ]);
      perRequest.push({
        requestId,
        kind: pick.subject ? 'subject' : 'rows',
        seconds,
        leaks,
        inventoryHolding: inventory.ownedStoresHolding,
        inventoryStatus: inventory.status,
      });
      if (leaks.length > 0)
        log(
          `erasure: ${requestId}: lines ${JSON.stringify(prepared.input.lines)}, stores ${JSON.stringify(storesOf(summary.returnvalue))}`,
        );
      if (leaks.length > 0 || k % 10 === 9 || k === requests - 1)
        log(
          `erasure: request ${k + 1}/${requests} (${pick.subject ? 'subject' : 'rows'}) in ${seconds.toFixed(2)} s, ${leaks.length} leaks, inventory: ${inventory.ownedStoresHolding} owned stores holding${leaks.length ? `: ${JSON.stringify(leaks.slice(0, 3))}` : ''}`,
        );
    }
    const byStore: Record<string, number> = {};
    for (const r of perRequest) for (const l of r.leaks) byStore[l.store] = (byStore[l.store] ?? 0) + 1;
    return {
      requests,
      completenessLeaks: perRequest.reduce((a, r) => a + r.leaks.length, 0),
      completeness: {
        applicants,
        modelLines: lines.length,
        subjectRequests: perRequest.filter((r) => r.kind === 'subject').length,
        rowRequests: perRequest.filter((r) => r.kind === 'rows').length,
        leaksByStore: byStore,
        requestsWithLeaks: perRequest.filter((r) => r.leaks.length > 0).length,
        inventoryOwnedStoresHolding: perRequest.reduce((a, r) => a + r.inventoryHolding, 0),
        inventoryNotComplete: perRequest.filter((r) => r.inventoryStatus !== 'complete').length,
        controlBeforeFirstRequest: control,
        secondsPerRequestMedian: median(perRequest.map((r) => r.seconds)),
      },
    };
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    await connection.quit().catch(() => connection.disconnect());
    await removeErasureFixture(client, fixture).catch((err) => log(`erasure: cleanup failed: ${err}`));
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

/** One request's result. */
interface RequestRecord {
  requestId: string;
  kind: 'subject' | 'rows';
  seconds: number;
  leaks: Leak[];
  inventoryHolding: number;
  inventoryStatus: string;
}

/** A random request: a subject (drop) or a few rows of a secondary file (recompute). */
interface PickedRequest {
  target: UnlearningTarget;
  mode: 'drop' | 'recompute';
  subject?: string;
  /** Rows (file id, row) the request erases, and their business keys. */
  rows: { fileId: string; row: number; key: string | null }[];
  /** The applicant's sample the request drops (its business key), for a subject request. */
  droppedRow?: string;
}

async function pickRequest(
  client: GraphClient,
  fixture: Fixture,
  rng: SeededRandom,
  k: number,
  from: {
    applicantKeys: string[];
    erasedSubjects: Set<string>;
    secondary: { id: string; rows: number }[];
  },
): Promise<PickedRequest> {
  if (k % 3 !== 2) {
    for (;;) {
      const subject = from.applicantKeys[rng.int(from.applicantKeys.length)];
      if (from.erasedSubjects.has(subject)) continue;
      const rows = await runReadQuery(client, cypherText('bench', 'subject-rows'), {
        subject,
        fileIds: fixture.fileIds,
      });
      return {
        target: { subject },
        mode: 'drop',
        subject,
        droppedRow: subject,
        rows: rows.map((r) => ({
          fileId: String(r.fileId),
          row: Number(r.row),
          key: (r.key as string) ?? null,
        })),
      };
    }
  }
  for (;;) {
    const file = from.secondary[rng.int(from.secondary.length)];
    const wanted = [...new Set(Array.from({ length: 1 + rng.int(3) }, () => rng.int(file.rows)))];
    const found = await runReadQuery(client, cypherText('bench', 'file-row-keys'), {
      fileId: file.id,
      rows: wanted,
    });
    // Rows of an applicant erased before are erased already: pick live rows only, and rows some
    // sample derives from (a row no sample reads reaches no model line).
    if (found.length !== wanted.length || found.some((r) => r.erased === true || Number(r.samples) === 0))
      continue;
    return {
      target: { file: file.id, rows: wanted },
      mode: 'recompute',
      rows: found.map((r) => ({ fileId: file.id, row: Number(r.row), key: (r.key as string) ?? null })),
    };
  }
}

/**
 * What the request's rows left behind before it: the subject id and row keys (as `exact` texts),
 * the rows' CSV lines, and the dropped sample's stored feature values (≥ 3 of them, so that the
 * byte string is the row's own).
 */
async function needlesOf(
  home: string,
  fixture: Fixture,
  pick: PickedRequest,
  csvLines: Map<string, string[]>,
): Promise<Needles> {
  const exact = [
    ...new Set([
      ...(pick.subject ? [pick.subject] : []),
      ...pick.rows.flatMap((r) => (r.key ? [r.key] : [])),
    ]),
  ];
  const fragments = pick.rows.map((r) => {
    const line = csvLines.get(r.fileId)?.[r.row + 1];
    if (!line) throw new Error(`no CSV line for row ${r.row} of ${r.fileId}`);
    return line;
  });
  const bytes: Buffer[] = [];
  let droppedMatrixRow: number | undefined;
  if (pick.droppedRow !== undefined) {
    const matrix = await loadRunMatrix(home, fixture.runId);
    const row = matrix.sampleKeys.indexOf(pick.droppedRow);
    if (row >= 0) {
      droppedMatrixRow = row;
      const { rowPtr, values } = matrix.features;
      if (rowPtr[row + 1] - rowPtr[row] >= 3)
        bytes.push(Buffer.from(values.slice(rowPtr[row], rowPtr[row + 1]).buffer));
    }
  }
  const texts = [...exact.map((e) => JSON.stringify(e)), ...fragments];
  return { exact, fragments, texts, bytes, droppedMatrixRow };
}

/** What one request's rows left behind, as the file, Redis and graph scans look for it. */
interface Needles extends LeakNeedles {
  /** Keys and subject ids: equal to a property, in a list, or quoted in a text. */
  exact: string[];
  /** CSV lines: contained in a text. */
  fragments: string[];
  /** The run-matrix row of the sample a subject request drops (found before the request). */
  droppedMatrixRow?: number;
}

/** Needles found in each kind of store (the positive control before the first request). */
async function countFound(
  client: GraphClient,
  redis: QueueConnection,
  prefix: string,
  home: string,
  fixture: Fixture,
  needles: Needles,
): Promise<Record<string, number>> {
  const files = scanFiles(home, needles).leaks;
  return {
    graph: (await graphLeaks(client, fixture, needles)).length,
    files: files.length,
    matrixFeatureBytes: files.filter((l) => l.needle.endsWith('feature values')).length,
    redis: (await scanRedis(redis, prefix, needles)).leaks.length,
  };
}

async function graphLeaks(
  client: GraphClient,
  fixture: Fixture,
  needles: { exact: string[]; fragments: string[] },
): Promise<Leak[]> {
  const rows = await runReadQuery(client, cypherText('bench', 'needle-nodes'), {
    runId: fixture.runId,
    fileIds: fixture.fileIds,
    requestPrefix: fixture.requestPrefix,
    jobIds: fixture.jobIds,
    exact: needles.exact,
    fragments: needles.fragments,
  });
  return rows.map((r) => ({ store: `graph: ${r.label}`, location: String(r.id), needle: String(r.needle) }));
}

/**
 * Every place that still holds a needle after a request, plus the graph's attribution edges to
 * affected samples and the model versions that keep parameters fitted on the dropped sample.
 */
async function findLeaks(
  client: GraphClient,
  redis: QueueConnection,
  prefix: string,
  home: string,
  fixture: Fixture,
  needles: Needles,
): Promise<Leak[]> {
  const leaks: Leak[] = [
    ...scanFiles(home, needles).leaks,
    ...(await scanRedis(redis, prefix, needles)).leaks,
    ...(await graphLeaks(client, fixture, needles)),
  ];
  const [edges] = await runReadQuery(client, cypherText('bench', 'erased-sample-edges'), {
    requestPrefix: fixture.requestPrefix,
  });
  for (const kind of ['influences', 'shares'] as const)
    for (let i = 0; i < Number(edges[kind]); i++)
      leaks.push({ store: `graph: attribution edge`, location: kind, needle: 'an affected sample' });
  if (needles.droppedMatrixRow !== undefined)
    leaks.push(...(await artifactsFittedOn(home, fixture.runId, needles.droppedMatrixRow)));
  return leaks;
}

/**
 * Model versions on disk whose parameters are still readable and whose training rows include the
 * dropped sample's run-matrix row, and the row itself when the run matrix did not scrub it.
 */
async function artifactsFittedOn(home: string, runId: string, rowOf: number): Promise<Leak[]> {
  const matrix = await loadRunMatrix(home, runId);
  const leaks: Leak[] = [];
  const modelsRoot = path.dirname(modelDir(home, 'x'));
  for (const id of fs.existsSync(modelsRoot) ? fs.readdirSync(modelsRoot) : []) {
    if (!fs.existsSync(path.join(modelDir(home, id), 'params.bin'))) continue;
    const artifact = await loadModelArtifact(home, id);
    if (artifact.runId === runId && artifact.trainRows.includes(rowOf))
      leaks.push({
        store: 'model artifact',
        location: artifact.dir,
        needle: 'parameters fitted on a dropped row',
      });
  }
  if (!matrix.scrubbedRows?.has(rowOf))
    leaks.push({ store: 'run matrix', location: runId, needle: 'dropped row not scrubbed' });
  return leaks;
}

/** Removes one erasure bench fixture from the graph (its run, files' rows, requests, job runs). */
export async function removeErasureFixture(client: GraphClient, fixture: Fixture): Promise<void> {
  const session = client.driver.session({ database: client.database });
  try {
    await session.run(cypherText('bench', 'remove-erasure-fixture'), {
      runId: fixture.runId,
      fileIds: fixture.fileIds,
      requestPrefix: fixture.requestPrefix,
      jobIds: fixture.jobIds,
    });
  } finally {
    await session.close();
  }
}

/** The scrub reports of a request's outcome (every line's), for the log of a request that leaked. */
function storesOf(outcome: unknown): unknown[] {
  const o = outcome as { stores?: unknown[]; lines?: { stores?: unknown[] }[] } | undefined;
  return [...(o?.stores ?? []), ...(o?.lines ?? []).flatMap((l) => l.stores ?? [])];
}
