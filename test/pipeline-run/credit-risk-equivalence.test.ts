import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import {
  type CreditRiskResult,
  creditRiskFiles,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../../src/pipelines/credit-risk-pipeline.js';
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
}

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
  });
}
