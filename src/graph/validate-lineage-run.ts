import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { LineageRun } from '../lineage/lineage-run.js';
import { assertSafeName, isIdentifier } from './identifiers.js';

/** Ids (run, op, file) may hold letters, digits and `_ - . :`, at most 200 characters. */
const idPattern = /^[A-Za-z0-9_.:-]{1,200}$/;
/** File ids are content hashes: no `:` (a SourceRow id is `<fileId>:<row>`). */
const fileIdPattern = /^[A-Za-z0-9_.-]{1,128}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const controlChars = /[\u0000-\u001f\u007f]/;

/**
 * Checks a {@link LineageRun} before anything is written: ids, names, lengths, op inputs and
 * files, op steps, the pipeline definition (its sha256 must be the hash of its text: it is the
 * key the Pipeline is merged by), and that every provenance entry names a source row of the run.
 * Throws `InputError` `graph.badLineage` (or `graph.badName` for a hostile table or column name)
 * saying what was expected and what was got.
 */
export function validateLineageRun(run: LineageRun): void {
  const fail = (message: string): never => {
    throw new InputError('graph.badLineage', `lineage run ${JSON.stringify(run.runId)}: ${message}`);
  };
  if (typeof run.runId !== 'string' || !idPattern.test(run.runId))
    fail('runId must be 1-200 characters of letters, digits and _-.:');
  assertSafeName('pipeline name', run.pipeline);
  if (run.mode !== 'op' && run.mode !== 'row')
    fail(`mode must be "op" or "row", got ${JSON.stringify(run.mode)}`);

  if (run.definition !== undefined) {
    const d = run.definition;
    if (typeof d.name !== 'string' || d.name === '' || controlChars.test(d.name))
      fail('definition.name must be a non-empty pipeline name without control characters');
    if (typeof d.text !== 'string' || d.text === '')
      fail('definition.text must be the canonical pipeline text');
    if (typeof d.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(d.sha256))
      fail(`definition.sha256 must be 64 lower-case hex digits, got ${JSON.stringify(d.sha256)}`);
    const actual = createHash('sha256').update(d.text, 'utf8').digest('hex');
    if (actual !== d.sha256)
      fail(`definition.sha256 is not the sha256 of definition.text (${d.sha256} given, ${actual} computed)`);
  }

  let totalGlobal = 0;
  for (const [i, file] of run.files.entries()) {
    const where = `files[${i}] (${JSON.stringify(file.name)})`;
    if (typeof file.id !== 'string' || !fileIdPattern.test(file.id))
      fail(`${where}: id must be a content hash (letters, digits, _-.), got ${JSON.stringify(file.id)}`);
    if (typeof file.name !== 'string' || file.name === '' || controlChars.test(file.name))
      fail(`${where}: name must be a non-empty file name without control characters`);
    if (typeof file.path !== 'string' || controlChars.test(file.path))
      fail(`${where}: path must be a string without control characters`);
    assertSafeName(`${where}: table`, file.table);
    if (!Number.isInteger(file.rows) || file.rows < 0)
      fail(`${where}: rows must be a whole number, got ${file.rows}`);
    if (!Number.isInteger(file.globalOffset) || file.globalOffset < 0)
      fail(`${where}: globalOffset must be a whole number, got ${file.globalOffset}`);
    if (file.keyColumn !== undefined) assertSafeName(`${where}: key column`, file.keyColumn);
    if (file.keys !== undefined && file.keys.length !== file.rows)
      fail(`${where}: expected ${file.rows} keys (one per row), got ${file.keys.length}`);
    if (file.subjectName !== undefined) assertSafeName(`${where}: subject name`, file.subjectName);
    if ((file.subjects === undefined) !== (file.subjectName === undefined))
      fail(`${where}: subjects and subjectName go together`);
    if (file.subjects !== undefined && file.subjects.length !== file.rows)
      fail(`${where}: expected ${file.rows} subject ids (one per row), got ${file.subjects.length}`);
    totalGlobal = Math.max(totalGlobal, file.globalOffset + file.rows);
  }
  if (run.samples?.keyColumn !== undefined) assertSafeName('sample key column', run.samples.keyColumn);
  const fileIds = new Set(run.files.map((f) => f.id));

  const opIds = new Set<string>();
  for (const [i, op] of run.ops.entries()) {
    const where = `ops[${i}]`;
    if (typeof op.id !== 'string' || !idPattern.test(op.id))
      fail(`${where}: id must be 1-200 characters of letters, digits and _-.:, got ${JSON.stringify(op.id)}`);
    if (opIds.has(op.id)) fail(`${where}: duplicate op id ${op.id}`);
    opIds.add(op.id);
    if (!Number.isInteger(op.seq) || op.seq < 0)
      fail(`${where} (${op.id}): seq must be a whole number, got ${op.seq}`);
    if (!isIdentifier(op.kind))
      fail(`${where} (${op.id}): kind must be an identifier, got ${JSON.stringify(op.kind)}`);
    if (typeof op.name !== 'string' || controlChars.test(op.name))
      fail(`${where} (${op.id}): name must be text without control characters`);
    if (
      op.step !== undefined &&
      (typeof op.step !== 'string' || op.step === '' || controlChars.test(op.step))
    )
      fail(`${where} (${op.id}): step must be a non-empty step id without control characters`);
    if (op.fileId !== undefined && op.fileId !== '' && !fileIds.has(op.fileId))
      fail(`${where} (${op.id}): reads file ${op.fileId}, which is not among the run's files`);
  }
  for (const op of run.ops) {
    for (const input of op.inputs) {
      if (!opIds.has(input)) fail(`op ${op.id}: input ${JSON.stringify(input)} is not an op of this run`);
    }
  }

  const { samples } = run;
  const n = samples.count;
  if (!Number.isInteger(n) || n < 0) fail(`samples.count must be a whole number, got ${n}`);
  for (const [name, length] of [
    ['keys', samples.keys.length],
    ['labels', samples.labels.length],
    ['split', samples.split.length],
    ['index', samples.index.length],
  ] as const) {
    if (length !== n) fail(`samples.${name}: expected ${n} entries (samples.count), got ${length}`);
  }

  if (run.featureColumns) {
    for (const [feature, sources] of Object.entries(run.featureColumns)) {
      if (controlChars.test(feature))
        fail(`feature name ${JSON.stringify(feature)} holds control characters`);
      for (const source of sources)
        assertSafeName(`source column of feature ${JSON.stringify(feature)}`, source);
    }
  }

  if (run.mode === 'row') {
    if (!run.provenance) fail('mode "row" needs provenance (CSR offsets and rowIds)');
    const p = run.provenance as NonNullable<LineageRun['provenance']>;
    if (p.offsets.length !== n + 1)
      fail(`provenance.offsets: expected ${n + 1} entries (samples + 1), got ${p.offsets.length}`);
    if (p.offsets[0] !== 0 || p.offsets[n] !== p.rowIds.length) {
      fail(
        `provenance.offsets must run from 0 to rowIds.length (${p.rowIds.length}), got ${p.offsets[0]} .. ${p.offsets[n]}`,
      );
    }
    for (let i = 0; i < n; i++) {
      if (p.offsets[i + 1] < p.offsets[i]) fail(`provenance.offsets must not decrease (sample ${i})`);
    }
    const covered = coveredGlobalIds(run);
    for (let k = 0; k < p.rowIds.length; k++) {
      const g = p.rowIds[k];
      if (g >= totalGlobal || !covered(g))
        fail(`provenance entry ${k} names global source row ${g}, which no file of the run holds`);
    }
  }
}

/** A test of whether a global source-row id falls in one of the run's files. */
function coveredGlobalIds(run: LineageRun): (g: number) => boolean {
  const ranges = run.files
    .map((f) => [f.globalOffset, f.globalOffset + f.rows] as const)
    .sort((a, b) => a[0] - b[0]);
  let contiguous = true;
  for (let i = 0; i < ranges.length; i++) {
    if (ranges[i][0] !== (i === 0 ? 0 : ranges[i - 1][1])) contiguous = false;
  }
  if (contiguous) return () => true;
  return (g) => ranges.some(([lo, hi]) => g >= lo && g < hi);
}
