import { civilFromDays, daysFromCivil, isValidCivil } from './dates.js';
import { scalarBinary, unaryFunctions } from './numeric-kernels.js';
import type { TypedExpression } from './typed-expression.js';
import type { ColumnInput, StringVector } from './vector.js';

/** Row `i` of a numeric expression (`NaN` is missing). */
export type RowReader = (i: number) => number;

/**
 * A numeric (number, boolean, date) expression compiled for one pass over the rows: a constant
 * (a literal, or a sub-tree of literals folded once), a column read as it is, or a reader bound to
 * the input's columns once per evaluation.
 */
export type RowNode =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'rows'; readonly bind: (input: ColumnInput) => RowReader };

/** Compiles a string-typed sub-tree to its dictionary-encoded column (see `compileTree`). */
export type StringCompiler = (t: TypedExpression) => (input: ColumnInput) => StringVector;

/** A node bound to an input: a constant, a column's values, or a row reader. */
type Bound = number | Float64Array | RowReader;

const constant = (value: number): RowNode => ({ kind: 'constant', value });
const rows = (bind: (input: ColumnInput) => RowReader): RowNode => ({ kind: 'rows', bind });

/**
 * Compiles a numeric expression tree so that evaluating it is one loop over the rows, whatever
 * its depth: each node becomes a closure reading row `i` of its children (columns are read in
 * place, literals stay constants, sub-trees of literals are folded), so no column is made per
 * node. String sub-trees (string columns, `==` on strings, `in` on strings, `is_null` of a
 * string) are evaluated to dictionary-encoded columns by `strings` and read by code. The values
 * are those of the columnar kernels (`numericKernels`, `unaryFunctions`): missing in, missing
 * out, three-valued `and`/`or`, division by zero missing. No code is generated from text.
 */
export function compileRows(t: TypedExpression, strings: StringCompiler): RowNode {
  switch (t.kind) {
    case 'column':
      return { kind: 'column', name: t.name };
    case 'literal':
      if (typeof t.value !== 'number') throw new TypeError('internal: a string literal in a numeric tree');
      return constant(t.value);
    case 'unary': {
      const f = t.op === 'neg' ? (x: number) => -x : (x: number) => (Number.isNaN(x) ? x : x === 0 ? 1 : 0);
      return map1(compileRows(t.arg, strings), f);
    }
    case 'binary':
      if (t.left.type === 'string') return stringEquality(t.left, t.right, t.op === '!=', strings);
      return map2(compileRows(t.left, strings), compileRows(t.right, strings), scalarBinary[t.op]);
    case 'in': {
      if (t.arg.type === 'string') {
        const values = t.values;
        return byCode(strings(t.arg), (s) => (values.includes(s) ? 1 : 0));
      }
      const set = new Set(t.values);
      return map1(compileRows(t.arg, strings), (x) => (Number.isNaN(x) ? x : set.has(x) ? 1 : 0));
    }
    case 'call':
      return compileCall(t.fn, t.args, strings);
  }
}

/**
 * Evaluates a compiled node over all rows into `out` (length = rows): one loop, or a copy of a
 * column, or a fill with a constant.
 */
export function fillRows(node: RowNode, input: ColumnInput, out: Float64Array): void {
  if (node.kind === 'constant') out.fill(node.value);
  else if (node.kind === 'column') out.set(input.num(node.name));
  else {
    const read = node.bind(input);
    for (let i = 0; i < out.length; i++) out[i] = read(i);
  }
}

/** Sets `keep[i]` to 1 where a compiled boolean node is true (1), else to 0: one loop. */
export function keepRows(node: RowNode, input: ColumnInput, keep: Uint8Array): void {
  if (node.kind === 'constant') {
    keep.fill(node.value === 1 ? 1 : 0);
    return;
  }
  const read = reader(bind(node, input));
  for (let i = 0; i < keep.length; i++) keep[i] = read(i) === 1 ? 1 : 0;
}

/** The values of a compiled node over all rows: a column itself, else a new array. */
export function evaluateRows(node: RowNode, input: ColumnInput): Float64Array {
  if (node.kind === 'column') return input.num(node.name);
  const out = new Float64Array(input.rows);
  fillRows(node, input, out);
  return out;
}

function bind(node: RowNode, input: ColumnInput): Bound {
  if (node.kind === 'constant') return node.value;
  if (node.kind === 'column') return input.num(node.name);
  return node.bind(input);
}

/** A bound operand as a row reader (constants and columns wrapped). */
function reader(b: Bound): RowReader {
  if (typeof b === 'number') return () => b;
  if (b instanceof Float64Array) return (i) => b[i];
  return b;
}

/** `f` of one operand, folded when the operand is a constant. */
function map1(arg: RowNode, f: (x: number) => number): RowNode {
  if (arg.kind === 'constant') return constant(f(arg.value));
  return rows((input) => {
    const a = bind(arg, input);
    if (a instanceof Float64Array) return (i) => f(a[i]);
    const r = a as RowReader;
    return (i) => f(r(i));
  });
}

/** `f` of two operands, folded when both are constants; columns and constants read in place. */
function map2(left: RowNode, right: RowNode, f: (x: number, y: number) => number): RowNode {
  if (left.kind === 'constant' && right.kind === 'constant') return constant(f(left.value, right.value));
  return rows((input) => {
    const a = bind(left, input);
    const b = bind(right, input);
    if (typeof a === 'number') {
      if (b instanceof Float64Array) return (i) => f(a, b[i]);
      const rb = b as RowReader;
      return (i) => f(a, rb(i));
    }
    if (a instanceof Float64Array) {
      if (typeof b === 'number') return (i) => f(a[i], b);
      if (b instanceof Float64Array) return (i) => f(a[i], b[i]);
      return (i) => f(a[i], b(i));
    }
    if (typeof b === 'number') return (i) => f(a(i), b);
    if (b instanceof Float64Array) return (i) => f(a(i), b[i]);
    return (i) => f(a(i), b(i));
  });
}

/** A value per dictionary entry of a string column, read by code (missing: `NaN`). */
function byCode(
  column: (input: ColumnInput) => StringVector,
  valueOf: (s: string) => number,
  missing = Number.NaN,
): RowNode {
  return rows((input) => {
    const { codes, dictionary } = column(input);
    const table = Float64Array.from(dictionary, valueOf);
    return (i) => {
      const c = codes[i];
      return c < 0 ? missing : table[c];
    };
  });
}

/**
 * `==`/`!=` on strings. Against a literal: a 0/1 per dictionary entry of the other side. Two
 * columns: both dictionaries mapped onto one id space, the ids compared row by row.
 */
function stringEquality(
  left: TypedExpression,
  right: TypedExpression,
  negate: boolean,
  strings: StringCompiler,
): RowNode {
  const literal = (t: TypedExpression) => (t.kind === 'literal' ? String(t.value) : undefined);
  const l = literal(left);
  const r = literal(right);
  if (l !== undefined && r !== undefined) return constant(l === r !== negate ? 1 : 0);
  if (l !== undefined || r !== undefined) {
    const value = (l ?? r) as string;
    return byCode(strings(l === undefined ? left : right), (s) => (s === value !== negate ? 1 : 0));
  }
  const x = strings(left);
  const y = strings(right);
  return rows((input) => {
    const a = x(input);
    const b = y(input);
    const ids = new Map<string, number>();
    a.dictionary.forEach((s, d) => {
      if (!ids.has(s)) ids.set(s, d);
    });
    const aIds = Int32Array.from(a.dictionary, (s) => ids.get(s)!);
    const bIds = Int32Array.from(b.dictionary, (s) => ids.get(s) ?? -2);
    const ac = a.codes;
    const bc = b.codes;
    return (i) => {
      const p = ac[i];
      const q = bc[i];
      return p < 0 || q < 0 ? Number.NaN : (aIds[p] === bIds[q]) !== negate ? 1 : 0;
    };
  });
}

function compileCall(fn: string, args: readonly TypedExpression[], strings: StringCompiler): RowNode {
  const unary = unaryFunctions[fn];
  if (unary) return map1(compileRows(args[0], strings), unary);
  if (fn === 'is_null' || fn === 'is_not_null') {
    const [yes, no] = fn === 'is_null' ? [1, 0] : [0, 1];
    if (args[0].type === 'string') return byCode(strings(args[0]), () => no, yes);
    return map1(compileRows(args[0], strings), (x) => (Number.isNaN(x) ? yes : no));
  }
  const nodes = args.map((a) => compileRows(a, strings));
  switch (fn) {
    case 'if':
      return choice(nodes[0], nodes[1], nodes[2] ?? constant(Number.NaN));
    case 'coalesce':
      return coalesce(nodes);
    case 'min':
    case 'max':
      return extreme(nodes, fn === 'min' ? Math.min : Math.max);
    case 'clip': {
      const [x, lo, hi] = nodes;
      return rows((input) => {
        const [rx, rlo, rhi] = [x, lo, hi].map((n) => reader(bind(n, input)));
        return (i) => {
          let v = rx(i);
          const a = rlo(i);
          const b = rhi(i);
          if (!Number.isNaN(a) && v < a) v = a;
          if (!Number.isNaN(b) && v > b) v = b;
          return v;
        };
      });
    }
    case 'year':
    case 'month':
    case 'day': {
      const part = fn === 'year' ? 0 : fn === 'month' ? 1 : 2;
      return map1(nodes[0], (d) => (Number.isNaN(d) ? d : civilFromDays(d)[part]));
    }
    case 'make_date': {
      const [y, m, d] = nodes;
      return rows((input) => {
        const [ry, rm, rd] = [y, m, d].map((n) => reader(bind(n, input)));
        return (i) => {
          const a = ry(i);
          const b = rm(i);
          const c = rd(i);
          const whole = Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c);
          return whole && isValidCivil(a, b, c) ? daysFromCivil(a, b, c) : Number.NaN;
        };
      });
    }
    case 'days_between':
      return map2(nodes[0], nodes[1], (a, b) => b - a);
    default:
      throw new TypeError(`internal: no kernel for function ${fn}()`);
  }
}

/** `if(test, a, b)`: `a` where the test is 1, else `b` (only the branch taken is read). */
function choice(test: RowNode, a: RowNode, b: RowNode): RowNode {
  if (test.kind === 'constant') return test.value === 1 ? a : b;
  return rows((input) => {
    const t = reader(bind(test, input));
    const x = bind(a, input);
    const y = bind(b, input);
    if (typeof x === 'number' && typeof y === 'number') return (i) => (t(i) === 1 ? x : y);
    const rx = reader(x);
    const ry = reader(y);
    return (i) => (t(i) === 1 ? rx(i) : ry(i));
  });
}

/** `coalesce(x1, x2, …)`: the first argument that is not missing. */
function coalesce(nodes: readonly RowNode[]): RowNode {
  const [first, second] = nodes;
  if (nodes.length === 2 && first.kind === 'column' && second.kind === 'constant') {
    // The common `coalesce(column, 0)`: one read and one test per row.
    const fallback = second.value;
    return rows((input) => {
      const a = input.num(first.name);
      return (i) => {
        const x = a[i];
        return Number.isNaN(x) ? fallback : x;
      };
    });
  }
  return rows((input) => {
    const readers = nodes.map((n) => reader(bind(n, input)));
    return (i) => {
      for (const r of readers) {
        const x = r(i);
        if (!Number.isNaN(x)) return x;
      }
      return Number.NaN;
    };
  });
}

/** `min`/`max` of the present arguments (missing when all are missing). */
function extreme(nodes: readonly RowNode[], pick: (x: number, y: number) => number): RowNode {
  return rows((input) => {
    const readers = nodes.map((n) => reader(bind(n, input)));
    return (i) => {
      let out = Number.NaN;
      for (const r of readers) {
        const x = r(i);
        if (Number.isNaN(x)) continue;
        out = Number.isNaN(out) ? x : pick(out, x);
      }
      return out;
    };
  });
}
