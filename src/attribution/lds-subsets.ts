import { InputError } from '../errors.js';
import { SeededRandom } from '../util/seeded-random.js';

/**
 * The m seeded LDS subsets, each of exactly ⌊α·n⌋ distinct training rows (sorted).
 *
 * @throws InputError `attribution.badAlpha` unless 0 < ⌊α·n⌋ ≤ n.
 */
export function ldsSubsets(n: number, m: number, alpha: number, seed: number): Uint32Array[] {
  const size = Math.floor(alpha * n);
  if (!(alpha > 0 && alpha <= 1) || size < 1) {
    throw new InputError(
      'attribution.badAlpha',
      `alpha must be in (0, 1] with ⌊alpha·n⌋ ≥ 1, got alpha=${alpha}, n=${n}`,
    );
  }
  if (!Number.isInteger(m) || m < 2) {
    throw new InputError('attribution.badSubsets', `need at least 2 subsets to rank, got ${m}`);
  }
  const rng = new SeededRandom(seed);
  const out: Uint32Array[] = [];
  for (let s = 0; s < m; s++) out.push(rng.sample(n, size));
  return out;
}
