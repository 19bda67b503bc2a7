import path from 'node:path';
import { readCsvTable } from './csv-table.js';
import type { TabularDataset } from './tabular-dataset.js';
import { encodeTabular, fitTabularEncoder } from './tabular-encoder.js';

/** Columns of UCI Adult (the files have no header). */
const adultColumns = [
  'age',
  'workclass',
  'fnlwgt',
  'education',
  'education-num',
  'marital-status',
  'occupation',
  'relationship',
  'race',
  'sex',
  'capital-gain',
  'capital-loss',
  'hours-per-week',
  'native-country',
  'income',
];

/**
 * Loads UCI Adult from `dir` (adult.data = train, adult.test = test with its first line skipped
 * and the trailing `.` of labels removed), drops rows with `?`, one-hots the categoricals and
 * standardises the numerics with train statistics. Label: income `>50K`.
 */
export function loadAdult(dir: string): TabularDataset {
  const trainTable = readCsvTable(path.join(dir, 'adult.data'), { columns: adultColumns });
  const testTable = readCsvTable(path.join(dir, 'adult.test'), { columns: adultColumns, skipLines: 1 });
  const encoder = fitTabularEncoder(trainTable, { label: 'income', positive: '>50K' });
  const stripDot = (v: string): string => (v.endsWith('.') ? v.slice(0, -1) : v);
  return {
    name: 'adult',
    encoder,
    train: encodeTabular(encoder, trainTable),
    test: encodeTabular(encoder, testTable, stripDot),
  };
}
