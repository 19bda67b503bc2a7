import neo4j from 'neo4j-driver';
import { z } from 'zod';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { erasures } from '../graph/queries/erasures.js';
import { runReadQuery } from '../graph/read-query.js';
import { erasureTargetSkeleton } from './erasure-target.js';
import { workbenchLinks as link } from './workbench-links.js';
import { idParam, limitParam } from './workbench-params.js';
import type { WorkbenchQuery } from './workbench-query.js';

const params = z.object({ id: idParam, limit: limitParam(200, 2000) });

/** Request properties shown as they are stored (the rest are parsed or left out). */
const omitted = new Set(['target', 'metrics', 'certificate']);

/**
 * One erasure request (cypher/workbench/erasure-detail.cypher): status, mode, times, counts,
 * model ids, error; its metrics and certificate (parsed from their JSON); what it named, as a
 * skeleton ({@link erasureTargetSkeleton}: counts, never the keys); the model it produced; the
 * rows it erased as skeletons (file, row, when: no content), at most `limit` (`truncated`); and
 * for a complete request the active models that still hold any of its rows ({@link erasures},
 * cypher/queries/erasures.cypher). Throws `workbench.unknownErasure` for an unknown id.
 */
export const erasureDetail: WorkbenchQuery<z.output<typeof params>> = {
  name: 'erasure-detail',
  path: '/api/erasures/:id',
  summary: "An erasure request's status, metrics, certificate and erased rows (as skeletons)",
  params,
  async run(client: GraphClient, { id, limit }) {
    const [r] = await runReadQuery(client, cypherText('workbench', 'erasure-detail'), {
      requestId: id,
      limit: neo4j.int(limit),
    });
    if (!r) {
      throw new NotFoundError(
        'workbench.unknownErasure',
        `no erasure request ${JSON.stringify(id)} (the erasure list, /api/erasures, names them)`,
      );
    }
    const stored = r.request as Record<string, unknown>;
    const request: Record<string, unknown> = {};
    for (const key of Object.keys(stored).sort()) if (!omitted.has(key)) request[key] = stored[key];
    const holding =
      stored.status === 'complete' ? ((await erasures(client, id)).requests[0]?.holdingModels ?? []) : [];
    const targets = r.targets as unknown[];
    const produced = r.produced as { id: string } | null;
    return {
      request,
      target: erasureTargetSkeleton(stored.target),
      metrics: parseJson(stored.metrics),
      certificate: parseJson(stored.certificate),
      produced: produced ? { ...produced, links: { versions: link.modelVersions(produced.id) } } : null,
      affectedSamples: r.affected,
      targetTotal: r.targetTotal,
      targets,
      truncated: (r.targetTotal as number) > targets.length,
      holdingModels: holding,
    };
  },
};

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string') return null;
  try {
    return JSON.parse(value);
  } catch {
    return { raw: value };
  }
}
