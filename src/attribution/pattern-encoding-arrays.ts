import { InputError } from '../errors.js';
import type { PatternBlock, PatternEncoding } from './pattern-encoding.js';

/** A {@link PatternEncoding} as a few flat typed arrays, for saving with a model artifact. */
export interface PatternEncodingArrays {
  /** [rows, cols, tableSize, intercept (0/1), blocks, dense columns]. */
  patternMeta: Uint32Array;
  /** Per block: its number of patterns and its offset in the look-up table. */
  patternCounts: Uint32Array;
  patternOffsets: Uint32Array;
  /** The blocks' CSR arrays back to back (each block's `ptr` has patterns + 1 entries). */
  patternPtr: Uint32Array;
  patternCol: Uint32Array;
  patternVal: Float64Array;
  patternIds: Uint16Array;
  denseCols: Uint32Array;
  /** The dense columns' n values each, back to back. */
  denseValues: Float64Array;
}

/** Flattens an encoding (the arrays are copied once; the encoding is left as it is). */
export function patternEncodingToArrays(enc: PatternEncoding): PatternEncodingArrays {
  const counts = Uint32Array.from(enc.blocks, (b) => b.patterns);
  const offsets = Uint32Array.from(enc.blocks, (b) => b.offset);
  return {
    patternMeta: Uint32Array.of(
      enc.rows,
      enc.cols,
      enc.tableSize,
      enc.intercept ? 1 : 0,
      enc.blocks.length,
      enc.denseCols.length,
    ),
    patternCounts: counts,
    patternOffsets: offsets,
    patternPtr: concat(
      Uint32Array,
      enc.blocks.map((b) => b.ptr),
    ),
    patternCol: concat(
      Uint32Array,
      enc.blocks.map((b) => b.col),
    ),
    patternVal: concat(
      Float64Array,
      enc.blocks.map((b) => b.val),
    ),
    patternIds: enc.ids,
    denseCols: enc.denseCols,
    denseValues: concat(Float64Array, enc.denseValues),
  };
}

/**
 * Rebuilds an encoding from {@link patternEncodingToArrays}' arrays, on SharedArrayBuffers (so
 * score threads share it instead of receiving copies).
 *
 * @throws InputError `attribution.badShape` when the arrays do not fit together.
 */
export function patternEncodingFromArrays(arrays: PatternEncodingArrays): PatternEncoding {
  const [rows, cols, tableSize, intercept, blockCount, denseCount] = arrays.patternMeta;
  const bad = (what: string) =>
    new InputError('attribution.badShape', `the saved pattern encoding is inconsistent: ${what}`);
  if (arrays.patternMeta.length !== 6) throw bad('its header has the wrong length');
  if (arrays.patternCounts.length !== blockCount || arrays.patternOffsets.length !== blockCount)
    throw bad(`${blockCount} blocks, but ${arrays.patternCounts.length} pattern counts`);
  if (arrays.patternIds.length !== rows * blockCount) throw bad('the table indices do not cover every row');
  if (arrays.denseCols.length !== denseCount || arrays.denseValues.length !== rows * denseCount)
    throw bad('the dense columns do not cover every row');
  const blocks: PatternBlock[] = [];
  let p = 0;
  let q = 0;
  for (let b = 0; b < blockCount; b++) {
    const patterns = arrays.patternCounts[b];
    const ptr = shared(Uint32Array, arrays.patternPtr.subarray(p, p + patterns + 1));
    if (ptr.length !== patterns + 1) throw bad(`block ${b}'s pattern offsets are cut short`);
    const nnz = ptr[patterns];
    const col = shared(Uint32Array, arrays.patternCol.subarray(q, q + nnz));
    const val = shared(Float64Array, arrays.patternVal.subarray(q, q + nnz));
    if (col.length !== nnz || val.length !== nnz) throw bad(`block ${b}'s patterns are cut short`);
    blocks.push({ patterns, offset: arrays.patternOffsets[b], ptr, col, val });
    p += patterns + 1;
    q += nnz;
  }
  return {
    rows,
    cols,
    blocks,
    ids: shared(Uint16Array, arrays.patternIds),
    tableSize,
    denseCols: Uint32Array.from(arrays.denseCols),
    denseValues: Array.from({ length: denseCount }, (_, k) =>
      shared(Float64Array, arrays.denseValues.subarray(k * rows, (k + 1) * rows)),
    ),
    intercept: intercept === 1,
  };
}

type ArrayCtor<A> = { new (buffer: ArrayBufferLike): A; BYTES_PER_ELEMENT: number };

function concat<A extends Uint32Array | Float64Array>(Ctor: ArrayCtor<A>, parts: A[]): A {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Ctor(new ArrayBuffer(length * Ctor.BYTES_PER_ELEMENT));
  let o = 0;
  for (const part of parts) {
    out.set(part as never, o);
    o += part.length;
  }
  return out;
}

function shared<A extends Uint32Array | Uint16Array | Float64Array>(Ctor: ArrayCtor<A>, source: A): A {
  const out = new Ctor(new SharedArrayBuffer(source.length * Ctor.BYTES_PER_ELEMENT));
  out.set(source as never);
  return out;
}
