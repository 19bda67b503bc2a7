/**
 * The hand-written credit-risk pipeline that `pipelines/credit-risk.yaml` replaced, kept as a
 * baseline only: the oracle of test/pipeline-run/credit-risk-equivalence.test.ts (the file gives
 * the same matrix, split, fitted state and provenance) and of the legacy-recipe test, and the
 * hand-written side of the bench's file-vs-hand-written comparison. src/ does not import it.
 * Re-use of fitted state, erased rows and the bad-label limit are gone with recompute-mode
 * unlearning of its runs (now through the file); it still leaves out, and counts, the
 * application rows whose label is not 0/1.
 */
import path from 'node:path';
import { hasCode, InputError } from '../../src/errors.js';
import type { DroppedLabels } from '../../src/ingest/ingest-credit-risk.js';
import { type AggregateColumnSpec, aggregate } from '../../src/lineage/aggregate.js';
import { type DeriveSpec, derive } from '../../src/lineage/derive.js';
import { type FeatureMatrix, toFeatureMatrix } from '../../src/lineage/feature-matrix.js';
import { filter } from '../../src/lineage/filter.js';
import type { Frame } from '../../src/lineage/frame.js';
import { join } from '../../src/lineage/join.js';
import type { LineageRun } from '../../src/lineage/lineage-run.js';
import { OneHotEncoder } from '../../src/lineage/one-hot-encoder.js';
import { Pipeline, type TrackingMode } from '../../src/lineage/pipeline.js';
import { type CsvColumnType, type CsvTable, readCsv } from '../../src/lineage/read-csv.js';
import { StandardScaler } from '../../src/lineage/standard-scaler.js';
import { trainTestSplit } from '../../src/lineage/train-test-split.js';
import type { CreditRiskRecipe } from '../../src/pipeline-run/legacy-recipe.js';
import { recipeFileOf } from '../../src/pipeline-run/recipe-file.js';
import { type CreditRiskFiles, creditRiskFiles } from '../../src/pipelines/credit-risk-files.js';

/** A progress event of the credit-risk pipeline (for a progress bar). */
interface CreditRiskProgress {
  /** e.g. `read bureau.csv`, `transform`. */
  stage: string;
  done: number;
  total: number;
}

/** Options of the credit-risk pipeline. */
export interface CreditRiskOptions {
  /** Tracking mode (default `row`; `none` gives no lineage, for overhead measurements). */
  mode?: TrackingMode;
  /** Label column of `application.csv` (default `TARGET`; the real sample uses `DEFAULTED`). */
  labelColumn?: string;
  /** Test share of the seeded split (default 0.2). */
  testFraction?: number;
  /** Split seed (default 7). */
  seed?: number;
  /** Run id (default: random UUID). */
  runId?: string;
  /** Keep at most this many categories per one-hot column (default 12). */
  maxCategories?: number;
  /** Progress callback. */
  onProgress?: (event: CreditRiskProgress) => void;
}

/** The three parsed input tables. */
export interface CreditRiskTables {
  application: CsvTable;
  bureau: CsvTable;
  previous: CsvTable;
  /** The label column the tables were read with. */
  labelColumn: string;
}

/** Output of the credit-risk pipeline. */
export interface CreditRiskResult {
  /** Row-major `n × d` feature matrix (standardised numerics, one-hot categoricals). */
  matrix: FeatureMatrix;
  /** Feature names (= `matrix.names`). */
  featureNames: string[];
  /** Label per sample (0/1). */
  labels: Float64Array;
  /** Application rows left out because their label is not 0 or 1 (counted on the whole file). */
  droppedLabels: DroppedLabels;
  /** SK_ID_CURR per sample. */
  keys: string[];
  /** 0 = train, 1 = test, per sample. */
  split: Uint8Array;
  /** The lineage of the run (absent in mode `none`). */
  lineage?: LineageRun;
  /** The final frame (rows = samples). */
  frame: Frame;
  /**
   * The recipe runs of this pipeline saved with their run matrix (`traceprop.recipe/1`: files
   * and their hashes, options, fitted encoder state, feature names), as in users' graphs.
   */
  recipe: CreditRiskRecipe;
}

const applicationTypes: Record<string, CsvColumnType> = {
  SK_ID_CURR: 'number',
  CNT_CHILDREN: 'number',
  AMT_INCOME_TOTAL: 'number',
  AMT_CREDIT: 'number',
  AMT_ANNUITY: 'number',
  AMT_GOODS_PRICE: 'number',
  DAYS_BIRTH: 'number',
  DAYS_EMPLOYED: 'number',
  EXT_SOURCE_1: 'number',
  EXT_SOURCE_2: 'number',
  EXT_SOURCE_3: 'number',
  NAME_CONTRACT_TYPE: 'category',
  CODE_GENDER: 'category',
  FLAG_OWN_CAR: 'category',
  FLAG_OWN_REALTY: 'category',
  NAME_INCOME_TYPE: 'category',
  NAME_EDUCATION_TYPE: 'category',
  NAME_FAMILY_STATUS: 'category',
  NAME_HOUSING_TYPE: 'category',
};
const bureauTypes: Record<string, CsvColumnType> = {
  SK_ID_CURR: 'number',
  SK_ID_BUREAU: 'number',
  CREDIT_ACTIVE: 'category',
  DAYS_CREDIT: 'number',
  CREDIT_DAY_OVERDUE: 'number',
  AMT_CREDIT_SUM: 'number',
  AMT_CREDIT_SUM_DEBT: 'number',
  AMT_CREDIT_SUM_OVERDUE: 'number',
  CNT_CREDIT_PROLONG: 'number',
};
const previousTypes: Record<string, CsvColumnType> = {
  SK_ID_PREV: 'number',
  SK_ID_CURR: 'number',
  NAME_CONTRACT_STATUS: 'category',
  AMT_APPLICATION: 'number',
  AMT_CREDIT: 'number',
  AMT_ANNUITY: 'number',
  DAYS_DECISION: 'number',
  CNT_PAYMENT: 'number',
};
const categoricals = [
  'NAME_CONTRACT_TYPE',
  'CODE_GENDER',
  'FLAG_OWN_CAR',
  'FLAG_OWN_REALTY',
  'NAME_INCOME_TYPE',
  'NAME_EDUCATION_TYPE',
  'NAME_FAMILY_STATUS',
  'NAME_HOUSING_TYPE',
];
const rawNumerics = [
  'CNT_CHILDREN',
  'AMT_INCOME_TOTAL',
  'AMT_CREDIT',
  'AMT_ANNUITY',
  'AMT_GOODS_PRICE',
  'EXT_SOURCE_1',
  'EXT_SOURCE_2',
  'EXT_SOURCE_3',
];
/** DAYS_EMPLOYED's "not employed" sentinel in Home Credit data. */
const daysEmployedSentinel = 365243;

/**
 * Parses the three files (checking required columns and unique keys: SK_ID_CURR, SK_ID_BUREAU,
 * SK_ID_PREV). Columns the pipeline does not use are dropped while reading.
 */
export async function readCreditRiskTables(
  files: CreditRiskFiles,
  options: Pick<CreditRiskOptions, 'labelColumn' | 'onProgress'> = {},
): Promise<CreditRiskTables> {
  const label = options.labelColumn ?? 'TARGET';
  const progress = (stage: string) => (done: number, total: number) =>
    options.onProgress?.({ stage, done, total });
  let application: CsvTable;
  try {
    application = await readCsv(files.application, {
      table: 'application',
      types: { ...applicationTypes, [label]: 'number' },
      required: ['SK_ID_CURR', label, 'AMT_INCOME_TOTAL', 'AMT_CREDIT', 'DAYS_BIRTH'],
      extraColumns: 'drop',
      keyColumn: 'SK_ID_CURR',
      onProgress: progress(`read ${path.basename(files.application)}`),
    });
  } catch (err) {
    if (hasCode(err, 'ingest.missingColumn') && (err as Error).message.includes(` ${label}`)) {
      throw new InputError(
        'ingest.missingColumn',
        `${(err as Error).message} (the label column is "${label}"; name another with labelColumn / --label, e.g. DEFAULTED)`,
        { cause: err },
      );
    }
    throw err;
  }
  const bureau = await readCsv(files.bureau, {
    table: 'bureau',
    types: bureauTypes,
    required: ['SK_ID_CURR', 'SK_ID_BUREAU'],
    extraColumns: 'drop',
    keyColumn: 'SK_ID_BUREAU',
    onProgress: progress(`read ${path.basename(files.bureau)}`),
  });
  const previous = await readCsv(files.previous, {
    table: 'previous_application',
    types: previousTypes,
    required: ['SK_ID_PREV', 'SK_ID_CURR'],
    extraColumns: 'drop',
    keyColumn: 'SK_ID_PREV',
    onProgress: progress(`read ${path.basename(files.previous)}`),
  });
  return { application, bureau, previous, labelColumn: label };
}

/**
 * Runs the credit-risk transforms on parsed tables (no I/O): per-applicant aggregates of the
 * bureau and previous applications, left-joined onto the applications, derived ratios,
 * a seeded split, one-hot and standardising encoders fitted on train rows, and the matrix.
 * Optional columns are used when present.
 */
export function runCreditRiskTransforms(
  tables: CreditRiskTables,
  options: CreditRiskOptions = {},
): CreditRiskResult {
  const label = tables.labelColumn;
  const droppedLabels = countDroppedLabels(tables.application, label);
  const steps = 9;
  let step = 0;
  const tick = () => options.onProgress?.({ stage: 'transform', done: ++step, total: steps });
  const p = new Pipeline({ name: 'credit-risk', mode: options.mode ?? 'row', runId: options.runId });

  let app = p.source(tables.application);
  let bureau = p.source(tables.bureau);
  let prev = p.source(tables.previous);
  tick();

  app = filter(app, {
    name: 'labelled applications',
    inputs: ['SK_ID_CURR', label],
    params: { rule: `SK_ID_CURR present and ${label} in {0, 1}` },
    keep: (c, keep) => {
      const id = c.num('SK_ID_CURR');
      const y = c.num(label);
      for (let i = 0; i < keep.length; i++)
        keep[i] = !Number.isNaN(id[i]) && (y[i] === 0 || y[i] === 1) ? 1 : 0;
    },
  });
  tick();

  // Bureau: indicators, then one row per applicant.
  const bHas = (c: string) => bureau.has(c);
  const bInd: DeriveSpec[] = [];
  if (bHas('CREDIT_ACTIVE') && bureau.column('CREDIT_ACTIVE').kind === 'category') {
    bInd.push({
      name: 'IS_ACTIVE',
      inputs: ['CREDIT_ACTIVE'],
      params: { formula: "CREDIT_ACTIVE == 'Active'" },
      compute: (c, out) => out.set(c.indicator('CREDIT_ACTIVE', 'Active')),
    });
  }
  if (bHas('CREDIT_DAY_OVERDUE')) {
    bInd.push({
      name: 'IS_OVERDUE',
      inputs: ['CREDIT_DAY_OVERDUE'],
      params: { formula: 'CREDIT_DAY_OVERDUE > 0' },
      compute: (c, out) => {
        const d = c.num('CREDIT_DAY_OVERDUE');
        for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(d[i]) ? Number.NaN : d[i] > 0 ? 1 : 0;
      },
    });
  }
  if (bInd.length > 0) bureau = derive(bureau, bInd, 'bureau indicators');
  const bCols: Record<string, AggregateColumnSpec> = { BUREAU_COUNT: { fn: 'count' } };
  if (bureau.has('IS_ACTIVE')) bCols.BUREAU_ACTIVE_COUNT = { fn: 'sum', column: 'IS_ACTIVE' };
  if (bureau.has('IS_OVERDUE')) bCols.BUREAU_OVERDUE_SHARE = { fn: 'mean', column: 'IS_OVERDUE' };
  if (bHas('CREDIT_DAY_OVERDUE')) bCols.BUREAU_MAX_DAY_OVERDUE = { fn: 'max', column: 'CREDIT_DAY_OVERDUE' };
  if (bHas('AMT_CREDIT_SUM')) bCols.BUREAU_CREDIT_SUM = { fn: 'sum', column: 'AMT_CREDIT_SUM' };
  if (bHas('AMT_CREDIT_SUM_DEBT')) bCols.BUREAU_DEBT_SUM = { fn: 'sum', column: 'AMT_CREDIT_SUM_DEBT' };
  if (bHas('AMT_CREDIT_SUM_OVERDUE'))
    bCols.BUREAU_OVERDUE_SUM = { fn: 'sum', column: 'AMT_CREDIT_SUM_OVERDUE' };
  if (bHas('DAYS_CREDIT')) {
    bCols.BUREAU_DAYS_CREDIT_MEAN = { fn: 'mean', column: 'DAYS_CREDIT' };
    bCols.BUREAU_DAYS_CREDIT_MAX = { fn: 'max', column: 'DAYS_CREDIT' };
  }
  if (bHas('CNT_CREDIT_PROLONG')) bCols.BUREAU_PROLONG_SUM = { fn: 'sum', column: 'CNT_CREDIT_PROLONG' };
  const bureauAgg = aggregate(bureau, { name: 'bureau per applicant', by: ['SK_ID_CURR'], columns: bCols });
  tick();

  // Previous applications: status indicators, then one row per applicant.
  if (prev.has('NAME_CONTRACT_STATUS') && prev.column('NAME_CONTRACT_STATUS').kind === 'category') {
    prev = derive(
      prev,
      [
        {
          name: 'IS_APPROVED',
          inputs: ['NAME_CONTRACT_STATUS'],
          params: { formula: "NAME_CONTRACT_STATUS == 'Approved'" },
          compute: (c, out) => out.set(c.indicator('NAME_CONTRACT_STATUS', 'Approved')),
        },
        {
          name: 'IS_REFUSED',
          inputs: ['NAME_CONTRACT_STATUS'],
          params: { formula: "NAME_CONTRACT_STATUS == 'Refused'" },
          compute: (c, out) => out.set(c.indicator('NAME_CONTRACT_STATUS', 'Refused')),
        },
      ],
      'previous status indicators',
    );
  }
  const pCols: Record<string, AggregateColumnSpec> = { PREV_COUNT: { fn: 'count' } };
  if (prev.has('IS_APPROVED')) pCols.PREV_APPROVED_SHARE = { fn: 'mean', column: 'IS_APPROVED' };
  if (prev.has('IS_REFUSED')) {
    pCols.PREV_REFUSED_SHARE = { fn: 'mean', column: 'IS_REFUSED' };
    pCols.PREV_REFUSED_COUNT = { fn: 'sum', column: 'IS_REFUSED' };
  }
  if (prev.has('AMT_APPLICATION'))
    pCols.PREV_AMT_APPLICATION_MEAN = { fn: 'mean', column: 'AMT_APPLICATION' };
  if (prev.has('AMT_CREDIT')) pCols.PREV_AMT_CREDIT_SUM = { fn: 'sum', column: 'AMT_CREDIT' };
  if (prev.has('AMT_ANNUITY')) pCols.PREV_AMT_ANNUITY_MEAN = { fn: 'mean', column: 'AMT_ANNUITY' };
  if (prev.has('DAYS_DECISION')) pCols.PREV_DAYS_DECISION_MAX = { fn: 'max', column: 'DAYS_DECISION' };
  if (prev.has('CNT_PAYMENT')) pCols.PREV_CNT_PAYMENT_MEAN = { fn: 'mean', column: 'CNT_PAYMENT' };
  const prevAgg = aggregate(prev, {
    name: 'previous applications per applicant',
    by: ['SK_ID_CURR'],
    columns: pCols,
  });
  tick();

  let f = join(app, bureauAgg, { name: 'application ⟕ bureau aggregates', on: ['SK_ID_CURR'], how: 'left' });
  f = join(f, prevAgg, { name: 'application ⟕ previous aggregates', on: ['SK_ID_CURR'], how: 'left' });
  tick();

  // Derived features. Counts of applicants without child rows are 0, not missing.
  const has = (c: string) => f.has(c);
  const ratio = (name: string, a: string, b: string, scale = 1): DeriveSpec => ({
    name,
    inputs: [a, b],
    params: { formula: scale === 1 ? `${a} / ${b}` : `${scale} * ${a} / ${b}` },
    compute: (c, out) => {
      const x = c.num(a);
      const y = c.num(b);
      for (let i = 0; i < out.length; i++) out[i] = y[i] !== 0 ? (scale * x[i]) / y[i] : Number.NaN;
    },
  });
  const fillZero = (name: string): DeriveSpec => ({
    name,
    inputs: [name],
    params: { formula: `${name} missing → 0` },
    compute: (c, out) => {
      const x = c.num(name);
      for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(x[i]) ? 0 : x[i];
    },
  });
  const derived: DeriveSpec[] = [
    ...[
      'BUREAU_COUNT',
      'BUREAU_ACTIVE_COUNT',
      'BUREAU_CREDIT_SUM',
      'BUREAU_DEBT_SUM',
      'BUREAU_OVERDUE_SUM',
      'BUREAU_PROLONG_SUM',
      'PREV_COUNT',
      'PREV_REFUSED_COUNT',
      'PREV_AMT_CREDIT_SUM',
    ]
      .filter(has)
      .map(fillZero),
    ratio('CREDIT_INCOME_RATIO', 'AMT_CREDIT', 'AMT_INCOME_TOTAL'),
    {
      name: 'AGE_YEARS',
      inputs: ['DAYS_BIRTH'],
      params: { formula: '-DAYS_BIRTH / 365.25' },
      compute: (c, out) => {
        const d = c.num('DAYS_BIRTH');
        for (let i = 0; i < out.length; i++) out[i] = -d[i] / 365.25;
      },
    },
  ];
  if (has('AMT_ANNUITY')) {
    derived.push(
      ratio('ANNUITY_INCOME_RATIO', 'AMT_ANNUITY', 'AMT_INCOME_TOTAL'),
      ratio('ANNUITY_CREDIT_RATIO', 'AMT_ANNUITY', 'AMT_CREDIT'),
    );
  }
  if (has('DAYS_EMPLOYED')) {
    derived.push({
      name: 'EMPLOYED_YEARS',
      inputs: ['DAYS_EMPLOYED'],
      params: { formula: `DAYS_EMPLOYED == ${daysEmployedSentinel} ? missing : -DAYS_EMPLOYED / 365.25` },
      compute: (c, out) => {
        const d = c.num('DAYS_EMPLOYED');
        for (let i = 0; i < out.length; i++)
          out[i] = d[i] === daysEmployedSentinel ? Number.NaN : -d[i] / 365.25;
      },
    });
  }
  f = derive(f, derived, 'zero-fill counts and derive ratios');
  if (has('BUREAU_DEBT_SUM') && has('BUREAU_CREDIT_SUM'))
    f = derive(f, ratio('BUREAU_DEBT_CREDIT_RATIO', 'BUREAU_DEBT_SUM', 'BUREAU_CREDIT_SUM'));
  tick();

  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 7;
  const maxCategories = options.maxCategories ?? 12;
  const { frame: splitFrame, split, trainMask } = trainTestSplit(f, { testFraction, seed });
  tick();

  const cats = categoricals.filter((c) => splitFrame.has(c) && splitFrame.column(c).kind === 'category');
  const numerics = [
    ...rawNumerics,
    'CREDIT_INCOME_RATIO',
    'ANNUITY_INCOME_RATIO',
    'ANNUITY_CREDIT_RATIO',
    'AGE_YEARS',
    'EMPLOYED_YEARS',
    ...Object.keys(bCols),
    'BUREAU_DEBT_CREDIT_RATIO',
    ...Object.keys(pCols),
  ].filter((c) => splitFrame.has(c) && splitFrame.column(c).kind === 'number');
  const oneHot = OneHotEncoder.fit(splitFrame, { columns: cats, trainMask, maxCategories });
  let enc = oneHot.transform(splitFrame, 'one-hot categoricals');
  const scaler = StandardScaler.fit(enc, { columns: numerics, trainMask });
  enc = scaler.transform(enc, 'standardise numerics');
  tick();

  const featureNames = [...numerics, ...oneHot.outputNames];
  const matrix = toFeatureMatrix(enc, featureNames);
  const labels = enc.num(label).slice();
  const ids = enc.num('SK_ID_CURR');
  const keys = new Array<string>(enc.rows);
  for (let i = 0; i < ids.length; i++) keys[i] = String(ids[i]);
  const lineage = p.tracksOps
    ? p.finish({ frame: enc, keys, keyColumn: 'SK_ID_CURR', labels, split, featureNames })
    : undefined;
  tick();
  const recipe: CreditRiskRecipe = {
    format: 'traceprop.recipe/1',
    pipeline: 'credit-risk',
    files: {
      application: recipeFileOf(tables.application),
      bureau: recipeFileOf(tables.bureau),
      previous: recipeFileOf(tables.previous),
    },
    labelColumn: label,
    seed,
    testFraction,
    maxCategories,
    encoder: {
      categories: Object.fromEntries(Object.entries(oneHot.categories).map(([c, v]) => [c, [...v]])),
      means: { ...scaler.means },
      sds: { ...scaler.sds },
    },
    featureNames: [...featureNames],
  };
  return { matrix, featureNames, labels, droppedLabels, keys, split, lineage, frame: enc, recipe };
}

/** The application rows whose label is not 0 or 1 (missing, `2`, `0.5`, …), with the first five. */
function countDroppedLabels(table: CsvTable, label: string): DroppedLabels {
  const column = table.columns.get(label);
  if (column?.kind !== 'number') throw new TypeError(`${table.name}: no numeric label column ${label}`);
  const examples: DroppedLabels['examples'] = [];
  let count = 0;
  column.values.forEach((y, row) => {
    if (y === 0 || y === 1) return;
    count++;
    if (examples.length < 5) examples.push({ row, value: Number.isNaN(y) ? null : String(y) });
  });
  const rows = column.values.length;
  return { count, rows, rate: rows === 0 ? 0 : count / rows, examples };
}

/**
 * Reads the three files and runs the credit-risk pipeline.
 *
 * @example
 * const r = await runCreditRiskPipeline(creditRiskFiles(dir), { mode: 'row', labelColumn: 'DEFAULTED' });
 * r.matrix.data;            // Float64Array, r.matrix.rows × r.matrix.cols
 * r.lineage!.provenance;    // CSR over global source-row ids, per sample
 */
export async function runCreditRiskPipeline(
  files: CreditRiskFiles | string,
  options: CreditRiskOptions = {},
): Promise<CreditRiskResult> {
  const paths = typeof files === 'string' ? creditRiskFiles(files) : files;
  const tables = await readCreditRiskTables(paths, options);
  return runCreditRiskTransforms(tables, options);
}
