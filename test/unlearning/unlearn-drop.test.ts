import assert from 'node:assert/strict';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import type { UnlearningMetrics } from '../../src/unlearning/unlearning-metrics.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { expectCliError, runTraceprop } from '../support/cli.js';

type Outcome = UnlearningOutcome & { metrics: UnlearningMetrics };

describe('unlearn --mode drop, end to end', () => {
  const { suite, query, activeModels } = useTrainedRun(400, 33);

  it('erases the rows, supersedes the model and records the request with its metrics', async () => {
    const out = await runTraceprop([
      'unlearn',
      '--model',
      suite.modelId,
      '--file',
      'application.csv',
      '--rows',
      '3,17,40-42',
      '--verify',
      '--budget',
      '1e-3',
      '--local',
      '--json',
    ]);
    const o = out.json<Outcome>();
    assert.ok(o.requestId);
    assert.notEqual(o.modelId, suite.modelId);
    assert.equal(o.previousModelId, suite.modelId);
    assert.equal(o.version, 2);
    assert.equal(o.affectedSamples, 5);
    assert.ok(o.forgottenTrainSamples >= 1 && o.forgottenTrainSamples <= 5);
    assert.equal(o.fallback, false);
    // ~320 training rows: removing 5 is a large step (Adult's 1% reaches ≥ 0.995, see adult-removal).
    assert.ok(
      o.metrics.paramGapClosed >= 0.95 && o.metrics.paramGapClosed <= 1,
      `gap closed ${o.metrics.paramGapClosed}`,
    );
    assert.ok(Math.abs(o.metrics.testAccuracy.unlearned - o.metrics.testAccuracy.gold) <= 0.01);

    const [models] = await query(
      `MATCH (new:Model {id: $new})-[:SUPERSEDES]->(old:Model {id: $old}), (new)-[:TRAINED_ON]->(:Run {id: $run})
       RETURN new.status AS newStatus, old.status AS oldStatus, new.version AS version,
              COUNT { (:Prediction)-[:BY]->(new) } AS predictions,
              COUNT { (:Prediction)-[:BY]->(old) } AS oldPredictions`,
      { new: o.modelId, old: suite.modelId, run: suite.run.runId },
    );
    assert.equal(models.newStatus, 'active');
    assert.equal(models.oldStatus, 'superseded');
    assert.equal(models.version, 2);
    const affectedTest = 5 - o.forgottenTrainSamples;
    assert.equal(models.predictions, (models.oldPredictions as number) - affectedTest);

    const [request] = await query(
      `MATCH (u:UnlearningRequest {id: $id})-[:PRODUCED]->(:Model {id: $new})
       RETURN u.status AS status, u.mode AS mode, u.metrics AS metrics, u.certificate AS certificate,
              toString(u.requestedAt) AS requestedAt, toString(u.completedAt) AS completedAt,
              COUNT { (u)-[:TARGETS]->(:SourceRow) } AS targets, COUNT { (u)-[:AFFECTED]->(:Sample) } AS affected`,
      { id: o.requestId, new: o.modelId },
    );
    assert.equal(request.status, 'complete');
    assert.equal(request.mode, 'drop');
    assert.equal(request.targets, 5);
    assert.equal(request.affected, 5);
    assert.ok(request.requestedAt && request.completedAt);
    assert.equal(JSON.parse(request.certificate as string).steps >= 1, true);
    assert.equal(JSON.parse(request.metrics as string).verification.paramGapClosed, o.metrics.paramGapClosed);

    // Erased rows keep a content-free skeleton; the audit trail (IN_FILE, DERIVED_FROM) survives.
    const erased = await query(
      `MATCH (u:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile)
       RETURN r.row AS row, r.erased AS erased, r.key AS key, keys(r) AS props, f.name AS file,
              COUNT { (:Sample)-[:DERIVED_FROM]->(r) } AS samples ORDER BY row`,
      { id: o.requestId },
    );
    assert.deepEqual(
      erased.map((r) => r.row),
      [3, 17, 40, 41, 42],
    );
    for (const r of erased) {
      assert.equal(r.erased, true);
      assert.equal(r.key, null);
      assert.equal(r.file, 'application.csv');
      assert.ok((r.samples as number) >= 1);
      assert.deepEqual([...(r.props as string[])].sort(), ['erased', 'erasedAt', 'erasedBy', 'id', 'row']);
    }
  });

  it('a second request updates the new version; naming a superseded one lands on its active successor', async () => {
    const [active] = await activeModels();
    const bureau = await query(
      `MATCH (r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'bureau.csv'}) WHERE r.key IS NOT NULL AND EXISTS { (:Sample)-[:DERIVED_FROM]->(r) }
       RETURN r.key AS key ORDER BY r.row LIMIT 2`,
    );
    const args = [
      'unlearn',
      ...bureau.flatMap((b) => ['--key', `SK_ID_BUREAU=${b.key}`]),
      '--local',
      '--json',
    ];
    const o = (await runTraceprop(args)).json<Outcome>();
    assert.equal(o.previousModelId, active);
    assert.ok(o.version >= 3 || o.modelId === active);
    const [head] = await activeModels();
    const named = await runTraceprop([
      'unlearn',
      '--model',
      suite.modelId,
      '--file',
      'application.csv',
      '--rows',
      '5',
      '--local',
      '--json',
    ]);
    const n = named.json<Outcome>();
    assert.equal(n.requestedModelId, suite.modelId, 'the superseded model asked for is recorded');
    assert.equal(n.previousModelId, head, 'the active version is the one updated');
    assert.deepEqual(await activeModels(), [n.modelId]);
    const [u] = await query('MATCH (u:UnlearningRequest {id: $id}) RETURN u.requestedModelId AS requested', {
      id: n.requestId,
    });
    assert.equal(u.requested, suite.modelId);
  });

  it('refuses an unknown model, rows past the end and a bad row list before recording anything', async () => {
    const before = await query('MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels');
    expectCliError(
      await runTraceprop([
        'unlearn',
        '--model',
        'no-such-model',
        '--file',
        'application.csv',
        '--rows',
        '7',
        '--local',
      ]),
      'unlearning.unknownModel',
    );
    expectCliError(
      await runTraceprop(['unlearn', '--file', 'application.csv', '--rows', '999999', '--local']),
      'unlearning.rowsOutOfRange',
    );
    expectCliError(
      await runTraceprop(['unlearn', '--file', 'application.csv', '--rows', '3,x', '--local']),
      'unlearning.badRows',
    );
    // Nothing was written: no failed UnlearningRequest for a typo, no JobRun.
    const after = await query('MATCH (n) RETURN count(n) AS nodes, COUNT { ()-[]->() } AS rels');
    assert.deepEqual(after, before);
    const [rows] = await query('MATCH (r:SourceRow {erased: true}) RETURN count(r) AS erased');
    assert.ok((rows.erased as number) >= 5);
  });
});
