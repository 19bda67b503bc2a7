import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { runCreditRiskFile } from '../../bench/support/run-credit-risk-file.js';
import { csrFromDense } from '../../src/attribution/csr-matrix.js';
import { writeLineageRun } from '../../src/graph/lineage-writer.js';
import { trainRunModel } from '../../src/jobs/train/run-train-job.js';
import { coarseDrift, roundAwayTo125 } from '../../src/jobs/unlearning/coarse-drift.js';
import { type EncoderDrift, encoderDrift } from '../../src/jobs/unlearning/encoder-drift.js';
import type { UnlearningOutcome } from '../../src/jobs/unlearning/unlearning-outcome.js';
import type { EncoderDriftEntry } from '../../src/jobs/unlearning/write-encoder-drift.js';
import type { RunMatrix } from '../../src/models/run-matrix.js';
import { runMatrixFromFeatures } from '../../src/models/run-matrix-from-features.js';
import { loadRunMatrix, saveRunMatrix } from '../../src/models/run-matrix-store.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { runTraceprop } from '../support/cli.js';
import { useCleanGraph, withTestSession } from '../support/graph.js';
import { testServices } from '../support/services.js';

/** One CSV line split into fields (double-quoted fields may hold commas), independent of readCsv. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** A field back into CSV. */
function quote(v: string): string {
  return /[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

/** Population mean and sd of the values, as the scaler fits them. */
function stats(xs: number[]): { mean: number; sd: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) * (b - mean), 0) / xs.length);
  return { mean, sd };
}

type Outcome = UnlearningOutcome & { encoderDrift: EncoderDriftEntry };

describe('encoder drift: how far the kept fitted encoder state is from a refit without the erased rows', () => {
  const graph = useCleanGraph();
  let dir: string;
  let header: string[];
  /** application.csv data rows (as written after the edits below), by SK_ID_CURR. */
  let rowOfKey: Map<string, number>;
  let incomeOfKey: Map<string, number>;
  let trainKeys: string[];
  let modelId: string;
  let runId: string;
  let ordinaryKey: string;
  let outlierKey: string;
  let levelKey: string;
  const uniqueLevel = 'Houseboat moored at pier 7';

  const query = (cypher: string, params: Record<string, unknown> = {}) =>
    withTestSession(graph(), async (s) => (await s.run(cypher, params)).records.map((r) => r.toObject()));

  before(async function () {
    this.timeout(120_000);
    const { home } = testServices();
    dir = path.join(home, 'data-encoder-drift');
    await generateCreditRisk({ applicants: 400, seed: 71, outDir: dir });
    // The split is a seeded draw over the rows' order: editing values keeps it. Learn it first.
    const plain = await runCreditRiskFile(dir, { mode: 'op' });
    trainKeys = plain.keys.filter((_, i) => plain.split[i] === 0);
    const file = path.join(dir, 'application.csv');
    const lines = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0);
    header = fields(lines[0]);
    const rows = lines.slice(1).map(fields);
    const col = (name: string) => header.indexOf(name);
    rowOfKey = new Map(rows.map((r, i) => [r[col('SK_ID_CURR')], i]));
    // An ordinary train applicant: the one whose largest standardised feature is smallest.
    const d = plain.matrix.cols;
    const scaled = plain.fitted.scaled;
    assert.ok(scaled?.kind === 'standardize');
    const scaledCols = Object.keys(scaled.means).map((c) => plain.featureNames.indexOf(c));
    let calm = -1;
    let calmest = Number.POSITIVE_INFINITY;
    plain.keys.forEach((_, i) => {
      if (plain.split[i] !== 0) return;
      const worst = Math.max(...scaledCols.map((c) => Math.abs(plain.matrix.data[i * d + c])));
      if (worst < calmest) [calm, calmest] = [i, worst];
    });
    ordinaryKey = plain.keys[calm];
    [outlierKey, levelKey] = trainKeys.filter((k) => k !== ordinaryKey);
    // The outlier earns 100 times the largest income; the other applicant alone lives in a houseboat.
    const income = col('AMT_INCOME_TOTAL');
    const top = Math.max(...rows.map((r) => Number(r[income])));
    rows[rowOfKey.get(outlierKey) as number][income] = String(100 * top);
    rows[rowOfKey.get(levelKey) as number][col('NAME_HOUSING_TYPE')] = uniqueLevel;
    fs.writeFileSync(file, `${[header, ...rows].map((r) => r.map(quote).join(',')).join('\n')}\n`);
    incomeOfKey = new Map(rows.map((r) => [r[col('SK_ID_CURR')], Number(r[income])]));

    const run = await runCreditRiskFile(dir, { mode: 'row', runId: `encdrift-${Date.now()}` });
    assert.deepEqual(
      run.keys.filter((_, i) => run.split[i] === 0),
      trainKeys,
      'the edits keep the split',
    );
    assert.ok(run.lineage);
    runId = run.lineage.runId;
    await writeLineageRun(graph(), run.lineage);
    await saveRunMatrix(home, runMatrixFromFeatures(run, run.lineage.runId));
    modelId = (await trainRunModel({ client: graph(), home, runId: run.lineage.runId, lambda: 1e-2 }))
      .modelId;
  });

  /** Erases one application row through the CLI and returns the outcome. */
  async function erase(key: string, mode: 'drop' | 'recompute'): Promise<Outcome> {
    const out = await runTraceprop([
      'unlearn',
      '--model',
      modelId,
      '--file',
      'application.csv',
      '--rows',
      String(rowOfKey.get(key)),
      '--mode',
      mode,
      '--local',
      '--json',
    ]);
    return out.json<Outcome>();
  }

  /** Mean shift (fitted sd units) and sd ratio of AMT_INCOME_TOTAL without `erased`, from the CSV. */
  function incomeDrift(erased: string[]): {
    shift: number;
    ratio: number;
    fitted: { mean: number; sd: number };
  } {
    const fitted = stats(trainKeys.map((k) => incomeOfKey.get(k) as number));
    const refit = stats(
      trainKeys.filter((k) => !erased.includes(k)).map((k) => incomeOfKey.get(k) as number),
    );
    return { shift: (refit.mean - fitted.mean) / fitted.sd, ratio: refit.sd / fitted.sd, fitted };
  }

  async function requestProps(id: string): Promise<Record<string, unknown>> {
    const [r] = await query('MATCH (u:UnlearningRequest {id: $id}) RETURN properties(u) AS p', { id });
    return r.p as Record<string, unknown>;
  }

  it('an ordinary row: a small shift, no level lost', async () => {
    const o = await erase(ordinaryKey, 'drop');
    const d = o.encoderDrift;
    assert.equal(d.status, 'measured', JSON.stringify(d));
    assert.equal(d.line, modelId);
    assert.equal(d.fitRows, trainKeys.length);
    assert.equal(d.refitRows, trainKeys.length - 1);
    assert.ok(d.maxMeanShiftSd !== null && Math.abs(d.maxMeanShiftSd) < 0.02, `shift ${d.maxMeanShiftSd}`);
    assert.ok(d.maxMeanShiftSd !== 0, 'removing a row moves some mean');
    assert.ok(d.sdRatio !== null && Math.abs(d.sdRatio - 1) < 0.01, `sd ratio ${d.sdRatio}`);
    assert.equal(d.levelsOnlyErased, 0);
    const p = await requestProps(o.requestId);
    assert.equal(p.encoderMaxMeanShiftSd, d.maxMeanShiftSd);
    assert.equal(p.encoderLevelsOnlyErased, 0);
    assert.equal(p.encoderDriftStatus, 'measured');
    modelId = o.modelId;
  });

  it('a row with an extreme income: the mean shift and sd ratio computed from the raw CSV', async () => {
    const o = await erase(outlierKey, 'drop');
    const d = o.encoderDrift;
    const expected = incomeDrift([ordinaryKey, outlierKey]);
    // The kept state is the CSV's train statistics: the expectation is independent of the run.
    const saved = await loadRunMatrix(testServices().home, runId);
    const recipe = saved.recipe;
    // Both erasures scrubbed their rows out of the matrix: the drift is measured against the
    // fit baseline the scrub kept.
    assert.equal(saved.scrubbedRows?.size, 2, `both rows are scrubbed: ${[...(saved.scrubbedRows ?? [])]}`);
    assert.ok(
      !saved.sampleKeys.includes(ordinaryKey) && !saved.sampleKeys.includes(outlierKey),
      'keys blanked',
    );
    const baseline = saved.fitBaseline as { count: number[] };
    assert.ok(baseline && baseline.count.length > 0);
    assert.ok(recipe?.format === 'traceprop.recipe/2' && recipe.fitted.scaled?.kind === 'standardize');
    const fitted = recipe.fitted.scaled;
    assert.ok(Math.abs(fitted.means.AMT_INCOME_TOTAL - expected.fitted.mean) < 1e-9 * expected.fitted.mean);
    assert.ok(Math.abs(fitted.sds.AMT_INCOME_TOTAL - expected.fitted.sd) < 1e-9 * expected.fitted.sd);
    assert.equal(d.status, 'measured', JSON.stringify(d));
    assert.equal(d.maxMeanShiftFeature, 'AMT_INCOME_TOTAL');
    assert.equal(d.sdRatioFeature, 'AMT_INCOME_TOTAL');
    // Recorded coarsened (the exact shift of one erased row would give its value back).
    assert.equal(
      d.maxMeanShiftSd,
      roundAwayTo125(expected.shift),
      `${d.maxMeanShiftSd} vs ${expected.shift}`,
    );
    assert.notEqual(d.maxMeanShiftSd, expected.shift);
    assert.equal(
      d.sdRatio,
      coarseDrift({ ...d, sdRatio: expected.ratio }).sdRatio,
      `${d.sdRatio} vs ${expected.ratio}`,
    );
    assert.ok(expected.shift < -0.03, `the outlier pulls the mean up by ${-expected.shift} sd`);
    assert.equal(d.refitRows, trainKeys.length - 2, 'cumulative over the line: both erased rows are out');
    const p = await requestProps(o.requestId);
    assert.equal(p.encoderMaxMeanShiftSd, d.maxMeanShiftSd);
    assert.equal(p.encoderMaxMeanShiftFeature, 'AMT_INCOME_TOTAL');
    assert.equal(p.encoderSdRatio, d.sdRatio);
    modelId = o.modelId;
  });

  it('the only row with a housing type: 1 level only in erased rows, named by its column only', async () => {
    const o = await erase(levelKey, 'recompute');
    const d = o.encoderDrift;
    assert.equal(o.droppedSamples, 1, 'its application row is erased: the sample is dropped');
    assert.equal(d.levelsOnlyErased, 1, JSON.stringify(d));
    assert.deepEqual(d.levelsOnlyErasedFeatures, ['NAME_HOUSING_TYPE']);
    const expected = incomeDrift([ordinaryKey, outlierKey, levelKey]);
    assert.equal(d.maxMeanShiftSd, roundAwayTo125(expected.shift));
    const p = await requestProps(o.requestId);
    assert.equal(p.encoderLevelsOnlyErased, 1);
    assert.deepEqual(p.encoderLevelsOnlyErasedFeatures, ['NAME_HOUSING_TYPE']);
    assert.ok(!JSON.stringify(p).includes(uniqueLevel), 'the level itself is not recorded on the request');
    const shown = await runTraceprop(['erasure', 'show', o.requestId, '--json']);
    const inv = shown.json<{ encoderDrift: EncoderDriftEntry[] }>();
    assert.deepEqual(inv.encoderDrift, [d]);
    const text = await runTraceprop(['erasure', 'show', o.requestId]);
    assert.match(text.stdout, /drop 1 one-hot level only erased rows had \(NAME_HOUSING_TYPE\)/);
    assert.ok(!text.stdout.includes(uniqueLevel));
    modelId = o.modelId;
  });

  it('a request over two model lines records each line’s drift, and the worst over them', async () => {
    const { home } = testServices();
    const second = (await trainRunModel({ client: graph(), home, runId, lambda: 1e-1 })).modelId;
    const key = trainKeys.find((k) => ![ordinaryKey, outlierKey, levelKey].includes(k)) as string;
    const out = await runTraceprop([
      'unlearn',
      '--file',
      'application.csv',
      '--rows',
      String(rowOfKey.get(key)),
      '--mode',
      'drop',
      '--local',
      '--json',
    ]);
    const o = out.json<Omit<Outcome, 'lines'> & { lines: Outcome[] }>();
    assert.equal(o.lines.length, 2);
    assert.deepEqual(o.lines.map((l) => l.encoderDrift.line).sort(), [modelId, second].sort());
    // Both lines hold the same rows now: the second was trained without the samples dropped before.
    const expected = incomeDrift([ordinaryKey, outlierKey, levelKey, key]);
    for (const l of o.lines) {
      assert.equal(l.encoderDrift.maxMeanShiftSd, roundAwayTo125(expected.shift));
      assert.equal(l.encoderDrift.levelsOnlyErased, 1, 'the housing level is still gone from both lines');
    }
    const p = await requestProps(o.requestId);
    const entries = (p.encoderDrift as string[]).map((e) => JSON.parse(e) as EncoderDriftEntry);
    assert.deepEqual(
      entries.map((e) => e.line),
      o.lines.map((l) => l.encoderDrift.line),
    );
    assert.equal(p.encoderLevelsOnlyErased, 1);
    assert.deepEqual(p.encoderLevelsOnlyErasedFeatures, ['NAME_HOUSING_TYPE']);
    assert.equal(p.encoderMaxMeanShiftSd, roundAwayTo125(expected.shift));
  });
});

describe('encoder drift, from a run matrix alone', () => {
  /** A 4-sample matrix: one standardised column `x` (train values 1, 2, 3, 6) and a one-hot column `c`. */
  function matrix(recipe: boolean): RunMatrix {
    const raw = [1, 2, 3, 6];
    const { mean, sd } = stats(raw);
    const levels = ['a', 'a', 'b', 'a'];
    const dense = raw.flatMap((x, i) => [
      (x - mean) / sd,
      levels[i] === 'a' ? 1 : 0,
      levels[i] === 'b' ? 1 : 0,
    ]);
    return {
      runId: 'r',
      features: csrFromDense(dense, 4, 3),
      featureNames: ['x', 'c=a', 'c=b'],
      labels: Float64Array.from([0, 1, 0, 1]),
      split: new Uint8Array(4),
      sampleIds: ['s0', 's1', 's2', 's3'],
      sampleKeys: ['k0', 'k1', 'k2', 'k3'],
      ...(recipe
        ? {
            recipe: {
              format: 'traceprop.recipe/1',
              pipeline: 'credit-risk',
              files: {} as never,
              labelColumn: 'TARGET',
              seed: 7,
              testFraction: 0.2,
              maxCategories: 12,
              encoder: { categories: { c: ['a', 'b'] }, means: { x: mean }, sds: { x: sd } },
              featureNames: ['x', 'c=a', 'c=b'],
            },
          }
        : {}),
    };
  }

  it('recompute: the refit uses the re-derived row instead of the old one', () => {
    const m = matrix(true);
    const { mean, sd } = stats([1, 2, 3, 6]);
    // Sample 3 re-derived with x = 2 (and its level a); sample 2 (the only b) dropped.
    const replaced = { samples: Uint32Array.from([3]), x: csrFromDense([(2 - mean) / sd, 1, 0], 1, 3) };
    const d = encoderDrift(m, { trainRows: [0, 1, 3], testRows: [], replaced });
    const refit = stats([1, 2, 2]);
    assert.equal(d.status, 'measured');
    assert.ok(Math.abs((d.maxMeanShiftSd as number) - (refit.mean - mean) / sd) < 1e-12);
    assert.ok(Math.abs((d.sdRatio as number) - refit.sd / sd) < 1e-12);
    assert.deepEqual([d.fitRows, d.refitRows, d.levelsOnlyErased], [4, 3, 1]);
    assert.deepEqual(d.levelsOnlyErasedFeatures, ['c']);
  });

  it('a matrix without its recipe: the drift is unknown, and says why', () => {
    const d = encoderDrift(matrix(false), { trainRows: [0, 1], testRows: [] });
    assert.equal(d.status, 'unknown');
    assert.match(d.note ?? '', /without its pipeline recipe/);
    assert.equal(d.maxMeanShiftSd, null);
  });

  it('a fitted state the samples do not give back (fitted on other rows) is not measured', () => {
    // A level with no indicator column among the features: its column is not measured.
    const m = matrix(true);
    if (m.recipe?.format !== 'traceprop.recipe/1') throw new Error('expected a legacy recipe');
    m.recipe.encoder.categories.c.push('z');
    const d = encoderDrift(m, { trainRows: [0, 1, 2, 3], testRows: [] });
    assert.equal(d.status, 'partial', JSON.stringify(d));
    assert.deepEqual(d.unmeasured, ['c']);
    // Standardised on rows that are not the train samples (sample 3 is a test sample): Σ v ≠ 0.
    const other = matrix(true);
    other.split[3] = 1;
    const e = encoderDrift(other, { trainRows: [0, 1, 2], testRows: [3] });
    assert.deepEqual([e.status, e.unmeasured, e.maxMeanShiftSd], ['partial', ['x'], null]);
  });
});

describe('encoder drift as recorded: coarsened to the 1-2-5 series', () => {
  it('rounds the mean shift away from zero and the sd ratio away from 1', () => {
    assert.deepEqual([0.00073, -0.034, 0.2, 0, 1.5, -7].map(roundAwayTo125), [0.001, -0.05, 0.2, 0, 2, -10]);
    const drift = (shift: number, ratio: number): EncoderDrift => ({
      status: 'measured',
      note: null,
      fitRows: 10,
      refitRows: 9,
      maxMeanShiftSd: shift,
      maxMeanShiftFeature: 'x',
      sdRatio: ratio,
      sdRatioFeature: 'x',
      levelsOnlyErased: 0,
      levelsOnlyErasedFeatures: [],
      unmeasured: [],
    });
    const coarse = [
      [-0.0123, 1.0035],
      [0.3, 0.7],
      [0.01, 0.312],
      [0, 1],
    ].map(([s, r]) => coarseDrift(drift(s, r)));
    assert.deepEqual(
      coarse.map((d) => [d.maxMeanShiftSd, d.sdRatio]),
      [
        [-0.02, 1.005],
        [0.5, 0.5],
        [0.01, 0.2],
        [0, 1],
      ],
    );
  });
});
