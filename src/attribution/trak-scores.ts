import { InputError } from '../errors.js';
import { choleskyFactor, choleskySolveInPlace } from './cholesky.js';
import { gramAtA, matMulABt } from './compute-backend.js';
import type { GradientStore } from './gradient-store.js';
import type { ScoreMatrix } from './score-matrix.js';

/** One model of a TRAK ensemble. */
export interface TrakMember {
  /** Training features φᵢ = ∇f(zᵢ) of the attributed layer, projected (n rows). */
  store: GradientStore;
  /** Test features φ(z_t) projected the same way, T×dim row-major. */
  testFeatures: Float32Array;
  /** Out-to-loss weights Qᵢ = 1 − p(correct class of zᵢ), length n. */
  q: ArrayLike<number>;
}

/**
 * TRAK-style scores τ(z_t)_i = φ(z_t)ᵀ(ΦᵀΦ + λI)⁻¹φᵢ·Qᵢ averaged over the ensemble members.
 * Φ is read from each store chunk by chunk, so file-backed stores above the memory cap work.
 */
export async function trakScores(members: TrakMember[], lambda: number): Promise<ScoreMatrix> {
  if (members.length === 0) throw new InputError('attribution.emptyEnsemble', 'll needs at least one model');
  const n = members[0].store.rows;
  const k0 = members[0].store.dim;
  const T = members[0].testFeatures.length / k0;
  const out = new Float32Array(T * n);
  for (const mem of members) {
    const { store } = mem;
    const k = store.dim;
    if (store.rows !== n || mem.q.length !== n || mem.testFeatures.length !== T * k) {
      throw new InputError(
        'attribution.badShape',
        `ensemble member shapes differ: ${store.rows} rows, ${mem.q.length} weights, ${mem.testFeatures.length / k} test rows`,
      );
    }
    const kern = new Float64Array(k * k);
    for (const chunk of store.chunks()) {
      const g = await gramAtA(chunk.data, chunk.count, k);
      for (let i = 0; i < k * k; i++) kern[i] += g[i];
    }
    for (let j = 0; j < k; j++) kern[j * k + j] += lambda;
    const l = choleskyFactor(kern, k);
    const a = new Float32Array(T * k);
    const v = new Float64Array(k);
    for (let t = 0; t < T; t++) {
      for (let j = 0; j < k; j++) v[j] = mem.testFeatures[t * k + j];
      choleskySolveInPlace(l, k, v);
      for (let j = 0; j < k; j++) a[t * k + j] = v[j];
    }
    const w = 1 / members.length;
    for (const chunk of store.chunks()) {
      const c = chunk.count;
      for (let r = 0; r < c; r++) {
        const qr = mem.q[chunk.start + r];
        for (let j = 0; j < k; j++) chunk.data[r * k + j] *= qr;
      }
      const s = await matMulABt(a, chunk.data, T, c, k);
      for (let t = 0; t < T; t++) {
        const o = t * n + chunk.start;
        for (let r = 0; r < c; r++) out[o + r] += w * s[t * c + r];
      }
    }
  }
  return { rows: T, cols: n, data: out };
}
