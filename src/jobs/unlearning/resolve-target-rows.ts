import path from 'node:path';
import type { ManagedTransaction, Record as Neo4jRecord } from 'neo4j-driver';
import type { ErasureSalt } from '../../erasure/erasure-salt.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { cypherText } from '../../graph/cypher-library.js';
import { findTombstonedKeys, type KeyRow, toKeyRow } from './find-tombstoned-keys.js';
import { rowsOfActiveModels, rowsOfOneActiveModel } from './one-active-model.js';
import { resolveSubjectTarget } from './resolve-subject-target.js';

/**
 * Which source rows a request erases: SourceRow ids; or a file (name, path or content id) and
 * 0-based rows; or business keys, optionally restricted to a table or key column (`table` matches
 * either `SourceFile.table` or `SourceFile.keyColumn`); or a data subject's id (every row of the
 * subject, as the pipeline's `subject` declaration assigns them).
 */
export interface UnlearningTarget {
  sourceRowIds?: string[];
  file?: string;
  rows?: number[];
  table?: string;
  keys?: string[];
  /** A data subject's id: every row of that subject (the pipeline's `subject` declaration). */
  subject?: string;
}

/** A source file as resolution reports it (also the candidates of an ambiguous `--file`). */
export interface TargetFile {
  id: string;
  name: string;
  path: string;
  table: string;
  /** Data rows of the file (null when the graph does not know). */
  rows: number | null;
}

/** The target model's run: rows resolve only within the files it read. */
export interface TargetScope {
  modelId: string;
  runId: string;
}

/** What a target resolved to. */
export interface ResolvedTargetRows {
  /** SourceRow ids, sorted and distinct. */
  rowIds: string[];
  /** `file` + `rows`: the one file the rows belong to. */
  file?: TargetFile;
  /** Keys without a scope: the one active model whose run read the keys' files (absent: none did). */
  modelId?: string;
  /**
   * Keys or a subject without a scope, resolved for every line (`everyLine`): the active models
   * whose runs read the rows' files, when there are several (one is `modelId`).
   */
  modelIds?: string[];
  /** Subject targets: what kind of subject the rows belong to (e.g. `client`). */
  subjectName?: string;
}

/**
 * Resolves a target to SourceRow ids. With a `scope` (the target model's run), a file name or
 * path and business keys resolve only within the files that run read (its load
 * `Op-[:READ]->SourceFile`); a content id names one file wherever it is. Without a scope, a file
 * name or path must name one file, and keys resolve within the files read by the run of the one
 * active model they lead to (which is returned as `modelId`). Rows past the file's end are refused.
 * An erased row keeps no key: with `salt` (the deployment's erasure salt), a key that matches no
 * live row is looked up by its salted hash among the tombstones of the same key column and
 * resolves to the tombstoned row, so a repeated `--key` request finds the rows it erased. A
 * subject resolves likewise by `resolveSubjectTarget` (live rows by their subject id, erased ones
 * by their tombstones' salted subject hash).
 *
 * @throws UsageError `unlearning.ambiguousFile` (listing name, content id, path and rows of each
 *   candidate), `unlearning.ambiguousModel` (keys in the files of several active models' runs),
 *   `unlearning.rowsOutOfRange`, `unlearning.badTarget`; NotFoundError `unlearning.unknownFile`,
 *   `unlearning.unknownRows` (a key neither live nor tombstoned); TracepropError
 *   `erasure.saltMismatch` (the tombstones of the key column were hashed with another salt);
 *   for a subject, those of `resolveSubjectTarget` (`graph.noSubject`, `graph.unknownSubject`).
 */
export async function resolveTargetRows(
  tx: ManagedTransaction,
  target: UnlearningTarget,
  scope?: TargetScope,
  salt?: ErasureSalt,
  everyLine = false,
): Promise<ResolvedTargetRows> {
  if (target.sourceRowIds?.length) {
    const result = await tx.run(cypherText('jobs/unlearning', 'rows-by-id'), { ids: target.sourceRowIds });
    return { rowIds: foundRows(result.records, 'source rows') };
  }
  if (target.file !== undefined || target.rows !== undefined) {
    if (!target.file || !target.rows?.length)
      throw new UsageError('unlearning.badTarget', '--file and --rows go together');
    const file = await resolveTargetFile(tx, target.file, scope);
    const outside = target.rows.filter((row) => file.rows !== null && row >= file.rows);
    if (outside.length > 0) {
      throw new UsageError(
        'unlearning.rowsOutOfRange',
        `--rows: ${file.name} (content id ${file.id}) has ${file.rows} data rows (0-${(file.rows ?? 1) - 1}); out of range: ${listOf(outside.map(String))}`,
      );
    }
    const result = await tx.run(cypherText('jobs/unlearning', 'rows-of-file'), {
      fileId: file.id,
      rows: target.rows,
    });
    return { rowIds: foundRows(result.records, `rows of ${file.name}`), file };
  }
  if (target.keys?.length) return resolveKeys(tx, target.keys, target.table ?? null, scope, salt, everyLine);
  if (target.subject !== undefined) return resolveSubjectTarget(tx, target.subject, scope, salt, everyLine);
  throw new UsageError(
    'unlearning.badTarget',
    'the request names no source rows: give --file and --rows, --key COLUMN=VALUE, or --subject ID',
  );
}

/**
 * The one file `reference` names: the file with that content id; else, among the files the
 * scope's run read (all files without a scope), the one with that name or path.
 */
async function resolveTargetFile(
  tx: ManagedTransaction,
  reference: string,
  scope: TargetScope | undefined,
): Promise<TargetFile> {
  const paths = [...new Set([reference, path.resolve(reference)])];
  const result = await tx.run(cypherText('jobs/unlearning', 'files-by-reference'), {
    id: reference,
    names: [reference],
    paths,
    runId: scope?.runId ?? null,
  });
  const files = result.records.map((r) => ({ file: toFile(r), inRun: r.get('inRun') === true }));
  const byId = files.filter((f) => f.file.id === reference);
  if (byId.length === 1) return byId[0].file;
  const candidates = (scope ? files.filter((f) => f.inRun) : files).map((f) => f.file);
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) {
    if (!scope)
      throw new NotFoundError(
        'unlearning.unknownFile',
        `no source file has the name, path or content id "${reference}"`,
      );
    const read = await tx.run(cypherText('jobs/unlearning', 'files-of-run'), { runId: scope.runId });
    const elsewhere = files.length
      ? `; ${files.length} file(s) of other runs match it (name one by content id to erase rows of a file this model was not trained on)`
      : '';
    throw new NotFoundError(
      'unlearning.unknownFile',
      `model ${scope.modelId} (run ${scope.runId}) read no file named "${reference}"${elsewhere}. Its run read:\n${read.records.map((r) => describeFile(toFile(r))).join('\n')}`,
    );
  }
  const where = scope ? ` read by the run of model ${scope.modelId}` : '';
  const hint = scope
    ? 'name one by content id'
    : 'name one by content id or path, or name the model with --model';
  throw new UsageError(
    'unlearning.ambiguousFile',
    `--file "${reference}" matches ${candidates.length} source files${where}; ${hint}:\n${candidates.map(describeFile).join('\n')}`,
  );
}

/**
 * Keys → rows (live, or else tombstoned when `salt` is given), within the scope's run files, or
 * within those of the one active model the keys lead to (`everyLine`: of every active model).
 */
async function resolveKeys(
  tx: ManagedTransaction,
  keys: string[],
  table: string | null,
  scope: TargetScope | undefined,
  salt: ErasureSalt | undefined,
  everyLine: boolean,
): Promise<ResolvedTargetRows> {
  const result = await tx.run(cypherText('jobs/unlearning', 'rows-by-key'), {
    keys,
    table,
    runId: scope?.runId ?? null,
  });
  const live: KeyRow[] = result.records.map(toKeyRow);
  const liveKeys = new Set((scope ? live.filter((r) => r.inRun) : live).map((r) => r.key));
  const notLive = keys.filter((k) => !liveKeys.has(k));
  const rows =
    salt && notLive.length > 0
      ? [...live, ...(await findTombstonedKeys(tx, notLive, table, scope?.runId ?? null, salt))]
      : live;
  let kept = rows;
  let modelId: string | undefined;
  let modelIds: string[] | undefined;
  if (scope) kept = rows.filter((r) => r.inRun);
  else if (everyLine) {
    const all = rowsOfActiveModels(rows, 'these keys are');
    kept = all.rows;
    if (all.modelIds.length === 1) modelId = all.modelIds[0];
    else if (all.modelIds.length > 1) modelIds = all.modelIds;
  } else {
    const one = rowsOfOneActiveModel(rows, 'these keys are');
    kept = one.rows;
    modelId = one.modelId;
  }
  const found = new Set(kept.map((r) => r.key));
  const missing = keys.filter((k) => !found.has(k));
  if (missing.length > 0) {
    const what = table ? `${table} keys` : 'keys';
    const where = scope ? ` in the files model ${scope.modelId}'s run read` : '';
    throw new NotFoundError('unlearning.unknownRows', `unknown ${what}${where}: ${listOf(missing)}`);
  }
  return {
    rowIds: [...new Set(kept.map((r) => r.id))].sort(),
    ...(modelId ? { modelId } : {}),
    ...(modelIds ? { modelIds } : {}),
  };
}

/** The ids of rows that were found (sorted, distinct); throws naming what matched nothing. */
function foundRows(records: Neo4jRecord[], what: string): string[] {
  const found = new Set<string>();
  const missing: string[] = [];
  for (const record of records) {
    const id = record.get('id') as string | null;
    if (id === null) missing.push(record.get('asked') as string);
    else found.add(id);
  }
  if (missing.length > 0)
    throw new NotFoundError('unlearning.unknownRows', `unknown ${what}: ${listOf([...new Set(missing)])}`);
  return [...found].sort();
}

function toFile(r: Neo4jRecord): TargetFile {
  const rows = r.get('rows') as number | null;
  return {
    id: r.get('id') as string,
    name: r.get('name') as string,
    path: r.get('path') as string,
    table: r.get('table') as string,
    rows: rows === null ? null : Number(rows),
  };
}

function describeFile(f: TargetFile): string {
  return `  ${f.name}  content id ${f.id}  path ${f.path}  ${f.rows ?? '?'} rows`;
}

function listOf(items: string[]): string {
  return `${items.slice(0, 10).join(', ')}${items.length > 10 ? ` (and ${items.length - 10} more)` : ''}`;
}
