import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

/**
 * Issue 12 item 2: an erasure removes the attribution edges computed with the erased data —
 * INFLUENCED_BY edges to the affected samples, the SOURCE_SHARE edges of the predictions they
 * influenced, and the explanations of the affected samples' own predictions — on every model
 * line of the run, in the request's write-back.
 */
describe('unlearning scrubs the attribution edges that involve erased data', () => {
  const { graph, suite, query } = useTrainedRun(300, 81);

  it('removes them (and only them), marks the predictions, and counts them on the request', async function () {
    this.timeout(120_000);
    const { home } = testServices();
    await runAttributionJob(
      { client: graph(), home, jobId: `attr-${randomUUID()}`, attempt: 1, progress: async () => {} },
      { modelId: suite.modelId, samples: 'test', top: 5, method: 'ns' },
    );
    // The training sample most often among the top influences, and its application row.
    const [victim] = await query(
      `MATCH (p:Prediction)-[:INFLUENCED_BY]->(s:Sample)
       WITH s, count(p) AS n ORDER BY n DESC, s.id LIMIT 1
       MATCH (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile {table: 'application'})
       RETURN s.id AS sample, r.row AS row, n`,
    );
    assert.ok((victim.n as number) > 0);
    const [before] = await query(
      `MATCH (p:Prediction)-[:INFLUENCED_BY]->(:Sample {id: $s})
       WITH collect(DISTINCT p) AS touched
       MATCH (q:Prediction)-[:BY]->(:Model {id: $m})
       RETURN [x IN touched | x.id] AS touched,
              sum(CASE WHEN q IN touched THEN 0 ELSE COUNT { (q)-[:SOURCE_SHARE]->() } END) AS otherShares,
              sum(CASE WHEN q IN touched THEN COUNT { (q)-[:SOURCE_SHARE]->() } ELSE 0 END) AS touchedShares,
              sum(CASE WHEN q IN touched THEN 0 ELSE COUNT { (q)-[:INFLUENCED_BY]->() } END) AS otherInfluences`,
      { s: victim.sample, m: suite.modelId },
    );
    assert.ok((before.touchedShares as number) > 0, 'the influenced predictions had shares');

    const out = (
      await runTraceprop([
        'unlearn',
        '--model',
        suite.modelId,
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
    assert.deepEqual(out.scrubbed, {
      influences: victim.n,
      shares: before.touchedShares,
      predictionEdges: 0, // a training sample has no prediction of its own
      predictions: (before.touched as string[]).length,
    });

    const [after] = await query(
      `MATCH (q:Prediction)-[:BY]->(:Model {id: $m})
       RETURN COUNT { (:Prediction)-[:INFLUENCED_BY]->(:Sample {id: $s}) } AS toVictim,
              sum(CASE WHEN q.id IN $touched THEN COUNT { (q)-[:SOURCE_SHARE]->() } ELSE 0 END) AS touchedShares,
              sum(CASE WHEN q.id IN $touched THEN 0 ELSE COUNT { (q)-[:SOURCE_SHARE]->() } END) AS otherShares,
              sum(CASE WHEN q.id IN $touched THEN 0 ELSE COUNT { (q)-[:INFLUENCED_BY]->() } END) AS otherInfluences,
              collect(CASE WHEN q.attributionScrubbedBy = $u THEN q.id END) AS marked`,
      { s: victim.sample, m: suite.modelId, touched: before.touched, u: out.requestId },
    );
    assert.equal(after.toVictim, 0);
    assert.equal(after.touchedShares, 0);
    assert.equal(after.otherShares, before.otherShares, 'other predictions keep their shares');
    assert.equal(after.otherInfluences, before.otherInfluences, 'other predictions keep their influences');
    assert.deepEqual([...(after.marked as string[])].sort(), [...(before.touched as string[])].sort());
    const [request] = await query(
      'MATCH (u:UnlearningRequest {id: $u}) RETURN u.scrubbedInfluences AS i, u.scrubbedShares AS s',
      { u: out.requestId },
    );
    assert.deepEqual([request.i, request.s], [victim.n, before.touchedShares]);
  });
});
