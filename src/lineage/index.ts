/** Public API of `src/lineage`: tracked columnar frames with row provenance. */

export { type AggregateColumnSpec, type AggregateFn, type AggregateSpec, aggregate } from './aggregate.js';
export {
  type CategoryColumn,
  type Column,
  categoryColumn,
  type NumberColumn,
  numberColumn,
} from './column.js';
export { ColumnReader } from './column-reader.js';
export { concat } from './concat.js';
export {
  concatProvenance,
  gatherProvenance,
  groupProvenance,
  identityProvenance,
  normaliseProvenance,
  pairProvenance,
} from './csr.js';
export { type DeriveSpec, derive } from './derive.js';
export { type FeatureMatrix, toFeatureMatrix } from './feature-matrix.js';
export { type FilterSpec, filter, filterByMask } from './filter.js';
export { Frame, type FrameConfig } from './frame.js';
export { Imputer, type ImputerConfig, type ImputeStrategy, type ImputeValue } from './imputer.js';
export { type JoinSpec, join } from './join.js';
export type { JoinCardinality } from './join-cardinality.js';
export { encodeKeys, type KeyIds } from './key-index.js';
export type {
  LineageOp,
  LineageRun,
  LineageSamples,
  LineageSourceFile,
  PipelineDefinition,
  RowProvenance,
} from './lineage-run.js';
export { loadCsv } from './load-csv.js';
export { OneHotEncoder, type OneHotEncoderConfig } from './one-hot-encoder.js';
export { parseNumber } from './parse-number.js';
export { Pipeline, type PipelineConfig, type PipelineOutput, type TrackingMode } from './pipeline.js';
export { type CsvColumnType, type CsvTable, type ReadCsvOptions, readCsv } from './read-csv.js';
export { select } from './select.js';
export { StandardScaler, type StandardScalerConfig } from './standard-scaler.js';
export { type SplitResult, type SplitSpec, trainTestSplit } from './train-test-split.js';
