import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { runTraceprop } from '../support/cli.js';
import { lineOf, mini } from './mini-pipeline.js';

const berka = path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'berka-loans.yaml');

describe('traceprop pipeline validate', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-pipeline-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prints a short summary of a valid file and exits 0', async () => {
    const r = await runTraceprop(['pipeline', 'validate', berka]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pipeline berka-loans \(traceprop\.pipeline\/1\) is valid/);
    assert.match(r.stdout, /sources {3}6: loan, account, district, disp, card, order/);
    assert.match(r.stdout, /steps {5}17: loans_ok \(filter\), loan_terms \(derive\)/);
    assert.match(r.stdout, /sample {4}table samples, key loan_id, label status in \['B', 'D'\]/);
    assert.match(r.stdout, /features {2}12: log_amount, payment_share/);
    assert.equal(r.stderr, '');
  });

  it('--json gives one document: sources, steps in run order, sample, and the source columns of each feature', async () => {
    const r = await runTraceprop(['pipeline', 'validate', berka, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const j = r.json<{
      name: string;
      sources: { name: string; key?: string }[];
      steps: { id: string; kind: string; inputs: string[] }[];
      sample: { labelType: string };
      features: Record<string, string[]>;
    }>();
    assert.equal(j.name, 'berka-loans');
    assert.deepEqual(j.sources[0], { name: 'loan', path: 'loan.csv', columns: 7, key: 'loan_id' });
    assert.deepEqual(
      j.steps.find((s) => s.id === 'loan_district'),
      { id: 'loan_district', kind: 'join', inputs: ['loan_account', 'district'] },
    );
    assert.equal(j.sample.labelType, 'boolean');
    assert.deepEqual(j.features.payment_share, ['loan.amount', 'loan.payments']);
  });

  it('exits 2 with one error naming the file, line, YAML path and what was expected', async () => {
    const text = mini('log(amount)', 'log(amount) + status');
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, text);
    const r = await runTraceprop(['pipeline', 'validate', file]);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(
      r.stderr.trim(),
      `error [pipeline.expressionType]: ${file}:${lineOf(text, 'log(amount) + status')}: steps[2].columns.log_amount: expression "log(amount) + status": operator + expects numbers (or a date and a number of days), got number + string`,
    );
    const missing = await runTraceprop(['pipeline', 'validate', path.join(dir, 'none.yaml')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /error \[pipeline\.unreadable\]: .*none\.yaml: file not found/);
  });
});
