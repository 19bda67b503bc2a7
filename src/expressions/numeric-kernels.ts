import type { BinaryOperator } from './typed-expression.js';

/** A binary operator on one pair of values (`NaN` = missing). */
export type ScalarBinary = (x: number, y: number) => number;

/** A comparison that is missing when either side is. */
const compare =
  (f: (x: number, y: number) => boolean): ScalarBinary =>
  (x, y) =>
    Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : f(x, y) ? 1 : 0;

/**
 * The binary operators on numbers, booleans (0/1) and dates (epoch days), one pair of values at
 * a time. Missing in, missing out, except `and`/`or`, which follow three-valued (Kleene) logic:
 * `false and missing` is false, `true or missing` is true. Division and modulo by zero give
 * missing.
 */
export const scalarBinary: Readonly<Record<BinaryOperator, ScalarBinary>> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => (y === 0 ? Number.NaN : x / y),
  '%': (x, y) => (y === 0 ? Number.NaN : x % y),
  '==': compare((x, y) => x === y),
  '!=': compare((x, y) => x !== y),
  '<': compare((x, y) => x < y),
  '<=': compare((x, y) => x <= y),
  '>': compare((x, y) => x > y),
  '>=': compare((x, y) => x >= y),
  and: (x, y) => (x === 0 || y === 0 ? 0 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 1),
  or: (x, y) => (x === 1 || y === 1 ? 1 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 0),
};

/** Element-wise numeric functions of one argument; a result outside the domain is missing. */
export const unaryFunctions: Readonly<Record<string, (x: number) => number>> = {
  log: (x) => (x > 0 ? Math.log(x) : Number.NaN),
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
  round: (x) => Math.sign(x) * Math.round(Math.abs(x)),
  floor: Math.floor,
  ceil: Math.ceil,
};
