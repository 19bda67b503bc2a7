import path from 'node:path';
import { InputError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';
import { readCsvTable } from './csv-table.js';
import type { TabularDataset } from './tabular-dataset.js';
import { encodeTabular, fitTabularEncoder, type TabularEncoderConfig } from './tabular-encoder.js';

/** Options of {@link loadTabularCsv}. */
export interface LoadTabularCsvOptions extends TabularEncoderConfig {
  /** Fraction of rows held out as the test split (seeded). Default 0.2. */
  testFraction?: number;
  /** Seed of the split. Default 0. */
  seed?: number;
}

/**
 * Loads any CSV with a header as a binary classification data set: a seeded train/test split
 * of the rows, encoding fitted on the train rows only.
 */
export function loadTabularCsv(file: string, options: LoadTabularCsvOptions): TabularDataset {
  const table = readCsvTable(file);
  const frac = options.testFraction ?? 0.2;
  if (!(frac > 0 && frac < 1))
    throw new InputError('datasets.badSplit', `testFraction must be in (0, 1), got ${frac}`);
  const n = table.rows.length;
  const nTest = Math.max(1, Math.round(frac * n));
  if (n - nTest < 2) throw new InputError('datasets.tooSmall', `${file} has ${n} data rows; need at least 3`);
  const isTest = new Uint8Array(n);
  for (const i of new SeededRandom(options.seed ?? 0).sample(n, nTest)) isTest[i] = 1;
  const trainTable = { columns: table.columns, rows: table.rows.filter((_, i) => !isTest[i]) };
  const testTable = { columns: table.columns, rows: table.rows.filter((_, i) => isTest[i]) };
  const encoder = fitTabularEncoder(trainTable, options);
  const train = encodeTabular(encoder, trainTable);
  const test = encodeTabular(encoder, testTable);
  // Map split-relative row numbers back to data-row numbers of the file.
  const trainRows: number[] = [];
  const testRows: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? testRows : trainRows).push(i);
  train.rowIds = Uint32Array.from(train.rowIds, (r) => trainRows[r]);
  test.rowIds = Uint32Array.from(test.rowIds, (r) => testRows[r]);
  return { name: path.basename(file), encoder, train, test };
}
