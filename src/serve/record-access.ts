import type { FastifyInstance } from 'fastify';
import type { ServeDeps } from './serve-deps.js';

/**
 * Appends every answered API call to the access log (`(:AccessEvent)`): time, token id and role
 * (never the secret), method, route pattern, path without its query string, status and time
 * taken. The hook only queues the event; the log writes in batches.
 */
export function recordAccess(app: FastifyInstance, deps: ServeDeps): void {
  app.addHook('onResponse', async (request, reply) => {
    const path = request.url.split('?')[0];
    deps.accessLog.record({
      at: new Date(Date.now() - reply.elapsedTime).toISOString(),
      token: request.caller?.id ?? null,
      role: request.caller?.role ?? null,
      method: request.method,
      route: request.routeOptions.url ?? path,
      path,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 1000) / 1000,
    });
  });
}
