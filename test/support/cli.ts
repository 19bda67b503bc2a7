import { spawn } from 'node:child_process';
import path from 'node:path';
import { packageRoot } from '../../src/config.js';
import { testEnv } from './services.js';

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The compiled CLI entry point. */
export const cliPath = path.join(packageRoot, 'dist', 'src', 'cli', 'main.js');

/**
 * Runs `traceprop ARGS` as a child process against this run's Neo4j and Redis
 * (override variables with `env`), and resolves when it exits.
 */
export function runTraceprop(
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], {
      env: testEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`traceprop ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
