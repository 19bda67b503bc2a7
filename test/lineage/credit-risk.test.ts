import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError } from '../../src/errors.js';
import type { LineageRun } from '../../src/lineage/lineage-run.js';
import type { DeclaredRunOptions, DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import {
  type CreditRiskFiles,
  creditRiskFiles,
  creditRiskSources,
} from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { creditRiskPipeline } from '../../src/pipelines/credit-risk-spec.js';
import { requireDataset } from '../support/require-dataset.js';
import { naiveColumn, naiveCsv, withTempDir } from './helpers.js';

type CreditRiskResult = DeclaredRunResult;

/**
 * Reads the three files as the sources of pipelines/credit-risk.yaml (its label header changed to
 * `labelColumn` when given) and runs it, as `traceprop ingest credit-risk` does.
 */
async function runCreditRisk(
  files: CreditRiskFiles,
  options: DeclaredRunOptions & { labelColumn?: string; onRead?: (stage: string) => void } = {},
): Promise<CreditRiskResult> {
  const { labelColumn, onRead, ...run } = options;
  const pipeline = creditRiskPipeline({ labelColumn });
  const tables = await readPipelineSources(pipeline, path.dirname(files.application), {
    paths: creditRiskSources(files),
    onProgress: (e) => onRead?.(e.stage),
  });
  return runDeclaredPipeline(pipeline, tables, run);
}

/**
 * Checks a row-mode result against an independent computation from the CSV text: sample with
 * key k derives exactly from the application row with SK_ID_CURR k plus every bureau and
 * previous-application row with SK_ID_CURR k (global ids via each file's offset).
 */
function checkProvenanceAgainstCsv(files: CreditRiskFiles, result: CreditRiskResult, label: string): void {
  const run = result.lineage!;
  const app = naiveCsv(files.application);
  const bureau = naiveCsv(files.bureau);
  const prev = naiveCsv(files.previous);
  const file = (table: string) => run.files.find((f) => f.table === table)!;
  const fa = file('application');
  const fb = file('bureau');
  const fp = file('previous_application');
  for (const [f, csv, p] of [
    [fa, app, files.application],
    [fb, bureau, files.bureau],
    [fp, prev, files.previous],
  ] as const) {
    assert.equal(f.rows, csv.rows.length, `${f.name} rows`);
    assert.equal(f.id, createHash('sha256').update(fs.readFileSync(p)).digest('hex'));
    assert.equal(f.path, path.resolve(p));
  }
  assert.deepEqual(fa.keys, naiveColumn(app, 'SK_ID_CURR'));
  assert.equal(fa.keyColumn, 'SK_ID_CURR');
  assert.deepEqual(fb.keys, naiveColumn(bureau, 'SK_ID_BUREAU'));
  assert.equal(fb.keyColumn, 'SK_ID_BUREAU');
  assert.deepEqual(fp.keys, naiveColumn(prev, 'SK_ID_PREV'));
  assert.equal(fp.keyColumn, 'SK_ID_PREV');
  // Files own disjoint global ranges.
  const ranges = run.files.map((f) => [f.globalOffset, f.globalOffset + f.rows]).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < ranges.length; i++) assert.ok(ranges[i][0] >= ranges[i - 1][1]);

  const expected = new Map<string, number[]>();
  const add = (key: string, id: number) => {
    if (!expected.has(key)) expected.set(key, []);
    expected.get(key)!.push(id);
  };
  for (const [r, k] of naiveColumn(app, 'SK_ID_CURR').entries()) add(k, fa.globalOffset + r);
  for (const [r, k] of naiveColumn(bureau, 'SK_ID_CURR').entries()) add(k, fb.globalOffset + r);
  for (const [r, k] of naiveColumn(prev, 'SK_ID_CURR').entries()) add(k, fp.globalOffset + r);
  const labels = naiveColumn(app, label);
  const labelOf = new Map(naiveColumn(app, 'SK_ID_CURR').map((k, r) => [k, Number(labels[r])]));

  const { offsets, rowIds } = run.provenance!;
  assert.equal(offsets.length, run.samples.count + 1);
  assert.equal(run.samples.count, result.matrix.rows);
  const labelled = naiveColumn(app, label).filter((v) => v === '0' || v === '1').length;
  assert.equal(run.samples.count, labelled, 'one sample per labelled application');
  let orphanIds = 0;
  for (const [k, ids] of expected) if (!labelOf.has(k)) orphanIds += ids.length;
  let linked = 0;
  for (let i = 0; i < run.samples.count; i++) {
    const key = run.samples.keys[i];
    const got = [...rowIds.subarray(offsets[i], offsets[i + 1])];
    const want = (expected.get(key) ?? []).sort((a, b) => a - b);
    assert.deepEqual(got, want, `sample ${i} (SK_ID_CURR ${key})`);
    assert.equal(run.samples.labels[i], labelOf.get(key));
    linked += got.length;
  }
  // Every source row is linked to a sample except the children of absent applicants.
  const total = run.files.reduce((s, f) => s + f.rows, 0);
  assert.equal(linked + orphanIds, total);
}

function checkSamples(run: LineageRun): void {
  const { split, index, count } = run.samples;
  const next = [0, 0];
  for (let i = 0; i < count; i++) {
    assert.ok(split[i] === 0 || split[i] === 1);
    assert.equal(index[i], next[split[i]]++);
  }
}

/** AUC of a score against 0/1 labels (Mann–Whitney, ties half). */
function auc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const pos: number[] = [];
  const neg: number[] = [];
  for (let i = 0; i < label.length; i++) (label[i] === 1 ? pos : neg).push(score[i]);
  let wins = 0;
  const sortedNeg = [...neg].sort((a, b) => a - b);
  for (const s of pos) {
    let lo = 0;
    let hi = sortedNeg.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedNeg[mid] < s) lo = mid + 1;
      else hi = mid;
    }
    let eq = lo;
    while (eq < sortedNeg.length && sortedNeg[eq] === s) eq++;
    wins += lo + (eq - lo) / 2;
  }
  return wins / (pos.length * neg.length);
}

function column(result: CreditRiskResult, name: string): Float64Array {
  const j = result.featureNames.indexOf(name);
  assert.ok(j >= 0, `feature ${name} missing`);
  const { data, rows, cols } = result.matrix;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = data[i * cols + j];
  return out;
}

describe('lineage: credit-risk generator and pipeline (pipelines/credit-risk.yaml)', function () {
  this.timeout(120_000);

  it('the generator is deterministic for a seed and differs across seeds', async () => {
    await withTempDir(async (dir) => {
      const a = await generateCreditRisk({ applicants: 500, seed: 11, outDir: path.join(dir, 'a') });
      const b = await generateCreditRisk({ applicants: 500, seed: 11, outDir: path.join(dir, 'b') });
      const c = await generateCreditRisk({ applicants: 500, seed: 12, outDir: path.join(dir, 'c') });
      for (let f = 0; f < 3; f++) {
        assert.equal(a.files[f].sha256, b.files[f].sha256);
        assert.ok(fs.readFileSync(a.files[f].path).equals(fs.readFileSync(b.files[f].path)));
        assert.notEqual(a.files[f].sha256, c.files[f].sha256);
        assert.equal(
          a.files[f].sha256,
          createHash('sha256').update(fs.readFileSync(a.files[f].path)).digest('hex'),
        );
      }
      assert.equal(a.files[0].rows, 500);
      const perApplicant = a.totalRows / 500;
      assert.ok(perApplicant > 8 && perApplicant < 10, `rows per applicant ${perApplicant}`);
      const header = naiveCsv(a.files[1].path).header;
      for (const col of [
        'SK_ID_CURR',
        'SK_ID_BUREAU',
        'CREDIT_ACTIVE',
        'DAYS_CREDIT',
        'AMT_CREDIT_SUM',
        'AMT_CREDIT_SUM_DEBT',
        'CREDIT_DAY_OVERDUE',
      ]) {
        assert.ok(header.includes(col), col);
      }
    });
  });

  describe('on generated data', () => {
    let dir = '';
    let files: CreditRiskFiles;
    let row: CreditRiskResult;
    let op: CreditRiskResult;
    before(async () => {
      dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-cr-'));
      await generateCreditRisk({ applicants: 3000, seed: 7, outDir: dir });
      files = creditRiskFiles(dir);
      const progress: string[] = [];
      row = await runCreditRisk(files, {
        mode: 'row',
        runId: 'same',
        onRead: (stage) => progress.push(stage),
        onProgress: (e) => progress.push(e.stage),
      });
      op = await runCreditRisk(files, { mode: 'op', runId: 'same' });
      assert.ok(progress.includes('step labelled') && progress.includes('read bureau'), progress.join(', '));
    });
    after(async () => {
      if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
    });

    it('links each sample to exactly its application, bureau and previous rows', () => {
      checkProvenanceAgainstCsv(files, row, 'TARGET');
      checkSamples(row.lineage!);
    });

    it('has orphan child rows (absent applicants) that reach no sample', () => {
      const appKeys = new Set(naiveColumn(naiveCsv(files.application), 'SK_ID_CURR'));
      const orphans = naiveColumn(naiveCsv(files.bureau), 'SK_ID_CURR').filter((k) => !appKeys.has(k));
      assert.ok(orphans.length > 0);
    });

    it('op mode: no provenance, same op DAG, same features', () => {
      assert.equal(op.lineage!.provenance, undefined);
      assert.equal(op.lineage!.mode, 'op');
      assert.deepEqual(op.lineage!.ops, row.lineage!.ops);
      assert.deepEqual(op.featureNames, row.featureNames);
      assert.deepEqual(op.matrix.data, row.matrix.data);
      assert.deepEqual(op.lineage!.samples, row.lineage!.samples);
    });

    it('records a connected op DAG ending in the encoders', () => {
      const ops = row.lineage!.ops;
      const ids = new Set(ops.map((o) => o.id));
      ops.forEach((o, i) => {
        assert.equal(o.seq, i);
        for (const inp of o.inputs) assert.ok(ids.has(inp) && ops.findIndex((x) => x.id === inp) < i);
      });
      const kinds = ops.map((o) => o.kind);
      for (const k of ['load', 'filter', 'derive', 'aggregate', 'join', 'split', 'encode'])
        assert.ok(kinds.includes(k), k);
      const loads = ops.filter((o) => o.kind === 'load');
      assert.deepEqual(loads.map((o) => o.fileId).sort(), row.lineage!.files.map((f) => f.id).sort());
      const enc = ops.filter((o) => o.kind === 'encode');
      assert.equal(enc.length, 2);
      assert.ok(enc.every((o) => o.params.fitOn === 'train rows of split split'));
      // every op but the loads belongs to a step of the file
      assert.ok(ops.every((o) => (o.kind === 'load') === (o.step === undefined)));
    });

    it('column-level lineage: each feature names its source columns', () => {
      const fc = row.lineage!.featureColumns!;
      assert.deepEqual(Object.keys(fc), row.featureNames);
      assert.deepEqual(fc.CREDIT_INCOME_RATIO, ['application.AMT_CREDIT', 'application.AMT_INCOME_TOTAL']);
      assert.deepEqual(fc.BUREAU_DEBT_SUM, ['bureau.AMT_CREDIT_SUM_DEBT']);
      assert.deepEqual(fc.BUREAU_COUNT, ['bureau.SK_ID_CURR']);
      assert.deepEqual(fc.BUREAU_DEBT_CREDIT_RATIO, ['bureau.AMT_CREDIT_SUM', 'bureau.AMT_CREDIT_SUM_DEBT']);
      assert.deepEqual(fc.PREV_APPROVED_SHARE, ['previous_application.NAME_CONTRACT_STATUS']);
      assert.deepEqual(fc['CODE_GENDER=F'], ['application.CODE_GENDER']);
      for (const [name, sources] of Object.entries(fc)) {
        assert.ok(sources.length > 0, name);
        for (const s of sources) assert.match(s, /^(application|bureau|previous_application)\.[A-Z_0-9]+$/);
      }
    });

    it('features: standardised with train statistics, one-hot categoricals, no missing values', () => {
      const { data, rows, cols } = row.matrix;
      assert.equal(data.length, rows * cols);
      for (const v of data) assert.ok(Number.isFinite(v));
      const train = row.split;
      for (const name of ['AMT_INCOME_TOTAL', 'CREDIT_INCOME_RATIO', 'BUREAU_COUNT']) {
        const x = column(row, name);
        let s = 0;
        let n = 0;
        for (let i = 0; i < rows; i++) {
          if (train[i] !== 0) continue;
          s += x[i];
          n++;
        }
        assert.ok(Math.abs(s / n) < 1e-9, `${name} train mean ${s / n}`);
      }
      const testShare = row.split.reduce((s, v) => s + v, 0) / rows;
      assert.ok(Math.abs(testShare - 0.2) < 0.001);
    });

    it('each table carries label signal', () => {
      const y = row.labels;
      const checks: Array<[string, number]> = [
        ['EXT_SOURCE_2', -1],
        ['CREDIT_INCOME_RATIO', 1],
        ['BUREAU_OVERDUE_SHARE', 1],
        ['PREV_REFUSED_SHARE', 1],
      ];
      for (const [name, sign] of checks) {
        const a = auc(column(row, name), y);
        assert.ok(sign > 0 ? a > 0.55 : a < 0.45, `${name} AUC ${a.toFixed(3)}`);
      }
    });

    it('names the label column and its header names when it is missing', async () => {
      await assert.rejects(
        runCreditRisk(files, { labelColumn: 'DEFAULTED' }),
        (err: unknown) =>
          err instanceof InputError &&
          err.code === 'ingest.missingColumn' &&
          /application\.csv: header row: expected column TARGET under one of the header names DEFAULTED, got columns SK_ID_CURR, TARGET,/.test(
            err.message,
          ),
      );
    });
  });

  describe('on the real Home Credit sample', () => {
    let files: CreditRiskFiles;
    let row: CreditRiskResult;
    before(async () => {
      files = creditRiskFiles(path.dirname(requireDataset('home_credit_sample/application.csv')));
      // the shipped file reads the label from TARGET or DEFAULTED: the sample has DEFAULTED
      row = await runCreditRisk(files, { mode: 'row' });
    });

    it('links each sample to exactly its application, bureau and previous rows', () => {
      checkProvenanceAgainstCsv(files, row, 'DEFAULTED');
      checkSamples(row.lineage!);
      assert.equal(row.lineage!.samples.count, 1000);
      assert.equal(
        row.lineage!.samples.labels.reduce((s, v) => s + v, 0),
        70,
      );
      const fa = row.lineage!.files.find((f) => f.table === 'application')!;
      assert.equal(fa.id, 'd41c3dbd9d303431555e9938f669205b7a8f6d03f5832c68cd8bc0e8a242c248');
    });

    it('SK_ID_CURR 100002 (a known defaulter) derives from its application row, its bureau rows and its previous application', () => {
      const run = row.lineage!;
      const i = run.samples.keys.indexOf('100002');
      assert.ok(i >= 0);
      const ids = [
        ...run.provenance!.rowIds.subarray(run.provenance!.offsets[i], run.provenance!.offsets[i + 1]),
      ];
      const byTable = (t: string) => {
        const f = run.files.find((x) => x.table === t)!;
        return ids
          .filter((g) => g >= f.globalOffset && g < f.globalOffset + f.rows)
          .map((g) => g - f.globalOffset);
      };
      const bureau = naiveCsv(files.bureau);
      const want = naiveColumn(bureau, 'SK_ID_CURR').flatMap((k, r) => (k === '100002' ? [r] : []));
      assert.deepEqual(byTable('bureau'), want);
      assert.ok(want.length > 0);
      const prev = naiveCsv(files.previous);
      assert.deepEqual(
        byTable('previous_application'),
        naiveColumn(prev, 'SK_ID_CURR').flatMap((k, r) => (k === '100002' ? [r] : [])),
      );
      const app = naiveCsv(files.application);
      assert.deepEqual(byTable('application'), [naiveColumn(app, 'SK_ID_CURR').indexOf('100002')]);
      assert.equal(run.samples.labels[i], 1);
    });

    it('op mode gives the same features and DAG', async () => {
      const op = await runCreditRisk(files, {
        mode: 'op',
        labelColumn: 'DEFAULTED',
        runId: row.lineage!.runId,
      });
      assert.equal(op.lineage!.provenance, undefined);
      assert.deepEqual(op.lineage!.ops, row.lineage!.ops);
      assert.deepEqual(op.matrix.data, row.matrix.data);
    });
  });
});
