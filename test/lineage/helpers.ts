import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Column, categoryColumn, numberColumn } from '../../src/lineage/column.js';
import type { CsvTable } from '../../src/lineage/read-csv.js';

/** Runs `fn` with a fresh temp directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'traceprop-lineage-test-'));
  try {
    return await fn(dir);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * A deliberately naive CSV reader, independent of csv-parse: strips a BOM, handles quotes
 * (doubled quotes, commas and newlines inside quotes) and CRLF, skips blank lines.
 * Returns the header and the data rows as strings.
 */
export function naiveCsv(file: string): { header: string[]; rows: string[][] } {
  let text = fs.readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (!(record.length === 1 && record[0] === '')) records.push(record);
      record = [];
      field = '';
    } else {
      field += ch;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return { header: records[0], rows: records.slice(1) };
}

/** Values of one column of a naive CSV. */
export function naiveColumn(csv: { header: string[]; rows: string[][] }, name: string): string[] {
  const c = csv.header.indexOf(name);
  if (c < 0) throw new Error(`no column ${name}`);
  return csv.rows.map((r) => r[c]);
}

/** An in-memory table, as if parsed: number arrays become numeric columns, string arrays categoricals. */
export function memTable(
  table: string,
  columns: Record<string, Array<number> | Array<string | null>>,
  sha = table,
): CsvTable {
  const map = new Map<string, Column>();
  let rows = 0;
  for (const [name, values] of Object.entries(columns)) {
    rows = values.length;
    const sources = [`${table}.${name}`];
    if (values.every((v) => typeof v === 'number')) {
      map.set(name, numberColumn(Float64Array.from(values as number[]), sources));
    } else {
      const dict: string[] = [];
      const codes = Int32Array.from(values as Array<string | null>, (v) => {
        if (v === null) return -1;
        let d = dict.indexOf(v);
        if (d < 0) d = dict.push(v) - 1;
        return d;
      });
      map.set(name, categoryColumn(codes, dict, sources));
    }
  }
  return {
    path: `/memory/${table}.csv`,
    name: `${table}.csv`,
    table,
    sha256: sha.padEnd(64, '0'),
    bytes: 0,
    rows,
    header: [...map.keys()],
    columns: map,
  };
}

/** A tiny seeded LCG for test data (independent of the library's PRNG). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** Sorted copy as a plain array (for set comparisons). */
export function sorted(xs: Iterable<number>): number[] {
  return [...xs].sort((a, b) => a - b);
}

/** Sorted distinct values. */
export function sortedSet(xs: Iterable<number>): number[] {
  return sorted(new Set(xs));
}
