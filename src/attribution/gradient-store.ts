import fs from 'node:fs';
import { InputError, TracepropError } from '../errors.js';
import { float16Table, toFloat16Bits } from './float16.js';
import { JlProjection } from './jl-projection.js';

/** Storage precision of a {@link GradientStore}. int8 keeps one float32 scale per row. */
export type StoreDtype = 'float32' | 'float16' | 'int8';

/** Options of {@link GradientStore.create}. */
export interface GradientStoreConfig {
  /** Length p of the vectors appended (e.g. the number of model parameters). */
  inputDim: number;
  /** Projected dimension; when omitted or ≥ inputDim the vectors are stored unprojected. */
  k?: number;
  /** Seed of the JL projection. Default 0. */
  seed?: number;
  /** Default float32. */
  dtype?: StoreDtype;
  /** File-backed when given: rows are written through to this file and read back in chunks. */
  path?: string;
  /** Bytes a memory store may hold, and the size of the chunks read from a file store. */
  memoryCapBytes?: number;
}

/** Options of {@link GradientStore.open}. */
export interface GradientStoreOpenOptions {
  /** Load into memory only when the rows fit; otherwise read in chunks of at most this size. */
  memoryCapBytes?: number;
}

/** One chunk of dequantised rows. */
export interface StoreChunk {
  start: number;
  count: number;
  /** count×dim Float32. */
  data: Float32Array;
}

const MAGIC = 'TPGSTORE1\n';
const HEADER_BYTES = 4096;
const DEFAULT_CHUNK_BYTES = 64 * 1024 * 1024;

interface Header {
  version: 1;
  inputDim: number;
  dim: number;
  projected: boolean;
  seed: number;
  dtype: StoreDtype;
  rows: number;
}

/**
 * Per-sample vectors (gradients or last-layer features), projected by a seeded sparse JL
 * matrix when k < p, stored as float32, float16 or int8 (per-row scale), in memory or in a
 * file read in chunks, so a store larger than the memory cap still works.
 * `save`/`open` round-trip the stored bytes exactly, projection seed included.
 *
 * @example
 * const store = GradientStore.create({ inputDim: p, k: 512, seed: 1, dtype: 'float16' });
 * store.append(grads, n);
 * for (const chunk of store.chunks()) use(chunk.data);
 */
export class GradientStore {
  readonly inputDim: number;
  /** Stored dimension: k when projected, else inputDim. */
  readonly dim: number;
  readonly dtype: StoreDtype;
  readonly seed: number;
  readonly projection: JlProjection | null;
  /** Bytes of one stored row (int8: k bytes + a float32 scale). */
  readonly bytesPerSample: number;
  private rowCount = 0;
  private buf: Uint8Array | null;
  private fd: number | null;
  private readonly filePath: string | null;
  private readonly memoryCapBytes: number;

  private constructor(
    h: Header,
    backing: { buf?: Uint8Array; fd?: number; path?: string },
    memoryCapBytes: number,
  ) {
    this.inputDim = h.inputDim;
    this.dim = h.dim;
    this.dtype = h.dtype;
    this.seed = h.seed;
    this.projection = h.projected ? new JlProjection(h.inputDim, h.dim, h.seed) : null;
    this.bytesPerSample = rowBytes(h.dtype, h.dim);
    this.rowCount = h.rows;
    this.buf = backing.buf ?? null;
    this.fd = backing.fd ?? null;
    this.filePath = backing.path ?? null;
    this.memoryCapBytes = memoryCapBytes;
  }

  /** A new empty store (file-backed when `path` is given; the file is truncated). */
  static create(config: GradientStoreConfig): GradientStore {
    const { inputDim } = config;
    if (!Number.isInteger(inputDim) || inputDim <= 0) {
      throw new InputError('attribution.badShape', `inputDim must be a positive integer, got ${inputDim}`);
    }
    const dtype = config.dtype ?? 'float32';
    if (!['float32', 'float16', 'int8'].includes(dtype)) {
      throw new InputError('attribution.badDtype', `dtype must be float32, float16 or int8, got ${dtype}`);
    }
    const k = config.k ?? inputDim;
    if (!Number.isInteger(k) || k <= 0)
      throw new InputError('attribution.badK', `k must be a positive integer, got ${k}`);
    const projected = k < inputDim;
    const h: Header = {
      version: 1,
      inputDim,
      dim: projected ? k : inputDim,
      projected,
      seed: config.seed ?? 0,
      dtype,
      rows: 0,
    };
    const cap = config.memoryCapBytes ?? Number.POSITIVE_INFINITY;
    if (config.path) {
      const fd = fs.openSync(config.path, 'w+');
      const store = new GradientStore(h, { fd, path: config.path }, cap);
      store.writeHeader();
      return store;
    }
    return new GradientStore(h, { buf: new Uint8Array(0) }, cap);
  }

  /**
   * Opens a saved store: into memory when its rows fit in `memoryCapBytes`, otherwise
   * file-backed with chunked reads.
   */
  static open(path: string, options: GradientStoreOpenOptions = {}): GradientStore {
    const fd = fs.openSync(path, 'r');
    const head = Buffer.alloc(HEADER_BYTES);
    fs.readSync(fd, head, 0, HEADER_BYTES, 0);
    const text = head.toString('utf8');
    if (!text.startsWith(MAGIC)) {
      fs.closeSync(fd);
      throw new InputError('attribution.badStore', `${path} is not a Traceprop gradient store`);
    }
    const h = JSON.parse(text.slice(MAGIC.length, text.indexOf('\n', MAGIC.length))) as Header;
    const cap = options.memoryCapBytes ?? Number.POSITIVE_INFINITY;
    const bytes = h.rows * rowBytes(h.dtype, h.dim);
    const size = fs.fstatSync(fd).size;
    if (size < HEADER_BYTES + bytes) {
      fs.closeSync(fd);
      throw new InputError(
        'attribution.badStore',
        `${path} is truncated: ${size} bytes, expected ${HEADER_BYTES + bytes}`,
      );
    }
    if (bytes <= cap) {
      const buf = new Uint8Array(bytes);
      fs.readSync(fd, buf, 0, bytes, HEADER_BYTES);
      fs.closeSync(fd);
      return new GradientStore(h, { buf }, cap);
    }
    return new GradientStore(h, { fd, path }, cap);
  }

  /** Number of rows stored. */
  get rows(): number {
    return this.rowCount;
  }

  /** `memory` or `file`. */
  get backing(): 'memory' | 'file' {
    return this.fd === null ? 'memory' : 'file';
  }

  /** Bytes of all stored rows. */
  get byteLength(): number {
    return this.rowCount * this.bytesPerSample;
  }

  /** Projects rows (count×inputDim) to the stored space (identity copy when unprojected). */
  project(rows: ArrayLike<number>, count: number): Float32Array {
    if (rows.length !== count * this.inputDim) {
      throw new InputError(
        'attribution.badShape',
        `expected ${count}×${this.inputDim} values, got ${rows.length}`,
      );
    }
    return this.projection ? this.projection.apply(rows, count) : Float32Array.from(rows);
  }

  /** Projects, quantises and appends `count` rows of length inputDim. */
  append(rows: ArrayLike<number>, count: number): void {
    const v = this.project(rows, count);
    const bytes = new Uint8Array(count * this.bytesPerSample);
    encodeRows(v, count, this.dim, this.dtype, bytes);
    if (this.fd !== null) {
      fs.writeSync(this.fd, bytes, 0, bytes.length, HEADER_BYTES + this.byteLength);
    } else {
      const need = this.byteLength + bytes.length;
      if (need > this.memoryCapBytes) {
        throw new TracepropError(
          'attribution.storeOverCap',
          `gradient store would hold ${need} bytes, over its memory cap of ${this.memoryCapBytes}; give it a path`,
        );
      }
      let buf = this.buf!;
      if (need > buf.length) {
        const grown = new Uint8Array(Math.max(need, buf.length * 2));
        grown.set(buf.subarray(0, this.byteLength));
        buf = grown;
        this.buf = buf;
      }
      buf.set(bytes, this.byteLength);
    }
    this.rowCount += count;
  }

  /** Rows start..start+count-1, dequantised to a count×dim Float32 array. */
  read(start: number, count: number): Float32Array {
    if (start < 0 || count < 0 || start + count > this.rowCount) {
      throw new InputError(
        'attribution.badRange',
        `rows ${start}..${start + count} out of 0..${this.rowCount}`,
      );
    }
    const len = count * this.bytesPerSample;
    let bytes: Uint8Array;
    if (this.fd !== null) {
      bytes = new Uint8Array(len);
      fs.readSync(this.fd, bytes, 0, len, HEADER_BYTES + start * this.bytesPerSample);
    } else {
      bytes = this.buf!.subarray(start * this.bytesPerSample, start * this.bytesPerSample + len);
    }
    return decodeRows(bytes, count, this.dim, this.dtype);
  }

  /**
   * Rows per chunk: a chunk's raw bytes plus its Float32 copy stay within the memory cap
   * (64 MiB when uncapped), at least one row.
   */
  get chunkRows(): number {
    const budget = Number.isFinite(this.memoryCapBytes) ? this.memoryCapBytes : DEFAULT_CHUNK_BYTES;
    return Math.max(1, Math.floor(budget / (this.bytesPerSample + 4 * this.dim)));
  }

  /** Iterates over all rows in chunks of {@link chunkRows}. */
  *chunks(rowsPerChunk = this.chunkRows): Generator<StoreChunk> {
    for (let start = 0; start < this.rowCount; start += rowsPerChunk) {
      const count = Math.min(rowsPerChunk, this.rowCount - start);
      yield { start, count, data: this.read(start, count) };
    }
  }

  /** Raw stored bytes of rows start..start+count-1 (a copy), for exact comparisons. */
  rawBytes(start = 0, count = this.rowCount): Uint8Array {
    const len = count * this.bytesPerSample;
    if (this.fd !== null) {
      const out = new Uint8Array(len);
      fs.readSync(this.fd, out, 0, len, HEADER_BYTES + start * this.bytesPerSample);
      return out;
    }
    return this.buf!.slice(start * this.bytesPerSample, start * this.bytesPerSample + len);
  }

  /**
   * Writes the store to `path` (header with projection seed, then the rows). For a file
   * store and its own path, only the header is updated.
   */
  save(path?: string): void {
    if (this.fd !== null && (path === undefined || path === this.filePath)) {
      this.writeHeader();
      fs.fsyncSync(this.fd);
      return;
    }
    if (path === undefined)
      throw new InputError('attribution.noPath', 'a memory store needs a path to save to');
    const fd = fs.openSync(path, 'w');
    try {
      fs.writeSync(fd, this.headerBytes(), 0, HEADER_BYTES, 0);
      const step = this.chunkRows;
      for (let start = 0; start < this.rowCount; start += step) {
        const count = Math.min(step, this.rowCount - start);
        const b = this.rawBytes(start, count);
        fs.writeSync(fd, b, 0, b.length, HEADER_BYTES + start * this.bytesPerSample);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Releases the file handle (a file store is saved first). */
  close(): void {
    if (this.fd !== null) {
      if (this.filePath) {
        try {
          this.writeHeader();
        } catch {
          // read-only handle: nothing to update
        }
      }
      fs.closeSync(this.fd);
      this.fd = null;
      this.buf = new Uint8Array(0);
      this.rowCount = 0;
    }
  }

  private headerBytes(): Uint8Array {
    const h: Header = {
      version: 1,
      inputDim: this.inputDim,
      dim: this.dim,
      projected: this.projection !== null,
      seed: this.seed,
      dtype: this.dtype,
      rows: this.rowCount,
    };
    const text = `${MAGIC}${JSON.stringify(h)}\n`;
    const out = new Uint8Array(HEADER_BYTES).fill(0x20);
    out.set(Buffer.from(text, 'utf8'));
    return out;
  }

  private writeHeader(): void {
    fs.writeSync(this.fd!, this.headerBytes(), 0, HEADER_BYTES, 0);
  }
}

function rowBytes(dtype: StoreDtype, dim: number): number {
  return dtype === 'float32' ? 4 * dim : dtype === 'float16' ? 2 * dim : 4 + dim;
}

function encodeRows(v: Float32Array, count: number, dim: number, dtype: StoreDtype, out: Uint8Array): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  if (dtype === 'float32') {
    for (let i = 0; i < count * dim; i++) view.setFloat32(4 * i, v[i], true);
    return;
  }
  if (dtype === 'float16') {
    for (let i = 0; i < count * dim; i++) view.setUint16(2 * i, toFloat16Bits(v[i]), true);
    return;
  }
  const rb = 4 + dim;
  for (let r = 0; r < count; r++) {
    let max = 0;
    for (let j = 0; j < dim; j++) max = Math.max(max, Math.abs(v[r * dim + j]));
    const scale = Math.fround(max / 127);
    view.setFloat32(r * rb, scale, true);
    for (let j = 0; j < dim; j++) {
      const q = scale === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(v[r * dim + j] / scale)));
      view.setInt8(r * rb + 4 + j, q);
    }
  }
}

function decodeRows(bytes: Uint8Array, count: number, dim: number, dtype: StoreDtype): Float32Array {
  const out = new Float32Array(count * dim);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'float32') {
    for (let i = 0; i < count * dim; i++) out[i] = view.getFloat32(4 * i, true);
  } else if (dtype === 'float16') {
    const t = float16Table();
    for (let i = 0; i < count * dim; i++) out[i] = t[view.getUint16(2 * i, true)];
  } else {
    const rb = 4 + dim;
    for (let r = 0; r < count; r++) {
      const scale = view.getFloat32(r * rb, true);
      for (let j = 0; j < dim; j++) out[r * dim + j] = scale * view.getInt8(r * rb + 4 + j);
    }
  }
  return out;
}
