import type { CategoryColumn } from '../lineage/column.js';
import { daysFromCivil, isValidCivil } from './dates.js';
import { binaryCodes, binaryOp, unaryCodes, unaryOp } from './numeric-kernels.js';
import type { TypedExpression } from './typed-expression.js';
import type { ColumnInput, StringVector } from './vector.js';

/**
 * A numeric (number, boolean, date) expression compiled for column-at-a-time evaluation: a
 * constant (a literal, or a sub-tree of literals folded once), a column read as it is, or a node
 * whose `fill` writes every row of its value into a given array. A node's operands are evaluated
 * first, each into its own array (a column is read in place, a constant stays a number), and the
 * node's loop then combines them: every loop is one of a few shared kernels below, not a
 * closure per row, so the same few loops get hot (and optimised) whatever the expressions are.
 */
export type RowNode =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'column'; readonly name: string }
  | { readonly kind: 'rows'; readonly fill: (input: ColumnInput, out: Float64Array) => void };

/** Compiles a string-typed sub-tree to its dictionary-encoded column (see `compileTree`). */
export type StringCompiler = (t: TypedExpression) => (input: ColumnInput) => StringVector;

/** An evaluated operand: a constant, or one value per row. */
type Operand = number | Float64Array;

const constant = (value: number): RowNode => ({ kind: 'constant', value });
const rowsNode = (fill: (input: ColumnInput, out: Float64Array) => void): RowNode => ({ kind: 'rows', fill });

/**
 * Compiles a numeric expression tree for evaluation column by column: columns are read in place,
 * literals stay constants, sub-trees of literals are folded, and every other node is one loop
 * over the rows of its operands' values (see {@link RowNode}). A sub-tree that reads one string
 * column and nothing else is computed once per entry of that column's dictionary (and once for a
 * missing value) and read by code. Other string sub-trees are evaluated to dictionary-encoded
 * columns by `strings`. The values are those of `binaryOp` and `unaryOp`: missing in, missing
 * out, three-valued `and`/`or`, division by zero missing. No code is generated from text.
 */
export function compileRows(t: TypedExpression, strings: StringCompiler): RowNode {
  const only = t.kind === 'column' ? undefined : onlyStringColumn(t);
  if (only !== undefined) return byDictionary(only, compileNode(t, strings, false));
  return compileNode(t, strings, true);
}

/** Evaluates a compiled node over all rows into `out` (length = rows). */
export function fillRows(node: RowNode, input: ColumnInput, out: Float64Array): void {
  if (node.kind === 'constant') out.fill(node.value);
  else if (node.kind === 'column') out.set(input.num(node.name));
  else node.fill(input, out);
}

/** Sets `keep[i]` to 1 where a compiled boolean node is true (1), else to 0. */
export function keepRows(node: RowNode, input: ColumnInput, keep: Uint8Array): void {
  if (node.kind === 'constant') {
    keep.fill(node.value === 1 ? 1 : 0);
    return;
  }
  const v = node.kind === 'column' ? input.num(node.name) : evaluateRows(node, input);
  for (let i = 0; i < keep.length; i++) keep[i] = v[i] === 1 ? 1 : 0;
}

/** The values of a compiled node over all rows: a column itself, else a new array. */
export function evaluateRows(node: RowNode, input: ColumnInput): Float64Array {
  if (node.kind === 'column') return input.num(node.name);
  const out = new Float64Array(input.rows);
  fillRows(node, input, out);
  return out;
}

/** A node's value as an operand over `rows` rows: its constant, its column, or a new array. */
function operand(node: RowNode, input: ColumnInput, rows: number): Operand {
  if (node.kind === 'constant') return node.value;
  if (node.kind === 'column') return input.num(node.name);
  const out = new Float64Array(rows);
  node.fill(input, out);
  return out;
}

/** An operand as one value per row (a constant repeated). */
function perRow(x: Operand, rows: number): Float64Array {
  return typeof x === 'number' ? new Float64Array(rows).fill(x) : x;
}

/**
 * One node and its sub-trees (`tabulate`: sub-trees of one string column go by dictionary; not
 * inside a sub-tree that already does).
 */
function compileNode(t: TypedExpression, strings: StringCompiler, tabulate: boolean): RowNode {
  const sub = (c: TypedExpression) => (tabulate ? compileRows(c, strings) : compileNode(c, strings, false));
  switch (t.kind) {
    case 'column':
      return { kind: 'column', name: t.name };
    case 'literal':
      if (typeof t.value !== 'number') throw new TypeError('internal: a string literal in a numeric tree');
      return constant(t.value);
    case 'unary':
      return unary(sub(t.arg), unaryCodes[t.op]);
    case 'binary':
      if (t.left.type === 'string') return stringEquality(t.left, t.right, t.op === '!=', strings);
      return binary(sub(t.left), sub(t.right), binaryCodes[t.op]);
    case 'in': {
      if (t.arg.type === 'string') {
        const values = t.values;
        return byCode(strings(t.arg), (s) => (values.includes(s) ? 1 : 0));
      }
      return membership(sub(t.arg), Float64Array.from(t.values as readonly number[]));
    }
    case 'call':
      return compileCall(t.fn, t.args, strings, sub);
  }
}

/**
 * The one string column a tree reads when it reads exactly one column and that column is a
 * string one (its value is then a function of the column's dictionary code).
 */
function onlyStringColumn(t: TypedExpression): string | undefined {
  const columns = new Map<string, TypedExpression['type']>();
  const visit = (n: TypedExpression): void => {
    switch (n.kind) {
      case 'column':
        columns.set(n.name, n.type);
        return;
      case 'literal':
        return;
      case 'unary':
      case 'in':
        visit(n.arg);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
      case 'call':
        n.args.forEach(visit);
    }
  };
  visit(t);
  const [only] = columns;
  return columns.size === 1 && only[1] === 'string' ? only[0] : undefined;
}

/**
 * A node whose only column is the string column `name`, computed once per dictionary entry: the
 * node is evaluated on a table of one row per entry (and a first row for a missing value), and
 * each row reads that table by its code.
 */
function byDictionary(name: string, node: RowNode): RowNode {
  if (node.kind !== 'rows') return node;
  return rowsNode((input, out) => {
    const c = input.cat(name);
    const n = c.dictionary.length;
    const codes = Int32Array.from({ length: n + 1 }, (_, d) => d - 1);
    const entries: CategoryColumn = { kind: 'category', codes, dictionary: c.dictionary, sources: [] };
    const perEntry: ColumnInput = {
      rows: n + 1,
      num: (column) => {
        throw new TypeError(`internal: ${column} is not the one column ${name} of this sub-expression`);
      },
      cat: () => entries,
    };
    // Entry d of the dictionary is row d + 1 of the table, a missing value (code -1) row 0.
    lookUpCodes(c.codes, evaluateRows(node, perEntry), 1, out);
  });
}

/** `unaryOp(op, ·)` of one operand, folded when it is a constant. */
function unary(arg: RowNode, op: number): RowNode {
  if (arg.kind === 'constant') return constant(unaryOp(op, arg.value));
  return rowsNode((input, out) => unaryInto(op, perRow(operand(arg, input, out.length), out.length), out));
}

/** `binaryOp(op, ·, ·)` of two operands, folded when both are constants. */
function binary(left: RowNode, right: RowNode, op: number): RowNode {
  if (left.kind === 'constant' && right.kind === 'constant')
    return constant(binaryOp(op, left.value, right.value));
  return rowsNode((input, out) => {
    const a = operand(left, input, out.length);
    const b = operand(right, input, out.length);
    if (typeof a === 'number') constantBinaryInto(op, a, b as Float64Array, out);
    else if (typeof b === 'number') binaryConstantInto(op, a, b, out);
    else binaryInto(op, a, b, out);
  });
}

/** `x in [v1, v2, …]` of a numeric operand: missing stays missing, else 1 or 0. */
function membership(arg: RowNode, values: Float64Array): RowNode {
  if (arg.kind === 'constant') {
    const out = new Float64Array(1);
    memberInto(values, new Float64Array([arg.value]), out);
    return constant(out[0]);
  }
  return rowsNode((input, out) =>
    memberInto(values, perRow(operand(arg, input, out.length), out.length), out),
  );
}

/** A value per dictionary entry of a string column, read by code (`missing` for a missing value). */
function byCode(
  column: (input: ColumnInput) => StringVector,
  valueOfEntry: (s: string) => number,
  missing = Number.NaN,
): RowNode {
  return rowsNode((input, out) => {
    const { codes, dictionary } = column(input);
    const table = new Float64Array(dictionary.length + 1);
    table[0] = missing;
    for (let d = 0; d < dictionary.length; d++) table[d + 1] = valueOfEntry(dictionary[d]);
    lookUpCodes(codes, table, 1, out);
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
  if (l !== undefined && r !== undefined) return constant((l === r) !== negate ? 1 : 0);
  if (l !== undefined || r !== undefined) {
    const value = (l ?? r) as string;
    return byCode(strings(l === undefined ? left : right), (s) => ((s === value) !== negate ? 1 : 0));
  }
  const x = strings(left);
  const y = strings(right);
  return rowsNode((input, out) => {
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
    for (let i = 0; i < out.length; i++) {
      const p = ac[i];
      const q = bc[i];
      out[i] = p < 0 || q < 0 ? Number.NaN : (aIds[p] === bIds[q]) !== negate ? 1 : 0;
    }
  });
}

function compileCall(
  fn: string,
  args: readonly TypedExpression[],
  strings: StringCompiler,
  sub: (t: TypedExpression) => RowNode,
): RowNode {
  const code = unaryCodes[fn];
  if (code !== undefined) {
    if ((fn === 'is_null' || fn === 'is_not_null') && args[0].type === 'string') {
      const [yes, no] = fn === 'is_null' ? [1, 0] : [0, 1];
      return byCode(strings(args[0]), () => no, yes);
    }
    return unary(sub(args[0]), code);
  }
  const nodes = args.map(sub);
  switch (fn) {
    case 'if':
      return choice(nodes[0], nodes[1], nodes[2] ?? constant(Number.NaN));
    case 'coalesce':
      return coalesce(nodes);
    case 'min':
    case 'max':
      return extreme(nodes, fn === 'min' ? Math.min : Math.max);
    case 'clip':
      return perRowArguments(nodes, ([x, lo, hi], out) => {
        for (let i = 0; i < out.length; i++) {
          let v = x[i];
          const a = lo[i];
          const b = hi[i];
          if (!Number.isNaN(a) && v < a) v = a;
          if (!Number.isNaN(b) && v > b) v = b;
          out[i] = v;
        }
      });
    case 'make_date':
      return perRowArguments(nodes, ([y, m, d], out) => {
        for (let i = 0; i < out.length; i++) {
          const a = y[i];
          const b = m[i];
          const c = d[i];
          const whole = Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c);
          out[i] = whole && isValidCivil(a, b, c) ? daysFromCivil(a, b, c) : Number.NaN;
        }
      });
    case 'days_between':
      return binary(nodes[1], nodes[0], binaryCodes['-']);
    default:
      throw new TypeError(`internal: no kernel for function ${fn}()`);
  }
}

/** A node computed from its arguments' values, each as one value per row. */
function perRowArguments(
  nodes: readonly RowNode[],
  compute: (args: Float64Array[], out: Float64Array) => void,
): RowNode {
  return rowsNode((input, out) =>
    compute(
      nodes.map((n) => perRow(operand(n, input, out.length), out.length)),
      out,
    ),
  );
}

/**
 * `if(test, a, b)`: `a` where the test is 1, else `b`. Both branches are evaluated over all rows
 * (expressions have no side effects, and a missing or undefined value is `NaN`, never an error).
 */
function choice(test: RowNode, a: RowNode, b: RowNode): RowNode {
  if (test.kind === 'constant') return test.value === 1 ? a : b;
  return rowsNode((input, out) => {
    const n = out.length;
    const t = perRow(operand(test, input, n), n);
    const x = operand(a, input, n);
    const y = operand(b, input, n);
    if (typeof x === 'number' && typeof y === 'number') chooseConstantsInto(t, x, y, out);
    else chooseInto(t, perRow(x, n), perRow(y, n), out);
  });
}

/** `coalesce(x1, x2, …)`: the first argument that is not missing. */
function coalesce(nodes: readonly RowNode[]): RowNode {
  return rowsNode((input, out) => {
    fillRows(nodes[0], input, out);
    for (let k = 1; k < nodes.length; k++) {
      const x = operand(nodes[k], input, out.length);
      if (typeof x === 'number') fillMissingWithConstant(out, x);
      else fillMissingFrom(out, x);
    }
  });
}

/** `min`/`max` of the present arguments (missing when all are missing). */
function extreme(nodes: readonly RowNode[], pick: (x: number, y: number) => number): RowNode {
  return perRowArguments(nodes, (args, out) => {
    out.fill(Number.NaN);
    for (const a of args) {
      for (let i = 0; i < out.length; i++) {
        const x = a[i];
        if (Number.isNaN(x)) continue;
        const o = out[i];
        out[i] = Number.isNaN(o) ? x : pick(o, x);
      }
    }
  });
}

// The kernels: plain loops over typed arrays, shared by every expression (one module-level
// function per loop shape, so each gets hot once whatever the expressions are).

/** `out[i] = table[codes[i] + offset]`. */
function lookUpCodes(codes: Int32Array, table: Float64Array, offset: number, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = table[codes[i] + offset];
}

function unaryInto(op: number, a: Float64Array, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = unaryOp(op, a[i]);
}

function binaryInto(op: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = binaryOp(op, a[i], b[i]);
}

function constantBinaryInto(op: number, a: number, b: Float64Array, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = binaryOp(op, a, b[i]);
}

function binaryConstantInto(op: number, a: Float64Array, b: number, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = binaryOp(op, a[i], b);
}

/** `out[i]`: missing where `a[i]` is, else 1 when `values` has `a[i]`, else 0. */
function memberInto(values: Float64Array, a: Float64Array, out: Float64Array): void {
  const n = out.length;
  const m = values.length;
  for (let i = 0; i < n; i++) {
    const x = a[i];
    let v = Number.isNaN(x) ? x : 0;
    for (let k = 0; k < m && v === 0; k++) if (values[k] === x) v = 1;
    out[i] = v;
  }
}

function chooseInto(t: Float64Array, x: Float64Array, y: Float64Array, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = t[i] === 1 ? x[i] : y[i];
}

function chooseConstantsInto(t: Float64Array, x: number, y: number, out: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = t[i] === 1 ? x : y;
}

function fillMissingWithConstant(out: Float64Array, x: number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(out[i])) out[i] = x;
}

function fillMissingFrom(out: Float64Array, x: Float64Array): void {
  const n = out.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(out[i])) out[i] = x[i];
}
