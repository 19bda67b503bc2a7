import type { ValueType } from './value-type.js';

/** The signature of one expression function. */
export interface FunctionSignature {
  /** Usage line, e.g. `log(x: number) → number`. */
  readonly usage: string;
  /** What it computes, including what a missing value gives. */
  readonly doc: string;
  /** Fewest and most arguments (`Infinity` for variadic). */
  readonly arity: readonly [number, number];
  /** The result type for these argument types, or a sentence saying what was expected. */
  check(args: readonly ValueType[]): ValueType | string;
}

const numeric1 = (name: string, doc: string): FunctionSignature => ({
  usage: `${name}(x: number) → number`,
  doc,
  arity: [1, 1],
  check: (a) => (a[0] === 'number' ? 'number' : `expected a number argument, got ${a[0]}`),
});

const datePart = (name: string, doc: string): FunctionSignature => ({
  usage: `${name}(d: date) → number`,
  doc,
  arity: [1, 1],
  check: (a) => (a[0] === 'date' ? 'number' : `expected a date argument, got ${a[0]}`),
});

const sameType = (args: readonly ValueType[]): ValueType | string =>
  args.every((t) => t === args[0]) ? args[0] : `expected arguments of one type, got ${args.join(', ')}`;

const ordered = (args: readonly ValueType[]): ValueType | string => {
  const t = sameType(args);
  if (t === 'number' || t === 'date') return t;
  return typeof t === 'string' && t.startsWith('expected')
    ? t
    : `expected number or date arguments, got ${t}`;
};

/**
 * Every function an expression may call, by name. `date('YYYY-MM-DD')` (a date constant) and
 * `col('any name')` (a column whose name is not an identifier) are handled by the type checker
 * because their argument must be a string literal.
 */
export const functionCatalogue: Readonly<Record<string, FunctionSignature>> = {
  is_null: {
    usage: 'is_null(x: any) → boolean',
    doc: 'true when x is missing (never missing itself)',
    arity: [1, 1],
    check: () => 'boolean',
  },
  is_not_null: {
    usage: 'is_not_null(x: any) → boolean',
    doc: 'true when x is present (never missing itself)',
    arity: [1, 1],
    check: () => 'boolean',
  },
  coalesce: {
    usage: 'coalesce(x1, x2, …: T) → T',
    doc: 'the first argument that is not missing (missing when all are)',
    arity: [2, Number.POSITIVE_INFINITY],
    check: sameType,
  },
  if: {
    usage: 'if(c: boolean, a: T, b: T) → T, or if(c: boolean, a: T) → T',
    doc: 'a where c is true, b where c is false or missing (also written c ? a : b); without b, missing there',
    arity: [2, 3],
    check: (a) =>
      a[0] !== 'boolean'
        ? `expected a boolean condition, got ${a[0]}`
        : a.length === 2 || a[1] === a[2]
          ? a[1]
          : `expected both branches of one type, got ${a[1]} and ${a[2]}`,
  },
  log: numeric1('log', 'natural logarithm; missing for x ≤ 0'),
  exp: numeric1('exp', 'e to the power x'),
  sqrt: numeric1('sqrt', 'square root; missing for x < 0'),
  abs: numeric1('abs', 'absolute value'),
  round: numeric1('round', 'nearest integer (halves away from zero)'),
  floor: numeric1('floor', 'largest integer ≤ x'),
  ceil: numeric1('ceil', 'smallest integer ≥ x'),
  min: {
    usage: 'min(x1, x2, …: T) → T  (T number or date)',
    doc: 'smallest present argument (missing arguments are ignored; missing when all are)',
    arity: [2, Number.POSITIVE_INFINITY],
    check: ordered,
  },
  max: {
    usage: 'max(x1, x2, …: T) → T  (T number or date)',
    doc: 'largest present argument (missing arguments are ignored; missing when all are)',
    arity: [2, Number.POSITIVE_INFINITY],
    check: ordered,
  },
  clip: {
    usage: 'clip(x, lo, hi: number) → number',
    doc: 'x limited to [lo, hi]; missing when x is missing',
    arity: [3, 3],
    check: (a) =>
      a.every((t) => t === 'number') ? 'number' : `expected number arguments, got ${a.join(', ')}`,
  },
  year: datePart('year', 'calendar year of d'),
  month: datePart('month', 'month of d, 1–12'),
  day: datePart('day', 'day of the month of d, 1–31'),
  make_date: {
    usage: 'make_date(year, month, day: number) → date',
    doc: 'the date of that year, month (1–12) and day of the month; missing when an argument is missing or they make no real calendar date (month 13, 30 February, a fraction)',
    arity: [3, 3],
    check: (a) =>
      a.every((t) => t === 'number') ? 'date' : `expected three number arguments, got ${a.join(', ')}`,
  },
  days_between: {
    usage: 'days_between(a: date, b: date) → number',
    doc: 'b − a in whole days (positive when b is later)',
    arity: [2, 2],
    check: (a) =>
      a[0] === 'date' && a[1] === 'date' ? 'number' : `expected two date arguments, got ${a.join(', ')}`,
  },
  date: {
    usage: "date('YYYY-MM-DD') → date",
    doc: 'a date constant',
    arity: [1, 1],
    check: () => 'date',
  },
  col: {
    usage: "col('column name') → type of the column",
    doc: 'the column of that name (for names that are not identifiers, e.g. with spaces or dots)',
    arity: [1, 1],
    check: () => 'string',
  },
};
