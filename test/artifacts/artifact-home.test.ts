import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ArtifactLocation } from '../../src/artifacts/artifact-home.js';
import { artifactKeys } from '../../src/artifacts/artifact-keys.js';
import type { ArtifactStore } from '../../src/artifacts/artifact-store.js';
import { LocalFolderStore } from '../../src/artifacts/local-folder-store.js';
import { S3ArtifactStore } from '../../src/artifacts/s3-artifact-store.js';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { hasCode } from '../../src/errors.js';
import {
  loadModelArtifact,
  modelArtifactState,
  saveModelArtifact,
  shredModelParams,
} from '../../src/models/model-artifact-store.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';
import {
  loadRunMatrix,
  runMatrixFileState,
  saveRunMatrix,
  scrubRunMatrix,
} from '../../src/models/run-matrix-store.js';
import { sweepArtifactCache } from '../../src/models/sweep-artifact-cache.js';
import { filesUnder } from '../support/files-under.js';
import { useS3Server } from '../support/s3-server.js';

/** A small run matrix: `n` samples of 4 features. */
function smallMatrix(runId: string, n = 40): RunMatrix {
  const d = 4;
  const data = Float64Array.from({ length: n * d }, (_, i) => ((i * 7919) % 13) - 6);
  return {
    runId,
    features: csrFromDense(data, n, d),
    featureNames: ['a', 'b', 'c', 'd'],
    labels: Float64Array.from({ length: n }, (_, i) => i % 2),
    split: Uint8Array.from({ length: n }, (_, i) => (i < n - 10 ? 0 : 1)),
    sampleIds: Array.from({ length: n }, (_, i) => `${runId}:s${i}`),
    sampleKeys: Array.from({ length: n }, (_, i) => `K${i}`),
  };
}

describe('run matrices and model artifacts through a shared store', () => {
  const s3 = useS3Server();
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const c of cleanups.splice(0)) c();
  });
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-home-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const stores: Record<string, () => ArtifactStore> = {
    's3 bucket': () => {
      const store = new S3ArtifactStore(s3().config(`homes-${Date.now()}`));
      cleanups.push(() => store.close());
      return store;
    },
    'shared folder': () => new LocalFolderStore(tempDir()),
  };

  for (const [kind, open] of Object.entries(stores)) {
    it(`${kind}: what one home saves, an empty home loads; scrubs and shreds reach the store`, async () => {
      const shared = open();
      const a: ArtifactLocation = { dir: tempDir(), shared };
      const b: ArtifactLocation = { dir: tempDir(), shared };
      const matrix = smallMatrix('run-x');
      const saved = await saveRunMatrix(a, matrix);
      const artifact = {
        modelId: 'model-x',
        runId: 'run-x',
        kind: 'logistic-regression' as const,
        lambda: 0.01,
        featureNames: matrix.featureNames,
        theta: Float64Array.from([0.5, -1, 2, 0.25, 0.1]),
        hessianSum: new Float64Array(25).fill(0.5),
        trainRows: Uint32Array.from({ length: 30 }, (_, i) => i),
        runMatrixSha256: saved.sha256,
      };
      const model = await saveModelArtifact(a, artifact);
      assert.deepEqual(
        await shared.list(''),
        [
          artifactKeys.modelManifest('model-x'),
          artifactKeys.modelParams('model-x', model.paramsSha256),
          artifactKeys.runManifest('run-x'),
          artifactKeys.runBinary('run-x', saved.sha256),
        ].sort(),
      );

      const loaded = await loadRunMatrix(b, 'run-x');
      assert.equal(loaded.sha256, saved.sha256);
      assert.deepEqual(loaded.features, matrix.features);
      assert.deepEqual(loaded.labels, matrix.labels);
      assert.deepEqual(loaded.sampleKeys, matrix.sampleKeys);
      const m = await loadModelArtifact(b, 'model-x', model.paramsSha256);
      assert.deepEqual(m.theta, artifact.theta);
      assert.deepEqual(m.trainRows, artifact.trainRows);
      assert.deepEqual(filesUnder(b.dir), [
        'models/model-x/model.json',
        'models/model-x/params.bin',
        'runs/run-x/matrix.bin',
        'runs/run-x/matrix.json',
      ]);

      // Host B scrubs two rows: the store gets the new binary and loses the old one.
      const scrub = await scrubRunMatrix(
        b,
        'run-x',
        { requestId: 'r1', featureRows: [3, 4], droppedRows: [3, 4] },
        loaded,
      );
      assert.equal(scrub.rows, 2);
      assert.equal(scrub.removedFiles, 2, 'the old binary, locally and in the store');
      assert.deepEqual(
        await shared.list('runs/'),
        [artifactKeys.runManifest('run-x'), artifactKeys.runBinary('run-x', scrub.sha256After)].sort(),
      );
      const state = await runMatrixFileState(a, 'run-x');
      assert.equal(state.sha256, scrub.sha256After);
      assert.deepEqual(
        state.strayFiles,
        [path.join(a.dir, 'runs', 'run-x', 'matrix.bin')],
        'host A still caches the old one',
      );
      const onA = await loadRunMatrix(a, 'run-x');
      assert.equal(onA.sha256, scrub.sha256After);
      assert.equal(onA.sampleKeys[3], '');
      assert.deepEqual(
        (await runMatrixFileState(a, 'run-x')).strayFiles,
        [],
        'and drops it on its next load',
      );

      // Host A shreds the model: gone from the store, and from host B's cache on its next load.
      assert.equal(
        await shredModelParams(a, 'model-x', { requestId: 'r1', at: '2026-12-06T00:00:00Z' }),
        true,
      );
      assert.deepEqual(await shared.list(artifactKeys.modelPrefix('model-x')), [
        artifactKeys.modelManifest('model-x'),
      ]);
      const seen = await modelArtifactState(b, 'model-x');
      assert.equal(seen?.shredded?.requestId, 'r1');
      assert.equal(seen?.paramsOnDisk, true, "host B's cached copy is still there");
      await assert.rejects(loadModelArtifact(b, 'model-x'), (err) => hasCode(err, 'models.shredded'));
      assert.equal((await modelArtifactState(b, 'model-x'))?.paramsOnDisk, false);
    });
  }

  it('a cache sweep drops what an erasure on another host deleted from the bucket', async () => {
    const shared = stores['s3 bucket']();
    const a: ArtifactLocation = { dir: tempDir(), shared };
    const b: ArtifactLocation = { dir: tempDir(), shared };
    const saved = await saveRunMatrix(a, smallMatrix('run-z'));
    await saveModelArtifact(a, {
      modelId: 'model-z',
      runId: 'run-z',
      kind: 'logistic-regression',
      lambda: 0.01,
      featureNames: ['a', 'b', 'c', 'd'],
      theta: new Float64Array(5),
      hessianSum: new Float64Array(25),
      trainRows: Uint32Array.from([0, 1, 2]),
      runMatrixSha256: saved.sha256,
    });
    assert.deepEqual(await sweepArtifactCache(a), { checked: 2, binaries: 0, params: 0 });
    const loaded = await loadRunMatrix(b, 'run-z');
    await scrubRunMatrix(b, 'run-z', { requestId: 'r9', featureRows: [0], droppedRows: [0] }, loaded);
    await shredModelParams(b, 'model-z', { requestId: 'r9', at: '2026-12-06T00:00:00Z' });
    assert.deepEqual(
      filesUnder(a.dir).filter((f) => f.endsWith('.bin')),
      ['models/model-z/params.bin', 'runs/run-z/matrix.bin'],
    );
    assert.deepEqual(await sweepArtifactCache(a), { checked: 2, binaries: 1, params: 1 });
    assert.deepEqual(
      filesUnder(a.dir).filter((f) => f.endsWith('.bin')),
      [],
    );
    // A plain home (no shared store) is left alone.
    assert.deepEqual(await sweepArtifactCache(b.dir), { checked: 0, binaries: 0, params: 0 });
  });

  it('refuses a run matrix or model whose object was altered in the bucket, caching nothing', async () => {
    const shared = stores['s3 bucket']();
    const a: ArtifactLocation = { dir: tempDir(), shared };
    const saved = await saveRunMatrix(a, smallMatrix('run-y'));
    const key = artifactKeys.runBinary('run-y', saved.sha256);
    const bytes = Buffer.from(await shared.getBytes(key));
    bytes[bytes.length - 1] ^= 0x01;
    await shared.putBytes(key, bytes);
    const b: ArtifactLocation = { dir: tempDir(), shared };
    await assert.rejects(loadRunMatrix(b, 'run-y'), (err) => hasCode(err, 'artifacts.digestMismatch'));
    assert.deepEqual(
      filesUnder(b.dir).filter((f) => f.endsWith('.bin') || f.endsWith('.tmp')),
      [],
    );
    // A manifest naming other bytes than the stored ones is refused the same way.
    const model = await saveModelArtifact(a, {
      modelId: 'model-y',
      runId: 'run-y',
      kind: 'logistic-regression',
      lambda: 0.01,
      featureNames: ['a', 'b', 'c', 'd'],
      theta: new Float64Array(5),
      hessianSum: new Float64Array(25),
      trainRows: Uint32Array.from([0, 1, 2]),
      runMatrixSha256: saved.sha256,
    });
    const paramsKey = artifactKeys.modelParams('model-y', model.paramsSha256);
    await shared.putBytes(paramsKey, Buffer.from('not the parameters'));
    await assert.rejects(loadModelArtifact(b, 'model-y'), (err) => hasCode(err, 'artifacts.digestMismatch'));
    assert.equal(fs.existsSync(path.join(b.dir, 'models', 'model-y', 'params.bin')), false);
  });
});
