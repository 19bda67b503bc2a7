/**
 * Child process of the `pipelines` bench section's fresh-process timing: runs one credit-risk
 * variant once in a new node process and prints `{"samples": n, "cpuMs": …}` (its own CPU time,
 * user + system, start-up included) on stdout. It imports only the
 * module of the variant it runs, so each variant pays for loading its own code and nothing else.
 *
 * Usage: `node dist/bench/support/credit-risk-run-child.js file|hand none|row DATA_DIR`
 */
import type { TrackingMode } from '../../src/lineage/pipeline.js';

const [variant, mode, dataDir] = process.argv.slice(2);
if (!['file', 'hand'].includes(variant) || !['none', 'op', 'row'].includes(mode) || !dataDir) {
  process.stderr.write('usage: credit-risk-run-child.js file|hand none|op|row DATA_DIR\n');
  process.exit(2);
}
const out =
  variant === 'file'
    ? await (await import('./credit-risk-file-variant.js')).runFileVariant(mode as TrackingMode, dataDir)
    : await (await import('./credit-risk-hand-variant.js')).runHandVariant(mode as TrackingMode, dataDir);
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({ samples: out.keys.length, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
);
