import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hasCode } from '../../src/errors.js';
import { runReadQuery } from '../../src/graph/read-query.js';
import { assertFiniteFeatures } from '../../src/pipeline-run/finite-features.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { expectCliError, runTraceprop } from '../support/cli.js';
import { useCleanGraph } from '../support/graph.js';
import { memTables, pipelineOf, type RawTable, writeCsvFiles } from './helpers.js';

/** Six applicants: income 0 for id 3 and missing for id 5 (so debt / income and log(income) are missing). */
const people: RawTable = {
  id: [1, 2, 3, 4, 5, 6],
  income: [100, 200, 0, 400, Number.NaN, 600],
  debt: [10, 0, 30, 40, 50, 60],
  bad: [0, 1, 0, 1, 0, 1],
};

/** The pipeline body; `extraSteps` go between the derive and the sample (which reads `table`). */
function body(extraSteps = '', table = 'ratios'): string {
  return `sources:
  - name: people
    path: people.csv
    key: id
    columns: { id: integer, income: number, debt: number, bad: integer }
steps:
  - id: ratios
    kind: derive
    input: people
    columns:
      debt_ratio: debt / income
      log_income: log(income)
${extraSteps}sample:
  table: ${table}
  key: id
  label: bad == 1
  features: [debt, debt_ratio, log_income]
`;
}

const impute = `  - id: filled
    kind: impute
    input: ratios
    columns: [debt_ratio, log_income]
    strategy: median
`;

describe('pipeline runs: a feature left missing is refused at ingest, naming it and the fix', function () {
  this.timeout(120_000);
  const graph = useCleanGraph();

  it('names every missing feature, how many samples, the first key, and the impute / coalesce fix', () => {
    const r = runDeclaredPipeline(pipelineOf(body()), memTables({ people }), { mode: 'none' });
    assert.throws(
      () => assertFiniteFeatures(r.matrix, r.keys, { pipeline: 'test', key: 'id' }),
      (err: unknown) => {
        assert.ok(hasCode(err, 'pipeline.missingFeatureValues'), String(err));
        const m = (err as Error).message;
        assert.match(m, /debt_ratio is missing for 2 of 6 samples \(first: id = 3\)/);
        assert.match(m, /log_income is missing for 2 of 6 samples \(first: id = 3\)/);
        assert.doesNotMatch(m, /feature debt is/);
        assert.match(m, /add an impute step for debt_ratio, log_income/);
        assert.match(m, /coalesce\(debt_ratio, 0\)/);
        return true;
      },
    );
  });

  it('passes once an impute step fills them; says "infinite" and how to bound it for ±Infinity', () => {
    const filled = runDeclaredPipeline(pipelineOf(body(impute, 'filled')), memTables({ people }), {
      mode: 'none',
    });
    assertFiniteFeatures(filled.matrix, filled.keys, { pipeline: 'test', key: 'id' });

    const huge = { ...people, income: [100, 200, 300, Number.POSITIVE_INFINITY, 500, 600] };
    const r = runDeclaredPipeline(pipelineOf(body()), memTables({ people: huge }), { mode: 'none' });
    assert.throws(
      () => assertFiniteFeatures(r.matrix, r.keys, { pipeline: 'test', key: 'id' }),
      /log_income is infinite for 1 of 6 samples \(first: id = 4\).*bound log_income where it is derived/,
    );
  });

  it('`traceprop ingest FILE` refuses the run before anything is written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-missing-feature-'));
    try {
      writeCsvFiles(dir, { people });
      const file = path.join(dir, 'risk.yaml');
      fs.writeFileSync(file, `format: traceprop.pipeline/1\nname: risk\n${body()}`);
      const [before] = await runReadQuery(graph(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
      const bad = await runTraceprop(['ingest', file, '--json']);
      expectCliError(
        bad,
        'pipeline.missingFeatureValues',
        /pipeline risk: .*debt_ratio is missing for 2 of 6/,
      );
      const [after] = await runReadQuery(graph(), 'MATCH (r:Run) RETURN count(r) AS runs', {});
      assert.equal(after.runs, before.runs, 'no Run was written');

      fs.writeFileSync(file, `format: traceprop.pipeline/1\nname: risk\n${body(impute, 'filled')}`);
      const ok = await runTraceprop(['ingest', file, '--json']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.json<{ samples: number }>().samples, 6);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
