/** Whether a larger value of a metric is better, smaller is better, or neither is known. */
type MetricDirection = 'higher' | 'lower' | 'unknown';

/** How a change of a metric reads: better, worse, no change, or neither (a count, an unknown metric, a missing value). */
export type MetricChange = 'better' | 'worse' | 'same' | 'neutral';

/**
 * The direction of a metric from its name: losses (loss, log-loss, Brier score) are better lower,
 * accuracy and AUC higher; anything else (row counts, an unknown metric) has no direction.
 *
 * @example
 * metricDirection('testLoss'); // 'lower'
 * metricDirection('trainRows'); // 'unknown'
 */
function metricDirection(name: string): MetricDirection {
  const n = name.toLowerCase();
  if (/loss|brier/.test(n)) return 'lower';
  if (/accuracy|auc/.test(n)) return 'higher';
  return 'unknown';
}

/**
 * How the change `before` → `after` of the metric `name` reads, by whether it is better for that
 * metric (not by its sign): a higher test loss is `worse`, a higher accuracy `better`, a change of
 * a metric without a known direction `neutral`.
 *
 * @example
 * metricChange('testLoss', 0.40, 0.45); // 'worse'
 * metricChange('testAccuracy', 0.80, 0.82); // 'better'
 */
export function metricChange(name: string, before: unknown, after: unknown): MetricChange {
  if (typeof before !== 'number' || typeof after !== 'number') return 'neutral';
  if (after === before) return 'same';
  const direction = metricDirection(name);
  if (direction === 'unknown') return 'neutral';
  return after > before === (direction === 'higher') ? 'better' : 'worse';
}
