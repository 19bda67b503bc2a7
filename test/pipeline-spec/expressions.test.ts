import assert from 'node:assert/strict';
import { compileExpression } from '../../src/expressions/compile-expression.js';
import { daysFromCivil } from '../../src/expressions/dates.js';
import { ExpressionError } from '../../src/expressions/expression-error.js';
import type { ColumnTypes, ValueType } from '../../src/expressions/value-type.js';
import { type ColumnInput, valueAt } from '../../src/expressions/vector.js';
import type { CategoryColumn } from '../../src/lineage/column.js';

type Cell = number | string | boolean | null;

/** A small table: columns of plain values (`null` = missing), typed by their first present value or by `types`. */
function table(
  data: Record<string, Cell[]>,
  types: Record<string, ValueType> = {},
): { input: ColumnInput; types: ColumnTypes } {
  const rows = Object.values(data)[0].length;
  const typeMap = new Map<string, ValueType>();
  const nums = new Map<string, Float64Array>();
  const cats = new Map<string, CategoryColumn>();
  for (const [name, values] of Object.entries(data)) {
    const first = values.find((v) => v !== null);
    const type =
      types[name] ??
      (typeof first === 'string' ? 'string' : typeof first === 'boolean' ? 'boolean' : 'number');
    typeMap.set(name, type);
    if (type === 'string') {
      const dictionary = [...new Set(values.filter((v): v is string => typeof v === 'string'))];
      const codes = Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(String(v))));
      cats.set(name, { kind: 'category', codes, dictionary, sources: [] });
    } else {
      nums.set(
        name,
        Float64Array.from(values, (v) => (v === null ? Number.NaN : Number(v))),
      );
    }
  }
  const input: ColumnInput = {
    rows,
    num: (n) => nums.get(n) ?? assert.fail(`no numeric column ${n}`),
    cat: (n) => cats.get(n) ?? assert.fail(`no string column ${n}`),
  };
  return { input, types: typeMap };
}

/** Evaluates `text` over the table and returns plain values. */
function evaluate(text: string, t: ReturnType<typeof table>): Cell[] {
  const e = compileExpression(text, t.types);
  const v = e.evaluate(t.input);
  return Array.from({ length: t.input.rows }, (_, i) => valueAt(v, i));
}

const d = (iso: string) =>
  daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));

describe('expressions: evaluation against hand-computed values (null = missing)', () => {
  const t = table(
    {
      a: [1, 4, null, -2, 0],
      b: [2, 0, 5, null, 3],
      s: ['B', 'A', null, 'D', 'C'],
      flag: [true, false, null, true, false],
      start: [d('1993-07-05'), d('1996-02-29'), null, d('1998-12-31'), d('2000-01-01')],
      end: [d('1994-07-05'), d('1996-03-01'), d('1997-01-01'), null, d('2000-01-01')],
    },
    { start: 'date', end: 'date' },
  );

  it('arithmetic: missing in, missing out; division by zero is missing; unary minus; precedence', () => {
    assert.deepEqual(evaluate('a + b * 2', t), [5, 4, null, null, 6]);
    assert.deepEqual(evaluate('a / b', t), [0.5, null, null, null, 0]);
    assert.deepEqual(evaluate('(a - b) % 3', t), [-1, 1, null, null, -0]);
    assert.deepEqual(evaluate('-a', t), [-1, -4, null, 2, -0]);
  });

  it('comparisons and three-valued boolean logic (false and missing = false, true or missing = true)', () => {
    assert.deepEqual(evaluate('a > 0', t), [true, true, null, false, false]);
    assert.deepEqual(evaluate('a >= 0 and b > 1', t), [true, false, null, false, true]);
    assert.deepEqual(evaluate('flag and a > 0', t), [true, false, null, false, false]);
    assert.deepEqual(evaluate('flag || a > 0', t), [true, true, null, true, false]);
    assert.deepEqual(evaluate('b > 100 and a > 0', t), [false, false, false, false, false]);
    assert.deepEqual(evaluate('b > 1 and a < 0', t), [false, false, null, null, false]);
    assert.deepEqual(evaluate('b < 100 or a > 0', t), [true, true, true, null, true]);
    assert.deepEqual(evaluate('not flag', t), [false, true, null, false, true]);
    assert.deepEqual(evaluate('!(a == 4)', t), [true, false, null, true, true]);
  });

  it('strings: equality, in [..], against constants and other columns', () => {
    assert.deepEqual(evaluate("s in ['B', 'D']", t), [true, false, null, true, false]);
    assert.deepEqual(evaluate("s == 'A'", t), [false, true, null, false, false]);
    assert.deepEqual(evaluate("s != 'A'", t), [true, false, null, true, true]);
    assert.deepEqual(evaluate('a in [1, 0]', t), [true, false, null, false, true]);
    const u = table({ x: ['p', 'q', null, 'r'], y: ['q', 'q', 'p', 'r'] });
    assert.deepEqual(evaluate('x == y', u), [false, true, null, true]);
  });

  it('null tests and coalesce never leave a value missing when one is present', () => {
    assert.deepEqual(evaluate('is_null(a)', t), [false, false, true, false, false]);
    assert.deepEqual(evaluate('is_not_null(s)', t), [true, true, false, true, true]);
    assert.deepEqual(evaluate('coalesce(a, b, 99)', t), [1, 4, 5, -2, 0]);
    assert.deepEqual(evaluate("coalesce(s, 'none')", t), ['B', 'A', 'none', 'D', 'C']);
    assert.deepEqual(evaluate('coalesce(start, end)', t), [
      d('1993-07-05'),
      d('1996-02-29'),
      d('1997-01-01'),
      d('1998-12-31'),
      d('2000-01-01'),
    ]);
  });

  it("if(c, a, b) and c ? a : b: a missing condition takes the 'else' branch", () => {
    assert.deepEqual(evaluate('if(a > 0, a, b)', t), [1, 4, 5, null, 3]);
    assert.deepEqual(evaluate("a > 0 ? 'pos' : 'other'", t), ['pos', 'pos', 'other', 'other', 'other']);
    assert.deepEqual(evaluate("if(flag, s, 'x')", t), ['B', 'x', 'x', 'D', 'x']);
  });

  it('log (missing for x ≤ 0), abs, min/max (ignore missing), clip', () => {
    const logs = evaluate('log(a)', t);
    assert.deepEqual(logs, [0, Math.log(4), null, null, null]);
    assert.deepEqual(evaluate('abs(a)', t), [1, 4, null, 2, 0]);
    assert.deepEqual(evaluate('min(a, b)', t), [1, 0, 5, -2, 0]);
    assert.deepEqual(evaluate('max(a, b, 3)', t), [3, 4, 5, 3, 3]);
    assert.deepEqual(evaluate('clip(a, -1, 2)', t), [1, 2, null, -1, 0]);
    assert.deepEqual(evaluate('round(a / 8 * 3)', t), [0, 2, null, -1, 0]);
  });

  it('dates: year, month, day, days_between (b − a), date constants, date ± days', () => {
    assert.deepEqual(evaluate('year(start)', t), [1993, 1996, null, 1998, 2000]);
    assert.deepEqual(evaluate('month(start)', t), [7, 2, null, 12, 1]);
    assert.deepEqual(evaluate('day(start)', t), [5, 29, null, 31, 1]);
    assert.deepEqual(evaluate('days_between(start, end)', t), [365, 1, null, null, 0]);
    assert.deepEqual(evaluate('end - start', t), [365, 1, null, null, 0]);
    assert.deepEqual(evaluate("start < date('1997-01-01')", t), [true, true, null, false, false]);
    assert.deepEqual(evaluate('year(start + 1)', t), [1993, 1996, null, 1999, 2000]);
    assert.deepEqual(evaluate("max(start, date('1995-01-01'))", t), [
      d('1995-01-01'),
      d('1996-02-29'),
      d('1995-01-01'),
      d('1998-12-31'),
      d('2000-01-01'),
    ]);
  });

  it('make_date(year, month, day): a date, missing when an argument is missing or the date is not real', () => {
    const u = table({
      y: [1993, 1996, 1995, null, 2000, 1970, 2001],
      m: [7, 2, 2, 1, 13, 1, 0],
      dd: [5, 29, 29, 1, 1, 1.5, 10],
    });
    assert.equal(compileExpression('make_date(y, m, dd)', u.types).type, 'date');
    assert.deepEqual(evaluate('make_date(y, m, dd)', u), [
      d('1993-07-05'),
      d('1996-02-29'),
      null, // 1995 is no leap year
      null, // missing year
      null, // month 13
      null, // a fraction of a day
      null, // month 0
    ]);
    // Berka birth numbers: YYMMDD, women have month + 50 (706213: a woman born 1970-12-13)
    const b = table({ birth_number: [706213, 450204, 195506, 360230] });
    const birth =
      'make_date(1900 + floor(birth_number / 10000), floor(birth_number / 100) % 50, birth_number % 100)';
    assert.deepEqual(evaluate(birth, b), [d('1970-12-13'), d('1945-02-04'), d('1919-05-06'), null]);
    assert.deepEqual(evaluate('floor(birth_number / 100) % 100 > 50', b), [true, false, true, false]);
    assert.deepEqual(compileExpression(birth, b.types).columns, ['birth_number']);
  });

  it('if(c, a) without an else branch: a where c is true, missing where c is false or missing', () => {
    assert.deepEqual(evaluate('if(a > 0, a)', t), [1, 4, null, null, null]);
    assert.deepEqual(evaluate('if(flag, s)', t), ['B', null, null, 'D', null]);
    assert.deepEqual(evaluate('if(b > 1, start)', t), [d('1993-07-05'), null, null, null, d('2000-01-01')]);
    assert.deepEqual(evaluate('coalesce(if(a > 0, 1), 0)', t), [1, 1, 0, 0, 0]);
  });

  it('sub-expressions of one string column (computed once per dictionary entry) give the row-by-row values', () => {
    // s: ['B', 'A', null, 'D', 'C']; the whole tree, or a part of it, reads s alone.
    assert.deepEqual(evaluate("if(is_not_null(s), if(s == 'A', 1, 0))", t), [0, 1, null, 0, 0]);
    assert.deepEqual(evaluate("coalesce(s, 'none') == 'none'", t), [false, false, true, false, false]);
    assert.deepEqual(evaluate("is_null(s) or s in ['C', 'D']", t), [false, false, true, true, true]);
    assert.deepEqual(evaluate("if(s != 'B', a, -a) + 1", t), [0, 5, null, -1, 1]);
    assert.deepEqual(evaluate("a > 0 and not (s == 'A')", t), [true, false, null, false, false]);
    // a dictionary with an entry no row uses, and rows that all share one code
    const u = table({ x: ['p', 'p', 'p'] });
    const unused: ColumnInput = {
      rows: 3,
      num: () => assert.fail('no numeric column'),
      cat: () => ({ kind: 'category', codes: Int32Array.of(1, -1, 1), dictionary: ['q', 'p'], sources: [] }),
    };
    const e = compileExpression("if(x == 'p', 2, 3) * 10", u.types);
    assert.deepEqual(
      Array.from({ length: 3 }, (_, i) => valueAt(e.evaluate(unused), i)),
      [20, 30, 20],
    );
  });

  it('records the columns each expression reads, in order of first use (column-level lineage)', () => {
    assert.deepEqual(compileExpression('if(flag, b, a + b)', t.types).columns, ['flag', 'b', 'a']);
    assert.deepEqual(compileExpression("date('2000-01-01') > start", t.types).columns, ['start']);
    assert.deepEqual(compileExpression('1 + 2', t.types).columns, []);
    const dotted = new Map<string, ValueType>([
      ['default.payment.next.month', 'number'],
      ['odd name', 'string'],
    ]);
    assert.deepEqual(
      compileExpression("default.payment.next.month == 1 and col('odd name') == 'x'", dotted).columns,
      ['default.payment.next.month', 'odd name'],
    );
  });
});

describe('expressions: types are checked before anything runs', () => {
  const types = new Map<string, ValueType>([
    ['n', 'number'],
    ['s', 'string'],
    ['b', 'boolean'],
    ['d', 'date'],
  ]);
  const cases: [string, string, RegExp][] = [
    [
      'n + s',
      'pipeline.expressionType',
      /operator \+ expects numbers \(or a date and a number of days\), got number \+ string/,
    ],
    ['n and b', 'pipeline.expressionType', /operator and expects booleans, got number and boolean/],
    ["d > '1995-01-01'", 'pipeline.expressionType', /write a date constant as date\('YYYY-MM-DD'\)/],
    ['not n', 'pipeline.expressionType', /not expects a boolean, got number/],
    ['if(n, 1, 2)', 'pipeline.expressionType', /if\(\) expected a boolean condition, got number/],
    ["if(b, 1, 'x')", 'pipeline.expressionType', /expected both branches of one type, got number and string/],
    ['coalesce(n)', 'pipeline.expressionType', /coalesce\(\) expects at least 2 arguments, got 1/],
    ["date('1995-02-30')", 'pipeline.expressionType', /expected a date as 'YYYY-MM-DD', got '1995-02-30'/],
    ['year(n)', 'pipeline.expressionType', /year\(\) expected a date argument, got number/],
    [
      'make_date(n, n, s)',
      'pipeline.expressionType',
      /make_date\(\) expected three number arguments, got number, number, string/,
    ],
    ['make_date(n, n)', 'pipeline.expressionType', /make_date\(\) expects 3 arguments, got 2/],
    ['if(b)', 'pipeline.expressionType', /if\(\) expects 2 to 3 arguments, got 1/],
    ['s in [1, 2]', 'pipeline.expressionType', /expected a list of string constants, got 1/],
    ['nn > 1', 'pipeline.unknownColumn', /unknown column "nn"; available: n, s, b, d/],
    ['N > 1', 'pipeline.unknownColumn', /unknown column "N" \(did you mean "n"\?\)/],
    ['sum(n)', 'pipeline.unknownFunction', /unknown function sum\(\)/],
    ['n > ', 'pipeline.expressionSyntax', /Expected expression after >/],
    ['n n', 'pipeline.expressionSyntax', /expected one expression, got 2/],
    [
      'is_null(null)',
      'pipeline.expressionSyntax',
      /null is not a value; test for missing values with is_null\(x\)/,
    ],
    ['n[0]', 'pipeline.expressionSyntax', /indexing is not supported/],
    ['n | 1', 'pipeline.expressionSyntax', /operator \| is not supported/],
    ['[1, 2]', 'pipeline.expressionSyntax', /a list is only allowed after "in"/],
    ['', 'pipeline.expressionSyntax', /expected an expression, got empty text/],
    ['constructor(n)', 'pipeline.unknownFunction', /unknown function constructor\(\)/],
  ];
  for (const [text, code, message] of cases) {
    it(`${JSON.stringify(text)} → ${code}`, () => {
      assert.throws(
        () => compileExpression(text, types),
        (err: unknown) => {
          assert.ok(err instanceof ExpressionError, String(err));
          assert.equal(err.code, code, err.message);
          assert.match(err.message, message);
          assert.equal(err.expression, text);
          return true;
        },
      );
    });
  }

  it('gives each expression its result type', () => {
    const typeOf = (text: string) => compileExpression(text, types).type;
    assert.equal(typeOf('n * 2'), 'number');
    assert.equal(typeOf("s in ['a']"), 'boolean');
    assert.equal(typeOf('d + 30'), 'date');
    assert.equal(typeOf('d - d'), 'number');
    assert.equal(typeOf("coalesce(s, 'x')"), 'string');
    assert.equal(typeOf('b ? d : d'), 'date');
    assert.equal(typeOf('make_date(n, 1, 1)'), 'date');
    assert.equal(typeOf("if(b, 'x')"), 'string');
  });
});
