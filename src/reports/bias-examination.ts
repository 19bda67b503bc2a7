import type { BiasGroupRates, BiasSplitExamination } from './report-types.js';

/** The label given to samples whose protected attribute is missing. */
const missingGroup = '(missing)';

/**
 * Rates and AUC per group of one protected attribute over one split (pure): for each group, its
 * samples, the share with label 1, the share predicted 1 (`score ≥ threshold`), the true and false
 * positive rates, and the AUC of the scores (Mann–Whitney, ties counted ½); then, across groups,
 * the disparity ratios min ÷ max of the predicted positive rate, the true positive rate and the
 * false positive rate (1 is parity; null when fewer than two groups have the rate or the max is 0),
 * and each group's predicted positive rate ÷ the largest group's. A rate whose denominator is 0
 * (e.g. TPR of a group with no positive label) is null, as is the AUC of a group with one class.
 *
 * @example
 * examineGroups('test', Float64Array.of(0.9, 0.2), Uint8Array.of(1, 0), ['F', 'M'], 0.5);
 */
export function examineGroups(
  split: 'train' | 'test',
  scores: Float64Array,
  labels: Uint8Array,
  groups: readonly (string | null)[],
  threshold: number,
): BiasSplitExamination {
  const byGroup = new Map<string, number[]>();
  for (let i = 0; i < scores.length; i++) {
    const g = groups[i] ?? missingGroup;
    const rows = byGroup.get(g);
    if (rows) rows.push(i);
    else byGroup.set(g, [i]);
  }
  const names = [...byGroup.keys()].sort();
  const rates: BiasGroupRates[] = names.map((group) => {
    const rows = byGroup.get(group) as number[];
    let pos = 0;
    let predicted = 0;
    let tp = 0;
    let fp = 0;
    for (const i of rows) {
      const hit = scores[i] >= threshold;
      if (labels[i] === 1) pos++;
      if (hit) predicted++;
      if (hit && labels[i] === 1) tp++;
      if (hit && labels[i] === 0) fp++;
    }
    const neg = rows.length - pos;
    return {
      group,
      samples: rows.length,
      positiveLabelRate: pos / rows.length,
      predictedPositiveRate: predicted / rows.length,
      truePositiveRate: pos > 0 ? tp / pos : null,
      falsePositiveRate: neg > 0 ? fp / neg : null,
      auc: aucOf(
        rows.map((i) => scores[i]),
        rows.map((i) => labels[i]),
      ),
      predictedPositiveRatio: null,
    };
  });
  const reference = rates.reduce<BiasGroupRates | null>(
    (best, r) => (best === null || r.samples > best.samples ? r : best),
    null,
  );
  for (const r of rates)
    r.predictedPositiveRatio =
      reference && reference.predictedPositiveRate > 0
        ? r.predictedPositiveRate / reference.predictedPositiveRate
        : null;
  return {
    split,
    samples: scores.length,
    referenceGroup: reference?.group ?? null,
    groups: rates,
    disparity: {
      predictedPositiveRate: minOverMax(rates.map((r) => r.predictedPositiveRate)),
      truePositiveRate: minOverMax(rates.map((r) => r.truePositiveRate)),
      falsePositiveRate: minOverMax(rates.map((r) => r.falsePositiveRate)),
    },
  };
}

/** AUC of `scores` for 0/1 `labels` (average ranks for ties); null without both classes. */
function aucOf(scores: readonly number[], labels: readonly number[]): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    i = j + 1;
  }
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; i++)
    if (labels[i] === 1) {
      pos++;
      rankSum += ranks[i];
    }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return null;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

function minOverMax(values: readonly (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  if (known.length < 2) return null;
  const max = Math.max(...known);
  return max > 0 ? Math.min(...known) / max : null;
}
