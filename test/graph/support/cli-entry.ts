/**
 * A `traceprop` entry for the graph CLI tests: the real program (src/cli/program.ts) plus the
 * ingest, query and cypher commands when the program does not register them yet, with the same
 * error reporting as src/cli/run-cli.ts (message on stderr, exit code from the error).
 */
import { CommanderError } from 'commander';
import { registerCypher } from '../../../src/cli/commands/cypher.js';
import { registerIngest } from '../../../src/cli/commands/ingest.js';
import { registerQuery } from '../../../src/cli/commands/query.js';
import type { CliContext } from '../../../src/cli/context.js';
import { buildProgram } from '../../../src/cli/program.js';
import { loadConfig } from '../../../src/config.js';
import { ExitCode, TracepropError } from '../../../src/errors.js';
import { createLogger } from '../../../src/util/logger.js';

async function main(argv: string[]): Promise<number> {
  try {
    const config = loadConfig();
    const ctx: CliContext = {
      config,
      logger: createLogger(config.logLevel),
      verbose: false,
      printJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
      print: (text) => process.stdout.write(`${text}\n`),
      status: (text) => process.stderr.write(`${text}\n`),
    };
    const program = buildProgram(ctx);
    const names = new Set(program.commands.map((c) => c.name()));
    if (!names.has('ingest')) registerIngest(program, ctx);
    if (!names.has('query')) registerQuery(program, ctx);
    if (!names.has('cypher')) registerCypher(program, ctx);
    for (const command of program.commands) {
      command.exitOverride();
      for (const sub of command.commands) sub.exitOverride();
    }
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : ExitCode.usage;
    const code = err instanceof TracepropError ? ` [${err.code}]` : '';
    process.stderr.write(`error${code}: ${(err as Error).message}\n`);
    return err instanceof TracepropError ? err.exitCode : ExitCode.failure;
  }
}

process.exitCode = await main(process.argv.slice(2));
