import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { S3ArtifactsConfig } from '../../src/config.js';
import { freePort } from '../../src/util/net.js';

/** s3rver's fixed credentials (it accepts only these). */
const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** A running S3-compatible server (s3rver) in a child process, with one bucket. */
export interface S3Server {
  endpoint: string;
  bucket: string;
  /** Its data directory (deleted on stop). */
  dir: string;
  /** Every line it logged (one per request, and one per stored part of a multipart upload). */
  log: string[];
  /** The configuration of a store under `prefix` in the bucket. */
  config(prefix: string): S3ArtifactsConfig;
  /** The environment a Traceprop process needs to use `s3://<bucket>/<prefix>`. */
  env(prefix: string): Record<string, string>;
  stop(): Promise<void>;
}

/**
 * Starts s3rver (the npm package) on a free loopback port with a temporary data directory and
 * the bucket `bucket`; resolves when it listens.
 */
async function startS3Server(bucket = 'traceprop-test'): Promise<S3Server> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-s3-'));
  const port = await freePort();
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '-d', dir, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`s3rver did not start in 30 s: ${log.join('\n')}`)),
      30_000,
    );
    const onLine = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colours
        const plain = line.replace(/\u001b\[[0-9;]*m/g, '').trim();
        if (!plain) continue;
        log.push(plain);
        if (plain.includes('listening on')) {
          clearTimeout(timer);
          resolve();
        }
      }
    };
    child.stdout?.on('data', onLine);
    child.stderr?.on('data', onLine);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`s3rver exited (${code}) before listening: ${log.join('\n')}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    dir,
    log,
    config: (prefix) => ({
      bucket,
      prefix,
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: { ...s3rverCredentials },
    }),
    env: (prefix) => ({
      TRACEPROP_ARTIFACTS: `s3://${bucket}/${prefix}`,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
    }),
    stop: async () => {
      if (child.exitCode === null && child.pid !== undefined) {
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A suite's S3 server: started before its tests, stopped after them. */
export function useS3Server(): () => S3Server {
  let server: S3Server | undefined;
  before(async function () {
    this.timeout(60_000);
    server = await startS3Server();
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('the S3 server is not started');
    return server;
  };
}
