import type { LabelledRows } from '../attribution/attribution-problem.js';
import { logisticLinear } from '../attribution/logistic-regression.js';

/** Log loss of θ on each row. */
function rowLosses(theta: Float64Array, rows: LabelledRows): Float64Array {
  const z = logisticLinear(theta, rows.x);
  for (let i = 0; i < z.length; i++) {
    const m = rows.y[i] ? -z[i] : z[i];
    z[i] = m > 0 ? m + Math.log1p(Math.exp(-m)) : Math.log1p(Math.exp(m));
  }
  return z;
}

/**
 * AUC of the loss-threshold membership-inference attack (Yeom et al. 2018): how well "low loss
 * ⇒ member" tells `members` (e.g. the erased samples) from `nonMembers` (held-out rows) under θ.
 * It is P(loss of a random member < loss of a random non-member), ties counting ½ (the
 * Mann–Whitney statistic): 0.5 is chance. After an erasure the unlearned model's AUC on the
 * erased samples should match the retrained model's. `NaN` when either set is empty.
 */
export function lossThresholdAuc(
  theta: Float64Array,
  members: LabelledRows,
  nonMembers: LabelledRows,
): number {
  const a = rowLosses(theta, members);
  const b = rowLosses(theta, nonMembers);
  if (a.length === 0 || b.length === 0) return Number.NaN;
  // Rank all losses together (average ranks for ties); AUC = (R_b − n_b(n_b+1)/2) / (n_a·n_b),
  // R_b the rank sum of the non-members (higher loss = higher rank).
  const all = Array.from({ length: a.length + b.length }, (_, i) => i);
  const value = (i: number): number => (i < a.length ? a[i] : b[i - a.length]);
  all.sort((i, j) => value(i) - value(j));
  let rankSumB = 0;
  for (let k = 0; k < all.length; ) {
    let end = k + 1;
    while (end < all.length && value(all[end]) === value(all[k])) end++;
    const rank = (k + 1 + end) / 2;
    for (let t = k; t < end; t++) if (all[t] >= a.length) rankSumB += rank;
    k = end;
  }
  const nb = b.length;
  return (rankSumB - (nb * (nb + 1)) / 2) / (a.length * nb);
}
