import { spawn } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { tracePrediction } from '../../src/graph/queries/trace-prediction.js';
import { clientFor } from '../../src/services/ensure-services.js';
import type { ServeProcess } from './serve-process.js';

/**
 * The floor of the serve bench: a bare node:http server in its own node process that answers
 * `GET /api/predictions/:id/trace?k=K` with `JSON.stringify(await tracePrediction(…))` and nothing
 * else (no Fastify, token, validation or access log). What `traceprop serve` costs beyond it is
 * the workbench's own layers; what it costs beyond Bolt is one HTTP hop to another process.
 * Resolves once the child prints its URL.
 */
export function startBareTraceServer(neo4jUri: string): Promise<ServeProcess> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--listen'], {
    env: { ...process.env, NEO4J_URI: neo4jUri },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the bare trace server exited (${code}) before it listened`)),
    );
    child.stdout?.once('data', (line: Buffer) => {
      const { url } = JSON.parse(String(line).split('\n')[0]) as { url: string };
      resolve({
        url,
        pid: child.pid ?? -1,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** The child: listens on 127.0.0.1, any free port, and prints `{"url": …}`. */
async function listen(): Promise<void> {
  const config = loadConfig();
  const client = clientFor(config, config.neo4jUri);
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const id = decodeURIComponent(url.pathname.split('/')[3] ?? '');
    tracePrediction(client, { predictionId: id, top: Number(url.searchParams.get('k') ?? 10) }).then(
      (trace) => {
        const body = JSON.stringify(trace);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
      },
      (err: Error) => res.writeHead(500).end(err.message),
    );
  });
  server.keepAliveTimeout = 72_000;
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
  });
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close();
    void client.driver.close().then(() => process.exit(0));
  });
}

if (process.argv.includes('--listen')) await listen();
