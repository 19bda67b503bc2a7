import { CommanderError } from 'commander';
import { loadConfig } from '../config.js';
import { ExitCode, TracepropError } from '../errors.js';
import { neo4jClientError } from '../graph/neo4j-client-errors.js';
import { createLogger } from '../util/logger.js';
import type { CliContext } from './context.js';
import { buildProgram } from './program.js';

/** Runs the CLI with `argv` and returns the exit code. Errors are caught here, once. */
export async function runCli(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  let ctx: CliContext | undefined;
  try {
    const config = loadConfig();
    const logger = createLogger(verbose ? 'debug' : config.logLevel);
    ctx = {
      config,
      logger,
      verbose,
      printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
      print: (text) => process.stdout.write(`${text}\n`),
      status: (text) => process.stderr.write(`${text}\n`),
    };
    await buildProgram(ctx).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    return reportError(err, verbose);
  }
}

function reportError(raw: unknown, verbose: boolean): number {
  // A Neo4j error about the query itself that no command mapped is still a usage error (exit 2).
  const err = neo4jClientError(raw) ?? raw;
  if (err instanceof CommanderError) {
    // Commander already printed its message (or the help / version); map its codes to ours.
    if (
      err.code === 'commander.helpDisplayed' ||
      err.code === 'commander.version' ||
      err.code === 'commander.help'
    )
      return 0;
    return err.exitCode === 0 ? 0 : ExitCode.usage;
  }
  const error = err instanceof Error ? err : new Error(String(err));
  const code = err instanceof TracepropError ? ` [${err.code}]` : '';
  process.stderr.write(`error${code}: ${error.message}\n`);
  if (verbose && error.stack) process.stderr.write(`${error.stack}\n`);
  if (verbose && error.cause)
    process.stderr.write(`caused by: ${String((error.cause as Error).stack ?? error.cause)}\n`);
  return err instanceof TracepropError ? err.exitCode : ExitCode.failure;
}
