import { createHash } from 'node:crypto';
import type { LineageOp, LineageRun, LineageSourceFile } from '../../src/lineage/lineage-run.js';

/** Shape of a {@link syntheticLineageRun}. */
export interface SyntheticRunConfig {
  runId: string;
  /** Applicants (samples), e.g. 1000. */
  applicants: number;
  /** Bureau rows per applicant (fixed, default 3). */
  bureauPerApplicant?: number;
  /** Previous applications per applicant (fixed, default 2). */
  previousPerApplicant?: number;
  mode?: 'op' | 'row';
  /** Salt of the file contents: runs with the same salt share their SourceFiles (default `''`). */
  contentSalt?: string;
  /** Every `testEvery`-th sample is in the test split (default 5). */
  testEvery?: number;
}

/**
 * A credit-risk shaped {@link LineageRun} without reading CSVs: three files (application keyed
 * by SK_ID_CURR, bureau keyed by SK_ID_BUREAU, previous_application keyed by SK_ID_PREV),
 * eight ops (load ×3, aggregate ×2, join ×2, split) and, in row mode, provenance: sample `i`
 * derives from application row `i`, bureau rows `i*b .. i*b+b-1` and previous rows
 * `i*p .. i*p+p-1`. For graph tests and benchmarks; file ids are sha256 of a description, so
 * equal configs give equal SourceFiles.
 */
export function syntheticLineageRun(config: SyntheticRunConfig): LineageRun {
  const n = config.applicants;
  const b = config.bureauPerApplicant ?? 3;
  const p = config.previousPerApplicant ?? 2;
  const mode = config.mode ?? 'row';
  const salt = config.contentSalt ?? '';
  const testEvery = config.testEvery ?? 5;
  const file = (
    table: string,
    rows: number,
    offset: number,
    keyColumn: string,
    key: (row: number) => string,
  ): LineageSourceFile => ({
    id: createHash('sha256').update(`${salt}|${table}|${rows}`).digest('hex'),
    name: `${table}.csv`,
    path: `/synthetic/${table}.csv`,
    table,
    rows,
    globalOffset: offset,
    keyColumn,
    keys: Array.from({ length: rows }, (_, r) => key(r)),
  });
  const application = file('application', n, 0, 'SK_ID_CURR', (r) => String(100000 + r));
  const bureau = file('bureau', n * b, n, 'SK_ID_BUREAU', (r) => String(5000000 + r));
  const previous = file('previous_application', n * p, n + n * b, 'SK_ID_PREV', (r) => String(2000000 + r));
  const op = (seq: number, kind: string, name: string, inputs: number[], fileId?: string): LineageOp => ({
    id: `${config.runId}:op:${seq}`,
    seq,
    kind,
    name,
    params: { name, seq },
    inputs: inputs.map((i) => `${config.runId}:op:${i}`),
    ...(fileId ? { fileId } : {}),
  });
  const ops = [
    op(0, 'load', 'load application', [], application.id),
    op(1, 'load', 'load bureau', [], bureau.id),
    op(2, 'load', 'load previous_application', [], previous.id),
    op(3, 'aggregate', 'bureau by SK_ID_CURR', [1]),
    op(4, 'aggregate', 'previous by SK_ID_CURR', [2]),
    op(5, 'join', 'application + bureau', [0, 3]),
    op(6, 'join', '+ previous', [5, 4]),
    op(7, 'split', 'train/test', [6]),
  ];
  const split = new Uint8Array(n);
  const index = new Uint32Array(n);
  let train = 0;
  let test = 0;
  for (let i = 0; i < n; i++) {
    split[i] = i % testEvery === testEvery - 1 ? 1 : 0;
    index[i] = split[i] === 0 ? train++ : test++;
  }
  const run: LineageRun = {
    runId: config.runId,
    pipeline: 'synthetic-credit-risk',
    mode,
    files: [application, bureau, previous],
    ops,
    samples: {
      count: n,
      keys: application.keys as string[],
      keyColumn: 'SK_ID_CURR',
      labels: Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 1 : 0)),
      split,
      index,
    },
    featureColumns: {
      AMT_INCOME_TOTAL: ['application.AMT_INCOME_TOTAL'],
      BUREAU_COUNT: ['bureau.SK_ID_BUREAU'],
    },
    featureNames: ['AMT_INCOME_TOTAL', 'BUREAU_COUNT'],
  };
  if (mode === 'row') {
    const per = 1 + b + p;
    const offsets = new Uint32Array(n + 1);
    const rowIds = new Uint32Array(n * per);
    for (let i = 0; i < n; i++) {
      offsets[i + 1] = (i + 1) * per;
      let k = i * per;
      rowIds[k++] = i;
      for (let j = 0; j < b; j++) rowIds[k++] = bureau.globalOffset + i * b + j;
      for (let j = 0; j < p; j++) rowIds[k++] = previous.globalOffset + i * p + j;
    }
    run.provenance = { offsets, rowIds };
  }
  return run;
}

/**
 * A {@link LineageRun} whose op DAG is a chain of `ops` ops (op `i` consumes op `i-1`; op 0
 * loads one small file), with `samples` samples: for ancestor-query benchmarks.
 */
export function chainLineageRun(runId: string, ops: number, samples = 10): LineageRun {
  const base = syntheticLineageRun({
    runId,
    applicants: samples,
    bureauPerApplicant: 0,
    previousPerApplicant: 0,
    mode: 'op',
    contentSalt: `chain-${runId}`,
  });
  const fileId = base.files[0].id;
  base.files = [base.files[0]];
  base.ops = Array.from({ length: ops }, (_, seq) => ({
    id: `${runId}:op:${seq}`,
    seq,
    kind: seq === 0 ? 'load' : 'derive',
    name: seq === 0 ? 'load application' : `step ${seq}`,
    params: { step: seq },
    inputs: seq === 0 ? [] : [`${runId}:op:${seq - 1}`],
    ...(seq === 0 ? { fileId } : {}),
  }));
  base.pipeline = 'synthetic-chain';
  return base;
}
