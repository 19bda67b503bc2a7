import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { createApiToken } from '../src/access/token-store.js';
import { loadConfig } from '../src/config.js';
import type { GraphClient } from '../src/graph/connection.js';
import { cypherText } from '../src/graph/cypher-library.js';
import { tracePrediction } from '../src/graph/queries/trace-prediction.js';
import { runReadQuery } from '../src/graph/read-query.js';
import { runAttributionJob } from '../src/jobs/attribution/run-attribution-job.js';
import { type RunningServer, startServer } from '../src/serve/start-server.js';
import { workbenchQueries } from '../src/workbench/workbench-queries.js';
import { buildAttributionFixture } from '../test/queue/attribution-fixture.js';
import { measureDagRender } from './serve-dag-render.js';
import { startBareTraceServer } from './support/bare-trace-server.js';
import { httpGetJson } from './support/http-get-json.js';
import { interleavedAsync, median } from './support/interleaved.js';
import { type ServeProcess, startServeProcess } from './support/serve-process.js';
import { shareDeploymentSalt } from './support/share-deployment-salt.js';
import { quantile, round } from './support/stats.js';

/** Options of {@link runServeBench}. */
export interface ServeBenchOptions {
  quick?: boolean;
  log: (line: string) => void;
  client: GraphClient;
  redisUrl: string;
}

/** Auditors calling at once in the load measurement. */
const auditors = 50;

/**
 * The `serve` bench section (issue 11 item 7), warm: the real workbench server as a user runs it,
 * `traceprop serve` in its own node process (`startServeProcess`; loopback, an auditor token),
 * over a synthetic attributed run (400 samples, 200 with `quick`). `traceHttpP50Ms` /
 * `traceBoltP50Ms`: `GET /api/predictions/:id/trace?k=10` from this process with a lean client
 * (node:http, one kept-alive connection) against the same `tracePrediction` query over Bolt
 * directly, interleaved call by call with the same call through fetch (`traceFetchP50Ms`) and through
 * node:http to the same server started inside this process (`traceInProcessP50Ms`) and to a bare node:http
 * server in its own process that only runs the query (`traceBareHttpP50Ms`, the floor) (p50 and
 * p99, and the p50 difference; target ≤ 1 ms). `concurrent50`: 50 auditors (autocannon
 * connections, in a worker thread) calling the trace route for 10 s (5 s with `quick`):
 * requests, requests/s, p50/p99 latency, errors and non-2xx (target 0 errors).
 * `dagRender2000Ms`: the workbench page in Chromium drawing a 2,000-node lineage DAG
 * (`serve-dag-render.ts`; target ≤ 1 s). TRACEPROP_BENCH_SERVE_CPU_PROF=DIR: the server writes a
 * V8 CPU profile into DIR when it stops. Removes its nodes, token and access events afterwards.
 */
export async function runServeBench(opts: ServeBenchOptions): Promise<Record<string, unknown>> {
  const config = loadConfig();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'traceprop-bench-serve-'));
  shareDeploymentSalt(config, home);
  const tag = `bs${randomUUID().slice(0, 8)}`;
  const samples = opts.quick ? 200 : 400;
  let tokenId = '';
  let inProcessTokenId = '';
  let server: ServeProcess | undefined;
  let inProcess: RunningServer | undefined;
  let bare: ServeProcess | undefined;
  // TRACEPROP_BENCH_SERVE_CPU_PROF=DIR: the server process writes a V8 CPU profile there when it stops.
  const cpuProfileDir = process.env.TRACEPROP_BENCH_SERVE_CPU_PROF;
  try {
    const fixture = await buildAttributionFixture(opts.client, home, tag, samples);
    await runAttributionJob(
      { client: opts.client, home, jobId: `bench-serve-${tag}`, attempt: 1, progress: async () => {} },
      { modelId: fixture.modelId, samples: 'test', top: 10, method: 'ns' },
    );
    const ids = Array.from(
      { length: fixture.testCount },
      (_, i) => `${fixture.modelId}:${fixture.runId}:s${fixture.trainCount + i}`,
    );
    const token = await createApiToken(opts.client, {
      name: `bench serve ${tag}`,
      role: 'auditor',
      createdBy: 'bench',
    });
    tokenId = token.id;
    const inProcessToken = await createApiToken(opts.client, {
      name: `bench serve in-process ${tag}`,
      role: 'auditor',
      createdBy: 'bench',
    });
    inProcessTokenId = inProcessToken.id;
    server = await startServeProcess({
      neo4jUri: opts.client.uri,
      redisUrl: opts.redisUrl,
      home,
      nodeArgs: cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfileDir}`] : [],
    });
    opts.log(
      `serve: \`traceprop serve\` pid ${server.pid} at ${server.url}, ${ids.length} attributed predictions (top 10 of ${fixture.trainCount})`,
    );
    const tracePath = (id: string) => `/api/predictions/${encodeURIComponent(id)}/trace?k=10`;
    const headers = { authorization: `Bearer ${token.token}` };
    const url = server.url;
    const get = httpGetJson(url, headers);
    // The same server in this process, for comparison (what the bench measured before).
    inProcess = await startServer(
      { ...config, neo4jUri: opts.client.uri, redisUrl: opts.redisUrl },
      pino({ level: 'silent' }),
      { host: '127.0.0.1', port: 0, workbenchQueries },
    );
    const getInProcess = httpGetJson(inProcess.url, { authorization: `Bearer ${inProcessToken.token}` });
    // The floor: a bare node:http server in its own process, tracePrediction and JSON.stringify only.
    bare = await startBareTraceServer(opts.client.uri);
    const getBare = httpGetJson(bare.url, {});
    // The same answer three ways (the server, the floor, Bolt), before anything is timed.
    const [first, firstBare, firstBolt] = [
      await get(tracePath(ids[0])),
      await getBare(tracePath(ids[0])),
      await tracePrediction(opts.client, { predictionId: ids[0], top: 10 }),
    ];
    if (
      JSON.stringify(first) !== JSON.stringify(firstBolt) ||
      JSON.stringify(firstBare) !== JSON.stringify(firstBolt)
    )
      throw new Error('bench serve: the trace over HTTP differs from the trace over Bolt');
    let bareCalls = 0;
    let inProcessCalls = 0;
    let httpCalls = 0;
    let fetchCalls = 0;
    let boltCalls = 0;
    const reps = opts.quick ? 200 : 1000;
    let timings: Awaited<ReturnType<typeof interleavedAsync>>;
    try {
      timings = await interleavedAsync(
        {
          http: async () => {
            await get(tracePath(ids[httpCalls++ % ids.length]));
          },
          inProcess: async () => {
            await getInProcess(tracePath(ids[inProcessCalls++ % ids.length]));
          },
          bare: async () => {
            await getBare(tracePath(ids[bareCalls++ % ids.length]));
          },
          fetch: async () => {
            const res = await fetch(url + tracePath(ids[fetchCalls++ % ids.length]), { headers });
            if (res.status !== 200)
              throw new Error(`bench trace answered ${res.status}: ${await res.text()}`);
            await res.json();
          },
          bolt: async () => {
            await tracePrediction(opts.client, { predictionId: ids[boltCalls++ % ids.length], top: 10 });
          },
        },
        20,
        reps,
      );
    } finally {
      get.close();
      getInProcess.close();
      getBare.close();
      await inProcess.close();
      inProcess = undefined;
      await bare.stop();
      bare = undefined;
    }
    // The server's own time per trace call (its access log's `ms`), node:http and fetch calls
    // alike, once the log is written.
    const serverMs = await serverTimes(opts.client, tokenId, '/api/predictions/:id/trace', 2 * (20 + reps));
    const trace = {
      traceHttpP50Ms: round(median(timings.http), 3),
      traceBoltP50Ms: round(median(timings.bolt), 3),
      httpMinusBoltP50Ms: round(median(timings.http) - median(timings.bolt), 3),
      traceHttpP99Ms: round(quantile(timings.http, 0.99), 3),
      traceBoltP99Ms: round(quantile(timings.bolt, 0.99), 3),
      traceFetchP50Ms: round(median(timings.fetch), 3),
      fetchMinusBoltP50Ms: round(median(timings.fetch) - median(timings.bolt), 3),
      traceInProcessP50Ms: round(median(timings.inProcess), 3),
      inProcessMinusBoltP50Ms: round(median(timings.inProcess) - median(timings.bolt), 3),
      traceBareHttpP50Ms: round(median(timings.bare), 3),
      bareMinusBoltP50Ms: round(median(timings.bare) - median(timings.bolt), 3),
      traceServerP50Ms: round(median(serverMs), 3),
      serverMinusBoltP50Ms: round(median(serverMs) - median(timings.bolt), 3),
      traceCalls: reps,
    };
    opts.log(
      `serve: trace p50 HTTP ${trace.traceHttpP50Ms} ms (own process, node:http keep-alive; fetch ${trace.traceFetchP50Ms} ms; server in this process ${trace.traceInProcessP50Ms} ms; bare node:http floor ${trace.traceBareHttpP50Ms} ms) vs Bolt ${trace.traceBoltP50Ms} ms (+${trace.httpMinusBoltP50Ms} ms; target ≤ 1 ms), ${reps} calls each, interleaved`,
    );
    const seconds = opts.quick ? 5 : 10;
    const load = await autocannon({
      url,
      connections: auditors,
      duration: seconds,
      workers: 1,
      headers,
      // Each connection walks through the predictions (static requests: a worker thread can take them).
      requests: ids.slice(0, 50).map((id) => ({ method: 'GET' as const, path: tracePath(id) })),
    });
    const concurrent50 = {
      auditors,
      seconds,
      requests: load.requests.total,
      requestsPerSecond: round(load.requests.average, 1),
      p50Ms: load.latency.p50,
      p99Ms: load.latency.p99,
      errors: load.errors,
      timeouts: load.timeouts,
      non2xx: load.non2xx,
    };
    opts.log(
      `serve: ${auditors} auditors × ${seconds} s: ${concurrent50.requestsPerSecond} req/s, p50 ${concurrent50.p50Ms} ms, p99 ${concurrent50.p99Ms} ms, ${concurrent50.errors} errors, ${concurrent50.non2xx} non-2xx`,
    );
    const dag = await measureDagRender({
      client: opts.client,
      url,
      token: token.token,
      tag,
      quick: opts.quick,
      log: opts.log,
    });
    return {
      mode: 'warm; the server is `traceprop serve` in its own node process (what a user runs); this process runs the HTTP clients, the Bolt client and the load generator (autocannon in a worker thread); Chromium its own',
      httpClient:
        "traceHttp*: node:http, one kept-alive connection, body parsed with JSON.parse; traceFetch*: fetch (undici), keep-alive; traceInProcess*: node:http against the same server started inside this process (startServer; the old set-up); traceBare*: node:http to a bare node:http server in its own process that only runs tracePrediction and JSON.stringify (the floor of one HTTP hop; bench/support/bare-trace-server.ts); traceBolt*: tracePrediction over this process's driver; traceServer*: the server process's own time per trace call, node:http and fetch calls alike (its access log's ms: request arrived → answer sent, Neo4j included)",
      ...trace,
      concurrent50,
      ...dag,
    };
  } finally {
    await server?.stop().catch(() => {});
    await inProcess?.close().catch(() => {});
    await bare?.stop().catch(() => {});
    for (const id of [tokenId, inProcessTokenId])
      await removeServeFixture(opts.client, tag, id).catch((err) =>
        opts.log(`serve: cleanup failed: ${err}`),
      );
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** The access log's `ms` of a token's calls to `route`, once at least `calls` are written (≤ 15 s). */
async function serverTimes(
  client: GraphClient,
  tokenId: string,
  route: string,
  calls: number,
): Promise<number[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await runReadQuery(client, cypherText('bench', 'server-times'), { tokenId, route });
    if (rows.length >= calls || Date.now() > deadline) return rows.map((r) => Number(r.ms));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function removeServeFixture(client: GraphClient, tag: string, tokenId: string): Promise<void> {
  const session = client.driver.session({ database: client.database });
  try {
    await session.run(cypherText('bench', 'remove-serve-fixture'), { tag, tokenId });
  } finally {
    await session.close();
  }
}
