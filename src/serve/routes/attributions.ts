import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { attributionMethods } from '../../attribution/attribution-method.js';
import { defaults } from '../../defaults.js';
import { submitJob } from '../../queue/submit-job.js';
import { claimRequestId } from '../request-id-claims.js';
import type { ServeDeps } from '../serve-deps.js';
import { acceptedSchema, requestIdSchema } from './accepted.js';

const attributionBody = z
  .object({
    requestId: requestIdSchema.optional(),
    modelId: z.string().min(1).max(200),
    samples: z
      .union([z.literal('test'), z.literal('all'), z.array(z.string().min(1).max(1000)).min(1).max(100_000)])
      .default('test')
      .describe("which of the model run's samples to explain: test, all, or sample ids"),
    top: z.number().int().min(1).max(1000).default(defaults.attributionTop),
    method: z.enum(attributionMethods).default('ns'),
    sampleSize: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe('explain a seeded random sample of this many of the selected predictions'),
  })
  .strict();

/**
 * `POST /api/attributions` (operator): queues an attribution job as `traceprop attribute` does
 * (the same payload, so the same request is one job: its id is derived from the payload, the
 * client's `requestId` included). Answers 202 with the request id (the client's, else the job
 * id) and the job id; a repeat with the same `requestId` and body queues nothing more, another
 * body under that id is refused with 409.
 */
export function registerAttributionRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/attributions',
    {
      config: { access: 'operator' },
      schema: {
        summary: "Queue attribution of a model's predictions to its training samples and source files",
        body: attributionBody,
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      const { requestId, ...rest } = request.body;
      const claim = requestId
        ? await claimRequestId(
            deps.queues.connection,
            `${deps.queues.prefix}:attribution`,
            requestId,
            request.body,
            deps.requestIdSeconds,
          )
        : undefined;
      if (claim && !claim.first)
        return reply
          .status(202)
          .send({ requestId: requestId as string, jobId: claim.jobId ?? null, created: false });
      try {
        const submitted = await submitJob(
          'attribution',
          { ...rest, ...(requestId ? { requestId } : {}) },
          deps.queues,
        );
        await claim?.done(submitted.jobId);
        return reply.status(202).send({
          requestId: requestId ?? submitted.jobId,
          jobId: submitted.jobId,
          created: submitted.created,
          state: submitted.state,
        });
      } catch (err) {
        await claim?.release();
        throw err;
      }
    },
  );
}
