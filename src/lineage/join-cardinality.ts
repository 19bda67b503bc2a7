import { InputError } from '../errors.js';
import type { Column } from './column.js';
import type { Frame } from './frame.js';

/** A join's declared cardinality: each left key matches at most one right row (one-to-one: and left keys are unique too). */
export type JoinCardinality = 'many-to-one' | 'one-to-one';

/** One side of a join, for the cardinality check. */
interface JoinSide {
  /** `left` or `right`. */
  side: string;
  frame: Frame;
  keys: readonly string[];
  /** Key id per row (`-1`: a missing key part). */
  ids: Int32Array;
}

/**
 * Checks a join's declared cardinality on the data: `many-to-one` needs every right key value to
 * occur at most once among the right rows, `one-to-one` also every left key value among the left
 * rows (rows with a missing key part never match and are not counted). Throws
 * `pipeline.joinCardinality` naming the declared step (when one is being run), the join and the
 * first offending key value: the key of the first row, in row order, that repeats an earlier
 * row's key.
 */
export function checkJoinCardinality(
  name: string,
  cardinality: JoinCardinality,
  keyCount: number,
  left: JoinSide,
  right: JoinSide,
): void {
  const sides = cardinality === 'one-to-one' ? [right, left] : [right];
  for (const s of sides) {
    const seen = new Int32Array(keyCount).fill(-1);
    for (let i = 0; i < s.ids.length; i++) {
      const k = s.ids[i];
      if (k < 0) continue;
      if (seen[k] < 0) {
        seen[k] = i;
        continue;
      }
      const step = s.frame.pipeline.step;
      throw new InputError(
        'pipeline.joinCardinality',
        `${step === undefined ? '' : `step "${step}": `}join "${name}" is declared ${cardinality}, but ${s.side} key ${describeKey(s, i)} occurs more than once among the ${s.side} rows (rows ${seen[k]} and ${i} of the ${s.side} input); expected each ${s.side} key once`,
      );
    }
  }
}

/** `a = 1` or `(a, b) = (1, 'x')` for row `i` of a side. */
function describeKey(s: JoinSide, i: number): string {
  const values = s.keys.map((k) => valueText(s.frame.column(k), i));
  return s.keys.length === 1
    ? `${s.keys[0]} = ${values[0]}`
    : `(${s.keys.join(', ')}) = (${values.join(', ')})`;
}

function valueText(c: Column, i: number): string {
  return c.kind === 'number' ? String(c.values[i]) : JSON.stringify(c.dictionary[c.codes[i]]);
}
