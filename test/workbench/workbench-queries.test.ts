import assert from 'node:assert/strict';
import { hasCode } from '../../src/errors.js';
import { descendants } from '../../src/graph/queries/descendants.js';
import { ops } from '../../src/graph/queries/ops.js';
import { runPipeline } from '../../src/graph/queries/pipelines.js';
import { sources } from '../../src/graph/queries/sources.js';
import { type PredictionTrace, tracePrediction } from '../../src/graph/queries/trace-prediction.js';
import { runAttributionJob } from '../../src/jobs/attribution/run-attribution-job.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import {
  parseWorkbenchParams,
  type WorkbenchQuery,
  workbenchQueries,
} from '../../src/workbench/workbench-queries.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

/** The query of the table named `name`. */
function wq(name: string): WorkbenchQuery<unknown> {
  const q = workbenchQueries.find((w) => w.name === name);
  if (!q) throw new Error(`no workbench query ${name}`);
  return q;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are plain JSON, read field by field.
type Json = any;

/**
 * Issue 11 item 3: the read-only queries behind the workbench's GET routes, on a small credit-risk
 * run that was ingested, trained, attributed and had one applicant erased: each answers with the
 * facts the CLI and the library give for the same ids, erased rows come back as skeletons, unknown
 * ids raise the typed errors and every list is capped.
 */
describe('workbench queries (issue 11 item 3)', function () {
  this.timeout(120_000);
  const { graph, suite, query } = useTrainedRun(200, 71);
  let attributionJobId: string;
  let predictionId: string;
  let traceBefore: PredictionTrace;
  let erased: { id: string; fileId: string; row: number; key: string; sampleId: string };
  let requestId: string;
  let newModelId: string;

  /** Parses `raw` with the query's schema and runs it; the answer must be plain JSON. */
  const call = async (name: string, raw: Record<string, unknown>): Promise<Json> => {
    const q = wq(name);
    const answer = await q.run(graph(), parseWorkbenchParams(q, raw));
    assert.deepEqual(JSON.parse(JSON.stringify(answer)), answer, `${name} answers plain JSON`);
    return answer;
  };
  const rejectsWith = async (name: string, raw: Record<string, unknown>, code: string) => {
    await assert.rejects(
      () => call(name, raw),
      (err: unknown) => hasCode(err, code as never) || assert.fail(`${name}: expected ${code}, got ${err}`),
    );
  };

  before(async function () {
    this.timeout(120_000);
    const { home } = testServices();
    attributionJobId = `wbq-attribution-${Date.now()}`;
    await runAttributionJob(
      { client: graph(), home, jobId: attributionJobId, attempt: 1, progress: async () => {} },
      { modelId: suite.modelId, samples: 'test', top: 5, method: 'ns' },
    );
    const [p] = await query(
      `MATCH (p:Prediction)-[:BY]->(:Model {id: $m}) WHERE EXISTS { (p)-[:INFLUENCED_BY]->() }
       RETURN p.id AS id ORDER BY id LIMIT 1`,
      { m: suite.modelId },
    );
    predictionId = p.id as string;
    traceBefore = await tracePrediction(graph(), { predictionId, top: 5 });
    // Erase the applicant behind the prediction's most influential training sample.
    const top = traceBefore.influences[0];
    const row = top.sourceRows.find((r) => r.file === 'application.csv');
    assert.ok(row?.key, 'the top sample derives from an application row with a key');
    erased = {
      id: `${row.fileId}:${row.row}`,
      fileId: row.fileId,
      row: row.row,
      key: row.key,
      sampleId: top.sample,
    };
    requestId = `wbq-erasure-${Date.now()}`;
    const target = { table: 'application', keys: [row.key] };
    await recordUnlearningRequest(graph(), { id: requestId, mode: 'drop', target, verify: false });
    const outcome = await runUnlearningInProcess(graph(), home, { requestId, target, mode: 'drop' });
    newModelId = outcome.modelId;
    assert.notEqual(newModelId, suite.modelId);
  });

  it('lists one query per workbench GET route, each with a summary and a zod schema', () => {
    assert.deepEqual(workbenchQueries.map((q) => q.path).sort(), [
      '/api/erasures',
      '/api/erasures/:id',
      '/api/jobs-recent',
      '/api/models/:id/versions',
      '/api/predictions/:id/trace',
      '/api/runs/:id',
      '/api/runs/:id/dag',
      '/api/samples/:id/sources',
      '/api/search',
      '/api/source-rows/:id/impact',
    ]);
    assert.equal(new Set(workbenchQueries.map((q) => q.name)).size, workbenchQueries.length);
    for (const q of workbenchQueries) {
      assert.match(q.name, /^[a-z]+(-[a-z]+)*$/);
      assert.ok(q.summary.length > 10 && !q.summary.includes('\n'), q.name);
      assert.equal(typeof q.params.safeParse, 'function', q.name);
    }
  });

  it('refuses bad parameters with workbench.badInput, naming them; caps have a maximum', () => {
    const bad = (name: string, raw: Record<string, unknown>, mention: RegExp) =>
      assert.throws(
        () => parseWorkbenchParams(wq(name), raw),
        (err: Error) => hasCode(err, 'workbench.badInput') && mention.test(err.message),
      );
    bad('search', {}, /^search \(\/api\/search\): q: /);
    bad('search', { q: 'x', limit: '0' }, /limit: /);
    bad('search', { q: 'x', limit: '101' }, /limit: /);
    bad('prediction-trace', { id: predictionId, k: 'many' }, /k: /);
    bad('prediction-trace', { id: predictionId, k: '1000' }, /k: /);
    bad('prediction-trace', { id: predictionId, method: 'magic' }, /method: /);
    bad('run-dag', { id: 'r', limit: '100000' }, /limit: /);
    bad('run-dag', { id: 'r', offset: '-1' }, /offset: /);
    bad('erasure-list', { status: 'lost' }, /status: /);
    bad('jobs-recent', { kind: "x' OR 1=1" }, /kind: /);
    bad('model-versions', { id: '' }, /id: /);
    assert.deepEqual(parseWorkbenchParams(wq('erasure-list'), { limit: '7' }), { limit: 7 });
    assert.deepEqual(parseWorkbenchParams(wq('prediction-trace'), { id: ' p1 ' }), { id: 'p1', k: 10 });
  });

  it('prediction trace: what `traceprop trace --json` and tracePrediction return, erased rows as skeletons', async () => {
    const answer = await call('prediction-trace', { id: predictionId, k: '5' });
    assert.deepEqual(answer, await tracePrediction(graph(), { predictionId, top: 5 }));
    const cli = await runTraceprop(['trace', predictionId, '--top', '5', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    assert.deepEqual(cli.json(), answer);
    // The erasure scrubbed the attribution computed with the erased data (issue 12 item 2): the
    // erased sample is no longer among the influences, the others keep their scores, and the
    // shares (computed with it) are gone until the prediction is attributed again.
    assert.deepEqual(
      answer.influences.map((i: Json) => [i.sample, i.score]),
      traceBefore.influences.filter((i) => i.sample !== erased.sampleId).map((i) => [i.sample, i.score]),
    );
    assert.equal(answer.influences.length, traceBefore.influences.length - 1);
    assert.deepEqual(answer.shares, []);
    assert.ok(!JSON.stringify(answer).includes(`"${erased.key}"`), 'the erased key is nowhere');
    assert.ok(answer.run.ops.length >= 3);
    const top2 = await call('prediction-trace', { id: predictionId, k: '2' });
    assert.equal(top2.influences.length, 2);
    await rejectsWith('prediction-trace', { id: 'no-such-prediction' }, 'workbench.unknownPrediction');
  });

  it('search: an applicant key finds its predictions (with the trace link), sample and rows; ids and file:row too', async () => {
    const key = traceBefore.sample?.key;
    assert.ok(key);
    const byKey = await call('search', { q: key });
    const kinds = byKey.results.map((r: Json) => `${r.kind} ${r.id}`);
    assert.equal(byKey.results[0].kind, 'prediction', 'predictions first');
    const hit = byKey.results.find((r: Json) => r.id === predictionId);
    assert.equal(hit?.kind, 'prediction', kinds.join('\n'));
    assert.equal(hit.links.trace, `/api/predictions/${encodeURIComponent(predictionId)}/trace`);
    assert.ok(kinds.includes(`sample ${traceBefore.sample?.id}`), kinds.join('\n'));
    const [appRow] = await query(
      `MATCH (r:SourceRow {key: $key})-[:IN_FILE]->(:SourceFile {name: 'application.csv'}) RETURN r.id AS id, r.row AS row`,
      { key },
    );
    assert.ok(kinds.includes(`source-row ${appRow.id}`), kinds.join('\n'));
    assert.equal(byKey.truncated, false);

    for (const [q, kind, id] of [
      [predictionId, 'prediction', predictionId],
      [traceBefore.sample?.id, 'sample', traceBefore.sample?.id],
      [appRow.id, 'source-row', appRow.id],
      [`application.csv:${appRow.row}`, 'source-row', appRow.id],
      [suite.run.runId, 'run', suite.run.runId],
      [suite.modelId, 'model', suite.modelId],
      [requestId, 'erasure', requestId],
    ] as string[][]) {
      const found = await call('search', { q });
      assert.deepEqual([found.results[0].kind, found.results[0].id], [kind, id], q);
    }
    // The erased applicant's key finds nothing of theirs: the row kept no key, the sample was dropped.
    const gone = await call('search', { q: erased.key });
    assert.ok(!gone.results.some((r: Json) => r.id === erased.id || r.id === erased.sampleId));
    const skeleton = await call('search', { q: erased.id });
    assert.deepEqual(skeleton.results, [
      {
        kind: 'source-row',
        id: erased.id,
        label: `application.csv row ${erased.row} (erased)`,
        links: { impact: `/api/source-rows/${encodeURIComponent(erased.id)}/impact` },
      },
    ]);
    const one = await call('search', { q: key, limit: '1' });
    assert.equal(one.results.length, 1);
    assert.equal(one.truncated, true);
    assert.deepEqual((await call('search', { q: 'nothing-is-called-this' })).results, []);
  });

  it('run summary: status, counts, declared pipeline and both model versions', async () => {
    const runId = suite.run.runId;
    const answer = await call('run-summary', { id: runId });
    assert.equal(answer.run.id, runId);
    assert.equal(answer.run.status, 'complete');
    assert.equal(answer.run.mode, 'row');
    const [counts] = await query(
      `MATCH (run:Run {id: $runId}) RETURN run.samples AS samples,
         COUNT { (run)<-[:OUTPUT_OF]-(:Sample {split: 'train'}) } AS train,
         COUNT { (run)<-[:OUTPUT_OF]-(:Sample {split: 'test'}) } AS test`,
      { runId },
    );
    assert.equal(answer.run.samples, counts.samples);
    assert.equal(answer.counts.trainSamples, counts.train);
    assert.equal(answer.counts.testSamples, counts.test);
    assert.equal(answer.counts.erasedSamples, 1);
    const pipeline = await runPipeline(graph(), runId);
    assert.deepEqual(
      answer.pipeline,
      pipeline ? { name: pipeline.pipeline, format: pipeline.format, sha256: pipeline.sha256 } : null,
    );
    assert.deepEqual(answer.models.map((m: Json) => m.id).sort(), [newModelId, suite.modelId].sort());
    assert.equal(answer.modelsTruncated, false);
    const capped = await call('run-summary', { id: runId, limit: '1' });
    assert.deepEqual([capped.models.length, capped.modelsTruncated], [1, true]);
    await rejectsWith('run-summary', { id: 'no-such-run' }, 'workbench.unknownRun');
  });

  it('run DAG and summary: the per-file and per-split counts the ingest recorded equal what the graph counts, and runs without them are counted', async () => {
    const runId = suite.run.runId;
    const dag = await call('run-dag', { id: runId });
    const summary = await call('run-summary', { id: runId });
    const [recorded] = await query(
      'MATCH (r:Run {id: $runId}) RETURN r.provenanceFileIds AS ids, r.trainSamples AS train',
      {
        runId,
      },
    );
    assert.ok(Array.isArray(recorded.ids) && recorded.ids.length > 0, 'the ingest recorded per-file counts');
    assert.equal(typeof recorded.train, 'number', 'the ingest recorded the split counts');
    const counted = await query(
      `MATCH (run:Run {id: $runId})-[:HAS_OP]->(:Op)-[:READ]->(f:SourceFile)
       WITH DISTINCT run, f
       OPTIONAL MATCH (run)<-[:OUTPUT_OF]-(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f)
       RETURN f.id AS id, count(DISTINCT r) AS rows, count(DISTINCT s) AS samples`,
      { runId },
    );
    const files = dag.nodes.filter((n: Json) => n.kind === 'file');
    assert.equal(files.length, counted.length);
    for (const c of counted) {
      const node = files.find((n: Json) => n.id === c.id);
      assert.deepEqual([node.rowsUsed, node.samples], [c.rows, c.samples], `${node.name}`);
      assert.ok(node.rowsUsed > 0);
    }
    // A run written before the counts were recorded: the queries count, with the same answers.
    const props = [
      'trainSamples',
      'testSamples',
      'provenanceFileIds',
      'provenanceFileRowsUsed',
      'provenanceFileSamples',
    ];
    const [saved] = await query(
      `MATCH (r:Run {id: $runId}) WITH r, r {${props.map((p) => `.${p}`).join(', ')}} AS saved
       REMOVE ${props.map((p) => `r.${p}`).join(', ')} RETURN saved`,
      { runId },
    );
    try {
      const older = await call('run-dag', { id: runId });
      assert.deepEqual(
        older.nodes.filter((n: Json) => n.kind === 'file').map((n: Json) => [n.id, n.rowsUsed, n.samples]),
        files.map((n: Json) => [n.id, n.rowsUsed, n.samples]),
      );
      const olderSummary = await call('run-summary', { id: runId });
      assert.deepEqual(olderSummary.counts, summary.counts);
    } finally {
      await query('MATCH (r:Run {id: $runId}) SET r += $saved', { runId, saved: saved.saved });
    }
  });

  it('run DAG: files → ops → samples collapsed per file, as `query ops` has them; expand lists rows, erased as skeletons', async () => {
    const runId = suite.run.runId;
    const answer = await call('run-dag', { id: runId });
    const library = await ops(graph(), runId);
    const opNodes = answer.nodes.filter((n: Json) => n.kind === 'op');
    assert.deepEqual(
      opNodes.map((n: Json) => [n.id, n.seq, n.opKind, n.name, n.step]),
      library.ops.map((o) => [o.id, o.seq, o.kind, o.name, o.step]),
    );
    const fileIds = [...new Set(library.ops.flatMap((o) => (o.fileId ? [o.fileId] : [])))].sort();
    const fileNodes = answer.nodes.filter((n: Json) => n.kind === 'file');
    assert.deepEqual(fileNodes.map((n: Json) => n.id).sort(), fileIds);
    for (const o of library.ops) {
      if (o.fileId)
        assert.ok(answer.edges.some((e: Json) => e.kind === 'read' && e.from === o.fileId && e.to === o.id));
      o.inputs.forEach((input, position) => {
        assert.ok(
          answer.edges.some((e: Json) => e.from === input && e.to === o.id && e.position === position),
        );
      });
    }
    const samples = answer.nodes.find((n: Json) => n.kind === 'samples');
    const summary = await call('run-summary', { id: runId });
    assert.deepEqual(
      [samples.train, samples.test],
      [summary.counts.trainSamples, summary.counts.testSamples],
    );
    assert.ok(answer.edges.some((e: Json) => e.kind === 'output' && e.to === samples.id));
    const application = fileNodes.find((n: Json) => n.id === erased.fileId);
    assert.equal(application.name, 'application.csv');
    assert.equal(application.erasedRows, 1);
    assert.equal(application.samples, summary.run.samples, 'every sample derives from an application row');
    // Column lineage where the graph has it: the run's features → source columns.
    const [run] = await query('MATCH (r:Run {id: $runId}) RETURN r.featureColumns AS fc', { runId });
    assert.equal(typeof run.fc, 'string', 'the credit-risk run records its column lineage');
    assert.deepEqual(
      Object.fromEntries(answer.features.map((f: Json) => [f.feature, f.sources])),
      JSON.parse(run.fc as string),
    );
    assert.ok(answer.features.length > 0);
    assert.ok(
      opNodes.some((n: Json) => n.columns && typeof n.columns === 'object'),
      'ops that declare their input columns carry them',
    );
    assert.equal(answer.opsTruncated, false);
    assert.equal(answer.expanded, undefined);

    const one = await call('run-dag', {
      id: runId,
      expand: erased.fileId,
      offset: String(erased.row),
      limit: '1',
    });
    assert.deepEqual(one.expanded.rows, [{ id: erased.id, row: erased.row, erased: true, samples: 1 }]);
    assert.equal(one.expanded.truncated, true);
    const first = await call('run-dag', { id: runId, expand: erased.fileId, limit: '5' });
    assert.deepEqual(
      first.expanded.rows.map((r: Json) => r.row),
      [0, 1, 2, 3, 4],
    );
    for (const r of first.expanded.rows) if (!r.erased) assert.equal(typeof r.key, 'string');
    assert.equal(first.expanded.rowCount, application.rows);
    await rejectsWith('run-dag', { id: runId, expand: 'no-such-file' }, 'workbench.unknownFile');
    await rejectsWith('run-dag', { id: 'no-such-run' }, 'workbench.unknownRun');
  });

  it('sample sources: what `query sources` returns, capped; an erased row has no key', async () => {
    const sampleId = traceBefore.sample?.id as string;
    const answer = await call('sample-sources', { id: sampleId });
    const library = await sources(graph(), sampleId);
    assert.equal(answer.runId, library.runId);
    assert.deepEqual(
      answer.rows.map((r: Json) => [r.rowId, r.file, r.row, r.key, r.ops.length]),
      library.rows.map((r) => [r.rowId, r.file, r.row, r.key, r.ops.length]),
    );
    assert.ok(library.rows.length >= 2);
    const capped = await call('sample-sources', { id: sampleId, limit: '1' });
    assert.deepEqual([capped.rows.length, capped.truncated], [1, true]);
    const dropped = await call('sample-sources', { id: erased.sampleId });
    const row = dropped.rows.find((r: Json) => r.rowId === erased.id);
    assert.deepEqual([row.erased, row.key], [true, null]);
    await rejectsWith('sample-sources', { id: 'no-such-sample' }, 'workbench.unknownSample');
  });

  it('source-row impact: what `query descendants` returns, plus the predictions the row reaches', async () => {
    const answer = await call('source-row-impact', { id: erased.id });
    const library = await descendants(graph(), erased.id);
    assert.deepEqual(answer.sourceRow, { id: erased.id, row: erased.row, key: null, erased: true });
    assert.deepEqual(answer.file, library.file);
    assert.deepEqual(
      answer.runs.map((r: Json) => [r.id, r.samples.map((s: Json) => s.id), r.models.map((m: Json) => m.id)]),
      library.runs.map((r) => [r.id, r.samples.map((s) => s.id), r.models.map((m) => m.id)]),
    );
    assert.deepEqual(
      answer.runs[0].samples.map((s: Json) => s.id),
      [erased.sampleId],
    );
    assert.deepEqual(answer.runs[0].models.map((m: Json) => m.id).sort(), [newModelId, suite.modelId].sort());
    // The erasure removed the INFLUENCED_BY edges to the erased sample: no prediction is influenced by it now.
    assert.deepEqual(answer.predictions.influenced, []);
    // A live row of the traced applicant: the prediction made for its sample.
    const live = traceBefore.sample?.id as string;
    const [liveRow] = await query(
      `MATCH (:Sample {id: $live})-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'application.csv'})
       RETURN r.id AS id, r.key AS key`,
      { live },
    );
    const liveAnswer = await call('source-row-impact', { id: liveRow.id, limit: '1' });
    assert.equal(liveAnswer.sourceRow.key, liveRow.key);
    assert.equal(liveAnswer.predictions.scored.length, 1);
    assert.ok(liveAnswer.predictions.scoredTotal >= 1);
    const scored = await call('source-row-impact', { id: liveRow.id });
    assert.ok(scored.predictions.scored.some((p: Json) => p.id === predictionId));
    await rejectsWith('source-row-impact', { id: 'no-such-row:0' }, 'workbench.unknownSourceRow');
  });

  it('model versions: the SUPERSEDES chain from either version, with metrics and the erasure between them', async () => {
    for (const id of [suite.modelId, newModelId]) {
      const answer = await call('model-versions', { id });
      assert.equal(answer.headId, newModelId);
      assert.equal(answer.total, 2);
      const [v2, v1] = answer.versions;
      assert.deepEqual(
        [v2.id, v2.version, v2.status, v2.supersedes],
        [newModelId, 2, 'active', suite.modelId],
      );
      assert.deepEqual([v1.id, v1.version, v1.status, v1.supersedes], [suite.modelId, 1, 'superseded', null]);
      assert.deepEqual(
        v2.producedBy.map((u: Json) => [u.id, u.mode, u.status, u.targets, u.affected]),
        [[requestId, 'drop', 'complete', 1, 1]],
      );
      assert.deepEqual(v1.producedBy, []);
      for (const v of [v1, v2]) {
        assert.ok(v.testAccuracy > 0.3 && v.testAccuracy <= 1, `${v.id} test accuracy ${v.testAccuracy}`);
        assert.equal(v.runId, suite.run.runId);
      }
      assert.ok(v1.supersededAt);
    }
    const capped = await call('model-versions', { id: suite.modelId, limit: '1' });
    assert.deepEqual([capped.versions.length, capped.truncated], [1, true]);
    await rejectsWith('model-versions', { id: 'no-such-model' }, 'workbench.unknownModel');
  });

  it('erasures: the list and one request with metrics, certificate and its rows as skeletons', async () => {
    const list = await call('erasure-list', {});
    const listed = list.requests.find((u: Json) => u.id === requestId);
    assert.deepEqual(
      [
        listed.status,
        listed.mode,
        listed.producedModelId,
        listed.previousModelId,
        listed.targets,
        listed.affected,
      ],
      ['complete', 'drop', newModelId, suite.modelId, 1, 1],
    );
    assert.equal((await call('erasure-list', { status: 'failed' })).requests.length, 0);
    assert.equal((await call('erasure-list', { limit: '1' })).requests.length, 1);

    const answer = await call('erasure-detail', { id: requestId });
    assert.equal(answer.request.status, 'complete');
    assert.equal(answer.request.id, requestId);
    assert.equal(answer.request.target, undefined, 'the recorded target (it holds the key) is not shown');
    assert.deepEqual(answer.target, { table: 'application', keys: 1 });
    assert.ok(answer.certificate && typeof answer.certificate === 'object');
    assert.ok(answer.metrics?.model, JSON.stringify(answer.metrics));
    assert.equal(answer.produced.id, newModelId);
    assert.deepEqual(
      answer.targets.map((t: Json) => ({ ...t, erasedAt: typeof t.erasedAt })),
      [
        {
          id: erased.id,
          fileId: erased.fileId,
          file: 'application.csv',
          table: 'application',
          row: erased.row,
          erased: true,
          erasedAt: 'string',
          erasedBy: requestId,
        },
      ],
    );
    assert.deepEqual(answer.holdingModels, []);
    assert.ok(!JSON.stringify(answer).includes(`"${erased.key}"`), 'the erased key is nowhere');
    await rejectsWith('erasure-detail', { id: 'no-such-request' }, 'workbench.unknownErasure');
  });

  it('jobs: the JobRun records of the attribution and the erasure, newest first, by kind, capped', async () => {
    const answer = await call('jobs-recent', {});
    const ids = answer.jobs.map((j: Json) => j.jobId);
    const erasureJob = `unlearning-local-${requestId}`;
    assert.ok(
      ids.indexOf(erasureJob) >= 0 && ids.indexOf(erasureJob) < ids.indexOf(attributionJobId),
      ids.join(),
    );
    for (const j of answer.jobs.filter((x: Json) => [erasureJob, attributionJobId].includes(x.jobId)))
      assert.equal(j.status, 'committed');
    const attribution = await call('jobs-recent', { kind: 'attribution' });
    assert.deepEqual(
      attribution.jobs.map((j: Json) => j.jobId),
      [attributionJobId],
    );
    const one = await call('jobs-recent', { limit: '1' });
    assert.deepEqual([one.jobs.length, one.truncated, one.total], [1, true, answer.total]);
  });
});
