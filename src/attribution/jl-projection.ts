import { InputError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';

/**
 * A seeded sparse Johnson–Lindenstrauss projection ℝᵖ → ℝᵏ (Achlioptas 2003): entries
 * ±√3 with probability 1/6 each and 0 with probability 2/3, scaled by 1/√k, so
 * E⟨Px, Py⟩ = ⟨x, y⟩. The matrix is regenerated from (p, k, seed) alone, so saving the seed
 * saves the projection.
 *
 * @example
 * const proj = new JlProjection(6849, 512, 7);
 * const out = proj.apply(gradRows, rowCount); // rowCount×512 Float32
 */
export class JlProjection {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly seed: number;
  /** Per input coordinate j: the output coordinates with a non-zero entry, offsets[j]..offsets[j+1]. */
  private readonly offsets: Uint32Array;
  private readonly targets: Uint32Array;
  /** ±√(3/k) for each stored entry. */
  private readonly weights: Float32Array;

  constructor(inputDim: number, outputDim: number, seed: number) {
    if (!(Number.isInteger(inputDim) && inputDim > 0 && Number.isInteger(outputDim) && outputDim > 0)) {
      throw new InputError(
        'attribution.badShape',
        `projection needs positive integer dims, got ${inputDim}→${outputDim}`,
      );
    }
    if (outputDim >= inputDim) {
      throw new InputError(
        'attribution.projectUp',
        `refusing to project up (${inputDim} → ${outputDim}); store the gradients themselves`,
      );
    }
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    this.seed = seed;
    const rng = new SeededRandom(seed);
    const offsets = new Uint32Array(inputDim + 1);
    let cap = Math.ceil((inputDim * outputDim) / 3 + 16);
    let targets = new Uint32Array(cap);
    let signs = new Int8Array(cap);
    let nnz = 0;
    for (let j = 0; j < inputDim; j++) {
      for (let o = 0; o < outputDim; o++) {
        const u = rng.nextUint32() % 6;
        if (u >= 2) continue;
        if (nnz === cap) {
          cap *= 2;
          const t2 = new Uint32Array(cap);
          t2.set(targets);
          targets = t2;
          const s2 = new Int8Array(cap);
          s2.set(signs);
          signs = s2;
        }
        targets[nnz] = o;
        signs[nnz++] = u === 0 ? 1 : -1;
      }
      offsets[j + 1] = nnz;
    }
    const scale = Math.sqrt(3 / outputDim);
    this.offsets = offsets;
    this.targets = targets.slice(0, nnz);
    this.weights = new Float32Array(nnz);
    for (let q = 0; q < nnz; q++) this.weights[q] = signs[q] * scale;
  }

  /** Projects `count` row-major rows of length p into a new count×k Float32 array. */
  apply(
    rows: ArrayLike<number>,
    count: number,
    out = new Float32Array(count * this.outputDim),
  ): Float32Array {
    const p = this.inputDim;
    const k = this.outputDim;
    if (rows.length < count * p) {
      throw new InputError('attribution.badShape', `expected ${count}×${p} values, got ${rows.length}`);
    }
    const { offsets, targets, weights } = this;
    for (let r = 0; r < count; r++) {
      const o = r * k;
      const base = r * p;
      for (let j = 0; j < p; j++) {
        const v = rows[base + j];
        if (v === 0) continue;
        for (let q = offsets[j]; q < offsets[j + 1]; q++) out[o + targets[q]] += weights[q] * v;
      }
    }
    return out;
  }
}
