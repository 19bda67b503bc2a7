import { UsageError } from '../errors.js';
import { type Column, categoryColumn, numberColumn } from './column.js';
import type { Frame } from './frame.js';

/** How an {@link Imputer} picks the value that fills a column's missing values. */
export type ImputeStrategy = 'mean' | 'median' | 'mode' | 'constant';

/** A fill value: a number (numeric columns), a text (categorical ones), or `null` (nothing to fill with). */
export type ImputeValue = number | string | null;

/** How to fit an {@link Imputer}. */
export interface ImputerConfig {
  /** Columns to fill (mean and median: numeric only; mode and constant: numeric or categorical). */
  columns: readonly string[];
  strategy: ImputeStrategy;
  /** The constant (strategy `constant`): a number for numeric columns, a text for categorical ones. */
  value?: number | string;
  /** Rows to fit on (non-zero = use), normally the train rows; default all rows. */
  trainMask?: Uint8Array;
  /** What the rows fitted on are, recorded in the `impute` op's `fitOn` (default `train`). */
  fitOn?: string;
}

/**
 * Fills missing values, with values fitted on the train rows: the mean, the median (the mean of
 * the two middle values for an even count), the most frequent value (ties: the smallest number or
 * text), or a constant. A column without any non-missing train value gets `null` and is left as
 * it is. The fitted values are recorded in the op's params so that an audit sees what was filled in.
 *
 * @example
 * const imp = Imputer.fit(frame, { columns: ['income'], strategy: 'median', trainMask });
 * const filled = imp.transform(frame, 'fill income'); // imp.values.income: the train median
 */
export class Imputer {
  readonly strategy: ImputeStrategy;
  /** Fill value per column. */
  readonly values: Readonly<Record<string, ImputeValue>>;
  /** What the values were fitted on: `train`, `all rows`, `constant`, or e.g. `run <id>`. */
  readonly fitOn: string;

  private constructor(strategy: ImputeStrategy, values: Record<string, ImputeValue>, fitOn: string) {
    this.strategy = strategy;
    this.values = values;
    this.fitOn = fitOn;
  }

  /** An imputer with given fill values, e.g. those fitted by an earlier run. */
  static fromValues(
    strategy: ImputeStrategy,
    values: Readonly<Record<string, ImputeValue>>,
    fitOn = 'given',
  ): Imputer {
    return new Imputer(strategy, { ...values }, fitOn);
  }

  /** Learns the fill value of each column from the train rows. */
  static fit(frame: Frame, config: ImputerConfig): Imputer {
    const mask = config.trainMask;
    if (mask && mask.length !== frame.rows) {
      throw new UsageError(
        'lineage.badMask',
        `impute fit: expected a train mask of length ${frame.rows}, got ${mask.length}`,
      );
    }
    const values: Record<string, ImputeValue> = {};
    for (const name of config.columns) {
      const c = frame.column(name);
      if (config.strategy === 'constant') {
        const v = config.value;
        if (v === undefined || (c.kind === 'number') !== (typeof v === 'number'))
          throw new UsageError(
            'lineage.columnType',
            `impute "${name}": expected a ${c.kind === 'number' ? 'number' : 'text'} constant for a ${c.kind === 'number' ? 'numeric' : 'categorical'} column, got ${JSON.stringify(v)}`,
          );
        values[name] = v;
      } else if (c.kind === 'category') {
        if (config.strategy !== 'mode')
          throw new UsageError(
            'lineage.columnType',
            `impute "${name}": strategy ${config.strategy} needs a numeric column, got a categorical one`,
          );
        values[name] = modeOfCodes(c.codes, c.dictionary, mask);
      } else {
        values[name] = fitNumber(config.strategy, c.values, mask);
      }
    }
    return new Imputer(
      config.strategy,
      values,
      config.strategy === 'constant' ? 'constant' : (config.fitOn ?? 'train'),
    );
  }

  /** Fills the fitted columns' missing values (records an `impute` op). */
  transform(frame: Frame, name = 'impute'): Frame {
    const columns = new Map<string, Column>(frame.columns);
    const lineage: Record<string, string[]> = {};
    const filled: Record<string, number> = {};
    for (const [col, value] of Object.entries(this.values)) {
      const c = frame.column(col);
      const [out, count] = fillColumn(col, c, value);
      columns.set(col, out);
      lineage[col] = [col];
      filled[col] = count;
    }
    const p = frame.pipeline;
    const opId = p.tracksOps
      ? p.record(
          'impute',
          name,
          { strategy: this.strategy, fitOn: this.fitOn, values: this.values, filled },
          [frame],
          { columns: lineage },
        )
      : '';
    return frame.withColumns(columns, opId);
  }
}

function fitNumber(strategy: ImputeStrategy, x: Float64Array, mask: Uint8Array | undefined): ImputeValue {
  const kept: number[] = [];
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]) && mask?.[i] !== 0) kept.push(x[i]);
  if (kept.length === 0) return null;
  if (strategy === 'mean') {
    let sum = 0;
    for (const v of kept) sum += v;
    return sum / kept.length;
  }
  const sorted = Float64Array.from(kept).sort();
  const n = sorted.length;
  if (strategy === 'median')
    return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  // mode: the longest run of equal values in sorted order; the first (smallest) wins ties
  let best = sorted[0];
  let bestRun = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && sorted[j] === sorted[i]) j++;
    if (j - i > bestRun) {
      bestRun = j - i;
      best = sorted[i];
    }
    i = j;
  }
  return best;
}

function modeOfCodes(
  codes: Int32Array,
  dictionary: readonly string[],
  mask: Uint8Array | undefined,
): ImputeValue {
  const counts = new Float64Array(dictionary.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0 && mask?.[i] !== 0) counts[codes[i]]++;
  let best = -1;
  for (let d = 0; d < counts.length; d++) {
    if (counts[d] === 0) continue;
    if (
      best < 0 ||
      counts[d] > counts[best] ||
      (counts[d] === counts[best] && dictionary[d] < dictionary[best])
    )
      best = d;
  }
  return best < 0 ? null : dictionary[best];
}

/** The column with its missing values replaced by `value`, and how many were replaced. */
function fillColumn(name: string, c: Column, value: ImputeValue): [Column, number] {
  if (value === null) return [c, 0];
  let count = 0;
  if (c.kind === 'number') {
    if (typeof value !== 'number')
      throw new UsageError(
        'lineage.columnType',
        `impute "${name}": expected a number to fill a numeric column, got ${JSON.stringify(value)}`,
      );
    const out = c.values.slice();
    for (let i = 0; i < out.length; i++) {
      if (Number.isNaN(out[i])) {
        out[i] = value;
        count++;
      }
    }
    return [numberColumn(out, c.sources), count];
  }
  if (typeof value !== 'string')
    throw new UsageError(
      'lineage.columnType',
      `impute "${name}": expected a text to fill a categorical column, got ${JSON.stringify(value)}`,
    );
  let code = c.dictionary.indexOf(value);
  const dictionary = code < 0 ? [...c.dictionary, value] : c.dictionary;
  if (code < 0) code = dictionary.length - 1;
  const out = c.codes.slice();
  for (let i = 0; i < out.length; i++) {
    if (out[i] < 0) {
      out[i] = code;
      count++;
    }
  }
  return [categoryColumn(out, dictionary, c.sources), count];
}
