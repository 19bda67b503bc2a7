import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type AccessRole, roleAllows } from '../access/access-role.js';
import { TracepropError } from '../errors.js';
import type { ServeDeps } from './serve-deps.js';

/**
 * Makes every route check its caller. A route must declare `config.access` (`public` or the
 * weakest role it admits): one that does not is refused when it is registered, so no route can
 * be added without a check. On each request, before the body is read, the bearer token
 * (`Authorization: Bearer tp_…`) is looked up by its hash: none or an unknown, malformed or
 * revoked one answers 401 (`access.unauthorized`), a role below the route's 403
 * (`access.forbidden`); both are logged (token id and reason, never the secret).
 */
export function guardRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(
        `route ${route.method} ${route.url} declares no config.access: every route checks its caller`,
      );
    }
    if (access === 'public') return;
    // The check runs first among the route's onRequest hooks, with the route's role and pattern
    // bound here (no per-request look-up of the route's options).
    const check = callerCheck(deps, access, route.url);
    const own = route.onRequest;
    route.onRequest = own === undefined ? [check] : [check, ...(Array.isArray(own) ? own : [own])];
  });
}

/** The onRequest hook of a route that admits `access` and above (see {@link guardRoutes}). */
function callerCheck(deps: ServeDeps, access: AccessRole, route: string) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const auth = await deps.tokens.authenticate(bearerToken(request.headers.authorization));
    if (!auth.ok) {
      deps.logger.warn(
        { method: request.method, route, reason: auth.reason, ip: request.ip },
        'refused: no valid token (401)',
      );
      throw new TracepropError(
        'access.unauthorized',
        auth.reason === 'missing'
          ? 'this route needs a bearer token (Authorization: Bearer tp_…); ask an admin for one (`traceprop token create`)'
          : `the bearer token is not valid (${auth.reason})`,
      );
    }
    request.caller = auth.holder;
    if (!roleAllows(auth.holder.role, access)) {
      deps.logger.warn(
        {
          method: request.method,
          route,
          token: auth.holder.id,
          role: auth.holder.role,
          needs: access,
        },
        'refused: role too weak (403)',
      );
      throw new TracepropError(
        'access.forbidden',
        `this route needs the role ${access} or above; the token ${auth.holder.id} has the role ${auth.holder.role}`,
      );
    }
  };
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : '\u0000';
}
