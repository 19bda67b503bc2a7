import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importLineageEvents } from '../../openlineage/import-events.js';
import { incomingEventSchema } from '../../openlineage/incoming-event.js';
import type { ServeDeps } from '../serve-deps.js';

const importedSchema = z.object({
  jobs: z.number(),
  datasets: z.number(),
  reads: z.number(),
  writes: z.number(),
  linkedFiles: z.number().describe('dataset links to ingested SourceFiles made or found'),
});

/**
 * `POST /api/v1/lineage` (operator): the Marquez-compatible OpenLineage receiver. One event per
 * call (a RunEvent, JobEvent or DatasetEvent), written into the graph as `traceprop openlineage
 * import` writes it (upstream Jobs and Datasets, linked to the ingested files they wrote);
 * answers 201 with what it wrote. A repeated event changes nothing (every write is a MERGE).
 */
export function registerLineageRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/v1/lineage',
    {
      config: { access: 'operator', badInputCode: 'openlineage.badEvent' },
      schema: {
        summary:
          'Receive an OpenLineage event (Marquez-compatible): upstream jobs and datasets into the graph',
        body: incomingEventSchema,
        response: { 201: importedSchema },
      },
    },
    async (request, reply) => {
      const { events: _one, ...written } = await importLineageEvents(deps.client, [request.body]);
      return reply.status(201).send(written);
    },
  );
}
