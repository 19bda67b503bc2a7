import { createApiToken, revokeApiToken } from '../access/token-store.js';
import type { TracepropConfig } from '../config.js';
import { defaults } from '../defaults.js';
import { startServer } from '../serve/start-server.js';
import { clientFor } from '../services/ensure-services.js';
import { workbenchQueries } from '../workbench/workbench-queries.js';
import type { CliContext } from './context.js';

/**
 * The demo's last step with `--serve`: creates a read-only (`auditor`) API token, serves the
 * auditors' workbench on loopback (`port`; 0: any free port), prints its URL and the token, and
 * serves until SIGINT or SIGTERM; then shuts the server down gracefully and revokes the token
 * (it was for this demo only). `config` names the Neo4j and Redis the demo used.
 */
export async function serveDemoWorkbench(
  ctx: CliContext,
  config: TracepropConfig,
  options: { port: number; version: string },
): Promise<void> {
  const client = clientFor(config, config.neo4jUri);
  try {
    const token = await createApiToken(client, { name: 'demo auditor', role: 'auditor', createdBy: 'demo' });
    try {
      const server = await startServer(config, ctx.logger, {
        host: defaults.serveHost,
        port: options.port,
        bodyLimit: defaults.serveBodyLimitBytes,
        cypherRowLimit: defaults.serveCypherRowLimit,
        version: options.version,
        workbenchQueries,
      });
      ctx.print('');
      ctx.print(`The auditor's workbench: ${server.url}/`);
      ctx.print(`  read-only token (role auditor, revoked when the demo stops): ${token.token}`);
      ctx.print(`  e.g. curl -H "Authorization: Bearer <token>" ${server.url}/api/whoami`);
      ctx.status('serving the workbench until Ctrl-C (SIGINT) or SIGTERM');
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      ctx.logger.info({ signal }, 'shutting down the workbench');
      await server.close();
    } finally {
      await revokeApiToken(client, token.id);
      ctx.status(`demo token ${token.id} revoked`);
    }
  } finally {
    await client.driver.close();
  }
}
