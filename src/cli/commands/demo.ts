import path from 'node:path';
import type { Command } from 'commander';
import { packageRoot } from '../../config.js';
import { defaults } from '../../defaults.js';
import { verifyGraph } from '../../graph/connection.js';
import { applySchema } from '../../graph/schema.js';
import { clientFor, type EnsuredService, ensureNeo4j, ensureRedis } from '../../services/ensure-services.js';
import { redactRedisUrl } from '../../services/redis-target.js';
import type { CliContext } from '../context.js';
import { tellDemoStory } from '../demo-story.js';
import { serveDemoWorkbench } from '../demo-workbench.js';
import { integerIn } from '../options.js';

/**
 * `traceprop demo`: finds or starts Neo4j and Redis, applies the schema, and tells the story so
 * far; with `--serve`, ends by serving the auditors' workbench with a read-only token.
 */
export function registerDemo(program: Command, ctx: CliContext, version: string): void {
  program
    .command('demo')
    .description('find or start Neo4j and Redis, apply the schema and walk through Traceprop end to end')
    .option('--keep-running', 'leave a Neo4j or Redis the demo started running afterwards')
    .option(
      '--applicants <n>',
      'size of the generated credit-risk data set (100-1000000)',
      integerIn(100, 1_000_000),
      2000,
    )
    .option(
      '--serve',
      "end by serving the auditors' workbench on 127.0.0.1 and printing its URL and a read-only token (until Ctrl-C; the token is then revoked)",
    )
    .option(
      '--port <n>',
      'workbench port with --serve (0: any free port)',
      integerIn(0, 65535),
      defaults.servePort,
    )
    .action(async (options: { keepRunning?: boolean; applicants: number; serve?: boolean; port: number }) => {
      const started: EnsuredService[] = [];
      try {
        const neo4j = await ensureNeo4j(ctx.config, ctx.status);
        started.push(neo4j);
        const redis = await ensureRedis(ctx.config, ctx.status);
        started.push(redis);
        const client = clientFor(ctx.config, neo4j.url);
        try {
          const info = await verifyGraph(client);
          const statements = await applySchema(client);
          ctx.print(
            `Neo4j ${info.version} (${info.edition}) at ${neo4j.url}${neo4j.started ? ' — started by the demo' : ''}`,
          );
          ctx.print(`Redis at ${redactRedisUrl(redis.url)}${redis.started ? ' — started by the demo' : ''}`);
          ctx.print(`schema: ${statements} statements from cypher/schema/ applied (idempotent)`);
        } finally {
          await client.driver.close();
        }
        await tellDemoStory({
          neo4jUri: neo4j.url,
          redisUrl: redis.url,
          home: ctx.config.home,
          cliPath: path.join(packageRoot, 'dist', 'src', 'cli', 'main.js'),
          applicants: options.applicants,
          print: ctx.print,
          status: ctx.status,
        });
        if (options.serve)
          await serveDemoWorkbench(
            ctx,
            { ...ctx.config, neo4jUri: neo4j.url, redisUrl: redis.url },
            { port: options.port, version },
          );
      } finally {
        if (!options.keepRunning) {
          for (const service of started.reverse()) await service.release();
        }
      }
    });
}
