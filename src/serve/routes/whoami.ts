import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { accessRoles } from '../../access/access-role.js';

/** `GET /api/whoami` (auditor): the caller's token id, name and role. */
export function registerWhoamiRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/whoami',
    {
      config: { access: 'auditor' },
      schema: {
        summary: "The caller's token: id, name and role",
        response: { 200: z.object({ id: z.string(), name: z.string(), role: z.enum(accessRoles) }) },
      },
    },
    async (request) => {
      const caller = request.caller as NonNullable<typeof request.caller>;
      return { id: caller.id, name: caller.name, role: caller.role };
    },
  );
}
