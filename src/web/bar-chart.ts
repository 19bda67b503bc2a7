const svgNs = 'http://www.w3.org/2000/svg';

/** One bar: a label and a value (drawn by magnitude; negative values in another colour). */
export interface Bar {
  label: string;
  value: number;
  /** Shown after the bar; defaults to the value. */
  text?: string;
}

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS(svgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

/**
 * A horizontal bar chart as an SVG (one `<g data-label>` per bar, with a `<title>` for screen
 * readers and tooltips), bars scaled to the largest magnitude.
 */
export function barChart(bars: Bar[], options: { width?: number; title: string }): SVGSVGElement {
  const width = options.width ?? 560;
  const labelWidth = 170;
  const valueWidth = 90;
  const rowHeight = 24;
  const height = bars.length * rowHeight + 8;
  const max = Math.max(...bars.map((b) => Math.abs(b.value)), Number.MIN_VALUE);
  const chart = svg('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  chart.setAttribute('aria-label', options.title);
  const title = svg('title', {});
  title.textContent = options.title;
  chart.append(title);
  bars.forEach((bar, i) => {
    const y = 4 + i * rowHeight;
    const length = Math.max(1, (Math.abs(bar.value) / max) * (width - labelWidth - valueWidth));
    const g = svg('g', { 'data-label': bar.label });
    const tip = svg('title', {});
    tip.textContent = `${bar.label}: ${bar.text ?? bar.value}`;
    const label = svg('text', { x: labelWidth - 6, y: y + 15, 'text-anchor': 'end' });
    label.textContent = bar.label.length > 24 ? `${bar.label.slice(0, 23)}…` : bar.label;
    const rect = svg('rect', {
      x: labelWidth,
      y: y + 3,
      width: length,
      height: rowHeight - 8,
      rx: 2,
      fill: bar.value < 0 ? '#c0392b' : '#3b6fc4',
    });
    const value = svg('text', { x: labelWidth + length + 6, y: y + 15 });
    value.textContent = bar.text ?? String(bar.value);
    g.append(tip, label, rect, value);
    chart.append(g);
  });
  return chart;
}
