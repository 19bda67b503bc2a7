import assert from 'node:assert/strict';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';
import type { DeclaredReuse, DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { loadPipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import { withTempDir } from '../lineage/helpers.js';
import { randomBank } from './bank-data.js';
import { readSources, writeCsvFiles } from './helpers.js';

const pipeline = loadPipelineSpec(path.join(packageRoot, 'test', 'fixtures', 'pipelines', 'bank-chain.yaml'));

/** What a re-run reuses from `r` (the fitted state through JSON, as a saved run would have it). */
function reuseOf(r: DeclaredRunResult, from = 'run orig'): DeclaredReuse {
  return {
    fitted: JSON.parse(JSON.stringify(r.fitted)),
    splitByKey: new Map(r.keys.map((k, i) => [k, r.split[i]])),
    featureNames: [...r.featureNames],
    from,
  };
}

/** The data rows per source that the given samples of a row-mode run derive from. */
function rowsOf(r: DeclaredRunResult, samples: readonly number[]): Record<string, Set<number>> {
  const out: Record<string, Set<number>> = {};
  for (const f of r.lineage!.files) out[f.table] = new Set();
  for (const i of samples) {
    for (const g of r.frame.sourceRows(i)) {
      const f = r.lineage!.files.find((x) => g >= x.globalOffset && g < x.globalOffset + x.rows)!;
      out[f.table].add(g - f.globalOffset);
    }
  }
  return out;
}

/** Sample `key`'s matrix row. */
function rowOf(r: DeclaredRunResult, key: string): number[] {
  const i = r.keys.indexOf(key);
  assert.ok(i >= 0, `no sample ${key}`);
  return [...r.matrix.data.subarray(i * r.matrix.cols, (i + 1) * r.matrix.cols)];
}

describe('pipeline runs: re-runs with the fitted state of an earlier run (recompute)', () => {
  let tables: Map<string, CsvTable>;
  let full: DeclaredRunResult;
  /** A card row reaching some loans, their sample indices. */
  let card = -1;
  let affected: number[] = [];
  before(async () => {
    tables = await withTempDir(async (dir) => {
      writeCsvFiles(dir, randomBank(23, 120, 300));
      return readSources(pipeline, dir);
    });
    full = runDeclaredPipeline(pipeline, tables, { mode: 'row', runId: 'orig' });
    const cardFile = full.lineage!.files.find((f) => f.table === 'card')!;
    // a card whose account has two or more loans
    for (let c = 0; c < cardFile.rows && affected.length < 2; c++) {
      const g = cardFile.globalOffset + c;
      card = c;
      affected = full.keys.map((_, i) => i).filter((i) => full.frame.sourceRows(i).includes(g));
    }
    assert.ok(affected.length >= 2, 'the data has a card shared by two loans');
  });

  it('onlyRows + reuse re-derives some samples exactly as the full run had them', () => {
    const only = rowsOf(full, affected);
    const rerun = runDeclaredPipeline(pipeline, tables, {
      mode: 'row',
      reuse: reuseOf(full),
      onlyRows: only,
    });
    assert.deepEqual(
      rerun.keys,
      affected.map((i) => full.keys[i]),
    );
    for (const k of rerun.keys) assert.deepEqual(rowOf(rerun, k), rowOf(full, k), `sample ${k}`);
    assert.deepEqual(rerun.featureNames, full.featureNames);
    assert.deepEqual(rerun.fitted, full.fitted);
    assert.deepEqual(
      [...rerun.split],
      affected.map((i) => full.split[i]),
    );
    assert.deepEqual(rerun.warnings, [], 'no feature warnings on a subset');
    const ops = rerun.lineage!.ops;
    assert.equal(ops.find((o) => o.kind === 'split')!.params.presetFrom, 'run orig');
    assert.equal(ops.find((o) => o.step === 'encoded')!.params.fitOn, 'run orig');
    assert.equal(ops.find((o) => o.step === 'filled')!.params.fitOn, 'run orig');
    assert.ok(ops.some((o) => o.name === 'only rows of re-derived samples' && o.params.table === 'card'));
  });

  it('with a source row erased: the re-derived samples equal a full re-run without that row', () => {
    const reuse = reuseOf(full);
    const excludeRows = { card: [card] };
    const excludedBy = { card: ['req-1'] };
    const whole = runDeclaredPipeline(pipeline, tables, { mode: 'row', reuse, excludeRows, excludedBy });
    const only = rowsOf(full, affected);
    const part = runDeclaredPipeline(pipeline, tables, {
      mode: 'row',
      reuse,
      excludeRows,
      excludedBy,
      onlyRows: only,
    });
    assert.equal(part.keys.length, affected.length);
    for (const k of part.keys) assert.deepEqual(rowOf(part, k), rowOf(whole, k), `sample ${k}`);
    // the erased card is gone from them: their card count dropped by one
    const n = full.featureNames.indexOf('n_cards');
    const g = full.lineage!.files.find((f) => f.table === 'card')!.globalOffset + card;
    for (const k of part.keys) {
      assert.ok(rowOf(part, k)[n] < rowOf(full, k)[n], `sample ${k}`);
      const i = part.keys.indexOf(k);
      assert.ok(!part.frame.sourceRows(i).includes(g));
    }
    const erase = part.lineage!.ops.find((o) => o.name === 'erased by req-1')!;
    assert.deepEqual(erase.params.rows, [card]);
    assert.equal(erase.step, undefined);
  });

  it('refuses a re-run that does not fit the earlier run', () => {
    const mismatch = (reuse: DeclaredReuse, pattern: RegExp) =>
      assert.throws(
        () => runDeclaredPipeline(pipeline, tables, { mode: 'none', reuse }),
        (err: unknown) =>
          err instanceof UsageError && err.code === 'pipelines.reuseMismatch' && pattern.test(err.message),
      );
    const reuse = reuseOf(full);
    const lost = new Map(reuse.splitByKey);
    lost.delete(full.keys[5]);
    mismatch(
      { ...reuse, splitByKey: lost },
      new RegExp(`sample loan_id = ${full.keys[5]} is not a sample of run orig`),
    );
    const { filled: _, ...noImpute } = reuse.fitted;
    mismatch({ ...reuse, fitted: noImpute }, /step "filled": run orig has no fitted impute state/);
    mismatch({ ...reuse, featureNames: reuse.featureNames.slice(1) }, /features differ from run orig's/);
  });
});
