import type { CategoryColumn } from '../lineage/column.js';
import { daysFromCivil, isValidCivil } from './dates.js';
import { binaryCodes, binaryOp, unaryCodes, unaryOp } from './numeric-kernels.js';
import type { TypedExpression } from './typed-expression.js';
import type { ColumnInput, StringVector } from './vector.js';

/** Row `i` of a numeric expression (`NaN` is missing). */
type RowReader = (i: number) => number;

/**
 * A numeric (number, boolean, date) expression compiled for one pass over the rows: a constant
 * (a literal, or a sub-tree of literals folded once), a column read as it is, or a reader bound to
 * the input's columns once per evaluation (`fill`, when present, writes every row without a
 * call per row).
 */
export type RowNode =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'column'; readonly name: string }
  | {
      readonly kind: 'rows';
      readonly bind: (input: ColumnInput) => RowReader;
      readonly fill?: (input: ColumnInput, out: Float64Array) => void;
    };

/** Compiles a string-typed sub-tree to its dictionary-encoded column (see `compileTree`). */
export type StringCompiler = (t: TypedExpression) => (input: ColumnInput) => StringVector;

/** A node bound to an input: a constant, a column's values, or a row reader. */
type Bound = number | Float64Array | RowReader;

const constant = (value: number): RowNode => ({ kind: 'constant', value });

/**
 * Compiles a numeric expression tree so that evaluating it is one loop over the rows, whatever
 * its depth: each node becomes a closure reading row `i` of its children (columns are read in
 * place, literals stay constants, sub-trees of literals are folded), so no column is made per
 * node. A sub-tree that reads one string column and nothing else is computed once per entry of
 * that column's dictionary (and once for a missing value) and read by code. Other string
 * sub-trees are evaluated to dictionary-encoded columns by `strings`. The values are those of
 * `binaryOp` and `unaryOp`: missing in, missing out, three-valued `and`/`or`, division by zero
 * missing. No code is generated from text.
 */
export function compileRows(t: TypedExpression, strings: StringCompiler): RowNode {
  const only = t.kind === 'column' ? undefined : onlyStringColumn(t);
  if (only !== undefined) return byDictionary(only, compileNode(t, strings, false));
  return compileNode(t, strings, true);
}

/**
 * Evaluates a compiled node over all rows into `out` (length = rows): one loop, or a copy of a
 * column, or a fill with a constant.
 */
export function fillRows(node: RowNode, input: ColumnInput, out: Float64Array): void {
  if (node.kind === 'constant') out.fill(node.value);
  else if (node.kind === 'column') out.set(input.num(node.name));
  else if (node.fill) node.fill(input, out);
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
      const set = new Set(t.values);
      const arg = sub(t.arg);
      const member = (x: number) => (Number.isNaN(x) ? x : set.has(x) ? 1 : 0);
      if (arg.kind === 'constant') return constant(member(arg.value));
      return {
        kind: 'rows',
        bind: (input) => {
          const r = reader(bind(arg, input));
          return (i) => member(r(i));
        },
      };
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
  const tableOf = (input: ColumnInput) => {
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
    return { codes: c.codes, table: evaluateRows(node, perEntry) };
  };
  return {
    kind: 'rows',
    bind: (input) => {
      const { codes, table } = tableOf(input);
      return (i) => table[codes[i] + 1];
    },
    fill: (input, out) => {
      const { codes, table } = tableOf(input);
      for (let i = 0; i < out.length; i++) out[i] = table[codes[i] + 1];
    },
  };
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

/** `unaryOp(op, ·)` of one operand, folded when it is a constant. */
function unary(arg: RowNode, op: number): RowNode {
  if (arg.kind === 'constant') return constant(unaryOp(op, arg.value));
  if (arg.kind === 'column') {
    const name = arg.name;
    return {
      kind: 'rows',
      bind: (input) => {
        const a = input.num(name);
        return (i) => unaryOp(op, a[i]);
      },
      fill: (input, out) => {
        const a = input.num(name);
        for (let i = 0; i < out.length; i++) out[i] = unaryOp(op, a[i]);
      },
    };
  }
  return {
    kind: 'rows',
    bind: (input) => {
      const r = arg.bind(input);
      return (i) => unaryOp(op, r(i));
    },
  };
}

/** `binaryOp(op, ·, ·)` of two operands, folded when both are constants; columns and constants read in place. */
function binary(left: RowNode, right: RowNode, op: number): RowNode {
  if (left.kind === 'constant' && right.kind === 'constant')
    return constant(binaryOp(op, left.value, right.value));
  const leaves = left.kind !== 'rows' && right.kind !== 'rows';
  return {
    kind: 'rows',
    bind: (input) => {
      const a = bind(left, input);
      const b = bind(right, input);
      if (typeof a === 'number') {
        if (b instanceof Float64Array) return (i) => binaryOp(op, a, b[i]);
        const rb = b as RowReader;
        return (i) => binaryOp(op, a, rb(i));
      }
      if (a instanceof Float64Array) {
        if (typeof b === 'number') return (i) => binaryOp(op, a[i], b);
        if (b instanceof Float64Array) return (i) => binaryOp(op, a[i], b[i]);
        return (i) => binaryOp(op, a[i], b(i));
      }
      if (typeof b === 'number') return (i) => binaryOp(op, a(i), b);
      if (b instanceof Float64Array) return (i) => binaryOp(op, a(i), b[i]);
      return (i) => binaryOp(op, a(i), b(i));
    },
    // Two columns, or a column and a constant: a plain loop.
    fill: leaves
      ? (input, out) => {
          const a = bind(left, input) as number | Float64Array;
          const b = bind(right, input) as number | Float64Array;
          const n = out.length;
          if (typeof a === 'number')
            for (let i = 0; i < n; i++) out[i] = binaryOp(op, a, (b as Float64Array)[i]);
          else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = binaryOp(op, a[i], b);
          else for (let i = 0; i < n; i++) out[i] = binaryOp(op, a[i], b[i]);
        }
      : undefined,
  };
}

/** A value per dictionary entry of a string column, read by code (`missing` for a missing value). */
function byCode(
  column: (input: ColumnInput) => StringVector,
  valueOfEntry: (s: string) => number,
  missing = Number.NaN,
): RowNode {
  return {
    kind: 'rows',
    bind: (input) => {
      const { codes, dictionary } = column(input);
      const table = Float64Array.from(dictionary, valueOfEntry);
      return (i) => {
        const c = codes[i];
        return c < 0 ? missing : table[c];
      };
    },
  };
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
  return {
    kind: 'rows',
    bind: (input) => {
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
    },
  };
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
      return readersOf(nodes, ([x, lo, hi]) => (i) => {
        let v = x(i);
        const a = lo(i);
        const b = hi(i);
        if (!Number.isNaN(a) && v < a) v = a;
        if (!Number.isNaN(b) && v > b) v = b;
        return v;
      });
    case 'make_date':
      return readersOf(nodes, ([y, m, d]) => (i) => {
        const a = y(i);
        const b = m(i);
        const c = d(i);
        const whole = Number.isInteger(a) && Number.isInteger(b) && Number.isInteger(c);
        return whole && isValidCivil(a, b, c) ? daysFromCivil(a, b, c) : Number.NaN;
      });
    case 'days_between':
      return binary(nodes[1], nodes[0], binaryCodes['-']);
    default:
      throw new TypeError(`internal: no kernel for function ${fn}()`);
  }
}

/** A node reading its arguments as row readers. */
function readersOf(nodes: readonly RowNode[], make: (readers: RowReader[]) => RowReader): RowNode {
  return { kind: 'rows', bind: (input) => make(nodes.map((n) => reader(bind(n, input)))) };
}

/** `if(test, a, b)`: `a` where the test is 1, else `b` (only the branch taken is read). */
function choice(test: RowNode, a: RowNode, b: RowNode): RowNode {
  if (test.kind === 'constant') return test.value === 1 ? a : b;
  return {
    kind: 'rows',
    bind: (input) => {
      const t = reader(bind(test, input));
      const x = bind(a, input);
      const y = bind(b, input);
      if (typeof x === 'number' && typeof y === 'number') return (i) => (t(i) === 1 ? x : y);
      const rx = reader(x);
      const ry = reader(y);
      return (i) => (t(i) === 1 ? rx(i) : ry(i));
    },
  };
}

/** `coalesce(x1, x2, …)`: the first argument that is not missing. */
function coalesce(nodes: readonly RowNode[]): RowNode {
  const [first, second] = nodes;
  if (nodes.length === 2 && first.kind === 'column' && second.kind === 'constant') {
    // The common `coalesce(column, 0)`: one read and one test per row.
    const fallback = second.value;
    return {
      kind: 'rows',
      bind: (input) => {
        const a = input.num(first.name);
        return (i) => {
          const x = a[i];
          return Number.isNaN(x) ? fallback : x;
        };
      },
      fill: (input, out) => {
        const a = input.num(first.name);
        for (let i = 0; i < out.length; i++) {
          const x = a[i];
          out[i] = Number.isNaN(x) ? fallback : x;
        }
      },
    };
  }
  return readersOf(nodes, (readers) => (i) => {
    for (const r of readers) {
      const x = r(i);
      if (!Number.isNaN(x)) return x;
    }
    return Number.NaN;
  });
}

/** `min`/`max` of the present arguments (missing when all are missing). */
function extreme(nodes: readonly RowNode[], pick: (x: number, y: number) => number): RowNode {
  return readersOf(nodes, (readers) => (i) => {
    let out = Number.NaN;
    for (const r of readers) {
      const x = r(i);
      if (Number.isNaN(x)) continue;
      out = Number.isNaN(out) ? x : pick(out, x);
    }
    return out;
  });
}
