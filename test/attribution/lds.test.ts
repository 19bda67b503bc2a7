import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { evaluateLds, prepareLds, runLds } from '../../src/attribution/lds-harness.js';
import { ldsFromScores, subsetPredictions } from '../../src/attribution/lds-score.js';
import { ldsSubsets } from '../../src/attribution/lds-subsets.js';
import { Rng } from '../../src/attribution/rng.js';
import { averageRanks, spearman } from '../../src/attribution/spearman.js';
import { registerLds } from '../../src/cli/commands/lds.js';
import type { CliContext } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config.js';
import { loadAdult } from '../../src/datasets/adult.js';
import { loadTabularCsv } from '../../src/datasets/load-tabular-csv.js';
import { type ErrorCode, hasCode, type TracepropError } from '../../src/errors.js';
import { createLogger } from '../../src/util/logger.js';
import { syntheticLogistic } from './synthetic.js';

/** Writes a small loan-like CSV (numeric, categorical, binary yes/no label) to a temp file. */
function withTinyCsv(fn: (file: string) => Promise<void>, rowsOverride?: string[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-lds-'));
  const file = path.join(dir, 'loans.csv');
  const rng = new Rng(8);
  const lines = ['id,income,region,age,default'];
  for (let i = 0; i < 240; i++) {
    const income = 20 + 60 * rng.next();
    const region = ['north', 'south', 'east'][rng.int(3)];
    const age = 20 + rng.int(50);
    const z = -0.05 * (income - 50) + (region === 'south' ? 0.8 : 0) + 0.02 * (age - 45) + 0.5 * rng.normal();
    lines.push(`${i},${income.toFixed(2)},${region},${age},${z > 0 ? 'yes' : 'no'}`);
  }
  fs.writeFileSync(file, `${(rowsOverride ?? lines).join('\n')}\n`);
  return fn(file).finally(() => fs.rmSync(dir, { recursive: true, force: true }));
}

describe('spearman', () => {
  it('averages ties and is NaN for constant input', () => {
    assert.deepEqual(Array.from(averageRanks([10, 20, 20, 5])), [2, 3.5, 3.5, 1]);
    assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 1000]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.ok(Number.isNaN(spearman([1, 2, 3], [7, 7, 7])));
    // Hand-computed: ranks (1,2,3,4) vs (1,2.5,2.5,4) → r = 4.5/√(5·4.5).
    assert.ok(Math.abs(spearman([1, 2, 3, 4], [0, 5, 5, 9]) - 4.5 / Math.sqrt(5 * 4.5)) < 1e-12);
  });
});

describe('LDS', () => {
  it('has the known answer on synthetic scores: 1, −1 and no correlation', async () => {
    const n = 40;
    const T = 3;
    const subsets = ldsSubsets(n, 25, 0.5, 1);
    assert.ok(subsets.every((s) => s.length === 20 && new Set(s).size === 20));
    const rng = new Rng(2);
    const scores = { rows: T, cols: n, data: Float32Array.from({ length: T * n }, () => rng.normal()) };
    const pred = await subsetPredictions(scores, subsets);
    // Independent prediction: direct sums.
    for (let s = 0; s < 25; s++) {
      let direct = 0;
      for (const i of subsets[s]) direct += scores.data[n + i];
      assert.ok(Math.abs(pred[25 + s] - direct) < 1e-4);
    }
    // Retrained outputs that are a monotone function of the predictions: LDS = 1.
    const mono = new Float64Array(25 * T);
    const anti = new Float64Array(25 * T);
    const flat = new Float64Array(25 * T);
    for (let s = 0; s < 25; s++) {
      for (let t = 0; t < T; t++) {
        mono[s * T + t] = Math.exp(pred[t * 25 + s]);
        anti[s * T + t] = -pred[t * 25 + s] * 3;
        flat[s * T + t] = t === 0 ? 1 : pred[t * 25 + s];
      }
    }
    assert.equal((await ldsFromScores(scores, subsets, mono)).lds, 1);
    assert.equal((await ldsFromScores(scores, subsets, anti)).lds, -1);
    const f = await ldsFromScores(scores, subsets, flat);
    assert.equal(f.noCorrelation, 1);
    assert.ok(Math.abs(f.lds - 2 / 3) < 1e-12, 'the constant test point counts as 0');
    await assert.rejects(ldsFromScores(scores, subsets, new Float64Array(5)), (e) =>
      hasCode(e, 'attribution.badShape'),
    );
    assert.throws(
      () => ldsSubsets(10, 5, 0, 1),
      (e) => hasCode(e, 'attribution.badAlpha'),
    );
  });

  it('on a synthetic logistic problem ns/if ≈ 1, graddot lower, random ≈ 0', async () => {
    const train = syntheticLogistic(400, 5, 31);
    const test = syntheticLogistic(200, 5, 32);
    const prep = prepareLds({ train, test }, { subsets: 40, testPoints: 40, seed: 3, lambda: 1e-2 });
    const ns = await evaluateLds(prep, 'ns');
    const inf = await evaluateLds(prep, 'if');
    const gd = await evaluateLds(prep, 'graddot');
    const rnd = await evaluateLds(prep, 'random');
    assert.ok(ns.lds > 0.97, `ns ${ns.lds}`);
    assert.ok(inf.lds > 0.97, `if ${inf.lds}`);
    assert.ok(gd.lds < ns.lds, `graddot ${gd.lds} vs ns ${ns.lds}`);
    assert.ok(Math.abs(rnd.lds) < 0.15, `random ${rnd.lds}`);
    assert.equal(ns.testPoints, 40);
    assert.equal(ns.subsets, 40);
  });

  it('runs on a tiny CSV (categoricals detected, yes/no label)', () =>
    withTinyCsv(async (file) => {
      const ds = loadTabularCsv(file, { label: 'default', drop: ['id'] });
      assert.equal(ds.encoder.positive, 'yes');
      assert.deepEqual(
        ds.encoder.categorical.map((c) => c.column),
        ['region'],
      );
      assert.deepEqual(ds.encoder.featureNames, [
        'income',
        'age',
        'region=east',
        'region=north',
        'region=south',
      ]);
      assert.equal(ds.train.x.rows + ds.test.x.rows, 240);
      const report = await runLds(ds, 'ns', { subsets: 20, testPoints: 30, seed: 1 });
      assert.ok(report.lds > 0.9, `tiny CSV ns LDS ${report.lds}`);
    }));

  it('gives clear errors for a missing or non-binary label', () =>
    withTinyCsv(async (file) => {
      assert.throws(
        () => loadTabularCsv(file, { label: 'nope' }),
        (e) => hasCode(e, 'datasets.missingColumn') && /column "nope" is missing/.test((e as Error).message),
      );
      assert.throws(
        () => loadTabularCsv(file, { label: 'region' }),
        (e) => hasCode(e, 'datasets.labelNotBinary') && /exactly 2 values, got 3/.test((e as Error).message),
      );
      assert.throws(
        () => loadTabularCsv(file, { label: 'default', positive: 'maybe' }),
        (e) => hasCode(e, 'datasets.badPositive'),
      );
    }));

  it('the lds command prints one JSON document and wraps usage problems', () =>
    withTinyCsv(async (file) => {
      const out: unknown[] = [];
      const status: string[] = [];
      const ctx: CliContext = {
        config: loadConfig(),
        logger: createLogger('silent'),
        verbose: false,
        printJson: (v) => out.push(v),
        print: (t) => out.push(t),
        status: (t) => status.push(t),
      };
      const program = new Command('traceprop').exitOverride();
      registerLds(program, ctx);
      await program.parseAsync(
        [
          'lds',
          '--csv',
          file,
          '--label',
          'default',
          '--drop',
          'id',
          '--subsets',
          '10',
          '--test-points',
          '20',
          '--method',
          'if',
          '--json',
        ],
        { from: 'user' },
      );
      assert.equal(out.length, 1);
      const doc = out[0] as Record<string, unknown>;
      for (const key of [
        'method',
        'lds',
        'ldsSd',
        'subsets',
        'testPoints',
        'noCorrelation',
        'attributionSeconds',
        'trainSeconds',
        'retrainSeconds',
      ]) {
        assert.ok(key in doc, `missing ${key}`);
      }
      assert.equal(doc.method, 'if');
      assert.equal(doc.subsets, 10);
      assert.ok(status.some((s) => s.includes('retrained 10/10')));
      const usage = async (args: string[], code: ErrorCode): Promise<void> => {
        const p = new Command('traceprop').exitOverride();
        registerLds(p, ctx);
        await assert.rejects(
          p.parseAsync(args, { from: 'user' }),
          (e) => hasCode(e, code) && (e as TracepropError).exitCode === 2,
        );
      };
      await usage(['lds', '--csv', file], 'cli.missingOption');
      await usage(['lds', '--csv', file, '--label', 'default', '--method', 'magic'], 'attribution.badMethod');
      await usage(['lds', '--dataset', 'iris'], 'cli.badOption');
    }));

  it('Adult: ns LDS ≥ 0.95 with 20 subsets and 50 test points', async function () {
    const dir = path.join(loadConfig().datasetsDir, 'adult');
    if (!fs.existsSync(path.join(dir, 'adult.data'))) this.skip();
    const ds = loadAdult(dir);
    assert.equal(ds.train.x.rows, 30162);
    assert.equal(ds.test.x.rows, 15060);
    const prep = prepareLds(ds, { subsets: 20, testPoints: 50, seed: 0 });
    const ns = await evaluateLds(prep, 'ns');
    const rnd = await evaluateLds(prep, 'random');
    assert.ok(ns.lds >= 0.95, `Adult ns LDS ${ns.lds}`);
    assert.ok(Math.abs(rnd.lds) < 0.2, `Adult random LDS ${rnd.lds}`);
  });
});
