import type { z } from 'zod';
import type { GraphClient } from '../graph/connection.js';

/**
 * One read-only query of the auditor's workbench, described so that an HTTP server can register
 * it generically: a GET route (`path`), its OpenAPI summary, a zod schema for its parameters (path
 * and query-string parameters merged into one object) and the function that answers it.
 *
 * @example
 * for (const q of workbenchQueries)
 *   app.get(q.path, async (req) => q.run(client, parseWorkbenchParams(q, { ...req.query, ...req.params })));
 */
export interface WorkbenchQuery<P = unknown> {
  /** Stable name, kebab-case, e.g. 'prediction-trace'. */
  name: string;
  /** Fastify-style GET path, e.g. '/api/predictions/:id/trace'. Path and query-string params are merged into one object. */
  path: string;
  /** One line for the OpenAPI summary. */
  summary: string;
  /** zod schema (zod v4 is a dependency) validating the merged params; coerce numbers from strings. */
  params: z.ZodType<P>;
  /** Runs read-only (src/graph/read-query.ts runReadQuery / runReadRecords) and returns plain JSON. Throws NotFoundError with a workbench.* code for unknown ids. */
  run(client: GraphClient, params: P): Promise<unknown>;
}
