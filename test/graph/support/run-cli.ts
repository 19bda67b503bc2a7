import { type CliResult, runTraceprop } from '../../support/cli.js';

/** What a CLI child process did. */
export type CliRun = CliResult;

/** Runs `traceprop <args>` in a child process against this run's services. */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runTraceprop(args, env);
}
