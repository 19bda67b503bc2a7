import type { FastifyInstance } from 'fastify';

/**
 * `GET /api/openapi.json` (no token): the OpenAPI 3.1 document of every route, generated from the
 * routes' zod schemas (the schemas are declared once, on the routes).
 */
export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get('/api/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
}
