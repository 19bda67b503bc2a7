import { escapeHtml } from './escape-html.js';
import type { ReportBlock, ReportDocument } from './report-document.js';
import { svgBarChart } from './svg-bar-chart.js';

/** Print and screen styles of the report page (no external resources). */
const style = `
body { font-family: sans-serif; font-size: 13px; color: #1b1b1b; max-width: 980px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 2px; } h2 { font-size: 16px; border-bottom: 1px solid #ccc; margin-top: 26px; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 6px 0; } th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f1f3f5; } td { word-break: break-all; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; margin: 6px 0; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; word-break: break-all; }
pre { background: #f6f8fa; padding: 8px; white-space: pre-wrap; word-break: break-all; }
figure { margin: 8px 0; } figcaption { color: #444; margin-bottom: 4px; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
`;

/**
 * Renders a report as one self-contained HTML page: no scripts, no external resources, every
 * value from the graph escaped ({@link escapeHtml}), bar charts as inline SVG drawn from their
 * numbers. A Content-Security-Policy meta tag forbids scripts should anything slip through.
 */
export function renderHtml(doc: ReportDocument): string {
  const body = doc.sections
    .map((s) => `<section><h2>${escapeHtml(s.title)}</h2>\n${s.blocks.map(block).join('\n')}</section>`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(doc.title)}</title><style>${style}</style></head>
<body><h1>${escapeHtml(doc.title)}</h1><p class="subtitle">${escapeHtml(doc.subtitle)}</p>
${body}
</body></html>
`;
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case 'facts':
      return `<dl class="facts">${b.rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
    case 'table':
      return `<table><thead><tr>${b.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${b.rows
        .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    case 'bars':
      return `<figure><figcaption>${escapeHtml(b.caption)}</figcaption>${svgBarChart(b.caption, b.bars)}</figure>`;
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'code':
      return `<pre>${escapeHtml(b.lines.join('\n'))}</pre>`;
  }
}
