import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type CreditRiskResult,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../../bench/support/hand-written-credit-risk.js';
import { packageRoot } from '../../src/config.js';
import type { DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { requireDataset } from '../support/require-dataset.js';

const shipped = path.join(packageRoot, 'pipelines', 'credit-risk.yaml');

/** The data each comparison runs on: a folder with the three files, and its label column. */
interface Case {
  what: string;
  /** Makes (or finds) the folder; `tmp` is a fresh temporary folder. */
  folder: (tmp: string) => Promise<string>;
  labelColumn: string;
  /** Fewest samples expected (a check that the comparison is not vacuous). */
  minSamples: number;
  /** Labels written over those of some data rows of application.csv (under the 1% limit). */
  badLabels?: Record<number, string>;
}

/** Writes `labels` (by 0-based data row) into the label column of a generated application.csv. */
function overwriteLabels(file: string, labels: Record<number, string>): void {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const col = lines[0].split(',').indexOf('TARGET');
  for (const [row, label] of Object.entries(labels)) {
    const fields = lines[Number(row) + 1].split(',');
    fields[col] = label;
    lines[Number(row) + 1] = fields.join(',');
  }
  fs.writeFileSync(file, lines.join('\n'));
}

const badLabels: Record<number, string> = { 3: '2', 10: '0.5', 20: '', 700: '-1' };

const cases: Case[] = [
  {
    what: 'generated data (3000 applicants, label TARGET)',
    folder: async (tmp) => {
      await generateCreditRisk({ applicants: 3000, seed: 7, outDir: tmp });
      return tmp;
    },
    labelColumn: 'TARGET',
    minSamples: 2000,
  },
  {
    what: 'generated data with a few labels that are not 0/1 (left out and reported)',
    folder: async (tmp) => {
      await generateCreditRisk({ applicants: 1500, seed: 8, outDir: tmp });
      overwriteLabels(path.join(tmp, 'application.csv'), badLabels);
      return tmp;
    },
    labelColumn: 'TARGET',
    minSamples: 1000,
    badLabels,
  },
  {
    what: 'the Home Credit sample (label DEFAULTED)',
    folder: async () => path.dirname(requireDataset('home_credit_sample/application.csv')),
    labelColumn: 'DEFAULTED',
    minSamples: 900,
  },
];

for (const c of cases) {
  describe(`pipeline runs: pipelines/credit-risk.yaml equals the hand-written credit-risk pipeline on ${c.what}`, function () {
    this.timeout(120_000);
    let tmp = '';
    let hand: CreditRiskResult;
    let declared: DeclaredRunResult;
    before(async () => {
      tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-declared-cr-'));
      const dir = await c.folder(tmp);
      const tables = await readCreditRiskTables(creditRiskFiles(dir), { labelColumn: c.labelColumn });
      hand = runCreditRiskTransforms(tables, { mode: 'row', runId: 'hand' });
      const pipeline = loadPipelineSpec(shipped);
      declared = runDeclaredPipeline(pipeline, await readPipelineSources(pipeline, dir), {
        mode: 'row',
        runId: 'declared',
      });
    });
    after(async () => {
      if (tmp) await fs.promises.rm(tmp, { recursive: true, force: true });
    });

    it('the same samples, split, features and matrix, bit for bit', () => {
      assert.ok(hand.keys.length >= c.minSamples, `${hand.keys.length} samples`);
      assert.deepEqual(declared.keys, hand.keys);
      assert.deepEqual(declared.labels, hand.labels);
      assert.deepEqual(declared.split, hand.split);
      assert.deepEqual(declared.featureNames, hand.featureNames);
      assert.deepEqual(declared.matrix.data, hand.matrix.data);
    });

    it('the same fitted state and the same row provenance', () => {
      const fitted = Object.values(declared.fitted);
      const oneHot = fitted.find((f) => f.kind === 'onehot')!;
      assert.equal(oneHot.kind, 'onehot');
      for (const [col, cats] of Object.entries(hand.recipe.encoder.categories))
        assert.deepEqual(oneHot.columns[col], { categories: cats, other: null }, col);
      const scaled = fitted.find((f) => f.kind === 'standardize')!;
      assert.equal(scaled.kind, 'standardize');
      assert.deepEqual(scaled.means, hand.recipe.encoder.means);
      assert.deepEqual(scaled.sds, hand.recipe.encoder.sds);
      assert.match(scaled.fitOn, /^train rows of split /);
      const a = declared.lineage!;
      const b = hand.lineage!;
      assert.deepEqual(
        a.files.map((f) => [f.id, f.table, f.globalOffset, f.rows]),
        b.files.map((f) => [f.id, f.table, f.globalOffset, f.rows]),
      );
      assert.deepEqual(a.provenance, b.provenance);
      assert.deepEqual(a.featureColumns, b.featureColumns);
    });

    it('the same application rows left out for a label that is not 0/1, reported alike', () => {
      const report = declared.leftOut.labelled;
      assert.ok(report, 'the labelled filter reports (max_left_out)');
      assert.equal(report.count, Object.keys(c.badLabels ?? {}).length);
      assert.equal(report.count, hand.droppedLabels.count);
      assert.equal(report.rows, hand.droppedLabels.rows);
      assert.equal(report.rate, hand.droppedLabels.rate);
      assert.deepEqual(
        report.examples.map((e) => ({
          row: e.row,
          value: e.values.TARGET === null ? null : String(e.values.TARGET),
        })),
        hand.droppedLabels.examples,
      );
      assert.equal(
        declared.warnings.some((w) => w.startsWith('step "labelled" left out')),
        report.count > 0,
      );
    });
  });
}
