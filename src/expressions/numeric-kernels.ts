import type { BinaryOperator } from './typed-expression.js';

/** An element-wise kernel over two equal-length numeric arrays (`NaN` = missing). */
export type BinaryKernel = (a: Float64Array, b: Float64Array, out: Float64Array) => void;

const map2 =
  (f: (x: number, y: number) => number): BinaryKernel =>
  (a, b, out) => {
    for (let i = 0; i < out.length; i++) out[i] = f(a[i], b[i]);
  };

const compare =
  (f: (x: number, y: number) => boolean): BinaryKernel =>
  (a, b, out) => {
    for (let i = 0; i < out.length; i++) {
      const x = a[i];
      const y = b[i];
      out[i] = Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : f(x, y) ? 1 : 0;
    }
  };

/**
 * Kernels of the binary operators on numbers, booleans (0/1) and dates (epoch days). Missing in,
 * missing out, except `and`/`or`, which follow three-valued (Kleene) logic: `false and missing`
 * is false, `true or missing` is true. Division and modulo by zero give missing.
 */
export const numericKernels: Readonly<Record<BinaryOperator, BinaryKernel>> = {
  '+': map2((x, y) => x + y),
  '-': map2((x, y) => x - y),
  '*': map2((x, y) => x * y),
  '/': map2((x, y) => (y === 0 ? Number.NaN : x / y)),
  '%': map2((x, y) => (y === 0 ? Number.NaN : x % y)),
  '==': compare((x, y) => x === y),
  '!=': compare((x, y) => x !== y),
  '<': compare((x, y) => x < y),
  '<=': compare((x, y) => x <= y),
  '>': compare((x, y) => x > y),
  '>=': compare((x, y) => x >= y),
  and: map2((x, y) => (x === 0 || y === 0 ? 0 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 1)),
  or: map2((x, y) => (x === 1 || y === 1 ? 1 : Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : 0)),
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
