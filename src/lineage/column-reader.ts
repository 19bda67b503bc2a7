import { UsageError } from '../errors.js';
import type { CategoryColumn, Column } from './column.js';
import type { Frame } from './frame.js';

/**
 * Read access to the declared input columns of a transform. Reading a column that was not
 * declared throws `lineage.undeclaredInput`, so column-level lineage cannot silently miss an input.
 *
 * @example
 * derive(frame, { name: 'y', inputs: ['x'], compute: (c, out) => {
 *   const x = c.num('x');
 *   for (let i = 0; i < x.length; i++) out[i] = x[i] * 2 + 1;
 * } });
 */
export class ColumnReader {
  /** Number of rows of the frame being read. */
  readonly rows: number;
  private readonly frame: Frame;
  private readonly inputs: readonly string[];

  constructor(frame: Frame, inputs: readonly string[]) {
    this.frame = frame;
    this.inputs = inputs;
    this.rows = frame.rows;
  }

  /** A declared input column. */
  column(name: string): Column {
    if (!this.inputs.includes(name)) {
      throw new UsageError(
        'lineage.undeclaredInput',
        `column "${name}" was read but not declared as an input (declared: ${this.inputs.join(', ') || 'none'})`,
      );
    }
    return this.frame.column(name);
  }

  /** A declared numeric input column's values. */
  num(name: string): Float64Array {
    this.column(name);
    return this.frame.num(name);
  }

  /** A declared categorical input column. */
  cat(name: string): CategoryColumn {
    this.column(name);
    return this.frame.cat(name);
  }

  /** A declared categorical input column as a 0/1 indicator of `value` (NaN when missing). */
  indicator(name: string, value: string | readonly string[]): Float64Array {
    const c = this.cat(name);
    const wanted = typeof value === 'string' ? [value] : value;
    const hit = new Uint8Array(c.dictionary.length);
    for (let d = 0; d < c.dictionary.length; d++) hit[d] = wanted.includes(c.dictionary[d]) ? 1 : 0;
    const out = new Float64Array(c.codes.length);
    for (let i = 0; i < out.length; i++) {
      const code = c.codes[i];
      out[i] = code < 0 ? Number.NaN : hit[code];
    }
    return out;
  }
}
