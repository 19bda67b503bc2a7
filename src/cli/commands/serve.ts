import type { Command } from 'commander';
import { defaults } from '../../defaults.js';
import { startServer } from '../../serve/start-server.js';
import { workbenchQueries } from '../../workbench/workbench-queries.js';
import type { CliContext } from '../context.js';
import { integerIn, parsePositiveInteger } from '../options.js';

interface ServeCliOptions {
  host: string;
  port: number;
  bodyLimit: number;
  rowLimit: number;
  json?: boolean;
}

/**
 * `traceprop serve [--host 127.0.0.1] [--port 7475] [--json]`: the auditors' workbench API
 * (docs/workbench.md). Prints the URL (with `--json` one line `{"url": …}`), serves until SIGINT
 * or SIGTERM, then shuts down gracefully (calls in flight finish, the access log is written,
 * Neo4j and Redis connections closed) and exits 0.
 */
export function registerServe(program: Command, ctx: CliContext, version: string): void {
  program
    .command('serve')
    .description(
      "serve the auditors' workbench API: role-checked bearer tokens, access log, read-only Cypher, erasure and attribution requests (docs/workbench.md)",
    )
    .option(
      '--host <address>',
      'address to listen on (beyond loopback only once an API token exists)',
      defaults.serveHost,
    )
    .option('--port <n>', 'port (0: any free port)', integerIn(0, 65535), defaults.servePort)
    .option(
      '--body-limit <bytes>',
      'largest request body (larger: 413)',
      parsePositiveInteger,
      defaults.serveBodyLimitBytes,
    )
    .option(
      '--row-limit <n>',
      'rows POST /api/cypher returns at most',
      parsePositiveInteger,
      defaults.serveCypherRowLimit,
    )
    .option('--json', 'print the start-up line as one JSON document')
    .action(async (options: ServeCliOptions) => {
      const server = await startServer(ctx.config, ctx.logger, {
        host: options.host,
        port: options.port,
        bodyLimit: options.bodyLimit,
        cypherRowLimit: options.rowLimit,
        version,
        workbenchQueries,
      });
      if (options.json)
        process.stdout.write(
          `${JSON.stringify({ url: server.url, host: server.host, port: server.port })}\n`,
        );
      else
        ctx.print(
          `workbench API at ${server.url} (health: ${server.url}/api/health, OpenAPI: ${server.url}/api/openapi.json)`,
        );
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'));
        process.once('SIGTERM', () => resolve('SIGTERM'));
      });
      ctx.logger.info({ signal }, 'shutting down');
      await server.close();
      ctx.logger.info('stopped');
    });
}
