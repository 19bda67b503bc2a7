import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactLocation } from '../../src/artifacts/artifact-home.js';
import { artifactKeys } from '../../src/artifacts/artifact-keys.js';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { packageRoot } from '../../src/config.js';
import { erasureSaltFile } from '../../src/erasure/erasure-salt.js';
import { hasCode } from '../../src/errors.js';
import { computeAttribution } from '../../src/jobs/attribution/compute-attribution.js';
import { readAttributionInputs } from '../../src/jobs/attribution/read-attribution-inputs.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { openQueue } from '../../src/queue/open-queue.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { waitForJob } from '../../src/queue/wait-for-job.js';
import { ingestCreditRiskArgs, runTraceprop } from '../support/cli.js';
import { filesUnder } from '../support/files-under.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { newRedisConnection, obliterateQueueKeys, trackBullmq, uniqueQueueName } from '../support/queue.js';
import { trackResource } from '../support/resources.js';
import { useS3Server } from '../support/s3-server.js';
import { testServices } from '../support/services.js';

describe('a worker with an empty home of its own, reading artifacts from an S3 bucket', () => {
  const graph = useCleanGraph();
  const s3 = useS3Server();

  it('serves an attribution job and an erasure job from the object store only', async function () {
    this.timeout(300_000);
    const { config } = testServices();
    const prefix = `deploy-${Date.now()}`;
    // Host A: ingests and trains with a home of its own, publishing to the bucket.
    const homeA = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-host-a-'));
    const homeB = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-host-b-'));
    const shared = new S3ArtifactStore(s3().config(prefix));
    const hostA: ArtifactLocation = { dir: homeA, shared };
    const connection = newRedisConnection();
    const queuePrefix = `${uniqueQueueName('s3')}-`;
    const attribution = trackBullmq('queue', openQueue('attribution', { connection, prefix: queuePrefix }));
    const unlearning = trackBullmq('queue', openQueue('unlearning', { connection, prefix: queuePrefix }));
    // Host B: `traceprop worker` with nothing but the services, the bucket and an empty home.
    const env: Record<string, string> = {
      REDIS_URL: config.redisUrl,
      NEO4J_URI: config.neo4jUri,
      ...(config.neo4jPassword ? { NEO4J_PASSWORD: config.neo4jPassword } : {}),
      TRACEPROP_HOME: homeB,
      ...s3().env(prefix),
    };
    let log = '';
    let worker: ReturnType<typeof spawn> | undefined;
    let exited: Promise<number | null> | undefined;
    const untrack = trackResource('worker process', () => worker?.kill('SIGKILL'));
    try {
      // `traceprop ingest` and `traceprop train` on host A, publishing to the bucket.
      const generated = await generateCreditRisk({
        applicants: 300,
        seed: 73,
        outDir: path.join(homeA, 'data'),
      });
      const byTable = Object.fromEntries(generated.files.map((f) => [f.table, f.path]));
      const files = {
        application: byTable.application,
        bureau: byTable.bureau,
        previous: byTable.previous_application,
      };
      const hostAEnv = { TRACEPROP_HOME: homeA, ...s3().env(prefix) };
      const ingested = (await runTraceprop(ingestCreditRiskArgs(files, '--json'), { env: hostAEnv }))
        .ok()
        .json();
      const run = { runId: String(ingested.runId) };
      const trained = (
        await runTraceprop(['train', run.runId, '--lambda', '0.01', '--json'], { env: hostAEnv })
      )
        .ok()
        .json();
      const model = { modelId: String(trained.modelId), paramsSha256: String(trained.paramsSha256) };
      const matrixA = await loadRunMatrix(homeA, run.runId);
      assert.ok(await shared.exists(artifactKeys.runBinary(run.runId, matrixA.sha256)));
      assert.ok(await shared.exists(artifactKeys.modelParams(model.modelId, model.paramsSha256)));
      assert.deepEqual(filesUnder(homeB), []);

      worker = spawn(
        process.execPath,
        [path.join(packageRoot, 'dist', 'src', 'cli', 'main.js'), 'worker', '--queue-prefix', queuePrefix],
        { env, cwd: homeB, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      worker.stderr?.on('data', (chunk: Buffer) => {
        log += chunk.toString('utf8');
      });
      const child = worker;
      exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));

      // Attribution: the worker downloads the model and the run matrix (verified) into its home.
      const submitted = await submitJob(
        'attribution',
        { modelId: model.modelId, top: 3, method: 'ns' },
        { connection, queue: attribution },
      );
      const summary = await waitForJob(attribution, submitted.jobId, { timeoutMs: 120_000 });
      assert.equal(summary.state, 'completed', `${summary.failedReason}\n${log}`);
      assert.match(log, new RegExp(`"artifacts":"s3://${s3().bucket}/${prefix}"`));
      const cached = filesUnder(homeB);
      assert.ok(
        cached.includes(path.join('runs', encodeURIComponent(run.runId), 'matrix.bin')),
        cached.join('\n'),
      );
      assert.ok(
        cached.includes(path.join('models', encodeURIComponent(model.modelId), 'params.bin')),
        cached.join('\n'),
      );
      // The scores it wrote are the ones host A computes from its own files.
      const inputs = await readAttributionInputs(graph(), homeA, model.modelId);
      const expected = await computeAttribution(inputs.artifact, inputs.matrix, {
        samples: 'test',
        top: 3,
        method: 'ns',
        erasedSamples: inputs.erasedSamples,
      });
      const written = await withTestSession(graph(), async (s) =>
        (
          await s.run(
            `MATCH (p:Prediction)-[e:INFLUENCED_BY {jobId: $jobId}]->(x:Sample)
             RETURN p.id AS prediction, x.id AS sample, e.rank AS rank, e.score AS score ORDER BY prediction, rank`,
            { jobId: submitted.jobId },
          )
        ).records.map(
          (r) => r.toObject() as { prediction: string; sample: string; rank: number; score: number },
        ),
      );
      const want = [...expected.influences].sort((a, b) =>
        a.prediction < b.prediction ? -1 : a.prediction > b.prediction ? 1 : a.rank - b.rank,
      );
      assert.equal(written.length, want.length);
      assert.ok(written.length > 0);
      for (let i = 0; i < want.length; i++) {
        assert.equal(written[i].prediction, want[i].prediction);
        assert.equal(written[i].sample, want[i].sample);
        assert.equal(Number(written[i].rank), want[i].rank);
        assert.ok(Math.abs(written[i].score - want[i].score) <= 1e-9 * Math.max(1, Math.abs(want[i].score)));
      }

      // Erasure: drop two applicants; the new version and the scrubbed matrix go to the bucket,
      // the superseded version's parameters and the old matrix binary leave it.
      const requestId = 's3-erasure-1';
      await recordUnlearningRequest(graph(), { id: requestId, mode: 'drop', target: {}, verify: true });
      const erasure = await submitJob(
        'unlearning',
        { target: { file: 'application.csv', rows: [1, 2] }, modelId: model.modelId, requestId },
        { connection, queue: unlearning },
      );
      const erased = await waitForJob(unlearning, erasure.jobId, { timeoutMs: 180_000 });
      assert.equal(erased.state, 'completed', `${erased.failedReason}\n${log}`);
      const outcome = erased.returnvalue as {
        modelId: string;
        committed: boolean;
        metrics?: { paramGapClosed: number };
      };
      assert.equal(outcome.committed, true);
      assert.ok(outcome.metrics && outcome.metrics.paramGapClosed > 0.9, JSON.stringify(outcome));
      const [state] = await withTestSession(graph(), async (s) =>
        (
          await s.run(
            `MATCH (u:UnlearningRequest {id: $id})-[:PRODUCED]->(m:Model {id: $m}), (old:Model {id: $old})
             RETURN u.status AS status, m.status AS modelStatus, m.paramsSha256 AS sha, old.paramsShreddedBy AS shreddedBy`,
            { id: requestId, m: outcome.modelId, old: model.modelId },
          )
        ).records.map((r) => r.toObject()),
      );
      assert.equal(state.status, 'complete');
      assert.equal(state.modelStatus, 'active');
      // The new version was published; host A (which never saw it) loads it from the bucket.
      assert.ok(await shared.exists(artifactKeys.modelParams(outcome.modelId, String(state.sha))));
      const fresh = await loadModelArtifact(hostA, outcome.modelId, String(state.sha));
      assert.equal(fresh.paramsSha256, state.sha);
      // The matrix was scrubbed in the bucket: a new binary, the old one deleted.
      const matrixNow = await loadRunMatrix(hostA, run.runId);
      assert.notEqual(matrixNow.sha256, matrixA.sha256);
      assert.equal(await shared.exists(artifactKeys.runBinary(run.runId, matrixA.sha256)), false);
      assert.deepEqual(
        (await shared.list(artifactKeys.runPrefix(run.runId))).sort(),
        [artifactKeys.runManifest(run.runId), artifactKeys.runBinary(run.runId, matrixNow.sha256)].sort(),
      );
      // Host A's cache lost the replaced binary when it read the new manifest.
      assert.deepEqual(
        filesUnder(path.join(homeA, 'runs', encodeURIComponent(run.runId))).filter((f) => f.endsWith('.bin')),
        [`matrix.${matrixNow.sha256.slice(0, 16)}.bin`],
      );
      // The superseded version held the erased rows: its parameters are gone from the bucket,
      // and host A's cached copy goes the first time it looks.
      assert.equal(state.shreddedBy, requestId);
      assert.deepEqual(
        (await shared.list(artifactKeys.modelPrefix(model.modelId))).filter((k) => k.endsWith('.bin')),
        [],
      );
      assert.ok(fs.existsSync(path.join(homeA, 'models', encodeURIComponent(model.modelId), 'params.bin')));
      await assert.rejects(loadModelArtifact(hostA, model.modelId), (err) => hasCode(err, 'models.shredded'));
      assert.equal(
        fs.existsSync(path.join(homeA, 'models', encodeURIComponent(model.modelId), 'params.bin')),
        false,
      );
      // One salt for the deployment: the ingest put host A's in the bucket, the worker's home took it.
      const salt = Buffer.from(await shared.getBytes('erasure-salt'))
        .toString('utf8')
        .trim();
      assert.match(salt, /^[0-9a-f]{64}$/);
      assert.equal(fs.readFileSync(erasureSaltFile(homeA), 'utf8').trim(), salt);
      assert.equal(fs.readFileSync(erasureSaltFile(homeB), 'utf8').trim(), salt);
      // No credential in what the worker logged.
      assert.ok(!log.includes(s3().env(prefix).AWS_SECRET_ACCESS_KEY), log);
    } finally {
      if (worker && worker.exitCode === null) {
        worker.kill('SIGTERM');
        await exited;
      }
      untrack();
      shared.close();
      await attribution.close();
      await unlearning.close();
      await obliterateQueueKeys(connection, `${queuePrefix}attribution`);
      await obliterateQueueKeys(connection, `${queuePrefix}unlearning`);
      const ended = new Promise((resolve) => connection.once('end', resolve));
      await connection.quit();
      await ended;
      fs.rmSync(homeA, { recursive: true, force: true });
      fs.rmSync(homeB, { recursive: true, force: true });
    }
  });
});
