import neo4j from 'neo4j-driver';
import { z } from 'zod';
import { hasCode, NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { descendants, type RowDescendants } from '../graph/queries/descendants.js';
import { runReadQuery } from '../graph/read-query.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({ id: idParam, limit: limitParam(100, 1000) });

/** A prediction the row reaches (cypher/workbench/source-row-predictions.cypher). */
interface ReachedPrediction {
  id: string;
  modelId: string;
  sampleId: string;
  [fact: string]: unknown;
}

/**
 * What depends on a source row: the runs that read it, per run the samples derived from it and
 * the models trained on the run (what `traceprop query descendants ID --json` returns:
 * {@link descendants}, cypher/queries/descendants.cypher), and the predictions it reaches
 * (cypher/workbench/source-row-predictions.cypher): those made for its samples (`scored`) and those
 * whose attribution top-k holds one of its samples (`influenced`). Every list is capped at
 * `limit` (`truncated` says which were cut). An erased row is its skeleton (no key). Throws
 * `workbench.unknownSourceRow` for an unknown id.
 */
export const sourceRowImpact: WorkbenchQuery<z.output<typeof params>> = {
  name: 'source-row-impact',
  path: '/api/source-rows/:id/impact',
  summary: 'What depends on a source row: runs, samples, models and predictions',
  params,
  async run(client: GraphClient, { id, limit }) {
    let impact: RowDescendants;
    try {
      impact = await descendants(client, id);
    } catch (err) {
      if (!hasCode(err, 'graph.notFound')) throw err;
      throw new NotFoundError(
        'workbench.unknownSourceRow',
        `no source row ${JSON.stringify(id)} (source row ids look like <file sha256>:<row>)`,
        { cause: err },
      );
    }
    const [reached] = await runReadQuery(client, cypherText('workbench', 'source-row-predictions'), {
      sourceRowId: id,
      limit: neo4j.int(limit),
    });
    const scored = (reached?.scored ?? []) as ReachedPrediction[];
    const influenced = (reached?.influenced ?? []) as ReachedPrediction[];
    const runs = impact.runs.slice(0, limit).map((run) => ({
      ...run,
      samples: run.samples
        .slice(0, limit)
        .map((s) => ({ ...s, links: { sources: link.sampleSources(s.id) } })),
      samplesTruncated: run.samples.length > limit,
      models: run.models
        .slice(0, limit)
        .map((m) => ({ ...m, links: { versions: link.modelVersions(m.id) } })),
      modelsTruncated: run.models.length > limit,
      links: { summary: link.run(run.id), dag: link.runDag(run.id) },
    }));
    const withTrace = (p: ReachedPrediction) => ({ ...p, links: { trace: link.predictionTrace(p.id) } });
    return {
      sourceRow: impact.sourceRow.erased
        ? { id: impact.sourceRow.id, row: impact.sourceRow.row, key: null, erased: true }
        : impact.sourceRow,
      file: impact.file,
      runs,
      runsTruncated: impact.runs.length > limit,
      predictions: {
        scored: scored.map(withTrace),
        scoredTotal: reached?.scoredTotal ?? 0,
        influenced: influenced.map(withTrace),
        influencedTotal: reached?.influencedTotal ?? 0,
        truncated:
          Number(reached?.scoredTotal ?? 0) > scored.length ||
          Number(reached?.influencedTotal ?? 0) > influenced.length,
      },
    };
  },
};
