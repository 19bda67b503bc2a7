import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, packageRoot } from '../../src/config.js';
import { compileExpression } from '../../src/expressions/compile-expression.js';
import { compileDatePattern } from '../../src/expressions/date-pattern.js';
import { civilFromDays } from '../../src/expressions/dates.js';
import { deriveSpecFor, filterSpecFor } from '../../src/expressions/lineage-specs.js';
import { type Column, categoryColumn, numberColumn } from '../../src/lineage/column.js';
import { derive } from '../../src/lineage/derive.js';
import { filter } from '../../src/lineage/filter.js';
import { loadCsv } from '../../src/lineage/load-csv.js';
import { Pipeline } from '../../src/lineage/pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';

const datasets = loadConfig({}).datasetsDir;
const berka = path.join(datasets, 'berka_czech_financial');
const taiwanCsv = path.join(datasets, 'taiwan_credit_default', 'UCI_Credit_Card.csv');

/** The data lines of a `;`-separated Berka file, split, quotes removed (an independent reader). */
function berkaRows(file: string): string[][] {
  const lines = fs.readFileSync(path.join(berka, file), 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((l) => l.split(';').map((f) => f.replace(/^"|"$/g, '')));
}

describe('pipeline formats on the real data sets', () => {
  it('the example pipelines declare only columns that the real files have', () => {
    const fixtures = path.join(packageRoot, 'test', 'fixtures', 'pipelines');
    const cases: [string, string][] = [
      ['berka-loans.yaml', berka],
      ['taiwan-credit.json', path.dirname(taiwanCsv)],
    ];
    for (const [file, data] of cases) {
      const p = loadPipelineSpec(path.join(fixtures, file));
      for (const source of p.spec.sources) {
        const first = fs.readFileSync(path.join(data, source.path), 'utf8').split(/\r?\n/, 1)[0];
        const header = first.split(source.csv.delimiter).map((h) => h.replace(/^"|"$/g, ''));
        for (const column of Object.keys(source.columns))
          assert.ok(
            header.includes(column),
            `${file}: ${source.name}.${column} is not in ${source.path} (${header.join(', ')})`,
          );
      }
    }
  });

  it('date patterns parse every date of Berka loan.csv (YYMMDD) and card.csv (YYMMDD hh:mm:ss)', () => {
    const yymmdd = compileDatePattern('YYMMDD');
    const loans = berkaRows('loan.csv');
    assert.equal(loans.length, 682);
    for (const row of loans) {
      const days = yymmdd(row[2]);
      assert.ok(days !== undefined, `loan ${row[0]}: date ${row[2]} did not parse`);
      const [y, m, d] = civilFromDays(days);
      assert.equal(
        `${String(y % 100).padStart(2, '0')}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`,
        row[2],
      );
      assert.ok(y >= 1993 && y <= 1998, `loan ${row[0]}: year ${y}`);
    }
    assert.deepEqual(civilFromDays(yymmdd('930705')!), [1993, 7, 5]); // the first loan, 5314
    const withTime = compileDatePattern('YYMMDD hh:mm:ss');
    const cards = berkaRows('card.csv');
    assert.ok(
      cards.every((row) => withTime(row[3]) !== undefined),
      'every card issue date parses',
    );
    assert.deepEqual(civilFromDays(withTime('931107 00:00:00')!), [1993, 11, 7]);
    // what does not match gives undefined (the ingest reports file, row, column, value)
    for (const bad of ['?', '', '93070', '931305', '930230', '930705 24:00:00', '9307o5']) {
      assert.equal(yymmdd(bad) ?? withTime(bad), undefined, bad);
    }
    assert.deepEqual(civilFromDays(compileDatePattern('YYMMDD', { century: 1900 })('200101')!), [1920, 1, 1]);
    assert.deepEqual(civilFromDays(compileDatePattern('DD.MM.YYYY')('29.02.2000')!), [2000, 2, 29]);
  });

  it('compiled expressions plug into derive and filter of src/lineage, with exact column lineage (Taiwan credit CSV)', async () => {
    const p = new Pipeline({ name: 'expr', mode: 'row' });
    const frame = await loadCsv(p, taiwanCsv, { table: 'taiwan', keyColumn: 'ID' });
    const types = new Map(
      frame.names.map((n) => [
        n,
        frame.column(n).kind === 'number' ? ('number' as const) : ('string' as const),
      ]),
    );
    const ratio = compileExpression('if(LIMIT_BAL > 0, BILL_AMT1 / LIMIT_BAL, 0)', types);
    const late = compileExpression('PAY_0 >= 2 and default.payment.next.month == 1', types);
    const derived = derive(frame, [deriveSpecFor('util', ratio), deriveSpecFor('late_default', late)]);
    const kept = filter(
      derived,
      filterSpecFor('young', compileExpression('AGE < 25 and log(LIMIT_BAL) > 10', types)),
    );

    // an independent reading of the same file
    const lines = fs.readFileSync(taiwanCsv, 'utf8').trim().split(/\r?\n/);
    const header = lines[0].split(',').map((h) => h.replace(/"/g, ''));
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const col = (name: string) => header.indexOf(name);
    assert.equal(derived.rows, 30000);
    const util = derived.num('util');
    const lateDefault = derived.num('late_default');
    for (const i of [0, 1, 2, 29999]) {
      const r = rows[i];
      assert.equal(util[i], r[col('BILL_AMT1')] / r[col('LIMIT_BAL')]);
      assert.equal(
        lateDefault[i],
        r[col('PAY_0')] >= 2 && r[col('default.payment.next.month')] === 1 ? 1 : 0,
      );
    }
    assert.equal(util[0], 3913 / 20000);
    assert.equal(lateDefault[0], 1); // ID 1: PAY_0 = 2, defaulted
    const young = rows.filter((r) => r[col('AGE')] < 25 && Math.log(r[col('LIMIT_BAL')]) > 10);
    assert.equal(kept.rows, young.length);
    assert.deepEqual(
      Array.from(kept.num('ID').subarray(0, 3)),
      young.slice(0, 3).map((r) => r[col('ID')]),
    );

    // column lineage: the derived column's sources are exactly the columns the expression reads
    assert.deepEqual(derived.column('util').sources, ['taiwan.BILL_AMT1', 'taiwan.LIMIT_BAL']);
    assert.deepEqual(derived.column('late_default').sources, [
      'taiwan.PAY_0',
      'taiwan.default.payment.next.month',
    ]);
    const ops = p.ops;
    const filterOp = ops.find((o) => o.kind === 'filter');
    assert.deepEqual(filterOp?.params.inputs, ['AGE', 'LIMIT_BAL']);
    assert.equal(filterOp?.params.expression, 'AGE < 25 and log(LIMIT_BAL) > 10');
    // row provenance is untouched: each kept row derives from exactly its own source row
    assert.equal(kept.sourceRows(0).length, 1);
  });

  it('a string-valued expression derives a categorical column, and a number is refused by filter', () => {
    const types = new Map([
      ['s', 'string' as const],
      ['n', 'number' as const],
    ]);
    const p = new Pipeline({ name: 'strings', mode: 'row' });
    const t = p.source({
      path: '/memory/t.csv',
      name: 't.csv',
      table: 't',
      sha256: 't'.padEnd(64, '0'),
      bytes: 0,
      rows: 3,
      header: ['s', 'n'],
      columns: new Map<string, Column>([
        ['s', categoryColumn(Int32Array.from([0, -1, 1]), ['x', 'y'], ['t.s'])],
        ['n', numberColumn(Float64Array.from([1, 2, 3]), ['t.n'])],
      ]),
    });
    const d = derive(t, deriveSpecFor('x', compileExpression("coalesce(s, 'a')", types)));
    const c = d.cat('x');
    assert.deepEqual(
      [...c.codes].map((k) => c.dictionary[k]),
      ['x', 'a', 'y'],
    );
    assert.deepEqual(c.sources, ['t.s']);
    assert.deepEqual(p.ops.at(-1)!.params.columns, [
      { name: 'x', inputs: ['s'], expression: "coalesce(s, 'a')", type: 'string' },
    ]);
    assert.throws(
      () => filterSpecFor('x', compileExpression('n + 1', types)),
      /expected a boolean expression, got number/,
    );
  });
});
