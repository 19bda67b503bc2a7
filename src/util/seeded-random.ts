/**
 * Which bit generator a {@link SeededRandom} runs. Both are kept bit for bit because numbers
 * made with them are pinned by tests and bench tables:
 * - `xoshiro128**` (the default): four 32-bit words expanded from the seed by splitmix32;
 *   floats carry 53 random bits (two draws); {@link SeededRandom.normal} draws a fresh
 *   Box–Muller pair per call and returns its cosine deviate. Used by attribution (LDS subsets,
 *   JL projections, MLP initialisation, test-point samples) and the data sets' train/test split.
 * - `mulberry32`: one 32-bit word over a splitmix32-scrambled seed; floats carry 32 random bits;
 *   {@link SeededRandom.normal} hands out both deviates of each Box–Muller pair (cosine, then
 *   sine). Used by the synthetic credit-risk generator and the lineage train/test split.
 */
export type RandomStream = 'xoshiro128**' | 'mulberry32';

/**
 * The project's one seeded pseudo-random generator: the same seed and stream give the same
 * sequence on every platform, so every subset, split, projection and synthetic data set is
 * reproducible from one integer.
 *
 * @example
 * const rng = new SeededRandom(42);
 * rng.next();              // uniform in [0, 1)
 * rng.sample(1000, 500);   // 500 distinct indices of 0..999, sorted
 * new SeededRandom(7, 'mulberry32').normal(0, 1);
 */
export class SeededRandom {
  /** The bit generator (see {@link RandomStream}). */
  readonly stream: RandomStream;
  private readonly mulberry: boolean;
  // xoshiro128** state; mulberry32 uses s0 only.
  private s0: number;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  /** The sine deviate of the last Box–Muller pair (mulberry32 only), or NaN. */
  private spare = Number.NaN;

  /** @param seed any integer (fractions are truncated); different seeds give unrelated sequences. */
  constructor(seed: number, stream: RandomStream = 'xoshiro128**') {
    this.stream = stream;
    this.mulberry = stream === 'mulberry32';
    if (this.mulberry) {
      let z = (Math.trunc(seed) + 0x9e3779b9) | 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s0 = (z ^ (z >>> 16)) >>> 0;
      return;
    }
    // splitmix32-style expansion of the seed into four 32-bit words (the first non-zero).
    let x = (seed >>> 0) ^ 0x9e3779b9;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next() || 1;
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    return this.mulberry ? this.mulberry32() : this.xoshiro128();
  }

  /** Uniform float in [0, 1) (53 random bits with `xoshiro128**`, 32 with `mulberry32`). */
  next(): number {
    if (this.mulberry) return this.mulberry32() / 4294967296;
    const hi = this.xoshiro128() >>> 5;
    const lo = this.xoshiro128() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Normal deviate with the given mean and standard deviation (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    if (this.mulberry && !Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = Number.NaN;
      return mean + sd * s;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    if (this.mulberry) this.spare = r * Math.sin(2 * Math.PI * v);
    return mean + sd * r * Math.cos(2 * Math.PI * v);
  }

  /** Poisson deviate (Knuth's method; fine for small means). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** Picks one element, with optional weights (need not sum to 1). */
  pick<T>(items: readonly T[], weights?: readonly number[]): T {
    if (!weights) return items[this.int(items.length)];
    let total = 0;
    for (const w of weights) total += w;
    let u = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      u -= weights[i];
      if (u < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Fisher–Yates shuffle in place (from the last position down); returns `a`. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A seeded permutation of `0 .. n-1` (a {@link SeededRandom.shuffle} of the identity). */
  permutation(n: number): Uint32Array {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    return this.shuffle(out);
  }

  /** `count` distinct indices of `0..n-1`, sorted ascending. */
  sample(n: number, count: number): Uint32Array {
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    // Partial Fisher–Yates: only the first `count` positions are drawn.
    for (let i = 0; i < count; i++) {
      const j = i + this.int(n - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm.slice(0, count).sort();
  }

  private xoshiro128(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    return result;
  }

  private mulberry32(): number {
    this.s0 = (this.s0 + 0x6d2b79f5) | 0;
    let t = this.s0;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
