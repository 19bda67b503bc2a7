import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TracepropError } from '../../errors.js';
import { withSession } from '../../graph/connection.js';
import { cypherText } from '../../graph/cypher-library.js';
import { runReadQuery } from '../../graph/read-query.js';
import { prepareUnlearningRequest } from '../../jobs/unlearning/prepare-unlearning-request.js';
import type { UnlearningTarget } from '../../jobs/unlearning/resolve-target-rows.js';
import { queueUnlearningRequest } from '../../requests/queue-unlearning-request.js';
import { claimRequestId } from '../request-id-claims.js';
import type { ServeDeps } from '../serve-deps.js';
import { acceptedSchema, requestIdSchema } from './accepted.js';

const targetSchema = z.union([
  z
    .object({ file: z.string().min(1).max(1000), rows: z.array(z.number().int().min(0)).min(1).max(100_000) })
    .strict(),
  z
    .object({
      keys: z.array(z.string().min(1).max(1000)).min(1).max(100_000),
      table: z.string().min(1).max(200).optional().describe('the table or key column the keys belong to'),
    })
    .strict(),
  z.object({ subject: z.string().trim().min(1).max(1000) }).strict(),
  z.object({ sourceRowIds: z.array(z.string().min(1).max(1000)).min(1).max(100_000) }).strict(),
]);

const erasureBody = z
  .object({
    requestId: requestIdSchema.optional(),
    target: targetSchema.describe(
      'the rows to erase: file and 0-based rows, business keys, a data subject, or SourceRow ids',
    ),
    mode: z.enum(['drop', 'recompute']).default('drop'),
    modelId: z.string().min(1).max(200).optional(),
    verify: z.boolean().default(false),
    budget: z.number().min(0).optional(),
    minTrainingRows: z.number().int().min(0).optional(),
    reattribute: z
      .boolean()
      .optional()
      .describe(
        'queue attribution jobs that explain again, with the new model version, the predictions the erasure strips',
      ),
  })
  .strict();

/**
 * `POST /api/erasures` (operator): an erasure request, made as `traceprop unlearn` makes it: the
 * rows and the model are resolved first (unknown file, rows or model: 400/404, nothing
 * recorded), then the `UnlearningRequest` is recorded and its job queued. Answers 202 with the
 * request id and job id; a repeat with the same client-supplied `requestId` and body is answered
 * with the same request (no second one), another body under that id with 409.
 */
export function registerErasureRoutes(app: FastifyInstance, deps: ServeDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/api/erasures',
    {
      config: { access: 'operator' },
      schema: {
        summary: 'Queue an erasure (GDPR) request: erase source rows and update the model trained on them',
        body: erasureBody,
        response: { 202: acceptedSchema },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const requestId = body.requestId ?? randomUUID();
      const scope = `${deps.queues.prefix}:erasure`;
      const claim = body.requestId
        ? await claimRequestId(deps.queues.connection, scope, requestId, body, deps.requestIdSeconds)
        : undefined;
      if (claim && !claim.first)
        return reply.status(202).send({ requestId, jobId: claim.jobId ?? null, created: false });
      try {
        if (claim) await refuseRecordedId(deps, requestId);
        const target = body.target as UnlearningTarget;
        const salt = target.keys || target.subject ? deps.erasureSalt() : undefined;
        const prepared = await withSession(
          deps.client,
          (s) =>
            s.executeRead((tx) =>
              prepareUnlearningRequest(
                tx,
                {
                  requestId,
                  target,
                  mode: body.mode,
                  modelId: body.modelId,
                  fileName: 'file' in body.target ? body.target.file : undefined,
                  verify: body.verify,
                  budget: body.budget,
                  minTrainingRows: body.minTrainingRows,
                  reattribute: body.reattribute,
                },
                salt,
              ),
            ),
          'READ',
        );
        const submitted = await queueUnlearningRequest(deps.client, deps.queues, prepared);
        await claim?.done(submitted.jobId);
        return reply
          .status(202)
          .send({ requestId, jobId: submitted.jobId, created: true, state: submitted.state });
      } catch (err) {
        await claim?.release();
        throw err;
      }
    },
  );
}

/**
 * Refuses a client-supplied id that names a request recorded before (by the CLI, or by a call
 * whose claim has expired): recording it again would overwrite that request's status.
 */
async function refuseRecordedId(deps: ServeDeps, requestId: string): Promise<void> {
  const [row] = await runReadQuery(deps.client, cypherText('serve', 'erasure-request-exists'), {
    id: requestId,
  });
  if (row?.exists === true) {
    throw new TracepropError(
      'serve.requestIdConflict',
      `an erasure request ${JSON.stringify(requestId)} is already recorded (status ${String(row.status)}); use a new id for a new request`,
    );
  }
}
