import { UsageError } from '../errors.js';

/** The roles of an API token, weakest first: each role may do what the ones before it may. */
export const accessRoles = ['auditor', 'operator', 'admin'] as const;

/**
 * A token's role: `auditor` reads everything and runs read-only Cypher; `operator` may also submit
 * attribution and erasure requests; `admin` also manages tokens.
 */
export type AccessRole = (typeof accessRoles)[number];

/**
 * True when a caller with role `have` may use a route that needs `need`.
 *
 * @example
 * roleAllows('admin', 'operator') // true
 * roleAllows('auditor', 'operator') // false
 */
export function roleAllows(have: AccessRole, need: AccessRole): boolean {
  return accessRoles.indexOf(have) >= accessRoles.indexOf(need);
}

/** Parses a role name; throws `access.badRole` (a UsageError) for anything else. */
export function parseAccessRole(value: string): AccessRole {
  if ((accessRoles as readonly string[]).includes(value)) return value as AccessRole;
  throw new UsageError(
    'access.badRole',
    `expected a role among ${accessRoles.join(', ')}, got ${JSON.stringify(value)}`,
  );
}
