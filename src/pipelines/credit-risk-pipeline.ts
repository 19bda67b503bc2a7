import path from 'node:path';
import { hasCode, InputError, UsageError } from '../errors.js';
import { type AggregateColumnSpec, aggregate } from '../lineage/aggregate.js';
import { type DeriveSpec, derive } from '../lineage/derive.js';
import { type FeatureMatrix, toFeatureMatrix } from '../lineage/feature-matrix.js';
import { filter, filterByMask } from '../lineage/filter.js';
import type { Frame } from '../lineage/frame.js';
import { join } from '../lineage/join.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import { OneHotEncoder } from '../lineage/one-hot-encoder.js';
import { Pipeline, type TrackingMode } from '../lineage/pipeline.js';
import { type CsvColumnType, type CsvTable, readCsv } from '../lineage/read-csv.js';
import { StandardScaler } from '../lineage/standard-scaler.js';
import { trainTestSplit } from '../lineage/train-test-split.js';
import type { CreditRiskRecipe } from '../pipeline-run/legacy-recipe.js';
import { recipeFileOf } from '../pipeline-run/recipe-file.js';
import type { CreditRiskReuse, CreditRiskTableName } from './credit-risk-recipe.js';
import { checkLabels, type DroppedLabels } from './label-check.js';

/** Paths of the three credit-risk input files. */
export interface CreditRiskFiles {
  application: string;
  bureau: string;
  previous: string;
}

/** A progress event of the credit-risk pipeline (for a progress bar). */
export interface CreditRiskProgress {
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
  /**
   * Refuse the application file (`ingest.badLabels`) when more than this fraction of its rows has
   * a label other than 0/1 (default: no limit; they are counted in `droppedLabels`). A label column
   * without any 0/1 value is always refused (`ingest.noLabels`).
   */
  maxBadLabels?: number;
  /**
   * Source rows to leave out, per table: 0-based data rows of `application`, `bureau`,
   * `previous` (recompute-mode unlearning). Each table with rows to leave out gets a `filter` op
   * (`erase <table> rows`, its params list the rows) right after its load, so the lineage says
   * what was left out.
   */
  excludeRows?: Partial<Record<CreditRiskTableName, readonly number[]>>;
  /**
   * The unlearning requests that erased each table's `excludeRows` (their tombstones): the
   * table's filter op is then named `erased by <request ids>` and its params list the requests,
   * the rows and their count.
   */
  excludedBy?: Partial<Record<CreditRiskTableName, readonly string[]>>;
  /**
   * Re-use an earlier run's fitted state instead of fitting: its one-hot categories and
   * standardisation statistics, its feature names, and its split (by SK_ID_CURR), so the rows
   * are in the feature space of a model trained on that run. `testFraction`, `seed` and
   * `maxCategories` are then ignored.
   */
  reuse?: CreditRiskReuse;
  /**
   * Re-derive only these applicants (SK_ID_CURR values as strings): each table is cut to their
   * rows right after loading (a `filter` op `only affected applicants`). Every later transform
   * works per applicant and, with `reuse`, nothing is fitted, so their rows come out exactly as
   * in a full re-run. Requires `reuse`.
   */
  onlyKeys?: ReadonlySet<string>;
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
   * How to re-run this run in the same feature space (files and their hashes, options, fitted
   * encoder state, feature names); saved with the run matrix for recompute-mode unlearning.
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

/** The three files in a directory (`application.csv`, `bureau.csv`, `previous_application.csv`). */
export function creditRiskFiles(dir: string): CreditRiskFiles {
  return {
    application: path.join(dir, 'application.csv'),
    bureau: path.join(dir, 'bureau.csv'),
    previous: path.join(dir, 'previous_application.csv'),
  };
}

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
  // Before any transform: a label column that cannot train anything is refused here.
  const droppedLabels = checkLabels(tables.application, label, { maxBadFraction: options.maxBadLabels });
  const steps = 9;
  let step = 0;
  const tick = () => options.onProgress?.({ stage: 'transform', done: ++step, total: steps });
  const p = new Pipeline({ name: 'credit-risk', mode: options.mode ?? 'row', runId: options.runId });

  if (options.onlyKeys && !options.reuse) {
    throw new UsageError(
      'pipelines.onlyKeysWithoutReuse',
      "onlyKeys re-derives some applicants of an earlier run and needs that run's fitted state (reuse): fitting encoders on a subset would change every feature",
    );
  }
  const load = (table: CreditRiskTableName, frame: Frame) =>
    onlyApplicants(
      excludeRows(frame, table, options.excludeRows?.[table], options.excludedBy?.[table]),
      options.onlyKeys,
    );
  let app = load('application', p.source(tables.application));
  let bureau = load('bureau', p.source(tables.bureau));
  let prev = load('previous', p.source(tables.previous));
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

  const reuse = options.reuse;
  const testFraction = options.testFraction ?? 0.2;
  const seed = options.seed ?? 7;
  const maxCategories = options.maxCategories ?? 12;
  const {
    frame: splitFrame,
    split,
    trainMask,
  } = trainTestSplit(
    f,
    reuse ? { assignment: presetSplit(f, reuse), presetFrom: reuse.from } : { testFraction, seed },
  );
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
  const oneHot = reuse
    ? OneHotEncoder.fromCategories(reuse.encoder.categories, reuse.from)
    : OneHotEncoder.fit(splitFrame, { columns: cats, trainMask, maxCategories });
  let enc = oneHot.transform(splitFrame, 'one-hot categoricals');
  const scaler = reuse
    ? StandardScaler.fromStatistics(reuse.encoder.means, reuse.encoder.sds, reuse.from)
    : StandardScaler.fit(enc, { columns: numerics, trainMask });
  enc = scaler.transform(enc, 'standardise numerics');
  tick();

  const featureNames = [...numerics, ...oneHot.outputNames];
  if (reuse) assertSameFeatures(featureNames, reuse);
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

/** Keeps the rows of the given applicants (by SK_ID_CURR) of a just-loaded table. */
function onlyApplicants(frame: Frame, keys: ReadonlySet<string> | undefined): Frame {
  if (!keys) return frame;
  return filter(frame, {
    name: 'only affected applicants',
    inputs: ['SK_ID_CURR'],
    params: {
      rule: 'SK_ID_CURR among the applicants re-derived by an unlearning request',
      applicants: keys.size,
    },
    keep: (c, keep) => {
      const id = c.num('SK_ID_CURR');
      for (let i = 0; i < keep.length; i++) keep[i] = keys.has(String(id[i])) ? 1 : 0;
    },
  });
}

/**
 * Leaves out the given data rows of a just-loaded table (a `filter` op naming them; `erased by
 * <request ids>` when the requests are known).
 */
function excludeRows(
  frame: Frame,
  table: CreditRiskTableName,
  rows: readonly number[] | undefined,
  requestIds?: readonly string[],
): Frame {
  if (!rows || rows.length === 0) return frame;
  const mask = new Uint8Array(frame.rows).fill(1);
  for (const r of rows) {
    if (!Number.isInteger(r) || r < 0 || r >= frame.rows) {
      throw new UsageError(
        'pipelines.badExcludeRows',
        `excludeRows.${table}: expected 0-based data rows below ${frame.rows}, got ${r}`,
      );
    }
    mask[r] = 0;
  }
  const left = [...new Set(rows)].sort((a, b) => a - b);
  if (requestIds && requestIds.length > 0) {
    const shown = requestIds.slice(0, 3).join(', ');
    const more = requestIds.length > 3 ? ` and ${requestIds.length - 3} more` : '';
    return filterByMask(frame, mask, `erased by ${shown}${more}`, [], {
      rule: 'source rows erased by unlearning requests (their tombstones) are left out',
      table,
      requestIds: [...requestIds],
      count: left.length,
      rows: left,
    });
  }
  return filterByMask(frame, mask, `erase ${table} rows`, [], {
    rule: 'source rows erased by an unlearning request are left out',
    rows: left,
  });
}

/** The original split of each row, looked up by SK_ID_CURR. */
function presetSplit(f: Frame, reuse: CreditRiskReuse): Uint8Array {
  const ids = f.num('SK_ID_CURR');
  const out = new Uint8Array(f.rows);
  for (let i = 0; i < ids.length; i++) {
    const s = reuse.splitByKey.get(String(ids[i]));
    if (s === undefined) {
      throw new UsageError(
        'pipelines.reuseMismatch',
        `applicant ${ids[i]} is not a sample of ${reuse.from}: the re-run has samples the original did not`,
      );
    }
    out[i] = s === 0 ? 0 : 1;
  }
  return out;
}

function assertSameFeatures(names: readonly string[], reuse: CreditRiskReuse): void {
  const want = reuse.featureNames;
  if (names.length === want.length && names.every((n, i) => n === want[i])) return;
  const missing = want.filter((n) => !names.includes(n));
  const extra = names.filter((n) => !want.includes(n));
  throw new UsageError(
    'pipelines.reuseMismatch',
    `the re-run's features differ from ${reuse.from}'s (${want.length} expected, ${names.length} got; missing: ${missing.slice(0, 5).join(', ') || 'none'}; extra: ${extra.slice(0, 5).join(', ') || 'none'})`,
  );
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
