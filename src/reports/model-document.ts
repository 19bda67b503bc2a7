import { biasSection } from './bias-section.js';
import {
  guaranteeFacts,
  labelSection,
  notAvailableSection,
  percent,
  pipelineSection,
  sourcesSection,
  statementsSection,
} from './document-parts.js';
import { cell, type ReportBlock, type ReportDocument, type ReportSection } from './report-document.js';
import type { ModelReport } from './report-types.js';

/** Test accuracy across the line's versions, oldest first (none recorded: no figure). */
function linesFigure(line: ModelReport['line']): ReportBlock[] {
  const known = [...line].reverse().filter((v) => v.testAccuracy !== null);
  if (known.length === 0) return [];
  return [
    {
      kind: 'bars',
      caption: 'Test accuracy across the versions of the line',
      bars: known.map((v) => ({
        label: `v${v.version ?? '?'}`,
        value: v.testAccuracy as number,
        text: percent(v.testAccuracy as number),
      })),
    },
  ];
}

/** Lays out a {@link ModelReport} as a datasheet and model card (EU AI Act Annex IV 2(d)). */
export function modelDocument(r: ModelReport): ReportDocument {
  const m = r.model;
  const sections: ReportSection[] = [
    {
      title: 'Model',
      blocks: [
        {
          kind: 'facts',
          rows: [
            ['id', m.id],
            ['version', cell(m.version)],
            ['kind', cell(m.kind)],
            ['status', cell(m.status)],
            ['trained at', cell(m.trainedAt)],
            ['parameters sha256', cell(m.paramsSha256)],
            ['model matrix sha256', cell(m.runMatrixSha256)],
            ['parameters shredded by erasure', m.paramsShreddedBy ?? 'no'],
          ],
        },
      ],
    },
    sourcesSection('Data sources', r.sources),
  ];
  if (r.run && r.pipeline) sections.push(pipelineSection(r.run, r.pipeline));
  sections.push({
    title: 'Column lineage of the features',
    blocks: [
      r.featureLineage
        ? {
            kind: 'table',
            columns: ['feature', 'source columns'],
            rows: r.featureLineage.map((f) => [f.feature, f.sourceColumns.join(', ') || 'not recorded']),
          }
        : { kind: 'text', text: 'not recorded for this run' },
    ],
  });
  sections.push(labelSection(r.label, r.split, r.classBalance));
  sections.push({
    title: 'Missing values',
    blocks: [
      { kind: 'text', text: 'Missing values per column: not recorded in the graph.' },
      r.missingValues.imputation.length === 0
        ? { kind: 'text', text: 'Imputation: none recorded by the ops.' }
        : {
            kind: 'table',
            columns: ['operation', 'missing values replaced by'],
            rows: r.missingValues.imputation.map((i) => [i.op, i.policy]),
          },
    ],
  });
  const t = r.training;
  sections.push({
    title: 'Training parameters and metrics',
    blocks: [
      {
        kind: 'facts',
        rows: [
          ['L2 regularisation λ', cell(t.lambda)],
          ['training rows', cell(t.trainRows)],
          ['test rows', cell(t.testRows)],
          [
            'certified line (ε, δ, σ)',
            t.certification
              ? `(${cell(t.certification.epsilon)}, ${cell(t.certification.delta)}, ${cell(t.certification.sigma)})`
              : 'no',
          ],
          ...(t.certification
            ? ([
                [
                  'removal budget / spent / left',
                  `${cell(t.certification.removalBudget)} / ${cell(t.certification.budgetSpent)} / ${cell(t.certification.budgetLeft)}`,
                ],
              ] as [string, string][])
            : []),
          ['train accuracy', cell(r.metrics.trainAccuracy)],
          ['test accuracy', cell(r.metrics.testAccuracy)],
          ['train loss', cell(r.metrics.trainLoss)],
          ['test loss', cell(r.metrics.testLoss)],
        ],
      },
    ],
  });
  sections.push(biasSection(r.bias));
  const influence: ReportBlock[] =
    r.influence.length === 0
      ? [
          {
            kind: 'text',
            text: 'not available: no attribution results for this model (`traceprop attribute --model ID`).',
          },
        ]
      : r.influence.flatMap((i): ReportBlock[] => [
          {
            kind: 'table',
            columns: ['method', 'file', 'table', 'sha256', 'mean share'],
            rows: i.files.map((f) => [i.method, f.name, cell(f.table), f.sha256, percent(f.meanShare)]),
          },
          {
            kind: 'bars',
            caption: `Mean share of influence per source file (${i.method}, ${i.predictions} predictions)`,
            bars: i.files.map((f) => ({ label: f.name, value: f.meanShare, text: percent(f.meanShare) })),
          },
        ]);
  sections.push({ title: 'Influence per source file', blocks: influence });
  sections.push({
    title: 'Model line',
    blocks: [
      {
        kind: 'table',
        columns: ['version', 'model', 'status', 'trained at', 'run', 'test accuracy'],
        rows: r.line.map((v) => [
          cell(v.version),
          v.id,
          cell(v.status),
          cell(v.trainedAt),
          cell(v.runId),
          cell(v.testAccuracy),
        ]),
      },
      ...linesFigure(r.line),
    ],
  });
  sections.push({
    title: 'Erasures applied to this model line',
    blocks:
      r.erasures.length === 0
        ? [{ kind: 'text', text: 'None.' }]
        : r.erasures.flatMap((e): ReportBlock[] => [
            {
              kind: 'facts',
              rows: [
                ['request', e.requestId],
                ['status', cell(e.status)],
                ['requested / completed', `${cell(e.requestedAt)} / ${cell(e.completedAt)}`],
                ['source rows erased', String(e.sourceRows)],
                ['samples affected', cell(e.affectedSamples)],
                [
                  'versions',
                  e.produced.map((p) => `${p.before ?? '?'} → ${p.after}`).join('; ') || 'none produced',
                ],
                ...guaranteeFacts(e.guarantee),
              ],
            },
          ]),
  });
  sections.push(statementsSection(r.statements));
  sections.push(notAvailableSection(r.notAvailable));
  return {
    title: `Model card and datasheet: ${m.id}`,
    subtitle: `EU AI Act Annex IV 2(d): data, pipeline, training and erasures of the model as the Traceprop graph records them. Generated ${r.generatedAt}.`,
    sections,
  };
}
