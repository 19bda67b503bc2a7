import os from 'node:os';
import path from 'node:path';
import { attributeLogistic } from '../src/attribution/attribute-logistic.js';
import type { AttributionMethod } from '../src/attribution/attribution-method.js';
import { choleskyFactor } from '../src/attribution/cholesky.js';
import { computeBackendInfo, gramAtA, matMulAB, matMulABtJs } from '../src/attribution/compute-backend.js';
import { csrSelectRows, csrToDenseF32 } from '../src/attribution/csr-matrix.js';
import type { StoreDtype } from '../src/attribution/gradient-store.js';
import { evaluateLds, type LdsPreparation, prepareLds } from '../src/attribution/lds-harness.js';
import { ldsFromPredictions, ldsFromScores, subsetPredictions } from '../src/attribution/lds-score.js';
import { ldsSubsets } from '../src/attribution/lds-subsets.js';
import {
  type MlpConfig,
  type MlpModel,
  mlpLastLayerScores,
  mlpMargins,
  trainMlp,
} from '../src/attribution/mlp.js';
import { encodePatterns, patternCostPerScore } from '../src/attribution/pattern-encoding.js';
import { trainingPatterns } from '../src/attribution/score-product.js';
import { disposeScoreWorkers, ScoreWorkerPool } from '../src/attribution/score-worker-pool.js';
import { loadConfig } from '../src/config.js';
import { loadAdult } from '../src/datasets/adult.js';
import { SeededRandom } from '../src/util/seeded-random.js';

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Median wall time (s) of `fn` over `reps` runs after one warm-up. */
async function timeIt(fn: () => Promise<unknown> | unknown, reps: number): Promise<number> {
  await fn();
  const ts: number[] = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fn();
    ts.push((performance.now() - t0) / 1000);
  }
  return median(ts);
}

const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;

/**
 * The `attribution` section of `npm run bench` (DESIGN §7): LDS of every method on Adult
 * (m = 100 and 500), attribution times, kernel GFLOP/s, the GradientStore precisions and the MLP.
 */
export async function runAttributionBench(opts: {
  quick?: boolean;
  log: (s: string) => void;
}): Promise<Record<string, unknown>> {
  const quick = opts.quick ?? false;
  const log = opts.log;
  const loadStart = os.loadavg().map((v) => Math.round(v * 100) / 100);
  const reps = quick ? 1 : 5;
  const dir = path.join(loadConfig().datasetsDir, 'adult');
  const ds = loadAdult(dir);
  log(`attribution: Adult ${ds.train.x.rows} train × ${ds.train.x.cols} features, ${ds.test.x.rows} test`);
  const testPoints = quick ? 100 : 500;
  const mSmall = quick ? 20 : 100;
  const mLarge = quick ? 40 : 500;
  const progress = (tag: string) => (done: number, total: number) => {
    if (done === total || done % 100 === 0) log(`  ${tag}: retrained ${done}/${total}`);
  };
  const prep100 = prepareLds(ds, {
    subsets: mSmall,
    testPoints,
    seed: 0,
    onProgress: progress(`m${mSmall}`),
  });
  const prep500 = prepareLds(ds, {
    subsets: mLarge,
    testPoints,
    seed: 0,
    onProgress: progress(`m${mLarge}`),
  });
  const methods: AttributionMethod[] = ['ns', 'if', 'll', 'graddot', 'random'];
  const adult: Record<string, unknown> = {};
  for (const method of methods) {
    const a = await evaluateLds(prep100, method);
    const b = await evaluateLds(prep500, method);
    const seconds = await timeIt(() => attributeLogistic(prep100.problem, method, { seed: 2 }), reps);
    const kernelMethod = method === 'ns' || method === 'if' || method === 'graddot';
    // The per-model precomputation (kept with a model's artifact) inside the timed call, as before it was kept.
    const { precomputed: _kept, ...bare } = prep100.problem;
    const withoutPrecomputation = kernelMethod
      ? await timeIt(() => attributeLogistic(bare, method, { seed: 2 }), reps)
      : undefined;
    const denseSeconds = kernelMethod
      ? await timeIt(() => attributeLogistic(prep100.problem, method, { product: 'dense' }), reps)
      : undefined;
    const pick = (r: typeof a) => ({
      lds: r4(r.lds),
      ldsSd: r4(r.ldsSd),
      noCorrelation: r.noCorrelation,
      subsets: r.subsets,
    });
    adult[method] = {
      lds: r4(a.lds),
      ldsSd: r4(a.ldsSd),
      seconds: r4(seconds),
      ...(withoutPrecomputation === undefined
        ? {}
        : { secondsWithoutPrecomputation: r4(withoutPrecomputation) }),
      ...(denseSeconds === undefined ? {} : { denseProductSeconds: r4(denseSeconds) }),
      [`m${mSmall}`]: pick(a),
      [`m${mLarge}`]: pick(b),
    };
    log(
      `  ${method}: LDS ${a.lds.toFixed(4)} (m${mSmall}) ${b.lds.toFixed(4)} (m${mLarge}), ${seconds.toFixed(3)} s for ${testPoints} test points${denseSeconds === undefined ? '' : ` (dense wasm product: ${denseSeconds.toFixed(3)} s)`}`,
    );
  }
  adult.testPoints = testPoints;
  adult.trainSeconds = r4(prep100.trainSeconds);
  adult.retrainSeconds = {
    [`m${mSmall}`]: r4(prep100.retrainSeconds),
    [`m${mLarge}`]: r4(prep500.retrainSeconds),
  };
  adult.trainRows = ds.train.x.rows;
  adult.features = ds.train.x.cols;

  const allTestPointsSeconds = await allTestPoints(prep100, ds.test, quick, log);
  const kernels = await kernelBench(prep100, quick, log);
  const store = await storeBench(prep100, log);
  const mlp = await mlpBench(ds, quick, log);
  await disposeScoreWorkers();
  return {
    backend: await computeBackendInfo(),
    adult,
    allTestPointsSeconds,
    kernels,
    store,
    mlp,
    machine: { cpus: os.availableParallelism?.() ?? os.cpus().length },
    // 1/5/15-minute load averages: the 2-core box is shared, times are only comparable at low load.
    loadAverage: { start: loadStart, end: os.loadavg().map((v) => Math.round(v * 100) / 100) },
  };
}

/** Scores of every Adult test point against all training rows, in chunks of 500 (not kept). */
async function allTestPoints(
  prep: LdsPreparation,
  test: { x: import('../src/attribution/csr-matrix.js').CsrMatrix; y: Uint8Array },
  quick: boolean,
  log: (s: string) => void,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const total = quick ? 2000 : test.x.rows;
  for (const method of ['ns', 'if'] as const) {
    const t0 = performance.now();
    for (let s = 0; s < total; s += 500) {
      const idx = Array.from({ length: Math.min(500, total - s) }, (_, i) => s + i);
      const sub = { x: csrSelectRows(test.x, idx), y: Uint8Array.from(idx, (i) => test.y[i]) };
      await attributeLogistic({ ...prep.problem, test: sub }, method);
    }
    out[method] = r4((performance.now() - t0) / 1000);
    log(`  ${method}: all ${total} test points in ${out[method].toFixed(2)} s`);
  }
  out.testPoints = total;
  return out;
}

/** GFLOP/s of the kernel shapes used, wasm vs plain JS. */
async function kernelBench(
  prep: LdsPreparation,
  quick: boolean,
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const reps = quick ? 1 : 5;
  const n = prep.problem.train.x.rows;
  const D = prep.problem.model.features + 1;
  const T = 500;
  const rng = new SeededRandom(1);
  const a = Float32Array.from({ length: T * D }, () => rng.normal());
  const bt = Float32Array.from({ length: D * n }, () => rng.normal());
  const b = csrToDenseF32(prep.problem.train.x, true);
  const res: Record<string, unknown> = {};
  const gf = (flops: number, s: number): number => Math.round((flops / s / 1e9) * 100) / 100;
  let s = await timeIt(() => matMulAB(a, bt, T, n, D), reps);
  res.wasmScores500xDxN = { shape: [T, D, n], seconds: r4(s), gflops: gf(2 * T * D * n, s) };
  // The same product (with the per-row scale) through the pattern encoding of Adult's training
  // matrix, 1 and 2 threads; GFLOP/s-equivalent counts the dense 2·T·D·n flops it replaces.
  const x = prep.problem.train.x;
  let t0 = performance.now();
  encodePatterns(x, true, { shared: true });
  res.patternEncodeSeconds = r4((performance.now() - t0) / 1000);
  const enc = trainingPatterns(x);
  res.patternEncoding = {
    blocks: enc.blocks.map((b) => b.patterns),
    denseColumns: enc.denseCols.length,
    lookupsPerScore: Math.round(patternCostPerScore(enc) * 100) / 100,
  };
  const a64 = Float64Array.from(a);
  const scale = Float64Array.from({ length: n }, () => rng.normal());
  for (const threads of [1, 2]) {
    const pool = new ScoreWorkerPool({ threads });
    try {
      s = await timeIt(() => pool.scores(enc, a64, T, scale), reps);
      res[`patternScores500xDxN_${threads}thread`] = {
        shape: [T, D, n],
        seconds: r4(s),
        gflopsEquivalent: gf(2 * T * D * n, s),
        rowsPerThread: pool.lastRowsPerThread,
      };
    } finally {
      await pool.dispose();
    }
  }
  t0 = performance.now();
  const touch = new Float32Array(T * n);
  for (let i = 0; i < touch.length; i += 1024) touch[i] = 1;
  res.outputPageFaultSeconds = r4((performance.now() - t0) / 1000);
  s = await timeIt(() => gramAtA(b, n, D), reps);
  res.wasmGramNxD = { shape: [n, D], seconds: r4(s), gflops: gf(2 * n * D * D, s) };
  const m = 100;
  const ind = new Float32Array(n * m);
  s = await timeIt(() => matMulAB(new Float32Array(T * n), ind, T, m, n), reps);
  res.wasmSubsetPredictions = { shape: [T, n, m], seconds: r4(s), gflops: gf(2 * T * n * m, s) };
  const Tjs = 50;
  s = await timeIt(() => matMulABtJs(a, b, Tjs, n, D), reps);
  res.jsFloat64Scores = {
    shape: [Tjs, D, n],
    seconds: r4(s),
    gflops: gf(2 * Tjs * D * n, s),
    secondsScaledTo500: r4((s * T) / Tjs),
  };
  const h = new Float64Array(D * D);
  for (let i = 0; i < D; i++) h[i * D + i] = D;
  for (let i = 0; i < D * D; i++) h[i] += 1e-3 * Math.sin(i);
  for (let i = 0; i < D; i++) for (let j = 0; j < i; j++) h[i * D + j] = h[j * D + i];
  s = await timeIt(() => choleskyFactor(h, D), reps);
  res.jsCholeskyD = { d: D, seconds: r4(s), gflops: gf(D ** 3 / 3, s) };
  log(`  kernels: ${JSON.stringify(res)}`);
  return res;
}

/** ll on Adult LR stored at each precision; k ≥ p keeps the gradients unprojected. */
async function storeBench(prep: LdsPreparation, log: (s: string) => void): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const p = prep.problem.model.features + 1;
  for (const k of [16, 32, 64, 512, 4096]) {
    const row: Record<string, unknown> = { projected: k < p, storedDim: Math.min(k, p) };
    for (const dtype of ['float32', 'float16', 'int8'] as StoreDtype[]) {
      const scores = await attributeLogistic(prep.problem, 'll', { k, dtype, seed: 5 });
      const r = await ldsFromScores(scores, prep.subsetRows, prep.retrained);
      const bytes =
        dtype === 'float32'
          ? 4 * Math.min(k, p)
          : dtype === 'float16'
            ? 2 * Math.min(k, p)
            : 4 + Math.min(k, p);
      row[dtype] = { bytesPerSample: bytes, lds: r4(r.lds), ldsSd: r4(r.ldsSd) };
    }
    out[`k${k}`] = row;
    log(`  store k${k}: ${JSON.stringify(row)}`);
  }
  out.note = `LR on Adult has p = ${p} parameters: k ≥ p stores the gradients unprojected (never project up)`;
  return out;
}

/** MLP on Adult: test accuracy, and the LDS of ll against retrained MLPs (3 seeds per subset). */
async function mlpBench(
  ds: ReturnType<typeof loadAdult>,
  quick: boolean,
  log: (s: string) => void,
): Promise<Record<string, unknown>> {
  const cfg: MlpConfig = { hidden: 32, epochs: 4, batchSize: 512, learningRate: 0.01, l2: 1e-4 };
  const m = quick ? 6 : 20;
  const T = quick ? 50 : 200;
  const retrainsPerSubset = 3;
  const xtr = csrToDenseF32(ds.train.x, false);
  const xte = csrToDenseF32(ds.test.x, false);
  const d = ds.train.x.cols;
  const t0 = performance.now();
  const models: MlpModel[] = [];
  for (let e = 0; e < 3; e++) models.push(await trainMlp(xtr, ds.train.y, { ...cfg, seed: 100 + e }));
  const trainSeconds = (performance.now() - t0) / 1000 / 3;
  const z = await mlpMargins(models[0], xte, ds.test.y);
  let correct = 0;
  for (const v of z) if (v > 0) correct++;
  const testAccuracy = correct / z.length;
  const tIdx = new SeededRandom(0).sample(ds.test.x.rows, T);
  const tx = new Float32Array(T * d);
  for (let i = 0; i < T; i++) tx.set(xte.subarray(tIdx[i] * d, (tIdx[i] + 1) * d), i * d);
  const ty = Uint8Array.from(tIdx, (r) => ds.test.y[r]);
  const subsets = ldsSubsets(ds.train.x.rows, m, 0.5, 1);
  const retrained = new Float64Array(m * T);
  const t1 = performance.now();
  for (let s = 0; s < m; s++) {
    const rows = subsets[s];
    const sx = new Float32Array(rows.length * d);
    for (let i = 0; i < rows.length; i++) sx.set(xtr.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
    const sy = Uint8Array.from(rows, (r) => ds.train.y[r]);
    for (let rep = 0; rep < retrainsPerSubset; rep++) {
      const mm = await trainMlp(sx, sy, { ...cfg, seed: 1000 + s * 10 + rep });
      const f = await mlpMargins(mm, tx, ty);
      for (let t = 0; t < T; t++) retrained[s * T + t] += f[t] / retrainsPerSubset;
    }
    if ((s + 1) % 5 === 0) log(`  mlp: retrained subset ${s + 1}/${m}`);
  }
  const retrainSeconds = (performance.now() - t1) / 1000;
  const res: Record<string, unknown> = {
    hidden: cfg.hidden,
    epochs: cfg.epochs,
    testAccuracy: r4(testAccuracy),
    trainSeconds: r4(trainSeconds),
    subsets: m,
    testPoints: T,
    retrainsPerSubset,
    retrainSeconds: r4(retrainSeconds),
  };
  for (const e of [1, 3]) {
    const t2 = performance.now();
    const scores = await mlpLastLayerScores(models.slice(0, e), { x: xtr, y: ds.train.y }, { x: tx, y: ty });
    const secs = (performance.now() - t2) / 1000;
    const pred = await subsetPredictions(scores, subsets);
    const r = ldsFromPredictions(pred, retrained, T, m);
    res[e === 1 ? 'llLds' : 'llLdsEnsemble3'] = r4(r.lds);
    res[e === 1 ? 'llLdsSd' : 'llLdsEnsemble3Sd'] = r4(r.ldsSd);
    res[e === 1 ? 'llSeconds' : 'llEnsemble3Seconds'] = r4(secs);
  }
  log(`  mlp: ${JSON.stringify(res)}`);
  return res;
}
