import { UsageError } from '../errors.js';
import { type Column, numberColumn } from './column.js';
import type { Frame } from './frame.js';

/** How to fit a {@link StandardScaler}. */
export interface StandardScalerConfig {
  /** Numeric columns to standardise. */
  columns: readonly string[];
  /** Rows to fit on (non-zero = use), normally the train rows; default all rows. */
  trainMask?: Uint8Array;
  /** What the rows fitted on are, recorded in the `encode` op's `fitOn` (default `train`). */
  fitOn?: string;
}

/**
 * Standardisation fitted on the train rows only: `(x − mean) / sd` with the train mean and
 * population sd of the non-missing values (sd 0 → 1). Missing values become 0, i.e. the train
 * mean (mean imputation).
 */
export class StandardScaler {
  /** Train means per column. */
  readonly means: Readonly<Record<string, number>>;
  /** Train standard deviations per column (1 where the sd was 0 or undefined). */
  readonly sds: Readonly<Record<string, number>>;
  /** What the statistics were fitted on (recorded in the `encode` op's `fitOn`): `train`, or e.g. `run <id>`. */
  readonly fitOn: string;

  private constructor(means: Record<string, number>, sds: Record<string, number>, fitOn = 'train') {
    this.means = means;
    this.sds = sds;
    this.fitOn = fitOn;
  }

  /**
   * A scaler with given statistics, e.g. those fitted by an earlier run, so that re-derived rows
   * land in the same feature space. Every column needs a mean and an sd > 0.
   *
   * @throws UsageError `lineage.badStatistics` when a column lacks one or an sd is not > 0.
   */
  static fromStatistics(
    means: Readonly<Record<string, number>>,
    sds: Readonly<Record<string, number>>,
    fitOn = 'given',
  ): StandardScaler {
    const m: Record<string, number> = {};
    const s: Record<string, number> = {};
    for (const col of Object.keys(means)) {
      const sd = sds[col];
      if (!Number.isFinite(means[col]) || !(sd > 0) || !Number.isFinite(sd)) {
        throw new UsageError(
          'lineage.badStatistics',
          `standardise: column "${col}" needs a finite mean and an sd > 0, got ${means[col]} and ${sd}`,
        );
      }
      m[col] = means[col];
      s[col] = sd;
    }
    return new StandardScaler(m, s, fitOn);
  }

  /** Learns means and sds from the train rows. */
  static fit(frame: Frame, config: StandardScalerConfig): StandardScaler {
    const mask = config.trainMask;
    if (mask && mask.length !== frame.rows) {
      throw new UsageError(
        'lineage.badMask',
        `standard scaler fit: expected a train mask of length ${frame.rows}, got ${mask.length}`,
      );
    }
    const means: Record<string, number> = {};
    const sds: Record<string, number> = {};
    for (const name of config.columns) {
      const x = frame.num(name);
      let n = 0;
      let sum = 0;
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if (!Number.isNaN(v) && mask?.[i] !== 0) {
          n++;
          sum += v;
        }
      }
      const mean = n > 0 ? sum / n : 0;
      let ss = 0;
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        if (!Number.isNaN(v) && mask?.[i] !== 0) ss += (v - mean) * (v - mean);
      }
      const sd = n > 0 ? Math.sqrt(ss / n) : 0;
      means[name] = mean;
      sds[name] = sd > 0 && Number.isFinite(sd) ? sd : 1;
    }
    return new StandardScaler(means, sds, config.fitOn ?? 'train');
  }

  /** Standardises the fitted columns (records an `encode` op). */
  transform(frame: Frame, name = 'standardise'): Frame {
    const columns = new Map<string, Column>(frame.columns);
    const lineage: Record<string, string[]> = {};
    for (const col of Object.keys(this.means)) {
      const c = frame.column(col);
      if (c.kind !== 'number')
        throw new UsageError(
          'lineage.columnType',
          `standardise: expected numeric column "${col}", got a categorical one`,
        );
      const mean = this.means[col];
      const sd = this.sds[col];
      const x = c.values;
      const out = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        out[i] = Number.isNaN(v) ? 0 : (v - mean) / sd;
      }
      columns.set(col, numberColumn(out, c.sources));
      lineage[col] = [col];
    }
    const p = frame.pipeline;
    const opId = p.tracksOps
      ? p.record(
          'encode',
          name,
          {
            encoder: 'standardise',
            fitOn: this.fitOn,
            means: this.means,
            sds: this.sds,
            missing: 'train mean',
          },
          [frame],
          { columns: lineage },
        )
      : '';
    return frame.withColumns(columns, opId);
  }
}
