import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { PipelineExplanation } from '../../src/pipeline-spec/explain-pipeline.js';
import { runTraceprop } from '../support/cli.js';
import { requireDataset } from '../support/require-dataset.js';
import { mini } from './mini-pipeline.js';

const shippedBerka = path.join(packageRoot, 'pipelines', 'berka-loans.yaml');
const fixtureBerka = path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'berka-loans.yaml');
const berkaFiles = ['loan', 'account', 'district', 'disp', 'client', 'card', 'order'];

describe('traceprop pipeline explain', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-explain-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('--json: the files read, the step DAG in run order and the source columns of each feature (Berka)', async () => {
    const data = path.dirname(requireDataset('berka_czech_financial/loan.csv'));
    const r = await runTraceprop(['pipeline', 'explain', shippedBerka, '--data', data, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const e = r.json<PipelineExplanation>();
    assert.deepEqual(Object.keys(e), [
      'pipeline',
      'format',
      'description',
      'file',
      'dataDir',
      'sources',
      'steps',
      'sample',
      'features',
      'missingFiles',
    ]);
    assert.equal(e.pipeline, 'berka-loans');
    assert.equal(e.dataDir, data);
    // every source file resolved against --data, all present, all feeding the sample
    assert.deepEqual(
      e.sources.map((s) => [s.name, s.file, s.exists, s.feedsSample]),
      berkaFiles.map((n) => [n, path.join(data, `${n}.csv`), true, true]),
    );
    assert.deepEqual(e.missingFiles, []);
    assert.deepEqual(
      e.sources.find((s) => s.name === 'client'),
      {
        name: 'client',
        path: 'client.csv',
        file: path.join(data, 'client.csv'),
        exists: true,
        columns: ['client_id', 'birth_number'],
        key: 'client_id',
        rowKey: null,
        feedsSample: true,
      },
    );

    // the DAG: run order puts each step after its inputs, ending at the sample table
    const ids = e.steps.map((s) => s.id);
    const at = (id: string) => ids.indexOf(id);
    for (const s of e.steps)
      for (const input of s.inputs)
        if (ids.includes(input)) assert.ok(at(input) < at(s.id), `${input} runs before ${s.id}`);
    assert.equal(ids.at(-1), e.sample.table);
    assert.equal(ids.length, 18);
    assert.ok(at('split') < at('filled') && at('filled') < at('encoded') && at('encoded') < at('scaled'));
    assert.deepEqual(
      e.steps.map((s) => s.kind).filter((k) => k === 'filter'),
      [],
      'no filter drops rows of the lineage',
    );
    assert.deepEqual(e.steps[at('loan_district')], {
      id: 'loan_district',
      kind: 'join',
      inputs: ['loan_account', 'district'],
      summary: 'left join loan_account with district on district_id = A1 (many-to-one, suffix _right)',
      feedsSample: true,
    });
    assert.equal(
      e.steps[at('people_per_account')].summary,
      'one row per account_id: n_people = count(), n_disponents = sum(is_disponent), owner_birth = min(owner_birth), owner_female = max(owner_female)',
    );
    assert.match(
      e.steps[at('encoded')].summary,
      /one-hot encode frequency, A3 .*; fitted on the train rows\)$/,
    );
    assert.deepEqual(e.sample, {
      table: 'scaled',
      key: 'loan_id',
      label: "status in ['B', 'D']",
      labelType: 'boolean',
      features: e.features.map((f) => f.name),
    });

    // column lineage of features, resolved through joins, aggregates and derives
    const lineage = Object.fromEntries(e.features.map((f) => [f.name, f.sources]));
    assert.deepEqual(lineage.owner_age, ['client.birth_number', 'disp.type', 'loan.date']);
    assert.deepEqual(lineage.owner_female, ['client.birth_number', 'disp.type']);
    assert.deepEqual(lineage.best_card, ['card.type']);
    assert.deepEqual(lineage.has_card, ['disp.account_id']);
    assert.deepEqual(lineage.sipo_amount, ['order.amount', 'order.k_symbol']);
    assert.deepEqual(lineage.crimes_per_1000, ['district.A15', 'district.A16', 'district.A4']);
    assert.deepEqual(lineage.account_age_days, ['account.date', 'loan.date']);
    assert.deepEqual(
      e.features.filter((f) => f.onehot).map((f) => [f.name, f.sources]),
      [
        ['frequency', ['account.frequency']],
        ['A3', ['district.A3']],
      ],
    );
  });

  it('resolves paths against the pipeline file folder by default and marks missing files', async () => {
    const copy = path.join(dir, 'berka.yaml');
    fs.copyFileSync(shippedBerka, copy);
    fs.writeFileSync(path.join(dir, 'loan.csv'), 'loan_id\n');
    const r = await runTraceprop(['pipeline', 'explain', copy, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const e = r.json<PipelineExplanation>();
    assert.equal(e.dataDir, dir);
    assert.deepEqual(
      e.sources.map((s) => [s.name, s.exists]),
      berkaFiles.map((n) => [n, n === 'loan']),
    );
    assert.deepEqual(
      e.missingFiles,
      berkaFiles.filter((n) => n !== 'loan').map((n) => path.join(dir, `${n}.csv`)),
    );

    const text = await runTraceprop(['pipeline', 'explain', copy]);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.equal(lines[0], `pipeline berka-loans (traceprop.pipeline/1): ${e.description}`);
    assert.equal(lines[1], `data folder ${dir}`);
    assert.ok(lines.some((l) => /^ {2}loan {6}\S+loan\.csv {2}found \(7 columns, key loan_id\)$/.test(l)));
    assert.ok(
      lines.some((l) => /^ {2}order {5}\S+order\.csv {2}MISSING \(4 columns, key order_id\)$/.test(l)),
    );
    assert.ok(
      lines.includes(
        '   1. disp_client         join         ← disp, client: left join disp with client on client_id (many-to-one, suffix _right)',
      ),
    );
    assert.ok(lines.some((l) => /^ {2}owner_age +← client\.birth_number, disp\.type, loan\.date$/.test(l)));
    assert.ok(lines.some((l) => /^ {2}frequency \(one-hot\) +← account\.frequency$/.test(l)));
    assert.equal(
      lines.at(-2),
      `6 of 7 source files missing under ${dir} (pass --data DIR to read them from elsewhere)`,
    );
  });

  it('says when a fitted step comes before any split, and which steps and sources do not feed the sample', async () => {
    const r = await runTraceprop(['pipeline', 'explain', fixtureBerka, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const e = r.json<PipelineExplanation>();
    const step = (id: string) => e.steps.find((s) => s.id === id)!;
    assert.equal(
      step('encoded').summary,
      'one-hot encode frequency, size (the 5 most frequent values, others in "other"; fitted before any split step)',
    );
    assert.equal(
      step('filled').summary,
      'fill missing unemployment, A11 with the median (fitted before any split step)',
    );
    assert.equal(step('no_orders').summary, 'fill missing n_orders with the constant 0');

    const file = path.join(dir, 'spare.yaml');
    fs.writeFileSync(
      file,
      mini(
        'sample:',
        '  - id: spare\n    kind: derive\n    input: account\n    columns:\n      n: "1"\nsample:',
      ).replace(
        '  - name: account\n',
        '  - name: extra\n    path: extra.csv\n    columns: { a: number }\n  - name: account\n',
      ),
    );
    const s = (await runTraceprop(['pipeline', 'explain', file, '--json'])).ok().json<PipelineExplanation>();
    assert.deepEqual(
      s.steps.map((x) => [x.id, x.feedsSample]),
      [
        ['big', true],
        ['joined', true],
        ['feats', true],
        ['spare', false],
      ],
    );
    assert.deepEqual(
      s.sources.map((x) => [x.name, x.feedsSample]),
      [
        ['loan', true],
        ['extra', false],
        ['account', true],
      ],
    );
  });

  it('a bad file fails like validate: one located error, exit 2, nothing on stdout', async () => {
    const file = path.join(dir, 'bad.yaml');
    fs.writeFileSync(file, mini('log(amount)', 'log(status)'));
    const explain = await runTraceprop(['pipeline', 'explain', file, '--data', dir]);
    const validate = await runTraceprop(['pipeline', 'validate', file]);
    assert.equal(explain.code, 2);
    assert.equal(explain.stdout, '');
    assert.equal(explain.errorCode(), 'pipeline.expressionType');
    assert.match(
      explain.stderr,
      /bad\.yaml:\d+: steps\[2\]\.columns\.log_amount: expression "log\(status\)"/,
    );
    assert.equal(explain.stderr, validate.stderr);
    const missing = await runTraceprop(['pipeline', 'explain', path.join(dir, 'none.yaml')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.errorCode(), 'pipeline.unreadable');
  });
});
