import type { TypedExpression } from './typed-expression.js';
import type { ColumnInput, Evaluator, NumericVector } from './vector.js';

/**
 * A numeric argument of `if`/`coalesce`: a literal stays a number (no column of copies is made
 * per call); anything else is evaluated to its column.
 */
type Operand = number | ((input: ColumnInput) => Float64Array);

/** Turns an argument tree and its compiled evaluator into an {@link Operand}. */
function operandOf(tree: TypedExpression, evaluate: Evaluator): Operand {
  if (tree.kind === 'literal' && typeof tree.value === 'number') return tree.value;
  return (input) => {
    const v = evaluate(input);
    if (v.type === 'string') throw new TypeError('internal: expected a numeric vector');
    return v.values;
  };
}

function valuesOf(o: Operand, input: ColumnInput): number | Float64Array {
  return typeof o === 'number' ? o : o(input);
}

/** A column of `rows` values: `x` itself, or `rows` copies of the constant `x`. */
function columnOf(x: number | Float64Array, rows: number): Float64Array {
  return typeof x === 'number' ? new Float64Array(rows).fill(x) : x;
}

/**
 * `coalesce`/`if` on numbers, booleans or dates (`if` without an else branch: missing there):
 * one loop over the rows per argument, literals read as constants.
 */
export function compileNumericChoice(
  fn: 'if' | 'coalesce',
  trees: readonly TypedExpression[],
  evaluators: readonly Evaluator[],
  type: NumericVector['type'],
): Evaluator {
  const operands = trees.map((t, i) => operandOf(t, evaluators[i]));
  if (fn === 'if') {
    const [test, then, otherwise] = operands;
    return (input) => {
      const rows = input.rows;
      const t = columnOf(valuesOf(test, input), rows);
      const a = valuesOf(then, input);
      const b = otherwise === undefined ? Number.NaN : valuesOf(otherwise, input);
      const out = new Float64Array(rows);
      if (typeof a === 'number' && typeof b === 'number') {
        for (let i = 0; i < rows; i++) out[i] = t[i] === 1 ? a : b;
      } else {
        const av = columnOf(a, rows);
        const bv = columnOf(b, rows);
        for (let i = 0; i < rows; i++) out[i] = t[i] === 1 ? av[i] : bv[i];
      }
      return { type, values: out };
    };
  }
  return (input) => {
    const out = new Float64Array(input.rows).fill(Number.NaN);
    for (const o of operands) {
      const x = valuesOf(o, input);
      if (typeof x === 'number') {
        for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = x;
      } else {
        for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = x[i];
      }
    }
    return { type, values: out };
  };
}
