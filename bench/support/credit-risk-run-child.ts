/**
 * Child process of the `pipelines` bench section's fresh-process timing: runs one credit-risk
 * variant once in a new node process and prints `{"samples": n}` on stdout.
 *
 * Usage: `node dist/bench/support/credit-risk-run-child.js file|hand none|row DATA_DIR`
 */
import type { TrackingMode } from '../../src/lineage/pipeline.js';
import { type CreditRiskVariant, runCreditRisk } from './credit-risk-runs.js';

const [variant, mode, dataDir] = process.argv.slice(2);
if (!['file', 'hand'].includes(variant) || !['none', 'op', 'row'].includes(mode) || !dataDir) {
  process.stderr.write('usage: credit-risk-run-child.js file|hand none|op|row DATA_DIR\n');
  process.exit(2);
}
const out = await runCreditRisk(variant as CreditRiskVariant, mode as TrackingMode, dataDir);
process.stdout.write(`${JSON.stringify({ samples: out.keys.length })}\n`);
