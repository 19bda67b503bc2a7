import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { InputError } from '../../src/errors.js';
import { jobIdFor } from '../../src/queue/job-id.js';
import { parsePayload } from '../../src/queue/parse-payload.js';
import { submitJob } from '../../src/queue/submit-job.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { describeOnRedisTargets } from '../support/redis-targets.js';
import { testServices } from '../support/services.js';
import { type AttributionFixture, buildAttributionFixture } from './attribution-fixture.js';
import { openRigOn, type QueueRig, settled } from './queue-harness.js';

describeOnRedisTargets('queue: attribution jobs', function (target) {
  this.timeout(60_000);
  const graph = useCleanGraph();
  let fixture: AttributionFixture;
  let rig: QueueRig;
  before(async () => {
    fixture = await buildAttributionFixture(graph(), testServices().home, randomUUID().slice(0, 8));
  });
  beforeEach(() => {
    rig = openRigOn(target(), 'attribution');
  });
  afterEach(async () => {
    await rig.cleanup();
  });

  async function count(cypher: string, params: Record<string, unknown> = {}): Promise<number> {
    return withTestSession(graph(), async (s) => (await s.run(cypher, params)).records[0].get(0) as number);
  }

  it('gives the same request one deterministic job id, however it is spelled', async () => {
    const a = await submitJob(
      'attribution',
      { modelId: 'm1', samples: ['s2', 's1', 's2'], top: 5 },
      { connection: rig.connection, prefix: rig.prefix },
    );
    const b = await submitJob(
      'attribution',
      { top: 5, samples: ['s1', 's2'], modelId: 'm1', method: 'ns' },
      { connection: rig.connection, prefix: rig.prefix },
    );
    assert.equal(a.jobId, b.jobId);
    assert.equal(a.created, true);
    assert.equal(b.created, false);
    assert.equal(await rig.queue.count(), 1);
    const other = await submitJob(
      'attribution',
      { modelId: 'm1', samples: ['s1', 's2'], top: 6 },
      { connection: rig.connection, prefix: rig.prefix },
    );
    assert.notEqual(other.jobId, a.jobId);
    assert.equal(
      a.jobId,
      jobIdFor('attribution', parsePayload('attribution', { modelId: 'm1', samples: ['s1', 's2'], top: 5 })),
    );
  });

  it('rejects a malformed payload at submission with the bad fields named', async () => {
    await assert.rejects(
      submitJob('attribution', { modelId: '', top: 0 } as never, {
        connection: rig.connection,
        prefix: rig.prefix,
      }),
      (err: unknown) =>
        err instanceof InputError &&
        err.code === 'queue.badPayload' &&
        /modelId/.test(err.message) &&
        /top/.test(err.message),
    );
    assert.equal(await rig.queue.count(), 0);
  });

  it('fails a malformed payload that reached the queue at once, with nothing written', async () => {
    rig.startWorker();
    const job = await rig.queue.add(
      'attribution',
      { modelId: fixture.modelId, top: 'ten' },
      { jobId: `attribution-bad-${randomUUID()}` },
    );
    const summary = await settled(rig.queue, String(job.id));
    assert.equal(summary.state, 'failed');
    assert.equal(summary.attemptsMade, 1);
    assert.match(summary.failedReason ?? '', /^\[queue\.badPayload\] bad attribution payload: top: /);
    assert.equal(await count('MATCH (j:JobRun {jobId: $id}) RETURN count(j)', { id: String(job.id) }), 0);
  });

  it('fails an unknown model at once (UnrecoverableError) with a clear reason, nothing written', async () => {
    rig.startWorker();
    const submitted = await submitJob(
      'attribution',
      { modelId: 'no-such-model' },
      { connection: rig.connection, prefix: rig.prefix },
    );
    const summary = await settled(rig.queue, submitted.jobId);
    assert.equal(summary.state, 'failed');
    assert.equal(summary.attemptsMade, 1);
    assert.equal(
      summary.failedReason,
      '[attribution.unknownModel] model "no-such-model" does not exist in the graph (train one first, or check the id)',
    );
    assert.equal(await count('MATCH (j:JobRun {jobId: $id}) RETURN count(j)', { id: submitted.jobId }), 0);
    assert.equal(
      await count('MATCH (p:Prediction) WHERE p.id STARTS WITH "no-such-model" RETURN count(p)'),
      0,
    );
  });

  it('attributes the test predictions and writes top-k INFLUENCED_BY and SOURCE_SHARE edges once', async () => {
    rig.startWorker();
    const progress: number[] = [];
    rig.workers[0].on('progress', (_job, p) => progress.push((p as { percent: number }).percent));
    const submitted = await submitJob(
      'attribution',
      { modelId: fixture.modelId, top: 3, method: 'ns' },
      { connection: rig.connection, prefix: rig.prefix },
    );
    const summary = await settled(rig.queue, submitted.jobId);
    assert.equal(summary.state, 'completed', summary.failedReason);
    const result = summary.returnvalue as {
      predictions: number;
      influencedBy: number;
      sourceShares: number;
      committed: boolean;
    };
    assert.deepEqual(
      {
        predictions: result.predictions,
        influencedBy: result.influencedBy,
        sourceShares: result.sourceShares,
        committed: result.committed,
      },
      {
        predictions: fixture.testCount,
        influencedBy: 3 * fixture.testCount,
        sourceShares: 2 * fixture.testCount,
        committed: true,
      },
    );
    assert.ok(progress.includes(100) && progress.length >= 3, `progress reported: ${progress}`);
    const params = { modelId: fixture.modelId };
    assert.equal(
      await count('MATCH (:Prediction)-[:BY]->(:Model {id: $modelId}) RETURN count(*)', params),
      fixture.testCount,
    );
    assert.equal(
      await count(
        'MATCH (p:Prediction)-[e:INFLUENCED_BY {method: "ns"}]->(s:Sample {split: "train"}) WHERE (p)-[:BY]->(:Model {id: $modelId}) RETURN count(e)',
        params,
      ),
      3 * fixture.testCount,
    );
    const bad = await count(
      `MATCH (p:Prediction)-[:BY]->(:Model {id: $modelId})
       MATCH (p)-[e:SOURCE_SHARE]->(:SourceFile)
       WITH p, sum(e.share) AS total, collect(e) AS es WHERE abs(total - 1) > 1e-9 OR size(es) <> 2
       RETURN count(p)`,
      params,
    );
    assert.equal(bad, 0, 'shares of each prediction sum to 1 over its two files');
    // ranks are 1..3 with non-increasing scores
    const ranks = await withTestSession(
      graph(),
      async (s) =>
        (
          await s.run(
            'MATCH (p:Prediction)-[e:INFLUENCED_BY]->() WITH p, e ORDER BY e.rank RETURN p.id AS p, collect(e.rank) AS ranks, collect(e.score) AS scores LIMIT 1',
          )
        ).records[0],
    );
    assert.deepEqual(ranks.get('ranks'), [1, 2, 3]);
    const scores = ranks.get('scores') as number[];
    assert.ok(scores[0] >= scores[1] && scores[1] >= scores[2]);
    // the same request again: same job, nothing new written
    const again = await submitJob(
      'attribution',
      { modelId: fixture.modelId, top: 3 },
      { connection: rig.connection, prefix: rig.prefix },
    );
    assert.equal(again.jobId, submitted.jobId);
    assert.equal(again.created, false);
    assert.equal(await count('MATCH (j:JobRun {jobId: $id}) RETURN count(j)', { id: submitted.jobId }), 1);
  });
});
