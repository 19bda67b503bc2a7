import type { EncodedRows, TabularEncoder } from './tabular-encoder.js';

/** A binary-classification data set encoded for attribution: train and test splits. */
export interface TabularDataset {
  name: string;
  encoder: TabularEncoder;
  train: EncodedRows;
  test: EncodedRows;
}
