import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../../src/errors.js';
import { compileDatePattern } from '../../src/expressions/date-pattern.js';
import type { Column } from '../../src/lineage/column.js';
import { type CsvColumnType, readCsv } from '../../src/lineage/read-csv.js';
import { requireDataset } from '../support/require-dataset.js';
import { withTempDir } from './helpers.js';

/** Rejects with an error of this class and code whose message holds every part. */
async function expectError(
  promise: Promise<unknown>,
  kind: typeof InputError | typeof UsageError,
  code: string,
  parts: Array<string | RegExp>,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof kind, `expected a ${kind.name}, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    for (const p of parts) {
      if (typeof p === 'string') assert.ok(err.message.includes(p), `"${err.message}" should include "${p}"`);
      else assert.match(err.message, p);
    }
    return true;
  });
}

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

const yymmdd: CsvColumnType = { type: 'date', pattern: 'YYMMDD', parse: compileDatePattern('YYMMDD') };

/** The data lines of a `;`-separated Berka file, split, quotes removed (an independent reader). */
function berkaRows(file: string): string[][] {
  const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((l) => l.split(';').map((f) => f.replace(/^"|"$/g, '')));
}

const germanColumns = [
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
const germanIntegers = [1, 4, 7, 10, 12, 15, 17, 20];

describe('lineage: readCsv dialects and column types on the real data sets', () => {
  it('reads Berka loan.csv (`;`, quoted strings, YYMMDD dates) with integer, number, date and category columns', async () => {
    const file = requireDataset('berka_czech_financial/loan.csv');
    const t = await readCsv(file, {
      delimiter: ';',
      keyColumn: 'loan_id',
      types: {
        loan_id: 'integer',
        account_id: 'integer',
        date: yymmdd,
        amount: 'number',
        duration: 'integer',
        payments: 'number',
        status: 'category',
      },
    });
    assert.equal(t.rows, 682); // SOURCE.md
    assert.equal(t.sha256, '0cf9fbe7ec2ebb7a2547243d9af5f63f8c064e8f9982917cc000292bcee1fa1e');
    assert.deepEqual(t.header, ['loan_id', 'account_id', 'date', 'amount', 'duration', 'payments', 'status']);
    // First line: 5314;1787;930705;96396;12;8033.00;"B"
    assert.equal(nums(t.columns.get('loan_id'))[0], 5314);
    assert.equal(t.keys?.[0], '5314');
    // 1993-07-05 by hand: 23 years 1970–1992 with 6 leap days = 8401 days, then
    // Jan–Jun 1993 = 31+28+31+30+31+30 = 181 days, plus 4 = 8586.
    assert.equal(nums(t.columns.get('date'))[0], 8586);
    assert.equal(epochDay(1993, 7, 5), 8586);
    assert.equal(nums(t.columns.get('amount'))[0], 96396);
    assert.equal(nums(t.columns.get('payments'))[0], 8033);
    const status = texts(t.columns.get('status'));
    const counts = Object.fromEntries(
      ['A', 'B', 'C', 'D'].map((s) => [s, status.filter((x) => x === s).length]),
    );
    assert.deepEqual(counts, { A: 203, B: 31, C: 403, D: 45 }); // SOURCE.md
    // Every row against an independent split of the file.
    const rows = berkaRows(file);
    const date = nums(t.columns.get('date'));
    const duration = nums(t.columns.get('duration'));
    const payments = nums(t.columns.get('payments'));
    rows.forEach((r, i) => {
      const [yy, mm, dd] = [r[2].slice(0, 2), r[2].slice(2, 4), r[2].slice(4, 6)].map(Number);
      assert.equal(date[i], epochDay(1900 + yy, mm, dd), `row ${i}: ${r[2]}`);
      assert.equal(duration[i], Number(r[4]));
      assert.equal(payments[i], Number(r[5]));
      assert.equal(status[i], r[6]);
    });
    assert.equal(t.columns.get('loan_id')?.sources[0], 'loan.loan_id');
  });

  it('reads card.issued (`YYMMDD hh:mm:ss`) and district.csv with `?` as a missing value in A12 and A15', async () => {
    const card = await readCsv(requireDataset('berka_czech_financial/card.csv'), {
      delimiter: ';',
      types: {
        issued: {
          type: 'date',
          pattern: 'YYMMDD hh:mm:ss',
          parse: compileDatePattern('YYMMDD hh:mm:ss'),
        },
      },
      extraColumns: 'drop',
    });
    assert.equal(card.rows, 892);
    assert.deepEqual([...card.columns.keys()], ['issued']);
    const issued = nums(card.columns.get('issued'));
    assert.equal(issued[0], epochDay(1993, 11, 7)); // 931107 00:00:00
    assert.equal(issued[0], 8401 + 304 + 6); // by hand: 1993 up to November = 304 days
    assert.ok(
      issued.every((d) => Number.isInteger(d) && d >= epochDay(1993, 1, 1) && d < epochDay(1999, 1, 1)),
    );

    const districtFile = requireDataset('berka_czech_financial/district.csv');
    const types = { A1: 'integer', A2: 'category', A12: 'number', A13: 'number', A15: 'integer' } as const;
    const district = await readCsv(districtFile, {
      delimiter: ';',
      types,
      naValues: ['?'],
      extraColumns: 'drop',
    });
    assert.equal(district.rows, 77);
    const a12 = nums(district.columns.get('A12'));
    const a15 = nums(district.columns.get('A15'));
    // Line 70: 69;"Jesenik";"north Moravia";42821;4;13;5;1;3;48.4;8173;?;7.01;124;?;1358
    assert.equal(nums(district.columns.get('A1'))[68], 69);
    assert.equal(texts(district.columns.get('A2'))[68], 'Jesenik');
    assert.ok(Number.isNaN(a12[68]) && Number.isNaN(a15[68]));
    assert.equal(nums(district.columns.get('A13'))[68], 7.01);
    assert.equal(a12.filter(Number.isNaN).length, 1);
    assert.equal(a15.filter(Number.isNaN).length, 1);
    assert.equal(a12[0], 0.29);
    assert.equal(a15[0], 85677);
    // Without `?` declared missing, the value is refused with its place.
    await expectError(readCsv(districtFile, { delimiter: ';', types }), InputError, 'ingest.badNumber', [
      'district.csv: data row 68, column "A12": expected a number, got "?"',
    ]);
    await expectError(
      readCsv(districtFile, { delimiter: ';', types: { A15: 'integer' } }),
      InputError,
      'ingest.badInteger',
      ['district.csv: data row 68, column "A15": expected an integer, got "?"'],
    );
  });

  it('reads german.data: space-separated, no header, 21 declared columns', async () => {
    const file = requireDataset('german_credit/german.data');
    const types: Record<string, CsvColumnType> = {};
    germanColumns.forEach((c, i) => {
      types[c] = germanIntegers.includes(i) || i === 20 ? 'integer' : 'category';
    });
    const t = await readCsv(file, { delimiter: ' ', header: false, columnNames: germanColumns, types });
    assert.equal(t.rows, 1000); // SOURCE.md
    assert.equal(t.table, 'german.data');
    assert.deepEqual(t.header, germanColumns);
    // Line 1: A11 6 A34 A43 1169 A65 A75 4 A93 A101 4 A121 67 A143 A152 2 A173 1 A192 A201 1
    assert.equal(texts(t.columns.get('Status'))[0], 'A11');
    assert.equal(nums(t.columns.get('Duration'))[0], 6);
    assert.equal(nums(t.columns.get('CreditAmount'))[0], 1169);
    assert.equal(nums(t.columns.get('Age'))[0], 67);
    assert.equal(texts(t.columns.get('Foreign'))[0], 'A201');
    const label = nums(t.columns.get('Label'));
    assert.equal(label.filter((v) => v === 1).length, 700); // SOURCE.md: 1 = good
    assert.equal(label.filter((v) => v === 2).length, 300);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    lines.forEach((line, i) => {
      const f = line.split(' ');
      for (const c of germanIntegers) assert.equal(nums(t.columns.get(germanColumns[c]))[i], Number(f[c]));
      assert.equal(texts(t.columns.get('Purpose'))[i], f[3]);
    });
  });

  it('reads the Taiwan file with integer columns (`5e+05` is the integer 500000)', async () => {
    const file = requireDataset('taiwan_credit_default/UCI_Credit_Card.csv');
    const t = await readCsv(file, {
      types: { ID: 'integer', LIMIT_BAL: 'integer', AGE: 'integer', 'default.payment.next.month': 'boolean' },
      extraColumns: 'drop',
      keyColumn: 'ID',
    });
    assert.equal(t.rows, 30000);
    assert.deepEqual([...t.columns.keys()], ['ID', 'LIMIT_BAL', 'AGE', 'default.payment.next.month']);
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1);
    const limit = nums(t.columns.get('LIMIT_BAL'));
    const scientific = lines.filter((l) => /e\+/.test(l.split(',')[1])).length;
    assert.ok(scientific > 0, 'the file writes some limits as 5e+05');
    for (const [i, l] of lines.entries()) assert.equal(limit[i], Number(l.split(',')[1]));
    const defaulted = nums(t.columns.get('default.payment.next.month'));
    assert.equal(defaulted.filter((v) => v === 1).length, 6636); // SOURCE.md
    assert.equal(defaulted.filter((v) => v === 0).length, 23364);
  });
});

describe('lineage: readCsv refuses bad input with file, row, column and value', () => {
  it('refuses a bad date, naming file, data row, column, pattern and value', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'loans.csv');
      fs.writeFileSync(file, 'id;date\n1;930705\n2;930230\n');
      await expectError(
        readCsv(file, { delimiter: ';', types: { date: yymmdd } }),
        InputError,
        'ingest.badDate',
        ['loans.csv: data row 1, column "date": expected a date of the form YYMMDD, got "930230"'],
      );
      fs.writeFileSync(file, 'id;date\n1;930705\n2;\n3;1993-07-05\n');
      await expectError(
        readCsv(file, { delimiter: ';', types: { date: yymmdd } }),
        InputError,
        'ingest.badDate',
        ['data row 2, column "date": expected a date of the form YYMMDD, got "1993-07-05"'],
      );
    });
  });

  it('refuses non-integers in an integer column and accepts whole numbers in any decimal form', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'n.csv');
      fs.writeFileSync(file, 'n\n7\n-12\n5e+05\n 3 \n40.0\n\n');
      const t = await readCsv(file, { types: { n: 'integer' } });
      assert.deepEqual(Array.from(nums(t.columns.get('n'))), [7, -12, 500000, 3, 40]);
      for (const bad of ['1.5', '12abc', '9007199254740993', '0x10', 'NaN']) {
        fs.writeFileSync(file, `n\n1\n${bad}\n`);
        await expectError(readCsv(file, { types: { n: 'integer' } }), InputError, 'ingest.badInteger', [
          `n.csv: data row 1, column "n": expected an integer, got ${JSON.stringify(bad)}`,
        ]);
      }
    });
  });

  it('reads booleans (default and declared spellings, any case) as 1/0 and refuses other texts', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'b.csv');
      fs.writeFileSync(file, 'a,b\nTRUE,J\nyes,n\n0,N\nNo,j\n,\n 1 ,\n');
      const spelled = { type: 'boolean', true: ['J'], false: ['N'] } as const;
      const t = await readCsv(file, { types: { a: 'boolean', b: spelled } });
      assert.deepEqual(Array.from(nums(t.columns.get('a'))), [1, 1, 0, 0, Number.NaN, 1]);
      assert.deepEqual(Array.from(nums(t.columns.get('b'))), [1, 0, 0, 1, Number.NaN, Number.NaN]);
      fs.writeFileSync(file, 'a,b\ntrue,J\nmaybe,N\n');
      await expectError(readCsv(file, { types: { a: 'boolean' } }), InputError, 'ingest.badBoolean', [
        'b.csv: data row 1, column "a": expected a boolean (true: true, 1, yes; false: false, 0, no; any case), got "maybe"',
      ]);
      fs.writeFileSync(file, 'a,b\ntrue,J\ntrue,yes\n');
      await expectError(readCsv(file, { types: { b: spelled } }), InputError, 'ingest.badBoolean', [
        'data row 1, column "b": expected a boolean (true: J; false: N; any case), got "yes"',
      ]);
      await expectError(
        readCsv(file, { types: { b: { type: 'boolean', true: ['Y'], false: ['y'] } } }),
        UsageError,
        'ingest.badDialect',
        ['b.csv, column "b": expected different true and false spellings, got "y" in both'],
      );
    });
  });

  it('applies naValues to columns of every type, and reads the empty field as text when it is not missing', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'na.csv');
      fs.writeFileSync(file, 'n,i,b,d,c\nNA,NA,NA,NA,NA\n1.5,2,yes,930705,x\n,,,,\n');
      const types = { n: 'number', i: 'integer', b: 'boolean', d: yymmdd, c: 'category' } as const;
      const t = await readCsv(file, { types, naValues: ['NA'] });
      for (const c of ['n', 'i', 'b', 'd']) {
        const v = nums(t.columns.get(c));
        assert.ok(Number.isNaN(v[0]) && Number.isNaN(v[2]), c);
      }
      assert.deepEqual(
        ['n', 'i', 'b', 'd'].map((c) => nums(t.columns.get(c))[1]),
        [1.5, 2, 1, 8586],
      );
      assert.deepEqual(texts(t.columns.get('c')), [undefined, 'x', undefined]);
      // With the empty field not missing: text in a category column, an error in a numeric one.
      const kept = await readCsv(file, {
        types: { c: 'category' },
        extraColumns: 'drop',
        emptyIsMissing: false,
      });
      assert.deepEqual(texts(kept.columns.get('c')), ['NA', 'x', '']);
      await expectError(
        readCsv(file, { types: { i: 'integer' }, naValues: ['NA'], emptyIsMissing: false }),
        InputError,
        'ingest.badInteger',
        ['na.csv: data row 2, column "i": expected an integer, got ""'],
      );
    });
  });

  it('without a header: names the declared columns, refuses ragged rows at their line, numbers rows from the first line', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'plain.data');
      fs.writeFileSync(file, 'a 1 x\nb 2 y\n');
      const columnNames = ['k', 'n', 's'];
      const t = await readCsv(file, {
        delimiter: ' ',
        header: false,
        columnNames,
        types: { n: 'integer' },
        keyColumn: 'k',
        extraColumns: 'drop',
      });
      assert.equal(t.rows, 2);
      assert.deepEqual(t.header, columnNames);
      assert.deepEqual(t.keys, ['a', 'b']);
      assert.deepEqual([...t.columns.keys()], ['n']);
      assert.deepEqual(Array.from(nums(t.columns.get('n'))), [1, 2]);

      const options = { delimiter: ' ', header: false, columnNames } as const;
      fs.writeFileSync(file, 'a 1 x\nb 2 y\n\nc 3\nd 4 z\n');
      await expectError(readCsv(file, options), InputError, 'ingest.badCsv', [
        'plain.data: data row 2, column 2 ("s") and after (line 4): expected 3 fields, got 2',
      ]);
      fs.writeFileSync(file, 'a 1 x extra\n');
      await expectError(readCsv(file, options), InputError, 'ingest.badCsv', [
        'plain.data: data row 0, after column 2 ("s") (line 1): expected 3 fields, got 4',
      ]);
      fs.writeFileSync(file, 'a 1 "x\n');
      await expectError(readCsv(file, options), InputError, 'ingest.badCsv', [
        'plain.data: data row 0, column 2 ("s") (line 1): expected well-formed CSV',
      ]);
      fs.writeFileSync(file, 'a 1 x\na 2 y\n');
      await expectError(readCsv(file, { ...options, keyColumn: 'k' }), InputError, 'ingest.duplicateKey', [
        'plain.data: data row 1, column "k": expected a unique key, got "a" again (first at data row 0)',
      ]);
      fs.writeFileSync(file, '\n');
      await expectError(readCsv(file, options), InputError, 'ingest.emptyFile', [
        'plain.data: data row 0: expected at least one data row, got an empty file',
      ]);
      await expectError(readCsv(file, { ...options, keyColumn: 'id' }), InputError, 'ingest.missingColumn', [
        'plain.data: columnNames: expected column id, got columns k, n, s',
      ]);
      await expectError(readCsv(file, { header: false }), UsageError, 'ingest.badDialect', [
        'plain.data: a file without a header needs columnNames',
      ]);
      await expectError(readCsv(file, { columnNames }), UsageError, 'ingest.badDialect', [
        'columnNames are only for a file without a header',
      ]);
    });
  });

  it('reads Latin-1 bytes only with encoding latin1 (hashing the bytes as they are)', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'names.csv');
      const bytes = Buffer.concat([
        Buffer.from('id;name\n1;Zo'),
        Buffer.from([0xeb]),
        Buffer.from('\n2;Ren'),
        Buffer.from([0xe9, 0x0a]),
      ]);
      fs.writeFileSync(file, bytes);
      await expectError(readCsv(file, { delimiter: ';' }), InputError, 'ingest.badEncoding', [
        'names.csv: data row 0, column 1 ("name") (line 2, byte offset 12): expected UTF-8 text',
        'or read it as Latin-1 (encoding latin1)',
      ]);
      const t = await readCsv(file, { delimiter: ';', encoding: 'latin1', types: { name: 'category' } });
      assert.deepEqual(texts(t.columns.get('name')), ['Zoë', 'René']);
      assert.equal(t.sha256, createHash('sha256').update(bytes).digest('hex'));
      // A UTF-8 file with a BOM: the BOM is skipped for UTF-8 only.
      fs.writeFileSync(file, '\ufeffid;name\n1;Zoë\n');
      const utf8 = await readCsv(file, { delimiter: ';' });
      assert.deepEqual(utf8.header, ['id', 'name']);
      assert.deepEqual(texts(utf8.columns.get('name')), ['Zoë']);
      const asLatin1 = await readCsv(file, { delimiter: ';', encoding: 'latin1' });
      assert.deepEqual(asLatin1.header, ['\u00ef\u00bb\u00bfid', 'name']);
      assert.deepEqual(texts(asLatin1.columns.get('name')), ['Zo\u00c3\u00ab']);
    });
  });

  it('refuses an unusable dialect before reading, and a missing file', async () => {
    await withTempDir(async (dir) => {
      const file = path.join(dir, 'x.csv');
      fs.writeFileSync(file, 'a\n1\n');
      await expectError(readCsv(file, { delimiter: '§' }), UsageError, 'ingest.badDialect', [
        'x.csv: expected the delimiter to be an ASCII character in UTF-8 files, got "§"',
      ]);
      await expectError(readCsv(file, { delimiter: "'", quote: "'" }), UsageError, 'ingest.badDialect', [
        `x.csv: expected different delimiter and quote characters, got "'" for both`,
      ]);
      await expectError(readCsv(path.join(dir, 'nope.csv')), InputError, 'ingest.missingFile', [
        `${path.join(dir, 'nope.csv')}: file not found`,
      ]);
      await expectError(readCsv(dir), InputError, 'ingest.missingFile', [
        'expected a CSV file, got a directory',
      ]);
    });
  });
});
