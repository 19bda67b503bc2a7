import { defaults } from '../defaults.js';
import { InputError } from '../errors.js';
import type { CsvTable } from '../lineage/read-csv.js';

/** Default of {@link LabelCheckOptions.maxBadFraction}: at most 1% of the rows may lack a 0/1 label. */
export const defaultMaxBadLabels = defaults.maxBadLabels;

/** Rows of a file whose label is not 0 or 1 (missing, `2`, `0.5`, …): they are not samples. */
export interface DroppedLabels {
  /** Rows whose label is not 0 or 1. */
  count: number;
  /** Data rows of the file. */
  rows: number;
  /** `count / rows`. */
  rate: number;
  /** The first few of them: 0-based data row and the label as read (`null` when empty). */
  examples: { row: number; value: string | null }[];
}

/** Options of {@link checkLabels}. */
export interface LabelCheckOptions {
  /**
   * Refuse the file (`ingest.badLabels`) when more than this fraction of its rows has a label
   * that is not 0 or 1; `undefined` reports them without a limit.
   */
  maxBadFraction?: number;
  /** Examples to keep (default 5). */
  examples?: number;
}

/**
 * Counts the rows of `table` whose `label` column is not 0 or 1 (the rows a pipeline leaves out)
 * and refuses a label column that cannot train anything. Pure: call it before anything is written.
 *
 * @throws InputError `ingest.noLabels` when no row has a 0/1 label; `ingest.badLabels` when the
 *   share of other labels exceeds `maxBadFraction`; `ingest.missingColumn` without the column.
 * @example
 * const dropped = checkLabels(tables.application, 'DEFAULTED', { maxBadFraction: 0.01 });
 * if (dropped.count) console.error(`${dropped.count} rows without a 0/1 label left out`);
 */
export function checkLabels(table: CsvTable, label: string, options: LabelCheckOptions = {}): DroppedLabels {
  const column = table.columns.get(label);
  if (column === undefined || column.kind !== 'number') {
    throw new InputError(
      'ingest.missingColumn',
      `${table.name}: expected a numeric label column "${label}" (0 or 1 per row), got columns ${table.header.join(', ')}`,
    );
  }
  const values = column.values;
  const keep = options.examples ?? 5;
  const examples: DroppedLabels['examples'] = [];
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (y === 0 || y === 1) continue;
    count++;
    if (examples.length < keep) examples.push({ row: i, value: Number.isNaN(y) ? null : String(y) });
  }
  const rows = values.length;
  const rate = rows === 0 ? 0 : count / rows;
  const dropped = { count, rows, rate, examples };
  if (count === rows) {
    throw new InputError(
      'ingest.noLabels',
      `${table.name}: column "${label}": expected labels 0 or 1, got none in ${rows} rows (${exampleText(dropped)}); is "${label}" the label column?`,
    );
  }
  const max = options.maxBadFraction;
  if (max !== undefined && rate > max) {
    throw new InputError(
      'ingest.badLabels',
      `${table.name}: column "${label}": expected labels 0 or 1, got ${count} of ${rows} rows (${percent(rate)}) with another value, more than the ${percent(max)} allowed (${exampleText(dropped)}); fix the file or raise --max-bad-labels`,
    );
  }
  return dropped;
}

/** One line for people: `3 rows (0.3%) with a label other than 0/1, e.g. row 5: "2", row 9: empty`. */
export function describeDroppedLabels(dropped: DroppedLabels, label: string): string {
  return `${dropped.count} of ${dropped.rows} rows (${percent(dropped.rate)}) left out: ${label} is not 0 or 1 (${exampleText(dropped)})`;
}

function exampleText(dropped: DroppedLabels): string {
  const shown = dropped.examples
    .map((e) => `data row ${e.row}: ${e.value === null ? 'empty' : JSON.stringify(e.value)}`)
    .join(', ');
  return `e.g. ${shown}${dropped.count > dropped.examples.length ? ', …' : ''}`;
}

function percent(x: number): string {
  const p = 100 * x;
  return `${p > 0 && p < 0.1 ? p.toPrecision(1) : p.toFixed(1)}%`;
}
