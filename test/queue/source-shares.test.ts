import assert from 'node:assert/strict';
import { attributeLogistic } from '../../src/attribution/attribute-logistic.js';
import { csrFromDense, csrSelectRows } from '../../src/attribution/csr-matrix.js';
import { kernelDirections } from '../../src/attribution/kernel-directions.js';
import { fitLogisticRegression, type LogisticModel } from '../../src/attribution/logistic-regression.js';
import { scoreRow } from '../../src/attribution/score-matrix.js';
import {
  featureFiles,
  featureMass,
  featureSourceShares,
  sampleFiles,
  sourceShares,
} from '../../src/attribution/source-shares.js';
import { hasCode } from '../../src/errors.js';
import { computeAttribution, type ShareEdge } from '../../src/jobs/attribution/compute-attribution.js';
import type { ModelArtifact } from '../../src/models/model-artifact-store.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';

/**
 * Three tables; every sample derives from one row of each, so the row basis cannot tell them
 * apart. Features a1, a2 come from `app`, b1, b2 from `bureau`, p1, p2 from `prev`, `ab` from
 * app and bureau, `z` has no lineage. The label depends only on a1 and a2.
 */
function problem(samples = 400): { matrix: RunMatrix; artifact: ModelArtifact } {
  const names = ['a1', 'a2', 'b1', 'b2', 'p1', 'p2', 'ab', 'z'];
  const d = names.length;
  let seed = 11;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const data = new Float64Array(samples * d);
  const labels = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    for (let j = 0; j < d; j++) data[i * d + j] = rand() * 2 - 1;
    const z = 3 * data[i * d] - 2 * data[i * d + 1];
    labels[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const trainCount = Math.floor(samples * 0.8);
  const files = [
    { id: 'f-app', name: 'app.csv', table: 'app', rows: samples, globalOffset: 0 },
    { id: 'f-bur', name: 'bureau.csv', table: 'bureau', rows: samples, globalOffset: samples },
    { id: 'f-prev', name: 'prev.csv', table: 'prev', rows: samples, globalOffset: 2 * samples },
  ];
  const offsets = Uint32Array.from({ length: samples + 1 }, (_, i) => 3 * i);
  const rowIds = new Uint32Array(3 * samples);
  for (let i = 0; i < samples; i++) rowIds.set([i, samples + i, 2 * samples + i], 3 * i);
  const features = csrFromDense(data, samples, d);
  const matrix: RunMatrix = {
    runId: 'run-shares',
    features,
    featureNames: names,
    labels,
    split: Uint8Array.from({ length: samples }, (_, i) => (i < trainCount ? 0 : 1)),
    sampleIds: Array.from({ length: samples }, (_, i) => `s${i}`),
    sampleKeys: Array.from({ length: samples }, (_, i) => String(i)),
    provenance: { offsets, rowIds },
    sourceFiles: files,
    featureColumns: [
      ['app.A1'],
      ['app.A2'],
      ['bureau.B1'],
      ['bureau.B2'],
      ['prev.P1'],
      ['prev.P2'],
      ['app.X', 'bureau.Y'],
      [],
    ],
  };
  const trainRows = Uint32Array.from({ length: trainCount }, (_, i) => i);
  const y = Uint8Array.from(trainRows, (i) => labels[i]);
  const fit = fitLogisticRegression(csrSelectRows(features, trainRows), y, { lambda: 1e-2 });
  const artifact: ModelArtifact = {
    modelId: 'model-shares',
    runId: matrix.runId,
    kind: 'logistic-regression',
    lambda: 1e-2,
    featureNames: names,
    theta: fit.theta,
    hessianSum: new Float64Array((d + 1) * (d + 1)),
    trainRows,
    runMatrixSha256: 'x',
  };
  return { matrix, artifact };
}

function byPrediction(shares: ShareEdge[]): Map<string, ShareEdge[]> {
  const out = new Map<string, ShareEdge[]>();
  for (const s of shares) out.set(s.prediction, [...(out.get(s.prediction) ?? []), s]);
  return out;
}

function meanShare(shares: ShareEdge[], file: string, predictions: number): number {
  return shares.filter((s) => s.file === file).reduce((sum, s) => sum + s.share, 0) / predictions;
}

describe('queue: source shares by feature lineage', () => {
  // The label depends only on app's features, yet the feature split cannot concentrate on app
  // (> 0.8): τᵢ ∝ cᵢ·x̃_zᵀM⁻¹x̃ᵢ weighs features by the test point and the inverse curvature,
  // not by θ, and the residuals cᵢ are uncorrelated with every feature at the optimum. What the
  // label dependence does: lower curvature along app's features under `ns`/`if` (confident
  // predictions), so app gets more than its share of the lineage (2.5 of 7 features = 0.357).
  for (const method of ['ns', 'if', 'graddot'] as const) {
    it(`${method}: feature-basis shares sum to 1 per prediction${method === 'graddot' ? '' : ', app leads'}`, async () => {
      const { matrix, artifact } = problem(2000);
      const result = await computeAttribution(artifact, matrix, { samples: 'test', top: 3, method });
      const groups = byPrediction(result.shares);
      assert.equal(groups.size, result.predictions.length);
      for (const edges of groups.values()) {
        const total = edges.reduce((s, e) => s + e.share, 0);
        assert.ok(Math.abs(total - 1) < 1e-9, `shares sum to 1, got ${total}`);
        for (const e of edges) {
          assert.equal(e.basis, 'features');
          assert.ok(e.unattributed > 0 && e.unattributed < 1, `unattributed ${e.unattributed}`);
        }
      }
      if (method === 'graddot') return;
      const [app, bureau, prev] = ['f-app', 'f-bur', 'f-prev'].map((f) =>
        meanShare(result.shares, f, groups.size),
      );
      assert.ok(app > 2.5 / 7 && app > bureau && app > prev, `app ${app}, bureau ${bureau}, prev ${prev}`);
    });
  }

  it('credits the files whose features carry the scores (sparse features of other tables)', async () => {
    // bureau and prev features are zero except for 1 sample in 20: the influence flows through
    // app's features, though every sample derives from a row of each file.
    const { matrix, artifact } = problem();
    const x = matrix.features;
    const values = Float64Array.from(x.values);
    for (let i = 0; i < x.rows; i++) {
      if (i % 20 === 0) continue;
      for (let q = x.rowPtr[i]; q < x.rowPtr[i + 1]; q++)
        if (x.colIdx[q] >= 2 && x.colIdx[q] <= 5) values[q] = 0;
    }
    const sparse = { ...matrix, features: { ...x, values } };
    for (const method of ['ns', 'if', 'graddot'] as const) {
      const result = await computeAttribution(artifact, sparse, { samples: 'test', top: 3, method });
      const app = meanShare(result.shares, 'f-app', result.predictions.length);
      assert.ok(app > 0.8, `${method}: app share ${app}`);
      const rows = await computeAttribution(
        artifact,
        { ...sparse, featureColumns: undefined },
        { samples: 'test', top: 3, method },
      );
      assert.ok(Math.abs(meanShare(rows.shares, 'f-app', rows.predictions.length) - 1 / 3) < 1e-9);
    }
  });

  it('splits each sample score over its features: the parts sum to |score|', async () => {
    const { matrix, artifact } = problem(120);
    const train = csrSelectRows(matrix.features, artifact.trainRows);
    const y = Uint8Array.from(artifact.trainRows, (i) => matrix.labels[i]);
    const test = csrSelectRows(matrix.features, [110, 115]);
    const model: LogisticModel = {
      theta: artifact.theta,
      features: train.cols,
      lambda: artifact.lambda,
      trainRows: train.rows,
      iterations: 0,
      gradientNorm: 0,
    };
    for (const method of ['ns', 'if', 'graddot'] as const) {
      const scores = await attributeLogistic(
        {
          model,
          train: { x: train, y },
          test: { x: test, y: Uint8Array.of(matrix.labels[110], matrix.labels[115]) },
        },
        method,
      );
      const a = (kernelDirections(model, train, method) as (x: typeof test) => Float64Array)(test);
      const D = train.cols + 1;
      for (let t = 0; t < 2; t++) {
        const row = scoreRow(scores, t);
        const at = a.subarray(t * D, (t + 1) * D);
        for (let i = 0; i < train.rows; i++) {
          // The kernel form: |τᵢ| = |cᵢ|·|aᵀx̃ᵢ| (checks the directions against the scores).
          const one = csrSelectRows(train, [i]);
          const parts = featureMass([row[i]], at, one);
          const sum = parts.reduce((s, v) => s + v, 0);
          assert.ok(
            Math.abs(sum - Math.abs(row[i])) <= 1e-12 * Math.max(1, Math.abs(row[i])),
            `${sum} vs ${row[i]}`,
          );
        }
        const mass = featureMass(row, at, train);
        const total = Array.from(row).reduce((s, v) => s + Math.abs(v), 0);
        assert.ok(Math.abs(mass.reduce((s, v) => s + v, 0) - total) < 1e-9 * total);
      }
    }
  });

  it('never scores erased samples: left out of test and all, refused by id', async () => {
    const { matrix, artifact } = problem(300);
    const testIds = matrix.sampleIds.filter((_, i) => matrix.split[i] === 1);
    const erasedSamples = new Set([testIds[0], testIds[3], matrix.sampleIds[0]]);
    const base = { top: 3, method: 'ns' as const, erasedSamples };
    const test = await computeAttribution(artifact, matrix, { ...base, samples: 'test' });
    assert.deepEqual(
      test.predictions.map((p) => p.sampleId),
      testIds.filter((id) => !erasedSamples.has(id)),
    );
    const all = await computeAttribution(artifact, matrix, { ...base, samples: 'all' });
    assert.equal(all.predictions.length, matrix.sampleIds.length - erasedSamples.size);
    assert.ok(all.predictions.every((p) => !erasedSamples.has(p.sampleId)));
    await assert.rejects(
      computeAttribution(artifact, matrix, { ...base, samples: [testIds[1], testIds[3]] }),
      (e) => hasCode(e, 'attribution.erasedSample') && /s\d+/.test((e as Error).message),
    );
  });

  it('sampleSize explains a seeded sample of the selection: the same rows each time, scores unchanged', async () => {
    const { matrix, artifact } = problem(600);
    const erasedSamples = new Set([matrix.sampleIds.find((_, i) => matrix.split[i] === 1) as string]);
    const base = { top: 3, method: 'ns' as const, samples: 'test' as const, erasedSamples };
    const full = await computeAttribution(artifact, matrix, base);
    const first = await computeAttribution(artifact, matrix, { ...base, sampleSize: 25 });
    const again = await computeAttribution(artifact, matrix, { ...base, sampleSize: 25 });
    assert.equal(first.predictions.length, 25);
    const ids = first.predictions.map((p) => p.sampleId);
    assert.deepEqual(
      again.predictions.map((p) => p.sampleId),
      ids,
    );
    assert.equal(new Set(ids).size, 25);
    assert.ok(ids.every((id) => !erasedSamples.has(id)));
    // A sample, not the first 25: it reaches past the first half of the selection.
    const order = new Map(full.predictions.map((p, k) => [p.sampleId, k]));
    assert.ok(Math.max(...ids.map((id) => order.get(id) as number)) > full.predictions.length / 2);
    // Each sampled prediction keeps the influences it has in the full run.
    const top = (r: typeof full, id: string) =>
      r.influences.filter((e) => e.prediction === r.predictions.find((p) => p.sampleId === id)?.id);
    for (const id of ids.slice(0, 5)) assert.deepEqual(top(first, id), top(full, id));
    const bigger = await computeAttribution(artifact, matrix, { ...base, sampleSize: 10_000 });
    assert.equal(bigger.predictions.length, full.predictions.length);
  });

  it('maps features to files: several tables split equally, no lineage is unattributed', () => {
    const files = [
      { id: 'f1', name: 'a.csv', table: 'app', rows: 1, globalOffset: 0 },
      { id: 'f2', name: 'b.csv', table: 'bureau', rows: 1, globalOffset: 1 },
    ];
    const map = featureFiles([['app.X'], ['app.Y', 'bureau.Z', 'bureau.W'], [], ['other.Q']], files);
    const { shares, unattributed } = featureSourceShares(Float64Array.of(1, 2, 3, 4, 10), map, 2);
    // app: 1 + 2/2 = 2, bureau: 2/2 = 1; unattributed 3 + 4 + 10 (intercept) of 20.
    assert.deepEqual(Array.from(shares), [2 / 3, 1 / 3]);
    assert.equal(unattributed, 17 / 20);
  });

  it('row basis: credits each sample |score| to every distinct file of its rows, normalised to shares', () => {
    // 3 samples; sample 0 from row 0 (a.csv); sample 1 joined from rows 1 (a.csv) and 2 (b.csv);
    // sample 2 from rows 3 (b.csv) and 4 (c.csv), and twice from row 3 (a file counts once).
    const files = [
      { id: 'fa', name: 'a.csv', table: 'a', rows: 2, globalOffset: 0 },
      { id: 'fb', name: 'b.csv', table: 'b', rows: 2, globalOffset: 2 },
      { id: 'fc', name: 'c.csv', table: 'c', rows: 1, globalOffset: 4 },
    ];
    const provenance = { offsets: Uint32Array.of(0, 1, 3, 6), rowIds: Uint32Array.of(0, 1, 2, 3, 4, 3) };
    const map = sampleFiles(provenance, files, [0, 1, 2]);
    assert.deepEqual(Array.from(map.offsets), [0, 1, 3, 5]);
    assert.deepEqual(Array.from(map.files), [0, 0, 1, 1, 2]);
    // a: 2 + 4 = 6, b: 4 + 6 = 10, c: 6, of 22.
    assert.deepEqual(Array.from(sourceShares([2, 4, -6], map, 3)), [6 / 22, 10 / 22, 6 / 22]);
    // Only the samples asked for (here sample 2, as row 0 of the map).
    assert.deepEqual(Array.from(sampleFiles(provenance, files, [2]).files), [1, 2]);
    assert.deepEqual(Array.from(sourceShares([0, 0, 0], map, 3)), [0, 0, 0]);
  });

  it('falls back to the row basis without feature lineage (older matrices, ll, random)', async () => {
    const { matrix, artifact } = problem();
    const plain = { ...matrix, featureColumns: undefined };
    for (const [m, method] of [
      [plain, 'ns'],
      [matrix, 'll'],
      [matrix, 'random'],
    ] as const) {
      const result = await computeAttribution(artifact, m, { samples: 'test', top: 3, method });
      const groups = byPrediction(result.shares);
      assert.equal(groups.size, result.predictions.length);
      for (const edges of groups.values()) {
        assert.equal(edges.length, 3);
        for (const e of edges) {
          assert.equal(e.basis, 'rows');
          assert.equal(e.unattributed, 0);
          assert.ok(Math.abs(e.share - 1 / 3) < 1e-12, 'every sample touches all three files');
        }
      }
    }
  });
});
