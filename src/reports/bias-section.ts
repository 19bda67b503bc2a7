import { percent } from './document-parts.js';
import type { ReportBlock, ReportSection } from './report-document.js';
import type { ReportBias } from './report-types.js';

const rate = (v: number | null): string => (v === null ? 'n/a' : percent(v));
const ratio = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));

/**
 * The bias examination section of the model report (EU AI Act Art. 10(2)(f)): per protected
 * attribute and split, a table of rates and AUC per group, the disparity ratios and a bar chart
 * of the predicted positive rate per group; or, when there is none, why (`not declared` /
 * `not available`), never an empty section.
 */
export function biasSection(bias: ReportBias): ReportSection {
  const title = 'Bias examination (Art. 10(2)(f))';
  if (bias.status !== 'examined')
    return { title, blocks: [{ kind: 'text', text: `${bias.status}: ${bias.reason}.` }] };
  const blocks: ReportBlock[] = [
    {
      kind: 'text',
      text: `Every train and test sample of run ${bias.runId} scored by this model; predicted 1 when the score is at least ${bias.threshold}. Samples an erasure dropped or scrubbed are left out: ${bias.erasedExcluded.train} train and ${bias.erasedExcluded.test} test. Disparity ratios are min ÷ max across groups (1 is parity); the ratio column is each group's predicted positive rate ÷ the largest group's.`,
    },
  ];
  for (const a of bias.attributes)
    for (const s of a.splits) {
      blocks.push({
        kind: 'table',
        columns: [
          `${a.name} (${a.column}), ${s.split}`,
          'samples',
          'label 1',
          'predicted 1',
          'TPR',
          'FPR',
          'AUC',
          `ratio to ${s.referenceGroup ?? 'n/a'}`,
        ],
        rows: s.groups.map((g) => [
          g.group,
          String(g.samples),
          rate(g.positiveLabelRate),
          rate(g.predictedPositiveRate),
          rate(g.truePositiveRate),
          rate(g.falsePositiveRate),
          ratio(g.auc),
          ratio(g.predictedPositiveRatio),
        ]),
      });
      blocks.push({
        kind: 'facts',
        rows: [
          [
            `${a.name}, ${s.split}: predicted positive rate disparity`,
            ratio(s.disparity.predictedPositiveRate),
          ],
          [`${a.name}, ${s.split}: true positive rate disparity`, ratio(s.disparity.truePositiveRate)],
          [`${a.name}, ${s.split}: false positive rate disparity`, ratio(s.disparity.falsePositiveRate)],
        ],
      });
      if (s.split === 'test')
        blocks.push({
          kind: 'bars',
          caption: `Predicted positive rate per ${a.name} group (test)`,
          bars: s.groups.map((g) => ({
            label: g.group,
            value: g.predictedPositiveRate,
            text: percent(g.predictedPositiveRate),
          })),
        });
    }
  return { title, blocks };
}
