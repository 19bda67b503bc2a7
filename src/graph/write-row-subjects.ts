import neo4j, { type Session } from 'neo4j-driver';
import { TracepropError } from '../errors.js';
import type { LineageSourceFile } from '../lineage/lineage-run.js';
import { cypherText } from './cypher-library.js';

/**
 * Gives the existing SourceRows of a file their data subject (`SourceRow.subject`) when fewer of
 * its live rows have one than `file.subjects` names: the file's rows were written by an earlier
 * ingest of a pipeline without a subject declaration. Batches of `batchSize` rows, one
 * transaction each; erased rows are left alone. Returns how many rows got a subject.
 *
 * @throws TracepropError `graph.subjectConflict` when a row already has another subject (its
 *   batch rolls back; the ingest then fails and cleans up).
 */
export async function writeRowSubjects(
  session: Session,
  file: LineageSourceFile,
  batchSize: number,
): Promise<number> {
  const subjects = file.subjects;
  if (!subjects) return 0;
  let known = 0;
  for (const s of subjects) if (s !== null) known++;
  const present = await session.executeRead(async (tx) => {
    const r = await tx.run(cypherText('ingest', 'rows-with-subject'), { fileId: file.id });
    return Number(r.records[0]?.get('rows') ?? 0);
  });
  if (present >= known) return 0;
  let written = 0;
  for (let start = 0; start < subjects.length; start += batchSize) {
    const batch = subjects.slice(start, start + batchSize);
    written += await session.executeWrite(async (tx) => {
      const r = await tx.run(cypherText('ingest', 'set-row-subjects'), {
        fileId: file.id,
        start: neo4j.int(start),
        subjects: batch,
      });
      const conflicts = Number(r.records[0]?.get('conflicts') ?? 0);
      if (conflicts > 0)
        throw new TracepropError(
          'graph.subjectConflict',
          `${conflicts} row(s) of ${file.name} (content id ${file.id}) from row ${start} have another ${file.subjectName} subject in the graph than this run gives them: another pipeline declared a different subject for the same file`,
        );
      return Number(r.records[0]?.get('set') ?? 0);
    });
  }
  return written;
}
