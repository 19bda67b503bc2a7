/**
 * The typed reports `traceprop report` assembles from the graph (docs/reports.md). Every value is
 * read from the graph (or, for an erasure's inventory, measured on the stores); a fact the graph
 * does not hold is `null` and named in `notAvailable`, never estimated.
 */

/** A source file a run read, by its content sha256. */
export interface ReportSourceFile {
  /** Content sha256 (the `SourceFile.id`). */
  sha256: string;
  name: string;
  path: string | null;
  table: string | null;
  rows: number | null;
  /** Rows of the file erased by now. */
  erasedRows: number;
  keyColumn: string | null;
  subjectName: string | null;
}

/** One op of a run, in order. */
export interface ReportOp {
  seq: number;
  kind: string;
  name: string;
  /** The declared pipeline step it implements (null: a run without a pipeline file). */
  step: string | null;
}

/** The pipeline a run executed. */
export interface ReportPipeline {
  /** `Run.pipeline`. */
  name: string;
  /** sha256 of the declared pipeline file's canonical text (null: no `Pipeline` node). */
  sha256: string | null;
  format: string | null;
  ops: ReportOp[];
}

/** Samples of a run per split and label (`label` null with `erased`: dropped by an erasure). */
export interface ClassCount {
  split: string;
  label: number | null;
  erased: boolean;
  samples: number;
}

/** A signed statement of the transparency log. */
export interface ReportStatement {
  id: string;
  kind: string;
  ref: string;
  logIndex: number;
  at: string | null;
}

/** The facts of a run shared by the three reports. */
export interface ReportRun {
  id: string;
  pipeline: string | null;
  mode: string | null;
  status: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  counts: {
    files: number | null;
    ops: number | null;
    sourceRows: number | null;
    samples: number | null;
    provenanceEdges: number | null;
  };
  sampleKeyColumn: string | null;
}

/** How the run split its samples (the `split` op's params). */
export interface ReportSplit {
  testFraction: number | null;
  seed: number | null;
  train: number | null;
  test: number | null;
  key: string | null;
}

/** The erasures applied to a model line, each with its certificate summary. */
export interface ReportErasureSummary {
  requestId: string;
  status: string | null;
  mode: string | null;
  requestedAt: string | null;
  completedAt: string | null;
  /** Source rows the request TARGETS. */
  sourceRows: number;
  affectedSamples: number | null;
  /** Versions it produced: the version each superseded → the new one. */
  produced: { before: string | null; after: string; version: number | null }[];
  guarantee: ReportGuarantee;
}

/** What an erasure guarantees, as recorded on its request. */
export interface ReportGuarantee {
  mode: string | null;
  /** True when the update fell back to a full retrain. */
  fallback: boolean | null;
  gradientResidual: number | null;
  paramGapClosed: number | null;
  /** (ε, δ) of a certified line (null: the line is not certified). */
  epsilon: number | null;
  delta: number | null;
  sigma: number | null;
  budgetCharged: number | null;
  budgetLeft: number | null;
  certifiedRetrain: boolean | null;
  /** The recorded certificate (`UnlearningRequest.certificate`, parsed), or null. */
  certificate: Record<string, unknown> | null;
}

/** Rates of one group of a protected attribute over one split. */
export interface BiasGroupRates {
  /** The group (the attribute's value; `(missing)` when the sample has none). */
  group: string;
  samples: number;
  /** Share of the group's samples with label 1. */
  positiveLabelRate: number;
  /** Share predicted 1 at the model's threshold. */
  predictedPositiveRate: number;
  /** TP ÷ samples with label 1 (null: none). */
  truePositiveRate: number | null;
  /** FP ÷ samples with label 0 (null: none). */
  falsePositiveRate: number | null;
  /** AUC of the model's scores within the group (null: one class only). */
  auc: number | null;
  /** Predicted positive rate ÷ the reference (largest) group's (null: the reference's is 0). */
  predictedPositiveRatio: number | null;
}

/** One protected attribute examined over one split. */
export interface BiasSplitExamination {
  split: 'train' | 'test';
  /** Samples scored (erased samples excluded). */
  samples: number;
  /** The largest group: the denominator of `predictedPositiveRatio`. */
  referenceGroup: string | null;
  groups: BiasGroupRates[];
  /** min ÷ max across groups (1 is parity; null: fewer than two groups with the rate, or max 0). */
  disparity: {
    predictedPositiveRate: number | null;
    truePositiveRate: number | null;
    falsePositiveRate: number | null;
  };
}

/**
 * The bias examination of a model (EU AI Act Art. 10(2)(f)): explicit about why it is absent
 * when it is (`not declared`: the pipeline declares no protected attribute; `not available`:
 * declared, but the groups or the model's parameters are not there to compute it).
 */
export type ReportBias =
  | { status: 'not declared'; reason: string }
  | { status: 'not available'; attributes: { name: string; column: string }[]; reason: string }
  | {
      status: 'examined';
      /** Score at or above which a sample is predicted 1. */
      threshold: number;
      /** The run matrix the samples were scored from (content sha256 when read). */
      runId: string;
      attributes: {
        name: string;
        column: string;
        splits: BiasSplitExamination[];
      }[];
      /** Samples left out because an erasure dropped or scrubbed them (their data is gone). */
      erasedExcluded: { train: number; test: number };
    };

/** `traceprop report model ID`: an Annex IV 2(d) datasheet and model card. */
export interface ModelReport {
  kind: 'model';
  generatedAt: string;
  model: {
    id: string;
    version: number | null;
    kind: string | null;
    status: string | null;
    trainedAt: string | null;
    paramsSha256: string | null;
    runMatrixSha256: string | null;
    /** Set when an erasure deleted this version's parameters (the hashes stay). */
    paramsShreddedBy: string | null;
  };
  run: ReportRun | null;
  sources: ReportSourceFile[];
  pipeline: ReportPipeline | null;
  /** Feature → source columns (`table.column`), from `Run.featureColumns`; null: not recorded. */
  featureLineage: { feature: string; sourceColumns: string[] }[] | null;
  /** The label expression of the declared pipeline (`sample.label`); null: not recorded. */
  label: string | null;
  split: ReportSplit | null;
  classBalance: ClassCount[];
  missingValues: {
    /** Missing values per column: the graph records none (null). */
    perColumn: null;
    /** Imputation recorded by ops (`params.missing`): op name and policy. */
    imputation: { op: string; policy: string }[];
  };
  training: {
    lambda: number | null;
    trainRows: number | null;
    testRows: number | null;
    certification: {
      epsilon: number | null;
      delta: number | null;
      sigma: number | null;
      removalBudget: number | null;
      budgetSpent: number | null;
      budgetLeft: number | null;
    } | null;
  };
  metrics: {
    trainAccuracy: number | null;
    testAccuracy: number | null;
    trainLoss: number | null;
    testLoss: number | null;
  };
  /** Mean source share per file over the model's attributed predictions, per attribution method. */
  influence: {
    method: string;
    predictions: number;
    files: { sha256: string; name: string; table: string | null; meanShare: number }[];
  }[];
  /** Every version of the model's line, newest first. */
  line: {
    id: string;
    version: number | null;
    status: string | null;
    trainedAt: string | null;
    runId: string | null;
    testAccuracy: number | null;
  }[];
  erasures: ReportErasureSummary[];
  statements: ReportStatement[];
  /** Bias examination across the declared protected attributes (Art. 10(2)(f)). */
  bias: ReportBias;
  /** What the report cannot say because the graph does not hold it. */
  notAvailable: string[];
}

/** One store of an erasure's inventory (measured when the report is made). */
interface ReportInventoryEntry {
  store: string;
  owner: string;
  location: string;
  state: string;
  count: number | null;
  detail: string;
}

/** `traceprop report erasure ID`: an erasure certificate. */
export interface ErasureReport {
  kind: 'erasure';
  generatedAt: string;
  request: {
    id: string;
    status: string | null;
    mode: string | null;
    requestedAt: string | null;
    completedAt: string | null;
    /** How the request named its rows, as recorded (file and row numbers, or salted hashes). */
    target: Record<string, unknown> | null;
  };
  /** What was erased: per file, its row numbers (never content). */
  erased: { sha256: string; name: string; table: string | null; rows: number[]; erasedNow: number }[];
  erasedRows: number;
  affectedSamples: number;
  /** Model versions updated: before → after. */
  models: {
    before: string | null;
    after: string;
    version: number | null;
    status: string | null;
    runId: string | null;
    testAccuracyBefore: number | null;
    testAccuracyAfter: number | null;
  }[];
  /** Model lines the request lists as done. */
  linesDone: string[];
  guarantee: ReportGuarantee;
  inventory: { ownedStoresHolding: number; entries: ReportInventoryEntry[] };
  statements: ReportStatement[];
  /** Commands that check the evidence. */
  verify: string[];
  notAvailable: string[];
}

/** `traceprop report run ID`: what a run read, did and fed. */
export interface RunReport {
  kind: 'run';
  generatedAt: string;
  run: ReportRun;
  sources: ReportSourceFile[];
  pipeline: ReportPipeline;
  label: string | null;
  split: ReportSplit | null;
  classBalance: ClassCount[];
  models: {
    id: string;
    version: number | null;
    kind: string | null;
    status: string | null;
    trainedAt: string | null;
    testAccuracy: number | null;
  }[];
  statements: ReportStatement[];
  notAvailable: string[];
}

/** Any report. */
export type Report = ModelReport | ErasureReport | RunReport;
