import { cell, type ReportBlock, type ReportSection } from './report-document.js';
import type {
  ClassCount,
  ReportGuarantee,
  ReportPipeline,
  ReportRun,
  ReportSourceFile,
  ReportSplit,
  ReportStatement,
} from './report-types.js';

/** The data sources: one row per file, by content sha256. */
export function sourcesSection(title: string, sources: ReportSourceFile[]): ReportSection {
  return {
    title,
    blocks: [
      sources.length === 0
        ? { kind: 'text', text: 'No source file is recorded.' }
        : {
            kind: 'table',
            columns: ['file', 'table', 'sha256', 'rows', 'erased rows', 'key column', 'data subject', 'path'],
            rows: sources.map((f) => [
              f.name,
              cell(f.table),
              f.sha256,
              cell(f.rows),
              cell(f.erasedRows),
              cell(f.keyColumn),
              cell(f.subjectName),
              cell(f.path),
            ]),
          },
    ],
  };
}

/** The run's facts and its pipeline with its ops. */
export function pipelineSection(run: ReportRun, pipeline: ReportPipeline): ReportSection {
  return {
    title: 'Pipeline',
    blocks: [
      {
        kind: 'facts',
        rows: [
          ['run', run.id],
          ['pipeline', cell(pipeline.name || null)],
          ['pipeline file sha256', pipeline.sha256 ?? 'not recorded (no declared pipeline file)'],
          ['format', cell(pipeline.format)],
          ['lineage mode', cell(run.mode)],
          ['status', cell(run.status)],
          ['started', cell(run.startedAt)],
          ['finished', cell(run.finishedAt)],
          [
            'files / ops / source rows / samples / provenance edges',
            [
              run.counts.files,
              run.counts.ops,
              run.counts.sourceRows,
              run.counts.samples,
              run.counts.provenanceEdges,
            ]
              .map(cell)
              .join(' / '),
          ],
          ['sample key column', cell(run.sampleKeyColumn)],
        ],
      },
      {
        kind: 'table',
        columns: ['#', 'kind', 'step', 'operation'],
        rows: pipeline.ops.map((o) => [String(o.seq), o.kind, o.step ?? '—', o.name]),
      },
    ],
  };
}

/** Label, split and class balance (table and bars). */
export function labelSection(
  label: string | null,
  split: ReportSplit | null,
  balance: ClassCount[],
): ReportSection {
  const total = balance.reduce((n, c) => n + c.samples, 0);
  const name = (c: ClassCount) =>
    c.erased ? `${c.split}, dropped by an erasure` : `${c.split}, label ${cell(c.label)}`;
  const blocks: ReportBlock[] = [
    {
      kind: 'facts',
      rows: [
        ['label definition', label ?? 'not recorded'],
        [
          'split',
          split
            ? `test fraction ${cell(split.testFraction)}, seed ${cell(split.seed)}, by ${cell(split.key)}`
            : 'not recorded',
        ],
        [
          'train / test samples at the split',
          split ? `${cell(split.train)} / ${cell(split.test)}` : 'not recorded',
        ],
      ],
    },
  ];
  if (balance.length === 0) blocks.push({ kind: 'text', text: 'Class balance: no samples recorded.' });
  else {
    blocks.push({
      kind: 'table',
      columns: ['split', 'label', 'samples', 'share'],
      rows: balance.map((c) => [
        c.split,
        c.erased ? 'dropped by an erasure' : cell(c.label),
        String(c.samples),
        percent(c.samples / total),
      ]),
    });
    blocks.push({
      kind: 'bars',
      caption: 'Class balance: samples per split and label',
      bars: balance.map((c) => ({ label: name(c), value: c.samples, text: String(c.samples) })),
    });
  }
  return { title: 'Label, split and class balance', blocks };
}

/** The guarantee an erasure records, as facts. */
export function guaranteeFacts(g: ReportGuarantee): [string, string][] {
  const rows: [string, string][] = [
    ['mode', cell(g.mode)],
    ['fell back to a full retrain', cell(g.fallback)],
    ['gradient residual', cell(g.gradientResidual)],
    [
      'parameter gap closed (vs retrain)',
      g.paramGapClosed === null ? 'not measured (run with --verify)' : cell(g.paramGapClosed),
    ],
    [
      '(ε, δ)',
      g.epsilon === null
        ? 'not certified (the line was trained without --certify)'
        : `(${cell(g.epsilon)}, ${cell(g.delta)})`,
    ],
  ];
  if (g.epsilon !== null)
    rows.push(
      ['σ', cell(g.sigma)],
      ['budget charged / left', `${cell(g.budgetCharged)} / ${cell(g.budgetLeft)}`],
      ['certified retrain', cell(g.certifiedRetrain)],
    );
  if (g.certificate)
    for (const [k, v] of Object.entries(g.certificate))
      rows.push([
        `certificate: ${k}`,
        typeof v === 'object' && v !== null ? JSON.stringify(v) : cell(v as never),
      ]);
  return rows;
}

/** The signed statements, with how to verify them. */
export function statementsSection(statements: ReportStatement[]): ReportSection {
  if (statements.length === 0)
    return {
      title: 'Signed statements (transparency log)',
      blocks: [
        {
          kind: 'text',
          text: 'No signed statement is logged about these ids (no signing key was set up when they were written).',
        },
      ],
    };
  return {
    title: 'Signed statements (transparency log)',
    blocks: [
      {
        kind: 'table',
        columns: ['log index', 'kind', 'about', 'statement id', 'logged at'],
        rows: statements.map((s) => [String(s.logIndex), s.kind, s.ref, s.id, cell(s.at)]),
      },
      { kind: 'text', text: 'Verify each statement and the log:' },
      {
        kind: 'code',
        lines: [
          ...statements.map((s) => `traceprop verify statement ${s.id}`),
          'traceprop verify log',
          'traceprop verify graph',
        ],
      },
    ],
  };
}

/** What the report cannot say. */
export function notAvailableSection(items: string[]): ReportSection {
  return {
    title: 'Not available',
    blocks: [items.length === 0 ? { kind: 'text', text: 'Nothing.' } : { kind: 'list', items }],
  };
}

/** A share as a percentage with one decimal. */
export function percent(share: number): string {
  return Number.isFinite(share) ? `${(share * 100).toFixed(1)}%` : 'not recorded';
}
