import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifiedStatementsAbout } from '../../evidence/verified-statements.js';
import { unlearningPayloadProbe } from '../../queue/unlearning-payload-probe.js';
import { readErasureReport } from '../../reports/read-erasure-report.js';
import { readModelReport } from '../../reports/read-model-report.js';
import { readRunReport } from '../../reports/read-run-report.js';
import { renderReport, reportFormats } from '../../reports/render-report.js';
import type { Report } from '../../reports/report-types.js';
import type { ServeDeps } from '../serve-deps.js';

const ownerKinds = ['model', 'run', 'erasure'] as const;
const idSchema = z.string().min(1).max(300);

const statementSchema = z.object({
  id: z.string(),
  kind: z.string(),
  ref: z.string(),
  logIndex: z.number(),
  at: z.string().nullable(),
  verification: z.enum(['verified', 'failed']),
  keyIds: z.array(z.string()),
  treeSize: z.number().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});

/** Content type of each report format. */
const contentTypes: Record<(typeof reportFormats)[number], string> = {
  md: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
};

/**
 * The evidence routes of the workbench (auditor):
 * - `GET /api/statements/:kind/:id` (`kind` model, run or erasure): the signed statements about
 *   it, each verified now on the server as `traceprop verify statement ID` does (signature, key,
 *   inclusion proof against the newest signed tree head); a failed check is listed with its error
 *   code, not answered as an error;
 * - `GET /api/reports/:kind/:id?format=html|pdf|json|md`: the report `traceprop report KIND ID`
 *   makes, rendered by the same code (the model report's bias examination reads the artifacts;
 *   the erasure report checks the queue's payloads on the server's Redis).
 * An unknown id answers 404 (`evidence.unknownOwner`, `report.unknownId`).
 */
export function registerEvidenceRoutes(app: FastifyInstance, deps: ServeDeps): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.get(
    '/api/statements/:kind/:id',
    {
      config: { access: 'auditor' },
      schema: {
        summary: 'The signed statements about a model, run or erasure request, each verified now',
        params: z.object({ kind: z.enum(ownerKinds), id: idSchema }),
        response: {
          200: z.object({ kind: z.enum(ownerKinds), id: z.string(), statements: z.array(statementSchema) }),
        },
      },
    },
    async (request) => {
      const { kind, id } = request.params;
      return { kind, id, statements: await verifiedStatementsAbout(deps.client, kind, id) };
    },
  );
  typed.get(
    '/api/reports/:kind/:id',
    {
      config: { access: 'auditor' },
      schema: {
        summary: 'A report (model card, erasure certificate, run report) as `traceprop report` makes it',
        params: z.object({ kind: z.enum(ownerKinds), id: idSchema }),
        querystring: z.object({ format: z.enum(reportFormats).default('html') }),
      },
    },
    async (request, reply) => {
      const { kind, id } = request.params;
      const { format } = request.query;
      const report = await readReport(deps, kind, id);
      const body = await renderReport(report, format);
      const file = `${kind}-${id.replace(/[^A-Za-z0-9._-]/g, '_')}.${format}`;
      return (
        reply
          .header('content-type', contentTypes[format])
          .header('content-disposition', `inline; filename="${file}"`)
          .header('x-content-type-options', 'nosniff')
          // The HTML report has no script and no external resource (as its own meta tag says).
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
          .send(body)
      );
    },
  );
}

async function readReport(deps: ServeDeps, kind: (typeof ownerKinds)[number], id: string): Promise<Report> {
  if (kind === 'model') return readModelReport(deps.client, id, { home: deps.artifactHome() });
  if (kind === 'run') return readRunReport(deps.client, id);
  return readErasureReport(deps.client, id, {
    home: deps.artifactHome(),
    probes: [unlearningPayloadProbe(deps.queues.connection, deps.queues.prefix)],
  });
}
