import { SeededRandom } from '../util/seeded-random.js';
import type { ScoreMatrix } from './score-matrix.js';

/** The `random` baseline: i.i.d. uniform scores in [−½, ½) (seeded). Its LDS should be ≈ 0. */
export function randomScores(rows: number, cols: number, seed: number): ScoreMatrix {
  const rng = new SeededRandom(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.nextUint32() / 4294967296 - 0.5;
  return { rows, cols, data };
}
