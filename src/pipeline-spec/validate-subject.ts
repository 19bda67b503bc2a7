import type { PipelineSpec } from './pipeline-schema.js';
import { sourceTable } from './source-table.js';
import type { Fail } from './spec-failure.js';
import type { ResolvedColumn, TableSchema } from './table-schema.js';

/** Value types a subject id may come from (dates and booleans identify nobody). */
const subjectTypes = ['number', 'string'];

/**
 * Checks the `subject` declaration of a parsed pipeline against its sources: every listed source
 * exists; its `column` (or, with `via`, the via source's column) exists and holds numbers or
 * strings; a `via` names another source and comes with `on` pairs whose columns exist on both
 * sides with one type. Whether a `via` is many-to-one is a property of the data, checked when the
 * subject ids are computed (`pipeline.subjectVia`). Nothing to check without a declaration.
 */
export function validateSubject(spec: PipelineSpec, fail: Fail): void {
  const subject = spec.subject;
  if (!subject) return;
  const sources = new Map<string, TableSchema>(spec.sources.map((s) => [s.name, sourceTable(s)]));
  const known = [...sources.keys()].join(', ');
  for (const [name, how] of Object.entries(subject.sources)) {
    const at = ['subject', 'sources', name];
    const own = sources.get(name);
    if (!own)
      fail(
        'pipeline.unknownInput',
        at,
        `unknown source "${name}"; expected one of the pipeline's sources (${known})`,
        { atKey: true },
      );
    if (how.via === undefined) {
      if (how.on !== undefined)
        fail('pipeline.invalidValue', [...at, 'on'], '"on" goes with "via": expected via SOURCE too');
      subjectColumn(own!, name, how.column, [...at, 'column'], fail);
      continue;
    }
    const via = sources.get(how.via);
    if (!via || how.via === name)
      fail(
        'pipeline.unknownInput',
        [...at, 'via'],
        `via "${how.via}": expected another source of the pipeline (${known})`,
      );
    if (how.on === undefined)
      fail(
        'pipeline.missingField',
        [...at, 'on'],
        `via ${how.via} needs "on": the columns of ${name} that match columns of ${how.via}, e.g. { ${how.column}: ${how.column} }`,
      );
    for (const [left, right] of Object.entries(how.on!)) {
      const l = need(own!, name, left, [...at, 'on', left], fail, true);
      const r = need(via!, how.via, right, [...at, 'on', left], fail, false);
      if (l.type !== r.type)
        fail(
          'pipeline.columnType',
          [...at, 'on', left],
          `${name}.${left} (${l.type}) and ${how.via}.${right} (${r.type}): expected the same type on both sides`,
        );
    }
    subjectColumn(via!, how.via, how.column, [...at, 'column'], fail);
  }
}

/** The subject column of a source: it must exist and hold numbers or strings. */
function subjectColumn(
  table: TableSchema,
  source: string,
  column: string,
  path: PropertyKey[],
  fail: Fail,
): void {
  const c = need(table, source, column, path, fail, false);
  if (!subjectTypes.includes(c.type))
    fail(
      'pipeline.columnType',
      path,
      `subject column ${source}.${column}: expected a number or string column (an id), got ${c.type}`,
    );
}

function need(
  table: TableSchema,
  source: string,
  column: string,
  path: PropertyKey[],
  fail: Fail,
  atKey: boolean,
): ResolvedColumn {
  const c = table.get(column);
  if (!c)
    fail(
      'pipeline.unknownColumn',
      path,
      `unknown column "${column}" in source ${source}; declared: ${[...table.keys()].join(', ')}`,
      { atKey },
    );
  return c!;
}
