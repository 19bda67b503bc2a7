import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { NotFoundError } from '../errors.js';
import { guardRoutes } from './guard-routes.js';
import { httpError } from './http-error.js';
import { parseJsonBodies } from './json-body-parser.js';
import { recordAccess } from './record-access.js';
import { type AnyWorkbenchRouteQuery, registerWorkbenchRoutes } from './register-workbench-routes.js';
import { registerAttributionRoutes } from './routes/attributions.js';
import { registerCypherRoute } from './routes/cypher.js';
import { registerErasureRoutes } from './routes/erasures.js';
import { registerEvidenceRoutes } from './routes/evidence.js';
import { registerHealthRoute } from './routes/health.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerLineageRoutes } from './routes/lineage.js';
import { registerOpenApiRoute } from './routes/openapi.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerWebPageRoutes } from './routes/web-page.js';
import { registerWhoamiRoute } from './routes/whoami.js';
import type { ServeDeps } from './serve-deps.js';

/** What {@link buildServer} needs besides the dependencies. */
export interface BuildServerOptions {
  /** Largest request body in bytes; larger ones get 413. */
  bodyLimit: number;
  /** The workbench's GET routes (search, trace, lineage, …), registered generically. */
  workbenchQueries: readonly AnyWorkbenchRouteQuery[];
  /** The package version, shown in the OpenAPI document. */
  version: string;
}

/**
 * Builds the workbench's Fastify server (not listening yet): zod schemas for every route
 * (validated by fastify-type-provider-zod, published as OpenAPI 3.1 at `/api/openapi.json`),
 * the caller check of every route (src/serve/guard-routes.ts), the access log, one JSON error
 * shape (`{"error": {"code", "message"}}`) and no CORS headers (browsers on other origins may
 * not read the answers). Logs go to the pino logger of `deps`, with the Authorization header
 * redacted.
 */
export async function buildServer(deps: ServeDeps, options: BuildServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request lines are not logged (the access log keeps every call); warnings and errors are.
    logController: new LogController({ disableRequestLogging: true }),
    // No per-request child logger: nothing logs through request.log (the hooks and the error
    // handler log with route and token themselves), and a pino child per call is measurable.
    childLoggerFactory: (logger) => logger,
    bodyLimit: options.bodyLimit,
    // Parameters of a route are strings; one JSON body parser; nothing trusts proxy headers.
    trustProxy: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Traceprop workbench API',
        version: options.version,
        description:
          'Row-level lineage, attribution and erasure evidence for auditors. Every route but /api/health and /api/openapi.json needs a bearer token (`Authorization: Bearer tp_…`) of the role it names: auditor < operator < admin.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  parseJsonBodies(app);
  guardRoutes(app, deps);
  recordAccess(app, deps);
  app.setErrorHandler((err, request, reply) => {
    const { status, body } = httpError(err, request.routeOptions.config?.badInputCode);
    if (status >= 500) deps.logger.error({ err, route: request.routeOptions.url }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const { status, body } = httpError(
      new NotFoundError('serve.notFound', `no route ${request.method} ${request.url.split('?')[0]}`),
    );
    void reply.status(status).send(body);
  });
  registerHealthRoute(app, deps);
  registerOpenApiRoute(app);
  registerWhoamiRoute(app);
  registerJobRoutes(app, deps);
  registerCypherRoute(app, deps);
  registerErasureRoutes(app, deps);
  registerAttributionRoutes(app, deps);
  registerLineageRoutes(app, deps);
  registerTokenRoutes(app, deps);
  registerEvidenceRoutes(app, deps);
  registerWorkbenchRoutes(app, deps.client, options.workbenchQueries);
  registerWebPageRoutes(app);
  return app;
}
