import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveSigningKey } from '../../src/evidence/key-file.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import {
  expectMismatchNamed,
  type GraphReport,
  type MismatchExpectation,
  signedTrainedModel,
  verifyGraphCli,
} from './graph-fixture.js';
import { cypher } from './support.js';

/**
 * Issue 13: `verify graph` compares the `erasure` and `attribution` statements with the graph (the
 * request, its model versions, the erased rows' skeletons, the job's edges), and `export evidence`
 * bundles the erasure and attribution statements of a model.
 */
describe('traceprop verify graph: erasure and attribution statements (tamper cases); their bundles', function () {
  this.timeout(400_000);
  const graph = useCleanGraph();
  let dir: string;
  let env: Record<string, string>;
  let home: string;
  let modelId: string;
  let newModelId: string;
  let requestId: string;
  let erasedRowIds: string[];
  let earlyJobId: string;
  let lateJobId: string;

  const progress = async () => {};

  /** An attribution job of `model`, signed with the deployment's key (no worker needed). */
  async function attribute(model: string): Promise<string> {
    const jobId = `attr-${randomUUID()}`;
    const signingKey = resolveSigningKey({ home });
    assert.ok(signingKey, 'keys init wrote the key file');
    const r = await runAttributionJob(
      { client: graph(), home, jobId, attempt: 1, progress, signingKey },
      { modelId: model, samples: 'test', top: 3, method: 'ns' },
    );
    assert.ok(r.committed && r.influencedBy > 0);
    return jobId;
  }

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-verify-erasure-'));
    ({ env, home, modelId } = await signedTrainedModel(dir, 31));
    earlyJobId = await attribute(modelId);
    // Erase application rows behind samples the first job's top-k names: the erasure scrubs some of its edges.
    const rows = (
      await cypher(
        graph(),
        `MATCH (:Prediction)-[:INFLUENCED_BY {jobId: $job}]->(:Sample)-[:DERIVED_FROM]->(r:SourceRow)
               -[:IN_FILE]->(:SourceFile {table: 'application'})
         RETURN DISTINCT r.row AS row ORDER BY row LIMIT 2`,
        { job: earlyJobId },
      )
    ).records.map((r) => Number(r.get('row')));
    assert.equal(rows.length, 2);
    const erased = (
      await runTraceprop(
        [
          'unlearn',
          '--model',
          modelId,
          '--file',
          'application.csv',
          '--rows',
          rows.join(','),
          '--verify',
          '--min-training-rows',
          '10',
          '--local',
          '--json',
        ],
        { env },
      )
    )
      .ok()
      .json<{ requestId: string; modelId: string }>();
    requestId = erased.requestId;
    newModelId = erased.modelId;
    assert.notEqual(newModelId, modelId, 'the erasure made a new version');
    erasedRowIds = (
      await cypher(
        graph(),
        'MATCH (:UnlearningRequest {id: $id})-[:TARGETS]->(r:SourceRow) RETURN r.id AS id',
        {
          id: requestId,
        },
      )
    ).records.map((r) => String(r.get('id')));
    assert.equal(erasedRowIds.length, 2);
    lateJobId = await attribute(newModelId);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const verifyGraph = () => verifyGraphCli(env);
  const expectNamed = (
    change: () => Promise<unknown>,
    restore: () => Promise<unknown>,
    expected: MismatchExpectation,
    count?: number,
  ) => expectMismatchNamed(env, change, restore, expected, count);

  const lineRef = () => `${requestId}#${modelId}`;

  it('an untouched graph verifies: the erasure and both attribution statements compared; what is not compared is named', async () => {
    const report = (await verifyGraph()).ok().json<GraphReport>();
    assert.equal(report.verified, true, JSON.stringify(report.mismatches));
    assert.deepEqual(report.compared, { run: 1, model: 1, erasure: 1, attribution: 2 });
    for (const kind of ['erasure', 'attribution'])
      assert.ok(
        report.notCompared.some((n) => n.kind === kind && n.ref === null),
        `the fields of ${kind} statements left out are named`,
      );
    assert.ok(
      !report.notCompared.some((n) => n.ref === lateJobId),
      'the job after the erasure is compared in full',
    );
    // The job before the erasure lost edges to its scrub: its edge counts are listed as not compared, with the request.
    const scrubbed = Number(
      (
        await cypher(
          graph(),
          'MATCH (p:Prediction {attributionScrubbedBy: $id})-[:BY]->(:Model {id: $model}) RETURN count(p) AS n',
          { id: requestId, model: modelId },
        )
      ).records[0].get('n'),
    );
    const early = report.notCompared.find((n) => n.ref === earlyJobId);
    assert.ok(scrubbed > 0, 'the erasure scrubbed attribution edges of the first job');
    assert.match(String(early?.reason), new RegExp(`erasure request\\(s\\) ${requestId} scrubbed`));
    assert.match(String(early?.what), /^INFLUENCED_BY edges of the job/);
    const text = (await runTraceprop(['verify', 'graph'], { env })).ok().stdout;
    assert.match(text, /1 erasure and 2 attribution statements/);
    assert.match(text, /erasure statements: not compared: completedAt/);
  });

  it("a changed UnlearningRequest metric is named (its metrics JSON, a count, the certificate's residual)", async () => {
    const [before] = (
      await cypher(
        graph(),
        'MATCH (u:UnlearningRequest {id: $id}) RETURN u.metrics AS metrics, u.forgottenTrainSamples AS forgotten, u.gradientResidual AS residual',
        { id: requestId },
      )
    ).records.map((r) => r.toObject());
    const metrics = JSON.parse(String(before.metrics)) as { model: { testAccuracy: number } };
    const changed = {
      ...metrics,
      model: { ...metrics.model, testAccuracy: metrics.model.testAccuracy + 0.01 },
    };
    const set = (property: string, value: unknown) => () =>
      cypher(graph(), 'MATCH (u:UnlearningRequest {id: $id}) SET u += $props', {
        id: requestId,
        props: { [property]: value },
      });
    const m = await expectNamed(set('metrics', JSON.stringify(changed)), set('metrics', before.metrics), {
      kind: 'erasure',
      ref: lineRef,
      fact: /^UnlearningRequest\.metrics \(model\)$/,
    });
    assert.deepEqual(m.logged, metrics.model);
    assert.deepEqual(m.found, changed.model);
    await expectNamed(
      set('forgottenTrainSamples', Number(before.forgotten) + 1),
      set('forgottenTrainSamples', before.forgotten),
      {
        kind: 'erasure',
        ref: lineRef,
        fact: /^UnlearningRequest\.forgottenTrainSamples$/,
      },
    );
    await expectNamed(set('gradientResidual', 0), set('gradientResidual', before.residual), {
      kind: 'erasure',
      ref: lineRef,
      fact: /^UnlearningRequest\.gradientResidual$/,
    });
  });

  it("the new version's parameter hash changed is named by the erasure and by the attribution of it", async () => {
    const hash = String(
      (
        await cypher(graph(), 'MATCH (m:Model {id: $id}) RETURN m.paramsSha256 AS h', { id: newModelId })
      ).records[0].get('h'),
    );
    const set = (h: string) => () =>
      cypher(graph(), 'MATCH (m:Model {id: $id}) SET m.paramsSha256 = $h', { id: newModelId, h });
    const m = await expectNamed(
      set('e'.repeat(64)),
      set(hash),
      { kind: 'erasure', ref: lineRef, fact: new RegExp(`^Model ${newModelId}\\.paramsSha256$`) },
      2,
    );
    assert.equal(m.logged, hash);
  });

  it('an erased SourceRow given a value back is named (its keys are no longer a skeleton)', async () => {
    const rowId = erasedRowIds[0];
    const m = await expectNamed(
      () => cypher(graph(), 'MATCH (r:SourceRow {id: $id}) SET r.amount = 1', { id: rowId }),
      () => cypher(graph(), 'MATCH (r:SourceRow {id: $id}) REMOVE r.amount', { id: rowId }),
      { kind: 'erasure', ref: lineRef, fact: new RegExp(`^SourceRow ${rowId} keys \\(skeleton\\)$`) },
    );
    assert.deepEqual(m.logged, ['erased', 'erasedAt', 'erasedBy', 'id', 'row']);
    assert.ok((m.found as string[]).includes('amount'));
  });

  it('an affected sample unlinked from the request is named', async () => {
    const [edge] = (
      await cypher(
        graph(),
        'MATCH (:UnlearningRequest {id: $id})-[a:AFFECTED]->(s:Sample) RETURN s.id AS sample LIMIT 1',
        { id: requestId },
      )
    ).records.map((r) => String(r.get('sample')));
    await expectNamed(
      () =>
        cypher(graph(), 'MATCH (:UnlearningRequest {id: $id})-[a:AFFECTED]->(:Sample {id: $s}) DELETE a', {
          id: requestId,
          s: edge,
        }),
      () =>
        cypher(
          graph(),
          'MATCH (u:UnlearningRequest {id: $id}), (s:Sample {id: $s}) CREATE (u)-[:AFFECTED]->(s)',
          {
            id: requestId,
            s: edge,
          },
        ),
      { kind: 'erasure', ref: lineRef, fact: /^UnlearningRequest AFFECTED samples of Run / },
    );
  });

  it('deleted INFLUENCED_BY edges of an attribution job are named', async () => {
    const saved = (
      await cypher(
        graph(),
        `MATCH (p:Prediction)-[i:INFLUENCED_BY {jobId: $job}]->(s:Sample)
         RETURN p.id AS p, s.id AS s, properties(i) AS props ORDER BY p.id, i.rank LIMIT 2`,
        { job: lateJobId },
      )
    ).records.map((r) => r.toObject());
    assert.equal(saved.length, 2);
    const m = await expectNamed(
      () =>
        cypher(
          graph(),
          `UNWIND $edges AS e
           MATCH (:Prediction {id: e.p})-[i:INFLUENCED_BY {jobId: $job}]->(:Sample {id: e.s}) DELETE i`,
          { edges: saved.map(({ p, s }) => ({ p, s })), job: lateJobId },
        ),
      () =>
        cypher(
          graph(),
          `UNWIND $edges AS e
           MATCH (p:Prediction {id: e.p}), (s:Sample {id: e.s}) CREATE (p)-[i:INFLUENCED_BY]->(s) SET i = e.props`,
          { edges: saved },
        ),
      { kind: 'attribution', ref: () => lateJobId, fact: /^INFLUENCED_BY edges of the job$/ },
    );
    assert.equal(Number(m.logged) - Number(m.found), 2);
  });

  it('export evidence of the unlearned model holds its erasure statement and the attribution of it, and verifies offline', async () => {
    const out = path.join(dir, 'bundle-new');
    (await runTraceprop(['export', 'evidence', '--model', newModelId, '--out', out, '--json'], { env })).ok();
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {
      statements: { kind: string; ref: string }[];
    };
    const refs = manifest.statements.map((s) => `${s.kind} ${s.ref}`);
    assert.ok(refs.includes(`erasure ${lineRef()}`), refs.join(', '));
    assert.ok(refs.includes(`attribution ${lateJobId}`), refs.join(', '));
    assert.ok(
      refs.some((r) => r.startsWith('run ')),
      'the run it was trained on',
    );
    assert.equal(
      refs.filter((r) => r.startsWith('attribution ')).length,
      1,
      'not the attribution of the old version',
    );
    const checked = (
      await runTraceprop(['verify', 'bundle', out, '--json'], { env: { NEO4J_URI: 'bolt://127.0.0.1:1' } })
    )
      .ok()
      .json<{ verified: boolean; statements: { kind: string }[] }>();
    assert.equal(checked.verified, true);
    assert.ok(checked.statements.some((s) => s.kind === 'erasure'));

    // The previous version's bundle holds the erasure too (its line started from it).
    const old = path.join(dir, 'bundle-old');
    (await runTraceprop(['export', 'evidence', '--model', modelId, '--out', old, '--json'], { env })).ok();
    const oldRefs = (
      JSON.parse(fs.readFileSync(path.join(old, 'manifest.json'), 'utf8')) as {
        statements: { kind: string; ref: string }[];
      }
    ).statements.map((s) => `${s.kind} ${s.ref}`);
    assert.ok(oldRefs.includes(`erasure ${lineRef()}`), oldRefs.join(', '));
    assert.ok(oldRefs.includes(`model ${modelId}`));
    assert.ok(!oldRefs.includes(`attribution ${lateJobId}`));
    (await runTraceprop(['verify', 'bundle', old, '--json'], { env })).ok();
  });
});
