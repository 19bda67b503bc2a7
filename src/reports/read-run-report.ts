import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import {
  labelOf,
  readClassBalance,
  readRunOps,
  readRunSources,
  readStatements,
  reportRun,
} from './read-run-parts.js';
import type { RunReport } from './report-types.js';
import { num, str } from './report-values.js';

/**
 * Reads what the graph holds about a run into a {@link RunReport}: its source files (content
 * sha256, rows), counts, pipeline and ops, label, split, class balance, the models trained on it
 * and the signed statements about the run and those models. Read-only.
 *
 * @throws NotFoundError `report.unknownId` when no Run has this id.
 */
export async function readRunReport(client: GraphClient, runId: string): Promise<RunReport> {
  const [facts] = await runReadQuery(client, cypherText('report', 'run-facts'), { runId });
  if (!facts)
    throw new NotFoundError(
      'report.unknownId',
      `no run ${JSON.stringify(runId)} in the graph (list the runs with \`traceprop report list run\` or \`traceprop runs list\`)`,
    );
  const run = reportRun(facts.run as Record<string, unknown>, facts.runStartedAt, facts.runFinishedAt);
  const pipelineNode = facts.pipeline as Record<string, unknown> | null;
  const models = (facts.models as Record<string, unknown>[]).map((m) => ({
    id: String(m.id),
    version: num(m.version),
    kind: str(m.kind),
    status: str(m.status),
    trainedAt: str(m.trainedAt),
    testAccuracy: num(m.testAccuracy),
  }));
  const [sources, ops, classBalance, statements] = await Promise.all([
    readRunSources(client, runId),
    readRunOps(client, runId),
    readClassBalance(client, runId),
    readStatements(client, [runId, ...models.map((m) => m.id)]),
  ]);
  const label = labelOf(pipelineNode?.text);
  const notAvailable: string[] = [];
  if (!label) notAvailable.push('label definition: not recorded (the run has no declared pipeline file)');
  if (!ops.split) notAvailable.push('split: no split op recorded');
  if (statements.length === 0)
    notAvailable.push('signed statements: none logged about this run or its models');
  return {
    kind: 'run',
    generatedAt: new Date().toISOString(),
    run,
    sources,
    pipeline: {
      name: run.pipeline ?? '',
      sha256: str(pipelineNode?.sha256),
      format: str(pipelineNode?.format),
      ops: ops.ops,
    },
    label,
    split: ops.split,
    classBalance,
    models,
    statements,
    notAvailable,
  };
}
