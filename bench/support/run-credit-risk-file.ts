import path from 'node:path';
import type { DeclaredRecipe } from '../../src/pipeline-run/declared-recipe.js';
import { declaredRecipeOf } from '../../src/pipeline-run/declared-recipe.js';
import type { DeclaredRunOptions, DeclaredRunResult } from '../../src/pipeline-run/declared-run-types.js';
import { readPipelineSources } from '../../src/pipeline-run/read-pipeline-sources.js';
import { runDeclaredPipeline } from '../../src/pipeline-run/run-declared-pipeline.js';
import { attachSubjects, subjectIds } from '../../src/pipeline-run/subject-ids.js';
import { canonicalPipeline } from '../../src/pipeline-spec/canonical-pipeline.js';
import { creditRiskPipeline } from '../../src/pipelines/credit-risk-spec.js';

/** A run of pipelines/credit-risk.yaml with the recipe an ingest saves with its run matrix. */
export type CreditRiskFileRun = DeclaredRunResult & { recipe: DeclaredRecipe };

/**
 * Reads the credit-risk files in `dir` (`application.csv`, `bureau.csv`,
 * `previous_application.csv`) and runs the shipped pipelines/credit-risk.yaml on them, as
 * `traceprop ingest credit-risk` does without the graph (no erased rows are looked up): for
 * benches and tests that write the lineage and the run matrix themselves. `subjects`: give the
 * rows their data subject (the applicant) as the ingest does.
 *
 * @example
 * const r = await runCreditRiskFile(dir, { mode: 'row', runId: 'bench' });
 * await writeLineageRun(client, r.lineage!);
 * await saveRunMatrix(home, runMatrixFromFeatures(r, r.lineage!.runId));
 */
export async function runCreditRiskFile(
  dir: string,
  options: DeclaredRunOptions & { subjects?: boolean } = {},
): Promise<CreditRiskFileRun> {
  const pipeline = creditRiskPipeline();
  const definition = canonicalPipeline(pipeline.spec);
  const tables = await readPipelineSources(pipeline, dir);
  const { subjects, ...runOptions } = options;
  const result = runDeclaredPipeline(pipeline, tables, { definition, ...runOptions });
  if (subjects && result.lineage)
    attachSubjects(result.lineage, pipeline.spec.subject?.name, subjectIds(pipeline, tables));
  return { ...result, recipe: declaredRecipeOf(definition, path.resolve(dir), tables, result) };
}
