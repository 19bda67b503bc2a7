import type { PatternEncoding } from './pattern-encoding.js';

/** Test rows claimed at a time by each thread of {@link patternScoresInto}. */
export const patternChunkRows = 8;

/**
 * Scores through a {@link PatternEncoding}, Float64 throughout:
 * out[t·n + i] = rowScale[i]·Σⱼ a[t·D + j]·X̃[i, j] for the test rows t claimed, where `a` is
 * T×D row-major and `out` T×n row-major (caller-provided; a Float32 output rounds once, at the
 * end).
 *
 * Rows are claimed `patternChunkRows` at a time from `next` (an Int32Array counter, shared
 * between threads with Atomics when it lives on a SharedArrayBuffer), so several threads can
 * fill one output; with a fresh counter one call computes every row.
 *
 * Per chunk of test rows: the look-up tables (each pattern's dot product with a's rows), then one
 * fused pass over the n training rows: a table look-up per block plus a multiply-add per dense
 * column, for all the chunk's rows.
 * Returns the number of test rows this call computed.
 */
export function patternScoresInto(
  enc: PatternEncoding,
  a: Float64Array,
  T: number,
  rowScale: Float64Array | undefined,
  out: Float32Array | Float64Array,
  next: Int32Array = new Int32Array(1),
): number {
  const n = enc.rows;
  const D = enc.cols;
  const R = patternChunkRows;
  const tab = new Float64Array(enc.tableSize * R);
  const w = new Float64Array(enc.denseCols.length * R);
  const bias = new Float64Array(R);
  const scaled = rowScale !== undefined;
  const f32 = out instanceof Float32Array;
  let done = 0;
  for (;;) {
    const t0 = Atomics.add(next, 0, R);
    if (t0 >= T) return done;
    const rows = Math.min(T, t0 + R) - t0;
    done += rows;
    // Interleaved tables: entry e of test row t0 + r at tab[e·rows + r], so one index look-up
    // serves all the chunk's rows.
    for (let r = 0; r < rows; r++) {
      const ao = (t0 + r) * D;
      for (const { ptr, col, val, patterns, offset } of enc.blocks) {
        for (let p = 0; p < patterns; p++) {
          let sum = 0;
          for (let q = ptr[p]; q < ptr[p + 1]; q++) sum += val[q] * a[ao + col[q]];
          tab[(offset + p) * rows + r] = sum;
        }
      }
      for (let k = 0; k < enc.denseCols.length; k++) w[k * rows + r] = a[ao + enc.denseCols[k]];
      bias[r] = enc.intercept ? a[ao + D - 1] : 0;
    }
    const pass = rowPass(enc.blocks.length, enc.denseCols.length, rows, scaled, f32);
    pass(enc.ids, tab, enc.denseValues, w, rowScale, out, t0 * n, n, bias);
  }
}

/**
 * `rows` output rows at once: out[o + r·n + i] = s[i]·(c[r] + Σ_b tab[ids[i·B+b]·rows + r] +
 * Σ_k w[k·rows + r]·dense[k][i]).
 */
type RowPass = (
  ids: Uint16Array,
  tab: Float64Array,
  dense: Float64Array[],
  w: Float64Array,
  s: Float64Array | undefined,
  out: Float32Array | Float64Array,
  o: number,
  n: number,
  c: Float64Array,
) => void;

const passes = new Map<string, RowPass>();

/**
 * The row pass specialised (generated once per shape) for B blocks, k dense columns and `rows`
 * test rows: a single loop over the training rows with the look-ups unrolled, each index and
 * dense value read once for all the test rows (V8 compiles this ~2× faster than one pass per
 * block). The generated code depends only on the counts, never on data.
 */
function rowPass(B: number, k: number, rows: number, scaled: boolean, f32: boolean): RowPass {
  const key = `${B},${k},${rows},${scaled},${f32}`;
  let pass = passes.get(key);
  if (!pass) {
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) lines.push(`const c${r} = c[${r}]; const o${r} = o + ${r} * n;`);
    for (let u = 0; u < k; u++) {
      lines.push(`const v${u} = dense[${u}];`);
      for (let r = 0; r < rows; r++) lines.push(`const w${u}_${r} = w[${u * rows + r}];`);
    }
    const body: string[] = [];
    for (let b = 0; b < B; b++) body.push(`const p${b} = ids[j + ${b}] * ${rows};`);
    for (let u = 0; u < k; u++) body.push(`const d${u} = v${u}[i];`);
    if (scaled) body.push('const si = s[i];');
    for (let r = 0; r < rows; r++) {
      const terms = [`c${r}`];
      for (let b = 0; b < B; b++) terms.push(`tab[p${b} + ${r}]`);
      for (let u = 0; u < k; u++) terms.push(`w${u}_${r} * d${u}`);
      const sum = terms.join(' + ');
      body.push(`out[o${r} + i] = ${scaled ? `si * (${sum})` : sum};`);
    }
    lines.push(`for (let i = 0, j = 0; i < n; i++, j += ${B}) {`, ...body, '}');
    // f32 is part of the key only so that each generated function sees one output type.
    pass = new Function('ids', 'tab', 'dense', 'w', 's', 'out', 'o', 'n', 'c', lines.join('\n')) as RowPass;
    passes.set(key, pass);
  }
  return pass;
}
