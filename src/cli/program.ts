import { Command } from 'commander';
import { registerDb } from './commands/db.js';
import { registerDemo } from './commands/demo.js';
import { registerGenerate } from './commands/generate.js';
import { registerLds } from './commands/lds.js';
import type { CliContext } from './context.js';

/** The package version, shown by `traceprop --version`. */
export const version = '0.1.0';

/** Builds the `traceprop` command tree. Commands read `ctx` only when they run. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('traceprop')
    .description('Row-level lineage in Neo4j, data attribution and certified unlearning for ML pipelines')
    .version(version)
    .option('--verbose', 'debug logs and stack traces on errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  registerDb(program, ctx);
  registerDemo(program, ctx);
  registerGenerate(program, ctx);
  registerLds(program, ctx);
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  command.showHelpAfterError('(run with --help for usage)');
  for (const sub of command.commands) applyExitOverride(sub);
}
