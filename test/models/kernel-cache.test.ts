import assert from 'node:assert/strict';
import fs from 'node:fs';
import { precomputeLogisticKernels } from '../../src/attribution/kernel-precomputation.js';
import { hasCode } from '../../src/errors.js';
import { computeAttribution } from '../../src/jobs/attribution/compute-attribution.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { kernelCacheFiles, loadKernelCache, saveKernelCache } from '../../src/models/kernel-cache-store.js';
import {
  loadModelArtifact,
  modelArtifactState,
  shredModelParams,
} from '../../src/models/model-artifact-store.js';
import { modelRowsOf } from '../../src/models/replaced-rows.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import { useCleanGraph } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { type IngestedRun, ingestCreditRisk } from './ingested-run.js';

describe('the kernel cache kept with a model artifact', () => {
  const graph = useCleanGraph();
  let run: IngestedRun;
  let modelId: string;

  before(async function () {
    this.timeout(120_000);
    run = await ingestCreditRisk(graph(), testServices().home, 300, 33);
    modelId = (await trainRunModel({ client: graph(), home: testServices().home, runId: run.runId })).modelId;
  });

  const inputs = async () => {
    const home = testServices().home;
    const artifact = await loadModelArtifact(home, modelId);
    const matrix = await loadRunMatrix(home, artifact.runId);
    return {
      home,
      artifact,
      matrix,
      key: { paramsSha256: artifact.paramsSha256, runMatrixSha256: matrix.sha256 },
    };
  };

  it('training saves it, and it holds what a fresh precomputation computes', async () => {
    const { home, artifact, matrix, key } = await inputs();
    assert.ok(fs.existsSync(kernelCacheFiles(home, modelId).bin));
    const cached = await loadKernelCache(home, modelId, key);
    assert.ok(cached, 'the cache is found under the artifact and matrix hashes');
    const train = modelRowsOf(matrix, artifact.trainRows, artifact.replaced);
    const fresh = precomputeLogisticKernels(
      {
        theta: artifact.theta,
        features: matrix.features.cols,
        lambda: artifact.lambda,
        trainRows: 0,
        iterations: 0,
        gradientNorm: 0,
      },
      train,
    );
    assert.deepEqual(Array.from(cached.inverseHessian), Array.from(fresh.inverseHessian));
    assert.deepEqual(Array.from(cached.leverageResiduals), Array.from(fresh.leverageResiduals));
    assert.equal(cached.patterns?.rows, fresh.patterns?.rows);
  });

  it('an attribution job uses it, and the result is the same as without it', async () => {
    const { home, artifact, matrix, key } = await inputs();
    const job = await runAttributionJob(
      { client: graph(), home, jobId: 'kernel-cache-1', attempt: 1, progress: async () => {} },
      { modelId, samples: 'test', top: 3, method: 'ns' },
    );
    assert.equal(job.kernelCacheHit, true);
    // The job's phases are timed (the queue bench reports where a job's time goes).
    assert.equal(job.phaseSeconds.compute, job.computeSeconds);
    assert.ok(job.phaseSeconds.inputs > 0 && job.phaseSeconds.write > 0, JSON.stringify(job.phaseSeconds));
    const cached = await loadKernelCache(home, modelId, key);
    const request = { samples: 'test' as const, top: 3, method: 'ns' as const };
    const withCache = await computeAttribution(artifact, matrix, request, undefined, { precomputed: cached });
    const without = await computeAttribution(artifact, matrix, request);
    assert.deepEqual(withCache.influences, without.influences);
    assert.deepEqual(withCache.shares, without.shares);
  });

  it('a cache for other parameters is not used; a changed byte is reported and not used', async () => {
    const { home, key } = await inputs();
    assert.equal(await loadKernelCache(home, modelId, { ...key, paramsSha256: '0'.repeat(64) }), undefined);
    const { bin } = kernelCacheFiles(home, modelId);
    const original = fs.readFileSync(bin);
    const bytes = Buffer.from(original);
    bytes[bytes.length >> 1] ^= 1;
    fs.writeFileSync(bin, bytes);
    try {
      const problems: Error[] = [];
      assert.equal(await loadKernelCache(home, modelId, key, (e) => problems.push(e)), undefined);
      assert.equal(problems.length, 1);
      assert.ok(hasCode(problems[0], 'models.corruptArtifact'), problems[0].message);
      // The job recomputes (and replaces the bad cache) instead of failing.
      const job = await runAttributionJob(
        {
          client: graph(),
          home,
          jobId: 'kernel-cache-2',
          attempt: 1,
          progress: async () => {},
          warn: () => {},
        },
        { modelId, samples: 'test', top: 3, method: 'ns' },
      );
      assert.equal(job.kernelCacheHit, false);
      assert.ok(await loadKernelCache(home, modelId, key), 'the recomputed cache was saved');
    } finally {
      fs.writeFileSync(bin, original);
    }
  });

  it('shredding the parameters deletes the cache too (it is derived from the same rows)', async () => {
    const { home } = await inputs();
    const files = kernelCacheFiles(home, modelId);
    await shredModelParams(home, modelId, { requestId: 'erasure-test', at: new Date().toISOString() });
    assert.equal(fs.existsSync(files.bin), false);
    assert.equal(fs.existsSync(files.manifest), false);
    const state = await modelArtifactState(home, modelId);
    assert.equal(state?.paramsOnDisk, false);
    // A job that computed before the erasure does not write the cache back.
    const key = { paramsSha256: state?.paramsSha256 ?? '', runMatrixSha256: run.runId };
    const pre = precomputeLogisticKernels(
      { theta: new Float64Array(2), features: 1, lambda: 1, trainRows: 0, iterations: 0, gradientNorm: 0 },
      {
        x: {
          rows: 1,
          cols: 1,
          rowPtr: Uint32Array.of(0, 1),
          colIdx: Uint32Array.of(0),
          values: Float64Array.of(1),
        },
        y: Uint8Array.of(1),
      },
    );
    assert.equal(await saveKernelCache(home, modelId, key, pre), false);
    assert.equal(fs.existsSync(files.bin), false);
    // A file left there anyway (e.g. by an older version) shows in the state the inventory reads.
    fs.writeFileSync(files.bin, 'stale');
    assert.equal((await modelArtifactState(home, modelId))?.paramsOnDisk, true);
    fs.rmSync(files.bin);
  });
});
