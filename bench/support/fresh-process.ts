import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CreditRiskVariant } from './credit-risk-runs.js';
import { runWatched } from './process-watch.js';

/** The compiled child script (beside this module in dist/bench/support). */
const childScript = fileURLToPath(new URL('./credit-risk-run-child.js', import.meta.url));

/**
 * The TRACEPROP_HOME of a fresh-process run: `home` (the pipeline cache of earlier runs is then
 * warm), or `'empty'` for a new empty folder made before the run and removed after it (the
 * file variant then parses and schema-checks the pipeline file, as on a first run).
 */
export type FreshHome = string | 'empty';

/**
 * Runs one credit-risk variant in a new node process (`credit-risk-run-child.js`) and resolves
 * when it has exited: timed from outside, that is node's start-up, loading the modules, reading
 * the CSVs and running the pipeline, as a user's one-off run pays them. Resolves to the child's
 * own CPU time (ms, user + system, up to its last line of work). Throws when the child fails or
 * reports another sample count than `samples`.
 */
export async function runInFreshProcess(
  variant: CreditRiskVariant,
  mode: TrackingMode,
  dataDir: string,
  samples: number,
  home: FreshHome,
): Promise<number> {
  const dir = home === 'empty' ? await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-fresh-')) : home;
  try {
    const env = { ...process.env, TRACEPROP_HOME: dir };
    const { code, stdout, stderr } = await runWatched(
      process.execPath,
      [childScript, variant, mode, dataDir],
      {
        env,
      },
    );
    const out = code === 0 ? (JSON.parse(stdout) as { samples: number; cpuMs: number }) : undefined;
    if (out?.samples !== samples)
      throw new Error(
        `fresh-process ${variant} run (mode ${mode}) ${code === 0 ? `gave ${out?.samples} samples, expected ${samples}` : `exited ${code}: ${stderr.trim()}`}`,
      );
    return out.cpuMs;
  } finally {
    if (home === 'empty') await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
