import { civilFromDays } from './dates.js';
import type { BinaryOperator } from './typed-expression.js';

/** The binary operators, numbered for {@link binaryOp}. */
export const binaryCodes: Readonly<Record<BinaryOperator, number>> = {
  '+': 0,
  '-': 1,
  '*': 2,
  '/': 3,
  '%': 4,
  '==': 5,
  '!=': 6,
  '<': 7,
  '<=': 8,
  '>': 9,
  '>=': 10,
  and: 11,
  or: 12,
};

/**
 * A binary operator (by its {@link binaryCodes} number) on numbers, booleans (0/1) and dates
 * (epoch days), one pair of values at a time. Missing (`NaN`) in, missing out, except `and`/`or`,
 * which follow three-valued (Kleene) logic: `false and missing` is false, `true or missing` is
 * true. Division and modulo by zero give missing. One function with a switch (not a function per
 * operator) so that the engine inlines it into the loop that calls it.
 */
export function binaryOp(op: number, x: number, y: number): number {
  switch (op) {
    case 0:
      return x + y;
    case 1:
      return x - y;
    case 2:
      return x * y;
    case 3:
      return y === 0 ? Number.NaN : x / y;
    case 4:
      return y === 0 ? Number.NaN : x % y;
    case 11:
      return x === 0 || y === 0 ? 0 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 1;
    case 12:
      return x === 1 || y === 1 ? 1 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 0;
  }
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  switch (op) {
    case 5:
      return x === y ? 1 : 0;
    case 6:
      return x !== y ? 1 : 0;
    case 7:
      return x < y ? 1 : 0;
    case 8:
      return x <= y ? 1 : 0;
    case 9:
      return x > y ? 1 : 0;
    case 10:
      return x >= y ? 1 : 0;
  }
  throw new TypeError(`internal: no binary operator ${op}`);
}

/**
 * The operators and functions of one numeric argument, numbered for {@link unaryOp}: `neg`
 * (`-x`), `not`, the null tests, the numeric functions and the date parts.
 */
export const unaryCodes: Readonly<Record<string, number>> = {
  neg: 0,
  not: 1,
  is_null: 2,
  is_not_null: 3,
  log: 4,
  exp: 5,
  sqrt: 6,
  abs: 7,
  round: 8,
  floor: 9,
  ceil: 10,
  year: 11,
  month: 12,
  day: 13,
};

/**
 * An operator or function of one argument (by its {@link unaryCodes} number). Missing in,
 * missing out (the null tests are never missing); a result outside the function's domain is
 * missing (`log` of x ≤ 0, `sqrt` of x < 0). `round` rounds halves away from zero.
 */
export function unaryOp(op: number, x: number): number {
  switch (op) {
    case 0:
      return -x;
    case 1:
      return Number.isNaN(x) ? x : x === 0 ? 1 : 0;
    case 2:
      return Number.isNaN(x) ? 1 : 0;
    case 3:
      return Number.isNaN(x) ? 0 : 1;
    case 4:
      return x > 0 ? Math.log(x) : Number.NaN;
    case 5:
      return Math.exp(x);
    case 6:
      return Math.sqrt(x);
    case 7:
      return Math.abs(x);
    case 8:
      return Math.sign(x) * Math.round(Math.abs(x));
    case 9:
      return Math.floor(x);
    case 10:
      return Math.ceil(x);
    case 11:
    case 12:
    case 13:
      return Number.isNaN(x) ? x : civilFromDays(x)[op - 11];
  }
  throw new TypeError(`internal: no unary operator ${op}`);
}
