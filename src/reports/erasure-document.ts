import { guaranteeFacts, notAvailableSection, statementsSection } from './document-parts.js';
import { cell, type ReportDocument } from './report-document.js';
import type { ErasureReport } from './report-types.js';

/** Lays out an {@link ErasureReport} as a certificate a data subject or a regulator can read. */
export function erasureDocument(r: ErasureReport): ReportDocument {
  const q = r.request;
  return {
    title: `Erasure certificate: request ${q.id}`,
    subtitle: `What was erased, from which models, with which guarantee, and what every store holds now. Generated ${r.generatedAt}.`,
    sections: [
      {
        title: 'Request',
        blocks: [
          {
            kind: 'facts',
            rows: [
              ['request', q.id],
              ['status', cell(q.status)],
              ['mode', cell(q.mode)],
              ['requested', cell(q.requestedAt)],
              ['completed', cell(q.completedAt)],
              ['target as recorded', q.target ? JSON.stringify(q.target) : 'not recorded'],
            ],
          },
        ],
      },
      {
        title: 'What was erased',
        blocks: [
          {
            kind: 'text',
            text: `${r.erasedRows} source rows in ${r.erased.length} file(s); ${r.affectedSamples} samples affected. Row numbers are 0-based data rows; no row content is shown.`,
          },
          {
            kind: 'table',
            columns: ['file', 'table', 'sha256', 'rows erased', 'row numbers', 'marked erased now'],
            rows: r.erased.map((f) => [
              f.name,
              cell(f.table),
              f.sha256,
              String(f.rows.length),
              ranges(f.rows),
              String(f.erasedNow),
            ]),
          },
        ],
      },
      {
        title: 'Models updated',
        blocks: [
          r.models.length === 0
            ? { kind: 'text', text: 'No model version was produced.' }
            : {
                kind: 'table',
                columns: ['before', 'after', 'version', 'status', 'run', 'test accuracy before → after'],
                rows: r.models.map((m) => [
                  cell(m.before),
                  m.after,
                  cell(m.version),
                  cell(m.status),
                  cell(m.runId),
                  `${cell(m.testAccuracyBefore)} → ${cell(m.testAccuracyAfter)}`,
                ]),
              },
          { kind: 'facts', rows: [['model lines done', r.linesDone.join(', ') || 'none']] },
        ],
      },
      { title: 'Guarantee', blocks: [{ kind: 'facts', rows: guaranteeFacts(r.guarantee) }] },
      {
        title: 'Stores scrubbed (inventory measured now)',
        blocks: [
          {
            kind: 'text',
            text:
              r.inventory.ownedStoresHolding === 0
                ? 'No store Traceprop owns holds the erased data.'
                : `${r.inventory.ownedStoresHolding} store(s) Traceprop owns still hold the erased data (see below).`,
          },
          {
            kind: 'table',
            columns: ['store', 'owner', 'state', 'count', 'location', 'detail'],
            rows: r.inventory.entries.map((e) => [
              e.store,
              e.owner,
              e.state,
              cell(e.count),
              e.location,
              e.detail,
            ]),
          },
        ],
      },
      statementsSection(r.statements),
      { title: 'How to verify', blocks: [{ kind: 'code', lines: r.verify }] },
      notAvailableSection(r.notAvailable),
    ],
  };
}

/** Sorted row numbers as ranges: `3, 5, 10-12`. */
function ranges(rows: number[]): string {
  const sorted = [...rows].sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return out.join(', ');
}
