import type { CsvTable } from '../lineage/read-csv.js';

/** One input file as a run read it (kept in the run's recipe to re-derive its samples). */
export interface RecipeFile {
  /** Absolute path at ingest time. */
  path: string;
  /** File name, e.g. `bureau.csv`. */
  name: string;
  /** Logical table, e.g. `previous_application` (a pipeline file's source name). */
  table: string;
  /** Content sha256 (hex) = the `SourceFile` id. */
  sha256: string;
  /** Data rows. */
  rows: number;
}

/** The {@link RecipeFile} of a parsed table. */
export function recipeFileOf(t: CsvTable): RecipeFile {
  return { path: t.path, name: t.name, table: t.table, sha256: t.sha256, rows: t.rows };
}
