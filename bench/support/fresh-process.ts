import { fileURLToPath } from 'node:url';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CreditRiskVariant } from './credit-risk-runs.js';
import { runWatched } from './process-watch.js';

/** The compiled child script (beside this module in dist/bench/support). */
const childScript = fileURLToPath(new URL('./credit-risk-run-child.js', import.meta.url));

/**
 * Runs one credit-risk variant in a new node process (`credit-risk-run-child.js`) and resolves
 * when it has exited: timed from outside, that is node's start-up, loading the modules, reading
 * the CSVs and running the pipeline, as a user's one-off run pays them. Throws when the child
 * fails or reports another sample count than `samples`.
 */
export async function runInFreshProcess(
  variant: CreditRiskVariant,
  mode: TrackingMode,
  dataDir: string,
  samples: number,
): Promise<void> {
  const { code, stdout, stderr } = await runWatched(process.execPath, [childScript, variant, mode, dataDir]);
  const got = code === 0 ? (JSON.parse(stdout) as { samples: number }).samples : undefined;
  if (got !== samples)
    throw new Error(
      `fresh-process ${variant} run (mode ${mode}) ${code === 0 ? `gave ${got} samples, expected ${samples}` : `exited ${code}: ${stderr.trim()}`}`,
    );
}
