import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessRoles } from '../../access/access-role.js';
import { createApiToken, listApiTokens, revokeApiToken } from '../../access/token-store.js';
import type { ServeDeps } from '../serve-deps.js';

const tokenInfo = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(accessRoles),
  createdBy: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable().optional(),
  revokedAt: z.string().nullable().optional(),
});

/**
 * Token administration (admin): `GET /api/tokens` lists the tokens (never a secret or a hash),
 * `POST /api/tokens` `{name, role}` creates one and answers its secret once (201),
 * `DELETE /api/tokens/:id` revokes one (effective at once in this server).
 */
export function registerTokenRoutes(app: FastifyInstance, deps: ServeDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  api.get(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'List the API tokens (no secrets)',
        response: { 200: z.object({ tokens: z.array(tokenInfo) }) },
      },
    },
    async () => ({ tokens: await listApiTokens(deps.client) }),
  );
  api.post(
    '/api/tokens',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Create an API token; its secret is in this answer only',
        body: z.object({ name: z.string().min(1).max(200), role: z.enum(accessRoles) }).strict(),
        response: { 201: tokenInfo.extend({ token: z.string() }) },
      },
    },
    async (request, reply) => {
      const created = await createApiToken(
        deps.client,
        { ...request.body, createdBy: `token:${request.caller?.id ?? 'unknown'}` },
        deps.signingKey(),
      );
      deps.logger.info({ token: created.id, role: created.role, by: request.caller?.id }, 'token created');
      return reply.status(201).send(created);
    },
  );
  api.delete(
    '/api/tokens/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Revoke an API token',
        params: z.object({ id: z.string().min(1).max(200) }),
        response: { 200: tokenInfo },
      },
    },
    async (request) => {
      const revoked = await revokeApiToken(deps.client, request.params.id, deps.signingKey());
      deps.tokens.forget();
      deps.logger.info({ token: revoked.id, by: request.caller?.id }, 'token revoked');
      return revoked;
    },
  );
}
