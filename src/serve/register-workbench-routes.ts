import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GraphClient } from '../graph/connection.js';
import { parseWorkbenchParams, type WorkbenchQuery } from '../workbench/workbench-queries.js';

/** A workbench query of any parameter type (each query checks its own). */
// biome-ignore lint/suspicious/noExplicitAny: a table mixes queries of different parameter types
export type AnyWorkbenchRouteQuery = WorkbenchQuery<any>;

/** The names of a path's `:name` parameters. */
function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

/**
 * Registers each workbench query (src/workbench/workbench-queries.ts) as an auditor GET route:
 * the path and query parameters are merged (path parameters win) and validated by the query's
 * own schema (a mismatch answers 400 `workbench.badInput` saying what was wrong), a
 * `NotFoundError` of the read answers 404, and the route appears in the OpenAPI document (its
 * schema split into path and query parameters when it is a `z.object`).
 *
 * @example
 * registerWorkbenchRoutes(app, client, workbenchQueries);
 */
export function registerWorkbenchRoutes(
  app: FastifyInstance,
  client: GraphClient,
  queries: readonly AnyWorkbenchRouteQuery[],
): void {
  for (const query of queries) {
    const documented = documentedSchema(query.params, pathParameterNames(query.path));
    app.get(
      query.path,
      {
        config: { access: 'auditor', badInputCode: 'workbench.badInput' },
        schema: { summary: query.summary, operationId: query.name, ...documented },
        // Validation is the query's own schema on the merged parameters (in the handler): the
        // route schema above only documents them.
        validatorCompiler: () => (value) => ({ value }),
      },
      async (request) => {
        const merged = { ...(request.query as object), ...(request.params as object) };
        return query.run(client, parseWorkbenchParams(query, merged));
      },
    );
  }
}

/** The parameters schema split for the OpenAPI document: path parameters and query string. */
function documentedSchema(
  schema: z.ZodType,
  pathNames: string[],
): { params?: z.ZodType; querystring?: z.ZodType } {
  if (!(schema instanceof z.ZodObject)) return {};
  const shape = schema.shape as Record<string, z.ZodType>;
  const inPath = Object.fromEntries(pathNames.filter((n) => n in shape).map((n) => [n, shape[n]]));
  const inQuery = Object.fromEntries(Object.entries(shape).filter(([n]) => !pathNames.includes(n)));
  return {
    ...(Object.keys(inPath).length ? { params: z.object(inPath) } : {}),
    ...(Object.keys(inQuery).length ? { querystring: z.object(inQuery) } : {}),
  };
}
