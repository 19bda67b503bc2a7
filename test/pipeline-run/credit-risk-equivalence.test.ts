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

describe('pipeline runs: the credit-risk pipeline declared as a file equals the hand-written one', function () {
  this.timeout(120_000);
  let dir = '';
  let hand: CreditRiskResult;
  let declared: DeclaredRunResult;
  before(async () => {
    dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-declared-cr-'));
    await generateCreditRisk({ applicants: 3000, seed: 7, outDir: dir });
    const tables = await readCreditRiskTables(creditRiskFiles(dir));
    hand = runCreditRiskTransforms(tables, { mode: 'row', runId: 'hand' });
    const pipeline = loadPipelineSpec(
      path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'credit-risk.yaml'),
    );
    declared = runDeclaredPipeline(
      pipeline,
      new Map([
        ['application', tables.application],
        ['bureau', tables.bureau],
        ['previous', tables.previous],
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
    const oneHot = declared.fitted.categoricals;
    assert.equal(oneHot.kind, 'onehot');
    for (const [col, cats] of Object.entries(hand.recipe.encoder.categories))
      assert.deepEqual(oneHot.columns[col], { categories: cats, other: null }, col);
    assert.deepEqual(declared.fitted.numerics, {
      kind: 'standardize',
      fitOn: 'train rows of split split',
      means: hand.recipe.encoder.means,
      sds: hand.recipe.encoder.sds,
    });
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
