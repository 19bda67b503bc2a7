import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { fitLogisticRegression } from '../../src/attribution/logistic-regression.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { saveModelArtifact } from '../../src/models/model-artifact-store.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';
import { saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { withTestSession } from '../support/graph.js';

/** A small synthetic run written to the graph and TRACEPROP_HOME, with a trained model. */
export interface AttributionFixture {
  runId: string;
  modelId: string;
  samples: number;
  trainCount: number;
  testCount: number;
  files: { id: string; name: string }[];
}

/**
 * Builds `samples` applicants (3 features) whose sample i derives from `applicants.csv` row i and
 * `bureau.csv` rows 2i, 2i+1; the first 75% train, the rest test. Saves the run matrix and a
 * logistic model artifact under `home`; writes SourceFile, SourceRow, Run, Op, Sample and Model nodes.
 */
export async function buildAttributionFixture(
  client: GraphClient,
  home: string,
  tag: string,
  samples = 60,
): Promise<AttributionFixture> {
  const runId = `run-${tag}`;
  const modelId = `model-${tag}`;
  const d = 3;
  const data = new Float64Array(samples * d);
  const labels = new Float64Array(samples);
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < samples; i++) {
    let z = -0.2;
    for (let j = 0; j < d; j++) {
      const v = rand() * 2 - 1;
      data[i * d + j] = v;
      z += [1.5, -1, 0.5][j] * v;
    }
    labels[i] = rand() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  const trainCount = Math.floor(samples * 0.75);
  const split = Uint8Array.from({ length: samples }, (_, i) => (i < trainCount ? 0 : 1));
  const files = [
    { id: `app-${tag}`, name: 'applicants.csv', table: 'applicants', rows: samples, globalOffset: 0 },
    { id: `bur-${tag}`, name: 'bureau.csv', table: 'bureau', rows: 2 * samples, globalOffset: samples },
  ];
  const offsets = Uint32Array.from({ length: samples + 1 }, (_, i) => 3 * i);
  const rowIds = new Uint32Array(3 * samples);
  for (let i = 0; i < samples; i++) rowIds.set([i, samples + 2 * i, samples + 2 * i + 1], 3 * i);
  const sampleIds = Array.from({ length: samples }, (_, i) => `${runId}:s${i}`);
  const sampleKeys = Array.from({ length: samples }, (_, i) => String(100000 + i));
  const matrix: RunMatrix = {
    runId,
    features: csrFromDense(data, samples, d),
    featureNames: ['a', 'b', 'c'],
    labels,
    split,
    sampleIds,
    sampleKeys,
    provenance: { offsets, rowIds },
    sourceFiles: files,
  };
  const saved = await saveRunMatrix(home, matrix);
  const trainRows = Uint32Array.from({ length: trainCount }, (_, i) => i);
  const y = Uint8Array.from(trainRows, (i) => labels[i]);
  const model = fitLogisticRegression(csrFromDense(data.subarray(0, trainCount * d), trainCount, d), y, {
    lambda: 1e-2,
  });
  await saveModelArtifact(home, {
    modelId,
    runId,
    kind: 'logistic-regression',
    lambda: 1e-2,
    featureNames: matrix.featureNames,
    theta: model.theta,
    hessianSum: new Float64Array((d + 1) * (d + 1)),
    trainRows,
    runMatrixSha256: saved.sha256,
  });
  await withTestSession(client, async (session) => {
    await session.run(
      `UNWIND $files AS f CREATE (:SourceFile {id: f.id, name: f.name, path: '/data/' + f.name, table: f.table, rows: f.rows})`,
      { files },
    );
    await session.run(
      `MATCH (a:SourceFile {id: $app}), (b:SourceFile {id: $bur})
       UNWIND range(0, $n - 1) AS i
       CREATE (:SourceRow {id: $app + ':' + i, row: i, key: toString(100000 + i), erased: false})-[:IN_FILE]->(a)
       CREATE (:SourceRow {id: $bur + ':' + (2 * i), row: 2 * i, key: 'B' + (2 * i), erased: false})-[:IN_FILE]->(b)
       CREATE (:SourceRow {id: $bur + ':' + (2 * i + 1), row: 2 * i + 1, key: 'B' + (2 * i + 1), erased: false})-[:IN_FILE]->(b)`,
      { app: files[0].id, bur: files[1].id, n: samples },
    );
    await session.run(
      `CREATE (r:Run {id: $runId, pipeline: 'fixture', mode: 'row', status: 'complete', sampleKeyColumn: 'SK_ID_CURR'})
       CREATE (r)-[:HAS_OP]->(l1:Op {id: $runId + ':op:0', seq: 0, kind: 'load', name: 'load applicants', params: '{}'})
       CREATE (r)-[:HAS_OP]->(l2:Op {id: $runId + ':op:1', seq: 1, kind: 'load', name: 'load bureau', params: '{}'})
       CREATE (r)-[:HAS_OP]->(j:Op {id: $runId + ':op:2', seq: 2, kind: 'join', name: 'join bureau', params: '{}'})
       CREATE (j)-[:AFTER]->(l1), (j)-[:AFTER]->(l2)
       WITH r, l1, l2
       MATCH (a:SourceFile {id: $app}), (b:SourceFile {id: $bur})
       CREATE (l1)-[:READ]->(a), (l2)-[:READ]->(b)
       CREATE (m:Model {id: $modelId, version: 1, kind: 'logistic-regression', status: 'active'})-[:TRAINED_ON]->(r)`,
      { runId, modelId, app: files[0].id, bur: files[1].id },
    );
    await session.run(
      `MATCH (r:Run {id: $runId})
       UNWIND range(0, $n - 1) AS i
       CREATE (s:Sample {id: $ids[i], index: i, split: CASE WHEN i < $trainCount THEN 'train' ELSE 'test' END, key: $keys[i], label: toInteger($labels[i])})-[:OUTPUT_OF]->(r)
       WITH s, i
       MATCH (x:SourceRow) WHERE x.id IN [$app + ':' + i, $bur + ':' + (2 * i), $bur + ':' + (2 * i + 1)]
       CREATE (s)-[:DERIVED_FROM]->(x)`,
      {
        runId,
        n: samples,
        ids: sampleIds,
        keys: sampleKeys,
        labels: Array.from(labels),
        trainCount,
        app: files[0].id,
        bur: files[1].id,
      },
    );
  });
  return { runId, modelId, samples, trainCount, testCount: samples - trainCount, files };
}
