import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { TracepropError } from '../errors.js';
import type { CsrMatrix } from './csr-matrix.js';
import { type FusedInputs, type FusedState, fusedClaimPoints, fusedClaims } from './fused-attribution.js';
import type { PatternEncoding } from './pattern-encoding.js';
import { patternChunkRows, patternScoresInto } from './pattern-scores.js';

/** A message to a score worker (internal). */
export interface ScoreJob {
  id: number;
  /** Sent only when the worker does not hold this encoding yet. */
  encoding?: PatternEncoding;
  a: Float64Array;
  T: number;
  rowScale?: Float64Array;
  out: Float32Array;
  next: Int32Array;
}

/** A message asking a score worker to claim test points of a fused pass (internal). */
export interface FusedJob {
  id: number;
  fused: FusedInputs;
  next: Int32Array;
}

/** A message asking a score worker to answer once it is loaded (internal). */
export interface ScorePing {
  id: number;
  ping: true;
}

/** Options of {@link ScoreWorkerPool}. */
export interface ScoreWorkerPoolConfig {
  /**
   * Threads that compute a product, the calling thread included (so threads − 1 workers).
   * Default: the available parallelism, at most 4.
   */
  threads?: number;
}

interface PoolWorker {
  worker: Worker;
  encoding?: PatternEncoding;
  pending?: { id: number; resolve: (rows: number) => void; reject: (e: Error) => void };
}

/**
 * Worker threads for pattern-encoded score products ({@link patternScoresInto}). The calling
 * thread computes too; all threads claim test rows from one Atomics counter, so a thread slowed
 * by other load simply takes fewer rows. Inputs and the output live on SharedArrayBuffers.
 *
 * Workers start lazily on the first product and are `unref`'d between products (an idle pool
 * never keeps the process alive); `dispose()` terminates them.
 *
 * @example
 * const pool = new ScoreWorkerPool({ threads: 2 });
 * try { const s = await pool.scores(enc, a, T, c); } finally { await pool.dispose(); }
 */
export class ScoreWorkerPool {
  readonly threads: number;
  /** Test rows computed by each thread (calling thread first) in the last product. */
  lastRowsPerThread: number[] = [];
  private workers: PoolWorker[] = [];
  private nextId = 0;
  private disposed = false;

  constructor(config: ScoreWorkerPoolConfig = {}) {
    const cpus = os.availableParallelism?.() ?? os.cpus().length;
    this.threads = Math.max(1, Math.floor(config.threads ?? Math.min(4, cpus)));
  }

  /**
   * rowScale[i]·(a·X̃ᵀ)[t, i] for all T test rows, T×n Float32 on a SharedArrayBuffer. `enc`
   * should be encoded with `shared: true` (otherwise each worker receives a copy).
   */
  async scores(
    enc: PatternEncoding,
    a: Float64Array,
    T: number,
    rowScale?: Float64Array,
  ): Promise<Float32Array> {
    if (this.disposed)
      throw new TracepropError('attribution.poolDisposed', 'the score worker pool was disposed');
    const n = enc.rows;
    const out = new Float32Array(new SharedArrayBuffer(4 * T * n));
    const next = new Int32Array(new SharedArrayBuffer(4));
    const helpers = this.threads > 1 && T > 1 ? this.ensureWorkers() : [];
    const job = { a: toShared(a), T, rowScale: rowScale && toShared(rowScale), out, next };
    await this.gather(
      helpers.map((w) => this.post(w, enc, job)),
      () => patternScoresInto(enc, job.a, T, job.rowScale, out, next),
    );
    return out;
  }

  /**
   * Runs the calling thread's share (`own`, returning its claimed count) while the helpers'
   * `done` settle; the first failure is thrown (the own share's first), else the counts are kept
   * in `lastRowsPerThread` (this thread first).
   */
  private async gather(done: Promise<number>[], own: () => number): Promise<void> {
    let failure: unknown;
    let mine = 0;
    try {
      mine = own();
    } catch (e) {
      failure = e;
    }
    const settled = await Promise.allSettled(done);
    if (failure) throw failure;
    this.lastRowsPerThread = [mine];
    for (const s of settled) {
      if (s.status === 'rejected') throw s.reason;
      this.lastRowsPerThread.push(s.value);
    }
  }

  /**
   * The fused pass ({@link fusedClaims}) of all of `inputs.state`'s test points over all training
   * rows, on every thread: the threads claim test points from one Atomics counter. With more than
   * one thread, the training matrix, residuals and directions are copied to SharedArrayBuffers
   * (the matrix and residuals once per array object); `inputs.state` must be on
   * SharedArrayBuffers (`fusedState(…, true)`), else the calling thread computes alone.
   */
  async fused(inputs: FusedInputs): Promise<FusedState> {
    if (this.disposed)
      throw new TracepropError('attribution.poolDisposed', 'the score worker pool was disposed');
    const next = new Int32Array(new SharedArrayBuffer(4));
    const helpers =
      this.threads > 1 &&
      inputs.state.points > fusedClaimPoints &&
      inputs.state.heapSize.buffer instanceof SharedArrayBuffer
        ? this.ensureWorkers()
        : [];
    // Shared copies only when another thread reads them.
    const job: FusedInputs = helpers.length
      ? {
          x: sharedCsr(inputs.x),
          rowScale: sharedOnce(inputs.rowScale),
          a: toShared(inputs.a),
          groups: inputs.groups,
          state: inputs.state,
        }
      : inputs;
    await this.gather(
      helpers.map((w) => this.postFused(w, job, next)),
      () => fusedClaims(job, next),
    );
    return inputs.state;
  }

  /**
   * Starts the worker threads now instead of on the first product, and with `enc` also hands
   * them the encoding and runs a small product through every thread (zeros, discarded), so the
   * first real product pays neither thread start-up nor compilation of its row pass. Call it
   * while other work runs (e.g. when a worker process starts, or after training); it resolves
   * when the threads are ready.
   */
  async warm(enc?: PatternEncoding): Promise<void> {
    if (this.threads <= 1) return;
    if (!enc) {
      await Promise.all(this.ensureWorkers().map((w) => this.post(w, undefined, undefined)));
      return;
    }
    const T = this.threads * patternChunkRows * 2;
    const a = new Float64Array(new SharedArrayBuffer(8 * T * enc.cols));
    const ones = new Float64Array(new SharedArrayBuffer(8 * enc.rows)).fill(1);
    await this.scores(enc, a, T, ones);
  }

  /** Terminates the workers; the pool cannot be used afterwards. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const ws = this.workers;
    this.workers = [];
    await Promise.all(ws.map((w) => w.worker.terminate()));
  }

  private ensureWorkers(): PoolWorker[] {
    while (this.workers.length < this.threads - 1) {
      const worker = new Worker(new URL('./score-worker.js', import.meta.url));
      const w: PoolWorker = { worker };
      worker.unref();
      worker.on('message', (m: { id: number; rows?: number; error?: string }) => {
        const p = w.pending;
        if (!p || p.id !== m.id) return;
        w.pending = undefined;
        worker.unref();
        if (m.error) p.reject(new TracepropError('attribution.workerFailed', m.error));
        else p.resolve(m.rows ?? 0);
      });
      const fail = (e: Error) => {
        this.workers = this.workers.filter((x) => x !== w);
        w.pending?.reject(new TracepropError('attribution.workerFailed', e.message, { cause: e }));
        w.pending = undefined;
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`score worker exited with code ${code}`)));
      this.workers.push(w);
    }
    return this.workers.filter((w) => !w.pending);
  }

  private postFused(w: PoolWorker, fused: FusedInputs, next: Int32Array): Promise<number> {
    const id = ++this.nextId;
    return new Promise<number>((resolve, reject) => {
      w.pending = { id, resolve, reject };
      w.worker.ref();
      w.worker.postMessage({ id, fused, next } satisfies FusedJob);
    });
  }

  /** Posts a product to a worker, or (without `enc` and `job`) a ping it answers once loaded. */
  private post(
    w: PoolWorker,
    enc: PatternEncoding | undefined,
    job: Omit<ScoreJob, 'id' | 'encoding'> | undefined,
  ): Promise<number> {
    const id = ++this.nextId;
    return new Promise<number>((resolve, reject) => {
      w.pending = { id, resolve, reject };
      w.worker.ref();
      if (!enc || !job) {
        w.worker.postMessage({ id, ping: true } satisfies ScorePing);
        return;
      }
      const msg: ScoreJob = { id, ...job, encoding: w.encoding === enc ? undefined : enc };
      w.encoding = enc;
      w.worker.postMessage(msg);
    });
  }
}

/** A copy on a SharedArrayBuffer (the array itself when it already is on one). */
function toShared(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

const sharedCopies = new WeakMap<object, unknown>();

/** `a` on a SharedArrayBuffer, copied once per array object (training arrays are never modified in place). */
function sharedOnce(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  let s = sharedCopies.get(a) as Float64Array | undefined;
  if (!s) {
    s = toShared(a);
    sharedCopies.set(a, s);
  }
  return s;
}

/** A CSR matrix on SharedArrayBuffers, copied once per matrix object. */
function sharedCsr(x: CsrMatrix): CsrMatrix {
  if (x.values.buffer instanceof SharedArrayBuffer) return x;
  let s = sharedCopies.get(x) as CsrMatrix | undefined;
  if (!s) {
    const copy = <A extends Uint32Array | Float64Array>(src: A, make: (b: SharedArrayBuffer) => A) => {
      const out = make(new SharedArrayBuffer(src.byteLength));
      out.set(src);
      return out;
    };
    s = {
      rows: x.rows,
      cols: x.cols,
      rowPtr: copy(x.rowPtr, (b) => new Uint32Array(b)),
      colIdx: copy(x.colIdx, (b) => new Uint32Array(b)),
      values: copy(x.values, (b) => new Float64Array(b)),
    };
    sharedCopies.set(x, s);
  }
  return s;
}

let shared: ScoreWorkerPool | undefined;

/** The process-wide pool used by the attribution methods, created on first use. */
export function scoreWorkerPool(): ScoreWorkerPool {
  shared ??= new ScoreWorkerPool();
  return shared;
}

/** Terminates the process-wide pool's workers (a later product starts a new pool). */
export async function disposeScoreWorkers(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.dispose();
}
