import { createRequire } from 'node:module';
import path from 'node:path';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { TracepropError } from '../errors.js';

let ready: Promise<void> | undefined;

/**
 * Initialises tfjs-core with the WebAssembly backend (SIMD; single-threaded in Node: the
 * threaded build spawns workers from `blob:` URLs, which Node's worker_threads rejects).
 * Idempotent; every function that runs tfjs kernels awaits it.
 */
export function ensureComputeBackend(): Promise<void> {
  ready ??= (async () => {
    const require = createRequire(import.meta.url);
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
    setWasmPaths(`${dist}${path.sep}`);
    const ok = await tf.setBackend('wasm');
    await tf.ready();
    if (!ok || tf.getBackend() !== 'wasm') {
      throw new TracepropError(
        'attribution.backendUnavailable',
        'the tfjs wasm backend failed to initialise',
      );
    }
  })();
  return ready;
}

/** Which backend runs the heavy products and how. */
export async function computeBackendInfo(): Promise<{ backend: string; simd: boolean; threads: number }> {
  await ensureComputeBackend();
  return {
    backend: tf.getBackend(),
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: getThreadsCount(),
  };
}

/**
 * C = A·Bᵀ in Float32 on the wasm backend: A is m×k, B is n×k (both row-major), C is m×n.
 * This is the shape of every score matrix (test features × train features). B is transposed
 * in JS first: the wasm backend's transposed-operand path measured ~5× slower.
 */
export async function matMulABt(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): Promise<Float32Array> {
  return matMulAB(a, transposeF32(b, n, k), m, n, k);
}

/** Transpose of a rows×cols row-major Float32 array. */
export function transposeF32(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = a[o + c];
  }
  return out;
}

/** C = A·B in Float32 on the wasm backend: A is m×k, B is k×n. */
export async function matMulAB(
  a: Float32Array,
  b: Float32Array,
  m: number,
  n: number,
  k: number,
): Promise<Float32Array> {
  await ensureComputeBackend();
  const t = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])));
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}

/** C = Aᵀ·A (k×k) in Float32 on the wasm backend: A is m×k (transposed in JS first). */
export async function gramAtA(a: Float32Array, m: number, k: number): Promise<Float32Array> {
  return matMulAB(transposeF32(a, m, k), a, k, k, m);
}

/** Plain-JS Float64 C = A·Bᵀ, for comparison with the wasm kernel in benchmarks. */
export function matMulABtJs(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  n: number,
  k: number,
): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ai = i * k;
    for (let j = 0; j < n; j++) {
      const bj = j * k;
      let s = 0;
      for (let t = 0; t < k; t++) s += a[ai + t] * b[bj + t];
      c[i * n + j] = s;
    }
  }
  return c;
}
