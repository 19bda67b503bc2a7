import assert from 'node:assert/strict';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import type { DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { withTempDir } from '../lineage/helpers.js';
import { type BankTables, expectedLoanRows, randomBank, smallBank } from './bank-data.js';
import { provenanceOf, readSources, values, writeCsvFiles } from './helpers.js';

const pipeline = loadPipelineSpec(path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'bank-chain.yaml'));

async function tablesOf(data: BankTables): Promise<Map<string, CsvTable>> {
  return withTempDir(async (dir) => {
    writeCsvFiles(dir, data);
    return readSources(pipeline, dir);
  });
}

/** Each sample's provenance equals the plain-loop expectation. */
function checkProvenance(r: DeclaredRunResult, data: BankTables): void {
  const want = expectedLoanRows(data);
  assert.equal(r.keys.length, data.loan.loan_id.length, 'one sample per loan');
  r.keys.forEach((k, i) => {
    assert.deepEqual(provenanceOf(r.frame, i), want.get(k), `loan ${k}`);
  });
}

describe('pipeline runs: a multi-table pipeline file (card → disp → account → loan)', () => {
  let small: Map<string, CsvTable>;
  let random: Map<string, CsvTable>;
  const randomData = randomBank(11);
  before(async () => {
    small = await tablesOf(smallBank);
    random = await tablesOf(randomData);
  });

  it('a card reaches its loan only through its disposition: each sample derives from exactly its rows', () => {
    const r = runDeclaredPipeline(pipeline, small, { mode: 'row', runId: 'small' });
    // worked out by hand: loan 50 (account 1) has cards 7, 8, 10 through dispositions 100 and 101
    assert.deepEqual(provenanceOf(r.frame, 0), [
      'account:0',
      'card:0',
      'card:1',
      'card:3',
      'disp:0',
      'disp:1',
      'loan:0',
    ]);
    assert.deepEqual(provenanceOf(r.frame, 1), ['account:1', 'loan:1'], 'disposition 102 has no card');
    assert.deepEqual(provenanceOf(r.frame, 2), ['account:2', 'card:2', 'disp:3', 'loan:2']);
    assert.deepEqual(provenanceOf(r.frame, 3), ['loan:3'], 'account 5 does not exist');
    checkProvenance(r, smallBank);
    assert.deepEqual(values(r.frame, 'n_cards'), [3, 0, 1, 0, 0, 3, 0, 1]);
    assert.deepEqual(values(r.frame, 'has_card'), [1, 0, 1, 0, 0, 1, 0, 1]);
    assert.deepEqual(values(r.frame, 'gold_share'), [
      1 / 3,
      Number.NaN,
      1,
      Number.NaN,
      Number.NaN,
      1 / 3,
      Number.NaN,
      1,
    ]);
    assert.deepEqual(values(r.frame, 'first_type'), ['gold', null, 'gold', null, null, 'gold', null, 'gold']);
    assert.deepEqual([...r.labels], [0, 1, 1, 0, 0, 1, 0, 0]);
    // the run's provenance (sets of global ids per sample) is the frame's
    const run = r.lineage!;
    for (let i = 0; i < r.keys.length; i++) {
      const got = [
        ...run.provenance!.rowIds.subarray(run.provenance!.offsets[i], run.provenance!.offsets[i + 1]),
      ];
      assert.deepEqual(
        got,
        [...new Set(r.frame.sourceRows(i))].sort((a, b) => a - b),
      );
    }
  });

  it('on random data too (cards out of disposition order, loans of unknown accounts)', () => {
    const r = runDeclaredPipeline(pipeline, random, { mode: 'row' });
    checkProvenance(r, randomData);
    assert.ok(r.keys.some((_, i) => provenanceOf(r.frame, i).some((x) => x.startsWith('card:'))));
  });

  it('every op of a step carries the step id and a readable name; loads carry none', () => {
    const r = runDeclaredPipeline(pipeline, small, { mode: 'op' });
    const ops = r.lineage!.ops;
    const loads = ops.filter((o) => o.kind === 'load');
    assert.equal(loads.length, 4);
    assert.ok(loads.every((o) => o.step === undefined));
    const stepIds = pipeline.spec.steps.map((s) => s.id);
    for (const o of ops.filter((x) => x.kind !== 'load')) {
      assert.ok(o.step !== undefined && stepIds.includes(o.step), `${o.name}: step ${o.step}`);
      assert.ok(o.name.startsWith(`${o.step}: `), o.name);
    }
    const byStep = (id: string) => ops.filter((o) => o.step === id).map((o) => o.kind);
    assert.deepEqual(byStep('cards_with_owner'), ['join']);
    assert.deepEqual(byStep('cards_per_account'), ['derive', 'aggregate']);
    assert.deepEqual(byStep('samples'), ['split']);
    assert.deepEqual(byStep('filled'), ['impute']);
    assert.deepEqual(byStep('encoded'), ['encode']);
    assert.equal(ops.find((o) => o.step === 'features')!.name, 'features: card features of each loan');
    assert.equal(
      ops.find((o) => o.step === 'loan_account')!.name,
      'loan_account: join loan ⟕ account on account_id',
    );
    // the ops form one DAG: each step op reads the ops of its inputs
    const join = ops.find((o) => o.step === 'loan_cards')!;
    assert.deepEqual(join.inputs, [
      ops.find((o) => o.step === 'loan_account')!.id,
      ops.find((o) => o.step === 'cards_per_account' && o.kind === 'aggregate')!.id,
    ]);
  });

  it('modes none, op and row give the same samples, matrix and fitted state', () => {
    const runs = (['none', 'op', 'row'] as const).map((mode) =>
      runDeclaredPipeline(pipeline, random, { mode, runId: 'same' }),
    );
    const [none, op, row] = runs;
    assert.equal(none.lineage, undefined);
    assert.equal(op.lineage!.provenance, undefined);
    for (const r of [op, row]) {
      assert.deepEqual(r.featureNames, none.featureNames);
      assert.deepEqual(r.matrix.data, none.matrix.data);
      assert.deepEqual(r.keys, none.keys);
      assert.deepEqual(r.labels, none.labels);
      assert.deepEqual(r.split, none.split);
      assert.deepEqual(r.fitted, none.fitted);
      assert.deepEqual(r.warnings, none.warnings);
    }
    assert.deepEqual(op.lineage!.ops, row.lineage!.ops);
  });

  it('fitting steps below the split fit on its train rows only', () => {
    const r = runDeclaredPipeline(pipeline, random, { mode: 'none' });
    const d = randomData;
    const accountRow = new Map(d.account.account_id.map((a, i) => [a, i]));
    // samples are the loans in file order (left joins keep the left rows)
    assert.deepEqual(r.keys, d.loan.loan_id.map(String));
    const train = r.keys.map((_, i) => r.split[i] === 0);
    const incomes = d.loan.account_id
      .map((a, i) => (train[i] ? d.account.income[accountRow.get(a) ?? -1] : Number.NaN))
      .filter((v) => v !== undefined && !Number.isNaN(v))
      .sort((a, b) => a - b);
    const n = incomes.length;
    const median = n % 2 === 1 ? incomes[(n - 1) / 2] : (incomes[n / 2 - 1] + incomes[n / 2]) / 2;
    assert.deepEqual(r.fitted.filled, {
      kind: 'impute',
      fitOn: 'train rows of split samples',
      strategy: 'median',
      values: { income: median },
    });
    const regions = new Map<string, number>();
    d.loan.account_id.forEach((a, i) => {
      const row = accountRow.get(a);
      if (train[i] && row !== undefined)
        regions.set(d.account.region[row], (regions.get(d.account.region[row]) ?? 0) + 1);
    });
    const top = [...regions]
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .slice(0, 2)
      .map(([k]) => k);
    assert.deepEqual(r.fitted.encoded, {
      kind: 'onehot',
      fitOn: 'train rows of split samples',
      columns: { region: { categories: top, other: 'rest' } },
    });
    const logs = d.loan.amount.filter((_, i) => train[i]).map(Math.log);
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const st = r.fitted.scaled as { means: Record<string, number> };
    assert.ok(Math.abs(st.means.log_amount - mean) < 1e-12);
    assert.deepEqual(r.featureNames, [
      'log_amount',
      'income',
      `region=${top[0]}`,
      `region=${top[1]}`,
      'region=rest',
      'has_card',
      'n_cards',
      'gold_share',
    ]);
    // stratified: both label classes are split 75/25
    for (const cls of [0, 1]) {
      const members = [...r.labels].map((y, i) => (y === cls ? i : -1)).filter((i) => i >= 0);
      const test = members.filter((i) => r.split[i] === 1).length;
      assert.equal(test, Math.round(0.25 * members.length), `class ${cls}`);
    }
    assert.ok(r.warnings.some((w) => /^feature "gold_share" is missing for \d+ of 150 samples/.test(w)));
  });
});
