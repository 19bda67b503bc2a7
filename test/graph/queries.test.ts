import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { chainLineageRun, syntheticLineageRun } from '../../bench/support/synthetic-lineage-run.js';
import { packageRoot } from '../../src/config.js';
import { hasCode } from '../../src/errors.js';
import { cypherText, listCypherFiles } from '../../src/graph/cypher-library.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { ancestors, ancestorsQueryName } from '../../src/graph/queries/ancestors.js';
import { descendants } from '../../src/graph/queries/descendants.js';
import { ops } from '../../src/graph/queries/ops.js';
import { sources } from '../../src/graph/queries/sources.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { loadPipelineSpec, parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { expectedSourceRowIds, graphCounts } from '../support/graph-facts.js';

describe('graph: lineage queries', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  const row = syntheticLineageRun({ runId: 'q-row', applicants: 120, mode: 'row' });
  const op = syntheticLineageRun({ runId: 'q-op', applicants: 120, mode: 'op' });
  const chain = chainLineageRun('q-chain', 60);

  before(async () => {
    await writeLineageRun(graph(), row);
    await writeLineageRun(graph(), op);
    await writeLineageRun(graph(), chain);
    await withTestSession(graph(), (s) =>
      s.run(
        "MATCH (run:Run {id: 'q-row'}) CREATE (:Model {id: 'm-1', version: 1, kind: 'logreg', status: 'active', trainedAt: '2025-01-01'})-[:TRAINED_ON]->(run)",
      ),
    );
    await withTestSession(graph(), (s) =>
      s.run(
        "MATCH (m:Model {id: 'm-1'}), (s:Sample {id: 'q-row:s:3'}) CREATE (m)<-[:BY]-(:Prediction {id: 'm-1:q-row:s:3', score: 0.7, label: 1})-[:FOR]->(s)",
      ),
    );
  });

  it('sources(sample) returns exactly the rows of the provenance CSR, with file, table, row, key and ops', async () => {
    for (const i of [0, 3, 4, 77, 119]) {
      const result = await sources(graph(), `q-row:s:${i}`);
      assert.equal(result.runId, 'q-row');
      assert.equal(result.mode, 'row');
      assert.deepEqual(result.rows.map((r) => r.rowId).sort(), expectedSourceRowIds(row, i));
      for (const r of result.rows) {
        const file = row.files.find((f) => f.id === r.fileId);
        assert.ok(file);
        assert.equal(r.file, file.name);
        assert.equal(r.table, file.table);
        assert.equal(r.rowId, `${file.id}:${r.row}`);
        assert.equal(r.key, file.keys?.[r.row]);
        assert.equal(r.erased, false);
      }
    }
    const { rows } = await sources(graph(), 'q-row:s:5');
    const byTable = (t: string) => rows.find((r) => r.table === t)?.ops.map((o) => o.seq);
    // application: load 0 → join 5 → join 6 → split 7; bureau: load 1 → aggregate 3 → 5 → 6 → 7.
    assert.deepEqual(byTable('application'), [0, 5, 6, 7]);
    assert.deepEqual(byTable('bureau'), [1, 3, 5, 6, 7]);
    assert.deepEqual(byTable('previous_application'), [2, 4, 6, 7]);
    assert.equal(rows.find((r) => r.table === 'application')?.key, '100005');
  });

  it('sources() of an op-mode sample is empty, of an unknown sample graph.notFound', async () => {
    const result = await sources(graph(), 'q-op:s:3');
    assert.deepEqual(result, { sampleId: 'q-op:s:3', runId: 'q-op', mode: 'op', rows: [] });
    await assert.rejects(
      sources(graph(), 'q-row:s:99999'),
      (err: unknown) => hasCode(err, 'graph.notFound') && /q-row:s:99999/.test((err as Error).message),
    );
  });

  it('ops(run) and ops(sample) list the op DAG in seq order with params, inputs and files', async () => {
    const byRun = await ops(graph(), 'q-row');
    const bySample = await ops(graph(), 'q-row:s:10');
    assert.deepEqual(bySample, byRun);
    assert.equal(byRun.runId, 'q-row');
    assert.equal(byRun.status, 'complete');
    assert.deepEqual(
      byRun.ops.map((o) => [o.id, o.kind, o.inputs, o.fileId]),
      row.ops.map((o) => [o.id, o.kind, o.inputs, o.fileId ?? null]),
    );
    assert.deepEqual(byRun.ops[3].params, row.ops[3].params);
    assert.equal(byRun.ops[1].file, 'bureau.csv');
    await assert.rejects(ops(graph(), 'nope'), (err: unknown) => hasCode(err, 'graph.notFound'));
  });

  it('ancestors(op, depth) walks the op DAG upstream to the given depth', async () => {
    const last = 'q-chain:op:59';
    for (const depth of [1, 5, 59, 100]) {
      const result = await ancestors(graph(), last, depth);
      const n = Math.min(depth, 59);
      assert.deepEqual(
        result.ancestors.map((a) => [a.id, a.depth]),
        Array.from({ length: n }, (_, k) => [`q-chain:op:${58 - k}`, k + 1]),
      );
    }
    // A DAG: op 6 (join) reaches 5, 4 at depth 1; 0, 3 at depth 2; 1, 2 at depth 3 — each once.
    const dag = await ancestors(graph(), 'q-row:op:6', 10);
    assert.deepEqual(
      dag.ancestors.map((a) => [a.seq, a.depth]),
      [
        [4, 1],
        [5, 1],
        [0, 2],
        [2, 2],
        [3, 2],
        [1, 3],
      ],
    );
    assert.deepEqual((await ancestors(graph(), 'q-row:op:0', 3)).ancestors, []);
    await assert.rejects(ancestors(graph(), 'q-row:op:404', 3), (err: unknown) =>
      hasCode(err, 'graph.notFound'),
    );
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(ancestors(graph(), last, bad), (err: unknown) => hasCode(err, 'graph.badDepth'));
    }
  });

  it('ancestors() picks the smallest bounded walk that covers the depth, with the unbounded answer', async () => {
    assert.deepEqual([1, 10, 11, 100, 101, 1000, 1001, 1_000_000].map(ancestorsQueryName), [
      'ancestors-within-10',
      'ancestors-within-10',
      'ancestors-within-100',
      'ancestors-within-100',
      'ancestors-within-1000',
      'ancestors-within-1000',
      'ancestors',
      'ancestors',
    ]);
    // Every bounded file equals the unbounded one at every depth it accepts, on a chain longer
    // than the bound, on the DAG, for an op without ancestors and for a missing op.
    const unbounded = cypherText('queries', 'ancestors');
    const cases: Array<[string, number[]]> = [
      ['q-chain:op:59', [1, 2, 9, 10, 11, 58, 59, 60, 100]],
      ['q-row:op:7', [1, 2, 3, 4, 10]],
      ['q-row:op:0', [1, 10]],
      ['q-row:op:404', [3]],
    ];
    for (const bound of [10, 100, 1000]) {
      const bounded = cypherText('queries', `ancestors-within-${bound}`);
      assert.match(bounded, new RegExp(`\\[:AFTER\\*1\\.\\.${bound}\\]`));
      for (const [opId, depths] of cases) {
        for (const depth of depths.filter((d) => d <= bound)) {
          assert.deepEqual(
            await runReadQuery(graph(), bounded, { opId, depth }),
            await runReadQuery(graph(), unbounded, { opId, depth }),
            `${opId} at depth ${depth} within ${bound}`,
          );
        }
      }
    }
    // A bound below the chain length cuts the walk: the bound matters only when depth > bound.
    const cut = await runReadQuery(graph(), cypherText('queries', 'ancestors-within-10'), {
      opId: 'q-chain:op:59',
      depth: 30,
    });
    assert.equal((cut[0].opIds as string[]).length, 10);
    // Through ancestors(): depths on both sides of each bound give the whole chain prefix.
    for (const depth of [10, 11, 100, 101, 1000, 1001]) {
      const { ancestors: found } = await ancestors(graph(), 'q-chain:op:59', depth);
      assert.deepEqual(
        found.map((a) => a.depth),
        Array.from({ length: Math.min(depth, 59) }, (_, k) => k + 1),
      );
    }
  });

  it('sample-sources.cypher answers like sources-of-sample.cypher plus the run mode, in one query', async () => {
    for (const sampleId of ['q-row:s:0', 'q-row:s:5', 'q-row:s:119']) {
      const folded = await runReadQuery(graph(), cypherText('queries', 'sample-sources'), { sampleId });
      const plain = await runReadQuery(graph(), cypherText('queries', 'sources-of-sample'), { sampleId });
      assert.deepEqual(
        folded.map(({ mode, ...rest }) => rest),
        plain,
      );
      assert.ok(folded.every((r) => r.mode === 'row'));
    }
    const opMode = await runReadQuery(graph(), cypherText('queries', 'sample-sources'), {
      sampleId: 'q-op:s:3',
    });
    assert.equal(opMode.length, 1);
    assert.deepEqual(
      [opMode[0].runId, opMode[0].mode, opMode[0].fileId, opMode[0].rowIds, opMode[0].opIds],
      ['q-op', 'op', null, [], []],
    );
    assert.deepEqual(
      await runReadQuery(graph(), cypherText('queries', 'sample-sources'), { sampleId: 'nope' }),
      [],
    );
  });

  it('descendants(row) finds the samples, runs and models that depend on a source row', async () => {
    const bureau = row.files[1];
    // Bureau row 31 belongs to applicant 10 (3 bureau rows each).
    const result = await descendants(graph(), `${bureau.id}:31`);
    assert.deepEqual(result.sourceRow, { id: `${bureau.id}:31`, row: 31, key: '5000031', erased: false });
    assert.equal(result.file.table, 'bureau');
    const byId = new Map(result.runs.map((r) => [r.id, r]));
    assert.deepEqual([...byId.keys()].sort(), ['q-op', 'q-row']);
    assert.equal(byId.get('q-row')?.via, 'row');
    assert.deepEqual(
      byId.get('q-row')?.samples.map((s) => s.id),
      ['q-row:s:10'],
    );
    assert.deepEqual(
      byId.get('q-row')?.models.map((m) => [m.id, m.status]),
      [['m-1', 'active']],
    );
    assert.equal(byId.get('q-op')?.via, 'file');
    assert.deepEqual(byId.get('q-op')?.samples, []);
    await assert.rejects(descendants(graph(), `${bureau.id}:999999`), (err: unknown) =>
      hasCode(err, 'graph.notFound'),
    );
  });

  it('every auditor query file opens with a comment naming its parameters, and runs read-only', async () => {
    const bureau = row.files[1];
    const params: Record<string, Record<string, unknown>> = {
      'sources-of-sample': { sampleId: 'q-row:s:2' },
      'samples-of-source-row': { sourceRowId: `${bureau.id}:7` },
      'files-of-model': { modelId: 'm-1' },
      'ops-of-run': { id: 'q-row' },
      ancestors: { opId: 'q-row:op:7', depth: 2 },
      'ancestors-within-10': { opId: 'q-row:op:7', depth: 2 },
      'ancestors-within-100': { opId: 'q-row:op:7', depth: 2 },
      'ancestors-within-1000': { opId: 'q-row:op:7', depth: 2 },
      'sample-sources': { sampleId: 'q-row:s:2' },
      descendants: { sourceRowId: `${bureau.id}:7` },
      'erasure-impact': { sourceRowId: `${bureau.id}:7` },
      'source-rows-by-key': { table: 'bureau', key: '5000007' },
      'sample-exists': { sampleId: 'q-row:s:2' },
      'predictions-of-model': { modelId: 'm-1' },
      'predictions-by-key': { column: 'SK_ID_CURR', key: row.samples.keys[3], modelId: null },
      'sample-key-columns': { column: 'SK_ID_CURR' },
      erasures: { requestId: 'q-erasure' },
      'trace-prediction': { predictionId: 'm-1:q-row:s:3', top: neo4j.int(3), method: null },
      'pipeline-changes': { pipeline: null },
      'run-graph-size': { runId: 'q-row' },
      'run-pipeline': { runId: 'q-pipe-2' },
      'subject-rows': { rowIds: [`${bureau.id}:7`], runId: null },
      'upstream-jobs': { sampleId: 'q-row:s:2' },
    };
    // Two runs of a declared pipeline whose file changed in between (own files: no other query sees them).
    const yaml = path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'small-loans.yaml');
    const v1 = canonicalPipeline(loadPipelineSpec(yaml).spec);
    const v2 = canonicalPipeline(
      parsePipelineSpec(fs.readFileSync(yaml, 'utf8').replace('amount > 1000', 'amount > 2000')).spec,
    );
    for (const [runId, definition] of [
      ['q-pipe-1', v1],
      ['q-pipe-2', v2],
    ] as const) {
      const run = syntheticLineageRun({ runId, applicants: 10, mode: 'op', contentSalt: 'q-pipe' });
      run.definition = definition;
      run.startedAt = runId === 'q-pipe-1' ? '2026-01-01T00:00:00.000Z' : '2026-01-02T00:00:00.000Z';
      run.ops[3].step = 'big';
      await writeLineageRun(graph(), run);
    }
    await withTestSession(graph(), (s) =>
      s.run(
        `MATCH (r:SourceRow {id: $rowId})
         CREATE (:UnlearningRequest {id: 'q-erasure', status: 'complete', mode: 'drop', completedAt: datetime()})-[:TARGETS]->(r)`,
        { rowId: `${bureau.id}:7` },
      ),
    );
    // An upstream job (as `openlineage import` writes one) that wrote a file of sample q-row:s:2.
    await withTestSession(graph(), (s) =>
      s.run(
        `MATCH (:Sample {id: 'q-row:s:2'})-[:DERIVED_FROM]->(:SourceRow)-[:IN_FILE]->(f:SourceFile)
         WITH f LIMIT 1
         CREATE (:Job {namespace: 'q', name: 'export'})-[:WROTE {runId: null, at: '2026-01-01T00:00:00Z'}]->
                (:Dataset {namespace: 'file', name: f.path, path: f.path})-[:IS]->(f)`,
      ),
    );
    const files = listCypherFiles('queries');
    assert.deepEqual(files.map((f) => f.name).sort(), Object.keys(params).sort());
    for (const file of files) {
      assert.ok(file.description.length > 20, `${file.name} opens with a description`);
      assert.match(file.description, /Parameters: \$/, `${file.name} names its parameters`);
      for (const name of Object.keys(params[file.name]))
        assert.ok(file.text.includes(`$${name}`), `${file.name} uses $${name}`);
      const rows = await runReadQuery(graph(), file.text, params[file.name]);
      assert.ok(rows.length > 0, `${file.name} returns rows`);
    }
    // A sample is found by its key column only (issue 8 item 11: the column was ignored).
    const byKey = (column: string) =>
      runReadQuery(graph(), files.find((f) => f.name === 'predictions-by-key')?.text ?? '', {
        column,
        key: row.samples.keys[3],
        modelId: null,
      });
    assert.deepEqual(
      (await byKey('SK_ID_CURR')).map((r) => [r.predictionId, r.modelId, r.status]),
      [['m-1:q-row:s:3', 'm-1', 'active']],
    );
    assert.deepEqual(await byKey('AMT_CREDIT'), []);
    const impact = await runReadQuery(
      graph(),
      files.find((f) => f.name === 'erasure-impact')?.text ?? '',
      params['erasure-impact'],
    );
    const rowImpact = impact.find((r) => r.runId === 'q-row');
    assert.deepEqual(
      [rowImpact?.samples, rowImpact?.trainSamples, rowImpact?.activeModels, rowImpact?.via],
      [1, 1, 1, 'row'],
    );
    const modelFiles = await runReadQuery(
      graph(),
      files.find((f) => f.name === 'files-of-model')?.text ?? '',
      { modelId: 'm-1' },
    );
    // 96 of 120 samples are train (every 5th is test); each has 1 application, 3 bureau, 2 previous rows.
    assert.deepEqual(
      modelFiles.map((r) => [r.table, r.rowsUsed]),
      [
        ['application', 96],
        ['bureau', 288],
        ['previous_application', 192],
      ],
    );
  });

  it('a write in a read transaction is refused with cypher.writeRefused and changes nothing', async () => {
    const before = await graphCounts(graph());
    for (const cypher of [
      'CREATE (:Evil {x: 1})',
      'MATCH (n:Sample) DETACH DELETE n',
      "MATCH (r:Run) SET r.status = 'hacked'",
      'MERGE (:Run {id: "x"})',
    ]) {
      await assert.rejects(
        runReadQuery(graph(), cypher),
        (err: unknown) => hasCode(err, 'cypher.writeRefused'),
        cypher,
      );
    }
    assert.deepEqual(await graphCounts(graph()), before);
  });

  it('injection attempts through parameter values find nothing and change nothing', async () => {
    const before = await graphCounts(graph());
    const attempts = [
      "x'}) MATCH (n) DETACH DELETE n //",
      'q-row:s:1"}) DETACH DELETE s //',
      '` OR 1=1',
      '$sampleId',
      '*/ MATCH (n) DETACH DELETE n /*',
    ];
    for (const attempt of attempts) {
      await assert.rejects(sources(graph(), attempt), (err: unknown) => hasCode(err, 'graph.notFound'));
      await assert.rejects(ops(graph(), attempt), (err: unknown) => hasCode(err, 'graph.notFound'));
      await assert.rejects(descendants(graph(), attempt), (err: unknown) => hasCode(err, 'graph.notFound'));
      await assert.rejects(ancestors(graph(), attempt, 3), (err: unknown) => hasCode(err, 'graph.notFound'));
    }
    assert.deepEqual(await graphCounts(graph()), before);
  });
});
