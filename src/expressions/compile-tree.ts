import { civilFromDays, daysFromCivil, isValidCivil } from './dates.js';
import { compileNumericChoice } from './numeric-choice.js';
import { numericKernels, unaryFunctions } from './numeric-kernels.js';
import { constantStrings, unifyStrings } from './string-vectors.js';
import type { TypedExpression } from './typed-expression.js';
import type { Evaluator, NumericVector, StringVector, Vector } from './vector.js';

type NumericType = NumericVector['type'];

/**
 * Compiles a typed tree into nested closures over typed arrays: each node evaluates its
 * children once per call and runs one loop over the rows. No code is generated from text.
 */
export function compileTree(t: TypedExpression): Evaluator {
  switch (t.kind) {
    case 'column':
      return t.type === 'string'
        ? (input) => {
            const c = input.cat(t.name);
            return { type: 'string', codes: c.codes, dictionary: c.dictionary };
          }
        : (input) => ({ type: t.type as NumericType, values: input.num(t.name) });
    case 'literal': {
      const v = t.value;
      return typeof v === 'string'
        ? (input) => constantStrings(v, input.rows)
        : (input) => ({ type: t.type as NumericType, values: new Float64Array(input.rows).fill(v) });
    }
    case 'unary': {
      const arg = compileTree(t.arg);
      const f = t.op === 'neg' ? (x: number) => -x : (x: number) => (Number.isNaN(x) ? x : x === 0 ? 1 : 0);
      return (input) => ({ type: t.type as NumericType, values: num(arg(input)).map(f) });
    }
    case 'binary': {
      const left = compileTree(t.left);
      const right = compileTree(t.right);
      if (t.left.type === 'string') return compileStringEquality(left, right, t.op === '!=');
      const kernel = numericKernels[t.op];
      return (input) => {
        const out = new Float64Array(input.rows);
        kernel(num(left(input)), num(right(input)), out);
        return { type: t.type as NumericType, values: out };
      };
    }
    case 'in':
      return compileIn(compileTree(t.arg), t.values);
    case 'call': {
      const args = t.args.map(compileTree);
      if ((t.fn === 'if' || t.fn === 'coalesce') && t.type !== 'string')
        return compileNumericChoice(t.fn, t.args, args, t.type);
      return compileCall(t.fn, args, t.type);
    }
  }
}

function num(v: Vector): Float64Array {
  if (v.type === 'string') throw new TypeError('internal: expected a numeric vector');
  return v.values;
}

function str(v: Vector): StringVector {
  if (v.type !== 'string') throw new TypeError('internal: expected a string vector');
  return v;
}

/**
 * `==`/`!=` on strings: the two dictionaries are mapped onto one id space (small), then the codes
 * are compared through those maps (no column is re-coded).
 */
function compileStringEquality(left: Evaluator, right: Evaluator, negate: boolean): Evaluator {
  return (input) => {
    const x = str(left(input));
    const y = str(right(input));
    const ids = new Map<string, number>();
    const xIds = Int32Array.from(x.dictionary, (s, d) => {
      const id = ids.get(s);
      if (id !== undefined) return id;
      ids.set(s, d);
      return d;
    });
    const yIds = Int32Array.from(y.dictionary, (s) => ids.get(s) ?? -2);
    const [a, b] = [x.codes, y.codes];
    const out = new Float64Array(input.rows);
    for (let i = 0; i < out.length; i++) {
      out[i] = a[i] < 0 || b[i] < 0 ? Number.NaN : (xIds[a[i]] === yIds[b[i]]) !== negate ? 1 : 0;
    }
    return { type: 'boolean', values: out };
  };
}

function compileIn(arg: Evaluator, values: readonly (number | string)[]): Evaluator {
  return (input) => {
    const v = arg(input);
    const out = new Float64Array(input.rows);
    if (v.type === 'string') {
      const hit = v.dictionary.map((s) => (values.includes(s) ? 1 : 0));
      for (let i = 0; i < out.length; i++) out[i] = v.codes[i] < 0 ? Number.NaN : hit[v.codes[i]];
    } else {
      const set = new Set(values);
      for (let i = 0; i < out.length; i++) {
        const x = v.values[i];
        out[i] = Number.isNaN(x) ? x : set.has(x) ? 1 : 0;
      }
    }
    return { type: 'boolean', values: out };
  };
}

function compileCall(fn: string, args: Evaluator[], type: TypedExpression['type']): Evaluator {
  const unary = unaryFunctions[fn];
  if (unary) return (input) => ({ type: 'number', values: num(args[0](input)).map(unary) });
  switch (fn) {
    case 'is_null':
    case 'is_not_null': {
      const want = fn === 'is_null';
      return (input) => {
        const v = args[0](input);
        const out = new Float64Array(input.rows);
        const [yes, no] = want ? [1, 0] : [0, 1];
        if (v.type === 'string') for (let i = 0; i < out.length; i++) out[i] = v.codes[i] < 0 ? yes : no;
        else for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(v.values[i]) ? yes : no;
        return { type: 'boolean', values: out };
      };
    }
    case 'coalesce':
    case 'if':
      return compileStringChoice(fn, args);
    case 'min':
    case 'max': {
      const pick = fn === 'min' ? Math.min : Math.max;
      return (input) => {
        const out = new Float64Array(input.rows).fill(Number.NaN);
        for (const a of args) {
          const x = num(a(input));
          for (let i = 0; i < out.length; i++) {
            if (Number.isNaN(x[i])) continue;
            out[i] = Number.isNaN(out[i]) ? x[i] : pick(out[i], x[i]);
          }
        }
        return { type: type as NumericType, values: out };
      };
    }
    case 'clip':
      return (input) => {
        const [x, lo, hi] = args.map((a) => num(a(input)));
        const out = new Float64Array(input.rows);
        for (let i = 0; i < out.length; i++) {
          let v = x[i];
          if (!Number.isNaN(lo[i]) && v < lo[i]) v = lo[i];
          if (!Number.isNaN(hi[i]) && v > hi[i]) v = hi[i];
          out[i] = v;
        }
        return { type: 'number', values: out };
      };
    case 'year':
    case 'month':
    case 'day': {
      const part = fn === 'year' ? 0 : fn === 'month' ? 1 : 2;
      return (input) => ({
        type: 'number',
        values: num(args[0](input)).map((d) => (Number.isNaN(d) ? d : civilFromDays(d)[part])),
      });
    }
    case 'make_date':
      return (input) => {
        const [y, m, d] = args.map((a) => num(a(input)));
        const out = new Float64Array(input.rows);
        for (let i = 0; i < out.length; i++) {
          const whole = Number.isInteger(y[i]) && Number.isInteger(m[i]) && Number.isInteger(d[i]);
          out[i] = whole && isValidCivil(y[i], m[i], d[i]) ? daysFromCivil(y[i], m[i], d[i]) : Number.NaN;
        }
        return { type: 'date', values: out };
      };
    case 'days_between':
      return (input) => {
        const a = num(args[0](input));
        const b = num(args[1](input));
        return { type: 'number', values: b.map((y, i) => y - a[i]) };
      };
    default:
      throw new TypeError(`internal: no kernel for function ${fn}()`);
  }
}

/** `coalesce`/`if` on strings: the branches are re-coded onto one dictionary first. */
function compileStringChoice(fn: string, args: Evaluator[]): Evaluator {
  return (input) => {
    const test = fn === 'if' ? num(args[0](input)) : undefined;
    const branches = (fn === 'if' ? args.slice(1) : args).map((a) => str(a(input)));
    const { dictionary, codes } = unifyStrings(branches);
    const out = new Int32Array(input.rows);
    for (let i = 0; i < out.length; i++) {
      if (test) {
        out[i] = test[i] === 1 ? codes[0][i] : codes.length > 1 ? codes[1][i] : -1;
        continue;
      }
      out[i] = -1;
      for (const c of codes) {
        if (c[i] >= 0) {
          out[i] = c[i];
          break;
        }
      }
    }
    return { type: 'string', codes: out, dictionary };
  };
}
