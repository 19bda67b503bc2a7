import { compileRows, evaluateRows, type RowNode } from './compile-rows.js';
import { constantStrings, unifyStrings } from './string-vectors.js';
import type { TypedExpression } from './typed-expression.js';
import type { ColumnInput, Evaluator, NumericVector, StringVector } from './vector.js';

/** A compiled tree: its evaluator, and for a numeric tree the one-pass form the evaluator runs. */
export interface CompiledTree {
  readonly evaluate: Evaluator;
  /** Numeric (number, boolean, date) trees only: see `compileRows`. */
  readonly rows?: RowNode;
}

/**
 * Compiles a typed tree into closures over typed arrays. A numeric tree is evaluated in one pass
 * over the rows (`compileRows`); a string tree column by column, dictionary-encoded (string
 * columns and literals, `if`/`coalesce` of strings). No code is generated from text.
 */
export function compileTree(t: TypedExpression): CompiledTree {
  if (t.type === 'string') return { evaluate: compileStrings(t) };
  const rows = compileRows(t, compileStrings);
  const type = t.type as NumericVector['type'];
  return { evaluate: (input) => ({ type, values: evaluateRows(rows, input) }), rows };
}

/** A string-typed tree as a dictionary-encoded column. */
function compileStrings(t: TypedExpression): (input: ColumnInput) => StringVector {
  switch (t.kind) {
    case 'column':
      return (input) => {
        const c = input.cat(t.name);
        return { type: 'string', codes: c.codes, dictionary: c.dictionary };
      };
    case 'literal': {
      const v = String(t.value);
      return (input) => constantStrings(v, input.rows);
    }
    case 'call':
      if (t.fn === 'if' || t.fn === 'coalesce') return compileStringChoice(t.fn, t.args);
      break;
  }
  throw new TypeError(`internal: a ${t.kind} node of type string`);
}

/** `coalesce`/`if` on strings: the branches are re-coded onto one dictionary first. */
function compileStringChoice(
  fn: 'if' | 'coalesce',
  args: readonly TypedExpression[],
): (input: ColumnInput) => StringVector {
  const test = fn === 'if' ? compileRows(args[0], compileStrings) : undefined;
  const branches = (fn === 'if' ? args.slice(1) : args).map(compileStrings);
  return (input) => {
    const t = test && evaluateRows(test, input);
    const { dictionary, codes } = unifyStrings(branches.map((b) => b(input)));
    const out = new Int32Array(input.rows);
    for (let i = 0; i < out.length; i++) {
      if (t) {
        out[i] = t[i] === 1 ? codes[0][i] : codes.length > 1 ? codes[1][i] : -1;
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
