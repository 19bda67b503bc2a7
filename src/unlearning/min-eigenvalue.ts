import { choleskySolveInPlace } from '../attribution/cholesky.js';

/**
 * Smallest eigenvalue of an SPD matrix from its Cholesky factor L (d×d row-major), by inverse
 * power iteration (deterministic start). An estimate: it converges from above.
 */
export function minEigenvalue(l: Float64Array, d: number, iterations = 50): number {
  const v = new Float64Array(d);
  for (let i = 0; i < d; i++) v[i] = 1 + (i % 7) / 7;
  let mu = Number.POSITIVE_INFINITY;
  for (let it = 0; it < iterations; it++) {
    let norm = 0;
    for (let i = 0; i < d; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) v[i] /= norm;
    choleskySolveInPlace(l, d, v);
    // Rayleigh quotient of H⁻¹ at the normalised iterate: vᵀH⁻¹v = ‖H⁻¹v‖ projected.
    let grow = 0;
    for (let i = 0; i < d; i++) grow += v[i] * v[i];
    const next = 1 / Math.sqrt(grow);
    if (Math.abs(next - mu) <= 1e-12 * next) return next;
    mu = next;
  }
  return mu;
}
