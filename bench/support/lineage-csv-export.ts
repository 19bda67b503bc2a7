import fs from 'node:fs';
import path from 'node:path';
import { fileSlots, forEachProvenanceEdge, sampleBatches } from '../../src/graph/lineage-batches.js';
import { validateLineageRun } from '../../src/graph/validate-lineage-run.js';
import type { LineageRun } from '../../src/lineage/lineage-run.js';

/** The CSV files {@link exportLineageCsv} writes, by name (all in one folder). */
export const lineageCsvFiles = [
  'source_files.csv',
  'source_rows.csv',
  'ops.csv',
  'op_after.csv',
  'op_read.csv',
  'samples.csv',
  'derived_from.csv',
] as const;

/** What {@link exportLineageCsv} wrote. */
export interface LineageCsvExport {
  dir: string;
  /** Prefix of the file names inside `dir` (so several exports can share an import folder). */
  prefix: string;
  bytes: number;
  seconds: number;
}

/**
 * Writes a {@link LineageRun} as CSV files (one per node or relationship kind, with headers)
 * for Neo4j's `LOAD CSV` — the reference the graph benchmark measures the writer against, and a
 * way to hand lineage to `neo4j-admin import`. Files are `<prefix>source_rows.csv`, … in `dir`.
 */
export function exportLineageCsv(run: LineageRun, dir: string, prefix = ''): LineageCsvExport {
  validateLineageRun(run);
  const started = performance.now();
  fs.mkdirSync(dir, { recursive: true });
  const slots = fileSlots(run);
  let bytes = 0;
  const write = (name: string, header: string[], rows: Iterable<unknown[]>) => {
    const fd = fs.openSync(path.join(dir, prefix + name), 'w');
    try {
      let chunk = `${header.join(',')}\n`;
      for (const row of rows) {
        chunk += `${row.map(csvField).join(',')}\n`;
        if (chunk.length > 1 << 20) {
          bytes += fs.writeSync(fd, chunk);
          chunk = '';
        }
      }
      bytes += fs.writeSync(fd, chunk);
    } finally {
      fs.closeSync(fd);
    }
  };
  write(
    'source_files.csv',
    ['id', 'name', 'path', 'table', 'rows', 'keyColumn'],
    slots.files.map((f) => [f.id, f.name, f.path, f.table, f.rows, f.keyColumn ?? '']),
  );
  write(
    'source_rows.csv',
    ['id', 'fileId', 'row', 'key'],
    (function* () {
      for (const f of slots.files)
        for (let r = 0; r < f.rows; r++) yield [`${f.id}:${r}`, f.id, r, f.keys?.[r] ?? ''];
    })(),
  );
  write(
    'ops.csv',
    ['id', 'seq', 'kind', 'name', 'params', 'columns'],
    run.ops.map((op) => [
      op.id,
      op.seq,
      op.kind,
      op.name,
      JSON.stringify(op.params ?? {}),
      op.columns ? JSON.stringify(op.columns) : '',
    ]),
  );
  write(
    'op_after.csv',
    ['from', 'to', 'position'],
    run.ops.flatMap((op) => op.inputs.map((input, position) => [op.id, input, position])),
  );
  write(
    'op_read.csv',
    ['op', 'file'],
    run.ops.filter((op) => op.fileId).map((op) => [op.id, op.fileId]),
  );
  const batches = sampleBatches(run, 10_000);
  write(
    'samples.csv',
    ['id', 'index', 'split', 'key', 'label'],
    (function* () {
      for (const b of batches)
        for (let i = 0; i < b.count; i++)
          yield [`${run.runId}:s:${b.start + i}`, b.index[i], b.split[i], b.keys[i], b.labels[i] ?? ''];
    })(),
  );
  const edges: unknown[][] = [];
  forEachProvenanceEdge(run, slots, (sample, slot, row) => {
    edges.push([`${run.runId}:s:${sample}`, `${slots.ids[slot]}:${row}`]);
  });
  write('derived_from.csv', ['sample', 'row'], edges);
  return { dir, prefix, bytes, seconds: (performance.now() - started) / 1000 };
}

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
