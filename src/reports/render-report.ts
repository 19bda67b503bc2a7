import { erasureDocument } from './erasure-document.js';
import { modelDocument } from './model-document.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';
import { type PdfOptions, renderPdf } from './render-pdf.js';
import type { ReportDocument } from './report-document.js';
import type { Report } from './report-types.js';
import { runDocument } from './run-document.js';

/** The formats `traceprop report` writes. */
export const reportFormats = ['md', 'html', 'pdf', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** Lays out any report for reading. */
function reportDocument(report: Report): ReportDocument {
  switch (report.kind) {
    case 'model':
      return modelDocument(report);
    case 'erasure':
      return erasureDocument(report);
    case 'run':
      return runDocument(report);
  }
}

/**
 * Renders a report: `json` is the typed report itself (2-space indented), `md` Markdown, `html` a
 * self-contained page, `pdf` that page printed by headless Chromium.
 */
export async function renderReport(
  report: Report,
  format: ReportFormat,
  pdf: PdfOptions = {},
): Promise<string | Buffer> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const doc = reportDocument(report);
  if (format === 'md') return renderMarkdown(doc);
  const html = renderHtml(doc);
  return format === 'html' ? html : renderPdf(html, pdf);
}
