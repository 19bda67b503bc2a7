import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import type { CreditRiskFiles } from '../../src/pipelines/credit-risk-files.js';
import { type ProcessResult, runProcess } from '../../src/util/run-process.js';
import { testEnv } from './services.js';

/**
 * The one way tests run the `traceprop` CLI: always a real child process, against this run's
 * Neo4j and Redis. `runTraceprop` waits for the exit; `startTraceprop` is for long-running
 * commands (a worker, an ingest to kill mid-write).
 */

/** The compiled CLI entry point. */
const cliPath = path.join(packageRoot, 'dist', 'src', 'cli', 'main.js');

/** How to run the CLI. */
export interface CliOptions {
  /** Extra environment variables (on top of the ones pointing at this run's services). */
  env?: Record<string, string>;
  /** Working directory (default: the package root). */
  cwd?: string;
  /** Kill the child (SIGKILL) and fail after this long (default 120 s). */
  timeoutMs?: number;
  /**
   * `node` runs `dist/src/cli/main.js` of this checkout (default); `npx` runs
   * `npx --no-install traceprop` in `cwd`, the way the README tells a new user to.
   */
  via?: 'node' | 'npx';
}

/** What a CLI run printed and how it exited. */
export interface CliResult extends ProcessResult {
  /** stdout parsed as one JSON document (throws, with both streams, when it is not). */
  json<T = Record<string, unknown>>(): T;
  /** The namespaced code the CLI printed on stderr (`error [code]: …`), undefined when none. */
  errorCode(): string | undefined;
  /** Asserts the run exited 0 (the message carries stderr) and returns it. */
  ok(): CliResult;
}

/**
 * Runs `traceprop ARGS` as a child process against this run's Neo4j and Redis and resolves when
 * it exits, whatever the exit code.
 * @example
 * const out = await runTraceprop(['query', 'sources', sampleId, '--json']);
 * assert.equal(out.code, 0, out.stderr);
 * const doc = out.json<{ sources: unknown[] }>();
 */
export async function runTraceprop(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const [command, argv] = commandLine(args, options);
  const result = await runProcess(command, argv, {
    env: childEnv(options),
    cwd: options.cwd ?? packageRoot,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  const run: CliResult = {
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
    errorCode() {
      return /^error \[([\w.]+)\]: /m.exec(result.stderr)?.[1];
    },
    ok() {
      assert.equal(result.code, 0, `traceprop ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
      return run;
    },
  };
  return run;
}

/**
 * Asserts the run failed with the namespaced error `code` (and, when given, a message matching
 * `message` and this exit code) and returns it.
 * @example
 * expectCliError(await runTraceprop(['unlearn', '--rows', '3,x', '--local']), 'unlearning.badRows');
 */
export function expectCliError(run: CliResult, code: string, message?: RegExp, exitCode?: number): CliResult {
  assert.notEqual(run.code, 0, `expected ${code}, but it exited 0:\n${run.stdout}`);
  assert.equal(run.errorCode(), code, `expected ${code}, got (exit ${run.code}):\n${run.stderr}`);
  if (message) {
    const error = run.stderr.slice(run.stderr.search(/^error \[/m)).replace(/^error \[[\w.]+\]: /, '');
    assert.match(error, message);
  }
  if (exitCode !== undefined) assert.equal(run.code, exitCode, run.stderr);
  return run;
}

/** A CLI child process still running. */
export interface TracepropProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  log(): string;
  /** stderr so far. */
  stderr(): string;
  /** Resolves when the child has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `traceprop ARGS` as a child process against this run's services and returns at once;
 * the caller stops it (`child.kill(...)`) and awaits `exited`.
 */
export function startTraceprop(
  args: string[],
  options: Omit<CliOptions, 'timeoutMs'> = {},
): TracepropProcess {
  const [command, argv] = commandLine(args, options);
  const child = spawn(command, argv, {
    env: childEnv(options),
    cwd: options.cwd ?? packageRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  let stderr = '';
  child.stdout?.on('data', (d) => {
    log += d;
  });
  child.stderr?.on('data', (d) => {
    log += d;
    stderr += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, log: () => log, stderr: () => stderr, exited };
}

/**
 * `env` without the variables npm sets for the script running the tests (`npm_package_*`,
 * `npm_lifecycle_*`, `npm_config_local_prefix`, `INIT_CWD`, …), so an `npm` or `npx` child sees
 * what it would see in a user's shell (npm settings such as `npm_config_cache` are kept).
 */
export function shellEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name]) => !/^(npm_(package|lifecycle)_|npm_command$|npm_config_local_prefix$|INIT_CWD$)/.test(name),
    ),
  );
}

function childEnv(options: CliOptions): NodeJS.ProcessEnv {
  const env = testEnv(options.env);
  return options.via === 'npx' ? shellEnv(env) : env;
}

function commandLine(args: string[], options: CliOptions): [string, string[]] {
  return options.via === 'npx'
    ? ['npx', ['--no-install', 'traceprop', ...args]]
    : [process.execPath, [cliPath, ...args]];
}

/** Arguments of `traceprop ingest credit-risk` for these files, then `extra`. */
export function ingestCreditRiskArgs(files: CreditRiskFiles, ...extra: string[]): string[] {
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
