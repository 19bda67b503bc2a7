import assert from 'node:assert/strict';
import { syntheticLineageRun } from '../../bench/support/synthetic-lineage-run.js';
import { hasCode, TracepropError } from '../../src/errors.js';
import { failRun } from '../../src/graph/fail-run.js';
import { type IngestProgress, writeLineageRun } from '../../src/graph/lineage-writer.js';
import { clearGraph, useCleanGraph, withTestSession } from '../support/graph.js';
import {
  derivedFromIds,
  expectedSourceRowIds,
  graphCounts,
  runProperties,
  runScopedNodes,
} from '../support/graph-facts.js';

describe('graph: lineage writer', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();
  beforeEach(async () => {
    await clearGraph(graph());
  });

  it('writes a row-mode run: every node, relationship and property of the LineageRun', async () => {
    const run = syntheticLineageRun({ runId: 'w-row', applicants: 300, mode: 'row' });
    const progress: IngestProgress[] = [];
    const result = await writeLineageRun(graph(), run, {
      rowBatchSize: 500,
      edgeBatchSize: 700,
      sampleBatchSize: 120,
      onProgress: (p) => progress.push(p),
    });
    assert.equal(result.status, 'complete');
    assert.deepEqual(
      {
        files: result.files,
        filesCreated: result.filesCreated,
        ops: result.ops,
        sourceRows: result.sourceRows,
        samples: result.samples,
        edges: result.provenanceEdges,
      },
      { files: 3, filesCreated: 3, ops: 8, sourceRows: 300 * 6, samples: 300, edges: 300 * 6 },
    );
    const counts = await graphCounts(graph());
    assert.deepEqual(counts, {
      Run: 1,
      SourceFile: 3,
      SourceRow: 1800,
      Op: 8,
      Sample: 300,
      IN_FILE: 1800,
      HAS_OP: 8,
      AFTER: run.ops.reduce((n, op) => n + op.inputs.length, 0),
      READ: 3,
      OUTPUT_OF: 300,
      DERIVED_FROM: 1800,
    });
    // Progress: monotone, ends at the total, counts rows + samples + edges.
    assert.ok(progress.length > 5);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].written > progress[i - 1].written);
    assert.equal(progress.at(-1)?.written, 1800 + 300 + 1800);
    assert.equal(progress.at(-1)?.total, 1800 + 300 + 1800);

    const props = await runProperties(graph(), 'w-row');
    assert.equal(props?.status, 'complete');
    assert.equal(props?.mode, 'row');
    assert.equal(props?.pipeline, 'synthetic-credit-risk');
    assert.equal(props?.samples, 300);
    assert.equal(props?.sourceRows, 1800);
    assert.equal(props?.provenanceEdges, 1800);
    assert.equal(typeof props?.startedAt, 'string');
    assert.equal(typeof props?.finishedAt, 'string');

    // Provenance of some samples equals the CSR.
    for (const i of [0, 1, 150, 299]) {
      assert.deepEqual(await derivedFromIds(graph(), `w-row:s:${i}`), expectedSourceRowIds(run, i));
    }
    await withTestSession(graph(), async (session) => {
      // Sample properties.
      const s = await session.run("MATCH (s:Sample {id: 'w-row:s:4'}) RETURN properties(s) AS p");
      assert.deepEqual(s.records[0].get('p'), {
        id: 'w-row:s:4',
        index: 0,
        split: 'test',
        key: '100004',
        label: 0,
      });
      // SourceRow properties and IN_FILE.
      const bureau = run.files[1];
      const r = await session.run(
        'MATCH (r:SourceRow {id: $id})-[:IN_FILE]->(f:SourceFile) RETURN properties(r) AS p, f.id AS f',
        { id: `${bureau.id}:7` },
      );
      assert.deepEqual(r.records[0].get('p'), {
        id: `${bureau.id}:7`,
        row: 7,
        key: '5000007',
        erased: false,
      });
      assert.equal(r.records[0].get('f'), bureau.id);
      // SourceFile properties.
      const f = await session.run('MATCH (f:SourceFile {id: $id}) RETURN properties(f) AS p', {
        id: bureau.id,
      });
      assert.deepEqual(f.records[0].get('p'), {
        id: bureau.id,
        name: 'bureau.csv',
        path: '/synthetic/bureau.csv',
        table: 'bureau',
        rows: 900,
        keyColumn: 'SK_ID_BUREAU',
        firstRun: 'w-row',
      });
      // Op properties, params as JSON, AFTER to its inputs, READ to its file.
      const op = await session.run(
        "MATCH (o:Op {id: 'w-row:op:5'}) RETURN o.seq AS seq, o.kind AS kind, o.params AS params, [(o)-[:AFTER]->(i) | i.id] AS inputs",
      );
      assert.equal(op.records[0].get('seq'), 5);
      assert.equal(op.records[0].get('kind'), 'join');
      assert.deepEqual(JSON.parse(op.records[0].get('params')), run.ops[5].params);
      assert.deepEqual([...op.records[0].get('inputs')].sort(), ['w-row:op:0', 'w-row:op:3']);
      const read = await session.run(
        "MATCH (o:Op {id: 'w-row:op:1'})-[:READ]->(f:SourceFile) RETURN f.id AS f",
      );
      assert.equal(read.records[0].get('f'), bureau.id);
    });
  });

  it('writes an op-mode run: SourceRows and Samples but no DERIVED_FROM', async () => {
    const run = syntheticLineageRun({ runId: 'w-op', applicants: 200, mode: 'op' });
    const result = await writeLineageRun(graph(), run, { concurrency: 1 });
    assert.equal(result.provenanceEdges, 0);
    const counts = await graphCounts(graph());
    assert.equal(counts.Sample, 200);
    assert.equal(counts.SourceRow, 1200);
    assert.equal(counts.OUTPUT_OF, 200);
    assert.equal(counts.DERIVED_FROM, undefined);
    assert.equal((await runProperties(graph(), 'w-op'))?.mode, 'op');
  });

  it('re-ingesting the same files does not duplicate SourceFile or SourceRow nodes', async () => {
    const first = syntheticLineageRun({ runId: 'again-1', applicants: 150, mode: 'row' });
    await writeLineageRun(graph(), first);
    const before = await graphCounts(graph());
    const second = syntheticLineageRun({ runId: 'again-2', applicants: 150, mode: 'row' });
    const result = await writeLineageRun(graph(), second);
    assert.equal(result.filesCreated, 0);
    assert.equal(result.sourceRowsWritten, 0);
    assert.equal(result.sourceRowsPresent, result.sourceRows);
    assert.equal(result.provenanceEdges, 150 * 6);
    const after = await graphCounts(graph());
    assert.equal(after.SourceFile, before.SourceFile);
    assert.equal(after.SourceRow, before.SourceRow);
    assert.equal(after.IN_FILE, before.IN_FILE);
    assert.equal(after.Run, 2);
    assert.equal(after.Sample, 300);
    assert.equal(after.DERIVED_FROM, 2 * 150 * 6);
    // The second run's samples point at the very same SourceRows.
    assert.deepEqual(await derivedFromIds(graph(), 'again-2:s:17'), expectedSourceRowIds(second, 17));
    // And an op-mode re-ingest too.
    await writeLineageRun(graph(), syntheticLineageRun({ runId: 'again-3', applicants: 150, mode: 'op' }));
    assert.equal((await graphCounts(graph())).SourceRow, before.SourceRow);
  });

  it('completes a file that an earlier ingest left partly written (MERGE path), without duplicates', async () => {
    const run = syntheticLineageRun({ runId: 'part-1', applicants: 100, mode: 'op' });
    await writeLineageRun(graph(), run);
    const bureau = run.files[1];
    await withTestSession(graph(), (s) =>
      s.run('MATCH (r:SourceRow)-[:IN_FILE]->(:SourceFile {id: $id}) WHERE r.row >= 150 DETACH DELETE r', {
        id: bureau.id,
      }),
    );
    const again = syntheticLineageRun({ runId: 'part-2', applicants: 100, mode: 'row' });
    const result = await writeLineageRun(graph(), again, { rowBatchSize: 64 });
    // Only the removed rows are new (issue 8: the rows found by MERGE were counted as written).
    assert.equal(result.sourceRowsWritten, bureau.rows - 150);
    assert.equal(result.sourceRowsPresent, result.sourceRows - (bureau.rows - 150));
    const counts = await graphCounts(graph());
    assert.equal(counts.SourceRow, 600);
    assert.equal(counts.IN_FILE, 600);
    assert.deepEqual(await derivedFromIds(graph(), 'part-2:s:99'), expectedSourceRowIds(again, 99));
  });

  for (const failAt of [2, 9, 14]) {
    it(`a failure after batch ${failAt} marks the Run failed and removes what it wrote`, async () => {
      const run = syntheticLineageRun({ runId: `fail-${failAt}`, applicants: 200, mode: 'row' });
      const phases: string[] = [];
      await assert.rejects(
        writeLineageRun(graph(), run, {
          rowBatchSize: 200,
          sampleBatchSize: 50,
          edgeBatchSize: 300,
          concurrency: 1,
          afterBatch: (p) => {
            phases.push(p.phase);
            if (p.batch === failAt) throw new Error('injected failure');
          },
        }),
        (err: unknown) => {
          assert.ok(err instanceof TracepropError);
          assert.equal(err.code, 'graph.ingestFailed');
          assert.match(err.message, /injected failure/);
          assert.match(err.message, /marked failed and what it wrote was removed/);
          return true;
        },
      );
      const props = await runProperties(graph(), `fail-${failAt}`);
      assert.equal(props?.status, 'failed');
      assert.match(String(props?.error), /injected failure/);
      assert.deepEqual(await runScopedNodes(graph(), `fail-${failAt}`), { samples: 0, ops: 0 });
      const counts = await graphCounts(graph());
      assert.deepEqual(
        counts,
        { Run: 1 },
        `left behind: ${JSON.stringify(counts)} (phases ${phases.join(',')})`,
      );
    });
  }

  it('a failed ingest keeps the SourceFiles and SourceRows another run uses', async () => {
    await writeLineageRun(graph(), syntheticLineageRun({ runId: 'keep-1', applicants: 100, mode: 'row' }));
    const before = await graphCounts(graph());
    // Same application/bureau files, plus a new previous_application file (different size).
    const run = syntheticLineageRun({
      runId: 'keep-2',
      applicants: 100,
      previousPerApplicant: 3,
      mode: 'row',
    });
    await assert.rejects(
      writeLineageRun(graph(), run, {
        edgeBatchSize: 100,
        concurrency: 1,
        afterBatch: (p) => {
          if (p.phase === 'provenance') throw new Error('boom');
        },
      }),
      /boom/,
    );
    const after = await graphCounts(graph());
    assert.equal(after.SourceFile, before.SourceFile);
    assert.equal(after.SourceRow, before.SourceRow);
    assert.equal(after.Sample, before.Sample);
    assert.equal(after.DERIVED_FROM, before.DERIVED_FROM);
    assert.equal(after.Run, 2);
    assert.equal((await runProperties(graph(), 'keep-1'))?.status, 'complete');
    assert.equal((await runProperties(graph(), 'keep-2'))?.status, 'failed');
  });

  it('failRun cleans up a Run a dead process left running, and says when there is no such run', async () => {
    const run = syntheticLineageRun({ runId: 'dead', applicants: 50, mode: 'row' });
    await writeLineageRun(graph(), run);
    await withTestSession(graph(), (s) => s.run("MATCH (r:Run {id: 'dead'}) SET r.status = 'running'"));
    const result = await failRun(graph(), 'dead', 'process died');
    assert.equal(result.filesRemoved, 3);
    assert.deepEqual(await graphCounts(graph()), { Run: 1 });
    await assert.rejects(failRun(graph(), 'no-such-run'), (err: unknown) => hasCode(err, 'graph.notFound'));
  });

  it('refuses a second Run with the same id and leaves the first intact', async () => {
    await writeLineageRun(graph(), syntheticLineageRun({ runId: 'twice', applicants: 20, mode: 'row' }));
    await assert.rejects(
      writeLineageRun(graph(), syntheticLineageRun({ runId: 'twice', applicants: 20, mode: 'row' })),
      (err: unknown) => hasCode(err, 'graph.runExists'),
    );
    assert.equal((await runProperties(graph(), 'twice'))?.status, 'complete');
    assert.equal((await graphCounts(graph())).Sample, 20);
  });

  it('rejects hostile table and column names before any Cypher runs', async () => {
    const hostile = ['x}) DETACH DELETE n //', 'a`b', "bureau' OR 1=1", 'k$param', 'x\ny'];
    await writeLineageRun(graph(), syntheticLineageRun({ runId: 'victim', applicants: 10, mode: 'row' }));
    const before = await graphCounts(graph());
    for (const [i, name] of hostile.entries()) {
      const bad1 = syntheticLineageRun({ runId: `bad-key-${i}`, applicants: 10, mode: 'row' });
      bad1.files[1].keyColumn = name;
      await assert.rejects(writeLineageRun(graph(), bad1), (err: unknown) => hasCode(err, 'graph.badName'));
      const bad2 = syntheticLineageRun({ runId: `bad-table-${i}`, applicants: 10, mode: 'row' });
      bad2.files[0].table = name;
      await assert.rejects(writeLineageRun(graph(), bad2), (err: unknown) => hasCode(err, 'graph.badName'));
      const bad3 = syntheticLineageRun({ runId: `bad-feature-${i}`, applicants: 10, mode: 'row' });
      bad3.featureColumns = { f: [`application.${name}`] };
      await assert.rejects(writeLineageRun(graph(), bad3), (err: unknown) => hasCode(err, 'graph.badName'));
    }
    const bad4 = syntheticLineageRun({
      runId: "r'}) MATCH (n) DETACH DELETE n //",
      applicants: 10,
      mode: 'row',
    });
    await assert.rejects(writeLineageRun(graph(), bad4), (err: unknown) => hasCode(err, 'graph.badLineage'));
    assert.deepEqual(await graphCounts(graph()), before);
  });

  it('stores hostile text in values (keys, op params, file names) verbatim, as parameters', async () => {
    const run = syntheticLineageRun({ runId: 'values', applicants: 5, mode: 'row' });
    const evil = "'}) MATCH (n) DETACH DELETE n //";
    run.files[0].keys = run.files[0].keys?.map((k, i) => (i === 0 ? evil : k));
    run.samples.keys[0] = evil;
    run.ops[3].params = { expr: evil, nested: { $where: '`' } };
    run.files[2].name = `prev${evil}.csv`;
    await writeLineageRun(graph(), run);
    await withTestSession(graph(), async (session) => {
      const r = await session.run("MATCH (s:Sample {id: 'values:s:0'}) RETURN s.key AS key");
      assert.equal(r.records[0].get('key'), evil);
      const o = await session.run("MATCH (o:Op {id: 'values:op:3'}) RETURN o.params AS p");
      assert.deepEqual(JSON.parse(o.records[0].get('p')), { expr: evil, nested: { $where: '`' } });
    });
    assert.equal((await graphCounts(graph())).SourceRow, 30);
  });
});
