import type { ReportBlock, ReportDocument } from './report-document.js';

/**
 * Renders a report as GitHub-flavoured Markdown. `&`, `<` and `>` become entities (a name from the
 * graph cannot inject HTML into a Markdown viewer), `|` in table cells is escaped, and newlines in
 * cells become spaces. Bar charts become tables of their numbers.
 */
export function renderMarkdown(doc: ReportDocument): string {
  const out: string[] = [`# ${inline(doc.title)}`, '', `_${inline(doc.subtitle)}_`, ''];
  for (const section of doc.sections) {
    out.push(`## ${inline(section.title)}`, '');
    for (const block of section.blocks) out.push(...blockLines(block), '');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function blockLines(block: ReportBlock): string[] {
  switch (block.kind) {
    case 'facts':
      return block.rows.map(([k, v]) => `- **${inline(k)}:** ${inline(v)}`);
    case 'table':
      return table(block.columns, block.rows);
    case 'bars':
      return [`${inline(block.caption)}:`, '', '```', ...textBars(block.bars), '```'];
    case 'text':
      return [inline(block.text)];
    case 'list':
      return block.items.map((i) => `- ${inline(i)}`);
    case 'code':
      return ['```', ...block.lines.map((l) => l.replaceAll('```', "'''")), '```'];
  }
}

/** Bars as text: label, a run of █ proportional to the value over the largest, the number. */
function textBars(bars: { label: string; value: number; text: string }[]): string[] {
  const max = Math.max(0, ...bars.map((b) => b.value));
  const width = Math.max(...bars.map((b) => b.label.length));
  return bars.map((b) => {
    const n = max > 0 ? Math.round((Math.max(0, b.value) / max) * 40) : 0;
    return `${b.label.padEnd(width)}  ${'█'.repeat(n)} ${b.text}`.replaceAll('```', "'''");
  });
}

function table(columns: string[], rows: string[][]): string[] {
  return [
    `| ${columns.map(tableCell).join(' | ')} |`,
    `|${columns.map(() => ' --- ').join('|')}|`,
    ...rows.map((r) => `| ${r.map(tableCell).join(' | ')} |`),
  ];
}

function inline(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll(/\r?\n/g, ' ');
}

function tableCell(text: string): string {
  return inline(text).replaceAll('|', '\\|');
}
