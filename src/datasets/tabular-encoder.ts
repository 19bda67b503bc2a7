import type { LabelledRows } from '../attribution/attribution-problem.js';
import type { CsrMatrix } from '../attribution/csr-matrix.js';
import { InputError } from '../errors.js';
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

/** A fitted encoding: numeric columns standardised with train statistics, categoricals one-hot. */
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
  const numeric: TabularEncoder['numeric'] = [];
  const categorical: TabularEncoder['categorical'] = [];
  for (let u = 0; u < used.length; u++) {
    const j = usedIdx[u];
    const isNum = !forcedCat.has(used[u]) && rows.every((r) => Number.isFinite(Number(r[j])));
    if (isNum) {
      let mean = 0;
      for (const r of rows) mean += Number(r[j]);
      mean /= Math.max(1, rows.length);
      let v = 0;
      for (const r of rows) v += (Number(r[j]) - mean) ** 2;
      const sd = Math.sqrt(v / Math.max(1, rows.length));
      numeric.push({ column: used[u], mean, sd: sd > 0 ? sd : 1 });
    } else {
      categorical.push({ column: used[u], levels: [...new Set(rows.map((r) => r[j]))].sort() });
    }
  }
  const featureNames = [
    ...numeric.map((c) => c.column),
    ...categorical.flatMap((c) => c.levels.map((l) => `${c.column}=${l}`)),
  ];
  return { label: config.label, positive, negative, numeric, categorical, featureNames, missing };
}

/**
 * Encodes rows (those with a missing used cell are dropped; unseen categories become all-zero).
 * `labelMap` normalises raw labels first (Adult's test split writes `>50K.`).
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
  const catMaps: Map<string, number>[] = [];
  let offset = enc.numeric.length;
  for (const c of enc.categorical) {
    const m = new Map<string, number>();
    for (let i = 0; i < c.levels.length; i++) m.set(c.levels[i], offset + i);
    catMaps.push(m);
    offset += c.levels.length;
  }
  const d = offset;
  const rowPtr: number[] = [0];
  const colIdx: number[] = [];
  const values: number[] = [];
  const y: number[] = [];
  const rowIds: number[] = [];
  const miss = enc.missing;
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
      const v = Number(row[numIdx[c]]);
      if (!Number.isFinite(v)) {
        throw new InputError(
          'datasets.badNumber',
          `row ${r + 1}: column "${enc.numeric[c].column}" is not a number: "${row[numIdx[c]]}"`,
        );
      }
      const z = (v - enc.numeric[c].mean) / enc.numeric[c].sd;
      if (z !== 0) {
        colIdx.push(c);
        values.push(z);
      }
    }
    const cats: number[] = [];
    for (let c = 0; c < catIdx.length; c++) {
      const f = catMaps[c].get(row[catIdx[c]]);
      if (f !== undefined) cats.push(f);
    }
    cats.sort((a, b) => a - b);
    for (const f of cats) {
      colIdx.push(f);
      values.push(1);
    }
    rowPtr.push(colIdx.length);
    y.push(lab === enc.positive ? 1 : 0);
    rowIds.push(r);
  }
  const x: CsrMatrix = {
    rows: y.length,
    cols: d,
    rowPtr: Uint32Array.from(rowPtr),
    colIdx: Uint32Array.from(colIdx),
    values: Float64Array.from(values),
  };
  return { x, y: Uint8Array.from(y), rowIds: Uint32Array.from(rowIds) };
}

function isMissing(v: string | undefined, missing: string[]): boolean {
  return v === undefined || missing.includes(v);
}
