import { UsageError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';
import type { Frame } from './frame.js';

/** A seeded train/test split. */
export interface SplitSpec {
  /** Fraction of rows in the test split (default 0.2). */
  testFraction?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** Op name (default `train-test split`). */
  name?: string;
  /**
   * A given assignment (0 = train, 1 = test, one per row) instead of a seeded draw, e.g. an
   * earlier run's split looked up by key; `testFraction` and `seed` are then ignored and the op
   * records `preset: true` and `presetFrom`.
   */
  assignment?: Uint8Array;
  /** Where `assignment` came from (recorded, e.g. `run <id>`). */
  presetFrom?: string;
  /**
   * Stratify: one value per row (e.g. the label; NaN is a stratum of its own). Each stratum, in
   * ascending order of its value, gets ⌊testFraction·size⌉ test rows chosen by the next seeded
   * permutation of its rows, so the strata keep their shares in train and test. Without it the
   * draw is the plain one, unchanged.
   */
  strata?: ArrayLike<number>;
  /** Extra JSON parameters to record (e.g. the column rows are assigned by). */
  params?: Record<string, unknown>;
}

/** The split: the same rows (a new frame recording the `split` op) and the assignment. */
export interface SplitResult {
  frame: Frame;
  /** 0 = train, 1 = test, per row. */
  split: Uint8Array;
  /** `split[i] === 0` as a mask, handy for fitting encoders on train rows. */
  trainMask: Uint8Array;
}

/**
 * Assigns ⌊testFraction·rows⌉ rows (chosen by a seeded permutation) to test and the rest to
 * train. Deterministic for a given seed and row count. Rows are not reordered. With
 * `assignment`, the given split is used as is (recompute re-uses the original run's split).
 */
export function trainTestSplit(frame: Frame, spec: SplitSpec = {}): SplitResult {
  const testFraction = spec.testFraction ?? 0.2;
  const seed = spec.seed ?? 0;
  if (!(testFraction >= 0 && testFraction <= 1)) {
    throw new UsageError(
      'lineage.badSplit',
      `train-test split: expected testFraction in [0, 1], got ${testFraction}`,
    );
  }
  const n = frame.rows;
  let split: Uint8Array;
  let nTest = 0;
  if (spec.assignment) {
    if (spec.assignment.length !== n) {
      throw new UsageError(
        'lineage.badSplit',
        `train-test split: expected a preset assignment of length ${n}, got ${spec.assignment.length}`,
      );
    }
    split = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      split[i] = spec.assignment[i] === 0 ? 0 : 1;
      nTest += split[i];
    }
  } else if (spec.strata) {
    split = stratifiedDraw(spec.strata, n, testFraction, seed);
    for (let i = 0; i < n; i++) nTest += split[i];
  } else {
    nTest = Math.round(testFraction * n);
    const perm = new SeededRandom(seed, 'mulberry32').permutation(n);
    split = new Uint8Array(n);
    for (let k = 0; k < nTest; k++) split[perm[k]] = 1;
  }
  const trainMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) trainMask[i] = split[i] === 0 ? 1 : 0;
  const p = frame.pipeline;
  const opId = p.tracksOps
    ? p.record(
        'split',
        spec.name ?? 'train-test split',
        {
          ...(spec.assignment
            ? { preset: true, presetFrom: spec.presetFrom ?? 'given', train: n - nTest, test: nTest }
            : { testFraction, seed, train: n - nTest, test: nTest }),
          ...(spec.strata && !spec.assignment ? { stratified: true } : {}),
          ...(spec.params ?? {}),
        },
        [frame],
      )
    : '';
  return { frame: frame.withColumns(frame.columns, opId), split, trainMask };
}

/** The stratified draw: per stratum (ascending value, NaN last), its test rows by a seeded permutation. */
function stratifiedDraw(
  strata: ArrayLike<number>,
  n: number,
  testFraction: number,
  seed: number,
): Uint8Array {
  if (strata.length !== n) {
    throw new UsageError(
      'lineage.badSplit',
      `train-test split: expected one stratum value per row (${n}), got ${strata.length}`,
    );
  }
  const members = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const v = strata[i];
    const list = members.get(v);
    if (list) list.push(i);
    else members.set(v, [i]);
  }
  const order = [...members.keys()].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const rng = new SeededRandom(seed, 'mulberry32');
  const split = new Uint8Array(n);
  for (const v of order) {
    const rows = members.get(v)!;
    const perm = rng.permutation(rows.length);
    const nTest = Math.round(testFraction * rows.length);
    for (let k = 0; k < nTest; k++) split[rows[perm[k]]] = 1;
  }
  return split;
}
