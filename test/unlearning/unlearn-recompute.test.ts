import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import { loadModelArtifact } from '../../src/models/model-artifact-store.js';
import { loadRunMatrix } from '../../src/models/run-matrix-store.js';
import type { UnlearningMetrics } from '../../src/unlearning/unlearning-metrics.js';
import { useTrainedRun } from '../models/ingested-run.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { testServices } from '../support/services.js';

type Outcome = UnlearningOutcome & { metrics: UnlearningMetrics };

/** bureau.csv parsed by hand (the generator writes no quoted fields), independent of readCsv. */
function readBureauByHand(file: string): { header: string[]; rows: string[][] } {
  const lines = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
  return { header: lines[0].split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** The bureau aggregates of one applicant over the given rows, as the pipeline defines them. */
function bureauAggregates(header: string[], rows: string[][]): Record<string, number> {
  const col = (name: string) => rows.map((r) => r[header.indexOf(name)]);
  const nums = (name: string) =>
    col(name)
      .filter((v) => v !== '')
      .map(Number);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const mean = (xs: number[]) => (xs.length ? sum(xs) / xs.length : Number.NaN);
  const max = (xs: number[]) => (xs.length ? Math.max(...xs) : Number.NaN);
  const overdue = nums('CREDIT_DAY_OVERDUE');
  const out: Record<string, number> = {
    BUREAU_COUNT: rows.length,
    BUREAU_ACTIVE_COUNT: col('CREDIT_ACTIVE').filter((v) => v === 'Active').length,
    BUREAU_OVERDUE_SHARE: mean(overdue.map((d) => (d > 0 ? 1 : 0))),
    BUREAU_MAX_DAY_OVERDUE: max(overdue),
    BUREAU_CREDIT_SUM: sum(nums('AMT_CREDIT_SUM')),
    BUREAU_DEBT_SUM: sum(nums('AMT_CREDIT_SUM_DEBT')),
    BUREAU_OVERDUE_SUM: sum(nums('AMT_CREDIT_SUM_OVERDUE')),
    BUREAU_DAYS_CREDIT_MEAN: mean(nums('DAYS_CREDIT')),
    BUREAU_DAYS_CREDIT_MAX: max(nums('DAYS_CREDIT')),
    BUREAU_PROLONG_SUM: sum(nums('CNT_CREDIT_PROLONG')),
  };
  out.BUREAU_DEBT_CREDIT_RATIO =
    out.BUREAU_CREDIT_SUM !== 0 ? out.BUREAU_DEBT_SUM / out.BUREAU_CREDIT_SUM : Number.NaN;
  return out;
}

describe('unlearn --mode recompute, end to end', () => {
  const { suite, query, activeModels } = useTrainedRun(400, 57);

  it('re-derives the applicant’s bureau aggregates without the erased rows and replaces its training row', async () => {
    const { home } = testServices();
    const bureau = readBureauByHand(path.join(suite.run.dir, 'bureau.csv'));
    const curr = bureau.header.indexOf('SK_ID_CURR');
    // A training applicant with at least 4 bureau records, one of them active with debt.
    const r = suite.run.result;
    const sampleOf = new Map(r.keys.map((k, i) => [k, i]));
    const rowsOf = new Map<string, number[]>();
    bureau.rows.forEach((row, i) => {
      rowsOf.set(row[curr], [...(rowsOf.get(row[curr]) ?? []), i]);
    });
    const debt = bureau.header.indexOf('AMT_CREDIT_SUM_DEBT');
    const key = r.keys.find(
      (k, i) =>
        r.split[i] === 0 &&
        (rowsOf.get(k)?.length ?? 0) >= 4 &&
        Number(bureau.rows[(rowsOf.get(k) as number[])[0]][debt]) > 0,
    );
    assert.ok(key, 'the generated data has such an applicant');
    const sample = sampleOf.get(key) as number;
    const applicantRows = rowsOf.get(key) as number[];
    const erased = applicantRows.slice(0, 2);
    // What the model and the run matrix held before: the erasure deletes the superseded
    // version's parameters and scrubs the sample's old row from the matrix.
    const oldArtifact = await loadModelArtifact(home, suite.modelId);
    const matrixBefore = await loadRunMatrix(home, suite.run.runId);

    const out = await runTraceprop([
      'unlearn',
      '--model',
      suite.modelId,
      '--file',
      'bureau.csv',
      '--rows',
      erased.join(','),
      '--mode',
      'recompute',
      '--verify',
      '--budget',
      '1e-3',
      '--local',
      '--json',
    ]);
    const o = out.json<Outcome>();
    assert.equal(o.previousModelId, suite.modelId);
    assert.equal(o.version, 2);
    assert.equal(o.affectedSamples, 1);
    assert.equal(o.recomputedSamples, 1);
    assert.equal(o.recomputedTrainSamples, 1);
    assert.equal(o.forgottenTrainSamples, 1);
    assert.equal(o.droppedSamples, 0);
    assert.equal(o.fallback, false);
    assert.ok(
      o.metrics.paramGapClosed >= 0.95 && o.metrics.paramGapClosed <= 1,
      `gap closed ${o.metrics.paramGapClosed}`,
    );

    // The re-derived row: bureau aggregates as recomputed by hand from the remaining rows,
    // standardised with the original run's statistics; every other feature unchanged.
    const matrix = await loadRunMatrix(home, suite.run.runId);
    const recipe = matrix.recipe;
    assert.ok(recipe?.format === 'traceprop.recipe/2', 'the run matrix carries its recipe');
    const scaled = recipe.fitted.scaled;
    assert.ok(scaled?.kind === 'standardize', 'credit-risk.yaml standardises in step scaled');
    await assert.rejects(loadModelArtifact(home, suite.modelId), { code: 'models.shredded' });
    assert.ok(matrix.scrubbedRows?.has(sample), 'the old row left the run matrix');
    assert.equal(matrix.features.rowPtr[sample + 1], matrix.features.rowPtr[sample]);
    assert.ok(!Number.isNaN(matrix.labels[sample]), 'a re-derived sample keeps its label');
    const artifact = await loadModelArtifact(home, o.modelId);
    assert.ok(artifact.trainRows.includes(sample), 'the sample stays in the training set');
    assert.equal(artifact.trainRows.length, oldArtifact.trainRows.length);
    assert.ok(artifact.replaced);
    assert.deepEqual([...artifact.replaced.samples], [sample]);
    const d = matrix.featureNames.length;
    const newRow = new Float64Array(d);
    const x = artifact.replaced.x;
    for (let q = x.rowPtr[0]; q < x.rowPtr[1]; q++) newRow[x.colIdx[q]] = x.values[q];
    const oldRow = new Float64Array(d);
    const m = matrixBefore.features;
    for (let q = m.rowPtr[sample]; q < m.rowPtr[sample + 1]; q++) oldRow[m.colIdx[q]] = m.values[q];

    const remaining = applicantRows.filter((i) => !erased.includes(i)).map((i) => bureau.rows[i]);
    const before = bureauAggregates(
      bureau.header,
      applicantRows.map((i) => bureau.rows[i]),
    );
    const after = bureauAggregates(bureau.header, remaining);
    const standardise = (name: string, v: number) =>
      Number.isNaN(v) ? 0 : (v - scaled.means[name]) / scaled.sds[name];
    let changed = 0;
    matrix.featureNames.forEach((name, c) => {
      if (name in after) {
        const expected = standardise(name, after[name]);
        assert.ok(
          Math.abs(newRow[c] - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
          `${name}: re-derived ${newRow[c]}, by hand ${expected}`,
        );
        assert.ok(
          Math.abs(oldRow[c] - standardise(name, before[name])) <= 1e-9 * Math.max(1, Math.abs(oldRow[c])),
        );
        if (Math.abs(newRow[c] - oldRow[c]) > 1e-12) changed++;
      } else {
        assert.equal(newRow[c], oldRow[c], `${name} does not read the bureau and must not change`);
      }
    });
    assert.ok(changed >= 3, `${changed} bureau features changed`);

    const [g] = await query(
      `MATCH (u:UnlearningRequest {id: $id})-[:PRODUCED]->(new:Model {id: $new})-[:SUPERSEDES]->(old:Model {id: $old})
       MATCH (u)-[:AFFECTED]->(s:Sample)
       RETURN u.status AS status, u.mode AS mode, u.metrics AS metrics, new.status AS newStatus, old.status AS oldStatus,
              s.key AS key, s.erased AS erased, s.rederivedBy AS rederivedBy,
              COUNT { (u)-[:TARGETS]->(:SourceRow {erased: true}) } AS targets`,
      { id: o.requestId, new: o.modelId, old: suite.modelId },
    );
    assert.equal(g.status, 'complete');
    assert.equal(g.mode, 'recompute');
    assert.equal(g.newStatus, 'active');
    assert.equal(g.oldStatus, 'superseded');
    assert.equal(g.targets, 2);
    // The applicant's own data was not erased: the sample keeps its key and is marked re-derived.
    assert.equal(g.key, key);
    assert.equal(g.erased, null);
    assert.equal(g.rederivedBy, o.requestId);
    const metrics = JSON.parse(g.metrics as string);
    assert.equal(metrics.recompute.excludedRows.bureau, 2);
    // Per table: its erased rows left out, then only the rows the affected samples derive from.
    assert.deepEqual(metrics.recompute.ops, [
      'only rows of re-derived samples',
      `erased by ${o.requestId}`,
      'only rows of re-derived samples',
      'only rows of re-derived samples',
      'labelled: labelled applications (SK_ID_CURR present and TARGET in {0, 1})',
    ]);
  });

  it('an erased application row drops its sample; earlier erasures stay left out', async () => {
    const [active] = await activeModels();
    const before = await loadModelArtifact(testServices().home, active);
    const trainSample = before.trainRows.find((i) => !before.replaced?.samples.includes(i)) as number;
    const o = (
      await runTraceprop([
        'unlearn',
        '--key',
        `SK_ID_CURR=${suite.run.result.keys[trainSample]}`,
        '--mode',
        'recompute',
        '--local',
        '--json',
      ])
    ).json<Outcome>();
    assert.equal(o.previousModelId, active);
    assert.equal(o.version, 3);
    assert.equal(o.droppedSamples, 1);
    assert.equal(o.recomputedSamples, 0);
    assert.equal(o.forgottenTrainSamples, 1);
    const after = await loadModelArtifact(testServices().home, o.modelId);
    assert.equal(after.trainRows.length, before.trainRows.length - 1);
    // The first request's re-derived row is carried over to the new version.
    assert.deepEqual([...(after.replaced?.samples ?? [])], [...(before.replaced?.samples ?? [])]);
    assert.ok(!after.trainRows.includes(trainSample));
    const [u] = await query('MATCH (u:UnlearningRequest {id: $id}) RETURN u.metrics AS metrics', {
      id: o.requestId,
    });
    // The re-run left out this request's application row and the first request's bureau rows.
    assert.deepEqual(JSON.parse(u.metrics as string).recompute.excludedRows, {
      application: 1,
      bureau: 2,
      previous_application: 0,
    });
  });

  it('a changed source file fails the request with unlearning.sourceChanged and changes nothing', async () => {
    const file = path.join(suite.run.dir, 'bureau.csv');
    const original = fs.readFileSync(file);
    const [active] = await activeModels();
    const [row] = await query(
      `MATCH (r:SourceRow)-[:IN_FILE]->(:SourceFile {name: 'bureau.csv'}) WHERE r.key IS NOT NULL AND EXISTS { (:Sample)-[:DERIVED_FROM]->(r) }
       RETURN r.row AS row ORDER BY r.row DESC LIMIT 1`,
    );
    fs.appendFileSync(file, '999999,9999999,Active,currency 1,-10,0,,,0,1000,0,0,Credit card\n');
    try {
      expectCliError(
        await runTraceprop([
          'unlearn',
          '--file',
          'bureau.csv',
          '--rows',
          String(row.row),
          '--mode',
          'recompute',
          '--local',
        ]),
        'unlearning.sourceChanged',
        /bureau\.csv.*changed since ingest/,
      );
    } finally {
      fs.writeFileSync(file, original);
    }
    const [failed] = await query(
      `MATCH (u:UnlearningRequest {status: 'failed', mode: 'recompute'})
       RETURN u.errorCode AS code, u.error AS error, COUNT { (u)--() } AS edges`,
    );
    assert.equal(failed.code, 'unlearning.sourceChanged');
    assert.match(failed.error as string, /content sha256 is [0-9a-f]{64}, expected [0-9a-f]{64}/);
    assert.equal(failed.edges, 0);
    const [still] = await activeModels();
    assert.equal(still, active);
    const [r] = await query(
      `MATCH (r:SourceRow {row: $row})-[:IN_FILE]->(:SourceFile {name: 'bureau.csv'}) RETURN r.erased AS erased`,
      { row: row.row },
    );
    assert.notEqual(r.erased, true);
  });
  it('an applicant whose every row is erased: nothing is re-run (the files are not even read), its sample is dropped and the request says why', async () => {
    const r = suite.run.result;
    const [first] = await activeModels();
    const start = await loadModelArtifact(testServices().home, first);
    // A training applicant no earlier test touched (they pick from the front).
    const sample = [...start.trainRows].reverse().find((i) => !start.replaced?.samples.includes(i)) as number;
    const key = r.keys[sample];
    const keysOf = (name: string, keyColumn: string) => {
      const t = readBureauByHand(path.join(suite.run.dir, name));
      const curr = t.header.indexOf('SK_ID_CURR');
      const own = t.header.indexOf(keyColumn);
      return t.rows.filter((row) => row[curr] === key).map((row) => row[own]);
    };
    const unlearn = async (column: string, values: string[]) =>
      (
        await runTraceprop([
          'unlearn',
          ...values.flatMap((v) => ['--key', `${column}=${v}`]),
          '--mode',
          'recompute',
          '--local',
          '--json',
        ])
      ).json<Outcome>();
    // First its bureau and previous-application rows (one key column per request): the sample is
    // re-derived each time, and those rows become tombstones.
    const others = [
      ['SK_ID_BUREAU', keysOf('bureau.csv', 'SK_ID_BUREAU')],
      ['SK_ID_PREV', keysOf('previous_application.csv', 'SK_ID_PREV')],
    ] as const;
    assert.ok(
      others.some(([, v]) => v.length > 0),
      'the applicant has bureau or previous-application rows',
    );
    for (const [column, values] of others) {
      if (values.length === 0) continue;
      const o = await unlearn(column, values);
      assert.equal(o.recomputedSamples, 1, `${column}: the sample is re-derived`);
    }
    const [active] = await activeModels();
    const before = await loadModelArtifact(testServices().home, active);
    // Then its application row, the last one: a re-read would now fail
    // (unlearning.sourceChanged), so the request must not need the files.
    const file = path.join(suite.run.dir, 'bureau.csv');
    const original = fs.readFileSync(file);
    fs.appendFileSync(file, '999998,9999998,Active,currency 1,-10,0,,,0,1000,0,0,Credit card\n');
    let o: Outcome;
    try {
      o = await unlearn('SK_ID_CURR', [key]);
    } finally {
      fs.writeFileSync(file, original);
    }
    assert.equal(o.previousModelId, active);
    assert.equal(o.droppedSamples, 1);
    assert.equal(o.recomputedSamples, 0);
    assert.equal(o.forgottenTrainSamples, 1);
    const after = await loadModelArtifact(testServices().home, o.modelId);
    assert.equal(after.trainRows.length, before.trainRows.length - 1);
    assert.ok(!after.trainRows.includes(sample));
    const [u] = await query('MATCH (u:UnlearningRequest {id: $id}) RETURN u.metrics AS metrics', {
      id: o.requestId,
    });
    const recompute = JSON.parse(u.metrics as string).recompute;
    assert.match(recompute.skipped, /nothing to re-derive/);
    assert.deepEqual(recompute.excludedRows, {});
  });
});
