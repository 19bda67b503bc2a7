import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCreditRiskFile } from '../../bench/support/run-credit-risk-file.js';
import { ErasureSalt, resolveErasureSalt } from '../../src/erasure/erasure-salt.js';
import { matchTombstones } from '../../src/erasure/match-tombstones.js';
import { hasCode } from '../../src/errors.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { erasures } from '../../src/graph/queries/erasures.js';
import { type IngestCreditRiskResult, ingestCreditRisk } from '../../src/ingest/ingest-credit-risk.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { runUnlearningInProcess } from '../../src/jobs/unlearning/run-unlearning-in-process.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { recordUnlearningRequest } from '../../src/jobs/unlearning/unlearning-request-store.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { creditRiskPipeline } from '../../src/pipelines/credit-risk-spec.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

/** Bureau rows the suite erases (15, as in the report). */
const erasedRows = Array.from({ length: 15 }, (_, i) => i);

describe('erasures stick: tombstones keep erased rows out of every later ingest', function () {
  this.timeout(180_000);
  const { graph, suite, query } = useTrainedRun(300, 57);
  const home = () => testServices().home;
  const salt = () => resolveErasureSalt({ home: home() });
  const files = () => creditRiskFiles(suite.run.dir);
  const bureauId = () => suite.run.result.recipe.files.bureau.sha256;
  let lineB: { runId: string; modelId: string };
  let request: UnlearningOutcome;

  const unlearn = async (modelId: string): Promise<UnlearningOutcome> =>
    (
      await runTraceprop([
        'unlearn',
        '--model',
        modelId,
        '--file',
        bureauId(),
        '--rows',
        `${erasedRows[0]}-${erasedRows[erasedRows.length - 1]}`,
        '--mode',
        'drop',
        '--local',
        '--json',
      ])
    ).json<UnlearningOutcome>();

  /** Samples of a run derived from the erased bureau rows (DERIVED_FROM edges). */
  const derivedFromErased = async (runId: string) =>
    Number(
      (
        await query(
          `MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(s:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(:SourceFile {id: $fileId})
           WHERE r.row IN $rows RETURN count(DISTINCT s) AS n`,
          { runId, fileId: bureauId(), rows: erasedRows },
        )
      )[0].n,
    );

  before(async () => {
    // Another line on the same files, ingested and trained before the erasure.
    const b = await ingestCreditRisk(graph(), { files: files(), artifactsHome: home(), erasureSalt: salt() });
    assert.equal(b.erasedRowsLeftOut.rows, 0);
    const model = await trainRunModel({ client: graph(), home: home(), runId: b.runId, lambda: 1e-2 });
    lineB = { runId: b.runId, modelId: model.modelId };
    assert.ok((await derivedFromErased(b.runId)) > 0, 'line B trained on the rows about to be erased');
    request = await unlearn(suite.modelId);
  });

  it('the erasure writes one tombstone per erased row: file, row, salted key hash, request; no key', async () => {
    const tombstones = await query(
      `MATCH (t:Tombstone) RETURN t.id AS id, t.fileId AS fileId, t.row AS row, t.table AS table,
         t.keyColumn AS keyColumn, t.keyHash AS keyHash, t.saltId AS saltId, t.requestId AS requestId,
         t.at IS NOT NULL AS dated, keys(t) AS props ORDER BY t.row`,
    );
    assert.equal(tombstones.length, erasedRows.length);
    const keys = fs
      .readFileSync(files().bureau, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(',')[1]);
    for (const [i, t] of tombstones.entries()) {
      assert.equal(t.id, `${bureauId()}:${erasedRows[i]}`);
      assert.equal(t.fileId, bureauId());
      assert.equal(t.row, erasedRows[i]);
      assert.equal(t.table, 'bureau');
      assert.equal(t.keyColumn, 'SK_ID_BUREAU');
      assert.match(t.keyHash as string, /^[0-9a-f]{64}$/);
      assert.equal(t.saltId, salt().fingerprint);
      assert.equal(t.requestId, request.requestId);
      assert.equal(t.dated, true);
      // The key itself is nowhere on the tombstone.
      for (const p of t.props as string[])
        assert.notEqual(String((t as Record<string, unknown>)[p]), keys[i]);
      assert.ok(!(t.props as string[]).includes('key'));
    }
    // The salt file is private to the deployment's user.
    assert.equal(fs.statSync(path.join(home(), 'erasure-salt')).mode & 0o077, 0);
  });

  it('query erasures lists the request, its rows, and the active model of another line still holding them', async () => {
    const report = await erasures(graph());
    assert.equal(report.requests.length, 1);
    const [r] = report.requests;
    assert.equal(r.requestId, request.requestId);
    assert.deepEqual(
      r.rows.map((x) => [x.fileId, x.row]),
      erasedRows.map((row) => [bureauId(), row]),
    );
    assert.deepEqual(
      r.holdingModels.map((m) => [m.modelId, m.runId, m.via]),
      [[lineB.modelId, lineB.runId, 'row']],
    );
    assert.ok(r.holdingModels[0].samples > 0 && r.holdingModels[0].rows > 0);
    // The erasing line's new version does not hold them.
    assert.ok(!report.holdingModelIds.includes(request.modelId));
    const text = (await runTraceprop(['query', 'erasures'])).ok().stdout;
    assert.match(text, new RegExp(`1 active model still holds erased rows: ${lineB.modelId}`));
    assert.match(
      text,
      new RegExp(`unlearn it: traceprop unlearn --model ${lineB.modelId} --file ${bureauId()} --rows 0-14`),
    );
  });

  let again: IngestCreditRiskResult;
  it('a re-ingest of the same files leaves the erased rows out, says so in its lineage, and counts them', async () => {
    again = await ingestCreditRisk(graph(), { files: files(), artifactsHome: home(), erasureSalt: salt() });
    assert.deepEqual(again.erasedRowsLeftOut, {
      rows: erasedRows.length,
      byTable: { bureau: erasedRows.length },
      byKey: 0,
      requestIds: [request.requestId],
    });
    assert.equal(await derivedFromErased(again.runId), 0);
    const [op] = await query(
      "MATCH (:Run {id: $runId})-[:HAS_OP]->(o:Op {kind: 'filter'}) WHERE o.name STARTS WITH 'erased by' RETURN o.name AS name, o.params AS params",
      { runId: again.runId },
    );
    assert.equal(op.name, `erased by ${request.requestId}`);
    const params = JSON.parse(op.params as string);
    assert.deepEqual(params.rows, erasedRows);
    assert.equal(params.count, erasedRows.length);
    assert.deepEqual(params.requestIds, [request.requestId]);
    // The erased SourceRows stay content-free skeletons (the MERGE did not re-populate them).
    const [skeletons] = await query(
      'MATCH (r:SourceRow) WHERE r.id IN $ids RETURN count(r) AS n, count(r.key) AS keys, all(x IN collect(r.erased) WHERE x) AS erased',
      { ids: erasedRows.map((row) => `${bureauId()}:${row}`) },
    );
    assert.deepEqual(skeletons, { n: erasedRows.length, keys: 0, erased: true });
  });

  it('the lineage writer refuses a run built without the tombstones (DERIVED_FROM to an erased row)', async () => {
    const raw = await runCreditRiskFile(suite.run.dir, { mode: 'row', runId: 'run-without-tombstones' });
    assert.ok(raw.lineage);
    await assert.rejects(writeLineageRun(graph(), raw.lineage), (err: unknown) =>
      hasCode(err, 'graph.erasedSourceRow'),
    );
    const [run] = await query(
      "MATCH (r:Run {id: 'run-without-tombstones'}) RETURN r.status AS status, COUNT { (r)<-[:OUTPUT_OF]-() } AS samples",
    );
    assert.deepEqual(run, { status: 'failed', samples: 0 });
  });

  it('a model trained on the re-ingested run does not contain the erased rows', async () => {
    const matrix = await loadRunMatrix(home(), again.runId);
    const bureau = matrix.sourceFiles?.find((f) => f.id === bureauId());
    assert.ok(bureau && matrix.provenance);
    const erasedGlobal = new Set(erasedRows.map((row) => bureau.globalOffset + row));
    assert.ok(!matrix.provenance.rowIds.some((g) => erasedGlobal.has(g)));
    // Its features are those of the pipeline without the rows, not with them.
    const pipeline = creditRiskPipeline();
    const tables = await readPipelineSources(pipeline, suite.run.dir);
    const without = runDeclaredPipeline(pipeline, tables, {
      mode: 'none',
      excludeRows: { bureau: erasedRows },
    });
    const withRows = runDeclaredPipeline(pipeline, tables, { mode: 'none' });
    const dense = denseOf(matrix.features);
    assert.ok(
      maxAbsDiff(dense, without.matrix.data) < 1e-12,
      'the features of the pipeline without the rows',
    );
    assert.ok(maxAbsDiff(dense, withRows.matrix.data) > 1e-6, 'not those of the pipeline with them');
    const model = await trainRunModel({ client: graph(), home: home(), runId: again.runId, lambda: 1e-2 });
    const report = await erasures(graph());
    assert.ok(!report.holdingModelIds.includes(model.modelId));
    assert.deepEqual(report.holdingModelIds, [lineB.modelId]);
  });

  it('a new extract (rows reordered, one appended) holding the erased records is caught by the key hash', async () => {
    const dir = path.join(home(), 'extract-2');
    fs.mkdirSync(dir, { recursive: true });
    const [header, ...lines] = fs.readFileSync(files().bureau, 'utf8').trim().split('\n');
    const last = lines[lines.length - 1].split(',');
    last[1] = String(Number(last[1]) + 1_000_000); // a new SK_ID_BUREAU for the same applicant
    const reordered = [...lines].reverse();
    fs.writeFileSync(path.join(dir, 'bureau.csv'), `${[header, ...reordered, last.join(',')].join('\n')}\n`);
    const extract = { ...files(), bureau: path.join(dir, 'bureau.csv') };
    const result = await ingestCreditRisk(graph(), {
      files: extract,
      artifactsHome: home(),
      erasureSalt: salt(),
    });
    assert.deepEqual(result.erasedRowsLeftOut, {
      rows: erasedRows.length,
      byTable: { bureau: erasedRows.length },
      byKey: erasedRows.length,
      requestIds: [request.requestId],
    });
    const newRows = erasedRows.map((row) => lines.length - 1 - row).sort((a, b) => a - b);
    const [op] = await query(
      "MATCH (:Run {id: $runId})-[:HAS_OP]->(o:Op {kind: 'filter'}) WHERE o.name STARTS WITH 'erased by' RETURN o.params AS params",
      { runId: result.runId },
    );
    assert.deepEqual(JSON.parse(op.params as string).rows, newRows);
    const [linked] = await query(
      `MATCH (:Run {id: $runId})<-[:OUTPUT_OF]-(:Sample)-[:DERIVED_FROM]->(r:SourceRow)-[:IN_FILE]->(f:SourceFile {table: 'bureau'})
       WHERE f.id <> $old AND r.row IN $rows RETURN count(r) AS n`,
      { runId: result.runId, old: bureauId(), rows: newRows },
    );
    assert.equal(linked.n, 0);
  });

  it('a process with another salt is refused before anything is written (the key hashes would not match)', async () => {
    const other = new ErasureSalt('another-deployment-salt-0123456789', 'env');
    const [before] = await query('MATCH (r:Run) RETURN count(r) AS n');
    await assert.rejects(
      ingestCreditRisk(graph(), { files: files(), artifactsHome: home(), erasureSalt: other }),
      (err: unknown) => hasCode(err, 'erasure.saltMismatch') && /salt/.test((err as Error).message),
    );
    const [after] = await query('MATCH (r:Run) RETURN count(r) AS n');
    assert.equal(after.n, before.n);
    assert.ok(!String(other).includes('another-deployment'), 'the salt is never printed');
  });

  it('an erasure under another salt fails, recorded on its request, and writes no tombstone', async () => {
    const other = new ErasureSalt('another-deployment-salt-0123456789', 'env');
    const id = 'req-other-salt';
    const target = { file: bureauId(), rows: [20] };
    await recordUnlearningRequest(graph(), {
      id,
      mode: 'drop',
      target,
      modelId: request.modelId,
      verify: false,
    });
    await assert.rejects(
      runUnlearningInProcess(
        graph(),
        home(),
        { requestId: id, target, mode: 'drop', modelId: request.modelId },
        undefined,
        other,
      ),
      (err: unknown) => hasCode(err, 'erasure.saltMismatch'),
    );
    const [u] = await query(
      `MATCH (u:UnlearningRequest {id: $id})
       RETURN u.status AS status, u.errorCode AS code, COUNT { (u)--() } AS edges,
              COUNT { (:Tombstone {id: $row}) } AS tombstones, COUNT { (:SourceRow {id: $row, erased: true}) } AS erased`,
      { id, row: `${bureauId()}:20` },
    );
    assert.deepEqual(u, {
      status: 'failed',
      code: 'erasure.saltMismatch',
      edges: 0,
      tombstones: 0,
      erased: 0,
    });
  });

  it('query erasures stops listing the other line once it is unlearned', async () => {
    const second = await unlearn(lineB.modelId);
    assert.equal(second.previousModelId, lineB.modelId);
    assert.notEqual(second.modelId, lineB.modelId);
    const report = await erasures(graph());
    assert.deepEqual(report.holdingModelIds, []);
    assert.deepEqual(
      report.requests.map((r) => r.requestId),
      [request.requestId, second.requestId],
    );
    // Each erased row has one tombstone, of the request that erased it first.
    const [t] = await query('MATCH (t:Tombstone) RETURN count(t) AS n, collect(DISTINCT t.requestId) AS by');
    assert.deepEqual(t, { n: erasedRows.length, by: [request.requestId] });
  });
});

describe('matching tombstones (no graph)', () => {
  const salt = new ErasureSalt('unit-test-salt-0123456789abcdef', 'env');

  it('rows of a table without a key are matched by file and row only; keyed rows also by key hash', () => {
    const tombstones = [
      {
        fileId: 'f-nokey',
        row: 2,
        table: 'events',
        keyColumn: null,
        keyHash: null,
        saltId: null,
        requestId: 'u1',
      },
      {
        fileId: 'f-old',
        row: 0,
        table: 'bureau',
        keyColumn: 'SK_ID_BUREAU',
        keyHash: salt.hmac('bureau/SK_ID_BUREAU\u000077'),
        saltId: salt.fingerprint,
        requestId: 'u2',
      },
    ];
    const matched = matchTombstones(
      {
        events: { sha256: 'f-nokey', table: 'events', rows: 4 },
        eventsCopy: { sha256: 'f-nokey-2', table: 'events', rows: 4 },
        bureau: {
          sha256: 'f-new',
          table: 'bureau',
          rows: 3,
          keyColumn: 'SK_ID_BUREAU',
          keys: ['5', ' 77 ', '9'],
        },
      },
      tombstones,
      salt,
    );
    assert.deepEqual(matched, {
      events: { rows: [2], requestIds: ['u1'], byRow: 1, byKey: 0 },
      bureau: { rows: [1], requestIds: ['u2'], byRow: 0, byKey: 1 },
    });
  });

  it('keyRowsOnly compares the keys of the rows a restricted re-run reads, and only those', () => {
    const tombstone = {
      fileId: 'f-old',
      row: 0,
      table: 'bureau',
      keyColumn: 'SK_ID_BUREAU',
      keyHash: salt.hmac('bureau/SK_ID_BUREAU\u000077'),
      saltId: salt.fingerprint,
      requestId: 'u2',
    };
    const bureau = {
      sha256: 'f-new',
      table: 'bureau',
      rows: 5,
      keyColumn: 'SK_ID_BUREAU',
      keys: ['77', '5', '9', '77', '1'],
    };
    // Both rows with the erased key match without the restriction; with it, only the one read.
    assert.deepEqual(matchTombstones({ bureau }, [tombstone], salt).bureau?.rows, [0, 3]);
    assert.deepEqual(
      matchTombstones({ bureau }, [tombstone], salt, undefined, { bureau: new Set([2, 3]) }).bureau,
      { rows: [3], requestIds: ['u2'], byRow: 0, byKey: 1 },
    );
    // A row matched by file and row is left out whether or not the re-run reads it.
    const byRow = { ...tombstone, fileId: 'f-new', row: 4, keyHash: null };
    assert.deepEqual(
      matchTombstones({ bureau }, [byRow], salt, undefined, { bureau: new Set([2]) }).bureau?.rows,
      [4],
    );
  });
});

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

function denseOf(m: {
  rows: number;
  cols: number;
  rowPtr: Uint32Array;
  colIdx: Uint32Array;
  values: Float64Array;
}) {
  const out = new Array<number>(m.rows * m.cols).fill(0);
  for (let i = 0; i < m.rows; i++)
    for (let k = m.rowPtr[i]; k < m.rowPtr[i + 1]; k++) out[i * m.cols + m.colIdx[k]] = m.values[k];
  return out;
}
