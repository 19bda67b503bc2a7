import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';

/**
 * One of the workbench's read routes (search, trace, run lineage, model versions, …) as
 * src/workbench declares them: a GET path with `:name` parameters, a summary, one zod schema for
 * the path and query parameters together, and the read that answers it.
 */
export interface WorkbenchRouteQuery<P> {
  name: string;
  /** A Fastify GET path, e.g. `/api/predictions/:id/trace`. */
  path: string;
  summary: string;
  /** Validates the path and query parameters, merged (path parameters win). */
  params: z.ZodType<P>;
  run(client: GraphClient, params: P): Promise<unknown>;
}

/** A workbench query of any parameter type (each query checks its own). */
// biome-ignore lint/suspicious/noExplicitAny: a table mixes queries of different parameter types
export type AnyWorkbenchRouteQuery = WorkbenchRouteQuery<any>;

/** The names of a path's `:name` parameters. */
function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

/**
 * Registers each workbench query as an auditor GET route: the path and query parameters are
 * merged and validated by the query's own schema (a mismatch answers 400
 * `workbench.badInput` with what was wrong), a `NotFoundError` of the read answers 404, and the
 * route appears in the OpenAPI document (its schema split into path and query parameters when it
 * is a `z.object`).
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
    const names = pathParameterNames(query.path);
    const documented = documentedSchema(query.params, names);
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
        const parsed = query.params.safeParse(merged);
        if (!parsed.success) {
          throw new UsageError(
            'workbench.badInput',
            `${query.name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(parameters)'}: ${i.message}`).join('; ')}`,
          );
        }
        return query.run(client, parsed.data);
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
