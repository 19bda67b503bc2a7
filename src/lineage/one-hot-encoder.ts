import { UsageError } from '../errors.js';
import { type Column, numberColumn } from './column.js';
import type { Frame } from './frame.js';

/** How to fit a {@link OneHotEncoder}. */
export interface OneHotEncoderConfig {
  /** Categorical columns to encode. */
  columns: readonly string[];
  /** Rows to fit on (non-zero = use), normally the train rows; default all rows. */
  trainMask?: Uint8Array;
  /** Keep at most this many categories per column (most frequent in train first). */
  maxCategories?: number;
  /** Drop categories seen fewer than this many times in train (default 1). */
  minCount?: number;
  /**
   * Name of a bucket for the categories left out (beyond `maxCategories` or under `minCount`):
   * a column that had some gets one more indicator, `COLUMN=<other>`, which is 1 for them and
   * for values unseen in train. Default: none (left-out values encode as all zeros).
   */
  other?: string;
  /** What the rows fitted on are, recorded in the `encode` op's `fitOn` (default `train`). */
  fitOn?: string;
}

/**
 * One-hot encoding fitted on the train rows only: each categorical column becomes 0/1 columns
 * named `COLUMN=value`, one per category seen in train (most frequent first, ties by text).
 * Missing and unseen values encode as all zeros, unless the column has an `other` bucket (see
 * {@link OneHotEncoderConfig.other}). Each indicator's sources are its column's.
 *
 * @example
 * const enc = OneHotEncoder.fit(frame, { columns: ['CODE_GENDER'], trainMask });
 * const encoded = enc.transform(frame); // CODE_GENDER=F, CODE_GENDER=M, …
 */
export class OneHotEncoder {
  /** Fitted categories per column, in output order. */
  readonly categories: Readonly<Record<string, readonly string[]>>;
  /** The `other` bucket's name of each column that has one (its indicator comes last). */
  readonly others: Readonly<Record<string, string>>;
  /** What the categories were fitted on (recorded in the `encode` op's `fitOn`): `train`, or e.g. `run <id>`. */
  readonly fitOn: string;

  private constructor(
    categories: Record<string, string[]>,
    fitOn = 'train',
    others: Record<string, string> = {},
  ) {
    for (const [col, other] of Object.entries(others)) {
      if (categories[col]?.includes(other))
        throw new UsageError(
          'lineage.duplicateColumn',
          `one-hot "${col}": the other bucket "${other}" is also a kept category; expected another bucket name`,
        );
    }
    this.categories = categories;
    this.fitOn = fitOn;
    this.others = others;
  }

  /**
   * An encoder with given categories, e.g. those fitted by an earlier run, so that re-derived
   * rows land in the same feature space (`fitOn` is recorded in the op, e.g. `run <id>`).
   *
   * @example
   * const enc = OneHotEncoder.fromCategories(recipe.encoder.categories, `run ${runId}`);
   */
  static fromCategories(
    categories: Readonly<Record<string, readonly string[]>>,
    fitOn = 'given',
    others: Readonly<Record<string, string>> = {},
  ): OneHotEncoder {
    const copy: Record<string, string[]> = {};
    for (const [col, cats] of Object.entries(categories)) copy[col] = [...cats];
    return new OneHotEncoder(copy, fitOn, { ...others });
  }

  /** Learns the categories of each column from the train rows. */
  static fit(frame: Frame, config: OneHotEncoderConfig): OneHotEncoder {
    const mask = config.trainMask;
    if (mask && mask.length !== frame.rows) {
      throw new UsageError(
        'lineage.badMask',
        `one-hot fit: expected a train mask of length ${frame.rows}, got ${mask.length}`,
      );
    }
    const minCount = config.minCount ?? 1;
    const categories: Record<string, string[]> = {};
    const others: Record<string, string> = {};
    for (const name of config.columns) {
      const c = frame.cat(name);
      const counts = new Float64Array(c.dictionary.length);
      for (let i = 0; i < c.codes.length; i++) {
        const code = c.codes[i];
        if (code >= 0 && mask?.[i] !== 0) counts[code]++;
      }
      const order: number[] = [];
      for (let d = 0; d < counts.length; d++) if (counts[d] >= minCount) order.push(d);
      order.sort(
        (a, b) =>
          counts[b] - counts[a] ||
          (c.dictionary[a] < c.dictionary[b] ? -1 : c.dictionary[a] > c.dictionary[b] ? 1 : 0),
      );
      const kept = config.maxCategories === undefined ? order : order.slice(0, config.maxCategories);
      categories[name] = kept.map((d) => c.dictionary[d]);
      let seen = 0;
      for (let d = 0; d < counts.length; d++) if (counts[d] > 0) seen++;
      if (config.other !== undefined && seen > kept.length) others[name] = config.other;
    }
    return new OneHotEncoder(categories, config.fitOn ?? 'train', others);
  }

  /** Output column names, in order. */
  get outputNames(): string[] {
    return Object.keys(this.categories).flatMap((col) => this.outputNamesOf(col));
  }

  /** The indicator columns one fitted column becomes, in order (`[]` for a column not fitted). */
  outputNamesOf(column: string): string[] {
    const cats = this.categories[column] ?? [];
    const names = cats.map((v) => `${column}=${v}`);
    const other = this.others[column];
    if (other !== undefined) names.push(`${column}=${other}`);
    return names;
  }

  /** Replaces each fitted column by its indicator columns (records an `encode` op). */
  transform(frame: Frame, name = 'one-hot encode'): Frame {
    const columns = new Map<string, Column>();
    const lineage: Record<string, string[]> = {};
    for (const [colName, col] of frame.columns) {
      const cats = this.categories[colName];
      if (cats === undefined) {
        columns.set(colName, col);
        continue;
      }
      const c = frame.cat(colName);
      // Dictionary code → indicator index (or -1), then one pass per row.
      const slot = new Int32Array(c.dictionary.length).fill(-1);
      const pos = new Map(cats.map((v, k) => [v, k]));
      for (let d = 0; d < c.dictionary.length; d++) slot[d] = pos.get(c.dictionary[d]) ?? -1;
      const names = this.outputNamesOf(colName);
      const outs = names.map(() => new Float64Array(frame.rows));
      // Without a bucket, a left-out value sets nothing; with one, the last indicator.
      const rest = names.length > cats.length ? outs[cats.length] : undefined;
      for (let i = 0; i < c.codes.length; i++) {
        const code = c.codes[i];
        if (code < 0) continue;
        const s = slot[code];
        if (s >= 0) outs[s][i] = 1;
        else if (rest) rest[i] = 1;
      }
      for (let k = 0; k < names.length; k++) {
        const out = names[k];
        if (columns.has(out) || (frame.has(out) && out !== colName))
          throw new UsageError(
            'lineage.duplicateColumn',
            `one-hot "${colName}": indicator column "${out}" already exists; expected new column names`,
          );
        columns.set(out, numberColumn(outs[k], c.sources));
        lineage[out] = [colName];
      }
    }
    const p = frame.pipeline;
    const opId = p.tracksOps
      ? p.record(
          'encode',
          name,
          {
            encoder: 'one-hot',
            fitOn: this.fitOn,
            categories: this.categories,
            ...(Object.keys(this.others).length > 0 ? { other: this.others } : {}),
          },
          [frame],
          { columns: lineage },
        )
      : '';
    return frame.withColumns(columns, opId);
  }
}
