import fs from 'node:fs';
import path from 'node:path';
import type { Frame } from '../../src/lineage/frame.js';
import { type CsvColumnType, type CsvTable, readCsv } from '../../src/lineage/read-csv.js';
import { parsePipelineSpec } from '../../src/pipeline-spec/load-pipeline-spec.js';
import type { ValidatedPipeline } from '../../src/pipeline-spec/validate-pipeline.js';
import { memTable } from '../lineage/helpers.js';

/** Raw values of a test table: numbers (NaN missing) or texts (null missing), by column. */
export type RawTable = Record<string, Array<number> | Array<string | null>>;

/** A pipeline from YAML text (the format line and a name are added). */
export function pipelineOf(body: string): ValidatedPipeline {
  return parsePipelineSpec(`format: traceprop.pipeline/1\nname: test\n${body}`, 'test.yaml');
}

/** In-memory parsed tables, one per source name (sha256 from the name, so files differ). */
export function memTables(raw: Record<string, RawTable>): Map<string, CsvTable> {
  return new Map(Object.entries(raw).map(([name, cols]) => [name, memTable(name, cols)]));
}

/** Writes comma CSV files `<source>.csv` into `dir` (missing values as empty fields). */
export function writeCsvFiles(dir: string, raw: Record<string, RawTable>): void {
  for (const [name, cols] of Object.entries(raw)) {
    const names = Object.keys(cols);
    const n = cols[names[0]].length;
    const lines = [names.join(',')];
    for (let i = 0; i < n; i++) {
      lines.push(
        names
          .map((c) => {
            const v = cols[c][i];
            return v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
          })
          .join(','),
      );
    }
    fs.writeFileSync(path.join(dir, `${name}.csv`), `${lines.join('\n')}\n`);
  }
}

/**
 * Reads each source of a pipeline from `<dir>/<path>` with `readCsv` (comma CSV; declared strings
 * and categories as categorical columns, the rest numeric; the source key as the key column).
 */
export async function readSources(pipeline: ValidatedPipeline, dir: string): Promise<Map<string, CsvTable>> {
  const out = new Map<string, CsvTable>();
  for (const s of pipeline.spec.sources) {
    const types: Record<string, CsvColumnType> = {};
    for (const [name, spec] of Object.entries(s.columns)) {
      const t = typeof spec === 'string' ? spec : spec.type;
      types[name] = t === 'string' || t === 'category' ? 'category' : 'number';
    }
    out.set(
      s.name,
      await readCsv(path.join(dir, s.path), { table: s.name, types, extraColumns: 'drop', keyColumn: s.key }),
    );
  }
  return out;
}

/** A column of a frame as plain values (texts for categorical columns, null for missing). */
export function values(f: Frame, name: string): Array<number | string | null> {
  const c = f.column(name);
  if (c.kind === 'number') return [...c.values];
  return [...c.codes].map((k) => (k < 0 ? null : c.dictionary[k]));
}

/** Row `i`'s provenance as `table:row` labels, sorted (readable failures). */
export function provenanceOf(f: Frame, i: number): string[] {
  const files = f.pipeline.files;
  return [...new Set(f.sourceRows(i))]
    .map((g) => {
      const file = files.find((x) => g >= x.globalOffset && g < x.globalOffset + x.rows)!;
      return `${file.table}:${g - file.globalOffset}`;
    })
    .sort();
}

/** Column `j` of a row-major matrix. */
export function matrixColumn(m: { data: Float64Array; rows: number; cols: number }, j: number): number[] {
  return Array.from({ length: m.rows }, (_, i) => m.data[i * m.cols + j]);
}
