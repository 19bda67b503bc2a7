import assert from 'node:assert/strict';
import path from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import { packageRoot } from '../../src/config.js';

/** Cruises `dirs` of `baseDir` with the project's .dependency-cruiser.cjs; the violations as `rule: from → to`. */
async function layeringViolations(baseDir: string, dirs: string[]): Promise<string[]> {
  const options = await extractDepcruiseOptions(path.join(packageRoot, '.dependency-cruiser.cjs'));
  // The fixture has no tsconfig.json of its own: relative imports resolve without one.
  const { tsConfig: _tsConfig, ...rest } = options;
  const { output } = await cruise(dirs, { ...rest, baseDir, validate: true });
  const result = output as ICruiseResult;
  return result.summary.violations
    .map((v) => {
      if (v.cycle) return `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')}`;
      return v.type === 'module' ? `${v.rule.name}: ${v.from}` : `${v.rule.name}: ${v.from} → ${v.to}`;
    })
    .sort();
}

describe('layering rules (.dependency-cruiser.cjs, npm run lint:deps)', function () {
  this.timeout(120_000);

  it('report every forbidden import of the fixture tree, the maths importing the graph first', async () => {
    const violations = await layeringViolations(path.join(packageRoot, 'test', 'fixtures', 'layering'), [
      'src',
    ]);
    assert.ok(
      violations.includes('maths-is-pure: src/lineage/frame.ts → src/graph/graph-client.ts'),
      `lineage → graph is reported:\n${violations.join('\n')}`,
    );
    assert.deepEqual(violations, [
      'graph-below-jobs-and-queue: src/graph/graph-client.ts → src/cli/progress-bar.ts',
      'job-kinds-apart: src/jobs/unlearning/run-unlearning.ts → src/jobs/train/run-train.ts',
      'jobs-below-queue: src/jobs/train/run-train.ts → src/queue/job-payload.ts',
      'maths-is-pure: src/lineage/frame.ts → ../../../node_modules/neo4j-driver/lib/index.js',
      'maths-is-pure: src/lineage/frame.ts → src/graph/graph-client.ts',
      'no-circular: src/graph/graph-client.ts → src/graph/session.ts → src/graph/graph-client.ts',
      'no-folder-cycles: src/jobs/train → src/queue → src/jobs/train',
      'no-folder-cycles: src/queue → src/jobs/train → src/queue',
      'no-import-of-cli: src/graph/graph-client.ts → src/cli/progress-bar.ts',
      'no-orphans: src/util/unused.ts',
      'no-unreachable-src: src/util/unreached.ts',
      'no-unreachable-src: src/util/unused.ts',
      'src-imports-no-bench-or-test: src/graph/graph-client.ts → bench/timer.ts',
    ]);
  });
});
