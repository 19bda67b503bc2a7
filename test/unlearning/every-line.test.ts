import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import { withSession } from '../../src/graph/connection.js';
import { erasures } from '../../src/graph/queries/erasures.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { prepareUnlearningRequest } from '../../src/jobs/unlearning/prepare-unlearning-request.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { loadModelArtifact, modelDir } from '../../src/models/model-artifact-store.js';
import { loadRunMatrix, runDir } from '../../src/models/run-matrix-store.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

/**
 * Issue 12 item 1: a request without `--model` updates every active model line whose run
 * reaches its rows — one new version per line, one request — and a line that fails leaves the
 * request `partial` with what is left; running it again finishes it.
 */
describe('erasure reaches every model line', () => {
  const { graph, suite, query, activeModels } = useTrainedRun(300, 95);
  /** Rows of application.csv behind training samples that no request erased yet. */
  const trainingRows = async (n: number, skip: number) =>
    (
      await query(
        `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
               (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
         WHERE NOT r.erased RETURN r.row AS row ORDER BY row SKIP toInteger($skip) LIMIT toInteger($n)`,
        { run: suite.run.runId, n, skip },
      )
    ).map((r) => r.row as number);

  it('updates every active line on the run (one version each, one request), and no active model holds the rows', async function () {
    this.timeout(180_000);
    const { home } = testServices();
    const second = await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-1 });
    const before = await activeModels();
    assert.deepEqual(before, [suite.modelId, second.modelId].sort());
    const out = (
      await runTraceprop([
        'unlearn',
        '--file',
        'application.csv',
        '--rows',
        (await trainingRows(2, 0)).join(','),
        '--local',
        '--json',
      ])
    )
      .ok()
      .json<UnlearningOutcome>();
    assert.equal(out.lines?.length, 2);
    assert.deepEqual(out.lines?.map((l) => l.previousModelId).sort(), before);
    const after = await activeModels();
    assert.deepEqual(after, out.lines?.map((l) => l.modelId).sort());
    const [request] = await query(
      `MATCH (u:UnlearningRequest {id: $id})
       RETURN u.status AS status, u.linesDone AS done, COUNT { (u)-[:PRODUCED]->(:Model) } AS produced,
              COUNT { (u)-[:TARGETS]->(:SourceRow) } AS targets`,
      { id: out.requestId },
    );
    assert.equal(request.status, 'complete');
    assert.deepEqual([...(request.done as string[])].sort(), before);
    assert.equal(request.produced, 2);
    assert.equal(request.targets, 2);
    // The auditor's question "which active models still hold erased rows?" now answers: none.
    const report = await erasures(graph(), out.requestId);
    assert.deepEqual(report.holdingModelIds, []);
    // Every line moved on, so the stores on disk are scrubbed: the dropped samples' rows left the
    // run matrix (its old binary is gone; no file under the run holds their feature bytes), and
    // the superseded versions' parameters are deleted, their hashes kept.
    const dropped = await query(
      'MATCH (:UnlearningRequest {id: $id})-[:AFFECTED]->(s:Sample {erased: true}) RETURN s.id AS id',
      { id: out.requestId },
    );
    assert.ok(dropped.length > 0);
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const rows = dropped.map((d) => matrix.sampleIds.indexOf(String(d.id)));
    for (const r of rows) {
      assert.ok(matrix.scrubbedRows?.has(r), `row ${r} scrubbed`);
      assert.equal(matrix.features.rowPtr[r + 1], matrix.features.rowPtr[r]);
      assert.ok(Number.isNaN(matrix.labels[r]));
      assert.equal(matrix.sampleKeys[r], '');
    }
    assert.ok(
      !fs.existsSync(path.join(runDir(home, suite.run.runId), 'matrix.bin')),
      'the old binary is gone',
    );
    for (const v of before) {
      assert.ok(!fs.existsSync(path.join(modelDir(home, v), 'params.bin')), `${v}'s parameters are deleted`);
      await assert.rejects(loadModelArtifact(home, v), { code: 'models.shredded' });
    }
    const [shredded] = await query(
      'MATCH (m:Model) WHERE m.id IN $ids RETURN collect(m.paramsShreddedBy) AS by',
      { ids: before },
    );
    assert.deepEqual(shredded.by, [out.requestId, out.requestId]);
  });

  it('a line that fails leaves the request partial with the line left; running it again finishes it', async function () {
    this.timeout(180_000);
    const { home, config } = testServices();
    const lines = await activeModels();
    assert.equal(lines.length, 2);
    // Break the second line in update order: its artifact is moved away.
    const broken = modelDir(home, lines[1]);
    fs.renameSync(broken, `${broken}.away`);
    const requestId = `every-line-${Date.now()}`;
    const salt = resolveErasureSalt(config);
    const rows = await trainingRows(2, 10);
    const prepared = await withSession(graph(), (s) =>
      s.executeRead((tx) =>
        prepareUnlearningRequest(
          tx,
          { requestId, target: { file: 'application.csv', rows }, mode: 'drop', verify: false },
          salt,
        ),
      ),
    );
    assert.deepEqual(prepared.input.lines, lines);
    await recordUnlearningRequest(graph(), prepared.record);
    await assert.rejects(runUnlearningInProcess(graph(), home, prepared.input, undefined, salt), {
      code: 'models.noArtifact',
    } as object);
    const [partial] = await query(
      'MATCH (u:UnlearningRequest {id: $id}) RETURN u.status AS status, u.linesDone AS done, u.linesLeft AS left, u.errorCode AS code',
      { id: requestId },
    );
    assert.deepEqual(partial, {
      status: 'partial',
      done: [lines[0]],
      left: [lines[1]],
      code: 'models.noArtifact',
    });
    assert.ok(!(await activeModels()).includes(lines[0]), 'the first line has its new version');

    fs.renameSync(`${broken}.away`, broken);
    const finished = await runUnlearningInProcess(graph(), home, prepared.input, undefined, salt);
    assert.deepEqual(finished.linesAlreadyDone, [lines[0]]);
    assert.equal(finished.lines?.length, 1);
    assert.equal(finished.lines?.[0].previousModelId, lines[1]);
    const [done] = await query(
      'MATCH (u:UnlearningRequest {id: $id}) RETURN u.status AS status, u.linesDone AS done, u.linesLeft AS left, COUNT { (u)-[:PRODUCED]->() } AS produced',
      { id: requestId },
    );
    assert.deepEqual(done, { status: 'complete', done: lines, left: null, produced: 2 });
    assert.deepEqual((await erasures(graph(), requestId)).holdingModelIds, []);
    // After both requests scrubbed the run matrix, a fresh line on the run still trains, without
    // any scrubbed row.
    const matrix = await loadRunMatrix(home, suite.run.runId);
    assert.ok((matrix.scrubbedRows?.size ?? 0) > 0);
    const fresh = await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1 });
    const freshArtifact = await loadModelArtifact(home, fresh.modelId);
    for (const r of matrix.scrubbedRows ?? []) assert.ok(!freshArtifact.trainRows.includes(r));
  });
  it('a business key without --model reaches every line of the run that read it (one version each)', async function () {
    this.timeout(180_000);
    const lines = await activeModels();
    assert.ok(lines.length >= 2, `several lines on the run: ${lines}`);
    const [live] = await query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       WHERE NOT r.erased AND r.key IS NOT NULL RETURN r.key AS key ORDER BY r.row DESC LIMIT 1`,
      { run: suite.run.runId },
    );
    const out = (await runTraceprop(['unlearn', '--key', `SK_ID_CURR=${live.key}`, '--local', '--json']))
      .ok()
      .json<UnlearningOutcome>();
    assert.deepEqual(out.lines?.map((l) => l.previousModelId).sort(), lines);
    assert.deepEqual(await activeModels(), out.lines?.map((l) => l.modelId).sort());
    assert.deepEqual((await erasures(graph(), out.requestId)).holdingModelIds, []);
  });
  it('a dropped test sample leaves the run matrix although no line trained on it (no new version)', async function () {
    this.timeout(180_000);
    const { home } = testServices();
    const lines = await activeModels();
    const [victim] = await query(
      `MATCH (s:Sample {split: 'test'})-[:OUTPUT_OF]->(:Run {id: $run}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {table: 'application'})
       WHERE NOT r.erased AND NOT coalesce(s.erased, false)
       RETURN s.id AS sample, r.row AS row ORDER BY r.row LIMIT 1`,
      { run: suite.run.runId },
    );
    const out = (
      await runTraceprop([
        'unlearn',
        '--file',
        'application.csv',
        '--rows',
        String(victim.row),
        '--local',
        '--json',
      ])
    )
      .ok()
      .json<UnlearningOutcome>();
    assert.equal(out.forgottenTrainSamples, 0);
    assert.deepEqual(await activeModels(), lines, 'no line needed a new version');
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const row = matrix.sampleIds.indexOf(String(victim.sample));
    assert.ok(matrix.scrubbedRows?.has(row), 'the dropped test row is scrubbed');
    assert.equal(matrix.features.rowPtr[row + 1], matrix.features.rowPtr[row]);
    assert.ok(Number.isNaN(matrix.labels[row]));
    // The next request that moves the lines on does not score the dropped test sample again
    // (the versions it starts from still list it among their test rows).
    const next = (
      await runTraceprop([
        'unlearn',
        '--file',
        'application.csv',
        '--rows',
        (await trainingRows(1, 40)).join(','),
        '--local',
        '--json',
      ])
    )
      .ok()
      .json<UnlearningOutcome>();
    assert.equal(next.lines?.length, lines.length);
    for (const line of next.lines ?? []) {
      const artifact = await loadModelArtifact(home, line.modelId);
      assert.ok(!artifact.testRows?.includes(row), `${line.modelId} does not score the dropped test row`);
    }
    const [scored] = await query(
      'MATCH (p:Prediction)-[:FOR]->(:Sample {id: $s}), (p)-[:BY]->(m:Model) WHERE m.id IN $ids RETURN count(p) AS n',
      { s: victim.sample, ids: (next.lines ?? []).map((l) => l.modelId) },
    );
    assert.equal(scored.n, 0);
  });
});
