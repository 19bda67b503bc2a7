import { Command } from 'commander';
import type { CliContext } from '../../src/cli/context.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/util/logger.js';
import { testServices } from '../support/services.js';

/** What an in-process command printed. */
export interface CommandOutput {
  stdout: string;
  json: unknown[];
}

/**
 * Runs one command registered by `register` in process, against this run's services (the CLI's
 * own `buildProgram` wiring is the lead's; this checks the command module by itself).
 */
export async function runCommand(
  register: (program: Command, ctx: CliContext) => void,
  argv: string[],
): Promise<CommandOutput> {
  const out: CommandOutput = { stdout: '', json: [] };
  const ctx: CliContext = {
    config: { ...loadConfig(), ...testServices().config },
    logger: createLogger('silent'),
    verbose: false,
    printJson: (value) => {
      out.json.push(value);
      out.stdout += `${JSON.stringify(value)}\n`;
    },
    print: (text) => {
      out.stdout += `${text}\n`;
    },
    status: () => {},
  };
  const program = new Command('traceprop').exitOverride();
  register(program, ctx);
  for (const c of program.commands) c.exitOverride();
  await program.parseAsync(argv, { from: 'user' });
  return out;
}
