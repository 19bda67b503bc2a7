import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { InputError } from '../errors.js';
import { type Column, categoryColumn, numberColumn } from '../lineage/column.js';
import { Frame } from '../lineage/frame.js';
import { OneHotEncoder } from '../lineage/one-hot-encoder.js';
import { Pipeline } from '../lineage/pipeline.js';
import { StandardScaler } from '../lineage/standard-scaler.js';
import type { CsvTable } from './csv-table.js';

/** Options of {@link fitTabularEncoder}. */
export interface TabularEncoderConfig {
  /** Label column (binary). */
  label: string;
  /** Columns to ignore. */
  drop?: string[];
  /** Columns to one-hot even if numeric; other non-numeric columns are detected. */
  categorical?: string[];
  /** Value of the label that means y = 1; detected when omitted. */
  positive?: string;
  /** Cells treated as missing (rows with a missing used cell are dropped). Default `?`, ``, `NA`. */
  missing?: string[];
}

/**
 * A fitted encoding: numeric columns standardised with train statistics, categoricals one-hot
 * with their train levels (sorted). The encoding itself is done by the lineage encoders
 * ({@link StandardScaler}, {@link OneHotEncoder}); this is their fitted state for a data set.
 */
export interface TabularEncoder {
  label: string;
  positive: string;
  negative: string;
  numeric: { column: string; mean: number; sd: number }[];
  categorical: { column: string; levels: string[] }[];
  featureNames: string[];
  missing: string[];
}

/** Rows kept after dropping missing cells, with their original row numbers. */
export interface EncodedRows extends LabelledRows {
  /** 0-based data row number in the CSV of each kept row. */
  rowIds: Uint32Array;
}

const POSITIVE_NAMES = ['1', 'true', 'yes', 'y', '>50k', 'positive', 'bad', 'default'];

/**
 * Detects column types and fits the encoding on training rows.
 *
 * @throws InputError `datasets.missingColumn` when a named column is absent,
 *   `datasets.labelNotBinary` when the label does not take exactly two values.
 */
export function fitTabularEncoder(table: CsvTable, config: TabularEncoderConfig): TabularEncoder {
  const missing = config.missing ?? ['?', '', 'NA'];
  const idx = (name: string): number => {
    const i = table.columns.indexOf(name);
    if (i < 0) {
      throw new InputError(
        'datasets.missingColumn',
        `column "${name}" is missing (found: ${table.columns.join(', ')})`,
      );
    }
    return i;
  };
  const li = idx(config.label);
  const dropped = new Set(config.drop ?? []);
  for (const c of dropped) idx(c);
  const forcedCat = new Set(config.categorical ?? []);
  for (const c of forcedCat) idx(c);
  const used = table.columns.filter((c) => c !== config.label && !dropped.has(c));
  const usedIdx = used.map(idx);
  const rows = table.rows.filter(
    (r) => !isMissing(r[li], missing) && usedIdx.every((j) => !isMissing(r[j], missing)),
  );
  const labels = [...new Set(rows.map((r) => r[li]))].sort();
  if (labels.length !== 2) {
    throw new InputError(
      'datasets.labelNotBinary',
      `label column "${config.label}" must take exactly 2 values, got ${labels.length}: ${labels.slice(0, 10).join(', ')}${labels.length > 10 ? ', …' : ''}`,
    );
  }
  let positive = config.positive;
  if (positive !== undefined && !labels.includes(positive)) {
    throw new InputError(
      'datasets.badPositive',
      `positive class "${positive}" is not a value of "${config.label}" (${labels.join(', ')})`,
    );
  }
  positive ??= labels.find((v) => POSITIVE_NAMES.includes(v.toLowerCase())) ?? labels[1];
  const negative = labels[0] === positive ? labels[1] : labels[0];
  const numericColumns: string[] = [];
  const numericIdx: number[] = [];
  const categorical: TabularEncoder['categorical'] = [];
  for (let u = 0; u < used.length; u++) {
    const j = usedIdx[u];
    const isNum = !forcedCat.has(used[u]) && rows.every((r) => Number.isFinite(Number(r[j])));
    if (isNum) {
      numericColumns.push(used[u]);
      numericIdx.push(j);
    } else {
      categorical.push({ column: used[u], levels: [...new Set(rows.map((r) => r[j]))].sort() });
    }
  }
  // Train statistics (population sd, 0 → 1) as the lineage pipelines fit them.
  const columns = new Map<string, Column>();
  numericColumns.forEach((name, c) => {
    columns.set(
      name,
      numberColumn(
        Float64Array.from(rows, (r) => Number(r[numericIdx[c]])),
        [name],
      ),
    );
  });
  const scaler = StandardScaler.fit(frameOf(rows.length, columns), { columns: numericColumns });
  const numeric = numericColumns.map((column) => ({
    column,
    mean: scaler.means[column],
    sd: scaler.sds[column],
  }));
  const featureNames = [
    ...numeric.map((c) => c.column),
    ...categorical.flatMap((c) => c.levels.map((l) => `${c.column}=${l}`)),
  ];
  return { label: config.label, positive, negative, numeric, categorical, featureNames, missing };
}

/**
 * Encodes rows through the lineage encoders ({@link StandardScaler} with the fitted statistics,
 * {@link OneHotEncoder} with the fitted levels) into a sparse matrix: numerics first, then one
 * indicator per level. Rows with a missing used cell are dropped; unseen categories become
 * all-zero. `labelMap` normalises raw labels first (Adult's test split writes `>50K.`).
 *
 * @throws InputError `datasets.missingColumn`, `datasets.labelNotBinary`, `datasets.badNumber`.
 */
export function encodeTabular(
  enc: TabularEncoder,
  table: CsvTable,
  labelMap: (v: string) => string = (v) => v,
): EncodedRows {
  const col = (name: string): number => {
    const i = table.columns.indexOf(name);
    if (i < 0)
      throw new InputError(
        'datasets.missingColumn',
        `column "${name}" is missing (found: ${table.columns.join(', ')})`,
      );
    return i;
  };
  const li = col(enc.label);
  const numIdx = enc.numeric.map((c) => col(c.column));
  const catIdx = enc.categorical.map((c) => col(c.column));
  const miss = enc.missing;
  const kept: string[][] = [];
  const y: number[] = [];
  const rowIds: number[] = [];
  for (let r = 0; r < table.rows.length; r++) {
    const row = table.rows[r];
    if (
      isMissing(row[li], miss) ||
      numIdx.some((j) => isMissing(row[j], miss)) ||
      catIdx.some((j) => isMissing(row[j], miss))
    ) {
      continue;
    }
    const lab = labelMap(row[li]);
    if (lab !== enc.positive && lab !== enc.negative) {
      throw new InputError(
        'datasets.labelNotBinary',
        `row ${r + 1}: label "${row[li]}" is neither "${enc.positive}" nor "${enc.negative}"`,
      );
    }
    for (let c = 0; c < numIdx.length; c++) {
      if (!Number.isFinite(Number(row[numIdx[c]]))) {
        throw new InputError(
          'datasets.badNumber',
          `row ${r + 1}: column "${enc.numeric[c].column}" is not a number: "${row[numIdx[c]]}"`,
        );
      }
    }
    kept.push(row);
    y.push(lab === enc.positive ? 1 : 0);
    rowIds.push(r);
  }
  const n = kept.length;
  const columns = new Map<string, Column>();
  enc.numeric.forEach((c, k) => {
    columns.set(
      c.column,
      numberColumn(
        Float64Array.from(kept, (row) => Number(row[numIdx[k]])),
        [c.column],
      ),
    );
  });
  enc.categorical.forEach((c, k) => {
    const dictionary: string[] = [];
    const codeOf = new Map<string, number>();
    const codes = Int32Array.from(kept, (row) => {
      const v = row[catIdx[k]];
      let code = codeOf.get(v);
      if (code === undefined) {
        code = dictionary.push(v) - 1;
        codeOf.set(v, code);
      }
      return code;
    });
    columns.set(c.column, categoryColumn(codes, dictionary, [c.column]));
  });
  const means: Record<string, number> = {};
  const sds: Record<string, number> = {};
  for (const c of enc.numeric) {
    means[c.column] = c.mean;
    sds[c.column] = c.sd;
  }
  const levels: Record<string, string[]> = {};
  for (const c of enc.categorical) levels[c.column] = c.levels;
  const scaled = StandardScaler.fromStatistics(means, sds, 'train').transform(frameOf(n, columns));
  const encoded = OneHotEncoder.fromCategories(levels, 'train').transform(scaled);
  // Feature f of the matrix is enc.featureNames[f]: numerics, then each column's levels.
  const features = [
    ...enc.numeric.map((c) => encoded.num(c.column)),
    ...enc.categorical.flatMap((c) => c.levels.map((l) => encoded.num(`${c.column}=${l}`))),
  ];
  const rowPtr = new Uint32Array(n + 1);
  const colIdx: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < features.length; f++) {
      const v = features[f][i];
      if (v !== 0) {
        colIdx.push(f);
        values.push(v);
      }
    }
    rowPtr[i + 1] = colIdx.length;
  }
  const x: CsrMatrix = {
    rows: n,
    cols: features.length,
    rowPtr,
    colIdx: Uint32Array.from(colIdx),
    values: Float64Array.from(values),
  };
  return { x, y: Uint8Array.from(y), rowIds: Uint32Array.from(rowIds) };
}

/** A frame of `columns` in an untracked pipeline (the encoders record nothing). */
function frameOf(rows: number, columns: Map<string, Column>): Frame {
  return new Frame({ pipeline: new Pipeline({ name: 'tabular', mode: 'none' }), opId: '', rows, columns });
}

function isMissing(v: string | undefined, missing: string[]): boolean {
  return v === undefined || missing.includes(v);
}
