import assert from 'node:assert/strict';
import neo4j from 'neo4j-driver';
import { hasCode } from '../../src/errors.js';
import { writeModel } from '../../src/graph/write-model.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import type { ReplacedRows } from '../../src/models/replaced-rows.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

describe('concurrent unlearning requests on one model', () => {
  const { graph, suite, query, activeModels } = useTrainedRun(300, 41);

  /** Application rows of training samples of the suite.run. */
  const trainingApplicationRows = async (limit: number): Promise<number[]> =>
    (
      await query(
        `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
               (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'application.csv'})
         WHERE NOT coalesce(r.erased, false)
         RETURN r.row AS row ORDER BY row LIMIT $limit`,
        { run: suite.run.runId, limit: neo4j.int(limit) },
      )
    ).map((r) => r.row as number);

  it('both land, one after the other: one active version that has forgotten both', async function () {
    this.timeout(120_000);
    const rows = await trainingApplicationRows(6);
    const unlearn = (some: number[]) =>
      runTraceprop([
        'unlearn',
        '--model',
        suite.modelId,
        '--file',
        'application.csv',
        '--rows',
        some.join(','),
        '--mode',
        'drop',
        '--local',
        '--json',
      ]);
    const [a, b] = (await Promise.all([unlearn(rows.slice(0, 3)), unlearn(rows.slice(3, 6))])).map((out) =>
      out.json<UnlearningOutcome>(),
    );
    const versions = [a.version, b.version].sort();
    assert.deepEqual(versions, [2, 3], 'the two requests made versions 2 and 3, not two versions 2');
    const [first, second] = a.version === 2 ? [a, b] : [b, a];
    assert.equal(first.previousModelId, suite.modelId);
    assert.equal(second.previousModelId, first.modelId, 'the later one was computed from the earlier one');
    assert.equal(second.requestedModelId, suite.modelId);

    assert.deepEqual(await activeModels(), [second.modelId]);
    const [chain] = await query(
      `MATCH p = (:Model {id: $head})-[:SUPERSEDES*]->(:Model {id: $root})
       RETURN [m IN nodes(p) | m.version] AS versions, COUNT { (:Model)-[:SUPERSEDES]->(:Model {id: $root}) } AS successors`,
      { head: second.modelId, root: suite.modelId },
    );
    assert.deepEqual(chain.versions, [3, 2, 1]);
    assert.equal(chain.successors, 1, 'the original model was superseded once');

    // The active version's training set has neither request's samples.
    const home = testServices().home;
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const artifact = await loadModelArtifact(home, second.modelId);
    const trainIds = new Set(Array.from(artifact.trainRows, (i) => matrix.sampleIds[i]));
    const forgotten = await query(
      `MATCH (:UnlearningRequest)-[:AFFECTED]->(s:Sample)-[:OUTPUT_OF]->(:Run {id: $run}) RETURN s.id AS id`,
      { run: suite.run.runId },
    );
    assert.equal(forgotten.length, 6);
    for (const f of forgotten) assert.ok(!trainIds.has(f.id as string), `${f.id} is still trained on`);
  });

  it('a request delivered again after its write-back committed answers from the record and redoes nothing', async function () {
    this.timeout(120_000);
    const home = testServices().home;
    const [row] = await query(
      `MATCH (s:Sample {split: 'train'})-[:OUTPUT_OF]->(:Run {id: $run}),
             (s)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'bureau.csv'})
       WHERE NOT coalesce(r.erased, false) AND NOT coalesce(s.erased, false)
       RETURN r.key AS key LIMIT 1`,
      { run: suite.run.runId },
    );
    const input = {
      requestId: `redelivered-${Date.now()}`,
      target: { table: 'bureau', keys: [String(row.key)] },
      mode: 'recompute' as const,
    };
    const first = await runUnlearningInProcess(graph(), home, input);
    assert.equal(first.committed, true);
    assert.ok(first.recomputedSamples >= 1);
    const artifactBefore = await loadModelArtifact(home, first.modelId);
    const counts = () =>
      query(
        `MATCH (n) WITH count(n) AS nodes
         MATCH ()-[r]->() RETURN nodes, count(r) AS rels`,
      );
    const [before] = await counts();
    // The same request again, as BullMQ redelivers a job whose worker died after the commit: its
    // key is erased by now (so resolving it again would fail) and its model is superseded.
    const again = await runUnlearningInProcess(graph(), home, input);
    assert.equal(again.committed, false);
    assert.equal(again.modelId, first.modelId);
    assert.equal(again.previousModelId, first.previousModelId);
    assert.equal(again.version, first.version);
    assert.equal(again.recomputedSamples, first.recomputedSamples);
    assert.deepEqual(again.certificate, first.certificate);
    const [after] = await counts();
    assert.deepEqual(after, before, 'nothing was written');
    const artifactAfter = await loadModelArtifact(home, first.modelId);
    assert.deepEqual(artifactAfter.theta, artifactBefore.theta, 'the committed artifact was not rewritten');
    const [m] = await query('MATCH (m:Model {id: $id}) RETURN m.paramsSha256 AS sha, m.status AS status', {
      id: first.modelId,
    });
    assert.equal(m.status, 'active');
    await loadModelArtifact(home, first.modelId, m.sha as string);
  });

  it('training the run afresh leaves dropped samples out and uses the re-derived rows', async function () {
    this.timeout(120_000);
    const home = testServices().home;
    const trained = await trainRunModel({ client: graph(), home, runId: suite.run.runId, lambda: 1e-2 });
    const artifact = await loadModelArtifact(home, trained.modelId);
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const rowOf = new Map(matrix.sampleIds.map((id, i) => [id, i]));
    const samples = await query(
      `MATCH (s:Sample)-[:OUTPUT_OF]->(:Run {id: $run}) WHERE s.erased OR s.rederivedBy IS NOT NULL
       RETURN s.id AS id, coalesce(s.erased, false) AS erased`,
      { run: suite.run.runId },
    );
    const dropped = samples.filter((s) => s.erased).map((s) => rowOf.get(s.id as string) as number);
    const rederived = samples.filter((s) => !s.erased).map((s) => rowOf.get(s.id as string) as number);
    assert.ok(
      dropped.length >= 6 && rederived.length >= 1,
      `${dropped.length} dropped, ${rederived.length} re-derived`,
    );
    const used = new Set([...artifact.trainRows, ...(artifact.testRows ?? [])]);
    for (const i of dropped) assert.ok(!used.has(i), `dropped sample ${matrix.sampleIds[i]} is used again`);
    // The re-derived rows are the active version's, not the run matrix's (ingested) ones.
    const [head] = await query(
      "MATCH (m:Model {status: 'active', version: 4})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id",
      { run: suite.run.runId },
    );
    const active = await loadModelArtifact(home, head.id as string);
    assert.ok(artifact.replaced && active.replaced);
    assert.deepEqual(
      [...artifact.replaced.samples],
      [...rederived].sort((a, b) => a - b),
    );
    for (const i of rederived) {
      const row = (r: ReplacedRows) => {
        const k = [...r.samples].indexOf(i);
        return [...r.x.colIdx.subarray(r.x.rowPtr[k], r.x.rowPtr[k + 1])].map((c, q) => [
          c,
          r.x.values[r.x.rowPtr[k] + q],
        ]);
      };
      assert.deepEqual(row(artifact.replaced), row(active.replaced));
      const m = matrix.features;
      const ingested = [...m.colIdx.subarray(m.rowPtr[i], m.rowPtr[i + 1])].map((c, q) => [
        c,
        m.values[m.rowPtr[i] + q],
      ]);
      assert.notDeepEqual(row(artifact.replaced), ingested, 'the ingested row is not the one trained on');
    }
    const [p] = await query(
      'MATCH (p:Prediction)-[:BY]->(:Model {id: $id}), (p)-[:FOR]->(s:Sample) RETURN count(p) AS n, sum(CASE WHEN s.erased THEN 1 ELSE 0 END) AS erased',
      { id: trained.modelId },
    );
    assert.equal(p.erased, 0, 'no erased sample is scored');
    assert.equal(p.n, artifact.testRows?.length);
  });

  it('a version written from a model that is no longer active is refused, and nothing is written', async () => {
    const [stale] = await query(
      "MATCH (m:Model {status: 'superseded'})-[:TRAINED_ON]->(:Run {id: $run}) RETURN m.id AS id, m.version AS version ORDER BY m.version LIMIT 1",
      { run: suite.run.runId },
    );
    const before = await query('MATCH (n) RETURN count(n) AS nodes');
    await assert.rejects(
      withTestSession(graph(), (s) =>
        s.executeWrite((tx) =>
          writeModel(
            tx,
            {
              id: 'model-from-stale-parameters',
              runId: suite.run.runId,
              version: (stale.version as number) + 1,
              kind: 'logistic-regression',
              lambda: 1e-2,
              trainedAt: new Date().toISOString(),
              metrics: {
                trainRows: 1,
                testRows: 0,
                trainAccuracy: 1,
                testAccuracy: 1,
                trainLoss: 0,
                testLoss: 0,
              },
              paramsSha256: 'x',
              runMatrixSha256: 'y',
              artifactPath: '/nowhere',
              supersedes: stale.id as string,
            },
            [],
          ),
        ),
      ),
      (e) => hasCode(e, 'models.supersededMeanwhile') && (e as { retriable?: boolean }).retriable === true,
    );
    const after = await query('MATCH (n) RETURN count(n) AS nodes');
    assert.equal(after[0].nodes, before[0].nodes);
  });
});
