import type { Record as Neo4jRecord } from 'neo4j-driver';
import type { ErasureSalt } from '../erasure/erasure-salt.js';
import type { CypherRunner } from '../erasure/read-tombstones.js';
import { assertSameSalt } from '../erasure/salt-mismatch.js';
import { subjectHash } from '../erasure/subject-hash.js';
import { NotFoundError } from '../errors.js';
import { cypherText } from '../graph/cypher-library.js';
import { readRunSubject } from './run-subject.js';

/** A source row of a data subject: live, or erased and found by its tombstone's subject hash. */
export interface SubjectRow {
  /** SourceRow id `<fileId>:<row>`. */
  id: string;
  fileId: string;
  /** File name, e.g. `disp.csv`. */
  file: string;
  /** Logical table of the file. */
  table: string;
  /** 0-based data row. */
  row: number;
  /** Business key (null for an erased row, or a table without one). */
  key: string | null;
  /** What kind of subject the row belongs to, e.g. `client`. */
  subjectName: string;
  erased: boolean;
  /** The request that erased the row first (erased rows). */
  erasedBy: string | null;
  /** Active models whose run read the row's file. */
  models: string[];
}

/** The rows of one data subject. */
export interface SubjectRows {
  /** The subject id as asked. */
  subject: string;
  /** With a run: the run and the subject name its pipeline declares. */
  run?: { id: string; pipeline: string; subjectName: string };
  /** Live rows first, then erased ones; each by file and row. */
  rows: SubjectRow[];
}

/** Where to look and how to recognise erased rows. */
export interface SubjectScope {
  /** Only the files this run read, and its pipeline's subject name (its pipeline must declare one). */
  runId?: string;
  /**
   * The deployment's erasure salt (or a getter, called only when subject-hashed tombstones exist):
   * without it, erased rows are not looked for.
   */
  salt?: ErasureSalt | (() => ErasureSalt);
}

/**
 * Every source row of a data subject: the live rows whose `subject` is `subject` and, with a
 * salt, the erased rows whose tombstone holds the salted hash of it (hashed once per subject
 * name that has such tombstones). With `runId`, only the files that run read and the subject
 * name its pipeline declares.
 *
 * @throws NotFoundError `graph.notFound` (no such run), `graph.unknownSubject` (no row, live or
 *   erased); UsageError `graph.noSubject` (the run's pipeline declares no subject); TracepropError
 *   `erasure.saltMismatch` (the subject hashes were made with another salt).
 */
export async function resolveSubjectRows(
  runner: CypherRunner,
  subject: string,
  scope: SubjectScope = {},
): Promise<SubjectRows> {
  const id = subject.trim();
  const run = scope.runId === undefined ? undefined : await readRunSubject(runner, scope.runId);
  const subjectName = run?.subject.name ?? null;
  const runId = scope.runId ?? null;
  const live = await runner.run(cypherText('subjects', 'live-subject-rows'), {
    subject: id,
    subjectName,
    runId,
  });
  const rows = live.records.map(toSubjectRow);
  if (scope.salt) rows.push(...(await erasedRows(runner, id, subjectName, runId, scope.salt)));
  const out: SubjectRows = {
    subject: id,
    ...(run ? { run: { id: run.runId, pipeline: run.pipeline, subjectName: run.subject.name } } : {}),
    rows,
  };
  if (rows.length === 0) throw await unknownSubject(runner, out);
  return out;
}

/** The erased rows of the subject, found by the salted hash their tombstones keep. */
async function erasedRows(
  runner: CypherRunner,
  id: string,
  subjectName: string | null,
  runId: string | null,
  salt: ErasureSalt | (() => ErasureSalt),
): Promise<SubjectRow[]> {
  const names = await runner.run(cypherText('subjects', 'tombstoned-subject-names'), { subjectName });
  if (names.records.length === 0) return [];
  const deploymentSalt = typeof salt === 'function' ? salt() : salt;
  const salts = new Map<string, number>();
  for (const r of names.records) {
    const saltId = (r.get('saltId') as string | null) ?? '(none)';
    salts.set(saltId, (salts.get(saltId) ?? 0) + Number(r.get('tombstones')));
  }
  assertSameSalt(deploymentSalt, salts, 'look up erased subjects');
  const lookups = [...new Set(names.records.map((r) => r.get('name') as string))].flatMap((name) => {
    const hash = subjectHash(deploymentSalt, name, id);
    return hash === null ? [] : [{ name, hash }];
  });
  if (lookups.length === 0) return [];
  const result = await runner.run(cypherText('subjects', 'tombstoned-subject-rows'), { lookups, runId });
  return result.records.map(toSubjectRow);
}

/** The NotFoundError for a subject without rows, saying where it looked. */
async function unknownSubject(runner: CypherRunner, asked: SubjectRows): Promise<NotFoundError> {
  if (asked.run)
    return new NotFoundError(
      'graph.unknownSubject',
      `no source row read by run ${asked.run.id} (${asked.run.pipeline}) belongs to ${asked.run.subjectName} ${JSON.stringify(asked.subject)}, live or erased`,
    );
  const names = await runner.run(cypherText('subjects', 'subject-names'));
  const declared = names.records.map((r) => r.get('name') as string);
  const hint =
    declared.length === 0
      ? ': no ingested pipeline declares a data subject (`subject:` in the pipeline file)'
      : ` (subjects in the graph: ${declared.join(', ')})`;
  return new NotFoundError(
    'graph.unknownSubject',
    `no source row, live or erased, belongs to data subject ${JSON.stringify(asked.subject)}${hint}`,
  );
}

function toSubjectRow(r: Neo4jRecord): SubjectRow {
  return {
    id: r.get('id') as string,
    fileId: r.get('fileId') as string,
    file: r.get('file') as string,
    table: r.get('table') as string,
    row: Number(r.get('row')),
    key: (r.get('key') as string | null) ?? null,
    subjectName: r.get('subjectName') as string,
    erased: r.get('erased') === true,
    erasedBy: (r.get('erasedBy') as string | null) ?? null,
    models: r.get('models') as string[],
  };
}
