import { z } from 'zod';
import { UsageError } from '../errors.js';
import type { WorkbenchQuery } from './workbench-query.js';

/** Longest id or search text a workbench query accepts (ids are a sha256 and a few suffixes). */
const maxIdLength = 512;

/** An id from a path parameter: non-empty text, trimmed, at most {@link maxIdLength} characters. */
export const idParam = z.string().trim().min(1).max(maxIdLength);

/**
 * A row cap: a whole number from 1 to `max`, coerced from a query-string text, `fallback` when
 * absent. Every workbench list is capped by one, so no route returns an unbounded result.
 *
 * @example
 * z.object({ limit: limitParam(50, 500) }).parse({ limit: '20' }); // { limit: 20 }
 */
export function limitParam(fallback: number, max: number) {
  return z.coerce.number().int().min(1).max(max).default(fallback);
}

/** A row offset (paging): a whole number ≥ 0, coerced from text, 0 when absent. */
export const offsetParam = z.coerce.number().int().min(0).max(100_000_000).default(0);

/**
 * Validates the merged path and query-string parameters of a workbench route with the query's
 * schema. Throws `workbench.badInput` (a UsageError) naming each refused parameter and why.
 *
 * @example
 * const params = parseWorkbenchParams(query, { id: 'm1:run:s:3', k: '5' });
 */
export function parseWorkbenchParams<P>(query: WorkbenchQuery<P>, raw: unknown): P {
  const parsed = query.params.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const at = issue.path.length > 0 ? issue.path.join('.') : '(parameters)';
    return `${at}: ${issue.message}`;
  });
  throw new UsageError('workbench.badInput', `${query.name} (${query.path}): ${problems.join('; ')}`);
}
