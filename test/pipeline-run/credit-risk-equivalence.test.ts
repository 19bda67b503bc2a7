import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import {
  type CreditRiskResult,
  creditRiskFiles,
  readCreditRiskTables,
  runCreditRiskTransforms,
} from '../../src/pipelines/credit-risk-pipeline.js';

/** The credit-risk pipeline files: the test fixture and the shipped one (sources named differently). */
const files = [
  { file: path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'credit-risk.yaml'), previous: 'previous' },
  { file: path.join(packageRoot, 'pipelines', 'credit-risk.yaml'), previous: 'previous_application' },
];

for (const { file, previous } of files) {
  describe(`pipeline runs: ${path.relative(packageRoot, file)} equals the hand-written credit-risk pipeline`, function () {
    this.timeout(120_000);
    let dir = '';
    let hand: CreditRiskResult;
    let declared: DeclaredRunResult;
    before(async () => {
      dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-declared-cr-'));
      await generateCreditRisk({ applicants: 3000, seed: 7, outDir: dir });
      const tables = await readCreditRiskTables(creditRiskFiles(dir));
      hand = runCreditRiskTransforms(tables, { mode: 'row', runId: 'hand' });
      declared = runDeclaredPipeline(
        loadPipelineSpec(file),
        new Map([
          ['application', tables.application],
          ['bureau', tables.bureau],
          [previous, tables.previous],
        ]),
        { mode: 'row', runId: 'declared' },
      );
    });
    after(async () => {
      if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
    });

    it('the same samples, split, features and matrix, bit for bit', () => {
      assert.ok(hand.keys.length > 2000);
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
        a.files.map((f) => [f.id, f.globalOffset, f.rows]),
        b.files.map((f) => [f.id, f.globalOffset, f.rows]),
      );
      assert.deepEqual(a.provenance, b.provenance);
      assert.deepEqual(a.featureColumns, b.featureColumns);
      assert.deepEqual(declared.warnings, []);
    });
  });
}
