import type { SourceColumnSpec } from './source-schema.js';

/** The header names a declared column is read from, in order of preference (its `header`, else its name). */
export function columnHeaders(name: string, spec: SourceColumnSpec): readonly string[] {
  return typeof spec === 'string' || spec.header === undefined ? [name] : spec.header;
}
