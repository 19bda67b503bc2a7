import assert from 'node:assert/strict';
import fs from 'node:fs';
import { hasCode } from '../../src/errors.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import { loadRunMatrix, saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';
import { type IngestedRun, ingestCreditRisk } from './ingested-run.js';

describe('training a run', () => {
  const graph = useCleanGraph();
  let run: IngestedRun;

  before(async function () {
    this.timeout(120_000);
    run = await ingestCreditRisk(graph(), testServices().home, 400, 21);
  });

  it('round-trips the run matrix with its content hash', async () => {
    const m = await loadRunMatrix(testServices().home, run.runId);
    assert.equal(m.features.rows, run.result.matrix.rows);
    assert.equal(m.features.cols, run.result.matrix.cols);
    assert.deepEqual(m.featureNames, run.result.featureNames);
    assert.equal(m.sampleIds[3], `${run.runId}:s:3`);
    assert.ok(m.provenance && m.provenance.offsets.length === m.features.rows + 1);
    // Dense value (i, j) survives the CSR round trip.
    const { data, cols } = run.result.matrix;
    for (let r = 0; r < 5; r++) {
      for (let q = m.features.rowPtr[r]; q < m.features.rowPtr[r + 1]; q++)
        assert.equal(m.features.values[q], data[r * cols + m.features.colIdx[q]]);
    }
    // A changed byte is caught.
    const copyHome = fs.mkdtempSync(`${testServices().home}/copy-`);
    const saved = await saveRunMatrix(copyHome, m);
    const bin = `${saved.dir}/matrix.bin`;
    const bytes = fs.readFileSync(bin);
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(bin, bytes);
    await assert.rejects(loadRunMatrix(copyHome, m.runId), (e) => hasCode(e, 'models.corruptArtifact'));
  });

  it('writes the Model, TRAINED_ON and one Prediction per test sample', async () => {
    const trained = await trainRunModel({
      client: graph(),
      home: testServices().home,
      runId: run.runId,
      lambda: 1e-2,
    });
    const testCount = Array.from(run.result.split).filter((s) => s === 1).length;
    assert.equal(trained.predictions, testCount);
    assert.ok(trained.metrics.testAccuracy > 0.5);
    const row = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        `MATCH (m:Model {id: $id})-[:TRAINED_ON]->(run:Run {id: $runId})
         RETURN m.version AS version, m.kind AS kind, m.status AS status, m.paramsSha256 AS sha, m.artifactPath AS path,
                m.testAccuracy AS acc, toString(m.trainedAt) AS at,
                COUNT { (p:Prediction)-[:BY]->(m) } AS predictions,
                COUNT { (p:Prediction)-[:BY]->(m) WHERE (p)-[:FOR]->(:Sample {split: 'test'}) } AS onTest`,
        { id: trained.modelId, runId: run.runId },
      );
      return r.records[0].toObject();
    });
    assert.equal(row.version, 1);
    assert.equal(row.kind, 'logistic-regression');
    assert.equal(row.status, 'active');
    assert.equal(row.predictions, testCount);
    assert.equal(row.onTest, testCount);
    assert.equal(row.acc, trained.metrics.testAccuracy);
    const artifact = await loadModelArtifact(testServices().home, trained.modelId, row.sha);
    assert.equal(artifact.dir, row.path);
    assert.equal(artifact.theta.length, run.result.matrix.cols + 1);
  });

  it('train --json prints the model id (the command module, in process)', async () => {
    const out = await runTraceprop(['train', run.runId, '--lambda', '0.01', '--json']);
    const doc = out.json<{ modelId: string; metrics: { testRows: number } }>();
    assert.match(doc.modelId, /^model-/);
    expectCliError(await runTraceprop(['train', 'no-such-run']), 'models.runNotFound');
  });

  it('traceprop train through the CLI: the command is registered and runs', async () => {
    const help = await runTraceprop(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^\s+train\b/m, 'traceprop --help lists train');
    const ok = await runTraceprop(['train', run.runId, '--lambda', '0.01', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(JSON.parse(ok.stdout).modelId, /^model-/);
    const missing = await runTraceprop(['train', 'no-such-run']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /models\.runNotFound/);
  });
});
