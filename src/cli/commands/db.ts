import type { Command } from 'commander';
import { ServiceUnavailableError } from '../../errors.js';
import { verifyGraph } from '../../graph/connection.js';
import { recoverExpiredRuns } from '../../graph/recover-expired-runs.js';
import { applySchema } from '../../graph/schema.js';
import { clientFor, localNeo4jDir } from '../../services/ensure-services.js';
import { localNeo4jPaths, runningPid, startLocalNeo4j, stopLocalNeo4j } from '../../services/local-neo4j.js';
import type { CliContext } from '../context.js';
import { parseMemorySize, parsePort } from '../options.js';
import { reportRecoveredRuns } from '../report-recovered-runs.js';

/** `traceprop db start|stop|status`: the local embedded Neo4j. */
export function registerDb(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('run the local embedded Neo4j (for machines without Docker)');

  db.command('start')
    .description(
      'build (first time only) and start the local Neo4j in the background, apply the schema, and fail runs left running by a dead ingest (lease expired)',
    )
    .option('--port <port>', 'Bolt port on 127.0.0.1 (default TRACEPROP_NEO4J_PORT or 7687)', parsePort)
    .option('--heap <size>', 'JVM heap, e.g. 1g (default TRACEPROP_NEO4J_HEAP or 1g)', parseMemorySize)
    .option(
      '--pagecache <size>',
      'page cache, e.g. 2g (default TRACEPROP_NEO4J_PAGECACHE or 256m)',
      parseMemorySize,
    )
    .option('--json', 'print one JSON document')
    .action(async (options: { port?: number; heap?: string; pagecache?: string; json?: boolean }) => {
      const dir = localNeo4jDir(ctx.config);
      const started = await startLocalNeo4j(
        {
          dir,
          port: options.port ?? ctx.config.localNeo4jPort,
          heap: options.heap ?? ctx.config.localNeo4jHeap,
          pagecache: options.pagecache ?? ctx.config.localNeo4jPagecache,
          checkpointVolume: ctx.config.localNeo4jCheckpointVolume,
          password: ctx.config.neo4jPassword,
          javaHome: ctx.config.javaHome,
        },
        ctx.status,
      );
      const client = clientFor(ctx.config, started.uri);
      try {
        const statements = await applySchema(client);
        const info = await verifyGraph(client);
        const recovered = await recoverExpiredRuns(client, ctx.config.runLeaseSeconds);
        reportRecoveredRuns(ctx, recovered);
        const paths = localNeo4jPaths(dir);
        if (options.json) {
          ctx.printJson({
            ...started,
            ...info,
            dataDir: paths.dataDir,
            importDir: paths.importDir,
            schemaStatements: statements,
            recoveredRuns: recovered.map((r) => r.runId),
          });
        } else {
          const how = started.alreadyRunning
            ? 'was already running'
            : `started in ${started.startSeconds.toFixed(1)} s${started.built ? ` (after a ${started.buildSeconds.toFixed(0)} s build)` : ''}`;
          ctx.print(
            `Neo4j ${info.version} ${info.edition} listening at ${started.uri} (pid ${started.pid}, ${how})`,
          );
          ctx.print(`data: ${paths.dataDir}`);
          ctx.print(`import (LOAD CSV): ${paths.importDir}`);
          ctx.print(`log: ${started.logFile}`);
        }
      } finally {
        await client.driver.close();
      }
    });

  db.command('stop')
    .description('stop the local Neo4j cleanly; its data is kept')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const dir = localNeo4jDir(ctx.config);
      const result = await stopLocalNeo4j(dir);
      if (options.json) ctx.printJson({ ...result, dataDir: localNeo4jPaths(dir).dataDir });
      else if (!result.stopped) ctx.print('the local Neo4j was not running');
      else
        ctx.print(
          `stopped${result.clean ? '' : ' (forcibly, after the deadline)'}; data kept in ${localNeo4jPaths(dir).dataDir}`,
        );
    });

  db.command('status')
    .description('exit 0 when Neo4j answers at NEO4J_URI (or the local port), 3 when it does not')
    .option('--json', 'print one JSON document')
    .action(async (options: { json?: boolean }) => {
      const client = clientFor(ctx.config, ctx.config.neo4jUri);
      const localPid = runningPid(localNeo4jDir(ctx.config));
      try {
        const info = await verifyGraph(client);
        if (options.json)
          ctx.printJson({ uri: client.uri, answers: true, ...info, localPid: localPid ?? null });
        else
          ctx.print(
            `Neo4j ${info.version} ${info.edition} answers at ${client.uri}${localPid ? ` (local, pid ${localPid})` : ''}`,
          );
      } catch (err) {
        if (options.json) ctx.printJson({ uri: client.uri, answers: false, localPid: localPid ?? null });
        throw err instanceof ServiceUnavailableError
          ? err
          : new ServiceUnavailableError('graph.unavailable', `Neo4j does not answer at ${client.uri}`, {
              cause: err,
            });
      } finally {
        await client.driver.close();
      }
    });
}
