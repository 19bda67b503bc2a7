import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { type ProcessResult, runProcess } from '../../src/util/run-process.js';
import { testEnv } from './services.js';

/** What a CLI run printed and how it exited. */
export interface CliResult extends ProcessResult {
  /** stdout parsed as JSON (throws, with both streams, when it is not). */
  json<T = Record<string, unknown>>(): T;
}

/** The compiled CLI entry point. */
export const cliPath = path.join(packageRoot, 'dist', 'src', 'cli', 'main.js');

/**
 * Runs `traceprop ARGS` as a child process against this run's Neo4j and Redis
 * (override variables with `env`), and resolves when it exits.
 */
export async function runTraceprop(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<CliResult> {
  const result = await runProcess(process.execPath, [cliPath, ...args], { env: testEnv(env), timeoutMs });
  return {
    ...result,
    json<T>() {
      try {
        return JSON.parse(result.stdout) as T;
      } catch {
        throw new Error(
          `stdout is not JSON (exit ${result.code}):\n${result.stdout}\nstderr:\n${result.stderr}`,
        );
      }
    },
  };
}

/** The three credit-risk input files of `traceprop ingest credit-risk`. */
export interface CreditRiskPaths {
  application: string;
  bureau: string;
  previous: string;
}

/** Arguments of `traceprop ingest credit-risk` for these files, then `extra`. */
export function ingestCreditRiskArgs(files: CreditRiskPaths, ...extra: string[]): string[] {
  return [
    'ingest',
    'credit-risk',
    '--application',
    files.application,
    '--bureau',
    files.bureau,
    '--previous',
    files.previous,
    ...extra,
  ];
}
