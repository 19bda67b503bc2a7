import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syntheticLineageRun } from '../../bench/support/synthetic-lineage-run.js';
import { packageRoot } from '../../src/config.js';
import { hasCode } from '../../src/errors.js';
import type { GraphClient } from '../../src/graph/connection.js';
import { cypherText } from '../../src/graph/cypher-library.js';
import { failRun } from '../../src/graph/fail-run.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { ops } from '../../src/graph/queries/ops.js';
import { pipelineChanges, runPipeline } from '../../src/graph/queries/pipelines.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { derive } from '../../src/lineage/derive.js';
import { filter } from '../../src/lineage/filter.js';
import type { LineageRun, PipelineDefinition } from '../../src/lineage/lineage-run.js';
import { loadCsv } from '../../src/lineage/load-csv.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec, parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { runTraceprop } from '../support/cli.js';
import { clearGraph, useCleanGraph, withTestSession } from '../support/graph.js';
import { graphCounts, runProperties } from '../support/graph-facts.js';

const yamlFile = path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'small-loans.yaml');
const yamlText = fs.readFileSync(yamlFile, 'utf8');

/** The definition of small-loans.yaml with `from` replaced by `to` (none: the file as it is). */
function smallLoans(from?: string, to?: string): PipelineDefinition {
  if (from === undefined) return canonicalPipeline(loadPipelineSpec(yamlFile).spec);
  assert.ok(yamlText.includes(from), from);
  return canonicalPipeline(parsePipelineSpec(yamlText.replace(from, to ?? ''), 'small-loans.yaml').spec);
}

/** A small op-mode run tagged with a definition, started at `startedAt`; ops 0-2 load, 3+ are steps. */
function runOf(runId: string, definition: PipelineDefinition | undefined, startedAt: string): LineageRun {
  const run = syntheticLineageRun({ runId, applicants: 10, mode: 'op' });
  run.startedAt = startedAt;
  if (definition) {
    run.definition = definition;
    run.pipeline = definition.name;
    for (const op of run.ops) op.step = op.seq < 3 ? 'sources' : `step-${op.seq}`;
  }
  return run;
}

/** sha256 of the Pipeline(s) a Run USES. */
async function usedBy(runId: string, graph: () => GraphClient): Promise<string[]> {
  return withTestSession(graph(), async (s) => {
    const r = await s.run(
      'MATCH (:Run {id: $runId})-[:USES]->(p:Pipeline) RETURN p.sha256 AS sha ORDER BY sha',
      {
        runId,
      },
    );
    return r.records.map((x) => x.get('sha') as string);
  });
}

describe('graph: declared pipelines (Pipeline, USES, Op.step)', function () {
  this.timeout(180_000);
  const graph = useCleanGraph();
  const a = smallLoans();
  const b = smallLoans('where: amount > 1000', 'where: amount > 5000');
  beforeEach(async () => {
    await clearGraph(graph());
  });

  it('has a uniqueness constraint on Pipeline.sha256', async () => {
    const constraints = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        "SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type WHERE labelsOrTypes = ['Pipeline'] RETURN properties, type",
      );
      return r.records.map((x) => [x.get('properties'), x.get('type')]);
    });
    assert.deepEqual(constraints, [[['sha256'], 'UNIQUENESS']]);
    await withTestSession(graph(), async (s) => {
      await s.run("CREATE (:Pipeline {sha256: 'dup'})");
      await assert.rejects(s.run("CREATE (:Pipeline {sha256: 'dup'})"), /already exists/);
    });
  });

  it('identical pipelines share one node; a changed one gets its own; Op.step is stored', async () => {
    assert.notEqual(a.sha256, b.sha256);
    await writeLineageRun(graph(), runOf('p-1', a, '2026-01-01T00:00:00.000Z'));
    await writeLineageRun(graph(), runOf('p-2', smallLoans(), '2026-01-02T00:00:00.000Z'));
    await writeLineageRun(graph(), runOf('p-3', b, '2026-01-03T00:00:00.000Z'));
    const counts = await graphCounts(graph());
    assert.equal(counts.Pipeline, 2);
    assert.equal(counts.USES, 3);
    assert.deepEqual(await usedBy('p-1', graph), [a.sha256]);
    assert.deepEqual(await usedBy('p-2', graph), [a.sha256]);
    assert.deepEqual(await usedBy('p-3', graph), [b.sha256]);
    const nodes = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        'MATCH (p:Pipeline) RETURN properties(p) AS p, COUNT { (p)<-[:USES]-(:Run) } AS runs ORDER BY p.sha256',
      );
      return r.records.map((x) => ({ ...x.get('p'), runs: x.get('runs') }));
    });
    const expected = [
      { sha256: a.sha256, name: 'small-loans', format: 'traceprop.pipeline/1', text: a.text, runs: 2 },
      { sha256: b.sha256, name: 'small-loans', format: 'traceprop.pipeline/1', text: b.text, runs: 1 },
    ].sort((x, y) => (x.sha256 < y.sha256 ? -1 : 1));
    assert.deepEqual(nodes, expected);
    // Op.step on every op, as the LineageRun had it.
    const steps = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        "MATCH (:Run {id: 'p-3'})-[:HAS_OP]->(o:Op) RETURN o.seq AS seq, o.step AS step ORDER BY seq",
      );
      return r.records.map((x) => [x.get('seq'), x.get('step')]);
    });
    assert.deepEqual(steps, [
      [0, 'sources'],
      [1, 'sources'],
      [2, 'sources'],
      [3, 'step-3'],
      [4, 'step-4'],
      [5, 'step-5'],
      [6, 'step-6'],
      [7, 'step-7'],
    ]);
    assert.deepEqual(
      (await ops(graph(), 'p-3')).ops.map((o) => o.step),
      steps.map(([, step]) => step),
    );
  });

  it('a run without a definition writes no Pipeline, no USES and no Op.step (as before)', async () => {
    await writeLineageRun(graph(), runOf('plain', undefined, '2026-01-01T00:00:00.000Z'));
    const counts = await graphCounts(graph());
    assert.equal(counts.Pipeline, undefined);
    assert.equal(counts.USES, undefined);
    const keys = await withTestSession(graph(), async (s) => {
      const r = await s.run(
        "MATCH (:Run {id: 'plain'})-[:HAS_OP]->(o:Op) UNWIND keys(o) AS k RETURN collect(DISTINCT k) AS keys",
      );
      return (r.records[0].get('keys') as string[]).sort();
    });
    assert.deepEqual(keys, ['id', 'kind', 'name', 'params', 'seq']);
    assert.equal(await runPipeline(graph(), 'plain'), null);
    await assert.rejects(runPipeline(graph(), 'no-such-run'), (err: unknown) =>
      hasCode(err, 'graph.notFound'),
    );
  });

  it('writes the definition and steps of a run built with src/lineage from a CSV file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-pipeline-graph-'));
    try {
      const csv = path.join(dir, 'loan.csv');
      fs.writeFileSync(csv, 'loan_id,amount\n1,500\n2,2000\n3,3000\n4,800\n5,12000\n');
      const p = new Pipeline({ name: 'small-loans', mode: 'row', runId: 'lin-1' });
      p.beginStep('loan');
      const loans = await loadCsv(p, csv, { keyColumn: 'loan_id' });
      p.beginStep('big');
      const big = filter(loans, {
        name: 'amount > 1000',
        inputs: ['amount'],
        keep: (c, keep) => {
          const amount = c.num('amount');
          for (let i = 0; i < keep.length; i++) keep[i] = amount[i] > 1000 ? 1 : 0;
        },
      });
      p.beginStep('feats');
      const feats = derive(big, {
        name: 'log_amount',
        inputs: ['amount'],
        compute: (c, out) => {
          const amount = c.num('amount');
          for (let i = 0; i < out.length; i++) out[i] = Math.log(amount[i]);
        },
      });
      p.beginStep(undefined);
      const n = feats.rows;
      const run = p.finish({
        frame: feats,
        keys: ['2', '3', '5'],
        keyColumn: 'loan_id',
        labels: new Float64Array(n),
        split: new Uint8Array(n),
        featureNames: ['log_amount'],
        definition: a,
      });
      const result = await writeLineageRun(graph(), run);
      assert.equal(result.samples, 3);
      const pipeline = await runPipeline(graph(), 'lin-1');
      assert.ok(pipeline);
      assert.deepEqual(
        { ...pipeline, startedAt: undefined },
        {
          runId: 'lin-1',
          status: 'complete',
          startedAt: undefined,
          pipeline: 'small-loans',
          format: 'traceprop.pipeline/1',
          sha256: a.sha256,
          text: a.text,
          runs: 1,
          steps: [
            { step: 'loan', ops: 1 },
            { step: 'big', ops: 1 },
            { step: 'feats', ops: 1 },
          ],
        },
      );
      assert.equal(pipeline.startedAt, p.startedAt);
      assert.deepEqual(JSON.parse(pipeline.text), JSON.parse(a.text));
      assert.deepEqual(
        (await ops(graph(), 'lin-1')).ops.map((o) => [o.kind, o.step]),
        [
          ['load', 'loan'],
          ['filter', 'big'],
          ['derive', 'feats'],
        ],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pipeline-changes lists the runs whose pipeline differs from the previous run of that name', async () => {
    const other = smallLoans('name: small-loans', 'name: other-loans');
    const runs: [string, PipelineDefinition | undefined, string][] = [
      ['c-1', a, '2026-02-01T00:00:00.000Z'],
      ['c-2', a, '2026-02-02T00:00:00.000Z'], // unchanged
      ['o-1', other, '2026-02-02T12:00:00.000Z'], // another name: its first run
      ['c-3', b, '2026-02-03T00:00:00.000Z'], // changed: a → b
      ['c-4', b, '2026-02-04T00:00:00.000Z'], // unchanged
      ['plain', undefined, '2026-02-04T12:00:00.000Z'], // no declared pipeline
      ['c-5', a, '2026-02-05T00:00:00.000Z'], // changed back: b → a
      ['o-2', other, '2026-02-06T00:00:00.000Z'], // unchanged
    ];
    // Written out of order: the query orders by startedAt, not by when a run was written.
    for (const [runId, definition, startedAt] of [...runs].reverse())
      await writeLineageRun(graph(), runOf(runId, definition, startedAt));
    const expected = [
      {
        runId: 'c-3',
        startedAt: '2026-02-03T00:00:00.000Z',
        pipeline: 'small-loans',
        sha256: b.sha256,
        previousRunId: 'c-2',
        previousSha256: a.sha256,
      },
      {
        runId: 'c-5',
        startedAt: '2026-02-05T00:00:00.000Z',
        pipeline: 'small-loans',
        sha256: a.sha256,
        previousRunId: 'c-4',
        previousSha256: b.sha256,
      },
    ];
    assert.deepEqual(await pipelineChanges(graph(), null), expected);
    assert.deepEqual(await pipelineChanges(graph(), 'small-loans'), expected);
    assert.deepEqual(await pipelineChanges(graph(), 'other-loans'), []);
    // The file itself, as `traceprop cypher pipeline-changes` runs it.
    const rows = await runReadQuery(graph(), cypherText('queries', 'pipeline-changes'), { pipeline: null });
    assert.deepEqual(rows, expected);
    // A failed run (cleaned up: it no longer USES a pipeline) does not count as "the run before".
    await assert.rejects(
      writeLineageRun(graph(), runOf('c-6-failed', b, '2026-02-06T00:00:00.000Z'), {
        afterBatch: () => {
          throw new Error('boom');
        },
      }),
      /boom/,
    );
    await writeLineageRun(graph(), runOf('c-7', a, '2026-02-07T00:00:00.000Z'));
    assert.deepEqual(
      (await pipelineChanges(graph(), 'small-loans')).map((c) => c.runId),
      ['c-3', 'c-5'],
    );

    // Through the CLI: `cypher --list` and `cypher NAME` pick the files up; `query` prints them.
    const list = (await runTraceprop(['cypher', '--list', '--json'])).ok().json<{ name: string }[]>();
    for (const name of ['pipeline-changes', 'run-pipeline'])
      assert.ok(
        list.some((q) => q.name === name),
        `${name} is listed`,
      );
    const viaCypher = (
      await runTraceprop(['cypher', 'pipeline-changes', '--param', 'pipeline=small-loans', '--json'])
    )
      .ok()
      .json<{ rows: unknown[] }>();
    assert.deepEqual(viaCypher.rows, expected);
    const viaQuery = (await runTraceprop(['query', 'pipeline-changes', '--json'])).ok().json<unknown[]>();
    assert.deepEqual(viaQuery, expected);
    const shown = (await runTraceprop(['query', 'pipeline', 'c-3'])).ok();
    assert.match(
      shown.stdout,
      new RegExp(
        `executed pipeline small-loans \\(traceprop.pipeline/1\\), sha256 ${b.sha256}; 2 runs used it`,
      ),
    );
    assert.match(shown.stdout, /"where": "amount > 5000"/);
    const byRun = (await runTraceprop(['cypher', 'run-pipeline', '--param', 'runId=c-3', '--json']))
      .ok()
      .json<{
        rows: { text: string; runs: number }[];
      }>();
    assert.deepEqual(
      byRun.rows.map((r) => [r.text, r.runs]),
      [[b.text, 2]],
    );
  });

  it('a failed ingest keeps a Pipeline another run uses and removes one no run uses', async () => {
    await writeLineageRun(graph(), runOf('ok-1', a, '2026-03-01T00:00:00.000Z'));
    const before = await graphCounts(graph());
    // Same pipeline as ok-1, failing after its first batch.
    await assert.rejects(
      writeLineageRun(graph(), runOf('bad-1', smallLoans(), '2026-03-02T00:00:00.000Z'), {
        afterBatch: () => {
          throw new Error('boom');
        },
      }),
      /boom/,
    );
    assert.equal((await runProperties(graph(), 'bad-1'))?.status, 'failed');
    assert.deepEqual(await usedBy('bad-1', graph), []);
    assert.deepEqual(await usedBy('ok-1', graph), [a.sha256]);
    assert.deepEqual(await graphCounts(graph()), { ...before, Run: 2 });

    // A pipeline only the failing run used goes with it.
    await assert.rejects(
      writeLineageRun(graph(), runOf('bad-2', b, '2026-03-03T00:00:00.000Z'), {
        afterBatch: () => {
          throw new Error('boom');
        },
      }),
      /boom/,
    );
    assert.deepEqual(await graphCounts(graph()), { ...before, Run: 3 });

    // A Run left running by a dead process: failRun cleans it up the same way.
    await writeLineageRun(graph(), runOf('dead-shared', a, '2026-03-04T00:00:00.000Z'));
    await writeLineageRun(graph(), runOf('dead-alone', b, '2026-03-05T00:00:00.000Z'));
    await withTestSession(graph(), (s) =>
      s.run("MATCH (r:Run) WHERE r.id STARTS WITH 'dead-' SET r.status = 'running'"),
    );
    const shared = await failRun(graph(), 'dead-shared', 'process died');
    const alone = await failRun(graph(), 'dead-alone', 'process died');
    assert.deepEqual([shared.pipelinesRemoved, alone.pipelinesRemoved], [0, 1]);
    assert.deepEqual(await graphCounts(graph()), { ...before, Run: 5 });
    assert.deepEqual(await usedBy('ok-1', graph), [a.sha256]);
    // Failing it again (the clean-up runs again) changes nothing.
    assert.equal((await failRun(graph(), 'dead-alone', 'again')).pipelinesRemoved, 0);
    assert.deepEqual(await graphCounts(graph()), { ...before, Run: 5 });
  });

  it('checks the definition before writing, and refuses a Pipeline node with another text under its hash', async () => {
    const forged = { ...a, text: `${a.text} ` };
    await assert.rejects(
      writeLineageRun(graph(), runOf('forged', forged, '2026-04-01T00:00:00.000Z')),
      (err: unknown) =>
        hasCode(err, 'graph.badLineage') && /not the sha256 of definition\.text/.test((err as Error).message),
    );
    const badStep = runOf('bad-step', a, '2026-04-01T00:00:00.000Z');
    badStep.ops[2].step = 'x\ny';
    await assert.rejects(writeLineageRun(graph(), badStep), (err: unknown) =>
      hasCode(err, 'graph.badLineage'),
    );
    assert.deepEqual(await graphCounts(graph()), {});

    await withTestSession(graph(), (s) =>
      s.run(
        "CREATE (:Pipeline {sha256: $sha256, name: 'small-loans', format: 'traceprop.pipeline/1', text: 'other'})",
        {
          sha256: a.sha256,
        },
      ),
    );
    await assert.rejects(
      writeLineageRun(graph(), runOf('clash', a, '2026-04-02T00:00:00.000Z')),
      (err: unknown) =>
        hasCode(err, 'graph.pipelineConflict') && /nothing was written/.test((err as Error).message),
    );
    assert.deepEqual(await graphCounts(graph()), { Pipeline: 1 });
  });
});
