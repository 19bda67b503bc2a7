import type { ArtifactHome } from '../artifacts/artifact-home.js';
import { NotFoundError } from '../errors.js';
import type { GraphClient } from '../graph/connection.js';
import { cypherText } from '../graph/cypher-library.js';
import { runReadQuery } from '../graph/read-query.js';
import { erasureInventory, type InventoryProbe } from '../jobs/unlearning/erasure-inventory.js';
import { guaranteeOf, readStatements } from './read-run-parts.js';
import type { ErasureReport } from './report-types.js';
import { jsonObject, num, str } from './report-values.js';

/** What the report reads an erasure with. */
export interface ErasureReportOptions {
  /** TRACEPROP_HOME: where the inventory measures run matrices and model artifacts. */
  home: ArtifactHome;
  /** Checks of stores outside the graph and the file system (the CLI passes the queue's). */
  probes?: InventoryProbe[];
}

/**
 * Reads an erasure request into an {@link ErasureReport}, a certificate a data subject or a
 * regulator can read: the rows erased (file, row numbers and counts: never a key or content), the
 * model versions updated (before → after), the guarantee recorded (mode, certificate, (ε, δ) of a
 * certified line), the inventory of stores measured now (src/jobs/unlearning/erasure-inventory.ts),
 * the signed statements about the request and its models, and the commands that verify them.
 *
 * @throws NotFoundError `report.unknownId` when no UnlearningRequest has this id.
 */
export async function readErasureReport(
  client: GraphClient,
  requestId: string,
  options: ErasureReportOptions,
): Promise<ErasureReport> {
  const [facts] = await runReadQuery(client, cypherText('report', 'erasure-facts'), { requestId });
  if (!facts)
    throw new NotFoundError(
      'report.unknownId',
      `no erasure request ${JSON.stringify(requestId)} in the graph (list them with \`traceprop report list erasure\` or \`traceprop query erasures\`)`,
    );
  const u = facts.request as Record<string, unknown>;
  const erased = (facts.files as Record<string, unknown>[]).map((f) => ({
    sha256: String(f.fileId),
    name: String(f.file),
    table: str(f.table),
    rows: (f.rows as unknown[]).map(Number),
    erasedNow: num(f.erased) ?? 0,
  }));
  const models = (facts.produced as Record<string, unknown>[]).map((p) => ({
    before: str(p.before),
    after: String(p.after),
    version: num(p.version),
    status: str(p.status),
    runId: str(p.runId),
    testAccuracyBefore: num(p.beforeTestAccuracy),
    testAccuracyAfter: num(p.testAccuracy),
  }));
  const inventory = await erasureInventory(client, options.home, requestId, options.probes ?? []);
  const modelIds = models.flatMap((m) => (m.before ? [m.before, m.after] : [m.after]));
  const statements = await readStatements(client, [requestId, ...modelIds]);
  const notAvailable: string[] = [];
  if (!statements.some((s) => s.ref === requestId || s.ref.startsWith(`${requestId}#`)))
    notAvailable.push(
      'a signed statement of the erasure itself: none logged (the request ran without a signing key, or erased nothing new)',
    );
  if (models.length === 0) notAvailable.push('model versions: the request produced none (yet)');
  const target = jsonObject(u.target);
  return {
    kind: 'erasure',
    generatedAt: new Date().toISOString(),
    request: {
      id: String(u.id),
      status: str(u.status),
      mode: str(u.mode),
      requestedAt: str(facts.requestedAt),
      completedAt: str(facts.completedAt),
      target,
    },
    erased,
    erasedRows: erased.reduce((n, f) => n + f.rows.length, 0),
    affectedSamples: num(facts.affected) ?? 0,
    models,
    linesDone: Array.isArray(u.linesDone) ? u.linesDone.map(String) : [],
    guarantee: guaranteeOf(u),
    inventory: {
      ownedStoresHolding: inventory.ownedStoresHolding,
      entries: inventory.entries.map((e) => ({
        store: e.store,
        owner: e.owner,
        location: e.location,
        state: e.state,
        count: e.count ?? null,
        detail: e.detail,
      })),
    },
    statements,
    verify: [
      ...statements.map((s) => `traceprop verify statement ${s.id}`),
      'traceprop verify log --save-head head.json   (keep the head away from the database; later: --from head.json)',
      `traceprop erasure show ${requestId}   (measures every store again)`,
      `traceprop query erasures   (lists any active model still holding the erased rows)`,
    ],
    notAvailable,
  };
}
