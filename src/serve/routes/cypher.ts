import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AuditQueryGate } from '../../graph/audit-query-gate.js';
import { jsonCypherParams } from '../json-cypher-params.js';
import type { ServeDeps } from '../serve-deps.js';
import { streamCypherRows } from '../stream-cypher-rows.js';

const cypherBody = z
  .object({
    query: z.string().min(1).max(100_000).describe('one Cypher statement that reads'),
    params: z
      .record(z.string(), z.unknown())
      .default({})
      .describe('the parameters ($name) the query uses; values are never spliced into its text'),
  })
  .strict();

/**
 * `POST /api/cypher` (auditor): `{"query": …, "params": {…}}` runs one read-only query through
 * the auditors' gate (writes, LOAD CSV, procedures off the allowlist and administration commands
 * are refused with 400 before anything runs), in a READ transaction with a timeout, and streams
 * at most the row limit as JSON.
 */
export function registerCypherRoute(app: FastifyInstance, deps: ServeDeps): void {
  const gate = new AuditQueryGate(deps.client);
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/cypher',
    {
      config: { access: 'auditor' },
      schema: {
        summary: 'Run a read-only Cypher query with parameters (streamed JSON rows; row limit and timeout)',
        body: cypherBody,
      },
    },
    async (request, reply) => {
      const params = jsonCypherParams(request.body.params);
      const { body } = await streamCypherRows(gate, deps.client, request.body.query, params, deps.cypher);
      return reply.type('application/json; charset=utf-8').send(body);
    },
  );
}
