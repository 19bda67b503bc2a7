/**
 * `npm run bench [-- --only a,b] [--json FILE] [--quick]`: runs the benchmark sections, prints a
 * readable table to stdout and writes the machine-readable JSON (DESIGN §7).
 * Sections that need Neo4j or Redis find or start them like the demo does.
 */
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { runAttributionBench } from './attribution.js';
import { runLineageBench } from './lineage.js';
import { runScaleBench } from './scale.js';
import { type BenchSection, releaseBenchServices, sectionRunners } from './sections.js';

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    json: { type: 'string', default: 'bench-results.json' },
    quick: { type: 'boolean', default: false },
  },
});

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const runners: Record<string, BenchSection> = {
  lineage: (quick) => runLineageBench({ quick, log }),
  attribution: (quick) => runAttributionBench({ quick, log }),
  ...sectionRunners(log),
  scale: (quick) => runScaleBench({ quick, log }),
};
const wanted = values.only ? values.only.split(',').map((s) => s.trim()) : Object.keys(runners);
const unknown = wanted.filter((name) => !(name in runners));
if (unknown.length) {
  process.stderr.write(
    `error: unknown bench section(s) ${unknown.join(', ')}; known: ${Object.keys(runners).join(', ')}\n`,
  );
  process.exit(2);
}

const results: Record<string, unknown> = {
  machine: {
    cpus: os.availableParallelism(),
    node: process.version,
    loadAverage: os.loadavg(),
    date: new Date().toISOString(),
  },
};
try {
  for (const name of wanted) {
    log(`section ${name}…`);
    const started = Date.now();
    results[name] = await runners[name](values.quick ?? false);
    log(`section ${name} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
} finally {
  // A failed section must not leave the Neo4j or Redis the bench started running.
  await releaseBenchServices();
}
fs.writeFileSync(values.json as string, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(renderTable(results));
process.stdout.write(`\nJSON written to ${values.json}\n`);

/** Flattens the results into `section.key.sub  value` rows. */
function renderTable(value: Record<string, unknown>): string {
  const rows: Array<[string, string]> = [];
  const walk = (prefix: string, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, child);
    } else {
      rows.push([prefix, typeof v === 'number' ? formatNumber(v) : JSON.stringify(v)]);
    }
  };
  walk('', value);
  const width = Math.max(...rows.map(([k]) => k.length));
  return `${rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')}\n`;
}

function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  return Math.abs(n) >= 100 ? n.toFixed(1) : n.toPrecision(4);
}
