import type { CypherRunner } from '../erasure/read-tombstones.js';
import { NotFoundError, UsageError } from '../errors.js';
import { cypherText } from '../graph/cypher-library.js';
import { type SubjectSpec, subjectSchema } from '../pipeline-spec/subject-schema.js';

/** A run and the data subject its pipeline declares. */
export interface RunSubject {
  runId: string;
  /** The run's pipeline name. */
  pipeline: string;
  /** The declaration (`subject:` of the pipeline file). */
  subject: SubjectSpec;
}

/**
 * The data subject a run's declared pipeline names (`(:Run)-[:USES]->(:Pipeline)`, its canonical
 * text's `subject` section).
 *
 * @throws NotFoundError `graph.notFound` when there is no such Run; UsageError `graph.noSubject`
 *   when its pipeline declares no subject (or the run records no declared pipeline).
 */
export async function readRunSubject(runner: CypherRunner, runId: string): Promise<RunSubject> {
  const result = await runner.run(cypherText('subjects', 'run-subject'), { runId });
  const record = result.records[0];
  if (!record) throw new NotFoundError('graph.notFound', `no Run with id ${JSON.stringify(runId)}`);
  const pipeline = record.get('pipeline') as string;
  const text = record.get('text') as string | null;
  const declared = text === null ? undefined : (JSON.parse(text) as { subject?: unknown }).subject;
  if (declared === undefined || declared === null)
    throw new UsageError(
      'graph.noSubject',
      text === null
        ? `run ${runId} (${pipeline}) records no declared pipeline, so it has no data subject: ingest a pipeline file with a \`subject:\` section (docs/pipeline-format.md, "Data subject")`
        : `run ${runId}'s pipeline ${pipeline} declares no data subject: add a \`subject:\` section to its pipeline file (docs/pipeline-format.md, "Data subject") and ingest it again`,
    );
  return { runId, pipeline, subject: subjectSchema.parse(declared) };
}
