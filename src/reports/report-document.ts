/**
 * A report laid out for reading, independent of the output format: titled sections of blocks.
 * The builders (`model-document.ts`, …) turn a typed report into one; the renderers
 * (`render-markdown.ts`, `render-html.ts`) turn it into text. Cells and texts are plain strings:
 * each renderer escapes them for its format.
 */

/** One block of a section. */
export type ReportBlock =
  /** Label → value pairs. */
  | { kind: 'facts'; rows: [string, string][] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  /** A horizontal bar chart of non-negative values (negatives drawn as 0, their number shown). */
  | { kind: 'bars'; caption: string; bars: { label: string; value: number; text: string }[] }
  | { kind: 'text'; text: string }
  | { kind: 'list'; items: string[] }
  /** Commands or other literal lines. */
  | { kind: 'code'; lines: string[] };

/** A titled section. */
export interface ReportSection {
  title: string;
  blocks: ReportBlock[];
}

/** A whole report. */
export interface ReportDocument {
  title: string;
  /** One line under the title (what the report is, when it was generated). */
  subtitle: string;
  sections: ReportSection[];
}

/** What a missing fact reads as, everywhere. */
const notRecorded = 'not recorded';

/** A value for a cell: numbers in full precision up to 6 significant digits, null → {@link notRecorded}. */
export function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return notRecorded;
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return String(value);
}
