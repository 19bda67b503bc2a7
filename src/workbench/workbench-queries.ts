import { erasureDetail } from './erasure-detail.js';
import { erasureList } from './erasure-list.js';
import { jobsRecent } from './jobs-recent.js';
import { modelVersions } from './model-versions.js';
import { predictionTrace } from './prediction-trace.js';
import { runDag } from './run-dag.js';
import { runSummary } from './run-summary.js';
import { sampleSources } from './sample-sources.js';
import { search } from './search.js';
import { sourceRowImpact } from './source-row-impact.js';
import type { WorkbenchQuery } from './workbench-query.js';

export { parseWorkbenchParams } from './workbench-params.js';
export type { WorkbenchQuery } from './workbench-query.js';

/**
 * The read-only queries behind the workbench's GET routes (issue 11 item 3), one file each in
 * src/workbench and cypher/workbench. A server registers each `path` with `params` as its schema
 * and answers with `run` (no HTTP code here). Paths are distinct; `/api/runs/:id/dag` and
 * `/api/runs/:id` are separate routes.
 *
 * @example
 * const q = workbenchQueries.find((w) => w.name === 'prediction-trace')!;
 * const trace = await q.run(client, parseWorkbenchParams(q, { id: predictionId, k: '5' }));
 */
// biome-ignore lint/suspicious/noExplicitAny: each query has its own parameter type; the table is registered generically.
export const workbenchQueries: readonly WorkbenchQuery<any>[] = [
  search,
  predictionTrace,
  runSummary,
  runDag,
  sampleSources,
  sourceRowImpact,
  modelVersions,
  erasureList,
  erasureDetail,
  jobsRecent,
];
