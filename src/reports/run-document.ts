import {
  labelSection,
  notAvailableSection,
  pipelineSection,
  sourcesSection,
  statementsSection,
} from './document-parts.js';
import { cell, type ReportDocument } from './report-document.js';
import type { RunReport } from './report-types.js';

/** Lays out a {@link RunReport}: sources, counts, pipeline, label and split, models trained on it. */
export function runDocument(r: RunReport): ReportDocument {
  return {
    title: `Run report: ${r.run.id}`,
    subtitle: `What the run read, did and fed, as the Traceprop graph records it. Generated ${r.generatedAt}.`,
    sections: [
      sourcesSection('Data sources', r.sources),
      pipelineSection(r.run, r.pipeline),
      labelSection(r.label, r.split, r.classBalance),
      {
        title: 'Models trained on this run',
        blocks: [
          r.models.length === 0
            ? { kind: 'text', text: 'None.' }
            : {
                kind: 'table',
                columns: ['model', 'version', 'kind', 'status', 'trained at', 'test accuracy'],
                rows: r.models.map((m) => [
                  m.id,
                  cell(m.version),
                  cell(m.kind),
                  cell(m.status),
                  cell(m.trainedAt),
                  cell(m.testAccuracy),
                ]),
              },
        ],
      },
      statementsSection(r.statements),
      notAvailableSection(r.notAvailable),
    ],
  };
}
