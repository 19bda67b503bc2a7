import * as tf from '@tensorflow/tfjs-core';
import { InputError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';
import { ensureComputeBackend } from './compute-backend.js';
import { GradientStore, type StoreDtype } from './gradient-store.js';
import type { ScoreMatrix } from './score-matrix.js';
import { trakScores } from './trak-scores.js';

/** Options of {@link trainMlp}. */
export interface MlpConfig {
  /** Hidden units (ReLU). Default 32. */
  hidden?: number;
  /** Passes over the data. Default 8. */
  epochs?: number;
  /** Default 256. */
  batchSize?: number;
  /** Adam learning rate. Default 0.01. */
  learningRate?: number;
  /** L2 penalty (λ/2)‖W‖² on both weight matrices. Default 1e-4. */
  l2?: number;
  /** Seed of the initialisation and of the mini-batch order. Default 0. */
  seed?: number;
}

/** A one-hidden-layer binary classifier: logit = w2ᵀ·relu(W1ᵀx + b1) + b2. */
export interface MlpModel {
  features: number;
  hidden: number;
  /** features×hidden, row-major. */
  w1: Float32Array;
  b1: Float32Array;
  w2: Float32Array;
  b2: number;
}

/**
 * Trains the MLP with tfjs (wasm backend) and Adam on dense row-major Float32 inputs;
 * deterministic for a given seed.
 */
export async function trainMlp(x: Float32Array, y: Uint8Array, config: MlpConfig = {}): Promise<MlpModel> {
  await ensureComputeBackend();
  const n = y.length;
  if (n === 0 || x.length % n !== 0)
    throw new InputError('attribution.badShape', `x has ${x.length} values for ${n} labels`);
  const d = x.length / n;
  const h = config.hidden ?? 32;
  const epochs = config.epochs ?? 8;
  const bs = config.batchSize ?? 256;
  const l2 = config.l2 ?? 1e-4;
  const rng = new SeededRandom(config.seed ?? 0);
  const he = Math.sqrt(2 / d);
  const params = [
    tf.tensor2d(
      Float32Array.from({ length: d * h }, () => he * rng.normal()),
      [d, h],
    ),
    tf.zeros([h]),
    tf.tensor2d(
      Float32Array.from({ length: h }, () => Math.sqrt(1 / h) * rng.normal()),
      [h, 1],
    ),
    tf.zeros([1]),
  ];
  // Adam moments; gradients are written by hand (tfjs-core's autodiff kernels are not
  // registered in its Node ESM build), which also keeps every step explicit.
  const m1 = params.map((p) => tf.zerosLike(p));
  const m2 = params.map((p) => tf.zerosLike(p));
  const lr = config.learningRate ?? 0.01;
  const beta1 = 0.9;
  const beta2 = 0.999;
  const xs = tf.tensor2d(x, [n, d]);
  const ys = tf.tensor2d(Float32Array.from(y), [n, 1]);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let step = 0;
  try {
    for (let e = 0; e < epochs; e++) {
      rng.shuffle(order);
      for (let s = 0; s < n; s += bs) {
        step++;
        const next = tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(s, Math.min(n, s + bs)), 'int32');
          const xb = tf.gather(xs, idx);
          const yb = tf.gather(ys, idx);
          const [w1, b1, w2, b2] = params;
          const a = tf.add(tf.matMul(xb, w1), b1);
          const hid = tf.relu(a);
          const z = tf.add(tf.matMul(hid, w2), b2);
          const dz = tf.div(tf.sub(tf.sigmoid(z), yb), idx.shape[0]);
          const gw2 = tf.add(tf.matMul(hid, dz, true, false), tf.mul(l2, w2));
          const gb2 = tf.sum(dz, 0);
          const da = tf.mul(tf.matMul(dz, w2, false, true), tf.step(a));
          const gw1 = tf.add(tf.matMul(xb, da, true, false), tf.mul(l2, w1));
          const gb1 = tf.sum(da, 0);
          const grads = [gw1, gb1, gw2, gb2];
          const c1 = 1 - beta1 ** step;
          const c2 = 1 - beta2 ** step;
          return grads.map((g, i) => {
            const nm1 = tf.add(tf.mul(beta1, m1[i]), tf.mul(1 - beta1, g));
            const nm2 = tf.add(tf.mul(beta2, m2[i]), tf.mul(1 - beta2, tf.square(g)));
            const upd = tf.div(tf.mul(lr / c1, nm1), tf.add(tf.sqrt(tf.div(nm2, c2)), 1e-8));
            return [tf.sub(params[i], upd), nm1, nm2];
          });
        });
        for (let i = 0; i < 4; i++) {
          params[i].dispose();
          m1[i].dispose();
          m2[i].dispose();
          [params[i], m1[i], m2[i]] = next[i];
        }
      }
    }
    return {
      features: d,
      hidden: h,
      w1: params[0].dataSync() as Float32Array,
      b1: params[1].dataSync() as Float32Array,
      w2: params[2].dataSync() as Float32Array,
      b2: (params[3].dataSync() as Float32Array)[0],
    };
  } finally {
    for (const t of [...params, ...m1, ...m2, xs, ys]) t.dispose();
  }
}

/** Hidden activations relu(W1ᵀx + b1) of every row, n×hidden Float32. */
export async function mlpHidden(model: MlpModel, x: Float32Array): Promise<Float32Array> {
  await ensureComputeBackend();
  const n = x.length / model.features;
  const t = tf.tidy(() =>
    tf.relu(
      tf.add(
        tf.matMul(tf.tensor2d(x, [n, model.features]), tf.tensor2d(model.w1, [model.features, model.hidden])),
        tf.tensor1d(model.b1),
      ),
    ),
  );
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}

/** Logits of every row. */
async function mlpLogits(model: MlpModel, x: Float32Array): Promise<Float64Array> {
  const hid = await mlpHidden(model, x);
  const n = x.length / model.features;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = model.b2;
    for (let j = 0; j < model.hidden; j++) s += model.w2[j] * hid[i * model.hidden + j];
    out[i] = s;
  }
  return out;
}

/** Margins of the correct class ±logit. */
export async function mlpMargins(model: MlpModel, x: Float32Array, y: Uint8Array): Promise<Float64Array> {
  const z = await mlpLogits(model, x);
  for (let i = 0; i < z.length; i++) if (!y[i]) z[i] = -z[i];
  return z;
}

/** Options of {@link mlpLastLayerScores}. */
export interface MlpLlOptions {
  k?: number;
  dtype?: StoreDtype;
  /** Ridge of (ΦᵀΦ + λI). Default 1e-3·n. */
  kernelLambda?: number;
  seed?: number;
}

/**
 * `ll` for the MLP: φᵢ = ∇_{w2,b2} f(zᵢ) = ±[hᵢ, 1] (last-layer output gradient of the
 * correct-class margin), Qᵢ = 1 − p(correct), one ensemble member per model.
 */
export async function mlpLastLayerScores(
  models: MlpModel[],
  train: { x: Float32Array; y: Uint8Array },
  test: { x: Float32Array; y: Uint8Array },
  options: MlpLlOptions = {},
): Promise<ScoreMatrix> {
  const n = train.y.length;
  const members = [];
  for (let e = 0; e < models.length; e++) {
    const m = models[e];
    const H = m.hidden + 1;
    const feats = async (x: Float32Array, y: Uint8Array): Promise<{ phi: Float32Array; q: Float64Array }> => {
      const hid = await mlpHidden(m, x);
      const rows = y.length;
      const phi = new Float32Array(rows * H);
      const q = new Float64Array(rows);
      for (let i = 0; i < rows; i++) {
        const sgn = y[i] ? 1 : -1;
        let z = m.b2;
        for (let j = 0; j < m.hidden; j++) {
          const v = hid[i * m.hidden + j];
          phi[i * H + j] = sgn * v;
          z += m.w2[j] * v;
        }
        phi[i * H + m.hidden] = sgn;
        q[i] = 1 / (1 + Math.exp(sgn * z));
      }
      return { phi, q };
    };
    const tr = await feats(train.x, train.y);
    const te = await feats(test.x, test.y);
    const store = GradientStore.create({
      inputDim: H,
      k: options.k,
      dtype: options.dtype,
      seed: (options.seed ?? 0) + e,
    });
    store.append(tr.phi, n);
    members.push({ store, testFeatures: store.project(te.phi, test.y.length), q: tr.q });
  }
  return trakScores(members, options.kernelLambda ?? 1e-3 * n);
}
