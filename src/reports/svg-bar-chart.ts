import { escapeHtml } from './escape-html.js';

/** One bar: its label, its value (drawn; below 0 drawn as 0) and the number printed beside it. */
export interface Bar {
  label: string;
  value: number;
  text: string;
}

/**
 * A horizontal bar chart as an inline SVG element, drawn from the numbers alone: one row per bar,
 * its label on the left, a bar proportional to its value over the largest value, and its text on
 * the right. Labels and texts are escaped. `role="img"` and a `<title>` describe it.
 */
export function svgBarChart(caption: string, bars: Bar[]): string {
  const rowHeight = 22;
  const labelWidth = 230;
  const barWidth = 300;
  const width = labelWidth + barWidth + 120;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(0, ...bars.map((b) => b.value));
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = max > 0 ? Math.max(0, (b.value / max) * barWidth) : 0;
    const label = b.label.length > 34 ? `${b.label.slice(0, 33)}…` : b.label;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escapeHtml(label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 8}" fill="#3a6ea5"/>`,
      `<text x="${(labelWidth + w + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(b.text)}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12"><title>${escapeHtml(caption)}</title>${rows.join('')}</svg>`;
}
