import { median } from './interleaved.js';

/** A summary of the per-pair differences (with − without) of interleaved pairs. */
export interface PairedDifferences {
  /** Median of the differences. */
  medianMs: number;
  /** First and third quartiles of the differences. */
  quartilesMs: [number, number];
  /**
   * A distribution-free 95 % confidence interval of the median difference (order statistics of
   * the sign test: the k-th smallest and k-th largest difference, k from the binomial(n, ½)
   * quantile); `null` with fewer than 6 pairs, where no such interval reaches 95 %.
   */
  ci95Ms: [number, number] | null;
  pairs: number;
}

/**
 * Summarises paired differences: median, quartiles and a 95 % confidence interval of the median
 * that assumes nothing of their distribution (a noisy shared machine gives heavy tails).
 *
 * @example
 * pairedDifferences([3, -1, 2, 4, 0, 5, 2, 1]).medianMs; // 2
 */
export function pairedDifferences(differences: readonly number[]): PairedDifferences {
  const sorted = [...differences].sort((a, b) => a - b);
  const n = sorted.length;
  const quartile = (q: number) => sorted[Math.min(n - 1, Math.floor(q * n))];
  const k = signTestRank(n);
  return {
    medianMs: median(sorted),
    quartilesMs: [quartile(0.25), quartile(0.75)],
    ci95Ms: k === undefined ? null : [sorted[k - 1], sorted[n - k]],
    pairs: n,
  };
}

/**
 * The largest k with P(Binomial(n, ½) ≤ k − 1) ≤ 2.5 %: [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] covers the median with
 * at least 95 % probability. Undefined when n is too small for any such k.
 */
function signTestRank(n: number): number | undefined {
  let cumulative = 0;
  let choose = 1; // C(n, i)
  const total = 2 ** n;
  let k: number | undefined;
  for (let i = 0; i < n; i++) {
    cumulative += choose / total;
    if (cumulative > 0.025) break;
    k = i + 1;
    choose = (choose * (n - i)) / (i + 1);
  }
  return k;
}
