import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { adoptBookmarks } from '../../graph/connection.js';
import { describeJob } from '../../queue/describe-job.js';
import { findJob } from '../../queue/find-job.js';
import type { ServeDeps } from '../serve-deps.js';

/**
 * `GET /api/jobs/:id` (auditor): a BullMQ job's state, progress, payload and result, as
 * `traceprop jobs show`; the server's graph client takes the worker's bookmarks of a finished job.
 */
export function registerJobRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/jobs/:id',
    {
      config: { access: 'auditor' },
      schema: {
        summary: "A queued job's state, progress, payload and result (as `traceprop jobs show`)",
        params: z.object({ id: z.string().min(1).max(200) }),
      },
    },
    async (request) => {
      const found = await findJob(request.params.id, deps.queues);
      try {
        const summary = await describeJob(found.job);
        // A client that saw the job complete reads its write-back next (a trace): take the worker's
        // bookmarks so those reads see it on any cluster member.
        await adoptBookmarks(deps.client, summary.returnvalue);
        return summary;
      } finally {
        await found.queue.close();
      }
    },
  );
}
