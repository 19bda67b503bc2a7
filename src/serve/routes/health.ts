import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphAnswers } from '../../graph/connection.js';
import type { ServeDeps } from '../serve-deps.js';

const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  neo4j: z.boolean(),
  redis: z.boolean(),
});

/** `GET /api/health` (no token): whether the server, Neo4j and the queues' Redis answer. */
export function registerHealthRoute(app: FastifyInstance, deps: ServeDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/health',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Whether the server, Neo4j and Redis answer (no token needed)',
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      const [neo4j, redis] = await Promise.all([
        graphAnswers(deps.client),
        deps.queues.connection
          .ping()
          .then(() => true)
          .catch(() => false),
      ]);
      const ok = neo4j && redis;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', neo4j, redis });
    },
  );
}
