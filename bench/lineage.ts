/**
 * Lineage benchmark section (DESIGN §7): tracking overhead measured side by side in one
 * process, both variants interleaved, medians over ≥ 5 repetitions after a warm-up.
 *
 * - `opOverhead1M`: the seed's workload (`y = x*2+1`, `z = x − mean(x)`) on 1M-element columns,
 *   tracked in `op` mode ÷ the same code in mode `none`.
 * - `rowOverheadCreditRisk`: the credit-risk ETL (pipelines/credit-risk.yaml, 20k applicants) on
 *   parsed in-memory tables, CSV parsing excluded, tracked in `row` mode (including the final LineageRun with normalised
 *   provenance) ÷ the same code in mode `none`.
 * - `csvTokenizeSeconds`: the three credit-risk files (read from disk) tokenised to records by our
 *   `CsvTokenizer` and, as the baseline it replaced, by `csv-parse` (stream, as `readCsv` used
 *   it); `csvTokenizeVsCsvParse` is ours ÷ csv-parse (below 1 = faster).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as csvParse } from 'csv-parse';
import { numberColumn } from '../src/lineage/column.js';
import { CsvTokenizer } from '../src/lineage/csv-tokenizer.js';
import { derive } from '../src/lineage/derive.js';
import type { Frame } from '../src/lineage/frame.js';
import { Pipeline, type TrackingMode } from '../src/lineage/pipeline.js';
import type { CsvTable } from '../src/lineage/read-csv.js';
import { readPipelineSources } from '../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../src/pipeline-run/run-declared-pipeline.js';
import { creditRiskFiles } from '../src/pipelines/credit-risk-files.js';
import { generateCreditRisk } from '../src/pipelines/credit-risk-generator.js';
import { creditRiskPipeline } from '../src/pipelines/credit-risk-spec.js';
import { interleaved, interleavedAsync, median } from './support/interleaved.js';

/** Options of {@link runLineageBench}. */
export interface LineageBenchOptions {
  /** Smaller sizes and fewer repetitions (for smoke runs). */
  quick?: boolean;
  /** Progress lines (stderr). */
  log: (s: string) => void;
}

/** Streams `files` through our tokenizer (1 MiB reads, as `readCsv`); returns the field count. */
async function tokenizeOurs(files: readonly string[]): Promise<number> {
  let fields = 0;
  for (const file of files) {
    const tok = new CsvTokenizer((record) => {
      fields += record.length;
    });
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }))
      tok.write(chunk as Buffer);
    tok.end();
  }
  return fields;
}

/** Streams `files` through csv-parse with the options `readCsv` used; returns the field count. */
async function tokenizeCsvParse(files: readonly string[]): Promise<number> {
  let fields = 0;
  for (const file of files) {
    await new Promise<void>((resolve, reject) => {
      const parser = csvParse({ bom: true, relax_column_count: true, skip_empty_lines: true });
      parser.on('readable', () => {
        let record: string[] | null;
        // biome-ignore lint/suspicious/noAssignInExpressions: the stream read loop
        while ((record = parser.read()) !== null) fields += record.length;
      });
      parser.on('error', reject);
      parser.on('end', resolve);
      const input = fs.createReadStream(file);
      input.on('error', reject);
      input.pipe(parser);
    });
  }
  return fields;
}

/** An in-memory one-column table, as if parsed from a CSV. */
function syntheticTable(n: number): CsvTable {
  const x = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    x[i] = (s >>> 8) / 65536;
  }
  return {
    path: '/memory/x.csv',
    name: 'x.csv',
    table: 'x',
    sha256: 'f'.repeat(64),
    bytes: 0,
    rows: n,
    header: ['x'],
    columns: new Map([['x', numberColumn(x, ['x.x'])]]),
  };
}

/** The seed's workload on a frame: `y = x*2+1`, `z = x − mean(x)`. */
function seedWorkload(table: CsvTable, mode: TrackingMode): Frame {
  const p = new Pipeline({ name: 'bench', mode, runId: 'bench' });
  let f = p.source(table);
  f = derive(f, {
    name: 'y',
    inputs: ['x'],
    compute: (c, out) => {
      const x = c.num('x');
      for (let i = 0; i < x.length; i++) out[i] = x[i] * 2 + 1;
    },
  });
  f = derive(f, {
    name: 'z',
    inputs: ['x'],
    compute: (c, out) => {
      const x = c.num('x');
      let sum = 0;
      for (let i = 0; i < x.length; i++) sum += x[i];
      const mean = sum / x.length;
      for (let i = 0; i < x.length; i++) out[i] = x[i] - mean;
    },
  });
  return f;
}

/** The same workload as plain loops, no frames at all (for reference). */
function rawWorkload(x: Float64Array): Float64Array[] {
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = x[i] * 2 + 1;
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i];
  const mean = sum / x.length;
  const z = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) z[i] = x[i] - mean;
  return [y, z];
}

function opOverhead(
  n: number,
  inner: number,
  warmup: number,
  reps: number,
): { ratio: number; cpuRatio: number; untrackedMs: number; opMs: number; rawMs: number } {
  const table = syntheticTable(n);
  const x = (table.columns.get('x') as { values: Float64Array }).values;
  let sink = 0;
  const t = interleaved(
    {
      none: () => {
        for (let k = 0; k < inner; k++) sink += seedWorkload(table, 'none').rows;
      },
      op: () => {
        for (let k = 0; k < inner; k++) sink += seedWorkload(table, 'op').rows;
      },
      raw: () => {
        for (let k = 0; k < inner; k++) sink += rawWorkload(x)[0].length;
      },
    },
    warmup,
    reps,
  );
  if (sink < 0) throw new Error('unreachable');
  const none = median(t.none) / inner;
  const op = median(t.op) / inner;
  return {
    ratio: op / none,
    cpuRatio: median(t.cpu.op) / median(t.cpu.none),
    untrackedMs: none,
    opMs: op,
    rawMs: median(t.raw) / inner,
  };
}

/** Runs the lineage benchmark and returns the `lineage` section of the bench JSON. */
export async function runLineageBench(opts: LineageBenchOptions): Promise<Record<string, unknown>> {
  const quick = opts.quick ?? false;
  const log = opts.log;
  const r3 = (x: number) => Math.round(x * 1000) / 1000;
  if (os.loadavg()[0] > os.cpus().length) {
    log(
      `lineage: warning: load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} CPUs; timings will be noisy`,
    );
  }

  log('lineage: op overhead on 1M-element columns');
  const op1M = opOverhead(1_000_000, quick ? 2 : 5, 3, quick ? 7 : 21);
  log(
    `lineage: opOverhead1M ${r3(op1M.ratio)} (untracked ${r3(op1M.untrackedMs)} ms, op ${r3(op1M.opMs)} ms, raw loops ${r3(op1M.rawMs)} ms)`,
  );
  const op1K = opOverhead(1000, 2000, 3, quick ? 7 : 11);
  log(`lineage: opOverhead1K ${r3(op1K.ratio)}`);

  const applicants = quick ? 5000 : 20000;
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-bench-lineage-'));
  try {
    log(`lineage: generating credit-risk data (${applicants} applicants)`);
    let t0 = performance.now();
    const ds = await generateCreditRisk({ applicants, seed: 7, outDir: dir });
    const generateSeconds = (performance.now() - t0) / 1000;
    const parseTimes: number[] = [];
    const pipeline = creditRiskPipeline();
    let tables = await readPipelineSources(pipeline, dir);
    for (let r = 0; r < (quick ? 2 : 3); r++) {
      t0 = performance.now();
      tables = await readPipelineSources(pipeline, dir);
      parseTimes.push(performance.now() - t0);
    }
    const csvParseSeconds = median(parseTimes) / 1000;
    log(`lineage: csv parse ${r3(csvParseSeconds)} s for ${ds.totalRows} rows`);

    const csvFiles = Object.values(creditRiskFiles(dir));
    const csvBytes = csvFiles.reduce((sum, f) => sum + fs.statSync(f).size, 0);
    const [oursFields, theirFields] = [await tokenizeOurs(csvFiles), await tokenizeCsvParse(csvFiles)];
    if (oursFields !== theirFields) {
      throw new Error(`csv tokenize: ours found ${oursFields} fields, csv-parse ${theirFields}`);
    }
    const tok = await interleavedAsync(
      {
        ours: async () => void (await tokenizeOurs(csvFiles)),
        csvParse: async () => void (await tokenizeCsvParse(csvFiles)),
      },
      quick ? 1 : 2,
      quick ? 5 : 7,
    );
    const tokOurs = median(tok.ours) / 1000;
    const tokCsvParse = median(tok.csvParse) / 1000;
    const mbps = (s: number) => Math.round((csvBytes / 1e6 / s) * 10) / 10;
    log(
      `lineage: csv tokenize ${(csvBytes / 1e6).toFixed(1)} MB: ours ${r3(tokOurs)} s (${mbps(tokOurs)} MB/s), csv-parse ${r3(tokCsvParse)} s (${mbps(tokCsvParse)} MB/s)`,
    );

    let provenanceIds = 0;
    const t = interleaved(
      {
        none: () => void runDeclaredPipeline(pipeline, tables, { mode: 'none' }),
        op: () => void runDeclaredPipeline(pipeline, tables, { mode: 'op' }),
        row: () => {
          provenanceIds =
            runDeclaredPipeline(pipeline, tables, { mode: 'row' }).lineage?.provenance?.rowIds.length ?? 0;
        },
      },
      3,
      quick ? 5 : 21,
    );
    const none = median(t.none);
    const row = median(t.row);
    const op = median(t.op);
    const cpuNone = median(t.cpu.none);
    log(
      `lineage: credit-risk ETL untracked ${r3(none)} ms, op ${r3(op)} ms, row ${r3(row)} ms → rowOverheadCreditRisk ${r3(row / none)}`,
    );
    return {
      opOverhead1M: r3(op1M.ratio),
      rowOverheadCreditRisk: r3(row / none),
      opOverheadCreditRisk: r3(op / none),
      rowOverheadCreditRiskCpu: r3(median(t.cpu.row) / cpuNone),
      opOverheadCreditRiskCpu: r3(median(t.cpu.op) / cpuNone),
      opOverhead1MCpu: r3(op1M.cpuRatio),
      opOverhead1K: r3(op1K.ratio),
      seedWorkload1M: { untrackedMs: r3(op1M.untrackedMs), opMs: r3(op1M.opMs), rawLoopsMs: r3(op1M.rawMs) },
      creditRisk: {
        applicants,
        sourceRows: ds.totalRows,
        samples: tables.get('application')?.rows,
        provenanceIds,
        untrackedMs: r3(none),
        opMs: r3(op),
        rowMs: r3(row),
        reps: t.none.length,
      },
      csvParseSeconds: r3(csvParseSeconds),
      csvRowsPerSecond: Math.round(ds.totalRows / csvParseSeconds),
      csvTokenizeSeconds: { ours: r3(tokOurs), csvParse: r3(tokCsvParse) },
      csvTokenizeVsCsvParse: r3(tokOurs / tokCsvParse),
      csvTokenizeMBPerSecond: { ours: mbps(tokOurs), csvParse: mbps(tokCsvParse) },
      csvTokenizeBytes: csvBytes,
      generateSeconds: r3(generateSeconds),
      loadAverage1m: r3(os.loadavg()[0]),
    };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const quick = process.argv.includes('--quick');
  runLineageBench({ quick, log: (s) => process.stderr.write(`${s}\n`) }).then((r) => {
    process.stdout.write(`${JSON.stringify({ lineage: r }, null, 2)}\n`);
  });
}
