import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import {
  assertSameRuns,
  type CreditRiskRunOutput,
  type CreditRiskVariant,
  readCreditRiskInputs,
  runCreditRisk,
  transformCreditRisk,
} from './credit-risk-runs.js';
import { type FreshHome, runInFreshProcess } from './fresh-process.js';
import { interleaved, interleavedAsync, median, type Timings } from './interleaved.js';

/** Options of {@link compareFileWithHandWritten}. */
export interface FileVsHandWrittenOptions {
  /** Folder with the generated application, bureau and previous_application CSVs. */
  dataDir: string;
  /** Fewer repetitions (smoke runs). */
  quick: boolean;
  log: (line: string) => void;
}

/** Medians per variant and mode, and the ratios the section reports. */
interface Comparison {
  measure: string;
  repetitions: number;
  ms: Record<CreditRiskVariant, Record<'none' | 'row', number>>;
  /** File-driven ÷ hand-written, untracked and row-tracked. */
  fileVsHandWritten: { none: number; row: number };
  /** The same ratios of CPU time (user + system: of this process; of the child in a fresh process). */
  fileVsHandWrittenCpu?: { none: number; row: number };
  /** Row-tracked ÷ untracked, per variant. */
  rowOverheadFromFile: number;
  rowOverheadHandWritten: number;
}

const modes = ['none', 'row'] as const;
const variants = ['file', 'hand'] as const;
const r3 = (v: number): number => Math.round(v * 1000) / 1000;

/**
 * The credit-risk pipeline from `pipelines/credit-risk.yaml` against the hand-written code on the
 * same CSV folder, untracked (mode `none`) and row-tracked, four variants interleaved, medians
 * after a warm-up (DESIGN §7), measured three ways:
 *
 * - `warm`: in this process, read + run end to end (the file variant also loads and validates
 *   the pipeline file each time), after the code is warm;
 * - `transformsOnly`: in this process, the run on already-parsed tables (CSV parsing excluded);
 * - `freshProcess`: a new node process per run, spawn to exit (start-up, module loading, read,
 *   run): what a one-off run costs a user, with the pipeline cache of TRACEPROP_HOME warm (the
 *   file run again unchanged); `freshProcessFirstRun` the same with an empty TRACEPROP_HOME per
 *   run (the file parsed and schema-checked each time). Each child loads its own variant's code
 *   only.
 *
 * Throws first when the two do not give the same samples, matrix and provenance.
 */
export async function compareFileWithHandWritten(opts: FileVsHandWrittenOptions): Promise<{
  samples: number;
  provenanceIds: number;
  warm: Comparison;
  transformsOnly: Comparison;
  freshProcess: Comparison;
  freshProcessFirstRun: Comparison;
}> {
  const { dataDir, quick, log } = opts;
  let row: CreditRiskRunOutput | undefined;
  for (const mode of modes) {
    const file = await runCreditRisk('file', mode, dataDir);
    assertSameRuns(file, await runCreditRisk('hand', mode, dataDir));
    if (mode === 'row') row = file;
  }
  const samples = row?.keys.length ?? 0;
  const provenanceIds = row?.provenanceIds ?? 0;
  log(`pipelines: file and hand-written runs agree (${samples} samples, ${provenanceIds} provenance ids)`);

  const reps = quick ? 5 : 15;
  const warm = summarise(
    await interleavedAsync(
      variantsOf(async (variant, mode) => void (await runCreditRisk(variant, mode, dataDir))),
      quick ? 1 : 3,
      reps,
    ),
    'in-process, warm: read the CSVs (file variant: load + validate the pipeline file too) and run',
  );
  log(
    `pipelines: warm ${JSON.stringify(warm.ms)} → fileVsHandWritten ${JSON.stringify(warm.fileVsHandWritten)}`,
  );

  const inputs = {
    file: await readCreditRiskInputs('file', dataDir),
    hand: await readCreditRiskInputs('hand', dataDir),
  };
  const transformsOnly = summarise(
    interleaved(
      variantsOf((variant, mode) => void transformCreditRisk(inputs[variant], mode)),
      3,
      quick ? 5 : 21,
    ),
    'in-process, warm: the run on parsed tables (CSV parsing excluded)',
  );
  log(`pipelines: transforms only ${JSON.stringify(transformsOnly.ms)}`);

  const freshReps = quick ? 3 : 9;
  const home = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-bench-home-'));
  try {
    // The warm-up run of the file variant stores the pipeline in the cache of `home`.
    const freshProcess = await freshTimings(dataDir, samples, home, freshReps, [
      'a new node process per run, spawn to exit: start-up, loading the modules, read the CSVs, run;',
      'the pipeline cache of TRACEPROP_HOME warm (an unchanged file run again)',
    ]);
    log(`pipelines: fresh process ${JSON.stringify(freshProcess.ms)}`);
    const freshProcessFirstRun = await freshTimings(dataDir, samples, 'empty', freshReps, [
      'as freshProcess, each run with an empty TRACEPROP_HOME (a first run: the file variant',
      'loads the YAML parser and zod and checks the file)',
    ]);
    log(`pipelines: fresh process, first run ${JSON.stringify(freshProcessFirstRun.ms)}`);
    return { samples, provenanceIds, warm, transformsOnly, freshProcess, freshProcessFirstRun };
  } finally {
    await fs.promises.rm(home, { recursive: true, force: true });
  }
}

/**
 * The four variants each in a new process (interleaved, one warm-up), timed from outside;
 * `fileVsHandWrittenCpu` from the children's own CPU times (load-independent-ish).
 */
async function freshTimings(
  dataDir: string,
  samples: number,
  home: FreshHome,
  reps: number,
  measure: string[],
): Promise<Comparison> {
  const childCpu: Record<string, number[]> = Object.fromEntries(
    Object.keys(variantsOf(() => undefined)).map((k) => [k, []]),
  );
  const t = await interleavedAsync(
    variantsOf(async (variant, mode) => {
      childCpu[`${variant}:${mode}`].push(await runInFreshProcess(variant, mode, dataDir, samples, home));
    }),
    1,
    reps,
  );
  for (const k of Object.keys(childCpu)) childCpu[k] = childCpu[k].slice(1); // the warm-up's
  return summarise(Object.assign(t, { cpu: childCpu }), measure.join(' '));
}
/** The four variants `<file|hand>:<none|row>`, each calling `run`. */
function variantsOf<T>(run: (variant: CreditRiskVariant, mode: TrackingMode) => T): Record<string, () => T> {
  const out: Record<string, () => T> = {};
  for (const variant of variants)
    for (const mode of modes) out[`${variant}:${mode}`] = () => run(variant, mode);
  return out;
}

/** Medians and ratios of a timing of {@link variantsOf}. */
function summarise(t: Timings, measure: string): Comparison {
  const at = (samples: Record<string, number[]>, v: CreditRiskVariant, m: string) =>
    median(samples[`${v}:${m}`]);
  const ms = {
    file: { none: r3(at(t, 'file', 'none')), row: r3(at(t, 'file', 'row')) },
    hand: { none: r3(at(t, 'hand', 'none')), row: r3(at(t, 'hand', 'row')) },
  };
  const ratio = (s: Record<string, number[]>, m: string) => r3(at(s, 'file', m) / at(s, 'hand', m));
  return {
    measure,
    repetitions: t['file:none'].length,
    ms,
    fileVsHandWritten: { none: ratio(t, 'none'), row: ratio(t, 'row') },
    fileVsHandWrittenCpu: { none: ratio(t.cpu, 'none'), row: ratio(t.cpu, 'row') },
    rowOverheadFromFile: r3(at(t, 'file', 'row') / at(t, 'file', 'none')),
    rowOverheadHandWritten: r3(at(t, 'hand', 'row') / at(t, 'hand', 'none')),
  };
}
