import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { InputError, UsageError } from '../../src/errors.js';
import type { Column } from '../../src/lineage/column.js';
import {
  type ReadSourcesProgress,
  readPipelineSources,
} from '../../src/pipeline-run/read-pipeline-sources.js';
import { loadPipelineSpec, parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { generateCreditRisk } from '../../src/pipelines/credit-risk-generator.js';
import { requireDataset } from '../support/require-dataset.js';

const fixtures = path.join(packageRoot, 'test', 'fixtures', 'pipelines');

/** The numbers of a numeric column (fails on a categorical one). */
function nums(column: Column | undefined): Float64Array {
  assert.ok(column?.kind === 'number', `expected a numeric column, got ${column?.kind}`);
  return column.values;
}

/** The texts of a categorical column, `undefined` for missing (fails on a numeric one). */
function texts(column: Column | undefined): Array<string | undefined> {
  assert.ok(column?.kind === 'category', `expected a categorical column, got ${column?.kind}`);
  return Array.from(column.codes, (c) => (c < 0 ? undefined : column.dictionary[c]));
}

/** Epoch day of a civil date, via Date.UTC (independent of the date-pattern code). */
const epochDay = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;

/** A one-source pipeline over `path` with these `csv` and `columns` lines (YAML flow mappings). */
function onePipeline(file: string, csv: string, columns: string, key = 'id'): string {
  return `format: traceprop.pipeline/1
name: one
sources:
  - name: things
    path: ${file}
    csv: ${csv}
    key: ${key}
    columns: ${columns}
sample: { table: things, key: ${key}, label: "${key} > 0", features: [${key}] }
`;
}

/** Runs `fn` with a fresh temp directory, removed afterwards. */
async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-sources-test-'));
  try {
    return await fn(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/** Rejects with an error of this class and code whose message holds every part. */
async function expectError(
  promise: Promise<unknown>,
  kind: typeof InputError | typeof UsageError,
  code: string,
  parts: string[],
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof kind, `expected a ${kind.name}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const p of parts) assert.ok(err.message.includes(p), `"${err.message}" should include "${p}"`);
    return true;
  });
}

describe('pipeline-run: reading the sources of a pipeline file', () => {
  it('reads the six Berka sources of berka-loans.yaml in declaration order, with declared columns only', async () => {
    const berka = path.dirname(requireDataset('berka_czech_financial/loan.csv'));
    const pipeline = loadPipelineSpec(path.join(fixtures, 'berka-loans.yaml'));
    const events: ReadSourcesProgress[] = [];
    const tables = await readPipelineSources(pipeline, berka, { onProgress: (e) => events.push({ ...e }) });

    // Row counts and sizes from SOURCE.md.
    const expected: Record<string, [rows: number, bytes: number]> = {
      loan: [682, 26354],
      account: [4500, 150855],
      district: [77, 6496],
      disp: [5369, 124346],
      card: [892, 30695],
      order: [6471, 267328],
    };
    assert.deepEqual([...tables.keys()], Object.keys(expected));
    for (const [name, [rows, bytes]] of Object.entries(expected)) {
      const t = tables.get(name)!;
      const source = pipeline.spec.sources.find((s) => s.name === name)!;
      assert.equal(t.table, name);
      assert.equal(t.rows, rows, name);
      assert.equal(t.bytes, bytes, name);
      assert.equal(t.path, path.join(berka, source.path));
      assert.deepEqual([...t.columns.keys()].sort(), Object.keys(source.columns).sort(), name);
      assert.equal(t.keyColumn, source.key);
      assert.equal(t.keys?.length, rows);
      for (const [column, c] of t.columns) assert.deepEqual(c.sources, [`${name}.${column}`]);
    }
    // Progress: one stage per source, in order, each ending with the whole file.
    const stages = [...new Set(events.map((e) => e.stage))];
    assert.deepEqual(
      stages,
      Object.keys(expected).map((n) => `read ${n}`),
    );
    for (const [name, [, bytes]] of Object.entries(expected)) {
      const last = events.filter((e) => e.stage === `read ${name}`).at(-1)!;
      assert.deepEqual([last.done, last.total], [bytes, bytes]);
    }

    const loan = tables.get('loan')!;
    // First line of loan.csv: 5314;1787;930705;96396;12;8033.00;"B"
    assert.equal(loan.keys?.[0], '5314');
    assert.equal(nums(loan.columns.get('loan_id'))[0], 5314);
    assert.equal(nums(loan.columns.get('date'))[0], 8586); // 1993-07-05: 8401 days to 1993, +181 +4
    assert.equal(nums(loan.columns.get('date'))[0], epochDay(1993, 7, 5));
    assert.equal(nums(loan.columns.get('payments'))[0], 8033);
    assert.equal(texts(loan.columns.get('status'))[0], 'B');
    // order.csv: bank_to and account_to are not declared, so not kept.
    const order = tables.get('order')!;
    assert.deepEqual(order.header, ['order_id', 'account_id', 'bank_to', 'account_to', 'amount', 'k_symbol']);
    assert.ok(!order.columns.has('bank_to') && !order.columns.has('account_to'));
    assert.equal(texts(order.columns.get('k_symbol'))[0], 'SIPO');
    assert.equal(nums(order.columns.get('amount'))[1], 3372.7);
    // card.issued: YYMMDD hh:mm:ss; first card 931107 00:00:00.
    const issued = nums(tables.get('card')!.columns.get('issued'));
    assert.equal(issued[0], epochDay(1993, 11, 7));
    assert.ok(issued.every(Number.isFinite));
    // district: `?` declared missing; A2 is a string column, read as a category.
    const district = tables.get('district')!;
    assert.equal(texts(district.columns.get('A2'))[0], 'Hl.m. Praha');
    assert.equal(district.keys?.[68], '69');
    assert.ok(Number.isNaN(nums(district.columns.get('A12'))[68]));
    assert.equal(nums(district.columns.get('A13'))[68], 7.01);
    assert.equal(nums(district.columns.get('A12')).filter(Number.isNaN).length, 1);
  });

  it('reads german.data (space, no header, 21 declared columns) and the Taiwan file of taiwan-credit.json', async () => {
    const german = requireDataset('german_credit/german.data');
    const names = [
      'Status',
      'Duration',
      'CreditHistory',
      'Purpose',
      'CreditAmount',
      'Savings',
      'Employment',
      'InstallmentRate',
      'PersonalStatus',
      'OtherDebtors',
      'ResidenceSince',
      'Property',
      'Age',
      'OtherPlans',
      'Housing',
      'ExistingCredits',
      'Job',
      'Liable',
      'Telephone',
      'Foreign',
      'Label',
    ];
    const integers = new Set([
      'Duration',
      'CreditAmount',
      'InstallmentRate',
      'ResidenceSince',
      'Age',
      'ExistingCredits',
      'Liable',
      'Label',
    ]);
    const columns = names.map(
      (n) => `${n}: ${integers.has(n) ? 'integer' : n === 'Telephone' ? 'string' : 'category'}`,
    );
    const text = `format: traceprop.pipeline/1
name: german
sources:
  - name: credit
    path: german.data
    csv: { delimiter: " ", header: false }
    columns: { ${columns.join(', ')} }
sample: { table: credit, key: Age, label: "Label == 2", features: [Duration, CreditAmount] }
`;
    const tables = await readPipelineSources(parsePipelineSpec(text), path.dirname(german));
    const credit = tables.get('credit')!;
    assert.equal(credit.rows, 1000);
    assert.equal(credit.table, 'credit');
    assert.deepEqual([...credit.columns.keys()], names);
    assert.equal(credit.keyColumn, undefined);
    const lines = fs.readFileSync(german, 'utf8').trim().split('\n');
    for (const [i, line] of lines.entries()) {
      const f = line.split(' ');
      for (const [c, name] of names.entries()) {
        const got = integers.has(name)
          ? nums(credit.columns.get(name))[i]
          : texts(credit.columns.get(name))[i];
        if (got !== (integers.has(name) ? Number(f[c]) : f[c]))
          assert.fail(`row ${i}, ${name}: ${got} vs ${f[c]}`);
      }
    }
    const label = nums(credit.columns.get('Label'));
    assert.deepEqual([label.filter((v) => v === 1).length, label.filter((v) => v === 2).length], [700, 300]);
    assert.equal(texts(credit.columns.get('Telephone'))[0], 'A192');

    const taiwanFile = requireDataset('taiwan_credit_default/UCI_Credit_Card.csv');
    const taiwan = await readPipelineSources(
      loadPipelineSpec(path.join(fixtures, 'taiwan-credit.json')),
      path.dirname(taiwanFile),
    );
    const cards = taiwan.get('cards')!;
    assert.equal(cards.rows, 30000);
    assert.deepEqual(
      [...cards.columns.keys()],
      [
        'ID',
        'LIMIT_BAL',
        'SEX',
        'EDUCATION',
        'AGE',
        'PAY_0',
        'BILL_AMT1',
        'PAY_AMT1',
        'default.payment.next.month',
      ],
    );
    assert.equal(cards.keys?.[29999], '30000');
    assert.equal(nums(cards.columns.get('BILL_AMT1'))[0], 3913);
    assert.equal(texts(cards.columns.get('SEX'))[0], '2');
    const defaulted = nums(cards.columns.get('default.payment.next.month'));
    assert.equal(defaulted.filter((v) => v === 1).length, 6636);
  });

  it('reads the sources of every shipped pipeline (pipelines/*.yaml) as validation declared them, row_key included', async () => {
    await withTempDir(async (generated) => {
      await generateCreditRisk({ applicants: 300, seed: 3, outDir: generated });
      const dataDirs: Record<string, string> = {
        'berka-loans.yaml': path.dirname(requireDataset('berka_czech_financial/loan.csv')),
        'german-credit.yaml': path.dirname(requireDataset('german_credit/german.data')),
        'taiwan-credit.yaml': path.dirname(requireDataset('taiwan_credit_default/UCI_Credit_Card.csv')),
        'credit-risk.yaml': generated,
      };
      assert.deepEqual(
        Object.keys(dataDirs).sort(),
        fs.readdirSync(path.join(packageRoot, 'pipelines')).sort(),
      );
      for (const [file, dataDir] of Object.entries(dataDirs)) {
        const pipeline = loadPipelineSpec(path.join(packageRoot, 'pipelines', file));
        const tables = await readPipelineSources(pipeline, dataDir);
        assert.deepEqual(
          [...tables.keys()],
          pipeline.spec.sources.map((s) => s.name),
          file,
        );
        for (const source of pipeline.spec.sources) {
          const table = tables.get(source.name)!;
          const schema = pipeline.tables.get(source.name)!;
          const where = `${file}: ${source.name}`;
          assert.deepEqual([...table.columns.keys()].sort(), [...schema.keys()].sort(), where);
          for (const [name, column] of schema) {
            assert.equal(
              table.columns.get(name)?.kind,
              column.type === 'string' ? 'category' : 'number',
              `${where}.${name}`,
            );
            assert.deepEqual(table.columns.get(name)?.sources, column.sources, `${where}.${name}`);
          }
          assert.equal(table.keyColumn, source.key, where);
          assert.equal(new Set(table.keys).size, table.rows, `${where}: unique keys`);
        }
      }
    });
    // German credit: no id column, so row_key numbers the lines and is the key.
    const german = loadPipelineSpec(path.join(packageRoot, 'pipelines', 'german-credit.yaml'));
    const source = german.spec.sources[0];
    assert.equal(source.row_key, 'row');
    const table = (
      await readPipelineSources(german, path.dirname(requireDataset('german_credit/german.data')))
    ).get(source.name)!;
    assert.equal(table.rows, 1000);
    assert.equal([...table.columns.keys()][0], 'row');
    assert.deepEqual(
      Array.from(nums(table.columns.get('row'))),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.equal(table.keyColumn, 'row');
    assert.deepEqual(table.keys?.slice(0, 3), ['0', '1', '2']);
    assert.equal(table.keys?.[999], '999');
    assert.deepEqual(table.header.length, 21); // the file's columns; row is not one of them
  });

  it('refuses bad values, ragged rows and undeclared encodings with the file, row, column and value', async () => {
    await withTempDir(async (dir) => {
      const read = (text: string) => readPipelineSources(parsePipelineSpec(text), dir);
      const write = (name: string, data: string | Buffer) => fs.writeFileSync(path.join(dir, name), data);

      write('dates.csv', 'id;day\n1;930705\n2;931305\n');
      await expectError(
        read(
          onePipeline(
            'dates.csv',
            '{ delimiter: ";" }',
            '{ id: integer, day: { type: date, pattern: YYMMDD } }',
          ),
        ),
        InputError,
        'ingest.badDate',
        ['dates.csv: data row 1, column "day": expected a date of the form YYMMDD, got "931305"'],
      );

      write('ints.csv', 'id,n\n1,4\n2,4.5\n');
      await expectError(
        read(onePipeline('ints.csv', '{}', '{ id: integer, n: integer }')),
        InputError,
        'ingest.badInteger',
        ['ints.csv: data row 1, column "n": expected an integer, got "4.5"'],
      );

      write('ragged.data', '1 a\n2 b\n3\n');
      await expectError(
        read(onePipeline('ragged.data', '{ delimiter: " ", header: false }', '{ id: integer, s: string }')),
        InputError,
        'ingest.badCsv',
        ['ragged.data: data row 2, column 1 ("s") and after (line 3): expected 2 fields, got 1'],
      );

      write('flags.csv', 'id,ok\n1,Ja\n2,nein\n3,yes\n');
      const flags = onePipeline(
        'flags.csv',
        '{}',
        '{ id: integer, ok: { type: boolean, true: [ja], false: [nein] } }',
      );
      await expectError(read(flags), InputError, 'ingest.badBoolean', [
        'flags.csv: data row 2, column "ok": expected a boolean (true: ja; false: nein; any case), got "yes"',
      ]);
      write('flags.csv', 'id,ok\n1,Ja\n2,nein\n3,\n');
      assert.deepEqual(Array.from(nums((await read(flags)).get('things')!.columns.get('ok'))), [
        1,
        0,
        Number.NaN,
      ]);

      write('dup.csv', 'id,x\n1,a\n2,b\n1,c\n');
      await expectError(
        read(onePipeline('dup.csv', '{}', '{ id: integer, x: string }')),
        InputError,
        'ingest.duplicateKey',
        ['dup.csv: data row 2, column "id": expected a unique key, got "1" again (first at data row 0)'],
      );
      await expectError(
        read(onePipeline('dup.csv', '{}', '{ id: integer, x: string, y: number }')),
        InputError,
        'ingest.missingColumn',
        ['dup.csv: header row: expected column y, got columns id, x'],
      );
      // `missing` lists every missing text: without "", an empty number is refused.
      write('gaps.csv', 'id,v\n1,?\n2,\n');
      const gaps = (missing: string) =>
        read(onePipeline('gaps.csv', `{ missing: ${missing} }`, '{ id: integer, v: number }'));
      assert.deepEqual(Array.from(nums((await gaps('["", "?"]')).get('things')!.columns.get('v'))), [
        Number.NaN,
        Number.NaN,
      ]);
      await expectError(gaps('["?"]'), InputError, 'ingest.badNumber', [
        'gaps.csv: data row 1, column "v": expected a number, got ""',
      ]);
      await expectError(gaps('[""]'), InputError, 'ingest.badNumber', [
        'data row 0, column "v": expected a number, got "?"',
      ]);

      // Latin-1 bytes: refused as UTF-8 (the default), read with encoding latin1.
      write(
        'people.csv',
        Buffer.concat([Buffer.from('id;name\n1;Ren'), Buffer.from([0xe9]), Buffer.from('\n')]),
      );
      const people = (csv: string) => read(onePipeline('people.csv', csv, '{ id: integer, name: string }'));
      await expectError(people('{ delimiter: ";" }'), InputError, 'ingest.badEncoding', [
        'people.csv: data row 0, column 1 ("name") (line 2, byte offset 13): expected UTF-8 text',
      ]);
      const latin1 = await people('{ delimiter: ";", encoding: latin1 }');
      assert.deepEqual(texts(latin1.get('things')!.columns.get('name')), ['René']);

      // A delimiter the tokenizer cannot use in UTF-8.
      await expectError(people('{ delimiter: "§" }'), UsageError, 'ingest.badDialect', [
        'people.csv: expected the delimiter to be an ASCII character in UTF-8 files, got "§"',
      ]);
    });
  });

  it('reads a column from the first of its header names the file has, under its declared name', async () => {
    await withTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'kaggle.csv'), 'id,TARGET\n1,0\n2,1\n');
      fs.writeFileSync(path.join(dir, 'sample.csv'), 'id,DEFAULTED\n1,1\n2,1\n');
      fs.writeFileSync(path.join(dir, 'both.csv'), 'id,TARGET,DEFAULTED\n1,0,1\n2,0,0\n');
      fs.writeFileSync(path.join(dir, 'neither.csv'), 'id,LABEL\n1,0\n');
      const read = async (file: string, header: string) => {
        const text = onePipeline(file, '{}', `{ id: integer, TARGET: { type: number, header: ${header} } }`);
        return (await readPipelineSources(parsePipelineSpec(text), dir)).get('things')!;
      };
      const kaggle = await read('kaggle.csv', '[TARGET, DEFAULTED]');
      assert.deepEqual(Array.from(nums(kaggle.columns.get('TARGET'))), [0, 1]);
      const sample = await read('sample.csv', '[TARGET, DEFAULTED]');
      assert.deepEqual([...sample.columns.keys()], ['id', 'TARGET']);
      assert.deepEqual(Array.from(nums(sample.columns.get('TARGET'))), [1, 1]);
      assert.deepEqual(sample.columns.get('TARGET')?.sources, ['things.TARGET']);
      assert.deepEqual(sample.header, ['id', 'DEFAULTED'], 'the header is the file header');
      // both present: the first listed wins; the other file column is not read
      assert.deepEqual(
        Array.from(nums((await read('both.csv', '[TARGET, DEFAULTED]')).columns.get('TARGET'))),
        [0, 0],
      );
      const preferDefaulted = await read('both.csv', '[DEFAULTED, TARGET]');
      assert.deepEqual([...preferDefaulted.columns.keys()], ['id', 'TARGET']);
      assert.deepEqual(Array.from(nums(preferDefaulted.columns.get('TARGET'))), [1, 0]);
      await expectError(read('neither.csv', '[TARGET, DEFAULTED]'), InputError, 'ingest.missingColumn', [
        'neither.csv: header row: expected column TARGET under one of the header names TARGET, DEFAULTED, got columns id, LABEL',
      ]);
      // a bad value is reported under the file's header name
      fs.writeFileSync(path.join(dir, 'bad.csv'), 'id,DEFAULTED\n1,yes\n');
      await expectError(read('bad.csv', '[TARGET, DEFAULTED]'), InputError, 'ingest.badNumber', [
        'bad.csv: data row 0, column "DEFAULTED": expected a number, got "yes"',
      ]);
    });
  });

  it('refuses a missing file naming the source and the resolved path, before reading later sources', async () => {
    await withTempDir(async (dir) => {
      fs.writeFileSync(path.join(dir, 'a.csv'), 'id\n1\n');
      const text = `format: traceprop.pipeline/1
name: two
sources:
  - name: first
    path: a.csv
    columns: { id: integer }
  - name: second
    path: sub/missing.csv
    columns: { id: integer }
sample: { table: first, key: id, label: "id > 0", features: [id] }
`;
      const events: string[] = [];
      await expectError(
        readPipelineSources(parsePipelineSpec(text), dir, { onProgress: (e) => events.push(e.stage) }),
        InputError,
        'ingest.missingFile',
        [
          `source "second": ${path.join(dir, 'sub', 'missing.csv')}: file not found`,
          `path "sub/missing.csv" resolved against the data folder ${dir}`,
        ],
      );
      assert.deepEqual(events, ['read first']);
      // A relative data folder resolves against the working directory.
      const relative = path.relative(process.cwd(), dir);
      const tables = await readPipelineSources(
        parsePipelineSpec(text.replace('sub/missing.csv', 'a.csv')),
        relative,
      );
      assert.equal(tables.get('second')?.path, path.join(dir, 'a.csv'));
      assert.deepEqual(Array.from(nums(tables.get('second')?.columns.get('id'))), [1]);
    });
  });
});
