import assert from 'node:assert/strict';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { loadPipelineSpec, parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { PipelineSpecError } from '../../src/pipeline-spec/pipeline-spec-error.js';
import { lineOf, mini, miniPipeline } from './mini-pipeline.js';

const fixtures = path.join(packageRoot, 'test', 'fixtures', 'pipelines');

/** Asserts that parsing `text` fails with `code`, at `line` and `yamlPath`, with a message matching `message`. */
function rejects(
  text: string,
  code: string,
  line: number | undefined,
  yamlPath: string,
  message: RegExp,
): void {
  assert.throws(
    () => parsePipelineSpec(text, 'p.yaml'),
    (err: unknown) => {
      assert.ok(err instanceof PipelineSpecError, `expected a PipelineSpecError, got ${String(err)}`);
      assert.equal(err.code, code, err.message);
      assert.equal(err.location.line, line, err.message);
      assert.equal(err.location.path, yamlPath, err.message);
      assert.equal(err.exitCode, 2);
      assert.match(err.message, new RegExp(`^p\\.yaml${line === undefined ? '' : `:${line}`}: `));
      assert.match(err.message, message);
      return true;
    },
  );
}

describe('pipeline files: loading', () => {
  it('loads the Berka example, orders its steps and resolves the lineage of each feature', () => {
    const p = loadPipelineSpec(path.join(fixtures, 'berka-loans.yaml'));
    assert.equal(p.spec.name, 'berka-loans');
    assert.equal(p.spec.sources.length, 6);
    assert.equal(p.spec.steps.length, 17);
    assert.deepEqual(new Set(p.spec.steps.map((s) => s.kind)).size, 10, 'every step kind once or more');
    const at = (id: string) => p.order.indexOf(id);
    assert.ok(at('orders_per_account') < at('loan_orders') && at('loan_cards') < at('features'));
    assert.equal(p.order.at(-1), 'samples');
    assert.equal(p.label.type, 'boolean');
    assert.deepEqual(p.label.columns, ['status']);
    assert.deepEqual(p.featureSources.account_age_days, ['account.date', 'loan.date']);
    assert.deepEqual(p.featureSources.unemployment, ['district.A12', 'district.A13']);
    assert.deepEqual(p.featureSources.sipo_share, ['order.k_symbol']);
    assert.deepEqual(p.featureSources.frequency, ['account.frequency']);
    assert.equal(p.tables.get('encoded')?.get('frequency')?.onehot, true);
    // join suffixes: the account's `date` collides with the loan's and becomes `date_account`.
    assert.equal(p.tables.get('loan_account')?.get('date_account')?.type, 'date');
    // defaults are filled in
    assert.deepEqual(p.spec.sources[0].csv, {
      delimiter: ';',
      quote: '"',
      header: true,
      encoding: 'utf-8',
      missing: [''],
    });
    assert.deepEqual(p.expressions.map((e) => e.expression.text).slice(0, 3), [
      'amount > 0 and duration in [12, 24, 36, 48, 60]',
      'payments / amount',
      'year(date)',
    ]);
  });

  it('loads a JSON pipeline file (Taiwan credit), dotted column names included', () => {
    const p = loadPipelineSpec(path.join(fixtures, 'taiwan-credit.json'));
    assert.deepEqual(p.order, ['features', 'encoded', 'scaled', 'samples']);
    assert.deepEqual(p.label.columns, ['default.payment.next.month']);
    assert.deepEqual(p.featureSources.paid_share, ['cards.BILL_AMT1', 'cards.PAY_AMT1']);
    assert.deepEqual(p.featureSources.SEX, ['cards.SEX']);
  });

  it('reads JSON too, with line numbers in its errors', () => {
    const json = JSON.stringify(
      {
        format: 'traceprop.pipeline/1',
        name: 'j',
        sources: [{ name: 'a', path: 'a.csv', columns: { id: 'integer', x: 'number' } }],
        sample: { table: 'a', key: 'id', label: 'x > 1', features: ['x'] },
      },
      null,
      2,
    );
    assert.equal(parsePipelineSpec(json, 'p.json').spec.sources[0].name, 'a');
    const bad = json.replace('"x > 1"', '"x >"');
    rejects(bad, 'pipeline.expressionSyntax', lineOf(bad, '"x >"'), 'sample.label', /expression "x >"/);
  });

  it('accepts the mini pipeline (the base of the error cases below)', () => {
    assert.deepEqual(parsePipelineSpec(miniPipeline).order, ['big', 'joined', 'feats']);
  });
});

describe('pipeline files: one clear error per kind (code, line, YAML path, what was expected)', () => {
  it('pipeline.unreadable: a file that does not exist', () => {
    assert.throws(
      () => loadPipelineSpec(path.join(fixtures, 'nope.yaml')),
      (err: unknown) => {
        assert.ok(err instanceof PipelineSpecError);
        assert.equal(err.code, 'pipeline.unreadable');
        assert.match(err.message, /nope\.yaml: file not found \(expected a readable pipeline file\)/);
        return true;
      },
    );
  });

  it('pipeline.badYaml: broken YAML, duplicate keys', () => {
    rejects(
      mini('    kind: filter', '    kind: filter: x'),
      'pipeline.badYaml',
      21,
      '',
      /not valid YAML: Nested mappings are not allowed/,
    );
    rejects(
      mini('name: mini\n', 'name: mini\nname: again\n'),
      'pipeline.badYaml',
      3,
      '',
      /not valid YAML: Map keys must be unique/,
    );
  });

  it('pipeline.badFormat: no format, another version, not a mapping', () => {
    rejects(
      mini('format: traceprop.pipeline/1\n', ''),
      'pipeline.badFormat',
      1,
      '',
      /missing "format: traceprop\.pipeline\/1"/,
    );
    rejects(
      mini('pipeline/1', 'pipeline/2'),
      'pipeline.badFormat',
      1,
      'format',
      /expected format traceprop\.pipeline\/1, got "traceprop\.pipeline\/2"/,
    );
    rejects(
      '- a\n- b\n',
      'pipeline.badFormat',
      1,
      '',
      /expected a mapping with "format: traceprop\.pipeline\/1", got a list of 2/,
    );
  });

  it('pipeline.missingField: a filter without its condition', () => {
    rejects(
      mini('    where: amount > 1000\n', ''),
      'pipeline.missingField',
      20,
      'steps[0].where',
      /missing field \(expected a string\)/,
    );
  });

  it('pipeline.unknownField: a misspelt field, with the fields that are allowed', () => {
    rejects(
      mini('    where: amount', '    wher: amount'),
      'pipeline.unknownField',
      23,
      'steps[0].wher',
      /unknown field "wher"; expected one of id, description, kind, input, where/,
    );
  });

  it('pipeline.invalidValue: unknown step kind, join type, column type, date pattern, delimiter', () => {
    rejects(
      mini('kind: filter', 'kind: filtr'),
      'pipeline.invalidValue',
      21,
      'steps[0].kind',
      /expected kind to be one of filter, derive, join, aggregate, select, drop, onehot, standardize, impute, split, got "filtr"/,
    );
    rejects(
      mini('    cardinality:', '    how: outer\n    cardinality:'),
      'pipeline.invalidValue',
      29,
      'steps[1].how',
      /expected "inner" \| "left", got "outer"/,
    );
    rejects(
      mini('amount: number', 'amount: numbr'),
      'pipeline.invalidValue',
      11,
      'sources[0].columns.amount',
      /expected "number" \| "integer" \| "string" \| "category" \| "boolean" \| "date", got "numbr"/,
    );
    rejects(
      mini('pattern: YYMMDD', 'pattern: YYMMQQ'),
      'pipeline.invalidValue',
      13,
      'sources[0].columns.date.pattern',
      /date pattern "YYMMQQ": unknown letter "Q"/,
    );
    rejects(
      mini('delimiter: ";"', 'delimiter: ";;"'),
      'pipeline.invalidValue',
      6,
      'sources[0].csv.delimiter',
      /expected one character, got ";;"/,
    );
    rejects(
      mini('      date: { type: date, pattern: YYMMDD }', '      date: { type: date }'),
      'pipeline.missingField',
      13,
      'sources[0].columns.date.pattern',
      /missing field/,
    );
  });

  it('pipeline.invalidValue: lists and mappings are named as YAML names them', () => {
    rejects(
      mini('    on: [account_id]', '    on: account_id'),
      'pipeline.invalidValue',
      28,
      'steps[1].on',
      /expected a list, got "account_id"/,
    );
    rejects(
      mini('csv: { delimiter: ";" }', 'csv: ";"'),
      'pipeline.invalidValue',
      6,
      'sources[0].csv',
      /expected a mapping, got ";"/,
    );
  });

  it('pipeline.duplicateId: two steps with one id (or a step named like a source)', () => {
    rejects(
      mini('  - id: feats', '  - id: big'),
      'pipeline.duplicateId',
      30,
      'steps[2].id',
      /duplicate id "big" \(already used at steps\[0\]\)/,
    );
    rejects(
      mini('  - id: big', '  - id: account'),
      'pipeline.duplicateId',
      20,
      'steps[0].id',
      /duplicate id "account" \(already used at sources\[1\]\)/,
    );
  });

  it('pipeline.unknownInput: a step or sample reading what does not exist', () => {
    rejects(
      mini('    right: account', '    right: acount'),
      'pipeline.unknownInput',
      27,
      'steps[1].right',
      /unknown input "acount"; expected a source or step id \(loan, account, big, joined, feats\)/,
    );
    rejects(
      mini('  table: feats', '  table: feat'),
      'pipeline.unknownInput',
      36,
      'sample.table',
      /unknown table "feat"/,
    );
  });

  it('pipeline.cycle: steps that read each other', () => {
    rejects(
      mini('    input: loan\n    where', '    input: feats\n    where'),
      'pipeline.cycle',
      20,
      'steps[0].id',
      /steps form a cycle: big → feats → joined → big/,
    );
    rejects(
      mini('    input: joined', '    input: feats'),
      'pipeline.cycle',
      32,
      'steps[2].input',
      /step "feats" reads its own output/,
    );
  });

  it('pipeline.unknownColumn: in expressions, column lists, join keys, the sample (resolved through the steps)', () => {
    rejects(
      mini('log(amount)', 'log(amount_eur)'),
      'pipeline.unknownColumn',
      34,
      'steps[2].columns.log_amount',
      /expression "log\(amount_eur\)" in "amount_eur": unknown column "amount_eur"; available: loan_id, account_id, amount, status, date, frequency/,
    );
    rejects(
      mini('on: [account_id]', 'on: [account]'),
      'pipeline.unknownColumn',
      28,
      'steps[1].on[0]',
      /unknown column "account"/,
    );
    rejects(
      mini('features: [log_amount]', 'features: [log_amount, amount_k]'),
      'pipeline.unknownColumn',
      39,
      'sample.features[1]',
      /unknown feature column "amount_k" in "feats"/,
    );
    rejects(
      mini('    key: loan_id', '    key: id'),
      'pipeline.unknownColumn',
      7,
      'sources[0].key',
      /key column "id" is not among the declared columns/,
    );
    // a column dropped by a select is gone for the steps after it
    rejects(
      mini(
        '  - id: feats',
        '  - id: slim\n    kind: select\n    input: joined\n    columns: [loan_id, status]\n  - id: feats',
      ).replace('    input: joined\n    columns:\n      log', '    input: slim\n    columns:\n      log'),
      'pipeline.unknownColumn',
      38,
      'steps[3].columns.log_amount',
      /unknown column "amount"; available: loan_id, status$/,
    );
  });

  it('pipeline.expressionType / expressionSyntax / unknownFunction: expressions are type-checked statically', () => {
    rejects(
      mini('where: amount > 1000', "where: amount > '1000'"),
      'pipeline.expressionType',
      23,
      'steps[0].where',
      /operator > expects two numbers or two dates, got number > string/,
    );
    rejects(
      mini('where: amount > 1000', 'where: amount + 1000'),
      'pipeline.expressionType',
      23,
      'steps[0].where',
      /expected a boolean condition, got number from "amount \+ 1000"/,
    );
    rejects(
      mini('log(amount)', 'log(status)'),
      'pipeline.expressionType',
      34,
      'steps[2].columns.log_amount',
      /log\(\) expected a number argument, got string \(log\(x: number\) → number\)/,
    );
    rejects(
      mini("label: status in ['B', 'D']", "label: status in ['B', 1]"),
      'pipeline.expressionType',
      38,
      'sample.label',
      /expected a list of string constants, got 1/,
    );
    rejects(
      mini("label: status in ['B', 'D']", 'label: status'),
      'pipeline.expressionType',
      38,
      'sample.label',
      /expected a boolean or 0\/1 number label, got string/,
    );
    rejects(
      mini('where: amount > 1000', 'where: amount >'),
      'pipeline.expressionSyntax',
      23,
      'steps[0].where',
      /expression "amount >": Expected expression after >/,
    );
    rejects(
      mini('log(amount)', 'ln(amount)'),
      'pipeline.unknownFunction',
      34,
      'steps[2].columns.log_amount',
      /unknown function ln\(\) \(known: is_null, is_not_null, coalesce, if, log/,
    );
  });

  it('pipeline.columnType: onehot of a number, a string feature, join keys of two types', () => {
    rejects(
      mini('sample:', '  - id: enc\n    kind: onehot\n    input: feats\n    columns: [amount]\nsample:'),
      'pipeline.columnType',
      38,
      'steps[3].columns[0]',
      /column "amount": expected string \(onehot encodes string columns\), got number/,
    );
    rejects(
      mini('features: [log_amount]', 'features: [log_amount, status]'),
      'pipeline.columnType',
      39,
      'sample.features[1]',
      /feature "status": expected a number, boolean or one-hot encoded column, got string \(encode it with an onehot step\)/,
    );
    rejects(
      mini('      account_id: integer\n      frequency', '      account_id: string\n      frequency'),
      'pipeline.columnType',
      28,
      'steps[1].on[0]',
      /join keys "account_id" \(number\) and "account_id" \(string\): expected the same type on both sides/,
    );
  });

  it('pipeline.columnCollision: a suffixed right column that still collides', () => {
    const text = mini('      frequency: category', '      frequency: category\n      amount: number').replace(
      '      amount: number\n      status',
      '      amount: number\n      amount_right: number\n      status',
    );
    // the suffix is the default, so the error points at the join step
    rejects(
      text,
      'pipeline.columnCollision',
      lineOf(text, '  - id: joined'),
      'steps[1].suffix',
      /right column "amount" would become "amount_right", which the left side already has; expected another suffix/,
    );
  });

  it("row_key: a source gets a number column holding each row's 0-based data row, usable as the sample key", () => {
    const text = mini(
      '    key: loan_id\n    columns:',
      '    row_key: row\n    key: row\n    columns:',
    ).replace('  key: loan_id\n  label', '  key: row\n  label');
    const p = parsePipelineSpec(text, 'p.yaml');
    assert.equal(p.spec.sources[0].row_key, 'row');
    assert.deepEqual(p.tables.get('loan')?.get('row'), { type: 'number', sources: ['loan.row'] });
    assert.deepEqual([...(p.tables.get('loan')?.keys() ?? [])].slice(0, 2), ['row', 'loan_id']);
    // it flows through the steps like any column and can be the sample key
    assert.equal(p.tables.get('feats')?.get('row')?.type, 'number');
    assert.equal(p.spec.sample.key, 'row');
    // expressions can read it
    const parity = parsePipelineSpec(
      text.replace('log_amount: log(amount)', 'log_amount: row % 2'),
      'p.yaml',
    );
    assert.deepEqual(parity.featureSources.log_amount, ['loan.row']);
  });

  it('header: a column may list the header names it is read from; each name belongs to one column, and needs a header row', () => {
    const ok = parsePipelineSpec(
      mini('      status: category', '      status: { type: category, header: [status, loan_status] }'),
      'p.yaml',
    );
    assert.deepEqual(ok.spec.sources[0].columns.status, {
      type: 'category',
      header: ['status', 'loan_status'],
    });
    assert.deepEqual(ok.tables.get('loan')?.get('status'), { type: 'string', sources: ['loan.status'] });
    const twice = mini('      status: category', '      status: { type: category, header: [amount] }');
    rejects(
      twice,
      'pipeline.columnCollision',
      lineOf(twice, '      status:'),
      'sources[0].columns.status.header',
      /columns "amount" and "status" could both be read from the file column "amount"; expected each header name to belong to one column/,
    );
    const noHeaderRow = mini(
      '    csv: { delimiter: ";" }\n    key: loan_id\n    columns:\n      loan_id: integer',
      '    csv: { delimiter: ";", header: false }\n    key: loan_id\n    columns:\n      loan_id: { type: integer, header: [id] }',
    );
    rejects(
      noHeaderRow,
      'pipeline.invalidValue',
      lineOf(noHeaderRow, '      loan_id: {'),
      'sources[0].columns.loan_id.header',
      /column "loan_id" lists header names, but the file has no header row \(csv\.header: false\)/,
    );
  });

  it('pipeline.columnCollision: a row_key named like a declared column', () => {
    const text = mini('    key: loan_id\n    columns:', '    row_key: amount\n    columns:');
    rejects(
      text,
      'pipeline.columnCollision',
      lineOf(text, 'amount\n    columns:'),
      'sources[0].row_key',
      /row_key "amount" is also a declared column; expected a name the file does not use/,
    );
  });
});
