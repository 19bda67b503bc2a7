import type { EncoderDriftEntry } from '../jobs/unlearning/write-encoder-drift.js';

/**
 * One line of text for a model line's encoder drift: the kept state, and by how much a refit on
 * the rows the line now holds would change it (or why that is unknown).
 *
 * @example
 * describeEncoderDrift(drift)
 * // 'encoder state of line model-1 kept (fitted with the erased rows): a refit on 318 of its 320
 * //  fit rows would shift a mean by up to -0.1 sd (AMT_INCOME_TOTAL), scale an sd by up to 0.5 (…), and
 * //  drop 1 one-hot level only erased rows had (NAME_HOUSING_TYPE)'
 */
export function describeEncoderDrift(d: EncoderDriftEntry): string {
  const head = `encoder state of line ${d.line} kept (fitted with the erased rows)`;
  if (d.status === 'unknown') return `${head}: drift unknown: ${d.note ?? 'no fitted state'}`;
  const parts: string[] = [];
  if (d.maxMeanShiftSd !== null)
    parts.push(`shift a mean by up to ${d.maxMeanShiftSd} sd (${d.maxMeanShiftFeature})`);
  if (d.sdRatio !== null) parts.push(`scale an sd by up to ${d.sdRatio} (${d.sdRatioFeature})`);
  parts.push(
    d.levelsOnlyErased === 0
      ? 'drop no one-hot level'
      : `drop ${d.levelsOnlyErased} one-hot level${d.levelsOnlyErased === 1 ? '' : 's'} only erased rows had (${d.levelsOnlyErasedFeatures.join(', ')})`,
  );
  const partial = d.status === 'partial' ? `; ${d.note}` : '';
  return `${head}: a refit on ${d.refitRows} of its ${d.fitRows} fit rows would ${parts.join(', ')}${partial}`;
}
