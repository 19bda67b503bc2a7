import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import type { CreditRiskVariant } from './credit-risk-runs.js';

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
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [childScript, variant, mode, dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => {
        stdout += d;
      });
      child.stderr.on('data', (d: Buffer) => {
        stderr += d;
      });
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    },
  );
  const got = code === 0 ? (JSON.parse(stdout) as { samples: number }).samples : undefined;
  if (got !== samples)
    throw new Error(
      `fresh-process ${variant} run (mode ${mode}) ${code === 0 ? `gave ${got} samples, expected ${samples}` : `exited ${code}: ${stderr.trim()}`}`,
    );
}
