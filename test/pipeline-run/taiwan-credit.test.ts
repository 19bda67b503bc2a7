import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import type { DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { requireDataset } from '../support/require-dataset.js';
import { matrixColumn, readSources } from './helpers.js';

const pipeline = loadPipelineSpec(
  path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'taiwan-credit.json'),
);

describe('pipeline runs: the Taiwan credit pipeline file on the real CSV', function () {
  this.timeout(120_000);
  const csv = requireDataset('taiwan_credit_default/UCI_Credit_Card.csv');
  let tables: Map<string, CsvTable>;
  let row: DeclaredRunResult;
  /** The file read independently: header and numeric rows. */
  let header: string[];
  let rows: number[][];
  before(async () => {
    tables = await readSources(pipeline, path.dirname(csv));
    row = runDeclaredPipeline(pipeline, tables, { mode: 'row' });
    const lines = fs.readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
    rows = lines.slice(1).map((l) => l.split(',').map(Number));
  });

  it('one sample per row, each deriving from exactly its own row; derived features as computed from the text', () => {
    assert.equal(row.keys.length, 30000);
    const col = (name: string) => header.indexOf(name);
    const off = row.lineage!.files[0].globalOffset;
    const j = (f: string) => row.featureNames.indexOf(f);
    const paid = matrixColumn(row.matrix, j('paid_share'));
    const late = matrixColumn(row.matrix, j('late'));
    for (let i = 0; i < rows.length; i += 997) {
      const r = rows[i];
      assert.equal(row.keys[i], String(r[col('ID')]));
      assert.deepEqual([...row.frame.sourceRows(i)], [off + i]);
      assert.equal(row.labels[i], r[col('default.payment.next.month')]);
      const want = Math.min(1, Math.max(0, r[col('PAY_AMT1')] / Math.max(r[col('BILL_AMT1')], 1)));
      assert.equal(paid[i], want, `row ${i}`);
      assert.equal(late[i], r[col('PAY_0')] >= 2 ? 1 : 0);
    }
    // SEX is 1 or 2: two indicators, most frequent first
    assert.deepEqual(
      row.featureNames.filter((f) => f.startsWith('SEX=')),
      ['SEX=2', 'SEX=1'],
    );
    // the split comes after the encoders in this file: they fit on all rows (mean 0 over all)
    assert.equal(row.fitted.scaled.fitOn, 'all rows');
    assert.equal(row.fitted.encoded.fitOn, 'all rows');
    const limit = matrixColumn(row.matrix, j('LIMIT_BAL'));
    assert.ok(Math.abs(limit.reduce((a, b) => a + b, 0) / limit.length) < 1e-9);
    assert.equal(
      row.split.reduce((a, b) => a + b, 0),
      6000,
    );
  });

  it('mode none gives the same matrix without any lineage', () => {
    const none = runDeclaredPipeline(pipeline, tables, { mode: 'none' });
    assert.equal(none.lineage, undefined);
    assert.deepEqual(none.matrix.data, row.matrix.data);
    assert.deepEqual(none.split, row.split);
    assert.deepEqual(none.fitted, row.fitted);
  });
});
